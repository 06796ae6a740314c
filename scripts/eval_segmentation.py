"""Measure sentence-boundary precision/recall/F1 of lit's splitter on the gold set.

The gold set (``corpora/segmentation_gold.jsonl``) holds no article text: the fixtures are
copyrighted. Each line names a fixture (relative to the fixtures root, ``LIT_FIXTURES``),
says how to pull one paragraph out of it, and gives the paragraph's sha1 and the gold
sentence end offsets into that paragraph::

    {"fixture": "publisher_articles/tests/data/rsc/test_paper.html",
     "method": "element", "parser": "html", "tag": "p", "index": 7,
     "sha1": "…", "length": 2035, "ends": [118, 262, …], "split": "dev"}

``split`` says how the entry was used: ``dev`` paragraphs were annotated first and the
splitter's rules were refined while looking at its errors on them; ``test`` paragraphs
(other paragraphs and two more papers) were annotated afterwards and scored once, with no
rule changed after, so their score is the honest estimate for unseen text.

The gold ends were made by reviewing every ``.``/``!``/``?``/ellipsis followed by
whitespace in each paragraph by eye (not by saving the splitter's output), plus the few
boundaries with no space or no mark at all (``(1021.0 Ω).The``, an inline equation
followed by ``Fig. 4 presents``), which were added by hand.

``method: element`` — the ``index``-th element (0-based, document order) whose local name is
``tag`` (namespaces ignored), parsed with lxml as ``xml`` or ``html``; its itertext
joined and whitespace-normalised (runs of whitespace → one space, stripped), the same
normalisation :class:`~lit.extract.document.DocumentBuilder` applies.
``method: lines`` — lines ``first``..``last`` (1-based, inclusive, split on "\\n" only) of a text file, joined
and normalised the same way.

Extraction is written here with lxml directly, so the gold set does not move when the
readers change. A sha1 mismatch means the fixture changed: that paragraph is reported and
skipped, never silently scored.

A boundary is a sentence end offset other than the paragraph's end. Run::

    .venv/bin/python scripts/eval_segmentation.py [--gold PATH] [--fixtures DIR] [--quiet]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lxml import etree, html

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO / "corpora" / "segmentation_gold.jsonl"
DEFAULT_FIXTURES = Path(os.environ.get("LIT_FIXTURES", REPO.parent / "shared" / "fixtures"))


def normalise(text: str) -> str:
    """Collapse whitespace runs to one space and strip, as DocumentBuilder does."""
    return " ".join(text.split())


def _parse(path: Path, parser: str) -> etree._Element:
    data = path.read_bytes()
    if parser == "html":
        return html.fromstring(data)
    xml_parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=True
    )
    return etree.fromstring(data, xml_parser)


def _local(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None  # comments, processing instructions
    return tag.rsplit("}", 1)[-1]


def elements(path: Path, parser: str, tag: str) -> list[str]:
    """Normalised itertext of every element named ``tag`` in ``path``, in document order."""
    root = _parse(path, parser)
    return [normalise("".join(el.itertext())) for el in root.iter() if _local(el.tag) == tag]


def paragraph_text(fixtures: Path, entry: dict) -> str:
    """The paragraph a gold entry points at, extracted as its ``method`` says."""
    path = fixtures / entry["fixture"]
    if entry["method"] == "element":
        return elements(path, entry["parser"], entry["tag"])[entry["index"]]
    if entry["method"] == "lines":
        lines = path.read_text(encoding="utf-8").split("\n")
        return normalise(" ".join(lines[entry["first"] - 1 : entry["last"]]))
    raise ValueError(f"{entry['fixture']}: unknown extraction method {entry['method']!r}")


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_gold(path: Path = DEFAULT_GOLD) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Result:
    """Boundary counts over the gold set, plus the errors to read."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    paragraphs: int = 0
    sentences: int = 0
    drifted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    errors: list[tuple[str, str, int, str]] = field(default_factory=list)  # (kind, where, offset, context)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _context(text: str, at: int, width: int = 45) -> str:
    return f"{text[max(0, at - width):at]}⟂{text[at:at + width]}"


def evaluate(
    gold: list[dict],
    fixtures: Path = DEFAULT_FIXTURES,
    splitter: Callable[[str], list[tuple[int, int]]] | None = None,
) -> Result:
    """Score ``splitter`` (default :func:`lit.extract.segment.split_text`) on ``gold``."""
    if splitter is None:
        from lit.extract.segment import split_text as splitter
    res = Result()
    for entry in gold:
        where = f"{entry['fixture']}#{entry.get('tag', 'lines')}[{entry.get('index', entry.get('first'))}]"
        if not (fixtures / entry["fixture"]).is_file():
            res.missing.append(where)
            continue
        text = paragraph_text(fixtures, entry)
        if sha1(text) != entry["sha1"]:
            res.drifted.append(where)
            continue
        res.paragraphs += 1
        res.sentences += len(entry["ends"])
        gold_b = {e for e in entry["ends"] if e != len(text)}
        pred_b = {end for _, end in splitter(text) if end != len(text)}
        res.tp += len(gold_b & pred_b)
        for off in sorted(pred_b - gold_b):
            res.fp += 1
            res.errors.append(("FP", where, off, _context(text, off)))
        for off in sorted(gold_b - pred_b):
            res.fn += 1
            res.errors.append(("FN", where, off, _context(text, off)))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    ap.add_argument("--quiet", action="store_true", help="print the scores only, not the errors")
    args = ap.parse_args(argv)
    if not args.fixtures.is_dir():
        print(f"fixtures not found at {args.fixtures} (set LIT_FIXTURES)", file=sys.stderr)
        return 2
    gold = load_gold(args.gold)
    for split in sorted({e.get("split", "dev") for e in gold}):
        part = evaluate([e for e in gold if e.get("split", "dev") == split], args.fixtures)
        print(
            f"[{split}] paragraphs {part.paragraphs}  sentences {part.sentences}  "
            f"P {part.precision:.4f}  R {part.recall:.4f}  F1 {part.f1:.4f}  "
            f"(TP {part.tp}, FP {part.fp}, FN {part.fn})"
        )
    res = evaluate(gold, args.fixtures)
    if not args.quiet:
        for kind, where, off, ctx in res.errors:
            print(f"{kind} {where} @{off}: {ctx}")
    for where in res.drifted:
        print(f"DRIFT {where}: sha1 differs from the gold set; skipped", file=sys.stderr)
    for where in res.missing:
        print(f"MISSING {where}: fixture not found; skipped", file=sys.stderr)
    print(
        f"[all] paragraphs {res.paragraphs}  sentences {res.sentences}  boundaries {res.tp + res.fn}\n"
        f"precision {res.precision:.4f}  recall {res.recall:.4f}  F1 {res.f1:.4f}  "
        f"(TP {res.tp}, FP {res.fp}, FN {res.fn})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
