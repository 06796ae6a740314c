"""PolyIE converter against the raw split files: counts, exact spans, tuples, manifest."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from lit.errors import CorpusError
from lit.models.corpora import CORPORA, SPLITS, load_examples, verify_manifest
from lit.models.corpus import Example

RAW = "polyie/Cleaned_data/Final_v2/{split}_split.txt"
SOURCE_TUPLES = {"train": 1963, "validation": 500, "test": 528}  # SOURCE.txt


def _raw(corpora_dir: Path, split: str) -> dict:
    return json.loads((corpora_dir / RAW.format(split=split)).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded(corpora_dir: Path) -> dict[str, tuple[dict, list[Example]]]:
    return {s: (_raw(corpora_dir, s), load_examples("polyie", s, corpora_dir)) for s in SPLITS}


def _paragraphs(raw: dict):
    for docs, labels, rels in zip(raw["text"], raw["label"], raw["relation"]):
        yield from zip(docs, labels, rels)


@pytest.mark.parametrize("split", SPLITS)
def test_polyie_entity_counts_match_raw_tags(loaded, split: str) -> None:
    raw, examples = loaded[split]
    expected: Counter[str] = Counter()
    for _tokens, tags, _rels in _paragraphs(raw):
        prev = "O"
        for tag in tags:
            kind, _, name = tag.partition("-")
            if kind == "B" or (kind == "I" and prev.partition("-")[2] != name):
                expected[name] += 1
            prev = tag
    got = Counter(e.source_label for ex in examples for e in ex.entities)
    mapped = CORPORA["polyie"].label_map
    assert got == Counter({k: v for k, v in expected.items() if k in mapped})
    assert all(e.label == mapped[e.source_label] for ex in examples for e in ex.entities)
    assert sum(len(ex.tokens) for ex in examples) == sum(len(t) for t, _, _ in _paragraphs(raw))


@pytest.mark.parametrize("split", SPLITS)
def test_polyie_spans_slice_back_to_tagged_tokens(loaded, split: str) -> None:
    raw, examples = loaded[split]
    assert len(examples) == sum(1 for _ in _paragraphs(raw))
    for ex, (tokens, tags, _rels) in zip(examples, _paragraphs(raw)):
        assert [ex.text[s:e] for s, e in ex.tokens] == tokens
        starts = {s: i for i, (s, _e) in enumerate(ex.tokens)}
        ends = {e: i for i, (_s, e) in enumerate(ex.tokens)}
        for ent in ex.entities:
            first, last = starts[ent.start], ends[ent.end]
            assert ex.text[ent.start:ent.end] == " ".join(tokens[first:last + 1])
            assert tags[first] in (f"B-{ent.source_label}", f"I-{ent.source_label}")
            assert all(t == f"I-{ent.source_label}" for t in tags[first + 1:last + 1])


@pytest.mark.parametrize("split", SPLITS)
def test_polyie_token_offsets_are_ordered_and_exact(loaded, split: str) -> None:
    _raw_obj, examples = loaded[split]
    for ex in examples:
        prev_end = -1
        for s, e in ex.tokens:
            assert prev_end < s <= e <= len(ex.text)
            prev_end = e
        assert ex.text == " ".join(ex.text[s:e] for s, e in ex.tokens)


@pytest.mark.parametrize("split", SPLITS)
def test_polyie_tuples_match_source_spans(loaded, split: str) -> None:
    raw, examples = loaded[split]
    assert sum(len(ex.tuples) for ex in examples) == SOURCE_TUPLES[split]
    for ex, (tokens, _tags, rels) in zip(examples, _paragraphs(raw)):
        assert len(ex.tuples) == len(rels)
        for tup, spans in zip(ex.tuples, rels):
            assert len(tup) == 4
            got = sorted(ex.text[ex.entities[i].start:ex.entities[i].end] for i in tup if i is not None)
            want = sorted({" ".join(tokens[a:b]) for a, b in spans})
            assert got == want
        for link in ex.links:
            assert link.type in {"compound_of", "property_of", "condition_of"}
            assert 0 <= link.head < len(ex.entities) and 0 <= link.tail < len(ex.entities)


def test_polyie_manifest_verifies(corpora_dir: Path, loaded) -> None:
    manifest = verify_manifest("polyie", corpora_dir)
    for split in SPLITS:
        _raw_obj, examples = loaded[split]
        counts = manifest["counts"][split]
        assert counts["examples"] == len(examples)
        assert counts["tuples"] == SOURCE_TUPLES[split]


def test_polyie_manifest_drift_raises(corpora_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "polyie/Cleaned_data/Final_v2"
    copy.mkdir(parents=True)
    for split in SPLITS:
        data = (corpora_dir / RAW.format(split=split)).read_bytes()
        if split == "test":
            data = data.replace(b'"B-CN"', b'"B-PN"', 1)
        (copy / f"{split}_split.txt").write_bytes(data)
    with pytest.raises(CorpusError, match="test_split.txt has sha256"):
        verify_manifest("polyie", tmp_path)


def test_polyie_missing_root_names_path_and_variable(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"polyie/Cleaned_data/Final_v2/train_split.txt.*LIT_CORPORA"):
        load_examples("polyie", "train", tmp_path)
    with pytest.raises(CorpusError, match="LIT_CORPORA"):
        load_examples("polyie", "train", tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="unknown split"):
        load_examples("polyie", "dev", tmp_path)
