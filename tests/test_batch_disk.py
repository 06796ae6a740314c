"""A full disk and a torn graph log must not lose the graph: the run stops with one line
before a write it has no room for, and a log torn by a crash is set aside on the next
writable open, the resume upserting again what the log held."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lit.errors import DiskFullError
from lit.extract import batch
from lit.extract.batch import run_batch
from lit.extract.pipeline import DocumentResult
from lit.extract.workers import ProcessPool
from lit.graph.store import open_store
from tests.batch_corpus import make_corpus, read_facts, require_html_reader
from tests.test_batch_limits import _rules_only

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    require_html_reader()
    monkeypatch.setattr(ProcessPool, "loader", staticmethod(_rules_only))
    monkeypatch.setattr(batch._GraphWriter.__init__, "__defaults__", (1, 5000, 30.0))  # a graph write per document


def _counts(graph: Path) -> dict[str, int]:
    with open_store(str(graph), read_only=True) as store:
        return store.counts()


def test_batch_disk_torn_graph_log_is_set_aside_and_refilled(rules_only: None, tmp_path: Path) -> None:
    docs = make_corpus(tmp_path / "docs", 8)
    reference = tmp_path / "reference-graph"
    run_batch([tmp_path / "docs"], tmp_path / "reference.jsonl", str(reference))
    out, graph = tmp_path / "facts.jsonl", tmp_path / "graph"
    # A real process death after 5 documents reached the graph: no close, no checkpoint.
    script = (
        "import os, sys\n"
        "from lit.extract import batch\nfrom lit.extract.workers import ProcessPool\n"
        "from tests.test_batch_limits import _rules_only\n"
        "ProcessPool.loader = staticmethod(_rules_only)\n"
        "batch._GraphWriter.__init__.__defaults__ = (1, 5000, 30.0)\n"
        "def die(result, summary):\n    if summary.documents == 5:\n        os._exit(137)\n"
        "batch.run_batch([sys.argv[1]], sys.argv[2], sys.argv[3], on_result=die)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "docs"), str(out), str(graph)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 137, done.stderr
    wal = graph / "graph.lbdb.wal"
    assert wal.stat().st_size > 1000
    with open(wal, "r+b") as fh:  # the last log write torn, as when the disk filled inside it
        fh.truncate(wal.stat().st_size - 100)
    with pytest.raises(Exception, match="write-ahead log is torn"):
        open_store(str(graph), read_only=True)  # a reader may not repair; it says how
    summary = run_batch([tmp_path / "docs"], out, str(graph))
    assert summary.resumed >= 5 and summary.succeeded == len(docs)
    assert len(summary.notes) == 1 and "set aside as graph.lbdb.wal.torn-" in summary.notes[0]
    assert [p.name.startswith("graph.lbdb.wal.torn-") for p in graph.iterdir()].count(True) == 1
    counts = _counts(graph)
    assert counts == _counts(reference) and counts["Measurement"] == len(read_facts(out))


def _mount_small_disk(where: Path) -> None:
    where.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=50m", "tmpfs", str(where)],
                       check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a 50 MB tmpfs here (needs root or CAP_SYS_ADMIN): {exc}")


def test_batch_disk_full_stops_with_one_line_and_resumes(
    rules_only: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    disk = tmp_path / "disk"
    _mount_small_disk(disk)
    try:
        docs = make_corpus(tmp_path / "docs", 12)
        monkeypatch.setenv("LIT_MIN_FREE_MB", "8")
        out, graph, filler = disk / "facts.jsonl", disk / "graph", disk / "filler"

        def fill(result: DocumentResult, summary: batch.BatchSummary) -> None:
            if summary.documents == 4:  # the disk fills up mid-run (another program's file)
                spare = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
                with open(filler, "wb") as fh:
                    fh.write(b"\0" * (spare - 4 * 2**20))

        with pytest.raises(DiskFullError) as caught:
            run_batch([tmp_path / "docs"], out, str(graph), on_result=fill)
        message = str(caught.value)
        assert "\n" not in message and "LIT_MIN_FREE_MB" in message and "resume" in message
        before = _counts(graph)  # openable, with what was committed before the stop
        assert 4 <= before["Document"] < len(docs)
        filler.unlink()
        summary = run_batch([tmp_path / "docs"], out, str(graph))
        assert summary.succeeded == len(docs) and summary.resumed >= 4
        assert _counts(graph)["Document"] == len(docs) and len(read_facts(out)) == _counts(graph)["Measurement"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)
