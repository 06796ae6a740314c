"""MatScholar converter against the raw CoNLL files: counts, exact spans, tokens, manifest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lit.models.corpora import CORPORA, SPLITS, load_examples, verify_manifest
from lit.models.corpus import Example

FILES = {"train": "train.txt", "validation": "dev.txt", "test": "test.txt"}


def _raw_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """(token, tag) pairs per sentence, parsed here independently of the converter."""
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip() == "":
            if sentences[-1]:
                sentences.append([])
            continue
        parts = line.split(" ")
        tag = parts[-1] if len(parts) > 1 and parts[-1] else "O"
        token = " ".join(parts[:-1]).strip() if len(parts) > 1 else line.strip()
        if token:
            sentences[-1].append((token, tag))
    return [s for s in sentences if s]


@pytest.fixture(scope="module")
def loaded(corpora_dir: Path) -> dict[str, tuple[list, list[Example]]]:
    base = corpora_dir / "matscholar_ner/ner/datasets/NER_MATSCHOLAR"
    return {s: (_raw_sentences(base / FILES[s]), load_examples("matscholar", s, corpora_dir)) for s in SPLITS}


@pytest.mark.parametrize("split", SPLITS)
def test_matscholar_entity_counts_match_raw_tags(loaded, split: str) -> None:
    raw, examples = loaded[split]
    expected: Counter[str] = Counter()
    for sent in raw:
        prev = "O"
        for _tok, tag in sent:
            kind, _, name = tag.partition("-")
            if kind == "B" or (kind == "I" and prev.partition("-")[2] != name):
                expected[name] += 1
            prev = tag
    mapped = CORPORA["matscholar"].label_map
    got = Counter(e.source_label for ex in examples for e in ex.entities)
    assert got == Counter({k: v for k, v in expected.items() if k in mapped})
    assert {e.label for ex in examples for e in ex.entities} <= {"COMPOUND", "PROPERTY"}


@pytest.mark.parametrize("split", SPLITS)
def test_matscholar_spans_and_tokens_slice_back(loaded, split: str) -> None:
    raw, examples = loaded[split]
    assert len(examples) == len(raw)
    for ex, sent in zip(examples, raw):
        tokens = [t for t, _ in sent]
        assert [ex.text[s:e] for s, e in ex.tokens] == tokens
        assert all(a[1] < b[0] for a, b in zip(ex.tokens, ex.tokens[1:]))
        first = {s: i for i, (s, _e) in enumerate(ex.tokens)}
        last = {e: i for i, (_s, e) in enumerate(ex.tokens)}
        for ent in ex.entities:
            i, j = first[ent.start], last[ent.end]
            assert ex.text[ent.start:ent.end] == " ".join(tokens[i:j + 1])
            assert sent[i][1].endswith(ent.source_label)
            assert all(tag == f"I-{ent.source_label}" for _t, tag in sent[i + 1:j + 1])


def test_matscholar_manifest_verifies(corpora_dir: Path, loaded) -> None:
    manifest = verify_manifest("matscholar", corpora_dir)
    for split in SPLITS:
        assert manifest["counts"][split]["examples"] == len(loaded[split][1])
