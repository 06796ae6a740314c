"""Raw text to words: the unit the NER model labels and whose boundaries spans snap to.

Training uses each corpus's own tokens; at inference there are none, so this splitter
approximates how the corpora tokenise: whitespace, then opening brackets/quotes peeled off
the front and closing punctuation off the back, and a few operators (``/ = ~ ≈ < > ±``)
made words of their own. It keeps formulae (``CH3NH3PbI3``, ``Ca(OH)2``), decimals
(``1.55``) and glued units (``4%``) whole, because an entity boundary never falls inside
them.
"""

from __future__ import annotations

import re

_CHUNK = re.compile(r"\S+")
_OPERATORS = re.compile(r"([/=~≈<>≤≥±×])")
_LEADING = "([{\"'“‘"
_TRAILING = ",;:)]}\"'”’.!?"


def _peel(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append the words of ``text[start:end]`` (no whitespace inside) to ``out``."""
    trail: list[tuple[int, int]] = []
    while end > start and text[end - 1] in _TRAILING and not _closes_inside(text, start, end):
        trail.append((end - 1, end))
        end -= 1
    lead: list[tuple[int, int]] = []
    while start < end and text[start] in _LEADING and not _balanced_inside(text, start, end):
        lead.append((start, start + 1))
        start += 1
    out.extend(lead)
    if end > start:
        out.append((start, end))
    out.extend(reversed(trail))


def _balanced_inside(text: str, start: int, end: int) -> bool:
    """True for ``(OH)2``-like chunks whose opening bracket closes before the chunk ends."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    closer = pairs.get(text[start])
    if closer is None:
        return False
    close = text.find(closer, start, end)
    return 0 <= close < end - 1


def _closes_inside(text: str, start: int, end: int) -> bool:
    """True when a trailing closing bracket matches an opening one inside the chunk (``Ca(OH)``)."""
    pairs = {")": "(", "]": "[", "}": "{"}
    opener = pairs.get(text[end - 1])
    if opener is None:
        return False
    return text.find(opener, start, end - 1) > start


def split_words(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the words of ``text``, in order, never overlapping."""
    words: list[tuple[int, int]] = []
    for m in _CHUNK.finditer(text):
        pos = m.start()
        for piece in _OPERATORS.split(m.group()):
            if piece:
                _peel(text, pos, pos + len(piece), words)
                pos += len(piece)
    return words
