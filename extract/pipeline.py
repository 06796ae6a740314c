r"""One file -> Facts: the stages of lit wired together for a single document.

    read_document -> split_sentences -> NER + rule mentions (Mentions)
                                     |     -> rule linker + relation model (Relations)
                                     |     -> assemble (Facts)
                                     \-> tables (Facts)

:class:`Extractor` holds what is expensive to build (the NER model, the property
vocabulary) and is reused across documents; the batch runner gives one to each worker.
It never prints and never raises for a bad input file: :meth:`Extractor.extract_path`
returns a :class:`DocumentResult` carrying either facts or the error.

:meth:`Extractor.extract_paths` does the same for a group of files with one NER call over
all their sentences and one relation-model call over all their paragraphs: a document's
few sentences (or its one or two paragraphs) alone make small, padded batches, which cost
a model about twice its batched time. Neither model's decided output for a text depends
on what shares its batch: probabilities differ at most in the last float32 bits, on some
CPUs, and are rounded before any decision (:mod:`lit.models.ner.infer`,
:mod:`lit.models.re.infer`), so a group gives the facts its documents give one by one. A document is therefore extracted
in stages (:meth:`Extractor._stage`: mentions, rule links and the paragraphs the relation
model reads; then :meth:`Extractor._facts`) so that the model calls can sit between them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from lit.errors import LitError
from lit.extract.assemble import Aliases, VocabularyJudge, build_facts
from lit.extract.document import Document, DocumentInfo, Sentence
from lit.extract.facts import Fact, Mention, Relation, place
from lit.extract.link import link_sentence
from lit.extract.materials import Topic, material_mentions
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.readers import read_document
from lit.extract.relate import Block, ModelLinker, paragraphs
from lit.extract.segment import split_sentences
from lit.extract.rule_mentions import merge_mentions, rule_mentions
from lit.extract.tables import MODEL as TABLE_MODEL
from lit.extract.tables import table_facts

if TYPE_CHECKING:
    from lit.models.fact_confidence import FactCalibration
    from lit.models.ner.infer import NerTagger

LINKER = "rules-link-0.3"
RULES = "rules-mentions-0.3"


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
    """The per-document pipeline with its models loaded once."""

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

    def extract_path(self, path: str | Path) -> DocumentResult:
        started = time.perf_counter()
        result = DocumentResult(source=str(path))
        try:
            doc = read_document(path)
            result.info = doc.info
            result.facts, result.sentences = self.extract(doc)
        except Exception as exc:  # noqa: BLE001 - recorded with the file name, never lose the batch
            _failed(result, exc)
        result.seconds = time.perf_counter() - started
        return result

    def extract_paths(
        self, paths: Sequence[str | Path], step: Callable[[int | None], None] | None = None,
    ) -> list[DocumentResult]:
        """:meth:`extract_path` for each of ``paths`` (results in the same order), with the NER
        model run once over the sentences of all of them and the relation model once over
        their paragraphs (both batched across documents).

        A file that cannot be read, segmented or assembled fails alone, as it would by itself.
        Should a shared model call itself fail, every document is extracted alone instead, so
        that only the one that causes it is reported.

        ``step(i)`` is called before work on ``paths[i]`` alone, ``step(None)`` before a call
        shared by the group: the supervisor of a worker process (:mod:`lit.extract.workers`)
        learns from it which file to blame when a time or memory limit is hit.
        """
        step = step or _no_step
        results: list[DocumentResult] = []
        ready: list[tuple[DocumentResult, Document, list[Sentence]]] = []
        for i, path in enumerate(paths):
            step(i)
            started = time.perf_counter()
            result = DocumentResult(source=str(path))
            try:
                doc = read_document(path)
                result.info = doc.info
                ready.append((result, doc, split_sentences(doc)))
            except Exception as exc:  # noqa: BLE001 - as in extract_path
                _failed(result, exc)
            result.seconds = time.perf_counter() - started
            results.append(result)

        def alone() -> list[DocumentResult]:
            out = []
            for i, path in enumerate(paths):
                step(i)
                out.append(self.extract_path(path))
            return out

        return self._extract_group(results, ready, alone, step)

    def extract_documents(self, docs: Sequence[Document]) -> list[DocumentResult]:
        """:meth:`extract_paths` for documents already built in memory (evaluation sets make
        theirs from corpus text): the same grouped model calls, so the same facts."""
        results: list[DocumentResult] = []
        ready: list[tuple[DocumentResult, Document, list[Sentence]]] = []
        for doc in docs:
            started = time.perf_counter()
            result = DocumentResult(source=doc.info.source, info=doc.info)
            try:
                ready.append((result, doc, split_sentences(doc)))
            except Exception as exc:  # noqa: BLE001 - as in extract_path
                _failed(result, exc)
            result.seconds = time.perf_counter() - started
            results.append(result)
        return self._extract_group(results, ready, lambda: [self._extract_alone(doc) for doc in docs], _no_step)

    def _extract_alone(self, doc: Document) -> DocumentResult:
        """One in-memory document by itself: the fallback of :meth:`extract_documents`."""
        started = time.perf_counter()
        result = DocumentResult(source=doc.info.source, info=doc.info)
        try:
            result.facts, result.sentences = self.extract(doc)
        except Exception as exc:  # noqa: BLE001 - as in extract_path
            _failed(result, exc)
        result.seconds = time.perf_counter() - started
        return result

    def _extract_group(
        self,
        results: list[DocumentResult],
        ready: list[tuple[DocumentResult, Document, list[Sentence]]],
        alone: Callable[[], list[DocumentResult]],
        step: Callable[[int | None], None],
    ) -> list[DocumentResult]:
        """The grouped model calls over documents read and segmented (``ready``, whose results
        are among ``results``); ``alone`` redoes the group one document at a time."""
        texts = [s.text for _, _, sentences in ready for s in sentences]
        step(None)
        started = time.perf_counter()
        try:
            predicted = self.tagger.predict(texts) if self.tagger is not None and texts else [[] for _ in texts]
        except Exception:  # noqa: BLE001 - isolate the document that breaks the model call
            return alone()
        model_share = (time.perf_counter() - started) / max(1, len(texts))
        staged: list[tuple[DocumentResult, _Linking]] = []
        at = 0
        index = {id(result): i for i, result in enumerate(results)}
        for result, doc, sentences in ready:
            step(index[id(result)])
            started = time.perf_counter()
            own = predicted[at : at + len(sentences)]
            at += len(sentences)
            try:
                staged.append((result, self._stage(doc, sentences, own)))
            except Exception as exc:  # noqa: BLE001 - as in extract_path
                _failed(result, exc)
            result.seconds += time.perf_counter() - started + model_share * len(sentences)
        blocks = [b for _, linking in staged for b in linking.blocks]
        step(None)
        started = time.perf_counter()
        try:
            linked = self.linker.predict(blocks) if self.linker is not None and blocks else [[] for _ in blocks]
        except Exception:  # noqa: BLE001 - as for the NER call
            return alone()
        model_share = (time.perf_counter() - started) / max(1, len(blocks))
        at = 0
        for result, linking in staged:
            step(index[id(result)])
            started = time.perf_counter()
            own = linked[at : at + len(linking.blocks)]
            at += len(linking.blocks)
            try:
                result.facts, result.sentences = self._facts(linking, own), len(linking.sentences)
            except Exception as exc:  # noqa: BLE001 - as in extract_path
                _failed(result, exc)
            result.seconds += time.perf_counter() - started + model_share * len(linking.blocks)
        return results

    def extract(self, doc: Document, sentences: Sequence[Sentence] | None = None) -> tuple[list[Fact], int]:
        """Facts of one parsed document (deduplicated by fact id) and its sentence count.

        ``sentences``: the document's :func:`split_sentences`, when the caller has them already.
        """
        sentences = split_sentences(doc) if sentences is None else sentences
        linking = self._stage(doc, sentences)
        linked = self.linker.predict(linking.blocks) if self.linker is not None else None
        return self._facts(linking, linked), len(sentences)

    def mentions(
        self, doc: Document, sentences: Sequence[Sentence], predicted: Sequence[Sequence[Mention]] | None = None
    ) -> tuple[list[list[Mention]], Aliases]:
        """Mentions of each sentence in document offsets, and the document's abbreviations.

        Rule mentions and the abbreviations the paper defines ("CH3NH3PbI3 (MAPI)", then
        "MAPI") come first; the model's mentions are added where none of those fired. Then
        formulae written apart are joined and compounds that are not materials, or are only
        a substrate or a dopant, are left out (:func:`material_mentions`).
        ``predicted``: the NER model's mentions of each sentence (sentence offsets) when the
        caller has them already (:meth:`extract_paths` predicts a group's at once).
        """
        if predicted is None:
            texts = [s.text for s in sentences]
            predicted = self.tagger.predict(texts) if self.tagger is not None and texts else [[] for _ in texts]
        rules = [_shift(rule_mentions(s.text, self.vocab), s.start) for s in sentences]
        model = [_shift(ms, s.start) for s, ms in zip(sentences, predicted)]
        aliases = Aliases.from_mentions(doc, (m for ms in rules + model for m in ms if m.label == "COMPOUND"))
        merged = [
            material_mentions(
                sentence.text,
                merge_mentions(found, ruled + aliases.mentions_in(sentence, ruled), self.vocab),
                aliases.full,
                sentence.start,
            )
            for sentence, ruled, found in zip(sentences, rules, model)
        ]
        return merged, aliases

    def relations(self, doc: Document, sentences: Sequence[Sentence]) -> tuple[list[list[Relation]], Aliases]:
        """Relations of each sentence (document offsets) and the document's abbreviations.

        The rule linker runs per sentence, carrying a compound over within a paragraph; the
        relation model, when loaded, reads whole paragraphs and overrides it (see relate.py).
        """
        linking = self._stage(doc, sentences)
        if self.linker is None:
            return linking.rules, linking.aliases
        return linking.relations(self.linker, self.linker.predict(linking.blocks)), linking.aliases

    def _stage(
        self, doc: Document, sentences: Sequence[Sentence], predicted: Sequence[Sequence[Mention]] | None = None
    ) -> "_Linking":
        """Everything before the relation model: mentions, rule relations, the model's blocks."""
        per_sentence, aliases = self.mentions(doc, sentences, predicted)
        judge = VocabularyJudge(self.vocab)
        rules: list[list[Relation]] = []
        for paragraph in paragraphs(doc, sentences):
            topic = Topic()  # a compound carries over within a paragraph only
            for i in paragraph:
                rules.append(link_sentence(sentences[i], per_sentence[i], topic.compound, judge))
                topic.add((m for m in per_sentence[i] if m.label == "COMPOUND"),
                          (r.compound for r in rules[-1] if r.compound is not None and r.property is not None))
        blocks = self.linker.blocks(doc, sentences, per_sentence) if self.linker is not None and sentences else []
        return _Linking(doc, list(sentences), per_sentence, aliases, rules, blocks)

    def _facts(self, linking: "_Linking", linked: Sequence[Sequence[Relation]] | None) -> list[Fact]:
        """Table facts and sentence facts of a staged document (deduplicated by fact id);
        ``linked``: the relation model's relations of its blocks (None without a model)."""
        doc = linking.doc
        facts = table_facts(doc, self.vocab)
        if linking.sentences:
            relations = linking.rules if self.linker is None or linked is None else linking.relations(
                self.linker, linked)
            model = self.sentence_model
            sentence_facts: list[Fact] = []
            for sentence, found in zip(linking.sentences, relations):
                sentence_facts.extend(build_facts(doc, sentence, found, linking.aliases, self.vocab, model))
            if self.confidence is not None:
                for fact in sentence_facts:
                    fact.confidence = self.confidence(fact.confidence, fact)
            facts.extend(sentence_facts)
        unique = {f.fact_id: f for f in facts}
        place(unique.values(), doc.boxes)
        return list(unique.values())


@dataclass
class _Linking:
    """A document between its mentions and its facts: what the relation model still has to
    read (``blocks``), with what the merge and the fact assembly need afterwards."""

    doc: Document
    sentences: list[Sentence]
    mentions: list[list[Mention]]
    aliases: Aliases
    rules: list[list[Relation]]
    blocks: list[Block]

    def relations(self, linker: ModelLinker, linked: Sequence[Sequence[Relation]]) -> list[list[Relation]]:
        return linker.merge(self.sentences, self.mentions, self.rules, self.blocks, linked)


def _failed(result: DocumentResult, exc: Exception) -> None:
    """Record why a document failed: a LitError says it itself (with the file name); anything
    else is a bug or an unforeseen input, named with the file."""
    if isinstance(exc, LitError):
        result.error, result.error_code = str(exc), exc.code
    else:
        result.error, result.error_code = f"{result.source}: unexpected {type(exc).__name__}: {exc}", "E999"


def _no_step(index: int | None) -> None:
    """The default ``step`` of :meth:`Extractor.extract_paths`: nobody is watching."""


def _shift(mentions: Sequence[Mention], offset: int) -> list[Mention]:
    """Sentence offsets -> document offsets."""
    return [Mention(m.start + offset, m.end + offset, m.label, m.text, m.score) for m in mentions]
