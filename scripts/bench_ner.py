"""Benchmark NER inference on CPU: plain fp32 PyTorch vs faster paths, same run, same windows.

Usage::

    .venv/bin/python scripts/bench_ner.py [--model DIR] [--limit N] [--batch-size 32] [--repeat 3]
        [--split validation] [--variants torch-fp32:L256:s128:plain:all,torch-fp32,ort-opt,...] [--json OUT]

A variant is ``BACKEND[:OPTION]...``; options override the inference windowing and batching
for that variant only: ``sN`` stride, ``LN`` window length (with the specials), ``bN`` batch
size, ``tN`` padded subwords per batch (``t0``: no limit, ``bN`` rows of any length), ``pN``
batches run at once, one thread each (default: torch's thread count; ONNX variants 1, as
ONNX Runtime has threads of its own), ``plain`` windows batched in text order (each batch
padded to its longest) instead of by length and run one at a time on every thread, ``all``
logits for every subword (the last layer run in full) instead of only for the first subwords
each window owns.
Without options a variant uses the model config. The first variant is the baseline that
ratios are taken against; the default list starts with plain fp32: the windows the model
was trained on (256 subwords), overlapping by half (stride 128), batched in text order and
run one batch at a time, every subword's logits computed.

For each variant it runs the tagger's windowing and the forward pass over a PolyIE split
(``--split``, default test; choose settings on validation) or its first N examples, ``--repeat`` times, variants interleaved so load drifts hit
them alike. It reports the median over repeats of the *text* subwords per second of forward
time (each subword of the input counted once, however many windows it sits in: the number
that shows what less overlap saves; forward time is the time some batch was running, so
batches side by side count once), the median per-batch window tokens/s (overlap counted;
per thread when batches run side by side), the median wall time of the whole pass (windows, forward, decoding) and the
PolyIE micro-F1 of that pass on the split; ratios are against the first variant, measured in this run.
ONNX variants need the ``onnx`` package to export (``pip install onnx``); they are skipped
with a note when it is missing.

Variants:
- ``torch-fp32``: the merged model (LoRA folded into the base) in eager PyTorch.
- ``fast-fp32``: the same for the shallower model of ``--fast-model`` (default
  ``models/trained/fast/ner-v2-l5``: ner-v2's first five layers, its new last layer's
  adapters and the heads retrained), in the same run as the others.
- ``torch-int8``: ``torch.ao.quantization.quantize_dynamic`` of every Linear (int8 weights,
  activations quantised per batch).
- ``ort-fp32``: ONNX export run by ONNX Runtime, ``ORT_ENABLE_ALL``, 2 intra-op threads (its own
  fusions: FusedMatMul, BiasGelu; the attention stays unfused MatMul/Softmax).
- ``ort-int8``: the ONNX graph with dynamically quantised int8 MatMul weights.
- ``ort-opt``: the ONNX graph through ``onnxruntime.transformers.optimizer`` (model_type bert;
  exported with eager attention so the pattern matches): fused Attention,
  SkipLayerNormalization, BiasGelu; fp32.
- ``torch-jit``: ``torch.jit.trace`` + ``torch.jit.freeze`` of the merged fp32 model (the
  profiling executor re-specialises per new shape: slow on mixed window lengths).
- ``torch-bf16``: the merged model cast to bfloat16 (slow without AVX512-BF16/AMX; for the record).
- ``nocase-knockout`` (opt-in): fp32 with the casing features zeroed, for the F1 column only.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path


def _timed(run, stats):
    """Wrap a forward so each batch's real-token count, start and end are recorded (batches
    may run on several threads at once: see :func:`_busy`)."""

    def forward(ids, mask, feats, positions):
        t0 = time.perf_counter()
        out = run(ids, mask, feats, positions=positions)
        stats.append((int(mask.sum()), t0, time.perf_counter()))
        return out

    return forward


def _busy(stats) -> float:
    """Seconds during which at least one batch was running: the forward time of the pass,
    whether batches ran one after another or side by side."""
    total, end = 0.0, float("-inf")
    for _, t0, t1 in sorted(stats, key=lambda s: s[1]):
        if t1 > end:
            total += t1 - max(t0, end)
            end = t1
    return total


def _picked(run):
    """A forward computing every subword's logits, then keeping those at ``positions``: how
    backends without the pruned last layer (ONNX, TorchScript), and option ``all``, run."""

    def forward(ids, mask, feats, positions):
        logits = run(ids, mask, feats)
        return logits.gather(1, positions.unsqueeze(-1).expand(-1, -1, logits.shape[-1]))

    return forward


def _ort_session(model, path: Path, quantize: bool = False, optimize: bool = False):
    import onnxruntime as ort
    import torch

    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    feats = torch.zeros((2, 16, 3), dtype=torch.long)
    dyn = {0: "batch", 1: "seq"}
    # The transformer optimizer recognises the eager attention subgraph (MatMul, Softmax,
    # MatMul) and fuses it into one Attention op; the SDPA export it leaves unfused.
    enc = model.encoder.config
    attn = enc._attn_implementation
    if optimize:
        enc._attn_implementation = "eager"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model, (ids, mask, feats), str(path), input_names=["input_ids", "attention_mask", "features"],
                output_names=["logits"], opset_version=17, dynamo=False,
                dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "features": dyn, "logits": dyn},
            )
    finally:
        enc._attn_implementation = attn
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        qpath = path.with_suffix(".int8.onnx")
        quantize_dynamic(str(path), str(qpath), weight_type=QuantType.QInt8)
        path = qpath
    if optimize:
        from onnxruntime.transformers.optimizer import optimize_model

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = optimize_model(str(path), model_type="bert", num_heads=enc.num_attention_heads,
                                 hidden_size=enc.hidden_size)
        opath = path.with_suffix(".opt.onnx")
        opt.save_model_to_file(str(opath))
        path = opath
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = os.cpu_count() or 1
    opts.inter_op_num_threads = 1
    opts.optimized_model_filepath = str(path.with_suffix(".ort.onnx"))
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def run(ids, mask, feats):
        out = sess.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "features": feats.numpy()})
        return torch.from_numpy(out[0])

    import onnx

    ops: dict[str, int] = {}
    for node in onnx.load(opts.optimized_model_filepath, load_external_data=False).graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    fused = {k: v for k, v in ops.items() if k in FUSED_OPS}
    return run, path.stat().st_size, fused


#: ORT contrib ops that show the transformer fusions took (counted in the session's graph).
FUSED_OPS = {"Attention", "MultiHeadAttention", "SkipLayerNormalization", "EmbedLayerNormalization",
             "BiasGelu", "FastGelu", "Gelu", "MatMulNBits", "DynamicQuantizeMatMul", "MatMulIntegerToFloat",
             "FusedMatMul", "QAttention"}


def parse_variant(spec: str) -> tuple[str, dict[str, int]]:
    """``"ort-opt:s254:b16"`` -> ``("ort-opt", {"stride": 254, "batch_size": 16})``;
    ``"torch-fp32:s128:plain"`` -> ``("torch-fp32", {"stride": 128, "plain": 1})``."""
    backend, *opts = spec.split(":")
    keys = {"s": "stride", "L": "infer_len", "b": "batch_size", "t": "batch_tokens", "p": "threads"}
    out: dict[str, int] = {}
    for o in opts:
        if o in ("plain", "all"):
            out[o] = 1
            continue
        if not o or o[0] not in keys or not o[1:].isdigit():
            raise ValueError(
                f"{spec}: unknown option {o!r} (use sN stride, LN window length, bN batch size, tN batch subwords, pN batch threads, plain, all)"
            )
        out[keys[o[0]]] = int(o[1:])
    return backend, out


def _jit(model):
    import torch

    ids = torch.full((4, 64), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 40:] = 0
    feats = torch.zeros((4, 64, 3), dtype=torch.long)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        traced = torch.jit.trace(model, (ids, mask, feats), check_trace=False, strict=False)
        return torch.jit.freeze(traced.eval())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="model folder (default: the bundle in lit.models.bundle)")
    ap.add_argument("--fast-model", default=None, help="model folder of the fast-fp32 variant "
                    "(default: models/trained/fast/ner-v2-l5)")
    ap.add_argument("--limit", type=int, default=None, help="first N PolyIE examples of the split (default: all)")
    ap.add_argument("--split", default="test", help="PolyIE split (choose settings on validation, report test)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3, help="passes per variant (medians over them)")
    ap.add_argument("--variants", default="torch-fp32:L256:s128:plain:all,torch-fp32:L256:s128:all,torch-fp32:all,torch-fp32,torch-int8,ort-fp32")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results as JSON here")
    args = ap.parse_args(argv)
    specs = [v for v in args.variants.split(",") if v]
    try:
        parsed = [parse_variant(v) for v in specs]
    except ValueError as exc:
        ap.error(str(exc))

    import torch

    from lit.models.corpora import load_examples
    from lit.models.ner.decode import decode_words
    from lit.models.ner.evaluate import score_spans
    from lit.models.bundle import TRAINED_DIR
    from lit.models.ner.infer import BATCH_TOKENS, NerTagger, window_probs
    from lit.models.ner.windows import encode_texts

    torch.set_num_threads(os.cpu_count() or 1)
    tagger = NerTagger.load(args.model, device="cpu")
    base = tagger.model
    examples = load_examples("polyie", args.split)
    if args.limit:
        examples = examples[: args.limit]
    texts = [ex.text for ex in examples]
    words = [list(ex.tokens) for ex in examples]
    gold = [[(e.start, e.end, e.label) for e in ex.entities] for ex in examples]
    subwords = sum(len(e) for e in encode_texts(base.tokenizer, texts, words))
    load0 = os.getloadavg()
    print(f"model {tagger.path}; {len(examples)} PolyIE {args.split} examples, {subwords} subwords; "
          f"{torch.get_num_threads()} torch threads; {os.cpu_count()} cores; load average "
          f"{load0[0]:.1f} {load0[1]:.1f} {load0[2]:.1f}", file=sys.stderr)

    tmp = Path(tempfile.mkdtemp(prefix="bench_ner_"))
    runners: dict[str, tuple] = {}
    for spec, (backend, opts) in zip(specs, parsed):
        size, fused = None, None
        model = base
        if backend in runners:
            run, size, fused, model = runners[backend]
        elif backend == "torch-fp32":
            run = base
        elif backend == "fast-fp32":
            model = run = NerTagger.load(args.fast_model or TRAINED_DIR / "fast" / "ner-v2-l5", device="cpu").model
        elif backend == "nocase-knockout":
            # Not a speed path: fp32 with the casing features zeroed at inference, to show
            # how much the trained model leans on them (an inference-time knockout, not a
            # retrained ablation).
            def run(ids, mask, feats, positions):
                return base(ids, mask, torch.zeros_like(feats), positions=positions)
        elif backend == "torch-int8":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run = torch.ao.quantization.quantize_dynamic(copy.deepcopy(base), {torch.nn.Linear}, dtype=torch.qint8)
        elif backend == "torch-bf16":
            half = copy.deepcopy(base).to(torch.bfloat16)

            def run(ids, mask, feats, positions, half=half):
                return half(ids, mask, feats, positions=positions).float()
        elif backend == "torch-jit":
            run = _picked(_jit(base))
        elif backend in ("ort-fp32", "ort-int8", "ort-opt"):
            try:
                run, size, fused = _ort_session(base, tmp / f"{backend}.onnx", quantize=backend == "ort-int8",
                                                optimize=backend == "ort-opt")
                run = _picked(run)
            except Exception as exc:  # missing onnx package, exporter limits: report, go on
                print(f"{spec}: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
                continue
        else:
            ap.error(f"unknown variant {spec}")
        if fused is not None and backend not in runners:
            print(f"{backend}: fused ops in the session graph {fused}", file=sys.stderr)
        runners[backend] = (run, size, fused, model)

    passes: dict[str, list[dict]] = {s: [] for s, (b, _) in zip(specs, parsed) if b in runners}
    for rep in range(max(1, args.repeat)):
        for spec, (backend, opts) in zip(specs, parsed):
            if spec not in passes:
                continue
            run, model = runners[backend][0], runners[backend][3]
            cfg = model.config
            model.config = dataclasses.replace(cfg, infer_len=opts.get("infer_len", cfg.window),
                                              stride=opts.get("stride", cfg.stride))
            stats: list[tuple[int, float, float]] = []
            threads = 1 if "plain" in opts else opts.get("threads", 1 if backend.startswith("ort") else None)
            try:
                t0 = time.perf_counter()
                probs = window_probs(model, texts, words, opts.get("batch_size", args.batch_size), "cpu",
                                     forward=_timed(_picked(run) if "all" in opts else run, stats),
                                     by_length="plain" not in opts, threads=threads,
                                     batch_tokens=opts.get("batch_tokens", BATCH_TOKENS) or None)
                preds = [[(m.start, m.end, m.label) for m in decode_words(t, w, p, tagger.id2label)]
                         for t, w, p in zip(texts, words, probs)]
                wall = time.perf_counter() - t0
            finally:
                model.config = cfg
            fwd = _busy(stats)
            passes[spec].append({
                "text_tok_s": subwords / fwd,
                "batch_tok_s": statistics.median(n / (t1 - t0) for n, t0, t1 in stats),
                "wall_s": wall,
                "window_tokens": sum(n for n, _, _ in stats),
                "f1": score_spans(gold, preds).to_dict()["micro"]["f1"],
            })
            print(f"{spec} pass {rep + 1}: {passes[spec][-1]}", file=sys.stderr)
    load1 = os.getloadavg()

    results = []
    for spec, ps in passes.items():
        f1s = {round(p["f1"], 6) for p in ps}
        results.append({
            "variant": spec,
            "text_tok_s": round(statistics.median(p["text_tok_s"] for p in ps)),
            "batch_tok_s": round(statistics.median(p["batch_tok_s"] for p in ps)),
            "wall_s": round(statistics.median(p["wall_s"] for p in ps), 2),
            "window_tokens": ps[0]["window_tokens"],
            "f1": ps[0]["f1"],
            "f1_stable": len(f1s) == 1,
            "onnx_bytes": runners[parse_variant(spec)[0]][1],
            "fused_ops": runners[parse_variant(spec)[0]][2],
            "repeats": len(ps),
        })
    if not results:
        return 1
    base_row = results[0]
    print(f"# {len(examples)} PolyIE {args.split} texts, {subwords} subwords; medians of {args.repeat} passes; "
          f"load average {load0[0]:.1f} at start, {load1[0]:.1f} at end; ratios vs {base_row['variant']} of this run")
    print(f"{'variant':<22} {'text tok/s':>10} {'speed-up':>8} {'batch tok/s':>11} {'win tokens':>10} "
          f"{'wall s':>7} {'wall x':>6} {'F1':>7} {'dF1 pts':>8}")
    for r in results:
        r["speedup"] = round(r["text_tok_s"] / base_row["text_tok_s"], 2)
        r["wall_speedup"] = round(base_row["wall_s"] / r["wall_s"], 2)
        r["f1_delta_points"] = round(100 * (r["f1"] - base_row["f1"]), 2)
        print(f"{r['variant']:<22} {r['text_tok_s']:>10} {r['speedup']:>7}x {r['batch_tok_s']:>11} "
              f"{r['window_tokens']:>10} {r['wall_s']:>7} {r['wall_speedup']:>5}x {r['f1']:>7.4f} "
              f"{r['f1_delta_points']:>+8.2f}{'' if r['f1_stable'] else ' (F1 varied across passes)'}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"load_start": load0, "load_end": load1, "results": results},
                                                  indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
