"""Misuse of lit's commands gets one ``Error:`` line and an exit code, never a traceback, and
leaves nothing behind in the wrong place: outputs that are devices, pipes, folders, files in
the way, read-only folders or one of the inputs; graph targets that are devices, URLs or
another tool's folder; ingest state folders that are files; inputs that loop or block.

The extraction runs here use rules and tables only (the bundle pointed at an empty folder):
what is checked is how outputs and arguments are handled, which the models do not touch,
and each run then takes a second instead of a model load.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lit.models.bundle as bundle
from lit.cli.main import app
from tests.batch_corpus import make_corpus, read_facts, require_html_reader

runner = CliRunner()


@pytest.fixture
def rules_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "no-models").mkdir()
    monkeypatch.setattr(bundle, "TRAINED_DIR", tmp_path / "no-models")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    require_html_reader()
    make_corpus(tmp_path / "docs", 2)
    return tmp_path / "docs"


def _lit(*args: str):
    return runner.invoke(app, list(args))


def _one_error_line(result, code: int, *words: str) -> str:
    """The command exited with ``code`` after printing exactly one line on stderr, an
    ``Error:`` line holding ``words``, and raised nothing (a traceback would)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]
    return lines[0]


def _simulate_read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``folder`` read-only. Root ignores permission bits, so under root the refusal a
    user gets from the kernel is simulated where lit first tries to create a file there."""
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:
        real = tempfile.mkstemp

        def refuse(*args, **kwargs):
            if Path(kwargs.get("dir", "")).resolve() == folder.resolve():
                raise PermissionError(13, "Permission denied")
            return real(*args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", refuse)


# -- --out ---------------------------------------------------------------------------------------


def test_cli_misuse_out_dev_null_runs_and_leaves_no_files_in_dev(rules_only, docs: Path) -> None:
    """The issue's acceptance case: facts discarded, exit 0, no journal or failures file in /dev."""
    before = set(os.listdir("/dev"))
    result = _lit("extract", str(docs), "--out", "/dev/null", "--no-graph", "--silent")
    assert result.exit_code == 0, result.output
    assert "2/2 documents" in result.stdout
    assert set(os.listdir("/dev")) - before == set()


def test_cli_misuse_out_dash_writes_facts_to_stdout_only(rules_only, docs: Path, tmp_path, monkeypatch) -> None:
    """``--out -`` for pipes (``| jq``): stdout holds only facts, one JSON object a line; the
    summary goes to stderr; no journal or failures file is made anywhere."""
    monkeypatch.chdir(tmp_path)
    result = _lit("extract", str(docs), "--out", "-", "--no-graph", "--silent")
    assert result.exit_code == 0, result.output
    facts = [json.loads(line) for line in result.stdout.splitlines()]
    assert facts and all("compound" in f and f["source"].startswith(str(docs)) for f in facts)
    assert "2/2 documents" in result.stderr and "-> stdout" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["docs", "no-models"]


def test_cli_misuse_out_dev_stdout_is_a_stream(rules_only, docs: Path, capfd) -> None:
    """``--out /dev/stdout`` writes to the process's stdout (here pytest's captured fd 1),
    keeps the summary off it, and makes no /dev/stdout.journal."""
    result = _lit("extract", str(docs), "--out", "/dev/stdout", "--no-graph", "--silent")
    captured = capfd.readouterr()
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["source"] for line in captured.out.splitlines()]
    assert result.stdout == "" and "-> stdout" in result.stderr
    assert not os.path.lexists("/dev/stdout.journal")


def test_cli_misuse_out_dev_full_is_one_error_line(rules_only, docs: Path) -> None:
    result = _lit("extract", str(docs), "--out", "/dev/full", "--no-graph", "--silent")
    _one_error_line(result, 1, "/dev/full", "No space left on device")


def test_cli_misuse_out_fifo_streams_the_facts(rules_only, docs: Path, tmp_path: Path) -> None:
    """A FIFO as --out: its reader gets the facts; no journal is made beside it."""
    fifo = tmp_path / "facts.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.extend(open(fifo, encoding="utf-8").read().splitlines()))
    reader.start()
    result = _lit("extract", str(docs), "--out", str(fifo), "--no-graph", "--silent")
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert got and all(json.loads(line)["source"].startswith(str(docs)) for line in got)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "facts.fifo", "no-models"]


def test_cli_misuse_out_missing_folders_are_created(rules_only, docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "facts.jsonl"
    result = _lit("extract", str(docs), "--out", str(out), "--no-graph", "--silent")
    assert result.exit_code == 0, result.output
    assert read_facts(out) and (out.parent / "facts.jsonl.journal").is_file()


def test_cli_misuse_out_under_a_regular_file(docs: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = _lit("extract", str(docs), "--out", str(tmp_path / "afile" / "facts.jsonl"), "--no-graph")
    _one_error_line(result, 2, "afile", "is not a folder")


def test_cli_misuse_out_is_a_folder(docs: Path, tmp_path: Path) -> None:
    result = _lit("extract", str(docs), "--out", str(tmp_path), "--no-graph")
    _one_error_line(result, 2, "is a folder")
    assert not (tmp_path.parent / f"{tmp_path.name}.journal").exists()


def test_cli_misuse_out_in_a_read_only_folder(docs: Path, tmp_path: Path, monkeypatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    _simulate_read_only(locked, monkeypatch)
    result = _lit("extract", str(docs), "--out", str(locked / "facts.jsonl"), "--no-graph")
    _one_error_line(result, 2, "cannot create files in", "Permission denied")
    assert list(locked.iterdir()) == []


def test_cli_misuse_out_in_dev_that_does_not_exist(docs: Path) -> None:
    result = _lit("extract", str(docs), "--out", "/dev/lit-no-such-device", "--no-graph")
    _one_error_line(result, 2, "no such device")
    assert not os.path.lexists("/dev/lit-no-such-device")


@pytest.mark.parametrize("how", ["same path", "symlink"])
def test_cli_misuse_out_naming_an_input_is_refused_and_the_input_kept(docs: Path, tmp_path: Path, how: str) -> None:
    """``lit extract paper.html --out paper.html`` would truncate the paper: refused first."""
    paper = docs / "doc0000.html"
    before = paper.read_bytes()
    out = paper
    if how == "symlink":
        out = tmp_path / "alias.html"
        out.symlink_to(paper)
    result = _lit("extract", str(docs), "--out", str(out), "--no-graph")
    _one_error_line(result, 2, "is one of the input files")
    assert paper.read_bytes() == before
    assert not list(docs.glob("*.journal")) and not list(tmp_path.glob("*.journal"))


# -- --graph -------------------------------------------------------------------------------------


def test_cli_misuse_graph_dev_null(docs: Path, tmp_path: Path) -> None:
    result = _lit("extract", str(docs), "--out", str(tmp_path / "f.jsonl"), "--graph", "/dev/null")
    _one_error_line(result, 2, "/dev/null", "not a folder or a graph file")
    query = _lit("query", "MATCH (n) RETURN count(n)", "--graph", "/dev/null")
    _one_error_line(query, 2, "/dev/null")


def test_cli_misuse_graph_http_url_makes_no_local_folder(docs: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _lit("extract", str(docs), "--out", "f.jsonl", "--graph", "http://localhost:7474")
    _one_error_line(result, 2, "not a graph target", "bolt://")
    assert not (tmp_path / "http:").exists()
    ingest = _lit("ingest", str(docs), "--graph", "https://example.org/db", "--quiet")
    assert ingest.exit_code == 2 and json.loads(ingest.stdout)["status"] == "error"
    assert not (tmp_path / "https:").exists()


def test_cli_misuse_graph_another_tools_folder_is_left_alone(docs: Path, tmp_path: Path) -> None:
    other = tmp_path / "postgres-data"
    other.mkdir()
    (other / "PG_VERSION").write_text("16\n")
    result = _lit("extract", str(docs), "--out", str(tmp_path / "f.jsonl"), "--graph", str(other))
    _one_error_line(result, 2, "holds other files and no lit graph")
    assert sorted(p.name for p in other.iterdir()) == ["PG_VERSION"]


# -- lit ingest ----------------------------------------------------------------------------------


def _ingest_error(result, code: int, *words: str) -> None:
    """Ingest's misuse: the Error line on stderr and, for monitoring, a JSON status line."""
    line = _one_error_line(result, code, *words)
    assert json.loads(result.stdout) == {"event": "lit-ingest", "status": "error", "message": line[len("Error: "):]}


def test_cli_misuse_ingest_missing_folder_is_not_nothing_to_do(tmp_path: Path) -> None:
    """An unmounted or mistyped inbox must not read as "nothing new" (exit 0)."""
    result = _lit("ingest", str(tmp_path / "inbox"), "--graph", str(tmp_path / "g"), "--quiet")
    _ingest_error(result, 2, "inbox", "not a folder")


def test_cli_misuse_ingest_state_dir_is_a_file(docs: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.write_text("not a folder")
    result = _lit("ingest", str(docs), "--graph", str(tmp_path / "g"), "--state-dir", str(state), "--quiet")
    _ingest_error(result, 2, "--state-dir", "is not a folder")
    assert state.read_text() == "not a folder"


def test_cli_misuse_ingest_state_dir_read_only(docs: Path, tmp_path: Path, monkeypatch) -> None:
    state = tmp_path / "state"
    state.mkdir()
    _simulate_read_only(state, monkeypatch)
    result = _lit("ingest", str(docs), "--graph", str(tmp_path / "g"), "--state-dir", str(state), "--quiet")
    _ingest_error(result, 2, "--state-dir", "Permission denied")


# -- inputs --------------------------------------------------------------------------------------


def test_cli_misuse_symlink_loops_in_the_input(rules_only, docs: Path, tmp_path: Path) -> None:
    """A looping link named on the command line is a failure that says so; one inside an
    input folder (a file link to itself, a folder link to its parent) is not followed."""
    (docs / "self.html").symlink_to(docs / "self.html")
    (docs / "up").symlink_to(docs, target_is_directory=True)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    out = tmp_path / "facts.jsonl"
    result = _lit("extract", str(docs), str(loop), "--out", str(out), "--no-graph", "--silent")
    assert result.exit_code == 3 and "Traceback" not in result.output
    failures = [json.loads(line) for line in (tmp_path / "facts.jsonl.failures.jsonl").read_text().splitlines()]
    assert failures == [{"source": str(loop), "code": "E100", "error": f"{loop}: a symbolic link loop"}]
    assert "2/3 documents" in result.stdout


def test_cli_misuse_fifo_input_is_refused_without_blocking(rules_only, docs: Path, tmp_path: Path) -> None:
    """Reading a FIFO would wait forever for a writer: named, it fails at once; in a folder it
    is not taken; ``lit parse`` refuses it with one line."""
    fifo = docs / "paper.txt"
    os.mkfifo(fifo)
    out = tmp_path / "facts.jsonl"
    result = _lit("extract", str(docs), str(fifo), "--out", str(out), "--no-graph", "--silent")
    assert result.exit_code == 3, result.output
    failure = json.loads((tmp_path / "facts.jsonl.failures.jsonl").read_text())
    assert failure["source"] == str(fifo) and "not a regular file" in failure["error"]
    _one_error_line(_lit("parse", str(fifo)), 2, "not a regular file")


def test_cli_misuse_parse_missing_file_and_folder(tmp_path: Path) -> None:
    _one_error_line(_lit("parse", str(tmp_path / "none.pdf")), 2, "no such file")
    _one_error_line(_lit("parse", str(tmp_path)), 2, "is a folder")


def test_cli_misuse_out_dash_into_a_reader_that_quit(docs: Path, tmp_path: Path) -> None:
    """``lit extract ... --out - | head`` where the reader is gone before lit writes: one
    Error line naming the broken pipe, exit 1, and no second message from Python at exit.
    (A child process, as a pipe needs; rules only, as in the other runs here.)"""
    import subprocess
    import sys

    (tmp_path / "no-models").mkdir()
    code = ("import sys, pathlib, lit.models.bundle as b; b.TRAINED_DIR = pathlib.Path(sys.argv[1]); "
            "from lit.cli.main import app; app(sys.argv[2:])")
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "no-models"),
         "extract", str(docs), "--out", "-", "--no-graph", "--silent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    proc.stdout.close()  # the reader quits before a single fact is written
    stderr = proc.stderr.read()
    assert proc.wait(timeout=300) == 1
    assert stderr.splitlines() == ["Error: -: Broken pipe"], stderr
