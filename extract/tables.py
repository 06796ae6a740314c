"""Facts from tables: many properties are reported only there.

A table is read as a grid: the header row names properties (with the unit in
parentheses, "Curie temperature (K)", or in the caption), one column names the compounds
(the first column whose header says compound/material/sample/element, else the first
column), and every numeric cell under a property header becomes a Fact whose evidence
span is its row. Nothing here needs a model, so tables work even without NER.
"""

from __future__ import annotations

import re

from lit.extract.document import Document, Table, TextBlock
from lit.extract.facts import Fact
from lit.extract.normalize.compounds import CompoundInfo, normalize_compound
from lit.extract.normalize.properties import PropertyDef, PropertyVocabulary, Rejection
from lit.extract.normalize.values import parse_quantity

MODEL = "lit-table-rules-0.1"
_UNIT_IN_HEADER = re.compile(r"^(?P<name>.*?)\s*[(\[/,]\s*(?P<unit>[^()\[\]]+?)\s*[)\]]?\s*$")
_COMPOUND_HEADER = re.compile(r"compound|material|sample|element|system|composition|formula|polymer", re.I)
_NUMBER = re.compile(r"[-\u2212]?\d")
#: How much a table fact is trusted: the header decides the property, so less guessing than prose.
CONFIDENCE = 0.9


def _header_property(text: str, caption: str, vocab: PropertyVocabulary) -> tuple[PropertyDef, str] | None:
    """("Curie temperature (K)") -> (curie_temperature, "K"); "Tc (K)" is read in the
    caption's context (Curie or superconducting)."""
    match = _UNIT_IN_HEADER.match(text)
    if match and (prop := vocab.match(match.group("name"), caption)):
        return prop, match.group("unit")
    prop = vocab.match(text, caption)
    return (prop, "") if prop else None


def table_facts(doc: Document, vocab: PropertyVocabulary) -> list[Fact]:
    facts: list[Fact] = []
    for table in doc.tables:
        facts.extend(_facts_of(doc, table, vocab))
    return facts


def _facts_of(doc: Document, table: Table, vocab: PropertyVocabulary) -> list[Fact]:
    if len(table.rows) < 2:
        return []
    header = [doc.span(c) for c in table.rows[0]]
    caption = doc.span(table.caption) if table.caption else ""
    columns = {j: hp for j, text in enumerate(header) if (hp := _header_property(text, caption, vocab))}
    if not columns:
        return []
    name_col = next((j for j, t in enumerate(header) if _COMPOUND_HEADER.search(t)), 0)
    if name_col in columns:
        return []
    facts: list[Fact] = []
    for row in table.rows[1:]:
        if name_col >= len(row):
            continue
        name_cell = row[name_col]
        compound = normalize_compound(doc.span(name_cell))
        if compound is None:
            continue
        for j, (prop, header_unit) in columns.items():
            if j >= len(row):
                continue
            try:
                fact = _cell_fact(doc, table, row, name_cell, row[j], compound, prop, header_unit, header[j], vocab)
            except Exception as exc:  # noqa: BLE001 - a bad cell fails the cell, said in the notes
                doc.info.notes.append(f"table cell {doc.span(row[j])[:40]!r} left out ({type(exc).__name__}: {exc})")
                continue
            if fact is not None:
                facts.append(fact)
    return facts


def _cell_fact(
    doc: Document,
    table: Table,
    row: list[TextBlock],
    name_cell: TextBlock,
    cell: TextBlock,
    compound: CompoundInfo,
    prop: PropertyDef,
    header_unit: str,
    header_text: str,
    vocab: PropertyVocabulary,
) -> Fact | None:
    raw = doc.span(cell)
    if not _NUMBER.search(raw):
        return None
    quantity = parse_quantity(raw if not header_unit else f"{raw} {header_unit}")
    if quantity is None or quantity.value_span[0] >= len(raw):
        return None
    normalised = vocab.canonicalize(prop, quantity)
    if isinstance(normalised, Rejection):
        return None
    start, end = row[0].start, row[-1].end
    return Fact(
        compound=doc.span(name_cell),
        property=prop.name,
        value=normalised.value,
        value_max=normalised.value_max,
        unit=normalised.unit,
        raw_value=raw if not header_unit else f"{raw} ({header_unit})",
        confidence=CONFIDENCE,
        doc_id=doc.doc_id,
        source=doc.info.source,
        section=doc.section_heading(table.section),
        start=start,
        end=end,
        sentence=doc.text[start:end],
        model=MODEL,
        compound_key=compound.key,
        formula=compound.formula,
        property_text=header_text,
        compound_start=name_cell.start,
        compound_end=name_cell.end,
        value_start=cell.start + quantity.value_span[0],
        value_end=cell.start + min(quantity.value_span[1], len(raw)),
        flags=list(normalised.flags),
    )
