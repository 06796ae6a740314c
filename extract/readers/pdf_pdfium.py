"""Page records from PDFium: characters with their boxes and fonts, grouped into lines and boxes.

PDFium (through pypdfium2) decodes a page's text in native code about ten times faster than
pdfminer's layout analysis, and the structure logic downstream (columns, running headers,
headings, paragraphs) only needs what :func:`~lit.extract.readers.pdf_layout.page_layout`
copies out of pdfminer: lines with a box, a font size, a font and boldness, grouped into
boxes of neighbouring lines. This module builds the same :class:`PageLayout` records from
PDFium's characters, so both engines feed one structure stage.

PDFium's own line breaks are not enough: it joins a word hyphenated across two lines into
one (marking the hyphen as U+FFFE) and may run two columns' rows together. Lines are
therefore cut by geometry, as pdfminer cuts them: a character that shares less than half
its height with the previous one, or lies more than 1.5 line heights to its right, starts a
new line. Only the first and last character of each run between spaces are measured: inside
a word the characters follow each other, and one ctypes call per character was most of the
engine's time. Lines are grouped into boxes as pdfminer does (``line_margin`` 0.5): the next line
below, of about the same height, aligned left, right or centred within half a line height.
"""

from __future__ import annotations

import ctypes
import math
import re
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from lit.extract.readers.pdf_layout import Box, Line, PageLayout, merge_rows

#: Presentation forms and PDFium's marks that the text should hold as plain letters.
_CLEAN = str.maketrans(
    {
        "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
        "\ufb06": "st", "\u00a0": " ", "\ufffe": "-", "\ufffd": None,
        **{chr(c): None for c in range(32) if c not in (2, 9)},
        "\x02": "-",
        "\t": " ",
    }
)
#: A run of characters between spaces and line breaks; a hyphen PDFium marks ends one.
_RUN = re.compile("[^ \r\n\ufffe\x02]+[\ufffe\x02]?|[\ufffe\x02]")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|[-,.]b$|\+b$|medi", re.I)
#: Pieces of one visual line further apart than this many line heights are separate lines
#: (columns, table cells), as pdfminer's ``char_margin`` splits them.
_GAP = 1.5
#: Consecutive characters share at least this share of the smaller one's height to be on one
#: line (pdfminer's ``line_overlap``).
_LINE_OVERLAP = 0.5
#: A gap inside a line wider than this share of its height may separate table cells: it is
#: recorded (``Line.cuts``) for :mod:`~lit.extract.readers.pdf_tables`, and the line stays whole.
_CELL_GAP = 0.6
#: Lines closer than this share of a line height belong to one box (pdfminer's line_margin).
_LINE_MARGIN = 0.5


class PdfiumOpenError(Exception):
    """PDFium refused the file (damaged, encrypted, unsupported): the pdfminer engine reads it."""


@lru_cache(maxsize=512)
def _is_bold_font(fontname: str) -> bool:
    return bool(_BOLD_FONT.search(fontname))


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfiumOpenError(str(exc)) from None


class CharInfo:
    """ctypes buffers reused for every character of a document (one allocation, not millions)."""

    def __init__(self) -> None:
        self.rect = raw.FS_RECTF()
        self.matrix = raw.FS_MATRIX()
        self.name = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.rotate = 0  # the page's /Rotate: "upright" is upright as the page is shown

    def size_and_upright(self, textpage: raw.FPDF_TEXTPAGE, index: int) -> tuple[float, bool]:
        """The character's font size as set on the page (font size times the text matrix's
        scale), and whether it runs left to right on the page as shown."""
        m = self.matrix
        raw.FPDFText_GetMatrix(textpage, index, m)
        scale = math.sqrt(abs(m.a * m.d - m.b * m.c))
        a, b = m.a, m.b
        if self.rotate == 90:
            a, b = m.b, -m.a
        elif self.rotate == 180:
            a, b = -m.a, -m.b
        elif self.rotate == 270:
            a, b = -m.b, m.a
        return raw.FPDFText_GetFontSize(textpage, index) * scale, a > 0 and abs(b) <= 0.1 * a

    def font(self, textpage: raw.FPDF_TEXTPAGE, index: int) -> str:
        raw.FPDFText_GetFontInfo(textpage, index, self.name, 256, self.flags)
        return self.name.value.decode("latin-1").split("+", 1)[-1]


def page_layout(page: pdfium.PdfPage, number: int, info: CharInfo) -> PageLayout:
    """The page's text as boxes of lines, in the records the structure stage reads.

    Coordinates are PDF user space, as PDFium's ``get_text_bounded`` takes them back; on a
    page turned by ``/Rotate`` they are turned as pdfminer turns them, so that lines run
    left to right as the page is shown (``PageLayout.user_box`` turns them back).
    """
    rotate = page.get_rotation() % 360
    mx0, my0, mx1, my1 = page.get_mediabox()
    width, height = (mx1 - mx0, my1 - my0) if rotate in (0, 180) else (my1 - my0, mx1 - mx0)
    out = PageLayout(number=number, width=width, height=height)
    if rotate:
        out.rotate, out.mediabox = rotate, (mx0, my0, mx1, my1)
    info.rotate = rotate
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage, number, info, out.mediabox)
    finally:
        textpage.close()
    if not lines:
        out.images = sum(1 for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM], max_depth=1))
        return out
    out.boxes = _boxes(lines)
    return out


def _lines(textpage: pdfium.PdfTextPage, number: int, info: CharInfo, frame: tuple[float, float, float, float]) -> list[Line]:
    """Cut the page's characters into lines by geometry (see the module docstring).

    PDFium's own line breaks are read as "maybe a space": it also breaks at a baseline shift
    inside a row ("Alam" + superscript "1" + ", Mohammad"), which must not split the line;
    a break followed by more of the same row joins with a space only across a visible gap.
    """
    text = textpage.get_text_range()
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    if len(text) != count:  # characters outside the BMP count twice in UTF-16: read one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    rect = info.rect
    get_box = raw.FPDFText_GetLooseCharBox
    turn = info.rotate
    lines: list[Line] = []
    start = -1  # where the current piece of the current line starts in ``text``
    pieces: list[str] = []  # earlier pieces of the current line (split by PDFium's breaks)
    done = 0  # characters in ``pieces``
    gaps: list[tuple[int, float, float]] = []  # wide gaps inside the line: (offset, x before, x after)
    x0 = y0 = x1 = y1 = 0.0  # the current line's box
    pl = pb = pr = pt = 0.0  # the box of the previous run's last character
    chars: list[int] = []  # where the current line's runs start
    end = 0  # where the previous run ended

    def close(stop: int) -> None:
        if chars:
            pieces.append(text[start:stop])
            line = _line("".join(pieces), chars, x0, y0, x1, y1, number, handle, info, gaps)
            if line is not None:
                lines.append(line)

    # Runs of characters between spaces and breaks ("words"): only their first and last
    # characters are measured (two calls a word, not one a character); inside a run the
    # characters follow each other. A line-end hyphen PDFium marks (U+FFFE or U+0002) ends
    # a run, since the word goes on on the next line.
    for match in _RUN.finditer(text):
        i, last = match.start(), match.end() - 1
        between = text[end:i]
        broken = -1
        if "\r" in between or "\n" in between:
            broken = end + min(k for k in (between.find("\r"), between.find("\n")) if k >= 0)
        end = last + 1
        if not get_box(handle, i, rect):  # no box (a glyph PDFium could not place): text only
            continue
        cl, cb, cr, ct = rect.left, rect.bottom, rect.right, rect.top
        if turn:
            cl, cb, cr, ct = _turn(turn, frame, cl, cb, cr, ct)
        if chars:
            # Compared with the previous character, as pdfminer does: half its height shared
            # vertically (so super- and subscripts stay in), and no wide gap or jump back left.
            h0, h1 = pt - pb, ct - cb
            tall = h0 if h0 < h1 else h1
            overlap = (pt if pt < ct else ct) - (pb if pb > cb else cb)
            if overlap <= _LINE_OVERLAP * tall or cl - pr > _GAP * (h0 if h0 > h1 else h1) or cr < pl - 0.5 * tall:
                close(broken if broken >= 0 else i)
                chars, pieces, done, gaps = [], [], 0, []
            else:
                if broken >= 0:  # PDFium's break inside one row
                    pieces.append(text[start:broken])
                    done += broken - start
                    if cl - pr > 0.15 * tall:
                        pieces.append(" ")
                        done += 1
                    start = i
                if cl - pr > _CELL_GAP * tall:
                    gaps.append((done + i - start, pr, cl))
        if not chars:
            start = i
            x0, y0, x1, y1 = cl, cb, cr, ct
        else:
            x0, y0, x1, y1 = min(x0, cl), min(y0, cb), max(x1, cr), max(y1, ct)
        chars.append(i)
        if last > i and get_box(handle, last, rect):
            cl, cb, cr, ct = rect.left, rect.bottom, rect.right, rect.top
            if turn:
                cl, cb, cr, ct = _turn(turn, frame, cl, cb, cr, ct)
            x0, y0, x1, y1 = min(x0, cl), min(y0, cb), max(x1, cr), max(y1, ct)
        pl, pb, pr, pt = cl, cb, cr, ct
    tail = text[end:]
    close(end + min((k for k in (tail.find("\r"), tail.find("\n")) if k >= 0), default=len(tail)))
    return lines


def _turn(rotate: int, frame: tuple[float, float, float, float], l: float, b: float, r: float, t: float) -> tuple[float, float, float, float]:
    """A user-space box as it lies on the page turned by ``rotate`` (pdfminer's mapping)."""
    x0, y0, x1, y1 = frame
    if rotate == 90:
        return b - y0, x1 - r, t - y0, x1 - l
    if rotate == 180:
        return x1 - r, y1 - t, x1 - l, y1 - b
    return y1 - t, l - x0, y1 - b, r - x0  # 270


def _line(
    text: str, chars: list[int], x0: float, y0: float, x1: float, y1: float,
    page: int, handle: raw.FPDF_TEXTPAGE, info: CharInfo, gaps: list[tuple[int, float, float]],
) -> Line | None:
    """A Line from a run of characters, or None for rotated or empty runs (margin stamps)."""
    body = " ".join(text.translate(_CLEAN).split())
    if not body:
        return None
    # Size, font and weight from the first, middle and last characters (their median and
    # majority), not every glyph: three calls a line instead of three a character.
    samples = sorted({chars[0], chars[len(chars) // 2], chars[-1]})
    measured = [info.size_and_upright(handle, i) for i in samples]
    if sum(up for _, up in measured) * 2 < len(measured):
        return None
    sizes = sorted(s for s, _ in measured)
    fonts = [info.font(handle, i) for i in samples]
    bold = sum(_is_bold_font(f) for f in fonts) * 2 > len(fonts)
    font = info.font(handle, chars[len(chars) // 2])
    cuts = tuple((len(" ".join(text[:at].translate(_CLEAN).split())), before, after) for at, before, after in gaps)
    return Line(body, x0, y0, x1, y1, round(sizes[len(sizes) // 2], 1), bold, page, font, cuts=cuts)


def _boxes(lines: list[Line]) -> list[Box]:
    """Group lines into boxes of neighbours, as pdfminer's layout analysis does."""
    groups: list[list[Line]] = []
    for line in lines:
        h = line.y1 - line.y0
        target = None
        for group in reversed(groups[-12:]):
            last = group[-1]
            d = _LINE_MARGIN * max(h, last.y1 - last.y0)
            if (
                last.y0 - d <= line.y1 <= last.y0 + d
                and abs((last.y1 - last.y0) - h) <= d
                and (abs(last.x0 - line.x0) <= d or abs(last.x1 - line.x1) <= d
                     or abs((last.x0 + last.x1) - (line.x0 + line.x1)) <= 2 * d)
            ):
                target = group
                break
        if target is None:
            groups.append([line])
        else:
            target.append(line)
    boxes = []
    for group in groups:
        box = Box(merge_rows(group))
        box.fit()
        boxes.append(box)
    return boxes
