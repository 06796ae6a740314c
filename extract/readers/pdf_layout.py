"""Page geometry for the PDF reader: lines, boxes, running headers, column reading order.

pdfminer's layout analysis gives text lines grouped into boxes with coordinates, but it
orders the boxes by its own heuristic (``boxes_flow``), which interleaves two-column pages
and costs a quadratic grouping pass. We switch that pass off (``boxes_flow=None``) and
order the boxes here from the page geometry instead: find the gutter between columns, cut
the page into bands at boxes that span the gutter (title, abstract, wide figures), and
read each band left column first. Everything works on plain :class:`Line`/:class:`Box`
records copied out of the layout tree in one pass, so pdfminer's objects can be freed page
by page. The PDFium engine (:mod:`~lit.extract.readers.pdf_pdfium`) builds the same records
from PDFium's characters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from pdfminer.layout import LTChar, LTFigure, LTImage, LTPage, LTTextBoxHorizontal, LTTextLineHorizontal

#: Presentation forms that fonts map single glyphs to; the text should hold the letters.
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00a0": " "}
)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|[-,.]b$|\+b$|medi", re.I)
#: Running-header text compares equal across pages once digits (page numbers) are masked.
_DIGITS = re.compile(r"\d+")
_CID = re.compile(r"\(cid:\d+\)")
#: "Table 3", "Figure 2": captions set at the top of several pages look like a running header
#: once digits are masked, and must stay.
_CAPTION_START = re.compile(r"^(?i:fig(?:ure)?s?\.?|table|scheme|chart)\s*(?:S?\d+|[IVX]+)\b")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[\divxlc]{1,5}(?:\s*(?:of|/)\s*\d{1,5})?$", re.I)
#: Share of the page height at the top and the bottom where headers and footers live.
_MARGIN_ZONE = 0.15


@lru_cache(maxsize=512)
def _is_bold_font(fontname: str) -> bool:
    return bool(_BOLD_FONT.search(fontname))


@dataclass(slots=True)
class Line:
    """One text line as the reader needs it: text, bounding box, dominant font size, boldness."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    page: int
    font: str = ""  # the font of the line's middle character, subset prefix removed
    full: bool = False  # reaches the right edge of its column (set by mark_full_lines)
    #: Wide gaps inside the line, where table cells may meet: (offset in ``text``, x where
    #: the text before ends, x where the text after starts). PDFium engine only.
    cuts: tuple[tuple[int, float, float], ...] = ()

    @property
    def center_y(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class Box:
    """A group of lines pdfminer found close together; lines run top to bottom."""

    lines: list[Line]
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0

    def fit(self) -> None:
        """Recompute the bounding box after lines were removed or merged."""
        self.x0 = min(ln.x0 for ln in self.lines)
        self.y0 = min(ln.y0 for ln in self.lines)
        self.x1 = max(ln.x1 for ln in self.lines)
        self.y1 = max(ln.y1 for ln in self.lines)


@dataclass(slots=True)
class PageLayout:
    """The text of one page as boxes, plus what is needed to explain an empty page."""

    number: int
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    images: int = 0
    #: How the coordinates above map back to PDF user space: pdfminer moves the media box
    #: to the origin and turns a page set with ``/Rotate``; PDFium leaves user space as is.
    rotate: int = 0
    mediabox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def user_box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A box of this page's records in PDF user space (where PDF tools look it up)."""
        mx0, my0, mx1, my1 = self.mediabox
        if self.rotate == 90:
            xs, ys = (mx1 - y1, mx1 - y0), (x0 + my0, x1 + my0)
        elif self.rotate == 180:
            xs, ys = (mx1 - x1, mx1 - x0), (my1 - y1, my1 - y0)
        elif self.rotate == 270:
            xs, ys = (y0 + mx0, y1 + mx0), (my1 - x1, my1 - x0)
        else:
            xs, ys = (x0 + mx0, x1 + mx0), (y0 + my0, y1 + my0)
        return xs[0], ys[0], xs[1], ys[1]


def page_layout(page: LTPage, number: int) -> PageLayout:
    """Copy the text lines of an analysed pdfminer page into plain records (one pass)."""
    x0, y0, x1, y1 = page.bbox
    out = PageLayout(number=number, width=x1 - x0, height=y1 - y0)
    for obj in page:
        if isinstance(obj, LTTextBoxHorizontal):
            lines = [ln for tl in obj if isinstance(tl, LTTextLineHorizontal) and (ln := _line(tl, number)) is not None]
            if lines:
                box = Box(merge_rows(lines))
                box.fit()
                out.boxes.append(box)
        elif isinstance(obj, (LTImage, LTFigure)):
            out.images += 1
    return out


def _line(tl: LTTextLineHorizontal, page: int) -> Line | None:
    """A Line from a pdfminer text line, or None for rotated or empty lines (margin stamps)."""
    sizes: list[float] = []
    fonts: list[str] = []
    parts: list[str] = []
    bold = upright = 0
    # One loop gathers text and type together (pdfminer's get_text would walk the line again).
    for ch in tl:
        parts.append(ch.get_text())
        if isinstance(ch, LTChar):
            sizes.append(ch.size)
            fonts.append(ch.fontname)
            upright += ch.upright
            bold += _is_bold_font(ch.fontname)
    if not sizes or upright * 2 < len(sizes):
        return None
    text = "".join(parts).translate(_LIGATURES)
    if "(cid:" in text:  # glyphs the font maps to no character: noise, not text
        text = _CID.sub("", text)
    text = " ".join(text.split())
    if not text:
        return None
    sizes.sort()
    font = fonts[len(fonts) // 2].split("+", 1)[-1]
    return Line(text, tl.x0, tl.y0, tl.x1, tl.y1, round(sizes[len(sizes) // 2], 1), bold * 2 > len(sizes), page, font)


def merge_rows(lines: list[Line]) -> list[Line]:
    """Sort a box's lines top to bottom and join pieces of one visual row.

    pdfminer splits a justified line at a wide word gap into two lines that it may list in
    either order; joining pieces whose vertical extents mostly overlap restores the row.
    """
    lines.sort(key=lambda ln: (-ln.center_y, ln.x0))
    rows: list[list[Line]] = []
    for ln in lines:
        if rows:
            last = rows[-1][-1]
            overlap = min(last.y1, ln.y1) - max(last.y0, ln.y0)
            if overlap > 0.5 * min(last.y1 - last.y0, ln.y1 - ln.y0):
                rows[-1].append(ln)
                continue
        rows.append([ln])
    merged: list[Line] = []
    for row in rows:
        if len(row) == 1:
            merged.append(row[0])
            continue
        row.sort(key=lambda ln: ln.x0)
        cuts: list[tuple[int, float, float]] = []
        at = 0
        for k, ln in enumerate(row):
            if k:
                cuts.append((at - 1, row[k - 1].x1, ln.x0))  # the pieces met at a wide gap
            cuts.extend((at + c, before, after) for c, before, after in ln.cuts)
            at += len(ln.text) + 1
        merged.append(
            Line(
                " ".join(ln.text for ln in row),
                row[0].x0,
                min(ln.y0 for ln in row),
                max(ln.x1 for ln in row),
                max(ln.y1 for ln in row),
                max(row, key=lambda ln: len(ln.text)).size,
                all(ln.bold for ln in row),
                row[0].page,
                max(row, key=lambda ln: len(ln.text)).font,
                cuts=tuple(cuts),
            )
        )
    return merged


# -- running headers, footers and page numbers --------------------------------------------------


def _in_margin(line: Line, page: PageLayout) -> str | None:
    if line.y0 >= page.height * (1 - _MARGIN_ZONE):
        return "top"
    if line.y1 <= page.height * _MARGIN_ZONE:
        return "bottom"
    return None


def remove_running_text(pages: list[PageLayout]) -> int:
    """Drop running headers/footers and page numbers in place; return how many lines went.

    A header is text in the top or bottom margin that recurs, digits masked, on at least
    two pages at about the same height ("Rehabilitation Research and Practice 3"). A page
    number is a bare number (or "Page 3 of 9") alone in its box in a margin zone with no
    text further out than it.
    """
    seen: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for page in pages:
        for box in page.boxes:
            for line in box.lines:
                zone = _in_margin(line, page)
                if zone and not _CAPTION_START.match(line.text):
                    seen[(zone, _DIGITS.sub("#", line.text.lower()))].append((page.number, line.center_y))
    running: set[tuple[str, str]] = set()
    for key, hits in seen.items():
        pages_hit = {p for p, _ in hits}
        if len(pages_hit) >= 2:
            ys = sorted(y for _, y in hits)
            if any(b - a <= 8 for a, b in zip(ys, ys[1:])):
                running.add(key)
    removed = 0
    for page in pages:
        page_lines = [ln for box in page.boxes for ln in box.lines]
        if not page_lines:
            continue
        top = max(ln.y0 for ln in page_lines)
        bottom = min(ln.y1 for ln in page_lines)
        kept: list[Box] = []
        for box in page.boxes:
            lines = []
            for line in box.lines:
                zone = _in_margin(line, page)
                if zone and (
                    (zone, _DIGITS.sub("#", line.text.lower())) in running
                    or (
                        len(box.lines) == 1
                        and _PAGE_NUMBER.match(line.text)
                        and (line.y1 >= top if zone == "top" else line.y0 <= bottom)
                    )
                ):
                    removed += 1
                    continue
                lines.append(line)
            if lines:
                if len(lines) != len(box.lines):
                    box.lines = lines
                    box.fit()
                kept.append(box)
        page.boxes = kept
    return removed


def mark_full_lines(page: PageLayout) -> None:
    """Flag lines that run to the right edge of their column.

    A full line says "the text goes on": a heading almost never fills its column, and a
    paragraph whose last line is full continues in the next box (double-spaced manuscripts
    put every line in its own box). The column edge is the furthest right any line starting
    at the same left margin (within 6 pt) reaches on the page.
    """
    lines = [ln for box in page.boxes for ln in box.lines]
    edges: dict[int, float] = {}
    for ln in lines:
        key = int(ln.x0 // 6)
        edges[key] = max(edges.get(key, 0.0), ln.x1)
    for ln in lines:
        key = int(ln.x0 // 6)
        edge = max(edges.get(key - 1, 0.0), edges[key], edges.get(key + 1, 0.0))
        ln.full = ln.x1 >= edge - 1.5 * max(ln.size, 1.0)


# -- reading order ------------------------------------------------------------------------------


def find_gutter(boxes: list[Box]) -> tuple[float, float] | None:
    """The x-interval between two text columns, or None for a one-column page.

    Counts, for every x in the middle half of the text area, how many lines cross it; the
    gutter is the least-crossed run there, accepted only if enough lines lie wholly on each
    side and few lines cross it (those are the spanning title, abstract, wide captions).
    """
    lines = [ln for b in boxes for ln in b.lines]
    if len(lines) < 8:
        return None
    left, right = int(min(ln.x0 for ln in lines)), int(max(ln.x1 for ln in lines)) + 1
    width = right - left
    if width < 100:
        return None
    diff = [0] * (width + 2)
    for ln in lines:
        diff[int(ln.x0) - left] += 1
        diff[int(ln.x1) - left + 1] -= 1
    cover, run = [], 0
    for d in diff[: width + 1]:
        run += d
        cover.append(run)
    lo, hi = width // 4, 3 * width // 4
    best = min(cover[lo:hi])
    if best > 0.35 * len(lines):
        return None
    # The least-crossed run nearest the middle.
    mid = width // 2
    candidates = [x for x in range(lo, hi) if cover[x] == best]
    x = min(candidates, key=lambda c: abs(c - mid))
    a = b = x
    while a > lo and cover[a - 1] == best:
        a -= 1
    while b < hi - 1 and cover[b + 1] == best:
        b += 1
    g0, g1 = a + left, b + left + 1
    n_left = sum(1 for ln in lines if ln.x1 <= g0 + 1)
    n_right = sum(1 for ln in lines if ln.x0 >= g1 - 1)
    if min(n_left, n_right) < max(3, 0.15 * len(lines)):
        return None
    return g0, g1


def reading_order(boxes: list[Box]) -> list[Box]:
    """Order a page's boxes as a reader would: bands top to bottom, columns left to right."""
    gutter = find_gutter(boxes)
    if gutter is None:
        return sorted(boxes, key=lambda b: (-b.y1, b.x0))
    g0, g1 = gutter
    spanning = sorted((b for b in boxes if b.x0 < g0 - 1 and b.x1 > g1 + 1), key=lambda b: -b.y1)
    regions: list[tuple[list[Box], list[Box]]] = [([], []) for _ in range(len(spanning) + 1)]
    for box in boxes:
        if box.x0 < g0 - 1 and box.x1 > g1 + 1:
            continue
        center = (box.y0 + box.y1) / 2
        region = sum(1 for s in spanning if (s.y0 + s.y1) / 2 > center)
        side = 0 if (box.x0 + box.x1) / 2 < (g0 + g1) / 2 else 1
        regions[region][side].append(box)
    ordered: list[Box] = []
    for i, (left_col, right_col) in enumerate(regions):
        ordered.extend(sorted(left_col, key=lambda b: -b.y1))
        ordered.extend(sorted(right_col, key=lambda b: -b.y1))
        if i < len(spanning):
            ordered.append(spanning[i])
    return ordered
