"""End to end on the sample corpus we wrote: the facts it states come out, faithfully.

Uses the committed NER model (loaded offline from models/trained) with the rule mentions,
and the real readers.
``corpora/sample_expected.jsonl`` lists every fact the four documents state.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lit.extract.normalize.compounds import normalize_compound
from lit.extract.pipeline import Extractor
from lit.extract.readers import read_document

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """The default pipeline: the default bundle's NER model plus rule mentions."""
    return Extractor.load()


@pytest.fixture(scope="module")
def sample_results(extractor: Extractor) -> dict[str, tuple]:
    out = {}
    for path in sorted((REPO / "corpora" / "sample").iterdir()):
        doc = read_document(path)
        facts, _ = extractor.extract(doc)
        out[path.name] = (doc, facts)
    return out


def _key(text: str) -> str:
    info = normalize_compound(text)
    return info.key if info else text.lower()


def _matches(expected: dict, fact) -> bool:
    keys = {fact.compound_key, _key(fact.compound)}
    return (
        _key(expected["compound"]) in keys
        and fact.property == expected["property"]
        and fact.unit == expected["unit"]
        and abs(fact.value - expected["value"]) <= 1e-6 * max(1.0, abs(expected["value"]))
    )


def test_pipeline_sample_recall_and_precision(sample_results) -> None:
    expected = [json.loads(l) for l in (REPO / "corpora" / "sample_expected.jsonl").read_text().splitlines() if l]
    found = [e for e in expected if any(_matches(e, f) for f in sample_results[e["file"]][1])]
    all_facts = [(name, f) for name, (_, facts) in sample_results.items() for f in facts]
    correct = [
        (name, f) for name, f in all_facts if any(_matches(e, f) for e in expected if e["file"] == name)
    ]
    recall = len(found) / len(expected)
    precision = len(correct) / max(1, len(all_facts))
    missed = [e for e in expected if e not in found]
    wrong = [(n, f.compound, f.property, f.value, f.unit) for n, f in all_facts if (n, f) not in correct]
    print(f"sample corpus: recall {recall:.2f} precision {precision:.2f}\nmissed {missed}\nwrong {wrong}")
    assert recall >= 0.8, missed
    assert precision >= 0.8, wrong


def test_pipeline_sample_table_facts_are_all_found(sample_results) -> None:
    _, facts = sample_results["magnetic_oxides.html"]
    table = {(f.compound, f.value) for f in facts if f.model.startswith("lit-table")}
    assert {("Fe", 1043.0), ("Co", 1388.0), ("Ni", 627.0), ("Gd", 292.0)} <= table


def test_pipeline_sample_facts_are_faithful_to_their_offsets(sample_results) -> None:
    for name, (doc, facts) in sample_results.items():
        assert facts, f"no facts from {name}"
        for fact in facts:
            assert doc.text[fact.start : fact.end] == fact.sentence, (name, fact)
            assert doc.text[fact.compound_start : fact.compound_end] == fact.compound, (name, fact)
            assert doc.text[fact.value_start : fact.value_end] in fact.raw_value or fact.raw_value.startswith(
                doc.text[fact.value_start : fact.value_end]
            ), (name, fact)
            assert 0.0 <= fact.confidence <= 1.0
            assert fact.model and fact.doc_id == doc.doc_id


def test_pipeline_sample_is_deterministic(extractor: Extractor, sample_results) -> None:
    doc, facts = sample_results["halide_perovskites.txt"]
    again, _ = extractor.extract(read_document(doc.info.source))
    assert sorted(f.fact_id for f in again) == sorted(f.fact_id for f in facts)
