"""Entity-level scoring, exact span and type (models/ner/evaluate.py)."""

import pytest

from lit.models.ner.evaluate import score_spans


def test_ner_evaluate_exact_match_counts():
    gold = [[(0, 4, "COMPOUND"), (10, 14, "VALUE")], [(0, 3, "PROPERTY")]]
    pred = [[(0, 4, "COMPOUND"), (10, 13, "VALUE")], [(0, 3, "VALUE")]]
    s = score_spans(gold, pred).to_dict()
    # 1 TP; partial value = FP+FN; wrong type = FP+FN
    assert s["micro"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["micro"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["per_label"]["COMPOUND"]["f1"] == 1.0
    assert s["per_label"]["PROPERTY"]["recall"] == 0.0 and s["per_label"]["PROPERTY"]["support"] == 1
    assert s["per_label"]["VALUE"]["precision"] == 0.0


def test_ner_evaluate_empty_and_mismatched_lengths():
    assert score_spans([[]], [[]]).to_dict()["micro"]["f1"] == 0.0
    with pytest.raises(ValueError):
        score_spans([[]], [])
