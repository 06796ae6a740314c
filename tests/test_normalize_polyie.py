"""Normalisation against real annotations: PolyIE's property-name and value mentions.

PolyIE (polymer solar cells, lithium batteries) is annotated by people, so its mentions
are the phrasings the normaliser meets in practice. The thresholds are floors measured
on this corpus (see the report in the commit); a drop below them is a regression.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from lit.extract.normalize import (
    CanonicalValue,
    PropertyVocabulary,
    normalize_compound,
    parse_quantity,
)

SPLITS = ("train", "validation", "test")


def _polyie(corpora_dir: Path) -> list[dict]:
    root = corpora_dir / "polyie" / "Cleaned_data" / "Final_v2"
    if not root.is_dir():
        pytest.skip(f"PolyIE not found under {root}")
    return [json.loads((root / f"{s}_split.txt").read_text(encoding="utf-8")) for s in SPLITS]


def _spans(tokens: list[str], labels: list[str]) -> list[tuple[str, str]]:
    """BIO labels -> (label, text joined with spaces, as PolyIE tokenised it)."""
    out: list[tuple[str, str]] = []
    cur: tuple[str, list[str]] | None = None
    for tok, lab in zip(tokens + [""], labels + ["O"]):
        if lab.startswith("I-") and cur and cur[0] == lab[2:]:
            cur[1].append(tok)
            continue
        if cur:
            out.append((cur[0], " ".join(cur[1])))
        cur = (lab[2:], [tok]) if lab.startswith("B-") else None
    return out


@pytest.fixture(scope="module")
def mentions(corpora_dir: Path) -> dict[str, list[str]]:
    by_label: dict[str, list[str]] = {}
    for split in _polyie(corpora_dir):
        for doc_t, doc_l in zip(split["text"], split["label"]):
            for toks, labs in zip(doc_t, doc_l):
                for label, text in _spans(toks, labs):
                    by_label.setdefault(label, []).append(text)
    return by_label


@pytest.fixture(scope="module")
def triples(corpora_dir: Path) -> list[tuple[str, str, str]]:
    """(property text, value text, sentence) of every annotated relation."""
    out = []
    for split in _polyie(corpora_dir):
        for doc_t, doc_r in zip(split["text"], split["relation"]):
            for toks, rels in zip(doc_t, doc_r):
                for rel in rels:
                    if len(rel) >= 3:
                        pn = " ".join(toks[rel[1][0] : rel[1][1]])
                        pv = " ".join(toks[rel[2][0] : rel[2][1]])
                        out.append((pn, pv, " ".join(toks)))
    return out


def test_normalize_polyie_values_parse(mentions: dict[str, list[str]]) -> None:
    values = mentions["PV"]
    parsed = [parse_quantity(v) for v in values]
    rate = sum(q is not None for q in parsed) / len(values)
    assert len(values) > 5000
    assert rate >= 0.96, f"{rate:.3f} of PolyIE value mentions parsed"
    for text, q in zip(values, parsed):
        if q is not None:
            assert text[q.value_span[0] : q.value_span[1]] == q.raw


def test_normalize_polyie_property_names_match(mentions: dict[str, list[str]]) -> None:
    vocab = PropertyVocabulary.load()
    names = mentions["PN"]
    rate = sum(vocab.match(n) is not None for n in names) / len(names)
    assert rate >= 0.75, f"{rate:.3f} of PolyIE property mentions matched"


def test_normalize_polyie_relations_canonicalize(triples: list[tuple[str, str, str]]) -> None:
    vocab = PropertyVocabulary.load()
    outcome: Counter[str] = Counter()
    for pn, pv, sentence in triples:
        prop = vocab.match(pn, context=sentence)
        q = parse_quantity(pv)
        if prop is None or q is None:
            outcome["skipped"] += 1
            continue
        result = vocab.canonicalize(prop, q)
        outcome["ok" if isinstance(result, CanonicalValue) else "rejected"] += 1
    accepted = outcome["ok"] / (outcome["ok"] + outcome["rejected"])
    assert accepted >= 0.9, f"{outcome}: {accepted:.3f} accepted"


def test_normalize_polyie_compounds(mentions: dict[str, list[str]]) -> None:
    names = mentions["CN"]
    infos = [normalize_compound(n) for n in names]
    kept = [i for i in infos if i is not None]
    assert len(kept) / len(names) >= 0.99
    # Polymer labels (P1..P6) are labels, not phosphorus.
    formulas = Counter(i.formula for i in kept if i.is_formula)
    assert formulas["P2"] == 0 and formulas["P3"] == 0
    assert all(i.key for i in kept)
