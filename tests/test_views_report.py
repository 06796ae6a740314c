"""``lit report``: a real embedded graph (and the Bolt server) summed up on one page, read
through the read-only query path; the page renders in headless chromium without errors."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.extract.document import DocumentInfo
from lit.graph.embedded import EmbeddedStore
from lit.views.graph_report import report_page, summarize
from tests import graph_samples as gs
from tests.browser import open_page

EMPTY = DocumentInfo(doc_id="a1b2c3d4e5f600000004", source="papers/no_numbers.txt", format="text",
                     sha256="4" * 64, title="A review without numbers", year=2021)


def _fill(store) -> None:
    """The samples, paper 0 re-extracted by a newer model (its old facts superseded), and a
    document that gave no facts."""
    store.upsert(gs.DOCS, gs.facts(), gs.run())
    v2 = [f for f in gs.facts(gs.MODEL_V2) if f.doc_id == gs.DOCS[0].doc_id]
    v2[1] = replace(v2[1], value=2.31, raw_value="2.31 eV")
    store.upsert([gs.DOCS[0], EMPTY], v2, gs.run("run-2", "2026-11-26T02:00:00+00:00", gs.MODEL_V2, 2))


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "g"
    with EmbeddedStore(path) as store:
        _fill(store)
    return path


@pytest.fixture(scope="module")
def page_file(graph: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report-page") / "report.html"
    result = CliRunner().invoke(app, ["report", "--graph", str(graph), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "8 measurements" in result.output
    return out


def _rows(tree, table_id: str) -> list[list[str]]:
    return [[c.text_content().strip() for c in tr.findall("td")] for tr in tree.get_element_by_id(table_id).iter("tr") if tr.findall("td")]


def test_report_tables_say_what_is_in_the_graph(page_file: Path) -> None:
    tree = lxml.html.parse(str(page_file)).getroot()
    properties = {r[0]: (r[1], int(r[2]), r[3]) for r in _rows(tree, "properties")}
    # 8 current measurements: 5 band gaps (one of paper 0's re-extracted at 2.31), 3 Curie temperatures
    assert properties == {"band_gap": ("eV", 5, "1.55 – 6"), "curie_temperature": ("K", 3, "627 – 1388")}
    compounds = {r[0]: int(r[1]) for r in _rows(tree, "compounds")}
    assert compounds["CH3NH3PbI3"] == 2 and compounds["GaN"] == 1 and len(compounds) == 7
    assert [r[0] for r in _rows(tree, "without-facts")] == ["papers/no_numbers.txt"]
    runs = _rows(tree, "runs")
    assert [r[0] for r in runs] == ["run-2", "run-2026-11-25"]  # newest first
    text = tree.text_content()
    assert "8 current measurements" in text and "4 documents (1 without facts)" in text


def test_report_plots_are_inline_svg_and_the_page_needs_nothing_from_outside(page_file: Path) -> None:
    html = page_file.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    figures = {f.get("id"): f for f in tree.iter("figure")}
    assert {"facts-per-property", "facts-per-year", "confidence", "values-band_gap", "values-curie_temperature"} <= set(figures)
    for fig in figures.values():
        assert len(fig.findall(".//{*}svg")) == 1
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids repeat across the inline plots"
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html), "the page loads something from the network"


def test_report_reads_the_same_from_a_bolt_server(graph: Path, neo4j_store) -> None:
    _fill(neo4j_store)
    with EmbeddedStore(graph, read_only=True) as embedded:
        want = summarize(embedded, "t")
    got = summarize(neo4j_store, "t")
    assert got.per_property == want.per_property and got.measurements == 8
    assert got.per_year == want.per_year
    assert {p: (u, sorted(v), o) for p, (u, v, o) in got.values.items()} == \
        {p: (u, sorted(v), o) for p, (u, v, o) in want.values.items()}
    assert sorted(got.confidences) == pytest.approx(sorted(want.confidences))
    assert got.top_compounds == want.top_compounds
    assert got.without_facts == want.without_facts and got.documents == 4
    assert [r["id"] for r in got.runs] == [r["id"] for r in want.runs]
    assert report_page(got)  # renders from the server's rows too


def test_report_cli_refuses_bad_targets_in_one_line(tmp_path: Path, graph: Path) -> None:
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    runner = CliRunner()
    result = runner.invoke(app, ["report", "--graph", str(other), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and result.output.startswith("Error:")
    result = runner.invoke(app, ["report", "--graph", str(graph), "--html", str(tmp_path)])
    assert result.exit_code == 2 and "--html" in result.output and "is a folder" in result.output
    assert not (tmp_path / "r.html").exists()


def test_report_renders_in_headless_chromium(page_file: Path, tmp_path: Path, capsys) -> None:
    with open_page(page_file, height=1200) as page:
        assert page.evaluate("document.querySelectorAll('#compounds tr.compound').length") == 7
        assert page.evaluate("document.querySelectorAll('#runs tr.run').length") == 2
        # every plot was drawn: an svg with a real size on the page
        sizes = page.evaluate("Array.from(document.querySelectorAll('figure svg')).map(s => s.getBoundingClientRect().width)")
        assert len(sizes) >= 5 and min(sizes) > 100
        shot = page.screenshot(tmp_path / "report.png")
        assert page.errors == []
    assert shot.stat().st_size > 10_000
    with capsys.disabled():  # in the test output whether or not it passes
        print(f"\nscreenshot: {shot}")


def test_the_browser_check_sees_script_errors_and_failed_loads(tmp_path: Path) -> None:
    """What makes `page.errors == []` above mean something: a broken page is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="missing.css"></head>'
                   '<body><p>x</p><script>console.error("broken"); undefinedFunction();</script></body></html>')
    with open_page(bad) as page:
        page.evaluate("1")  # drain what arrived
        errors = " | ".join(page.errors)
    assert "broken" in errors and "undefinedFunction" in errors and "missing.css" in errors, errors


def test_without_chromium_the_browser_tests_skip_or_fail_under_ci(tmp_path: Path) -> None:
    """Where no chromium is on PATH a browser test says so: a skip on a developer's machine,
    a failure under LIT_REQUIRE_SHARED=1 (CI installs chromium, so there it must be found)."""
    import os
    import subprocess
    import sys

    test = "tests/test_views_report.py::test_the_browser_check_sees_script_errors_and_failed_loads"
    env = {k: v for k, v in os.environ.items() if k != "LIT_REQUIRE_SHARED"}
    env["PATH"] = str(tmp_path)  # nothing to find there
    repo = Path(__file__).resolve().parents[1]

    def run(**extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", test],
                              cwd=repo, env={**env, **extra}, capture_output=True, text=True, timeout=300)

    relaxed = run()
    assert relaxed.returncode == 0 and "1 skipped" in relaxed.stdout and "apt-get install -y chromium" in relaxed.stdout
    required = run(LIT_REQUIRE_SHARED="1")
    assert required.returncode == 1 and "LIT_REQUIRE_SHARED=1 makes this a failure" in required.stdout


def test_report_to_stdout(graph: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--graph", str(graph), "--html", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert "Wrote stdout: 8 measurements" in result.stderr
