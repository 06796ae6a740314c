"""What extraction produces: Mentions (NER), Relations (RE) and Facts (what the graph stores).

All three point into ``Document.text`` with character offsets. A Fact is deliberately flat
and JSON-friendly: it is one line of ``lit extract --out facts.jsonl`` and one Measurement
node in the graph, with everything needed to find its evidence again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable, Iterable, Literal

#: The unified entity schema every corpus is mapped onto (see models/README.md).
EntityLabel = Literal["COMPOUND", "PROPERTY", "VALUE", "CONDITION"]
ENTITY_LABELS: tuple[str, ...] = ("COMPOUND", "PROPERTY", "VALUE", "CONDITION")


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity found in a document: ``document.text[start:end]`` with a label and a score."""

    start: int
    end: int
    label: str
    text: str
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Relation:
    """A compound-property-value link (with optional conditions) proposed by the RE stage."""

    compound: Mention
    value: Mention
    property: Mention | None = None
    conditions: tuple[Mention, ...] = ()
    score: float = 1.0
    #: When ``value`` lists several numbers ("1.48 and 1.73 eV"), which one this relation takes.
    value_index: int | None = None


@dataclass(slots=True)
class Fact:
    """One normalised compound-property-value statement with its provenance.

    ``start``/``end`` span the evidence (the sentence, or the table row) in the document
    text; ``compound_start``/``value_start`` etc. locate the exact strings, so a reviewer
    can highlight them and tests can check faithfulness.
    """

    compound: str
    property: str
    value: float
    unit: str
    raw_value: str
    doc_id: str
    source: str
    start: int
    end: int
    sentence: str
    model: str
    value_max: float | None = None
    conditions: dict[str, str] = field(default_factory=dict)
    confidence: float = 1.0
    section: str | None = None
    compound_key: str | None = None
    formula: str | None = None
    property_text: str | None = None
    compound_start: int | None = None
    compound_end: int | None = None
    value_start: int | None = None
    value_end: int | None = None
    flags: list[str] = field(default_factory=list)
    #: Where the evidence is printed (PDF): its first page and ``[page, x0, y0, x1, y1]``
    #: boxes in PDF points, origin bottom left. Not part of the identity: a fact read again
    #: with boxes is the same fact.
    page: int | None = None
    boxes: list[list[float]] = field(default_factory=list)

    @property
    def fact_id(self) -> str:
        """Deterministic identity: the same statement from the same span is the same fact."""
        # one f-string, not a join over a generator: the graph writers hash 100k facts per call
        key = (
            f"{self.doc_id}|{self.start}|{self.end}|{self.compound_key or self.compound}|"
            f"{self.property}|{self.value}|{self.value_max}|{self.unit}"
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["id"] = self.fact_id
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fact":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def place(facts: Iterable[Fact], boxes: Callable[[int, int], list[list[float]]]) -> None:
    """Give each fact the page and boxes of its evidence span (``Document.boxes``)."""
    for fact in facts:
        fact.boxes = boxes(fact.start, fact.end)
        fact.page = int(fact.boxes[0][0]) if fact.boxes else None
