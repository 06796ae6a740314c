"""Documents travel to workers in groups (one NER call per group): grouping limits, and a
worker that dies inside a group costs only the document that killed it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from lit.extract.batch import run_batch
from lit.extract.pipeline import DocumentResult, Extractor
from lit.extract.workers import ProcessPool, _work, group_paths
from tests.batch_corpus import make_corpus, read_facts, require_html_reader


def test_batch_groups_by_count_and_size(tmp_path: Path) -> None:
    sizes = [10, 10, 10, 10, 10, 500, 10, 10, 2000, 10]
    paths = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"f{i}.txt"
        path.write_bytes(b"x" * size)
        paths.append(str(path))
    missing = str(tmp_path / "missing.txt")
    groups = list(group_paths(iter(paths + [missing]), docs=3, size=1000))
    assert [p for g in groups for p in g] == paths + [missing]  # every path once, in order
    assert [[sizes[int(Path(p).stem[1:])] if p != missing else 0 for p in g] for g in groups] == [
        [10, 10, 10], [10, 10, 500], [10, 10], [2000], [10, 0]]
    assert list(group_paths([])) == []


def test_batch_groups_in_process_run_gives_the_one_by_one_facts(sample_dir: Path, tmp_path: Path) -> None:
    """run_batch (grouped) writes exactly the facts extract_path gives file by file."""
    summary = run_batch([sample_dir], tmp_path / "facts.jsonl", None)
    extractor = Extractor.load()
    alone = [extractor.extract_path(str(p)) for p in sorted(sample_dir.iterdir())]
    assert summary.succeeded == len(alone) and not summary.failures
    want = sorted(f.to_json() for r in alone for f in r.facts)
    got = sorted(json.dumps(f, ensure_ascii=False, sort_keys=True) for f in read_facts(tmp_path / "facts.jsonl"))
    assert got == want and got


def _crash_on_request(paths: list[str]) -> list[DocumentResult]:
    """Worker task that dies (as a segfault in a parser would) on a file named ``crash*``."""
    if any(Path(p).name.startswith("crash") for p in paths):
        os._exit(1)
    return _work(paths)


class _CrashingPool(ProcessPool):
    task = staticmethod(_crash_on_request)


def test_batch_groups_worker_death_fails_only_the_culprit(tmp_path: Path) -> None:
    require_html_reader()
    paths = [str(p) for p in make_corpus(tmp_path / "docs", 6)]
    crash = tmp_path / "docs" / "crash.html"
    crash.write_bytes(Path(paths[0]).read_bytes().replace(b"report 0", b"report crash"))
    todo = paths[:3] + [str(crash)] + paths[3:]  # one group: the crash takes all of it down once
    with _CrashingPool(None, 1) as pool:
        results = list(pool.map(todo))
    assert sorted(r.source for r in results) == sorted(todo)
    failed = [r for r in results if not r.ok]
    assert [(r.source, r.error_code) for r in failed] == [(str(crash), "E998")]
    assert "crash.html" in failed[0].error
    assert all(r.facts for r in results if r.ok)
