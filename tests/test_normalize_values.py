"""parse_quantity: numbers, ranges, lists, uncertainties and qualifiers as papers write them."""

from __future__ import annotations

import pytest

from lit.extract.normalize.values import Quantity, parse_quantity

# text -> (value, value_max, unit_text, uncertainty, approx, values, comparison)
CASES = [
    ("1.55 eV", (1.55, None, "eV", None, False, (1.55,), None)),
    ("300 K", (300.0, None, "K", None, False, (300.0,), None)),
    ("3.04%", (3.04, None, "%", None, False, (3.04,), None)),
    ("0.68", (0.68, None, "", None, False, (0.68,), None)),
    ("780 nm.", (780.0, None, "nm", None, False, (780.0,), None)),
    ("1.2\u2009eV", (1.2, None, "eV", None, False, (1.2,), None)),
    ("1.2\u00a0eV", (1.2, None, "eV", None, False, (1.2,), None)),
    ("25 ℃", (25.0, None, "℃", None, False, (25.0,), None)),
    ("1,000 cycles", (1000.0, None, "cycles", None, False, (1000.0,), None)),
    # scientific notation
    ("1.2e-3", (0.0012, None, "", None, False, (0.0012,), None)),
    ("1.2E+03 S", (1200.0, None, "S", None, False, (1200.0,), None)),
    ("3.2 × 10^-4 S cm−1", (0.00032, None, "S cm−1", None, False, (0.00032,), None)),
    ("3.2×10−4", (0.00032, None, "", None, False, (0.00032,), None)),
    ("3.2 x 10 -4 S/cm", (0.00032, None, "S/cm", None, False, (0.00032,), None)),
    ("5.2 × 10⁻⁵ cm² V⁻¹ s⁻¹", (5.2e-05, None, "cm² V⁻¹ s⁻¹", None, False, (5.2e-05,), None)),
    ("10^5", (100000.0, None, "", None, False, (100000.0,), None)),
    ("10⁵ g/mol", (100000.0, None, "g/mol", None, False, (100000.0,), None)),
    # ranges
    ("2.4–2.7 eV", (2.4, 2.7, "eV", None, False, (2.4,), None)),
    ("2.4-2.7", (2.4, 2.7, "", None, False, (2.4,), None)),
    ("2.4 – 2.7 eV", (2.4, 2.7, "eV", None, False, (2.4,), None)),
    ("2.4 eV – 2.7 eV", (2.4, 2.7, "eV", None, False, (2.4,), None)),
    ("from 280 to 400 °C", (280.0, 400.0, "°C", None, False, (280.0,), None)),
    ("280 °C to 400 °C", (280.0, 400.0, "°C", None, False, (280.0,), None)),
    ("between 1.2 and 1.5", (1.2, 1.5, "", None, False, (1.2,), None)),
    ("in the range of 1.2–1.5 eV", (1.2, 1.5, "eV", None, False, (1.2,), None)),
    ("−5.44 to −5.21 eV", (-5.44, -5.21, "eV", None, False, (-5.44,), None)),
    ("2~3 nm", (2.0, 3.0, "nm", None, False, (2.0,), None)),
    ("4-5", (4.0, 5.0, "", None, False, (4.0,), None)),
    # uncertainties
    ("1.55 ± 0.02 eV", (1.55, None, "eV", 0.02, False, (1.55,), None)),
    ("1.55 +/- 0.02 eV", (1.55, None, "eV", 0.02, False, (1.55,), None)),
    ("(1.55 ± 0.02) eV", (1.55, None, "eV", 0.02, False, (1.55,), None)),
    ("1.55(2)", (1.55, None, "", 0.02, False, (1.55,), None)),
    ("5.4321(15) Å", (5.4321, None, "Å", 0.0015, False, (5.4321,), None)),
    # approximations
    ("~300 K", (300.0, None, "K", None, True, (300.0,), None)),
    ("∼300 K", (300.0, None, "K", None, True, (300.0,), None)),
    ("≈ 1.5 eV", (1.5, None, "eV", None, True, (1.5,), None)),
    ("ca. 150 mAh g-1", (150.0, None, "mAh g-1", None, True, (150.0,), None)),
    ("approx. 2 GPa", (2.0, None, "GPa", None, True, (2.0,), None)),
    ("approximately 2 GPa", (2.0, None, "GPa", None, True, (2.0,), None)),
    ("about 5 %", (5.0, None, "%", None, True, (5.0,), None)),
    # comparisons
    ("> 300 K", (300.0, None, "K", None, False, (300.0,), ">")),
    ("≥ 20%", (20.0, None, "%", None, False, (20.0,), ">=")),
    ("<0.1 S/cm", (0.1, None, "S/cm", None, False, (0.1,), "<")),
    ("up to 95%", (95.0, None, "%", None, False, (95.0,), "<=")),
    ("more than 200 mAh/g", (200.0, None, "mAh/g", None, False, (200.0,), ">")),
    ("above 400 °C", (400.0, None, "°C", None, False, (400.0,), ">")),
    # lists
    ("1.43 and 1.39 eV", (1.43, None, "eV", None, False, (1.43, 1.39), None)),
    ("1.43 eV and 1.39 eV", (1.43, None, "eV", None, False, (1.43, 1.39), None)),
    ("1.2, 1.3, and 1.4 eV", (1.2, None, "eV", None, False, (1.2, 1.3, 1.4), None)),
    ("1.2, 1.3 and 1.4 eV", (1.2, None, "eV", None, False, (1.2, 1.3, 1.4), None)),
    # negative values
    ("−20 °C", (-20.0, None, "°C", None, False, (-20.0,), None)),
    ("-5.44 eV", (-5.44, None, "eV", None, False, (-5.44,), None)),
    # ratios
    ("1 : 1", (1.0, None, "ratio", None, False, (1.0, 1.0), None)),
    ("1:1.5", (1.0, None, "ratio", None, False, (1.0, 1.5), None)),
    # text around the value
    ("Eg = 1.55 eV", (1.55, None, "eV", None, False, (1.55,), None)),
    ("CH3NH3PbI3 shows 1.55 eV", (1.55, None, "eV", None, False, (1.55,), None)),
    ("1.5 eV respectively", (1.5, None, "eV", None, False, (1.5,), None)),
    ("100 nm thick film", (100.0, None, "nm", None, False, (100.0,), None)),
    ("150 mAh g-1 at 0.1 C", (150.0, None, "mAh g-1", None, False, (150.0,), None)),
    ("12.3 a.u.", (12.3, None, "a.u.", None, False, (12.3,), None)),
    # from grobid-quantities' misses
    ("10-km", (10.0, None, "km", None, False, (10.0,), None)),
    ("22 A", (22.0, None, "A", None, False, (22.0,), None)),
    ("2g/cm 3", (2.0, None, "g/cm 3", None, False, (2.0,), None)),
    ("0.20 ≤ x ≤ 0.44", (0.2, 0.44, "", None, False, (0.2,), None)),
    ("6.1 x 10^-4 cm^2 V -1 s^-1", (0.00061, None, "cm^2 V -1 s^-1", None, False, (0.00061,), None)),
    ("1.77 x 10^-3 cm^2 / ( V s )", (0.00177, None, "cm^2 / ( V s )", None, False, (0.00177,), None)),
    ("1.55 eV (ref. 3)", (1.55, None, "eV", None, False, (1.55,), None)),
    ("-2--6 V", (-6.0, -2.0, "V", None, False, (-6.0,), None)),
    ("0.55 - 0.60", (0.55, 0.6, "", None, False, (0.55,), None)),
    ("1.0 × 10^4.", (10000.0, None, "", None, False, (10000.0,), None)),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_values_parse(text: str, expected: tuple) -> None:
    q = parse_quantity(text)
    assert q is not None
    got = (q.value, q.value_max, q.unit_text, q.uncertainty, q.approx, q.values, q.comparison)
    assert got[2:] == expected[2:]
    assert got[0] == pytest.approx(expected[0], rel=1e-12)
    if expected[1] is None:
        assert got[1] is None
    else:
        assert got[1] == pytest.approx(expected[1], rel=1e-12)


@pytest.mark.parametrize("text", [c[0] for c in CASES])
def test_values_raw_is_the_span_of_the_text(text: str) -> None:
    q = parse_quantity(text)
    assert q is not None
    start, end = q.value_span
    assert text[start:end] == q.raw
    assert q.unit_text in q.raw or q.unit_text == "ratio"


@pytest.mark.parametrize(
    "text,raw",
    [
        ("Eg = 1.55 eV", "1.55 eV"),
        ("ca. 150 mAh g-1", "ca. 150 mAh g-1"),
        ("(1.55 ± 0.02) eV", "(1.55 ± 0.02) eV"),
        ("a gap of ~1.6 eV was found", "~1.6 eV"),
        ("T = 300 K", "300 K"),
    ],
)
def test_values_raw_covers_qualifier_number_and_unit(text: str, raw: str) -> None:
    q = parse_quantity(text)
    assert q is not None and q.raw == raw


@pytest.mark.parametrize(
    "text", ["", "no number here", "CH3NH3PbI3", "PC71BM", "the P3HT film", "eV", "  ", "x = y"]
)
def test_values_none_without_a_value(text: str) -> None:
    assert parse_quantity(text) is None


def test_values_range_bounds_are_ordered() -> None:
    q = parse_quantity("400–280 °C")
    assert q is not None and (q.value, q.value_max) == (280.0, 400.0)


@pytest.mark.parametrize("text, low, high, unit", [("30–40K", 30.0, 40.0, "K"), ("5–6μm", 5.0, 6.0, "μm"),
                                                   ("1.1–1.3eV", 1.1, 1.3, "eV")])
def test_values_a_range_glued_to_its_unit_keeps_both_bounds(text: str, low: float, high: float, unit: str) -> None:
    q = parse_quantity(text)
    assert q is not None and (q.value, q.value_max, q.unit_text) == (low, high, unit)


def test_values_quantity_is_frozen() -> None:
    q = parse_quantity("1.55 eV")
    assert isinstance(q, Quantity)
    with pytest.raises(AttributeError):
        q.value = 2.0  # type: ignore[misc]
    assert q.is_range is False and q.is_list is False
    assert parse_quantity("1.2–1.3 eV").is_range  # type: ignore[union-attr]
    assert parse_quantity("1.2 and 1.3 eV").is_list  # type: ignore[union-attr]


def test_values_pick_list_item() -> None:
    q = parse_quantity("1.2, 1.3 and 1.4 eV")
    assert q is not None
    second = q.pick(1)
    assert (second.value, second.values, second.unit_text, second.raw) == (1.3, (1.3,), "eV", q.raw)
    single = parse_quantity("1.55 eV")
    assert single is not None and single.pick(0) is single
    with pytest.raises(IndexError):
        single.pick(1)
    with pytest.raises(IndexError):
        q.pick(3)


def test_values_two_quantities_are_not_a_range_or_list() -> None:
    from lit.extract.normalize.values import parse_quantity

    q = parse_quantity("0.812 eV at 4 K to 0.726 eV at 300 K")
    assert (q.value, q.value_max, q.unit_text) == (0.812, None, "eV")
    q = parse_quantity("4 K to 0.726 eV")
    assert (q.value, q.value_max, q.unit_text) == (4.0, None, "K")
    q = parse_quantity("3.26 eV and 6H-SiC one of 3.02 eV")
    assert (q.values, q.raw) == ((3.26,), "3.26 eV")
