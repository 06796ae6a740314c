"""The corpora package's front door: registry, root resolution, errors, manifests, helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lit.errors import CorpusError
from lit.extract.facts import ENTITY_LABELS
from lit.models.corpora import CORPORA, MANIFEST_DIR, SPLITS, load_examples, verify_manifest
from lit.models.corpora.__main__ import main
from lit.models.corpora.bio import bio_spans, join_tokens
from lit.models.corpora.splits import hash_bucket, hash_split
from lit.models.corpora.tokens import boundary_cuts, pipeline_tokens, split_at, tokenize_with_spans

NAMES = {"polyie", "matscholar", "mspt", "grobid_quantities", "bc5cdr", "sofc_exp", "battery_triples"}


def test_corpora_registry_describes_every_corpus() -> None:
    assert set(CORPORA) == NAMES
    for name, spec in CORPORA.items():
        assert spec.name == name and spec.licence and len(spec.commit) == 40
        assert set(spec.label_map.values()) <= set(ENTITY_LABELS)
        assert set(spec.splits) == set(SPLITS)
        assert spec.converter == f"lit.models.corpora.{name}"


def test_corpora_manifests_agree_with_registry() -> None:
    for name, spec in CORPORA.items():
        manifest = json.loads((MANIFEST_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert manifest["label_map"] == dict(spec.label_map)
        assert manifest["source"]["commit"] == spec.commit
        assert all(len(f["sha256"]) == 64 and f["bytes"] > 0 for f in manifest["files"])
        assert set(manifest["counts"]) == set(SPLITS)


def test_corpora_unknown_corpus_and_split_raise() -> None:
    with pytest.raises(CorpusError, match="unknown corpus 'chemdner'"):
        load_examples("chemdner", "train")
    with pytest.raises(CorpusError, match="unknown split 'dev'"):
        load_examples("mspt", "dev")


def test_corpora_root_comes_from_environment(monkeypatch, tmp_path: Path, corpora_dir: Path) -> None:
    monkeypatch.setenv("LIT_CORPORA", str(tmp_path / "absent"))
    with pytest.raises(CorpusError, match=r"absent.*LIT_CORPORA"):
        load_examples("bc5cdr", "test")
    monkeypatch.setenv("LIT_CORPORA", str(corpora_dir))
    assert load_examples("mspt", "test")[0].corpus == "mspt"


@pytest.mark.parametrize("name", sorted(NAMES))
def test_corpora_missing_source_file_names_it(tmp_path: Path, name: str) -> None:
    with pytest.raises(CorpusError, match=f"{CORPORA[name].folder}.*LIT_CORPORA"):
        load_examples(name, "train", tmp_path)


def test_corpora_verify_reports_missing_manifest_and_file(tmp_path: Path, corpora_dir: Path) -> None:
    with pytest.raises(CorpusError, match="build-manifests"):
        verify_manifest("mspt", corpora_dir, manifest_dir=tmp_path)
    with pytest.raises(CorpusError, match="is missing"):
        verify_manifest("bc5cdr", tmp_path)


def test_corpora_cli_verify_and_rebuild(tmp_path: Path, corpora_dir: Path, capsys) -> None:
    assert main(["verify", "bc5cdr", "--root", str(corpora_dir)]) == 0
    assert "bc5cdr: ok" in capsys.readouterr().out
    assert main(["verify", "bc5cdr", "--root", str(tmp_path)]) == 1
    assert "Error:" in capsys.readouterr().err


def test_corpora_bio_spans_treat_orphan_inside_as_start() -> None:
    tags = ["B-CN", "I-CN", "O", "I-PV", "I-PV", "B-PV", "I-PN", "B-CN"]
    assert bio_spans(tags) == [(0, 2, "CN"), (3, 5, "PV"), (5, 6, "PV"), (6, 7, "PN"), (7, 8, "CN")]
    text, offsets = join_tokens(["band", "gap", "1.5 eV"])
    assert [text[s:e] for s, e in offsets] == ["band", "gap", "1.5 eV"]


def test_corpora_tokens_follow_pipeline_and_split_at_entity_boundaries() -> None:
    text = "Ba0.95La0.05FeO3 dried at 120 degC, [3H]-naloxone."
    base = pipeline_tokens(text)
    assert text[base[0][0]:base[0][1]] == "Ba0.95La0.05FeO3"
    naloxone = (text.index("naloxone"), text.index("naloxone") + len("naloxone"))
    aligned = tokenize_with_spans(text, [(0, 6), naloxone])
    pieces = [text[s:e] for s, e in aligned]
    assert pieces[:2] == ["Ba0.95", "La0.05FeO3"] and "naloxone" in pieces
    assert boundary_cuts(text, [(0, 6), naloxone]) == len(aligned) - len(base) > 0
    assert split_at([(0, 4)], [0, 4]) == [(0, 4)]


def test_corpora_hash_split_is_stable_and_proportional() -> None:
    ids = [f"doc-{i}" for i in range(2000)]
    first = [hash_split(i, 20, 10) for i in ids]
    assert first == [hash_split(i, 20, 10) for i in ids]
    share = {s: first.count(s) / len(ids) for s in SPLITS}
    assert 0.15 < share["validation"] < 0.25 and 0.06 < share["test"] < 0.14
    assert all(0 <= hash_bucket(i) < 100 for i in ids[:50])


@pytest.mark.parametrize("name", sorted(NAMES))
def test_corpora_example_ids_unique_and_labels_unified(corpora_dir: Path, name: str) -> None:
    examples = load_examples(name, "test", corpora_dir)
    assert len({ex.id for ex in examples}) == len(examples) > 0
    assert all(ex.corpus == name and ex.split == "test" and ex.id.startswith(f"{name}/test/") for ex in examples)
    assert {e.label for ex in examples for e in ex.entities} <= set(ENTITY_LABELS)
    assert all(0 <= e.start < e.end <= len(ex.text) for ex in examples for e in ex.entities)
