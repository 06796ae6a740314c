"""A small tokeniser with character offsets for corpora that ship raw text.

BRAT, PubTator and TEI corpora give text and character offsets but no tokens. Runs of word
characters are one token, a decimal point or comma followed by a digit continues it (so
``5.6``, ``1,000`` and ``Ba0.95La0.05FeO3`` stay whole), and every other non-space
character is a token of its own. Tokens are then split at every entity boundary, so each
entity is a whole number of tokens and BIO tags can be derived without guessing.

``lit.extract.segment`` did not exist when these converters were written; if the pipeline
gains a tokenizer, switch here deliberately (it changes token counts in the manifests).
"""

from __future__ import annotations

import re
from typing import Iterable

_TOKEN = re.compile(r"\w+(?:[.,]\d\w*)*|[^\w\s]", re.UNICODE)


def simple_tokenize(text: str) -> list[tuple[int, int]]:
    """Character offsets of the tokens of ``text`` (word runs, decimals, single symbols)."""
    return [m.span() for m in _TOKEN.finditer(text)]


def split_at(tokens: list[tuple[int, int]], boundaries: Iterable[int]) -> list[tuple[int, int]]:
    """``tokens`` with every token that straddles one of ``boundaries`` cut there."""
    cuts = sorted(set(boundaries))
    out: list[tuple[int, int]] = []
    i = 0
    for start, end in tokens:
        while i < len(cuts) and cuts[i] <= start:
            i += 1
        j = i
        pos = start
        while j < len(cuts) and cuts[j] < end:
            out.append((pos, cuts[j]))
            pos = cuts[j]
            j += 1
        out.append((pos, end))
    return out


def tokenize_with_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Tokens of ``text`` aligned so that every span starts and ends on a token boundary."""
    bounds: list[int] = []
    for start, end in spans:
        bounds.extend((start, end))
    return split_at(simple_tokenize(text), bounds)
