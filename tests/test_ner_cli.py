"""`lit train ner` / `lit evaluate ner` command behaviour (lit/cli/train.py, lit/cli/evaluate.py)."""

import json

from typer.testing import CliRunner

from lit.cli.main import app

runner = CliRunner()


def test_ner_cli_commands_documented():
    for args in (["train", "ner", "--help"], ["evaluate", "ner", "--help"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and ("--config" in res.output or "--corpus" in res.output)


def test_ner_cli_evaluate_json_on_committed_model(corpora_dir, monkeypatch):
    monkeypatch.setenv("LIT_CORPORA", str(corpora_dir))
    res = runner.invoke(app, ["evaluate", "ner", "--corpus", "polyie", "--split", "test", "--limit", "2", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["examples"] == 2 and 0.0 <= data["micro"]["f1"] <= 1.0
    assert set(data["per_label"]) <= {"COMPOUND", "PROPERTY", "VALUE", "CONDITION"}


def test_ner_cli_errors_exit_1_with_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"epochz": 3}')
    res = runner.invoke(app, ["train", "ner", "--config", str(bad)])
    assert res.exit_code == 1 and "epochz" in res.output
    res = runner.invoke(app, ["evaluate", "ner", "--model", str(tmp_path), "--corpus", "polyie"])
    assert res.exit_code == 1 and "config.json" in res.output
    res = runner.invoke(app, ["evaluate", "ner", "--corpus", "nosuch", "--model", str(tmp_path)])
    assert res.exit_code == 1
