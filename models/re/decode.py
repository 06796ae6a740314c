"""Pair probabilities to tuples: thresholds, list values, and a calibrated tuple score.

For each VALUE the decoder takes the most probable compound and the most probable
property, each only above its threshold (optionally dropping the value when no property
clears it), and every condition above the condition threshold. A value mention that lists several numbers ("1.48 and 1.73 eV") may take as
many compounds as it lists (the "respectively" construction); each gets a
``value_index``. Thresholds are tuned on validation for tuple F1 (never on test).

The score of a tuple is a logistic regression (Platt scaling, extended with a feature for
"no property") over the logits of its compound and property probabilities, fitted on
validation tuples against "is this tuple gold". The card shows how well that holds in a
reliability table.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from lit.models.calibration import fit_logistic, sigmoid
from lit.models.calibration import logit as _logit
from lit.models.calibration import reliability as score_bins
from lit.models.re.data import Instance

_LIST = re.compile(r"\band\b|[,;]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
GRID = tuple(round(0.1 + 0.05 * k, 2) for k in range(17))  # 0.10 .. 0.90


@dataclass(slots=True)
class Decoding:
    """Decoding thresholds and calibration (stored in the artifact's ``config.json``)."""

    t_compound: float = 0.5
    t_property: float = 0.5
    t_condition: float = 0.5
    #: drop a value's tuple when no property clears its threshold (chosen on validation)
    require_property: bool = False
    #: calibration: sigmoid(a * logit(p_compound) + b * logit(p_property) + c * no_property + d)
    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Decoding":
        return cls(**(data or {}))


@dataclass(frozen=True, slots=True)
class PredTuple:
    """A decoded tuple in mention indices of its instance."""

    compound: int
    property: int | None
    value: int
    conditions: tuple[int, ...]
    score: float
    value_index: int | None = None
    p_compound: float = 1.0
    p_property: float | None = None


def calibrated(dec: Decoding, p_compound: float, p_property: float | None) -> float:
    z = dec.a * _logit(p_compound) + dec.d
    z += dec.b * _logit(p_property) if p_property is not None else dec.c
    return sigmoid(z)


def listed_numbers(text: str) -> int:
    """How many values a value mention lists: 1 unless it reads as a list of numbers."""
    if not _LIST.search(text):
        return 1
    return max(1, len(_NUMBER.findall(text)))


def decode(inst: Instance, probs: Sequence[float], dec: Decoding) -> list[PredTuple]:
    """Tuples of one instance from its candidates' probabilities (same order as candidates)."""
    per_value: dict[int, list[list[tuple[float, int]]]] = {}
    for cand, p in zip(inst.candidates, probs):
        per_value.setdefault(cand.tail, [[], [], []])[cand.type].append((float(p), cand.head))
    out: list[PredTuple] = []
    for v in sorted(per_value, key=lambda i: inst.mentions[i][0]):
        comps, props, conds = (sorted(x, reverse=True) for x in per_value[v])
        if not comps or comps[0][0] < dec.t_compound:
            continue
        s, e, _ = inst.mentions[v]
        n = listed_numbers(inst.text[s:e])
        chosen = [comps[0]] + [c for c in comps[1:n] if c[0] >= dec.t_compound]
        prop = props[0] if props and props[0][0] >= dec.t_property else None
        if prop is None and dec.require_property:
            continue
        cond = tuple(sorted((h for p, h in conds if p >= dec.t_condition), key=lambda i: inst.mentions[i][0]))
        chosen.sort(key=lambda c: inst.mentions[c[1]][0])
        for k, (pc, c) in enumerate(chosen):
            pp = prop[0] if prop else None
            out.append(
                PredTuple(
                    compound=c,
                    property=prop[1] if prop else None,
                    value=v,
                    conditions=cond,
                    score=calibrated(dec, pc, pp),
                    value_index=k if len(chosen) > 1 else None,
                    p_compound=pc,
                    p_property=pp,
                )
            )
    return out


def tune(instances: Sequence[Instance], probs: Sequence[Sequence[float]], base: Decoding | None = None) -> Decoding:
    """Thresholds maximising validation tuple F1 (condition threshold: condition-link F1), then calibration."""
    from lit.models.re.metrics import score

    dec = Decoding(**(base or Decoding()).to_dict())
    best = (-1.0, dec.t_compound, dec.t_property, dec.require_property)
    for rp in (False, True):
        for tc in GRID:
            for tp in GRID:
                dec.t_compound, dec.t_property, dec.require_property = tc, tp, rp
                f1 = score(instances, [decode(i, p, dec) for i, p in zip(instances, probs)], with_conditions=False)[
                    "tuples"]["f1"]
                if f1 > best[0]:
                    best = (f1, tc, tp, rp)
    dec.t_compound, dec.t_property, dec.require_property = best[1], best[2], best[3]
    best_c = (-1.0, dec.t_condition)
    for tq in GRID:
        dec.t_condition = tq
        f1 = score(instances, [decode(i, p, dec) for i, p in zip(instances, probs)])["pairs"]["condition_of"]["f1"]
        if f1 > best_c[0]:
            best_c = (f1, tq)
    dec.t_condition = best_c[1]
    return fit_calibration(instances, [decode(i, p, dec) for i, p in zip(instances, probs)], dec)


def tuple_correct(inst: Instance, preds: Sequence[PredTuple]) -> list[bool]:
    gold = {(c, p, v) for c, p, v, _ in inst.gold_tuples}
    return [(t.compound, t.property, t.value) in gold for t in preds]


def fit_calibration(instances: Sequence[Instance], preds: Sequence[Sequence[PredTuple]], dec: Decoding) -> Decoding:
    """Fit ``a, b, c, d`` on validation tuples labelled right or wrong (see :func:`fit_logistic`)."""
    rows, ys = [], []
    for inst, ts in zip(instances, preds):
        for t, ok in zip(ts, tuple_correct(inst, ts)):
            has = t.p_property is not None
            rows.append([_logit(t.p_compound), _logit(t.p_property) if has else 0.0, 0.0 if has else 1.0, 1.0])
            ys.append(1.0 if ok else 0.0)
    out = Decoding(**dec.to_dict())
    out.a, out.b, out.c, out.d = fit_logistic(rows, ys, start=[dec.a, dec.b, dec.c, dec.d])
    return out


def reliability(
    instances: Sequence[Instance], preds: Sequence[Sequence[PredTuple]], bins: int = 10
) -> list[dict[str, float]]:
    """Predicted vs observed tuple precision per score bin (``count`` tuples in the bin)."""
    scores = [t.score for ts in preds for t in ts]
    right = [ok for inst, ts in zip(instances, preds) for ok in tuple_correct(inst, ts)]
    return score_bins(scores, right, bins)
