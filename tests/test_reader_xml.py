"""XML reader: JATS/PMC, Springer's JATS API, Elsevier full text, USPTO patents, A++ and generic
XML written here, and the security rules (XXE, entity bombs, malformed files).

Expected values were checked by hand against the fixture files (element counts by XPath,
cell values by reading the rows), not copied from the reader's output.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lit.errors import CorruptFileError, UnsafeXMLError
from lit.extract.document import Document, DocumentInfo
from lit.extract.readers import read_document
from lit.extract.readers.xml import read_xml


def _data(fixtures_dir: Path) -> Path:
    return fixtures_dir / "publisher_articles" / "tests" / "data"


def _jats(fixtures_dir: Path, name: str) -> Path:
    return fixtures_dir / "parser_samples" / "jats_pmc" / name


def _headings(doc: Document) -> list[str | None]:
    return [doc.section_heading(i) for i in range(len(doc.sections))]


def _rows(doc: Document, table: int) -> list[list[str]]:
    return [[doc.span(c) for c in row] for row in doc.tables[table].rows]


def _section(doc: Document, heading: str) -> list[str]:
    index = _headings(doc).index(heading)
    return [doc.span(p) for p in doc.sections[index].paragraphs]


def _check_offsets(doc: Document) -> None:
    for block in doc.blocks():
        text = doc.span(block)
        assert text and text == text.strip() and "  " not in text
    data = doc.to_json()
    assert set(data) >= {"doc_id", "title", "authors", "doi", "journal", "year", "sections", "captions", "tables"}
    assert all(set(s) == {"heading", "paragraphs"} for s in data["sections"])
    assert all(set(t) == {"caption", "rows"} for t in data["tables"])


# -- Elsevier ----------------------------------------------------------------------------------------
def test_xml_elsevier_metadata_and_sections(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "elsevier" / "j.jnoncrysol.2017.07.006.xml")
    info = doc.info
    assert info.format == "xml"
    # ce:title has Ca<ce:inf>50</ce:inf>Mg<ce:inf>20</ce:inf>...: subscripts stay glued.
    assert info.title == "Structural and electrochemical characterization of the Ca50Mg20Cu25Zn5 amorphous alloy"
    assert doc.span(doc.title_block) == info.title
    assert info.doi == "10.1016/j.jnoncrysol.2017.07.006"
    assert info.authors[:3] == ["R. Babilas", "A. Bajorek", "Ł. Hawełek"] and len(info.authors) == 6
    assert info.journal == "Journal of Non-Crystalline Solids" and info.year == 2017
    assert _headings(doc) == ["Abstract", "Highlights", "1 Introduction", "2 Materials and methods",
                              "3 Results and discussion", "4 Conclusions", "Acknowledgments"]
    # ce:para children of sections s0005, s0010, s0015, s0020 (counted by XPath).
    assert [len(doc.sections[i].paragraphs) for i in range(2, 6)] == [3, 13, 28, 1]
    assert "References" not in _headings(doc)
    _check_offsets(doc)


def test_xml_elsevier_citations_dropped(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "elsevier" / "j.jnoncrysol.2017.07.006.xml")
    intro = _section(doc, "1 Introduction")
    assert intro[0].startswith("The quaternary Ca-based bulk metallic glasses are usually presented")
    assert not any("[1]" in p or "[3,4]" in p for p in intro)
    methods = " ".join(_section(doc, "2 Materials and methods"))
    assert "Atrens et al.." not in methods and "Atrens et al. ." not in methods


def test_xml_elsevier_cals_tables_and_floats(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "elsevier" / "j.jnoncrysol.2017.07.006.xml")
    assert len(doc.tables) == 2 and len(doc.captions) == 13  # ce:floats: 13 figures, 2 tables
    assert doc.span(doc.tables[0].caption).startswith("Table 1 Coordination numbers (N) and inter-atomic distances (r)")
    rows = _rows(doc, 0)
    assert rows[0] == ["Sample", "r (Å)", "NAs-As", "Atomic pair"]
    assert rows[1] == ["Ca50Mg20Cu25Zn5", "3.83 (± 0.3)", "8.2 (2)", "Ca-Ca"]
    table2 = _rows(doc, 1)
    # A body entry spanning namest=col1..nameend=col5 is a group label: stated once, row stays 5 wide.
    assert table2[1] == ["Ca50Mg20Cu25Zn5", "", "", "", ""]
    assert table2[2][0] == "1% NaCl" and {len(r) for r in table2} == {5}
    # Figure 1 is anchored in the first Results paragraph: its caption follows that paragraph.
    results = doc.sections[_headings(doc).index("3 Results and discussion")]
    fig1 = doc.captions[0]
    assert doc.span(fig1).startswith("Fig. 1 X-ray diffraction patterns of Ca50Mg20Cu25Zn5")
    assert results.paragraphs[0].end < fig1.start < results.paragraphs[1].start


def test_xml_elsevier_property_table(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "tables" / "j.commatsci.2018.02.056.xml")
    assert doc.info.title.startswith("An improved interatomic potential function for thermoelectric Mg2Si")
    assert doc.span(doc.tables[0].caption) == "Table 1 Equilibrium bond distances and angles for Mg2Si."
    rows = _rows(doc, 0)
    assert rows[0] == ["Bond interactions", "Equilibrium bond distances"]
    assert rows[1] == ["Mg-Mg", "3.1814 Å"] and rows[2] == ["Mg-Si", "2.7552 Å"]
    assert "Acknowledgements" in _headings(doc) and None not in _headings(doc)


# -- JATS ---------------------------------------------------------------------------------------------
def test_xml_jats_plos(fixtures_dir: Path) -> None:
    doc = read_document(_jats(fixtures_dir, "pone.0000217.nxml"))
    info = doc.info
    assert info.title == "Quantifying Organismal Complexity using a Population Genetic Approach"
    assert info.doi == "10.1371/journal.pone.0000217"
    assert info.authors == ["Olivier Tenaillon", "Olin K. Silander", "Jean-Philippe Uzan", "Lin Chao"]
    assert info.journal == "PLoS ONE" and info.year == 2007
    headings = _headings(doc)
    assert headings[:5] == ["Abstract", "Background", "Methodology", "Conclusions/Significance", "Introduction"]
    body = [h for h in headings if h in {"Introduction", "Model and Results", "Discussion", "Methods"}]
    assert body == ["Introduction", "Model and Results", "Discussion", "Methods"]  # //body/sec/title order
    assert len(_section(doc, "Introduction")) == 8  # eight <p> in the first body sec
    assert headings[-1] == "Acknowledgements"  # untitled <ack>
    assert doc.span(doc.captions[0]).startswith("Figure 1 Fisher's geometric model in two-dimensional phenotypic space.")
    _check_offsets(doc)


def test_xml_jats_bmc_table(fixtures_dir: Path) -> None:
    doc = read_document(_jats(fixtures_dir, "1472-6831-8-11.nxml"))
    assert doc.info.doi == "10.1186/1472-6831-8-11" and doc.info.journal == "BMC Oral Health" and doc.info.year == 2008
    assert len(doc.tables) == 4
    assert doc.span(doc.tables[0].caption).startswith("Table 1 Mean total scores and mean item scores of the total OHIP-NL")
    rows = _rows(doc, 0)
    assert rows[0] == ["", "Mean total score", "SD", "Mean item score", "SD"]
    assert rows[1] == ["Total OHIP-NL (49)", "44.1", "40.2", "0.9", "0.8"]
    assert rows[3] == ["Physical discomfort (9)", "9.2", "8.1", "1.0", "0.9"]


def test_xml_jats_untitled_intro_is_its_own_section(fixtures_dir: Path) -> None:
    doc = read_document(_jats(fixtures_dir, "ehp-116-1694.nxml"))
    headings = _headings(doc)
    # Structured abstract, then body paragraphs before the first titled sec: not part of "Conclusions".
    untitled = headings.index(None)
    assert headings[untitled - 1] == "Conclusions" and headings[untitled + 1] == "Materials and Methods"
    assert doc.span(doc.sections[untitled].paragraphs[0]).startswith("Polybrominated diphenyl ethers (PBDEs)")


def test_xml_springer_jats_api_response(fixtures_dir: Path) -> None:
    # Wrapped in <response> with a DOCTYPE declaring two unused parameter entities: accepted.
    doc = read_document(_data(fixtures_dir) / "springer" / "spr_test1.xml")
    info = doc.info
    assert info.title == "Nano and Battery Anode: A Review"
    assert info.doi == "10.1186/s11671-021-03631-x"
    assert info.journal == "Nanoscale Research Letters" and info.year == 2021
    assert info.authors[:2] == ["Hasan Sh. Majdi", "Zagir Azgarovich Latipov"] and len(info.authors) == 8
    headings = _headings(doc)
    assert headings[:4] == ["Abstract", "Introduction", "Problems of Alloy Anodes", "Nanotechnology Solution"]
    for back in ("Funding", "Declarations", "Authors’ Contributions", "References"):
        assert back not in headings
    assert len(_section(doc, "Introduction")) == 1  # one <p> holding two figs and a table-wrap
    assert doc.span(doc.tables[0].caption).startswith("Table 1 Research on active anode material")
    row = _rows(doc, 0)[1]
    assert row[0] == "Insertion/de-insertion materials A. Carbonaceous a. Hard carbons b. CNTS c. Graphene"
    assert row[1] == "200–600 1116 780/1116"
    assert row[4] == ""  # "[3, 22–28]": citations only
    assert doc.span(doc.captions[0]) == "Fig. 1 Shows how lithium is stored in graphite. For every 6 carbon atoms, 1 lithium atom is stored"


# -- USPTO ----------------------------------------------------------------------------------------------
def test_xml_uspto_patent(fixtures_dir: Path) -> None:
    doc = read_document(_data(fixtures_dir) / "uspto" / "US06840965B2.xml")
    info = doc.info
    assert info.title == "P-aminophenols and colorants containing said compounds"
    assert info.authors == ["Laurent Chassot", "Hans-Juergen Braun"] and info.year == 2005 and info.doi is None
    headings = _headings(doc)
    assert headings[:4] == ["Abstract", "Description", "EXAMPLE 2", "Synthesis of 4-Amino-2-(3-heteroaryl)phenol Derivatives of Formula (I)"]
    assert headings[-1] == "Claims" and len(_section(doc, "Claims")) == 10  # number-of-claims = 10
    assert _section(doc, "Abstract") == [
        "The object of the invention are p-aminophenol derivatives of general formula (I) or physiologically "
        "tolerated, water-soluble salts thereof and oxidative coloring preparations based on a developer-coupler "
        "combination containing at least one p-aminophenol derivative of formula (I)."
    ]
    assert ["", "Calculated", "52.75", "4.43", "6.15", "15.57", ""] in [r for t in range(len(doc.tables)) for r in _rows(doc, t)]


# -- formats written here --------------------------------------------------------------------------------
APLUSPLUS = """<?xml version="1.0" encoding="UTF-8"?>
<Publisher><Journal><JournalInfo><JournalTitle>Journal of Materials Science</JournalTitle></JournalInfo>
<Volume><Issue><Article ID="s1"><ArticleInfo><ArticleDOI>10.1007/s10853-020-0001-x</ArticleDOI>
<ArticleTitle>Band gap of CH<Subscript>3</Subscript>NH<Subscript>3</Subscript>PbI<Subscript>3</Subscript> films</ArticleTitle>
<ArticleHistory><OnlineDate><Year>2020</Year><Month>5</Month></OnlineDate></ArticleHistory></ArticleInfo>
<ArticleHeader><AuthorGroup><Author><AuthorName><GivenName>Ada</GivenName><FamilyName>Lovelace</FamilyName></AuthorName></Author>
<Author><AuthorName><GivenName>Alan</GivenName><GivenName>M.</GivenName><FamilyName>Turing</FamilyName></AuthorName></Author></AuthorGroup>
<Abstract ID="Abs1"><Heading>Abstract</Heading><Para>We measure a gap of 1.55 eV.</Para></Abstract></ArticleHeader>
<Body><Section1 ID="Sec1"><Heading>Introduction</Heading><Para>Perovskites absorb light<CitationRef CitationID="CR1">1</CitationRef>.</Para>
<Section2 ID="Sec2"><Heading>Films</Heading><Para>Films were annealed at 100 °C.</Para>
<Table ID="Tab1"><Caption><CaptionNumber>Table 1</CaptionNumber><CaptionContent><SimplePara>Gaps</SimplePara></CaptionContent></Caption>
<tgroup cols="2"><colspec colname="c1"/><colspec colname="c2"/><thead><row><entry colname="c1">Film</entry><entry colname="c2">E<Subscript>g</Subscript> (eV)</entry></row></thead>
<tbody><row><entry colname="c1">MAPbI<Subscript>3</Subscript></entry><entry colname="c2">1.55</entry></row></tbody></tgroup></Table>
</Section2></Section1></Body>
<ArticleBackmatter><Bibliography><Citation ID="CR1"><BibUnstructured>A. Ref, 2009.</BibUnstructured></Citation></Bibliography></ArticleBackmatter>
</Article></Issue></Volume></Journal></Publisher>"""


def test_xml_springer_aplusplus(tmp_path: Path) -> None:
    path = tmp_path / "app.xml"
    path.write_text(APLUSPLUS, encoding="utf-8")
    doc = read_document(path)
    info = doc.info
    assert info.title == "Band gap of CH3NH3PbI3 films"
    assert info.doi == "10.1007/s10853-020-0001-x" and info.journal == "Journal of Materials Science" and info.year == 2020
    assert info.authors == ["Ada Lovelace", "Alan M. Turing"]
    assert _headings(doc) == ["Abstract", "Introduction", "Films"]
    assert _section(doc, "Introduction") == ["Perovskites absorb light."]
    assert doc.span(doc.tables[0].caption) == "Table 1 Gaps"
    assert _rows(doc, 0) == [["Film", "Eg (eV)"], ["MAPbI3", "1.55"]]
    assert "A. Ref" not in doc.text
    _check_offsets(doc)


def test_xml_generic_fallback(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?><report><title>Curie temperatures</title><section><heading>Data</heading>'
                    "<para>The Curie temperature of Fe is 1043 K.</para><para>Ni: 627 K.</para></section></report>")
    doc = read_document(path)
    assert doc.info.title == "Curie temperatures"
    assert _headings(doc) == ["Data"]
    assert _section(doc, "Data") == ["The Curie temperature of Fe is 1043 K.", "Ni: 627 K."]


def test_xml_generic_tei_skips_bibliography(tmp_path: Path) -> None:
    path = tmp_path / "tei.xml"
    path.write_text('<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                    "<title>Thermal conductivity of Mg2Si</title></titleStmt></fileDesc></teiHeader><text><body>"
                    "<div><head>Results</head><p>Mg2Si has a conductivity of 8 W/mK.</p></div></body><back>"
                    "<listBibl><biblStruct><analytic><title>Some cited paper</title></analytic></biblStruct></listBibl>"
                    "</back></text></TEI>")
    doc = read_document(path)
    assert doc.info.title == "Thermal conductivity of Mg2Si"
    assert _headings(doc) == ["Results"]
    assert _section(doc, "Results") == ["Mg2Si has a conductivity of 8 W/mK."]
    assert "Some cited paper" not in doc.text


def test_xml_generic_unknown_elements_keep_text(tmp_path: Path) -> None:
    path = tmp_path / "odd.xml"
    path.write_text('<?xml version="1.0"?><records><rec><v>TiO2 gap 3.2 eV</v></rec><rec><v>ZnO gap 3.37 eV</v></rec></records>')
    doc = read_document(path)
    assert [doc.span(p) for p in doc.sections[0].paragraphs] == ["TiO2 gap 3.2 eV", "ZnO gap 3.37 eV"]


def test_xml_undeclared_entities_from_unloaded_dtd(tmp_path: Path) -> None:
    # JATS names an external DTD (never loaded) and uses its entities: they must not glue words.
    path = tmp_path / "ent.nxml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "JATS.dtd">\n'
                    "<article><front><article-meta><title-group><article-title>&alpha;-Fe&nbsp;films</article-title>"
                    "</title-group></article-meta></front><body><sec><title>Results</title><p>T<sub>C</sub>&nbsp;=&nbsp;1043&thinsp;K"
                    "&unknownentity;.</p></sec></body></article>")
    doc = read_document(path)
    assert doc.info.title == "α-Fe films"
    assert _section(doc, "Results") == ["TC = 1043 K."]


def test_xml_late_xhtml_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.xml"
    comment = "<!-- " + "x" * 2000 + " -->"
    path.write_text(f'<?xml version="1.0"?>\n{comment}\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                    "<h2>Results</h2><p>ZnO gap 3.37 eV.</p></body></html>")
    doc = read_document(path)
    assert doc.info.format == "html"
    assert _section(doc, "Results") == ["ZnO gap 3.37 eV."]


# -- security -----------------------------------------------------------------------------------------------
def test_xml_xxe_refused_and_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>\n<r><p>a &xxe; b</p></r>')
    with pytest.raises(UnsafeXMLError) as err:
        read_document(path)
    assert str(path) in str(err.value) and "xxe" in str(err.value)


def test_xml_xxe_in_html_never_leaks(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.html"
    path.write_text(f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>\n<html><body><p>a &xxe; b</p></body></html>')
    doc = read_document(path)
    assert "TOP-SECRET" not in doc.text and "]>" not in doc.text


def test_xml_billion_laughs_refused_fast(tmp_path: Path) -> None:
    decls = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(decls) + "\n]>\n<lolz>&lol9;</lolz>")
    start = time.perf_counter()
    with pytest.raises(UnsafeXMLError, match="bomb.xml"):
        read_document(path)
    assert time.perf_counter() - start < 2.0


def test_xml_parameter_entity_reference_refused(tmp_path: Path) -> None:
    path = tmp_path / "pe.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/x.dtd"> %ext;]>\n<r><p>x</p></r>')
    with pytest.raises(UnsafeXMLError, match="%ext;"):
        read_document(path)


def test_xml_utf16_entity_declaration_refused(tmp_path: Path) -> None:
    path = tmp_path / "u16.xml"
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<r><p>&e;</p></r>'.encode("utf-16")
    path.write_bytes(data)
    with pytest.raises(UnsafeXMLError):
        read_xml(path, data, DocumentInfo(doc_id="x", source=str(path), format="xml", sha256="0"))


def test_xml_external_dtd_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "dtd.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "file:///etc/passwd">\n<r><p>hello</p></r>')
    doc = read_document(path)
    assert doc.text == "hello"


def test_xml_malformed_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text('<?xml version="1.0"?>\n<article>\n<p>open <b>x</p>\n</article>')
    with pytest.raises(CorruptFileError) as err:
        read_document(path)
    message = str(err.value)
    assert str(path) in message and "line 3" in message and "column" in message
