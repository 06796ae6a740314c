"""``lit report``'s page: what is in a graph at a glance.

Everything is read through ``GraphStore.query`` (the read-only path both stores share), with
Cypher that runs unchanged on the embedded store and on Neo4j (the dialect rules of
:mod:`lit.graph.recipes`). Counts are aggregated in Cypher; value and confidence histograms
need the numbers themselves, one row per current measurement. Plots are drawn by matplotlib
into SVG and placed inline, so the page is one file that opens offline.

Superseded measurements (older model versions) are left out, as in the recipes and exports.
"""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Sequence

from lit.graph.recipes import COMPOUNDS_WITH_MOST_DATA
from lit.graph.store import GraphStore
from lit.views.html import esc, number, page

PER_PROPERTY = """
MATCH (m:Measurement)-[:OF_PROPERTY]->(p:Property)
WHERE m.superseded = false
RETURN p.name AS property, p.unit AS unit, count(m) AS measurements
ORDER BY measurements DESC, property
""".strip()

PER_YEAR = """
MATCH (m:Measurement)-[:FROM_DOCUMENT]->(d:Document)
WHERE m.superseded = false
RETURN d.year AS year, count(m) AS measurements
""".strip()

VALUES = """
MATCH (m:Measurement)-[:OF_PROPERTY]->(p:Property)
WHERE m.superseded = false
RETURN p.name AS property, m.unit AS unit, m.value AS value, m.confidence AS confidence
""".strip()

DOCUMENTS = """
MATCH (d:Document)
RETURN d.id AS id, d.source AS source, d.title AS title, d.doi AS doi, d.year AS year
ORDER BY source, id
""".strip()

DOCUMENTS_WITH_FACTS = """
MATCH (m:Measurement)-[:FROM_DOCUMENT]->(d:Document)
WHERE m.superseded = false
RETURN DISTINCT d.id AS id
""".strip()

RUNS = """
MATCH (r:ExtractionRun)
RETURN r.id AS id, r.started AS started, r.finished AS finished, r.lit_version AS lit_version,
       r.models AS models, r.documents AS documents, r.facts AS facts, r.failures AS failures
ORDER BY started DESC, id
""".strip()

#: How many compounds the "most measurements" table lists.
TOP_COMPOUNDS = 20


@dataclass
class GraphSummary:
    """What the report shows, read from one store."""

    target: str
    per_property: list[dict[str, Any]]
    per_year: list[dict[str, Any]]
    #: property -> (canonical unit, values in it, count in other units)
    values: dict[str, tuple[str | None, list[float], int]]
    confidences: list[float]
    top_compounds: list[dict[str, Any]]
    documents: int
    without_facts: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    measurements: int = field(init=False)

    def __post_init__(self) -> None:
        self.measurements = sum(int(r["measurements"]) for r in self.per_property)


def summarize(store: GraphStore, target: str) -> GraphSummary:
    """Read everything the report shows from ``store``."""
    per_property = store.query(PER_PROPERTY)
    canonical = {r["property"]: r["unit"] for r in per_property}
    values: dict[str, list[float]] = defaultdict(list)
    others: dict[str, int] = defaultdict(int)
    confidences: list[float] = []
    for row in store.query(VALUES):
        if row["confidence"] is not None:
            confidences.append(float(row["confidence"]))
        value = row["value"]
        if value is None or not math.isfinite(float(value)):
            continue
        if row["unit"] == canonical.get(row["property"]):
            values[row["property"]].append(float(value))
        else:
            others[row["property"]] += 1
    documents = store.query(DOCUMENTS)
    with_facts = {r["id"] for r in store.query(DOCUMENTS_WITH_FACTS)}
    per_year = sorted(store.query(PER_YEAR), key=lambda r: (r["year"] is None, r["year"] or 0))
    return GraphSummary(
        target=target,
        per_property=per_property,
        per_year=per_year,
        values={p: (canonical.get(p), values.get(p, []), others.get(p, 0)) for p in canonical},
        confidences=confidences,
        top_compounds=store.query(COMPOUNDS_WITH_MOST_DATA, {"limit": TOP_COMPOUNDS}),
        documents=len(documents),
        without_facts=[d for d in documents if d["id"] not in with_facts],
        runs=store.query(RUNS),
    )


def report_page(summary: GraphSummary) -> str:
    """The whole page for ``summary``."""
    s = summary
    parts = [
        "<h1>lit graph report</h1>",
        f'<p class="meta">{esc(s.target)} · {s.measurements} current measurements · {len(s.per_property)} properties · '
        f"{s.documents} documents ({len(s.without_facts)} without facts) · {len(s.runs)} extraction runs</p>",
        "<h2>Facts per property and per year</h2>",
        '<div class="plots">',
        _figure("facts-per-property", "Current measurements per property", _bar_plot(
            [r["property"] for r in s.per_property], [int(r["measurements"]) for r in s.per_property], horizontal=True)),
        _figure("facts-per-year", "Current measurements per publication year (papers without a year as 'n/a')", _bar_plot(
            [str(r["year"]) if r["year"] is not None else "n/a" for r in s.per_year], [int(r["measurements"]) for r in s.per_year])),
        _figure("confidence", "Confidence of the current measurements", _histogram(s.confidences, "confidence", (0.0, 1.0))),
        "</div>",
        _property_table(s),
        "<h2>Value distributions (canonical unit)</h2>",
        '<div class="plots">',
        *(
            _figure(f"values-{_slug(prop)}", f"{prop} ({unit or 'no unit'}): {len(vals)} values"
                    + (f", {other} in other units left out" if other else ""), _histogram(vals, unit or "", None))
            for prop, (unit, vals, other) in s.values.items() if vals
        ),
        "</div>",
        _compounds_table(s.top_compounds),
        _documents_table(s.without_facts),
        _runs_table(s.runs),
    ]
    return page(f"lit graph report: {s.target}", "\n".join(parts))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def _figure(ident: str, caption: str, fig) -> str:
    """One plot (a matplotlib figure, or None when there is nothing to plot) with its caption."""
    drawn = _svg(fig, _slug(ident)) if fig is not None else '<p class="muted">nothing to plot</p>'
    return f'<figure id="{esc(_slug(ident))}">{drawn}<figcaption>{esc(caption)}</figcaption></figure>'


_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)([^"\)]+)')


def _svg(fig, prefix: str) -> str:
    """``fig`` as inline SVG markup, text kept as text (small, searchable). matplotlib names
    its elements alike in every figure (``figure_1``, ``axes_1``), so every id, and every
    reference to one, gets the figure's prefix: one page, no id twice."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix}):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return _SVG_ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text[text.index("<svg"):])


def _axes(height: float = 3.0):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(6.4, height))
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts
    return fig, ax


def _bar_plot(labels: Sequence[str], counts: Sequence[int], horizontal: bool = False):
    from matplotlib.ticker import MaxNLocator

    if not counts:
        return None
    if horizontal:
        fig, ax = _axes(max(2.0, 0.28 * len(labels) + 0.8))
        ax.barh(range(len(labels)), counts, color="#4c78a8")
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("measurements")
    else:
        fig, ax = _axes()
        ax.bar(range(len(labels)), counts, color="#4c78a8")
        ax.set_xticks(range(len(labels)), labels, rotation=45 if len(labels) > 8 else 0, ha="right" if len(labels) > 8 else "center")
        ax.set_ylabel("measurements")
    return fig


def _histogram(values: Sequence[float], xlabel: str, limits: tuple[float, float] | None):
    if not values:
        return None
    fig, ax = _axes()
    low, high = limits or (min(values), max(values))
    positive = limits is None and low > 0 and high / low > 1000
    if positive:  # values spanning decades (conductivities, mobilities): log-spaced bins
        import numpy as np

        bins = np.logspace(math.log10(low), math.log10(high), 30)
        ax.set_xscale("log")
    else:
        bins = 20 if limits else min(30, max(5, int(math.sqrt(len(values))) + 1))
    ax.hist(values, bins=bins, range=None if positive or high == low else (low, high), color="#4c78a8", edgecolor="white")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("measurements")
    return fig


def _property_table(s: GraphSummary) -> str:
    rows = []
    for r in s.per_property:
        unit, vals, other = s.values.get(r["property"], (None, [], 0))
        spread = f"{number(min(vals))} – {number(max(vals))}" if vals else ""
        rows.append(
            f'<tr class="property"><td>{esc(r["property"])}</td><td>{esc(unit)}</td><td class="num">{r["measurements"]}</td>'
            f'<td class="num">{esc(spread)}</td><td class="num">{other or ""}</td></tr>'
        )
    return (
        '<table class="rows" id="properties"><thead><tr><th>property</th><th>canonical unit</th>'
        '<th class="num">measurements</th><th class="num">range</th><th class="num">in other units</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _compounds_table(rows: Sequence[dict[str, Any]]) -> str:
    body = "".join(
        f'<tr class="compound"><td>{esc(r["compound"])}</td><td class="num">{r["measurements"]}</td>'
        f'<td class="num">{r["properties"]}</td><td class="num">{r["documents"]}</td></tr>'
        for r in rows
    )
    return (
        f"<h2>Compounds with the most measurements (top {TOP_COMPOUNDS})</h2>"
        '<table class="rows" id="compounds"><thead><tr><th>compound</th><th class="num">measurements</th>'
        f'<th class="num">properties</th><th class="num">documents</th></tr></thead><tbody>{body}</tbody></table>'
    )


def _documents_table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return '<h2>Documents without facts</h2><p class="muted" id="without-facts">Every document has facts.</p>'
    body = "".join(
        f'<tr class="document"><td>{esc(r["source"])}</td><td>{esc(r["title"])}</td><td>{esc(r["doi"])}</td>'
        f'<td class="num">{esc(r["year"])}</td></tr>'
        for r in rows
    )
    return (
        f"<h2>Documents without facts ({len(rows)})</h2>"
        '<table class="rows" id="without-facts"><thead><tr><th>source</th><th>title</th><th>DOI</th>'
        f'<th class="num">year</th></tr></thead><tbody>{body}</tbody></table>'
    )


def _runs_table(rows: Sequence[dict[str, Any]]) -> str:
    body = "".join(
        f'<tr class="run"><td><code>{esc(r["id"])}</code></td><td>{esc(r["started"])}</td>'
        f'<td>{esc(r["finished"]) or "<span class=flags>not finished</span>"}</td><td>{esc(r["lit_version"])}</td>'
        f'<td>{esc(", ".join(r["models"] or []))}</td><td class="num">{esc(r["documents"])}</td>'
        f'<td class="num">{esc(r["facts"])}</td><td class="num">{esc(r["failures"])}</td></tr>'
        for r in rows
    )
    return (
        "<h2>Extraction runs</h2>"
        '<table class="rows" id="runs"><thead><tr><th>run</th><th>started</th><th>finished</th><th>lit</th>'
        '<th>models</th><th class="num">documents</th><th class="num">facts</th><th class="num">failures</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
