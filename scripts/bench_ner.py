"""Benchmark NER inference on CPU: plain fp32 PyTorch vs faster paths, same run, same windows.

Usage::

    .venv/bin/python scripts/bench_ner.py [--model DIR] [--limit N] [--batch-size 32]
        [--variants torch-fp32,torch-int8,ort-fp32,ort-int8] [--json OUT]

For each variant it runs the forward pass over every window of the PolyIE test split (or
its first N examples), reports the median tokens/s over batches, the total wall time and
the PolyIE test micro-F1 computed from that same pass, and the ratio against the fp32
PyTorch baseline measured in this run. ONNX variants need the ``onnx`` package to export
(``pip install onnx``); they are skipped with a note when it is missing.

Variants:
- ``torch-fp32``: the merged model (LoRA folded into the base) in eager PyTorch.
- ``torch-int8``: ``torch.ao.quantization.quantize_dynamic`` of every Linear (int8 weights,
  activations quantised per batch).
- ``ort-fp32``: ONNX export run by ONNX Runtime (graph optimisations, fused attention).
- ``ort-int8``: the ONNX graph with dynamically quantised int8 MatMul weights.
- ``nocase-knockout`` (opt-in): fp32 with the casing features zeroed, for the F1 column only.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path


def _timed(run, stats):
    """Wrap a forward so each batch's time and real-token count are recorded."""

    def forward(ids, mask, feats):
        t0 = time.perf_counter()
        out = run(ids, mask, feats)
        stats.append((int(mask.sum()), time.perf_counter() - t0))
        return out

    return forward


def _ort_session(model, path: Path, quantize: bool):
    import onnxruntime as ort
    import torch

    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    feats = torch.zeros((2, 16, 3), dtype=torch.long)
    dyn = {0: "batch", 1: "seq"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (ids, mask, feats), str(path), input_names=["input_ids", "attention_mask", "features"],
            output_names=["logits"], opset_version=17, dynamo=False,
            dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "features": dyn, "logits": dyn},
        )
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        qpath = path.with_suffix(".int8.onnx")
        quantize_dynamic(str(path), str(qpath), weight_type=QuantType.QInt8)
        path = qpath
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = os.cpu_count() or 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def run(ids, mask, feats):
        out = sess.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "features": feats.numpy()})
        return torch.from_numpy(out[0])

    return run, path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="model folder (default: newest in models/trained/)")
    ap.add_argument("--limit", type=int, default=None, help="first N PolyIE test examples (default: all)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--variants", default="torch-fp32,torch-int8,ort-fp32,ort-int8")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results as JSON here")
    args = ap.parse_args(argv)

    import torch

    from lit.models.corpora import load_examples
    from lit.models.ner.decode import decode_words
    from lit.models.ner.evaluate import score_spans
    from lit.models.ner.infer import NerTagger, window_probs

    torch.set_num_threads(os.cpu_count() or 1)
    tagger = NerTagger.load(args.model, device="cpu")
    base = tagger.model
    examples = load_examples("polyie", "test")
    if args.limit:
        examples = examples[: args.limit]
    texts = [ex.text for ex in examples]
    words = [list(ex.tokens) for ex in examples]
    gold = [[(e.start, e.end, e.label) for e in ex.entities] for ex in examples]
    print(f"model {tagger.path}; {len(examples)} PolyIE test examples; {torch.get_num_threads()} torch threads; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)

    results = []
    tmp = Path(tempfile.mkdtemp(prefix="bench_ner_"))
    for name in [v for v in args.variants.split(",") if v]:
        size = None
        if name == "torch-fp32":
            run = base
        elif name == "nocase-knockout":
            # Not a speed path: fp32 with the casing features zeroed at inference, to show
            # how much the trained model leans on them (an inference-time knockout, not a
            # retrained ablation).
            def run(ids, mask, feats):
                return base(ids, mask, torch.zeros_like(feats))
        elif name == "torch-int8":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run = torch.ao.quantization.quantize_dynamic(copy.deepcopy(base), {torch.nn.Linear}, dtype=torch.qint8)
        elif name in ("ort-fp32", "ort-int8"):
            try:
                run, size = _ort_session(base, tmp / "ner.onnx", quantize=name == "ort-int8")
            except Exception as exc:  # missing onnx package, exporter limits: report, go on
                print(f"{name}: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
                continue
        else:
            ap.error(f"unknown variant {name}")
        stats: list[tuple[int, float]] = []
        t0 = time.perf_counter()
        probs = window_probs(base, texts, words, args.batch_size, "cpu", forward=_timed(run, stats))
        wall = time.perf_counter() - t0
        preds = [[(m.start, m.end, m.label) for m in decode_words(t, w, p, tagger.id2label)]
                 for t, w, p in zip(texts, words, probs)]
        f1 = score_spans(gold, preds).to_dict()["micro"]["f1"]
        tokens = sum(n for n, _ in stats)
        results.append({
            "variant": name,
            "median_tok_s": round(statistics.median(n / dt for n, dt in stats)),
            "forward_tok_s": round(tokens / sum(dt for _, dt in stats)),
            "wall_s": round(wall, 1),
            "tokens": tokens,
            "f1": f1,
            "onnx_bytes": size,
        })
        print(f"{name}: done {results[-1]}", file=sys.stderr)
    base_row = next((r for r in results if r["variant"] == "torch-fp32"), results[0] if results else None)
    print(f"{'variant':<12} {'median tok/s':>12} {'fwd tok/s':>10} {'speed-up':>9} {'wall s':>7} {'F1':>7} {'dF1 pts':>8}")
    for r in results:
        r["speedup"] = round(r["median_tok_s"] / base_row["median_tok_s"], 2)
        r["f1_delta_points"] = round(100 * (r["f1"] - base_row["f1"]), 2)
        print(f"{r['variant']:<12} {r['median_tok_s']:>12} {r['forward_tok_s']:>10} {r['speedup']:>8}x "
              f"{r['wall_s']:>7} {r['f1']:>7.4f} {r['f1_delta_points']:>+8.2f}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
