"""The CI-sized fuzz run (``scripts/fuzz_files.py``, a couple of minutes): hostile files and
mutated fixtures in one batch end as facts or one named error each, with no traceback, no
hang, no worker over the memory cap, and every good file of the batch extracted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_fuzz_files_ci_run(tmp_path: Path, fixtures_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "fuzz_files.py"), "--size", "ci", "--seed", "3",
         "--workdir", str(tmp_path), "--json", "--graph"],
        capture_output=True, text=True, timeout=900, cwd=REPO,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["files"] >= 60  # the hostile cases, the good files and 40 mutations
    assert report["tracebacks"] == 0, report["traceback_files"] + report["escaped"]
    assert report["hangs"] == 0, report["hang_files"]
    assert report["over_memory"] == 0 and report["peak_mib"] < 1024
    assert report["good_missing"] == []
    assert report["succeeded"] + report["clear_errors"] == report["files"]  # one outcome per file
    assert report["codes"].get("E106") == 1  # the Flate bomb, refused by the stream limit
    assert report["passed"] and done.returncode == 0
    failures = [json.loads(line) for line in (tmp_path / "facts.jsonl.failures.jsonl").read_text().splitlines()]
    assert all("\n" not in f["error"] and f["error"].startswith(f"[{f['code']}] ") for f in failures)
