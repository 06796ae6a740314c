"""scripts/bench_ner.py: variant options, and one tiny run whose table must hold together."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_ner", REPO / "scripts" / "bench_ner.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_ner_bench_variant_options_parse(bench):
    assert bench.parse_variant("torch-fp32") == ("torch-fp32", {})
    assert bench.parse_variant("ort-opt:s254:b16") == ("ort-opt", {"stride": 254, "batch_size": 16})
    assert bench.parse_variant("torch-fp32:L512:s448") == ("torch-fp32", {"infer_len": 512, "stride": 448})
    assert bench.parse_variant("torch-fp32:s128:plain") == ("torch-fp32", {"stride": 128, "plain": 1})
    assert bench.parse_variant("torch-fp32:plain:all") == ("torch-fp32", {"plain": 1, "all": 1})
    for bad in ("torch-fp32:x3", "torch-fp32:s", "torch-fp32:s-1", "torch-fp32:"):
        with pytest.raises(ValueError, match="unknown option"):
            bench.parse_variant(bad)


def test_ner_bench_stride_override_runs_fewer_window_tokens(bench, tmp_path):
    out = tmp_path / "bench.json"
    rc = bench.main(["--limit", "2", "--repeat", "1", "--variants", "torch-fp32:s128,torch-fp32:s254", "--json", str(out)])
    assert rc == 0
    rows = {r["variant"]: r for r in json.loads(out.read_text())["results"]}
    base, wide = rows["torch-fp32:s128"], rows["torch-fp32:s254"]
    assert base["speedup"] == 1.0 and base["f1_delta_points"] == 0.0
    # PolyIE test paragraphs are longer than one window: stride 254 of 254 drops the overlap.
    assert wide["window_tokens"] < 0.8 * base["window_tokens"]
    assert 0.0 < wide["f1"] <= 1.0 and base["f1"] > 0.5
    assert wide["f1_delta_points"] == round(100 * (wide["f1"] - base["f1"]), 2)


def test_ner_bench_plain_baseline_and_short_windows(bench, tmp_path):
    """The plain baseline (training windows, half overlap, text order, every logit) and
    shorter windows without overlap tag the same texts: fewer window tokens, F1 of the same
    order; computing every subword's logits (``all``) or only the used ones, the same F1."""
    out = tmp_path / "bench.json"
    variants = "torch-fp32:L256:s128:plain:all,torch-fp32:L160:s158:all,torch-fp32:L160:s158"
    assert bench.main(["--limit", "2", "--repeat", "1", "--variants", variants, "--json", str(out)]) == 0
    plain, short_all, short = json.loads(out.read_text())["results"]
    assert plain["variant"].endswith("plain:all") and plain["speedup"] == 1.0
    assert short["window_tokens"] < 0.8 * plain["window_tokens"]
    assert plain["f1"] > 0.5 and abs(short["f1"] - plain["f1"]) < 0.1
    assert short_all["f1"] == short["f1"] and short_all["window_tokens"] == short["window_tokens"]


def test_ner_bench_fast_model_in_the_same_run(bench, tmp_path):
    """``fast-fp32`` runs the five-layer model over the same windows as the six-layer one:
    same window tokens, an F1 of the same order (its speed is for the full run to show)."""
    out = tmp_path / "bench.json"
    assert bench.main(["--limit", "2", "--repeat", "1", "--variants", "torch-fp32,fast-fp32", "--json", str(out)]) == 0
    full, fast = json.loads(out.read_text())["results"]
    assert fast["variant"] == "fast-fp32" and fast["window_tokens"] == full["window_tokens"]
    assert full["f1"] > 0.5 and abs(fast["f1"] - full["f1"]) < 0.1
