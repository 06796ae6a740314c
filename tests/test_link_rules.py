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


def test_link_carries_the_previous_compound_with_a_lower_score() -> None:
    text = "Its indirect band gap is 1.12 eV at 300 K."
    ms = _mentions(text, [("PROPERTY", "band gap"), ("VALUE", "1.12 eV"), ("CONDITION", "300 K")])
    silicon = Mention(-20, -13, "COMPOUND", "Silicon", 0.9)
    (rel,) = link_sentence(_sentence(text), ms, carried_compound=silicon)
    assert rel.compound.text == "Silicon" and rel.score < 1.0
    assert [c.text for c in rel.conditions] == ["300 K"]
    assert link_sentence(_sentence(text), ms) == []
