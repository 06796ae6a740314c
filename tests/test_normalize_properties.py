"""PropertyVocabulary: matching property mentions, canonical values, rejections, inference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lit.errors import NormalizationError, PropertyValueError
from lit.extract.normalize.properties import (
    DEFAULT_PATH,
    CanonicalValue,
    PropertyVocabulary,
    Rejection,
)
from lit.extract.normalize.units import normalize_unit
from lit.extract.normalize.values import parse_quantity


@pytest.fixture(scope="module")
def vocab() -> PropertyVocabulary:
    return PropertyVocabulary.load()


REQUIRED = [
    "band_gap", "curie_temperature", "neel_temperature", "melting_point", "boiling_point",
    "glass_transition_temperature", "decomposition_temperature",
    "superconducting_transition_temperature", "power_conversion_efficiency",
    "open_circuit_voltage", "short_circuit_current_density", "fill_factor", "ionic_conductivity",
    "electrical_conductivity", "specific_capacity", "coulombic_efficiency", "dielectric_constant",
    "refractive_index", "density", "molecular_weight", "tensile_strength", "youngs_modulus",
    "thermal_conductivity", "seebeck_coefficient", "thermoelectric_figure_of_merit", "homo_level",
    "lumo_level", "hole_mobility", "number_average_molecular_weight",
    "weight_average_molecular_weight", "polydispersity_index",
]


def test_properties_vocabulary_covers_required(vocab: PropertyVocabulary) -> None:
    missing = [n for n in REQUIRED if n not in vocab]
    assert missing == []


def test_properties_every_unit_is_canonical_and_range_ordered(vocab: PropertyVocabulary) -> None:
    for d in vocab:
        assert normalize_unit(d.unit).canonical == d.unit, d.name
        assert d.range[0] < d.range[1], d.name
        assert d.name == d.name.lower() and " " not in d.name


MATCHES = [
    ("band gap", "band_gap"), ("optical band gap", "band_gap"), ("optical band gaps", "band_gap"),
    ("bandgap", "band_gap"), ("band-gap", "band_gap"), ("E_g", "band_gap"), ("Eg", "band_gap"),
    ("E g opt", "band_gap"), ("E opt g", "band_gap"), ("the optical band gap of", "band_gap"),
    ("T_C", "curie_temperature"), ("TC", "curie_temperature"), ("Curie temperature", "curie_temperature"),
    ("Curie point", "curie_temperature"), ("Tc", "superconducting_transition_temperature"),
    ("T c", "superconducting_transition_temperature"),
    ("superconducting transition temperature", "superconducting_transition_temperature"),
    ("Néel temperature", "neel_temperature"), ("Neel temperature", "neel_temperature"),
    ("T N", "neel_temperature"), ("melting point", "melting_point"), ("Tm", "melting_point"),
    ("boiling point", "boiling_point"), ("Tg", "glass_transition_temperature"),
    ("glass-transition temperature", "glass_transition_temperature"),
    ("T d", "decomposition_temperature"), ("decomposition temperature", "decomposition_temperature"),
    ("PCE", "power_conversion_efficiency"), ("PCEs", "power_conversion_efficiency"),
    ("PCE.", "power_conversion_efficiency"),
    ("power conversion efficiencies", "power_conversion_efficiency"),
    ("V oc", "open_circuit_voltage"), ("V OC", "open_circuit_voltage"), ("Voc", "open_circuit_voltage"),
    ("open - circuit voltage", "open_circuit_voltage"), ("open circuit voltage", "open_circuit_voltage"),
    ("J sc", "short_circuit_current_density"), ("JSC", "short_circuit_current_density"),
    ("short - circuit current density", "short_circuit_current_density"),
    ("FF", "fill_factor"), ("FF.", "fill_factor"), ("fill factor", "fill_factor"),
    ("ionic conductivity", "ionic_conductivity"), ("Li-ion conductivity", "ionic_conductivity"),
    ("conductivity", "electrical_conductivity"), ("electrical conductivity", "electrical_conductivity"),
    ("specific capacity", "specific_capacity"), ("discharge capacities", "specific_capacity"),
    ("Coulombic efficiency", "coulombic_efficiency"), ("dielectric constant", "dielectric_constant"),
    ("refractive index", "refractive_index"), ("density", "density"),
    ("molecular weight", "molecular_weight"), ("molecular weights", "molecular_weight"),
    ("tensile strength", "tensile_strength"), ("Young's modulus", "youngs_modulus"),
    ("Young’s modulus", "youngs_modulus"), ("thermal conductivity", "thermal_conductivity"),
    ("Seebeck coefficient", "seebeck_coefficient"), ("zT", "thermoelectric_figure_of_merit"),
    ("ZT", "thermoelectric_figure_of_merit"), ("figure of merit", "thermoelectric_figure_of_merit"),
    ("HOMO", "homo_level"), ("HOMO energy levels", "homo_level"), ("E HOMO", "homo_level"),
    ("highest occupied molecular orbital", "homo_level"), ("LUMO levels", "lumo_level"),
    ("hole mobility", "hole_mobility"), ("hole mobilities", "hole_mobility"), ("μ h", "hole_mobility"),
    ("electron mobility", "electron_mobility"), ("charge carrier mobility", "charge_carrier_mobility"),
    ("M n", "number_average_molecular_weight"), ("Mn", "number_average_molecular_weight"),
    ("number - average molecular weight", "number_average_molecular_weight"),
    ("M w", "weight_average_molecular_weight"), ("PDI", "polydispersity_index"),
    ("polydispersity index", "polydispersity_index"), ("λ max", "absorption_maximum"),
    ("absorption maxima", "absorption_maximum"), ("onset oxidation potential", "oxidation_potential"),
    ("solubility", "solubility"), ("series resistance", "series_resistance"),
    ("π-π stacking distance", "pi_stacking_distance"), ("work function", "work_function"),
]


@pytest.mark.parametrize("text,name", MATCHES, ids=[m[0] for m in MATCHES])
def test_properties_match(vocab: PropertyVocabulary, text: str, name: str) -> None:
    d = vocab.match(text)
    assert d is not None and d.name == name


@pytest.mark.parametrize("text", ["thermal stability", "crystallinity", "weight ratio", "", "  ", "the film"])
def test_properties_match_none(vocab: PropertyVocabulary, text: str) -> None:
    assert vocab.match(text) is None


@pytest.mark.parametrize(
    "text,context,name",
    [
        ("Tc", "the ferromagnetic Tc of the film rises", "curie_temperature"),
        ("Tc", "a Curie temperature (Tc) of 350 K", "curie_temperature"),
        ("TC", "superconductivity sets in at TC = 9 K", "superconducting_transition_temperature"),
        ("Tc", None, "superconducting_transition_temperature"),
        ("TC", None, "curie_temperature"),
        ("Curie Tc", "superconducting samples", "curie_temperature"),
    ],
)
def test_properties_tc_rule(vocab: PropertyVocabulary, text: str, context: str | None, name: str) -> None:
    assert vocab.match(text, context=context).name == name  # type: ignore[union-attr]


def test_properties_a_bare_efficiency_beside_another_kind_is_no_pce(vocab: PropertyVocabulary) -> None:
    other = "Br-MOF showed a Hg0 removal efficiency of 99%, whereas the efficiency of MOF dropped to 59.8%."
    assert vocab.match("efficiency", context=other) is None
    assert vocab.match("efficiency", context="The device efficiency reached 12.1%.").name == "power_conversion_efficiency"
    assert vocab.match("power conversion efficiency", context=other).name == "power_conversion_efficiency"
    assert vocab.match("superconductivity", context="evidence for superconductivity below 0.64 K").name == (
        "superconducting_transition_temperature")


# property, value text -> (value, value_max, unit, flags)
ACCEPTED = [
    ("band_gap", "1.55 eV", (1.55, None, "eV", ())),
    ("band_gap", "1550 meV", (1.55, None, "eV", ())),
    ("band_gap", "2.4–2.7 eV", (2.4, 2.7, "eV", ())),
    ("band_gap", "~1.6 eV", (1.6, None, "eV", ("approx",))),
    ("band_gap", "1.70", (1.7, None, "eV", ("unit_assumed",))),
    ("curie_temperature", "25 °C", (298.15, None, "K", ())),
    ("curie_temperature", "> 300 K", (300.0, None, "K", ("bound:>",))),
    ("melting_point", "from 280 to 400 °C", (553.15, 673.15, "K", ())),
    ("glass_transition_temperature", "−20 °C", (253.15, None, "K", ())),
    ("power_conversion_efficiency", "9.2%", (9.2, None, "%", ())),
    ("power_conversion_efficiency", "9.2", (9.2, None, "%", ("unit_assumed",))),
    ("fill_factor", "0.68", (68.0, None, "%", ("fraction_to_percent",))),
    ("fill_factor", "68%", (68.0, None, "%", ())),
    ("fill_factor", "68", (68.0, None, "%", ("unit_assumed",))),
    ("open_circuit_voltage", "0.76 V", (0.76, None, "V", ())),
    ("open_circuit_voltage", "760 mV", (0.76, None, "V", ())),
    ("short_circuit_current_density", "16.77 mA cm^-2", (16.77, None, "mA/cm**2", ())),
    ("short_circuit_current_density", "16.77 mA/cm2", (16.77, None, "mA/cm**2", ())),
    ("ionic_conductivity", "3.2 × 10^-4 S cm−1", (0.00032, None, "S/cm", ())),
    ("ionic_conductivity", "0.32 mS cm-1", (0.00032, None, "S/cm", ())),
    ("specific_capacity", "ca. 150 mAh g-1", (150.0, None, "mAh/g", ("approx",))),
    ("number_average_molecular_weight", "25.3 kDa", (25300.0, None, "g/mol", ())),
    ("number_average_molecular_weight", "25.3 kg/mol", (25300.0, None, "g/mol", ())),
    ("molecular_weight", "180.16 g mol−1", (180.16, None, "g/mol", ())),
    ("thermoelectric_figure_of_merit", "1.2", (1.2, None, "", ())),
    ("dielectric_constant", "3.5", (3.5, None, "", ())),
    ("refractive_index", "2.45", (2.45, None, "", ())),
    ("polydispersity_index", "1.8", (1.8, None, "", ())),
    ("hole_mobility", "5.2 × 10⁻⁵ cm² V⁻¹ s⁻¹", (5.2e-05, None, "cm**2/s/V", ())),
    ("thermal_conductivity", "1.2 W m−1 K−1", (1.2, None, "W/K/m", ())),
    ("seebeck_coefficient", "250 µV K-1", (250.0, None, "µV/K", ())),
    ("seebeck_coefficient", "0.25 mV/K", (250.0, None, "µV/K", ())),
    ("density", "4.2 g cm−3", (4.2, None, "g/cm**3", ())),
    ("youngs_modulus", "200 MPa", (0.2, None, "GPa", ())),
    ("tensile_strength", "1.2 GPa", (1200.0, None, "MPa", ())),
    ("homo_level", "−5.44 eV", (-5.44, None, "eV", ())),
    ("coulombic_efficiency", "99.5%", (99.5, None, "%", ())),
    ("hole_mobility", "6.1 x 10^-4 cm^2 V -1 s^-1", (0.00061, None, "cm**2/s/V", ())),
    ("hole_mobility", "1.77 x 10^-3 cm^2 / ( V s )", (0.00177, None, "cm**2/s/V", ())),
    ("absorption_coefficient", "0.83 × 10^5 cm^-1", (83000.0, None, "1/cm", ())),
    ("work_function", "-4.41 eV", (-4.41, None, "eV", ())),
]


@pytest.mark.parametrize("prop,text,expected", ACCEPTED, ids=[f"{a[0]}:{a[1]}" for a in ACCEPTED])
def test_properties_canonicalize(vocab: PropertyVocabulary, prop: str, text: str, expected: tuple) -> None:
    result = vocab.canonicalize(prop, parse_quantity(text))  # type: ignore[arg-type]
    assert isinstance(result, CanonicalValue), result
    assert result.value == pytest.approx(expected[0], rel=1e-9)
    if expected[1] is None:
        assert result.value_max is None
    else:
        assert result.value_max == pytest.approx(expected[1], rel=1e-9)
    assert (result.unit, result.flags) == (expected[2], expected[3])
    assert result.as_tuple()[2] == expected[2]


def test_properties_canonicalize_converts_uncertainty_and_lists(vocab: PropertyVocabulary) -> None:
    r = vocab.canonicalize("melting_point", parse_quantity("150 ± 2 °C"))  # type: ignore[arg-type]
    assert isinstance(r, CanonicalValue)
    assert (r.value, r.uncertainty) == (pytest.approx(423.15), pytest.approx(2.0))
    r = vocab.canonicalize("band_gap", parse_quantity("1430 and 1390 meV"))  # type: ignore[arg-type]
    assert isinstance(r, CanonicalValue) and r.values == (pytest.approx(1.43), pytest.approx(1.39))


REJECTED = [
    ("band_gap", "1.55 K", "does not fit"),
    ("band_gap", "25 eV", "plausible range"),
    ("band_gap", "1.2 a.u.", "unknown unit"),
    ("curie_temperature", "1.55 eV", "does not fit"),
    ("specific_capacity", "150", "no unit"),
    ("specific_capacity", "2.1 mAh cm-2", "does not fit"),
    ("dielectric_constant", "3.5 %", "pure number"),
    ("power_conversion_efficiency", "150%", "plausible range"),
    ("power_conversion_efficiency", "1 : 1", "ratio"),
    ("ionic_conductivity", "12 Ω cm", "does not fit"),
    ("melting_point", "-300 °C", "plausible range"),
]


@pytest.mark.parametrize("prop,text,reason", REJECTED, ids=[f"{r[0]}:{r[1]}" for r in REJECTED])
def test_properties_canonicalize_rejects(vocab: PropertyVocabulary, prop: str, text: str, reason: str) -> None:
    result = vocab.canonicalize(prop, parse_quantity(text))  # type: ignore[arg-type]
    assert isinstance(result, Rejection), result
    assert reason in result.reason and result.property == prop and result.raw
    with pytest.raises(PropertyValueError) as err:
        vocab.canonicalize(prop, parse_quantity(text), strict=True)  # type: ignore[arg-type]
    assert prop in str(err.value) and reason in str(err.value)


@pytest.mark.parametrize(
    "unit,names",
    [
        ("eV", ["band_gap", "homo_level", "lumo_level", "work_function"]),
        ("S cm−1", ["ionic_conductivity", "electrical_conductivity"]),
        ("mAh g-1", ["specific_capacity"]),
        ("kDa", ["molecular_weight", "number_average_molecular_weight", "weight_average_molecular_weight"]),
        ("blorps", []),
    ],
)
def test_properties_infer_from_unit(vocab: PropertyVocabulary, unit: str, names: list[str]) -> None:
    assert [d.name for d in vocab.infer_from_unit(unit)] == names


def test_properties_infer_from_unit_temperature_and_percent(vocab: PropertyVocabulary) -> None:
    temps = {d.name for d in vocab.infer_from_unit("°C")}
    assert {"curie_temperature", "melting_point", "superconducting_transition_temperature"} <= temps
    percents = {d.name for d in vocab.infer_from_unit("%")}
    assert {"power_conversion_efficiency", "fill_factor", "coulombic_efficiency"} <= percents
    assert all(d.unit == "%" for d in vocab.infer_from_unit("%"))
    assert all(d.unit == "" for d in vocab.infer_from_unit(""))


def test_properties_load_is_cached_and_get_names_missing(vocab: PropertyVocabulary) -> None:
    assert PropertyVocabulary.load() is vocab
    assert vocab.get("band_gap").unit == "eV"
    with pytest.raises(NormalizationError, match="no property named 'nope'"):
        vocab.get("nope")


def test_properties_load_rejects_bad_unit(tmp_path: Path) -> None:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["properties"][0]["unit"] = "blorps"
    bad = tmp_path / "props.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NormalizationError, match="unknown unit 'blorps'") as err:
        PropertyVocabulary.load(bad)
    assert str(bad) in str(err.value)


def test_properties_load_rejects_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(NormalizationError, match="cannot read property vocabulary"):
        PropertyVocabulary.load(tmp_path / "missing.json")


def test_properties_canonical_value_unpacks_to_triple(vocab: PropertyVocabulary) -> None:
    value, value_max, unit = vocab.canonicalize("band_gap", parse_quantity("2.4–2.7 eV"))  # type: ignore[arg-type,misc]
    assert (value, value_max, unit) == (2.4, 2.7, "eV")


def test_properties_infer_unique(vocab: PropertyVocabulary) -> None:
    assert vocab.infer_unique("mAh g−1").name == "specific_capacity"  # type: ignore[union-attr]
    assert vocab.infer_unique("eV") is None
    assert vocab.infer_unique("blorps") is None


@pytest.mark.parametrize(
    "text,kind", [("300 K", "temperature"), ("at 25 °C", "temperature"), ("5 GPa", "pressure"),
                  ("100 mW cm−2", "irradiance"), ("1:1", "ratio"), ("0.5", None)]
)
def test_properties_condition_kind(vocab: PropertyVocabulary, text: str, kind: str | None) -> None:
    assert vocab.condition_kind(parse_quantity(text)) == kind  # type: ignore[arg-type]


def test_a_bare_current_density_is_no_short_circuit_current_density() -> None:
    """Batteries and electrocatalysis are measured at a current density; only a solar cell's
    short-circuit (photo)current density is the property."""
    from lit.extract.normalize.properties import PropertyVocabulary

    vocab = PropertyVocabulary.load()
    assert vocab.lookup("current density") is None
    assert vocab.lookup("short-circuit current density").name == "short_circuit_current_density"
