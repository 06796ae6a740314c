"""Resumable ``lit extract``: a real run killed mid-way (SIGKILL, Ctrl-C) and re-run ends with
exactly the facts (and graph) of an uninterrupted run; a torn facts/journal tail is repaired."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest

from lit.extract.batch import run_batch
from lit.graph.store import open_store
from tests.batch_corpus import expected_table_facts, make_corpus, read_facts, require_html_reader

N_DOCS = 240
LIT = str(Path(sys.executable).with_name("lit"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The generated corpus and an uninterrupted in-process reference run over it."""
    require_html_reader()
    root = tmp_path_factory.mktemp("resume")
    docs = root / "docs"
    make_corpus(docs, N_DOCS)
    out = root / "reference.jsonl"
    summary = run_batch([docs], out, str(root / "reference-graph"))
    assert summary.succeeded == N_DOCS and not summary.failures
    with open_store(str(root / "reference-graph"), read_only=True) as store:
        counts = store.counts()
    facts = read_facts(out)
    assert len(facts) == expected_table_facts(N_DOCS)
    return {"docs": docs, "facts": facts, "counts": counts}


def _same_facts(got: list[dict], want: list[dict]) -> None:
    ids = Counter(f["id"] for f in got)
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1][:5]  # no duplicates
    assert set(ids) == {f["id"] for f in want}
    assert sorted(json.dumps(f, sort_keys=True) for f in got) == sorted(json.dumps(f, sort_keys=True) for f in want)


def _journal_entries(journal: Path) -> list[dict]:
    if not journal.exists():
        return []
    entries = []
    for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return entries


def _foreground() -> None:
    """In the child before exec: SIGINT as a terminal's foreground command has it. A test run
    started in the background of a non-interactive shell inherits SIGINT ignored, and ``lit``
    (like any program) keeps an inherited ignore, so Ctrl-C would never reach it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(docs: Path, out: Path, graph: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [LIT, "extract", str(docs), "--out", str(out), "--graph", str(graph), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=_foreground,
    )


def _wait_for_progress(proc: subprocess.Popen, journal: Path, done: int, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum("source" in e for e in _journal_entries(journal)) >= done:
            return
        assert proc.poll() is None, f"run ended before it could be interrupted: {proc.communicate()}"
        time.sleep(0.05)
    raise AssertionError(f"no progress in {timeout} s")


def _rerun_and_compare(corpus: dict, docs: Path, out: Path, graph: Path) -> subprocess.CompletedProcess:
    again = subprocess.run(
        [LIT, "extract", str(docs), "--out", str(out), "--graph", str(graph), "--workers", "2"],
        capture_output=True, text=True, timeout=600,
    )
    assert again.returncode == 0, again.stderr
    assert "done by the interrupted run" in again.stdout
    _same_facts(read_facts(out), corpus["facts"])
    with open_store(str(graph), read_only=True) as store:
        assert store.counts()["Measurement"] == corpus["counts"]["Measurement"]
        assert store.counts()["Document"] == corpus["counts"]["Document"]
        assert store.counts()["HAS_MEASUREMENT"] == corpus["counts"]["HAS_MEASUREMENT"]
    return again


@pytest.mark.parametrize("whole_group", [True, False], ids=["group", "driver-only"])
def test_batch_resume_after_kill9(corpus: dict, tmp_path: Path, whole_group: bool) -> None:
    out, graph = tmp_path / "facts.jsonl", tmp_path / "graph"
    proc = _start(corpus["docs"], out, graph)
    _wait_for_progress(proc, tmp_path / "facts.jsonl.journal", done=60)
    workers = psutil.Process(proc.pid).children(recursive=True)
    if whole_group:  # the driver and its workers, as systemd or a cgroup OOM kill would
        os.killpg(proc.pid, signal.SIGKILL)
    else:  # the driver alone: its orphaned workers must notice and stop
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, f"workers outlived their driver: {[(p.pid, p.ppid(), p.cmdline()[-3:]) for p in alive]}"
    entries = _journal_entries(tmp_path / "facts.jsonl.journal")
    assert not any(e.get("finished") for e in entries)
    assert sum("source" in e for e in entries) < N_DOCS  # really interrupted mid-way
    _rerun_and_compare(corpus, corpus["docs"], out, graph)


def test_batch_resume_after_ctrl_c(corpus: dict, tmp_path: Path) -> None:
    out, graph = tmp_path / "facts.jsonl", tmp_path / "graph"
    proc = _start(corpus["docs"], out, graph)
    _wait_for_progress(proc, tmp_path / "facts.jsonl.journal", done=40)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground process group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    _rerun_and_compare(corpus, corpus["docs"], out, graph)


def test_batch_resume_repairs_torn_tails(corpus: dict, tmp_path: Path) -> None:
    """A crash inside a write leaves half a fact line and half a journal line: the resume drops
    both, extracts the unjournaled documents again and duplicates nothing."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(corpus["docs"].iterdir())[:20]:
        (docs / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "facts.jsonl"
    run_batch([docs], out, None)
    complete = read_facts(out)
    journal = tmp_path / "facts.jsonl.journal"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    assert json.loads(lines[-1]).get("finished")
    kept = lines[: len(lines) - 6]  # the finished line and the last 5 documents were never written
    journal.write_text("".join(kept) + lines[-3][: len(lines[-3]) // 2], encoding="utf-8")
    fact_lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(fact_lines) + fact_lines[-1][:40], encoding="utf-8")  # torn, no newline
    summary = run_batch([docs], out, None)
    assert summary.resumed == sum('"source"' in line for line in kept) and summary.documents == 20
    _same_facts(read_facts(out), complete)
    assert not any(line.strip() and not line.endswith("\n") for line in journal.read_text().splitlines(True))


def test_batch_duplicate_files_give_facts_once(tmp_path: Path) -> None:
    require_html_reader()
    paths = make_corpus(tmp_path / "docs", 3)
    (tmp_path / "docs" / "copy.html").write_bytes(paths[0].read_bytes())
    out = tmp_path / "facts.jsonl"
    summary = run_batch([tmp_path / "docs"], out, None)
    assert summary.succeeded == 4 and summary.duplicates == 1
    facts = read_facts(out)
    assert len(facts) == expected_table_facts(3) == len({f["id"] for f in facts})


def test_batch_restart_ignores_unfinished_journal(tmp_path: Path) -> None:
    require_html_reader()
    make_corpus(tmp_path / "docs", 4)
    out = tmp_path / "facts.jsonl"
    run_batch([tmp_path / "docs"], out, None)
    journal = tmp_path / "facts.jsonl.journal"
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:-2]))  # unfinished: one document and the end missing
    resumed = run_batch([tmp_path / "docs"], out, None)
    assert resumed.resumed == 3
    fresh = run_batch([tmp_path / "docs"], out, None, restart=True)
    assert fresh.resumed == 0 and fresh.documents == 4
    assert len(read_facts(out)) == expected_table_facts(4)


def test_batch_resume_with_nothing_left_to_do(tmp_path: Path) -> None:
    """Killed after the last document but before the end line: the re-run starts no workers
    and still records the models and every fact."""
    from lit.extract.workers import model_versions

    require_html_reader()
    make_corpus(tmp_path / "docs", 3)
    out = tmp_path / "facts.jsonl"
    run_batch([tmp_path / "docs"], out, str(tmp_path / "graph"))
    journal = tmp_path / "facts.jsonl.journal"
    journal.write_text("".join(journal.read_text().splitlines(keepends=True)[:-1]))
    summary = run_batch([tmp_path / "docs"], out, str(tmp_path / "graph"))
    assert (summary.resumed, summary.documents, summary.facts) == (3, 3, expected_table_facts(3))
    assert summary.models == sorted(model_versions())
    assert json.loads(journal.read_text().splitlines()[-1])["finished"]


def test_batch_worker_killed_mid_run_is_replaced(corpus: dict, tmp_path: Path) -> None:
    """A worker killed by the OOM killer (here: SIGKILL) breaks the pool; the run restarts it,
    retries the documents that were in flight and ends with every fact, exit code 0."""
    out, graph = tmp_path / "facts.jsonl", tmp_path / "graph"
    proc = _start(corpus["docs"], out, graph)
    _wait_for_progress(proc, tmp_path / "facts.jsonl.journal", done=40)
    workers = [p for p in psutil.Process(proc.pid).children() if "spawn_main" in " ".join(p.cmdline())]
    assert workers, "no worker processes found"
    workers[0].kill()
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    _same_facts(read_facts(out), corpus["facts"])
    assert f"{N_DOCS}/{N_DOCS} documents" in stdout


def test_batch_duplicate_names_its_first_source_also_after_a_resume(tmp_path: Path) -> None:
    """The driver's compact record per document (content id -> index in the input list) still
    names the first file with the same bytes, for a run and for a resumed one."""
    require_html_reader()
    paths = make_corpus(tmp_path / "docs", 3)
    copy = tmp_path / "docs" / "zz-copy.html"  # sorts after the original
    copy.write_bytes(paths[0].read_bytes())
    out = tmp_path / "facts.jsonl"
    run_batch([tmp_path / "docs"], out, None)
    journal = out.with_name(out.name + ".journal")
    entries = [json.loads(line) for line in journal.read_text().splitlines()[1:-1] if "source" in json.loads(line)]
    dup = [e for e in entries if "duplicate_of" in e]
    assert [(e["source"], e["duplicate_of"]) for e in dup] == [(str(copy), str(paths[0]))]
    # keep the header and the original's line only: the resumed run meets the copy anew
    lines = journal.read_text().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if json.loads(line).get("source") == str(paths[0]))
    journal.write_text(lines[0] + lines[first])
    resumed = run_batch([tmp_path / "docs"], out, None)
    assert resumed.resumed == 1 and resumed.duplicates == 1
    again = [json.loads(line) for line in journal.read_text().splitlines() if "duplicate_of" in line]
    assert [(e["source"], e["duplicate_of"]) for e in again] == [(str(copy), str(paths[0]))]
    assert len(read_facts(out)) == expected_table_facts(3)
