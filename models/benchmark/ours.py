"""``ours``: the texts written for lit in this project (``corpora/eval``), kept as a regression
set and scored by the same strict rule as the real-text sets. ``dev`` is their dev split,
``test`` the held-out abstracts and results (:mod:`lit.models.evaluate_facts`)."""

from __future__ import annotations

from pathlib import Path

from lit.errors import CorpusError
from lit.extract.document import paragraph_document
from lit.extract.normalize.properties import PropertyVocabulary
from lit.models.evaluate_facts import PROPERTIES, load_eval_set

from .gold import SPLITS, BenchSet, BenchText, GoldFact, distinct, listed_numbers

NAME = "ours"


def load(split: str, root: Path | None = None, vocab: PropertyVocabulary | None = None) -> BenchSet:
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
    vocab = vocab or PropertyVocabulary.load()
    counts: dict[str, int] = {}
    texts: list[BenchText] = []
    for t in load_eval_set("dev" if split == "dev" else "all", root):
        facts: list[GoldFact] = []
        for g in t.facts:
            numbers = listed_numbers(vocab, g.property, [g.value] + ([g.value_max] if g.value_max is not None else []), g.unit)
            if isinstance(numbers, str):
                raise CorpusError(f"{t.id}: gold {g.compound} {g.property} does not convert ({numbers})")
            facts.append(GoldFact(g.compound, g.property, numbers, g.aliases, t.text))
        texts.append(BenchText(t.id, split, paragraph_document(t.text, f"{NAME}/{t.split}/{t.id}"), distinct(facts, counts)))
    return BenchSet(NAME, split, texts, frozenset(PROPERTIES), counts=counts, note="texts written in this project")
