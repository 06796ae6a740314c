"""Paragraphs to model inputs: mentions, candidates and gold links, then subword windows.

An :class:`Instance` is one paragraph with its mentions (gold ones when training or
evaluating, NER's at inference), its sentence and word spans, the candidate pairs of
:mod:`.candidates` and, when known, the gold links and tuples. :func:`encode_instances`
turns instances into windows for the encoder (each paragraph encoded once) and records,
for every mention, the subwords that cover it, taken from the window in which each
subword sits most centrally (the same rule the NER model uses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from lit.models.re.candidates import Candidate, MentionSpan, make_candidates
from lit.models.re.config import HEAD_LABEL, LINK_TYPES, ReConfig

#: A gold tuple: mention indices (compound, property, value, condition), None where absent.
GoldTuple = tuple[int | None, int | None, int, int | None]


@dataclass(slots=True)
class Instance:
    """One paragraph ready for candidate scoring."""

    id: str
    text: str
    mentions: list[MentionSpan]
    sentences: list[tuple[int, int]]
    words: list[tuple[int, int]]
    candidates: list[Candidate]
    gold_links: set[tuple[int, int, str]] = field(default_factory=set)
    gold_tuples: list[GoldTuple] = field(default_factory=list)
    corpus: str = ""

    def labels(self) -> list[float]:
        """1.0 for each candidate that is a gold link, else 0.0 (in candidate order)."""
        return [1.0 if (c.head, c.tail, c.link_type) in self.gold_links else 0.0 for c in self.candidates]


def from_example(example: Any, config: ReConfig) -> Instance:
    """An Instance from a corpus :class:`~lit.models.corpus.Example` with its gold mentions.

    Links whose head label does not match their type (PolyIE's compound->property links of
    value-less tuples, a few annotation slips) are not candidates and are left out.
    """
    from lit.extract.segment import split_text

    mentions = [(e.start, e.end, e.label) for e in example.entities]
    sentences = split_text(example.text)
    words = [tuple(t) for t in example.tokens]
    gold = {
        (link.head, link.tail, link.type)
        for link in example.links
        if link.type in HEAD_LABEL
        and mentions[link.tail][2] == "VALUE"
        and mentions[link.head][2] == HEAD_LABEL[link.type]
    }
    tuples: list[GoldTuple] = []
    for t in example.tuples:
        c, p, v = t[0], t[1], t[2]
        cond = t[3] if len(t) > 3 else None
        if v is not None and mentions[v][2] == "VALUE":
            tuples.append((c, p, v, cond))
    cands = make_candidates(mentions, sentences, words, config.max_sent_distance, config.max_word_distance)
    return Instance(example.id, example.text, mentions, sentences, words, cands, gold, tuples, example.corpus)


def from_mentions(
    text: str,
    mentions: Sequence[MentionSpan],
    sentences: Sequence[tuple[int, int]],
    config: ReConfig,
    words: Sequence[tuple[int, int]] | None = None,
    id: str = "",
) -> Instance:
    """An Instance for inference: words come from the NER word splitter unless given."""
    from lit.models.ner.words import split_words

    spans = list(words) if words is not None else split_words(text)
    ms = list(mentions)
    sents = sorted(sentences) or [(0, len(text))]
    cands = make_candidates(ms, sents, spans, config.max_sent_distance, config.max_word_distance)
    return Instance(id, text, ms, sents, spans, cands)


@dataclass(slots=True)
class EncodedInstance:
    """Encoder inputs of one paragraph and where each mention's subwords are."""

    windows: list[list[int]]
    features: list[list[tuple[int, int, int]]]
    #: per mention: (window index, position in the window incl. [CLS]) of each covering subword
    mention_subwords: list[list[tuple[int, int]]]


def encode_instances(
    tokenizer: Any, instances: Sequence[Instance], max_len: int, stride: int, prune: bool = False
) -> list[EncodedInstance]:
    """Subword windows of each paragraph (see the module docstring).

    ``prune`` (training) drops the windows that hold no subword of a mention in a candidate
    pair: they cost encoder time and teach nothing. Mentions outside every candidate then
    point at a kept window's [CLS] (they are pooled but never scored).
    """
    from lit.models.ner.windows import best_window, encode_texts, window_spans

    size = max_len - 2
    encs = encode_texts(tokenizer, [i.text for i in instances], [i.words for i in instances])
    out: list[EncodedInstance] = []
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    for inst, enc in zip(instances, encs):
        spans = window_spans(len(enc), size, stride) or [(0, 0)]
        owner = best_window(len(enc), spans)
        windows = [[cls_id] + enc.input_ids[s:e] + [sep_id] for s, e in spans]
        feats = [[(0, 0, 0)] + enc.features[s:e] + [(0, 0, 0)] for s, e in spans]
        # subwords of each word
        by_word: dict[int, list[int]] = {}
        for j, w in enumerate(enc.word_ids):
            by_word.setdefault(w, []).append(j)
        word_starts = [s for s, _ in enc.words]
        subs_per_mention: list[list[tuple[int, int]]] = []
        for start, end, _label in inst.mentions:
            js = [j for w, (s, e) in enumerate(enc.words) if s < end and e > start for j in by_word.get(w, [])]
            if not js and enc.word_ids:
                # a mention between words (should not happen with aligned spans): nearest subword
                from bisect import bisect_right

                w = max(0, bisect_right(word_starts, start) - 1)
                js = by_word.get(w) or [0]
            picked = []
            for j in js:
                k = owner[j]
                picked.append((k, j - spans[k][0] + 1))
            subs_per_mention.append(picked or [(0, 0)])
        if prune and inst.candidates:
            used = {m for c in inst.candidates for m in (c.head, c.tail)}
            keep = sorted({k for m in used for k, _ in subs_per_mention[m]})
            new = {k: i for i, k in enumerate(keep)}
            windows = [windows[k] for k in keep]
            feats = [feats[k] for k in keep]
            subs_per_mention = [
                [(new[k], p) for k, p in subs] if m in used else [(0, 0)] for m, subs in enumerate(subs_per_mention)
            ]
        out.append(EncodedInstance(windows, feats, subs_per_mention))
    return out


@dataclass(slots=True)
class PairBatch:
    """Tensors for one step over several paragraphs (built by :func:`collate`)."""

    input_ids: Any
    attention_mask: Any
    features: Any
    sub_rows: Any  # flat (row * L + pos) of every (mention, subword) entry
    sub_mention: Any  # global mention id of each entry
    n_mentions: int
    mention_type: Any  # label id per global mention
    pairs: Any  # (n_pairs, 6): head, tail, type, distance, sentence, rank, between -> 7 columns
    labels: Any
    window_rows: list[tuple[int, int]]  # per instance: (first row, number of windows)


LABEL_IDS = {"COMPOUND": 0, "PROPERTY": 1, "VALUE": 2, "CONDITION": 3}


def collate(instances: Sequence[Instance], encoded: Sequence[EncodedInstance], with_labels: bool = True) -> PairBatch:
    """Pad the windows of ``instances`` into one batch and index their mentions and pairs."""
    import torch

    rows = [w for e in encoded for w in e.windows]
    L = max((len(w) for w in rows), default=2)
    ids = torch.zeros((len(rows), L), dtype=torch.long)
    mask = torch.zeros((len(rows), L), dtype=torch.long)
    feats = torch.zeros((len(rows), L, 3), dtype=torch.long)
    r = 0
    sub_rows: list[int] = []
    sub_mention: list[int] = []
    mtype: list[int] = []
    pairs: list[list[int]] = []
    labels: list[float] = []
    window_rows = []
    m0 = 0
    for inst, enc in zip(instances, encoded):
        window_rows.append((r, len(enc.windows)))
        for k, (w, f) in enumerate(zip(enc.windows, enc.features)):
            ids[r + k, : len(w)] = torch.tensor(w)
            mask[r + k, : len(w)] = 1
            feats[r + k, : len(f)] = torch.tensor(f)
        for m, subs in enumerate(enc.mention_subwords):
            for k, pos in subs:
                sub_rows.append((r + k) * L + pos)
                sub_mention.append(m0 + m)
            mtype.append(LABEL_IDS.get(inst.mentions[m][2], 0))
        for c in inst.candidates:
            pairs.append([m0 + c.head, m0 + c.tail, c.type, c.distance, c.sentence, c.rank, c.between])
        if with_labels:
            labels += inst.labels()
        r += len(enc.windows)
        m0 += len(inst.mentions)
    return PairBatch(
        ids,
        mask,
        feats,
        torch.tensor(sub_rows, dtype=torch.long),
        torch.tensor(sub_mention, dtype=torch.long),
        m0,
        torch.tensor(mtype, dtype=torch.long),
        torch.tensor(pairs, dtype=torch.long).reshape(-1, 7),
        torch.tensor(labels, dtype=torch.float) if with_labels else None,
        window_rows,
    )


__all__ = ["LINK_TYPES", "Instance", "EncodedInstance", "PairBatch", "collate", "encode_instances", "from_example", "from_mentions"]
