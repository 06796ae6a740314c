"""Tables in PDFs rebuilt as cells from geometry, on both engines.

The grids below were read off the printed tables by hand (``test3.pdf`` Table 1,
``example2.pdf`` Table 1). The band-gap table is a one-page PDF written here with PDF text
operators (whitespace-aligned columns, as typesetters set them), so the table-to-facts path
can be checked end to end, with page and boxes, on a file whose values we know.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from lit.extract.pipeline import Extractor
from lit.extract.readers import read_document
from lit.extract.readers.pdf import ENGINES
from tests.test_reader_errors import build_pdf


def _grid(doc, table) -> list[list[str]]:
    return [[doc.span(c) for c in row] for row in table.rows]


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_tables_whitespace_aligned_table_rebuilt(engine: str, fixtures_dir: Path) -> None:
    doc = read_document(fixtures_dir / "parser_samples" / "cermine" / "test3.pdf", engine)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert doc.span(table.caption).startswith("Table 1. LC50 data of P. paludosa extractives and vincristine sulfate")
    assert _grid(doc, table) == [
        ["Samples", "LC50 (µg/ml)"],
        ["VS", "0.28 ± 1.25"],
        ["HF", "2.17 ± 1.30"],
        ["CF", "2.77 ± 0.95"],
        ["AQF", "2.46 ± 1.33"],
    ]
    # The cells are the table's, not prose: no paragraph holds them.
    assert not [p for s in doc.sections for p in s.paragraphs if "0.28 ± 1.25" in doc.span(p)]


def test_pdf_tables_close_columns_split_at_wide_gaps(fixtures_dir: Path) -> None:
    # The three number columns sit closer than the engine's line-cutting gap: PDFium's lines
    # keep their wide gaps, so the cells separate (pdfminer gives the numbers as one cell).
    doc = read_document(fixtures_dir / "parser_samples" / "cermine" / "example2.pdf", "pdfium")
    first = doc.tables[0]
    assert doc.span(first.caption) == "Table 1 Patient-provider relationship during consultation"
    grid = _grid(doc, first)
    assert grid[:3] == [
        ["Item", "Yes (%)", "No (%)", "Respondents"],
        ["Privacy given", "99", "1", "97"],
        ["Health conditions told", "88.7", "11.3", "97"],
    ]
    assert len(grid) == 11 and all(len(row) == 4 for row in grid)


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_tables_found_under_captions_on_fixtures(engine: str, fixtures_dir: Path) -> None:
    """Table captions at a page top were once dropped as running headers; their tables stay."""
    doc = read_document(fixtures_dir / "parser_samples" / "cermine" / "example3.pdf", engine)
    captions = [doc.span(t.caption)[:7] for t in doc.tables]
    assert {"Table 1", "Table 2", "Table 4", "Table 5"} <= set(captions)
    hydrogen = next(t for t in doc.tables if doc.span(t.caption).startswith("Table 5"))
    assert _grid(doc, hydrogen)[0] == ["Residue", "Atom", "33RE", "Distance (A)˚" if engine == "pdfium" else "Distance ( ˚A)"]
    assert ["Tyr498", "OH", "O", "2.5"] in _grid(doc, hydrogen)


def _band_gap_pdf() -> bytes:
    rows = [("Compound", "Band gap (eV)", "Structure"), ("GaAs", "1.42", "zinc blende"), ("GaN", "3.4", "wurtzite"),
            ("ZnO", "3.37", "wurtzite")]
    ops = [b"BT /F1 11 Tf 72 720 Td (Table 1. Band gaps of common semiconductors at room temperature.) Tj ET"]
    for k, row in enumerate(rows):
        y = 690 - 16 * k
        for x, cell in zip((90, 200, 330), row):
            ops.append(b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % (x, y, cell.encode()))
    prose = ("The measured values agree with the literature within the experimental uncertainty of the "
             "optical absorption method used throughout this work.")
    ops.append(b"BT /F1 10 Tf 72 600 Td (%s) Tj ET" % prose[:95].encode())
    ops.append(b"BT /F1 10 Tf 72 586 Td (%s) Tj ET" % prose[95:].encode())
    content = b"\n".join(ops)
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_tables_give_facts_with_page_and_boxes(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gaps.pdf"
    path.write_bytes(_band_gap_pdf())
    monkeypatch.setenv("LIT_PDF_ENGINE", engine)
    doc = read_document(path)
    assert len(doc.tables) == 1 and _grid(doc, doc.tables[0])[1] == ["GaAs", "1.42", "zinc blende"]
    result = Extractor(None).extract_path(path)
    assert result.ok
    table_facts = sorted((f.compound, f.value, f.unit) for f in result.facts if f.model.startswith("lit-table"))
    assert table_facts == [("GaAs", 1.42, "eV"), ("GaN", 3.4, "eV"), ("ZnO", 3.37, "eV")]
    text_page = pdfium.PdfDocument(path)[0].get_textpage()
    for fact in result.facts:
        assert fact.page == 1 and fact.boxes
        inside = " ".join(text_page.get_text_bounded(x0 - 0.5, y0 - 0.5, x1 + 0.5, y1 + 0.5) for _, x0, y0, x1, y1 in fact.boxes)
        assert fact.compound in inside and re.sub(r"\s+", " ", fact.raw_value.split(" (")[0]) in inside
