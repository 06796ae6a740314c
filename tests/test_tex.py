"""TeX markup in prose is read as the characters it prints (extract/tex.py), in every reader."""

import pytest

from lit.extract.document import paragraph_document
from lit.extract.tex import detex


@pytest.mark.parametrize(
    "tex, plain",
    [
        (r"CaMnO_3 films", "CaMnO3 films"),
        (r"Nd_{2-x}Ce_xCuO_4", "Nd2-xCexCuO4"),
        (r"{\rm LaAlO_3}", "LaAlO3"),
        (r"Na$_2$Ti$_3$O$_7$", "Na2Ti3O7"),
        (r"YBa$_2$Cu$_3$O$_{7-\delta}$", "YBa2Cu3O7-δ"),
        (r"a N\'eel temperature $T_{\rm N}$ of 125 K", "a Néel temperature TN of 125 K"),
        (r"at $\sim$24 K", "at  ~24 K"),
        (r"$T_{\rm C}\sim 300$~K", "TC ~300 K"),
        (r"at 40\,K", "at 40 K"),
        (r"5 \AA thick", "5 Å thick"),
        (r"300$^\circ$C", "300°C"),
        (r"1.2\times 10^{-3} S cm^{-1}", "1.2×10^-3 S cm-1"),
        (r"Fe^{3+} ions", "Fe3+ ions"),
        (r"the stray {it d} electrons", "the stray d electrons"),
        (r"$\mathrm{Bi_2Se_3}$", "Bi2Se3"),
        ("in the range 2.1--2.5 eV", "in the range 2.1–2.5 eV"),
    ],
)
def test_detex_renders_markup(tex, plain):
    assert detex(tex) == plain


@pytest.mark.parametrize("text", ["no markup ~300 K here", "Fe3O4 at 300 K", "CH3NH3PbI3 (MAPI)"])
def test_text_without_markup_is_unchanged(text):
    assert detex(text) == text


def test_documents_carry_the_plain_text_and_offsets_into_it():
    doc = paragraph_document(r"Epitaxial {\rm LaAlO_3} layers show a band gap of 5.6\,eV.", "t")
    assert doc.text == "Epitaxial LaAlO3 layers show a band gap of 5.6 eV."
    start = doc.text.index("LaAlO3")
    assert doc.text[start : start + 6] == "LaAlO3"
