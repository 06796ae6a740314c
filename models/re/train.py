"""Training the relation model: same code and config on CPU and CUDA, under a wall-clock budget.

Choices and why:

- **Gold mentions in, links out.** Training pairs are the candidates of
  :mod:`.candidates` over each corpus's gold mentions; a candidate is positive when the
  corpus links it. Paragraphs without a candidate pair teach nothing and are skipped.
- **Frozen bottom cached.** The layers below ``adapt_from_layer`` never change, so their
  output is computed once per window (no gradient) and kept (bf16) for every epoch and
  every validation pass; a step runs only the adapted layers and the scorer.
- **Weighted binary cross-entropy** per candidate (``pos_weight``: most candidates are
  negatives).
- **Selection on validation only.** After each epoch (and every ``eval_every_minutes``)
  the decoder's thresholds are tuned on the ``select_corpus`` validation split and the
  state with the best validation tuple F1 is kept; test splits are never read here.
- **Time-aware schedule** as in NER: warmup, then linear decay over the larger of
  "steps done / planned" and "time used / ``max_minutes``".
"""

from __future__ import annotations

import os
import random
import time
from typing import Any, Callable, Sequence

from lit.errors import ModelError
from lit.models.re.config import ReConfig
from lit.models.training import TrainResult
from lit.models.re.data import EncodedInstance, Instance, collate, encode_instances, from_example

Log = Callable[[str], None]


def load_instances(
    config: ReConfig, corpus: str, split: str, limit: int | None = None, root=None, only_with_pairs: bool = False
) -> list[Instance]:
    """Instances of a corpus split (seeded shuffle, then ``limit``); optionally only those with candidates."""
    from lit.models.corpora import load_examples

    exs = load_examples(corpus, split, root=root)
    random.Random(config.seed).shuffle(exs)
    insts = [from_example(e, config) for e in exs]
    if only_with_pairs:
        insts = [i for i in insts if i.candidates]
    return insts[:limit] if limit else insts


def cache_bottom(net, instances: Sequence[Instance], encoded: Sequence[EncodedInstance], device: str,
                 batch_tokens: int = 8192, upto: int | None = None) -> list[list[Any]]:
    """The frozen layers' output for every window of every instance (bf16, unpadded, on CPU);
    with ``upto`` (``freeze_below``) up to that layer, casing and kept adapters included."""
    import torch

    net.eval()
    out: list[list[Any]] = [[] for _ in instances]
    for group in pack(encoded, range(len(instances)), batch_tokens):
        b = collate([instances[i] for i in group], [encoded[i] for i in group], with_labels=False)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda")):
            if upto:
                h = net.frozen_bottom(b.input_ids.to(device), b.attention_mask.to(device), b.features.to(device), upto)
            else:
                h = net.bottom(b.input_ids.to(device), b.attention_mask.to(device))
        for i, (r0, n) in zip(group, b.window_rows):
            out[i] = [h[r0 + k, : len(encoded[i].windows[k])].to("cpu", torch.bfloat16) for k in range(n)]
    return out


def stack_bottom(cached: Sequence[list[Any]], length: int, device: str):
    """Pad cached window states of a batch into ``(rows, length, hidden)`` float32."""
    import torch

    rows = [w for c in cached for w in c]
    hid = rows[0].shape[-1]
    out = torch.zeros((len(rows), length, hid), dtype=torch.float32)
    for r, w in enumerate(rows):
        out[r, : w.shape[0]] = w.float()
    return out.to(device)


def pack(encoded: Sequence[EncodedInstance], order: Sequence[int], batch_tokens: int) -> list[list[int]]:
    """Group instances (in ``order``) so that rows x longest window stays under ``batch_tokens``."""
    batches: list[list[int]] = []
    cur: list[int] = []
    rows, longest = 0, 0
    for i in order:
        n = len(encoded[i].windows)
        L = max(len(w) for w in encoded[i].windows)
        if cur and (rows + n) * max(longest, L) > batch_tokens:
            batches.append(cur)
            cur, rows, longest = [], 0, 0
        cur.append(i)
        rows += n
        longest = max(longest, L)
    if cur:
        batches.append(cur)
    return batches


def predict_probs(net, instances: Sequence[Instance], encoded: Sequence[EncodedInstance], device: str,
                  cached: Sequence[list[Any]] | None = None, batch_tokens: int = 8192,
                  start: int | None = None) -> list[list[float]]:
    """Probability of every candidate of every instance (in candidate order)."""
    import torch

    net.eval()
    out: list[list[float]] = [[] for _ in instances]
    todo = [i for i, inst in enumerate(instances) if inst.candidates]
    with torch.no_grad():
        for group in pack(encoded, todo, batch_tokens):
            b = collate([instances[i] for i in group], [encoded[i] for i in group], with_labels=False)
            bottom = None
            if cached is not None:
                bottom = stack_bottom([cached[i] for i in group], b.input_ids.shape[1], device)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda")):
                logits = net(_to(b, device), bottom=bottom, start=start)
            probs = torch.sigmoid(logits.float()).cpu().tolist()
            k = 0
            for i in group:
                n = len(instances[i].candidates)
                out[i] = probs[k : k + n]
                k += n
    return out


def _to(b, device: str):
    if device == "cpu":
        return b
    for name in ("input_ids", "attention_mask", "features", "sub_rows", "sub_mention", "mention_type", "pairs"):
        setattr(b, name, getattr(b, name).to(device))
    if b.labels is not None:
        b.labels = b.labels.to(device)
    return b


def validate(net, val: Sequence[Instance], enc: Sequence[EncodedInstance], device: str, cached=None,
             start: int | None = None) -> dict[str, Any]:
    """Tune the decoder on validation and score it there: the selection criterion and its thresholds."""
    from lit.models.re.decode import decode, tune
    from lit.models.re.metrics import score

    probs = predict_probs(net, val, enc, device, cached, start=start)
    dec = tune(val, probs)
    scores = score(val, [decode(i, p, dec) for i, p in zip(val, probs)])
    return {"tuple_f1": scores["tuples"]["f1"], "scores": scores, "decoding": dec.to_dict()}


def train(config: ReConfig, device: str = "auto", limit: int | None = None, log: Log | None = None, root=None):
    """Train per ``config``; returns ``(net with the best state, decoding dict, TrainResult)``."""
    import torch

    from lit.models.ner.infer import resolve_device
    from lit.models.re.model import build_net

    say = log or (lambda _msg: None)
    dev = resolve_device(device)
    torch.set_num_threads(config.threads or max(1, os.cpu_count() or 1))
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    train_set: list[Instance] = []
    per_corpus: dict[str, int] = {}
    for name in config.corpora:
        cap = min(x for x in (limit, config.corpus_limits.get(name)) if x) if (limit or name in config.corpus_limits) else None
        insts = load_instances(config, name, "train", cap, root, only_with_pairs=True)
        per_corpus[name] = len(insts)
        train_set += insts
    if not train_set:
        raise ModelError(f"no training pairs in {config.corpora}; do their train splits have linked values?")
    val = load_instances(config, config.select_corpus, "validation", limit, root)
    net = build_net(config, seed=config.seed)
    if config.init_from:
        from lit.models.re.model import init_from

        say(f"init from {config.init_from}: {init_from(net, config.init_from)} tensors")
    net = net.to(dev)
    start_layer = config.freeze_below or None
    size = config.max_len - 2
    t0 = time.monotonic()
    enc = encode_instances(net.tokenizer, train_set, config.max_len, size, prune=True)  # no overlap, no idle windows
    venc = encode_instances(net.tokenizer, val, config.max_len, config.stride)
    cache = cache_bottom(net, train_set, enc, dev, upto=start_layer)
    vcache = cache_bottom(net, val, venc, dev, upto=start_layer)
    n_tokens = sum(len(w) for e in enc for w in e.windows)
    n_pairs = sum(len(i.candidates) for i in train_set)
    n_pos = int(sum(sum(i.labels()) for i in train_set))
    say(f"data: {per_corpus} paragraphs, {n_tokens} subword tokens/epoch, {n_pairs} candidate pairs "
        f"({n_pos} gold); validation {config.select_corpus}={len(val)}; frozen layers cached in "
        f"{time.monotonic() - t0:.0f}s; device {dev}")
    frozen = _frozen_names(net, config.freeze_below)
    body = [p for n, p in net.named_parameters() if p.requires_grad and n.startswith("body.") and n not in frozen]
    head = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("body.")]
    opt = torch.optim.AdamW([{"params": body, "lr": config.lr}, {"params": head, "lr": config.head_lr}],
                            weight_decay=config.weight_decay)
    base_lrs = [g["lr"] for g in opt.param_groups]
    rng = random.Random(config.seed)
    n_batches = len(pack(enc, range(len(train_set)), config.batch_tokens))
    total = max(1, config.epochs * n_batches)
    budget = config.max_minutes * 60 if config.max_minutes else None
    pos_weight = torch.tensor(config.pos_weight, device=dev)
    start = time.monotonic()
    step, seen, stopped = 0, 0, "epochs"
    best: dict[str, Any] = {"f1": -1.0, "step": 0, "state": net.trainable_state_dict(), "decoding": {}, "scores": {}}
    history: list[dict[str, Any]] = []
    last_log, last_eval, loss_acc, loss_n = start, start, 0.0, 0

    def evaluate_now(tag: str) -> None:
        te = time.monotonic()
        v = validate(net, val, venc, dev, vcache, start=start_layer)
        rec = {"step": step, "epoch": round(step / n_batches, 3), "val_tuple_f1": v["tuple_f1"],
               "val_pair_f1": v["scores"]["pairs"]["micro"]["f1"], "elapsed_s": round(time.monotonic() - start, 1)}
        history.append(rec)
        if v["tuple_f1"] > best["f1"]:
            best.update(f1=v["tuple_f1"], step=step, state=net.trainable_state_dict(), decoding=v["decoding"],
                        scores=v["scores"])
        say(f"eval {tag}: step {step} val tuple F1 {v['tuple_f1']:.4f} pair micro F1 {rec['val_pair_f1']:.4f} "
            f"(best {best['f1']:.4f} @ {best['step']}, eval {time.monotonic() - te:.0f}s)")
        net.train()

    net.train()
    done = False
    for epoch in range(config.epochs):
        order = list(range(len(train_set)))
        rng.shuffle(order)
        for group in pack(enc, order, config.batch_tokens):
            frac = step / total
            if budget:
                frac = max(frac, (time.monotonic() - start) / budget)
            frac = min(1.0, frac)
            w = config.warmup_ratio
            factor = frac / w if w and frac < w else max(0.02, (1 - frac) / (1 - w if w < 1 else 1))
            for g, lr in zip(opt.param_groups, base_lrs):
                g["lr"] = lr * factor
            b = _to(collate([train_set[i] for i in group], [enc[i] for i in group]), dev)
            bottom = stack_bottom([cache[i] for i in group], b.input_ids.shape[1], dev)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev.startswith("cuda")):
                logits = net(b, bottom=bottom, start=start_layer)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits.float(), b.labels, pos_weight=pos_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + head, 1.0)
            opt.step()
            step += 1
            seen += int(b.attention_mask.sum())
            loss_acc, loss_n = loss_acc + loss.item(), loss_n + 1
            now = time.monotonic()
            if now - last_log > 60 or step == 1:
                say(f"step {step}/{total} epoch {epoch + 1} loss {loss_acc / loss_n:.4f} lr {opt.param_groups[0]['lr']:.2e}"
                    f" {seen / (now - start):.0f} tok/s {now - start:.0f}s")
                last_log, loss_acc, loss_n = now, 0.0, 0
            if config.eval_every_minutes and now - last_eval > config.eval_every_minutes * 60:
                evaluate_now("mid-epoch")
                last_eval = time.monotonic()
            if budget and time.monotonic() - start > budget:
                stopped, done = "time budget", True
                break
        if done:
            break
        evaluate_now(f"epoch {epoch + 1}")
        last_eval = time.monotonic()
    if stopped == "time budget":
        evaluate_now("final")
    net.load_trainable(best["state"])
    net.eval()
    result = TrainResult(
        best_val=best["f1"], best_step=best["step"], steps=step, epochs_done=round(step / n_batches, 3),
        train_tokens=seen, seconds=round(time.monotonic() - start, 1), device=dev, stopped_by=stopped,
        history=history,
        data={"train_paragraphs": per_corpus, "validation_paragraphs": {config.select_corpus: len(val)},
              "tokens_per_epoch": n_tokens, "candidate_pairs": n_pairs, "gold_pairs_covered": n_pos,
              "validation_scores": best["scores"]},
    )
    return net, best["decoding"], result


def _frozen_names(net, freeze_below: int) -> set[str]:
    """Trainable-looking tensors that ``freeze_below`` keeps as loaded: the casing embedding and
    the adapters of layers below it (they stay in the artifact, outside the optimiser)."""
    if not freeze_below:
        return set()
    import re

    out = set()
    for n, p in net.named_parameters():
        if not p.requires_grad or not n.startswith("body."):
            continue
        m = re.search(r"\.layer\.(\d+)\.", n)
        if (m and int(m.group(1)) < freeze_below) or ".case." in n:
            out.add(n)
    return out


def loss_check(config: ReConfig, instances: Sequence[Instance], steps: int = 5) -> list[float]:
    """Loss on one fixed batch before and after ``steps`` updates (CPU; used by tests)."""
    import torch

    from lit.models.re.model import build_net

    net = build_net(config, seed=config.seed)
    enc = encode_instances(net.tokenizer, instances, config.max_len, config.max_len - 2, prune=True)
    b = collate(instances, enc)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=config.head_lr)
    net.train()
    losses = []
    for _ in range(steps + 1):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(b), b.labels)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return [losses[0], losses[-1]]
