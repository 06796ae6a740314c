"""Score calibration shared by the relation model and the pipeline's fact confidence.

Both turn a score into "how often is a prediction with this score right": the relation
model's tuple scores (:mod:`lit.models.re.decode`) and the confidence of the facts the
whole pipeline writes (:mod:`lit.models.fact_confidence`). Both fit a small logistic
regression on validation predictions labelled right or wrong, and both report the result
as a reliability table (predicted vs observed precision per score bin). Only the features
differ, so the fitting and the table live here once.
"""

from __future__ import annotations

import math
from typing import Sequence

__all__ = [
    "logit",
    "sigmoid",
    "fit_logistic",
    "reliability",
    "reliability_markdown",
    "expected_calibration_error",
    "proper_scores",
]


def logit(p: float) -> float:
    """log(p / (1 - p)), with ``p`` clipped to [1e-6, 1 - 1e-6] so that 0 and 1 stay finite."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit_logistic(
    rows: Sequence[Sequence[float]],
    labels: Sequence[float],
    start: Sequence[float],
    l2: float = 0.01,
    prior: Sequence[float] | None = None,
) -> list[float]:
    """Weights ``w`` of ``P(right) = sigmoid(row . w)`` by Newton's method with an L2 penalty.

    The penalty pulls ``w`` towards ``prior`` (zeros unless given): a prior at the identity
    map keeps a small validation set from bending scores far from where they were.

    Each Newton step is halved until the penalised log-loss goes down: plain steps
    overshoot when the inputs are very confident (logits near the clip at +-13.8), which
    once sent the relation model's weights to 1e5 and every score to 0 or 1. ``start`` is
    also what comes back when the data cannot support a fit (under 10 rows, one class).
    """
    import numpy as np

    w = np.array(start, dtype=float)
    if len(rows) < 10 or len(set(labels)) < 2:
        return [float(x) for x in w]
    X, y = np.array(rows, dtype=float), np.array(labels, dtype=float)
    w0 = np.zeros(len(w)) if prior is None else np.array(prior, dtype=float)

    def loss(w: np.ndarray) -> float:
        z = X @ w
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * (w - w0) @ (w - w0))

    current = loss(w)
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        g = X.T @ (p - y) + l2 * (w - w0)
        H = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.eye(len(w))
        step = np.linalg.solve(H, g)
        t = 1.0
        while t > 1e-6 and loss(w - t * step) > current:
            t /= 2
        w = w - t * step
        previous, current = current, loss(w)
        if np.abs(t * step).max() < 1e-8 or previous - current < 1e-10:
            break
    return [round(float(x), 6) for x in w]


def reliability(scores: Sequence[float], right: Sequence[bool], bins: int = 10) -> list[dict[str, float]]:
    """Predicted vs observed precision per score bin (``count`` predictions in each bin)."""
    table = [{"lo": k / bins, "hi": (k + 1) / bins, "count": 0, "mean_score": 0.0, "precision": 0.0} for k in range(bins)]
    for score, ok in zip(scores, right):
        row = table[min(bins - 1, int(score * bins))]
        row["count"] += 1
        row["mean_score"] += score
        row["precision"] += 1.0 if ok else 0.0
    for row in table:
        if row["count"]:
            row["mean_score"] = round(row["mean_score"] / row["count"], 4)
            row["precision"] = round(row["precision"] / row["count"], 4)
    return table


def reliability_markdown(table: Sequence[dict[str, float]], unit: str) -> list[str]:
    """A reliability table as Markdown lines for a model card (empty bins left out)."""
    lines = [f"| score bin | {unit} | mean score | observed precision |", "|---|---|---|---|"]
    lines += [
        f"| {r['lo']:.1f}-{r['hi']:.1f} | {r['count']} | {r['mean_score']:.3f} | {r['precision']:.3f} |"
        for r in table
        if r["count"]
    ]
    return lines


def expected_calibration_error(table: Sequence[dict[str, float]]) -> float:
    """The count-weighted mean gap between predicted and observed precision over a reliability table."""
    total = sum(r["count"] for r in table)
    if not total:
        return 0.0
    return round(sum(r["count"] * abs(r["mean_score"] - r["precision"]) for r in table) / total, 4)


def proper_scores(scores: Sequence[float], right: Sequence[bool]) -> dict[str, float]:
    """Brier score and mean log-loss: unlike a binned table, they need no bins, so on a few
    hundred predictions they separate two calibrations that the table's noise hides."""
    if not scores:
        return {"brier": 0.0, "log_loss": 0.0}
    brier = sum((s - ok) ** 2 for s, ok in zip(scores, right)) / len(scores)
    clipped = [min(max(s, 1e-4), 1 - 1e-4) for s in scores]
    loss = -sum(math.log(p if ok else 1 - p) for p, ok in zip(clipped, right)) / len(scores)
    return {"brier": round(brier, 4), "log_loss": round(loss, 4)}
