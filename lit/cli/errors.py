"""How the CLI reports a LitError: ``Error: ...`` on stderr and exit code 1 (usage errors: 2)."""

from __future__ import annotations

import contextlib
from typing import Iterator

import typer

from lit.errors import LitError

EXIT_ERROR = 1
#: ``lit extract``/``lit ingest``: the run finished but some documents failed.
EXIT_PARTIAL = 3


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    try:
        yield
    except LitError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
