"""Sentence splitting: the dots that end sentences and the many that do not."""

from __future__ import annotations

import pytest

from lit.extract.document import DocumentBuilder, DocumentInfo
from lit.extract.segment import split_sentences, split_text


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_text(text)]


@pytest.mark.parametrize(
    "text",
    [
        "As shown by Smith et al. the band gap of CH3NH3PbI3 is 1.55 eV.",
        "Smith et al. (2010) and Wu et al. [12] reported it.",
        "Piraux et al.176 and Blondel et al.177 reported such devices.",
        "Dopants, e.g. Fe, Co or Ni, i.e. 3d metals, were used.",
        "The spectrum (Fig. 2a) and the fit (Figs. S1 and S2) agree.",
        "Using Eq. (3) and Ref. 12 we obtained Tab. 1 and Sect. 2.",
        "It was heated to ca. 300 K and approx. 5 bar.",
        "The cell No. 5 was measured vs. Li/Li+ at ca. 25 °C.",
        "Serum (Cat. No. A1234, Sigma-Aldrich Co. Ltd.) and 1.7 equiv. of base were used.",
        "The compound (m.p. 120 °C, b.p. 250 °C) was pure.",
        "Samples with 5 wt. % Co and 2 vol. % Ni were compared, cf. Fig. 4.",
        "The sample was provided by Dr. Jones and J. Smith of H. M. Burke's group.",
        "Li1.2Mn0.54Ni0.13Co0.13O2 and (BA)2PbI4 were made.",
        "The values 1, 2, ... 5 and 1.5...2.0 eV were used.",
        "The films (see Fig. 3) gave 3.2×10^-4 S cm-1.",
    ],
)
def test_segment_no_break_inside(text: str) -> None:
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The gap is 1.55 eV. It shrinks under strain.", ["The gap is 1.55 eV.", "It shrinks under strain."]),
        ("It was measured at 300 K. The film was stable.", ["It was measured at 300 K.", "The film was stable."]),
        ("Is it stable? Yes! It is.", ["Is it stable?", "Yes!", "It is."]),
        ("It was reported.¹² The gap is wide.", ["It was reported.¹²", "The gap is wide."]),
        ("We used 1.7 equiv. The yield rose.", ["We used 1.7 equiv.", "The yield rose."]),
        ("It was reported.[12] The gap is wide.", ["It was reported.[12]", "The gap is wide."]),
        ("It was reported [3, 4]. The gap is wide.", ["It was reported [3, 4].", "The gap is wide."]),
        ("It was reported.12,13 The gap is wide.", ["It was reported.12,13", "The gap is wide."]),
        ("It gave 5.12 Hz. The peak was weak.", ["It gave 5.12 Hz.", "The peak was weak."]),
        ("It was Co3O4.31 The oxide formed fast.", ["It was Co3O4.31", "The oxide formed fast."]),
        ("It was dried (see Fig. 2.) Then it was weighed.", ["It was dried (see Fig. 2.)", "Then it was weighed."]),
        ('He said "it works." The team agreed.', ['He said "it works."', "The team agreed."]),
        ("The buffer was prepared. pH was set to 7.4.", ["The buffer was prepared.", "pH was set to 7.4."]),
        ("The film was doped. n-type behaviour followed.", ["The film was doped.", "n-type behaviour followed."]),
        ("It was done. α-Fe2O3 formed.", ["It was done.", "α-Fe2O3 formed."]),
        ("It was done. (a) The first step.", ["It was done.", "(a) The first step."]),
        ("It was heated. 35 samples failed.", ["It was heated.", "35 samples failed."]),
        ("Salts (NaCl, KCl, etc.) were used. Then water.", ["Salts (NaCl, KCl, etc.) were used.", "Then water."]),
        ("We used NaCl, KCl, etc. The salts were dry.", ["We used NaCl, KCl, etc.", "The salts were dry."]),
        ("It was stirred for 10 min. Then it was cooled.", ["It was stirred for 10 min.", "Then it was cooled."]),
        ("It was stirred for 10 min. at 80 °C.", ["It was stirred for 10 min. at 80 °C."]),
        ("We added vitamin C. The color changed.", ["We added vitamin C.", "The color changed."]),
        ("Copyright 2010 Tully et al. This is an open article.", ["Copyright 2010 Tully et al.", "This is an open article."]),
        ("It was lower (1021.0 Ω).The ion path was short.", ["It was lower (1021.0 Ω).", "The ion path was short."]),
        ("It forms polarons.27,32RTFM was seen.", ["It forms polarons.27,32", "RTFM was seen."]),
        ("2.1. Materials were bought.", ["2.1. Materials were bought."]),
        ("Objectives. Patient needs were examined.", ["Objectives.", "Patient needs were examined."]),
    ],
)
def test_segment_breaks(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_segment_split_text_offsets_and_whitespace() -> None:
    text = "  First one.   Second one.\n"
    spans = split_text(text, offset=100)
    assert [(s - 100, e - 100) for s, e in spans] == [(2, 12), (15, 26)]
    assert [text[s - 100 : e - 100] for s, e in spans] == ["First one.", "Second one."]


def test_segment_blank_line_is_a_hard_break() -> None:
    assert sentences("A heading without a dot\n\nThe paragraph starts here.") == [
        "A heading without a dot",
        "The paragraph starts here.",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Stabilizing sulfur for Li–S batteries\nThe lithium-ion battery stores 250 W h kg−1.",
         ["Stabilizing sulfur for Li–S batteries", "The lithium-ion battery stores 250 W h kg−1."]),
        ("Stabilizing sulfur for Li–S batteries The lithium-ion battery stores 250 W h kg−1. It works.",
         ["Stabilizing sulfur for Li–S batteries", "The lithium-ion battery stores 250 W h kg−1.", "It works."]),
        # A line broken mid-sentence goes on: it ends on a word that does, or the next opens in lower case.
        ("The band gap of\nZnO is 3.3 eV.", ["The band gap of\nZnO is 3.3 eV."]),
        ("Band gaps of thin ZnO films\nwere measured.", ["Band gaps of thin ZnO films\nwere measured."]),
        ("We grew ZnO. The gap is 3.3 eV.", ["We grew ZnO.", "The gap is 3.3 eV."]),
    ],
)
def test_segment_a_title_above_or_glued_to_its_text_is_a_sentence_of_its_own(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_segment_empty_and_unterminated_text() -> None:
    assert split_text("") == []
    assert split_text("   \n ") == []
    assert sentences("no end mark at all") == ["no end mark at all"]


def test_segment_split_sentences_keeps_blocks_apart() -> None:
    b = DocumentBuilder(DocumentInfo(doc_id="d1", source="mem", format="text", sha256="0"))
    b.set_title("Band gaps of halide perovskites")
    b.start_section("1. Introduction")
    b.add_paragraph("The gap of CH3NH3PbI3 is 1.55 eV (Fig. 1). It is direct")
    b.add_paragraph("Doping with Sn lowers it. See Smith et al. for details.")
    b.add_caption("Fig. 1. Absorption of the film.")
    b.add_table([["compound", "gap"], ["CH3NH3PbI3", "1.55 eV. not a sentence"]], caption="Table 1. Gaps.")
    doc = b.build()
    sents = split_sentences(doc)
    texts = [s.text for s in sents]
    assert texts == [
        "Band gaps of halide perovskites",
        "1. Introduction",
        "The gap of CH3NH3PbI3 is 1.55 eV (Fig. 1).",
        "It is direct",
        "Doping with Sn lowers it.",
        "See Smith et al. for details.",
        "Fig. 1. Absorption of the film.",
        "Table 1. Gaps.",
    ]
    assert [s.index for s in sents] == list(range(len(sents)))
    assert all(doc.text[s.start : s.end] == s.text and s.doc_id == "d1" for s in sents)
    assert [s.kind for s in sents] == ["title", "heading", "paragraph", "paragraph", "paragraph", "paragraph", "caption", "caption"]
    assert sents[0].section == -1 and sents[2].section == 0
    blocks = list(doc.blocks())
    for s in sents:  # never crosses a block boundary
        assert any(b.start <= s.start and s.end <= b.end for b in blocks)
