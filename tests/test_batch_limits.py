"""Per-file limits enforced from outside the reading code: a file that takes too long where
no clock inside the reader can stop it, or eats memory, has its worker killed and replaced, is
recorded as failed with a named error, and the good files of the same batch, and any resume, go on.

The slow PDF is a real file (the reader's own ``LIT_PDF_TIMEOUT_S`` is only checked while a
page is drawn, not during its layout analysis). Workers here load the rules-only extractor
(:func:`_rules_only`): the limits do not depend on the models, and a model load per replaced
worker would cost minutes.
Memory and a slow shared model call are simulated by a worker task, as a crash is in
``test_batch_groups``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from lit.errors import ModelError
from lit.extract import workers
from lit.extract.batch import run_batch
from lit.extract.pipeline import DocumentResult, Extractor
from lit.extract.workers import Limits, ProcessPool, _work
from tests.batch_corpus import make_corpus, read_facts, require_html_reader
from tests.test_reader_errors import one_page_pdf

#: One page of 60,000 letters scattered over it (~1.5 MB): pdfminer's layout analysis of the
#: page, which no clock inside the reader can interrupt, took 32 s on a quiet 2-core machine
#: (12,000 took 1.8 s there: too close to a 2 s limit to test it under load).
SCATTERED_GLYPHS = one_page_pdf(b"BT /F1 6 Tf " + b"".join(
    b"1 0 0 1 %d %d Tm (%c) Tj " % ((i * 7919) % 600, (i * 104729) % 780, 97 + i % 26) for i in range(60_000)) + b"ET")


def _rules_only(model: str | None) -> Extractor:
    """Worker loader without NER or relation model (module level: spawn pickles it by name)."""
    return Extractor(None)


def _die_loading(model: str | None) -> Extractor:
    """Worker loader that dies, as a model load killed by the OOM killer would."""
    os._exit(3)


def _die_on_listed_loads(model: str | None) -> Extractor:
    """Worker loader killed (SIGKILL, as by the OOM killer) during the loads whose numbers, in
    the order the pool's workers start loading, ``LIT_TEST_DIE_ON_LOADS`` lists; the others
    load the rules-only extractor. Loads are numbered by files made in ``LIT_TEST_LOADS_DIR``."""
    folder = Path(os.environ["LIT_TEST_LOADS_DIR"])
    number = 1
    while True:
        try:
            os.close(os.open(folder / str(number), os.O_CREAT | os.O_EXCL))
            break
        except FileExistsError:
            number += 1
    if str(number) in os.environ["LIT_TEST_DIE_ON_LOADS"].split(","):
        os.kill(os.getpid(), signal.SIGKILL)
    return Extractor(None)


class _RulesPool(ProcessPool):
    loader = staticmethod(_rules_only)


def _hog_or_stall(paths: list[str], step) -> list[DocumentResult]:  # noqa: ANN001
    """Worker task simulating two faults by file name: ``hog*`` allocates 600 MiB while read
    alone; ``stall*`` makes a step the group shares (a model call) never end."""
    for i, path in enumerate(paths):
        name = Path(path).name
        if name.startswith("hog"):
            step(i)
            held = bytearray(600 * 2**20)  # zero-filled: every page touched, so resident
            time.sleep(60)
            del held
        if name.startswith("stall"):
            step(None)
            time.sleep(60)
    return _work(paths, step)


class _FaultPool(_RulesPool):
    task = staticmethod(_hog_or_stall)


@pytest.fixture()
def docs(tmp_path: Path) -> list[str]:
    require_html_reader()
    return [str(p) for p in make_corpus(tmp_path / "docs", 5)]


def test_batch_limits_slow_pdf_fails_alone_and_the_batch_goes_on(
    docs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ProcessPool, "loader", staticmethod(_rules_only))
    monkeypatch.setenv("LIT_FILE_TIMEOUT_S", "2")
    folder = Path(docs[0]).parent
    (folder / "glyphs.pdf").write_bytes(SCATTERED_GLYPHS)
    out = tmp_path / "facts.jsonl"
    started = time.monotonic()
    summary = run_batch([folder], out, None, workers=1)
    assert time.monotonic() - started < 60
    assert summary.succeeded == len(docs)
    [failure] = summary.failures
    assert failure["code"] == "E109" and failure["source"] == str(folder / "glyphs.pdf")
    assert "glyphs.pdf" in failure["error"] and "LIT_FILE_TIMEOUT_S" in failure["error"]
    assert {f["source"] for f in read_facts(out)} == set(docs)  # every good file's facts
    lines = (out.with_name(out.name + ".failures.jsonl")).read_text().splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["E109"]

    # kill -9 after everything was journaled: the resume must not read the slow file again
    journal = out.with_name(out.name + ".journal")
    kept = [line for line in journal.read_text().splitlines() if '"finished"' not in line]
    journal.write_text("\n".join(kept) + "\n")
    monkeypatch.setenv("LIT_FILE_TIMEOUT_S", "3600")
    started = time.monotonic()
    resumed = run_batch([folder], out, None, workers=1)
    assert time.monotonic() - started < 15
    assert resumed.resumed == len(docs) + 1
    assert [f["code"] for f in resumed.failures] == ["E109"]


def test_batch_limits_memory_cap_kills_the_hog_only(docs: list[str], tmp_path: Path) -> None:
    hog = Path(docs[0]).with_name("hog.html")
    shutil.copy(docs[0], hog)
    hog.write_bytes(hog.read_bytes().replace(b"report 0", b"report hog"))
    todo = docs[:2] + [str(hog)] + docs[2:]  # one group: the others must be extracted again
    with _FaultPool(None, 1, Limits(seconds=120, mib=200)) as pool:
        results = list(pool.map(todo))
    assert sorted(r.source for r in results) == sorted(todo)
    failed = [r for r in results if not r.ok]
    assert [(r.source, r.error_code) for r in failed] == [(str(hog), "E110")]
    assert "LIT_FILE_MAX_MB" in failed[0].error and "hog.html" in failed[0].error
    assert all(r.facts for r in results if r.ok)


def test_batch_limits_stalled_shared_step_finds_the_file_alone(docs: list[str], tmp_path: Path) -> None:
    stall = Path(docs[0]).with_name("stall.html")
    stall.write_bytes(Path(docs[0]).read_bytes().replace(b"report 0", b"report stall"))
    todo = [str(stall)] + docs  # one group, stalled in a step no single file is blamed for
    with _FaultPool(None, 2, Limits(seconds=1.5, mib=1024)) as pool:
        results = list(pool.map(todo))
    assert sorted(r.source for r in results) == sorted(todo)
    failed = [r for r in results if not r.ok]
    assert [(r.source, r.error_code) for r in failed] == [(str(stall), "E109")]
    assert all(r.facts for r in results if r.ok)


def test_batch_limits_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIT_FILE_TIMEOUT_S", "7.5")
    monkeypatch.setenv("LIT_FILE_MAX_MB", "junk")
    assert Limits.from_env() == Limits(7.5, workers.DEFAULT_FILE_MAX_MB)
    monkeypatch.setenv("LIT_FILE_TIMEOUT_S", "-1")  # not positive: the default, never "no limit"
    assert Limits.from_env().seconds == workers.DEFAULT_FILE_TIMEOUT_S


def test_batch_limits_interrupted_run_is_finished_by_its_resume(
    docs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Interrupted after some documents reached the graph, the run's ExtractionRun has no end
    and Measurements point to it; the resume carries on that run and gives it its end."""
    from lit.extract import batch
    from lit.graph.store import open_store

    monkeypatch.setattr(ProcessPool, "loader", staticmethod(_rules_only))
    monkeypatch.setattr(batch._GraphWriter.__init__, "__defaults__", (1, 5000, 30.0))  # a graph write per document
    out, graph = tmp_path / "facts.jsonl", str(tmp_path / "graph")

    def interrupt(result: DocumentResult, summary: batch.BatchSummary) -> None:
        if summary.documents == 2:
            raise KeyboardInterrupt  # as Ctrl-C (or kill -9) in the middle of the run

    with pytest.raises(KeyboardInterrupt):
        run_batch(docs, out, graph, on_result=interrupt)
    query = "MATCH (r:ExtractionRun) OPTIONAL MATCH (m:Measurement)-[:EXTRACTED_BY]->(r) RETURN r.id AS id, r.finished AS finished, count(m) AS n"
    with open_store(graph, read_only=True) as store:
        [before] = store.query(query)
    assert before["finished"] is None and before["n"] > 0
    summary = run_batch(docs, out, graph)
    assert summary.run_id == before["id"] and summary.succeeded == len(docs)
    with open_store(graph, read_only=True) as store:
        [after] = store.query(query)
    assert after["id"] == before["id"] and after["finished"] == summary.finished and after["n"] > before["n"]


def test_batch_limits_worker_dying_while_loading_is_an_error_not_a_hang() -> None:
    class Dying(ProcessPool):
        loader = staticmethod(_die_loading)

    with pytest.raises(ModelError, match=f"died while loading the model .exit code 3., {workers.LOAD_TRIES} times in a row"):
        with Dying(None, 1) as pool:
            pool.model_versions


class _KilledLoading(ProcessPool):
    loader = staticmethod(_die_on_listed_loads)


@pytest.mark.parametrize("die_on", ["1", "1,2"], ids=["once", "twice"])
def test_batch_limits_worker_killed_while_loading_at_start_is_replaced(
    docs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, die_on: str,
) -> None:
    """A kill during the first worker's load (the OOM killer) is not a broken model: the pool
    loads again, below :data:`LOAD_TRIES` deaths in a row, and extracts everything."""
    (tmp_path / "loads").mkdir()
    monkeypatch.setenv("LIT_TEST_LOADS_DIR", str(tmp_path / "loads"))
    monkeypatch.setenv("LIT_TEST_DIE_ON_LOADS", die_on)
    with _KilledLoading(None, 1) as pool:
        assert pool.model_versions == Extractor(None).model_versions
        results = list(pool.map(docs))
    assert sorted(r.source for r in results) == sorted(docs) and all(r.ok and r.facts for r in results)
    assert len(list((tmp_path / "loads").iterdir())) == len(die_on.split(",")) + 1


def test_batch_limits_replacement_killed_while_loading_mid_run_is_replaced_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mid-run, the worker that replaces a killed one is killed too while it loads the model:
    the pool replaces it again and ends with every document, none failed, instead of stopping
    with "a worker process died while loading the model" as if the model could not load."""
    require_html_reader()
    paths = [str(p) for p in make_corpus(tmp_path / "docs", 40)]  # two groups
    (tmp_path / "loads").mkdir()
    monkeypatch.setenv("LIT_TEST_LOADS_DIR", str(tmp_path / "loads"))
    monkeypatch.setenv("LIT_TEST_DIE_ON_LOADS", "2")  # the first replacement's load
    results = []
    with _KilledLoading(None, 1) as pool:
        for result in pool.map(paths):
            if not results:  # the first group is done: its worker is killed while it waits
                first = pool._workers[0].proc
                first.kill()
                first.join()
            results.append(result)
    assert sorted(r.source for r in results) == sorted(paths)
    assert all(r.ok and r.facts for r in results), [r.error for r in results if not r.ok]
    assert sorted(int(p.name) for p in (tmp_path / "loads").iterdir()) == [1, 2, 3]
