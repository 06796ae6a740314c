"""Decoding BIO tag sequences into token spans, shared by the BIO-tagged corpora.

PolyIE and MatScholar ship BIO tags per token; both converters need the same decoding, and
the tests count entities from the raw tags with an independent rule, so the rule lives here
once and is stated exactly.
"""

from __future__ import annotations

from typing import Sequence


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token spans ``(start, end, label)`` (end exclusive) encoded by ``tags``.

    An entity starts at every ``B-X`` and at an ``I-X`` that does not continue an entity of
    type X (an "orphan" I-, which annotation tools produce when a B- was edited away); it
    continues through following ``I-X`` tags. Treating orphans as starts keeps every tagged
    token inside some entity instead of silently losing it.
    """
    spans: list[tuple[int, int, str]] = []
    start = -1
    label = ""
    for i, tag in enumerate(tags):
        kind, _, name = tag.partition("-")
        continues = kind == "I" and start >= 0 and name == label
        if continues:
            continue
        if start >= 0:
            spans.append((start, i, label))
            start, label = -1, ""
        if kind in ("B", "I") and name:
            start, label = i, name
    if start >= 0:
        spans.append((start, len(tags), label))
    return spans


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text made by joining ``tokens`` with single spaces, and each token's char offsets.

    The pre-tokenised corpora carry no original spacing, so a single space is the only
    reconstruction that keeps every token's offsets exact and reversible.
    """
    offsets: list[tuple[int, int]] = []
    pos = 0
    for tok in tokens:
        offsets.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return " ".join(tokens), offsets
