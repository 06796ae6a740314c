"""The one small interface both graph stores implement, and how a target names a store.

``--graph TARGET`` means the same thing everywhere: a ``bolt://``/``neo4j://`` URI (or
``+s``/``+ssc`` variants) is a Neo4j server, anything else is a folder holding the embedded
LadybugDB store. Callers use :func:`open_store` and never import a backend directly, so the
pipeline, ingest, query and export code is the same for a laptop and a server.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact

BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
DEFAULT_EMBEDDED_PATH = "lit-graph"


@dataclass(slots=True)
class ExtractionRun:
    """One run of ``lit extract`` / ``lit ingest``: what ran, when, and what it produced."""

    run_id: str
    started: str  # ISO-8601 UTC
    lit_version: str
    models: list[str] = field(default_factory=list)
    finished: str | None = None
    documents: int = 0
    facts: int = 0
    failures: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_bolt_uri(target: str) -> bool:
    return target.startswith(BOLT_SCHEMES)


def display_target(target: str) -> str:
    """The target as it may appear in logs and summaries: credentials in a URI are removed."""
    if is_bolt_uri(target) and "@" in target:
        scheme, rest = target.split("://", 1)
        return f"{scheme}://{rest.rsplit('@', 1)[1]}"
    return target


class GraphStore(ABC):
    """A place facts live. Implementations must make ``upsert`` idempotent (MERGE on ids)."""

    #: What opening the store had to repair, in one line (an embedded store whose write-ahead
    #: log was torn sets it aside: see :mod:`lit.graph.embedded`), else None. Writes since the
    #: store's last checkpoint are gone then, and a resumed run upserts all it journaled again.
    recovered: str | None = None

    @abstractmethod
    def upsert(
        self,
        documents: Sequence[DocumentInfo],
        facts: Sequence[Fact],
        run: ExtractionRun | None = None,
    ) -> None:
        """Write documents, facts and (optionally) link them to the run, all-or-nothing per call."""

    @abstractmethod
    def record_run(self, run: ExtractionRun) -> None:
        """Create or update the ExtractionRun node (counts, finished time)."""

    @abstractmethod
    def query(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query; rows are dicts keyed by the RETURN names."""

    @abstractmethod
    def document_versions(self) -> dict[str, list[str]]:
        """For incremental ingest: each stored document id -> model versions that produced its facts."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    target: str | None = None, *, read_only: bool = False, engine_mib: float | None = None
) -> GraphStore:
    """Open the store a ``--graph`` target names (default: the embedded store in ./lit-graph).

    A Bolt URI takes its credentials from ``NEO4J_USER``/``NEO4J_PASSWORD`` unless the URI
    carries them; ``NEO4J_URI`` is used when no target is given and it is set.
    ``engine_mib`` bounds the memory the embedded engine may keep between reopens
    (``reopen_after_mib``; None: its default); a server store has no such budget here.
    """
    import os

    target = target or os.environ.get("NEO4J_URI") or DEFAULT_EMBEDDED_PATH
    if is_bolt_uri(target):
        from lit.graph.neo4j_store import Neo4jStore

        return Neo4jStore.connect(target, read_only=read_only)
    from lit.graph.embedded import EmbeddedStore

    return EmbeddedStore(target, read_only=read_only, reopen_after_mib=engine_mib)
