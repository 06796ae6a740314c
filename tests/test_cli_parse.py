"""`lit parse`: the JSON contract other tools rely on, and clear errors."""

import json
from pathlib import Path

from typer.testing import CliRunner

from lit.cli.main import app

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"
runner = CliRunner()


def test_cli_parse_json_contract_on_every_sample_format() -> None:
    for name in ("semiconductors.pdf", "magnetic_oxides.html", "superconductors.xml", "halide_perovskites.txt"):
        result = runner.invoke(app, ["parse", str(SAMPLE / name), "--json"])
        assert result.exit_code == 0, (name, result.output)
        out = json.loads(result.output)
        assert {"title", "doi", "sections", "tables", "sentences"} <= out.keys(), name
        assert out["title"], name
        assert all({"heading", "paragraphs"} <= s.keys() for s in out["sections"]), name
        assert out["sentences"] and all(s["end"] > s["start"] for s in out["sentences"]), name


def test_cli_parse_pdf_metadata_and_table_cells() -> None:
    pdf = json.loads(runner.invoke(app, ["parse", str(SAMPLE / "semiconductors.pdf"), "--json"]).output)
    assert pdf["doi"] == "10.5555/lit.sample.2026.001"
    headings = [s["heading"] for s in pdf["sections"] if s["heading"]]
    assert headings[-3:] == ["1. Introduction", "2. Results", "3. Conclusions"]
    text = " ".join(p for s in pdf["sections"] for p in s["paragraphs"])
    assert "elemental and compound" in text  # "elem-/ental" repaired across the line break
    assert "lit Sample Reports 2026" not in text  # running header dropped
    html = json.loads(runner.invoke(app, ["parse", str(SAMPLE / "magnetic_oxides.html"), "--json"]).output)
    assert html["tables"][0]["rows"][1] == ["Fe", "1043", "bcc"]


def test_cli_parse_reports_a_bad_file_by_name(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    result = runner.invoke(app, ["parse", str(bad)])
    assert result.exit_code == 1
    assert "broken.pdf" in result.output and "Error:" in result.output
