"""Importing lit sets passive OpenMP waiting before torch can load, unless the user chose."""

from __future__ import annotations

import os
import subprocess
import sys


def _policy(env: dict[str, str]) -> str:
    code = "import lit, os; print(os.environ['OMP_WAIT_POLICY'])"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_lit_env_passive_omp_wait_by_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _policy(env) == "PASSIVE"


def test_lit_env_user_choice_wins() -> None:
    assert _policy({**os.environ, "OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"
