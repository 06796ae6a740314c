"""``lit query`` end to end: a real embedded graph, CliRunner, exit codes and exact output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from lit.cli.main import app
from lit.cli.query import parse_param
from lit.graph.embedded import EmbeddedStore
from tests import graph_samples as gs

CURIE = (
    "MATCH (c:Compound)-[:HAS_MEASUREMENT]->(m:Measurement)-[:OF_PROPERTY]->(p:Property {name: $prop}) "
    "WHERE m.value > $above RETURN c.key AS compound, m.value AS value, m.flags AS flags, "
    "m.section AS section ORDER BY value"
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "g"
    with EmbeddedStore(path) as s:
        s.upsert(gs.DOCS, gs.facts(), gs.run())
    return str(path)


def _expected(above: float) -> list[dict]:
    facts = sorted((f for f in gs.facts() if f.property == "curie_temperature" and f.value > above),
                   key=lambda f: f.value)
    return [{"compound": f.compound_key or f.compound, "value": f.value, "flags": f.flags,
             "section": f.section} for f in facts]


def _run(*args: str):
    return CliRunner().invoke(app, ["query", *args])


def test_cli_query_json_is_rows_keyed_by_return_names(graph: str) -> None:
    result = _run(CURIE, "--graph", graph, "--param", "prop=curie_temperature", "--param", "above=700", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = _expected(700)
    assert result.stdout == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert result.stderr == f"({len(expected)} rows)\n"


def test_cli_query_csv(graph: str) -> None:
    result = _run(CURIE, "-g", graph, "-p", "prop=curie_temperature", "-p", "above=0", "-f", "csv")
    assert result.exit_code == 0, result.output
    lines = ["compound,value,flags,section"] + [
        f"{r['compound']},{r['value']},[],{r['section']}" for r in _expected(0)
    ]
    assert result.stdout == "\n".join(lines) + "\n"


def test_cli_query_table(graph: str) -> None:
    result = _run(
        "MATCH (d:Document) WHERE d.year >= $y RETURN d.journal AS journal, d.year AS year ORDER BY year",
        "--graph", graph, "--param", "y=2010",
    )
    assert result.exit_code == 0, result.output
    docs = sorted((d for d in gs.DOCS if d.year >= 2010), key=lambda d: d.year)
    width = max(len("journal"), *(len(d.journal) for d in docs))
    expected = [f"{'journal'.ljust(width)}  year", f"{'-' * width}  ----"]
    expected += [f"{d.journal.ljust(width)}  {d.year}" for d in docs]
    assert result.stdout == "\n".join(expected) + "\n"
    assert result.stderr == f"({len(docs)} rows)\n"


def test_cli_query_no_rows(graph: str) -> None:
    result = _run("MATCH (d:Document {doi: $doi}) RETURN d.id AS id", "-g", graph, "-p", "doi=10.1/none", "-f", "json")
    assert result.exit_code == 0 and result.stdout == "[]\n" and result.stderr == "(0 rows)\n"
    table = _run("MATCH (d:Document {doi: $doi}) RETURN d.id AS id", "-g", graph, "-p", "doi=10.1/none")
    assert table.exit_code == 0 and table.stdout == ""


def test_cli_query_list_param_as_json(graph: str) -> None:
    result = _run(
        "MATCH (p:Property) WHERE p.name IN $names RETURN p.name AS name ORDER BY name",
        "-g", graph, "-p", 'names=["band_gap", "density"]', "-f", "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"name": "band_gap"}]


def test_cli_query_refuses_writes(graph: str) -> None:
    result = _run("MATCH (m:Measurement) DETACH DELETE m", "--graph", graph)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: [E301] query refused on {graph}: `DETACH` writes")
    check = _run("MATCH (m:Measurement) RETURN count(m) AS n", "-g", graph, "-f", "csv")
    assert check.stdout == f"n\n{len(gs.facts())}\n"


def test_cli_query_missing_graph_and_bad_cypher(tmp_path: Path, graph: str) -> None:
    missing = _run("RETURN 1 AS x", "--graph", str(tmp_path / "nothing"))
    assert missing.exit_code == 1 and "nothing has been ingested" in missing.stderr
    bad = _run("MATCH (n:Nope) RETURN n", "--graph", graph)
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: [E300]") and "query failed" in bad.stderr


def test_cli_query_bad_param_is_a_usage_error(graph: str) -> None:
    result = _run("RETURN 1 AS x", "--graph", graph, "--param", "novalue")
    assert result.exit_code == 2 and "expected NAME=VALUE" in result.stderr


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("y=2015", 2015), ("t=-3", -3), ("x=1.5", 1.5), ("x=1e-3", 1e-3), ("b=true", True),
        ("b=false", False), ("n=null", None), ("l=[1, 2]", [1, 2]), ('o={"a": 1}', {"a": 1}),
        ('s="42"', "42"), ("doi=10.1021/jacs.5b0001", "10.1021/jacs.5b0001"),
        ("name=CH3NH3PbI3", "CH3NH3PbI3"), ("e=", ""), ("eq=a=b", "a=b"), ("bad=[1,", "[1,"),
        ("v=1.2.3", "1.2.3"), ("nan=NaN", "NaN"),
    ],
)
def test_cli_query_param_typing(text: str, value: object) -> None:
    name, got = parse_param(text)
    assert name == text.split("=", 1)[0]
    assert got == value and type(got) is type(value)


def test_cli_query_param_needs_a_name() -> None:
    with pytest.raises(typer.BadParameter):
        parse_param("=3")


def test_cli_query_imports_no_model_libraries() -> None:
    code = (
        "import sys, lit.cli.query, lit.cli.export, lit.graph.embedded, lit.graph.export, lit.graph.recipes; "
        "print(sorted(m for m in ('torch', 'transformers', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_query_runs_a_named_recipe(graph: str) -> None:
    from lit.graph.recipes import CONFLICTING_VALUES

    args = ["-g", graph, "-p", "compound=CH3NH3PbI3", "-p", "tolerance=0.01", "-f", "json"]
    by_name = _run("--recipe", "conflicting_values", *args)
    by_text = _run(CONFLICTING_VALUES, *args)
    assert by_name.exit_code == 0 and by_name.stdout == by_text.stdout
    assert json.loads(by_name.stdout)[0]["property"] == "band_gap"


def test_cli_query_recipe_usage_errors(graph: str) -> None:
    unknown = _run("--recipe", "nope", "-g", graph)
    assert unknown.exit_code == 2 and "unknown recipe 'nope'" in unknown.stderr
    both = _run("RETURN 1 AS x", "--recipe", "facts_from_paper", "-g", graph)
    assert both.exit_code == 2 and "either a Cypher query or --recipe" in both.stderr
    neither = _run("-g", graph)
    assert neither.exit_code == 2
