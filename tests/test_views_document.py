"""``lit show``: a real document (the sample PDF, the sample HTML with its table) through the
default models onto one page: the facts ``lit extract`` gives as rows, each linked to its
sentence or table row, mentions highlighted; rendered and filtered in headless chromium."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.extract.facts import Fact
from lit.extract.pipeline import Extractor
from lit.extract.readers import read_document
from lit.extract.segment import split_sentences
from lit.views.document_page import document_page, state_page
from tests.browser import open_page

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "corpora" / "sample" / "semiconductors.pdf"
TABLE_HTML = REPO / "corpora" / "sample" / "magnetic_oxides.html"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("show") / "semiconductors.html"
    result = CliRunner().invoke(app, ["show", str(PDF), "--html", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def _fact_rows(tree) -> list[tuple[str, str, str, str, str]]:
    return [
        tuple(td.text_content().strip() for td in tr.findall("td")[:5])
        for tr in tree.iter("tr") if tr.get("class") == "fact"
    ]


def test_show_rows_are_the_facts_lit_extract_gives(shown, extractor) -> None:
    path, output = shown
    facts = extractor.extract_path(PDF).facts
    assert len(facts) >= 5
    tree = lxml.html.parse(str(path)).getroot()
    rows = _fact_rows(tree)
    assert f"{len(facts)} facts" in output
    compound_property = sorted((r[0], r[1], r[3]) for r in rows)
    assert compound_property == sorted((f.compound, f.property, f.unit) for f in facts)
    assert ("GaN", "band_gap", "3.4", "eV") in {(r[0], r[1], r[2], r[3]) for r in rows}
    confidences = sorted(float(tr.get("data-confidence")) for tr in tree.iter("tr") if tr.get("class") == "fact")
    assert confidences == pytest.approx(sorted(f.confidence for f in facts), abs=1e-4)
    assert all(f.page is not None for f in facts)  # a PDF's facts carry their page: the column shows it
    assert "page" in [th.text_content() for th in tree.iter("th")]
    pages = sorted(tr.findall("td")[6].text_content().strip() for tr in tree.iter("tr") if tr.get("class") == "fact")
    assert pages == sorted(str(f.page) for f in facts)


def test_show_rows_link_to_the_sentence_they_came_from(shown) -> None:
    path, _ = shown
    tree = lxml.html.parse(str(path)).getroot()
    sentences = {f"s-{s.index}": s for s in split_sentences(read_document(PDF))}
    links = [a.get("href") for tr in tree.iter("tr") if tr.get("class") == "fact" for a in tr.iter("a")]
    assert links and all(link.startswith("#s-") for link in links)
    for link, anchor in zip(links, (a for tr in tree.iter("tr") if tr.get("class") == "fact" for a in tr.iter("a"))):
        assert tree.get_element_by_id(link[1:]) is not None
        assert sentences[link[1:]].text.startswith(anchor.text_content().rstrip("…"))


def test_show_highlights_the_mentions_in_displacy_style(shown) -> None:
    path, output = shown
    tree = lxml.html.parse(str(path)).getroot()
    marks = [m for m in tree.iter("mark") if "entity" in (m.get("class") or "")]
    n_mentions = int(re.search(r"(\d+) mentions", output).group(1))
    assert len(marks) == n_mentions > 20
    labelled = {(m.text or "").strip(): m.findall("span")[0].text_content().strip() for m in marks}
    assert labelled.get("GaN") == "COMPOUND" and labelled.get("3.4 eV") == "VALUE"
    html = path.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html), "the page loads something from the network"


def test_table_facts_link_to_their_table_row(extractor, tmp_path) -> None:
    (state,) = extractor.analyse([read_document(TABLE_HTML)])
    assert state.ok and state.mentions and state.result.facts
    tree = lxml.html.fromstring(state_page(state))
    table_rows = {tr.get("id"): tr for tr in tree.iter("tr") if (tr.get("id") or "").startswith("r-")}
    linked = [
        a.get("href")[1:] for tr in tree.iter("tr") if tr.get("class") == "fact"
        for a in tr.iter("a") if a.get("href", "").startswith("#r-")
    ]
    assert len(linked) >= 4  # Fe, Co, Ni, Gd Curie temperatures from the table
    for ident in linked:
        assert ident in table_rows
    assert "Ni" in table_rows[linked[0]].text_content() or any("Ni" in table_rows[i].text_content() for i in linked)


def test_facts_without_a_page_show_no_page_column(extractor) -> None:
    """Only PDF facts carry a page; a text file's page has no empty page column."""
    doc = read_document(REPO / "corpora" / "sample" / "halide_perovskites.txt")
    facts, _ = extractor.extract(doc)
    assert facts and all(f.page is None for f in facts)
    tree = lxml.html.fromstring(document_page(doc, split_sentences(doc), [], facts))
    assert "page" not in [th.text_content() for th in tree.iter("th")]


def test_show_cli_refuses_bad_arguments_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["show", str(tmp_path / "missing.pdf"), "--html", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and result.output.startswith("Error:") and result.output.count("\n") == 1
    assert "missing.pdf" in result.output
    copy = tmp_path / "paper.txt"
    copy.write_text("The band gap of GaN is 3.4 eV.\n")
    result = runner.invoke(app, ["show", str(copy), "--html", str(copy)])
    assert result.exit_code == 2 and "is the input file" in result.output
    assert copy.read_text() == "The band gap of GaN is 3.4 eV.\n"


def test_show_page_renders_and_filters_in_headless_chromium(shown, tmp_path: Path, capsys) -> None:
    path, _ = shown
    tree = lxml.html.parse(str(path)).getroot()
    confidences = [float(tr.get("data-confidence")) for tr in tree.iter("tr") if tr.get("class") == "fact"]
    with open_page(path) as page:
        visible = "Array.from(document.querySelectorAll('tr.fact')).filter(r => r.offsetParent !== null).length"
        assert page.evaluate(visible) == len(confidences)
        assert page.evaluate("document.querySelectorAll('mark.entity').length") > 20
        page.evaluate("(s => { s.value = '0.5'; s.dispatchEvent(new Event('input')); })(document.getElementById('min-confidence'))")
        kept = sum(c >= 0.5 for c in confidences)
        assert page.evaluate(visible) == kept
        assert page.evaluate("document.getElementById('facts-shown').textContent") == str(kept)
        page.evaluate("(s => { s.value = '0'; s.dispatchEvent(new Event('input')); })(document.getElementById('min-confidence'))")
        # following a fact's link marks its sentence
        target = page.evaluate("(a => { a.click(); return a.getAttribute('href'); })(document.querySelector('tr.fact a'))")
        assert page.evaluate("location.hash") == target
        assert page.evaluate(f"document.querySelector('{target}').matches(':target')") is True
        shot = page.screenshot(tmp_path / "show.png")
        assert page.errors == []
    assert shot.stat().st_size > 10_000
    with capsys.disabled():  # in the test output whether or not it passes
        print(f"\nscreenshot: {shot}")
