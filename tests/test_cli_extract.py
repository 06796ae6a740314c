"""``lit extract``: exit codes, failures file, inputs (folders, globs, .txt), progress, graph."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.cli.progress import BatchProgress
from lit.extract.batch import BatchSummary
from lit.extract.pipeline import DocumentResult
from lit.extract.workers import model_versions
from tests.batch_corpus import (
    expected_table_facts, jats_doc, make_corpus, read_facts, require_html_reader, rows_of,
)

runner = CliRunner()


def _extract(*args: str):
    return runner.invoke(app, ["extract", *args])


def test_cli_extract_all_ok_exit_zero_and_graph(tmp_path: Path) -> None:
    require_html_reader()
    make_corpus(tmp_path / "docs", 5)
    (tmp_path / "docs" / "article.xml").write_text(jats_doc(5), encoding="utf-8")  # JATS table-wrap
    out, graph = tmp_path / "facts.jsonl", tmp_path / "graph"
    result = _extract(str(tmp_path / "docs"), "--out", str(out), "--graph", str(graph), "--silent")
    assert result.exit_code == 0, result.output
    facts = read_facts(out)
    assert len(facts) == expected_table_facts(5) + 3  # + one band gap per JATS row
    assert {(f["compound"], f["value"]) for f in facts if f["source"].endswith(".xml")} == {
        (c, g) for c, g, _ in rows_of(5)}
    assert len({f["id"] for f in facts}) == len(facts)
    assert (tmp_path / "facts.jsonl.failures.jsonl").read_text() == ""
    assert "6/6 documents" in result.stdout
    from lit.graph.store import open_store

    with open_store(str(graph), read_only=True) as store:
        counts = store.counts()
        runs = store.query("MATCH (r:ExtractionRun) RETURN r.documents AS d, r.facts AS f, r.models AS m")
    assert counts["Document"] == 6
    assert counts["Measurement"] == len(facts)
    assert runs == [{"d": 6, "f": len(facts), "m": sorted(model_versions())}]


def test_cli_extract_partial_exit_three_lists_failures(tmp_path: Path) -> None:
    require_html_reader()
    docs = tmp_path / "docs"
    make_corpus(docs, 3)
    (docs / "broken.pdf").write_bytes(b"\x00\x01 this is not a pdf \x00" * 10)
    (docs / "empty.txt").write_bytes(b"")
    out = tmp_path / "facts.jsonl"
    result = _extract(str(docs), str(tmp_path / "nothing-*.html"), "--out", str(out), "--no-graph", "--silent")
    assert result.exit_code == 3, result.output
    failures = [json.loads(x) for x in (tmp_path / "facts.jsonl.failures.jsonl").read_text().splitlines()]
    by_source = {Path(f["source"]).name: f for f in failures}
    assert set(by_source) == {"broken.pdf", "empty.txt", "nothing-*.html"}
    assert by_source["broken.pdf"]["code"] == "E103" and "not a PDF" in by_source["broken.pdf"]["error"]
    assert by_source["empty.txt"]["code"] == "E102" and "empty" in by_source["empty.txt"]["error"]
    assert "no such file" in by_source["nothing-*.html"]["error"]
    assert "3 failed" in result.stderr and "broken.pdf" in result.stderr
    assert len(read_facts(out)) == expected_table_facts(3)  # the good documents still count


def test_cli_extract_globs_folders_and_txt(tmp_path: Path) -> None:
    require_html_reader()
    make_corpus(tmp_path / "a", 4)
    make_corpus(tmp_path / "b" / "deep", 2)
    (tmp_path / "notes.txt").write_text("A plain note.\n\nZinc oxide is a wide-gap semiconductor.\n")
    out = tmp_path / "facts.jsonl"
    result = _extract(
        str(tmp_path / "a" / "doc000[0-1].html"), str(tmp_path / "b"), str(tmp_path / "notes.txt"),
        str(tmp_path / "a" / "doc0000.html"),  # named twice: processed once
        "--out", str(out), "--no-graph", "--silent",
    )
    assert result.exit_code == 0, result.output
    journal = [json.loads(x) for x in (tmp_path / "facts.jsonl.journal").read_text().splitlines()]
    sources = sorted(Path(e["source"]).name for e in journal if "source" in e)
    assert sources == ["doc0000.html", "doc0000.html", "doc0001.html", "doc0001.html", "notes.txt"]
    assert journal[0]["header"]["files"] == 5


def test_cli_extract_plain_log_lines_when_not_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Title line\n\nSilicon has a band gap of 1.12 eV.\n")
    out = tmp_path / "f.jsonl"
    result = _extract(str(tmp_path / "one.txt"), "--out", str(out), "--no-graph")
    assert result.exit_code == 0, result.output
    assert "1/1 documents" in result.stderr and "docs/s" in result.stderr
    assert "\x1b[" not in result.stderr  # no terminal control codes in a log
    silent = _extract(str(tmp_path / "one.txt"), "--out", str(out), "--no-graph", "--silent")
    assert silent.exit_code == 0 and silent.stderr == ""
    assert "1/1 documents" in silent.stdout  # the summary is still printed


def test_cli_extract_progress_bar_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    summary = BatchSummary(run_id="r", started="now", total=2)
    with BatchProgress("auto", stream=stream) as progress:
        assert progress.mode == "bar"
        for i in range(2):
            summary.documents += 1
            summary.facts += 3
            progress.update(DocumentResult(source=f"d{i}"), summary)
        bad = DocumentResult(source="bad", error="bad: broken", error_code="E103")
        summary.failures.append({"source": "bad", "code": "E103", "error": bad.error})
        progress.update(bad, summary)
    text = stream.getvalue()
    assert "2/2" in text and "6 facts" in text and "1 failed" in text and "FAILED bad: broken" in text
