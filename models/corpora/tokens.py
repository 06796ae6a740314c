"""A small tokeniser with character offsets for corpora that ship raw text.

BRAT, PubTator and TEI corpora give text and character offsets but no tokens. Runs of word
characters are one token (so "5.6" or "TiO2" stay whole when written without spaces) and
every other non-space character is a token of its own. If ``lit.extract.segment`` offers
``tokenize(text) -> [(start, end)]``, that one is used instead so training sees the same
tokens as the pipeline.
"""

from __future__ import annotations

import re
from typing import Callable

_TOKEN = re.compile(r"\w+(?:[.,]\d+)*|[^\w\s]", re.UNICODE)


def simple_tokenize(text: str) -> list[tuple[int, int]]:
    """Character offsets of the tokens of ``text`` (word runs, decimals, single symbols)."""
    return [m.span() for m in _TOKEN.finditer(text)]


def _pipeline_tokenizer() -> Callable[[str], list[tuple[int, int]]] | None:
    try:
        from lit.extract.segment import tokenize  # type: ignore[attr-defined]
    except ImportError:
        return None
    return tokenize


def tokenize(text: str) -> list[tuple[int, int]]:
    """The pipeline's tokeniser when available, else :func:`simple_tokenize`."""
    fn = _pipeline_tokenizer()
    if fn is None:
        return simple_tokenize(text)
    return [(int(s), int(e)) for s, e in (_as_span(t) for t in fn(text))]


def _as_span(tok: object) -> tuple[int, int]:
    if isinstance(tok, tuple) and len(tok) == 2:
        return tok  # type: ignore[return-value]
    start = getattr(tok, "start")
    end = getattr(tok, "end")
    return start, end
