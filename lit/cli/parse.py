"""``lit parse FILE [--json]``: show how lit reads one file (structure and sentences)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lit.cli.options import PdfEngine, pdf_engine_option

from lit.cli.errors import cli_errors


def parse(
    file: Path = typer.Argument(..., help="A PDF, HTML, XML or text file."),
    as_json: bool = typer.Option(False, "--json", help="Print the parsed document as one JSON object."),
    pdf_engine: PdfEngine = pdf_engine_option(),
) -> None:
    """Parse one file and print its metadata, sections, tables and sentences."""
    from lit.cli.paths import check_input_file
    from lit.extract.readers import read_document
    from lit.extract.segment import split_sentences

    with cli_errors():
        check_input_file(file)
        doc = read_document(file, pdf_engine.value if pdf_engine else None)
        sentences = split_sentences(doc)
    if as_json:
        typer.echo(json.dumps(doc.to_json(sentences), ensure_ascii=False, indent=2))
        return
    info = doc.info
    typer.echo(f"{file}  [{info.format}]  id {info.doc_id}")
    typer.echo(f"title:   {info.title or '-'}")
    typer.echo(f"doi:     {info.doi or '-'}")
    if info.authors:
        typer.echo(f"authors: {', '.join(info.authors[:6])}{' ...' if len(info.authors) > 6 else ''}")
    if info.journal or info.year:
        typer.echo(f"journal: {info.journal or '-'} ({info.year or '-'})")
    for note in info.notes:
        typer.echo(f"note:    {note}")
    n_par = sum(len(s.paragraphs) for s in doc.sections)
    typer.echo(
        f"{len(doc.sections)} sections, {n_par} paragraphs, {len(doc.captions)} captions, "
        f"{len(doc.tables)} tables, {len(sentences)} sentences, {len(doc.text)} characters"
    )
    for s in doc.sections:
        heading = doc.span(s.heading) if s.heading else "(untitled)"
        typer.echo(f"  - {heading} ({len(s.paragraphs)} paragraphs)")


def register(app: typer.Typer) -> None:
    app.command("parse")(parse)
