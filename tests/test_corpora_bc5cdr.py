"""BC5CDR converter against the raw PubTator files: counts, exact spans, tokens, manifest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lit.models.corpora import SPLITS, load_examples, verify_manifest
from lit.models.corpus import Example

FILES = {
    "train": "CDR_TrainingSet.PubTator.txt",
    "validation": "CDR_DevelopmentSet.PubTator.txt",
    "test": "CDR_TestSet.PubTator.txt",
}
ABSTRACTS = {"train": 1000, "validation": 500, "test": 500}  # SOURCE.txt


def _rows(corpora_dir: Path, split: str) -> dict[str, list[tuple[int, int, str, str]]]:
    """PMID -> mention rows (start, end, mention, type), read here from the raw file."""
    rows: dict[str, list[tuple[int, int, str, str]]] = {}
    for line in (corpora_dir / "bc5cdr/pubtator" / FILES[split]).read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 6 and f[1] != "CID":
            rows.setdefault(f[0], []).append((int(f[1]), int(f[2]), f[3], f[4]))
    return rows


@pytest.fixture(scope="module")
def loaded(corpora_dir: Path) -> dict[str, tuple[dict, list[Example]]]:
    return {s: (_rows(corpora_dir, s), load_examples("bc5cdr", s, corpora_dir)) for s in SPLITS}


@pytest.mark.parametrize("split", SPLITS)
def test_bc5cdr_chemical_counts_match_pubtator_rows(loaded, split: str) -> None:
    rows, examples = loaded[split]
    assert len(examples) == ABSTRACTS[split]
    source = Counter(kind for doc in rows.values() for *_x, kind in doc)
    got = Counter(e.source_label for ex in examples for e in ex.entities)
    assert got == Counter({"Chemical": source["Chemical"]})
    assert source["Disease"] > 0 and all(e.label == "COMPOUND" for ex in examples for e in ex.entities)


@pytest.mark.parametrize("split", SPLITS)
def test_bc5cdr_spans_slice_back_to_mentions(loaded, split: str) -> None:
    rows, examples = loaded[split]
    for ex in examples:
        pmid = ex.id.rsplit("/", 1)[1]
        want = sorted((s, e, m) for s, e, m, kind in rows.get(pmid, []) if kind == "Chemical")
        got = sorted((e.start, e.end, ex.text[e.start:e.end]) for e in ex.entities)
        assert got == want


@pytest.mark.parametrize("split", SPLITS)
def test_bc5cdr_tokens_are_ordered_and_align(loaded, split: str) -> None:
    _rows_, examples = loaded[split]
    for ex in examples:
        assert all(a[1] <= b[0] for a, b in zip(ex.tokens, ex.tokens[1:]))
        assert "".join(ex.text[s:e] for s, e in ex.tokens) == "".join(ex.text.split())
        starts, ends = {s for s, _ in ex.tokens}, {e for _, e in ex.tokens}
        assert all(e.start in starts and e.end in ends for e in ex.entities)


def test_bc5cdr_manifest_verifies(corpora_dir: Path, loaded) -> None:
    manifest = verify_manifest("bc5cdr", corpora_dir)
    for split in SPLITS:
        assert manifest["counts"][split]["entities"]["COMPOUND"] == sum(len(ex.entities) for ex in loaded[split][1])
