"""Documents travel to workers in groups (one NER call per group): grouping limits, and a
worker that dies inside a group costs only the document that killed it."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from lit.extract.batch import run_batch
from lit.extract.pipeline import DocumentResult, Extractor
from lit.extract.workers import ProcessPool, _work, group_paths
from lit.models.fact_confidence import Floors
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
    """run_batch (grouped) writes exactly the facts extract_path gives file by file, of those
    the ones at the calibration's operating point (the default output)."""
    summary = run_batch([sample_dir], tmp_path / "facts.jsonl", None)
    extractor = Extractor.load()
    alone = [extractor.extract_path(str(p)) for p in sorted(sample_dir.iterdir())]
    assert summary.succeeded == len(alone) and not summary.failures
    floors = Floors.of(None, extractor.model_versions)
    assert floors.by_model  # the default models are calibrated: their facts have a floor
    want = sorted(f.to_json() for r in alone for f in r.facts if floors.keeps(f))
    got = sorted(json.dumps(f, ensure_ascii=False, sort_keys=True) for f in read_facts(tmp_path / "facts.jsonl"))
    assert got == want and got


def _crash_on_request(paths: list[str], step) -> list[DocumentResult]:  # noqa: ANN001
    """Worker task that dies (as a segfault in a parser would) on a file named ``crash*``."""
    if any(Path(p).name.startswith("crash") for p in paths):
        os._exit(1)
    return _work(paths, step)


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


def test_batch_groups_worker_killed_between_groups_loses_nothing(tmp_path: Path) -> None:
    """A worker killed (the OOM killer) after it returned a group, while the driver was still
    writing those results, is replaced; the next group goes to the replacement, not into the
    dead worker's pipe (that used to end the run with "Broken pipe"), and no file fails."""
    from tests.test_batch_limits import _RulesPool

    require_html_reader()
    paths = [str(p) for p in make_corpus(tmp_path / "docs", 40)]  # two groups
    results, killed = [], []
    with _RulesPool(None, 1) as pool:
        for result in pool.map(paths):
            if not killed:  # the driver holds the first group's results: the worker waits, idle
                worker = pool._workers[0]
                assert worker.group is None
                worker.proc.kill()
                worker.proc.join()  # gone before the driver hands out the next group
                killed.append(worker.proc.pid)
            results.append(result)
        assert pool._workers[0].proc.pid != killed[0]
    assert sorted(r.source for r in results) == sorted(paths)
    assert all(r.ok and r.facts for r in results), [r.error for r in results if not r.ok]


def test_batch_groups_hand_freed_heap_back_after_a_group() -> None:
    """Memory a group freed inside the C heap is returned to the OS when the group ends
    (glibc keeps it otherwise, and a long run's workers crept up by ~100 MiB)."""
    import ctypes

    import psutil
    import pytest

    from lit.extract import workers

    if workers._TRIM is None:
        pytest.skip("the C library has no malloc_trim (not glibc)")
    proc = psutil.Process()
    workers._TRIM(0)
    # 4,000 blocks of 64 KiB from malloc (below its mmap threshold: they come from the heap),
    # all freed but the last, which pins the top of the heap so free() cannot shrink it.
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(64 * 1024) for _ in range(4000)]
    for block in blocks:
        ctypes.memset(block, 1, 64 * 1024)  # touch every page: now resident
    for block in blocks[:-1]:
        libc.free(block)
    held = proc.memory_info().rss
    assert workers.extract_group(Extractor(None), []) == []
    after = proc.memory_info().rss
    libc.free(blocks[-1])
    assert held - after > 150 * 2**20, (held, after)


class _CountingStore:
    """The embedded store, counting upsert calls."""

    def __init__(self, path: Path):
        from lit.graph.embedded import EmbeddedStore

        self.store, self.calls = EmbeddedStore(path), []

    def upsert(self, docs, facts, run=None):  # noqa: ANN001 - the GraphStore signature
        self.calls.append((len(docs), len(facts)))
        self.store.upsert(docs, facts, run)


def test_batch_groups_graph_writes_go_in_big_calls(tmp_path: Path) -> None:
    """The driver upserts when a batch is full (documents or facts) or has waited long enough;
    the journal's graph marker follows each call."""
    import time

    from lit.extract.batch import _GraphWriter
    from lit.extract.document import DocumentInfo
    from lit.extract.facts import Fact
    from lit.extract.journal import Journal
    from lit.graph.store import ExtractionRun

    def doc(i: int, n: int) -> tuple[DocumentInfo, list[Fact]]:
        info = DocumentInfo(doc_id=f"{i:020x}", source=f"d{i}.txt", format="text", sha256="0" * 64)
        facts = [Fact(doc_id=info.doc_id, source=info.source, compound=f"TiO{j}", property="band gap",
                      value=1.0 + j, unit="eV", raw_value=f"{1 + j} eV", start=0, end=10,
                      sentence="x", model="m") for j in range(n)]
        return info, facts

    journal = Journal(tmp_path / "facts.jsonl")
    journal.start({"h": 1}, None)
    store = _CountingStore(tmp_path / "graph")
    writer = _GraphWriter(store, journal, ExtractionRun(run_id="r", started="2026-01-01", lit_version="0"),
                          docs=4, facts=10, wait=3600)
    for i in range(9):
        writer.add(*doc(i, 1))
    writer.add(None, [])  # a duplicate: counted in the marker, nothing to write
    writer.add(*doc(9, 12))  # facts over the limit: written at once
    assert store.calls == [(4, 4), (4, 4), (2, 13)]
    writer.wait = 0.05
    writer.add(*doc(10, 1))
    time.sleep(0.06)
    writer.add(*doc(11, 1))  # the batch waited long enough
    assert store.calls[-1] == (2, 2)
    journal.close()
    marks = [json.loads(line)["graph"] for line in (tmp_path / "facts.jsonl.journal").read_text().splitlines()
             if '"graph"' in line]
    assert marks == [4, 8, 11, 13]
    assert store.store.query("MATCH (m:Measurement) RETURN count(m) AS n")[0]["n"] == 1 * 11 + 12
    store.store.close()


def test_batch_groups_pool_starts_every_worker_up_front(tmp_path: Path) -> None:
    """All workers start when the pool is made (SIGINT ignored for that instant only); running
    groups afterwards starts none, so no later Ctrl-C can land in an ignore window."""
    import psutil

    require_html_reader()
    paths = [str(p) for p in make_corpus(tmp_path / "docs", 70)]  # three groups

    def workers() -> set[int]:
        found = set()
        for child in psutil.Process().children(recursive=True):
            try:
                if any("spawn_main" in part for part in child.cmdline()):
                    found.add(child.pid)
            except psutil.NoSuchProcess:
                continue
        return found

    def started_workers(n: int, timeout: float = 60.0) -> set[int]:
        """The workers once ``n`` are up: a child forked but not yet exec'd (which a loaded
        machine shows for a while) still has the parent's command line."""
        deadline = time.monotonic() + timeout
        while len(found := workers()) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return found

    with ProcessPool(None, 2) as pool:
        pool.start()
        started = started_workers(2)
        assert len(started) == 2
        assert len(list(pool.map(paths))) == len(paths)
        assert workers() == started
