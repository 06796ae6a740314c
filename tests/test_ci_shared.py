"""CI cannot pass green without the shared corpora and fixtures: ``.ci/run`` stops when they
are missing, and under ``LIT_REQUIRE_SHARED=1`` a test that needs them fails instead of
skipping (without it, a developer's run skips them as before)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEEDS_CORPORA = "tests/test_corpora_api.py::test_corpora_root_comes_from_environment"


def test_ci_run_stops_when_the_corpora_are_missing(tmp_path: Path) -> None:
    """It stops before installing anything, naming the folder and how to point elsewhere."""
    env = {**os.environ, "LIT_CORPORA": str(tmp_path / "missing")}
    result = subprocess.run(["bash", str(REPO / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{tmp_path / 'missing'} not found" in result.stderr and "LIT_CORPORA" in result.stderr
    assert "pip" not in result.stdout + result.stderr


def _pytest(corpora: Path, require: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LIT_REQUIRE_SHARED"}
    env["LIT_CORPORA"] = str(corpora)
    if require:
        env["LIT_REQUIRE_SHARED"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", NEEDS_CORPORA],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_ci_missing_corpora_fail_when_required_and_skip_otherwise(tmp_path: Path) -> None:
    required = _pytest(tmp_path / "missing", require=True)
    assert required.returncode == 1 and "1 error" in required.stdout
    assert "LIT_REQUIRE_SHARED=1 makes this a failure" in required.stdout
    relaxed = _pytest(tmp_path / "missing", require=False)
    assert relaxed.returncode == 0 and "1 skipped" in relaxed.stdout


def test_ci_corpora_found_elsewhere_are_used(corpora_dir: Path, tmp_path: Path) -> None:
    """LIT_CORPORA pointing outside ../shared still works under LIT_REQUIRE_SHARED=1."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.symlink_to(corpora_dir, target_is_directory=True)
    result = _pytest(elsewhere, require=True)
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout
