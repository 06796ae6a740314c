"""Lay out table cells that span rows or columns into a rectangular grid of strings.

HTML (``colspan``/``rowspan``), JATS (the same attributes in XML) and CALS (Elsevier's
``namest``/``nameend``/``morerows``) all describe tables as rows of cells that may cover
several grid positions. The pipeline reads a table row by row, and a row is only useful on
its own if it carries the values that apply to it, so the layout rules are:

* a cell spanning rows repeats its text in every row it covers (a compound name spanning
  three measurement rows belongs to each of them);
* a cell spanning columns repeats its text in header rows (a header "Band gap (eV)" over
  "PBE | HSE" labels both columns) and fills the extra columns of a body row with empty
  strings (the value is stated once; column positions still line up with the header).

Every row of the result has the same number of cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Spans above this are treated as typos/attacks (e.g. ``colspan="100000"``) and clamped.
MAX_SPAN = 100
#: Columns a table may have: a CALS ``colnum="20000000"`` made rows of 20 million cells
#: (5 GB in under a minute). Cells starting at or past this column are left out, and spans
#: are cut at it.
MAX_COLUMNS = 256
#: Grid positions a table may fill: spans of 100 in a 50 KB HTML table filled ~10^8 positions
#: (3.4 GB). Once a table holds this many, further cells cover one position each.
MAX_GRID_CELLS = 200_000
_DIGITS = re.compile(r"\s*\+?(\d+)\s*", re.ASCII)


@dataclass(slots=True)
class CellSpec:
    """One source cell: its text, how many columns/rows it covers, and whether it is a header."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    #: Column to start at (0-based) when the format states it (CALS ``namest``); None = next free.
    column: int | None = None


def parse_count(value: str | None) -> int | None:
    """A non-negative whole number written in ASCII digits, else None.

    Not ``int()`` after ``str.isdigit()``: ``isdigit`` accepts ``"²"``, which ``int`` refuses,
    and ``int`` refuses numbers of more than 4,300 digits; both took whole documents down.
    A number of more than nine digits reads as 10**9 (callers clamp far below that); anything
    else (a minus sign, a fraction, other scripts' digits) is junk.
    """
    found = _DIGITS.fullmatch(value) if value else None
    if not found:
        return None
    digits = found.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else 10**9


def parse_span(value: str | None) -> int:
    """A span attribute as an int in ``[1, MAX_SPAN]``; junk or missing means 1."""
    span = parse_count(value)
    return 1 if span is None else max(1, min(span, MAX_SPAN))


def layout_grid(rows: list[list[CellSpec]], header_rows: int = 0) -> list[list[str]]:
    """Place ``rows`` of cells on a grid honouring spans; return rows of cell strings.

    ``header_rows`` says how many leading rows are the table head (``thead``); a row whose
    cells are all header cells counts as a header row as well.
    """
    grid: dict[tuple[int, int], str] = {}
    is_header_row: list[bool] = []
    width = 0
    for r, row in enumerate(rows):
        header_row = r < header_rows or (bool(row) and all(c.header for c in row) and r <= header_rows)
        while len(is_header_row) <= r:
            is_header_row.append(False)
        is_header_row[r] = is_header_row[r] or header_row
        col = 0
        for cell in row:
            if cell.column is not None and cell.column >= col:
                col = cell.column
            while (r, col) in grid:
                col += 1
            if col >= MAX_COLUMNS:
                break
            colspan, rowspan = min(cell.colspan, MAX_COLUMNS - col), cell.rowspan
            if len(grid) + colspan * rowspan > MAX_GRID_CELLS:
                colspan = rowspan = 1
            for dr in range(rowspan):
                # The rows a rowspan reaches into are header rows if this one is.
                while len(is_header_row) <= r + dr:
                    is_header_row.append(False)
                if header_row:
                    is_header_row[r + dr] = True
                for dc in range(colspan):
                    repeat = dc == 0 or header_row
                    grid[(r + dr, col + dc)] = cell.text if repeat else ""
            col += colspan
            width = max(width, col)
    height = max((r for r, _ in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
