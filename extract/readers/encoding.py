"""Bytes -> text for the HTML and text readers, without losing a page to one bad byte.

Two faults lost whole documents before:

* one stray non-UTF-8 byte (a cp1252 "é" pasted into a UTF-8 page) made the whole page decode
  as cp1252, so every "μ", "°" and "–" elsewhere became mojibake ("Î¼") and a real RSC paper
  fell from 45 facts to 2, reported as a success. :func:`decode_utf8` decodes the page as
  UTF-8 and only the bytes that are not UTF-8 as cp1252, each on its own, and counts them;
  for a page that is cp1252 throughout this gives the cp1252 text (a run of cp1252 bytes is
  almost never valid UTF-8 by chance).
* valid UTF-16 and UTF-32 files were refused as "binary content" (they are full of NUL
  bytes). :func:`wide_encoding` recognises them, with or without a byte-order mark, and
  :func:`to_utf8` turns them into UTF-8 before the format is sniffed.
"""

from __future__ import annotations

import codecs
import re
import threading

#: Byte-order marks, longest first (UTF-32-LE's starts with UTF-16-LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECLARED = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*""")


_stray = threading.local()  # bytes the handler below replaced during this thread's decode


def _cp1252_byte(error: UnicodeError) -> tuple[str, int]:
    """``codecs`` error handler: an undecodable byte is its cp1252 character (latin-1 for the
    five bytes cp1252 leaves undefined), one byte at a time, counted."""
    assert isinstance(error, UnicodeDecodeError)
    _stray.count += 1
    byte = error.object[error.start : error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error("lit-cp1252-byte", _cp1252_byte)


def decode_utf8(data: bytes) -> tuple[str, int]:
    """``(text, bytes that were not UTF-8)``: UTF-8 with each stray byte read as cp1252."""
    _stray.count = 0
    text = data.decode("utf-8-sig", errors="lit-cp1252-byte")
    return text, _stray.count


def wide_encoding(data: bytes) -> str | None:
    """``utf-16``/``utf-32`` (with a BOM) or their ``-le``/``-be`` forms (without one, from
    where the NUL bytes of mostly-ASCII text fall) if ``data`` is such text, else None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name if _decodes(data, name) else None
    head = data[:4096]
    if len(head) < 8 or b"\x00" not in head:
        return None
    quarter = len(head) // 4 * 4
    units = quarter // 4
    candidates = []
    # UTF-32: the top byte of every code point is 0, the next one nearly always (the BMP).
    if head[3:quarter:4].count(0) == units and head[2:quarter:4].count(0) > 0.9 * units:
        candidates.append("utf-32-le")
    if head[0:quarter:4].count(0) == units and head[1:quarter:4].count(0) > 0.9 * units:
        candidates.append("utf-32-be")
    half = len(head) // 2 * 2
    if head[1:half:2].count(0) > 0.9 * half / 2 and head[0:half:2].count(0) < 0.1 * half / 2:
        candidates.append("utf-16-le")
    if head[0:half:2].count(0) > 0.9 * half / 2 and head[1:half:2].count(0) < 0.1 * half / 2:
        candidates.append("utf-16-be")
    return next((name for name in candidates if _decodes(data, name)), None)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        return "\x00" not in data.decode(encoding)
    except UnicodeDecodeError:
        return False


def to_utf8(data: bytes, encoding: str) -> bytes:
    """``data`` (in the wide ``encoding``) as UTF-8, its XML declaration saying so."""
    text = data.decode(encoding).lstrip("\ufeff").encode("utf-8")
    return _XML_DECLARED.sub(rb"\1UTF-8", text, count=1)
