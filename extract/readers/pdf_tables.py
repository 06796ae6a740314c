"""Tables in PDFs rebuilt as cells from page geometry, for the table-to-facts path.

A PDF table is text set in columns: the engines cut a row at every wide gap, so each cell
arrives as its own line fragment. Starting from a "Table N" caption, the rows below it in
the caption's text column are gathered (fragments sharing a baseline form a row) until the
text turns back into prose (a lone line filling most of the column), another caption, or a
gap wider than a few rows. Columns are the x-ranges that the fragments of multi-cell rows
cover, found by merging overlapping ranges; each fragment goes to the column it overlaps
most. Rules drawn around cells are not needed: a ruled table's cells are separated by
white space too. A candidate needs two columns and two rows of at least two cells, so
captions of tables published as images, or prose under a caption, yield no table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lit.extract.readers.pdf_layout import Line, PageLayout, find_gutter

_TABLE_CAPTION = re.compile(r"^(?i:table)\s*(?:S?\d+|[IVX]+)[a-z]?\b")
_OTHER_CAPTION = re.compile(r"^(?i:fig(?:ure)?s?\.?|table|scheme)\s*(?:S?\d+|[IVX]+)\b")
#: Leading one-fragment rows under the caption read as more caption (wrapped title, notes).
_MAX_CAPTION_ROWS = 3


@dataclass(slots=True)
class PdfTable:
    """A table found on a page: its caption line, the caption's other lines, and the cells."""

    caption: Line
    caption_rest: list[Line] = field(default_factory=list)
    rows: list[list[list[Line]]] = field(default_factory=list)  # rows -> cells -> fragments
    #: The page's lines the table was cut from, except the caption line (which stays in the
    #: text flow): the reader takes them out of the prose.
    owned: list[Line] = field(default_factory=list)


def find_tables(page: PageLayout) -> list[PdfTable]:
    """The tables under "Table N" captions on ``page``."""
    lines = [ln for box in page.boxes for ln in box.lines]
    captions = [ln for ln in lines if _TABLE_CAPTION.match(ln.text)]
    if not captions:
        return []
    gutter = find_gutter(page.boxes)
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    found: list[PdfTable] = []
    taken: set[int] = set()
    for caption in captions:
        if id(caption) in taken:
            continue
        x0, x1 = left, right
        if gutter is not None:
            g0, g1 = gutter
            if caption.x1 <= g0 + 1:
                x1 = g0
            elif caption.x0 >= g1 - 1:
                x0 = g1
        table = _table_below(caption, [ln for ln in lines if id(ln) not in taken], x0 - 2, x1 + 2)
        if table is not None:
            found.append(table)
            taken.update(id(ln) for ln in table.owned)
            taken.add(id(caption))
    return found


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Group lines into rows: fragments sharing most of their height, left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: -ln.center_y):
        if rows:
            ref = rows[-1][0]
            overlap = min(ref.y1, ln.y1) - max(ref.y0, ln.y0)
            if overlap > 0.5 * min(ref.y1 - ref.y0, ln.y1 - ln.y0):
                rows[-1].append(ln)
                continue
        rows.append([ln])
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    return rows


def fragments(line: Line) -> list[Line]:
    """``line`` cut at its wide gaps (``Line.cuts``): the cells it may hold, with their x-ranges."""
    if not line.cuts:
        return [line]
    out = []
    start, left = 0, line.x0
    for at, before, after in list(line.cuts) + [(len(line.text), line.x1, line.x1)]:
        text = line.text[start:at].strip()
        if text:
            out.append(Line(text, left, line.y0, before, line.y1, line.size, line.bold, line.page, line.font))
        start, left = at, after
    return out or [line]


def _table_below(caption: Line, lines: list[Line], x0: float, x1: float) -> PdfTable | None:
    width = x1 - x0
    same_row = [ln for ln in lines if ln is not caption and ln.x0 > caption.x0 and _overlaps(ln, caption) and ln.x1 <= x1]
    below = [ln for ln in lines if ln.y1 <= caption.y0 + 1 and ln.x0 >= x0 and ln.x1 <= x1 and ln is not caption]
    pieces = [(piece, ln) for ln in below for piece in fragments(ln)]
    origin = {id(piece): ln for piece, ln in pieces}
    rows = _rows([piece for piece, _ in pieces])
    table = PdfTable(caption, caption_rest=sorted(same_row, key=lambda ln: ln.x0))
    body: list[list[Line]] = []
    pitch = max(caption.y1 - caption.y0, 1.0)
    last_y = caption.center_y
    for row in rows:
        gap = last_y - row[0].center_y
        if gap > 3.5 * pitch:
            break
        if _OTHER_CAPTION.match(row[0].text):
            break
        whole = {id(origin[id(piece)]): origin[id(piece)] for piece in row}
        prose = any(_prose(ln, sum(1 for piece in row if origin[id(piece)] is ln), width) for ln in whole.values())
        if prose and (len(row) > 1 or body):
            break
        if len(row) == 1 and not body:
            ln = row[0]
            if prose and ln.size < caption.size - 0.5:
                break
            if len(table.caption_rest) - len(same_row) >= _MAX_CAPTION_ROWS:
                return None
            table.caption_rest.append(origin[id(ln)])  # caption wrapped onto more lines, or a note
            last_y = ln.center_y
            continue
        body.append(row)
        last_y = row[0].center_y
    while body and len(body[-1]) == 1:  # a trailing note is not a row
        body.pop()
    if sum(1 for row in body if len(row) >= 2) < 2:
        return None
    columns = _columns([row for row in body if len(row) >= 2])
    if len(columns) < 2:
        return None
    for row in body:
        cells: list[list[Line]] = [[] for _ in columns]
        for ln in row:
            cells[_column_of(ln, columns)].append(ln)
        table.rows.append(cells)
    owned = {id(origin[id(ln)]): origin[id(ln)] for row in body for ln in row}
    table.owned = table.caption_rest + list(owned.values())
    return table


def _prose(line: Line, pieces: int, width: float) -> bool:
    """A wide line of many words, whole, widened at most of its spaces (justified), or cut
    into long runs of words rather than short cells: text, not a table row."""
    n = len(line.text.split())
    return line.x1 - line.x0 > 0.6 * width and n >= 6 and (pieces == 1 or len(line.cuts) >= 0.5 * (n - 1) or n >= 4 * pieces)


def _overlaps(a: Line, b: Line) -> bool:
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


def _columns(rows: list[list[Line]]) -> list[tuple[float, float]]:
    """Merged x-ranges of the fragments of multi-cell rows: one per column, left to right."""
    spans = sorted((ln.x0, ln.x1) for row in rows for ln in row)
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a < merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _column_of(line: Line, columns: list[tuple[float, float]]) -> int:
    best, best_overlap = 0, float("-inf")
    for j, (a, b) in enumerate(columns):
        overlap = min(b, line.x1) - max(a, line.x0)
        if overlap > best_overlap:
            best, best_overlap = j, overlap
    return best
