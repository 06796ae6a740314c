"""One document's state between the pipeline's stages (:mod:`lit.extract.stages`).

Every stage takes a batch of :class:`DocState` and returns it with its own part filled in,
so the per-document path is the batch path with a batch of one, and a stage can be added or
swapped without touching the others. Every span a state holds is in document offsets
(``doc.text[start:end]``): models read sentences or paragraphs, and their stage moves what
they return into the document with :func:`in_document` before storing it, so nothing later
has to know which piece of text a mention was found in.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, Sequence

from lit.errors import LitError
from lit.extract.document import Document, Sentence
from lit.extract.facts import Fact, Mention, Relation

if TYPE_CHECKING:
    from lit.extract.assemble import Aliases
    from lit.extract.pipeline import DocumentResult
    from lit.extract.relate import Block


@dataclass
class DocState:
    """What the stages know of one document so far; ``result`` is what the caller gets back
    (metadata, facts, the error that stopped it, seconds spent on it)."""

    result: "DocumentResult"
    #: the position in its batch (what ``step`` reports to a worker's supervisor)
    index: int = 0
    #: where to read the document from, when it is not built yet
    path: str | None = None
    doc: Document | None = None
    sentences: list[Sentence] = field(default_factory=list)
    #: the NER model's mentions of each sentence (None: not run yet)
    predicted: list[list[Mention]] | None = None
    #: lit's mentions of each sentence: rules, abbreviations and the model's, materials only
    mentions: list[list[Mention]] = field(default_factory=list)
    aliases: "Aliases | None" = None
    #: the rule linker's relations of each sentence
    rules: list[list[Relation]] = field(default_factory=list)
    #: the paragraphs the relation model reads
    blocks: list["Block"] = field(default_factory=list)
    #: the relations of each sentence the facts are built from
    relations: list[list[Relation]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    #: what stopped the document (re-raised by :meth:`Extractor.extract`)
    exception: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.exception is None and self.result.ok

    @contextmanager
    def work(self, share: float = 0.0) -> Iterator[None]:
        """A stage's work on this document alone: timed into ``result.seconds`` (plus
        ``share``, its part of a call shared with the batch); an exception fails this
        document only, named with its file."""
        started = time.perf_counter()
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - recorded with the file name, never lose the batch
            self.fail(exc)
        self.result.seconds += time.perf_counter() - started + share

    def fail(self, exc: Exception) -> None:
        """Record why the document failed: a LitError says it itself (with the file name);
        anything else is a bug or an unforeseen input, named with the file."""
        self.exception = exc
        result = self.result
        if isinstance(exc, LitError):
            result.error, result.error_code = str(exc), exc.code
        else:
            result.error, result.error_code = f"{result.source}: unexpected {type(exc).__name__}: {exc}", "E999"


def in_document(mentions: Sequence[Mention], offset: int) -> list[Mention]:
    """Mentions found in a piece of text that starts at ``offset`` of the document (a
    sentence, a paragraph), in document offsets: the ``char_span`` of every stage."""
    return [_moved(m, offset) for m in mentions]


def relation_in_document(relation: Relation, offset: int) -> Relation:
    """:func:`in_document` for every mention of a relation."""
    return replace(
        relation,
        compound=_moved(relation.compound, offset),
        value=_moved(relation.value, offset),
        property=_moved(relation.property, offset) if relation.property is not None else None,
        conditions=tuple(_moved(c, offset) for c in relation.conditions),
    )


def _moved(m: Mention, offset: int) -> Mention:
    return Mention(m.start + offset, m.end + offset, m.label, m.text, m.score)
