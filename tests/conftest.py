"""Shared test fixtures: where the read-only corpora and article fixtures live.

They are never copied into the project; tests read them through ``LIT_CORPORA`` and
``LIT_FIXTURES`` (defaults: ``../shared/corpora`` and ``../shared/fixtures`` beside the repo).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The Bolt test server (ArcadeDB in a child process) and its store fixtures.
pytest_plugins = ["tests.bolt_server"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _dir(env: str, default: Path) -> Path:
    return Path(os.environ.get(env, default)).resolve()


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    path = _dir("LIT_CORPORA", SHARED / "corpora")
    if not path.is_dir():
        pytest.skip(f"corpora not found at {path} (set LIT_CORPORA)")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    path = _dir("LIT_FIXTURES", SHARED / "fixtures")
    if not path.is_dir():
        pytest.skip(f"article fixtures not found at {path} (set LIT_FIXTURES)")
    return path


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return REPO / "corpora" / "sample"
