"""The shell both pages share: escaping, one stylesheet, the HTML document around a body.

Kept in Python string templates rather than a template engine: two pages with a handful of
parts do not need one, and every value passes through :func:`esc`.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 72rem;
       padding: 1rem 1.5rem 3rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #555; font-size: .9rem; margin: 0; } .meta code { font-size: .85rem; }
table.rows { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
table.rows th, table.rows td { border-bottom: 1px solid #ddd; padding: .25rem .5rem; text-align: left;
       vertical-align: top; }
table.rows th { background: #f4f4f4; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.flags { color: #a33; font-size: .8rem; } .muted { color: #777; }
.filter { margin: .5rem 0; display: flex; gap: .75rem; align-items: center; font-size: .9rem; }
.legend mark { margin-right: .5rem; }
.block { margin: .6rem 0; } .block.title, .block.heading { font-weight: 600; font-size: 1.1rem; }
.block.caption { font-style: italic; }
.sentence { display: inline; } .sentence > .entities { display: inline; }
.sentence:target { background: #fff3b0; outline: 2px solid #e0b000; }
table.doc-table { border-collapse: collapse; margin: .6rem 0; font-size: .85rem; }
table.doc-table td { border: 1px solid #ccc; padding: .15rem .4rem; }
table.doc-table tr:target { background: #fff3b0; }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1rem; }
figure { margin: 0; } figure svg { width: 100%; height: auto; } figcaption { font-size: .85rem; color: #555; }
"""


def esc(value: Any) -> str:
    """``value`` as HTML text (None as empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def page(title: str, body: str, script: str = "") -> str:
    """A whole HTML document: inline style, ``body``, and ``script`` (inline) at the end."""
    tail = f"<script>{script}</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n{tail}</body>\n</html>\n"
    )


def number(value: Any, digits: int = 4) -> str:
    """A number for a table cell: up to ``digits`` significant figures, no float noise."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def write_page(out: Path, text: str) -> str:
    """Write the page to ``out`` (``-``: stdout), creating missing folders; returns where it went."""
    if str(out) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return "stdout"
    if not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return str(out)
