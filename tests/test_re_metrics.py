"""Decoding and metrics of the relation model on hand-made cases (models/re/decode.py, metrics.py)."""

import pytest

from lit.models.re.config import ReConfig
from lit.models.re.data import Instance, from_mentions
from lit.models.re.decode import Decoding, PredTuple, decode, fit_calibration, listed_numbers, reliability
from lit.models.re.evaluate import rule_tuples
from lit.models.re.metrics import prf, score

TEXT = "FAPbI3 and CsPbI3 show band gaps of 1.48 and 1.73 eV, respectively. The band gap of GaN is 3.4 eV."


def _m(text: str, label: str) -> tuple[int, int, str]:
    s = TEXT.index(text)
    return (s, s + len(text), label)


MENTIONS = [
    _m("FAPbI3", "COMPOUND"),  # 0
    _m("CsPbI3", "COMPOUND"),  # 1
    _m("band gaps", "PROPERTY"),  # 2
    _m("1.48 and 1.73 eV", "VALUE"),  # 3
    (TEXT.index("band gap of"), TEXT.index("band gap of") + 8, "PROPERTY"),  # 4 the second "band gap"
    _m("GaN", "COMPOUND"),  # 5
    _m("3.4 eV", "VALUE"),  # 6
]
SENTENCES = [(0, TEXT.index(" The")), (TEXT.index("The"), len(TEXT))]


def _instance(gold_tuples=()) -> Instance:
    inst = from_mentions(TEXT, MENTIONS, SENTENCES, ReConfig())
    inst.gold_tuples = list(gold_tuples)
    inst.gold_links = set()
    for c, p, v, q in gold_tuples:
        inst.gold_links.add((c, v, "compound_of"))
        if p is not None:
            inst.gold_links.add((p, v, "property_of"))
        if q is not None:
            inst.gold_links.add((q, v, "condition_of"))
    return inst


GOLD = [(0, 2, 3, None), (1, 2, 3, None), (5, 4, 6, None)]


def _probs(inst: Instance, right: set[tuple[int, int]], p_right=0.9, p_wrong=0.1) -> list[float]:
    return [p_right if (c.head, c.tail) in right else p_wrong for c in inst.candidates]


def test_re_metrics_prf_counts():
    assert prf(3, 4, 6) == {"precision": 0.75, "recall": 0.5, "f1": 0.6, "tp": 3, "pred": 4, "support": 6}
    assert prf(0, 0, 5)["f1"] == 0.0 and prf(0, 0, 0)["precision"] == 0.0


def test_re_decode_list_value_takes_one_compound_per_number():
    inst = _instance(GOLD)
    assert listed_numbers("1.48 and 1.73 eV") == 2 and listed_numbers("300-400 K") == 1
    probs = _probs(inst, {(0, 3), (1, 3), (2, 3), (5, 6), (4, 6)})
    preds = decode(inst, probs, Decoding())
    assert [(t.compound, t.property, t.value, t.value_index) for t in preds] == [
        (0, 2, 3, 0), (1, 2, 3, 1), (5, 4, 6, None)]
    s = score([inst], [preds])
    assert s["tuples"]["f1"] == 1.0 and s["pairs"]["micro"]["f1"] == 1.0


def test_re_decode_thresholds_drop_weak_links():
    inst = _instance(GOLD)
    probs = _probs(inst, {(0, 3), (1, 3), (2, 3), (5, 6)}, p_right=0.9)
    probs = [0.4 if (c.head, c.tail) == (4, 6) else p for c, p in zip(inst.candidates, probs)]
    strict = decode(inst, probs, Decoding(t_property=0.5))
    loose = decode(inst, probs, Decoding(t_property=0.3))
    assert [t.property for t in strict if t.value == 6] == [None]
    assert [t.property for t in loose if t.value == 6] == [4]
    assert decode(inst, probs, Decoding(t_compound=0.95)) == []


def test_re_metrics_tuple_needs_all_three_and_pairs_count_partial_credit():
    inst = _instance(GOLD)
    wrong_property = [PredTuple(5, 2, 6, (), 0.9)]  # GaN's value with the other sentence's property
    s = score([inst], [wrong_property])
    assert s["tuples"]["tp"] == 0 and s["tuples"]["pred"] == 1 and s["tuples"]["support"] == 3
    assert s["pairs"]["compound_of"]["tp"] == 1 and s["pairs"]["property_of"]["tp"] == 0
    assert s["pairs"]["micro"] == prf(1, 2, 5)  # the shared property link counts once


def test_re_metrics_conditions_scored_separately():
    inst = _instance([(5, 4, 6, None)])
    inst.mentions.append((TEXT.index("GaN"), TEXT.index("GaN") + 3, "CONDITION"))  # a fake condition index 7
    inst.gold_tuples = [(5, 4, 6, 7)]
    inst.gold_links.add((7, 6, "condition_of"))
    s = score([inst], [[PredTuple(5, 4, 6, (), 0.9)]])
    assert s["tuples"]["f1"] == 1.0 and s["tuples_with_conditions"]["f1"] == 0.0
    assert s["pairs"]["condition_of"]["support"] == 1 and s["pairs"]["condition_of"]["tp"] == 0


def test_re_rule_linker_on_gold_mentions():
    inst = _instance(GOLD)
    preds = rule_tuples(inst)
    # the "respectively" rule zips both compounds onto the listed value; GaN takes 3.4 eV
    assert {(t.compound, t.property, t.value) for t in preds} == {(0, 2, 3), (1, 2, 3), (5, 4, 6)}
    assert score([inst], [preds])["tuples"]["f1"] == 1.0


def test_re_calibration_orders_scores_and_reliability_counts():
    insts, preds = [], []
    for k in range(40):
        inst = _instance(GOLD)
        good = k % 2 == 0
        # confident tuples are right, hesitant ones wrong
        t = PredTuple(5, 4, 6, (), 0.5, p_compound=0.9 if good else 0.55, p_property=0.9 if good else 0.55)
        if not good:
            t = PredTuple(0, 4, 6, (), 0.5, p_compound=0.55, p_property=0.55)
        insts.append(inst)
        preds.append([t])
    dec = fit_calibration(insts, preds, Decoding())
    assert dec.a + dec.b > 0  # higher pair probabilities -> higher tuple score
    from lit.models.re.decode import calibrated

    assert calibrated(dec, 0.9, 0.9) > 0.8 > 0.2 > calibrated(dec, 0.55, 0.55)
    table = reliability(insts, preds)
    assert sum(r["count"] for r in table) == 40
    assert table[5]["count"] == 40 and table[5]["precision"] == pytest.approx(0.5)


def test_re_decode_require_property_drops_values_without_one():
    inst = _instance(GOLD)
    probs = _probs(inst, {(0, 3), (1, 3), (2, 3), (5, 6)})  # no property clears the threshold for 3.4 eV
    kept = decode(inst, probs, Decoding())
    dropped = decode(inst, probs, Decoding(require_property=True))
    assert [t.value for t in kept].count(6) == 1 and all(t.value != 6 for t in dropped)
    assert {t.compound for t in dropped} == {0, 1}


def test_candidate_scores_count_every_link_above_its_threshold():
    from lit.models.re.evaluate import candidate_scores

    inst = _instance([(0, 2, 3, None), (1, 2, 3, None)])  # both compounds of the listed value
    probs = []
    for c in inst.candidates:
        if c.tail == 3 and c.head in (0, 1):
            probs.append(0.9)
        elif c.tail == 3 and c.head == 2:
            probs.append(0.4)  # below t_property
        else:
            probs.append(0.1)
    s = candidate_scores([inst], [probs], Decoding(t_compound=0.5, t_property=0.5, t_condition=0.5))
    assert (s["compound_of"]["tp"], s["compound_of"]["pred"], s["compound_of"]["support"]) == (2, 2, 2)
    assert (s["property_of"]["tp"], s["property_of"]["pred"], s["property_of"]["support"]) == (0, 0, 1)
    assert s["micro"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
