"""Faults on a real Bolt server: it is stopped or killed (SIGKILL, a crash) before and during
an upsert, and restarted. Nothing is simulated: the store sees real refused connections and
real dropped sockets. The only instrumentation is a hook that says when batch N starts, so
the kill lands mid-run every time instead of by luck.

Every test leaves the session server running (the ``finally`` blocks restart it).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import pytest

from lit.errors import GraphUnavailableError
from lit.graph.neo4j_store import Neo4jStore, RetryPolicy
from tests.bolt_server import BoltServer
from tests.test_graph_neo4j import a_run, expected_counts, make_corpus

pytestmark = pytest.mark.bolt

BATCH = 100


def _store(server: BoltServer, retry: RetryPolicy, batch_size: int = BATCH) -> Neo4jStore:
    ep = server.endpoint
    return Neo4jStore.connect(
        ep.uri, user=ep.user, password=ep.password, database=ep.database,
        batch_size=batch_size, retry=retry, connection_timeout=2.0,
    )  # fmt: skip


def _on_batch(store: Neo4jStore, actions: dict[int, Callable[[], None]]) -> None:
    """Run ``actions[n]`` just before batch ``n`` (1-based) of the store's upserts is sent."""
    original = store._write_rows
    seen = {"n": 0}

    def hooked(rows: Any, what: str) -> None:
        seen["n"] += 1
        if seen["n"] in actions:
            actions[seen["n"]]()
        original(rows, what)

    store._write_rows = hooked  # type: ignore[method-assign]


def _orphans(store: Neo4jStore) -> int:
    """Measurements missing any of their relationships: what a half-written batch leaves."""
    rows = store.query(
        "MATCH (m:Measurement) WHERE NOT (m)<-[:HAS_MEASUREMENT]-(:Compound) "
        "OR NOT (m)-[:OF_PROPERTY]->(:Property) OR NOT (m)-[:FROM_DOCUMENT]->(:Document) "
        "OR NOT (m)-[:EXTRACTED_BY]->(:ExtractionRun) RETURN count(m) AS n"
    )
    return rows[0]["n"]


@pytest.fixture
def corpus():
    docs, facts = make_corpus(20, 30, seed=3)  # 600 facts: 6 batches of 100
    infos = [d.info for d in docs]
    return infos, facts, expected_counts(infos, facts, runs=1)


def test_faults_server_down_before_batch_gives_unavailable_then_rerun_completes(
    bolt_server: BoltServer, neo4j_store: Neo4jStore, corpus
) -> None:
    infos, facts, expected = corpus
    policy = RetryPolicy(attempts=4, max_seconds=3.0, base_delay=0.2)
    store = _store(bolt_server, policy)
    _on_batch(store, {3: bolt_server.stop})  # clean shutdown between batches 2 and 3
    try:
        started = time.monotonic()
        with pytest.raises(GraphUnavailableError) as err:
            store.upsert(infos, facts, a_run())
        waited = time.monotonic() - started
        message = str(err.value)
        assert bolt_server.endpoint.uri in message and "attempt" in message
        assert bolt_server.password not in message
        assert waited < 60  # bounded: 2 batches + at most ~3 s of retrying + connect timeouts
    finally:
        store.close()
        bolt_server.start()
    # the two batches before the stop are whole; nothing of batch 3 landed
    assert neo4j_store.counts()["Measurement"] == 2 * BATCH
    assert _orphans(neo4j_store) == 0
    rerun = _store(bolt_server, policy)
    try:
        rerun.upsert(infos, facts, a_run())
    finally:
        rerun.close()
    assert neo4j_store.counts() == expected


def test_faults_kill_mid_batch_leaves_whole_batches_only(
    bolt_server: BoltServer, neo4j_store: Neo4jStore, corpus
) -> None:
    infos, facts, expected = corpus
    store = _store(bolt_server, RetryPolicy(attempts=2, max_seconds=1.0, base_delay=0.1))
    # SIGKILL a moment after batch 3 is sent: the crash lands while its transaction is open
    # (or, on a fast machine, during batch 4, which waits for the kill to have happened)
    killer = threading.Timer(0.15, lambda: bolt_server.stop(kill=True))
    _on_batch(store, {3: killer.start, 4: killer.join})
    try:
        with pytest.raises(GraphUnavailableError):
            store.upsert(infos, facts, a_run())
    finally:
        killer.join()
        store.close()
        bolt_server.start()
    counts = neo4j_store.counts()
    assert counts["Measurement"] % BATCH == 0 and 2 * BATCH <= counts["Measurement"] < len(facts)
    assert _orphans(neo4j_store) == 0
    rerun = _store(bolt_server, RetryPolicy())
    try:
        rerun.upsert(infos, facts, a_run())
    finally:
        rerun.close()
    assert neo4j_store.counts() == expected


def test_faults_restart_mid_run_is_ridden_out_by_retries(
    bolt_server: BoltServer, neo4j_store: Neo4jStore, corpus, caplog
) -> None:
    infos, facts, expected = corpus
    crashed = threading.Event()

    def crash_and_restart() -> None:
        bolt_server.stop(kill=True)
        crashed.set()
        bolt_server.start()

    restarter = threading.Timer(0.15, crash_and_restart)
    store = _store(bolt_server, RetryPolicy(attempts=40, max_seconds=240.0, base_delay=0.2, max_delay=2.0))
    # crash during batch 2; batch 3 is not sent before the crash, so the restart is met for sure
    _on_batch(store, {2: restarter.start, 3: lambda: crashed.wait(60)})
    try:
        store.upsert(infos, facts, a_run())  # no error: the retries outlast the restart
    finally:
        restarter.join()
        store.close()
        if not bolt_server.running:
            bolt_server.start()
    assert any("retry" in r.getMessage() for r in caplog.records)  # the crash was met
    assert neo4j_store.counts() == expected
    assert _orphans(neo4j_store) == 0
