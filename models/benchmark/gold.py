"""What every benchmark set is made of: gold facts, the texts that state them, the set itself.

A gold fact is stored the way the scorer compares it: the set's property label, the names a
correct system may give its compound, and the *set of numbers* in the property's canonical
unit. Converting gold values here, once, with lit's own unit code (:func:`gold_numbers`), is
what lets one strict rule serve gold written as "860 S cm-1" (SOFC-Exp), "16.8 mA cm ^ -2"
(PolyIE) or ``values: [3.4], unit: "eV"`` (lit's own annotators).
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping

from lit.extract.document import Document, DocumentBuilder, DocumentInfo, content_id
from lit.extract.normalize.compounds import normalize_compound
from lit.extract.normalize.properties import PropertyDef, PropertyVocabulary, Rejection
from lit.extract.normalize.values import Quantity, parse_quantity

#: The two splits of every set: ``dev`` for tuning and error analysis, ``test`` for
#: reporting once per change.
SPLITS: tuple[str, ...] = ("dev", "test")

_DASHES = str.maketrans({c: "-" for c in "\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d"})


def name_form(name: str) -> str:
    """A compound string as the scorer compares it: no whitespace at all, and every unicode
    minus, hyphen or dash written "-" (PDF text and annotators disagree on those, never on
    which material is meant). Case is kept: "Co" and "CO" are different compounds."""
    return "".join(name.translate(_DASHES).split())


@lru_cache(maxsize=65536)
def compound_key(name: str) -> str | None:
    """lit's key of a compound name (:func:`normalize_compound`), or None if it has none."""
    info = normalize_compound(name)
    return info.key if info is not None else None


@dataclass(frozen=True, slots=True)
class GoldFact:
    """One fact a text states: compound (as written, plus accepted aliases), the set's
    property label, and its numbers in the property's canonical unit (sorted, distinct).

    ``evidence`` is the sentence (or the value as written) shown when the fact is missed.
    """

    compound: str
    property: str
    numbers: tuple[float, ...]
    aliases: tuple[str, ...] = ()
    evidence: str = ""

    @property
    def names(self) -> frozenset[str]:
        return frozenset(name_form(n) for n in (self.compound, *self.aliases) if n.strip())

    @property
    def keys(self) -> frozenset[str]:
        """lit's compound keys of every accepted name: a prediction whose own ``compound_key``
        is one of these names the same material under lit's normalisation (a formula for a
        name, an abbreviation resolved through its definition in the text)."""
        return frozenset(k for n in (self.compound, *self.aliases) if n.strip() and (k := compound_key(n)))

    def to_dict(self) -> dict:
        return {"compound": self.compound, "aliases": list(self.aliases), "property": self.property,
                "numbers": list(self.numbers), "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class BenchText:
    """One document of a set: the Document lit reads and the gold facts it states."""

    id: str
    split: str
    doc: Document
    facts: tuple[GoldFact, ...]


@dataclass
class BenchSet:
    """A benchmark set's split: texts, the property labels its gold covers (``properties``),
    how lit's canonical properties map onto those labels (``groups``; identity where absent),
    whether precision means anything (``recall_only`` for incomplete, silver gold), and the
    loader's own counts (gold it could not use and why, texts skipped)."""

    name: str
    split: str
    texts: list[BenchText]
    properties: frozenset[str]
    groups: Mapping[str, str] = field(default_factory=dict)
    recall_only: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""

    def label(self, prop: str) -> str:
        return self.groups.get(prop, prop)


def paragraphs_document(paragraphs: list[str], source: str) -> Document:
    """A Document of several paragraphs, as the text reader builds one from blank-line
    separated blocks (:func:`~lit.extract.document.paragraph_document` makes one paragraph)."""
    doc_id, sha = content_id("\n\n".join(paragraphs).encode("utf-8"))
    builder = DocumentBuilder(DocumentInfo(doc_id=doc_id, source=source, format="text", sha256=sha))
    for paragraph in paragraphs:
        builder.add_paragraph(paragraph)
    return builder.build()


def distinct(facts: list[GoldFact], counts: dict[str, int]) -> tuple[GoldFact, ...]:
    """``facts`` without repeats (same label, names and numbers): a text's facts are a set, so a
    fact stated twice is one gold fact (repeats are counted as ``gold_repeated``)."""
    seen: set[tuple] = set()
    out: list[GoldFact] = []
    for fact in facts:
        ident = (fact.property, fact.names, fact.numbers)
        if ident in seen:
            counts["gold_repeated"] = counts.get("gold_repeated", 0) + 1
        else:
            seen.add(ident)
            out.append(fact)
    return tuple(out)


def _unbounded(prop: PropertyDef) -> PropertyDef:
    """``prop`` without its plausible range: gold is converted, never judged implausible."""
    return dataclasses.replace(prop, range=(-math.inf, math.inf))


def _numbers(vocab: PropertyVocabulary, prop: str, quantity: Quantity) -> tuple[float, ...] | str:
    """A bare number keeps the unit lit's vocabulary assumes for it (a band gap in eV), as lit
    does; where lit refuses bare numbers, so does the gold (``no unit``)."""
    result = vocab.canonicalize(_unbounded(vocab.get(prop)), quantity)
    if isinstance(result, Rejection):
        return "unit does not fit the property" if quantity.unit_text.strip() else "no unit"
    found = {result.value, *result.values}
    if result.value_max is not None:
        found.add(result.value_max)
    return tuple(sorted(found))


def gold_numbers(vocab: PropertyVocabulary, prop: str, value_text: str) -> tuple[float, ...] | str:
    """The numbers of a value as a corpus writes it ("0.2-0.3 S cm-1"), in ``prop``'s canonical
    unit, or the reason it cannot be gold: no number, a bound ("above 1 V", which lit's
    annotation guideline does not count as a value), no unit, or a unit of another dimension."""
    quantity = parse_quantity(value_text)
    if quantity is None:
        return "no number"
    if quantity.comparison is not None or _BOUND_WORDS.search(value_text[: quantity.value_span[0]]):
        return "bound"
    return _numbers(vocab, prop, quantity)


def listed_numbers(vocab: PropertyVocabulary, prop: str, values: list[float], unit: str) -> tuple[float, ...] | str:
    """``values`` written in ``unit`` (lit's annotation format), converted like :func:`gold_numbers`."""
    quantity = Quantity(value=values[0], value_max=None, unit_text=unit, uncertainty=None, approx=False,
                        values=tuple(values), raw=f"{values} {unit}", value_span=(0, 0))
    return _numbers(vocab, prop, quantity)


#: Words before a number that make it a bound; parse_quantity knows the symbols and most
#: words, these are the ones SOFC-Exp values start with that it does not read as bounds.
_BOUND_WORDS = re.compile(r"\b(higher|lower|more|less|greater|above|below|over|under|exceed\w*|up to|at least|at most)\b",
                          re.IGNORECASE)
