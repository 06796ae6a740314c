"""Pair- and tuple-level precision/recall/F1 of decoded tuples against gold.

- **Pairs**: every decoded tuple contributes its links (compound->value ``compound_of``,
  property->value ``property_of``, each condition->value ``condition_of``); they are
  compared with the gold links as sets, per type and micro-averaged.
- **Tuples**: a predicted tuple is right only if compound, property and value all match a
  gold tuple (a gold tuple without a property needs a prediction without one).
- **Tuples with conditions**: as tuples, and the set of conditions must match too
  (reported separately: few gold tuples have a condition).

Everything is by mention index within an instance, so the same code scores the trained
model and the rule-based linker on the same gold mentions.
"""

from __future__ import annotations

from typing import Any, Sequence

from lit.models.re.config import LINK_TYPES
from lit.models.re.data import Instance


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Precision, recall and F1 from counts (0.0 where undefined), plus the counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred,
            "support": n_gold}


def predicted_links(preds: Sequence[Any]) -> set[tuple[int, int, str]]:
    """The (head, value, type) links that decoded tuples assert."""
    out: set[tuple[int, int, str]] = set()
    for t in preds:
        out.add((t.compound, t.value, "compound_of"))
        if t.property is not None:
            out.add((t.property, t.value, "property_of"))
        for c in t.conditions:
            out.add((c, t.value, "condition_of"))
    return out


def score(instances: Sequence[Instance], preds: Sequence[Sequence[Any]], with_conditions: bool = True) -> dict[str, Any]:
    """Pair metrics per link type and micro, tuple metrics, and (optionally) tuples with conditions."""
    counts = {t: [0, 0, 0] for t in LINK_TYPES}
    tup = [0, 0, 0]
    tupc = [0, 0, 0]
    for inst, ts in zip(instances, preds):
        plinks = predicted_links(ts)
        for h, v, typ in plinks:
            if typ in counts:
                counts[typ][1] += 1
                counts[typ][0] += (h, v, typ) in inst.gold_links
        for _h, _v, typ in inst.gold_links:
            counts[typ][2] += 1
        gold = {(c, p, v) for c, p, v, _ in inst.gold_tuples}
        pred = {(t.compound, t.property, t.value) for t in ts}
        tup[0] += len(gold & pred)
        tup[1] += len(pred)
        tup[2] += len(gold)
        if with_conditions:
            gconds: dict[tuple, set[int]] = {}
            for c, p, v, q in inst.gold_tuples:
                gconds.setdefault((c, p, v), set())
                if q is not None:
                    gconds[(c, p, v)].add(q)
            gset = {k + (frozenset(q),) for k, q in gconds.items()}
            pset = {(t.compound, t.property, t.value, frozenset(t.conditions)) for t in ts}
            tupc[0] += len(gset & pset)
            tupc[1] += len(pset)
            tupc[2] += len(gset)
    pairs = {t: prf(*c) for t, c in counts.items()}
    pairs["micro"] = prf(*(sum(c[k] for c in counts.values()) for k in range(3)))
    out: dict[str, Any] = {"pairs": pairs, "tuples": prf(*tup)}
    if with_conditions:
        out["tuples_with_conditions"] = prf(*tupc)
    return out
