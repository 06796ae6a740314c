"""Inter-annotator agreement on the real-text set: strict fact F1 between two annotators.

``corpora/realtext/agreement.b.jsonl`` holds a second annotator's facts for some texts the A
annotators (``annotations.*.jsonl``) also did. On the ids both have, one side is taken as the
reference (gold) and the other as predictions, and the facts are compared by the scorer's
rule (:mod:`lit.models.benchmark.score`; names are compound plus aliases on both sides, lit's
compound keys play no part). F1 is symmetric; precision and recall swap with the reference.
This is the ceiling to read lit's real-text numbers against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lit.errors import CorpusError
from lit.extract.normalize.properties import PropertyVocabulary

from .gold import BenchSet
from .realtext import DEFAULT_DIR, gold_facts, read_annotations
from .score import Pred, score_facts, summarise


def agreement(folder: Path | None = None, reference: str = "a", errors: int = 0,
              vocab: PropertyVocabulary | None = None) -> dict[str, Any]:
    """Fact P/R/F1 of B against A (``reference="a"``) or A against B, on their shared ids."""
    if reference not in ("a", "b"):
        raise CorpusError(f"reference must be a or b, not {reference!r}")
    folder = folder or DEFAULT_DIR
    vocab = vocab or PropertyVocabulary.load()
    b_path = folder / "agreement.b.jsonl"
    if not b_path.is_file():
        raise CorpusError(f"{b_path}: no second annotation to compare with")
    a_rows = read_annotations(sorted(folder.glob("annotations.*.jsonl")))
    b_rows = read_annotations([b_path])
    shared = sorted(set(a_rows) & set(b_rows))
    counts = {"b_texts": len(b_rows), "shared": len(shared), "b_only": len(set(b_rows) - set(a_rows))}
    properties = frozenset(p.name for p in vocab)
    scores = []
    for text_id in shared:
        a, b = (gold_facts(row, where, vocab, counts) for where, row in (a_rows[text_id], b_rows[text_id]))
        gold, other = (a, b) if reference == "a" else (b, a)
        scores.append(score_facts(text_id, gold, [Pred.of_gold(g) for g in other], properties))
    bench = BenchSet("agreement", f"reference {reference.upper()}", [], properties, counts=counts)
    return summarise(bench, scores, errors)
