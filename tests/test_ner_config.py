"""Training config loading and base-encoder resolution (models/ner/config.py)."""

import json

import pytest

from lit.errors import ModelError
from lit.models.ner.config import NerConfig, load_config, resolve_base

REPO_CONFIGS = __import__("pathlib").Path(__file__).resolve().parents[1] / "models" / "configs"


def test_ner_config_json_and_toml_agree(tmp_path):
    data = {"version": "t", "corpora": ["polyie", {"name": "matscholar", "limit": 5}], "lr": 0.01}
    (tmp_path / "c.json").write_text(json.dumps(data))
    (tmp_path / "c.toml").write_text(
        'version = "t"\nlr = 0.01\ncorpora = ["polyie", {name = "matscholar", limit = 5}]\n'
    )
    a, b = load_config(tmp_path / "c.json"), load_config(tmp_path / "c.toml")
    assert a == b
    assert a.corpora[1].name == "matscholar" and a.corpora[1].limit == 5
    assert a.tags[0] == "O" and "B-COMPOUND" in a.tags and len(a.tags) == 1 + 2 * len(a.labels)


def test_ner_config_errors_name_the_file(tmp_path):
    with pytest.raises(ModelError, match="nope.json"):
        load_config(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"learning_rate": 1}')
    with pytest.raises(ModelError, match="learning_rate"):
        load_config(bad)
    for bad_window in ('{"infer_len": 1000}', '{"infer_len": 128, "stride": 200}', '{"layers": 0}',
                       '{"freeze_below": 4}', '{"label_weights": {"CONDITON": 3}}', '{"label_weights": {"VALUE": 0}}'):
        (tmp_path / "window.json").write_text(bad_window)
        with pytest.raises(ModelError, match="window.json"):
            load_config(tmp_path / "window.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ModelError, match="broken.json"):
        load_config(broken)


def test_ner_config_committed_configs_load():
    paths = sorted(REPO_CONFIGS.glob("ner*.json"))
    assert paths
    for p in paths:
        assert isinstance(load_config(p), NerConfig)


def test_ner_config_base_env_override(tmp_path, monkeypatch):
    assert (resolve_base() / "config.json").is_file()
    monkeypatch.setenv("LIT_BASE_ENCODER", str(tmp_path))
    with pytest.raises(ModelError, match="LIT_BASE_ENCODER"):
        resolve_base()
