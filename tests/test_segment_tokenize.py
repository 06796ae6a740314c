"""Tokenisation: formulae, charges, numbers, ranges and units stay the units a chemist reads."""

from __future__ import annotations

import pytest

from lit.extract.segment import Token, tokenize


def texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CH3NH3PbI3", ["CH3NH3PbI3"]),
        ("Li1.2Mn0.54Ni0.13Co0.13O2", ["Li1.2Mn0.54Ni0.13Co0.13O2"]),
        ("(BA)2PbI4", ["(BA)2PbI4"]),
        ("Cs0.05FA0.8MA0.15Pb(I0.85Br0.15)3", ["Cs0.05FA0.8MA0.15Pb(I0.85Br0.15)3"]),
        ("CuSO4·5H2O", ["CuSO4·5H2O"]),
        ("(NH4)2SO4 and (CH3)3N", ["(NH4)2SO4", "and", "(CH3)3N"]),
        ("(MTJ)169 and (a) panel", ["(", "MTJ", ")", "169", "and", "(", "a", ")", "panel"]),
        ("(a)-(c) and [Fe(CN)6]⁴⁻", ["(", "a", ")", "-", "(", "c", ")", "and", "[Fe(CN)6]⁴⁻"]),
        ("Ca(OH)2 and [Fe(CN)6]3−", ["Ca(OH)2", "and", "[Fe(CN)6]3−"]),
        ("Fe2+ and O2− ions", ["Fe2+", "and", "O2−", "ions"]),
        ("Fe2+/Fe3+ couple", ["Fe2+", "/", "Fe3+", "couple"]),
        ("Li+ and Cl- and Fe³⁺", ["Li+", "and", "Cl-", "and", "Fe³⁺"]),
        ("1.55 eV", ["1.55", "eV"]),
        ("3.2×10^-4 S cm-1", ["3.2×10^-4", "S", "cm-1"]),
        ("1e-3 M", ["1e-3", "M"]),
        ("2.5E+06 Pa", ["2.5E+06", "Pa"]),
        ("3.2 × 10−4 mA cm−2", ["3.2", "×", "10−4", "mA", "cm−2"]),
        ("1.5-2.0 eV", ["1.5", "-", "2.0", "eV"]),
        ("280–400 nm", ["280", "–", "400", "nm"]),
        ("−0.5 V and -1.2 V", ["−0.5", "V", "and", "-1.2", "V"]),
        ("300 K", ["300", "K"]),
        ("300K", ["300", "K"]),
        ("25 °C and 25°C", ["25", "°C", "and", "25", "°C"]),
        ("mA cm−2", ["mA", "cm−2"]),
        ("5% and 10 wt% and 2.5 at.%", ["5", "%", "and", "10", "wt%", "and", "2.5", "at.%"]),
        ("12,000 cycles", ["12,000", "cycles"]),
        ("n-type Li-ion 4-nitrophenol", ["n-type", "Li-ion", "4-nitrophenol"]),
        ("1,2-dichloroethane", ["1,2-dichloroethane"]),
        ("CH3NH3PbI3-xClx", ["CH3NH3PbI3-xClx"]),
        ("values 1,2 and 3", ["values", "1", ",", "2", "and", "3"]),
        ("e.g. Fig. 2a, et al. (2010)", ["e.g.", "Fig.", "2a", ",", "et", "al.", "(", "2010", ")"]),
        ("(TiO2) films.", ["(", "TiO2", ")", "films", "."]),
        ("was 1.55.", ["was", "1.55", "."]),
        ("gap of CH3NH3PbI3.", ["gap", "of", "CH3NH3PbI3", "."]),
        ("It works!", ["It", "works", "!"]),
    ],
)
def test_segment_tokenize_examples(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_segment_tokenize_offsets_slice_back() -> None:
    text = (
        "The band gap of CH3NH3PbI3 is 1.55 eV at 300 K; Li1.2Mn0.54Ni0.13Co0.13O2 (BA)2PbI4, Fe2+, "
        "O2−, 3.2×10^-4 S cm-1, 1e-3, 1.5-2.0, 280–400 nm, 25 °C, 5 %, mA cm−2 [12]. Done!"
    )
    prefix = "xxxxx\n"
    toks = tokenize(text, offset=len(prefix))
    full = prefix + text
    assert all(isinstance(t, Token) for t in toks)
    assert all(full[t.start : t.end] == t.text for t in toks)
    assert all(not any(c.isspace() for c in t.text) for t in toks)
    # every non-space character is covered exactly once, in order
    assert "".join(t.text for t in toks) == "".join(text.split())
    assert all(a.end <= b.start for a, b in zip(toks, toks[1:]))


def test_segment_token_is_frozen() -> None:
    tok = tokenize("TiO2")[0]
    with pytest.raises(AttributeError):
        tok.text = "x"  # type: ignore[misc]


def test_segment_tokenize_empty() -> None:
    assert tokenize("") == []
    assert tokenize(" \n\t ") == []


def test_tokenize_polytype_prefix_is_part_of_the_formula() -> None:
    from lit.extract.tokens import tokenize

    assert [t.text for t in tokenize("cubic 3C-SiC and 6H-SiC at 300K")] == ["cubic", "3C-SiC", "and", "6H-SiC", "at", "300", "K"]
