"""The relation model in the pipeline (extract/relate.py), with the committed re-* model."""

from __future__ import annotations

import pytest

from lit.extract.document import paragraph_document
from lit.extract.pipeline import Extractor
from lit.extract.relate import ModelLinker, paragraphs
from lit.extract.segment import split_sentences


@pytest.fixture(scope="module")
def linked() -> Extractor:
    from lit.models.re.infer import RelationModel

    return Extractor(tagger=None, linker=ModelLinker(RelationModel.load(device="cpu")))


def _facts(extractor: Extractor, text: str):
    return extractor.extract(paragraph_document(text, "test"))[0]


def test_paragraphs_break_at_line_breaks() -> None:
    doc = paragraph_document("ZnO is a semiconductor. It is cheap.", "t")
    assert paragraphs(doc, split_sentences(doc)) == [[0, 1]]
    from lit.extract.document import DocumentBuilder, DocumentInfo

    b = DocumentBuilder(DocumentInfo(doc_id="x", source="x", format="text", sha256="0"))
    b.add_paragraph("ZnO is a semiconductor. It is cheap.")
    b.add_paragraph("GaN is harder.")
    doc = b.build()
    assert paragraphs(doc, split_sentences(doc)) == [[0, 1], [2]]


def test_model_links_a_plain_statement_and_says_so(linked: Extractor) -> None:
    facts = _facts(linked, "The band gap of ZnO is 3.37 eV at room temperature.")
    assert [(f.compound, f.property, f.value, f.unit) for f in facts] == [("ZnO", "band_gap", 3.37, "eV")]
    assert "+re-" in facts[0].model and "+rules-link-" in facts[0].model
    assert 0.0 < facts[0].confidence <= 1.0


def test_respectively_lists_keep_the_rule_zip(linked: Extractor) -> None:
    facts = _facts(linked, "CdS and CdSe have band gaps of 2.42 and 1.74 eV, respectively.")
    assert sorted((f.compound, f.value) for f in facts) == [("CdS", 2.42), ("CdSe", 1.74)]


def test_model_and_rules_agree_on_faithful_offsets(linked: Extractor) -> None:
    text = ("Thin films of MAPbI3 were annealed at 100 °C. Their band gap is 1.59 eV, while "
            "CsPbBr3 shows a band gap of 2.36 eV and a melting point of 567 °C.")
    facts = _facts(linked, text)
    assert {("CsPbBr3", "band_gap", 2.36), ("CsPbBr3", "melting_point", 840.15)} <= {
        (f.compound, f.property, round(f.value, 2)) for f in facts}
    for f in facts:
        assert text[f.compound_start : f.compound_end] == f.compound
        assert text[f.value_start : f.value_end] in f.raw_value
