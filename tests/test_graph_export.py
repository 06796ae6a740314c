"""Export from a real embedded store to CSV, JSON Lines and Parquet (read back with pyarrow)."""

from __future__ import annotations

import csv
import json
import statistics
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from lit.cli.main import app
from lit.errors import GraphError
from lit.graph import export as ex
from lit.graph.embedded import EmbeddedStore
from tests import graph_samples as gs


@pytest.fixture()
def graph(tmp_path: Path) -> Path:
    """A graph where paper 0 was re-extracted by a newer model (one superseded measurement)."""
    path = tmp_path / "g"
    with EmbeddedStore(path) as s:
        s.upsert(gs.DOCS, gs.facts(), gs.run())
        v2 = [f for f in gs.facts(gs.MODEL_V2) if f.doc_id == gs.DOCS[0].doc_id]
        v2[1] = replace(v2[1], value=2.31, raw_value="2.31 eV")
        s.upsert([gs.DOCS[0]], v2, gs.run("run-2", "2026-11-26T02:00:00+00:00", gs.MODEL_V2, 2))
    return path


def _current() -> list:
    """The samples' facts as they stand after the fixture's re-extraction."""
    facts = [f for f in gs.facts() if f.doc_id != gs.DOCS[0].doc_id]
    v2 = [f for f in gs.facts(gs.MODEL_V2) if f.doc_id == gs.DOCS[0].doc_id]
    v2[1] = replace(v2[1], value=2.31, raw_value="2.31 eV")
    return facts + v2


def test_export_measurements_to_parquet_round_trips(graph: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "gaps.parquet"
    with EmbeddedStore(graph, read_only=True) as store:
        n = ex.export(store, out)
    table = pq.read_table(out)
    assert n == table.num_rows == len(_current())
    assert table.column_names == list(ex.MEASUREMENT_COLUMNS)
    assert str(table.schema.field("value").type) == "double" and str(table.schema.field("year").type) == "int64"
    rows = {r["measurement_id"]: r for r in table.to_pylist()}
    docs = {d.doc_id: d for d in gs.DOCS}
    for fact in _current():
        row = rows[fact.fact_id]
        assert (row["compound"], row["property"], row["value"], row["unit"]) == (
            fact.compound, fact.property, fact.value, fact.unit)
        assert row["confidence"] == fact.confidence and row["sentence"] == fact.sentence
        assert row["doi"] == docs[fact.doc_id].doi and row["year"] == docs[fact.doc_id].year
        assert row["superseded"] is False and row["model"] == fact.model
    assert not list(out.parent.glob(".*.part"))  # no partial file left behind


def test_export_filters(graph: Path, tmp_path: Path) -> None:
    with EmbeddedStore(graph, read_only=True) as store:
        def ids(**kw: object) -> set[str]:
            return {r["measurement_id"] for r in ex.measurement_rows(store, ex.ExportFilter(**kw))}

        facts = _current()
        years = {d.doc_id: d.year for d in gs.DOCS}
        assert ids(properties=("curie_temperature",)) == {f.fact_id for f in facts if f.property == "curie_temperature"}
        assert ids(unit="K") == {f.fact_id for f in facts if f.unit == "K"}
        assert ids(min_confidence=0.9) == {f.fact_id for f in facts if f.confidence >= 0.9}
        assert ids(year_from=2010, year_to=2016) == {f.fact_id for f in facts if 2010 <= years[f.doc_id] <= 2016}
        everything = ids(include_superseded=True)
        assert len(everything) == len(facts) + 1 and ids() < everything
        assert ids(properties=("band_gap",), min_confidence=0.95, year_from=2019) == {
            f.fact_id for f in facts if f.property == "band_gap" and f.confidence >= 0.95 and years[f.doc_id] >= 2019
        }


def test_export_per_compound_aggregates(graph: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.jsonl"
    with EmbeddedStore(graph, read_only=True) as store:
        n = ex.export(store, out, ex.ExportFilter(properties=("band_gap",)), aggregate=True)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert n == len(rows) == len({f.compound_key or f.compound for f in _current() if f.property == "band_gap"})
    mapbi = next(r for r in rows if r["compound_key"] == "CH3NH3PbI3")
    values = [f.value for f in _current() if f.compound == "CH3NH3PbI3"]
    assert mapbi["median"] == pytest.approx(statistics.median(values))
    assert (mapbi["min"], mapbi["max"], mapbi["count"]) == (min(values), max(values), len(values))
    assert mapbi["sources"] == sorted(d.doi for d in gs.DOCS[:2])
    assert list(rows[0]) == list(ex.COMPOUND_COLUMNS)


def test_export_csv_keeps_lists_and_newlines(graph: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.csv"
    with EmbeddedStore(graph, read_only=True) as store:
        ex.export(store, out, aggregate=True)
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(ex.COMPOUND_COLUMNS)
    mapbi = next(r for r in rows if r["compound_key"] == "CH3NH3PbI3")
    assert json.loads(mapbi["sources"]) == sorted(d.doi for d in gs.DOCS[:2])
    assert int(mapbi["count"]) == 2
    # Multi-line sentences survive CSV quoting.
    rows = [{c: None for c in ex.MEASUREMENT_COLUMNS} | {"sentence": "a\nb, \"c\"", "value": 1.0}]
    ex.write_rows(rows, tmp_path / "m.csv", ex.MEASUREMENT_COLUMNS)
    with (tmp_path / "m.csv").open(newline="", encoding="utf-8") as fh:
        back = list(csv.DictReader(fh))
    assert back[0]["sentence"] == "a\nb, \"c\"" and back[0]["doi"] == ""


def test_export_unknown_format_is_refused_before_querying(graph: Path, tmp_path: Path) -> None:
    with EmbeddedStore(graph, read_only=True) as store:
        with pytest.raises(GraphError, match=r"unknown export format \.xlsx"):
            ex.export(store, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_export_cli_writes_file_and_reports(graph: Path, tmp_path: Path) -> None:
    out = tmp_path / "gaps.parquet"
    result = CliRunner().invoke(
        app,
        ["export", "--graph", str(graph), "--out", str(out), "--property", "band_gap",
         "--min-confidence", "0.5", "--year-from", "2010", "--year-to", "2024"],
    )
    assert result.exit_code == 0, result.output
    expected = [f for f in _current() if f.property == "band_gap" and f.confidence >= 0.5]
    assert result.stderr == f"Wrote {len(expected)} measurements to {out}\n"
    assert set(pq.read_table(out).column("measurement_id").to_pylist()) == {f.fact_id for f in expected}


def test_export_cli_usage_errors(graph: Path, tmp_path: Path) -> None:
    """Each misuse is one plain ``Error:`` line (no box wrapped at the terminal's width)."""
    runner = CliRunner()
    bad = runner.invoke(app, ["export", "--graph", str(graph), "--out", str(tmp_path / "x.txt")])
    assert bad.exit_code == 2
    assert bad.stderr == f"Error: [E010] --out {tmp_path / 'x.txt'}: the suffix must be one of .csv, .jsonl, .parquet\n"
    years = runner.invoke(app, ["export", "--graph", str(graph), "--out", str(tmp_path / "x.csv"),
                                "--year-from", "2020", "--year-to", "2010"])
    assert years.exit_code == 2 and years.stderr == "Error: [E010] --year-from 2020 is after --year-to 2010\n"
    missing = runner.invoke(app, ["export", "--graph", str(tmp_path / "none"), "--out", str(tmp_path / "x.csv")])
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: [E300]")


@pytest.mark.bolt
def test_export_same_rows_from_neo4j_and_embedded(neo4j_store, graph: Path, tmp_path: Path) -> None:
    """The export's one Cypher text gives the same rows on a Bolt server as on the embedded store."""
    neo4j_store.upsert(gs.DOCS, gs.facts(), gs.run())
    v2 = [f for f in gs.facts(gs.MODEL_V2) if f.doc_id == gs.DOCS[0].doc_id]
    v2[1] = replace(v2[1], value=2.31, raw_value="2.31 eV")
    neo4j_store.upsert([gs.DOCS[0]], v2, gs.run("run-2", "2026-11-26T02:00:00+00:00", gs.MODEL_V2, 2))
    with EmbeddedStore(graph, read_only=True) as embedded:
        for flt in (ex.ExportFilter(), ex.ExportFilter(properties=("band_gap",), min_confidence=0.5,
                                                       year_from=2010, include_superseded=True)):
            want = ex.measurement_rows(embedded, flt)
            got = ex.measurement_rows(neo4j_store, flt)
            assert got == want and want
            assert ex.per_compound(got) == ex.per_compound(want)
