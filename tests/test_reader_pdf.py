"""The PDF reader on real papers: titles, DOIs, headings, reading order, clean text.

Titles and DOIs were checked by hand against the PDFs (and CERMINE's metadata files);
CERMINE's ``test2-fulltext.txt`` is the gold text for word recall/precision and heading
order. Every test runs on both engines (PDFium, the default, and pdfminer.six); every PDF
is parsed once per engine and session (``_read``), since layout analysis is the slow part. Thresholds sit just under what the reader measured when they were set
(recall 0.992, precision 0.998, bigram recall 0.989, 11/11 headings in order).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from lit.errors import UsageError
from lit.extract.document import Document
from lit.extract.readers import read_document
from lit.extract.readers.pdf import ENGINES
from lit.extract.readers.pdf_layout import Line
from lit.extract.readers.pdf_structure import join_hyphenated

#: (relative path, title, DOI stated on the first page or None)
PAPERS = [
    ("parser_samples/cermine/test1.pdf", "Complications related to deep venous thrombosis prophylaxis in trauma: a systematic review of the literature", None),
    ("parser_samples/cermine/test2.pdf", "Patient Experiences of Structured Heart Failure Programmes", "10.1155/2010/157939"),
    ("parser_samples/cermine/test3.pdf", "Phytochemical and Biological investigations of Phoenix paludosa Roxb.", None),
    (
        "parser_samples/cermine/example3.pdf",
        "Fragment-based design for the development of N-domain-selective angiotensin-1-converting enzyme inhibitors",
        "10.1042/CS20130403",
    ),
    ("parser_samples/grobid/0807.3577.pdf", "Apparent and average accelerations of the Universe", "10.1088/1475-7516/2008/10/003"),
    (
        "corpora:grobid_quantities/pdf/1308.2125.pdf",
        "Detection of antiferromagnetic ordering in heavily doped LaFeAsO1−xHx pnictide superconductors using "
        "nuclear-magnetic-resonance techniques",
        None,
    ),
    (
        "corpora:grobid_quantities/pdf/1903.06952.pdf",
        "Observation of superconductivity with Tc onset at 12K in electrically tunable twisted double bilayer graphene",
        None,
    ),
]


def _resolve(rel: str, fixtures_dir: Path, corpora_dir: Path) -> Path:
    if rel.startswith("corpora:"):
        return corpora_dir / rel.split(":", 1)[1]
    return fixtures_dir / rel


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Every reader test runs on both engines: PDFium (the default) and pdfminer.six."""
    return request.param


@lru_cache(maxsize=None)
def _read(path: Path, engine: str) -> Document:
    return read_document(path, engine)


def _paper(rel: str, fixtures_dir: Path, corpora_dir: Path, engine: str) -> Document:
    path = _resolve(rel, fixtures_dir, corpora_dir)
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return _read(path, engine)


def _headings(doc: Document) -> list[str]:
    return [doc.span(s.heading) for s in doc.sections if s.heading is not None]


def _paragraphs(doc: Document) -> list[str]:
    return [doc.span(p) for s in doc.sections for p in s.paragraphs]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("rel,title,doi", PAPERS, ids=[Path(p[0]).name for p in PAPERS])
def test_reader_pdf_title_and_doi(rel: str, title: str, doi: str | None, fixtures_dir: Path, corpora_dir: Path, engine: str) -> None:
    doc = _paper(rel, fixtures_dir, corpora_dir, engine)
    assert doc.info.title == title
    assert doc.title_block is not None and doc.span(doc.title_block) == title
    assert doc.info.doi == doi
    assert doc.info.format == "pdf"


@pytest.mark.parametrize("rel", [p[0] for p in PAPERS], ids=[Path(p[0]).name for p in PAPERS])
def test_reader_pdf_no_running_headers_or_page_numbers(rel: str, fixtures_dir: Path, corpora_dir: Path, engine: str) -> None:
    doc = _paper(rel, fixtures_dir, corpora_dir, engine)
    blocks = [doc.span(b) for b in doc.blocks()]
    assert not [b for b in blocks if re.fullmatch(r"(?:page\s*)?\d{1,4}(?:\s*of\s*\d+)?", b, re.I)]
    # No block may repeat verbatim several times: that is what a running header leaves behind.
    repeats = {b: n for b, n in Counter(blocks).items() if n >= 3 and len(b) > 10}
    assert not repeats


def test_reader_pdf_running_header_text_is_gone(fixtures_dir: Path, engine: str) -> None:
    doc = _paper("parser_samples/cermine/test2.pdf", fixtures_dir, fixtures_dir, engine)
    assert "Rehabilitation Research and Practice" not in [doc.span(b) for b in doc.blocks()]
    assert not re.search(r"Rehabilitation Research and Practice \d", doc.text)
    jcap = _paper("parser_samples/grobid/0807.3577.pdf", fixtures_dir, fixtures_dir, engine)
    # The running title is the document title once, never a paragraph on every page.
    assert jcap.text.count("Apparent and average accelerations of the Universe") == 1


@pytest.mark.parametrize("rel", [p[0] for p in PAPERS], ids=[Path(p[0]).name for p in PAPERS])
def test_reader_pdf_paragraph_counts_are_sane(rel: str, fixtures_dir: Path, corpora_dir: Path, engine: str) -> None:
    doc = _paper(rel, fixtures_dir, corpora_dir, engine)
    paras = _paragraphs(doc)
    assert 5 <= len(paras) <= 400
    lengths = sorted(len(p) for p in paras)
    assert lengths[len(lengths) // 2] >= 60, "paragraphs are fragments, not merged"
    # Nothing is lost into thin air: the text holds every paragraph exactly once at its offsets.
    for section in doc.sections:
        for p in section.paragraphs:
            assert doc.text[p.start : p.end] == doc.span(p)


def test_reader_pdf_two_column_reading_order(fixtures_dir: Path, engine: str) -> None:
    doc = _paper("parser_samples/cermine/test2.pdf", fixtures_dir, fixtures_dir, engine)
    intro = doc.sections[_headings(doc).index("1. Introduction") + (doc.sections[0].heading is None)]
    starts = [doc.span(p)[:30] for p in intro.paragraphs]
    # Left column (two paragraphs) before the right column of page 1.
    assert starts[:3] == ["The combined effects of an age", "Heart failure presents a diagn", "Heart failure places significa"]


def test_reader_pdf_matches_cermine_gold_text(fixtures_dir: Path, engine: str) -> None:
    folder = fixtures_dir / "parser_samples" / "cermine"
    doc = _paper("parser_samples/cermine/test2.pdf", fixtures_dir, fixtures_dir, engine)
    full = (folder / "test2-fulltext.txt").read_text(encoding="utf-8")
    # The reader keeps back-matter headings but drops their prose (here the reference list).
    body, back = full.split("\nReferences\n", 1)
    gold = body + "\nReferences\n"
    assert "References" in _headings(doc)
    assert "Validity of pedometers" in back and "Validity of pedometers" not in doc.text
    g, o = _words(gold), _words(doc.text)
    common = sum((Counter(g) & Counter(o)).values())
    recall, precision = common / len(g), common / len(o)
    gold_bigrams, our_bigrams = Counter(zip(g, g[1:])), Counter(zip(o, o[1:]))
    bigram_recall = sum((gold_bigrams & our_bigrams).values()) / sum(gold_bigrams.values())
    assert recall >= 0.98, recall
    assert precision >= 0.98, precision
    assert bigram_recall >= 0.97, bigram_recall  # reading order and hyphen repair

    gold_heads = [ln.strip() for ln in gold.splitlines() if re.match(r"^\d{1,2}\.\s+[A-Z]", ln.strip()) and len(ln) < 60]
    ours = _headings(doc)
    # Longest common subsequence: headings found, in the gold order.
    table = [[0] * (len(ours) + 1) for _ in range(len(gold_heads) + 1)]
    for i, a in enumerate(gold_heads):
        for j, b in enumerate(ours):
            table[i + 1][j + 1] = table[i][j] + 1 if a == b else max(table[i][j + 1], table[i + 1][j])
    assert len(gold_heads) == 11
    assert table[-1][-1] / len(gold_heads) >= 0.9


def test_reader_pdf_section_headings(fixtures_dir: Path, engine: str) -> None:
    jcap = _headings(_paper("parser_samples/grobid/0807.3577.pdf", fixtures_dir, fixtures_dir, engine))
    body = ["1. Introduction", "2. The Buchert scheme", "4. The apparent and average accelerations", "6. Conclusions"]
    # The table of contents lists them once; the body must have them again, in order, after it.
    last_toc = jcap.index("6. Conclusions")
    after = jcap[last_toc + 1 :]
    assert [h for h in after if h in body] == body
    caps = _headings(_paper("parser_samples/cermine/test3.pdf", fixtures_dir, fixtures_dir, engine))
    assert caps[:4] == ["INTRODUCTION", "MATERIALS AND METHODS", "RESULTS AND DISCUSSION", "REFERENCES"]
    bold = _headings(_paper("parser_samples/cermine/test1.pdf", fixtures_dir, fixtures_dir, engine))
    assert ["Abstract", "Introduction", "Methods", "Conclusion"] == [h for h in bold if h in {"Abstract", "Introduction", "Methods", "Conclusion"}]
    # Reference entries are not headings.
    assert not [h for h in bold if re.match(r"^\d+\.\s+[A-Z][a-z]+ [A-Z]{1,3}[,:]", h)]


def test_reader_pdf_hyphenation_repaired(fixtures_dir: Path, engine: str) -> None:
    doc = _paper("parser_samples/cermine/test2.pdf", fixtures_dir, fixtures_dir, engine)
    # "propor-|tion" and "pharma-|cological" are split at line ends in the PDF.
    assert "proportion" in doc.text and "pharmacological" in doc.text
    assert "propor-" not in doc.text and "pharma-" not in doc.text
    assert not re.search(r"[a-z]- [a-z]", doc.text)
    # Real hyphens stay.
    for word in ("peer-group", "self-care", "kick-start"):
        assert word in doc.text
    review = _paper("parser_samples/cermine/test1.pdf", fixtures_dir, fixtures_dir, engine)
    assert "life-threatening" in review.text and "thromboprophylaxis" in review.text
    ace = _paper("parser_samples/cermine/example3.pdf", fixtures_dir, fixtures_dir, engine)
    assert "N-domain" in ace.text


def _line(text: str) -> Line:
    return Line(text, 0, 0, 100, 10, 10.0, False, 1)


def test_reader_pdf_join_hyphenated_rules() -> None:
    vocab = ({"materials", "band"}, {"well-known"})
    assert join_hyphenated("new mate-", "rials are", vocab) == "new materials are"
    assert join_hyphenated("the Fe-", "doped film", vocab) == "the Fe-doped film"
    assert join_hyphenated("of 2-", "methyl", vocab) == "of 2-methyl"
    assert join_hyphenated("a well-", "known gap", vocab) == "a well-known gap"
    assert join_hyphenated("the TiO2-", "based cell", vocab) == "the TiO2-based cell"
    assert join_hyphenated("soft\u00ad", "ware", vocab) == "software"
    assert join_hyphenated("no hyphen", "here", vocab) == "no hyphen here"


def test_reader_pdf_captions(fixtures_dir: Path, corpora_dir: Path, engine: str) -> None:
    nmr = _paper("corpora:grobid_quantities/pdf/1308.2125.pdf", fixtures_dir, corpora_dir, engine)
    caps = [nmr.span(c) for c in nmr.captions]
    assert [c[:6] for c in caps] == ["FIG. 1", "FIG. 2", "FIG. 3", "FIG. 4", "FIG. 5"]
    assert all(len(c) > 40 for c in caps)
    ace = _paper("parser_samples/cermine/example3.pdf", fixtures_dir, fixtures_dir, engine)
    assert "Figure 1 Structure of compound 33RE" in [ace.span(c) for c in ace.captions]
    graphene = _paper("corpora:grobid_quantities/pdf/1903.06952.pdf", fixtures_dir, corpora_dir, engine)
    # An in-text reference at a paragraph start is prose, not a caption.
    assert not [c for c in (graphene.span(c) for c in graphene.captions) if re.match(r"Figure \d\w? [a-z]", c)]


def test_reader_pdf_offsets_and_ids_are_deterministic(fixtures_dir: Path, engine: str) -> None:
    path = fixtures_dir / "parser_samples" / "grobid" / "two_pages.pdf"
    first, second = read_document(path, engine), read_document(path, engine)
    assert first.doc_id == second.doc_id and first.text == second.text
    assert first.to_json() == second.to_json()
    for block in first.blocks():
        assert first.text[block.start : block.end].strip() == first.span(block)


def test_reader_pdf_double_spaced_manuscript(fixtures_dir: Path, corpora_dir: Path, engine: str) -> None:
    # Every line of this preprint is its own pdfminer box; paragraphs must be rebuilt.
    doc = _paper("corpora:grobid_quantities/pdf/1903.06952.pdf", fixtures_dir, corpora_dir, engine)
    abstract = [p for p in _paragraphs(doc) if p.startswith("Electron-electron interactions")]
    assert len(abstract) == 1 and len(abstract[0]) > 500
    assert "Electron-electron interactions play an important role in graphene and related" not in _headings(doc)
    assert {"Reference", "Methods", "Acknowledgements"} <= set(_headings(doc))


def test_reader_pdf_paragraph_runs_across_page_and_footnote(fixtures_dir: Path, engine: str) -> None:
    # Page 2 of this paper ends mid-sentence ("...the back-reaction is") above a footnote; page 3
    # goes on with "rarely taken into account". One paragraph; the footnote stays whole after it.
    doc = _paper("parser_samples/grobid/0807.3577.pdf", fixtures_dir, fixtures_dir, engine)
    paras = _paragraphs(doc)
    joined = [p for p in paras if "the back-reaction is rarely taken into account" in p]
    assert len(joined) == 1
    footnote = [p for p in paras if p.startswith("5 These theorems imply")]
    assert len(footnote) == 1 and paras.index(footnote[0]) == paras.index(joined[0]) + 1
    assert "(cid:" not in doc.text


def test_reader_pdf_unknown_engine_is_a_usage_error(fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIT_PDF_ENGINE", "poppler")
    with pytest.raises(UsageError) as caught:
        read_document(fixtures_dir / "parser_samples" / "grobid" / "two_pages.pdf")
    assert "poppler" in str(caught.value) and "pdfium or pdfminer" in str(caught.value)
