"""How the CLI reports errors: one ``Error: ...`` line on stderr, never a traceback.

A :class:`~lit.errors.UsageError` (arguments that cannot work) exits with code 2, like the
usage errors typer reports itself; any other LitError, and an OSError that reaches the
command (a disk filling up, a pipe closed by its reader), with code 1.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator

import typer

from lit.errors import LitError, UsageError

EXIT_ERROR = 1
EXIT_USAGE = 2
#: ``lit extract``/``lit ingest``: the run finished but some documents failed.
EXIT_PARTIAL = 3


def os_error_line(exc: OSError, what: object = None) -> str:
    """``exc`` as one line naming the file: its own ``filename``, else ``what`` (the output
    being written when a write to an open file fails, which names no file)."""
    name = exc.filename if exc.filename is not None else what
    reason = exc.strerror or str(exc)
    return f"{name}: {reason}" if name is not None else reason


@contextlib.contextmanager
def cli_errors(writing: object = None) -> Iterator[None]:
    """Turn LitError and OSError into one ``Error:`` line and an exit code. ``writing``: the
    output the block writes, named when a write fails without a file name (e.g. ENOSPC)."""
    try:
        yield
    except UsageError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except LitError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader of stdout is gone (``| head``): send what Python still has to flush
            # at exit nowhere, or it would print its own error after ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        typer.echo(f"Error: {os_error_line(exc, writing)}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
