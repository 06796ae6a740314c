"""The document model every reader produces and every later stage reads.

A Document owns one string, ``text``. Everything else (title, headings, paragraphs,
captions, table cells, sentences) is a :class:`TextBlock` holding ``[start, end)`` offsets
into that string, so any fact can point back at the exact characters it came from, whatever
format the paper arrived in. Readers never build offsets by hand: they call
:class:`DocumentBuilder`, which appends text and records where it went.

A PDF also says where its text lies on the page: :class:`Region` ties a run of offsets to a
page and a box, one per printed line, so any span (a sentence, a fact's evidence) can be
located on the page with :meth:`Document.locate`. Offsets stay the currency; regions are
looked up from them.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Iterator, Literal, Sequence

from lit.extract.tex import detex

BlockKind = Literal["title", "heading", "paragraph", "caption", "cell"]
#: Printed lines of a text handed to :class:`DocumentBuilder`: ``(start, end, page, x0, y0, x1, y1)``.
Placed = Sequence[tuple[int, int, int, float, float, float, float]]

#: Separator between blocks in ``Document.text``. Two newlines keep paragraphs apart for
#: sentence splitting and make the text readable when printed.
BLOCK_SEP = "\n\n"
#: Separators inside a table: cells by tab, rows by newline (the table is one block run).
CELL_SEP = "\t"
ROW_SEP = "\n"


@dataclass(frozen=True, slots=True)
class Region:
    """Where ``text[start:end]`` is printed: page number (from 1) and box in PDF points
    (``x0, y0, x1, y1``, origin at the bottom left of the page, as PDF user space has it)."""

    start: int
    end: int
    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    def box(self) -> list[float]:
        """``[page, x0, y0, x1, y1]``, coordinates rounded to 0.1 pt: the JSON form."""
        return [self.page, round(self.x0, 1), round(self.y0, 1), round(self.x1, 1), round(self.y1, 1)]


def merge_boxes(regions: list["Region"]) -> list[list[float]]:
    """Boxes of ``regions`` (printed lines, in text order) as ``[page, x0, y0, x1, y1]``, the
    consecutive lines of one column on one page merged into one box: a sentence over four
    lines of a paragraph is one box, one that crosses a column or a page is two."""
    out: list[list[float]] = []
    for r in regions:
        if out:
            page, x0, y0, x1, y1 = out[-1]
            tall = r.y1 - r.y0
            if page == r.page and r.x0 < x1 and r.x1 > x0 and y0 - tall <= r.y1 <= y1:
                out[-1] = [page, min(x0, r.x0), min(y0, r.y0), max(x1, r.x1), max(y1, r.y1)]
                continue
        out.append([r.page, r.x0, r.y0, r.x1, r.y1])
    return [[b[0], round(b[1], 1), round(b[2], 1), round(b[3], 1), round(b[4], 1)] for b in out]


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A run of the document text: ``document.text[start:end]``."""

    kind: BlockKind
    start: int
    end: int
    section: int = -1  # index into Document.sections; -1 = front matter (title)


@dataclass(slots=True)
class Section:
    """A heading (None for an untitled run of text) and its paragraphs, in reading order."""

    heading: TextBlock | None
    paragraphs: list[TextBlock] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    """A table as rows of cells; every cell is a TextBlock, so values in tables keep offsets."""

    caption: TextBlock | None
    rows: list[list[TextBlock]]
    section: int = -1


@dataclass(slots=True)
class DocumentInfo:
    """What the graph stores about a document: identity, bibliographic metadata, origin.

    ``doc_id`` is derived from the file's bytes, so the same file always gets the same id
    and a re-run changes nothing; the DOI is kept beside it when the paper states one.
    """

    doc_id: str
    source: str
    format: str
    sha256: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    doi: str | None = None
    journal: str | None = None
    year: int | None = None
    #: What the reader had to repair to read the file (bytes that did not decode...), one
    #: line each: a document read with losses says so instead of passing as clean.
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def display_path(path: str) -> str:
    """``path`` as text that encodes as UTF-8: bytes of a file name that are not UTF-8 (which
    Python keeps as lone surrogates, and which crashed every JSON and graph write of a batch)
    are written ``\\xNN``. Used where a document's origin is stored; the batch journal keeps
    the exact name to find the file again."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def content_id(data: bytes) -> tuple[str, str]:
    """Return ``(doc_id, sha256)`` for a file's bytes. The id is the hash's first 20 hex digits."""
    digest = hashlib.sha256(data).hexdigest()
    return digest[:20], digest


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: its text and where it lies in ``Document.text``."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    section: int = -1
    kind: BlockKind = "paragraph"


@dataclass(slots=True)
class Document:
    """A parsed paper: metadata, one text, and the structure laid over it as offsets."""

    info: DocumentInfo
    text: str
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    captions: list[TextBlock] = field(default_factory=list)
    title_block: TextBlock | None = None
    #: Printed lines in text order (PDF only; empty for formats without pages).
    regions: list[Region] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.info.doc_id

    def locate(self, start: int, end: int) -> list[Region]:
        """The printed lines that ``text[start:end]`` lies on, in text order."""
        regions = self.regions
        if not regions:
            return []
        i = max(bisect_right(regions, start, key=lambda r: r.start) - 1, 0)
        found = []
        while i < len(regions) and regions[i].start < end:
            if regions[i].end > start:
                found.append(regions[i])
            i += 1
        return found

    def boxes(self, start: int, end: int) -> list[list[float]]:
        """Where ``text[start:end]`` is printed, as ``[page, x0, y0, x1, y1]`` boxes (see
        :func:`merge_boxes`); empty for formats without pages."""
        return merge_boxes(self.locate(start, end))

    def span(self, block: TextBlock) -> str:
        return self.text[block.start : block.end]

    def section_heading(self, index: int) -> str | None:
        """The heading text of section ``index`` (None for front matter or untitled sections)."""
        if 0 <= index < len(self.sections) and self.sections[index].heading is not None:
            return self.span(self.sections[index].heading)
        return None

    def blocks(self) -> Iterator[TextBlock]:
        """Every prose block (title, headings, paragraphs, captions) in text order.

        Table cells are left out: tables are read row by row by the pipeline, not as prose.
        """
        found: list[TextBlock] = []
        if self.title_block is not None:
            found.append(self.title_block)
        for section in self.sections:
            if section.heading is not None:
                found.append(section.heading)
            found.extend(section.paragraphs)
        found.extend(self.captions)
        found.extend(t.caption for t in self.tables if t.caption is not None)
        return iter(sorted(found, key=lambda b: b.start))

    def to_json(self, sentences: list[Sentence] | None = None) -> dict:
        """The shape ``lit parse --json`` prints (a stable contract other tools rely on)."""
        out = {
            **self.info.to_dict(),
            "sections": [
                {
                    "heading": self.span(s.heading) if s.heading else None,
                    "paragraphs": [self.span(p) for p in s.paragraphs],
                }
                for s in self.sections
            ],
            "captions": [self.span(c) for c in self.captions],
            "tables": [
                {
                    "caption": self.span(t.caption) if t.caption else None,
                    "rows": [[self.span(c) for c in row] for row in t.rows],
                }
                for t in self.tables
            ],
        }
        if self.regions:  # where each block is printed (PDF): offsets, page and box(es)
            out["blocks"] = [
                {"kind": b.kind, "start": b.start, "end": b.end, "boxes": self.boxes(b.start, b.end)}
                for b in self.blocks()
            ]
        if sentences is not None:
            out["sentences"] = [
                {"text": s.text, "start": s.start, "end": s.end, **({"boxes": self.boxes(s.start, s.end)} if self.regions else {})}
                for s in sentences
            ]
        return out


class DocumentBuilder:
    """Appends text block by block and records offsets, so readers never compute them.

    Whitespace inside a block is collapsed to single spaces (PDF and HTML line breaks carry
    no meaning inside a paragraph), TeX markup is rendered as the characters it prints
    (:func:`~lit.extract.tex.detex`: "CaMnO_3" is "CaMnO3" for every later stage); empty
    blocks are skipped. Offsets point into this text, the one every stage reads.
    """

    def __init__(self, info: DocumentInfo):
        self.info = info
        self._parts: list[str] = []
        self._length = 0
        self._sections: list[Section] = []
        self._tables: list[Table] = []
        self._captions: list[TextBlock] = []
        self._title: TextBlock | None = None
        self._regions: list[Region] = []

    # -- low level -------------------------------------------------------------------------
    def _append(self, text: str, kind: BlockKind, sep: str = BLOCK_SEP, where: Placed = ()) -> TextBlock | None:
        raw = text
        text = _clean(text)
        if not text:
            return None
        if self._length:
            self._parts.append(sep)
            self._length += len(sep)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        if where:
            self._place(raw, text, start, where)
        return TextBlock(kind, start, self._length, len(self._sections) - 1)

    def _place(self, raw: str, text: str, offset: int, where: Placed) -> None:
        """Regions for the lines of a block: their offsets in ``raw`` (the text as the reader
        gave it) moved to where cleaning put them in ``text`` (cleaning only collapses spaces
        and renders TeX, so a prefix of ``raw`` cleans to a prefix of ``text``)."""
        for begin, stop, page, x0, y0, x1, y1 in where:
            a = len(_clean(raw[:begin]))
            if a and a < len(text) and text[a] == " ":
                a += 1
            b = len(_clean(raw[:stop]))
            if b > a:
                self._regions.append(Region(offset + a, offset + min(b, len(text)), page, x0, y0, x1, y1))

    def _current(self) -> Section:
        if not self._sections:
            self._sections.append(Section(heading=None))
        return self._sections[-1]

    # -- what readers call ------------------------------------------------------------------
    # ``where`` (PDF readers): the printed lines of the text, as ``(start, end, page, x0, y0,
    # x1, y1)`` with offsets into the text passed in; they become the document's regions.
    def set_title(self, title: str, where: Placed = ()) -> None:
        """Record the title as metadata and as the first block (facts in titles keep offsets)."""
        clean = _clean(title)
        if not clean:
            return
        self.info.title = self.info.title or clean
        if self._title is None and not self._length:
            self._title = self._append(title if where else clean, "title", where=where)

    def start_section(self, heading: str | None, where: Placed = ()) -> None:
        self._sections.append(Section(heading=None))
        if heading:
            self._sections[-1].heading = self._append(heading, "heading", where=where)

    def add_paragraph(self, text: str, where: Placed = ()) -> None:
        section = self._current()
        block = self._append(text, "paragraph", where=where)
        if block is not None:
            section.paragraphs.append(block)

    def add_caption(self, text: str, where: Placed = ()) -> None:
        self._current()
        block = self._append(text, "caption", where=where)
        if block is not None:
            self._captions.append(block)

    def add_table(
        self, rows: list[list[str]], caption: str | None = None, caption_where: Placed = (),
        cells_where: Sequence[Sequence[Placed]] | None = None,
    ) -> None:
        """Add a table; rows of cell strings. Empty rows are dropped, empty cells kept as gaps.

        ``caption_where`` and ``cells_where`` (one per cell, rows like ``rows``): where the
        caption and the cells are printed (PDF readers), as ``where`` elsewhere."""
        self._current()
        caption_block = self._append(caption, "caption", where=caption_where) if caption else None
        out_rows: list[list[TextBlock]] = []
        first = True
        for i, row in enumerate(rows):
            cells = [_clean(c) for c in row]
            if not any(cells):
                continue
            out_row: list[TextBlock] = []
            for j, cell in enumerate(cells):
                sep = BLOCK_SEP if first else (ROW_SEP if j == 0 else CELL_SEP)
                first = False
                if self._length:
                    self._parts.append(sep)
                    self._length += len(sep)
                start = self._length
                self._parts.append(cell)
                self._length += len(cell)
                if cells_where is not None and cells_where[i][j]:
                    self._place(row[j], cell, start, cells_where[i][j])
                out_row.append(TextBlock("cell", start, self._length, len(self._sections) - 1))
            out_rows.append(out_row)
        if out_rows or caption_block:
            self._tables.append(Table(caption_block, out_rows, len(self._sections) - 1))

    def build(self) -> Document:
        return Document(
            info=self.info,
            text="".join(self._parts),
            sections=self._sections,
            tables=self._tables,
            captions=self._captions,
            title_block=self._title,
            regions=sorted(self._regions, key=lambda r: r.start),
        )


def _clean(text: str) -> str:
    return " ".join(detex(text).split())


def paragraph_document(text: str, source: str) -> Document:
    """A one-paragraph text Document, as the text reader builds one: evaluation sets use it
    to run the real pipeline over a corpus paragraph without writing files."""
    doc_id, sha = content_id(text.encode("utf-8"))
    builder = DocumentBuilder(DocumentInfo(doc_id=doc_id, source=source, format="text", sha256=sha))
    builder.add_paragraph(text)
    return builder.build()
