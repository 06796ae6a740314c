"""Raw-text word splitting used at inference (models/ner/words.py)."""

from lit.models.ner.words import split_words


def _words(text: str) -> list[str]:
    return [text[s:e] for s, e in split_words(text)]


def test_ner_words_keep_formulae_decimals_and_glued_units():
    assert _words("The band gap of CH3NH3PbI3 is 1.55 eV, PCE 4%.") == [
        "The", "band", "gap", "of", "CH3NH3PbI3", "is", "1.55", "eV", ",", "PCE", "4%", ".",
    ]


def test_ner_words_peel_brackets_but_keep_inner_groups():
    assert _words("(TiO2) and Ca(OH)2 [12].") == ["(", "TiO2", ")", "and", "Ca(OH)2", "[", "12", "]", "."]


def test_ner_words_split_operators():
    assert _words("Jsc=16.77 mA/cm2") == ["Jsc", "=", "16.77", "mA", "/", "cm2"]


def test_ner_words_offsets_index_the_text_and_empty_input():
    text = "  a  b\tc\n"
    spans = split_words(text)
    assert [text[s:e] for s, e in spans] == ["a", "b", "c"]
    assert all(s < e for s, e in spans)
    assert split_words("") == [] and split_words("   ") == []
