r"""The pipeline's stages, each a component with one contract: it takes a batch of
:class:`~lit.extract.state.DocState` and returns it with its own part filled in.

    Read -> Segment -> Tag (NER model) -> Mentions -> Materials -> RuleLinks
         -> Relate (relation model) -> Tables -> Assemble -> Calibrate

:class:`~lit.extract.pipeline.Extractor` lists them once; adding or swapping a stage is one
class here and one line there. A stage that works on each document by itself
(:class:`PerDocument`) fails only the document it breaks on; consecutive ones run a document
at a time through all of them (:class:`Chain`). A model stage
(:class:`Shared`) makes one call over the pieces of every document in the batch, because a
document's few sentences (or its one or two paragraphs) alone make small, padded batches
that cost a model about twice its batched time; should that call fail, it is made again for
each document alone, so only the one that causes it fails. Neither model's decided output
for a text depends on what shares its call (probabilities are rounded before any decision:
:mod:`lit.models.ner.infer`, :mod:`lit.models.re.infer`), so a batch gives the facts its
documents give one by one.

``step(i)`` is called before work on the batch's document ``i`` alone, ``step(None)``
before a call shared by the batch: the supervisor of a worker process
(:mod:`lit.extract.workers`) learns from it which file to blame when a limit is hit.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Sequence

from lit.extract.assemble import Aliases, VocabularyJudge, build_facts
from lit.extract.facts import Mention, place
from lit.extract.link import link_sentence
from lit.extract.materials import Topic, material_mentions, recurring
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.readers import read_document
from lit.extract.relate import ModelLinker, paragraphs
from lit.extract.rule_mentions import merge_mentions, rule_mentions
from lit.extract.segment import split_sentences
from lit.extract.state import DocState, in_document
from lit.extract.tables import table_facts
from lit.models.fact_confidence import rival_counts

if TYPE_CHECKING:
    from lit.models.fact_confidence import FactCalibration
    from lit.models.ner.infer import NerTagger

Step = Callable[[int | None], None]


def no_step(index: int | None) -> None:
    """The default ``step``: nobody is watching."""


class PerDocument:
    """A stage that works on each document by itself (:meth:`one`)."""

    def __call__(self, states: list[DocState], step: Step = no_step) -> list[DocState]:
        for state in states:
            if state.ok:
                step(state.index)
                with state.work():
                    self.one(state)
        return states

    def one(self, state: DocState) -> None:
        raise NotImplementedError


class Chain(PerDocument):
    """Consecutive per-document stages run one document at a time, through all of them: a
    worker's supervisor then times a file once through the lot (one ``step``, one per-file
    limit), as it did before the stages were apart."""

    def __init__(self, stages: Sequence[PerDocument]):
        self.stages = list(stages)

    def one(self, state: DocState) -> None:
        for stage in self.stages:
            stage.one(state)


def chained(stages: Sequence[Any]) -> list[Any]:
    """``stages`` with each run of consecutive :class:`PerDocument` stages as one :class:`Chain`."""
    out: list[Any] = []
    for stage in stages:
        if isinstance(stage, PerDocument) and out and isinstance(out[-1], Chain):
            out[-1].stages.append(stage)
        else:
            out.append(Chain([stage]) if isinstance(stage, PerDocument) else stage)
    return out


class Shared:
    """A stage with one model call over the batch: :meth:`pieces` of each document go into
    :meth:`predict` together, and :meth:`take` hands each document its own outputs."""

    def __call__(self, states: list[DocState], step: Step = no_step) -> list[DocState]:
        live: list[tuple[DocState, list[Any]]] = []
        for state in states:
            if state.ok:
                step(state.index)
                with state.work():
                    live.append((state, self.pieces(state)))
        flat = [p for _, pieces in live for p in pieces]
        step(None)
        started = time.perf_counter()
        try:
            outputs = self.predict(flat) if flat else []
        except Exception as exc:  # noqa: BLE001 - isolate the document that breaks the call
            if len(live) == 1:
                live[0][0].fail(exc)
                return states
            for state, pieces in live:
                step(state.index)
                with state.work():
                    self.take(state, self.predict(pieces) if pieces else [])
            return states
        share = (time.perf_counter() - started) / max(1, len(flat))
        at = 0
        for state, pieces in live:
            step(state.index)
            with state.work(share * len(pieces)):
                self.take(state, outputs[at : at + len(pieces)])
            at += len(pieces)
        return states

    def pieces(self, state: DocState) -> list[Any]:
        raise NotImplementedError

    def predict(self, pieces: Sequence[Any]) -> list[Any]:
        raise NotImplementedError

    def take(self, state: DocState, outputs: list[Any]) -> None:
        raise NotImplementedError


class Read(PerDocument):
    """File -> Document, for states that name a file (in-memory documents come built)."""

    def one(self, state: DocState) -> None:
        if state.doc is None:
            state.doc = read_document(state.path)
            state.result.info = state.doc.info


class Segment(PerDocument):
    """Document -> Sentences (:func:`split_sentences`)."""

    def one(self, state: DocState) -> None:
        state.sentences = split_sentences(state.doc)


class Tag(Shared):
    """The NER model's mentions of each sentence, one call over the batch's sentences; a
    state that has them already (``predicted``) is left as it is."""

    def __init__(self, tagger: "NerTagger | None"):
        self.tagger = tagger

    def pieces(self, state: DocState) -> list[str]:
        return [] if state.predicted is not None else [s.text for s in state.sentences]

    def predict(self, texts: Sequence[str]) -> list[list[Mention]]:
        return self.tagger.predict(list(texts)) if self.tagger is not None else [[] for _ in texts]

    def take(self, state: DocState, outputs: list[list[Mention]]) -> None:
        if state.predicted is None:
            state.predicted = [in_document(ms, s.start) for s, ms in zip(state.sentences, outputs)]


class Mentions(PerDocument):
    """Rule mentions and the abbreviations the paper defines ("CH3NH3PbI3 (MAPI)", then
    "MAPI") come first; the model's mentions are added where none of those fired."""

    def __init__(self, vocab: PropertyVocabulary):
        self.vocab = vocab

    def one(self, state: DocState) -> None:
        rules = [in_document(rule_mentions(s.text, self.vocab), s.start) for s in state.sentences]
        model = state.predicted
        state.aliases = Aliases.from_mentions(
            state.doc, (m for ms in rules + model for m in ms if m.label == "COMPOUND"))
        state.mentions = [
            merge_mentions(found, ruled + state.aliases.mentions_in(sentence, ruled), self.vocab)
            for sentence, ruled, found in zip(state.sentences, rules, model)
        ]


class Materials(PerDocument):
    """Formulae written apart are joined, and compounds that are not materials, or are only
    a substrate or a dopant, are left out (:func:`material_mentions`); a material's name is
    then found wherever it recurs (:func:`recurring`)."""

    def one(self, state: DocState) -> None:
        state.mentions = recurring(state.sentences, [
            material_mentions(sentence.text, found, state.aliases.full, sentence.start)
            for sentence, found in zip(state.sentences, state.mentions)
        ])


class RuleLinks(PerDocument):
    """The rule linker, per sentence, carrying a compound over within a paragraph only."""

    def __init__(self, vocab: PropertyVocabulary):
        self.judge = VocabularyJudge(vocab)

    def one(self, state: DocState) -> None:
        sentences, mentions = state.sentences, state.mentions
        state.rules = []
        for paragraph in paragraphs(state.doc, sentences):
            topic = Topic()
            for i in paragraph:
                state.rules.append(link_sentence(sentences[i], mentions[i], topic.compound, self.judge))
                topic.add((m for m in mentions[i] if m.label == "COMPOUND"),
                          (r.compound for r in state.rules[-1] if r.compound is not None and r.property is not None))
        state.relations = state.rules


class Relate(Shared):
    """The relation model over the batch's paragraphs, merged with the rule relations
    (:mod:`lit.extract.relate`); without a model the rule relations stand."""

    def __init__(self, linker: ModelLinker | None):
        self.linker = linker

    def pieces(self, state: DocState) -> list[Any]:
        if self.linker is None or not state.sentences:
            return []
        state.blocks = self.linker.blocks(state.doc, state.sentences, state.mentions)
        return state.blocks

    def predict(self, blocks: Sequence[Any]) -> list[Any]:
        return self.linker.predict(blocks) if self.linker is not None else []

    def take(self, state: DocState, outputs: list[Any]) -> None:
        if self.linker is not None and state.sentences:
            state.relations = self.linker.merge(state.sentences, state.mentions, state.rules, outputs)


class Tables(PerDocument):
    """Facts of the document's tables (:mod:`lit.extract.tables`)."""

    def __init__(self, vocab: PropertyVocabulary):
        self.vocab = vocab

    def one(self, state: DocState) -> None:
        state.facts = table_facts(state.doc, self.vocab)


class Assemble(PerDocument):
    """Facts of each sentence's relations (:func:`build_facts`), after the table facts,
    tagged with how sentence facts are made (``model``)."""

    def __init__(self, vocab: PropertyVocabulary, model: str):
        self.vocab = vocab
        self.model = model

    def one(self, state: DocState) -> None:
        for sentence, found in zip(state.sentences, state.relations):
            state.facts.extend(build_facts(state.doc, sentence, found, state.aliases, self.vocab, self.model))


class Calibrate(PerDocument):
    """Sentence facts' raw confidence -> a probability of being right, when a calibration
    fitted for exactly these models is given (:mod:`lit.models.fact_confidence`); then one
    fact per fact id, each placed on its page (:func:`place`)."""

    def __init__(self, calibration: "FactCalibration | None", model: str):
        self.calibration = calibration
        self.model = model

    def one(self, state: DocState) -> None:
        if self.calibration is not None:
            rivals = rival_counts(state)
            for fact in state.facts:
                if fact.model == self.model:
                    fact.confidence = self.calibration(fact.confidence, fact, rivals(fact))
        state.facts = list({f.fact_id: f for f in state.facts}.values())
        place(state.facts, state.doc.boxes)  # a PDF's page and boxes beside the offsets
