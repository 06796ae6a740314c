"""Candidate pairs: which (head, value) mention pairs the relation model scores.

Every link points at a VALUE; its head is a COMPOUND (``compound_of``), a PROPERTY
(``property_of``) or a CONDITION (``condition_of``). Scoring every head against every
value of a paragraph is quadratic and mostly noise, so a pair is a candidate only when
the head lies within ``max_sent_distance`` sentences and ``max_word_distance`` words of
the value. Each candidate carries small integer features the scorer embeds, the same cues
the rule-based linker (:mod:`lit.extract.link`) relies on, so the model can learn when
they hold and when they do not:

- word distance, bucketed, on each side (head before or after the value, how far);
- sentence distance (-2..2, clipped);
- rank of the head among same-label heads on the same side of the value (0 = nearest);
- how many other values lie between head and value ("A and B ... 1.48 and 1.73 eV").

This module is pure Python (no torch), so it is cheap to test and to reuse.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Sequence

from lit.models.re.config import LINK_TYPES

#: |word distance| bucket upper bounds; bucket k holds distances in [BOUNDS[k-1], BOUNDS[k]).
DIST_BOUNDS: tuple[int, ...] = (1, 2, 3, 4, 6, 9, 14, 22, 35, 60)
N_DIST = 2 * (len(DIST_BOUNDS) + 1)
N_SENT = 5
N_RANK = 4
N_BETWEEN = 4
HEAD_TYPE: dict[str, int] = {"COMPOUND": 0, "PROPERTY": 1, "CONDITION": 2}

MentionSpan = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored pair: ``head`` and ``tail`` index the mention list; features are bucket ids."""

    head: int
    tail: int
    type: int  # index into LINK_TYPES
    distance: int
    sentence: int
    rank: int
    between: int

    @property
    def link_type(self) -> str:
        return LINK_TYPES[self.type]


def distance_bucket(d: int, before: bool) -> int:
    """Bucket id of a word distance: heads before the value, then heads after it."""
    b = bisect_right(DIST_BOUNDS, abs(d))
    return b if before else len(DIST_BOUNDS) + 1 + b


def _locate(positions: Sequence[int], starts: Sequence[int]) -> list[int]:
    """Index of the last element of ``starts`` at or before each position (0 when before all)."""
    return [max(0, bisect_right(starts, p) - 1) for p in positions]


def make_candidates(
    mentions: Sequence[MentionSpan],
    sentences: Sequence[tuple[int, int]],
    words: Sequence[tuple[int, int]],
    max_sent_distance: int = 1,
    max_word_distance: int = 60,
) -> list[Candidate]:
    """All candidate pairs of one paragraph, ordered by value then head position.

    ``mentions`` are ``(start, end, label)`` character spans, ``sentences`` and ``words``
    sorted ``(start, end)`` spans of the same text. A mention belongs to the sentence and
    the word in which it starts.
    """
    sent_starts = [s for s, _ in sentences] or [0]
    word_starts = [s for s, _ in words] or [0]
    sent_of = _locate([m[0] for m in mentions], sent_starts)
    word_of = _locate([m[0] for m in mentions], word_starts)
    word_end = _locate([max(m[0], m[1] - 1) for m in mentions], word_starts)
    values = sorted((i for i, m in enumerate(mentions) if m[2] == "VALUE"), key=lambda i: mentions[i][0])
    value_starts = [mentions[i][0] for i in values]
    out: list[Candidate] = []
    for v in values:
        near: list[tuple[int, int, bool]] = []  # (head index, word distance, head before value)
        for h, m in enumerate(mentions):
            if m[2] not in HEAD_TYPE or h == v:
                continue
            if abs(sent_of[h] - sent_of[v]) > max_sent_distance:
                continue
            before = m[0] < mentions[v][0]
            d = max(0, word_of[v] - word_end[h]) if before else max(0, word_of[h] - word_end[v])
            if d > max_word_distance:
                continue
            near.append((h, d, before))
        for h, d, before in sorted(near, key=lambda x: mentions[x[0]][0]):
            label = mentions[h][2]
            same_side = [e for g, e, b in near if mentions[g][2] == label and b == before]
            rank = sum(1 for e in same_side if e < d)
            lo, hi = sorted((mentions[h][0], mentions[v][0]))
            between = bisect_left(value_starts, hi) - bisect_right(value_starts, lo)  # strictly inside
            out.append(
                Candidate(
                    head=h,
                    tail=v,
                    type=HEAD_TYPE[label],
                    distance=distance_bucket(d, before),
                    sentence=max(-2, min(2, sent_of[h] - sent_of[v])) + 2,
                    rank=min(rank, N_RANK - 1),
                    between=min(max(between, 0), N_BETWEEN - 1),
                )
            )
    return out
