"""The shared read-only guard, and the README's Cypher recipes run against a real embedded store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lit.errors import ReadOnlyQueryError
from lit.graph import recipes
from lit.graph.embedded import EmbeddedStore
from lit.graph.query import check_read_only
from tests import graph_samples as gs

# -- the guard ---------------------------------------------------------------------------------

READS = [
    "MATCH (m:Measurement) RETURN m.value AS v",
    "MATCH (m:Measurement) WHERE m.sentence CONTAINS 'we CREATE thin films and SET them' RETURN m",
    'MATCH (m) WHERE m.raw_value = "DELETE \\" MERGE" RETURN m',
    "MATCH (m) // then DELETE it\nRETURN m",
    "MATCH (m) /* MERGE\n SET */ RETURN m",
    "MATCH (`create`) RETURN `set`.x",
    "MATCH (n {set: 1}) RETURN n.set AS s, n.remove AS r, $drop AS p",
    "MATCH (n:Set) RETURN n",
    "CALL show_tables() RETURN *",
    "CALL db.labels()",
    "CALL { MATCH (n) RETURN n } RETURN n",
    "MATCH (n) RETURN n.x STARTS WITH 'a' AS s",
    "MATCH (m) RETURN m.`start` AS start, m.`end` AS end",
    "MATCH (m) //.\n// LOAD FROM 'x'\nRETURN m // trailing",
    "RETURN 'caf\u00e9 \\u00e9 \\'//' AS x, `\u00b5` AS y;",
    "MATCH (m) WHERE m.unit <> 'a\\' DETACH DELETE m //' RETURN m",
    "OPTIONAL MATCH (m) WITH m UNWIND [1] AS i RETURN i UNION ALL RETURN 2 AS i",
]
WRITES = [
    ("CREATE (n:Compound {key: 'x'})", "CREATE"),
    ("MATCH (n) merge (m:X)", "MERGE"),
    ("MATCH (m:Measurement) SET m.value = 0", "SET"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n) DELETE n", "DELETE"),
    ("MATCH (n) REMOVE n.x", "REMOVE"),
    ("DROP TABLE Measurement", "DROP"),
    ("COPY Measurement FROM 'x.csv'", "COPY"),
    ("LOAD FROM 'x.csv' RETURN *", "LOAD"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.a = x)", "FOREACH"),
    ("CALL { MATCH (n) DETACH DELETE n }", "DETACH"),
    ("RETURN 'a' // harmless\n; CREATE (n)", "CREATE"),
    ("CALL threads=1", "CALL threads"),
    ("CALL create_fts_index('Measurement', 'idx', ['sentence'])", "CALL create_fts_index"),
    ("CALL apoc.create.node(['X'], {})", "CALL apoc.create.node"),
    ("CALL db . createLabel('X')", "CALL db.createLabel"),
    ("INSTALL json", "INSTALL"),
    ("ATTACH 'other.lbdb' AS o", "ATTACH"),
    # keywords the old text check skipped after a comment ending in `.`, `:` or `$`
    ("//.\nLOAD FROM '/etc/passwd' (file_format='csv') RETURN *", "LOAD"),
    ("//:\nCOPY (RETURN 'x' AS x) TO 'stolen.csv'", "COPY"),
    ("//$\nEXPORT DATABASE 'dump'", "EXPORT"),
    ("MATCH (m:Measurement) //.\nDETACH //.\nDELETE m", "DETACH"),
    ("//.\nCALL threads=1", "CALL threads"),
    ("MATCH (n) RETURN count(n);\n//.\nCOMMIT;\nMATCH (m) DELETE m", "COMMIT"),
    ("MATCH (m) /*.*/ SET m.x = 1", "SET"),
    ("RETURN 1 AS x; RETURN 2 AS y", "2 statements"),
    ("EXPLAIN MATCH (n) RETURN n", "`EXPLAIN` does not start a read query"),
    ("RETURN nextval('seq') AS n", "NEXTVAL"),
    ("CALL { RETURN 1 AS x } IN TRANSACTIONS RETURN x", "TRANSACTIONS"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD"),
    ("RETURN 1.DELETE", "DELETE"),
    ("CALL (x) { RETURN 1 }", "CALL ("),
]


@pytest.mark.parametrize("cypher", READS)
def test_query_guard_lets_reads_through(cypher: str) -> None:
    check_read_only(cypher)


@pytest.mark.parametrize(("cypher", "word"), WRITES)
def test_query_guard_refuses_writes_naming_the_clause(cypher: str, word: str) -> None:
    with pytest.raises(ReadOnlyQueryError) as err:
        check_read_only(cypher, "lit-graph")
    assert word in str(err.value) and "on lit-graph" in str(err.value)
    assert err.value.code == "E301"


def test_query_guard_refuses_text_it_cannot_read_like_the_engines() -> None:
    # An unterminated literal or comment, an escape neither engine defines, a \u escape for
    # ASCII or a line break, or non-ASCII outside strings and comments is refused: an engine
    # might read the rest differently.
    for text in ("MATCH (n) WHERE n.x = 'CREATE", "MATCH (n) /* RETURN n", "MATCH (`n) RETURN 1",
                 "RETURN '\\q' AS x", "RETURN 1\u00a0AS x", "MATCH (n) RETURN n //.\u2028DELETE n",
                 "MATCH (n) //\\u000aDELETE n", "RETURN '\\u0027 DELETE' AS x", "MATCH (`n\\u0060) RETURN 1",
                 "RETURN \\ 1", "MATCH (m) \uff24\uff25\uff2c\uff25\uff34\uff25 m",
                 "MATCH (n) WITH n, 0xfSET n.value = 0", "WITH 0xcLOAD CSV FROM 'x' AS r RETURN r"):
        with pytest.raises(ReadOnlyQueryError, match="cannot be checked safely"):
            check_read_only(text)
    with pytest.raises(ReadOnlyQueryError):
        check_read_only("MATCH (n) WHERE n.x = 'a' CREATE (m)")


# -- the recipes -------------------------------------------------------------------------------


@pytest.fixture()
def store(tmp_path: Path):
    with EmbeddedStore(tmp_path / "g") as s:
        s.upsert(gs.DOCS, gs.facts(), gs.run())
        yield s


def test_recipes_each_runs_and_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[1] / "graph" / "README.md").read_text()
    for name, (cypher, _) in recipes.RECIPES.items():
        check_read_only(cypher)
        assert cypher in readme, f"graph/README.md does not show recipe {name} verbatim"


def test_recipes_measurements_of_property(store: EmbeddedStore) -> None:
    rows = store.query(recipes.MEASUREMENTS_OF_PROPERTY, {"property": "band_gap"})
    gaps = [f for f in gs.facts() if f.property == "band_gap"]
    assert len(rows) == len(gaps)
    assert [(r["compound"], r["value"]) for r in rows] == sorted(
        (f.compound_key or f.compound, f.value) for f in gaps
    )
    dois = {d.doc_id: d.doi for d in gs.DOCS}
    assert {r["doi"] for r in rows} == {dois[f.doc_id] for f in gaps}
    assert all(r["sentence"] and r["unit"] == "eV" for r in rows)


def test_recipes_compounds_with_most_data(store: EmbeddedStore) -> None:
    rows = store.query(recipes.COMPOUNDS_WITH_MOST_DATA, {"limit": 2})
    assert len(rows) == 2
    top = rows[0]
    assert top["compound"] == "CH3NH3PbI3"  # reported by two papers in the samples
    assert top["measurements"] == 2 and top["documents"] == 2 and top["properties"] == 1
    assert rows[1]["measurements"] <= top["measurements"]


def test_recipes_conflicting_values(store: EmbeddedStore) -> None:
    values = [f.value for f in gs.facts() if f.compound == "CH3NH3PbI3"]
    spread = max(values) - min(values)
    rows = store.query(recipes.CONFLICTING_VALUES, {"compound": "CH3NH3PbI3", "tolerance": spread / 2})
    assert len(rows) == 1
    row = rows[0]
    assert row["property"] == "band_gap" and row["unit"] == "eV" and row["measurements"] == 2
    assert row["spread"] == pytest.approx(spread)
    assert sorted(row["sources"]) == sorted(d.doi for d in gs.DOCS[:2])
    assert store.query(recipes.CONFLICTING_VALUES, {"compound": "CH3NH3PbI3", "tolerance": spread * 2}) == []
    assert store.query(recipes.CONFLICTING_VALUES, {"compound": "GaN", "tolerance": 0.0}) == []


def test_recipes_facts_from_paper(store: EmbeddedStore) -> None:
    doc = gs.DOCS[2]
    rows = store.query(recipes.FACTS_FROM_PAPER, {"doi": doc.doi.upper()})
    expected = sorted((f for f in gs.facts() if f.doc_id == doc.doc_id), key=lambda f: f.start)
    assert [r["compound_text"] for r in rows] == [f.compound for f in expected]
    assert [(r["evidence_start"], r["evidence_end"]) for r in rows] == [(f.start, f.end) for f in expected]
    assert all(r["superseded"] is False for r in rows)
    assert store.query(recipes.FACTS_FROM_PAPER, {"doi": "10.0000/not-ingested"}) == []


def test_recipes_last_ingest_changes(store: EmbeddedStore) -> None:
    first = store.query(recipes.LAST_INGEST_CHANGES)
    assert {r["change"] for r in first} == {"added"}
    assert {r["measurement"] for r in first} == {f.fact_id for f in gs.facts()}

    # Nightly run 2: the newer model re-reads paper 0; it finds MAPbI3 again and reads the
    # CsPbBr3 gap as 2.31 eV instead of 2.30.
    v2 = [f for f in gs.facts(gs.MODEL_V2) if f.doc_id == gs.DOCS[0].doc_id]
    v2[1] = replace(v2[1], value=2.31, raw_value="2.31 eV")
    run2 = gs.run("run-2026-11-26", "2026-11-26T02:00:00+00:00", gs.MODEL_V2, len(v2))
    store.upsert([gs.DOCS[0]], v2, run2)
    rows = store.query(recipes.LAST_INGEST_CHANGES)
    assert {r["run"] for r in rows} == {run2.run_id}
    added = [r for r in rows if r["change"] == "added"]
    gone = [r for r in rows if r["change"] == "superseded"]
    assert [(r["compound"], r["value"], r["model"]) for r in added] == [("CsPbBr3", 2.31, gs.MODEL_V2)]
    assert [(r["compound"], r["value"], r["model"]) for r in gone] == [("CsPbBr3", 2.30, gs.MODEL_V1)]
    assert gone[0]["source"] == gs.DOCS[0].doi
