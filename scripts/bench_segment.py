"""Throughput of lit's tokenizer and sentence splitter against naive regex baselines.

The chemistry-aware rules must not make segmentation a bottleneck, so this prints the
median time over repeated runs on real article text (the gold-set paragraphs, read from
the fixtures) for:

* ``tokenize`` vs a one-pattern baseline ``\\w+(?:[.,]\\d+)*|[^\\w\\s]`` (the corpus
  converters' fallback tokenizer), and
* ``split_text`` vs a one-pattern baseline that breaks at ``[.!?]`` + space + capital,

with the ratio to the baseline measured in the same run (so the numbers compare on any
machine). Run::

    .venv/bin/python scripts/bench_segment.py [--repeat 7] [--copies 20]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_segmentation as ev  # noqa: E402

from lit.extract.segment import split_text, tokenize  # noqa: E402

_BASE_TOKEN = re.compile(r"\w+(?:[.,]\d+)*|[^\w\s]")
_BASE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def base_tokenize(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BASE_TOKEN.finditer(text)]


def base_split(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _BASE_SPLIT.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def median_seconds(fn: Callable[[str], list], paragraphs: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for p in paragraphs:
            fn(p)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--copies", type=int, default=20, help="how many times the paragraphs are repeated")
    ap.add_argument("--fixtures", type=Path, default=ev.DEFAULT_FIXTURES)
    args = ap.parse_args(argv)
    gold = ev.load_gold()
    paragraphs = [ev.paragraph_text(args.fixtures, e) for e in gold] * args.copies
    chars = sum(len(p) for p in paragraphs)
    n_tok = sum(len(tokenize(p)) for p in paragraphs)
    n_sent = sum(len(split_text(p)) for p in paragraphs)
    print(f"{len(paragraphs)} paragraphs, {chars / 1e6:.2f} M chars, {n_tok} tokens, {n_sent} sentences; median of {args.repeat}")
    for name, ours, base in [
        ("tokenize", tokenize, base_tokenize),
        ("split_text", split_text, base_split),
    ]:
        t_ours = median_seconds(ours, paragraphs, args.repeat)
        t_base = median_seconds(base, paragraphs, args.repeat)
        print(
            f"{name:10s}  lit {t_ours * 1e3:8.1f} ms ({chars / t_ours / 1e6:5.2f} M chars/s)   "
            f"baseline {t_base * 1e3:8.1f} ms ({chars / t_base / 1e6:5.2f} M chars/s)   ratio {t_ours / t_base:4.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
