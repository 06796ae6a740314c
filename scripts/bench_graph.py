"""Graph write throughput: upsert, then re-upsert, realistic facts into the embedded store
and over Bolt, and print facts/s against the targets, beside a baseline run in the same process.

    .venv/bin/python scripts/bench_graph.py --baseline 3f39557          # 100,000 facts, both stores
    .venv/bin/python scripts/bench_graph.py --n 10000 --repeat 1        # a quick run
    .venv/bin/python scripts/bench_graph.py --stores bolt --bolt-uri bolt://host:7687  # a real Neo4j

The facts imitate an ingest: ~5k compounds (a few with hundreds of measurements, most with
a handful: a Zipf-like skew, as in the literature), ~2k documents with ~50 facts each, 30
properties, a sentence of evidence per fact. Two ways of writing them (``--modes``):

* ``calls``: calls of ``--batch`` facts, as ``lit ingest`` does per group of papers; each call
  is timed and the median call is reported (the first calls create tables/constraints and
  warm caches, the median is the steady state), with the whole pass's rate beside it;
* ``bulk``: all facts in one ``upsert`` call (a first load: the embedded store may COPY; the
  Bolt store still writes transactions of its ``batch_size``).

Each mode writes every fact twice (``upsert``, then ``re-upsert``, which must change no counts)
into a fresh graph. ``--baseline REV`` loads the store modules (``graph/embedded.py``,
``graph/neo4j_store.py``) as they were at git revision REV and runs them in the same process,
interleaved with the current code, so the ratio compares the two under the same load; every
number is the median over ``--repeat`` repeats. Without ``--bolt-uri`` an ArcadeDB Bolt
server is started for the run (``tests/bolt_server.py``; its start-up is not timed) and its
database is dropped and re-created before each measurement. With ``--bolt-uri``, the database
it names is WIPED first: never point this at a graph you care about.

Targets (issue): embedded >= 20,000 facts/s, Bolt >= 10,000 facts/s. The machine and its
load matter: the script prints CPU count and load average beside the numbers.
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

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


Pass = list[tuple[int, float]]  # (facts, seconds) of every call in one pass


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system, all threads) used so far by this process or by ``pid``.

    Wall time on a shared machine follows the other jobs' load; CPU time much less so, which
    makes it the steadier of the two for comparing code paths."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_passes(
    store: GraphStore, docs: list[DocumentInfo], facts: list[Fact], batch: int, server_pid: int | None = None
) -> tuple[dict[str, Pass], dict[str, float]]:
    """Upsert all facts in calls of ``batch``, then again: (facts, seconds) of every call, and
    the CPU seconds of each pass (``<pass> cpu``, this process; ``<pass> server cpu``)."""
    by_doc = {d.doc_id: d for d in docs}
    chunks = [facts[i : i + batch] for i in range(0, len(facts), batch)]
    out: dict[str, Pass] = {}
    cpu: dict[str, float] = {}
    for name in ("upsert", "re-upsert"):
        run = ExtractionRun(run_id=f"bench-{name}", started="2026-11-26T00:00:00+00:00", lit_version="bench")
        calls = []
        c0 = cpu_seconds()
        s0 = cpu_seconds(server_pid) if server_pid else 0.0
        for chunk in chunks:
            chunk_docs = [by_doc[i] for i in dict.fromkeys(f.doc_id for f in chunk)]
            t0 = time.perf_counter()
            store.upsert(chunk_docs, chunk, run)
            calls.append((len(chunk), time.perf_counter() - t0))
        out[name] = calls
        cpu[f"{name} cpu"] = cpu_seconds() - c0
        if server_pid:
            cpu[f"{name} server cpu"] = cpu_seconds(server_pid) - s0
    return out, cpu


def baseline_module(name: str, rev: str) -> ModuleType:
    """``lit.graph.<name>`` as it was at git revision ``rev``, loaded under another name, so
    the old and the new write path run in one process, under the same load."""
    shown = subprocess.run(["git", "show", f"{rev}:graph/{name}.py"], cwd=REPO, capture_output=True, text=True)
    if shown.returncode != 0:
        raise SystemExit(f"--baseline {rev}: git cannot show graph/{name}.py there: {shown.stderr.strip()}")
    source = shown.stdout
    module = ModuleType(f"lit_graph_{name}_{rev}")
    module.__file__ = f"{rev}:graph/{name}.py"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


class Stores:
    """Fresh stores of one kind for each measurement, from the current code or a baseline."""

    def __init__(self, kind: str, batch: int, bolt_uri: str | None, baseline: str | None):
        self.kind, self.batch, self.bolt_uri = kind, batch, bolt_uri
        name = "embedded" if kind == "embedded" else "neo4j_store"
        self.paths: dict[str, ModuleType] = {"new": importlib.import_module(f"lit.graph.{name}")}
        if baseline:
            self.paths[f"base {baseline}"] = baseline_module(name, baseline)
        self.server = None
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-graph-")
        self.made = 0
        if kind == "bolt" and bolt_uri is None:
            from tests.bolt_server import BoltServer

            self.server = BoltServer()
            t0 = time.perf_counter()
            ep = self.server.start()
            print(f"  ArcadeDB Bolt server started in {time.perf_counter() - t0:.1f} s on {ep.uri}")

    def open(self, path: str) -> GraphStore:
        module = self.paths[path]
        if self.kind == "embedded":
            self.made += 1
            return module.EmbeddedStore(Path(self.tmp.name) / f"g{self.made}")
        if self.server is not None:
            self.server.reset_database()
            ep = self.server.endpoint
            return module.Neo4jStore.connect(
                ep.uri, user=ep.user, password=ep.password, database=ep.database, batch_size=self.batch
            )
        store = module.Neo4jStore.connect(self.bolt_uri, batch_size=self.batch)
        store.wipe()
        return store

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        self.tmp.cleanup()


def measure(stores: Stores, path: str, mode: str, docs, facts) -> tuple[dict[str, float], dict[str, int]]:
    """One measurement in a fresh graph: rates per pass (``upsert``/``re-upsert`` median call,
    ``... whole`` the pass's facts over its seconds) and the graph's counts after each pass."""
    store = stores.open(path)
    try:
        size = stores.batch if mode == "calls" else len(facts)
        passes, cpu = timed_passes(store, docs, facts, size, stores.server.pid if stores.server else None)
        counts = store.counts()
    finally:
        t0 = time.perf_counter()
        store.close()  # the embedded store checkpoints here what its log still holds
        closing = time.perf_counter() - t0
    rates = dict(cpu)
    rates["close s"] = closing
    seconds = sum(s for calls in passes.values() for _, s in calls)
    rates["both passes + close"] = sum(n for calls in passes.values() for n, _ in calls) / (seconds + closing)
    for name, calls in passes.items():
        rates[name] = statistics.median(n / s for n, s in calls)
        rates[f"{name} whole"] = sum(n for n, _ in calls) / sum(s for _, s in calls)
    return rates, counts


def bench(kind: str, docs, facts, args: argparse.Namespace) -> dict[tuple[str, str], dict[str, float]]:
    """Every (code path, mode) ``--repeat`` times, interleaved; prints medians and ratios."""
    stores = Stores(kind, args.batch, args.bolt_uri, args.baseline)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    try:
        if kind == "bolt":  # a fresh JVM runs its first writes cold (JIT): warm it untimed
            measure(stores, "new", "calls", docs, facts[: min(len(facts), 10 * args.batch)])
        for repeat in range(args.repeat):
            for mode in modes:
                # Alternate which path goes first: a JVM still warming favours the second.
                order = list(stores.paths) if repeat % 2 else list(reversed(stores.paths))
                for path in order:
                    rates, counts[path, mode] = measure(stores, path, mode, docs, facts)
                    runs.setdefault((path, mode), []).append(rates)
    finally:
        stores.close()
    target = TARGETS[kind]
    medians = {key: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for key, rs in runs.items()}
    for mode in modes:
        for path in stores.paths:
            m = medians[path, mode]
            unit = f"median call of {args.batch:,}" if mode == "calls" else f"one call of {len(facts):,}"
            print(
                f"  {kind:8s} {path:12s} {mode:5s} upsert {m['upsert']:8,.0f}/s  re-upsert {m['re-upsert']:8,.0f}/s"
                f"  ({unit}; whole passes {m['upsert whole']:,.0f} / {m['re-upsert whole']:,.0f}/s)"
                f"  target {target:,.0f}/s: {m['upsert'] / target:.2f}"
            )
            cpu = "; ".join(f"{k} {m[k]:.1f} s" for k in m if k.endswith("cpu"))
            print(
                f"  {'':8s} {'':12s} {mode:5s} close {m['close s']:.2f} s; both passes with the close "
                f"{m['both passes + close']:,.0f}/s; CPU seconds per pass: {cpu}"
            )
        if len(stores.paths) == 2:
            base = medians[list(stores.paths)[1], mode]
            new = medians["new", mode]
            ratios = ", ".join(f"{k} {new[k] / base[k]:.2f}x" for k in new if "cpu" not in k and k != "close s")
            ratios += "; CPU seconds new/baseline (lower is better): "
            ratios += ", ".join(f"{k[:-4]} {new[k] / base[k]:.2f}" for k in new if "cpu" in k)
            print(f"  {kind:8s} new / baseline ({mode}): {ratios}")
    sizes = {tuple(sorted(c.items())) for c in counts.values()}
    verdict = "the same for every path and mode" if len(sizes) == 1 else "DIFFER"
    print(f"  {kind:8s} graph after both passes ({verdict}): {next(iter(counts.values()))}")
    if len(sizes) != 1:
        for key, c in counts.items():
            print(f"    {key}: {c}")
    return medians


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="facts to write (default 100,000)")
    parser.add_argument("--batch", type=int, default=5000, help="facts per upsert call in the calls mode")
    parser.add_argument("--stores", default="embedded,bolt", help="comma list: embedded, bolt")
    parser.add_argument("--modes", default="calls,bulk", help="comma list: calls, bulk")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of every measurement (medians)")
    parser.add_argument("--baseline", default=None, help="git revision whose store code runs beside (e.g. main)")
    parser.add_argument("--bolt-uri", default=None, help="an existing server (credentials from NEO4J_*); WIPED")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    docs, facts = synthetic_facts(args.n, args.seed)
    compounds = len({f.compound for f in facts})
    print(
        f"{len(facts):,} facts, {compounds:,} compounds, {len(docs):,} documents "
        f"(generated in {time.perf_counter() - t0:.1f} s); calls of {args.batch:,} facts; "
        f"medians of {args.repeat} repeats; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    for name in [s.strip() for s in args.stores.split(",") if s.strip()]:
        if name not in TARGETS:
            parser.error(f"unknown store {name!r}")
        bench(name, docs, facts, args)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
