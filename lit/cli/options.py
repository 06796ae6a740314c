"""Options several commands share."""

from __future__ import annotations

import contextlib
import os
from enum import Enum
from typing import Iterator

import typer


class PdfEngine(str, Enum):
    """Engines the PDF reader can run on (see :mod:`lit.extract.readers.pdf`)."""

    pdfium = "pdfium"
    pdfminer = "pdfminer"


def pdf_engine_option() -> PdfEngine:
    return typer.Option(
        None, "--pdf-engine", case_sensitive=False,
        help="PDF engine: pdfium (default, fast) or pdfminer (the fallback, pure Python).",
    )


@contextlib.contextmanager
def use_pdf_engine(engine: PdfEngine | None) -> Iterator[None]:
    """Make ``engine`` the one every reader uses while the block runs, worker processes
    included (they inherit the environment), and restore the setting after it."""
    if engine is None:
        yield
        return
    before = os.environ.get("LIT_PDF_ENGINE")
    os.environ["LIT_PDF_ENGINE"] = engine.value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("LIT_PDF_ENGINE", None)
        else:
            os.environ["LIT_PDF_ENGINE"] = before
