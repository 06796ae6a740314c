"""The strict fact scorer, the same for every set.

A prediction matches a gold fact of the same text iff

* its property, mapped onto the set's labels (:attr:`BenchSet.groups`), equals the gold label;
* its compound equals the gold compound or an alias apart from whitespace and dash forms
  (:func:`~lit.models.benchmark.gold.name_form`), **or** its ``compound_key`` equals lit's key
  (:func:`~lit.models.benchmark.gold.compound_key`) of one of those names: the prediction
  names the same material under lit's own normalisation (formula for formula, an
  abbreviation resolved through its definition in the text), never a looser similarity;
* its set of numbers (``value``, and ``value_max`` for a range) equals the gold set, in the
  property's canonical unit, each within a relative :data:`TOLERANCE`.

A text's facts are a set: a prediction repeating an earlier one (same label, same compound
string, same numbers within the tolerance: "1414 °C (1687 K)") is dropped first and counted
as a ``duplicate``. Gold and predictions are then paired one to
one by a maximum matching, so no gold fact absorbs two predictions and the result does not
depend on the order lit emits facts in. Predictions of properties the set's gold does not
cover are not scored (``out_of_scope``).

:func:`score_text` takes :class:`Pred` records, so the same rule scores lit's facts
(:meth:`Pred.of_fact`) and one annotator against another (:meth:`Pred.of_gold`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from lit.extract.facts import Fact
from lit.errors import UnitError
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.normalize.units import convert

from .gold import BenchSet, BenchText, GoldFact, name_form

#: Relative tolerance on every number: absorbs float noise of unit conversion (°C -> K,
#: mS -> S), never two different reported numbers.
TOLERANCE = 1e-3


@dataclass(frozen=True, slots=True)
class Pred:
    """A predicted fact as the scorer sees it."""

    property: str
    compound: str
    names: frozenset[str]
    key: str | None
    numbers: tuple[float, ...]
    evidence: str = ""

    @classmethod
    def of_fact(cls, fact: Fact, bench: BenchSet, vocab: PropertyVocabulary) -> "Pred":
        unit = vocab.get(fact.property).unit if fact.property in vocab else fact.unit
        numbers = {fact.value} | ({fact.value_max} if fact.value_max is not None else set())
        if fact.unit != unit:  # facts carry canonical units; convert anything that does not
            try:
                numbers = {convert(x, fact.unit, unit) for x in numbers}
            except UnitError:
                pass
        return cls(bench.label(fact.property), fact.compound, frozenset({name_form(fact.compound)}),
                   fact.compound_key, tuple(sorted(numbers)), fact.sentence)

    @classmethod
    def of_gold(cls, gold: GoldFact) -> "Pred":
        """Another annotator's fact as a prediction (inter-annotator agreement): its names
        are its compound and aliases; lit's key plays no part."""
        return cls(gold.property, gold.compound, gold.names, None, gold.numbers, gold.evidence)

    def to_dict(self) -> dict[str, Any]:
        return {"compound": self.compound, "property": self.property, "numbers": list(self.numbers),
                "sentence": self.evidence}


def same_numbers(a: Sequence[float], b: Sequence[float], tolerance: float = TOLERANCE) -> bool:
    """Equal sets of numbers (both sorted), each pair within ``tolerance`` relative."""
    return len(a) == len(b) and all(abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-12) for x, y in zip(a, b))


def matches(pred: Pred, gold: GoldFact, tolerance: float = TOLERANCE) -> bool:
    """The strict rule of the module docstring."""
    return (
        pred.property == gold.property
        and same_numbers(pred.numbers, gold.numbers, tolerance)
        and (bool(pred.names & gold.names) or (pred.key is not None and pred.key in gold.keys))
    )


@dataclass
class TextScore:
    """One text's outcome: matched pairs, false positives, misses and what was not scored."""

    text_id: str
    matched: list[tuple[Pred, GoldFact]] = field(default_factory=list)
    false_positives: list[Pred] = field(default_factory=list)
    misses: list[GoldFact] = field(default_factory=list)
    duplicates: int = 0
    out_of_scope: int = 0


def _one_to_one(preds: Sequence[Pred], golds: Sequence[GoldFact], tolerance: float) -> dict[int, int]:
    """A maximum matching gold index -> prediction index (augmenting paths; a text has few facts)."""
    edges = [[p for p, pred in enumerate(preds) if matches(pred, g, tolerance)] for g in golds]
    owner: dict[int, int] = {}  # prediction -> gold

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p not in seen:
                seen.add(p)
                if p not in owner or augment(owner[p], seen):
                    owner[p] = g
                    return True
        return False

    for g in range(len(golds)):
        augment(g, set())
    return {g: p for p, g in owner.items()}


def score_text(
    text: BenchText, preds: Iterable[Pred], properties: frozenset[str], tolerance: float = TOLERANCE
) -> TextScore:
    """Score one text's predictions against its gold facts (see the module docstring)."""
    return score_facts(text.id, text.facts, preds, properties, tolerance)


def score_facts(
    text_id: str,
    golds: Sequence[GoldFact],
    preds: Iterable[Pred],
    properties: frozenset[str],
    tolerance: float = TOLERANCE,
) -> TextScore:
    """:func:`score_text` on bare gold facts (inter-annotator agreement has no Documents)."""
    out = TextScore(text_id)
    kept: list[Pred] = []
    for pred in preds:
        if pred.property not in properties:
            out.out_of_scope += 1
        elif any(k.property == pred.property and k.names == pred.names
                 and same_numbers(k.numbers, pred.numbers, tolerance) for k in kept):
            out.duplicates += 1
        else:
            kept.append(pred)
    pairs = _one_to_one(kept, golds, tolerance)
    taken = set(pairs.values())
    out.matched = [(kept[p], golds[g]) for g, p in sorted(pairs.items())]
    out.false_positives = [pred for p, pred in enumerate(kept) if p not in taken]
    out.misses = [g for i, g in enumerate(golds) if i not in pairs]
    return out


# --- summaries ---------------------------------------------------------------------------------


def prf(gold: int, predicted: int, matched: int, recall_only: bool = False) -> dict[str, Any]:
    """Counts with precision, recall and F1. A ratio with nothing to divide by is None, not 0
    (a set with no annotated text yet has no score; F1 with gold but no prediction is 0), as
    are precision and F1 when ``recall_only``."""
    p = matched / predicted if predicted and not recall_only else None
    r = matched / gold if gold else None
    f1 = None if r is None or recall_only else (2 * p * r / (p + r) if p and r else 0.0)
    return {
        "gold": gold,
        "predicted": predicted,
        "matched": matched,
        "precision": None if p is None else round(p, 4),
        "recall": None if r is None else round(r, 4),
        "f1": None if f1 is None else round(f1, 4),
    }


def _why(pred: Pred, golds: Sequence[GoldFact], tolerance: float) -> str:
    """The nearest gold fact of the text, to make a false positive readable."""
    def same_compound(g: GoldFact) -> bool:
        return bool(pred.names & g.names) or (pred.key is not None and pred.key in g.keys)

    for g in golds:
        if same_compound(g) and pred.property == g.property:
            return f"numbers differ from gold {list(g.numbers)}"
    for g in golds:
        if pred.property == g.property and same_numbers(pred.numbers, g.numbers, tolerance):
            return f"compound differs from gold {g.compound!r}"
    for g in golds:
        if same_compound(g) and same_numbers(pred.numbers, g.numbers, tolerance):
            return f"property differs from gold {g.property}"
    return "no such fact in the gold"


def summarise(
    bench: BenchSet, scores: Sequence[TextScore], errors: int = 0, tolerance: float = TOLERANCE
) -> dict[str, Any]:
    """Overall and per-label counts and P/R/F1 (labels with gold or predictions), what was not
    scored, and (``errors`` > 0) the first ``errors`` false positives and misses in text order,
    with their sentences."""
    per: dict[str, list[int]] = {label: [0, 0, 0] for label in sorted(bench.properties)}
    for s in scores:
        for _, g in s.matched:
            per[g.property][2] += 1
        for g in (*(g for _, g in s.matched), *s.misses):
            per[g.property][0] += 1
        for p in (*(p for p, _ in s.matched), *s.false_positives):
            per[p.property][1] += 1
    totals = [sum(v[i] for v in per.values()) for i in range(3)]
    out: dict[str, Any] = {
        "set": bench.name,
        "split": bench.split,
        "texts": len(scores),
        "recall_only": bench.recall_only,
        **prf(*totals, recall_only=bench.recall_only),
        "per_property": {label: prf(*v, recall_only=bench.recall_only) for label, v in per.items() if v[0] or v[1]},
        "not_scored": {
            "out_of_scope": sum(s.out_of_scope for s in scores),
            "duplicates": sum(s.duplicates for s in scores),
        },
        "loader": dict(bench.counts),
    }
    if errors > 0:
        fps = [{"id": s.text_id, **p.to_dict(), "why": _why(p, [g for _, g in s.matched] + s.misses, tolerance)}
               for s in scores for p in s.false_positives]
        misses = [{"id": s.text_id, **g.to_dict()} for s in scores for g in s.misses]
        out["errors"] = {"false_positives": [] if bench.recall_only else fps[:errors], "misses": misses[:errors]}
    return out
