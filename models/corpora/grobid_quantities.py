"""grobid-quantities TEI (inline ``<measure>``/``<num>`` markup) -> Examples, one per block.

The corpus marks quantities inline: ``<measure type="value"><num>3.0</num> <measure
type="PRESSURE" unit="GPa">GPa</measure></measure>``. The outer measure (a value, an
interval, a list...) is the VALUE entity, spanning number(s) and unit; the inner unit
measure is part of it. A quantity is a ``measure`` that has a ``num`` child or a type among
value/interval/list; only the outermost quantity is kept when one nests in another (its
span already covers the inner one). Measures holding no number (a ``date``) are dropped.

Text is rebuilt from the text nodes of each ``<p>`` and table ``<cell>`` (a cell inside a
paragraph is cut out into its own Example; comments such as
reference markers ``<!--1-->`` are skipped), with whitespace runs collapsed to one space
and the ends trimmed; entity offsets are mapped through that normalisation.

Split: the 30 ``corpus/`` files go to validation when the SHA-256 bucket of their file name
(without ``.xml``) is below 20 of 100, else train; the 9 ``evaluation/`` files are test.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lit.models.corpus import EntitySpan, Example

from .spec import CorpusSpec, check_split, require_file
from .splits import hash_split
from .tokens import tokenize_with_spans

FOLDER = "grobid_quantities"
DATA = "resources/dataset/quantities"
VALIDATION_PERCENT = 20
QUANTITY_TYPES = frozenset({"value", "interval", "list"})
BLOCKS = frozenset({"p", "cell"})

SPEC = CorpusSpec(
    name="grobid_quantities",
    folder=FOLDER,
    source_repo="https://github.com/lfoppiano/grobid-quantities",
    commit="7281ac5eb550e662c1df27861ff1fbcecd06f7c5",
    licence="Apache-2.0",
    label_map={
        "measure:value": "VALUE",
        "measure:interval": "VALUE",
        "measure:list": "VALUE",
        "measure:values": "VALUE",
        "measure:range": "VALUE",
        "measure": "VALUE",
    },
    dropped={
        "unit measures (TEMPERATURE, PRESSURE, ...)": "inside their quantity's VALUE span",
        "quantities nested in another quantity": "covered by the outer VALUE span",
        "measure:date": "holds a date, no number",
    },
    splits={
        "train": f"{DATA}/corpus/*.xml with sha256 bucket >= {VALIDATION_PERCENT}",
        "validation": f"{DATA}/corpus/*.xml with sha256 bucket < {VALIDATION_PERCENT}",
        "test": f"{DATA}/evaluation/*.xml",
    },
    converter="lit.models.corpora.grobid_quantities",
    notes="quantity spans only: no compounds, properties or relations",
)


def source_files(root: Path) -> list[Path]:
    """Every quantities TEI file of ``corpus/`` and ``evaluation/``."""
    base = root / FOLDER / DATA
    return sorted(base.glob("corpus/*.xml")) + sorted(base.glob("evaluation/*.xml"))


def split_files(root: Path, split: str) -> list[Path]:
    """The TEI files of ``split`` (see the module docstring for the rule)."""
    check_split(split)
    base = root / FOLDER / DATA
    require_file(base / "corpus" / "1609.04957.quantities.training.tei.xml")
    if split == "test":
        return sorted(base.glob("evaluation/*.xml"))
    return [p for p in sorted(base.glob("corpus/*.xml"))
            if hash_split(doc_id(p), VALIDATION_PERCENT) == split]


def doc_id(path: Path) -> str:
    """The document id a file is split by: its name without ``.xml``."""
    return path.name.removesuffix(".xml")


def load(root: Path, split: str) -> list[Example]:
    """Every block with text in ``split``'s files (ids ``grobid_quantities/<split>/<doc>/<n>``)."""
    examples: list[Example] = []
    for path in split_files(root, split):
        for n, (text, spans) in enumerate(read_blocks(path, Counter())):
            entities = [EntitySpan(s, e, SPEC.label_map.get(src, "VALUE"), src) for s, e, src in spans]
            examples.append(Example(
                id=f"grobid_quantities/{split}/{doc_id(path)}/{n:04d}", corpus="grobid_quantities",
                split=split, text=text, tokens=tokenize_with_spans(text, [(s, e) for s, e, _ in spans]),
                entities=entities,
            ))
    return examples


def measure_stats(root: Path, split: str) -> Counter[str]:
    """Counts of kept, nested and number-less measures of ``split``."""
    stats: Counter[str] = Counter()
    for path in split_files(root, split):
        for _ in read_blocks(path, stats):
            pass
    return stats


def read_blocks(path: Path, stats: Counter[str]) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(normalised text, [(start, end, source label)]) per block with text.

    A block nested in another (a table ``cell`` inside a ``p``) is cut out of the outer
    block's text and becomes a block of its own, so no text or quantity is seen twice.
    """
    from lxml import etree  # lazy: only this converter needs lxml

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)
    tree = etree.parse(str(require_file(path)), parser)
    out = []
    for el in tree.iter():
        if _name(el) in BLOCKS:
            pieces: list[str] = []
            spans: list[tuple[int, int, str]] = []
            _walk(el, pieces, spans, stats, inside=False)
            text, spans = _normalise("".join(pieces), spans)
            if text:
                out.append((text, spans))
    return out


def _name(el: object) -> str:
    tag = getattr(el, "tag", None)
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def _is_quantity(el: object) -> bool:
    if _name(el) != "measure":
        return False
    return el.get("type") in QUANTITY_TYPES or any(_name(c) == "num" for c in el)  # type: ignore[attr-defined]


def _walk(el, pieces: list[str], spans: list[tuple[int, int, str]], stats: Counter[str], inside: bool) -> None:
    """Append ``el``'s text (not its tail) to ``pieces``, recording outermost quantity spans."""
    start = sum(len(p) for p in pieces)
    quantity = _is_quantity(el)
    if _name(el) == "measure" and not quantity and not inside:
        stats[f"dropped_outside_quantity:{el.get('type')}"] += 1
    if quantity and inside:
        stats["nested_quantity"] += 1
    if el.text and _name(el):
        pieces.append(el.text)
    for child in el:
        if _name(child) in BLOCKS:
            pass  # a nested block (a table cell inside a paragraph) is its own Example
        elif _name(child):
            _walk(child, pieces, spans, stats, inside or quantity)
        if child.tail:
            pieces.append(child.tail)
    if quantity and not inside:
        kind = el.get("type")
        spans.append((start, sum(len(p) for p in pieces), f"measure:{kind}" if kind else "measure"))
        stats["quantity"] += 1


def _normalise(raw: str, spans: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Collapse whitespace runs to one space and trim; map spans onto the new text."""
    chars: list[str] = []
    new_at: list[int] = []  # new offset of each raw offset (len(raw)+1 entries)
    pending_space = False
    for ch in raw:
        if ch.isspace():
            pending_space = bool(chars)
            new_at.append(len(chars) + (1 if pending_space else 0))
            continue
        if pending_space:
            chars.append(" ")
            pending_space = False
        new_at.append(len(chars))
        chars.append(ch)
    new_at.append(len(chars))
    text = "".join(chars)
    mapped = []
    for start, end, label in spans:
        s, e = new_at[start], new_at[end]
        s, e = min(s, len(text)), min(e, len(text))
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        if e > s:
            mapped.append((s, e, label))
    return text, mapped
