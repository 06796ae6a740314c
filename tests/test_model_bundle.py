"""The default model bundle (``lit.models.bundle``): what a plain ``lit extract`` runs is
named by the release, so an artifact dropped into ``models/trained`` changes nothing until
it is asked for by path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lit.models.bundle as bundle
from lit.extract.workers import model_versions


def test_model_bundle_names_the_committed_models() -> None:
    """Every model the bundle names is committed, each with its card."""
    assert bundle.DEFAULT_BUNDLE == {"ner": "ner-v2", "re": "re-v3", "confidence": "conf-v5"}
    for kind in bundle.DEFAULT_BUNDLE:
        path = bundle.default_artifact(kind)
        assert path.parent == bundle.TRAINED_DIR and (path / "README.md").is_file()


def test_model_bundle_stray_newer_artifacts_do_not_change_what_loads(tmp_path: Path, monkeypatch) -> None:
    """A copy of models/trained plus newer-stamped ner-, re- and conf- artifacts (what a
    training run or a stray copy leaves there): the models, their versions and the
    calibration lit uses stay the bundle's. Under the old newest-by-stamp rule each stray
    would have won."""
    from lit.models.fact_confidence import default_calibration
    from lit.models.ner.infer import NerTagger

    before = model_versions()
    trained = tmp_path / "trained"
    trained.mkdir()
    for name in bundle.DEFAULT_BUNDLE.values():
        (trained / name).symlink_to(bundle.TRAINED_DIR / name, target_is_directory=True)
    for kind, file in (("ner", "config.json"), ("re", "config.json"), ("confidence", "calibration.json")):
        source = bundle.TRAINED_DIR / bundle.DEFAULT_BUNDLE[kind]
        stray = trained / (bundle.DEFAULT_BUNDLE[kind].split("-")[0] + "-v99")
        stray.mkdir()
        for part in source.iterdir():
            (stray / part.name).symlink_to(part)
        data = json.loads((source / file).read_text(encoding="utf-8"))
        data.update(version="v99", created="2999-01-01T00:00:00+00:00")
        (stray / file).unlink()
        (stray / file).write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(bundle, "TRAINED_DIR", trained)

    assert {k: bundle.default_artifact(k).name for k in bundle.DEFAULT_BUNDLE} == bundle.DEFAULT_BUNDLE
    assert model_versions() == before and "v99" not in "".join(before)
    assert default_calibration().version == bundle.DEFAULT_BUNDLE["confidence"].removeprefix("conf-")
    assert NerTagger.load(None, device="cpu").version == "v2"


def test_model_bundle_missing_artifact_is_a_model_error(tmp_path: Path) -> None:
    from lit.errors import ModelError

    with pytest.raises(ModelError, match="the default re model is missing"):
        bundle.default_artifact("re", tmp_path)
