"""``lit export --graph T --out FILE.{csv,jsonl,parquet} [filters] [--per-compound]``.

Training sets out of the graph: one row per current measurement, or per compound, property
and unit with ``--per-compound``. A thin wrapper over :func:`lit.graph.export.export`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from lit.cli.errors import cli_errors
from lit.errors import UsageError


def export(
    out: Path = typer.Option(..., "--out", "-o", help="Output file; the suffix picks the format: .csv, .jsonl or .parquet."),
    graph: Optional[str] = typer.Option(
        None, "--graph", "-g", help="Store: a folder (embedded, default ./lit-graph) or a bolt:// URI."
    ),
    prop: list[str] = typer.Option([], "--property", help="Only this property (canonical name, e.g. band_gap); repeatable."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only measurements in this unit (e.g. eV)."),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0.0, max=1.0, help="Only measurements at least this confident."),
    year_from: Optional[int] = typer.Option(None, "--year-from", help="Only papers published in or after this year."),
    year_to: Optional[int] = typer.Option(None, "--year-to", help="Only papers published in or before this year."),
    per_compound: bool = typer.Option(False, "--per-compound", help="One row per compound, property and unit: median, min, max, count, sources."),
    include_superseded: bool = typer.Option(False, "--include-superseded", help="Also export measurements superseded by a newer model."),
) -> None:
    """Export measurements from the graph as a training set (CSV, JSON Lines or Parquet)."""
    from lit.cli.paths import check_graph, check_out
    from lit.graph.export import FORMATS, ExportFilter
    from lit.graph.export import export as run_export
    from lit.graph.store import open_store

    flt = ExportFilter(
        properties=tuple(prop),
        unit=unit,
        min_confidence=min_confidence,
        year_from=year_from,
        year_to=year_to,
        include_superseded=include_superseded,
    )
    with cli_errors(writing=out):
        if out.suffix.lower() not in FORMATS:
            raise UsageError(f"--out {out}: the suffix must be one of {', '.join(FORMATS)}")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise UsageError(f"--year-from {year_from} is after --year-to {year_to}")
        check_out(out)
        if graph is not None:
            check_graph(graph, writing=False)
        with open_store(graph, read_only=True) as store:
            n = run_export(store, out, flt, aggregate=per_compound)
    what = "compound summaries" if per_compound else "measurements"
    typer.echo(f"Wrote {n} {what} to {out}", err=True)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
