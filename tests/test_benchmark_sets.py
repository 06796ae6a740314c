"""Each benchmark set against its corpus: every source item is either gold or counted as left
out (with why), recounted here from the raw files; splits are disjoint and deterministic.
Skipped when ``LIT_CORPORA`` is missing. Also: ``Extractor.extract_documents`` gives the facts
of the documents extracted one by one (rules only here; test_pipeline_batched covers models)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from lit.extract.pipeline import Extractor
from lit.models.benchmark import battery, load_set, polyie, realtext, sofc_exp

GOLD_OR_LEFT_OUT = ("gold_dropped:", "gold_repeated", "tuple_incomplete", "pn_not_in_vocabulary")


def _accounted(bench) -> int:
    """Gold facts plus the source items the loader counted as left out of gold."""
    left_out = sum(v for k, v in bench.counts.items() if k.startswith(GOLD_OR_LEFT_OUT))
    return sum(len(t.facts) for t in bench.texts) + left_out


def test_sofc_exp_every_conductivity_and_ocv_slot_is_gold_or_counted(corpora_dir: Path):
    dev, test = sofc_exp.load("dev", corpora_dir), sofc_exp.load("test", corpora_dir)
    frames = corpora_dir / sofc_exp.FOLDER / "annotations" / "frames"
    roles = Counter(line.split("\t")[1] for f in frames.glob("*.csv") for line in f.read_text(encoding="utf-8").splitlines()
                    if line.startswith("\t"))
    assert (roles["conductivity"], roles["open_circuit_voltage"]) == (78, 69)  # SOURCE.txt
    assert _accounted(dev) + _accounted(test) == 78 + 69
    assert {t.id for t in dev.texts}.isdisjoint(t.id for t in test.texts)
    assert len(dev.texts) + len(test.texts) == 45
    assert sum(len(t.facts) for t in dev.texts) >= 30 and sum(len(t.facts) for t in test.texts) >= 30
    power = dev.counts["role_not_in_vocabulary:power_density"] + test.counts["role_not_in_vocabulary:power_density"]
    assert power == roles["power_density"] == 245
    for t in dev.texts:
        for g in t.facts:
            assert g.property in {"conductivity", "open_circuit_voltage"} and g.names and g.numbers
            assert g.evidence and " ".join(g.evidence.split()) in t.doc.text  # its sentence is read
    assert dev.label("ionic_conductivity") == dev.label("electrical_conductivity") == "conductivity"


def test_polyie_every_tuple_is_gold_or_counted(corpora_dir: Path):
    for split, source, tuples in (("dev", "validation", 500), ("test", "test", 528)):  # SOURCE.txt
        bench = polyie.load(split, corpora_dir)
        raw = json.loads((corpora_dir / "polyie/Cleaned_data/Final_v2" / f"{source}_split.txt").read_text(encoding="utf-8"))
        assert sum(len(p) for doc in raw["relation"] for p in doc) == tuples
        assert _accounted(bench) == tuples
        assert len(bench.texts) == len(raw["text"])  # one document per paper
        assert sum(len(t.facts) for t in bench.texts) >= 300
        assert {"power_conversion_efficiency", "open_circuit_voltage", "band_gap"} <= bench.properties


def test_battery_sample_is_fixed_and_recall_only(corpora_dir: Path):
    dev, test = battery.load("dev", corpora_dir), battery.load("test", corpora_dir)
    rows = [json.loads(line) for line in (corpora_dir / battery.FILE).read_text(encoding="utf-8").splitlines()]
    in_scope = sum(any(r["relText"] != "Voltage" for r in row["relationMentions"]) for row in rows)
    voltage = sum(r["relText"] == "Voltage" for row in rows for r in row["relationMentions"])
    assert dev.counts["sentences_in_scope"] + test.counts["sentences_in_scope"] == in_scope
    assert dev.counts["triple_not_in_vocabulary"] + test.counts["triple_not_in_vocabulary"] == voltage == 6399
    assert len(dev.texts) == len(test.texts) == battery.CAP
    assert dev.recall_only and [t.id for t in battery.load("dev", corpora_dir).texts] == [t.id for t in dev.texts]
    assert {t.id.split("/")[0] for t in dev.texts}.isdisjoint(t.id.split("/")[0] for t in test.texts)  # by paper
    assert all(t.facts for t in dev.texts)


def test_realtext_selection_points_at_the_right_texts(corpora_dir: Path):
    rows = realtext.read_selection(realtext.DEFAULT_DIR)
    assert len(rows) == 309  # 240 selected at first, then 29 dev abstracts by A3 and 40 by A4
    for row in rows:
        realtext.checked_text(corpora_dir, row)  # raises on a moved or changed text
    dev = load_set("realtext", "dev", corpora=corpora_dir)
    assert dev.counts["selected"] == sum(r["split"] == "dev" for r in rows)
    assert dev.counts["selected"] == dev.counts["unannotated"] + len(dev.texts)


def test_extract_documents_gives_the_facts_of_one_by_one():
    ours = load_set("ours", "test")
    extractor = Extractor(None)  # rules only: fast, and the grouping logic is the same
    docs = [t.doc for t in ours.texts[:12]]
    grouped = extractor.extract_documents(docs)
    alone = [extractor.extract(d)[0] for d in docs]
    assert [r.source for r in grouped] == [d.info.source for d in docs]
    assert [sorted(f.to_json() for f in r.facts) for r in grouped] == [sorted(f.to_json() for f in a) for a in alone]
    assert sum(len(r.facts) for r in grouped) > 0
