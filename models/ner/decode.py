"""Tag probabilities per word to well-formed entity spans with character offsets.

Decoding is word-level (a word has its first subword's tag probabilities) and picks the
most probable *well-formed* BIO sequence (Viterbi): an ``I-X`` may only follow a ``B-X``
or an ``I-X``. Taking each word's argmax and repairing the sequence afterwards (an orphan
``I-X`` starts an entity) splits entities wherever one inner word leans to another label;
the constrained path weighs the whole span instead. Chosen on the validation splits
(ner-v2, each corpus with its own head): PolyIE micro-F1 0.757 -> 0.770, MatScholar
0.780 -> 0.796, grobid-quantities 0.711 -> 0.729, MSPT 0.840 -> 0.841.

``labels`` restricts decoding to the labels a corpus annotates: the probability of every
other label's tags is added to ``O``. The trainer's partial-annotation loss lets a
corpus's head put the mass of an unannotated word on any label that corpus never marks
(MSPT's head calls most plain words ``I-CONDITION``), so for that head those tags *mean*
"outside"; decoding them as entities and dropping them afterwards would cut the real
entities next to them. (Without this fold, the constrained path lost 6 points on MSPT.)

A span's score is the mean, over its words, of the chosen tag's probability, so one unsure
word lowers the score of the whole mention.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

from lit.extract.facts import Mention
from lit.models.corpora.bio import bio_spans

#: log(0) stand-in: a tag the model gives no probability at all stays reachable, just last.
_FLOOR = -1e4


def decode_words(
    text: str,
    words: Sequence[tuple[int, int]],
    probs: Sequence[Sequence[float] | None],
    id2label: dict[int, str],
    labels: Iterable[str] | None = None,
) -> list[Mention]:
    """Mentions from per-word tag probabilities (``None`` for a word without subwords: O).

    ``words`` are character spans into ``text``; each mention runs from its first word's
    start to its last word's end and carries ``text[start:end]``. ``labels`` (default: all
    the model has) are the entity labels that may be produced.
    """
    tags, best = best_tags(probs, id2label, labels)
    mentions = []
    for first, last, label in bio_spans(tags):
        start, end = words[first][0], words[last - 1][1]
        score = sum(best[first:last]) / (last - first)
        mentions.append(Mention(start=start, end=end, label=label, text=text[start:end], score=round(score, 6)))
    return mentions


def best_tags(
    probs: Sequence[Sequence[float] | None], id2label: dict[int, str], labels: Iterable[str] | None = None
) -> tuple[list[str], list[float]]:
    """The most probable well-formed tag sequence and each word's probability of its tag.

    The BIO constraint makes the search cheap: ``O`` and every ``B-X`` may follow anything,
    so their best predecessor is the overall best; ``I-X`` may follow only ``B-X`` or ``I-X``.
    A word without probabilities is ``O`` with certainty (it breaks any entity).
    """
    tags = [id2label[i] for i in range(len(id2label))]
    keep = None if labels is None else set(labels)
    folded = [i for i, t in enumerate(tags) if t != "O" and keep is not None and t[2:] not in keep]
    outside = tags.index("O")
    inside = {i: tags.index("B-" + t[2:]) for i, t in enumerate(tags) if t.startswith("I-") and i not in folded}
    live = [i for i in range(len(tags)) if i not in folded]

    rows: Sequence[Sequence[float] | None] = probs
    if folded:
        rows = [None if row is None else _fold(row, folded, outside) for row in probs]

    score = {i: (0.0 if i == outside else _FLOOR) for i in live}  # a text starts outside
    back: list[dict[int, int]] = []
    for p in rows:
        if p is None:
            prev = max(score, key=score.__getitem__)
            back.append({i: prev for i in live})
            score = {i: (0.0 if i == outside else _FLOOR) + score[prev] for i in live}
            continue
        top = max(score, key=score.__getitem__)
        step: dict[int, int] = {}
        new: dict[int, float] = {}
        for i in live:
            prev = top
            if i in inside:
                b = inside[i]
                prev = i if score[i] >= score[b] else b
            step[i] = prev
            new[i] = score[prev] + (math.log(p[i]) if p[i] > 0 else _FLOOR)
        back.append(step)
        score = new
    path: list[int] = []
    if rows:
        last = max(score, key=score.__getitem__)
        for step in reversed(back):
            path.append(last)
            last = step[last]
        path.reverse()
    out_tags = [tags[i] for i in path]
    best = [1.0 if p is None else float(p[i]) for p, i in zip(rows, path)]
    return out_tags, best


def _fold(row: Sequence[float], folded: Sequence[int], outside: int) -> list[float]:
    """``row`` with the probability of the ``folded`` tags added to ``outside``'s."""
    p = list(row)
    for i in folded:
        p[outside] += p[i]
    return p
