"""normalize_unit / convert: paper spellings of units, their canonical form and conversions."""

from __future__ import annotations

import pytest

from lit.errors import LitError, UnitError
from lit.extract.normalize.units import convert, convert_delta, normalize_unit, registry

CANONICAL = [
    ("eV", "eV"),
    ("meV", "meV"),
    ("K", "K"),
    ("°C", "°C"),
    ("℃", "°C"),
    ("° C", "°C"),
    ("oC", "°C"),
    ("S cm−1", "S/cm"),
    ("S/cm", "S/cm"),
    ("S·cm⁻¹", "S/cm"),
    ("S cm^-1", "S/cm"),
    ("mS cm^-1", "mS/cm"),
    ("mA cm−2", "mA/cm**2"),
    ("mA/cm2", "mA/cm**2"),
    ("mA cm^{-2}", "mA/cm**2"),
    ("mAh g−1", "mAh/g"),
    ("mAh/g", "mAh/g"),
    ("%", "%"),
    ("wt%", "%"),
    ("at.%", "%"),
    ("GPa", "GPa"),
    ("MPa", "MPa"),
    ("W m−1 K−1", "W/K/m"),
    ("W/(m K)", "W/K/m"),
    ("W/m/K", "W/K/m"),
    ("W m⁻¹ K⁻¹", "W/K/m"),
    ("μV/K", "µV/K"),
    ("µV K-1", "µV/K"),
    ("g/mol", "g/mol"),
    ("kg mol-1", "kg/mol"),
    ("Da", "Da"),
    ("kDa", "kDa"),
    ("g cm−3", "g/cm**3"),
    ("nm", "nm"),
    ("Å", "Å"),
    ("cm2 V−1 s−1", "cm**2/s/V"),
    ("cm² V⁻¹ s⁻¹", "cm**2/s/V"),
    ("cm^2/Vs", "cm**2/s/V"),
    ("Wh kg−1", "Wh/kg"),
    ("m² g⁻¹", "m**2/g"),
    ("emu/g", "emu/g"),
    ("Ω cm", "cm*Ω"),
    ("S cm−1.", "S/cm"),
    ("cm^2 V -1 s^-1", "cm**2/s/V"),
    ("cm^2 / ( V s )", "cm**2/s/V"),
    ("g/cm 3", "g/cm**3"),
    ("1/cm", "1/cm"),
    ("cm^-1", "1/cm"),
    ("º", "deg"),
    ("ºC", "°C"),
]


@pytest.mark.parametrize("text,canonical", CANONICAL)
def test_units_canonical_form(text: str, canonical: str | None) -> None:
    info = normalize_unit(text)
    assert info.canonical == canonical
    assert info.known is (canonical is not None)


@pytest.mark.parametrize("text,canonical", [c for c in CANONICAL if c[1] is not None])
def test_units_canonical_round_trips_and_parses_in_pint(text: str, canonical: str) -> None:
    again = normalize_unit(canonical)
    assert again.canonical == canonical
    assert again.dimensionality == normalize_unit(text).dimensionality
    registry().Unit(canonical)  # parsable by pint as-is


@pytest.mark.parametrize(
    "text,dim",
    [
        ("K", "[temperature]"),
        ("°C", "[temperature]"),
        ("%", "dimensionless"),
        ("nm", "[length]"),
        ("mAh/g", "[current] * [time] / [mass]"),
    ],
)
def test_units_dimensionality(text: str, dim: str) -> None:
    assert normalize_unit(text).dimensionality == dim


@pytest.mark.parametrize("text", ["a.u.", "arb. units", "blorps", "mV dec", "cm^2/"])
def test_units_unknown_kept_as_written(text: str) -> None:
    info = normalize_unit(text)
    assert info.known is False
    assert info.canonical is None and info.dimensionality is None
    assert info.text == text


def test_units_empty_is_a_bare_number() -> None:
    info = normalize_unit("  ")
    assert (info.text, info.canonical, info.dimensionality, info.known) == ("", "", "dimensionless", True)


@pytest.mark.parametrize(
    "value,unit,target,expected",
    [
        (25.0, "°C", "K", 298.15),
        (-20.0, "℃", "K", 253.15),
        (300.0, "K", "°C", 26.85),
        (0.0, "°F", "K", 255.372222222),
        (1550.0, "meV", "eV", 1.55),
        (0.32, "mS cm-1", "S/cm", 0.00032),
        (25.3, "kg mol-1", "g/mol", 25300.0),
        (200.0, "MPa", "GPa", 0.2),
        (68.0, "%", "", 0.68),
        (1.0, "Å", "nm", 0.1),
        (150.0, "mAh g-1", "A h/kg", 150.0),
    ],
)
def test_units_convert(value: float, unit: str, target: str, expected: float) -> None:
    assert convert(value, unit, target) == pytest.approx(expected, rel=1e-9)


def test_units_convert_delta_has_no_offset() -> None:
    assert convert_delta(2.0, "°C", "K") == pytest.approx(2.0)
    assert convert_delta(9.0, "°F", "K") == pytest.approx(5.0)


@pytest.mark.parametrize("unit,target", [("eV", "K"), ("blorps", "K"), ("K", "a.u.")])
def test_units_convert_refuses_with_named_unit(unit: str, target: str) -> None:
    with pytest.raises(UnitError) as err:
        convert(1.0, unit, target)
    assert isinstance(err.value, LitError)
    assert repr(unit) in str(err.value) or repr(target) in str(err.value)


def test_units_registry_is_built_once() -> None:
    assert registry() is registry()


@pytest.mark.parametrize(
    "unit,kind",
    [("K", "temperature"), ("°C", "temperature"), ("GPa", "pressure"), ("h", "time"),
     ("Hz", "frequency"), ("mA g−1", "specific_current"), ("mW cm−2", "irradiance"),
     ("mol/L", "concentration"), ("", None), ("blorps", None)],
)
def test_units_dimension_kind(unit: str, kind: str | None) -> None:
    from lit.extract.normalize.units import dimension_kind

    assert dimension_kind(unit) == kind


@pytest.mark.parametrize(
    "written, canonical",
    [("W/mK", "W/K/m"), ("W/(mK)", "W/K/m"), ("W/mK2", "W/K**2/m"), ("W/mK 2", "W/K**2/m"),
     ("uW/cmK2", "µW/cm/K**2"), ("mAhg−1", "mAh/g"), ("Whkg-1", "Wh/kg"), ("mK", "mK")],
)
def test_units_written_together_as_papers_do(written, canonical):
    assert normalize_unit(written).canonical == canonical
