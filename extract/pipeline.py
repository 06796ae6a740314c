r"""One file -> Facts: the stages of lit wired together for a single document.

    read_document -> split_sentences -> NER + rule mentions (Mentions)
                                     |     -> rule linker + relation model (Relations)
                                     |     -> assemble (Facts)
                                     \-> tables (Facts)

:class:`Extractor` holds what is expensive to build (the NER model, the property
vocabulary) and is reused across documents; the batch runner gives one to each worker.
It never prints and never raises for a bad input file: :meth:`Extractor.extract_path`
returns a :class:`DocumentResult` carrying either facts or the error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from lit.errors import LitError
from lit.extract.assemble import Aliases, VocabularyJudge, build_facts
from lit.extract.document import Document, DocumentInfo, Sentence
from lit.extract.facts import Fact, Mention, Relation
from lit.extract.link import link_sentence
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.readers import read_document
from lit.extract.relate import ModelLinker
from lit.extract.segment import split_sentences
from lit.extract.rule_mentions import merge_mentions, rule_mentions
from lit.extract.tables import MODEL as TABLE_MODEL
from lit.extract.tables import table_facts

if TYPE_CHECKING:
    from lit.models.ner.infer import NerTagger

LINKER = "rules-link-0.1"
RULES = "rules-mentions-0.1"


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
    ):
        self.tagger = tagger
        self.vocab = vocab or PropertyVocabulary.load()
        self.linker = linker

    @classmethod
    def load(
        cls,
        model: str | Path | None = None,
        *,
        relation_model: str | Path | None = None,
        require_model: bool = False,
    ) -> "Extractor":
        """Load the NER and relation models (given paths, else the newest in ``models/trained``).

        Without trained models the pipeline still runs on rule mentions, the rule linker and
        tables; ``model_versions`` then says so, and ``require_model=True`` turns a missing
        model into an error.
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
        return cls(tagger, vocab, linker)

    @property
    def sentence_model(self) -> str:
        """How sentence facts are made: NER model (if any) + rule mentions + relation model (if any) + rules."""
        ner = f"ner-{self.tagger.version}+" if self.tagger is not None else ""
        relations = f"{self.linker.version}+" if self.linker is not None else ""
        return f"{ner}{RULES}+{relations}{LINKER}"

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
        except LitError as exc:
            result.error, result.error_code = str(exc), exc.code
        except Exception as exc:  # a bug or an unforeseen input: record it, never lose the batch
            result.error, result.error_code = f"{path}: unexpected {type(exc).__name__}: {exc}", "E999"
        result.seconds = time.perf_counter() - started
        return result

    def extract(self, doc: Document) -> tuple[list[Fact], int]:
        """Facts of one parsed document (deduplicated by fact id) and its sentence count."""
        sentences = split_sentences(doc)
        facts = table_facts(doc, self.vocab)
        if sentences:
            facts.extend(self._sentence_facts(doc, sentences))
        unique = {f.fact_id: f for f in facts}
        return list(unique.values()), len(sentences)

    def mentions(self, doc: Document, sentences: Sequence[Sentence]) -> tuple[list[list[Mention]], Aliases]:
        """Mentions of each sentence in document offsets, and the document's abbreviations.

        Rule mentions and the abbreviations the paper defines ("CH3NH3PbI3 (MAPI)", then
        "MAPI") come first; the model's mentions are added where none of those fired.
        """
        texts = [s.text for s in sentences]
        predicted = self.tagger.predict(texts) if self.tagger is not None else [[] for _ in texts]
        rules = [_shift(rule_mentions(s.text, self.vocab), s.start) for s in sentences]
        model = [_shift(ms, s.start) for s, ms in zip(sentences, predicted)]
        aliases = Aliases.from_mentions(doc, (m for ms in rules + model for m in ms if m.label == "COMPOUND"))
        merged = [
            merge_mentions(found, ruled + aliases.mentions_in(sentence, ruled), self.vocab)
            for sentence, ruled, found in zip(sentences, rules, model)
        ]
        return merged, aliases

    def relations(self, doc: Document, sentences: Sequence[Sentence]) -> tuple[list[list[Relation]], Aliases]:
        """Relations of each sentence (document offsets) and the document's abbreviations.

        The rule linker runs per sentence, carrying a compound over within a paragraph; the
        relation model, when loaded, reads whole paragraphs and overrides it (see relate.py).
        """
        per_sentence, aliases = self.mentions(doc, sentences)
        judge = VocabularyJudge(self.vocab)
        rules: list[list[Relation]] = []
        carried: Mention | None = None
        previous: Sentence | None = None
        for sentence, mentions in zip(sentences, per_sentence):
            if previous is None or "\n" in doc.text[previous.end : sentence.start]:
                carried = None  # a new block: nothing to carry over
            rules.append(link_sentence(sentence, mentions, carried, judge))
            compounds = [m for m in mentions if m.label == "COMPOUND"]
            if compounds:
                carried = compounds[0]
            previous = sentence
        if self.linker is None:
            return rules, aliases
        return self.linker.link(doc, sentences, per_sentence, rules), aliases

    def _sentence_facts(self, doc: Document, sentences: Sequence[Sentence]) -> list[Fact]:
        relations, aliases = self.relations(doc, sentences)
        model = self.sentence_model
        facts: list[Fact] = []
        for sentence, found in zip(sentences, relations):
            facts.extend(build_facts(doc, sentence, found, aliases, self.vocab, model))
        return facts


def _shift(mentions: Sequence[Mention], offset: int) -> list[Mention]:
    """Sentence offsets -> document offsets."""
    return [Mention(m.start + offset, m.end + offset, m.label, m.text, m.score) for m in mentions]
