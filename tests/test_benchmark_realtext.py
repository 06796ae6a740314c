"""The real-text set's loader and the inter-annotator agreement, on a tiny selection, text
source and annotation files written here (the real annotations arrive from other branches)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from lit.errors import CorpusError
from lit.models.benchmark import realtext
from lit.models.benchmark.agreement import agreement

TEXTS = [
    "Zinc oxide (ZnO) is a wide-gap semiconductor with a band gap of 3.37 eV.",
    "Nickel orders ferromagnetically at 354 °C.",
    "We report nothing measurable here.",
]
ZNO = {"compound": "ZnO", "aliases": ["zinc oxide"], "property": "band_gap", "values": [3.37], "range": False,
       "unit": "eV", "value_text": "3.37 eV"}
NI = {"compound": "Nickel", "property": "curie_temperature", "values": [354], "range": False, "unit": "°C",
      "value_text": "354 °C"}


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """(realtext folder, corpora root): three texts in a JSON-lines source, as NERRE prompts
    (with the fine-tuning separator after the text), the first two dev."""
    corpora = tmp_path / "corpora"
    (corpora / "src").mkdir(parents=True)
    _write_jsonl(corpora / "src" / "abstracts.jsonl", [{"prompt": t + realtext.PROMPT_END} for t in TEXTS])
    folder = tmp_path / "realtext"
    folder.mkdir()
    _write_jsonl(folder / "selection.jsonl", [
        {"id": f"t{i}", "source": {"corpus": "src", "file": "abstracts.jsonl", "line": i, "field": "prompt"},
         "sha256": hashlib.sha256((t + realtext.PROMPT_END).encode()).hexdigest(), "split": "dev" if i < 2 else "test",
         "has_units": True}
        for i, t in enumerate(TEXTS)
    ])
    return folder, corpora


def test_loader_reads_texts_converts_gold_and_skips_unannotated(folders):
    folder, corpora = folders
    _write_jsonl(folder / "annotations.a1.jsonl", [{"id": "t0", "annotator": "A1", "facts": [ZNO]}])
    dev = realtext.load("dev", folder, corpora)
    assert [t.id for t in dev.texts] == ["t0"]  # t1 has no annotation line yet
    assert dev.counts == {"selected": 2, "unannotated": 1}
    (gold,) = dev.texts[0].facts
    assert gold.names == {"ZnO", "zincoxide"} and gold.numbers == (3.37,)
    assert dev.texts[0].doc.text == TEXTS[0]  # checked with the separator, read without it
    assert "curie_temperature" in dev.properties  # gold covers the whole vocabulary
    _write_jsonl(folder / "annotations.a2.jsonl", [{"id": "t1", "annotator": "A2", "facts": [NI]},
                                                   {"id": "t2", "annotator": "A2", "facts": []}])
    dev = realtext.load("dev", folder, corpora)
    assert dev.counts["unannotated"] == 0
    assert dev.texts[1].facts[0].numbers == pytest.approx((627.15,))  # °C -> K, the canonical unit
    test = realtext.load("test", folder, corpora)
    assert [t.id for t in test.texts] == ["t2"] and test.texts[0].facts == ()  # annotated, states nothing


def test_loader_refuses_changed_texts_double_annotation_unknown_properties_and_bad_units(folders):
    folder, corpora = folders
    _write_jsonl(folder / "annotations.a1.jsonl", [{"id": "t0", "facts": [ZNO]}])
    _write_jsonl(folder / "annotations.a2.jsonl", [{"id": "t0", "facts": []}])
    with pytest.raises(CorpusError, match=r"annotations\.a2\.jsonl:1: t0 is already annotated"):
        realtext.load("dev", folder, corpora)
    (folder / "annotations.a2.jsonl").unlink()
    _write_jsonl(corpora / "src" / "abstracts.jsonl", [{"prompt": t + " Edited."} for t in TEXTS])
    with pytest.raises(CorpusError, match="does not match its sha256"):
        realtext.load("dev", folder, corpora)
    _write_jsonl(corpora / "src" / "abstracts.jsonl", [{"prompt": t + realtext.PROMPT_END} for t in TEXTS])
    _write_jsonl(folder / "annotations.a1.jsonl", [{"id": "t0", "facts": [{**ZNO, "property": "colour"}]}])
    with pytest.raises(CorpusError, match=r"annotations\.a1\.jsonl:1: 'colour' is not a property"):
        realtext.load("dev", folder, corpora)
    _write_jsonl(folder / "annotations.a1.jsonl", [{"id": "t0", "facts": [{**ZNO, "unit": "K"}]}])
    with pytest.raises(CorpusError, match=r"annotations\.a1\.jsonl:1: ZnO band_gap \[3\.37\] 'K': unit does not fit"):
        realtext.load("dev", folder, corpora)


def test_agreement_scores_b_against_a_on_shared_ids(folders):
    folder, _ = folders
    _write_jsonl(folder / "annotations.a1.jsonl", [{"id": "t0", "facts": [ZNO]}, {"id": "t1", "facts": [NI]}])
    other_ni = {**NI, "compound": "Ni", "aliases": ["Nickel"], "values": [627.15], "unit": "K"}
    extra = {**ZNO, "values": [3.3]}
    _write_jsonl(folder / "agreement.b.jsonl", [
        {"id": "t0", "facts": [{**ZNO, "compound": "zinc oxide", "aliases": []}, extra]},  # alias, one extra fact
        {"id": "t1", "facts": [other_ni]},  # same fact in K, B's alias is A's name
        {"id": "t2", "facts": []},          # A has not done t2: not compared
    ])
    scores = agreement(folder, "a", errors=5)
    assert scores["loader"]["shared"] == 2 and scores["loader"]["b_only"] == 1
    assert (scores["gold"], scores["predicted"], scores["matched"]) == (2, 3, 2)
    assert scores["recall"] == 1.0 and scores["precision"] == round(2 / 3, 4)
    assert scores["errors"]["false_positives"][0]["numbers"] == [3.3]
    flipped = agreement(folder, "b")
    assert (flipped["precision"], flipped["recall"], flipped["f1"]) == (1.0, round(2 / 3, 4), scores["f1"])
