"""End-to-end fact scoring on the held-out set in ``corpora/eval`` (``lit evaluate facts``).

``corpora/eval`` also holds a ``dev`` split for tuning; it is scored only when asked for by
name (``--split dev``) and is never part of ``all``, the held-out measurement.

NER and RE have their own span-level metrics; this module asks the question a user of the
graph cares about: of the compound-property-value facts lit writes for a text, how many
are right, and how many of the facts the text states does it find? The gold set and the
scoring rule are described in ``corpora/eval/README.md``; in short, a prediction is a true
positive iff its compound (by normalised key, gold aliases accepted), property, unit (after
conversion to the gold unit) and value (within 0.5 %, ``value_max`` likewise) all match an
unmatched gold fact.

The scorer is a plain library: :func:`score_text` and :func:`summarise` work on any
predicted facts, so tests (and other systems' outputs) can be scored without running lit;
:func:`evaluate_facts` runs lit's default extractor over the set and scores it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from lit.errors import CorpusError, UnitError
from lit.extract.document import paragraph_document
from lit.extract.facts import Fact
from lit.extract.normalize.compounds import normalize_compound
from lit.extract.normalize.units import convert

__all__ = [
    "PROPERTIES",
    "SPLITS",
    "DEV_SPLIT",
    "ALL_SPLITS",
    "TOLERANCE",
    "GoldFact",
    "EvalText",
    "TextResult",
    "default_eval_dir",
    "load_eval_set",
    "compound_keys",
    "fact_matches",
    "score_text",
    "summarise",
    "evaluate_facts",
]

#: The only properties the gold set annotates; predictions of other properties are ignored.
PROPERTIES: tuple[str, ...] = (
    "band_gap",
    "curie_temperature",
    "neel_temperature",
    "superconducting_transition_temperature",
    "melting_point",
)
#: The unit every gold fact of a property is written in (temperatures in kelvin, °C converted).
GOLD_UNITS: dict[str, str] = {p: ("eV" if p == "band_gap" else "K") for p in PROPERTIES}
#: The held-out splits; ``"all"`` means exactly these, so the headline number stays a measurement.
SPLITS: tuple[str, ...] = ("abstracts", "results")
#: Texts written later for tuning and error analysis (``dev.jsonl``). Never part of ``"all"``:
#: looking at its errors is allowed, which is why it must not be mixed into the held-out score.
DEV_SPLIT = "dev"
#: Every split the loader accepts by name.
ALL_SPLITS: tuple[str, ...] = (*SPLITS, DEV_SPLIT)
#: Relative tolerance on values: 0.5 % absorbs rounding ("1.12" vs "1.124", 1388 K vs 1115 °C)
#: but never two different reported numbers.
TOLERANCE = 0.005

_REPO = Path(__file__).resolve().parents[1]


def default_eval_dir() -> Path:
    """``$LIT_EVAL`` if set, else ``corpora/eval`` of the repository (where the set is committed)."""
    return Path(os.environ.get("LIT_EVAL", _REPO / "corpora" / "eval")).resolve()


# --- the gold set -----------------------------------------------------------------------------


def compound_keys(names: Iterable[str | None]) -> frozenset[str]:
    """The normalised keys of some compound names; names lit cannot normalise are skipped.

    Keys (not strings) are compared so that "CH3NH3PbI3" and "MAPbI3", or "iron" and "Fe",
    are the same compound for the scorer exactly as they are in the graph.
    """
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        info = normalize_compound(name)
        if info is not None:
            keys.add(info.key)
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class GoldFact:
    """One fact a text states, with the names a correct system may give its compound."""

    compound: str
    property: str
    value: float
    unit: str
    value_max: float | None = None
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return compound_keys((self.compound, *self.aliases))

    def to_dict(self) -> dict[str, Any]:
        return {
            "compound": self.compound,
            "aliases": list(self.aliases),
            "property": self.property,
            "value": self.value,
            "value_max": self.value_max,
            "unit": self.unit,
        }


@dataclass(frozen=True, slots=True)
class EvalText:
    """One held-out text, the split it belongs to and every gold fact it states."""

    id: str
    split: str
    text: str
    facts: tuple[GoldFact, ...]


def _gold_fact(raw: dict[str, Any], where: str) -> GoldFact:
    try:
        fact = GoldFact(
            compound=str(raw["compound"]),
            property=str(raw["property"]),
            value=float(raw["value"]),
            unit=str(raw["unit"]),
            value_max=None if raw.get("value_max") is None else float(raw["value_max"]),
            aliases=tuple(str(a) for a in raw.get("aliases", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CorpusError(f"{where}: malformed gold fact {raw!r} ({exc})") from None
    if fact.property not in PROPERTIES:
        raise CorpusError(f"{where}: property {fact.property!r} is not one of {', '.join(PROPERTIES)}")
    if fact.unit != GOLD_UNITS[fact.property]:
        raise CorpusError(f"{where}: {fact.property} must be in {GOLD_UNITS[fact.property]}, not {fact.unit!r}")
    if not fact.keys:
        raise CorpusError(f"{where}: compound {fact.compound!r} and its aliases have no normalised key")
    return fact


def load_eval_set(split: str = "all", root: str | Path | None = None) -> list[EvalText]:
    """Read one split's ``<split>.jsonl``, or both held-out files for ``"all"`` (never ``dev``).

    Raises CorpusError naming the file and line.
    """
    if split not in (*ALL_SPLITS, "all"):
        raise CorpusError(f"unknown split {split!r}: use {', '.join(ALL_SPLITS)} or all")
    folder = Path(root) if root is not None else default_eval_dir()
    texts: list[EvalText] = []
    for name in SPLITS if split == "all" else (split,):
        path = folder / f"{name}.jsonl"
        if not path.is_file():
            raise CorpusError(f"{path}: evaluation split not found (set LIT_EVAL to the corpora/eval folder)")
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    row = json.loads(line)
                    facts = tuple(_gold_fact(f, where) for f in row["facts"])
                    texts.append(EvalText(str(row["id"]), name, str(row["text"]), facts))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise CorpusError(f"{where}: malformed line ({exc})") from None
    return texts


# --- matching -----------------------------------------------------------------------------------


def _close(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance * max(abs(b), 1e-12)


def _in_unit(value: float | None, unit: str, target: str) -> float | None:
    """``value`` converted from ``unit`` to ``target``; None when it cannot be converted."""
    if value is None or unit == target:
        return value
    try:
        return convert(value, unit, target)
    except UnitError:
        return None


@dataclass(frozen=True, slots=True)
class _Pred:
    """A predicted fact as the scorer sees it: compound keys, values in the gold unit."""

    fact: Fact
    keys: frozenset[str]
    value: float | None
    value_max: float | None
    unit: str

    @classmethod
    def of(cls, fact: Fact) -> "_Pred":
        target = GOLD_UNITS.get(fact.property, fact.unit)
        value = _in_unit(fact.value, fact.unit, target)
        vmax = _in_unit(fact.value_max, fact.unit, target)
        unit = target if value is not None and (fact.value_max is None or vmax is not None) else fact.unit
        if unit != target:
            value, vmax = fact.value, fact.value_max
        return cls(fact, compound_keys((fact.compound, fact.compound_key, fact.formula)), value, vmax, unit)

    def same_as(self, other: "_Pred", tolerance: float) -> bool:
        return (
            bool(self.keys & other.keys)
            and self.fact.property == other.fact.property
            and self.unit == other.unit
            and _close(self.value, other.value, tolerance)
            and _close(self.value_max, other.value_max, tolerance)
        )


def _matches(pred: _Pred, gold: GoldFact, tolerance: float) -> bool:
    return (
        pred.fact.property == gold.property
        and pred.unit == gold.unit
        and bool(pred.keys & gold.keys)
        and _close(pred.value, gold.value, tolerance)
        and _close(pred.value_max, gold.value_max, tolerance)
    )


def fact_matches(pred: Fact, gold: GoldFact, tolerance: float = TOLERANCE) -> bool:
    """The strict rule: compound key, property, unit (converted to gold's) and values all agree."""
    return _matches(_Pred.of(pred), gold, tolerance)


def _why(pred: _Pred, golds: Sequence[GoldFact], tolerance: float) -> str:
    """A short reason for a false positive, naming the nearest gold fact, to make errors readable."""
    for g in golds:
        if pred.keys & g.keys and pred.fact.property == g.property:
            return f"value/unit differ from gold {g.value}{'' if g.value_max is None else '-' + str(g.value_max)} {g.unit}"
    for g in golds:
        if pred.fact.property == g.property and pred.unit == g.unit and _close(pred.value, g.value, tolerance):
            return f"compound differs from gold {g.compound!r}"
    for g in golds:
        if pred.keys & g.keys and pred.unit == g.unit and _close(pred.value, g.value, tolerance):
            return f"property differs from gold {g.property}"
    return "no such fact in the text"


@dataclass(slots=True)
class TextResult:
    """How one text scored: matched pairs, unmatched predictions and unmatched gold facts."""

    text: EvalText
    true_positives: list[tuple[Fact, GoldFact]] = field(default_factory=list)
    false_positives: list[tuple[Fact, str]] = field(default_factory=list)
    false_negatives: list[GoldFact] = field(default_factory=list)
    duplicates: int = 0
    ignored: int = 0


def score_text(text: EvalText, predictions: Sequence[Fact], tolerance: float = TOLERANCE) -> TextResult:
    """Score one text's predicted facts against its gold facts.

    Predictions of other properties are ignored (counted in ``ignored``). A prediction that
    repeats an earlier one (same compound key, property, unit and values), or that matches a
    gold fact an earlier prediction already took (the same fact under another accepted
    name), is dropped and counted in ``duplicates``: a fact stated twice scores once, and
    each gold fact absorbs at most one prediction.
    """
    result = TextResult(text)
    kept: list[_Pred] = []
    for fact in predictions:
        if fact.property not in PROPERTIES:
            result.ignored += 1
            continue
        pred = _Pred.of(fact)
        if any(pred.same_as(k, tolerance) for k in kept):
            result.duplicates += 1
            continue
        kept.append(pred)
    open_gold = list(text.facts)
    for pred in kept:
        hit = next((g for g in open_gold if _matches(pred, g, tolerance)), None)
        if hit is not None:
            open_gold.remove(hit)
            result.true_positives.append((pred.fact, hit))
        elif any(_matches(pred, g, tolerance) for _, g in result.true_positives):
            # the same gold fact under another accepted name ("GaN" and "gallium nitride")
            result.duplicates += 1
        else:
            result.false_positives.append((pred.fact, _why(pred, text.facts, tolerance)))
    result.false_negatives = open_gold
    return result


# --- summaries ----------------------------------------------------------------------------------


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def _fact_row(fact: Fact) -> dict[str, Any]:
    return {
        "compound": fact.compound,
        "property": fact.property,
        "value": fact.value,
        "value_max": fact.value_max,
        "unit": fact.unit,
        "sentence": fact.sentence,
    }


def summarise(results: Sequence[TextResult]) -> dict[str, Any]:
    """Micro P/R/F1 overall, per property and per split, plus every error, JSON-ready.

    False positives count under the predicted property, false negatives under the gold one.
    """
    counts: dict[str, list[int]] = {}

    def add(key: str, i: int) -> None:
        counts.setdefault(key, [0, 0, 0])[i] += 1

    errors: list[dict[str, Any]] = []
    for res in results:
        split = res.text.split
        for _, gold in res.true_positives:
            for key in ("micro", f"p:{gold.property}", f"s:{split}"):
                add(key, 0)
        for fact, why in res.false_positives:
            for key in ("micro", f"p:{fact.property}", f"s:{split}"):
                add(key, 1)
            errors.append({"id": res.text.id, "split": split, "kind": "fp", "why": why, **_fact_row(fact)})
        for gold in res.false_negatives:
            for key in ("micro", f"p:{gold.property}", f"s:{split}"):
                add(key, 2)
            errors.append({"id": res.text.id, "split": split, "kind": "fn", **gold.to_dict()})
    zero = [0, 0, 0]
    return {
        "texts": len(results),
        "gold": sum(len(r.text.facts) for r in results),
        "predicted": sum(len(r.true_positives) + len(r.false_positives) for r in results),
        "duplicates": sum(r.duplicates for r in results),
        "ignored_other_properties": sum(r.ignored for r in results),
        "micro": _prf(*counts.get("micro", zero)),
        "per_property": {p: _prf(*counts.get(f"p:{p}", zero)) for p in PROPERTIES},
        "per_split": {s: _prf(*counts[f"s:{s}"]) for s in ALL_SPLITS if any(r.text.split == s for r in results)},
        "errors": errors,
    }


# --- running lit --------------------------------------------------------------------------------


def evaluate_facts(
    split: str = "all",
    *,
    model: str | Path | None = None,
    extractor: Any = None,
    root: str | Path | None = None,
    tolerance: float = TOLERANCE,
) -> dict[str, Any]:
    """Run lit's default extraction over the held-out set and score it strictly.

    ``extractor`` (anything with ``extract(doc) -> (facts, n_sentences)``) defaults to
    ``Extractor.load(model)``, the same pipeline ``lit extract`` runs. Returns
    :func:`summarise`'s dict plus the split, the extractor's model versions and the seconds
    extraction took.
    """
    texts = load_eval_set(split, root)
    if extractor is None:
        from lit.extract.pipeline import Extractor  # lazy: loads torch and the NER model

        extractor = Extractor.load(model)
    start = time.perf_counter()
    results = [score_text(t, extractor.extract(paragraph_document(t.text, f"eval/{t.split}/{t.id}"))[0], tolerance) for t in texts]
    seconds = time.perf_counter() - start
    versions = getattr(extractor, "model_versions", None)
    return {
        "split": split,
        "model_versions": versions if isinstance(versions, (dict, list, str)) or versions is None else str(versions),
        "tolerance": tolerance,
        "seconds": round(seconds, 2),
        **summarise(results),
    }
