"""Builds the ``lit`` app from the command modules.

Each module in :data:`COMMANDS` exposes ``register(app)``. Command modules import heavy
libraries (torch, transformers) inside their functions, so ``lit --help`` stays fast.
"""

from __future__ import annotations

import importlib

import typer

from lit import __version__

COMMANDS = ("parse", "extract", "ingest", "train", "evaluate", "query", "export", "show", "report")

app = typer.Typer(
    name="lit",
    help="Literature knowledge extraction for chemistry and materials science.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Papers in (PDF, HTML, XML, text); compound-property facts with provenance out."""


for _name in COMMANDS:
    importlib.import_module(f"lit.cli.{_name}").register(app)
