"""PDF → Document: page text with geometry from PDFium (default) or pdfminer.six, then structure.

Two engines give the same page records (:class:`~lit.extract.readers.pdf_layout.PageLayout`:
lines with boxes, font sizes and fonts, grouped into boxes), and everything after them
(reading order, headers, paragraphs, headings) is shared. PDFium
(:mod:`~lit.extract.readers.pdf_pdfium`) decodes text in native code and is the default;
pdfminer.six's layout analysis is pure Python and about ten times slower, and stays as the
fallback: chosen with ``LIT_PDF_ENGINE=pdfminer`` (``--pdf-engine`` on the CLI), and used
for a file PDFium cannot open, so the fault is named by pdfminer's finer errors or the file
is read after all. pdfminer's own box ordering (``boxes_flow``) is switched off: it is the
slowest part of its analysis and gets two-column pages wrong, and
:func:`~lit.extract.readers.pdf_layout.reading_order` replaces it.

Faults become :mod:`lit.errors` classes naming the file: a password-protected file
(:class:`EncryptedFileError`), a truncated or unparsable one (:class:`CorruptFileError`),
one with pages but no text (:class:`NoTextLayerError`, a scan that needs OCR), and one
that takes longer than ``LIT_PDF_TIMEOUT_S`` seconds or has more than ``LIT_PDF_MAX_PAGES``
pages (:class:`ReaderTimeoutError`), checked between pages so a batch never hangs on a file.
"""

from __future__ import annotations

import io
import logging
import os
import re
import time
import zlib
from pathlib import Path
from typing import Iterator

import pypdfium2 as pdfium
from pdfminer import pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef
from pdfminer.psexceptions import PSException

from lit.errors import (
    CorruptFileError,
    EncryptedFileError,
    FileTooLargeError,
    LitError,
    NoTextLayerError,
    ReaderTimeoutError,
    UsageError,
)
from lit.extract.document import Document, DocumentBuilder, DocumentInfo, Placed
from lit.extract.readers import pdf_pdfium
from lit.extract.readers.back_matter import is_back_matter
from lit.extract.readers.pdf_layout import Line, PageLayout, mark_full_lines, page_layout, reading_order, remove_running_text
from lit.extract.readers.pdf_structure import chunk_boxes, find_title, join_lines, typography, vocabulary
from lit.extract.readers.pdf_tables import PdfTable, find_tables
from lit.logs import demote

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_PAGES = 500
#: Most bytes one Flate stream may inflate to (``LIT_PDF_MAX_STREAM_MB``): a page's content
#: stream is rarely over a few MB, and a 1 GiB "Flate bomb" (1 MB on disk) peaked at 2 GB.
DEFAULT_MAX_STREAM_MB = 128.0
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
#: The engines that turn a page into lines: PDFium (fast, the default) and pdfminer.six.
ENGINES = ("pdfium", "pdfminer")
log = logging.getLogger(__name__)
demote("pdfminer", "pypdfium2")


class _OverBudget(Exception):
    """Raised from inside pdfminer's page interpreter when the time budget is spent."""


class _StreamTooLarge(Exception):
    """Raised from inside pdfminer when a Flate stream inflates past the stream limit."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def inflate(data: bytes) -> bytes:
    """Flate-decode ``data`` as pdfminer would, but bounded and in linear time.

    pdfminer calls ``zlib.decompress`` (unbounded), and on a damaged stream retries byte by
    byte, concatenating the output each time (quadratic). This stops with
    :class:`_StreamTooLarge` past ``LIT_PDF_MAX_STREAM_MB`` and keeps what a damaged stream
    gave before its fault, to within the 4 KiB slices it is fed in (pdfminer keeps that only
    for a bad checksum, else nothing).
    """
    limit = int(_env_number("LIT_PDF_MAX_STREAM_MB", DEFAULT_MAX_STREAM_MB) * 2**20)
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    try:
        for at in range(0, len(data), 1 << 12):
            pending = data[at : at + (1 << 12)]
            while pending and not inflater.eof:
                part = inflater.decompress(pending, limit + 1 - size)
                size += len(part)
                if size > limit:
                    raise _StreamTooLarge(limit)
                parts.append(part)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return b"".join(parts)


class _BoundedZlib:
    """What ``pdfminer.pdftypes`` sees as ``zlib``: the real module with :func:`inflate` as
    its ``decompress``. pdfminer has no hook for stream decoding; this is its one call of it."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)
    decompress = staticmethod(inflate)


pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]


class ReferenceLoopError(PDFException):
    """An object reference that leads back to itself (``6 0 R`` is ``7 0 R`` is ``6 0 R``)."""


_resolve_one = PDFObjRef.resolve


def _resolve_chain(self: PDFObjRef, default: object = None) -> object:
    """``PDFObjRef.resolve`` that follows a chain of references to its end and refuses a loop.

    pdfminer's ``resolve1`` follows references in a ``while`` loop without memory, so a page
    whose ``/Contents`` is ``6 0 R`` -> ``7 0 R`` -> ``6 0 R``, or a ``/Root`` that is itself,
    looped forever in a 700-byte file. Callers that loop over ``resolve`` get the end of the
    chain at once, so the result is the same for every file without a loop.
    """
    seen = {self.objid}
    found = _resolve_one(self, default)
    while isinstance(found, PDFObjRef):
        if found.objid in seen:
            raise ReferenceLoopError(f"references from object {self.objid} loop back to object {found.objid}")
        seen.add(found.objid)
        found = _resolve_one(found, default)
    return found


PDFObjRef.resolve = _resolve_chain  # type: ignore[method-assign]


class _BudgetedAggregator(PDFPageAggregator):
    """A page aggregator that checks the clock while a page is drawn, not only between pages.

    One page can hold hundreds of thousands of drawing operators (vector plots); checking
    every 64 text-showing or path operators bounds the overshoot past the budget to
    milliseconds. (Per string, not per glyph: a per-glyph hook cost several percent.)
    """

    deadline: float = float("inf")
    _ticks: int = 0

    def _tick(self) -> None:
        self._ticks += 1
        if self._ticks & 63 == 0 and time.monotonic() > self.deadline:
            raise _OverBudget

    def render_string(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._tick()
        return super().render_string(*args, **kwargs)

    def paint_path(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._tick()
        return super().paint_path(*args, **kwargs)


def layout_params() -> LAParams:
    """pdfminer's defaults minus its box ordering, which :func:`reading_order` replaces."""
    return LAParams(boxes_flow=None)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        return default


def _cause(exc: BaseException) -> str:
    """``Name: message`` of a pdfminer exception, without an empty message after the colon."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _open(path: Path, data: bytes) -> PDFDocument:
    """Parse the trailer and cross-reference table; refuse encrypted files."""
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFEncryptionError as exc:
        raise EncryptedFileError(path, f"PDF is encrypted and cannot be opened without its password ({_cause(exc)})") from None
    except _StreamTooLarge as exc:
        raise FileTooLargeError(
            path, f"PDF has a compressed stream that inflates past {exc.limit / 2**20:g} MB (LIT_PDF_MAX_STREAM_MB)") from None
    except (PSException, ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError) as exc:
        raise CorruptFileError(path, f"PDF structure could not be parsed ({_cause(exc)})") from None


def iter_layouts(path: Path, data: bytes, laparams: LAParams | None = None) -> Iterator[PageLayout]:
    """Run layout analysis page by page, yielding plain page records.

    Elapsed time is checked against ``LIT_PDF_TIMEOUT_S`` (default 120 s) after every page
    and, through :class:`_BudgetedAggregator`, while a page is drawn; the page count against
    ``LIT_PDF_MAX_PAGES`` (default 500). pdfminer has no deadline of its own, and a
    pathological file must not stall a batch. (Layout analysis of one drawn page is not
    interruptible; its cost grows with the page's characters, which the checks above bound.)
    """
    budget = _env_number("LIT_PDF_TIMEOUT_S", DEFAULT_TIMEOUT_S)
    max_pages = int(_env_number("LIT_PDF_MAX_PAGES", DEFAULT_MAX_PAGES))
    started = time.monotonic()
    document = _open(path, data)
    resources = PDFResourceManager(caching=True)
    device = _BudgetedAggregator(resources, laparams=laparams or layout_params())
    device.deadline = started + budget
    interpreter = PDFPageInterpreter(resources, device)
    number = 0

    def over_budget() -> ReaderTimeoutError:
        elapsed = time.monotonic() - started
        return ReaderTimeoutError(
            path, f"PDF reading stopped after {elapsed:.1f} s at page {number}, over the {budget:g} s budget (LIT_PDF_TIMEOUT_S)"
        )

    try:
        for page in PDFPage.create_pages(document):
            number += 1
            if number > max_pages:
                raise ReaderTimeoutError(path, f"PDF has more than {max_pages} pages (LIT_PDF_MAX_PAGES); refusing to read on")
            interpreter.process_page(page)
            layout = page_layout(device.get_result(), number)
            layout.rotate = (page.rotate or 0) % 360
            layout.mediabox = tuple(page.mediabox)  # type: ignore[assignment]
            yield layout
            if time.monotonic() - started > budget:
                raise over_budget()
    except LitError:
        raise
    except _OverBudget:
        raise over_budget() from None
    except _StreamTooLarge as exc:
        raise FileTooLargeError(
            path, f"PDF page {max(number, 1)} has a compressed stream that inflates past {exc.limit / 2**20:g} MB "
            "(LIT_PDF_MAX_STREAM_MB)") from None
    except PDFEncryptionError as exc:
        raise EncryptedFileError(path, f"PDF is encrypted ({_cause(exc)})") from None
    except (PSException, ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError, RecursionError) as exc:
        raise CorruptFileError(path, f"PDF page {number + 1} could not be read ({_cause(exc)})") from None
    if number == 0:
        raise CorruptFileError(path, "PDF has no pages (damaged page tree)")


_STREAM = re.compile(rb"stream\r?\n")


def check_streams(path: Path, data: bytes) -> None:
    """Refuse a file with a Flate stream that inflates past ``LIT_PDF_MAX_STREAM_MB``.

    PDFium inflates streams without a limit (a 0.5 MB "Flate bomb" took 1 GB), so streams
    are measured first, in bounded slices whose output is dropped at once. Deflate packs at
    most about 1032:1, so only streams longer than the limit / 1032 can exceed it, and only
    those (a few images and fonts per paper) are inflated here.
    """
    limit = int(_env_number("LIT_PDF_MAX_STREAM_MB", DEFAULT_MAX_STREAM_MB) * 2**20)
    shortest = limit // 1032
    for match in _STREAM.finditer(data):
        begin = match.end()
        end = data.find(b"endstream", begin)
        if end < 0:
            return
        if end - begin <= shortest:
            continue
        inflater = zlib.decompressobj()
        size = 0
        try:
            for at in range(begin, end, 1 << 16):
                pending = data[at : min(at + (1 << 16), end)]
                while pending and not inflater.eof:
                    size += len(inflater.decompress(pending, 1 << 20))
                    if size > limit:
                        raise FileTooLargeError(
                            path, f"PDF has a compressed stream that inflates past {limit / 2**20:g} MB (LIT_PDF_MAX_STREAM_MB)")
                    pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
        except zlib.error:
            continue  # not Flate data (an image, a damaged stream): PDFium decides


def iter_pdfium_layouts(path: Path, data: bytes) -> Iterator[PageLayout]:
    """:func:`iter_layouts` on PDFium, under the same page and time limits (checked between
    pages: PDFium draws no page here, so one page's text costs milliseconds).

    Raises :class:`PdfiumOpenError` when PDFium cannot open the file, for the caller to try
    pdfminer, which names the fault (password, damaged cross-reference table) or reads it.
    """
    budget = _env_number("LIT_PDF_TIMEOUT_S", DEFAULT_TIMEOUT_S)
    max_pages = int(_env_number("LIT_PDF_MAX_PAGES", DEFAULT_MAX_PAGES))
    started = time.monotonic()
    pdf = pdf_pdfium.open_pdf(data)
    info = pdf_pdfium.CharInfo()
    try:
        total = len(pdf)
        if total == 0:
            raise CorruptFileError(path, "PDF has no pages (damaged page tree)")
        for number in range(1, total + 1):
            if number > max_pages:
                raise ReaderTimeoutError(path, f"PDF has more than {max_pages} pages (LIT_PDF_MAX_PAGES); refusing to read on")
            try:
                page = pdf[number - 1]
            except pdfium.PdfiumError as exc:
                raise CorruptFileError(path, f"PDF page {number} could not be read ({exc})") from None
            try:
                yield pdf_pdfium.page_layout(page, number, info)
            finally:
                page.close()
            elapsed = time.monotonic() - started
            if elapsed > budget:
                raise ReaderTimeoutError(
                    path, f"PDF reading stopped after {elapsed:.1f} s at page {number}, over the {budget:g} s budget (LIT_PDF_TIMEOUT_S)"
                )
    finally:
        pdf.close()


def pdf_engine(engine: str | None = None) -> str:
    """The engine to read PDFs with: ``engine``, else ``LIT_PDF_ENGINE``, else ``pdfium``."""
    chosen = (engine or os.environ.get("LIT_PDF_ENGINE") or "pdfium").strip().lower()
    if chosen not in ENGINES:
        raise UsageError(f"unknown PDF engine {chosen!r} (LIT_PDF_ENGINE or --pdf-engine: {' or '.join(ENGINES)})")
    return chosen


def read_layouts(path: Path, data: bytes, engine: str | None = None) -> list[PageLayout]:
    """Every page's text records, from PDFium, or from pdfminer when asked or when PDFium
    cannot open the file."""
    if b"%%EOF" not in data[-2048:]:
        raise CorruptFileError(path, "PDF is truncated or damaged: no %%EOF marker at its end")
    if pdf_engine(engine) == "pdfium":
        check_streams(path, data)
        try:
            return list(iter_pdfium_layouts(path, data))
        except pdf_pdfium.PdfiumOpenError as exc:
            log.debug("%s: PDFium cannot open it (%s); reading it with pdfminer", path, exc)
    return list(iter_layouts(path, data))


def read_pdf(path: Path, data: bytes, info: DocumentInfo, engine: str | None = None) -> Document:
    """Read a PDF paper into a Document: title, DOI, sections, paragraphs, captions.

    ``engine``: ``pdfium`` (the default) or ``pdfminer``; see :func:`pdf_engine`.
    """
    pages = read_layouts(path, data, engine)
    all_lines = [ln for p in pages for b in p.boxes for ln in b.lines]
    if not all_lines:
        images = sum(p.images for p in pages)
        raise NoTextLayerError(
            path,
            f"PDF has no text layer on any of its {len(pages)} page(s) ({images} image/figure object(s); "
            "a scanned or image-only file needs OCR first)",
        )
    first_page_text = " ".join(ln.text for b in pages[0].boxes for ln in b.lines)
    doi = _DOI.search(first_page_text)
    if doi:
        info.doi = doi.group(1).rstrip(".,;)]}")
    remove_running_text(pages)
    tables: dict[int, PdfTable] = {}  # caption line -> its table
    for page in pages:
        mark_full_lines(page)
        for table in find_tables(page):
            tables[id(table.caption)] = table
            _take_out(page, table.owned)
    typo = typography(all_lines)
    vocab = vocabulary(all_lines)
    ordered = [box for page in pages for box in reading_order(page.boxes)]

    builder = DocumentBuilder(info)
    title = find_title([ln for b in ordered if b.lines[0].page == 1 for ln in b.lines], typo.body_size)
    if title:
        text = join_lines(title, vocab)
        builder.set_title(text, placed(text, title, pages))
        taken = {id(ln) for ln in title}
        for box in ordered:
            if any(id(ln) in taken for ln in box.lines):
                box.lines = [ln for ln in box.lines if id(ln) not in taken]
                if box.lines:
                    box.fit()
        ordered = [b for b in ordered if b.lines]

    back_matter = False
    for chunk in chunk_boxes(ordered, typo, vocab):
        where = placed(chunk.text, chunk.lines, pages)
        table = tables.pop(id(chunk.lines[0]), None) if chunk.kind == "caption" else None
        if table is not None:
            _add_table(builder, table, chunk.text, chunk.lines, pages)
            continue
        if chunk.kind == "heading":
            builder.start_section(chunk.text, where)
            back_matter = is_back_matter(chunk.text)
        elif chunk.kind == "caption":
            builder.add_caption(chunk.text, where)
        elif not back_matter:  # the heading stays (the paper's outline); its reference list does not
            builder.add_paragraph(chunk.text, where)
        for line in chunk.lines:  # a table whose caption line ended up inside other text
            if id(line) in tables:
                _add_table(builder, tables.pop(id(line)), "", [], pages)
    for table in tables.values():
        _add_table(builder, table, "", [], pages)
    return builder.build()


def _take_out(page: PageLayout, lines: list[Line]) -> None:
    """Remove ``lines`` (a table's) from the page's boxes, so they are not read as prose."""
    gone = {id(ln) for ln in lines}
    kept = []
    for box in page.boxes:
        if any(id(ln) in gone for ln in box.lines):
            box.lines = [ln for ln in box.lines if id(ln) not in gone]
            if not box.lines:
                continue
            box.fit()
        kept.append(box)
    page.boxes = kept


def _add_table(builder: DocumentBuilder, table: PdfTable, caption: str, caption_lines: list[Line], pages: list[PageLayout]) -> None:
    """The table's cells into the document, after its caption (the caption chunk's text and
    the caption's other lines: a title beside "Table 2", a wrapped line, a note)."""
    lines = list(caption_lines)
    for ln in table.caption_rest:
        caption = f"{caption} {ln.text}".strip()
        lines.append(ln)
    rows = [[" ".join(ln.text for ln in cell) for cell in row] for row in table.rows]
    cells_where = [[placed(text, cell, pages) for text, cell in zip(texts, row)] for texts, row in zip(rows, table.rows)]
    builder.add_table(rows, caption or None, placed(caption, lines, pages), cells_where)


def placed(text: str, lines: list[Line], pages: list[PageLayout]) -> Placed:
    """Where each of ``lines`` lies in ``text``, the text joined from them, with its box in
    PDF user space.

    Joining keeps each line's text whole but for a line-end hyphen that repair dropped, so
    each line is found from where the previous one ended.
    """
    out = []
    at = 0
    for ln in lines:
        found = text.find(ln.text, at)
        size = len(ln.text)
        if found < 0 or found - at > 2:
            size -= 1  # the hyphen went when the line was joined to the next
            found = text.find(ln.text[:-1], at) if size > 0 else -1
            if found < 0 or found - at > 2:
                continue
        at = found + size
        out.append((found, at, ln.page, *pages[ln.page - 1].user_box(ln.x0, ln.y0, ln.x1, ln.y1)))
    return out
