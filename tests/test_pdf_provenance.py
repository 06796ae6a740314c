"""Page and boxes in the provenance of PDF text: checked against the PDF itself, not a drawing.

For each sentence (and each fact) of a real paper, the text PDFium finds inside the boxes
the reader gave, on the page it gave, must hold every word of the sentence. Words are
compared with spaces and punctuation squeezed out of the re-extracted text, since a word
hyphenated across two lines comes back in two pieces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.extract.facts import Fact
from lit.extract.pipeline import Extractor
from lit.extract.readers import read_document
from lit.extract.readers.pdf import ENGINES
from lit.extract.segment import split_sentences

PAPERS = ["parser_samples/cermine/test2.pdf", "parser_samples/cermine/example2.pdf"]  # example2 has landscape (/Rotate 90) pages
FACT_PAPERS = ["corpora:grobid_quantities/pdf/1609.04957.pdf", "parser_samples/cermine/test3.pdf"]


def _path(rel: str, fixtures_dir: Path, corpora_dir: Path) -> Path:
    path = corpora_dir / rel.split(":", 1)[1] if rel.startswith("corpora:") else fixtures_dir / rel
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path


class _Pages:
    """Text inside boxes of one PDF, read back with PDFium's ``get_text_bounded``."""

    def __init__(self, path: Path):
        self.pdf = pdfium.PdfDocument(path)
        self.text_pages: dict[int, pdfium.PdfTextPage] = {}

    def inside(self, boxes: list[list[float]]) -> str:
        found = []
        for page, x0, y0, x1, y1 in boxes:
            if page not in self.text_pages:
                self.text_pages[page] = self.pdf[int(page) - 1].get_textpage()
            found.append(self.text_pages[page].get_text_bounded(x0 - 0.5, y0 - 0.5, x1 + 0.5, y1 + 0.5))
        return re.sub(r"[\W_]+", "", " ".join(found).lower())


def _missing(words_of: str, inside: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", words_of.lower()) if w not in inside]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rel", PAPERS, ids=[Path(p).name for p in PAPERS])
def test_pdf_provenance_every_sentence_lies_in_its_boxes(rel: str, engine: str, fixtures_dir: Path, corpora_dir: Path) -> None:
    path = _path(rel, fixtures_dir, corpora_dir)
    doc = read_document(path, engine)
    pages = _Pages(path)
    sentences = split_sentences(doc)
    assert len(sentences) > 100
    for sentence in sentences:
        boxes = doc.boxes(sentence.start, sentence.end)
        assert boxes, sentence.text
        assert all(1 <= b[0] <= len(pages.pdf) and b[1] < b[3] and b[2] < b[4] for b in boxes)
        assert not _missing(sentence.text, pages.inside(boxes)), sentence.text
    # Blocks too: every title, heading, paragraph and caption is placed.
    for block in doc.blocks():
        assert doc.boxes(block.start, block.end), doc.span(block)


def test_pdf_provenance_boxes_are_tight(fixtures_dir: Path, corpora_dir: Path) -> None:
    """A sentence's boxes hold that sentence, not the page: little text beyond it comes back."""
    path = _path(PAPERS[0], fixtures_dir, corpora_dir)
    doc = read_document(path)
    pages = _Pages(path)
    sizes = []
    for sentence in split_sentences(doc):
        inside = pages.inside(doc.boxes(sentence.start, sentence.end))
        sizes.append(len(inside) / max(1, len(re.sub(r"[\W_]+", "", sentence.text))))
    sizes.sort()
    assert sizes[len(sizes) // 2] < 2.0  # whole lines come back, so a little more than the sentence


@pytest.mark.parametrize("rel", FACT_PAPERS, ids=[Path(p).name for p in FACT_PAPERS])
def test_pdf_provenance_every_fact_has_a_page_and_boxes_holding_its_sentence(rel: str, fixtures_dir: Path, corpora_dir: Path) -> None:
    path = _path(rel, fixtures_dir, corpora_dir)
    result = Extractor(None).extract_path(path)
    assert result.ok and result.facts
    pages = _Pages(path)
    for fact in result.facts:
        assert fact.page is not None and fact.boxes and fact.page == fact.boxes[0][0]
        assert not _missing(fact.sentence, pages.inside(fact.boxes)), fact.sentence
        # In the facts JSONL, and the identity does not depend on them.
        line = json.loads(fact.to_json())
        assert line["page"] == fact.page and line["boxes"] == fact.boxes
        bare = Fact.from_dict(line | {"page": None, "boxes": []})
        assert bare.fact_id == fact.fact_id == line["id"]


def test_pdf_provenance_in_parse_json_and_engine_option(fixtures_dir: Path) -> None:
    path = fixtures_dir / "parser_samples" / "cermine" / "test1.pdf"
    runner = CliRunner()
    outs = {}
    for engine in ENGINES:
        result = runner.invoke(app, ["parse", "--json", "--pdf-engine", engine, str(path)])
        assert result.exit_code == 0, result.output
        outs[engine] = json.loads(result.stdout)
    for out in outs.values():
        assert out["blocks"] and all(b["boxes"] for b in out["blocks"])
        assert out["sentences"] and all(s["boxes"] and s["boxes"][0][0] >= 1 for s in out["sentences"])
    assert outs["pdfium"]["title"] == outs["pdfminer"]["title"]


def test_pdf_provenance_formats_without_pages_have_none(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Gaps\n\nThe band gap of ZnS is 3.6 eV.\n")
    doc = read_document(path)
    assert doc.regions == [] and doc.boxes(0, len(doc.text)) == []
    assert "blocks" not in doc.to_json(split_sentences(doc))
    result = Extractor(None).extract_path(path)
    assert result.facts and all(f.page is None and f.boxes == [] for f in result.facts)


def test_pdf_third_party_warnings_stay_off_the_terminal(fixtures_dir: Path) -> None:
    """pdfminer warns "Cannot set non-stroke color ..." on this file; the terminal shows none of it."""
    import subprocess
    import sys

    path = fixtures_dir / "parser_samples" / "cermine" / "test1.pdf"
    script = "from lit.cli.main import app; app()"
    out = subprocess.run([sys.executable, "-c", script, "parse", "--pdf-engine", "pdfminer", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "title:" in out.stdout
    assert out.stderr == ""
