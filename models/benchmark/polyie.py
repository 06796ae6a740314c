"""``polyie``: PolyIE's (compound, property name, value) tuples, on its own validation (= dev)
and test splits.

One document per PolyIE paper, its paragraphs in order (the tokens joined by single spaces,
as :mod:`lit.models.corpora.polyie` gives them). A tuple is gold when it has all three of
CN, PN and PV, the PN text names a property of lit's vocabulary
(:meth:`PropertyVocabulary.match`, with the paragraph as context, as fact assembly calls it)
and the PV converts to that property's unit; the others are counted (``pn_not_in_vocabulary``
and ``gold_dropped:<why>``). The set's scope is every property PolyIE's dev or test gold
names, so a prediction of, say, a band gap in a PolyIE paper is scored, one of a refractive
index (never annotated here) is out of scope.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from lit.errors import CorpusError
from lit.extract.normalize.properties import PropertyVocabulary
from lit.models.corpora import load_examples
from lit.models.corpora.spec import corpora_root
from lit.models.corpus import Example

from .gold import SPLITS, BenchSet, BenchText, GoldFact, distinct, gold_numbers, paragraphs_document

NAME = "polyie"
#: lit's split names -> PolyIE's.
SOURCE_SPLITS = {"dev": "validation", "test": "test"}
#: PolyIE writes exponents as separate tokens ("mA cm ^ -2"), which a unit parser reads as
#: "mA cm"; joined back, the gold unit is the one the paper printed.
_CARET = re.compile(r"\s*\^\s*")


def _facts(examples: list[Example], vocab: PropertyVocabulary, counts: dict[str, int]) -> list[GoldFact]:
    facts: list[GoldFact] = []
    for ex in examples:
        for tup in ex.tuples:
            compound, prop, value = tup[:3]
            if compound is None or prop is None or value is None:
                counts["tuple_incomplete"] = counts.get("tuple_incomplete", 0) + 1
                continue
            def span(i: int) -> str:
                return ex.text[ex.entities[i].start : ex.entities[i].end]

            found = vocab.match(span(prop), ex.text)
            if found is None:
                counts["pn_not_in_vocabulary"] = counts.get("pn_not_in_vocabulary", 0) + 1
                continue
            numbers = gold_numbers(vocab, found.name, _CARET.sub("^", span(value)))
            if isinstance(numbers, str):
                counts[f"gold_dropped:{numbers}"] = counts.get(f"gold_dropped:{numbers}", 0) + 1
                continue
            facts.append(GoldFact(span(compound), found.name, numbers, (), _sentence_of(ex.text, ex.entities[value].start)))
    return facts


def _sentence_of(text: str, at: int) -> str:
    """The sentence around ``at`` (for the errors view), cut at ". " either side."""
    start = text.rfind(". ", 0, at) + 2 if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    return text[start : len(text) if end < 0 else end + 1]


@lru_cache(maxsize=4)
def _examples(root: Path, split: str) -> tuple[Example, ...]:
    return tuple(load_examples(NAME, SOURCE_SPLITS[split], root))


def scope(root: Path, vocab: PropertyVocabulary) -> frozenset[str]:
    """Every property PolyIE's dev or test gold names."""
    return frozenset(f.property for split in SPLITS for f in _facts(list(_examples(root, split)), vocab, {}))


def load(split: str, corpora: Path | None = None, vocab: PropertyVocabulary | None = None) -> BenchSet:
    """PolyIE ``validation`` (dev) or ``test`` as one document per paper."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
    root = corpora_root(corpora)
    vocab = vocab or PropertyVocabulary.load()
    by_paper: dict[str, list[Example]] = defaultdict(list)
    for ex in _examples(root, split):
        by_paper[ex.id.rsplit("/", 1)[0]].append(ex)
    counts: dict[str, int] = {}
    texts = [
        BenchText(paper, split, paragraphs_document([ex.text for ex in exs], paper), distinct(_facts(exs, vocab, counts), counts))
        for paper, exs in by_paper.items()
    ]
    return BenchSet(NAME, split, texts, scope(root, vocab), counts=dict(sorted(counts.items())),
                    note=f"PolyIE {SOURCE_SPLITS[split]} tuples whose PN is a property of lit's vocabulary")
