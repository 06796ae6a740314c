"""Benchmark: normalisation throughput on PolyIE's annotated mentions.

Prints medians (µs per mention) of parse_quantity, PropertyVocabulary.match,
canonicalize and normalize_compound, each with its ratio to a baseline measured in the
same run: one precompiled regex search for a number over the same strings (the cheapest
thing that could pretend to parse a value). Usage:

    .venv/bin/python scripts/bench_normalize.py [--repeat 5]

Reads the corpus via LIT_CORPORA (default ../shared/corpora).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from pathlib import Path
from typing import Callable

from lit.extract.normalize import (
    CanonicalValue,
    PropertyVocabulary,
    normalize_compound,
    parse_quantity,
)
from lit.extract.normalize import units

ROOT = Path(__file__).resolve().parents[1]


def _mentions() -> dict[str, list[str]]:
    corpora = Path(os.environ.get("LIT_CORPORA", ROOT.parent / "shared" / "corpora"))
    base = corpora / "polyie" / "Cleaned_data" / "Final_v2"
    out: dict[str, list[str]] = {}
    for split in ("train", "validation", "test"):
        data = json.loads((base / f"{split}_split.txt").read_text(encoding="utf-8"))
        for doc_t, doc_l in zip(data["text"], data["label"]):
            for toks, labs in zip(doc_t, doc_l):
                cur: tuple[str, list[str]] | None = None
                for tok, lab in zip(toks + [""], labs + ["O"]):
                    if lab.startswith("I-") and cur and cur[0] == lab[2:]:
                        cur[1].append(tok)
                        continue
                    if cur:
                        out.setdefault(cur[0], []).append(" ".join(cur[1]))
                    cur = (lab[2:], [tok]) if lab.startswith("B-") else None
    return out


def _median_us(fn: Callable[[str], object], items: list[str], repeat: int, cold: Callable[[], None]) -> float:
    """Median over ``repeat`` runs of the per-item time; ``cold`` clears caches first."""
    runs = []
    for _ in range(repeat):
        cold()
        t = time.perf_counter()
        for x in items:
            fn(x)
        runs.append((time.perf_counter() - t) / len(items) * 1e6)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    m = _mentions()
    vocab = PropertyVocabulary.load()
    pv, pn, cn = m["PV"], m["PN"], m["CN"]
    number = re.compile(r"[-+]?\d+(?:\.\d+)?")
    quantities = [(vocab.match("band gap"), q) for q in map(parse_quantity, pv) if q is not None]

    def clear() -> None:  # measure with caches cold, as a fresh process would be
        units.normalize_unit.cache_clear()
        normalize_compound.cache_clear()

    def canon(i: str) -> object:
        return vocab.canonicalize(*quantities[int(i)])

    def noop() -> None:
        return None

    base = _median_us(number.search, pv, args.repeat, noop)
    rows = [
        ("baseline re.search(number)", len(pv), base),
        ("parse_quantity (cold unit cache)", len(pv), _median_us(parse_quantity, pv, args.repeat, clear)),
        ("parse_quantity (warm)", len(pv), _median_us(parse_quantity, pv, args.repeat, noop)),
        ("vocab.match", len(pn), _median_us(vocab.match, pn, args.repeat, noop)),
        ("vocab.canonicalize (band_gap)", len(quantities),
         _median_us(canon, [str(i) for i in range(len(quantities))], args.repeat, noop)),
        ("normalize_compound (cold cache)", len(cn), _median_us(normalize_compound, cn, args.repeat, clear)),
        ("normalize_compound (warm cache)", len(cn), _median_us(normalize_compound, cn, args.repeat, noop)),
    ]
    print(f"{'step':36} {'n':>6} {'median µs/item':>15} {'× baseline':>11}")
    for name, n, us in rows:
        print(f"{name:36} {n:6d} {us:15.2f} {us / base:11.1f}")
    ok = sum(isinstance(vocab.canonicalize(p, q), CanonicalValue) for p, q in quantities)
    print(f"(band_gap accepted {ok}/{len(quantities)} PolyIE values — a sanity count, not a metric)")


if __name__ == "__main__":
    main()
