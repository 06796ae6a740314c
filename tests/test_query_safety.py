"""The read-only query path under attack, on both real stores: the issue's queries and their
variants must be refused or harmless, with the graph, the disk and the output checked.

Each attack runs through ``GraphStore.query`` on a *writable* handle (what ingest and notebooks
hold) and through ``lit query`` (read-only open), on the embedded store and on the ArcadeDB
Bolt server, from a temporary working directory whose files are compared before and after.
The engine layers are then tested alone, with the guard switched off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.errors import GraphError, ReadOnlyQueryError
from lit.graph import embedded, neo4j_store
from lit.graph.embedded import EmbeddedStore
from tests import graph_samples as gs

PASSWD = "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN * LIMIT 3"
COPY_OUT = "COPY (RETURN 'x' AS x) TO 'stolen.csv' (header=false)"
EXPORT = "EXPORT DATABASE 'dump'"
CSV = "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row LIMIT 3"


def _hidden(prefix: str) -> list[str]:
    """The issue's attacks with a line comment ending in ``prefix``'s last character."""
    c = prefix
    return [
        f"{c}\n{PASSWD}",
        f"{c}\n{COPY_OUT}",
        f"{c}\n{EXPORT}",
        f"MATCH (m:Measurement) {c}\nDETACH {c}\nDELETE m RETURN count(*) AS deleted",
        f"{c}\nCALL threads=1",
        f"{c}\n{CSV}",
        f"MATCH (n) RETURN count(n);\n{c}\nCOMMIT;\nMATCH (m:Measurement) {c}\nDETACH {c}\nDELETE m",
    ]


ATTACKS = [
    *_hidden("//."), *_hidden("//:"), *_hidden("//$"),
    # block comments, with and without line breaks
    f"/*.*/{PASSWD}", f"/*:*/ {COPY_OUT}", f"/*$\n*/{EXPORT}",
    "MATCH (m:Measurement) /*.*/DETACH/*:*/DELETE/*$*/m RETURN count(*) AS deleted",
    # comment markers, quotes and escapes inside strings and backticked names
    "MATCH (m:Measurement) WHERE m.unit <> '/*' DETACH DELETE m //*/",
    'MATCH (m:Measurement) WHERE m.unit <> "//" DETACH DELETE m',
    "MATCH (m:Measurement) WITH m AS `//` DETACH DELETE `//`",
    "MATCH (m:Measurement) WITH m AS `x.` DETACH DELETE `x.`",
    "MATCH (`m.`:Measurement) DETACH DELETE `m.`",
    "MATCH (m:Measurement) WITH m, $p AS p DETACH DELETE m",
    # several statements, case, unicode
    f"RETURN 1 AS x; {PASSWD}",
    "RETURN 1 AS x;\nMATCH (m:Measurement) DETACH DELETE m",
    f"match (m:Measurement) //.\ndetach //.\ndelete m return count(*) as deleted",
    "MATCH (m:Measurement) //.\u2028DETACH DELETE m",
    "MATCH (m:Measurement)\u00a0DETACH\u00a0DELETE m",
    "MATCH (m:Measurement)\u3000DETACH DELETE m",
    "MATCH (m:Measurement) \uff24\uff25\uff34\uff21\uff23\uff28 DELETE m",
    "MATCH (m:Measurement) DE\u200bTACH DELETE m",
    # \u escapes that Neo4j's parser decodes before it reads comments, strings and names
    r"MATCH (m:Measurement) //\u000aDETACH DELETE m",
    r"MATCH (m:Measurement) WHERE m.unit <> '\u0027 DETACH DELETE m //' RETURN m",
    r"MATCH (`m\u0060:Measurement) DETACH DELETE m //`) RETURN 1",
    # other writes, subqueries and procedures
    "CALL { MATCH (m:Measurement) DETACH DELETE m }",
    "MATCH (m:Measurement) FOREACH (x IN [1] | SET m.value = 0.0)",
    "MATCH (m:Measurement) SET m.value = 0.0 RETURN m.id",
    "MERGE (c:Compound {key: 'evil'}) RETURN c",
    "RETURN nextval('s') AS n",
    "CALL apoc.export.csv.all('stolen.csv', {})",
    "CALL show_tables.((",
    "MATCH (m:Measurement) WITH m, 0xfDETACH DELETE m",
    "WITH 0xcLOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "USE system MATCH (n) RETURN n",
]  # fmt: skip
ATTACK_IDS = [f"{i:02d}" for i in range(len(ATTACKS))]

#: Reads whose comments and strings spell write keywords: they must still run (the third is
#: one string: the engines read ``\'`` as an escaped quote, as the guard does).
READS = [
    ("MATCH (m:Measurement) //.\n// DETACH DELETE m\nRETURN count(m) AS n", 8),
    ("MATCH (m:Measurement) /* LOAD FROM '/etc/passwd' */ WHERE m.unit <> 'DELETE' RETURN count(m) AS n", 8),
    ("MATCH (m:Measurement) WHERE m.unit <> 'a\\' DETACH DELETE m //' RETURN count(m) AS n", 8),
    ("MATCH (m:Measurement) WHERE m.sentence <> 'caf\u00e9 \\' DETACH' RETURN count(m) AS n;", 8),
]


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root``: size and modification time (ns)."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            st = (Path(dirpath) / name).stat()
            out[str(Path(dirpath, name).relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def _assert_nothing_leaked(text: str) -> None:
    for secret in ("root:x:0:0", "/bin/bash", "nologin", "daemon:"):
        assert secret not in text


# -- the embedded store --------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("safety") / "g"
    with EmbeddedStore(path) as s:
        s.upsert(gs.DOCS, gs.facts(), gs.run())
    return path


@pytest.fixture()
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "cwd"
    work.mkdir()
    (work / "stolen.csv").write_text("already here\n")  # an overwrite would show too
    monkeypatch.chdir(work)
    return work


@pytest.fixture()
def writer(graph_dir: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(graph_dir) as s:
        yield s


@pytest.mark.parametrize("cypher", ATTACKS, ids=ATTACK_IDS)
def test_embedded_writable_handle_refuses(cypher: str, writer: EmbeddedStore, cwd: Path, graph_dir: Path) -> None:
    before, files, graph_files = writer.counts(), _files(cwd), _files(graph_dir)
    with pytest.raises(ReadOnlyQueryError) as err:
        writer.query(cypher)
    assert "\n" not in str(err.value)
    _assert_nothing_leaked(str(err.value))
    assert writer.counts() == before
    assert _files(cwd) == files
    assert _files(graph_dir) == graph_files


@pytest.mark.parametrize("cypher", ATTACKS, ids=ATTACK_IDS)
def test_embedded_cli_refuses(cypher: str, graph_dir: Path, cwd: Path) -> None:
    files = _files(cwd)
    with EmbeddedStore(graph_dir, read_only=True) as ro:
        before = ro.counts()
    result = CliRunner().invoke(app, ["query", cypher, "--graph", str(graph_dir), "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: [E301] query refused on ") and result.stderr.count("\n") == 1
    _assert_nothing_leaked(result.stdout + result.stderr)
    with EmbeddedStore(graph_dir, read_only=True) as ro:
        assert ro.counts() == before
    assert _files(cwd) == files


@pytest.mark.parametrize(("cypher", "n"), READS)
def test_embedded_reads_with_keywords_in_comments_and_strings_run(cypher: str, n: int, writer: EmbeddedStore) -> None:
    assert writer.query(cypher) == [{"n": n}]


def test_embedded_engine_alone_refuses_graph_writes(writer: EmbeddedStore, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the guard, the query's database is read-only even on a writable handle."""
    monkeypatch.setattr(embedded, "check_read_only", lambda *a, **k: None)
    before = writer.counts()
    for cypher in (
        "MATCH (m:Measurement) //.\nDETACH //.\nDELETE m RETURN count(*) AS deleted",
        "MATCH (n) RETURN count(n);\n//.\nCOMMIT;\nMATCH (m:Measurement) //.\nDETACH //.\nDELETE m",
        "BEGIN TRANSACTION; MATCH (m:Measurement) DETACH DELETE m; COMMIT",
        "MERGE (c:Compound {key: 'evil'}) RETURN c",
    ):
        with pytest.raises(GraphError) as err:
            writer.query(cypher)
        assert "\n" not in str(err.value)
    assert writer.counts() == before
    # A setting changed by a query dies with that query's connection.
    threads = writer.query("CALL current_setting('threads') RETURN *")
    writer.query("CALL threads=1")
    assert writer.query("CALL current_setting('threads') RETURN *") == threads


def test_embedded_query_sees_the_writers_latest_commit(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "g") as store:
        store.upsert(gs.DOCS[:1], [f for f in gs.facts() if f.doc_id == gs.DOCS[0].doc_id])
        first = store.query("MATCH (m:Measurement) RETURN count(m) AS n")[0]["n"]
        store.upsert(gs.DOCS, gs.facts())
        assert first < len(gs.facts())
        assert store.query("MATCH (m:Measurement) RETURN count(m) AS n") == [{"n": len(gs.facts())}]


# -- the Bolt server (ArcadeDB) --------------------------------------------------------------


@pytest.fixture(scope="module")
def bolt(bolt_server) -> Iterator[neo4j_store.Neo4jStore]:
    """A writable store on the session's Bolt server, loaded once for this module."""
    if not bolt_server.running:
        bolt_server.start()
    bolt_server.reset_database()
    ep = bolt_server.endpoint
    store = neo4j_store.Neo4jStore.connect(ep.uri, user=ep.user, password=ep.password, database=ep.database)
    store.upsert(gs.DOCS, gs.facts(), gs.run())
    try:
        yield store
    finally:
        store.close()


@pytest.mark.parametrize("cypher", ATTACKS, ids=ATTACK_IDS)
def test_bolt_writable_handle_refuses(cypher: str, bolt, cwd: Path) -> None:
    before, files = bolt.counts(), _files(cwd)
    with pytest.raises(ReadOnlyQueryError) as err:
        bolt.query(cypher)
    assert "\n" not in str(err.value)
    _assert_nothing_leaked(str(err.value))
    assert bolt.counts() == before
    assert _files(cwd) == files


@pytest.mark.parametrize("cypher", ATTACKS, ids=ATTACK_IDS)
def test_bolt_cli_refuses(cypher: str, bolt, bolt_server, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ep = bolt_server.endpoint
    for name, value in (("NEO4J_USER", ep.user), ("NEO4J_PASSWORD", ep.password), ("NEO4J_DATABASE", ep.database)):
        monkeypatch.setenv(name, value)
    before, files = bolt.counts(), _files(cwd)
    result = CliRunner().invoke(app, ["query", cypher, "--graph", ep.uri, "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: [E301] query refused on {ep.uri}") and result.stderr.count("\n") == 1
    _assert_nothing_leaked(result.stdout + result.stderr)
    assert ep.password not in result.output
    assert bolt.counts() == before
    assert _files(cwd) == files


@pytest.mark.parametrize(("cypher", "n"), READS)
def test_bolt_reads_with_keywords_in_comments_and_strings_run(cypher: str, n: int, bolt) -> None:
    assert bolt.query(cypher) == [{"n": n}]


def test_bolt_server_alone_rolls_back_and_refuses_writes(bolt, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the guard, ArcadeDB runs writes in a READ session; the transaction is rolled back
    and the query refused because the server counted a change, and no rows come back."""
    monkeypatch.setattr(neo4j_store, "check_read_only", lambda *a, **k: None)
    before = bolt.counts()
    for cypher in (
        "MATCH (m:Measurement) //.\nDETACH //.\nDELETE m RETURN count(*) AS deleted",
        "MATCH (m:Measurement) SET m.value = 0.0 RETURN count(m) AS n",
        "CREATE (c:Compound {key: 'evil'}) RETURN c.key AS k",
    ):
        with pytest.raises(ReadOnlyQueryError, match="server reported changes"):
            bolt.query(cypher)
    assert bolt.counts() == before
    assert 0.0 not in {r["v"] for r in bolt.query("MATCH (m:Measurement) RETURN m.value AS v")}
    assert bolt.query("MATCH (c:Compound {key: 'evil'}) RETURN count(c) AS n") == [{"n": 0}]
