"""The strict fact scorer of the benchmark (lit.models.benchmark.score) on small hand-made cases:
names and aliases, lit's compound keys, unit conversion of gold, ranges, one-to-one pairing,
duplicates, scope and property groups, and the summary's counts."""

from __future__ import annotations

import pytest

from lit.extract.document import paragraph_document
from lit.extract.facts import Fact
from lit.extract.normalize.properties import PropertyVocabulary
from lit.models.benchmark.gold import BenchSet, BenchText, GoldFact, gold_numbers, listed_numbers, name_form
from lit.models.benchmark.score import TOLERANCE, Pred, matches, score_text, summarise


@pytest.fixture(scope="module")
def vocab() -> PropertyVocabulary:
    return PropertyVocabulary.load()


def fact(compound: str, prop: str, value: float, unit: str, value_max: float | None = None,
         key: str | None = None) -> Fact:
    return Fact(compound=compound, property=prop, value=value, unit=unit, raw_value=f"{value} {unit}", doc_id="d",
                source="t", start=0, end=5, sentence="s", model="test", value_max=value_max, compound_key=key)


def bench(facts: list[GoldFact], properties=("band_gap", "curie_temperature"), groups=None) -> BenchSet:
    text = BenchText("t1", "dev", paragraph_document("unused text", "t1"), tuple(facts))
    return BenchSet("test", "dev", [text], frozenset(properties), groups or {})


def preds(b: BenchSet, vocab: PropertyVocabulary, *facts: Fact) -> list[Pred]:
    return [Pred.of_fact(f, b, vocab) for f in facts]


ZNO = GoldFact("ZnO", "band_gap", (3.37,), ("zinc oxide",))


def test_names_compare_without_whitespace_and_dash_forms_but_with_case():
    assert name_form("La0.6Sr0.4 CoO3−δ") == name_form("La0.6Sr0.4CoO3-δ")
    assert name_form("Co") != name_form("CO")


def test_compound_by_name_alias_or_lit_key(vocab):
    b = bench([ZNO])
    assert matches(Pred.of_fact(fact("ZnO", "band_gap", 3.37, "eV"), b, vocab), ZNO)
    assert matches(Pred.of_fact(fact("zinc  oxide", "band_gap", 3.37, "eV"), b, vocab), ZNO)
    # another string, but lit's key of it is the key of the gold formula (a resolved abbreviation)
    assert matches(Pred.of_fact(fact("the oxide", "band_gap", 3.37, "eV", key="OZn"), b, vocab), ZNO)
    assert not matches(Pred.of_fact(fact("ZnS", "band_gap", 3.37, "eV", key="SZn"), b, vocab), ZNO)
    # a doped material is not its host, under names or keys
    assert not matches(Pred.of_fact(fact("Al-doped ZnO", "band_gap", 3.37, "eV", key="OZn:Al"), b, vocab), ZNO)


def test_numbers_within_tolerance_and_property_must_agree(vocab):
    b = bench([ZNO])
    assert matches(Pred.of_fact(fact("ZnO", "band_gap", 3.37 * (1 + TOLERANCE / 2), "eV"), b, vocab), ZNO)
    assert not matches(Pred.of_fact(fact("ZnO", "band_gap", 3.37 * (1 + 2 * TOLERANCE), "eV"), b, vocab), ZNO)
    assert not matches(Pred.of_fact(fact("ZnO", "work_function", 3.37, "eV"), b, vocab), ZNO)


def test_gold_is_converted_to_the_canonical_unit(vocab):
    assert listed_numbers(vocab, "curie_temperature", [354], "°C") == pytest.approx((627.15,))
    assert gold_numbers(vocab, "ionic_conductivity", "35 mS cm−1") == pytest.approx((0.035,))
    assert gold_numbers(vocab, "band_gap", "3400 meV") == pytest.approx((3.4,))
    # not values: a bound, a unit of another dimension, a bare number where lit needs a unit
    assert gold_numbers(vocab, "open_circuit_voltage", "higher than 1.1 V") == "bound"
    assert gold_numbers(vocab, "band_gap", "3.4 K") == "unit does not fit the property"
    assert gold_numbers(vocab, "ionic_conductivity", "0.229") == "no unit"
    # a fact in °C matches gold written in °C, both compared in K
    ni = GoldFact("Ni", "curie_temperature", listed_numbers(vocab, "curie_temperature", [354], "°C"))
    assert matches(Pred.of_fact(fact("Ni", "curie_temperature", 627.15, "K"), bench([ni]), vocab), ni)


def test_ranges_need_the_same_set_of_numbers(vocab):
    gold = GoldFact("BiVO4", "band_gap", listed_numbers(vocab, "band_gap", [2.4, 2.5], "eV"))
    b = bench([gold])
    assert matches(Pred.of_fact(fact("BiVO4", "band_gap", 2.4, "eV", value_max=2.5), b, vocab), gold)
    assert not matches(Pred.of_fact(fact("BiVO4", "band_gap", 2.4, "eV"), b, vocab), gold)
    assert gold_numbers(vocab, "band_gap", "2.4–2.5 eV") == gold.numbers


def test_one_to_one_duplicates_and_maximum_matching(vocab):
    gan = GoldFact("GaN", "band_gap", (3.4,), ("gallium nitride",))
    b = bench([ZNO, gan])
    s = score_text(b.texts[0], preds(
        b, vocab,
        fact("ZnO", "band_gap", 3.37, "eV"),
        fact("ZnO", "band_gap", 3.3701, "eV"),       # the same fact again: a duplicate, not scored
        fact("zinc oxide", "band_gap", 3.37, "eV"),  # the same gold fact under its alias: a false positive
        fact("GaN", "band_gap", 3.5, "eV"),
    ), b.properties)
    assert [g.compound for _, g in s.matched] == ["ZnO"]
    assert [p.compound for p in s.false_positives] == ["zinc oxide", "GaN"]
    assert s.misses == [gan] and s.duplicates == 1
    # a prediction accepted by two gold facts goes where it leaves the most matches
    a = GoldFact("A", "band_gap", (1.0,), ("X",))
    x = GoldFact("X", "band_gap", (1.0,))
    b2 = bench([a, x])
    s2 = score_text(b2.texts[0], preds(b2, vocab, fact("X", "band_gap", 1.0, "eV"), fact("A", "band_gap", 1.0, "eV")),
                    b2.properties)
    assert len(s2.matched) == 2 and not s2.false_positives and not s2.misses


def test_scope_and_property_groups(vocab):
    gold = GoldFact("YSZ", "conductivity", (0.1,))
    b = bench([gold], properties=("conductivity",),
              groups={"ionic_conductivity": "conductivity", "electrical_conductivity": "conductivity"})
    s = score_text(b.texts[0], preds(
        b, vocab,
        fact("YSZ", "electrical_conductivity", 0.1, "S cm-1"),  # either conductivity matches the group
        fact("YSZ", "band_gap", 2.0, "eV"),                     # a property the gold does not cover
        fact("LSM", "ionic_conductivity", 5.0, "S cm-1"),       # in scope, not in the gold
    ), b.properties)
    assert len(s.matched) == 1 and s.out_of_scope == 1
    assert [p.compound for p in s.false_positives] == ["LSM"]


def test_summary_counts_per_property_and_errors(vocab):
    ni = GoldFact("Ni", "curie_temperature", (627.15,), evidence="Ni orders at 627 K.")
    b = bench([ZNO, ni])
    s = score_text(b.texts[0], preds(b, vocab, fact("ZnO", "band_gap", 3.37, "eV"), fact("Fe", "curie_temperature", 1043, "K")),
                   b.properties)
    out = summarise(b, [s], errors=5)
    assert (out["gold"], out["predicted"], out["matched"]) == (2, 2, 1)
    assert (out["precision"], out["recall"], out["f1"]) == (0.5, 0.5, 0.5)
    assert out["per_property"]["band_gap"]["f1"] == 1.0
    assert out["per_property"]["curie_temperature"] == {"gold": 1, "predicted": 1, "matched": 0, "precision": 0.0,
                                                       "recall": 0.0, "f1": 0.0}
    assert [e["compound"] for e in out["errors"]["false_positives"]] == ["Fe"]
    assert out["errors"]["misses"][0]["evidence"] == "Ni orders at 627 K."
    recall_only = summarise(BenchSet("silver", "dev", b.texts, b.properties, recall_only=True), [s], errors=5)
    assert recall_only["precision"] is None and recall_only["recall"] == 0.5
    assert recall_only["errors"]["false_positives"] == []
    empty = summarise(BenchSet("unannotated", "dev", [], b.properties), [])
    assert (empty["gold"], empty["precision"], empty["recall"], empty["f1"]) == (0, None, None, None)
    missed = summarise(b, [score_text(b.texts[0], [], b.properties)])
    assert (missed["precision"], missed["recall"], missed["f1"]) == (None, 0.0, 0.0)
