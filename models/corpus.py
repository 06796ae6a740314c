"""The one internal format every training corpus is converted into.

An :class:`Example` is a piece of text (a sentence or a paragraph) with its tokens as
character offsets, typed entity spans and relations. Converters (one module per corpus)
produce Examples; the NER and RE trainers consume only Examples, never a corpus's own
format. Labels are the unified schema in :data:`lit.extract.facts.ENTITY_LABELS`; each
span keeps its corpus's original label too, so mappings can be audited.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """``example.text[start:end]`` is an entity of ``label`` (unified) / ``source_label`` (corpus)."""

    start: int
    end: int
    label: str
    source_label: str


@dataclass(frozen=True, slots=True)
class RelationLink:
    """A typed link between two entity spans (indices into ``Example.entities``).

    n-ary tuples (PolyIE's CN-PN-PV[-Condition]) are kept whole in ``Example.tuples`` and
    also broken into links, so pair models and tuple metrics can both be computed.
    """

    head: int
    tail: int
    type: str


@dataclass(slots=True)
class Example:
    id: str
    corpus: str
    split: str
    text: str
    tokens: list[tuple[int, int]]
    entities: list[EntitySpan] = field(default_factory=list)
    links: list[RelationLink] = field(default_factory=list)
    # Each tuple: entity indices (compound, property, value, condition or None)
    tuples: list[tuple[int | None, ...]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Example":
        return cls(
            id=d["id"],
            corpus=d["corpus"],
            split=d["split"],
            text=d["text"],
            tokens=[tuple(t) for t in d["tokens"]],
            entities=[EntitySpan(**e) for e in d.get("entities", [])],
            links=[RelationLink(**r) for r in d.get("links", [])],
            tuples=[tuple(t) for t in d.get("tuples", [])],
        )


def write_jsonl(examples: Iterable[Example], path: Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for ex in examples:
            fh.write(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_jsonl(path: Path) -> Iterator[Example]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield Example.from_dict(json.loads(line))
