"""End to end with the default models: which compound a value is given to, on sentences shaped
like abstracts (written here, as regression tests; quality is measured on third-party gold
by ``lit evaluate facts``)."""

from __future__ import annotations

import pytest

from lit.extract.document import paragraph_document
from lit.extract.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def _facts(extractor: Extractor, text: str) -> set[tuple[str, str, float]]:
    (result,) = extractor.extract_documents([paragraph_document(text, "t")])
    return {(f.compound, f.property, round(f.value, 2)) for f in result.facts}


def test_an_anaphor_refers_to_the_latest_subject_not_the_most_named_component(extractor) -> None:
    text = ("Bismuth oxide nanoparticles embedded in carbon nanofibers (carbon) were made, and the carbon "
            "was porous. As an anode, Bi2O3/C delivers a reversible capacity of 430 mA h g−1. "
            "It has a stable capacity of 252 mA h g−1 after 50 cycles.")
    facts = _facts(extractor, text)
    assert ("Bi2O3/C", "specific_capacity", 252.0) in facts
    assert not any(c == "carbon" for c, _, _ in facts)


def test_a_precursor_is_not_given_the_product_s_values(extractor) -> None:
    text = ("Porous carbon (CPC) was obtained from the carbonization of MOF-5 crystals and shows a "
            "surface area of 2316 m2 g−1.")
    assert {c for c, p, _ in _facts(extractor, text) if p == "specific_surface_area"} == {"CPC"}


def test_a_value_set_to_an_unknown_symbol_takes_no_property(extractor) -> None:
    text = "The BaTiO3 ceramic shows TC∼267 °C, TO–T∼85 °C and TR–O∼5 °C."
    assert _facts(extractor, text) == {("BaTiO3", "curie_temperature", 540.15)}


def test_a_formula_with_a_shared_site_keeps_its_values(extractor) -> None:
    assert _facts(extractor, "Films of (Ga,Mn)As were grown on GaAs. Their TC reached 150 K.") == {
        ("(Ga,Mn)As", "curie_temperature", 150.0)}


def test_a_change_from_one_value_to_another_gives_both_values_not_a_range(extractor) -> None:
    facts = _facts(extractor, "In MgB2 films, Tc increases from 30 K to 36 K under strain.")
    assert facts == {("MgB2", "superconducting_transition_temperature", 30.0),
                     ("MgB2", "superconducting_transition_temperature", 36.0)}


def test_a_range_stays_one_range(extractor) -> None:
    (result,) = extractor.extract_documents([paragraph_document("The band gap of CZTS lies between 1.45 and 1.6 eV.", "t")])
    assert [(f.value, f.value_max) for f in result.facts] == [(1.45, 1.6)]


def test_a_list_of_values_of_one_compound_gives_one_fact_per_number(extractor) -> None:
    text = ("Nanoparticles of La0.6Gd0.1Sr0.3MnO3 were made with three Gd contents. The Curie temperature of the "
            "samples is 350.5, 340.1, and 290.2 K for x = 0.1, 0.15 and 0.2, respectively.")
    assert {v for c, p, v in _facts(extractor, text) if p == "curie_temperature"} == {350.5, 340.1, 290.2}


def test_the_counter_electrode_of_a_cell_is_not_the_material(extractor) -> None:
    text = "The Na//Na0.67[Ni0.4Co0.2Mn0.4]O2 cell delivers a reversible capacity of 160 mAh g−1."
    assert _facts(extractor, text) == {("Na0.67[Ni0.4Co0.2Mn0.4]O2", "specific_capacity", 160.0)}
