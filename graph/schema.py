"""The graph schema both stores share: node and relationship types, keys, property types,
and the one function that turns Documents and Facts into rows for them.

Both stores (embedded LadybugDB and Neo4j) write exactly the rows :func:`graph_rows` builds,
so a fact lands with the same properties whichever store a user picks, and queries, recipes
and exports written against one work against the other. LadybugDB needs typed DDL
(:func:`ladybug_ddl`); Neo4j needs uniqueness constraints and indexes before any MERGE
(:func:`neo4j_ddl`). Both are generated from the same definitions here, so they cannot drift.

::

    (Compound)-[:HAS_MEASUREMENT]->(Measurement)-[:OF_PROPERTY]->(Property)
    (Measurement)-[:FROM_DOCUMENT]->(Document)
    (Measurement)-[:EXTRACTED_BY]->(ExtractionRun)

Supersession: a Measurement is never deleted by re-extraction. When facts for a document are
written, Measurements of that document produced by a *different* model than the ones in the
call are marked ``superseded = true`` (the latest extraction of a document wins); Measurements
written again are set ``superseded = false``. :func:`supersede_models` says which models stay
current for each document in a call. See ``graph/README.md``.
"""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Literal, Sequence

from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact
from lit.graph.store import ExtractionRun

#: Property types, named as LadybugDB spells them. Neo4j is schemaless; the same values fit.
PropType = Literal["STRING", "INT64", "DOUBLE", "BOOLEAN", "STRING[]"]


@dataclass(frozen=True, slots=True)
class Prop:
    """One property of a node or relationship type."""

    name: str
    type: PropType


@dataclass(frozen=True, slots=True)
class NodeType:
    """A node label: its key property (unique, MERGE target), its properties, and the
    properties worth an index (what queries filter on)."""

    label: str
    key: str
    props: tuple[Prop, ...]
    indexed: tuple[str, ...] = ()

    @property
    def prop_names(self) -> tuple[str, ...]:
        return _prop_names(self.props)


@dataclass(frozen=True, slots=True)
class RelType:
    """A relationship type between two labels (no properties: provenance lives on Measurement)."""

    type: str
    src: str
    dst: str


@lru_cache(maxsize=None)
def _prop_names(props: tuple[Prop, ...]) -> tuple[str, ...]:
    return tuple(p.name for p in props)


def _props(spec: str) -> tuple[Prop, ...]:
    """Parse ``"name TYPE, name TYPE"`` so the tables below read like DDL."""
    out = []
    for item in spec.split(","):
        name, typ = item.split()
        out.append(Prop(name, typ))  # type: ignore[arg-type]
    return tuple(out)


DOCUMENT = NodeType(
    "Document",
    "id",
    _props(
        "id STRING, doi STRING, title STRING, journal STRING, year INT64, source STRING, "
        "format STRING, sha256 STRING, authors STRING[], ingested_at STRING"
    ),
    indexed=("doi", "year"),
)
COMPOUND = NodeType(
    "Compound",
    "key",
    _props("key STRING, names STRING[], formula STRING"),
    indexed=("formula",),
)
PROPERTY = NodeType("Property", "name", _props("name STRING, unit STRING"))
MEASUREMENT = NodeType(
    "Measurement",
    "id",
    _props(
        "id STRING, compound STRING, property_text STRING, value DOUBLE, value_max DOUBLE, "
        "unit STRING, raw_value STRING, conditions STRING, confidence DOUBLE, model STRING, "
        "sentence STRING, start INT64, end INT64, compound_start INT64, compound_end INT64, "
        "value_start INT64, value_end INT64, section STRING, flags STRING[], doc_id STRING, "
        "superseded BOOLEAN, page INT64, boxes STRING"
    ),
    indexed=("doc_id", "model"),
)
#: Measurement columns newer than the first graphs (see :func:`ladybug_ddl`).
ADDED_COLUMNS = ("page", "boxes")
EXTRACTION_RUN = NodeType(
    "ExtractionRun",
    "id",
    _props(
        "id STRING, lit_version STRING, models STRING[], started STRING, finished STRING, "
        "documents INT64, facts INT64, failures INT64"
    ),
)

NODE_TYPES: tuple[NodeType, ...] = (DOCUMENT, COMPOUND, PROPERTY, MEASUREMENT, EXTRACTION_RUN)
NODES: dict[str, NodeType] = {n.label: n for n in NODE_TYPES}

HAS_MEASUREMENT = RelType("HAS_MEASUREMENT", "Compound", "Measurement")
OF_PROPERTY = RelType("OF_PROPERTY", "Measurement", "Property")
FROM_DOCUMENT = RelType("FROM_DOCUMENT", "Measurement", "Document")
EXTRACTED_BY = RelType("EXTRACTED_BY", "Measurement", "ExtractionRun")

REL_TYPES: tuple[RelType, ...] = (HAS_MEASUREMENT, OF_PROPERTY, FROM_DOCUMENT, EXTRACTED_BY)
RELS: dict[str, RelType] = {r.type: r for r in REL_TYPES}

#: Words Cypher parsers treat as keywords; properties with these names need backticks
#: (LadybugDB refuses ``m.end``; ``m.`end``` works in both engines).
_KEYWORDS = {"end", "start"}


def quote(name: str) -> str:
    """A property name as it must appear in Cypher text (backticked if it is a keyword)."""
    return f"`{name}`" if name.lower() in _KEYWORDS else name


# -- DDL -------------------------------------------------------------------------------------


def ladybug_ddl() -> list[str]:
    """``CREATE ... IF NOT EXISTS`` statements for LadybugDB, nodes before relationships."""
    out = []
    for node in NODE_TYPES:
        cols = ", ".join(f"{quote(p.name)} {p.type}" for p in node.props)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {node.label}({cols}, PRIMARY KEY({node.key}))")
    # Columns added after a graph was first created (page and boxes of a Measurement):
    # a graph written by an older lit gains them, empty, on its next writable open.
    for name in ADDED_COLUMNS:
        prop = next(p for p in MEASUREMENT.props if p.name == name)
        out.append(f"ALTER TABLE {MEASUREMENT.label} ADD IF NOT EXISTS {quote(prop.name)} {prop.type}")
    for rel in REL_TYPES:
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.type}(FROM {rel.src} TO {rel.dst})")
    return out


def neo4j_ddl() -> list[str]:
    """Neo4j 5 uniqueness constraints (one per key) and range indexes, all idempotent."""
    out = []
    for node in NODE_TYPES:
        low = node.label.lower()
        out.append(
            f"CREATE CONSTRAINT {low}_{node.key} IF NOT EXISTS "
            f"FOR (n:{node.label}) REQUIRE n.{node.key} IS UNIQUE"
        )
        for prop in node.indexed:
            out.append(
                f"CREATE INDEX {low}_{prop} IF NOT EXISTS FOR (n:{node.label}) ON (n.{quote(prop)})"
            )
    return out


# -- compound identity -----------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def compound_key(name: str) -> str:
    """The key a compound is merged on when the pipeline gave no canonical ``compound_key``.

    Deliberately simple: Unicode NFKC (so ``CH₃NH₃PbI₃`` == ``CH3NH3PbI3``), whitespace
    collapsed, and plain capitalised words lower-cased (``Lead iodide`` == ``lead iodide``).
    Tokens that could be formulas or element symbols keep their case, because case carries
    meaning there (``Co`` cobalt vs ``CO`` carbon monoxide): a token is lower-cased only when it
    is all letters, at least three long, and upper-case at most in its first letter.
    """
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", name)).strip()
    words = []
    for word in text.split(" "):
        if len(word) >= 3 and word.isalpha() and word[1:].islower():
            word = word.lower()
        words.append(word)
    return " ".join(words)


def fact_compound_key(fact: Fact) -> str:
    """The Compound key for a fact: the pipeline's canonical key, else :func:`compound_key`."""
    return fact.compound_key or compound_key(fact.compound)


# -- rows ------------------------------------------------------------------------------------


@dataclass(slots=True)
class GraphRows:
    """Plain row dicts per node type and per relationship type, ready for ``UNWIND $rows``.

    Node rows carry every property of their type (missing ones as None) under the schema's
    names; relationship rows are ``{"src": <source key>, "dst": <target key>}``.
    Rows are de-duplicated by key (the last one wins), so one call never MERGEs a key twice.
    ``document_stubs`` are ``{"id", "source"}`` rows for documents that facts point at but that
    were not passed in: stores create them if missing and must not overwrite stored metadata.
    """

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    document_stubs: list[dict[str, Any]] = field(default_factory=list)
    rels: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    #: document id -> models whose Measurements of that document stay current after the call
    current_models: dict[str, list[str]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(v) for v in self.nodes.values()) + sum(len(v) for v in self.rels.values())


def now_iso() -> str:
    """UTC now as ISO-8601 (timestamps are strings so both engines store them the same way)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def document_row(info: DocumentInfo, ingested_at: str) -> dict[str, Any]:
    return {
        "id": info.doc_id,
        "doi": info.doi,
        "title": info.title,
        "journal": info.journal,
        "year": info.year,
        "source": info.source,
        "format": info.format,
        "sha256": info.sha256,
        "authors": list(info.authors),
        "ingested_at": ingested_at,
    }


def measurement_row(fact: Fact) -> dict[str, Any]:
    """A Fact as a Measurement row. ``conditions`` becomes a JSON string (sorted keys) so it
    fits a typed column and compares equal across runs."""
    return {
        "id": fact.fact_id,
        "compound": fact.compound,
        "property_text": fact.property_text,
        "value": float(fact.value),
        "value_max": None if fact.value_max is None else float(fact.value_max),
        "unit": fact.unit,
        "raw_value": fact.raw_value,
        "conditions": _conditions_json(tuple(sorted(fact.conditions.items()))) if fact.conditions else "{}",
        "confidence": float(fact.confidence),
        "model": fact.model,
        "sentence": fact.sentence,
        "start": fact.start,
        "end": fact.end,
        "compound_start": fact.compound_start,
        "compound_end": fact.compound_end,
        "value_start": fact.value_start,
        "value_end": fact.value_end,
        "section": fact.section,
        "flags": list(fact.flags),
        "doc_id": fact.doc_id,
        "superseded": False,
        "page": fact.page,
        # [[page, x0, y0, x1, y1], ...] as JSON: Neo4j stores no nested lists
        "boxes": json.dumps(fact.boxes) if fact.boxes else None,
    }


@lru_cache(maxsize=4096)
def _conditions_json(items: tuple[tuple[str, str], ...]) -> str:
    """Conditions repeat across a corpus ("300 K", "room temperature"): encode each once."""
    return json.dumps(dict(items), ensure_ascii=False)


def run_row(run: ExtractionRun) -> dict[str, Any]:
    return {
        "id": run.run_id,
        "lit_version": run.lit_version,
        "models": list(run.models),
        "started": run.started,
        "finished": run.finished,
        "documents": run.documents,
        "facts": run.facts,
        "failures": run.failures,
    }


def _unique(rows: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return list({r[key]: r for r in rows}.values())


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold Python's cycle collector while a store builds and writes rows.

    A call of 100k facts allocates millions of dicts, lists and tuples, none of them in a
    reference cycle; the collector still runs every few hundred allocations and, as the
    survivors pile up, walks all of them again: 40 % of :func:`graph_rows`'s time on 100k
    facts (1.0 s vs 0.6 s). Nested use is harmless; a collector disabled by the caller stays so.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def graph_rows(
    documents: Sequence[DocumentInfo],
    facts: Sequence[Fact],
    run: ExtractionRun | None = None,
    *,
    ingested_at: str | None = None,
) -> GraphRows:
    """Every node and relationship row one ``GraphStore.upsert`` call writes.

    Compound ``names`` are the distinct names as written *in this call*; stores union them
    with the names already stored. Property ``unit`` is the unit first seen for it (a hint
    for readers; each Measurement keeps its own unit). Facts whose document is not in
    ``documents`` still link to a Document node keyed by ``fact.doc_id`` (a stub row, see
    :class:`GraphRows`), so no Measurement is ever orphaned.
    """
    stamp = ingested_at or now_iso()
    doc_rows = [document_row(d, stamp) for d in documents]
    known_docs = {d.doc_id for d in documents}
    stubs: dict[str, dict[str, Any]] = {}
    for fact in facts:
        if fact.doc_id not in known_docs:
            stubs.setdefault(fact.doc_id, {"id": fact.doc_id, "source": fact.source})

    # One Measurement per fact id (the last fact wins); its relationships follow from it, so
    # they are unique too and need no second pass.
    unique: dict[str, tuple[Fact, dict[str, Any]]] = {}
    for fact in facts:
        row = measurement_row(fact)
        unique[row["id"]] = (fact, row)
    compounds: dict[str, dict[str, Any]] = {}
    properties: dict[str, dict[str, Any]] = {}
    measurements: list[dict[str, Any]] = []
    has_m: list[dict[str, str]] = []
    of_p: list[dict[str, str]] = []
    from_d: list[dict[str, str]] = []
    by_run: list[dict[str, str]] = []
    current: dict[str, list[str]] = {}
    run_id = run.run_id if run is not None else None
    for mid, (fact, row) in unique.items():
        key = fact.compound_key or compound_key(fact.compound)
        comp = compounds.get(key)
        if comp is None:
            comp = compounds[key] = {"key": key, "names": [fact.compound], "formula": fact.formula}
        else:
            if fact.compound not in comp["names"]:
                comp["names"].append(fact.compound)
            comp["formula"] = comp["formula"] or fact.formula
        if fact.property not in properties:
            properties[fact.property] = {"name": fact.property, "unit": fact.unit or None}
        measurements.append(row)
        has_m.append({"src": key, "dst": mid})
        of_p.append({"src": mid, "dst": fact.property})
        from_d.append({"src": mid, "dst": fact.doc_id})
        if run_id is not None:
            by_run.append({"src": mid, "dst": run_id})
        models = current.get(fact.doc_id)
        if models is None:
            current[fact.doc_id] = [fact.model]
        elif fact.model not in models:
            models.append(fact.model)

    rows = GraphRows(current_models=current, document_stubs=list(stubs.values()))
    rows.nodes = {
        "Document": _unique(doc_rows, "id"),
        "Compound": list(compounds.values()),
        "Property": list(properties.values()),
        "Measurement": measurements,
        "ExtractionRun": [run_row(run)] if run is not None else [],
    }
    rows.rels = {
        "HAS_MEASUREMENT": has_m,
        "OF_PROPERTY": of_p,
        "FROM_DOCUMENT": from_d,
        "EXTRACTED_BY": by_run,
    }
    return rows


def merge_stored(node: NodeType, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What a stored node should hold after a write of ``new`` (both stores use this, so they
    merge alike). The newest values win, except: a Compound keeps every name it was ever
    written as, and its first formula; a Property keeps its first unit; a Document keeps its
    first ``ingested_at``."""
    merged = dict(new)
    if node is COMPOUND:
        names = list(old.get("names") or [])
        merged["names"] = names + [n for n in new["names"] if n not in names]
        merged["formula"] = old.get("formula") or new["formula"]
    elif node is PROPERTY:
        merged["unit"] = old.get("unit") or new["unit"]
    elif node is DOCUMENT:
        merged["ingested_at"] = old.get("ingested_at") or new["ingested_at"]
    return merged


def supersede_models(rows: GraphRows) -> list[dict[str, Any]]:
    """Rows ``{"doc_id": ..., "models": [...]}``: for each document with facts in the call,
    the models that stay current. A store marks every other Measurement of that document
    ``superseded = true`` (``WHERE m.doc_id = r.doc_id AND NOT m.model IN r.models``)."""
    return [{"doc_id": d, "models": m} for d, m in rows.current_models.items()]
