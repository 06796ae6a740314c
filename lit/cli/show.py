"""``lit show FILE --html OUT``: one document as a page to review what lit found in it.

Reads and extracts the file as ``lit extract`` does (same models, same facts; one run of the
stages gives both the mentions and the facts) and writes
:func:`lit.views.document_page.state_page`; nothing goes to the graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from lit.cli.errors import cli_errors


def show(
    file: Path = typer.Argument(..., help="A PDF, HTML, XML or text file."),
    html: Path = typer.Option(..., "--html", help="Page to write (one self-contained HTML file)."),
    model: Optional[str] = typer.Option(None, "--model", help="NER model folder (default: the bundle in lit.models.bundle)."),
) -> None:
    """Write a page showing one document's text with lit's mentions highlighted and its facts,
    each linked to the sentence it came from, with a confidence filter."""
    from lit.cli.paths import check_input_file, check_out
    from lit.errors import UsageError

    with cli_errors(writing=html):
        check_input_file(file)
        check_out(html, "--html", "paper.html")
        if html.exists() and html.resolve() == file.resolve():
            raise UsageError(f"--html {html}: is the input file; name another file")
        from lit.extract.pipeline import Extractor
        from lit.extract.readers import read_document
        from lit.views.document_page import state_page
        from lit.views.html import write_page

        doc = read_document(file)
        (state,) = Extractor.load(model).analyse([doc])
        if state.exception is not None:
            raise state.exception
        where = write_page(html, state_page(state))
    facts, mentions = len(state.result.facts), sum(map(len, state.mentions))
    typer.echo(f"Wrote {where}: {facts} facts, {mentions} mentions", err=True)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
