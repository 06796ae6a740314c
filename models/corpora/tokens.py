"""Tokens with character offsets for corpora that ship raw text, aligned to their entities.

BRAT, PubTator and TEI corpora give text and character offsets but no tokens. They are
tokenised with the pipeline's own tokenizer (:func:`lit.extract.tokens.tokenize`, the one
``lit.extract.segment`` uses), so a model trains on the same token shapes it later sees at
inference. Tokens are then cut at every entity boundary, so each entity is a whole number
of tokens and BIO tags can be derived without guessing; :func:`boundary_cuts` counts how
often that happens (each cut is a place where the annotation and the tokenizer disagree).

PolyIE and MatScholar come pre-tokenised and keep their own tokens.
"""

from __future__ import annotations

from typing import Iterable

from lit.extract.tokens import tokenize


def pipeline_tokens(text: str) -> list[tuple[int, int]]:
    """Character offsets of the pipeline tokenizer's tokens of ``text``."""
    return [(t.start, t.end) for t in tokenize(text)]


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


def _bounds(spans: Iterable[tuple[int, int]]) -> list[int]:
    bounds: list[int] = []
    for start, end in spans:
        bounds.extend((start, end))
    return bounds


def tokenize_with_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Tokens of ``text`` aligned so that every span starts and ends on a token boundary."""
    return split_at(pipeline_tokens(text), _bounds(spans))


def boundary_cuts(text: str, spans: Iterable[tuple[int, int]]) -> int:
    """How many extra tokens the alignment to ``spans`` created in ``text``."""
    base = pipeline_tokens(text)
    return len(split_at(base, _bounds(spans))) - len(base)
