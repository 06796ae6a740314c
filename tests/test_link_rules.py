"""The rule-based linker: nearest compound/property, 'respectively' lists, carried-over subjects."""

from lit.extract.document import Sentence
from lit.extract.facts import Mention
from lit.extract.link import link_sentence


def _mentions(text: str, spans: list[tuple[str, str]]) -> list[Mention]:
    out, cursor = [], 0
    for label, piece in spans:
        start = text.index(piece, cursor)
        out.append(Mention(start, start + len(piece), label, piece, 0.9))
        cursor = start + len(piece)
    return out


def _sentence(text: str) -> Sentence:
    return Sentence(doc_id="d", index=0, start=0, end=len(text), text=text)


def test_link_nearest_compound_and_property_before_the_value() -> None:
    text = "CsPbBr3 absorbs in the blue, while MAPbI3 has a band gap of 1.55 eV."
    ms = _mentions(text, [("COMPOUND", "CsPbBr3"), ("COMPOUND", "MAPbI3"), ("PROPERTY", "band gap"), ("VALUE", "1.55 eV")])
    (rel,) = link_sentence(_sentence(text), ms)
    assert (rel.compound.text, rel.property.text, rel.value.text) == ("MAPbI3", "band gap", "1.55 eV")


def test_link_respectively_zips_compounds_onto_listed_values() -> None:
    text = "FAPbI3 and CsPbI3 show band gaps of 1.48 and 1.73 eV, respectively."
    one_value = _mentions(text, [("COMPOUND", "FAPbI3"), ("COMPOUND", "CsPbI3"), ("PROPERTY", "band gaps"), ("VALUE", "1.48 and 1.73 eV")])
    rels = link_sentence(_sentence(text), one_value)
    assert [(r.compound.text, r.value_index) for r in rels] == [("FAPbI3", 0), ("CsPbI3", 1)]
    two_values = _mentions(text, [("COMPOUND", "FAPbI3"), ("COMPOUND", "CsPbI3"), ("PROPERTY", "band gaps"), ("VALUE", "1.48"), ("VALUE", "1.73 eV")])
    rels = link_sentence(_sentence(text), two_values)
    assert [(r.compound.text, r.value.text) for r in rels] == [("FAPbI3", "1.48"), ("CsPbI3", "1.73 eV")]


def test_link_respectively_takes_the_compounds_after_the_values_when_none_come_before() -> None:
    text = "Tc of 12 K and 9 K were found for NbN and NbC, respectively."
    ms = _mentions(text, [("PROPERTY", "Tc"), ("VALUE", "12 K"), ("VALUE", "9 K"), ("COMPOUND", "NbN"), ("COMPOUND", "NbC")])
    rels = link_sentence(_sentence(text), ms)
    assert [(r.compound.text, r.value.text) for r in rels] == [("NbN", "12 K"), ("NbC", "9 K")]


def test_link_carries_the_previous_compound_with_a_lower_score() -> None:
    text = "Its indirect band gap is 1.12 eV at 300 K."
    ms = _mentions(text, [("PROPERTY", "band gap"), ("VALUE", "1.12 eV"), ("CONDITION", "300 K")])
    silicon = Mention(-20, -13, "COMPOUND", "Silicon", 0.9)
    (rel,) = link_sentence(_sentence(text), ms, carried_compound=silicon)
    assert rel.compound.text == "Silicon" and rel.score < 1.0
    assert [c.text for c in rel.conditions] == ["300 K"]
    assert link_sentence(_sentence(text), ms) == []


def _pipeline_relations(text: str):
    """Rule mentions + the vocabulary judge, as the pipeline links one sentence."""
    from lit.extract.assemble import VocabularyJudge
    from lit.extract.normalize.properties import PropertyVocabulary
    from lit.extract.rule_mentions import rule_mentions

    vocab = PropertyVocabulary.load()
    return link_sentence(_sentence(text), rule_mentions(text, vocab), judge=VocabularyJudge(vocab))


def test_link_value_followed_by_for_compound() -> None:
    rels = _pipeline_relations("The endotherms give melting points of 845 °C for LiF and 1418 °C for CaF2.")
    assert [(r.compound.text, r.value.text) for r in rels] == [("LiF", "845 °C"), ("CaF2", "1418 °C")]
    text = "Doping with Sb raises the conductivity from 2 S cm-1 in undoped Te to 550 S cm-1."
    ms = _mentions(text, [("COMPOUND", "Sb"), ("PROPERTY", "conductivity"), ("VALUE", "2 S cm-1"), ("COMPOUND", "Te"),
                          ("VALUE", "550 S cm-1")])
    assert [(r.compound.text, r.value.text) for r in link_sentence(_sentence(text), ms)][0] == ("Te", "2 S cm-1")


def test_link_values_joined_before_for_compound_belong_to_it() -> None:
    text = "The density and hardness were ρ=13.75 g/cm3 and Hv=4455 MPa for the WNbMoTa alloy and ρ=12.36 g/cm3 and Hv=5250 MPa for the WNbMoTaV alloy."
    ms = _mentions(text, [("PROPERTY", "density"), ("PROPERTY", "hardness"), ("PROPERTY", "ρ"), ("VALUE", "13.75 g/cm3"),
                          ("PROPERTY", "Hv"), ("VALUE", "4455 MPa"), ("COMPOUND", "WNbMoTa"), ("PROPERTY", "ρ"),
                          ("VALUE", "12.36 g/cm3"), ("PROPERTY", "Hv"),
                          ("VALUE", "5250 MPa"), ("COMPOUND", "WNbMoTaV")])
    rels = link_sentence(_sentence(text), ms)
    assert [(r.compound.text, r.value.text) for r in rels] == [
        ("WNbMoTa", "13.75 g/cm3"), ("WNbMoTa", "4455 MPa"), ("WNbMoTaV", "12.36 g/cm3"), ("WNbMoTaV", "5250 MPa")]
    # Other words between the value and "for" keep the nearest compound before it.
    text = "ZnO has a gap of 3.3 eV, which is wider than that found for CdS."
    ms = _mentions(text, [("COMPOUND", "ZnO"), ("PROPERTY", "gap"), ("VALUE", "3.3 eV"), ("COMPOUND", "CdS")])
    assert [(r.compound.text, r.value.text) for r in link_sentence(_sentence(text), ms)] == [("ZnO", "3.3 eV")]


def test_link_respectively_zips_coordinated_properties_onto_listed_values() -> None:
    rels = _pipeline_relations("The Curie and Néel temperatures of NdMnO3 are 800 and 300 K, respectively, and its band gap is 1.1 eV.")
    assert [(r.property.text, r.value_index) for r in rels] == [("Curie", 0), ("Néel temperatures", 1), ("band gap", None)]
    from lit.extract.assemble import VocabularyJudge
    from lit.extract.normalize.properties import PropertyVocabulary

    judge = VocabularyJudge(PropertyVocabulary.load())
    text = "The HOMO and LUMO levels of P1 were -5.37 eV and -3.50 eV, respectively."
    ms = _mentions(text, [("PROPERTY", "HOMO"), ("PROPERTY", "LUMO levels"), ("COMPOUND", "P1"), ("VALUE", "-5.37 eV"),
                          ("VALUE", "-3.50 eV")])
    assert [(r.compound.text, r.property.text, r.value.text) for r in link_sentence(_sentence(text), ms, judge=judge)] == [
        ("P1", "HOMO", "-5.37 eV"), ("P1", "LUMO levels", "-3.50 eV")]
    # A place no known property fills links nothing; the others keep their own value.
    text = "The hardness and compressive strength of CuNiCoZnAlTi are 7.55 and 2.36 GPa, respectively."
    ms = _mentions(text, [("PROPERTY", "hardness"), ("COMPOUND", "CuNiCoZnAlTi"), ("VALUE", "7.55 and 2.36 GPa")])
    (rel,) = link_sentence(_sentence(text), ms, judge=judge)
    assert (rel.property.text, rel.value_index) == ("hardness", 0)
    # Values over conditions ("for x = 0.1 and 0.2, respectively") are no property list: each is linked.
    text = "The TC of LSMO is 358 and 343 K for x = 0.1 and 0.2, respectively."
    ms = _mentions(text, [("PROPERTY", "TC"), ("COMPOUND", "LSMO"), ("VALUE", "358 and 343 K")])
    assert [(r.property.text, r.value_index) for r in link_sentence(_sentence(text), ms, judge=judge)] == [("TC", None)]


def test_link_property_must_fit_the_value_dimension() -> None:
    rels = _pipeline_relations("The band gap of ZnO is 3.37 eV in films 200 nm thick.")
    assert [(r.value.text, r.property.text if r.property else None) for r in rels] == [("3.37 eV", "band gap"), ("200 nm", None)]


def test_link_singular_property_is_not_reused_by_a_distant_value() -> None:
    text = "In2O3 has a fundamental gap of 2.9 eV whose transition is forbidden, so absorption starts near 3.6 eV."
    rels = [r for r in _pipeline_relations(text) if r.property is not None]
    assert [r.value.text for r in rels] == ["2.9 eV"]
    close = _pipeline_relations("CrI3 has a Curie temperature of 61 K in the bulk and 45 K in the monolayer.")
    assert [r.value.text for r in close if r.property is not None] == ["61 K", "45 K"]


def test_link_differences_and_tolerances_are_not_values() -> None:
    rels = _pipeline_relations("The transition of Nb shifts by 40 K, within 2 K of the expected Tc.")
    assert rels == []


def test_link_elliptic_one_of_keeps_the_property() -> None:
    rels = _pipeline_relations("4H-SiC has a band gap of 3.26 eV and 6H-SiC one of 3.02 eV.")
    assert [(r.compound.text, r.value.text, r.property.text) for r in rels] == [
        ("4H-SiC", "3.26 eV", "band gap"),
        ("6H-SiC", "3.02 eV", "band gap"),
    ]


def test_link_a_symbol_set_to_the_value_keeps_the_earlier_property_off_it() -> None:
    rels = _pipeline_relations("The BaTiO3 ceramic shows TC∼267 °C, TO–T∼85 °C and T* ~ 30 °C.")
    assert [(r.value.text, r.property.text if r.property else None) for r in rels if r.property] == [("267 °C", "TC")]


def test_link_a_cell_axis_stands_for_the_property_named_before() -> None:
    rels = _pipeline_relations("The cubic cell parameter of Bi2Sn2O7 is a = 10.430(1) Å.")
    assert [(r.compound.text, r.property.text) for r in rels] == [("Bi2Sn2O7", "cell parameter")]


def test_link_respectively_pairs_values_with_the_compounds_they_are_given_for() -> None:
    from lit.extract.assemble import VocabularyJudge
    from lit.extract.normalize.properties import PropertyVocabulary

    text = "Devices with PC61BM and ZnO give PCEs of 2.63% and 3.75% for PT1 and PT2, respectively."
    ms = _mentions(text, [("COMPOUND", "PC61BM"), ("COMPOUND", "ZnO"), ("PROPERTY", "PCEs"), ("VALUE", "2.63% and 3.75%"),
                          ("COMPOUND", "PT1"), ("COMPOUND", "PT2")])
    rels = link_sentence(_sentence(text), ms, judge=VocabularyJudge(PropertyVocabulary.load()))
    assert [(r.compound.text, r.value_index) for r in rels] == [("PT1", 0), ("PT2", 1)]


def test_link_respectively_with_a_value_that_cannot_be_counted_links_nothing_wrongly() -> None:
    from lit.extract.assemble import VocabularyJudge
    from lit.extract.normalize.properties import PropertyVocabulary

    text = "ZnO and GaN have band gaps that are wide, respectively."
    ms = _mentions(text, [("COMPOUND", "ZnO"), ("COMPOUND", "GaN"), ("PROPERTY", "band gaps"), ("VALUE", "wide")])
    rels = link_sentence(_sentence(text), ms, judge=VocabularyJudge(PropertyVocabulary.load()))
    assert all(r.value.text == "wide" for r in rels)


def test_link_a_singular_property_changed_to_a_new_value_takes_it() -> None:
    rels = _pipeline_relations("In NbN films the transition temperature Tc was 9.1 K for 100 nm and decreased to 6.2 K for 10 nm.")
    assert [(r.value.text, r.property.text) for r in rels if r.property] == [("9.1 K", "Tc"), ("6.2 K", "Tc")]


def test_link_a_singular_property_retained_at_a_later_condition_takes_the_value() -> None:
    rels = _pipeline_relations(
        "The LiFePO4 cathode displays a discharge capacity of about 160 mA h g-1 at 0.5C and retains 140 mA h g-1 after 200 cycles.")
    assert [(r.value.text, r.property.text) for r in rels if r.property] == [
        ("160 mA h g-1", "discharge capacity"), ("140 mA h g-1", "discharge capacity")]


def test_link_a_value_right_after_a_property_lit_does_not_know_takes_no_earlier_one() -> None:
    from lit.extract.assemble import VocabularyJudge
    from lit.extract.normalize.properties import PropertyVocabulary

    judge = VocabularyJudge(PropertyVocabulary.load())
    text = "CoCr2O4 orders at TC ≈ 93 K, a spiral order at TS ≈ 26 K."
    ms = _mentions(text, [("COMPOUND", "CoCr2O4"), ("PROPERTY", "TC"), ("VALUE", "93 K"), ("PROPERTY", "TS"), ("VALUE", "26 K")])
    assert [(r.value.text, r.property and r.property.text) for r in link_sentence(_sentence(text), ms, judge=judge)] == [
        ("93 K", "TC"), ("26 K", None)]
    text = "CoCr2O4 shows absorption maxima (λ s,max) at 381 nm."
    ms = _mentions(text, [("COMPOUND", "CoCr2O4"), ("PROPERTY", "absorption maxima"), ("PROPERTY", "λ s,max"), ("VALUE", "381 nm")])
    assert [r.property.text for r in link_sentence(_sentence(text), ms, judge=judge)] == ["absorption maxima"]
