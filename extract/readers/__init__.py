"""Readers turn one file into one Document. The format is chosen by content, not by name.

:func:`read_document` is the only entry point the rest of lit uses. It checks size, sniffs
the first bytes (``%PDF``, an XML prolog or root, HTML markers, else text) and hands the bytes
to the matching reader module. Every failure becomes a :class:`~lit.errors.ReaderError`
naming the file and the cause, so a batch can record it and go on.
"""

from __future__ import annotations

import os
from pathlib import Path

from lit.errors import (
    CorruptFileError,
    EmptyDocumentError,
    FileTooLargeError,
    ReaderError,
    UnsupportedFormatError,
)
from lit.extract.document import Document, DocumentInfo, content_id, display_path
from lit.extract.readers.encoding import to_utf8, wide_encoding

#: Files above this size are refused before any parsing (a paper is rarely over 50 MB).
#: ``LIT_MAX_FILE_BYTES`` overrides it, read at each call so a running process can change it.
MAX_BYTES = 100 * 1024 * 1024


def max_bytes() -> int:
    return int(os.environ.get("LIT_MAX_FILE_BYTES", MAX_BYTES))

SUFFIXES = {".pdf", ".html", ".htm", ".xhtml", ".xml", ".nxml", ".txt", ".text", ".md"}


def sniff_format(data: bytes, suffix: str = "") -> str:
    """Return ``pdf``, ``xml``, ``html`` or ``text`` from the content (the suffix only breaks ties)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    low = head.lower()
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if low.startswith(b"<!doctype html") or low.startswith(b"<html") or b"<html" in low[:1024]:
        return "html"
    if low.startswith(b"<?xml") or low.startswith(b"<!doctype") or (low.startswith(b"<") and suffix in {".xml", ".nxml"}):
        # XHTML served as XML is still HTML to us.
        return "html" if b"<html" in low else "xml"
    if suffix in {".html", ".htm", ".xhtml"} and low.startswith(b"<"):
        return "html"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"


def read_document(path: str | Path, pdf_engine: str | None = None) -> Document:
    """Read any supported file into a Document, or raise a ReaderError that names it.

    ``pdf_engine`` picks the PDF engine (``pdfium`` or ``pdfminer``; default ``LIT_PDF_ENGINE``,
    else ``pdfium``): an environment variable, so worker processes of a batch read alike.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReaderError(path, f"cannot open file ({exc.strerror or exc})") from None
    limit = max_bytes()
    if size > limit:
        raise FileTooLargeError(
            path, f"file is {size / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit (set LIT_MAX_FILE_BYTES to raise it)"
        )
    if size == 0:
        raise EmptyDocumentError(path, "file is empty")
    data = path.read_bytes()
    doc_id, sha = content_id(data)
    wide = wide_encoding(data)
    if wide is not None:  # UTF-16/32 text is full of NUL bytes: sniffed and read as UTF-8
        data = to_utf8(data, wide)
    fmt = sniff_format(data, path.suffix.lower())
    info = DocumentInfo(doc_id=doc_id, source=display_path(str(path)), format=fmt, sha256=sha)
    if fmt == "pdf":
        from lit.extract.readers.pdf import read_pdf

        def reader(path: Path, data: bytes, info: DocumentInfo) -> Document:
            return read_pdf(path, data, info, pdf_engine)
    elif fmt == "html":
        from lit.extract.readers.html import read_html as reader
    elif fmt == "xml":
        from lit.extract.readers.xml import read_xml as reader
    elif fmt == "text":
        from lit.extract.readers.text import read_text as reader
    else:
        if path.suffix.lower() == ".pdf":
            raise CorruptFileError(path, "named .pdf but is not a PDF (no %PDF header; binary content)")
        raise UnsupportedFormatError(path, "binary content in no supported format (PDF, HTML, XML, text)")
    doc = reader(path, data, info)
    if not doc.text.strip():
        raise EmptyDocumentError(path, f"no text found in this {fmt.upper()} file")
    return doc
