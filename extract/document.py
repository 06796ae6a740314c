"""The document model every reader produces and every later stage reads.

A Document owns one string, ``text``. Everything else (title, headings, paragraphs,
captions, table cells, sentences) is a :class:`TextBlock` holding ``[start, end)`` offsets
into that string, so any fact can point back at the exact characters it came from, whatever
format the paper arrived in. Readers never build offsets by hand: they call
:class:`DocumentBuilder`, which appends text and records where it went.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Iterator, Literal

from lit.extract.tex import detex

BlockKind = Literal["title", "heading", "paragraph", "caption", "cell"]

#: Separator between blocks in ``Document.text``. Two newlines keep paragraphs apart for
#: sentence splitting and make the text readable when printed.
BLOCK_SEP = "\n\n"
#: Separators inside a table: cells by tab, rows by newline (the table is one block run).
CELL_SEP = "\t"
ROW_SEP = "\n"


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

    @property
    def doc_id(self) -> str:
        return self.info.doc_id

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
        if sentences is not None:
            out["sentences"] = [{"text": s.text, "start": s.start, "end": s.end} for s in sentences]
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

    # -- low level -------------------------------------------------------------------------
    def _append(self, text: str, kind: BlockKind, sep: str = BLOCK_SEP) -> TextBlock | None:
        text = _clean(text)
        if not text:
            return None
        if self._length:
            self._parts.append(sep)
            self._length += len(sep)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        return TextBlock(kind, start, self._length, len(self._sections) - 1)

    def _current(self) -> Section:
        if not self._sections:
            self._sections.append(Section(heading=None))
        return self._sections[-1]

    # -- what readers call ------------------------------------------------------------------
    def set_title(self, title: str) -> None:
        """Record the title as metadata and as the first block (facts in titles keep offsets)."""
        title = _clean(title)
        if not title:
            return
        self.info.title = self.info.title or title
        if self._title is None and not self._length:
            self._title = self._append(title, "title")

    def start_section(self, heading: str | None) -> None:
        self._sections.append(Section(heading=None))
        if heading:
            self._sections[-1].heading = self._append(heading, "heading")

    def add_paragraph(self, text: str) -> None:
        section = self._current()
        block = self._append(text, "paragraph")
        if block is not None:
            section.paragraphs.append(block)

    def add_caption(self, text: str) -> None:
        self._current()
        block = self._append(text, "caption")
        if block is not None:
            self._captions.append(block)

    def add_table(self, rows: list[list[str]], caption: str | None = None) -> None:
        """Add a table; rows of cell strings. Empty rows are dropped, empty cells kept as gaps."""
        self._current()
        caption_block = self._append(caption, "caption") if caption else None
        out_rows: list[list[TextBlock]] = []
        first = True
        for row in rows:
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
