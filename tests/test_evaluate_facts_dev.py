"""The ``dev`` tuning split of corpora/eval: it loads and stays out of ``all``."""

from __future__ import annotations

from lit.models.evaluate_facts import ALL_SPLITS, DEV_SPLIT, GOLD_UNITS, PROPERTIES, SPLITS, load_eval_set


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
