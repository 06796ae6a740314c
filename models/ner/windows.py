"""Texts to subword windows the encoder can take, and word labels aligned to subwords.

A text is first cut into words (the corpus's tokens when training or evaluating, the
:mod:`.words` splitter otherwise), then each word into subwords by the fast tokenizer with
``is_split_into_words``, so every non-empty word owns at least one subword and no subword
straddles two words. The model labels a word through its FIRST subword; the others are
ignored in the loss and at decoding.

Texts longer than a window are cut into overlapping windows (``max_len`` subwords with the
two special tokens, advancing by ``stride``). Each subword is predicted by the window in
which it sits most centrally, so every token sees context on both sides except at the
text's own ends, and no token goes unlabelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from lit.models.ner.features import is_formula, subword_features

IGNORE = -100


@dataclass(slots=True)
class Encoded:
    """One text as subwords, each tied to its word and its characters in the text."""

    text: str
    words: list[tuple[int, int]]
    input_ids: list[int]
    word_ids: list[int]
    features: list[tuple[int, int, int]]
    first_subword: list[int]  # per word: index of its first subword, -1 if it has none

    def __len__(self) -> int:
        return len(self.input_ids)


def encode_texts(
    tokenizer: Any, texts: Sequence[str], words: Sequence[Sequence[tuple[int, int]]]
) -> list[Encoded]:
    """Tokenise many texts (one batched call to the fast tokenizer) into :class:`Encoded`."""
    out: list[Encoded] = []
    nonempty = [i for i, w in enumerate(words) if w]
    result = {}
    if nonempty:
        batch = tokenizer(
            [[texts[i][s:e] for s, e in words[i]] for i in nonempty],
            is_split_into_words=True,
            add_special_tokens=False,
            return_offsets_mapping=True,
            return_attention_mask=False,
            return_token_type_ids=False,
        )
        for row, i in enumerate(nonempty):
            result[i] = (batch["input_ids"][row], batch.word_ids(row), batch["offset_mapping"][row])
    for i, text in enumerate(texts):
        spans = list(words[i])
        if i not in result:
            out.append(Encoded(text, spans, [], [], [], [-1] * len(spans)))
            continue
        ids, wids, offsets = result[i]
        formula = [is_formula(text[s:e]) for s, e in spans]
        first = [-1] * len(spans)
        feats: list[tuple[int, int, int]] = []
        for j, (w, (a, b)) in enumerate(zip(wids, offsets)):
            ws, we = spans[w]
            if first[w] < 0:
                first[w] = j
            feats.append(subword_features(text[ws + a : ws + b], text[ws:we], formula[w]))
        out.append(Encoded(text, spans, list(ids), list(wids), feats, first))
    return out


def window_spans(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Subword ranges ``[start, end)`` covering ``0..n`` with windows of ``size``, step ``stride``.

    The last window is pulled back to full size when the text allows, so it carries as
    much context as the others instead of a short tail.
    """
    if n <= 0:
        return []
    if n <= size:
        return [(0, n)]
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + size, n)
        spans.append((start, end))
        if end == n:
            break
        start += stride
    last_end = spans[-1][1]
    spans[-1] = (max(0, last_end - size), last_end)
    return spans


def best_window(n: int, spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each subword position, the index of the window in which it is most central.

    Centrality is the distance to the nearer window edge; ties go to the earlier window.
    """
    owner = [-1] * n
    score = [-1] * n
    for k, (s, e) in enumerate(spans):
        for p in range(s, e):
            c = min(p - s, e - 1 - p)
            if c > score[p]:
                score[p], owner[p] = c, k
    return owner


def word_tags(
    words: Sequence[tuple[int, int]], entities: Sequence[tuple[int, int, str]], tag2id: dict[str, int]
) -> list[int]:
    """BIO tag id per word from character-span entities: first overlapping word B-, rest I-.

    An entity whose label is not in the tag set is left as O (e.g. a corpus type the model
    does not learn). Words overlapping no entity are O.
    """
    tags = [tag2id["O"]] * len(words)
    for start, end, label in sorted(entities):
        if f"B-{label}" not in tag2id:
            continue
        inside = [i for i, (s, e) in enumerate(words) if s < end and e > start]
        for k, i in enumerate(inside):
            tags[i] = tag2id[("B-" if k == 0 else "I-") + label]
    return tags


@dataclass(slots=True)
class Window:
    """Model inputs for one window: ids with [CLS]/[SEP], features, per-subword labels."""

    input_ids: list[int]
    features: list[tuple[int, int, int]]
    labels: list[int]
    group: int = 0


def make_windows(
    enc: Encoded,
    size: int,
    stride: int,
    cls_id: int,
    sep_id: int,
    tags: Sequence[int] | None = None,
    group: int = 0,
) -> tuple[list[Window], list[tuple[int, int]]]:
    """Cut ``enc`` into windows of ``size`` subwords (specials excluded) and their ranges.

    With ``tags`` (one per word), the first subword of each word carries its word's tag
    and every other position is :data:`IGNORE`.
    """
    spans = window_spans(len(enc), size, stride)
    sub_labels: list[int] | None = None
    if tags is not None:
        sub_labels = [IGNORE] * len(enc)
        for w, j in enumerate(enc.first_subword):
            if j >= 0:
                sub_labels[j] = tags[w]
    out = []
    pad = (0, 0, 0)
    for s, e in spans:
        ids = [cls_id] + enc.input_ids[s:e] + [sep_id]
        feats = [pad] + enc.features[s:e] + [pad]
        labels = [IGNORE] + (sub_labels[s:e] if sub_labels else [IGNORE] * (e - s)) + [IGNORE]
        out.append(Window(ids, feats, labels, group))
    return out, spans
