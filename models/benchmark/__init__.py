"""Fact benchmarks on text nobody in this project wrote: the yardstick of ``lit evaluate facts``.

Every set gives :class:`~lit.models.benchmark.gold.BenchSet` (documents and gold facts for a
``dev`` or ``test`` split); :mod:`~lit.models.benchmark.score` scores any predictions against
it by one strict rule; :mod:`~lit.models.benchmark.run` runs lit over it, batched.

=============  ==================================================================  ==========
set            gold                                                                scores
=============  ==================================================================  ==========
``realtext``   third-party abstracts annotated by hand for lit (corpora/realtext)  P/R/F1
``sofc_exp``   SOFC-Exp experiment frames, conductivity and open-circuit voltage   P/R/F1
``polyie``     PolyIE tuples whose property name is in lit's vocabulary            P/R/F1
``battery``    silver battery triples (capacity, CE, energy density, conductivity) recall
``ours``       the texts written in this project (corpora/eval), regression only   P/R/F1
=============  ==================================================================  ==========

MSPT (synthesis procedures) is not a set: its few property-value links are yields, sizes and
amounts, which lit's vocabulary does not name (see models/benchmark/README.md).
"""

from __future__ import annotations

import importlib
from typing import Any

from lit.errors import CorpusError

from .gold import SPLITS, BenchSet

#: Set name -> module with ``load(split, ...)``.
SETS: dict[str, str] = {
    "realtext": "lit.models.benchmark.realtext",
    "sofc_exp": "lit.models.benchmark.sofc_exp",
    "polyie": "lit.models.benchmark.polyie",
    "battery": "lit.models.benchmark.battery",
    "ours": "lit.models.benchmark.ours",
}
#: What ``--set real`` means: every set of third-party text.
REAL: tuple[str, ...] = ("realtext", "sofc_exp", "polyie", "battery")


def load_set(name: str, split: str, **kwargs: Any) -> BenchSet:
    """Split ``split`` of set ``name``; CorpusError for an unknown name or split."""
    if name not in SETS:
        raise CorpusError(f"unknown set {name!r}: use {', '.join(SETS)} or real")
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
    return importlib.import_module(SETS[name]).load(split, **kwargs)


def set_names(spec: str) -> list[str]:
    """``"real"``, one name, or a comma-separated list -> set names, in order, checked."""
    names: list[str] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        for name in REAL if part == "real" else (part,):
            if name not in SETS:
                raise CorpusError(f"unknown set {name!r}: use {', '.join(SETS)} or real")
            if name not in names:
                names.append(name)
    return names


__all__ = ["REAL", "SETS", "SPLITS", "BenchSet", "load_set", "set_names"]
