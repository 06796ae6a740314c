"""``lit evaluate facts --set ...``: the JSON shape, the table, the errors view and the grouped
extraction, with a stand-in extractor (the real models run in test_benchmark_sets.py's slow test)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.extract.facts import Fact
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.pipeline import DocumentResult, Extractor
from lit.models.benchmark import load_set, set_names
from lit.models.benchmark.run import GROUP, evaluate_set


class OneFactPerText:
    """Claims "Si has a band gap of 1.12 eV" in every document; records the groups it was given."""

    model_versions = ["stand-in"]

    def __init__(self) -> None:
        self.vocab = PropertyVocabulary.load()
        self.groups: list[int] = []

    def extract_documents(self, docs):
        self.groups.append(len(docs))
        return [
            DocumentResult(source=d.info.source, info=d.info, facts=[Fact(
                compound="Si", property="band_gap", value=1.12, unit="eV", raw_value="1.12 eV", doc_id=d.doc_id,
                source=d.info.source, start=0, end=10, sentence=d.text[:40], model="stand-in", confidence=0.5)])
            for d in docs
        ]


@pytest.fixture
def stand_in(monkeypatch) -> OneFactPerText:
    extractor = OneFactPerText()
    monkeypatch.setattr(Extractor, "load", classmethod(lambda cls, *a, **k: extractor))
    return extractor


def test_cli_json_shape(stand_in):
    got = CliRunner().invoke(app, ["evaluate", "facts", "--set", "ours", "--split", "dev", "--json", "--errors", "2"])
    assert got.exit_code == 0, got.output
    out = json.loads(got.output)
    assert out["split"] == "dev" and list(out["sets"]) == ["ours"]
    s = out["sets"]["ours"]
    assert {"texts", "gold", "predicted", "matched", "precision", "recall", "f1", "per_property", "not_scored",
            "loader", "seconds", "failed", "model_versions", "errors"} <= set(s)
    assert (s["texts"], s["gold"], s["predicted"]) == (30, 50, 30)
    assert s["matched"] <= 1 and s["precision"] == round(s["matched"] / 30, 4)
    assert set(s["per_property"]["band_gap"]) == {"gold", "predicted", "matched", "precision", "recall", "f1"}
    assert len(s["errors"]["false_positives"]) == 2 and len(s["errors"]["misses"]) == 2
    assert s["errors"]["false_positives"][0]["sentence"]
    assert s["model_versions"] == ["stand-in"] and s["failed"] == []


def test_cli_table_and_bad_arguments(stand_in):
    runner = CliRunner()
    table = runner.invoke(app, ["evaluate", "facts", "--set", "ours", "--split", "test", "--errors", "1"])
    assert table.exit_code == 0, table.output
    assert "ours (test): 41 texts, 67 gold" in table.output and "\nFP " in table.output and "\nMISS " in table.output
    assert runner.invoke(app, ["evaluate", "facts", "--set", "ours", "--split", "validation"]).exit_code != 0
    assert runner.invoke(app, ["evaluate", "facts", "--set", "nosuchset"]).exit_code != 0


def test_cli_scores_the_facts_lit_extract_would_write(stand_in):
    """By default every fact of an uncalibrated model counts; --min-confidence drops those below it."""
    runner = CliRunner()
    default = json.loads(runner.invoke(app, ["evaluate", "facts", "--set", "ours", "--json"]).output)["sets"]["ours"]
    above = runner.invoke(app, ["evaluate", "facts", "--set", "ours", "--json", "--min-confidence", "0.6"])
    assert above.exit_code == 0, above.output
    above = json.loads(above.output)["sets"]["ours"]
    assert (default["predicted"], default["min_confidence"]) == (30, None)
    assert (above["predicted"], above["min_confidence"]) == (0, 0.6)
    table = runner.invoke(app, ["evaluate", "facts", "--set", "ours", "--min-confidence", "0.5"])
    assert "30 predicted" in table.output and "(confidence >= 0.5)" in table.output


def test_documents_go_in_groups_and_results_stay_aligned():
    bench = load_set("ours", "test")
    extractor = OneFactPerText()
    scores = evaluate_set(bench, extractor)
    assert extractor.groups == [GROUP, len(bench.texts) - GROUP]
    assert scores["predicted"] == len(bench.texts)


def test_set_names():
    assert set_names("real") == ["realtext", "sofc_exp", "polyie", "battery"]
    assert set_names("ours,polyie,ours") == ["ours", "polyie"]


def test_cli_agreement_needs_the_second_annotation(tmp_path, monkeypatch):
    from lit.models.benchmark import agreement

    monkeypatch.setattr(agreement, "DEFAULT_DIR", tmp_path)
    got = CliRunner().invoke(app, ["evaluate", "agreement"])
    assert got.exit_code != 0 and f"{tmp_path}/agreement.b.jsonl: no second annotation" in got.output
