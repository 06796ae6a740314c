"""normalize_compound: formulas (Hill keys, hydrates, charges, doping), names, anaphors."""

from __future__ import annotations

import pytest

from lit.extract.normalize.compounds import hill_formula, normalize_compound, parse_formula

# text -> (formula, key, dopants, charge)
FORMULAS = [
    ("CH3NH3PbI3", "CH6I3NPb", "CH6I3NPb", (), None),
    ("Nd0.8F0.2", "F0.2Nd0.8", "F0.2Nd0.8", (), None),
    ("Li1.2Mn0.54Ni0.13Co0.13O2", "Co0.13Li1.2Mn0.54Ni0.13O2", "Co0.13Li1.2Mn0.54Ni0.13O2", (), None),
    ("Ca(OH)2", "CaH2O2", "CaH2O2", (), None),
    ("CuSO4·5H2O", "CuO4S·5H2O", "CuO4S·5H2O", (), None),
    ("CuSO4.5H2O", "CuO4S·5H2O", "CuO4S·5H2O", (), None),
    ("CuSO4 · 5 H2O", "CuO4S·5H2O", "CuO4S·5H2O", (), None),
    ("Fe2+", "Fe^2+", "Fe^2+", (), 2),
    ("Fe³⁺", "Fe^3+", "Fe^3+", (), 3),
    ("SO4^2−", "O4S^2-", "O4S^2-", (), -2),
    ("SO₄²⁻", "O4S^2-", "O4S^2-", (), -2),
    ("NO3-", "NO3^-", "NO3^-", (), -1),
    ("[Fe(CN)6]3-", "C6FeN6^3-", "C6FeN6^3-", (), -3),
    ("Fe-doped ZnO", "OZn", "OZn:Fe", ("Fe",), None),
    ("ZnO:Al", "OZn", "OZn:Al", ("Al",), None),
    ("Al:ZnO", "OZn", "OZn:Al", ("Al",), None),
    ("ZnO doped with Al", "OZn", "OZn:Al", ("Al",), None),
    ("Ba1-xSrxTiO3 (x = 0.1)", "Ba0.9O3Sr0.1Ti", "Ba0.9O3Sr0.1Ti", (), None),
    ("Li1+xAl0.3Ti2-x(PO4)3, x = 0.2", "Al0.3Li1.2O12P3Ti1.8", "Al0.3Li1.2O12P3Ti1.8", (), None),
    ("YBa2Cu3O7-δ", "YBa2Cu3O7-δ", "YBa2Cu3O7-δ", (), None),
    ("C60", "C60", "C60", (), None),
    ("LiFePO4", "FeLiO4P", "FeLiO4P", (), None),
    ("Li7La3Zr2O12", "La3Li7O12Zr2", "La3Li7O12Zr2", (), None),
    ("C2H5OH", "C2H6O", "C2H6O", (), None),
    ("Si", "Si", "Si", (), None),
    ("MAPbI3", "CH6I3NPb", "CH6I3NPb", (), None),
    ("FAPbI3", "CH5I3N2Pb", "CH5I3N2Pb", (), None),
    ("MASnBr3", "CH6Br3NSn", "CH6Br3NSn", (), None),
    ("Cs0.05FA0.79MA0.16Pb(I0.83Br0.17)3", "C0.95H4.91Br0.51Cs0.05I2.49N1.74Pb",
     "C0.95H4.91Br0.51Cs0.05I2.49N1.74Pb", (), None),
    ("O2", "O2", "O2", (), None),
    ("D2O", "D2O", "D2O", (), None),
    ("CDCl3", "CCl3D", "CCl3D", (), None),
    ("HNO3", "HNO3", "HNO3", (), None),
    ("CHCl 3", "CHCl3", "CHCl3", (), None),
]


@pytest.mark.parametrize("text,formula,key,dopants,charge", FORMULAS, ids=[f[0] for f in FORMULAS])
def test_compounds_formula(text: str, formula: str, key: str, dopants: tuple, charge: int | None) -> None:
    info = normalize_compound(text)
    assert info is not None
    assert info.is_formula is True
    assert (info.formula, info.key, info.dopants, info.charge) == (formula, key, dopants, charge)
    assert info.name == text.strip()


@pytest.mark.parametrize(
    "variants",
    [
        ("CH3NH3PbI3", "CH₃NH₃PbI₃", "PbI3CH3NH3", " CH3NH3PbI3 ", "CH3NH3 PbI3", "MAPbI3"),
        ("Ca(OH)2", "CaO2H2", "Ca(OH)₂"),
        ("CuSO4·5H2O", "CuSO4.5H2O", "CuSO₄·5H₂O"),
        ("ZnO:Al", "Al:ZnO", "Al-doped ZnO", "Al‐doped ZnO"),
    ],
)
def test_compounds_key_equal_across_rewrites(variants: tuple[str, ...]) -> None:
    keys = {normalize_compound(v).key for v in variants}  # type: ignore[union-attr]
    assert len(keys) == 1


def test_compounds_doped_and_undoped_hosts_differ() -> None:
    assert normalize_compound("ZnO").key != normalize_compound("ZnO:Al").key  # type: ignore[union-attr]


NAMES = [
    ("MA", "ma"),
    ("MAI", "mai"),
    ("(BA)2PbI4", "(ba)2pbi4"),
    ("P3HT", "p3ht"),
    ("PC71BM", "pc71bm"),
    ("DPP", "dpp"),
    ("DIO", "dio"),
    ("PBPD2", "pbpd2"),
    ("PDPPNBr", "pdppnbr"),
    ("PTB7-Th", "ptb7-th"),
    ("poly(3-hexylthiophene)", "poly(3-hexylthiophene)"),
    ("Poly (3 - hexylthiophene)", "poly(3-hexylthiophene)"),
    ("Poly(3‐hexylthiophene)", "poly(3-hexylthiophene)"),
    ("Lithium  Iron\u00a0Phosphate", "lithium iron phosphate"),
]


@pytest.mark.parametrize("text,key", NAMES)
def test_compounds_names_keep_text_and_fold_key(text: str, key: str) -> None:
    info = normalize_compound(text)
    assert info is not None
    assert (info.is_formula, info.formula, info.key, info.is_label) == (False, None, key, False)


@pytest.mark.parametrize(
    "text",
    [
        "the sample", "this material", "it", "It", "films", "the compound", "these polymers",
        "the as-prepared films", "the latter", "both", "the resulting powder", "thin films",
        "the device", "our samples", "", "  ", "—", "which",
    ],
)
def test_compounds_generic_words_are_none(text: str) -> None:
    assert normalize_compound(text) is None


@pytest.mark.parametrize("text,key", [("sample 3", "sample 3"), ("polymer P1", "polymer p1"),
                                      ("compound 2a", "compound 2a"), ("Sample S1", "sample s1"),
                                      ("P1", "p1"), ("P2", "p2"), ("P4", "p4"), ("S3", "s3")])
def test_compounds_labels_are_marked(text: str, key: str) -> None:
    info = normalize_compound(text)
    assert info is not None
    assert (info.is_label, info.is_formula, info.key) == (True, False, key)


def test_compounds_parse_formula_counts_groups() -> None:
    assert parse_formula("Ca3(PO4)2") == {"Ca": 3.0, "P": 2.0, "O": 8.0}
    assert parse_formula("Xx2") is None
    assert parse_formula("Ca(OH") is None


def test_compounds_hill_order() -> None:
    assert hill_formula({"O": 1.0, "H": 2.0}) == "H2O"
    assert hill_formula({"N": 1.0, "H": 5.0, "C": 1.0, "Cl": 1.0}) == "CH5ClN"
    assert hill_formula({"O": 3.0, "Ti": 1.0, "Ba": 0.30000000000000004}) == "Ba0.3O3Ti"
