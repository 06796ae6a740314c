#!/usr/bin/env bash
# Train lit's NER variants and the relation model, all at once, on a lent GPU machine.
#
# The machine has PyTorch and transformers but not lit's other dependencies, no network and
# no ../shared; `python scripts/gpu_bundle.py` packs what it needs into .gpu/ first. Then:
#
#   run(command="bash scripts/gpu_train.sh", carry=[".gpu"], timeout_s=560)
#
# Each training is its own process (a small encoder leaves an H100 mostly idle, so several
# share it well); every one is bounded by its config's max_minutes. Artifacts, logs and a
# summary come back through $OUT (one NAME.tar.gz per run, summary.txt). Locally, for a smoke test:
#   LIT_GPU_LIMIT=8 OUT=/tmp/gpu-out bash scripts/gpu_train.sh   (CPU, tiny data)
set -u
repo=$(pwd)
bundle=${LIT_GPU_BUNDLE:-$repo/.gpu}
OUT=${OUT:-$repo/out/gpu}
work=${LIT_GPU_WORK:-/tmp/lit-gpu}
# Next lent GPU: ner-v2 trained longer (its validation F1 was still rising when the 4.5-minute
# budget stopped it at epoch 17.8) and the same with CONDITION words weighted 3x in the loss.
# ner-v2's own variants: LIT_GPU_NER="ner-v2 ner-v2-unified ner-v2-nocase ner-v2-r64".
ner_configs=${LIT_GPU_NER-"ner-v3 ner-v3-cond"}
re_configs=${LIT_GPU_RE-"re-v2"}
limit=${LIT_GPU_LIMIT:+--limit $LIT_GPU_LIMIT}
python=${PYTHON:-python3}
configs=${LIT_GPU_CONFIGS:-$repo/models/configs}
mkdir -p "$OUT" "$work/runs" "$work/logs"

# lit without installing: a package folder whose subpackages are the repo's top-level folders.
rm -rf "$work/shim" && mkdir -p "$work/shim/lit"
cp -r "$repo/lit/." "$work/shim/lit/"
for sub in extract graph models; do ln -s "$repo/$sub" "$work/shim/lit/$sub"; done
export PYTHONPATH="$work/shim" PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=2
export LIT_GIT_REVISION=$(cat "$bundle/REVISION" 2>/dev/null || echo unknown)

mkdir -p "$work/corpora" && tar -xzf "$bundle/corpora.tar.gz" -C "$work/corpora" || exit 1
export LIT_CORPORA="$work/corpora"
"$python" - "$bundle/base" "$work/base" <<'PY' || exit 1
import shutil, sys
from pathlib import Path
from safetensors.torch import load_file, save_file
src, dst = Path(sys.argv[1]), Path(sys.argv[2])
dst.mkdir(parents=True, exist_ok=True)
for f in src.iterdir():
    if f.name != "model.safetensors":
        shutil.copy2(f, dst / f.name)
state = load_file(str(src / "model.safetensors"))
save_file({k: v.float() if v.is_floating_point() else v for k, v in state.items()}, str(dst / "model.safetensors"))
PY
export LIT_BASE_ENCODER="$work/base"
cd "$work"  # not the repo root, whose own lit/ (without the subpackages) would shadow the shim
(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "no GPU") \
  | tee "$OUT/summary.txt"
"$python" -c "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)" \
  | tee -a "$OUT/summary.txt"

t0=$(date +%s)
pids=()
for name in $ner_configs; do
  "$python" -m lit train ner --config "$configs/$name.json" --out "$work/runs/$name" $limit \
    --test polyie,matscholar,bc5cdr,mspt,grobid_quantities >"$work/logs/$name.log" 2>&1 &
  pids+=($!)
done
for name in $re_configs; do
  "$python" -m lit train re --config "$configs/$name.json" --out "$work/runs/$name" $limit \
    >"$work/logs/$name.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; echo "process $p exit $?" >>"$OUT/summary.txt"; done
echo "all trainings done in $(( $(date +%s) - t0 )) s" | tee -a "$OUT/summary.txt"

# NER inference throughput on this device (windowing + forward + decoding, the tagger's path).
first=${ner_configs%% *}
timeout 90 "$python" - "$work/runs/$first" <<'PY' 2>&1 | tee -a "$OUT/summary.txt"
import sys, time, torch
from lit.models.corpora import load_examples
from lit.models.ner.infer import NerTagger
tg = NerTagger.load(sys.argv[1], device="auto")
exs = load_examples("bc5cdr", "test") + load_examples("polyie", "test")
texts, words = [e.text for e in exs], [list(e.tokens) for e in exs]
n = sum(len(w) for w in words)
for bs in (32, 256):
    tg.predict_words(texts[:50], words[:50], batch_size=bs)
    if tg.device.startswith("cuda"): torch.cuda.synchronize()
    t = time.perf_counter(); tg.predict_words(texts, words, batch_size=bs)
    if tg.device.startswith("cuda"): torch.cuda.synchronize()
    dt = time.perf_counter() - t
    print(f"inference {tg.device} batch {bs}: {len(texts)} texts, {n} words in {dt:.2f} s = {n / dt:,.0f} words/s")
PY
echo "inference check exit ${PIPESTATUS[0]}" | tee -a "$OUT/summary.txt"

for f in "$work"/logs/*.log; do
  echo "== $(basename "$f")"; grep -E "^(data|test|eval|saved)|Error|error:" "$f" | tail -40
done | tee -a "$OUT/summary.txt"
# One archive per run (at most 8 files, 16 MiB each, come back), its log inside.
for d in "$work"/runs/*/; do
  name=$(basename "$d"); cp "$work/logs/$name.log" "$d/train.log" 2>/dev/null
  tar -czf "$OUT/$name.tar.gz" -C "$work/runs" "$name"
done
ls -la "$OUT"
