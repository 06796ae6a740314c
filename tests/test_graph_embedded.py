"""The embedded LadybugDB store and the shared schema, against a real database in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from lit.errors import GraphError, GraphLockedError, ReadOnlyQueryError
from lit.extract.facts import Fact
from lit.graph import embedded, schema
from lit.graph.embedded import EmbeddedStore
from lit.graph.store import open_store
from tests import graph_samples as gs

EMPTY = {n.label: 0 for n in schema.NODE_TYPES} | {r.type: 0 for r in schema.REL_TYPES}


@pytest.fixture()
def store(tmp_path: Path):
    with EmbeddedStore(tmp_path / "g") as s:
        yield s


def _measurements(store: EmbeddedStore) -> dict[str, dict]:
    rows = store.query("MATCH (m:Measurement) RETURN m.id AS id, m.model AS model, m.superseded AS sup, m.value AS value")
    return {r["id"]: r for r in rows}


# -- schema ------------------------------------------------------------------------------------


def test_schema_compound_key_normalises_space_and_words_not_formulas() -> None:
    assert schema.compound_key("  Lead   Iodide ") == "lead iodide"
    assert schema.compound_key("CH₃NH₃PbI₃") == "CH3NH3PbI3"
    # Case carries meaning in formulas and element symbols: cobalt is not carbon monoxide.
    assert schema.compound_key("Co") != schema.compound_key("CO")
    assert schema.compound_key("GaN") == "GaN"


def test_schema_rows_dedupe_and_stub_unknown_documents() -> None:
    facts = gs.facts()
    rows = schema.graph_rows(gs.DOCS[:1], facts + facts)
    assert len(rows.nodes["Measurement"]) == len({f.fact_id for f in facts})
    assert {r["id"] for r in rows.document_stubs} == {d.doc_id for d in gs.DOCS[1:]}
    assert len(rows.rels["HAS_MEASUREMENT"]) == len(facts)
    assert rows.rels["EXTRACTED_BY"] == []
    # CH3NH3PbI3 appears in two papers but is one compound node.
    assert [c["key"] for c in rows.nodes["Compound"]].count("CH3NH3PbI3") == 1


def test_schema_ddl_covers_every_property() -> None:
    ddl = "\n".join(schema.ladybug_ddl())
    for node in schema.NODE_TYPES:
        for prop in node.props:
            assert f"{schema.quote(prop.name)} {prop.type}" in ddl
    neo = schema.neo4j_ddl()
    assert sum("IS UNIQUE" in s for s in neo) == len(schema.NODE_TYPES)


# -- opening -----------------------------------------------------------------------------------


def test_embedded_open_creates_schema_idempotently(tmp_path: Path) -> None:
    for _ in range(2):
        with open_store(str(tmp_path / "g")) as s:
            assert isinstance(s, EmbeddedStore)
            assert s.counts() == EMPTY
            tables = {r["name"] for r in s.query("CALL show_tables() RETURN name")}
            assert {n.label for n in schema.NODE_TYPES} | {r.type for r in schema.REL_TYPES} <= tables
    assert (tmp_path / "g" / embedded.DB_FILE).is_file()


def test_embedded_read_only_open_of_missing_graph_names_it(tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="nothing has been ingested") as err:
        EmbeddedStore(tmp_path / "nowhere", read_only=True)
    assert str(tmp_path / "nowhere") in str(err.value)


def test_embedded_second_writer_in_another_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g"
    EmbeddedStore(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from lit.graph.embedded import EmbeddedStore
            s = EmbeddedStore({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
            s.close()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(GraphLockedError) as err:
            EmbeddedStore(path)
        assert str(path) in str(err.value) and f"process {holder.pid}" in str(err.value)
        # Readers are still allowed beside the writer.
        with EmbeddedStore(path, read_only=True) as reader:
            assert reader.counts()["Measurement"] == 0
    finally:
        holder.communicate("\n", timeout=60)
    with EmbeddedStore(path) as again:  # the lock goes with the process
        assert again.counts()["Measurement"] == 0


def test_embedded_second_writer_in_same_process_is_refused(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "g"):
        with pytest.raises(GraphLockedError, match="already open for writing"):
            EmbeddedStore(tmp_path / "g")
    EmbeddedStore(tmp_path / "g").close()  # released on close


def test_embedded_store_dropped_without_close_releases_the_folder(tmp_path: Path) -> None:
    import gc

    store = EmbeddedStore(tmp_path / "g")
    store.upsert(gs.DOCS, gs.facts()[:2])
    del store
    gc.collect()
    with EmbeddedStore(tmp_path / "g") as again:
        assert again.counts()["Measurement"] == 2


# -- upsert ------------------------------------------------------------------------------------


@pytest.mark.parametrize("copy_min_rows", [1, 10**6], ids=["copy", "create"])
def test_embedded_upsert_twice_gives_identical_counts(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, copy_min_rows: int
) -> None:
    monkeypatch.setattr(embedded, "COPY_MIN_ROWS", copy_min_rows)
    store.upsert(gs.DOCS, gs.facts(), gs.run())
    first = store.counts()
    store.upsert(gs.DOCS, gs.facts(), gs.run())
    assert store.counts() == first
    assert first["Measurement"] == len(gs.facts())
    assert first["Compound"] == len({f.compound_key or f.compound for f in gs.facts()})
    assert first["Document"] == len(gs.DOCS)
    for rel in ("HAS_MEASUREMENT", "OF_PROPERTY", "FROM_DOCUMENT", "EXTRACTED_BY"):
        assert first[rel] == len(gs.facts())


@pytest.mark.parametrize("copy_min_rows", [1, 10**6], ids=["copy", "create"])
def test_embedded_provenance_round_trips(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, copy_min_rows: int
) -> None:
    monkeypatch.setattr(embedded, "COPY_MIN_ROWS", copy_min_rows)
    store.upsert(gs.DOCS, gs.facts(), gs.run())
    rows = store.query(
        "MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement)-[:OF_PROPERTY]->(p:Property), "
        "(m)-[:FROM_DOCUMENT]->(d:Document), (m)-[:EXTRACTED_BY]->(r:ExtractionRun) "
        "RETURN m AS m, c.key AS key, c.names AS names, p.name AS property, d AS d, r.id AS run"
    )
    by_id = {r["m"]["id"]: r for r in rows}
    docs = {d.doc_id: d for d in gs.DOCS}
    assert len(by_id) == len(gs.facts())
    for fact in gs.facts():
        row = by_id[fact.fact_id]
        m, d = row["m"], row["d"]
        assert row["key"] == schema.fact_compound_key(fact) and fact.compound in row["names"]
        assert row["property"] == fact.property and row["run"] == gs.run().run_id
        for name in ("value", "value_max", "unit", "raw_value", "confidence", "model", "sentence",
                     "start", "end", "compound_start", "compound_end", "value_start", "value_end",
                     "section", "flags", "doc_id", "compound", "property_text", "page"):
            assert m[name] == getattr(fact, name), name
        assert (json.loads(m["boxes"]) if m["boxes"] else []) == fact.boxes
        assert json.loads(m["conditions"]) == fact.conditions
        assert m["superseded"] is False
        # The stored offsets still locate the compound and value inside the stored sentence.
        assert m["sentence"][m["compound_start"] - m["start"] : m["compound_end"] - m["start"]] == fact.compound
        assert m["sentence"][m["value_start"] - m["start"] : m["value_end"] - m["start"]] == fact.raw_value
        info = docs[fact.doc_id]
        for name in ("doi", "title", "journal", "year", "source", "format", "sha256", "authors"):
            assert d[name] == getattr(info, name), name
        assert d["ingested_at"] and d["ingested_at"][:4].isdigit()


def test_embedded_graph_from_before_page_and_boxes_gains_them(tmp_path: Path) -> None:
    """A graph written before Measurements had page and boxes opens, takes them, and re-writing
    the same facts with them keeps their ids (no new Measurement)."""
    import ladybug

    db = ladybug.Database(str(tmp_path / "g"))
    conn = ladybug.Connection(db)
    for stmt in schema.ladybug_ddl():
        if "ALTER TABLE" in stmt:
            continue
        if stmt.startswith(f"CREATE NODE TABLE IF NOT EXISTS {schema.MEASUREMENT.label}("):
            for name in schema.ADDED_COLUMNS:  # the table as an older lit made it
                stmt = stmt.replace(f", {schema.quote(name)} {'INT64' if name == 'page' else 'STRING'}", "")
            assert "page" not in stmt
        conn.execute(stmt)
    conn.close()
    db.close()
    old = [replace(f, page=None, boxes=[]) for f in gs.facts()]
    with EmbeddedStore(tmp_path / "g") as store:
        store.upsert(gs.DOCS, old, gs.run())
        assert store.counts()["Measurement"] == len(old)
        store.upsert(gs.DOCS, gs.facts(), gs.run())
        assert store.counts()["Measurement"] == len(old)
        placed = [f for f in gs.facts() if f.boxes]
        rows = store.query("MATCH (m:Measurement) WHERE m.page IS NOT NULL RETURN m.id AS id, m.page AS page, m.boxes AS boxes")
        assert [(r["id"], r["page"], json.loads(r["boxes"])) for r in rows] == [(f.fact_id, f.page, f.boxes) for f in placed]


def test_embedded_facts_without_documents_get_stub_documents(store: EmbeddedStore) -> None:
    store.upsert([], gs.facts())
    stubs = store.query("MATCH (d:Document) RETURN d.id AS id, d.source AS source, d.title AS title")
    assert {(r["id"], r["source"]) for r in stubs} == {(d.doc_id, d.source) for d in gs.DOCS}
    assert all(r["title"] is None for r in stubs)
    # Metadata arriving later fills the stubs; a later stub never erases it.
    store.upsert(gs.DOCS, [])
    store.upsert([], gs.facts())
    titles = {r["id"]: r["t"] for r in store.query("MATCH (d:Document) RETURN d.id AS id, d.title AS t")}
    assert titles == {d.doc_id: d.title for d in gs.DOCS}


def test_embedded_compound_keeps_every_name_it_was_written_as(store: EmbeddedStore) -> None:
    base = gs.facts()[6]  # Ni
    lower = replace(base, compound="lead iodide", start=10, end=20)
    upper = replace(base, compound="Lead  Iodide", start=30, end=40)
    store.upsert([], [lower])
    store.upsert([], [upper])
    rows = store.query("MATCH (c:Compound {key: $k}) RETURN c.names AS names", {"k": "lead iodide"})
    assert rows == [{"names": ["lead iodide", "Lead  Iodide"]}]


def test_embedded_re_extraction_supersedes_older_model(store: EmbeddedStore) -> None:
    store.upsert(gs.DOCS, gs.facts(gs.MODEL_V1), gs.run())
    v1 = gs.facts(gs.MODEL_V1)
    paper = gs.DOCS[0].doc_id
    # The newer model finds the MAPbI3 gap again (same statement, same id) but reads the
    # CsPbBr3 value differently (a new statement, a new id).
    v2 = [f for f in gs.facts(gs.MODEL_V2) if f.doc_id == paper]
    v2[1] = replace(v2[1], value=2.31, raw_value="2.31 eV")
    store.upsert([gs.DOCS[0]], v2, gs.run("run-2", "2026-11-26T02:00:00+00:00", gs.MODEL_V2, 2))
    got = _measurements(store)
    assert len(got) == len(v1) + 1  # nothing deleted, one new measurement
    assert got[v2[0].fact_id]["model"] == gs.MODEL_V2 and got[v2[0].fact_id]["sup"] is False
    assert got[v2[1].fact_id]["sup"] is False
    old_cs = next(f for f in v1 if f.compound == "CsPbBr3")
    assert got[old_cs.fact_id]["sup"] is True and got[old_cs.fact_id]["model"] == gs.MODEL_V1
    # Other papers are untouched.
    for f in v1:
        if f.doc_id != paper:
            assert got[f.fact_id]["sup"] is False and got[f.fact_id]["model"] == gs.MODEL_V1
    versions = store.document_versions()
    assert versions[paper] == [gs.MODEL_V2]
    assert versions[gs.DOCS[2].doc_id] == [gs.MODEL_V1]
    # Re-running the new model changes nothing.
    before = store.counts()
    store.upsert([gs.DOCS[0]], v2, gs.run("run-2", "2026-11-26T02:00:00+00:00", gs.MODEL_V2, 2))
    assert store.counts() == before and _measurements(store) == got


@pytest.mark.parametrize("copy_min_rows", [1, 10**6], ids=["copy", "create"])
def test_embedded_upsert_is_all_or_nothing(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, copy_min_rows: int
) -> None:
    monkeypatch.setattr(embedded, "COPY_MIN_ROWS", copy_min_rows)
    store.upsert(gs.DOCS[:1], gs.facts()[:2])
    before = store.counts()

    original = EmbeddedStore._supersede

    def fail(*_: object) -> None:  # simulate a fault after every node and relationship copy
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(EmbeddedStore, "_supersede", fail)
    with pytest.raises(GraphError, match="rolled back: disk full") as err:
        store.upsert(gs.DOCS, gs.facts(), gs.run())
    assert str(store.path) in str(err.value)
    assert store.counts() == before
    monkeypatch.setattr(EmbeddedStore, "_supersede", original)
    store.upsert(gs.DOCS, gs.facts(), gs.run())  # the store is usable after a rollback
    assert store.counts()["Measurement"] == len(gs.facts())


def test_embedded_first_load_skips_lookups_but_never_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys are not looked up in tables that were empty at open and not written since; a
    first call that is rolled back, its retry, a re-upsert and a reopened store all still
    find what is stored."""
    store = EmbeddedStore(tmp_path / "g")
    looked_up: list[str] = []
    fetch = EmbeddedStore._fetch

    def counted(self: EmbeddedStore, node: schema.NodeType, keys: set[str]) -> dict:
        looked_up.append(node.label)
        return fetch(self, node, keys)

    monkeypatch.setattr(EmbeddedStore, "_fetch", counted)
    supersede = EmbeddedStore._supersede

    def fail(*_: object) -> None:
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(EmbeddedStore, "_supersede", fail)
    with pytest.raises(GraphError):
        store.upsert(gs.DOCS, gs.facts(), gs.run())
    assert looked_up == []  # a fresh graph: nothing to look up
    monkeypatch.setattr(EmbeddedStore, "_supersede", supersede)
    store.upsert(gs.DOCS, gs.facts(), gs.run())
    assert "Measurement" in looked_up  # after a rolled-back write the table may hold rows
    first = store.counts()
    store.upsert(gs.DOCS, gs.facts(), gs.run())
    assert store.counts() == first and first["Measurement"] == len(gs.facts())
    store.close()
    with EmbeddedStore(tmp_path / "g") as again:
        again.upsert(gs.DOCS, gs.facts(), gs.run())
        assert again.counts() == first


def test_embedded_bulk_copy_path_then_rewrite(store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "COPY_MIN_ROWS", 3000)  # the COPY path without 50k facts
    n = 4500
    base = gs.facts()[0]
    many = [replace(base, start=i * 100, end=i * 100 + 60, value=1.5 + (i % 7) / 100) for i in range(n)]
    store.upsert(gs.DOCS[:1], many)
    store.upsert(gs.DOCS[:1], many)
    counts = store.counts()
    assert counts["Measurement"] == n and counts["HAS_MEASUREMENT"] == n and counts["Compound"] == 1


def test_embedded_call_mixing_stored_and_new_measurements_links_each_once(store: EmbeddedStore) -> None:
    facts = gs.facts()
    store.upsert(gs.DOCS, facts[:3], gs.run())
    store.upsert(gs.DOCS, facts, gs.run("run-2", "2026-11-26T02:00:00+00:00"))
    counts = store.counts()
    # New Measurements come with all four links; the stored three only gain the new run's.
    assert counts["Measurement"] == len(facts)
    for rel in ("HAS_MEASUREMENT", "OF_PROPERTY", "FROM_DOCUMENT"):
        assert counts[rel] == len(facts), rel
    assert counts["EXTRACTED_BY"] == 3 + len(facts)
    rows = store.query(
        "MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement)-[:OF_PROPERTY]->(p:Property), "
        "(m)-[:FROM_DOCUMENT]->(d:Document) RETURN m.id AS id, c.key AS c, p.name AS p, d.id AS d"
    )
    assert {(r["id"], r["c"], r["p"], r["d"]) for r in rows} == {
        (f.fact_id, schema.fact_compound_key(f), f.property, f.doc_id) for f in facts
    }
    runs = store.query("MATCH (m:Measurement)-[:EXTRACTED_BY]->(r:ExtractionRun) RETURN m.id AS id, r.id AS run")
    assert sorted(r["run"] for r in runs if r["id"] == facts[0].fact_id) == ["run-2", gs.run().run_id]


def test_embedded_committed_upsert_survives_a_killed_writer(tmp_path: Path) -> None:
    # Checkpoints are rare (CHECKPOINT_THRESHOLD): a commit lives in the write-ahead log
    # until then, and must be replayed when a process dies without closing the store.
    path = tmp_path / "g"
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(f"""
            import os
            from lit.graph.embedded import EmbeddedStore
            from tests import graph_samples as gs
            s = EmbeddedStore({str(path)!r})
            s.upsert(gs.DOCS, gs.facts(), gs.run())
            os._exit(0)  # no close, no checkpoint
        """)],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[1],
    )
    assert child.returncode == 0, child.stderr
    assert (path / (embedded.DB_FILE + ".wal")).stat().st_size > 0  # the commit is in the log only
    with EmbeddedStore(path) as store:
        counts = store.counts()
        setting = store.query("CALL current_setting('checkpoint_threshold') RETURN *")
    assert counts["Measurement"] == len(gs.facts()) and counts["EXTRACTED_BY"] == len(gs.facts())
    assert int(next(iter(setting[0].values()))) == embedded.CHECKPOINT_THRESHOLD


def test_embedded_record_run_updates_counts(store: EmbeddedStore) -> None:
    run = gs.run()
    run.finished, run.facts = None, 0
    store.record_run(run)
    run.finished, run.facts, run.failures = "2026-11-25T02:09:00+00:00", 8, 1
    store.record_run(run)
    rows = store.query("MATCH (r:ExtractionRun) RETURN r.id AS id, r.facts AS facts, r.failures AS f, r.finished AS fin, r.models AS models")
    assert rows == [{"id": run.run_id, "facts": 8, "f": 1, "fin": run.finished, "models": run.models}]


# -- read-only ---------------------------------------------------------------------------------


def test_embedded_query_guard_refuses_writes(store: EmbeddedStore) -> None:
    store.upsert(gs.DOCS, gs.facts())
    with pytest.raises(ReadOnlyQueryError, match="`SET` writes"):
        store.query("MATCH (m:Measurement) SET m.value = 0.0 RETURN m.id")
    assert 0.0 not in {r["value"] for r in _measurements(store).values()}


def test_embedded_engine_refuses_writes_the_guard_missed(store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.upsert(gs.DOCS, gs.facts())
    monkeypatch.setattr(embedded, "check_read_only", lambda *a, **k: None)  # simulate a guard gap
    with pytest.raises(GraphError, match="read-only database"):
        store.query("MATCH (m:Measurement) SET m.value = 0.0 RETURN m.id")
    # A COMMIT in the text ended the old read-only transaction and auto-committed the rest;
    # the query's database is read-only, so there is nothing to commit out of.
    with pytest.raises(GraphError, match="query failed"):
        store.query("MATCH (n) RETURN count(n);\n//.\nCOMMIT;\nMATCH (m:Measurement) //.\nDETACH //.\nDELETE m")
    with pytest.raises(GraphError, match="read-only database"):
        store.query("BEGIN TRANSACTION; MATCH (m:Measurement) DETACH DELETE m; COMMIT")
    assert 0.0 not in {r["value"] for r in _measurements(store).values()}
    assert store.query("MATCH (m:Measurement) RETURN count(m) AS n") == [{"n": len(gs.facts())}]
    assert store.counts()["Measurement"] == len(gs.facts())


def test_embedded_read_only_store_refuses_upsert_in_engine(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "g") as s:
        s.upsert(gs.DOCS, gs.facts()[:3])
    with EmbeddedStore(tmp_path / "g", read_only=True) as ro:
        with pytest.raises(GraphError, match="read-only database"):
            ro.upsert(gs.DOCS, gs.facts())
        with pytest.raises(GraphError, match="read-only database"):
            ro.record_run(gs.run())
        assert ro.counts()["Measurement"] == 3
        rows = ro.query(
            "MATCH (m:Measurement) WHERE m.value > $v RETURN m.compound AS c ORDER BY c", {"v": 2.0}
        )
        assert rows == [{"c": f.compound} for f in gs.facts()[:3] if f.value > 2.0]


def test_embedded_query_errors_name_the_store(store: EmbeddedStore) -> None:
    with pytest.raises(GraphError, match="query failed") as err:
        store.query("MATCH (x:NoSuchLabel) RETURN x")
    assert str(store.path) in str(err.value)
    assert store.query("RETURN 1 AS one") == [{"one": 1}]  # the connection still works


def test_embedded_fact_ids_survive_float_round_trip(store: EmbeddedStore) -> None:
    fact = Fact.from_dict(gs.facts()[0].to_dict())
    store.upsert([], [fact])
    stored = store.query("MATCH (m:Measurement) RETURN m.value AS v, m.id AS id")[0]
    assert stored["id"] == replace(fact, value=stored["v"]).fact_id


def test_embedded_file_that_is_not_a_graph_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / embedded.DB_FILE).write_bytes(b"not a database\n" * 100)
    for read_only in (False, True):
        with pytest.raises(GraphError, match="cannot open the embedded graph") as err:
            EmbeddedStore(tmp_path / "g", read_only=read_only)
        assert str(tmp_path / "g") in str(err.value)
    with pytest.raises(GraphError):  # the failed writable open left nothing locked behind
        EmbeddedStore(tmp_path / "g")
    assert str((tmp_path / "g" / embedded.DB_FILE).resolve()) not in embedded._writers


@pytest.mark.parametrize("how", ["default", "argument"])
def test_embedded_reopens_after_many_facts_and_keeps_its_claim(tmp_path, monkeypatch, how):
    """Every few facts the store reopens its database (LadybugDB's memory only shrinks on
    close): nothing written is lost, re-upserts stay idempotent, and the folder stays claimed.
    The budget is the module's default or the store's own (what ``lit extract`` passes)."""
    budget = 2 * embedded.CALL_MIB
    if how == "default":
        monkeypatch.setattr(embedded, "REOPEN_AFTER_MIB", budget)
        store = embedded.EmbeddedStore(tmp_path / "g")
    else:
        store = open_store(str(tmp_path / "g"), engine_mib=budget)
    docs, facts = gs.DOCS, gs.facts()
    assert len(facts) > 3
    try:
        first_db = store._db
        for i in range(0, len(facts), 2):
            store.upsert(docs, facts[i : i + 2])
        assert store._db is not first_db  # reopened at least once
        counts = store.counts()
        assert counts["Measurement"] == len({f.fact_id for f in facts})
        store.upsert(docs, facts)
        assert store.counts() == counts
        with pytest.raises(GraphLockedError):
            embedded.EmbeddedStore(tmp_path / "g")
    finally:
        store.close()
    reopened = embedded.EmbeddedStore(tmp_path / "g", read_only=True)
    try:
        assert reopened.counts() == counts
    finally:
        reopened.close()
