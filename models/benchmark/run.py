"""Run lit over a benchmark set and score it.

The documents go through :meth:`Extractor.extract_documents` in groups (one NER call over a
group's sentences, one relation-model call over its paragraphs), the path ``lit extract``
takes, so the numbers are those of the real pipeline, at its speed. Nothing is cached between
runs: every evaluation extracts afresh with the models loaded now.
"""

from __future__ import annotations

import time
from typing import Any, Protocol, Sequence

from lit.extract.document import Document
from lit.extract.normalize.properties import PropertyVocabulary
from lit.models.fact_confidence import Floors

from .gold import BenchSet
from .score import TOLERANCE, Pred, score_text, summarise

#: Documents per grouped call: big enough to fill the models' batches, small enough that
#: a group's sentences and paragraphs stay a few MB.
GROUP = 32


class _Extracts(Protocol):
    vocab: PropertyVocabulary
    model_versions: Any

    def extract_documents(self, docs: Sequence[Document]) -> list[Any]: ...


def evaluate_set(bench: BenchSet, extractor: _Extracts, errors: int = 0, tolerance: float = TOLERANCE,
                 min_confidence: float | None = None) -> dict[str, Any]:
    """Extract every document of ``bench`` and score the facts ``lit extract`` would write
    with the same ``--min-confidence`` (None: its default, see :class:`Floors`):
    :func:`summarise`'s dict plus the threshold, the seconds extraction took, documents that
    failed, and the extractor's model versions."""
    started = time.perf_counter()
    results = []
    for i in range(0, len(bench.texts), GROUP):
        results.extend(extractor.extract_documents([t.doc for t in bench.texts[i : i + GROUP]]))
    seconds = time.perf_counter() - started
    floors = Floors.of(min_confidence, extractor.model_versions)
    scores = [
        score_text(text, (Pred.of_fact(f, bench, extractor.vocab) for f in result.facts if floors.keeps(f)),
                   bench.properties, tolerance)
        for text, result in zip(bench.texts, results)
    ]
    failed = [{"id": t.id, "error": r.error} for t, r in zip(bench.texts, results) if r.error]
    return {
        **summarise(bench, scores, errors, tolerance),
        "min_confidence": min_confidence,
        "seconds": round(seconds, 1),
        "failed": failed,
        "model_versions": extractor.model_versions,
    }
