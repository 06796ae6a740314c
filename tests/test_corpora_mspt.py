"""MSPT converter against the raw BRAT files: counts, exact spans, merges, tokens, manifest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lit.models.corpora import CORPORA, SPLITS, load_examples, verify_manifest
from lit.models.corpus import Example

LISTS = {"train": "ner-train-fnames.txt", "validation": "ner-dev-fnames.txt", "test": "ner-test-fnames.txt"}


def _raw(corpora_dir: Path, split: str) -> list[tuple[str, str, list[tuple[str, int, int, str]]]]:
    """(name, text, [(type, start, end, mention)]) per paper, parsed here from the T lines."""
    base = corpora_dir / "mspt_synthesis"
    out = []
    for name in (base / LISTS[split]).read_text(encoding="utf-8").split():
        text = (base / "data" / f"{name}.txt").read_bytes().decode("utf-8")
        ents = []
        for line in (base / "data" / f"{name}.ann").read_bytes().decode("utf-8").splitlines():
            if line.startswith("T"):
                _tid, info, mention = line.split("\t")
                kind, start, end = info.split(" ")
                ents.append((kind, int(start), int(end), mention))
        out.append((name, text, ents))
    return out


@pytest.fixture(scope="module")
def loaded(corpora_dir: Path) -> dict[str, tuple[list, list[Example]]]:
    return {s: (_raw(corpora_dir, s), load_examples("mspt", s, corpora_dir)) for s in SPLITS}


def test_mspt_splits_cover_all_papers_once(loaded) -> None:
    names = [n for s in SPLITS for n, _t, _e in loaded[s][0]]
    assert len(names) == len(set(names)) == 230
    assert [len(loaded[s][1]) for s in SPLITS] == [200, 15, 15]


@pytest.mark.parametrize("split", SPLITS)
def test_mspt_entity_counts_match_t_lines(loaded, split: str) -> None:
    raw, examples = loaded[split]
    source = Counter(kind for _n, _t, ents in raw for kind, *_ in ents)
    got = Counter(e.source_label for ex in examples for e in ex.entities)
    # Every Number is exactly one VALUE, alone or merged with a unit.
    assert sum(v for k, v in got.items() if k.startswith("Number")) == source["Number"]
    for kind in ("Material", "Nonrecipe-Material", "Property-Type"):
        assert got[kind] == source[kind]
    # A unit is merged at most once, so merged VALUEs of a unit type never exceed its T lines.
    for unit in ("Amount-Unit", "Condition-Unit", "Property-Unit", "Apparatus-Unit"):
        assert 0 < got[f"Number+{unit}"] <= source[unit]
    assert set(got) <= set(CORPORA["mspt"].label_map)


@pytest.mark.parametrize("split", SPLITS)
def test_mspt_spans_slice_back_to_mentions(loaded, split: str) -> None:
    raw, examples = loaded[split]
    for ex, (name, text, ents) in zip(examples, raw):
        assert ex.id.endswith(name) and ex.text == text
        by_span = {(s, e): (k, m) for k, s, e, m in ents}
        numbers = {(s, e): m for k, s, e, m in ents if k == "Number"}
        units = {(s, e): m for k, s, e, m in ents if k.endswith("-Unit")}
        for ent in ex.entities:
            piece = ex.text[ent.start:ent.end]
            if "+" in ent.source_label:
                num = next(sp for sp in numbers if ent.start <= sp[0] and sp[1] <= ent.end)
                unit = next(sp for sp in units if ent.start <= sp[0] and sp[1] <= ent.end)
                assert (min(num[0], unit[0]), max(num[1], unit[1])) == (ent.start, ent.end)
                assert piece.replace(numbers[num], "", 1).replace(units[unit], "", 1).strip() == ""
            else:
                assert by_span[(ent.start, ent.end)] == (ent.source_label, piece)


@pytest.mark.parametrize("split", SPLITS)
def test_mspt_tokens_cover_text_and_align_with_entities(loaded, split: str) -> None:
    _raw_papers, examples = loaded[split]
    for ex in examples:
        assert all(a[1] <= b[0] for a, b in zip(ex.tokens, ex.tokens[1:]))
        assert "".join(ex.text[s:e] for s, e in ex.tokens) == "".join(ex.text.split())
        starts = {s for s, _ in ex.tokens}
        ends = {e for _, e in ex.tokens}
        for ent in ex.entities:
            assert ent.start in starts and ent.end in ends
        for link in ex.links:
            assert ex.entities[link.tail].label == "VALUE"
            head = ex.entities[link.head].label
            assert (link.type, head) in {("compound_of", "COMPOUND"), ("property_of", "PROPERTY")}


def test_mspt_manifest_verifies(corpora_dir: Path, loaded) -> None:
    manifest = verify_manifest("mspt", corpora_dir)
    assert len(manifest["files"]) == 3 + 2 * 230
    for split in SPLITS:
        assert manifest["counts"][split]["examples"] == len(loaded[split][1])
