"""HTML reader: real publisher pages (RSC, ACS, old Springer tables) and small pages written here.

Expected values were checked by hand against the fixture files (view-source), not copied
from the reader's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lit.extract.document import Document
from lit.extract.readers import read_document
from lit.extract.readers.html import decode_html
from lit.extract.readers.html_profiles import choose_profile
from lit.extract.readers.tables import CellSpec, layout_grid, parse_span


def _data(fixtures_dir: Path) -> Path:
    return fixtures_dir / "publisher_articles" / "tests" / "data"


def _headings(doc: Document) -> list[str | None]:
    return [doc.section_heading(i) for i in range(len(doc.sections))]


def _rows(doc: Document, table: int) -> list[list[str]]:
    return [[doc.span(c) for c in row] for row in doc.tables[table].rows]


def _write(tmp_path: Path, body: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return path


def _check_offsets(doc: Document) -> None:
    """Every block's span is non-empty, whitespace-trimmed text that sits where it says."""
    for block in doc.blocks():
        text = doc.span(block)
        assert text and text == text.strip() and "  " not in text
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                assert doc.span(cell) == doc.text[cell.start : cell.end]


# -- RSC ---------------------------------------------------------------------------------------------
def test_html_rsc_metadata_and_sections(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "rsc" / "10.1039_C6OB02074G.html")
    info = doc.info
    assert info.format == "html"
    assert info.title == "Denitrogenative hydrofluorination of aromatic aldehyde hydrazones using (difluoroiodo)toluene"
    assert info.doi == "10.1039/C6OB02074G"
    assert info.authors == ["Kaivalya G. Kulkarni", "Boris Miokovic", "Matthew Sauder", "Graham K. Murphy"]
    assert info.journal == "Organic & Biomolecular Chemistry"
    assert info.year == 2016
    assert doc.span(doc.title_block) == info.title
    assert _headings(doc) == ["Abstract", "Introduction", "Results and discussion", "Conclusions", "Experimental", "Acknowledgements"]
    # Intro: one bare <span> paragraph after the h2, then three p.otherpara.
    assert [len(s.paragraphs) for s in doc.sections] == [1, 4, 8, 1, 1, 1]
    intro = doc.sections[1].paragraphs
    assert doc.span(intro[0]).startswith("There is only a handful of naturally occurring fluorocarbons")
    assert doc.span(intro[1]).startswith("Given the breadth of biologically active fluorinated compounds, the development")
    _check_offsets(doc)


def test_html_rsc_subscripts_glued_and_citations_dropped(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "rsc" / "10.1039_C6OB02074G.html")
    results = doc.span(doc.sections[2].paragraphs[0])
    # Source: PhICl<small><sub>2</sub></small> ... compounds<a href="#cit19"><sup>19</sup></a> and ...
    assert "using PhICl2 or TolIF2 as halogen sources" in results
    assert "diazocarbonyl compounds and the oxidative dichlorination of isatin-3-hydrazones." in results
    assert "compounds19" not in results and "#cit" not in doc.text
    assert "References" not in _headings(doc)
    assert "K. L. Kirk" not in doc.text  # first reference entry


def test_html_rsc_table_and_captions(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "rsc" / "10.1039_C6OB02074G.html")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert doc.span(table.caption) == "Table 1 Optimization of the denitrogenative hydrofluorination reaction"
    rows = _rows(doc, 0)
    assert rows[0][:6] == ["Entry", "Vessel", "TolIF2 (equiv.)", "Additive (mol%)", "Solvent", "Temp. (°C)"]
    assert rows[0][6] == "Yield 10a"  # footnote link "a" dropped, words kept apart
    assert rows[4] == ["4", "PFA", "1.1", "25% TiF3", "DCM", "40", "48%", "—", "25%"]
    assert len(rows) == 13  # header, 11 entries, footnote row
    assert rows[12][0].startswith("a Isolated yields.") and rows[12][1:] == [""] * 8
    captions = [doc.span(c) for c in doc.captions]
    assert captions[0] == "Fig. 1 Fluorine transfer reagents based on N–F, S–F or I–F bonds."
    assert len(captions) == 4


def test_html_rsc_title_keeps_subscripts_and_wrapped_table_caption(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "rsc" / "test_paper.html")
    # The meta title says "Ni 12 P 5"; the page's h1 has Ni<sub>12</sub>P<sub>5</sub> and a dagger.
    assert doc.info.title.startswith("High performance carbon-coated hollow Ni12P5 nanocrystals")
    assert doc.info.doi == "10.1039/C7TA06843C"
    headings = _headings(doc)
    assert headings[:4] == ["Abstract", "1. Introduction", "2. Experimental section", "2.1 Chemicals"]
    assert doc.info.title not in headings
    assert doc.tables[0].caption is not None
    assert doc.span(doc.tables[0].caption).startswith("Table 1")
    assert _rows(doc, 0)[0][0] == "Material description"


def test_html_rsc_curie_set_author_biographies_dropped(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "relex" / "curie_training_set" / "c1jm13879k.html")
    assert doc.info.authors == ["Chen-Ho Lai", "Ming-Yen Lu", "Lih-Juann Chen"]
    assert doc.tables == []  # the three tables on the page are author-biography layout
    assert "received his BS in Mechanical Engineering" not in doc.text
    assert "Magnetic properties" in _headings(doc)


# -- ACS ---------------------------------------------------------------------------------------------
def test_html_acs_late_meta_charset_decodes_utf8(fixtures_dir: Path) -> None:
    path = _data(fixtures_dir) / "acs" / "acs.jmedchem.6b00723.html"
    text, encoding, replaced = decode_html(path.read_bytes())
    assert encoding == "utf-8" and replaced == 0
    doc = read_document(path)
    assert "Î¼" not in doc.text and "μM" in doc.text
    assert doc.info.authors[0] == "Beatriz Baragaña"
    assert len(doc.info.authors) == 27  # 27 dc.Creator meta tags
    assert doc.info.doi == "10.1021/acs.jmedchem.6b00723"
    assert doc.info.year == 2016


def test_html_acs_sections_and_tables(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "acs" / "acs.jmedchem.6b00723.html")
    headings = _headings(doc)
    assert headings[:6] == ["Abstract", "Introduction", "Results and Discussion", "Conclusion", "Experimental Section", "Chemistry. General"]
    assert headings.count("Abstract") == 1
    assert len(doc.sections[1].paragraphs) == 3  # three div.NLM_p in #sec1
    assert "Supporting Information" not in headings and "References" not in headings
    assert len(doc.tables) == 11  # tables 1-5 are images: caption only
    assert doc.tables[0].rows == [] and doc.span(doc.tables[0].caption) == "Table 1. Optimization the R1 and R2 Moieties"
    rows = _rows(doc, 5)
    assert doc.span(doc.tables[5].caption) == "Table 6. Key in vitro DMPK Data for Selected Analogues"
    assert rows[0] == ["compd", "PAMPA Pe (nm/s)", "Sol. (μM)", "MLM Cli (mL min–1 g–1)", "RLM Cli (mL min–1 g–1)",
                       "HLM Cli (mL min–1 g–1)", "PPB (%)", "hERG IC50 (μM)"]
    assert rows[1] == ["25", "2.3", "232", "0.8", "<0.5", "<0.5", "59", ">11"]
    # Table 7: "intravenous at 3 mg/kg" spans three columns of the header row.
    assert _rows(doc, 6)[0][:4] == ["", "intravenous at 3 mg/kg", "intravenous at 3 mg/kg", "intravenous at 3 mg/kg"]
    _check_offsets(doc)


# -- old Springer table markup ------------------------------------------------------------------------
def test_html_springer_table_caption_and_empty_cells(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "tables" / "table_test.html")
    assert doc.info.title == "This is a title containing MnO"
    assert len(doc.tables) == 1
    caption = doc.span(doc.tables[0].caption)
    assert caption.startswith("Table 6 Néel temperature")
    assert caption.endswith("value for the PrMnO3 system")
    rows = _rows(doc, 0)
    assert rows[0] == ["x", "T N (K)", "T D (K)", "μ eff (obs.) (BM)", "μ eff (cal.) (BM)", "Mn4+ spin", "Mn3+ spin"]
    assert rows[1] == ["0.0", "", "122.0", "2.430", "2.874", "High", "Low"]
    assert {len(r) for r in rows} == {7}


# -- pages written here ------------------------------------------------------------------------------
GENERIC = """<!DOCTYPE html><html><head><title>Perovskite page</title>
<meta name="citation_title" content="Band gaps of hybrid perovskites">
<meta name="citation_author" content="A. Author"><meta name="citation_author" content="B. Author">
<meta name="dc.identifier" content="doi:10.5555/xyz.123">
<meta name="citation_journal_title" content="J. Test. Mater.">
<meta name="citation_publication_date" content="2021/03/04">
<style>p { color: red }</style><script>var x = "script text";</script></head>
<body><nav>Home | Journals</nav><header class="site-header">Site header text</header>
<article><h1>Band gaps of hybrid perovskites</h1>
<h2>1. Introduction</h2>
<p>The band gap of CH<sub>3</sub>NH<sub>3</sub>PbI<sub>3</sub> is 1.55 eV<sup><a href="#ref12">12</a></sup>.</p>
<p>Doping with Sn<sup>2+</sup> lowers it [<a href="#bib3">3</a>, <a href="#bib4">4</a>].</p>
<p>(−)-Epicatechin and (±)-ibuprofen keep their signs<a href="#ref13">13</a>.</p>
<h3>1.1 Samples</h3><div>Films were spin-coated.<div class="share-tools">Share this</div></div>
<figure><img src="f1.png" alt="plot"><figcaption>Figure 1. Absorption of MAPbI<sub>3</sub>.</figcaption></figure>
<table><caption>Table 1. Gaps</caption>
<thead><tr><th rowspan="2">Compound</th><th colspan="2">Band gap (eV)</th></tr><tr><th>PBE</th><th>HSE</th></tr></thead>
<tbody><tr><td rowspan="2">MAPbI<sub>3</sub></td><td>1.55</td><td>1.60</td></tr><tr><td colspan="2">1.50</td></tr></tbody>
</table>
<ol class="references-list"><li>Jones, K. Science 2011.</li></ol>
<h2>References</h2><ol><li id="ref12">Smith, J. Nature 2010.</li></ol>
</article><footer>Copyright footer</footer></body></html>"""


def test_html_generic_page_structure(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, GENERIC))
    assert doc.info.title == "Band gaps of hybrid perovskites"
    assert doc.info.authors == ["A. Author", "B. Author"]
    assert doc.info.doi == "10.5555/xyz.123"
    assert doc.info.journal == "J. Test. Mater." and doc.info.year == 2021
    assert _headings(doc) == ["1. Introduction", "1.1 Samples"]
    paras = [doc.span(p) for s in doc.sections for p in s.paragraphs]
    assert paras == ["The band gap of CH3NH3PbI3 is 1.55 eV.", "Doping with Sn2+ lowers it.",
                     "(−)-Epicatechin and (±)-ibuprofen keep their signs.", "Films were spin-coated."]
    assert [doc.span(c) for c in doc.captions] == ["Figure 1. Absorption of MAPbI3."]
    for junk in ("script text", "color: red", "Home | Journals", "Site header", "Share this", "Copyright", "Smith, J.", "Jones, K."):
        assert junk not in doc.text


def test_html_generic_table_spans(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, GENERIC))
    assert doc.span(doc.tables[0].caption) == "Table 1. Gaps"
    assert _rows(doc, 0) == [
        ["Compound", "Band gap (eV)", "Band gap (eV)"],  # header colspan repeats
        ["Compound", "PBE", "HSE"],  # rowspan repeats
        ["MAPbI3", "1.55", "1.60"],
        ["MAPbI3", "1.50", ""],  # body colspan: stated once, columns still aligned
    ]


def test_html_to_json_shape(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, GENERIC))
    data = doc.to_json()
    for key in ("doc_id", "source", "format", "sha256", "title", "authors", "doi", "journal", "year",
                "sections", "captions", "tables"):
        assert key in data
    assert data["sections"][0]["heading"] == "1. Introduction"
    assert data["sections"][0]["paragraphs"][:2] == ["The band gap of CH3NH3PbI3 is 1.55 eV.", "Doping with Sn2+ lowers it."]
    assert data["tables"][0]["caption"] == "Table 1. Gaps"
    assert data["tables"][0]["rows"][2] == ["MAPbI3", "1.55", "1.60"]
    _check_offsets(doc)


@pytest.mark.parametrize(
    "raw",
    [
        b"<html><body><p>Curie temperature 45 \xb0C \x96 \x93quoted\x94</p></body></html>",  # undeclared cp1252
        b'<html><head><meta charset="iso-8859-1"></head><body><p>Curie temperature 45 \xb0C \x96 \x93quoted\x94</p></body></html>',
        b"\xef\xbb\xbf<html><body><p>Curie temperature 45 \xc2\xb0C \xe2\x80\x93 \xe2\x80\x9cquoted\xe2\x80\x9d</p></body></html>",
        b'<html><head><meta charset="utf-8"></head><body><p>Curie temperature 45 \xb0C \x96 \x93quoted\x94</p></body></html>',  # lies
    ],
)
def test_html_decodes_non_utf8(tmp_path: Path, raw: bytes) -> None:
    doc = read_document(_write(tmp_path, raw))
    assert doc.span(doc.sections[0].paragraphs[0]) == "Curie temperature 45 °C – “quoted”"


def test_html_late_charset_after_long_head(tmp_path: Path) -> None:
    filler = "<meta name='x' content='" + "y" * 5000 + "'>"
    raw = f"<html><head>{filler}<meta charset='UTF-8'></head><body><p>Sol. 232 μM</p></body></html>".encode()
    doc = read_document(_write(tmp_path, raw))
    assert doc.span(doc.sections[0].paragraphs[0]) == "Sol. 232 μM"


PUBLISHER_PAGES = {
    "elsevier": """<html><head><meta name="citation_doi" content="10.1016/j.test.2020.1"><meta name="citation_title" content="Mg2Si paper"></head>
<body><div class="article-toolbar">Download PDF</div><div id="abstracts"><div class="abstract author"><h2>Abstract</h2><p>We study Mg<sub>2</sub>Si.</p></div></div>
<div id="body"><section><h2>1. Introduction</h2><div class="u-margin-s-bottom">Mg<sub>2</sub>Si is a thermoelectric<a class="workspace-trigger" href="#bib1">[1]</a>.</div>
<figure class="figure"><span class="captions"><p>Fig. 1. Structure.</p></span></figure>
<div class="tables"><span class="captions"><p>Table 1. Lattice constants.</p></span><table><thead><tr><th>Phase</th><th>a (Å)</th></tr></thead><tbody><tr><td>Mg<sub>2</sub>Si</td><td>6.35</td></tr></tbody></table><p class="legend">a Ref. 4</p></div>
</section></div><section class="bibliography"><h2>References</h2><p>X. Ref.</p></section></body></html>""",
    "springer": """<html><head><meta name="citation_doi" content="10.1007/s100-1"><meta name="citation_title" content="ZnO paper"></head>
<body><div class="c-article-body"><section data-title="Introduction"><h2 class="c-article-section__title">Introduction</h2>
<p>ZnO has a gap of 3.37 eV<sup><a data-track-action="reference anchor" href="/articles/x#ref-CR1">1</a></sup>.</p>
<figure><figcaption><b>Fig. 1</b></figcaption><div class="c-article-section__figure-description"><p>ZnO nanowires.</p></div></figure>
<div class="c-article-table"><h3 class="c-article-table__title">Table 1 Gaps</h3><table><tr><th>Film</th><th>Eg (eV)</th></tr><tr><td>ZnO</td><td>3.37</td></tr></table></div>
</section></div></body></html>""",
    "wiley": """<html><head><meta name="citation_doi" content="10.1002/adma.1"><meta name="citation_title" content="TiO2 paper"></head>
<body><section class="article-section article-section__abstract"><h2>Abstract</h2><p>TiO<sub>2</sub> abstract.</p></section>
<section class="article-section article-section__full"><h2 class="article-section__title">1 Introduction</h2><p>Anatase TiO<sub>2</sub> has a gap of 3.2 eV.<a class="bibLink" href="#adma1-bib-0001">1</a></p>
<div class="article-table-content"><header class="article-table-caption">Table 1. Gaps.</header><table><tr><th>Phase</th><th>Eg</th></tr><tr><td>anatase</td><td>3.2</td></tr></table></div>
<section class="article-section__references"><h2>References</h2><p>Ref list</p></section></section></body></html>""",
}


@pytest.mark.parametrize("name", sorted(PUBLISHER_PAGES))
def test_html_publisher_profiles(tmp_path: Path, name: str) -> None:
    doc = read_document(_write(tmp_path, PUBLISHER_PAGES[name]))
    from lit.extract.readers.html import parse_html

    root = parse_html(tmp_path / "page.html", PUBLISHER_PAGES[name].encode())
    assert choose_profile(root, None, doc.info.doi).name == name
    paras = [doc.span(p) for s in doc.sections for p in s.paragraphs]
    assert any(p.endswith("eV.") or p.endswith("thermoelectric.") for p in paras), paras
    assert "Ref" not in " ".join(paras) and "[1]" not in doc.text and "Download PDF" not in doc.text
    assert len(doc.tables) == 1 and doc.span(doc.tables[0].caption).startswith("Table 1")
    assert len(_rows(doc, 0)) == 2
    assert "References" not in _headings(doc)


def test_html_layout_grid_clamps_huge_spans() -> None:
    rows = layout_grid([[CellSpec("a", colspan=parse_span("1000000000"))], [CellSpec("b", rowspan=parse_span("x"))]])
    assert len(rows[0]) == 100 and rows[0][1] == ""
    assert rows[1][0] == "b" and len(rows) == 2
