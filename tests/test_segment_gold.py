"""The measured gold set: boundary precision and recall on real article paragraphs."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "corpora" / "segmentation_gold.jsonl"


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_segmentation", REPO / "scripts" / "eval_segmentation.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


def test_segment_gold_file_holds_no_article_text() -> None:
    allowed = {"fixture", "method", "parser", "tag", "index", "first", "last", "sha1", "length", "ends", "split", "note"}
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sum(len(r["ends"]) for r in rows) >= 300
    for r in rows:
        assert set(r) <= allowed, set(r) - allowed
        assert r["ends"] == sorted(set(r["ends"])) and r["ends"][-1] == r["length"]
        assert len(r.get("note", "")) < 200


def test_segment_gold_precision_recall(fixtures_dir: Path) -> None:
    ev = _eval_module()
    res = ev.evaluate(ev.load_gold(GOLD), fixtures_dir)
    if res.missing:
        pytest.skip(f"{len(res.missing)} gold fixtures missing under {fixtures_dir}")
    assert not res.drifted, f"fixtures changed since the gold set was made: {res.drifted}"
    assert res.sentences >= 300
    errors = "\n".join(f"{k} {w} @{o}: {c}" for k, w, o, c in res.errors)
    assert res.precision >= 0.97, errors
    assert res.recall >= 0.97, errors
