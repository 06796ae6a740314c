"""The Neo4j graph store: the shared schema written over Bolt with the official driver.

Why it looks the way it does:

* Every batch is one managed write transaction (``session.execute_write``): it lands whole or
  not at all. Inside it, the stored keys of the batch's Documents, Compounds, Properties and
  Measurements are read first (one ``UNWIND $keys ... MATCH`` per label); new nodes are
  ``CREATE``d, a new Measurement together with its four relationships in one statement, and
  stored nodes are ``SET`` only where a property differs (a re-run writes nothing but the run
  link). Because the read is in the same transaction as the writes, sending the same batch
  twice changes nothing: a retry after a lost connection finds what a commit that did land
  wrote, and updates instead of creating. Measured on ArcadeDB, 5,000 facts per batch: the
  earlier all-``MERGE`` form spent most of its time in MERGEs that create (a lookup, then a
  create, then relationship MERGEs that scan the node's edges).
* Rows travel as one list per property (``UNWIND range(0, size($p0) - 1) AS i ... $p3[i]``),
  not as a map per row: the pure-Python driver packs a third of the bytes in ~40 % of the
  time (0.3 s instead of 0.8 s for 5,000 Measurements), and the server decodes less.
* Uniqueness constraints (which also index the keys) are created before the first write;
  without them each lookup scans its label. Two writers creating the same new key at once
  get a constraint error from the second commit; it is retried like a transient error, and
  the retry's read finds the key stored.
* The one relationship MERGE left (``EXTRACTED_BY`` of a stored Measurement to this run)
  names the Measurement end first. Neo4j's planner picks the cheaper end by itself, but
  ArcadeDB walks the edges of the node written first: ``MERGE (c)-[:HAS_MEASUREMENT]->(m)``
  from a compound with 10k measurements is quadratic there, ``MERGE (m)<-[:HAS_MEASUREMENT]-(c)``
  is not (measured: 17 s vs 0.5 s for 2,000 rows).
* Retries are ours, bounded by attempts *and* seconds (:class:`RetryPolicy`), with exponential
  backoff; the driver's own retry is switched off so the bounds are the ones configured. When
  they run out the caller gets :class:`GraphUnavailableError` naming the URI, never the password.
* The password lives only in the driver's auth token: not in an attribute, the repr, a log
  line or an error message (messages are scrubbed of it in case a server echoes it).

ArcadeDB differences met while testing against it (ArcadeDB 26.10.2 via ``arcadedb-embedded``
26.10.2.post1):

* ``MERGE`` on a null key creates a node with a null key there (Neo4j refuses it with a
  ClientError; DESIGN.md expected a DatabaseError, this build stores the node). Rows are checked
  for null keys before they are sent, so both servers refuse the same input the same way.
* A write sent in a READ-mode session is executed by ArcadeDB (Neo4j refuses it with
  ``Neo.ClientError.Statement.AccessMode``). So besides the shared query guard, every read runs
  in an explicit transaction that is rolled back, never committed, and is refused when the
  result's counters show a change (ArcadeDB reports them). For enforcement by the server's own
  rights give ``lit query`` a reader account too (a Neo4j reader role; an ArcadeDB group with
  ``readRecord`` only), whose writes come back Forbidden.
* Relationship ``MERGE`` scans from the node written first (see above).
* ``MATCH (n) DETACH DELETE n`` takes seconds per few thousand facts; tests drop and re-create
  the database instead. Every error carries GQL status ``50N42`` whatever its Neo4j code.
* Element ids look like ``#1:0``; nothing here depends on them.
"""

from __future__ import annotations

import logging
import os
import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from lit.errors import GraphError, GraphUnavailableError, ReadOnlyQueryError
from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact
from lit.graph import schema
from lit.graph.query import check_read_only, first_line, refusal
from lit.graph.store import ExtractionRun, GraphStore

log = logging.getLogger("lit.graph.neo4j")

T = TypeVar("T")

DEFAULT_USER = "neo4j"
#: Facts per transaction. Big enough to amortise the round trips, small enough that a lost
#: batch is cheap to redo and the server's transaction stays well inside its memory.
DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to keep trying an unreachable server: at most ``attempts`` tries and at most
    ``max_seconds`` from the first failure, waiting ``base_delay * 2**n`` (capped at
    ``max_delay``, with ±20 % jitter so many clients don't reconnect in lockstep)."""

    attempts: int = 6
    max_seconds: float = 30.0
    base_delay: float = 0.25
    max_delay: float = 5.0

    def delays(self) -> Iterator[float]:
        delay = self.base_delay
        while True:
            yield min(delay, self.max_delay) * random.uniform(0.8, 1.2)
            delay *= 2


@dataclass(frozen=True, slots=True)
class Connection:
    """Where to connect, with the password kept out of the repr."""

    uri: str  # without user info, path or the ``database`` query parameter
    user: str
    password: str | None = None
    database: str | None = None

    def __repr__(self) -> str:
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def resolve_connection(
    uri: str,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Connection:
    """Split credentials and database out of a URI and fill the gaps.

    Precedence: explicit arguments, then the URI (``bolt://user:pw@host:7687/db`` or
    ``?database=db``), then ``NEO4J_USER`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE``.
    The driver gets a URI without user info (it would refuse it, and it would be logged).
    """
    parts = urlsplit(uri)
    host = parts.netloc.rpartition("@")[2]
    uri_user = unquote(parts.username) if parts.username else None
    uri_password = unquote(parts.password) if parts.password is not None else None
    query = parse_qsl(parts.query, keep_blank_values=True)
    uri_db = next((v for k, v in query if k == "database"), None) or parts.path.strip("/") or None
    rest = urlencode([(k, v) for k, v in query if k != "database"])
    clean = urlunsplit((parts.scheme, host, "", rest, ""))
    return Connection(
        uri=clean,
        user=user or uri_user or os.environ.get("NEO4J_USER") or DEFAULT_USER,
        password=password or uri_password or os.environ.get("NEO4J_PASSWORD"),
        database=database or uri_db or os.environ.get("NEO4J_DATABASE") or None,
    )


def _retryable(err: BaseException) -> bool:
    """Errors worth another try: the server was unreachable, restarting, or reported a
    transient condition. ``IncompleteCommit`` (commit sent, answer lost) is one as well here,
    although the driver does not retry it: a batch reads its stored keys in its own
    transaction before writing, so redoing it is harmless. So is a uniqueness violation
    (another writer created one of the batch's new keys first; rows are de-duplicated by key,
    so one batch cannot collide with itself): the retry reads that key as stored."""
    from neo4j.exceptions import ConstraintError, DriverError, IncompleteCommit, Neo4jError

    if isinstance(err, (IncompleteCommit, ConstraintError)):
        return True
    if isinstance(err, (DriverError, Neo4jError)):
        return bool(err.is_retryable())
    return isinstance(err, (ConnectionError, TimeoutError))


#: ExtractionRun rows are MERGEd (a run's counts and end time are rewritten as it goes); the
#: other node types are written by the batch's read-then-CREATE/SET statements.
_RUN_CYPHER = (
    f"UNWIND $rows AS r MERGE (n:{schema.EXTRACTION_RUN.label} "
    f"{{{schema.quote(schema.EXTRACTION_RUN.key)}: r.{schema.quote(schema.EXTRACTION_RUN.key)}}}) SET n += r"
)


#: Measurements of a document written by another model than this call's become superseded.
_SUPERSEDE_CYPHER = (
    "UNWIND $rows AS r MATCH (m:Measurement {doc_id: r.doc_id}) "
    "WHERE NOT m.model IN r.models AND coalesce(m.superseded, false) = false "
    "SET m.superseded = true"
)


def _columns(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    """Rows as one list per property (``p0``, ``p1``... in ``names`` order).

    Sent this way, a batch is one list per column instead of a map per row that repeats every
    key: the pure-Python driver packs 5,000 Measurements in ~0.3 s instead of ~0.8 s and
    ArcadeDB decodes a third of the bytes."""
    return {f"p{i}": [r[name] for r in rows] for i, name in enumerate(names)}


_M_NAMES = schema.MEASUREMENT.prop_names

#: The stored ids among a batch's Measurements (read inside the write transaction), as one
#: list in one record: the driver builds a Python object per record (~0.1 ms each), so 5,000
#: records cost the client more than the server's 5,000 index lookups.
_EXISTING_CYPHER = "UNWIND $ids AS id MATCH (m:Measurement {id: id}) RETURN collect(m.id) AS ids"


def _new_measurements_cypher(with_run: bool) -> str:
    """CREATE new Measurements with all their relationships, from columns ``p0..pN`` (the
    properties), ``ck`` (compound key) and ``pn`` (property name); the document is ``doc_id``.

    ``CREATE``, not ``MERGE``: these ids were just read as absent in this transaction, and a
    node created here has no edges yet, so there is nothing to merge with (a relationship
    MERGE scans the node's edges on ArcadeDB). Every ``MATCH`` finds its node: the batch's
    documents, compounds, properties and run are written first in the same transaction."""
    doc = _M_NAMES.index("doc_id")
    props = ", ".join(f"{schema.quote(n)}: $p{i}[i]" for i, n in enumerate(_M_NAMES))
    lines = [
        "UNWIND range(0, size($p0) - 1) AS i",
        f"CREATE (m:Measurement {{{props}}})",
        "WITH m, i MATCH (c:Compound {key: $ck[i]}) CREATE (c)-[:HAS_MEASUREMENT]->(m)",
        "WITH m, i MATCH (p:Property {name: $pn[i]}) CREATE (m)-[:OF_PROPERTY]->(p)",
        f"WITH m, i MATCH (d:Document {{id: $p{doc}[i]}}) CREATE (m)-[:FROM_DOCUMENT]->(d)",
    ]
    if with_run:
        lines.append("WITH m MATCH (x:ExtractionRun {id: $run}) CREATE (m)-[:EXTRACTED_BY]->(x)")
    return "\n".join(lines)


def _stored_measurements_cypher(with_run: bool) -> str:
    """Update stored Measurements from columns ``p0..pN``: properties are SET only on rows
    where one differs (a re-run writes nothing but the run link), compared null-safely (a
    null property is absent in Neo4j). The run link is MERGEd from the Measurement end."""
    same = " AND ".join(
        f"coalesce(m.{q} = $p{i}[i], m.{q} IS NULL AND $p{i}[i] IS NULL)"
        for i, n in enumerate(_M_NAMES)
        if n != "id"
        for q in [schema.quote(n)]
    )
    sets = ", ".join(f"m.{schema.quote(n)} = $p{i}[i]" for i, n in enumerate(_M_NAMES) if n != "id")
    lines = [
        "UNWIND range(0, size($p0) - 1) AS i",
        "MATCH (m:Measurement {id: $p0[i]})",
        f"FOREACH (_ IN CASE WHEN {same} THEN [] ELSE [1] END | SET {sets})",
    ]
    if with_run:
        lines.append("WITH m MATCH (x:ExtractionRun {id: $run}) MERGE (m)-[:EXTRACTED_BY]->(x)")
    return "\n".join(lines)


def _measurement_params(rows: schema.GraphRows, ids: set[str]) -> dict[str, Any]:
    """Column parameters for the Measurements whose id is in ``ids``, with the compound key
    and property name each one links to (from the batch's relationship rows)."""
    picked = [m for m in rows.nodes.get(schema.MEASUREMENT.label, []) if m["id"] in ids]
    compound = {r["dst"]: r["src"] for r in rows.rels.get(schema.HAS_MEASUREMENT.type, [])}
    prop = {r["src"]: r["dst"] for r in rows.rels.get(schema.OF_PROPERTY.type, [])}
    params = _columns(picked, _M_NAMES)
    params["ck"] = [compound[m["id"]] for m in picked]
    params["pn"] = [prop[m["id"]] for m in picked]
    return params


def _fetch_nodes(tx: Any, node: schema.NodeType, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Stored properties (key -> property dict) of those ``keys`` that exist."""
    names = node.prop_names
    cols = ", ".join(f"n.{schema.quote(p)}" for p in names)
    key = schema.quote(node.key)
    cypher = f"UNWIND $keys AS k MATCH (n:{node.label} {{{key}: k}}) RETURN collect([{cols}]) AS rows"
    record = tx.run(cypher, keys=keys).single()  # one record holding every row (see _EXISTING_CYPHER)
    found = {}
    for values in record["rows"] if record is not None else []:
        row = dict(zip(names, values))
        found[row[node.key]] = row
    return found


def _create_nodes_cypher(node: schema.NodeType) -> str:
    props = ", ".join(f"{schema.quote(n)}: $p{i}[i]" for i, n in enumerate(node.prop_names))
    return f"UNWIND range(0, size($p0) - 1) AS i CREATE (n:{node.label} {{{props}}})"


def _set_nodes_cypher(node: schema.NodeType) -> str:
    """SET every property of stored nodes from columns (``p0`` is the key)."""
    names = node.prop_names
    key = names.index(node.key)
    sets = ", ".join(f"n.{schema.quote(n)} = $p{i}[i]" for i, n in enumerate(names) if n != node.key)
    return (
        f"UNWIND range(0, size($p0) - 1) AS i "
        f"MATCH (n:{node.label} {{{schema.quote(node.key)}: $p{key}[i]}}) SET {sets}"
    )


def _write_nodes(tx: Any, rows: schema.GraphRows) -> None:
    """Documents, Compounds and Properties: stored ones are read first (one read per label),
    new ones CREATEd, stored ones SET only where :func:`schema.merge_stored` changes them.
    Over Bolt this is several times faster than ``MERGE ... ON MATCH SET`` per row on ArcadeDB
    (a MERGE that creates costs about as much as a read plus a CREATE, and a re-run's MERGE
    still writes); the outcome is the same on both servers."""
    for node in (schema.DOCUMENT, schema.COMPOUND, schema.PROPERTY):
        wanted = list(rows.nodes.get(node.label, []))
        stubs: set[str] = set()
        if node is schema.DOCUMENT:
            full = {r["id"] for r in wanted}
            extra = [{p: None for p in node.prop_names} | r for r in rows.document_stubs if r["id"] not in full]
            stubs = {r["id"] for r in extra}
            wanted += extra
        if not wanted:
            continue
        stored = _fetch_nodes(tx, node, [r[node.key] for r in wanted])
        new = [r for r in wanted if r[node.key] not in stored]
        changed = []
        for row in wanted:
            old = stored.get(row[node.key])
            if old is not None and row[node.key] not in stubs:  # a stub never overwrites
                merged = schema.merge_stored(node, old, row)
                if any(merged[p] != old[p] for p in node.prop_names):
                    changed.append(merged)
        if new:
            tx.run(_create_nodes_cypher(node), _columns(new, node.prop_names)).consume()
        if changed:
            tx.run(_set_nodes_cypher(node), _columns(changed, node.prop_names)).consume()


def _check_keys(rows: schema.GraphRows) -> None:
    """Refuse null keys before they reach the server (Neo4j refuses them, ArcadeDB stores
    them: checking here makes both behave like Neo4j)."""
    for label, items in rows.nodes.items():
        key = schema.NODES[label].key
        for row in items:
            if row.get(key) is None:
                raise GraphError(f"{label} row without its key {key!r}: {row!r:.200}")


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j (or Bolt-compatible) server.

    Open it with :meth:`connect` (or :func:`lit.graph.store.open_store`). ``batch_size`` is
    facts per transaction; ``retry`` bounds how long an unreachable server is waited for.
    """

    def __init__(
        self,
        driver: Any,
        conn: Connection,
        *,
        read_only: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._driver = driver
        self.uri = conn.uri
        self.user = conn.user
        self.database = conn.database
        self.read_only = read_only
        self.batch_size = max(1, batch_size)
        self.retry = retry or RetryPolicy()
        self._secret = conn.password  # only to scrub messages; never printed
        self._schema_ready = False

    @classmethod
    def connect(
        cls,
        uri: str,
        read_only: bool = False,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        retry: RetryPolicy | None = None,
        connection_timeout: float = 5.0,
    ) -> "Neo4jStore":
        """Create the driver. Nothing is sent until the first call, so a server that is down
        now is waited for (within ``retry``) by the first operation, not here."""
        from neo4j import GraphDatabase

        conn = resolve_connection(uri, user, password, database)
        auth = (conn.user, conn.password) if conn.password is not None else None
        try:
            driver = GraphDatabase.driver(
                conn.uri,
                auth=auth,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=max(connection_timeout * 2, 10.0),
                max_transaction_retry_time=0.0,  # our RetryPolicy decides
            )
        except Exception as err:  # bad scheme, bad TLS config...
            raise GraphError(f"{conn.uri}: cannot create a Bolt driver: {err}") from None
        log.debug("connected driver to %s as %s (database %s)", conn.uri, conn.user, conn.database)
        return cls(driver, conn, read_only=read_only, batch_size=batch_size, retry=retry)

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Neo4jStore({self.uri!r}, user={self.user!r}, database={self.database!r}, {mode})"

    # -- plumbing ---------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text

    def _session(self, read: bool) -> Any:
        from neo4j import READ_ACCESS, WRITE_ACCESS

        return self._driver.session(
            database=self.database, default_access_mode=READ_ACCESS if read else WRITE_ACCESS
        )

    def _with_retry(self, what: str, call: Callable[[], T]) -> T:
        """Run ``call`` until it succeeds, fails for good, or the retry budget is spent."""
        from neo4j.exceptions import AuthError, Neo4jError, DriverError

        policy = self.retry
        delays = policy.delays()
        first_failure: float | None = None
        attempt = 0
        while True:
            attempt += 1
            try:
                return call()
            except AuthError as err:
                raise GraphError(
                    f"{self.uri}: authentication failed for user {self.user!r}: "
                    f"{self._scrub(str(err))}"
                ) from None
            except Exception as err:
                if not _retryable(err):
                    if isinstance(err, (Neo4jError, DriverError)):
                        raise GraphError(
                            f"{self.uri}: {what} failed: {self._scrub(first_line(str(err)))}"
                        ) from None
                    raise
                now = time.monotonic()
                first_failure = first_failure if first_failure is not None else now
                delay = next(delays)
                spent = now - first_failure
                if attempt >= policy.attempts or spent + delay > policy.max_seconds:
                    raise GraphUnavailableError(
                        f"{self.uri}: {what} failed after {attempt} attempt(s) over "
                        f"{spent:.1f} s: {type(err).__name__}: {self._scrub(str(err))}"
                    ) from None
                log.warning(
                    "%s: %s failed (%s), retry %d/%d in %.2f s",
                    self.uri,
                    what,
                    type(err).__name__,
                    attempt,
                    policy.attempts - 1,
                    delay,
                )
                time.sleep(delay)

    def _write(self, what: str, work: Callable[[Any], T]) -> T:
        if self.read_only:
            raise ReadOnlyQueryError(f"{self.uri}: store opened read-only; refusing {what}")

        def call() -> T:
            with self._session(read=False) as session:
                return session.execute_write(work)

        return self._with_retry(what, call)

    def _ensure_schema(self) -> None:
        """Constraints and indexes before any MERGE, each in its own auto-commit statement
        (Neo4j does not allow schema changes inside a data transaction)."""
        if self._schema_ready:
            return

        def call() -> None:
            with self._session(read=False) as session:
                for stmt in schema.neo4j_ddl():
                    session.run(stmt).consume()

        self._with_retry("creating constraints", call)
        self._schema_ready = True

    # -- GraphStore -------------------------------------------------------------------------

    def upsert(
        self,
        documents: Sequence[DocumentInfo],
        facts: Sequence[Fact],
        run: ExtractionRun | None = None,
    ) -> None:
        """Write documents and facts in batches of ``batch_size`` facts, one transaction each.

        A batch holds its facts together with their documents, compounds and properties, so
        no Measurement is ever stored without its relationships. A call bigger than one batch
        is not atomic as a whole; re-running it completes it (every batch is idempotent).
        """
        if self.read_only:
            raise ReadOnlyQueryError(f"{self.uri}: store opened read-only; refusing upsert")
        self._ensure_schema()
        # Which models stay current per document is a property of the whole call, even when a
        # document's facts straddle two batches.
        current: dict[str, list[str]] = {}
        for fact in facts:
            models = current.setdefault(fact.doc_id, [])
            if fact.model not in models:
                models.append(fact.model)
        docs_by_id = {d.doc_id: d for d in documents}
        batches = [facts[i : i + self.batch_size] for i in range(0, len(facts), self.batch_size)]
        for number, batch in enumerate(batches or [[]]):
            ids = {f.doc_id for f in batch}
            docs = [docs_by_id[i] for i in ids if i in docs_by_id]
            if number == 0:  # documents without facts travel with the first batch
                with_facts = {f.doc_id for f in facts}
                docs += [d for i, d in docs_by_id.items() if i not in with_facts]
            with schema.paused_gc():
                rows = schema.graph_rows(docs, batch, run)
            # Stubs for documents that were passed in (but travel in another batch) are kept:
            # ON CREATE only, so they never overwrite the full row.
            rows.current_models = {d: current[d] for d in rows.current_models}
            _check_keys(rows)
            self._write_rows(rows, f"batch {number + 1}/{max(len(batches), 1)}")

    def _write_rows(self, rows: schema.GraphRows, what: str) -> None:
        """One transaction: the other nodes (MERGE), then Measurements split by whether their
        id is stored (read first, inside the transaction, so a retried batch finds what its
        first attempt committed), new ones CREATEd with their relationships and stored ones
        updated where they differ, then supersession."""
        run_rows = rows.nodes.get(schema.EXTRACTION_RUN.label) or []
        measurements = rows.nodes.get(schema.MEASUREMENT.label, [])
        run_id = run_rows[0]["id"] if run_rows else None
        supersede = schema.supersede_models(rows)

        def work(tx: Any) -> None:
            _write_nodes(tx, rows)
            if run_rows:
                tx.run(_RUN_CYPHER, rows=run_rows).consume()
            if measurements:
                ids = [m["id"] for m in measurements]
                record = tx.run(_EXISTING_CYPHER, ids=ids).single()
                stored = set(record["ids"]) if record is not None else set()
                new = set(ids) - stored
                for subset, cypher in (
                    (new, _new_measurements_cypher(run_id is not None)),
                    (stored, _stored_measurements_cypher(run_id is not None)),
                ):
                    if subset:
                        tx.run(cypher, _measurement_params(rows, subset) | {"run": run_id}).consume()
            if supersede:
                tx.run(_SUPERSEDE_CYPHER, rows=supersede).consume()

        if rows.count() or rows.document_stubs or supersede:
            self._write(what, work)

    def record_run(self, run: ExtractionRun) -> None:
        self._ensure_schema()
        row = schema.run_row(run)

        def work(tx: Any) -> None:
            tx.run(_RUN_CYPHER, rows=[row]).consume()

        self._write(f"recording run {run.run_id}", work)

    def query(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only query: the shared guard refuses writes before anything is sent, then
        it runs in a READ transaction that is always rolled back (see :meth:`_read`)."""
        check_read_only(cypher, self.uri)
        return self._read(cypher, params)

    def _read(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of ``cypher`` from an explicit transaction in a READ session, never committed.

        Neo4j refuses a write in a READ transaction. ArcadeDB runs it, so the result's
        counters are read after the last row and the query is refused if the server changed
        anything; the rollback undoes it either way (measured on ArcadeDB 26.10: a
        ``DETACH DELETE`` there reports ``contains_updates`` and leaves nothing deleted).
        """

        def call() -> list[dict[str, Any]]:
            with self._session(read=True) as session:
                tx = session.begin_transaction()
                try:
                    result = tx.run(cypher, dict(params or {}))
                    rows = [record.data() for record in result]
                    counters = result.consume().counters
                finally:
                    if not tx.closed():
                        tx.rollback()
            if counters.contains_updates or counters.contains_system_updates:
                raise refusal("the server reported changes (they were rolled back)", self.uri)
            return rows

        return self._with_retry("query", call)

    def document_versions(self) -> dict[str, list[str]]:
        """Each stored document -> the models of its current (not superseded) Measurements."""
        out: dict[str, list[str]] = {
            r["id"]: [] for r in self._read("MATCH (d:Document) RETURN d.id AS id")
        }
        rows = self._read(
            "MATCH (m:Measurement) WHERE coalesce(m.superseded, false) = false "
            "RETURN m.doc_id AS doc, collect(DISTINCT m.model) AS models"
        )
        for row in rows:
            out[row["doc"]] = sorted(row["models"])
        return out

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (zeros included): what idempotence and
        fault tests compare, and what ``lit`` reports after an ingest."""
        out = {n.label: 0 for n in schema.NODE_TYPES} | {r.type: 0 for r in schema.REL_TYPES}
        for node in schema.NODE_TYPES:
            out[node.label] = self._read(f"MATCH (n:{node.label}) RETURN count(n) AS n")[0]["n"]
        for rel in schema.REL_TYPES:
            out[rel.type] = self._read(f"MATCH ()-[r:{rel.type}]->() RETURN count(r) AS n")[0]["n"]
        return out

    def wipe(self) -> None:
        """Delete every node and relationship (tests and benchmarks start clean with it)."""
        self._write("wipe", lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())

    def close(self) -> None:
        self._driver.close()
