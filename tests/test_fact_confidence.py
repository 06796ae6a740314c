"""Calibrated fact confidence: the fit, the judging by the benchmark rule, and its use in the pipeline."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from pathlib import Path

import pytest

from lit.extract.document import paragraph_document
from lit.extract.facts import Fact
from lit.extract.normalize.compounds import normalize_compound
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.pipeline import Extractor
from lit.extract.readers import read_document
from lit.models.calibration import expected_calibration_error, fit_logistic, logit, reliability
from lit.models.fact_confidence import (
    FactCalibration,
    Floors,
    default_calibration,
    evidence,
    judge,
    operating_point,
    rival_counts,
)

REPO = Path(__file__).resolve().parents[1]


def test_fact_confidence_fit_recovers_a_known_curve() -> None:
    """Labels drawn from sigmoid(2 logit(raw) - 1): the fit finds a ~ 2 and b ~ -1."""
    rng = random.Random(7)
    raws = [rng.uniform(0.3, 0.98) for _ in range(6000)]
    labels = [1.0 if rng.random() < 1 / (1 + math.exp(-(2 * logit(r) - 1))) else 0.0 for r in raws]
    a, b = fit_logistic([[logit(r), 1.0] for r in raws], labels, start=[1.0, 0.0], l2=0.01, prior=[1.0, 0.0])
    assert a == pytest.approx(2.0, abs=0.2)
    assert b == pytest.approx(-1.0, abs=0.2)


def test_fact_confidence_prior_holds_a_tiny_sample_near_identity() -> None:
    """Twelve all-right facts must not turn the map upside down or flat."""
    raws = [0.6, 0.7, 0.8, 0.9] * 3
    a, b = fit_logistic([[logit(r), 1.0] for r in raws], [1.0] * 11 + [0.0], start=[1.0, 0.0], l2=1.0, prior=[1.0, 0.0])
    assert a > 0.5
    cal = FactCalibration("t", "m", a, b)
    assert cal(0.6) < cal(0.7) < cal(0.8) < cal(0.9)


def test_fact_confidence_reliability_table_and_ece() -> None:
    table = reliability([0.15, 0.15, 0.95, 0.95], [False, True, True, True])
    assert [r["count"] for r in table] == [0, 2, 0, 0, 0, 0, 0, 0, 0, 2]
    assert table[1]["precision"] == 0.5 and table[9]["precision"] == 1.0
    assert expected_calibration_error(table) == pytest.approx((2 * 0.35 + 2 * 0.05) / 4)


def _gold_fact(example, tup) -> Fact:
    """The fact a perfect pipeline would write for one gold tuple of a real PolyIE paragraph."""
    c, p, v = tup[0], tup[1], tup[2]
    ents, text = example.entities, example.text
    info = normalize_compound(text[ents[c].start : ents[c].end])
    return Fact(
        compound=text[ents[c].start : ents[c].end],
        property="x",
        value=1.0,
        unit="",
        raw_value=text[ents[v].start : ents[v].end],
        doc_id=example.id,
        source=example.id,
        start=0,
        end=len(text),
        sentence=text,
        model="test",
        compound_key=info.key if info else None,
        property_text=text[ents[p].start : ents[p].end],
        compound_start=ents[c].start,
        compound_end=ents[c].end,
        value_start=ents[v].start,
        value_end=ents[v].end,
    )


def test_fact_confidence_judges_facts_by_the_benchmark_rule() -> None:
    """A sentence fact matching a gold fact is right, one that matches none is wrong; table
    facts, facts outside the set's properties and repeats are not judged."""
    from lit.models.benchmark.gold import BenchSet, BenchText, GoldFact, paragraphs_document

    doc = paragraphs_document(["The band gap of ZnO is 3.3 eV and that of GaN is 3.4 eV."], "t")
    gold = GoldFact(compound="ZnO", property="band_gap", numbers=(3.3,))
    text = BenchText("t", "dev", doc, (gold,))
    bench = BenchSet("x", "dev", [text], frozenset({"band_gap"}))

    def fact(compound, value, model="m", prop="band_gap"):
        return Fact(compound=compound, property=prop, value=value, unit="eV", raw_value=f"{value} eV", doc_id="t",
                    source="t", start=0, end=10, sentence="s", model=model, confidence=0.5 + value / 10)

    facts = [fact("ZnO", 3.3), fact("GaN", 3.4), fact("GaN", 3.4), fact("ZnO", 3.3, model="table"),
             fact("ZnO", 5.0, prop="work_function")]
    judged = judge(text, facts, bench, "m", PropertyVocabulary.load())
    assert sorted((round(e[0], 4), ok) for e, ok in judged) == [(0.83, True), (0.84, False)]
    assert {e[1:] for e, _ in judged} == {(0.0, 0.0, 0.0, 0.0, 0.0)}  # names, not formulae; no offsets given


def test_fact_confidence_load_reads_a_calibration_and_refuses_other_files(tmp_path: Path) -> None:
    (tmp_path / "conf-b").mkdir()
    data = {"version": "b", "fitted_for": "m", "a": 1.5, "b": -0.5, "created": "2026-01-01T00:00:00Z"}
    (tmp_path / "conf-b" / "calibration.json").write_text(json.dumps(data))
    assert FactCalibration.load(tmp_path / "conf-b") == FactCalibration("b", "m", 1.5, -0.5)
    with pytest.raises(Exception, match="not a fact calibration"):
        FactCalibration.load(tmp_path / "nothing")


def test_fact_confidence_committed_calibration_applies_to_the_default_models() -> None:
    """The default pipeline writes calibrated confidences: same facts, confidence = map(raw)."""
    calibration = default_calibration()
    extractor = Extractor.load()
    assert extractor.confidence == calibration
    assert extractor.sentence_model == f"{calibration.fitted_for}+{calibration.tag}"
    doc = read_document(sorted((REPO / "corpora" / "sample").glob("*.txt"))[0])
    calibrated, _ = extractor.extract(doc)
    extractor.confidence = None
    state = extractor.analyse([doc])[0]
    rivals = rival_counts(state)
    by_id = {f.fact_id: f for f in state.facts}
    sentence_facts = [f for f in calibrated if f.model.endswith(calibration.tag)]
    assert sentence_facts and {f.fact_id for f in calibrated} == set(by_id)
    for fact in sentence_facts:
        raw = by_id[fact.fact_id]
        assert fact.confidence == calibration(raw.confidence, raw, rivals(raw))


def test_fact_confidence_not_applied_to_other_models() -> None:
    """Rules alone are not what the committed curve was fitted for: confidences stay raw."""
    extractor = Extractor(None).calibrated()
    assert extractor.confidence is None
    assert "conf-" not in extractor.sentence_model


def test_fact_confidence_cli_refuses_to_fit_on_test() -> None:
    from typer.testing import CliRunner

    from lit.cli.main import app

    result = CliRunner().invoke(app, ["train", "confidence", "--split", "test"], env={"COLUMNS": "200"})
    assert result.exit_code == 2  # refused before any model is loaded
    assert "never for fitting" in result.output


def test_fact_confidence_weighs_formula_own_sentence_range_distance_and_rivals() -> None:
    """The same raw score counts for more when the compound is a formula named in the sentence,
    for less when the value is a range, lies far from the compound, or other compounds were named."""
    cal = FactCalibration("t", "m", 1.0, 0.0, formula=0.6, own_sentence=0.2, value_range=-1.0, distance=-0.5,
                          rivals=-1.5)
    base = Fact(compound="ZnO", property="band_gap", value=3.3, unit="eV", raw_value="3.3 eV", doc_id="d",
                source="t", start=0, end=300, sentence="s" * 300, model="m", confidence=0.5, formula="OZn",
                compound_start=4, compound_end=7, value_start=24, value_end=30)
    carried = replace(base, compound_start=400, compound_end=403)
    neither = replace(carried, formula=None)
    assert cal(0.5, base) > cal(0.5, carried) > cal(0.5, neither) == cal(0.5)
    assert cal(0.5) == 0.5
    assert evidence(base) == (1.0, 1.0, 0.0, 0.2, 0.0) and evidence(neither) == (0.0, 0.0, 0.0, 0.0, 0.0)
    far = replace(base, value_start=290, value_end=296)
    ranged = replace(base, value_max=3.5)
    assert evidence(far)[3] == 2.0  # counted up to FAR characters
    assert cal(0.5, far) < cal(0.5, base) and cal(0.5, ranged) < cal(0.5, base)
    assert evidence(ranged)[2] == 1.0
    assert evidence(base, 1)[4] == pytest.approx(1 / 3) and evidence(base, 7)[4] == 1.0  # counted up to CROWD
    assert cal(0.5, base, 7) < cal(0.5, base, 1) < cal(0.5, base)


def test_fact_confidence_counts_the_other_compounds_named_up_to_a_fact() -> None:
    """Rivals are the other compounds the document names up to the end of the fact's sentence,
    spaces and case aside; compounds named after it do not count."""
    doc = paragraph_document(
        "We grew ZnO films. The band gap of ZnO is 3.3 eV. GaN and Zn O were grown too. "
        "The band gap of GaN is 3.4 eV.", "rivals")
    state = Extractor.load().analyse([doc])[0]
    rivals = rival_counts(state)
    by_value = {f.value: f for f in state.facts}
    assert {f.compound for f in state.facts} == {"ZnO", "GaN"}
    assert rivals(by_value[3.3]) == 0 and rivals(by_value[3.4]) == 1  # "Zn O" is ZnO again


def test_fact_confidence_operating_point_maximises_mean_f_half() -> None:
    """Two sets: the threshold is the one of the grid with the best mean F0.5, the lowest of
    those within PLATEAU of it."""
    cal = FactCalibration("t", "m")  # identity: calibrated == raw
    none = (0.0,) * 5
    # set A: right facts score 0.9, wrong ones 0.3; set B: everything right at 0.6
    collected = {
        "A": ([(0.9, *none)] * 4 + [(0.3, *none)] * 4, [True] * 4 + [False] * 4, {"gold": 4}),
        "B": ([(0.6, *none)] * 2, [True] * 2, {"gold": 4}),
    }
    assert operating_point(collected, cal) == 0.35  # drops A's wrong facts, keeps B's
    collected["B"] = ([(0.2, *none)] * 2, [True] * 2, {"gold": 4})
    assert operating_point(collected, cal) == 0.0  # B's facts are worth A's noise
    nearly = {"A": ([(0.9, *none)] * 99 + [(0.3, *none)], [True] * 99 + [False], {"gold": 100})}
    assert operating_point(nearly, cal) == 0.0  # 0.35 scores 0.008 better: within the plateau


def test_fact_confidence_floors_default_to_the_operating_point_of_calibrated_facts() -> None:
    calibration = default_calibration()
    assert 0.0 < calibration.min_confidence < 0.8
    calibrated = f"{calibration.fitted_for}+{calibration.tag}"
    fact = Fact(compound="ZnO", property="band_gap", value=3.3, unit="eV", raw_value="3.3 eV", doc_id="d",
                source="t", start=0, end=30, sentence="s" * 30, model=calibrated,
                confidence=round(calibration.min_confidence - 0.01, 4))
    table = replace(fact, model="table-rules-0.1")
    default = Floors.of(None, [calibrated, "table-rules-0.1"])
    assert not default.keeps(fact) and default.keeps(replace(fact, confidence=calibration.min_confidence))
    assert default.keeps(table)  # not calibrated: no operating point
    assert Floors.of(0.0, [calibrated]).keeps(fact) and not Floors.of(0.9, []).keeps(table)
