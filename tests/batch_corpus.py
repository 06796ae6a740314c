"""Generated test corpora for the batch, ingest and Ray tests: many small real files.

Every document is a real HTML page (or JATS XML article) with a property table, read by
the real readers; the table rows differ per document (values depend on the index), so
each document has its own facts and its own content hash. Text we wrote; nothing copied.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

COMPOUNDS = ["Fe3O4", "CrO2", "EuO", "NiO", "GaAs", "ZnO", "TiO2", "CdTe", "SnS", "MoS2"]


def rows_of(i: int, n_rows: int = 3) -> list[tuple[str, float, float]]:
    """(compound, band gap in eV, Curie temperature in K) rows of document ``i``."""
    rows = []
    for r in range(n_rows):
        compound = COMPOUNDS[(i + r) % len(COMPOUNDS)]
        rows.append((compound, round(0.5 + (i * 7 + r) % 300 / 100, 2), 100 + (i * 13 + r * 5) % 900))
    return rows


def html_doc(i: int, n_rows: int = 3) -> str:
    body = "".join(f"<tr><td>{c}</td><td>{g}</td><td>{t}</td></tr>" for c, g, t in rows_of(i, n_rows))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>Generated report {i} on oxide semiconductors</title></head><body><article>"
        f"<h1>Generated report {i} on oxide semiconductors</h1>"
        f"<p>Sample set {i} was grown by sputtering and measured at room temperature.</p>"
        "<table><caption>Table 1. Measured band gaps and Curie temperatures.</caption>"
        "<thead><tr><th>Compound</th><th>Band gap (eV)</th><th>Curie temperature (K)</th></tr></thead>"
        f"<tbody>{body}</tbody></table></article></body></html>"
    )


def jats_doc(i: int, n_rows: int = 3) -> str:
    body = "".join(f"<tr><td>{c}</td><td>{g}</td></tr>" for c, g, _ in rows_of(i, n_rows))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<article article-type="research-article"><front><article-meta>'
        f"<title-group><article-title>Generated JATS article {i}</article-title></title-group>"
        "</article-meta></front><body><sec><title>Results</title>"
        f"<p>Optical absorption of sample set {i} gives the gaps below.</p>"
        '<table-wrap id="t1"><label>Table 1</label><caption><p>Band gaps.</p></caption><table>'
        "<thead><tr><th>Compound</th><th>Band gap (eV)</th></tr></thead>"
        f"<tbody>{body}</tbody></table></table-wrap></sec></body></article>"
    )


def make_corpus(folder: Path, n: int, n_rows: int = 3) -> list[Path]:
    """``n`` HTML documents in ``folder`` (created); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"doc{i:04d}.html"
        path.write_text(html_doc(i, n_rows), encoding="utf-8")
        paths.append(path)
    return paths


def expected_table_facts(n: int, n_rows: int = 3) -> int:
    """Facts the HTML documents state: two property columns per row."""
    return 2 * n * n_rows


def read_facts(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def require_html_reader() -> None:
    """The HTML/XML readers come from another engineer; until they land, skip (not fail)."""
    pytest.importorskip("lit.extract.readers.html", reason="HTML reader (extract/readers/html.py) not there yet")
    pytest.importorskip("lit.extract.readers.xml", reason="XML reader (extract/readers/xml.py) not there yet")
