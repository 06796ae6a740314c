"""Faithfulness on real articles: every fact's strings sit at the offsets it records.

Runs the pipeline over the publisher HTML/XML fixtures and two PDFs; whatever it extracts
must point at its own evidence. The default run uses the rule mentions only (the assembly,
offsets and tables are the same code either way); the full run with the NER model takes
minutes on two cores and is opt-in (``-m slow``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lit.extract.pipeline import Extractor
from lit.extract.readers import read_document

PDFS = ("parser_samples/cermine/test2.pdf", "parser_samples/grobid/two_pages.pdf")




def _articles(fixtures_dir: Path) -> list[Path]:
    data = fixtures_dir / "publisher_articles" / "tests" / "data"
    found = sorted(p for p in data.rglob("*") if p.suffix in {".html", ".xml"})
    found += sorted((fixtures_dir / "parser_samples" / "jats_pmc").glob("*.nxml"))
    return found + [fixtures_dir / p for p in PDFS]


def _check(extractor: Extractor, fixtures_dir: Path) -> None:
    total = 0
    for path in _articles(fixtures_dir):
        doc = read_document(path)
        facts, _ = extractor.extract(doc)
        for fact in facts:
            total += 1
            where = f"{path.name}: {fact.compound} {fact.property} {fact.raw_value}"
            assert doc.text[fact.start : fact.end] == fact.sentence, where
            assert doc.text[fact.compound_start : fact.compound_end] == fact.compound, where
            value_text = doc.text[fact.value_start : fact.value_end]
            assert value_text and (value_text in fact.raw_value or fact.raw_value.startswith(value_text)), where
            assert fact.start <= fact.value_start and fact.value_end <= fact.end, where
            assert 0.0 <= fact.confidence <= 1.0 and fact.doc_id == doc.doc_id, where
    assert total > 20, f"only {total} facts from the fixtures"


def test_pipeline_facts_are_faithful_on_real_articles(fixtures_dir: Path) -> None:
    _check(Extractor(tagger=None), fixtures_dir)


@pytest.mark.slow
def test_pipeline_facts_are_faithful_on_real_articles_with_the_ner_model(fixtures_dir: Path) -> None:
    _check(Extractor.load(), fixtures_dir)
