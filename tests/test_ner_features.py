"""Casing/shape features that restore what the uncased base loses (models/ner/features.py)."""

from lit.models.ner.features import SHAPES, is_formula, shape_id, subword_features


def test_ner_features_distinguish_co_cases():
    ids = {shape_id(s) for s in ("Co", "CO", "co")}
    assert len(ids) == 3
    assert SHAPES[shape_id("Co")] == "title"
    assert SHAPES[shape_id("CO")] == "upper"
    assert SHAPES[shape_id("C")] == "upper1"


def test_ner_features_shapes_of_numbers_formulae_and_punctuation():
    assert SHAPES[shape_id("1.55")] == "digit"
    assert SHAPES[shape_id("CH3")] == "alnum_upper"
    assert SHAPES[shape_id("ch3")] == "alnum"
    assert SHAPES[shape_id("eV")] == "mixed"
    assert SHAPES[shape_id("(")] == "punct"
    assert shape_id("") == 0


def test_ner_features_formula_reading():
    for word in ("CH3NH3PbI3", "TiO2", "Ca(OH)2", "Co", "LiFePO4"):
        assert is_formula(word), word
    for word in ("Cat", "the", "Hello", "3D", "PCE"):
        assert not is_formula(word), word


def test_ner_features_element_flag_per_subword():
    assert subword_features("Pb", "CH3NH3PbI3")[2] == 3  # element inside a formula
    assert subword_features("Pb", "Pbx")[2] == 1  # element, word not a formula
    assert subword_features("ch", "chain")[2] == 0
