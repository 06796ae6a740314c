"""Which compound mentions are materials, where a formula written apart ends (extract/materials.py),
and what role a number plays (extract/roles.py)."""

import pytest

from lit.extract.facts import Mention
from lit.extract.materials import (
    Topic, balanced, doped_host, in_setting_role, is_material, material_mentions, recurring, repair_formula, variable_tail,
)
from lit.extract.roles import is_change, value_role


@pytest.mark.parametrize("text", ["ZnO", "CsPbBr3", "Nd2-xCexCuO4", "iron", "zinc oxide", "P3HT", "MOF-5", "graphene"])
def test_materials(text):
    assert is_material(text)


@pytest.mark.parametrize("text", ["PBE0", "B3LYP", "GGA+U", "AFM", "SOC", "Cu-rich", "Al-substituted", "Fe-based",
                                  "perovskites", "cuprates", "MOFs", "the sample", "perovskite", "spinel", "high-entropy alloy"])
def test_not_materials(text):
    assert not is_material(text)


def test_a_defined_abbreviation_is_a_material_whatever_its_shape():
    assert not is_material("SOC") and is_material("SOC", defined=True)


def _mention(text, sub, label="COMPOUND"):
    i = text.index(sub)
    return Mention(i, i + len(sub), label, sub)


@pytest.mark.parametrize(
    "text, seen, whole",
    [
        ("crystals of Nd2−x Ce x CuO4 exhibit", "CuO4", "Nd2−x Ce x CuO4"),
        ("crystals of Nd2−x Ce x CuO4 exhibit", "Nd2−x", "Nd2−x Ce x CuO4"),
        ("Fluorine-doped CeFeAsO1−y H y shows", "CeFeAsO1−y", "CeFeAsO1−y H y"),
        ("the Sr 2 RuO4 crystal", "RuO4", "Sr 2 RuO4"),
        ("in YBa2Cu3O 7−δ films", "YBa2Cu3O", "YBa2Cu3O 7−δ"),
        ("GaN Ti alloys", "GaN", "GaN"),  # no broken subscript: two words
        ("ZnO 2 samples", "ZnO", "ZnO"),  # a count at the end is a number of its own
    ],
)
def test_formula_written_apart_is_joined(text, seen, whole):
    mention = _mention(text, seen)
    assert repair_formula(text, mention, [mention]).text == whole


def test_a_formula_is_not_widened_over_a_value():
    text = "CuO 4 K"
    compound, value = _mention(text, "CuO"), _mention(text, "4 K", "VALUE")
    assert repair_formula(text, compound, [compound, value]).text == "CuO"


@pytest.mark.parametrize(
    "text, sub, setting",
    [
        ("ZnO films deposited on quartz slides", "quartz", True),
        ("films grown on SrTiO3 show", "SrTiO3", True),
        ("Mn-doped ZnO", "Mn", True),
        ("ZnO in an Al2O3 crucible", "Al2O3", True),
        ("Mn-doped ZnO", "ZnO", False),
        ("ZnO films deposited on quartz slides", "ZnO", False),
        ("Al2O3 ceramics doped with 0.4 mol% of MnO have", "MnO", True),
        ("Al2O3 ceramics doped with 0.4 mol% of MnO have", "Al2O3", False),
        ("ZnO–ITO films with different Zn/In ratio", "Zn/In", True),
        ("the lithium–sulfur (Li–S) battery is promising", "lithium–sulfur", True),
        ("the lithium–sulfur (Li–S) battery is promising", "Li–S", True),
    ],
)
def test_setting_roles(text, sub, setting):
    assert in_setting_role(text, _mention(text, sub)) is setting


def test_material_mentions_keep_the_subject_and_drop_the_rest():
    text = "ZnO films on quartz slides computed with PBE0 have a band gap of 3.3 eV."
    mentions = [_mention(text, "ZnO"), _mention(text, "quartz"), _mention(text, "PBE0"),
                _mention(text, "band gap", "PROPERTY"), _mention(text, "3.3 eV", "VALUE")]
    kept = material_mentions(text, mentions, defined=set())
    assert [m.text for m in kept] == ["ZnO", "band gap", "3.3 eV"]


@pytest.mark.parametrize(
    "sentence, number, role",
    [
        ("The band gap of ZnO is 3.3 eV.", "3.3 eV", "value"),
        ("The Néel temperature of NiO is above 500 K.", "500 K", "bound"),
        ("LiFePO4 delivers up to 160 mAh g−1.", "160 mAh g−1", "bound"),
        ("The compound becomes ferromagnetic below 150 K.", "150 K", "value"),
        ("Ni doping raised the Tc of FeSe by 3 K.", "3 K", "difference"),
        ("The band gap of TiO2 is 0.2 eV larger than that of SnO2.", "0.2 eV", "difference"),
        ("Films annealed at 500 °C were studied.", "500 °C", "setting"),
        ("The PL spectra excited at 325 nm show a peak.", "325 nm", "setting"),
        ("A capacity at a current density of 0.1 A g−1 was found.", "0.1 A g−1", "setting"),
        ("No superconductivity was observed in CuS down to 2 K.", "2 K", "bound"),
        ("Thin films grown on SrTiO3 show a Tc of 30 K.", "30 K", "value"),
    ],
)
def test_value_roles(sentence, number, role):
    start = sentence.index(number)
    assert value_role(sentence, start, start + len(number)) == role


@pytest.mark.parametrize(
    "mention, other",
    [
        ("storage modulus", True),
        ("removal efficiency", True),
        ("capacity loss", True),
        ("the highest reversible capacity", False),
        ("ZnO band gap", False),
        ("measured optical band gap of", False),
        ("sodium chloride melts", False),
        ("Tc", False),
    ],
)
def test_property_mentions_that_name_another_quantity(mention, other):
    from lit.extract.normalize.properties import PropertyVocabulary

    assert PropertyVocabulary.load().names_other_quantity(mention) is other


def test_ions_are_parts_of_materials_not_materials():
    assert not is_material("Mo4+") and not is_material("Li+") and is_material("SrMoO3")
    assert not is_material("Na-ion") and not is_material("lithium ions") and is_material("Na")


def test_a_label_keeps_its_closing_bracket():
    text = "prepared by a sonochemical method (Mg-MOF-74(S)) after TEA was added"
    assert balanced(text, _mention(text, "Mg-MOF-74(S")).text == "Mg-MOF-74(S)"
    assert balanced(text, _mention(text, "Mg-MOF-74(S)")).text == "Mg-MOF-74(S)"
    text = "the film (ZnO) grows"
    assert balanced(text, _mention(text, "ZnO")).text == "ZnO"


def test_a_material_named_once_is_found_where_its_name_recurs():
    from lit.extract.document import Sentence

    first = "Mg-MOF-74 was made on Al2O3 by a sonochemical method (Mg-MOF-74(S)) in 1 h."
    second = "Mg-MOF-74(S) (1640 m2 g−1) grew on Al2O3 substrates, unlike the PPy film."
    at = len(first) + 1
    sentences = [Sentence("d", 0, 0, len(first), first), Sentence("d", 1, at, at + len(second), second)]
    value = _mention(second, "1640 m2 g−1", "VALUE")
    found = [[_mention(first, "Mg-MOF-74"), _mention(first, "Al2O3"), _mention(first, "Mg-MOF-74(S)")],
             [Mention(value.start + at, value.end + at, "VALUE", value.text)]]
    again = recurring(sentences, found)
    assert again[0] == found[0]
    # The label recurs as a material; Al2O3 recurs only as a substrate, which stays out.
    assert [(m.label, m.text) for m in again[1]] == [("COMPOUND", "Mg-MOF-74(S)"), ("VALUE", "1640 m2 g−1")]
    assert second[again[1][0].start - at : again[1][0].end - at] == "Mg-MOF-74(S)"


def test_a_reference_material_takes_its_own_parenthesised_value_with_it():
    text = "CeO2 shows 0.12 S cm−1, comparable to pure ceria (0.1 S cm−1 at 800 °C)."
    mentions = [_mention(text, "CeO2"), _mention(text, "0.12 S cm−1", "VALUE"), _mention(text, "ceria"),
                _mention(text, "0.1 S cm−1", "VALUE"), _mention(text, "800 °C", "CONDITION")]
    kept = material_mentions(text, mentions, defined=set())
    assert [m.text for m in kept] == ["CeO2", "0.12 S cm−1"]


def test_the_value_of_what_is_compared_with_is_no_value():
    sentence = "It is higher than that (2.2 × 10−3 S cm−1) of LSCF."
    start = sentence.index("2.2")
    assert value_role(sentence, start, start + len("2.2 × 10−3 S cm−1")) == "difference"


@pytest.mark.parametrize(
    "text, sub, setting",
    [
        ("porous carbon derived from MOF-5 shows", "MOF-5", True),
        ("carbon obtained by carbonizing a zinc framework (Zn-MOF) precursor", "Zn-MOF", True),
        ("anodes for Li–Se batteries", "Li–Se", True),
        ("sodium storage capacity of 240 mAh g−1", "sodium", True),
        ("the FTO/TiO2/CsPbBr3/carbon device", "carbon", True),
        ("Ba0.96Sr0.04Zr0.04LnxTi0.96O3 (Ln = Y, Dy, Gd, Yb) ceramics", "Dy", True),
        ("LiFePO4 batteries deliver 160 mAh g−1", "LiFePO4", False),
        ("the Bi2O3/C anode", "Bi2O3/C", False),
        ("the onset oxidation potentials of PDTNTDPP and PDTNBT", "PDTNTDPP", False),
        ("The Na//Na0.67[Ni0.4Co0.2Mn0.4]O2 cell delivers", "Na", True),  # a cell's counter electrode
        ("The Na//Na0.67[Ni0.4Co0.2Mn0.4]O2 cell delivers", "Na0.67[Ni0.4Co0.2Mn0.4]O2", False),
        ("a Li||LiFePO4 cell", "LiFePO4", False),
        ("a FeS2||Na cell", "Na", True),
        ("a film suspended between two platinum wires", "platinum", True),  # lab consumables
        ("Bi nanowires were grown", "Bi", False),
    ],
)
def test_precursors_stack_layers_placeholders_and_cell_chemistries_are_settings(text, sub, setting):
    assert in_setting_role(text, _mention(text, sub)) is setting


def test_an_ion_glued_to_the_next_word_is_still_an_ion():
    assert not is_material("Y3+and") and not is_material("Dy3+")


def test_the_topic_is_the_latest_subject_of_a_value_then_the_most_named():
    text = "carbon carbon Bi2O3/C"
    carbon, carbon2, composite = _mention(text, "carbon"), Mention(7, 13, "COMPOUND", "carbon", 1.0), _mention(text, "Bi2O3/C")
    topic = Topic()
    topic.add([carbon, carbon2, composite])
    assert topic.compound.text == "carbon"  # named most, no value stated yet
    topic.add([composite], subjects=[composite])
    topic.add([carbon])
    assert topic.compound is composite


@pytest.mark.parametrize("text", ["chloroform", "DCB", "DIO", "Fc/Fc+", "ferrocene", "Ag/AgCl"])
def test_solvents_additives_and_reference_electrodes_are_not_materials(text):
    assert not is_material(text)


def test_the_partner_of_a_blend_is_a_setting():
    text = "the blends of P1-P8 with PC71BM gave"
    assert in_setting_role(text, _mention(text, "PC71BM")) and not in_setting_role(text, _mention(text, "P1-P8"))


@pytest.mark.parametrize(
    "sentence, change",
    [("Tc increases from 10.6 K to 11.1 K", True), ("the gap shifted from 1.5 to 1.7 eV", True),
     ("Tc lies between 10 and 11 K", False), ("absorption from 400 to 700 nm", False)],
)
def test_a_range_after_a_verb_of_change_is_two_values(sentence, change):
    start = sentence.index("from") if "from" in sentence else sentence.index("10")
    assert is_change(sentence, start) is change


@pytest.mark.parametrize(
    "text, host, whole",
    [("Mn-doped ZnO films", "ZnO", "Mn-doped ZnO"), ("nitrogen-doped TiO2 powder", "TiO2", "nitrogen-doped TiO2"),
     ("N,S co-doped carbon", "carbon", "N,S co-doped carbon"), ("heavily doped Si", "Si", "Si"),
     ("Sr-doped bismuth ferrites", "bismuth ferrites", "bismuth ferrites"),
     ("the N–B–F-tri-doped TiO2 obtained", "TiO2", "N–B–F-tri-doped TiO2"),
     ("Nb and N co-doped SnO2 nanotubes", "SnO2", "Nb and N co-doped SnO2"), ("the tri-doped TiO2", "TiO2", "TiO2"),
     ("self-doped ZnO", "ZnO", "ZnO")],
)
def test_a_doped_host_is_named_with_its_dopant(text, host, whole):
    assert doped_host(text, _mention(text, host)).text == whole


def test_a_host_doped_with_something_is_no_setting():
    text = "ZnO doped with Mn"
    assert not in_setting_role(text, _mention(text, "ZnO")) and in_setting_role("Mn-doped ZnO", _mention("Mn-doped ZnO", "Mn"))


def test_a_value_of_what_is_compared_with_by_name_is_no_value():
    sentence = "It shows TC ~210 K, lower than the TC = 230 K of stoichiometric samples."
    start = sentence.index("230")
    assert value_role(sentence, start, start + len("230 K")) == "difference"
    assert value_role(sentence, sentence.index("210"), sentence.index("210") + 5) == "value"


def test_a_non_stoichiometry_written_after_a_formula_belongs_to_it():
    text = "The cuprate HgBa2Ca2Cu3O8+δ holds the record."
    assert variable_tail(text, _mention(text, "HgBa2Ca2Cu3O8")).text == "HgBa2Ca2Cu3O8+δ"
    assert variable_tail("ZnO-based", _mention("ZnO-based", "ZnO")).text == "ZnO"
