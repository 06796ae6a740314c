"""The fact set written in this project (lit.models.evaluate_facts): its gold is well formed and
its loader names the file and line of a bad row. Scoring is tested in test_benchmark_score.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lit.errors import CorpusError
from lit.models.evaluate_facts import GOLD_UNITS, PROPERTIES, SPLITS, load_eval_set


# --- the gold set -------------------------------------------------------------------------------


def test_evaluate_facts_gold_set_is_well_formed():
    texts = load_eval_set("all")
    assert {t.split for t in texts} == set(SPLITS)
    assert len(texts) >= 40
    assert len({t.id for t in texts}) == len(texts)
    for t in texts:
        assert 2 <= t.text.count(". ") + 1 <= 8, t.id  # short texts of a few sentences
        for g in t.facts:
            assert g.property in PROPERTIES and g.unit == GOLD_UNITS[g.property]
            assert g.keys, (t.id, g.compound)
            assert g.value > 0 and (g.value_max is None or g.value_max > g.value)
    abstracts = load_eval_set("abstracts")
    assert abstracts and all(t.split == "abstracts" for t in abstracts)


def test_evaluate_facts_loader_names_file_and_line(tmp_path: Path):
    good = {"id": "x", "text": "t", "facts": []}
    bad = {"id": "y", "text": "t", "facts": [{"compound": "GaN", "property": "colour", "value": 1, "unit": "eV"}]}
    (tmp_path / "abstracts.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(CorpusError, match=r"abstracts\.jsonl:2: property 'colour'"):
        load_eval_set("abstracts", tmp_path)
    with pytest.raises(CorpusError, match=r"results\.jsonl: evaluation split not found"):
        load_eval_set("results", tmp_path)
    with pytest.raises(CorpusError, match="unknown split"):
        load_eval_set("train", tmp_path)
    wrong_unit = {"id": "z", "text": "t", "facts": [{"compound": "Ni", "property": "curie_temperature", "value": 354, "unit": "°C"}]}
    (tmp_path / "results.jsonl").write_text(json.dumps(wrong_unit) + "\n")
    with pytest.raises(CorpusError, match=r"results\.jsonl:1: curie_temperature must be in K"):
        load_eval_set("results", tmp_path)

