"""``lit ingest``: only new documents, --reextract of older models, the lock, the JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.extract.facts import Fact
from lit.extract.ingest import IngestLock, Ledger, _state_dir, ingest, select_documents
from lit.graph.store import ExtractionRun, open_store
from lit.extract.document import DocumentInfo, content_id
from tests.batch_corpus import expected_table_facts, html_doc, make_corpus, require_html_reader

runner = CliRunner()
LIT = str(Path(sys.executable).with_name("lit"))


def _ingest_cli(source: Path, graph: Path, *extra: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["ingest", str(source), "--graph", str(graph), "--quiet", *extra])
    lines = result.stdout.strip().splitlines()
    assert lines, result.output
    return result.exit_code, json.loads(lines[-1])


def _counts(graph: Path) -> dict[str, int]:
    with open_store(str(graph), read_only=True) as store:
        return store.counts()


def test_ingest_second_run_adds_nothing_and_new_file_is_the_only_one(tmp_path: Path) -> None:
    require_html_reader()
    source, graph = tmp_path / "inbox", tmp_path / "graph"
    make_corpus(source, 5)
    code, first = _ingest_cli(source, graph)
    assert code == 0, first
    assert first["event"] == "lit-ingest" and first["status"] == "ok"
    assert (first["candidates"], first["new"], first["documents"]) == (5, 5, 5)
    assert first["facts"] == expected_table_facts(5)
    counts = _counts(graph)
    assert counts["Document"] == 5 and counts["Measurement"] == expected_table_facts(5)

    code, second = _ingest_cli(source, graph)
    assert code == 0 and second["status"] == "nothing-to-do"
    assert (second["new"], second["skipped"], second["documents"], second["run_id"]) == (0, 5, 0, None)
    assert _counts(graph) == counts

    (source / "later.html").write_text(html_doc(99), encoding="utf-8")
    code, third = _ingest_cli(source, graph)
    assert code == 0 and (third["new"], third["skipped"], third["documents"]) == (1, 5, 1)
    after = _counts(graph)
    assert after["Document"] == 6 and after["ExtractionRun"] == counts["ExtractionRun"] + 1
    assert after["Measurement"] == counts["Measurement"] + expected_table_facts(1)


def test_ingest_reextract_redoes_only_documents_of_older_models(tmp_path: Path) -> None:
    require_html_reader()
    source, graph = tmp_path / "inbox", tmp_path / "graph"
    paths = make_corpus(source, 3)
    # One document was stored earlier by an older table model (a real upsert into the real store).
    old_id, sha = content_id(paths[0].read_bytes())
    info = DocumentInfo(doc_id=old_id, source=str(paths[0]), format="html", sha256=sha)
    old_fact = Fact(compound="ZnO", property="band_gap", value=3.3, unit="eV", raw_value="3.3", doc_id=old_id,
                    source=str(paths[0]), start=0, end=5, sentence="ZnO 3.3", model="lit-table-rules-0.0")
    with open_store(str(graph)) as store:
        store.upsert([info], [old_fact], ExtractionRun(run_id="old", started="2026-01-01T00:00:00+00:00",
                                                       lit_version="0.0"))
    code, first = _ingest_cli(source, graph)
    assert code == 0 and (first["new"], first["skipped"]) == (2, 1)  # without --reextract: kept as is

    code, again = _ingest_cli(source, graph, "--reextract")
    assert code == 0 and (again["reextracted"], again["new"], again["documents"]) == (1, 0, 1)
    with open_store(str(graph), read_only=True) as store:
        rows = store.query(
            "MATCH (m:Measurement) WHERE m.doc_id = $d RETURN m.model AS model, m.superseded AS s", {"d": old_id})
    assert {(r["model"], r["s"]) for r in rows} >= {("lit-table-rules-0.0", True), ("lit-table-rules-0.1", False)}

    code, third = _ingest_cli(source, graph, "--reextract")
    assert code == 0 and third["status"] == "nothing-to-do" and third["reextracted"] == 0


def test_ingest_select_documents_uses_the_ledger(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("alpha")
    b.write_text("beta")
    ida, idb = content_id(a.read_bytes())[0], content_id(b.read_bytes())[0]
    stored = {ida: [], idb: ["lit-table-rules-0.1"]}  # a: no facts at all
    current = ["ner-x+rules-link-0.1", "lit-table-rules-0.1"]
    selected, new, again = select_documents([a, b], stored, current, True)
    assert (selected, new, again) == ([a, b], 0, 2)
    ledger = Ledger(tmp_path / "extracted.jsonl")
    ledger.record(ida, current)
    ledger.record(idb, ["lit-table-rules-0.1"])
    ledger.record(idb, current)  # the last line wins
    (tmp_path / "extracted.jsonl").open("a").write('{"doc_id": "torn')
    selected, new, again = select_documents([a, b], stored, current, True, ledger.load())
    assert (selected, new, again) == ([], 0, 0)


def test_ingest_lock_second_run_exits_75(tmp_path: Path) -> None:
    source, graph = tmp_path / "inbox", tmp_path / "graph"
    source.mkdir()
    (source / "a.txt").write_text("Note\n\nZinc oxide films were grown.\n")
    with IngestLock(_state_dir(str(graph), None) / "lock", str(graph)):
        proc = subprocess.run([LIT, "ingest", str(source), "--graph", str(graph), "--quiet"],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 75, proc.stderr
    line = json.loads(proc.stdout.strip().splitlines()[-1])
    assert line["event"] == "lit-ingest" and line["status"] == "locked"
    assert str(graph) in line["message"] and f"pid " in line["message"]
    assert not graph.exists()  # the locked run wrote nothing
    code, after = _ingest_cli(source, graph)  # the lock is free again once released
    assert code == 0 and after["documents"] == 1


def test_ingest_partial_exit_three_and_summary_fields(tmp_path: Path) -> None:
    source, graph = tmp_path / "inbox", tmp_path / "graph"
    source.mkdir()
    (source / "good.txt").write_text("Note\n\nZinc oxide films were grown.\n")
    (source / "bad.pdf").write_bytes(b"\x00junk\x00" * 20)
    code, line = _ingest_cli(source, graph)
    assert code == 3
    assert line["status"] == "partial" and line["failed"] == 1 and line["documents"] == 2
    assert set(line) == {"event", "status", "target", "run_id", "candidates", "new", "reextracted", "skipped",
                         "documents", "facts", "failed", "seconds"}
    state = _state_dir(str(graph), None)
    failures = (state / "last-run.facts.jsonl.failures.jsonl").read_text()
    assert "bad.pdf" in failures and "E103" in failures


def test_ingest_model_versions_without_loading_match_the_workers() -> None:
    """The ingest compares stored versions with ``model_versions`` (config only, no weights):
    they must equal what a loaded extractor records on its facts."""
    from lit.errors import ModelError
    from lit.extract.workers import load_extractor, model_versions
    from lit.models.bundle import default_artifact

    try:
        default_artifact("ner")
    except ModelError:
        pytest.skip("the default NER model is not in models/trained")
    loaded = load_extractor(None)
    assert loaded.tagger is not None
    assert model_versions() == loaded.model_versions


def test_ingest_hash_cache_rehashes_only_changed_files(tmp_path: Path) -> None:
    from lit.extract.ingest import HashCache

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("alpha")
    b.write_text("beta")
    store = tmp_path / "hashes.jsonl"
    cache = HashCache(store)
    first = {p: cache.doc_id(p) for p in (a, b)}
    cache.save()
    assert len(store.read_text().splitlines()) == 2
    again = HashCache(store)
    assert {p: again.doc_id(p) for p in (a, b)} == first
    again.save()
    assert len(store.read_text().splitlines()) == 2  # served from the cache: nothing hashed
    b.write_text("beta, revised")
    assert again.doc_id(b) == content_id(b.read_bytes())[0] != first[b]
    again.save()
    assert len(store.read_text().splitlines()) == 3  # only the changed file was hashed again
    assert HashCache(store).doc_id(b) == again.doc_id(b)  # the last line wins on load


def test_ingest_graph_held_by_another_writer_exits_75(tmp_path: Path) -> None:
    """A `lit extract` (or anything else) writing the embedded graph also means "try later"."""
    source, graph = tmp_path / "inbox", tmp_path / "graph"
    source.mkdir()
    (source / "a.txt").write_text("Note\n\nZinc oxide films were grown.\n")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from lit.graph.store import open_store; "
         f"s = open_store({str(graph)!r}); print('open', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        proc = subprocess.run([LIT, "ingest", str(source), "--graph", str(graph), "--quiet"],
                              capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 75, (proc.stdout, proc.stderr)
    line = json.loads(proc.stdout.strip().splitlines()[-1])
    assert line["status"] == "locked" and str(graph) in line["message"]
