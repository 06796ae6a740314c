"""The Neo4j store against a real Bolt server (ArcadeDB, started once per session by the
``bolt_server`` fixture of ``tests/bolt_server.py``)."""

from __future__ import annotations

import json

import logging
import random
from collections import Counter

import pytest

from lit.errors import GraphError, GraphUnavailableError, ReadOnlyQueryError
from lit.extract.document import Document, DocumentBuilder, DocumentInfo, content_id
from lit.extract.facts import Fact
from lit.graph import schema
from lit.graph.neo4j_store import Neo4jStore, RetryPolicy, resolve_connection
from lit.graph.store import ExtractionRun, open_store

pytestmark = pytest.mark.bolt

COMPOUNDS = [
    ("CH3NH3PbI3", "CH3NH3PbI3"), ("TiO2", "TiO2"), ("zinc oxide", "ZnO"), ("GaN", "GaN"),
    ("MoS2", "MoS2"), ("Lead iodide", "PbI2"), ("CsPbBr3", "CsPbBr3"), ("Co", "Co"),
    ("CO", "CO"), ("Si", "Si"), ("LiFePO4", "LiFePO4"), ("BaTiO3", "BaTiO3"),
]  # fmt: skip
PROPERTIES = [
    ("band gap", "eV", 0.5, 4.0), ("melting point", "K", 300.0, 2500.0),
    ("specific capacity", "mAh/g", 50.0, 300.0), ("dielectric constant", "", 3.0, 3000.0),
]  # fmt: skip


def make_document(index: int, n_facts: int, model: str = "rules-1", seed: int = 0) -> tuple[Document, list[Fact]]:
    """A small real Document (built by DocumentBuilder) and facts whose offsets point into it."""
    rng = random.Random(seed * 7919 + index)
    sentences, picks = [], []
    for _ in range(n_facts):
        name, formula = rng.choice(COMPOUNDS)
        prop, unit, lo, hi = rng.choice(PROPERTIES)
        value = round(rng.uniform(lo, hi), 2)
        raw = f"{value} {unit}".strip()
        sentences.append(f"The {prop} of {name} was found to be {raw} at 300 K.")
        picks.append((name, formula, prop, unit, value, raw))
    data = f"paper {index} seed {seed}".encode()
    doc_id, sha = content_id(data)
    info = DocumentInfo(
        doc_id=doc_id, source=f"papers/p{index}.pdf", format="pdf", sha256=sha,
        title=f"Paper {index}", authors=["A. Author", "B. Author"], doi=f"10.1000/p{index}",
        journal="J. Test", year=2020 + index % 5,
    )  # fmt: skip
    builder = DocumentBuilder(info)
    builder.set_title(info.title or "")
    builder.start_section("Results")
    for sentence in sentences:
        builder.add_paragraph(sentence)
    doc = builder.build()
    facts, cursor = [], 0
    for sentence, (name, formula, prop, unit, value, raw) in zip(sentences, picks):
        start = doc.text.index(sentence, cursor)
        cursor = start + len(sentence)
        c0 = start + sentence.index(name)
        v0 = start + sentence.index(raw)
        facts.append(
            Fact(
                compound=name, property=prop, value=value, unit=unit, raw_value=raw,
                doc_id=doc_id, source=info.source, start=start, end=cursor, sentence=sentence,
                model=model, conditions={"temperature": "300 K"}, confidence=0.9,
                section="Results", formula=formula, property_text=prop,
                compound_start=c0, compound_end=c0 + len(name), value_start=v0,
                value_end=v0 + len(raw), flags=["test"],
            )
        )  # fmt: skip
    return doc, facts


def make_corpus(n_docs: int, facts_per_doc: int, model: str = "rules-1", seed: int = 0):
    docs, facts = [], []
    for i in range(n_docs):
        doc, doc_facts = make_document(i, facts_per_doc, model, seed)
        docs.append(doc)
        facts.extend(doc_facts)
    return docs, facts


def expected_counts(infos: list[DocumentInfo], facts: list[Fact], runs: int = 0) -> dict[str, int]:
    """What the graph must hold after writing these, computed from the inputs alone."""
    ids = {f.fact_id for f in facts}
    return {
        "Document": len({d.doc_id for d in infos} | {f.doc_id for f in facts}),
        "Compound": len({schema.fact_compound_key(f) for f in facts}),
        "Property": len({f.property for f in facts}),
        "Measurement": len(ids),
        "ExtractionRun": runs,
        "HAS_MEASUREMENT": len(ids),
        "OF_PROPERTY": len(ids),
        "FROM_DOCUMENT": len(ids),
        "EXTRACTED_BY": len(ids) if runs else 0,
    }


def a_run(run_id: str = "run-1") -> ExtractionRun:
    return ExtractionRun(run_id=run_id, started="2026-11-26T00:00:00+00:00", lit_version="0.1.0", models=["rules-1"])


def test_neo4j_store_upsert_counts_and_idempotence(neo4j_store: Neo4jStore) -> None:
    docs, facts = make_corpus(6, 8)
    infos = [d.info for d in docs]
    neo4j_store.upsert(infos, facts, a_run())
    first = neo4j_store.counts()
    assert first == expected_counts(infos, facts, runs=1)
    neo4j_store.upsert(infos, facts, a_run())
    assert neo4j_store.counts() == first


def test_neo4j_store_batches_equal_one_transaction(bolt_server, neo4j_store: Neo4jStore) -> None:
    docs, facts = make_corpus(5, 9)
    infos = [d.info for d in docs]
    ep = bolt_server.endpoint
    small = Neo4jStore.connect(ep.uri, user=ep.user, password=ep.password, database=ep.database, batch_size=7)
    try:
        small.upsert(infos, facts, a_run())
        batched = small.counts()
        rows = small.query("MATCH (d:Document) RETURN d.id AS id, d.title AS title ORDER BY id")
    finally:
        small.close()
    assert batched == expected_counts(infos, facts, runs=1)
    # every document keeps its full metadata even when its facts straddle batches
    assert {r["id"]: r["title"] for r in rows} == {d.doc_id: d.title for d in infos}


def test_neo4j_store_provenance_round_trip(neo4j_store: Neo4jStore) -> None:
    docs, facts = make_corpus(3, 5)
    neo4j_store.upsert([d.info for d in docs], facts)
    texts = {d.doc_id: d.text for d in docs}
    fact = facts[7]
    rows = neo4j_store.query(
        "MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement {id: $id})-[:FROM_DOCUMENT]->(d:Document), "
        "(m)-[:OF_PROPERTY]->(p:Property) "
        "RETURN c.key AS key, c.formula AS formula, p.name AS prop, d.doi AS doi, d.title AS title, "
        "d.authors AS authors, m.sentence AS sentence, m.`start` AS start, m.`end` AS end, "
        "m.compound_start AS cs, m.compound_end AS ce, m.value_start AS vs, m.value_end AS ve, "
        "m.value AS value, m.unit AS unit, m.conditions AS conditions, m.section AS section, "
        "m.model AS model, m.flags AS flags, m.confidence AS confidence",
        {"id": fact.fact_id},
    )
    assert len(rows) == 1
    row, text = rows[0], texts[fact.doc_id]
    info = next(d.info for d in docs if d.doc_id == fact.doc_id)
    assert text[row["start"] : row["end"]] == row["sentence"] == fact.sentence
    assert text[row["cs"] : row["ce"]] == fact.compound
    assert text[row["vs"] : row["ve"]] == fact.raw_value
    assert (row["key"], row["formula"], row["prop"]) == (schema.fact_compound_key(fact), fact.formula, fact.property)
    assert (row["doi"], row["title"], row["authors"]) == (info.doi, info.title, info.authors)
    assert (row["value"], row["unit"], row["section"], row["model"]) == (fact.value, fact.unit, fact.section, fact.model)
    assert row["conditions"] == '{"temperature": "300 K"}'
    assert row["flags"] == fact.flags and row["confidence"] == pytest.approx(fact.confidence)


def test_neo4j_store_page_and_boxes_round_trip_without_changing_ids(neo4j_store: Neo4jStore) -> None:
    doc, facts = make_document(0, 2)
    neo4j_store.upsert([doc.info], facts)
    placed = [Fact.from_dict(facts[0].to_dict() | {"page": 2, "boxes": [[2, 54.0, 500.5, 298.9, 530.0]]}), facts[1]]
    assert placed[0].fact_id == facts[0].fact_id
    neo4j_store.upsert([doc.info], placed)
    rows = neo4j_store.query("MATCH (m:Measurement) RETURN m.id AS id, m.page AS page, m.boxes AS boxes ORDER BY m.id")
    assert len(rows) == 2
    got = {r["id"]: (r["page"], json.loads(r["boxes"]) if r["boxes"] else []) for r in rows}
    assert got == {f.fact_id: (f.page, f.boxes) for f in placed}


def test_neo4j_store_compound_names_union(neo4j_store: Neo4jStore) -> None:
    doc, facts = make_document(0, 2)
    a = Fact.from_dict(facts[0].to_dict() | {"compound": "MAPbI3", "compound_key": "CH3NH3PbI3", "formula": None})
    b = Fact.from_dict(facts[1].to_dict() | {"compound": "methylammonium lead iodide", "compound_key": "CH3NH3PbI3", "formula": "CH3NH3PbI3"})
    neo4j_store.upsert([doc.info], [a])
    neo4j_store.upsert([doc.info], [b])
    neo4j_store.upsert([doc.info], [a])
    rows = neo4j_store.query("MATCH (c:Compound {key: 'CH3NH3PbI3'}) RETURN c.names AS names, c.formula AS formula")
    assert rows == [{"names": ["MAPbI3", "methylammonium lead iodide"], "formula": "CH3NH3PbI3"}]


def test_neo4j_store_supersedes_older_model(neo4j_store: Neo4jStore) -> None:
    doc, old = make_document(0, 4, model="rules-1")
    _, new = make_document(0, 3, model="ner-2", seed=1)
    new = [Fact.from_dict(f.to_dict() | {"doc_id": doc.doc_id}) for f in new]
    neo4j_store.upsert([doc.info], old)
    assert neo4j_store.document_versions() == {doc.doc_id: ["rules-1"]}
    neo4j_store.upsert([doc.info], new)
    states = neo4j_store.query("MATCH (m:Measurement) RETURN m.model AS model, m.superseded AS s")
    assert Counter((r["model"], r["s"]) for r in states) == Counter({("rules-1", True): 4, ("ner-2", False): 3})
    assert neo4j_store.document_versions() == {doc.doc_id: ["ner-2"]}


def test_neo4j_store_constraints_before_writes(neo4j_store: Neo4jStore) -> None:
    doc, facts = make_document(0, 1)
    neo4j_store.upsert([doc.info], facts)
    neo4j_store._schema_ready = False
    neo4j_store.upsert([doc.info], facts)  # the DDL runs again: IF NOT EXISTS, no error
    shown = neo4j_store._read("SHOW CONSTRAINTS")
    expected = {(n.label, n.key) for n in schema.NODE_TYPES}
    got = {(r["labelsOrTypes"][0], r["properties"][0]) for r in shown if r["type"] == "UNIQUENESS"}
    assert expected <= got


def test_neo4j_store_null_key_refused_before_sending(neo4j_store: Neo4jStore) -> None:
    # ArcadeDB would store a Property with a null name (Neo4j refuses): the store refuses first.
    doc, facts = make_document(0, 2)
    bad = Fact.from_dict(facts[1].to_dict() | {"property": None})
    with pytest.raises(GraphError, match="Property row without its key"):
        neo4j_store.upsert([doc.info], [facts[0], bad])
    assert sum(neo4j_store.counts().values()) == 0


def test_neo4j_store_read_only_refuses_writes(bolt_server, neo4j_store: Neo4jStore) -> None:
    doc, facts = make_document(0, 3)
    neo4j_store.upsert([doc.info], facts)
    before = neo4j_store.counts()
    ep = bolt_server.endpoint
    ro = Neo4jStore.connect(ep.uri, read_only=True, user=ep.user, password=ep.password, database=ep.database)
    try:
        with pytest.raises(ReadOnlyQueryError, match="read-only"):
            ro.upsert([doc.info], facts)
        with pytest.raises(ReadOnlyQueryError, match="CREATE"):
            ro.query("CREATE (n:Compound {key: 'x'}) RETURN n")
        with pytest.raises(ReadOnlyQueryError, match="MERGE"):
            neo4j_store.query("MATCH (c:Compound) MERGE (c)-[:X]->(:Y) RETURN c")
        assert ro.query("MATCH (m:Measurement) RETURN count(m) AS n") == [{"n": 3}]
    finally:
        ro.close()
    assert neo4j_store.counts() == before


def test_neo4j_store_read_session_refuses_write_on_server(neo4j_store: Neo4jStore) -> None:
    # Bypasses the guard on purpose to see what the server side does on its own: Neo4j refuses
    # a write in READ mode; ArcadeDB runs it, so the read transaction is rolled back, never
    # committed, and the counters the server reports make the query fail.
    with pytest.raises(GraphError, match="AccessMode|server reported changes"):
        neo4j_store._read("CREATE (n:Probe {id: 'read-mode'}) RETURN n.id AS id")
    left = neo4j_store._read("MATCH (n:Probe) RETURN count(n) AS n")[0]["n"]
    assert left == 0, "the server kept a write sent through the read path"


def test_neo4j_store_open_store_from_env(bolt_server, neo4j_store: Neo4jStore, monkeypatch) -> None:
    ep = bolt_server.endpoint
    monkeypatch.setenv("NEO4J_USER", ep.user)
    monkeypatch.setenv("NEO4J_PASSWORD", ep.password)
    monkeypatch.setenv("NEO4J_DATABASE", ep.database)
    doc, facts = make_document(0, 2)
    with open_store(ep.uri) as store:
        assert isinstance(store, Neo4jStore)
        store.upsert([doc.info], facts)
    assert neo4j_store.counts()["Measurement"] == 2


def test_neo4j_resolve_connection_precedence(monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_USER", "env-user")
    monkeypatch.setenv("NEO4J_PASSWORD", "env-pw")
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    conn = resolve_connection("bolt://u%40x:p%3Aw@db.example:7687/chem")
    assert (conn.uri, conn.user, conn.password, conn.database) == ("bolt://db.example:7687", "u@x", "p:w", "chem")
    conn = resolve_connection("neo4j://h:7687?database=lit&policy=eu", user="arg", password="argpw")
    assert (conn.uri, conn.user, conn.password, conn.database) == ("neo4j://h:7687?policy=eu", "arg", "argpw", "lit")
    conn = resolve_connection("bolt://h:7687")
    assert (conn.user, conn.password, conn.database) == ("env-user", "env-pw", None)
    assert "env-pw" not in repr(conn)


def test_neo4j_store_password_never_shown(bolt_server, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "S3cret-never-shown"
    ep = bolt_server.endpoint
    # wrong password on the live server
    store = Neo4jStore.connect(ep.uri, user=ep.user, password=secret, database=ep.database)
    try:
        with pytest.raises(GraphError) as wrong:
            store.query("RETURN 1 AS x")
        assert "authentication failed" in str(wrong.value) and secret not in str(wrong.value)
        assert secret not in repr(store)
    finally:
        store.close()
    # nothing listening, password in the URI
    dead = Neo4jStore.connect(
        f"bolt://root:{secret}@127.0.0.1:1", retry=RetryPolicy(attempts=2, max_seconds=2, base_delay=0.05)
    )
    try:
        with pytest.raises(GraphUnavailableError) as down:
            dead.query("RETURN 1 AS x")
        assert "bolt://127.0.0.1:1" in str(down.value) and secret not in str(down.value)
        assert secret not in repr(dead)
    finally:
        dead.close()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records and secret not in logged


def test_neo4j_store_wipe_empties_graph(neo4j_store: Neo4jStore) -> None:
    doc, facts = make_document(0, 3)
    neo4j_store.upsert([doc.info], facts, a_run())
    assert neo4j_store.counts()["Measurement"] == 3
    neo4j_store.wipe()
    assert sum(neo4j_store.counts().values()) == 0


def _normalise(rows: list[dict]) -> list[tuple]:
    """Rows as comparable tuples: floats rounded, lists sorted (collect() order is unspecified)."""
    def value(v):
        if isinstance(v, float):
            return round(v, 9)
        if isinstance(v, list):
            return tuple(sorted(value(x) for x in v))
        return v

    return [tuple((k, value(v)) for k, v in sorted(row.items())) for row in rows]


def test_neo4j_recipes_answer_like_the_embedded_store(neo4j_store: Neo4jStore, tmp_path) -> None:
    from lit.graph.embedded import EmbeddedStore
    from lit.graph.recipes import RECIPES

    docs, facts = make_corpus(5, 6, model="rules-1")
    reread, _ = make_document(0, 1)
    _, newer = make_document(0, 4, model="ner-2", seed=9)
    newer = [Fact.from_dict(f.to_dict() | {"doc_id": reread.doc_id}) for f in newer]
    extra, extra_facts = make_document(7, 3, model="ner-2", seed=9)
    run1 = ExtractionRun(run_id="run-1", started="2026-11-25T01:00:00+00:00", lit_version="0.1.0", models=["rules-1"])
    run2 = ExtractionRun(run_id="run-2", started="2026-11-26T01:00:00+00:00", lit_version="0.1.0", models=["ner-2"])
    embedded = EmbeddedStore(tmp_path / "graph")
    try:
        for store in (embedded, neo4j_store):
            store.upsert([d.info for d in docs], facts, run1)
            store.record_run(run1)
            store.upsert([reread.info, extra.info], newer + extra_facts, run2)
            store.record_run(run2)
        assert neo4j_store.counts() == embedded.counts()
        assert neo4j_store.document_versions() == embedded.document_versions()
        compound = schema.fact_compound_key(facts[0])
        params = {
            "measurements_of_property": {"property": facts[0].property},
            "compounds_with_most_data": {"limit": 5},
            "conflicting_values": {"compound": compound, "tolerance": 0.1},
            "facts_from_paper": {"doi": reread.info.doi.upper()},
            "last_ingest_changes": {},
        }
        assert params.keys() == RECIPES.keys()
        for name, (cypher, _) in RECIPES.items():
            want = embedded.query(cypher, params[name])
            got = neo4j_store.query(cypher, params[name])
            assert want, f"recipe {name} found nothing: the scenario does not exercise it"
            if "ORDER BY" in cypher.rsplit("RETURN", 1)[1]:  # the result itself is ordered
                assert _normalise(got) == _normalise(want), name
            else:
                assert sorted(_normalise(got)) == sorted(_normalise(want)), name
    finally:
        embedded.close()


def test_neo4j_lit_query_cli_over_bolt(bolt_server, neo4j_store: Neo4jStore, monkeypatch) -> None:
    import json

    from typer.testing import CliRunner

    from lit.cli.main import app

    doc, facts = make_document(0, 4)
    neo4j_store.upsert([doc.info], facts)
    ep = bolt_server.endpoint
    for name, value in (("NEO4J_USER", ep.user), ("NEO4J_PASSWORD", ep.password), ("NEO4J_DATABASE", ep.database)):
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    ok = runner.invoke(app, ["query", "--graph", ep.uri, "--format", "json",
                             "MATCH (m:Measurement) RETURN count(m) AS n"])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout) == [{"n": 4}]
    refused = runner.invoke(app, ["query", "--graph", ep.uri, "MATCH (m:Measurement) DETACH DELETE m"])
    assert refused.exit_code == 1 and "DETACH" in refused.output
    assert ep.password not in ok.output + refused.output
    assert neo4j_store.counts()["Measurement"] == 4


def test_neo4j_store_reader_account_refused_by_server(bolt_reader, neo4j_store: Neo4jStore) -> None:
    # What a production read-only deployment relies on besides the guard: a reader role.
    doc, facts = make_document(0, 2)
    neo4j_store.upsert([doc.info], facts)
    before = neo4j_store.counts()
    reader = Neo4jStore.connect(bolt_reader.uri, read_only=True, user=bolt_reader.user,
                                password=bolt_reader.password, database=bolt_reader.database)  # fmt: skip
    writer_as_reader = Neo4jStore.connect(bolt_reader.uri, user=bolt_reader.user,
                                          password=bolt_reader.password, database=bolt_reader.database)  # fmt: skip
    try:
        assert reader.query("MATCH (m:Measurement) RETURN count(m) AS n") == [{"n": 2}]
        with pytest.raises(GraphError, match="not allowed|Forbidden") as refused:
            reader._read("MATCH (m:Measurement) DETACH DELETE m")  # past the guard, on purpose
        assert bolt_reader.password not in str(refused.value)
        with pytest.raises(GraphError, match="not allowed|Forbidden"):
            writer_as_reader._schema_ready = True  # the constraints exist; go straight to MERGE
            writer_as_reader.upsert([doc.info], make_document(1, 2)[1])
    finally:
        reader.close()
        writer_as_reader.close()
    assert neo4j_store.counts() == before
