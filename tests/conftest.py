"""Shared test fixtures: where the read-only corpora and article fixtures live.

They are never copied into the project; tests read them through ``LIT_CORPORA`` and
``LIT_FIXTURES`` (defaults: ``../shared/corpora`` and ``../shared/fixtures`` beside the repo).
Without them the tests that need them skip, unless ``LIT_REQUIRE_SHARED=1`` (set by
``.ci/run``): then they fail, so a CI run cannot pass green with a third of the suite skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The Bolt test server (ArcadeDB in a child process) and its store fixtures.
pytest_plugins = ["tests.bolt_server"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# Rich (typer's usage errors, progress bars) wraps its output at the terminal's width; set
# one wide width for every command a test runs, in this process or a child, so that what a
# test reads does not depend on the terminal pytest runs in. TERMINAL_WIDTH, typer's own
# override, is read when typer is imported, which is after this module.
os.environ["COLUMNS"] = "200"
os.environ.pop("TERMINAL_WIDTH", None)


def _shared_dir(env: str, default: Path, what: str) -> Path:
    path = Path(os.environ.get(env, default)).resolve()
    if not path.is_dir():
        message = f"{what} not found at {path} (set {env})"
        if os.environ.get("LIT_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; LIT_REQUIRE_SHARED=1 makes this a failure, not a skip")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    return _shared_dir("LIT_CORPORA", SHARED / "corpora", "corpora")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return _shared_dir("LIT_FIXTURES", SHARED / "fixtures", "article fixtures")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return REPO / "corpora" / "sample"
