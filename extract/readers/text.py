"""Plain text: paragraphs are separated by blank lines; a short first line is the title.

Markdown-style ``#`` headings and short lines followed by a blank line that look like a
heading ("1. Introduction", "Results and discussion") start sections.
"""

from __future__ import annotations

import re
from pathlib import Path

from lit.errors import ReaderError
from lit.extract.document import Document, DocumentBuilder, DocumentInfo

_HEADING = re.compile(r"^(#{1,6}\s+\S.*|(\d+(\.\d+)*\.?\s+)?[A-Z][A-Za-z ,&-]{2,60})$")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)])")


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), then UTF-16 with BOM, then cp1252/latin-1 as a last resort."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_text(path: Path, data: bytes, info: DocumentInfo) -> Document:
    text = decode_text(path, data)
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
