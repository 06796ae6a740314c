"""The builder is the only place offsets are made: every block must slice back to its text."""

from lit.extract.document import DocumentBuilder, DocumentInfo, content_id


def _info() -> DocumentInfo:
    doc_id, sha = content_id(b"x")
    return DocumentInfo(doc_id=doc_id, source="mem", format="text", sha256=sha)


def test_document_builder_offsets_slice_back_to_text() -> None:
    b = DocumentBuilder(_info())
    b.set_title("  Band gaps\n of perovskites ")
    b.start_section("1. Introduction")
    b.add_paragraph("MAPbI3 has a band gap\n of 1.55 eV.")
    b.add_paragraph("   ")
    b.add_caption("Fig. 1 Absorption spectra.")
    b.add_table([["Compound", "Eg (eV)"], ["", ""], ["CsPbBr3", "2.30"]], caption="Table 1. Gaps.")
    doc = b.build()
    assert doc.info.title == "Band gaps of perovskites"
    assert doc.span(doc.title_block) == "Band gaps of perovskites"
    assert doc.section_heading(0) == "1. Introduction"
    assert [doc.span(p) for p in doc.sections[0].paragraphs] == ["MAPbI3 has a band gap of 1.55 eV."]
    assert doc.span(doc.captions[0]) == "Fig. 1 Absorption spectra."
    table = doc.tables[0]
    assert [[doc.span(c) for c in row] for row in table.rows] == [["Compound", "Eg (eV)"], ["CsPbBr3", "2.30"]]
    assert doc.span(table.caption) == "Table 1. Gaps."
    assert doc.text[table.rows[1][0].start : table.rows[1][1].end] == "CsPbBr3\t2.30"


def test_document_builder_blocks_are_in_text_order_and_disjoint() -> None:
    b = DocumentBuilder(_info())
    b.set_title("T")
    for i in range(3):
        b.start_section(f"S{i}")
        b.add_paragraph(f"Paragraph {i}.")
        b.add_caption(f"Caption {i}.")
    doc = b.build()
    blocks = list(doc.blocks())
    assert [b.start for b in blocks] == sorted(b.start for b in blocks)
    assert all(a.end < b.start for a, b in zip(blocks, blocks[1:]))
    assert [doc.span(b) for b in blocks if b.kind == "caption"] == ["Caption 0.", "Caption 1.", "Caption 2."]


def test_document_to_json_has_the_parse_contract() -> None:
    b = DocumentBuilder(_info())
    b.set_title("T")
    b.start_section("Results")
    b.add_paragraph("GaN has a band gap of 3.4 eV.")
    out = b.build().to_json(sentences=[])
    assert {"title", "doi", "sections", "tables", "sentences"} <= out.keys()
    assert out["sections"] == [{"heading": "Results", "paragraphs": ["GaN has a band gap of 3.4 eV."]}]
