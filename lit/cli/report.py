"""``lit report --graph TARGET --html OUT``: a graph at a glance, as one page.

Opens the store read-only and reads it through the query path only
(:func:`lit.views.graph_report.summarize`), so it is safe on a production Neo4j.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from lit.cli.errors import cli_errors


def report(
    html: Path = typer.Option(..., "--html", help="Page to write (one self-contained HTML file)."),
    graph: Optional[str] = typer.Option(
        None, "--graph", "-g", help="Store: a folder (embedded, default ./lit-graph) or a bolt:// URI."
    ),
) -> None:
    """Write a page summing up a graph: facts per property and year, value and confidence
    histograms, the compounds with the most measurements, documents without facts, runs."""
    from lit.cli.paths import check_graph, check_out
    from lit.graph.store import display_target, open_store

    with cli_errors(writing=html):
        check_out(html, "--html", "report.html")
        if graph is not None:
            check_graph(graph, writing=False)
        from lit.views.graph_report import report_page, summarize
        from lit.views.html import write_page

        with open_store(graph, read_only=True) as store:
            summary = summarize(store, display_target(graph or "lit-graph"))
        text = report_page(summary)
        where = write_page(html, text)
    typer.echo(
        f"Wrote {where}: {summary.measurements} measurements, {len(summary.per_property)} properties, "
        f"{summary.documents} documents",
        err=True,
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
