"""Small hostile files that used to cost minutes or gigabytes, or sink a whole document:
clamps where tables, streams and sentences are read. Each test writes its file itself."""

from __future__ import annotations

import resource
import time
import zlib
from pathlib import Path

import pytest

from lit.errors import CorruptFileError, FileTooLargeError, NoTextLayerError
from lit.extract.pipeline import Extractor
from lit.extract.readers import read_document
from lit.extract.readers.pdf import ENGINES, inflate
from lit.extract.readers.tables import MAX_COLUMNS, MAX_GRID_CELLS, CellSpec, layout_grid, parse_count, parse_span
from lit.extract.segment import MAX_SENTENCE_CHARS, split_text
from tests.test_reader_errors import build_pdf


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cals_article(colnum: str, morerows: str = "0") -> str:
    """A JATS article with a CALS table whose second colspec has ``colnum`` and whose ZnO value
    cell has ``morerows``."""
    return f"""<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>Band gaps of oxides</article-title></title-group>
</article-meta></front><body><sec><title>Results</title><p>The band gap of TiO2 is 3.2 eV.</p>
<table-wrap><label>Table 1</label><caption><p>Band gaps.</p></caption><table><tgroup cols="2">
<colspec colname="c1" colnum="1"/><colspec colname="c2" colnum="{colnum}"/>
<thead><row><entry colname="c1">Compound</entry><entry colname="c2">Band gap (eV)</entry></row></thead>
<tbody><row><entry colname="c1">ZnO</entry><entry colname="c2" morerows="{morerows}">3.37</entry></row>
<row><entry namest="c1" nameend="c2">notes</entry></row></tbody></tgroup></table></table-wrap></sec></body></article>"""


@pytest.mark.parametrize("colnum,morerows", [
    ("20000000", "0"),  # 745 bytes that took 5 GB: a row 20 million cells wide
    ("\u00b2", "\u00b2"),  # str.isdigit() says yes, int() says no: a traceback before
    ("9" * 5000, "9" * 5000),  # past int()'s 4,300-digit limit: a traceback before
    ("-3", "1.5"),
])
def test_reader_hostile_cals_attributes_fail_no_document(tmp_path: Path, colnum: str, morerows: str) -> None:
    path = tmp_path / "cals.xml"
    path.write_text(cals_article(colnum, morerows), encoding="utf-8")
    started = time.monotonic()
    doc = read_document(path)
    assert time.monotonic() - started < 5
    [table] = doc.tables
    assert len(table.rows[0]) == 2  # the junk colnum fell back to the colspec's position
    result = Extractor(None).extract_path(path)
    assert result.ok, result.error
    assert {(f.compound, f.value) for f in result.facts} >= {("ZnO", 3.37), ("TiO2", 3.2)}


def test_reader_hostile_html_spans_stay_bounded(tmp_path: Path) -> None:
    # 50 KB of cells spanning 100 x 100: ~10^8 grid positions (3.4 GB) before the clamps.
    rows = "".join("<tr>" + '<td rowspan="100" colspan="100">x</td>' * 10 + "</tr>" for _ in range(130))
    html = f"<html><body><p>The band gap of TiO2 is 3.2 eV.</p><table>{rows}</table></body></html>"
    path = tmp_path / "spans.html"
    path.write_text(html)
    before = _peak_mib()
    started = time.monotonic()
    result = Extractor(None).extract_path(path)
    assert time.monotonic() - started < 30
    assert _peak_mib() - before < 300
    assert result.ok and [(f.compound, f.value) for f in result.facts] == [("TiO2", 3.2)]
    [table] = read_document(path).tables
    assert max(len(r) for r in table.rows) <= MAX_COLUMNS
    assert sum(len(r) for r in table.rows) <= MAX_GRID_CELLS + len(table.rows) * MAX_COLUMNS


def test_reader_hostile_grid_clamps_at_the_column_limit() -> None:
    wide = [[CellSpec("a", colspan=100), CellSpec("b", colspan=100), CellSpec("c", colspan=100), CellSpec("d")]]
    [row] = layout_grid(wide)
    assert len(row) == MAX_COLUMNS and row[0] == "a" and row[100] == "b" and row[200] == "c"  # d is past the edge
    far = [[CellSpec("x", column=10**6)], [CellSpec("y")]]
    assert layout_grid(far) == [[""], ["y"]]  # x starts past the edge: left out, the row kept


def test_reader_hostile_numbers_in_attributes() -> None:
    assert [parse_count(v) for v in ("3", " 12 ", "+4", "0", "007", "\u00b2", "\u0663", "1e3", "-1", "", None)] == [
        3, 12, 4, 0, 7, None, None, None, None, None, None]
    assert parse_count("9" * 5000) == parse_count("1" + "0" * 12) == 10**9
    assert [parse_span(v) for v in ("0", "7", "100000", "\u00b2", "9" * 5000)] == [1, 7, 100, 1, 100]


@pytest.mark.parametrize("engine", ENGINES)
def test_reader_hostile_flate_bomb_refused_with_bounded_memory(tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(b" " * 2**20) for _ in range(512)) + packer.flush()  # 512 MiB in ~0.5 MB
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
    ]
    path = tmp_path / "bomb.pdf"
    path.write_bytes(build_pdf(objects))
    monkeypatch.setenv("LIT_PDF_MAX_STREAM_MB", "32")
    monkeypatch.setenv("LIT_PDF_ENGINE", engine)
    before = _peak_mib()
    with pytest.raises(FileTooLargeError) as caught:
        read_document(path)
    assert str(path) in str(caught.value) and "LIT_PDF_MAX_STREAM_MB" in str(caught.value)
    assert _peak_mib() - before < 200


def test_reader_hostile_inflate_keeps_a_damaged_streams_prefix() -> None:
    text = b"".join(b"BT (line %d) Tj ET\n" % i for i in range(20000))
    packed = zlib.compress(text)
    assert inflate(packed) == text
    damaged = packed[: len(packed) // 2] + b"\x00" * 64 + packed[len(packed) // 2 + 64 :]
    kept = inflate(damaged)
    assert len(kept) > len(text) // 4 and text.startswith(kept[:1000])


def test_reader_hostile_run_on_sentence_is_cut_into_pieces(tmp_path: Path) -> None:
    words = "the band gap of TiO2 is 3.2 eV and CH3NH3PbI3 shows 1.55 eV at 300 K and".split()
    text = " ".join(words[i % len(words)] for i in range(20000)) + "."  # ~86 KB, no full stop
    spans = split_text(text)
    assert max(end - start for start, end in spans) <= MAX_SENTENCE_CHARS
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()  # nothing dropped
    path = tmp_path / "runon.txt"
    path.write_text("A title\n\n" + text)
    started = time.monotonic()
    result = Extractor(None).extract_path(path)
    assert time.monotonic() - started < 60  # ~70 s (quadratic) for this file before the cut
    assert result.ok and any(f.compound == "TiO2" and f.value == 3.2 for f in result.facts)
    unbroken = "x" * 2500
    assert split_text(unbroken) == [(0, MAX_SENTENCE_CHARS), (MAX_SENTENCE_CHARS, 2 * MAX_SENTENCE_CHARS),
                                    (2 * MAX_SENTENCE_CHARS, 2500)]


@pytest.mark.parametrize("engine", ENGINES)
def test_reader_hostile_reference_loops_fail_fast(tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """700-byte PDFs that looped forever inside pdfminer (``resolve1`` has no memory).

    PDFium reads the page whose contents loop as an empty page (no text layer), and cannot
    open the file whose root loops, which pdfminer then names.
    """
    monkeypatch.setenv("LIT_PDF_ENGINE", engine)
    contents_loop = build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R >>",
        b"<< /Length 3 >>\nstream\nabc\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"7 0 R",  # 6 0 R -> 7 0 R
        b"6 0 R",  # 7 0 R -> 6 0 R
    ])
    root_loop = build_pdf([b"1 0 R"])  # the trailer's /Root 1 0 R is itself
    for name, data, where in (("contents.pdf", contents_loop, "object 6"), ("root.pdf", root_loop, "object 1")):
        path = tmp_path / name
        path.write_bytes(data)
        started = time.monotonic()
        expected = NoTextLayerError if engine == "pdfium" and name == "contents.pdf" else CorruptFileError
        with pytest.raises(expected) as caught:
            read_document(path)
        assert time.monotonic() - started < 5
        assert str(path) in str(caught.value)
        assert expected is NoTextLayerError or "loop back to " + where in str(caught.value)


def test_reader_hostile_number_past_float_fails_only_its_cell(tmp_path: Path) -> None:
    """'10⁹⁹⁹⁹⁹⁹' raised OverflowError from the number parser, and the document failed (E999)."""
    table = tmp_path / "table.html"
    table.write_text("<html><body><p>The band gap of ZnS is 3.6 eV.</p><table><thead><tr><th>Compound</th>"
                     "<th>Band gap (eV)</th></tr></thead><tbody><tr><td>ZnO</td><td>10\u2079\u2079\u2079\u2079\u2079\u2079</td></tr>"
                     "<tr><td>GaN</td><td>3.4</td></tr></tbody></table></body></html>")
    prose = tmp_path / "prose.txt"
    prose.write_text("Gaps\n\nThe band gap of TiO2 is 10\u2079\u2079\u2079\u2079\u2079\u2079 eV. The band gap of ZnS is 3.6 eV.\n")
    extractor = Extractor(None)
    for path, want in ((table, {("GaN", 3.4), ("ZnS", 3.6)}), (prose, {("ZnS", 3.6)})):
        result = extractor.extract_path(path)
        assert result.ok, result.error
        assert {(f.compound, f.value) for f in result.facts} == want


def test_reader_hostile_a_failing_cell_is_left_out_and_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lit.extract import tables

    real = tables.parse_quantity

    def faulty(raw: str):  # noqa: ANN202 - simulates a normaliser bug on one cell
        if raw.startswith("3.4"):
            raise ZeroDivisionError("simulated")
        return real(raw)

    monkeypatch.setattr(tables, "parse_quantity", faulty)
    path = tmp_path / "t.html"
    path.write_text("<html><body><table><thead><tr><th>Compound</th><th>Band gap (eV)</th></tr></thead><tbody>"
                    "<tr><td>GaN</td><td>3.4</td></tr><tr><td>ZnO</td><td>3.37</td></tr></tbody></table></body></html>")
    result = Extractor(None).extract_path(path)
    assert result.ok and [(f.compound, f.value) for f in result.facts] == [("ZnO", 3.37)]
    assert result.info.notes == ["table cell '3.4' left out (ZeroDivisionError: simulated)"]



def test_reader_hostile_claimed_spans_answer_as_a_scan_would() -> None:
    """Rule mentions claim spans through a sorted structure (value-dense 1,000-character pieces,
    ~140 values each, took 41 ms each with a scan of every claimed span, 17.5 ms with it); it
    must answer "free?" exactly as the scan did, whatever the order spans are claimed in."""
    import random

    from lit.extract.rule_mentions import _Taken

    rng = random.Random(5)
    for _ in range(2000):
        taken, scanned = _Taken(), []
        for _ in range(30):
            start = rng.randrange(40)
            end = start + rng.randrange(0, 6)
            free = all(end <= s or start >= e for s, e in scanned)
            assert taken.free(start, end) == free, (scanned, start, end)
            if free and rng.random() < 0.7:
                scanned.append((start, end))
                taken.add(start, end)
