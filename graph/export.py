"""Training-set export: measurements out of the graph into CSV, JSON Lines or Parquet.

One Cypher text (built by :func:`measurement_query`, standard clauses only) runs on either store
through ``GraphStore.query``, so an export from a laptop's embedded graph and from the team's
Neo4j server have the same rows. Filters become ``WHERE`` conditions with parameters; a filter
that is not given is left out of the text rather than passed as ``null`` (LadybugDB types an
unbound null parameter as BOOL). Aggregation per compound is done here in Python rather than
in Cypher: medians are not portable across engines (``percentileCont`` differs in Neo4j,
LadybugDB and other Bolt servers), and the per-measurement rows are needed anyway.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from lit.errors import GraphError
from lit.graph.store import GraphStore

FORMATS = (".csv", ".jsonl", ".parquet")

#: Column -> Parquet type, in output order: one row per measurement.
MEASUREMENT_COLUMNS: dict[str, str] = {
    "measurement_id": "string",
    "compound": "string",
    "compound_key": "string",
    "formula": "string",
    "property": "string",
    "value": "float64",
    "value_max": "float64",
    "unit": "string",
    "confidence": "float64",
    "doi": "string",
    "title": "string",
    "year": "int64",
    "sentence": "string",
    "doc_id": "string",
    "model": "string",
    "superseded": "bool",
}

#: Column -> Parquet type for ``per_compound`` rows (one per compound, property and unit).
COMPOUND_COLUMNS: dict[str, str] = {
    "compound_key": "string",
    "compound": "string",
    "formula": "string",
    "property": "string",
    "unit": "string",
    "median": "float64",
    "min": "float64",
    "max": "float64",
    "count": "int64",
    "sources": "list<string>",
}

_RETURN = """
RETURN m.id AS measurement_id, m.compound AS compound, c.key AS compound_key,
       c.formula AS formula, p.name AS property, m.value AS value, m.value_max AS value_max,
       m.unit AS unit, m.confidence AS confidence, d.doi AS doi, d.title AS title,
       d.year AS year, m.sentence AS sentence, d.id AS doc_id, m.model AS model,
       m.superseded AS superseded
ORDER BY property, compound_key, value, measurement_id
""".strip()


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which measurements to export. Empty / None fields do not filter."""

    properties: tuple[str, ...] = ()
    unit: str | None = None
    min_confidence: float | None = None
    year_from: int | None = None
    year_to: int | None = None
    include_superseded: bool = False


def measurement_query(flt: ExportFilter) -> tuple[str, dict[str, Any]]:
    """The Cypher text and parameters selecting one row per measurement."""
    conds: list[str] = []
    params: dict[str, Any] = {}
    if not flt.include_superseded:
        conds.append("m.superseded = false")
    if flt.properties:
        conds.append("p.name IN $properties")
        params["properties"] = list(flt.properties)
    if flt.unit is not None:
        conds.append("m.unit = $unit")
        params["unit"] = flt.unit
    if flt.min_confidence is not None:
        conds.append("m.confidence >= $min_confidence")
        params["min_confidence"] = float(flt.min_confidence)
    if flt.year_from is not None:
        conds.append("d.year >= $year_from")
        params["year_from"] = int(flt.year_from)
    if flt.year_to is not None:
        conds.append("d.year <= $year_to")
        params["year_to"] = int(flt.year_to)
    text = (
        "MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement)-[:OF_PROPERTY]->(p:Property),\n"
        "      (m)-[:FROM_DOCUMENT]->(d:Document)\n"
    )
    if conds:
        text += "WHERE " + "\n  AND ".join(conds) + "\n"
    return text + _RETURN, params


def measurement_rows(store: GraphStore, flt: ExportFilter = ExportFilter()) -> list[dict[str, Any]]:
    """One dict per measurement, keyed by :data:`MEASUREMENT_COLUMNS`."""
    cypher, params = measurement_query(flt)
    return store.query(cypher, params)


def per_compound(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Aggregate measurement rows per (compound key, property, unit).

    Units are not converted here: rows in different units stay in different groups, so a
    median never mixes K and °C. ``compound`` is the name the compound was written as most
    often (ties: first seen); ``sources`` lists each paper once, by DOI where it has one.
    """
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["compound_key"], row["property"], row["unit"]), []).append(row)
    out = []
    for (key, prop, unit), group in sorted(groups.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        values = [r["value"] for r in group]
        names = [r["compound"] for r in group]
        sources = sorted({r["doi"] or r["doc_id"] for r in group})
        out.append(
            {
                "compound_key": key,
                "compound": max(names, key=names.count),
                "formula": next((r["formula"] for r in group if r["formula"]), None),
                "property": prop,
                "unit": unit,
                "median": float(statistics.median(values)),
                "min": min(values),
                "max": max(values),
                "count": len(group),
                "sources": sources,
            }
        )
    return out


def _cell(value: Any) -> Any:
    """CSV cell: lists as JSON (unambiguous even when a DOI holds a separator), None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_rows(rows: Sequence[dict[str, Any]], path: str | os.PathLike[str], columns: dict[str, str]) -> int:
    """Write ``rows`` to ``path`` in the format its suffix names; return the row count.

    The file appears complete or not at all (written beside it, then renamed), so a nightly
    export never leaves half a training set behind.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise GraphError(f"{path}: unknown export format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        if suffix == ".csv":
            with tmp.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([_cell(row.get(c)) for c in columns])
        elif suffix == ".jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
        else:
            _write_parquet(rows, tmp, columns)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(rows)


def _write_parquet(rows: Sequence[dict[str, Any]], path: Path, columns: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "float64": pa.float64(), "int64": pa.int64(), "bool": pa.bool_(),
             "list<string>": pa.list_(pa.string())}
    schema = pa.schema([(c, types[t]) for c, t in columns.items()])
    table = pa.table({c: pa.array([r.get(c) for r in rows], type=schema.field(c).type) for c in columns}, schema=schema)
    pq.write_table(table, path)


def export(
    store: GraphStore,
    out: str | os.PathLike[str],
    flt: ExportFilter = ExportFilter(),
    *,
    aggregate: bool = False,
) -> int:
    """Export measurements (or, with ``aggregate``, per-compound summaries) to ``out``.

    Returns the number of rows written. The format follows the suffix: ``.csv``, ``.jsonl``
    or ``.parquet``."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:  # fail before querying a large graph
        raise GraphError(f"{out}: unknown export format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    rows = measurement_rows(store, flt)
    if aggregate:
        return write_rows(per_compound(rows), out, COMPOUND_COLUMNS)
    return write_rows(rows, out, MEASUREMENT_COLUMNS)
