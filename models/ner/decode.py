"""Tag probabilities per word to well-formed entity spans with character offsets.

Decoding is word-level: a word's tag is the argmax at its first subword. The BIO sequence
is then repaired the way annotation tools' output is usually read: an ``I-X`` that does
not continue an ``X`` entity starts one (it is never dropped), and an ``I-X`` after a
``B-Y``/``I-Y`` closes the ``Y`` entity and starts an ``X``. A span's score is the mean,
over its words, of the winning tag's probability, so one unsure word lowers the score of
the whole mention.
"""

from __future__ import annotations

from typing import Sequence

from lit.extract.facts import Mention
from lit.models.corpora.bio import bio_spans


def decode_words(
    text: str,
    words: Sequence[tuple[int, int]],
    probs: Sequence[Sequence[float] | None],
    id2label: dict[int, str],
) -> list[Mention]:
    """Mentions from per-word tag probabilities (``None`` for a word without subwords: O).

    ``words`` are character spans into ``text``; each mention runs from its first word's
    start to its last word's end and carries ``text[start:end]``.
    """
    tags: list[str] = []
    best: list[float] = []
    for row in probs:
        if row is None:
            tags.append("O")
            best.append(1.0)
            continue
        k = max(range(len(row)), key=row.__getitem__)
        tags.append(id2label[k])
        best.append(float(row[k]))
    mentions = []
    for first, last, label in bio_spans(tags):
        start, end = words[first][0], words[last - 1][1]
        score = sum(best[first:last]) / (last - first)
        mentions.append(Mention(start=start, end=end, label=label, text=text[start:end], score=round(score, 6)))
    return mentions
