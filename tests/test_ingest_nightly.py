"""``scripts/lit-nightly.sh``: the cron/systemd wrapper runs the ingest, keeps a log per run
whose last line is the JSON summary, and passes the ingest's exit code through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lit.extract.ingest import IngestLock, _state_dir

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "lit-nightly.sh"


def _run(source: Path, graph: Path, logs: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, LIT_SOURCE=str(source), LIT_GRAPH=str(graph), LIT_LOG_DIR=str(logs),
               LIT_VENV=str(Path(sys.executable).parents[1]))
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)


def test_ingest_nightly_wrapper_logs_summary_and_exit_codes(tmp_path: Path) -> None:
    source, graph, logs = tmp_path / "inbox", tmp_path / "graph", tmp_path / "logs"
    source.mkdir()
    (source / "a.txt").write_text("Note\n\nZinc oxide has a band gap of 3.37 eV.\n")
    first = _run(source, graph, logs)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])  # what cron mails
    assert summary["event"] == "lit-ingest" and summary["status"] == "ok" and summary["documents"] == 1
    latest = logs / "ingest-latest.log"
    assert latest.is_symlink()
    assert json.loads(latest.read_text().strip().splitlines()[-1]) == summary
    with IngestLock(_state_dir(str(graph), None) / "lock", str(graph)):
        locked = _run(source, graph, logs)
    assert locked.returncode == 75
    assert json.loads(locked.stdout.strip().splitlines()[-1])["status"] == "locked"
    assert len(list(logs.glob("ingest-*Z-*.log"))) == 2  # one log per run, even within one second
