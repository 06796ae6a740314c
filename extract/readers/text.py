"""Plain text: paragraphs are separated by blank lines; a short first line is the title.

Markdown-style ``#`` headings and short lines followed by a blank line that look like a
heading ("1. Introduction", "Results and discussion") start sections.
"""

from __future__ import annotations

import re
from pathlib import Path

from lit.errors import ReaderError
from lit.extract.document import Document, DocumentBuilder, DocumentInfo
from lit.extract.readers.encoding import decode_utf8

_HEADING = re.compile(r"^(#{1,6}\s+\S.*|(\d+(\.\d+)*\.?\s+)?[A-Z][A-Za-z ,&-]{2,60})$")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)])")


def decode_text(data: bytes, notes: list[str]) -> str:
    """UTF-8 (with or without BOM), each byte that is not UTF-8 read as cp1252 and counted in
    ``notes`` (:func:`~lit.extract.readers.encoding.decode_utf8`). UTF-16 and UTF-32 files
    arrive here as UTF-8 already (:func:`~lit.extract.readers.read_document`)."""
    text, replaced = decode_utf8(data)
    if replaced:
        notes.append(f"{replaced} byte(s) were not UTF-8 and were read as cp1252 characters")
    return text


def read_text(path: Path, data: bytes, info: DocumentInfo) -> Document:
    text = decode_text(data, info.notes)
    if "\x00" in text:
        raise ReaderError(path, "text file contains NUL bytes (binary content?)")
    builder = DocumentBuilder(info)
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    if blocks:
        first = blocks[0]
        if "\n" not in first and len(first) < 250 and not first.endswith("."):
            builder.set_title(first.lstrip("# "))
            blocks = blocks[1:]
    doi = _DOI.search(text)
    if doi:
        info.doi = doi.group(1)
    for block in blocks:
        lines = block.split("\n")
        if _HEADING.match(lines[0].strip()) and len(lines[0]) < 80 and not lines[0].rstrip().endswith("."):
            builder.start_section(lines[0].strip().lstrip("# "))
            rest = " ".join(lines[1:])
            if rest.strip():
                builder.add_paragraph(rest)
        else:
            builder.add_paragraph(block)
    return builder.build()
