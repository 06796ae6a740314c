"""Resident memory of a process writing into the embedded graph, with and without reopening.

LadybugDB's Database object keeps memory for every write until it is closed, so
``EmbeddedStore`` reopens it once its estimated growth reaches ``REOPEN_AFTER_MIB``. This
script writes the same synthetic facts (``bench_graph.synthetic_facts``) in calls of ``--call`` facts, once with
the store's setting and once never reopening (the baseline), each in a fresh process so that
neither inherits the other's heap, and prints RSS every ``--every`` facts plus the write rate.

Usage::

    .venv/bin/python scripts/bench_graph_memory.py [--facts 150000] [--call 500] [--every 25000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(n: int, call: int, every: int, reopen: bool) -> None:
    """Write ``n`` facts and print one JSON line: RSS samples and facts/s."""
    sys.path.insert(0, str(HERE))
    import bench_graph

    import lit.graph.embedded as embedded

    if not reopen:
        embedded.REOPEN_AFTER_MIB = float("inf")
    docs, facts = bench_graph.synthetic_facts(n)
    by_id = {d.doc_id: d for d in docs}
    samples = [(0, round(_rss_mib()))]
    with tempfile.TemporaryDirectory() as tmp:
        store = embedded.EmbeddedStore(Path(tmp) / "graph")
        started = time.perf_counter()
        for i in range(0, n, call):
            chunk = facts[i : i + call]
            store.upsert([by_id[d] for d in dict.fromkeys(f.doc_id for f in chunk)], chunk)
            if (i + call) % every == 0:
                samples.append((i + call, round(_rss_mib())))
        seconds = time.perf_counter() - started
        store.close()
    print(json.dumps({"samples": samples, "facts_per_s": round(n / seconds)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--facts", type=int, default=150_000)
    ap.add_argument("--call", type=int, default=500, help="facts per upsert call (an ingest's batch)")
    ap.add_argument("--every", type=int, default=25_000, help="facts between RSS samples")
    ap.add_argument("--child", choices=["reopen", "never"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.facts, args.call, args.every, args.child == "reopen")
        return
    from lit.graph.embedded import REOPEN_AFTER_MIB

    rows = {}
    for mode in ("never", "reopen"):
        cmd = [sys.executable, __file__, "--facts", str(args.facts), "--call", str(args.call),
               "--every", str(args.every), "--child", mode]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"# {args.facts} facts in calls of {args.call}; RSS in MiB; load {os.getloadavg()[0]:.1f}")
    print(f"{'facts written':>14} {'never reopen':>13} {f'reopen@{REOPEN_AFTER_MIB:g}MiB':>14}")
    for (n, never), (_, reopen) in zip(rows["never"]["samples"], rows["reopen"]["samples"]):
        print(f"{n:>14} {never:>13} {reopen:>14}")
    never_rate, reopen_rate = rows["never"]["facts_per_s"], rows["reopen"]["facts_per_s"]
    print(f"{'facts/s':>14} {never_rate:>13} {reopen_rate:>14}  ({reopen_rate / never_rate:.2f}x)")


if __name__ == "__main__":
    main()
