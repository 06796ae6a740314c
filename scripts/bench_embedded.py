"""Benchmark the embedded store's upsert (LadybugDB): facts per second.

Prints medians over ``--repeat`` fresh stores for
  first     a first ingest of N facts (and their run) into an empty graph (the bulk COPY path),
  again     the same N facts again (idempotent: compared, nothing written),
  reextract 10% of the documents re-extracted by a newer model (updates + supersession),
  per-doc   then 40 new documents, one ``upsert`` call each (the nightly ingest's pattern),
            with the small-batch CREATE path and, for comparison, forced through COPY,
and, as the baseline measured in the same run, the plain row-at-a-time Cypher upsert
(``UNWIND $rows MERGE`` nodes with bound keys, ``MATCH ... MERGE`` relationships) on a small
batch, with the ratio of each path to it. Wall and CPU (process) seconds are both shown:
on a shared machine the wall time depends on the load, printed alongside.

    .venv/bin/python scripts/bench_embedded.py --facts 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact
from lit.graph import embedded, schema
from lit.graph.embedded import EmbeddedStore
from lit.graph.store import ExtractionRun

ELEMENTS = ["Li", "Na", "K", "Cs", "Mg", "Ca", "Sr", "Ba", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni",
            "Cu", "Zn", "Ga", "Ge", "Sn", "Pb", "Bi", "Al", "In", "Sb", "Se", "Te", "S", "O", "N"]
PROPERTIES = [("band_gap", "eV"), ("curie_temperature", "K"), ("neel_temperature", "K"),
              ("melting_point", "K"), ("density", "g/cm3"), ("bulk_modulus", "GPa"),
              ("seebeck_coefficient", "uV/K"), ("dielectric_constant", ""),
              ("thermal_conductivity", "W/(m K)"), ("refractive_index", "")]


def make_data(n: int, per_doc: int = 25, seed: int = 7) -> tuple[list[DocumentInfo], list[Fact]]:
    """Realistic-sized facts: ~150-character evidence sentences, a few thousand compounds,
    conditions on a third of them, ``per_doc`` facts per paper."""
    rng = random.Random(seed)
    compounds = sorted({
        "".join(f"{e}{rng.choice(['', '2', '3', '4'])}" for e in rng.sample(ELEMENTS, rng.randint(2, 4)))
        for _ in range(max(100, n // 20))
    })
    docs = [
        DocumentInfo(doc_id=f"{j:020x}", source=f"papers/{j}.pdf", format="pdf", sha256=f"{j:064x}",
                     title=f"Paper {j} on functional materials", doi=f"10.5555/bench.{j}",
                     journal="J. Bench. Mater.", year=1995 + j % 30, authors=["A. Author", "B. Author"])
        for j in range((n + per_doc - 1) // per_doc)
    ]
    facts = []
    for i in range(n):
        prop, unit = PROPERTIES[i % len(PROPERTIES)]
        comp = compounds[rng.randrange(len(compounds))]
        value = round(rng.uniform(0.1, 1500.0), 3)
        sentence = (f"The measured {prop.replace('_', ' ')} of {comp} thin films grown by pulsed laser "
                    f"deposition is {value} {unit}, in good agreement with earlier reports.")
        start = (i % per_doc) * 400
        facts.append(Fact(
            compound=comp, property=prop, value=value, unit=unit, raw_value=f"{value} {unit}".strip(),
            doc_id=docs[i // per_doc].doc_id, source=docs[i // per_doc].source, start=start,
            end=start + len(sentence), sentence=sentence, model="lit-ner-0.1+re-0.1",
            conditions={"temperature": "300 K"} if i % 3 == 0 else {}, confidence=rng.random(),
            section="Results", compound_start=start + sentence.index(comp),
            compound_end=start + sentence.index(comp) + len(comp),
        ))
    return docs, facts


def baseline_upsert(path: Path, docs: list[DocumentInfo], facts: list[Fact]) -> None:
    """The straightforward Cypher upsert, row at a time inside one transaction."""
    import ladybug

    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    for stmt in schema.ladybug_ddl():
        conn.execute(stmt)
    rows = schema.graph_rows(docs, facts)
    conn.execute("BEGIN TRANSACTION")
    for node in schema.NODE_TYPES:
        sets = ", ".join(f"n.{schema.quote(p.name)} = CAST(r.{schema.quote(p.name)} AS {p.type})"
                         for p in node.props if p.name != node.key)
        if rows.nodes[node.label]:
            conn.execute(f"UNWIND $rows AS r WITH r, r.{node.key} AS k MERGE (n:{node.label} {{{node.key}: k}}) "
                         f"SET {sets}", {"rows": rows.nodes[node.label]})
    for rel in schema.REL_TYPES:
        src, dst = schema.NODES[rel.src], schema.NODES[rel.dst]
        if rows.rels[rel.type]:
            conn.execute(f"UNWIND $rows AS r WITH r.src AS a, r.dst AS b MATCH (x:{src.label} {{{src.key}: a}}) "
                         f"MATCH (y:{dst.label} {{{dst.key}: b}}) MERGE (x)-[:{rel.type}]->(y)",
                         {"rows": rows.rels[rel.type]})
    conn.execute("COMMIT")
    conn.close()
    db.close()


def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-facts", type=int, default=1000)
    args = ap.parse_args()

    per_doc, n_new = 25, 40
    docs, facts = make_data(args.facts + 2 * n_new * per_doc, per_doc)
    new_docs, new_facts = docs[-2 * n_new:], facts[args.facts:]
    docs, facts = docs[: -2 * n_new], facts[: args.facts]
    touched = {d.doc_id for d in docs[: max(1, len(docs) // 10)]}
    newer = [replace(f, model="lit-ner-0.2+re-0.2", confidence=min(1.0, f.confidence + 0.01))
             if f.doc_id in touched else f for f in facts if f.doc_id in touched]
    bdocs, bfacts = make_data(args.baseline_facts, seed=11)
    results: dict[str, list[tuple[float, float]]] = {
        "first": [], "again": [], "reextract": [], "per-doc": [], "per-doc-copy": [], "baseline": []}

    def one_by_one(store: EmbeddedStore, part: int) -> None:
        for j in range(n_new):
            d = new_docs[part * n_new + j]
            store.upsert([d], [f for f in new_facts if f.doc_id == d.doc_id])

    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            with EmbeddedStore(Path(tmp) / f"g{r}") as store:
                run1 = ExtractionRun("run-1", "2026-11-25T02:00:00+00:00", "0.1.0", ["lit-ner-0.1+re-0.1"])
                run2 = ExtractionRun("run-2", "2026-11-26T02:00:00+00:00", "0.1.0", ["lit-ner-0.2+re-0.2"])
                results["first"].append(timed(lambda: store.upsert(docs, facts, run1)))
                results["again"].append(timed(lambda: store.upsert(docs, facts, run1)))
                results["reextract"].append(
                    timed(lambda: store.upsert([d for d in docs if d.doc_id in touched], newer, run2)))
                results["per-doc"].append(timed(lambda: one_by_one(store, 0)))
                saved, embedded.COPY_MIN_ROWS = embedded.COPY_MIN_ROWS, 1
                try:
                    results["per-doc-copy"].append(timed(lambda: one_by_one(store, 1)))
                finally:
                    embedded.COPY_MIN_ROWS = saved
                counts = store.counts()
            results["baseline"].append(timed(lambda: baseline_upsert(Path(tmp) / f"b{r}.lbdb", bdocs, bfacts)))
    sizes = {"first": len(facts), "again": len(facts), "reextract": len(newer),
             "per-doc": n_new * per_doc, "per-doc-copy": n_new * per_doc, "baseline": len(bfacts)}
    rate = {k: sizes[k] / statistics.median(w for w, _ in v) for k, v in results.items()}
    print(f"embedded upsert, {args.facts} facts over {len(docs)} documents, median of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"graph after: {counts}")
    for k, v in results.items():
        wall = statistics.median(w for w, _ in v)
        cpu = statistics.median(c for _, c in v)
        print(f"  {k:<12} {sizes[k]:>7} facts  wall {wall:7.2f} s  cpu {cpu:7.2f} s  "
              f"{rate[k]:>9.0f} facts/s  ({rate[k] / rate['baseline']:.1f}x baseline)")


if __name__ == "__main__":
    main()
