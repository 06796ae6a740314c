"""Encodings and names that used to lose text silently or crash a batch: a stray byte in a
UTF-8 page, UTF-16/32 files, deep unclosed nesting, file names that are not UTF-8."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.errors import CorruptFileError
from lit.extract.batch import run_batch
from lit.extract.readers import read_document
from lit.extract.workers import ProcessPool
from lit.graph.store import open_store
from tests.batch_corpus import read_facts
from tests.test_batch_limits import _rules_only

PAGE = (
    "<html><head><meta charset='utf-8'><title>Perovskite films</title></head><body><article>"
    "<p>The band gap of CsPbBr3 is 2.3 eV at 25 °C; its mobility is 10 cm² V⁻¹ s⁻¹ (μ-scale grains).</p>"
    "<p>Caf{stray} samples were annealed.</p></article></body></html>"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_encodings_stray_byte_spoils_only_itself(tmp_path: Path) -> None:
    data = PAGE.format(stray="").encode("utf-8").replace(b"Caf", b"Caf\xe9")  # one cp1252 byte
    doc = read_document(_write(tmp_path, "stray.html", data))
    assert "25 °C" in doc.text and "cm² V⁻¹" in doc.text and "μ-scale" in doc.text  # not mojibake
    assert "Café samples" in doc.text
    assert doc.info.notes == ["1 byte(s) did not decode as utf-8 and were read as cp1252 characters"]
    clean = read_document(_write(tmp_path, "clean.html", PAGE.format(stray="é").encode("utf-8")))
    assert clean.text == doc.text and clean.info.notes == []
    shown = CliRunner().invoke(app, ["parse", str(tmp_path / "stray.html")])
    assert shown.exit_code == 0 and "note:    1 byte(s) did not decode as utf-8" in shown.output


def test_encodings_undeclared_cp1252_page_still_reads(tmp_path: Path) -> None:
    page = "<html><body><p>Nb\xb3Sn becomes superconducting at 18 K; \xc5ngstr\xf6m films \u2013 25 \xb0C.</p></body></html>"
    doc = read_document(_write(tmp_path, "legacy.html", page.encode("cp1252")))
    assert "Nb\xb3Sn" in doc.text and "\xc5ngstr\xf6m films \u2013 25 \xb0C" in doc.text
    assert doc.info.notes and doc.info.notes[0].startswith("5 byte(s)")  # ³ Å ö – °


def test_encodings_stray_byte_in_text_file(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "notes.txt", "Band gap of TiO2 is 3.2 eV at 25 °C.\n".encode() + b"na\xefve\n"))
    assert "25 °C" in doc.text and "naïve" in doc.text
    assert doc.info.notes == ["1 byte(s) were not UTF-8 and were read as cp1252 characters"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_encodings_wide_files_are_read(tmp_path: Path, encoding: str) -> None:
    html = PAGE.format(stray="é").replace("charset='utf-8'", "charset='utf-16'")
    xml = ('<?xml version="1.0" encoding="UTF-16"?>\n<article><front><article-meta><title-group>'
           "<article-title>Oxides</article-title></title-group></article-meta></front><body><sec><title>Results"
           "</title><p>The band gap of ZnO is 3.37 eV at 25 °C.</p></sec></body></article>")
    text = "Oxides\n\nThe band gap of ZnO is 3.37 eV at 25 °C.\n"
    for name, content, fmt in (("p.html", html, "html"), ("a.xml", xml, "xml"), ("t.txt", text, "text")):
        wide = read_document(_write(tmp_path, f"{encoding}-{name}", content.encode(encoding)))
        assert wide.info.format == fmt
        assert "25 °C" in wide.text and wide.info.notes == []
        if fmt == "html":
            assert "Café samples" in wide.text


def test_encodings_nul_bytes_are_still_binary(tmp_path: Path) -> None:
    from lit.errors import UnsupportedFormatError

    with pytest.raises(UnsupportedFormatError):
        read_document(_write(tmp_path, "blob.txt", bytes(range(256)) * 16))


def test_encodings_deep_unclosed_nesting_keeps_later_text(tmp_path: Path) -> None:
    for depth in (300, 2000):  # libxml2's default depth limit is 256: everything after was lost
        page = "<html><body><p>First.</p>" + "<font size=2>" * depth + "<p>The band gap of TiO2 is 3.2 eV.</p></body></html>"
        doc = read_document(_write(tmp_path, f"deep{depth}.html", page.encode()))
        assert "The band gap of TiO2 is 3.2 eV." in doc.text
    page = "<html><body><p>First.</p>" + "<div>" * 2100 + "<p>Lost text.</p></body></html>"
    path = _write(tmp_path, "deeper.html", page.encode())
    with pytest.raises(CorruptFileError) as caught:
        read_document(path)  # past the parser's hard limit: a clear error, not a silent loss
    assert str(path) in str(caught.value) and "depth" in str(caught.value)


def test_encodings_non_utf8_file_names_in_a_batch_and_its_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ProcessPool, "loader", staticmethod(_rules_only))
    folder = tmp_path / "docs"
    folder.mkdir()
    raw = os.fsencode(folder)
    for name, body in ((b"band\xe9gap.txt", b"The band gap of TiO2 is 3.2 eV.\n"),
                       (b"lat\xfftice.html", b"<html><body><p>The band gap of ZnO is 3.37 eV.</p></body></html>"),
                       (b"empty\xfe.txt", b"")):
        with open(os.path.join(raw, name), "wb") as fh:
            fh.write(body)
    out, graph = tmp_path / "facts.jsonl", tmp_path / "graph"
    summary = run_batch([folder], out, str(graph))
    assert summary.succeeded == 2 and [f["code"] for f in summary.failures] == ["E102"]
    facts = read_facts(out)
    assert sorted(f["source"] for f in facts) == [f"{folder}/band\\xe9gap.txt", f"{folder}/lat\\xfftice.html"]
    with open_store(str(graph), read_only=True) as store:
        rows = store.query("MATCH (d:Document) RETURN d.source AS s ORDER BY s")
    assert [r["s"] for r in rows] == [f"{folder}/band\\xe9gap.txt", f"{folder}/lat\\xfftice.html"]
    journal = out.with_name(out.name + ".journal")
    journal.write_text("".join(line for line in journal.read_text().splitlines(True) if '"finished"' not in line))
    resumed = run_batch([folder], out, str(graph))  # the re-run finds every name in the journal
    assert resumed.resumed == 3 and resumed.succeeded == 2 and len(read_facts(out)) == 2
