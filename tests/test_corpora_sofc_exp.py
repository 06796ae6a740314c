"""SOFC-Exp converter against the raw frame files: splits, counts, spans, derived links, manifest."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from lit.models.corpora import SPLITS, load_examples, verify_manifest
from lit.models.corpora.sofc_exp import MATERIAL_ROLES, PROPERTY_ROLES, link_stats

SERVED = {"train": "train", "dev": "validation", "test": "test"}
# Pinned after conversion (models/LABELS.md): examples, COMPOUND, VALUE, CONDITION, compound_of, condition_of.
COUNTS = {
    "train": (341, 1097, 565, 345, 498, 535),
    "validation": (81, 290, 94, 68, 87, 78),
    "test": (115, 311, 225, 138, 151, 282),
}


def _raw(corpora_dir: Path) -> dict[str, dict]:
    """Per article, parsed here: split, text, sentence offsets, spans, frames and links."""
    base = corpora_dir / "sofc_exp" / "sofc-exp-corpus"
    out: dict[str, dict] = {}
    with open(base / "SOFC-Exp-Metadata.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["name"]] = {"split": SERVED[row["set"]]}
    for name, doc in out.items():
        doc["text"] = (base / "texts" / f"{name}.txt").read_bytes().decode("utf-8")
        doc["sent"] = {}
        for line in (base / "annotations" / "sentences" / f"{name}.csv").read_text(encoding="utf-8").splitlines():
            sid, label, start, end = line.split("\t")[:4]
            doc["sent"][int(sid)] = (label == "1", int(start), int(end))
        doc["spans"], doc["frames"], doc["links"] = {}, [], []
        for line in (base / "annotations" / "frames" / f"{name}.csv").read_text(encoding="utf-8").splitlines():
            f = line.split("\t")
            if f[0] == "SPAN":
                doc["spans"][f[1]] = (f[2], int(f[3]), int(f[4]), int(f[5]))
            elif f[0] == "EXPERIMENT":
                doc["frames"].append([])
            elif f[0] == "" and len(f) >= 3:
                doc["frames"][-1].append((f[1], f[2]))
            elif f[0] == "LINK":
                doc["links"].append((f[1], f[2], f[3]))
    return out


@pytest.fixture(scope="module")
def raw(corpora_dir: Path) -> dict[str, dict]:
    return _raw(corpora_dir)


@pytest.fixture(scope="module")
def loaded(corpora_dir: Path):
    return {s: load_examples("sofc_exp", s, corpora_dir) for s in SPLITS}


def test_sofc_splits_are_the_corpus_document_split(raw, loaded) -> None:
    docs = {s: {ex.id.split("/")[2] for ex in loaded[s]} for s in SPLITS}
    assert [len(docs[s]) for s in SPLITS] == [26, 8, 11]
    for s in SPLITS:
        assert docs[s] == {n for n, d in raw.items() if d["split"] == s}
    assert sum(len(d) for d in docs.values()) == len(raw) == 45


@pytest.mark.parametrize("split", SPLITS)
def test_sofc_counts(loaded, corpora_dir: Path, split: str) -> None:
    exs = loaded[split]
    labels = Counter(e.label for ex in exs for e in ex.entities)
    links = Counter(lk.type for ex in exs for lk in ex.links)
    assert (len(exs), labels["COMPOUND"], labels["VALUE"], labels["CONDITION"], links["compound_of"],
            links["condition_of"]) == COUNTS[split]
    assert labels["PROPERTY"] == 0 and not any(ex.tuples for ex in exs)
    stats = link_stats(corpora_dir, split)
    assert not any(k.startswith("link_dropped") for k in stats)  # no frame crosses an Example cut
    assert stats["overlapping_span"] == 0 and stats["condition_and_value_span"] == 0


@pytest.mark.parametrize("split", SPLITS)
def test_sofc_every_material_of_a_kept_sentence_is_a_compound(raw, loaded, split: str) -> None:
    for name, doc in raw.items():
        if doc["split"] != split:
            continue
        exs = [ex for ex in loaded[split] if ex.id.split("/")[2] == name]
        got = sorted(ex.text[e.start:e.end] for ex in exs for e in ex.entities if e.label == "COMPOUND")
        covered = set()
        for ex in exs:
            first = int(ex.id.split("/")[3])
            t0 = doc["sent"][first][1]
            covered |= {sid for sid, (_x, s, e) in doc["sent"].items() if t0 <= s and e <= t0 + len(ex.text)}
        want = []
        for typ, sid, b, e in doc["spans"].values():
            if typ == "MATERIAL" and sid in covered:
                start = doc["sent"][sid][1]
                want.append(doc["text"][start + b:start + e].strip())
        assert got == sorted(want), name


@pytest.mark.parametrize("split", SPLITS)
def test_sofc_links_come_from_frames(raw, loaded, split: str) -> None:
    for ex in loaded[split]:
        name, first = ex.id.split("/")[2], int(ex.id.split("/")[3])
        doc = raw[name]
        t0 = doc["sent"][first][1]

        def text_of(sid: str) -> tuple[int, int]:
            _typ, s, b, e = doc["spans"][sid]
            return doc["sent"][s][1] + b - t0, doc["sent"][s][1] + e - t0

        allowed = set()
        for slots in doc["frames"]:
            mats = [text_of(s) for r, s in slots if r in MATERIAL_ROLES]
            vals = [text_of(s) for r, s in slots if r in PROPERTY_ROLES]
            temps = [text_of(s) for r, s in slots if r == "working_temperature"]
            allowed |= {(m, v, "compound_of") for m in mats for v in vals}
            allowed |= {(t, v, "condition_of") for t in temps for v in vals}
        allowed |= {(text_of(a), text_of(b), "compound_of") for k, a, b in doc["links"] if k == "thickness"}
        allowed_text = {(ex.text[h[0]:h[1]].strip(), ex.text[v[0]:v[1]].strip(), k) for h, v, k in allowed}
        for lk in ex.links:
            head, tail = ex.entities[lk.head], ex.entities[lk.tail]
            assert (head.label, tail.label) == ({"compound_of": "COMPOUND", "condition_of": "CONDITION"}[lk.type],
                                                "VALUE")
            assert (ex.text[head.start:head.end], ex.text[tail.start:tail.end], lk.type) in allowed_text


@pytest.mark.parametrize("split", SPLITS)
def test_sofc_tokens_align_with_entities(loaded, split: str) -> None:
    for ex in loaded[split]:
        starts, ends = {s for s, _ in ex.tokens}, {e for _, e in ex.tokens}
        assert all(e.start in starts and e.end in ends for e in ex.entities)
        assert all(a.end <= b.start for a, b in zip(ex.entities, ex.entities[1:]))


def test_sofc_manifest_verifies(corpora_dir: Path, loaded) -> None:
    manifest = verify_manifest("sofc_exp", corpora_dir)
    assert len(manifest["files"]) == 1 + 3 * 45
    for split in SPLITS:
        assert manifest["counts"][split]["examples"] == len(loaded[split])
