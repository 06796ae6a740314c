"""The held-out fact set and its strict scorer (lit.models.evaluate_facts, ``lit evaluate facts``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.errors import CorpusError
from lit.extract.facts import Fact
from lit.models.evaluate_facts import (
    GOLD_UNITS,
    PROPERTIES,
    SPLITS,
    TOLERANCE,
    EvalText,
    GoldFact,
    evaluate_facts,
    fact_matches,
    load_eval_set,
    score_text,
    summarise,
)


def fact(
    compound: str,
    prop: str,
    value: float,
    unit: str,
    value_max: float | None = None,
    *,
    formula: str | None = None,
    compound_key: str | None = None,
) -> Fact:
    """A predicted fact as the pipeline would emit it (only the fields the scorer reads vary)."""
    return Fact(
        compound=compound,
        property=prop,
        value=value,
        unit=unit,
        raw_value=f"{value} {unit}",
        doc_id="d",
        source="test",
        start=0,
        end=1,
        sentence="s",
        model="test",
        value_max=value_max,
        formula=formula,
        compound_key=compound_key,
    )


def text(facts: list[GoldFact], split: str = "abstracts", id_: str = "t1") -> EvalText:
    return EvalText(id_, split, "unused", tuple(facts))


GAN = GoldFact("GaN", "band_gap", 3.4, "eV", aliases=("gallium nitride",))
NI = GoldFact("nickel", "curie_temperature", 627.15, "K", aliases=("Ni",))
BIVO4 = GoldFact("BiVO4", "band_gap", 2.4, "eV", value_max=2.5)


# --- the gold set -------------------------------------------------------------------------------


def test_evaluate_facts_gold_set_is_well_formed():
    texts = load_eval_set("all")
    assert {t.split for t in texts} == set(SPLITS)
    assert len(texts) >= 40
    assert len({t.id for t in texts}) == len(texts)
    for t in texts:
        assert 2 <= t.text.count(". ") + 1 <= 8, t.id  # short texts of a few sentences
        for g in t.facts:
            assert g.property in PROPERTIES and g.unit == GOLD_UNITS[g.property]
            assert g.keys, (t.id, g.compound)
            assert g.value > 0 and (g.value_max is None or g.value_max > g.value)
    abstracts = load_eval_set("abstracts")
    assert abstracts and all(t.split == "abstracts" for t in abstracts)


def test_evaluate_facts_loader_names_file_and_line(tmp_path: Path):
    good = {"id": "x", "text": "t", "facts": []}
    bad = {"id": "y", "text": "t", "facts": [{"compound": "GaN", "property": "colour", "value": 1, "unit": "eV"}]}
    (tmp_path / "abstracts.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(CorpusError, match=r"abstracts\.jsonl:2: property 'colour'"):
        load_eval_set("abstracts", tmp_path)
    with pytest.raises(CorpusError, match=r"results\.jsonl: evaluation split not found"):
        load_eval_set("results", tmp_path)
    with pytest.raises(CorpusError, match="unknown split"):
        load_eval_set("train", tmp_path)
    wrong_unit = {"id": "z", "text": "t", "facts": [{"compound": "Ni", "property": "curie_temperature", "value": 354, "unit": "°C"}]}
    (tmp_path / "results.jsonl").write_text(json.dumps(wrong_unit) + "\n")
    with pytest.raises(CorpusError, match=r"results\.jsonl:1: curie_temperature must be in K"):
        load_eval_set("results", tmp_path)


# --- the matching rule --------------------------------------------------------------------------


def test_evaluate_facts_exact_match_and_tolerance():
    assert fact_matches(fact("GaN", "band_gap", 3.4, "eV"), GAN)
    inside, outside = 3.4 * (1 + TOLERANCE * 0.8), 3.4 * (1 + TOLERANCE * 1.2)
    assert fact_matches(fact("GaN", "band_gap", inside, "eV"), GAN)
    assert not fact_matches(fact("GaN", "band_gap", outside, "eV"), GAN)
    assert not fact_matches(fact("GaN", "band_gap", 3.47, "eV"), GAN)


def test_evaluate_facts_compound_by_key_alias_or_formula():
    # normalised keys: "Gallium nitride" (an alias, other casing) and a perovskite rewrite
    assert fact_matches(fact("Gallium Nitride", "band_gap", 3.4, "eV"), GAN)
    mapbi3 = GoldFact("MAPbI3", "band_gap", 1.58, "eV")
    assert fact_matches(fact("CH3NH3PbI3", "band_gap", 1.58, "eV"), mapbi3)
    assert fact_matches(fact("Ni", "curie_temperature", 627.15, "K"), NI)
    assert fact_matches(fact("nickel", "curie_temperature", 627.15, "K"), NI)
    # the written compound is an anaphor, but the pipeline's formula names GaN
    assert fact_matches(fact("the film", "band_gap", 3.4, "eV", formula="GaN"), GAN)
    assert fact_matches(fact("it", "band_gap", 3.4, "eV", compound_key="GaN"), GAN)
    assert not fact_matches(fact("AlN", "band_gap", 3.4, "eV"), GAN)
    assert not fact_matches(fact("the film", "band_gap", 3.4, "eV"), GAN)


def test_evaluate_facts_property_and_unit_must_agree():
    assert not fact_matches(fact("Ni", "neel_temperature", 627.15, "K"), NI)
    assert not fact_matches(fact("GaN", "band_gap", 3.4, "V"), GAN)
    assert not fact_matches(fact("GaN", "band_gap", 3.4, "furlongs"), GAN)
    assert not fact_matches(fact("Ni", "curie_temperature", 627.15, "eV"), NI)


def test_evaluate_facts_converts_celsius_and_prefixes_to_gold_unit():
    assert fact_matches(fact("Ni", "curie_temperature", 354, "°C"), NI)
    assert not fact_matches(fact("Ni", "curie_temperature", 354, "K"), NI)
    assert fact_matches(fact("GaN", "band_gap", 3400, "meV"), GAN)
    assert math.isclose(627.15 - 273.15, 354)


def test_evaluate_facts_ranges_need_both_ends():
    assert fact_matches(fact("BiVO4", "band_gap", 2.4, "eV", 2.5), BIVO4)
    assert not fact_matches(fact("BiVO4", "band_gap", 2.4, "eV"), BIVO4)
    assert not fact_matches(fact("BiVO4", "band_gap", 2.4, "eV", 2.6), BIVO4)
    assert not fact_matches(fact("GaN", "band_gap", 3.4, "eV", 3.5), GAN)
    celsius_range = GoldFact("Sn", "melting_point", 505.05, "K", value_max=506.15)
    assert fact_matches(fact("Sn", "melting_point", 231.9, "°C", 233.0), celsius_range)


# --- counting -----------------------------------------------------------------------------------


def test_evaluate_facts_score_text_counts_each_gold_once():
    gold = text([GAN, NI, BIVO4])
    preds = [
        fact("GaN", "band_gap", 3.4, "eV"),
        fact("gallium nitride", "band_gap", 3.401, "eV"),  # the same fact again: dropped
        fact("Ni", "curie_temperature", 354, "°C"),
        fact("Ni", "curie_temperature", 627, "K"),  # same value within tolerance: dropped
        fact("GaN", "band_gap", 3.47, "eV"),  # an exciton line: false positive
        fact("GaN", "lattice_constant", 5.19, "Å"),  # not one of the five properties
    ]
    res = score_text(gold, preds)
    assert [g for _, g in res.true_positives] == [GAN, NI]
    assert res.duplicates == 2 and res.ignored == 1
    assert [(f.value, why) for f, why in res.false_positives] == [(3.47, "value/unit differ from gold 3.4 eV")]
    assert res.false_negatives == [BIVO4]


def test_evaluate_facts_false_positive_reasons():
    res = score_text(text([GAN]), [fact("AlN", "band_gap", 3.4, "eV"), fact("GaN", "curie_temperature", 3.4, "eV")])
    reasons = [why for _, why in res.false_positives]
    assert reasons == ["compound differs from gold 'GaN'", "property differs from gold band_gap"]


def test_evaluate_facts_summarise_micro_per_property_per_split():
    a = score_text(text([GAN, NI], "abstracts", "a"), [fact("GaN", "band_gap", 3.4, "eV"), fact("Fe", "curie_temperature", 1043, "K")])
    r = score_text(text([BIVO4], "results", "r"), [fact("BiVO4", "band_gap", 2.4, "eV", 2.5)])
    s = summarise([a, r])
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (2, 1, 1)
    assert math.isclose(s["micro"]["precision"], round(2 / 3, 4))
    assert math.isclose(s["micro"]["f1"], round(2 * (2 / 3) ** 2 / (4 / 3), 4))
    assert s["per_property"]["band_gap"]["precision"] == 1.0
    assert (s["per_property"]["curie_temperature"]["fp"], s["per_property"]["curie_temperature"]["fn"]) == (1, 1)
    assert s["per_split"]["results"]["f1"] == 1.0 and s["per_split"]["abstracts"]["recall"] == 0.5
    assert {(e["id"], e["kind"], e["compound"]) for e in s["errors"]} == {("a", "fp", "Fe"), ("a", "fn", "nickel")}
    assert s["gold"] == 3 and s["predicted"] == 3


# --- the whole run ------------------------------------------------------------------------------


def _well_formed(block: dict) -> None:
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= block[key] <= 1.0
    assert min(block["tp"], block["fp"], block["fn"]) >= 0


def test_evaluate_facts_runs_lit_on_the_held_out_set():
    scores = evaluate_facts("all")
    print("\nmicro", scores["micro"], "per split", scores["per_split"])  # the number is reported, not asserted
    _well_formed(scores["micro"])
    for block in (*scores["per_property"].values(), *scores["per_split"].values()):
        _well_formed(block)
    assert set(scores["per_split"]) == set(SPLITS)
    assert scores["micro"]["tp"] >= 1
    assert scores["micro"]["tp"] + scores["micro"]["fn"] == scores["gold"]
    assert scores["micro"]["tp"] + scores["micro"]["fp"] == scores["predicted"]
    assert len(scores["errors"]) == scores["micro"]["fp"] + scores["micro"]["fn"]


def test_evaluate_facts_cli_prints_json_and_table():
    runner = CliRunner()
    got = runner.invoke(app, ["evaluate", "facts", "--split", "results", "--json"])
    assert got.exit_code == 0, got.output
    scores = json.loads(got.output)
    assert scores["split"] == "results" and set(scores["per_split"]) == {"results"}
    _well_formed(scores["micro"])
    table = runner.invoke(app, ["evaluate", "facts", "--split", "abstracts", "--no-errors"])
    assert table.exit_code == 0, table.output
    assert "micro" in table.output and "band_gap" in table.output and " FN " not in table.output
    bad = runner.invoke(app, ["evaluate", "facts", "--split", "bogus"])
    assert bad.exit_code == 2
