"""Rule mentions: formulae, vocabulary properties, values with units, conditions."""

import pytest

from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.facts import Mention
from lit.extract.rule_mentions import merge_mentions, rule_mentions


@pytest.fixture(scope="module")
def vocab() -> PropertyVocabulary:
    return PropertyVocabulary.load()


def _labelled(text, vocab):
    return [(m.label, m.text) for m in rule_mentions(text, vocab)]


def test_rule_mentions_formula_property_value(vocab) -> None:
    text = "The all-inorganic bromide CsPbBr3 absorbs only in the blue, with Eg = 2.30 eV."
    assert _labelled(text, vocab) == [("COMPOUND", "CsPbBr3"), ("PROPERTY", "Eg"), ("VALUE", "2.30 eV")]


def test_rule_mentions_condition_only_beside_another_kind_of_value(vocab) -> None:
    with_gap = _labelled("Its indirect band gap of 1.12 eV at 300 K is well matched.", vocab)
    assert ("CONDITION", "300 K") in with_gap and ("VALUE", "1.12 eV") in with_gap
    alone = _labelled("The intermetallic Nb3Sn becomes superconducting at 18.3 K.", vocab)
    assert ("VALUE", "18.3 K") in alone and ("PROPERTY", "becomes superconducting") in alone


def test_rule_mentions_skip_words_that_look_like_symbols(vocab) -> None:
    found = _labelled("In this work, sodium chloride melts as the films age over 2 ms.", vocab)
    assert ("COMPOUND", "In") not in found
    assert not any(label == "COMPOUND" and text.lower() == "sodium" for label, text in found)
    assert ("PROPERTY", "melts") in found


def test_rule_mentions_ranges_and_lists_are_one_value(vocab) -> None:
    assert ("VALUE", "from 280 to 400 °C") in _labelled("The salts melt from 280 to 400 °C.", vocab)
    assert ("VALUE", "1.48 and 1.73 eV") in _labelled("They show band gaps of 1.48 and 1.73 eV.", vocab)


def test_rule_mentions_merge_rules_win_on_overlap_and_model_fills_gaps(vocab) -> None:
    model = [
        Mention(0, 6, "COMPOUND", "CH3NH3", 0.99),
        Mention(30, 37, "COMPOUND", "Niobium", 0.9),
        Mention(40, 42, "COMPOUND", "TN", 0.8),
    ]
    rules = [Mention(0, 10, "COMPOUND", "CH3NH3PbI3", 0.75), Mention(20, 27, "VALUE", "1.55 eV", 0.75)]
    merged = merge_mentions(model, rules, vocab)
    assert [m.text for m in merged] == ["CH3NH3PbI3", "1.55 eV", "Niobium"]  # "TN" is a property symbol


@pytest.mark.parametrize("formula", ["(Ga,Mn)As", "(Ba, Sr)TiO3", "(Zn1−x,Cox)O", "Bi(Fe,Mn)O3"])
def test_rule_mentions_a_formula_with_a_shared_site_is_one_compound(vocab, formula) -> None:
    assert _labelled(f"The Curie temperature of {formula} is 110 K.", vocab) == [
        ("PROPERTY", "Curie temperature"), ("COMPOUND", formula), ("VALUE", "110 K")]


def test_rule_mentions_a_bracketed_pair_of_elements_alone_is_no_formula(vocab) -> None:
    assert ("COMPOUND", "(Bi, Fe)") not in _labelled("BiFeO3 (Bi, Fe) sites", vocab)


def test_rule_mentions_an_element_symbol_is_a_property_symbol_only_when_it_states_a_value(vocab) -> None:
    assert _labelled("Mn = 23 kDa", vocab)[0] == ("PROPERTY", "Mn")
    assert ("PROPERTY", "Mn") not in _labelled("The Mn ions order below 40 K in Mn-doped ZnO.", vocab)


def test_rule_mentions_a_plural_property_symbol_is_no_formula(vocab) -> None:
    assert _labelled("The PCEs of 2.6%", vocab)[0] == ("PROPERTY", "PCEs")


def test_rule_mentions_tc_is_the_transition_temperature_wherever_it_stands(vocab) -> None:
    found = _labelled("We studied Sr2RuO4 (Tc = 1.5 K); strain raises Tc to 3.5 K.", vocab)
    assert found.count(("PROPERTY", "Tc")) == 2 and ("VALUE", "3.5 K") in found


def test_rule_mentions_a_composition_variable_set_to_a_number_starts_no_range(vocab) -> None:
    found = _labelled("The Curie temperature increases from 30 K for x = 0 to 45 K for x = 0.1.", vocab)
    assert [m for m in found if m[0] == "VALUE"] == [("VALUE", "30 K"), ("VALUE", "45 K")]
    assert ("VALUE", "0 to 5 K") in _labelled("Tc = 0 to 5 K", vocab)
