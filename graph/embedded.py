"""The embedded graph store: LadybugDB (the maintained Kùzu fork), on disk, no server.

A store is a folder (``--graph lit-graph``) holding one database file, ``graph.lbdb``, and
its write-ahead log. Tables are created from :mod:`lit.graph.schema` on the first writable
open (``CREATE ... IF NOT EXISTS``, so every open is safe).

Writes. ``upsert`` is one explicit transaction: everything in the call lands or nothing
does. Rows are split by whether their key is stored (one ``LOAD FROM $keys MATCH`` per
label). Stored rows are compared with the new ones and only differing properties are ``SET``
(a re-run writes nothing; a many-column SET runs at a few thousand rows/s in LadybugDB). New
rows are inserted with ``LOAD FROM $rows CREATE``, the rows passed as an in-memory Arrow
table: binding the same rows as a list-of-dicts parameter costs ~40 µs a row in the Python
binding (0.2 s for 5,000 relationship rows, 1.3 s for 5,000 Measurements, against 0.02 s and
0.1 s from Arrow). Only calls with more than ``COPY_MIN_ROWS`` new rows per table use
``COPY <table> FROM '<tmp>.parquet'``: a COPY bypasses the write-ahead log, so its commit
forces a checkpoint (0.5-1 s on a 50k-fact graph, whatever the COPY's size), while rows
created through Cypher go to the log and are checkpointed when it passes
``CHECKPOINT_THRESHOLD`` (about every 35 calls of 5,000 facts, and on close). (COPY cannot
skip that checkpoint: with ``auto_checkpoint=False`` a COPY's rows are lost if the process
dies before a checkpoint.) New Measurements are created together with their four
relationships in one statement (:meth:`EmbeddedStore._create_measurements`).
Parquet files rather than Arrow tables for COPY: rolling back a transaction that copied from
an Arrow table and then copying into the same table again crashes the engine (ladybug 0.22),
while the file path survives it. Lookups put the row's field in the pattern
(``MATCH (n:T {id: k})``); binding it first with ``WITH`` makes LadybugDB 0.22 join against
the whole table.

Concurrency. LadybugDB allows one writer process per database file and takes an OS lock;
a second writer gets :class:`~lit.errors.GraphLockedError` naming the folder. Read-only opens
are allowed beside a writer and see the last committed state. Within one process a second
writable open of the same folder is refused too (the engine would allow it and two writers
would corrupt each other's view).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from lit.errors import GraphError, GraphLockedError
from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact
from lit.graph import schema
from lit.graph.query import check_read_only, first_line
from lit.graph.store import ExtractionRun, GraphStore

DB_FILE = "graph.lbdb"
#: Rows per ``UNWIND $rows`` statement (supersession, the one statement still bound from a
#: list of dicts: one row per document).
BATCH = 5000

#: Fewer new rows than this for a table are inserted with ``LOAD FROM $rows CREATE`` (an
#: Arrow table), more with ``COPY FROM`` a Parquet file. With rows bound from Arrow, CREATE
#: costs ~0.1 s per 5,000 Measurements and goes through the write-ahead log; a COPY's commit
#: forces a checkpoint (0.5-1 s on a 50k-fact graph), so COPY only pays off for bulk loads.
COPY_MIN_ROWS = 50_000

#: Bytes of write-ahead log after which a commit checkpoints (LadybugDB's default: 16 MiB).
#: A call of 5,000 new facts logs ~7 MiB, so the default checkpoints every second or third
#: call, and a checkpoint costs 0.3-1 s whatever it carries (it rewrites the pages of every
#: node group and relationship list the log touched: with Zipf-skewed compounds, most of them).
#: At 256 MiB an ingest checkpoints every ~35 calls of 5,000 facts (and on close); the log it
#: replays after a crash is bounded by the same number.
CHECKPOINT_THRESHOLD = 256 << 20

#: LadybugDB's Database object keeps memory for every write until it is closed: about
#: 0.9 MiB per upsert call plus 2.6 KiB per fact (fitted to calls of 100 and of 500 facts:
#: 1.16 and 2.2 MiB per call). Neither a CHECKPOINT, nor closing query results, nor a bounded
#: buffer pool gives it back (a 128 MiB pool failed outright); closing and reopening does.
#: A writing store therefore reopens its database once the estimated growth reaches
#: ``REOPEN_AFTER_MIB`` (or the store's ``reopen_after_mib``); a reopen checkpoints (~0.5 s),
#: so a store that writes all the time should not reopen much more often than that, while
#: one that writes now and then (the ``lit extract`` driver) can afford a smaller budget.
#: ``scripts/bench_graph_memory.py`` measures it against never reopening.
REOPEN_AFTER_MIB = 128.0
CALL_MIB = 0.9
FACT_MIB = 2.6 / 1024

_ARROW_TYPES = {"STRING": "string", "INT64": "int64", "DOUBLE": "float64", "BOOLEAN": "bool_"}

_writers: set[str] = set()
_writers_lock = threading.Lock()


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    if kind == "STRING[]":
        return pa.list_(pa.string())
    return getattr(pa, _ARROW_TYPES[kind])()


def _table(columns: Mapping[str, tuple[str, list[Any]]]) -> Any:
    """A typed Arrow table (column -> (schema type, values)): what ``LOAD FROM $rows`` and
    ``COPY`` read. Binding the same rows as a list-of-dicts parameter costs ~40 µs a row in
    the Python binding, 10-20x more than the statement itself."""
    import pyarrow as pa

    return pa.table({c: pa.array(v, type=_arrow_type(t)) for c, (t, v) in columns.items()})


def _cast(expr: str, prop: schema.Prop) -> str:
    """A typed value for SET: LadybugDB infers a parameter's type from its values, so a column
    that is all None in one batch would otherwise bind as STRING and be refused."""
    return f"CAST({expr} AS {prop.type})"


class EmbeddedStore(GraphStore):
    """The default store. ``EmbeddedStore("lit-graph")`` opens (or creates) the folder."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False,
                 reopen_after_mib: float | None = None):
        self.path = Path(path)
        self.read_only = read_only
        self.reopen_after_mib = REOPEN_AFTER_MIB if reopen_after_mib is None else reopen_after_mib
        self._closed = False
        db_file = self.path if self.path.is_file() else self.path / DB_FILE
        self._db_file = db_file
        if read_only and not db_file.exists():
            raise GraphError(f"{self.path}: no embedded graph here (nothing has been ingested yet)")
        if not read_only:
            if db_file.parent == self.path:
                self.path.mkdir(parents=True, exist_ok=True)
            key = str(db_file.resolve())
            with _writers_lock:
                if key in _writers:
                    raise GraphLockedError(
                        f"{self.path}: the graph is already open for writing in this process; "
                        "close that store first (one writer at a time)"
                    )
                _writers.add(key)
            self._writer_key: str | None = key
        else:
            self._writer_key = None
        self._grown = 0.0  # estimated MiB the database has kept since it was last opened
        self._reader: Any = None  # the read-only database queries run on (see query())
        try:
            try:
                self._open_engine()
            except RuntimeError as exc:
                if read_only or "wal file is corrupted" not in str(exc).lower():
                    raise
                self.recovered = self._set_wal_aside()
                self._open_engine()
        except RuntimeError as exc:
            self._release_writer()
            raise self._open_error(exc) from None
        #: Labels whose table held no node when this writer opened it and that nothing has
        #: written to since: their keys need no lookup (a first bulk load spent 0.9 s of 4.8
        #: looking up 100k new Measurement ids). Only ever shrinks; one writer per database.
        self._empty: set[str] = set()
        if not read_only:
            try:
                for stmt in schema.ladybug_ddl():
                    self._run(stmt)
                self._empty = {
                    n.label for n in schema.NODE_TYPES if not self._run(f"MATCH (n:{n.label}) RETURN 1 LIMIT 1")
                }
            except RuntimeError as exc:
                self.close()
                raise GraphError(f"{self.path}: cannot create the graph schema: {exc}") from None

    # -- plumbing ------------------------------------------------------------------------------
    def _open_engine(self) -> None:
        import ladybug

        self._db = self._database(self.read_only)
        self._conn = ladybug.Connection(self._db)

    def _database(self, read_only: bool) -> Any:
        import ladybug

        return ladybug.Database(
            str(self._db_file), read_only=read_only, checkpoint_threshold=CHECKPOINT_THRESHOLD
        )

    def _drop_reader(self) -> None:
        """Close the read-only database queries run on: it is a snapshot, and this store is
        about to write (or to close)."""
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()

    def _recycle(self) -> None:
        """Close and reopen the database (see ``REOPEN_AFTER_MIB``), keeping this store's
        writer claim: nothing else in the process may slip in between."""
        self._drop_reader()
        self._conn.close()
        self._db.close()
        try:
            self._open_engine()
        except RuntimeError as exc:
            self._closed = True
            self._release_writer()
            raise self._open_error(exc) from None
        self._grown = 0.0

    def _set_wal_aside(self) -> str:
        """Move a torn write-ahead log out of the way and say so.

        A process that dies inside a log write (the disk filled up: LadybugDB aborts) leaves a
        log whose checksum fails, and the engine then refuses every open, losing what the
        database file holds too. Without the log the database opens at its last checkpoint;
        the log is kept beside it, renamed, for whoever wants to look.
        """
        wal = self._db_file.with_name(self._db_file.name + ".wal")
        kept = wal.with_name(f"{wal.name}.torn-{time.strftime('%Y%m%dT%H%M%S')}")
        os.replace(wal, kept)
        return (f"{self.path}: the graph's write-ahead log was torn (a crash or a full disk while writing); "
                f"set aside as {kept.name}, the graph reopened at its last checkpoint")

    def _open_error(self, exc: Exception) -> GraphError:
        msg = str(exc)
        if "wal file is corrupted" in msg.lower():
            return GraphError(f"{self.path}: the graph's write-ahead log is torn; open it for writing once "
                              "(re-run `lit extract` or `lit ingest` on it) to set the log aside and recover")
        if "lock" in msg.lower():
            pid = re.search(r"PID (\d+)", msg)
            holder = f" (process {pid.group(1)})" if pid else ""
            return GraphLockedError(
                f"{self.path}: another process{holder} has this graph open for writing; "
                "LadybugDB allows one writer at a time: wait for it to finish, or open it read-only"
            )
        return GraphError(f"{self.path}: cannot open the embedded graph: {msg}")

    def _release_writer(self) -> None:
        if self._writer_key is not None:
            with _writers_lock:
                _writers.discard(self._writer_key)
            self._writer_key = None

    def _run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        if self._closed:
            raise GraphError(f"{self.path}: the store is closed")
        result = self._conn.execute(cypher, dict(params or {}))
        if isinstance(result, list):  # several statements: keep the last result
            result = result[-1]
        return result.get_all() if result.get_column_names() else []

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """All-or-nothing: on any failure the engine's transaction is rolled back and the cause
        is raised as a GraphError naming the store and the operation. A read-only store is not
        checked here: the engine itself refuses the first write."""
        self._drop_reader()
        try:
            self._run("BEGIN TRANSACTION")
            yield
            self._run("COMMIT")
        except BaseException as exc:
            try:
                self._run("ROLLBACK")
            except RuntimeError:
                pass  # a failed statement already ended the transaction
            if isinstance(exc, GraphError) or not isinstance(exc, Exception):
                raise
            raise GraphError(f"{self.path}: {what} failed and was rolled back: {exc}") from exc

    # -- writes --------------------------------------------------------------------------------
    def upsert(
        self,
        documents: Sequence[DocumentInfo],
        facts: Sequence[Fact],
        run: ExtractionRun | None = None,
    ) -> None:
        with schema.paused_gc():
            rows = schema.graph_rows(documents, facts, run)
            with self._transaction(f"upsert of {len(documents)} documents and {len(facts)} facts"):
                with tempfile.TemporaryDirectory(prefix="lit-upsert-") as tmp:
                    self._write_rows(rows, Path(tmp))
        self._grown += CALL_MIB + FACT_MIB * len(facts)
        if self._grown >= self.reopen_after_mib:
            self._recycle()

    def _write_rows(self, rows: schema.GraphRows, tmp: Path) -> None:
        """Nodes first (new ones copied, stored ones updated where they differ), then the
        relationships that are missing, then supersession."""
        existed: dict[str, set[str]] = {}
        linked: set[str] = set()  # new Measurements created together with their relationships
        # Measurements last: they are created together with links to every other label.
        order = [n for n in schema.NODE_TYPES if n is not schema.MEASUREMENT] + [schema.MEASUREMENT]
        for node in order:
            wanted = list(rows.nodes.get(node.label, []))
            if node is schema.DOCUMENT:
                full = {r["id"] for r in wanted}
                stubs = [r for r in rows.document_stubs if r["id"] not in full]
                wanted += [{p: None for p in node.prop_names} | r for r in stubs]
            stored = {} if node.label in self._empty else self._fetch(node, {r[node.key] for r in wanted})
            if wanted:
                self._empty.discard(node.label)  # before the write: a rollback leaves it unsure
            existed[node.label] = set(stored)
            new, changed = [], []
            names = node.prop_names
            plain = node in (schema.MEASUREMENT, schema.EXTRACTION_RUN)  # no merge rule
            for row in wanted:
                stored_values = stored.get(row[node.key])
                if stored_values is None:
                    new.append(row)
                elif plain and stored_values == tuple([row[p] for p in names]):
                    continue  # the common re-run case, compared without building dicts
                elif not (node is schema.DOCUMENT and row["id"] not in full):  # stubs never update
                    old = dict(zip(names, stored_values))
                    merged = schema.merge_stored(node, old, row)
                    diff = frozenset(p for p in names if merged[p] != old[p])
                    if diff:
                        changed.append((diff, merged))
            if node is schema.MEASUREMENT and 0 < len(new) < COPY_MIN_ROWS:
                linked = self._create_measurements(new, rows)
            else:
                self._copy_nodes(node, new, tmp)
            self._update_nodes(node, changed)
        # Measurements that exist now but were not created with their links above.
        done = existed["Measurement"] | linked
        for rel_type, rel_rows in rows.rels.items():
            rel = schema.RELS[rel_type]
            if rel is schema.EXTRACTED_BY:
                # A stored Measurement may already be linked to this run (the same run
                # writing again); a new one cannot be.
                present = self._run_links(rows, existed["Measurement"]) | linked
                rel_rows = [r for r in rel_rows if r["src"] not in present]
            else:
                # A Measurement is created together with these relationships, in one
                # transaction, and its id (a hash of document, compound, property, value...)
                # fixes their endpoints: only new Measurements need them.
                side = "src" if rel.src == "Measurement" else "dst"
                rel_rows = [r for r in rel_rows if r[side] not in done]
            self._copy_rels(rel, rel_rows, tmp)
        self._supersede(rows, existed["Document"])

    def _fetch(self, node: schema.NodeType, keys: set[str]) -> dict[str, tuple[Any, ...]]:
        """The stored properties of those ``keys`` that exist (key -> values in
        ``node.prop_names`` order), read back as Arrow columns (row-by-row ``get_all`` costs
        about as much again as the query)."""
        if not keys:
            return {}
        if self._closed:
            raise GraphError(f"{self.path}: the store is closed")
        names = node.prop_names
        cols = ", ".join(f"n.{schema.quote(p)} AS c{i}" for i, p in enumerate(names))
        keys_table = _table({"k": ("STRING", sorted(keys))})
        result = self._conn.execute(
            f"LOAD FROM $keys MATCH (n:{node.label} {{{node.key}: k}}) RETURN {cols}", {"keys": keys_table}
        )
        columns = result.get_as_arrow().to_pydict()
        result.close()
        values = [columns[f"c{i}"] for i in range(len(names))]
        key = names.index(node.key)
        return {row[key]: row for row in zip(*values)}

    def _run_links(self, rows: schema.GraphRows, stored: set[str]) -> set[str]:
        """Ids of the stored Measurements of this call already linked to the run it writes
        (the same run writing again). Looked up by the call's ids, so the cost follows the
        call's size, not the run's."""
        runs = rows.nodes.get("ExtractionRun") or []
        if not runs or not stored:
            return set()
        res = self._run(
            "LOAD FROM $ids MATCH (m:Measurement {id: k})-[:EXTRACTED_BY]->(r:ExtractionRun {id: $run}) "
            "RETURN m.id",
            {"ids": _table({"k": ("STRING", sorted(stored))}), "run": runs[0]["id"]},
        )
        return {m for (m,) in res}

    def _parquet(self, name: str, columns: dict[str, tuple[str, list[Any]]], tmp: Path) -> str:
        import pyarrow.parquet as pq

        file = tmp / f"{name}.parquet"
        pq.write_table(_table(columns), file, compression="none")  # written once, read at once
        return file.as_posix().replace("'", "\\'")

    def _copy_nodes(self, node: schema.NodeType, rows: list[dict[str, Any]], tmp: Path) -> None:
        """Insert nodes whose keys are new: ``LOAD FROM`` an in-memory Arrow table with
        ``CREATE`` (written to the log: the commit stays cheap), or ``COPY`` for very large
        calls (its commit forces a checkpoint, which only pays off for huge batches)."""
        if not rows:
            return
        cols = {f"c{i}": (p.type, [r[p.name] for r in rows]) for i, p in enumerate(node.props)}
        if len(rows) < COPY_MIN_ROWS:
            props = ", ".join(f"{schema.quote(p.name)}: c{i}" for i, p in enumerate(node.props))
            self._run(f"LOAD FROM $rows CREATE (n:{node.label} {{{props}}})", {"rows": _table(cols)})
            return
        file = self._parquet(node.label, cols, tmp)
        self._run(f"COPY {node.label} FROM '{file}'")

    def _create_measurements(self, new: list[dict[str, Any]], rows: schema.GraphRows) -> set[str]:
        """Create new Measurements and all their relationships in one statement; returns their ids.

        One ``LOAD FROM`` that looks up the compound, property, document (and run) of each row
        and creates the node with its edges, instead of a node statement and four edge
        statements that each look every new Measurement up again by id and bind their own
        Arrow table. The other nodes were written before, in this transaction, so every
        ``MATCH`` finds its node."""
        compound = {r["dst"]: r["src"] for r in rows.rels.get(schema.HAS_MEASUREMENT.type, [])}
        prop = {r["src"]: r["dst"] for r in rows.rels.get(schema.OF_PROPERTY.type, [])}
        node = schema.MEASUREMENT
        cols = {f"c{i}": (p.type, [r[p.name] for r in new]) for i, p in enumerate(node.props)}
        ids = cols[f"c{node.prop_names.index('id')}"][1]
        cols["ck"] = ("STRING", [compound[i] for i in ids])
        cols["pn"] = ("STRING", [prop[i] for i in ids])
        doc = f"c{node.prop_names.index('doc_id')}"
        props = ", ".join(f"{schema.quote(p.name)}: c{i}" for i, p in enumerate(node.props))
        runs = rows.nodes.get(schema.EXTRACTION_RUN.label) or []
        params: dict[str, Any] = {"rows": _table(cols)}
        match = (
            "LOAD FROM $rows MATCH (c:Compound {key: ck}) MATCH (p:Property {name: pn}) "
            f"MATCH (d:Document {{id: {doc}}}) "
        )
        create = (
            f"CREATE (m:Measurement {{{props}}}) "
            "CREATE (c)-[:HAS_MEASUREMENT]->(m), (m)-[:OF_PROPERTY]->(p), (m)-[:FROM_DOCUMENT]->(d)"
        )
        if runs:
            match += "MATCH (x:ExtractionRun {id: $run}) "
            create += ", (m)-[:EXTRACTED_BY]->(x)"
            params["run"] = runs[0]["id"]
        self._run(match + create, params)
        return set(ids)

    def _copy_rels(self, rel: schema.RelType, rows: list[dict[str, str]], tmp: Path) -> None:
        """Insert relationships (both ends exist): ``LOAD FROM`` + ``CREATE``, or ``COPY`` for
        very large calls.

        The keys are used in the patterns as columns directly: binding them first
        (``WITH src AS a MATCH (x {key: a})``) makes LadybugDB 0.22 plan a join over the
        whole table (seconds for 25 rows on a 20k-node graph)."""
        if not rows:
            return
        cols = {
            "from": ("STRING", [r["src"] for r in rows]),
            "to": ("STRING", [r["dst"] for r in rows]),
        }
        if len(rows) < COPY_MIN_ROWS:
            src, dst = schema.NODES[rel.src], schema.NODES[rel.dst]
            self._run(
                f"LOAD FROM $rows MATCH (a:{src.label} {{{src.key}: `from`}}) "
                f"MATCH (b:{dst.label} {{{dst.key}: `to`}}) CREATE (a)-[:{rel.type}]->(b)",
                {"rows": _table(cols)},
            )
            return
        file = self._parquet(rel.type, cols, tmp)
        self._run(f"COPY {rel.type} FROM '{file}'")

    def _update_nodes(self, node: schema.NodeType, changed: list[tuple[frozenset[str], dict[str, Any]]]) -> None:
        """Set the properties that differ on stored nodes, grouped by which properties differ.

        A re-run of the same input changes nothing and so writes nothing; a re-extraction by a
        newer model typically touches ``model`` and ``confidence`` only. Writing just those
        columns matters: a 20-column SET runs at about 2k rows/s in LadybugDB. The rows travel
        as a typed Arrow table, so a column that is all None still has its type."""
        groups: dict[frozenset[str], list[dict[str, Any]]] = {}
        for diff, row in changed:
            groups.setdefault(diff, []).append(row)
        props = {p.name: p for p in node.props}
        for diff, group in groups.items():
            names = sorted(diff)
            cols = {"k": ("STRING", [r[node.key] for r in group])}
            cols |= {f"c{i}": (props[name].type, [r[name] for r in group]) for i, name in enumerate(names)}
            sets = ", ".join(f"n.{schema.quote(name)} = c{i}" for i, name in enumerate(names))
            self._run(
                f"LOAD FROM $rows MATCH (n:{node.label} {{{node.key}: k}}) SET {sets}",
                {"rows": _table(cols)},
            )

    def _supersede(self, rows: schema.GraphRows, existed_docs: set[str]) -> None:
        """Measurements of re-extracted documents from models not in this call go superseded.

        Only documents that were already stored can hold older Measurements."""
        todo = [r for r in schema.supersede_models(rows) if r["doc_id"] in existed_docs]
        for i in range(0, len(todo), BATCH):
            self._run(
                "UNWIND $rows AS r MATCH (d:Document {id: r.doc_id})<-[:FROM_DOCUMENT]-(m:Measurement) "
                "WHERE NOT list_contains(r.models, m.model) AND m.superseded = false "
                "SET m.superseded = true",
                {"rows": todo[i : i + BATCH]},
            )

    def record_run(self, run: ExtractionRun) -> None:
        row = schema.run_row(run)
        sets = ", ".join(
            f"n.{p.name} = {_cast('r.' + p.name, p)}" for p in schema.EXTRACTION_RUN.props if p.name != "id"
        )
        self._empty.discard(schema.EXTRACTION_RUN.label)
        with self._transaction(f"recording run {run.run_id}"):
            self._run(f"UNWIND $rows AS r MERGE (n:ExtractionRun {{id: r.id}}) SET {sets}", {"rows": [row]})

    # -- reads ---------------------------------------------------------------------------------
    def query(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run ``cypher`` after the shared guard, on a read-only database, so the engine refuses
        writes whatever this store holds.

        A store opened read-only queries its own database. A writable one (the ingest's handle,
        a notebook's) opens a second, read-only ``Database`` on the same file, which LadybugDB
        allows beside a writer in the same process (~60 ms; it sees every commit made before it
        opened, so it is kept until this store next writes). A read-only transaction on the
        writer's database is not enough: a ``COMMIT`` in the query text ends it and what follows
        runs with auto-commit. Each query gets a fresh connection, so a setting it might change
        (``CALL threads=1``) dies with it.
        """
        import ladybug

        check_read_only(cypher, str(self.path))
        if self._closed:
            raise GraphError(f"{self.path}: the store is closed")
        try:
            if self.read_only:
                db = self._db
            else:
                self._reader = db = self._reader or self._database(read_only=True)
            conn = ladybug.Connection(db)
        except RuntimeError as exc:
            raise self._open_error(exc) from None
        try:
            result = conn.execute(cypher, dict(params or {}))
            if isinstance(result, list):  # the guard let one statement through; the engine ran more
                raise GraphError(f"{self.path}: query failed: the engine read several statements")
            names = result.get_column_names()
            return [dict(zip(names, row)) for row in result.get_all()]
        except RuntimeError as exc:
            raise GraphError(f"{self.path}: query failed: {first_line(str(exc))}") from None
        finally:
            conn.close()

    def document_versions(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {d: [] for (d,) in self._run("MATCH (d:Document) RETURN d.id")}
        res = self._run(
            "MATCH (m:Measurement) WHERE m.superseded = false "
            "RETURN m.doc_id, collect(DISTINCT m.model)"
        )
        for doc_id, models in res:
            out[doc_id] = sorted(models)
        return out

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (for tests, ``lit`` summaries, benchmarks)."""
        out = {}
        for node in schema.NODE_TYPES:
            out[node.label] = self._run(f"MATCH (n:{node.label}) RETURN count(n)")[0][0]
        for rel in schema.REL_TYPES:
            out[rel.type] = self._run(f"MATCH ()-[r:{rel.type}]->() RETURN count(r)")[0][0]
        return out

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._drop_reader()
            self._conn.close()
            self._db.close()
        finally:
            self._release_writer()

    def __del__(self) -> None:
        # A store dropped without close() must not keep its folder locked for this process.
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r}, read_only={self.read_only})"
