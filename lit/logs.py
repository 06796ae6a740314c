"""Third-party libraries' log records go to lit's log at DEBUG level, never onto the terminal.

pdfminer logs warnings about the files it reads ("Cannot set non-stroke color ...") and,
with no handler configured, Python prints them on stderr, where they bury the one line a
failed file gets. They say nothing a user can act on; they stay available to whoever turns
on DEBUG logging for ``lit.libraries``.
"""

from __future__ import annotations

import logging


class _Demote(logging.Handler):
    """Passes a library's records on to ``lit.libraries.<name>`` at DEBUG level."""

    def emit(self, record: logging.LogRecord) -> None:
        target = logging.getLogger(f"lit.libraries.{record.name}")
        if target.isEnabledFor(logging.DEBUG):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            target.handle(record)


def demote(*names: str) -> None:
    """Send the records of the loggers ``names`` to lit's log at DEBUG level (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(h, _Demote) for h in logger.handlers):
            logger.addHandler(_Demote())
        logger.propagate = False
