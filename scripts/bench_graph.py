"""Graph write throughput: upsert, then re-upsert, realistic facts into the embedded store
and over Bolt, and print facts/s against the targets.

    .venv/bin/python scripts/bench_graph.py              # 100,000 facts, both stores
    .venv/bin/python scripts/bench_graph.py --n 10000    # a quick run
    .venv/bin/python scripts/bench_graph.py --stores bolt --bolt-uri bolt://host:7687  # a real Neo4j

The facts imitate an ingest: ~5k compounds (a few with hundreds of measurements, most with
a handful: a Zipf-like skew, as in the literature), ~2k documents with ~50 facts each, 30
properties, a sentence of evidence per fact. They are written in calls of ``--batch`` facts,
as ``lit ingest`` does per group of papers; each call is timed, and the median over calls is
reported (the first calls create tables/constraints and warm caches, the median is the
steady state). Without ``--bolt-uri`` an ArcadeDB Bolt server is started for the run
(``tests/bolt_server.py``; its start-up is not timed). With one, the database it names is
WIPED first: never point this at a graph you care about.

Targets (issue): embedded >= 20,000 facts/s, Bolt >= 10,000 facts/s. The machine and its
load matter: the script prints CPU count and load average beside the numbers.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lit.extract.document import DocumentInfo, content_id  # noqa: E402
from lit.extract.facts import Fact  # noqa: E402
from lit.graph.store import ExtractionRun, GraphStore  # noqa: E402

TARGETS = {"embedded": 20_000.0, "bolt": 10_000.0}

ELEMENTS = (
    "H Li Be B C N O F Na Mg Al Si P S Cl K Ca Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Rb Sr "
    "Y Zr Nb Mo Ag Cd In Sn Sb Te I Cs Ba La Ce Nd Sm Gd Hf Ta W Pt Au Hg Pb Bi"
).split()
PROPERTIES = [
    ("band gap", "eV", 0.1, 6.0), ("melting point", "K", 200, 3500), ("boiling point", "K", 250, 4000),
    ("density", "g/cm3", 0.5, 20), ("bulk modulus", "GPa", 5, 400), ("Young's modulus", "GPa", 1, 1000),
    ("thermal conductivity", "W/(m K)", 0.1, 400), ("electrical conductivity", "S/cm", 1e-6, 1e5),
    ("Seebeck coefficient", "uV/K", -300, 300), ("dielectric constant", "", 2, 5000),
    ("specific capacity", "mAh/g", 20, 400), ("Curie temperature", "K", 10, 1200),
    ("Neel temperature", "K", 5, 900), ("glass transition temperature", "K", 150, 700),
    ("lattice constant", "angstrom", 2, 15), ("refractive index", "", 1.2, 4),
    ("hardness", "GPa", 0.1, 80), ("magnetic moment", "muB", 0, 10),
    ("formation energy", "eV/atom", -4, 1), ("surface area", "m2/g", 1, 3000),
    ("pore size", "nm", 0.3, 50), ("yield", "%", 1, 99), ("PCE", "%", 0.1, 26),
    ("open-circuit voltage", "V", 0.2, 1.5), ("carrier mobility", "cm2/(V s)", 0.01, 1e4),
    ("exciton binding energy", "meV", 1, 500), ("work function", "eV", 2, 6),
    ("superconducting transition temperature", "K", 0.1, 140), ("decomposition temperature", "K", 300, 1500),
    ("solubility", "mg/mL", 0.001, 500),
]  # fmt: skip


def _formula(rng: random.Random) -> str:
    parts = rng.sample(ELEMENTS, rng.randint(1, 4))
    return "".join(p + (str(rng.randint(2, 6)) if rng.random() < 0.5 else "") for p in parts)


def synthetic_facts(n: int, seed: int = 0) -> tuple[list[DocumentInfo], list[Fact]]:
    """``n`` facts over ~n/20 compounds and ~n/50 documents, deterministic for a seed."""
    rng = random.Random(seed)
    n_compounds, n_docs = max(1, n // 20), max(1, n // 50)
    compounds = list(dict.fromkeys(_formula(rng) for _ in range(n_compounds * 2)))[:n_compounds]
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(compounds))]  # Zipf-like skew
    docs = []
    for i in range(n_docs):
        doc_id, sha = content_id(f"bench document {seed}/{i}".encode())
        docs.append(
            DocumentInfo(
                doc_id=doc_id, source=f"papers/{i:05d}.pdf", format="pdf", sha256=sha,
                title=f"Synthesis and properties of compound family {i}", doi=f"10.5555/bench.{seed}.{i}",
                authors=[f"A. Author{i % 97}", f"B. Author{i % 89}"], journal="J. Bench", year=1990 + i % 35,
            )
        )  # fmt: skip
    picks = rng.choices(range(len(compounds)), weights=weights, k=n)
    facts = []
    for i in range(n):
        doc = docs[i * n_docs // n]
        name = compounds[picks[i]]
        prop, unit, lo, hi = rng.choice(PROPERTIES)
        value = round(rng.uniform(lo, hi), 3)
        raw = f"{value} {unit}".strip()
        sentence = f"The {prop} of {name} measured at 300 K was {raw}, in line with earlier reports."
        start = (i % 50) * 400 + 120
        c0 = start + sentence.index(name)
        v0 = start + sentence.index(raw)
        facts.append(
            Fact(
                compound=name, property=prop, value=value, unit=unit, raw_value=raw, doc_id=doc.doc_id,
                source=doc.source, start=start, end=start + len(sentence), sentence=sentence,
                model="bench-model-1", conditions={"temperature": "300 K"}, confidence=rng.uniform(0.5, 1.0),
                section="Results", formula=name, property_text=prop, compound_start=c0,
                compound_end=c0 + len(name), value_start=v0, value_end=v0 + len(raw),
            )
        )  # fmt: skip
    return docs, facts


def timed_passes(
    store: GraphStore, docs: list[DocumentInfo], facts: list[Fact], batch: int
) -> dict[str, list[tuple[int, float]]]:
    """Upsert all facts in calls of ``batch``, then again; (facts, seconds) of every call."""
    by_doc = {d.doc_id: d for d in docs}
    chunks = [facts[i : i + batch] for i in range(0, len(facts), batch)]
    out: dict[str, list[float]] = {}
    for name in ("upsert", "re-upsert"):
        run = ExtractionRun(run_id=f"bench-{name}", started="2026-11-26T00:00:00+00:00", lit_version="bench")
        calls = []
        for chunk in chunks:
            chunk_docs = [by_doc[i] for i in dict.fromkeys(f.doc_id for f in chunk)]
            t0 = time.perf_counter()
            store.upsert(chunk_docs, chunk, run)
            calls.append((len(chunk), time.perf_counter() - t0))
        out[name] = calls
    return out


def report(
    label: str, target: float, passes: dict[str, list[tuple[int, float]]], counts: dict[str, int]
) -> dict[str, float]:
    """Print per-pass medians (and min/max, whole-pass rate) and the ratio to the target."""
    medians = {}
    for name, calls in passes.items():
        rates = [n / s for n, s in calls]
        medians[name] = statistics.median(rates)
        total = sum(n for n, _ in calls) / sum(s for _, s in calls)
        print(
            f"  {label:8s} {name:9s} median {medians[name]:9,.0f} facts/s over {len(rates)} calls "
            f"(min {min(rates):,.0f}, max {max(rates):,.0f}, whole pass {total:,.0f}/s)  "
            f"target {target:,.0f}/s  ratio {medians[name] / target:.2f}"
        )
    print(f"  {label:8s} graph after both passes: {counts}")
    return medians


def bench_embedded(docs, facts, batch: int) -> dict[str, float]:
    from lit.graph.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory(prefix="bench-graph-") as tmp:
        store = EmbeddedStore(Path(tmp) / "graph")
        try:
            passes = timed_passes(store, docs, facts, batch)
            counts = store.counts()
        finally:
            store.close()
    return report("embedded", TARGETS["embedded"], passes, counts)


def bench_bolt(docs, facts, batch: int, uri: str | None) -> dict[str, float]:
    from lit.graph.neo4j_store import Neo4jStore

    server = None
    if uri is None:
        from tests.bolt_server import BoltServer

        server = BoltServer()
        t0 = time.perf_counter()
        ep = server.start()
        print(f"  ArcadeDB Bolt server started in {time.perf_counter() - t0:.1f} s on {ep.uri}")
        connect: Callable[[], Neo4jStore] = lambda: Neo4jStore.connect(
            ep.uri, user=ep.user, password=ep.password, database=ep.database, batch_size=batch
        )
    else:
        connect = lambda: Neo4jStore.connect(uri, batch_size=batch)  # noqa: E731
    try:
        store = connect()
        try:
            store.wipe()
            passes = timed_passes(store, docs, facts, batch)
            counts = store.counts()
        finally:
            store.close()
    finally:
        if server is not None:
            server.close()
    return report("bolt", TARGETS["bolt"], passes, counts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="facts to write (default 100,000)")
    parser.add_argument("--batch", type=int, default=5000, help="facts per upsert call")
    parser.add_argument("--stores", default="embedded,bolt", help="comma list: embedded, bolt")
    parser.add_argument("--bolt-uri", default=None, help="an existing server (credentials from NEO4J_*); WIPED")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    docs, facts = synthetic_facts(args.n, args.seed)
    compounds = len({f.compound for f in facts})
    print(
        f"{len(facts):,} facts, {compounds:,} compounds, {len(docs):,} documents "
        f"(generated in {time.perf_counter() - t0:.1f} s); calls of {args.batch:,} facts; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    results: dict[str, dict[str, float]] = {}
    for name in [s.strip() for s in args.stores.split(",") if s.strip()]:
        if name == "embedded":
            results[name] = bench_embedded(docs, facts, args.batch)
        elif name == "bolt":
            results[name] = bench_bolt(docs, facts, args.batch, args.bolt_uri)
        else:
            parser.error(f"unknown store {name!r}")
    if {"embedded", "bolt"} <= results.keys():
        for name in ("upsert", "re-upsert"):
            ratio = results["bolt"][name] / results["embedded"][name]
            print(f"  bolt / embedded ({name}): {ratio:.2f}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
