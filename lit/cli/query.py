"""``lit query "CYPHER" [--graph T] [--param k=v ...] [--format table|json|csv]``,
or ``lit query --recipe NAME [--param k=v ...]`` for one of ``lit.graph.recipes``.

Read-only Cypher against either store (the graph is opened read-only and the query passes the
shared guard). Rows go to stdout, the row count to stderr, so output pipes cleanly into
``jq`` or a CSV reader.
"""

from __future__ import annotations

import csv
import io
import json
import re
from enum import Enum
from typing import Any, Optional, Sequence

import typer

from lit.cli.errors import cli_errors

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_param(text: str) -> tuple[str, Any]:
    """``k=v`` -> (k, value). The value is an int, float, bool, null or JSON (list, object,
    quoted string) when it looks like one, else the text itself: ``year=2015`` is 2015,
    ``doi=10.1021/x`` stays a string."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise typer.BadParameter(f"{text!r}: expected NAME=VALUE, e.g. --param property=band_gap")
    if _INT.fullmatch(raw):
        return name, int(raw)
    if _FLOAT.fullmatch(raw):
        return name, float(raw)
    if raw in ("true", "false"):
        return name, raw == "true"
    if raw == "null":
        return name, None
    if raw[:1] in ("[", "{", '"'):
        try:
            return name, json.loads(raw)
        except json.JSONDecodeError:
            pass
    return name, raw


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def render(rows: Sequence[dict[str, Any]], fmt: OutputFormat) -> str:
    """Rows as the text ``lit query`` prints (without a trailing newline for table/json)."""
    if fmt is OutputFormat.json:
        return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str)
    columns = list(rows[0]) if rows else []
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if columns:
            writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(row.get(c)) for c in columns])
        return buf.getvalue().rstrip("\n")
    if not rows:
        return ""
    cells = [[_text(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def query(
    cypher: Optional[str] = typer.Argument(None, help="A read-only Cypher query; use $name for parameters."),
    recipe: Optional[str] = typer.Option(
        None, "--recipe", "-r", help="Run a named recipe from graph/README.md instead (e.g. conflicting_values)."
    ),
    graph: Optional[str] = typer.Option(
        None, "--graph", "-g", help="Store: a folder (embedded, default ./lit-graph) or a bolt:// URI."
    ),
    param: list[str] = typer.Option(
        [], "--param", "-p", help="A query parameter NAME=VALUE (repeatable); numbers, true/false and JSON are typed."
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """Run a read-only Cypher query (or a named recipe) against the graph and print the rows."""
    from lit.cli.paths import check_graph
    from lit.graph.recipes import RECIPES
    from lit.graph.store import open_store

    if (cypher is None) == (recipe is None):
        raise typer.BadParameter("give either a Cypher query or --recipe NAME", param_hint="CYPHER")
    if recipe is not None and recipe not in RECIPES:
        raise typer.BadParameter(f"unknown recipe {recipe!r}; one of: {', '.join(RECIPES)}", param_hint="--recipe")
    text = RECIPES[recipe][0] if recipe is not None else str(cypher)

    params = dict(parse_param(p) for p in param)
    with cli_errors():
        if graph is not None:
            check_graph(graph, writing=False)
        with open_store(graph, read_only=True) as store:
            rows = store.query(text, params)
    out = render(rows, fmt)
    if out:
        typer.echo(out)
    typer.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


def register(app: typer.Typer) -> None:
    app.command("query")(query)
