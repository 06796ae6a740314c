"""Battery triples converter (silver) against the raw JSON lines: splits, counts, spans, manifest."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from lit.models.corpora import SPLITS, load_examples, verify_manifest
from lit.models.corpora.battery_triples import triple_stats
from lit.models.corpora.splits import hash_split

# Pinned after conversion (models/LABELS.md): examples, tuples, COMPOUND, PROPERTY, VALUE, compound_of, property_of.
COUNTS = {
    "train": (3817, 5070, 4366, 3844, 4452, 5070, 4452),
    "validation": (439, 586, 493, 442, 513, 586, 513),
    "test": (432, 569, 497, 433, 498, 569, 498),
}


@pytest.fixture(scope="module")
def rows(corpora_dir: Path) -> list[dict]:
    text = (corpora_dir / "battery_triples" / "structured_re.json").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def loaded(corpora_dir: Path):
    return {s: load_examples("battery_triples", s, corpora_dir) for s in SPLITS}


@pytest.mark.parametrize("split", SPLITS)
def test_battery_counts(loaded, split: str) -> None:
    exs = loaded[split]
    labels = Counter(e.label for ex in exs for e in ex.entities)
    links = Counter(lk.type for ex in exs for lk in ex.links)
    got = (len(exs), sum(len(ex.tuples) for ex in exs), labels["COMPOUND"], labels["PROPERTY"], labels["VALUE"],
           links["compound_of"], links["property_of"])
    assert got == COUNTS[split]


@pytest.mark.parametrize("split", SPLITS)
def test_battery_tuples_are_the_distinct_triples_of_the_split(rows, loaded, corpora_dir: Path, split: str) -> None:
    want: Counter[tuple] = Counter()
    sentences = set()
    for row in rows:
        if hash_split(str(row["docId"]), 10, 10) != split or not row["relationMentions"]:
            continue
        toks = row["sentText"].split(" ")
        sentences.add((row["docId"], row["sentText"]))
        for m in row["relationMentions"]:
            want[(row["docId"], row["sentText"]) + tuple(
                " ".join(toks[int(m[f"{a}StartIndex"]):int(m[f"{a}EndIndex"]) + 1]) for a in ("arg1", "rel", "arg2"))] = 1
    stats = triple_stats(corpora_dir, split)
    assert stats["triple_role_clash"] + stats["triple_dropped_overlap"] + stats["triple_bad_index"] < 0.01 * len(want)
    got = Counter()
    for ex in loaded[split]:
        doc = int(ex.id.split("/")[2])
        for c, p, v, q in ex.tuples:
            assert q is None
            assert [ex.entities[i].label for i in (c, p, v)] == ["COMPOUND", "PROPERTY", "VALUE"]
            got[(doc, ex.text) + tuple(ex.text[ex.entities[i].start:ex.entities[i].end] for i in (c, p, v))] += 1
    assert max(got.values()) == 1 and set(got) <= set(want)
    assert len(got) == COUNTS[split][1] and len(loaded[split]) == len(sentences)
    # every triple span is a mention and nothing else is: silver, absent pairs are unknown
    for ex in loaded[split]:
        used = {i for t in ex.tuples for i in t[:3]}
        assert used == set(range(len(ex.entities)))


def test_battery_split_by_document(loaded) -> None:
    docs = {s: {ex.id.split("/")[2] for ex in loaded[s]} for s in SPLITS}
    assert not (docs["train"] & docs["validation"]) and not (docs["train"] & docs["test"])
    assert not (docs["validation"] & docs["test"])
    assert 0.07 < len(docs["test"]) / sum(len(d) for d in docs.values()) < 0.13


def test_battery_manifest_verifies(corpora_dir: Path, loaded) -> None:
    manifest = verify_manifest("battery_triples", corpora_dir)
    for split in SPLITS:
        assert manifest["counts"][split]["examples"] == len(loaded[split])
