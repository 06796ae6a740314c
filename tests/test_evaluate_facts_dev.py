"""The ``dev`` tuning split of corpora/eval: it loads, scores, and stays out of ``all``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lit.cli.main import app
from lit.extract.facts import Fact
from lit.models.evaluate_facts import (
    ALL_SPLITS,
    DEV_SPLIT,
    GOLD_UNITS,
    PROPERTIES,
    SPLITS,
    evaluate_facts,
    load_eval_set,
    score_text,
    summarise,
)


def _as_prediction(gold, text_id: str) -> Fact:
    """A predicted fact carrying exactly a gold fact's content, as a perfect system would emit it."""
    return Fact(
        compound=gold.compound,
        property=gold.property,
        value=gold.value,
        unit=gold.unit,
        raw_value=f"{gold.value} {gold.unit}",
        doc_id=text_id,
        source="test",
        start=0,
        end=1,
        sentence="s",
        model="test",
        value_max=gold.value_max,
    )


def test_evaluate_facts_dev_split_is_well_formed_and_separate():
    dev = load_eval_set(DEV_SPLIT)
    assert DEV_SPLIT in ALL_SPLITS and DEV_SPLIT not in SPLITS
    assert len(dev) >= 30 and all(t.split == DEV_SPLIT for t in dev)
    ids = [t.id for t in dev]
    assert len(set(ids)) == len(ids)
    # half abstract-style, half results-paragraph style
    assert sum(i.startswith("da") for i in ids) >= 15 and sum(i.startswith("dr") for i in ids) >= 15
    held_out = load_eval_set("all")
    assert {t.split for t in held_out} == set(SPLITS)  # "all" never includes dev
    assert not {t.id for t in held_out} & set(ids)
    assert not {t.text for t in held_out} & {t.text for t in dev}  # new texts, not copies
    props = set()
    for t in dev:
        assert 2 <= t.text.count(". ") + 1 <= 8, t.id
        for g in t.facts:
            assert g.property in PROPERTIES and g.unit == GOLD_UNITS[g.property]
            assert g.keys, (t.id, g.compound)
            assert g.value > 0 and (g.value_max is None or g.value_max > g.value)
            props.add(g.property)
    assert props == set(PROPERTIES)


def test_evaluate_facts_dev_perfect_predictions_score_one():
    dev = load_eval_set(DEV_SPLIT)
    results = [score_text(t, [_as_prediction(g, t.id) for g in t.facts]) for t in dev]
    s = summarise(results)
    assert s["micro"]["f1"] == 1.0 and s["micro"]["tp"] == s["gold"] > 0
    assert set(s["per_split"]) == {DEV_SPLIT}
    # dropping every prediction of one text costs exactly that text's facts in recall
    i = next(k for k, t in enumerate(dev) if t.facts)
    partial = [*results[:i], score_text(dev[i], []), *results[i + 1 :]]
    assert summarise(partial)["micro"]["fn"] == len(dev[i].facts)
    assert summarise(partial)["micro"]["precision"] == 1.0


def test_evaluate_facts_dev_runs_lit_and_cli():
    scores = evaluate_facts(DEV_SPLIT)
    print("\ndev micro", scores["micro"])  # the number is reported, not asserted
    assert scores["split"] == DEV_SPLIT and set(scores["per_split"]) == {DEV_SPLIT}
    assert scores["micro"]["tp"] + scores["micro"]["fn"] == scores["gold"]
    assert scores["micro"]["tp"] + scores["micro"]["fp"] == scores["predicted"]
    assert scores["micro"]["tp"] >= 1
    got = CliRunner().invoke(app, ["evaluate", "facts", "--split", "dev", "--json"])
    assert got.exit_code == 0, got.output
    cli = json.loads(got.output)
    assert cli["split"] == DEV_SPLIT and cli["gold"] == scores["gold"]
    assert all(e["split"] == DEV_SPLIT for e in cli["errors"])
