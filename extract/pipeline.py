r"""Files or Documents -> Facts: lit's stages wired together.

    Read -> Segment -> Tag (NER) -> Mentions -> Materials -> RuleLinks
         -> Relate (relation model) -> Tables -> Assemble -> Calibrate

Each stage (:mod:`lit.extract.stages`) takes a batch of documents' state
(:class:`~lit.extract.state.DocState`, every span in document offsets) and returns it;
:class:`Extractor` lists them once, in :meth:`Extractor.stages`. One document is a batch of
one, so there is a single path: a group of files (the batch runner's workers,
:meth:`Extractor.extract_paths`) gets one NER call over all its sentences and one
relation-model call over all its paragraphs, and gives the facts its documents give one by
one (see :mod:`lit.extract.stages` for why).

:class:`Extractor` holds what is expensive to build (the models, the property vocabulary)
and is reused across documents; the batch runner gives one to each worker. It never prints
and never raises for a bad input file: a :class:`DocumentResult` carries either facts or
the error, and a document that fails does so alone, never its batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from lit.errors import LitError
from lit.extract.assemble import VocabularyJudge
from lit.extract.document import Document, DocumentInfo
from lit.extract.facts import Fact, Mention
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.relate import ModelLinker
from lit.extract.stages import (
    Assemble, Calibrate, Materials, Mentions, Read, Relate, RuleLinks, Segment, Step, Tables, Tag, chained, no_step,
)
from lit.extract.state import DocState
from lit.extract.tables import MODEL as TABLE_MODEL

if TYPE_CHECKING:
    from lit.models.fact_confidence import FactCalibration
    from lit.models.ner.infer import NerTagger

LINKER = "rules-link-0.4"
RULES = "rules-mentions-0.6"


@dataclass
class DocumentResult:
    """What one file gave: its metadata and facts, or the reason it failed."""

    source: str
    info: DocumentInfo | None = None
    facts: list[Fact] = field(default_factory=list)
    sentences: int = 0
    error: str | None = None
    error_code: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class Extractor:
    """The pipeline with its models loaded once."""

    def __init__(
        self,
        tagger: "NerTagger | None",
        vocab: PropertyVocabulary | None = None,
        linker: ModelLinker | None = None,
        confidence: "FactCalibration | None" = None,
    ):
        self.tagger = tagger
        self.vocab = vocab or PropertyVocabulary.load()
        self.linker = linker
        #: maps raw sentence-fact confidence to a probability of being right; used only
        #: when fitted for exactly these models (see :mod:`lit.models.fact_confidence`)
        self.confidence = confidence

    def stages(self) -> list:
        """The stages every document goes through, in order (built for each run, so that a
        model or calibration set on the extractor since is the one used)."""
        return [
            Read(),
            Segment(),
            Tag(self.tagger),
            Mentions(self.vocab),
            Materials(),
            RuleLinks(self.vocab),
            Relate(self.linker),
            Tables(self.vocab),
            Assemble(self.vocab, self.sentence_model),
            Calibrate(self.confidence, self.sentence_model),
        ]

    @classmethod
    def load(
        cls,
        model: str | Path | None = None,
        *,
        relation_model: str | Path | None = None,
        require_model: bool = False,
    ) -> "Extractor":
        """Load the NER and relation models (given paths, else the default bundle's:
        :mod:`lit.models.bundle`; other artifacts in ``models/trained`` are never picked up).

        Without trained models the pipeline still runs on rule mentions, the rule linker and
        tables; ``model_versions`` then says so, and ``require_model=True`` turns a missing
        model into an error. The bundle's fact calibration is used when it was fitted for the
        models loaded; otherwise confidences stay raw and the model string has no ``conf-`` tag.
        """
        from lit.models.ner.infer import NerTagger
        from lit.models.re.infer import RelationModel

        try:
            tagger = NerTagger.load(model)
        except LitError:
            if require_model or model is not None:
                raise
            tagger = None
        vocab = PropertyVocabulary.load()
        try:
            linker = ModelLinker(RelationModel.load(relation_model), VocabularyJudge(vocab))
        except LitError:
            if require_model or relation_model is not None:
                raise
            linker = None
        return cls(tagger, vocab, linker).calibrated()

    def calibrated(self) -> "Extractor":
        """Take the bundle's fact calibration if it was fitted for exactly these models (else none)."""
        from lit.models.fact_confidence import default_calibration

        self.confidence = None
        try:
            calibration = default_calibration()
        except LitError:
            return self
        if calibration.applies_to(self.sentence_model):
            self.confidence = calibration
        return self

    @property
    def sentence_model(self) -> str:
        """How sentence facts are made: NER model (if any) + rule mentions + relation model (if any)
        + rules, and the confidence calibration (if any)."""
        ner = f"ner-{self.tagger.version}+" if self.tagger is not None else ""
        relations = f"{self.linker.version}+" if self.linker is not None else ""
        calibration = f"+{self.confidence.tag}" if self.confidence is not None else ""
        return f"{ner}{RULES}+{relations}{LINKER}{calibration}"

    @property
    def model_versions(self) -> list[str]:
        return [self.sentence_model, TABLE_MODEL]

    def run(self, states: list[DocState], step: Step = no_step, until: type | None = None) -> list[DocState]:
        """``states`` through every stage (through stage class ``until`` only, if given)."""
        stages = self.stages()
        if until is not None:
            stages = stages[: 1 + next(i for i, stage in enumerate(stages) if isinstance(stage, until))]
        for stage in chained(stages):
            states = stage(states, step)
        if until is not None:
            return states
        for state in states:
            if state.ok:
                state.result.facts, state.result.sentences = state.facts, len(state.sentences)
        return states

    def analyse(
        self,
        docs: Sequence[Document],
        until: type | None = None,
        predicted: Sequence[list[list[Mention]] | None] | None = None,
    ) -> list[DocState]:
        """Documents built in memory through the stages (through stage class ``until``):
        each one's whole state (sentences, mentions, relations, facts), for a caller that
        shows more than the facts. ``predicted``: per document, the NER model's mentions of
        its sentences (document offsets) when the caller has them already, else None."""
        states = [_state(doc, i) for i, doc in enumerate(docs)]
        for state, found in zip(states, predicted or ()):
            state.predicted = found
        return self.run(states, until=until)

    def extract_path(self, path: str | Path) -> DocumentResult:
        """One file's facts (or the error that stopped it)."""
        return self.extract_paths([path])[0]

    def extract_paths(self, paths: Sequence[str | Path], step: Step | None = None) -> list[DocumentResult]:
        """:meth:`extract_path` for each of ``paths`` (results in the same order), as one batch:
        one NER call over the sentences of all of them and one relation-model call over their
        paragraphs. ``step``: see :mod:`lit.extract.stages`."""
        states = [DocState(DocumentResult(source=str(p)), index=i, path=str(p)) for i, p in enumerate(paths)]
        return [s.result for s in self.run(states, step or no_step)]

    def extract_documents(self, docs: Sequence[Document]) -> list[DocumentResult]:
        """:meth:`extract_paths` for documents already built in memory (evaluation sets make
        theirs from corpus text): the same batched model calls, so the same facts."""
        return [s.result for s in self.analyse(docs)]

    def extract(self, doc: Document) -> tuple[list[Fact], int]:
        """Facts of one parsed document (deduplicated by fact id) and its sentence count;
        raises what stopped it."""
        (state,) = self.analyse([doc])
        if state.exception is not None:
            raise state.exception
        return state.result.facts, state.result.sentences


def _state(doc: Document, index: int) -> DocState:
    return DocState(DocumentResult(source=doc.info.source, info=doc.info), index=index, doc=doc)
