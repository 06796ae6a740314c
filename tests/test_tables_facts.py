"""Facts from tables: header names the property (unit in parentheses), a column names compounds."""

from lit.extract.document import DocumentBuilder, DocumentInfo, content_id
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.tables import table_facts


def _doc(rows, caption=None):
    doc_id, sha = content_id(repr(rows).encode())
    b = DocumentBuilder(DocumentInfo(doc_id=doc_id, source="mem.html", format="html", sha256=sha))
    b.start_section("Results")
    b.add_paragraph("The values are collected in Table 1.")
    b.add_table(rows, caption=caption)
    return b.build()


def test_tables_facts_from_property_header_with_unit() -> None:
    doc = _doc(
        [["Element", "Curie temperature (K)", "Structure"], ["Fe", "1043", "bcc"], ["Ni", "627", "fcc"], ["Gd", "n/a", "hcp"]],
        caption="Table 1. Curie temperatures of the elemental ferromagnets.",
    )
    facts = table_facts(doc, PropertyVocabulary.load())
    assert [(f.compound, f.property, f.value, f.unit) for f in facts] == [
        ("Fe", "curie_temperature", 1043.0, "K"),
        ("Ni", "curie_temperature", 627.0, "K"),
    ]
    for fact in facts:  # faithfulness: offsets point at the strings
        assert doc.text[fact.compound_start : fact.compound_end] == fact.compound
        assert doc.text[fact.value_start : fact.value_end].startswith(str(int(fact.value)))
        assert doc.text[fact.start : fact.end] == fact.sentence
        assert fact.section == "Results"


def test_tables_tc_header_read_in_caption_context_and_converted() -> None:
    doc = _doc([["Compound", "Tc (K)", "Tm (°C)"], ["MgB2", "39", ""], ["NaCl", "", "801"]],
               caption="Superconducting transition temperatures and melting points.")
    facts = {(f.compound, f.property): f for f in table_facts(doc, PropertyVocabulary.load())}
    assert facts[("MgB2", "superconducting_transition_temperature")].value == 39.0
    melting = facts.get(("NaCl", "melting_point"))
    assert melting is not None and abs(melting.value - 1074.15) < 1e-6 and melting.unit == "K"


def test_tables_without_property_header_give_nothing() -> None:
    doc = _doc([["Sample", "Supplier"], ["A", "Acme"]])
    assert table_facts(doc, PropertyVocabulary.load()) == []
