"""The fact set written in this project (``corpora/eval``): its gold and its loader.

``corpora/eval`` also holds a ``dev`` split for tuning; it is scored only when asked for by
name (``--split dev``) and is never part of ``all``, the held-out measurement.

The texts were written here, so they measure lit only on prose like its authors'; the
real-text benchmark (:mod:`lit.models.benchmark`) is the yardstick, and this set is kept as
its regression set ``ours`` (``lit evaluate facts --set ours``), scored by the same rule.
The gold format is described in ``corpora/eval/README.md``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from lit.errors import CorpusError
from lit.extract.normalize.compounds import normalize_compound

__all__ = [
    "PROPERTIES",
    "SPLITS",
    "DEV_SPLIT",
    "ALL_SPLITS",
    "GoldFact",
    "EvalText",
    "default_eval_dir",
    "load_eval_set",
    "compound_keys",
]

#: The only properties the gold set annotates (the scope of the ``ours`` benchmark set).
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

