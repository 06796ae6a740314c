"""``realtext``: third-party abstracts annotated by hand for lit (``corpora/realtext/``).

``selection.jsonl`` lists the texts (id, split, sha256 and a pointer into ``$LIT_CORPORA``:
corpus, file, ``line`` of a JSON-lines file or ``index`` of a JSON list, and the field:
``prompt`` or ``title+abstract``); the texts themselves are never copied into the project.
Each is read from its source and checked against its sha256, so a changed corpus fails
loudly instead of scoring gold against another text.

Gold is every ``annotations.*.jsonl`` file (format: ``GUIDELINE.md``). Annotators deliver in
parts: a selected text without an annotation line is skipped and counted
(``unannotated``); a text with ``"facts": []`` is annotated and states nothing, so it counts
for precision. ``agreement.*.jsonl`` (a second annotator's copy of some texts) is not gold;
:mod:`lit.models.benchmark.agreement` reads it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from lit.errors import CorpusError
from lit.extract.document import paragraph_document
from lit.extract.normalize.properties import PropertyVocabulary
from lit.models.corpora.spec import corpora_root

from .gold import SPLITS, BenchSet, BenchText, GoldFact, distinct, listed_numbers

NAME = "realtext"
_REPO = Path(__file__).resolve().parents[2]
DEFAULT_DIR = _REPO / "corpora" / "realtext"
#: The NERRE prompts end with the separator their fine-tuning format put before the answer;
#: it is not text of the paper, so lit does not read it (the sha256 covers it, as stored).
PROMPT_END = "\n\n###\n\n"


def read_source(corpora: Path, source: dict[str, Any]) -> str:
    """The text a selection row points at (see the module docstring)."""
    path = corpora / source["corpus"] / source["file"]
    if not path.is_file():
        raise CorpusError(f"{path}: realtext source not found (set LIT_CORPORA)")
    with path.open(encoding="utf-8") as fh:
        if "line" in source:
            record = next((json.loads(line) for i, line in enumerate(fh) if i == source["line"]), None)
        else:
            records = json.load(fh)
            record = records[source["index"]] if source["index"] < len(records) else None
    if record is None:
        raise CorpusError(f"{path}: no record {source.get('line', source.get('index'))}")
    if source["field"] == "title+abstract":
        return f"{record['title']}\n{record['abstract']}"
    return record[source["field"]]


def read_selection(folder: Path) -> list[dict[str, Any]]:
    path = folder / "selection.jsonl"
    if not path.is_file():
        raise CorpusError(f"{path}: realtext selection not found")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_annotations(paths: list[Path]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Annotation rows by text id, each with the ``file:line`` it came from; an id annotated
    twice across ``paths`` is an error (gold must say one thing per text)."""
    rows: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    row = json.loads(line)
                    text_id = str(row["id"])
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise CorpusError(f"{where}: malformed line ({exc})") from None
                if text_id in rows:
                    raise CorpusError(f"{where}: {text_id} is already annotated at {rows[text_id][0]}")
                rows[text_id] = (where, row)
    return rows


def gold_facts(
    row: dict[str, Any], where: str, vocab: PropertyVocabulary, counts: dict[str, int]
) -> tuple[GoldFact, ...]:
    """An annotation row's facts as gold (repeats counted in ``counts``). A unit that is missing
    where the property needs one, or that lit cannot convert to the property's unit, is an
    error naming the line: hand-written gold is fixed at its source, never silently dropped."""
    facts: list[GoldFact] = []
    for raw in row.get("facts", ()):
        try:
            prop, values, unit = str(raw["property"]), [float(v) for v in raw["values"]], str(raw.get("unit", ""))
            compound, aliases = str(raw["compound"]), tuple(str(a) for a in raw.get("aliases", ()))
        except (KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"{where}: malformed fact {raw!r} ({exc})") from None
        if prop not in vocab:
            raise CorpusError(f"{where}: {prop!r} is not a property of lit's vocabulary")
        if not values:
            raise CorpusError(f"{where}: fact without values {raw!r}")
        numbers = listed_numbers(vocab, prop, values, unit)
        if isinstance(numbers, str):
            raise CorpusError(f"{where}: {compound} {prop} {values} {unit!r}: {numbers} (write the unit as lit reads it)")
        facts.append(GoldFact(compound, prop, numbers, aliases, str(raw.get("value_text", ""))))
    return distinct(facts, counts)


def load(split: str, folder: Path | None = None, corpora: Path | None = None,
         vocab: PropertyVocabulary | None = None) -> BenchSet:
    """The annotated texts of ``split``; gold covers every property of lit's vocabulary."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
    folder = folder or DEFAULT_DIR
    vocab = vocab or PropertyVocabulary.load()
    annotated = read_annotations(sorted(folder.glob("annotations.*.jsonl")))
    counts = {"selected": 0, "unannotated": 0}
    texts: list[BenchText] = []
    for sel in read_selection(folder):
        if sel["split"] != split:
            continue
        counts["selected"] += 1
        if sel["id"] not in annotated:
            counts["unannotated"] += 1
            continue
        text = checked_text(corpora_root(corpora), sel).removesuffix(PROMPT_END)
        where, row = annotated[sel["id"]]
        facts = gold_facts(row, where, vocab, counts)
        texts.append(BenchText(sel["id"], split, paragraph_document(text, f"{NAME}/{sel['id']}"), facts))
    unknown = sorted(set(annotated) - {s["id"] for s in read_selection(folder)})
    if unknown:
        raise CorpusError(f"{folder}: annotations for ids not in selection.jsonl: {', '.join(unknown[:5])}")
    return BenchSet(NAME, split, texts, frozenset(p.name for p in vocab), counts=counts,
                    note="third-party abstracts, gold by lit's annotators (GUIDELINE.md)")


def checked_text(corpora: Path, sel: dict[str, Any]) -> str:
    """The selected text, after checking its sha256 against the selection."""
    text = read_source(corpora, sel["source"])
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != sel["sha256"]:
        raise CorpusError(f"{sel['id']}: text in {sel['source']['file']} does not match its sha256 in selection.jsonl")
    return text

