"""Entity-level precision, recall and F1: exact span and exact type (seqeval's default).

A predicted entity counts as correct only if its character span and its label both equal
a gold entity's; partial overlaps count as one false positive and one false negative.
Micro averages pool counts over all types; macro averages the per-type F1.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

Span = tuple[int, int, str]


@dataclass(slots=True)
class Scores:
    """Counts per label and the metrics computed from them."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, gold: Iterable[Span], pred: Iterable[Span]) -> None:
        """Count one text's gold and predicted entities (duplicates count once)."""
        g, p = set(gold), set(pred)
        for s in g & p:
            self.tp[s[2]] += 1
        for s in p - g:
            self.fp[s[2]] += 1
        for s in g - p:
            self.fn[s[2]] += 1

    @property
    def labels(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    @staticmethod
    def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}

    def per_label(self) -> dict[str, dict[str, float]]:
        return {lab: self._prf(self.tp[lab], self.fp[lab], self.fn[lab]) for lab in self.labels}

    def micro(self) -> dict[str, float]:
        return self._prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    def to_dict(self) -> dict:
        per = self.per_label()
        macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
        return {"micro": self.micro(), "macro_f1": round(macro, 4), "per_label": per}


def score_spans(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> Scores:
    """Scores over parallel lists of per-text gold and predicted spans."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} texts but predictions have {len(pred)}")
    s = Scores()
    for g, p in zip(gold, pred):
        s.add(g, p)
    return s


def corpus_labels(corpus: str) -> list[str] | None:
    """The unified labels ``corpus`` annotates (its label map's targets); ``None`` if unknown.

    Scoring is restricted to these: a model must not be charged for the values it finds in
    a corpus that never marks values.
    """
    from lit.models.corpora import CORPORA

    spec = CORPORA.get(corpus)
    return sorted(set(spec.label_map.values())) if spec is not None else None


def evaluate_examples(
    tagger, examples: Sequence, batch_size: int = 32, labels: Iterable[str] | None = None
) -> Scores:
    """Score ``tagger`` (a :class:`~lit.models.ner.infer.NerTagger`) on corpus Examples.

    The model reads each example's own tokens as words, so the comparison with the gold
    spans is not blurred by a different tokenisation. Only ``labels`` (default: all the
    model predicts) are decoded and scored, on both sides: a corpus that never annotates
    values must not count every predicted value as a false positive.
    """
    known = {t.partition("-")[2] for t in tagger.id2label.values()} - {""}
    if labels is not None:
        known &= set(labels)
    texts = [ex.text for ex in examples]
    words = [list(ex.tokens) for ex in examples]
    preds = tagger.predict_words(texts, words, batch_size=batch_size, labels=sorted(known))
    gold = [[(e.start, e.end, e.label) for e in ex.entities if e.label in known] for ex in examples]
    return score_spans(gold, [[(m.start, m.end, m.label) for m in p] for p in preds])
