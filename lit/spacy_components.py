"""lit's models as spaCy pipeline components: ``nlp.add_pipe("lit_ner")`` and ``nlp.add_pipe("lit_facts")``.

Both are registered through the ``spacy_factories`` entry point (see pyproject.toml), so
``spacy.blank("en").add_pipe("lit_ner")`` works after ``pip install lit-chem`` with no import.

* ``lit_ner`` sets ``doc.ents`` to lit's mentions (COMPOUND, PROPERTY, VALUE, CONDITION):
  the NER model merged with the rule mentions and the materials filter, exactly what the
  pipeline links; each entity's score is in ``span._.lit_score``. Entities other components
  set are kept (``overwrite_ents=False``, as spaCy's entity ruler does) and lit's that
  overlap them are left out.
* ``lit_facts`` fills ``doc._.lit_facts`` with the :class:`~lit.extract.facts.Fact` records
  ``lit extract`` writes, their offsets into ``doc.text``.

The text is not reread by a reader: ``doc.text`` becomes the Document's text as it is
(paragraphs at blank lines), so every offset lit reports indexes ``doc.text``; for clean
text (single spaces, no TeX) the facts are those of ``lit extract`` on the same text file.
The components run lit's own sentence splitting and tokens, not spaCy's, so they behave
the same after any other component. Where a mention ends inside a spaCy token (a blank
English tokenizer keeps "eV." and "Fe2O3-based" whole), ``lit_ner`` splits that token, so
every entity covers exactly the characters lit found.

Facts are kept in ``doc.user_data`` as plain records (``Fact.to_dict``), which spaCy can
serialise: ``nlp.pipe(..., n_process=2)`` ships Docs between processes as bytes. Reading
``doc._.lit_facts`` builds Fact objects from them. ``lit_ner`` leaves the NER model's own
mentions there too, so that ``lit_facts`` after it in the same ``nlp`` does not run the
model again over the same sentences (it drops them once used). A component pickles without its models
and loads them again in the process that unpickles it, so a spawned worker works too.
"""

import os
import re
from typing import Iterable, Iterator, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from lit.extract.document import Document, DocumentInfo, Section, TextBlock, content_id
from lit.extract.facts import ENTITY_LABELS, Fact, Mention
from lit.extract.pipeline import Extractor
from lit.extract.stages import Materials

#: ``doc.user_data`` key of the fact records ``doc._.lit_facts`` reads.
FACTS_KEY = "lit_facts"
#: ``doc.user_data`` key of the NER model's mentions per sentence, kept by ``lit_ner`` for ``lit_facts``.
PREDICTED_KEY = "lit_ner_predicted"
#: ``Fact.source`` of facts found by the spaCy components (a Doc has no file name).
SOURCE = "spacy"

#: A paragraph break: a line holding nothing but whitespace (the text reader's rule).
_BLANK_LINE = re.compile(r"\n\s*\n")
_extractors: dict[tuple[Optional[str], Optional[str]], Extractor] = {}
_fork_hook = False


def _get_facts(doc: Doc) -> list[Fact]:
    return [Fact.from_dict(record) for record in doc.user_data.get(FACTS_KEY, [])]


def _set_facts(doc: Doc, facts: Iterable[Fact]) -> None:
    doc.user_data[FACTS_KEY] = [fact.to_dict() for fact in facts]


if not Span.has_extension("lit_score"):
    Span.set_extension("lit_score", default=None)
if not Doc.has_extension("lit_facts"):
    Doc.set_extension("lit_facts", getter=_get_facts, setter=_set_facts)


def shared_extractor(model: Optional[str] = None, relation_model: Optional[str] = None) -> Extractor:
    """One loaded pipeline per process and model pair, so ``lit_ner`` and ``lit_facts`` in
    the same ``nlp`` (or a component unpickled in a worker) load the models once."""
    key = (model, relation_model)
    if key not in _extractors:
        _extractors[key] = Extractor.load(model, relation_model=relation_model)
        _one_thread_after_fork()
    return _extractors[key]


def _one_thread_after_fork() -> None:
    """Make a forked child run torch on one thread. ``nlp.pipe(n_process=N)`` forks workers
    (on Linux) from a process whose torch already started its OpenMP threads; GNU OpenMP
    is not fork-safe, and the child's first parallel operator waited forever. Serial
    operators never enter it, and N workers on one thread each use N cores anyway."""
    global _fork_hook
    if not _fork_hook:
        import torch

        os.register_at_fork(after_in_child=lambda: torch.set_num_threads(1))
        _fork_hook = True


def text_document(text: str, source: str = SOURCE) -> Document:
    """``text`` as a Document whose text is ``text`` itself, one paragraph per run between
    blank lines (surrounding whitespace left out of the block, never out of the text).

    The readers clean what they read (whitespace collapsed, TeX rendered), which would move
    offsets; a spaCy Doc's offsets must stay those of ``doc.text``.
    """
    doc_id, sha = content_id(text.encode("utf-8", "surrogatepass"))
    section = Section(heading=None)
    bounds = [0, *(i for m in _BLANK_LINE.finditer(text) for i in m.span()), len(text)]
    for at, stop in zip(bounds[::2], bounds[1::2]):
        part = text[at:stop]
        start, end = at + len(part) - len(part.lstrip()), at + len(part.rstrip())
        if end > start:
            section.paragraphs.append(TextBlock("paragraph", start, end, 0))
    info = DocumentInfo(doc_id=doc_id, source=source, format="text", sha256=sha)
    return Document(info=info, text=text, sections=[section] if section.paragraphs else [])


class _Component:
    """What both components share: the models' names, and pickling without the models."""

    def __init__(self, name: str, model: Optional[str], relation_model: Optional[str]):
        self.name = name
        self.model = model
        self.relation_model = relation_model
        self.extractor = shared_extractor(model, relation_model)

    def __getstate__(self) -> dict:
        return {"name": self.name, "model": self.model, "relation_model": self.relation_model}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.extractor = shared_extractor(self.model, self.relation_model)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Docs in batches, each batch's sentences through the models in one call."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        raise NotImplementedError


class LitNer(_Component):
    """Sets ``doc.ents`` to lit's mentions, with their scores in ``span._.lit_score``."""

    def __init__(self, name: str, model: Optional[str], overwrite_ents: bool):
        super().__init__(name, model, None)
        self.overwrite_ents = overwrite_ents

    def __getstate__(self) -> dict:
        return {**super().__getstate__(), "overwrite_ents": self.overwrite_ents}

    @property
    def labels(self) -> tuple[str, ...]:
        return ENTITY_LABELS

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        states = self.extractor.analyse([text_document(doc.text) for doc in docs], until=Materials)
        for doc, state in zip(docs, states):
            if not state.ok:
                raise ValueError(f"{self.name}: {state.result.error}")
            self._set_ents(doc, [m for ms in state.mentions for m in ms])
            doc.user_data[PREDICTED_KEY] = {
                "model": _tagger_version(self.extractor),
                "sentences": [[[m.start, m.end, m.label, m.text, m.score] for m in ms] for ms in state.predicted],
            }
        return docs

    def _set_ents(self, doc: Doc, mentions: list[Mention]) -> None:
        _split_tokens(doc, {i for m in mentions for i in (m.start, m.end)})
        spans = []
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, label=mention.label, alignment_mode="expand")
            if span is not None:
                span._.lit_score = mention.score
                spans.append(span)
        spans = filter_spans(spans)
        if self.overwrite_ents:
            doc.ents = spans
            return
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        doc.ents = list(doc.ents) + [s for s in spans if taken.isdisjoint(range(s.start, s.end))]


def _split_tokens(doc: Doc, cuts: set[int]) -> None:
    """Split every token that one of the character offsets ``cuts`` falls inside. Each new
    piece hangs off the token's first piece, which keeps the token's head."""
    with doc.retokenize() as retokenizer:
        for token in doc:
            inside = sorted(c - token.idx for c in cuts if token.idx < c < token.idx + len(token))
            if not inside:
                continue
            bounds = [0, *inside, len(token)]
            orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
            first = token.head if token.head.i != token.i else (token, 0)
            retokenizer.split(token, orths, heads=[first] + [(token, 0)] * (len(orths) - 1))


class LitFacts(_Component):
    """Fills ``doc._.lit_facts`` with lit's facts (offsets into ``doc.text``)."""

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        documents = [text_document(doc.text) for doc in docs]
        version = _tagger_version(self.extractor)
        predicted = [_predicted(doc, version) for doc in docs]
        for doc in docs:
            doc.user_data.pop(PREDICTED_KEY, None)
        for doc, state in zip(docs, self.extractor.analyse(documents, predicted=predicted)):
            if not state.ok:
                raise ValueError(f"{self.name}: {state.result.error}")
            doc._.lit_facts = state.result.facts
        return docs


def _tagger_version(extractor: Extractor) -> Optional[str]:
    return extractor.tagger.version if extractor.tagger is not None else None


def _predicted(doc: Doc, version: Optional[str]) -> Optional[list[list[Mention]]]:
    """The NER model's mentions ``lit_ner`` left on ``doc`` when it ran the same model: the
    facts then start from them instead of running the model again over the same sentences."""
    kept = doc.user_data.get(PREDICTED_KEY)
    if not kept or kept["model"] != version:
        return None
    return [[Mention(int(a), int(b), str(label), str(text), float(score)) for a, b, label, text, score in ms]
            for ms in kept["sentences"]]


@Language.factory(
    "lit_ner",
    default_config={"model": None, "overwrite_ents": False},
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.lit_score"],
)
def make_lit_ner(nlp: Language, name: str, model: Optional[str], overwrite_ents: bool) -> LitNer:
    """``model``: an NER model folder (default: the bundle's, :mod:`lit.models.bundle`)."""
    return LitNer(name, model, overwrite_ents)


@Language.factory(
    "lit_facts",
    default_config={"model": None, "relation_model": None},
    assigns=["doc._.lit_facts"],
)
def make_lit_facts(nlp: Language, name: str, model: Optional[str], relation_model: Optional[str]) -> LitFacts:
    """``model`` / ``relation_model``: NER and relation model folders (default: the bundle's)."""
    return LitFacts(name, model, relation_model)
