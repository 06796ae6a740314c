"""Peak memory of ``lit extract`` over a small and a 10x larger corpus: does it grow?

Runs the real CLI (``lit extract DIR --out ... --graph ... --workers W --silent``) as a
child process on generated abstracts (``bench_extract.make_abstracts``) and samples, every
0.2 s with psutil, the resident set size of the whole process tree (driver + workers +
anything they start). Printed per corpus size:

* peak RSS of the tree (sum over processes at the same instant) - what the machine must have;
* peak RSS of the largest single process (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of the
  finished children, cross-checked with the sampled driver peak);

and the growth from the small to the large corpus. The target is a tree peak < 2 GiB on
10,000 abstracts and no growth with corpus size (a flat profile: the difference stays within
sampling noise, while a per-document leak would scale 10x). Run::

    .venv/bin/python scripts/bench_memory.py [--n 1000] [--scale 10] [--workers 2] [--no-graph]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import make_abstracts  # noqa: E402

GIB = 1024**3


def tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """(sum of RSS over the process and its descendants, RSS of the process itself)."""
    try:
        own = proc.memory_info().rss
        total = own
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total, own
    except psutil.Error:
        return 0, 0


def measure(n: int, workers: int, graph: bool, tmp: Path, model: str | None = None) -> dict:
    docs = tmp / f"abstracts-{n}"
    make_abstracts(docs, n)
    lit = str(Path(sys.executable).with_name("lit"))
    cmd = [lit, "extract", str(docs), "--out", str(tmp / f"facts-{n}.jsonl"), "--workers", str(workers), "--silent"]
    cmd += ["--graph", str(tmp / f"graph-{n}")] if graph else ["--no-graph"]
    cmd += ["--model", model] if model else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    peak_tree = peak_driver = 0
    samples = []
    while child.poll() is None:
        total, own = tree_rss(proc)
        peak_tree, peak_driver = max(peak_tree, total), max(peak_driver, own)
        samples.append(total)
        time.sleep(0.2)
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 3):
        sys.exit(f"lit extract failed ({child.returncode}): {stderr[-2000:]}")
    maxrss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "n": n,
        "seconds": seconds,
        "peak_tree": peak_tree,
        "peak_driver": peak_driver,
        # ru_maxrss is the largest single finished descendant so far (KiB on Linux)
        "max_single": max(maxrss_kib, before) * 1024,
        "late_half_mean": sum(samples[len(samples) // 2 :]) / max(1, len(samples) - len(samples) // 2),
        "summary": stdout.strip().splitlines()[0] if stdout.strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="small corpus size (the large one is n * scale)")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-graph", action="store_true", help="facts file only (no embedded graph)")
    parser.add_argument("--model", default=None, help="NER model folder (default: lit's bundle, lit.models.bundle)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="lit-bench-memory-") as tmp:
        for n in (args.n, args.n * args.scale):
            row = measure(n, args.workers, not args.no_graph, Path(tmp), args.model)
            rows.append(row)
            print(
                f"{n:>7} abstracts: tree peak {row['peak_tree'] / GIB:.2f} GiB, driver peak "
                f"{row['peak_driver'] / GIB:.2f} GiB, largest process {row['max_single'] / GIB:.2f} GiB, "
                f"{row['seconds']:.0f} s ({n / row['seconds']:.1f} abstracts/s)\n          {row['summary']}"
            )
    small, large = rows
    growth = (large["peak_tree"] - small["peak_tree"]) / small["peak_tree"]
    print(
        f"growth {args.n} -> {args.n * args.scale}: tree peak {growth:+.1%}, driver peak "
        f"{(large['peak_driver'] - small['peak_driver']) / small['peak_driver']:+.1%}; "
        f"target < 2 GiB: {'met' if large['peak_tree'] < 2 * GIB else 'NOT met'}; "
        f"{'flat' if growth < 0.10 else 'GROWS'} with corpus size (threshold +10%)"
    )


if __name__ == "__main__":
    main()
