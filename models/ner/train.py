"""Training the NER model: same code and config on CPU and CUDA, under a wall-clock budget.

Choices and why:

- **Unified head + partial-annotation loss.** Corpora annotate different subsets of the
  unified labels (BC5CDR marks only chemicals, MatScholar has no values...). A plain
  cross-entropy would teach "a value is O" from every corpus that does not mark values.
  Instead, at a word a corpus left O, the loss accepts O *or* any tag of a label that
  corpus never annotates: ``-log sum_{allowed} p``. Which labels a corpus annotates is read
  from its training data. One head then serves every corpus and shares what they teach.
- **Time-aware schedule.** Warmup then linear decay over a progress measure that is the
  larger of "steps done / steps planned" and "time used / time budget", so a run cut by
  ``max_minutes`` still ends with a small learning rate.
- **Selection on validation only.** The best trainable state by mean validation micro-F1
  (over the corpora that have a validation split) is kept; test splits are never touched.
- **Token-budget batches.** Windows are sorted by length and packed into batches of about
  ``batch_tokens`` padded tokens, then the batch order is shuffled with the seed.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any, Callable, Sequence

from lit.errors import CorpusError, ModelError
from lit.models.ner.config import NerConfig
from lit.models.training import TrainResult

Log = Callable[[str], None]


def load_training_data(config: NerConfig, limit: int | None = None, root=None) -> tuple[dict, dict]:
    """Train and validation Examples per corpus, subsampled with the seed.

    ``limit`` (the CLI's ``--limit``) caps every corpus's train and validation examples
    for smoke runs.
    """
    from lit.models.corpora import load_examples

    train, val = {}, {}
    rng = random.Random(config.seed)
    for spec in config.corpora:
        exs = load_examples(spec.name, spec.split, root=root)
        rng.shuffle(exs)
        cap = min(x for x in (spec.limit, limit) if x is not None) if (spec.limit or limit) else None
        train[spec.name] = exs[:cap] if cap else exs
        if spec.validation_split:
            try:
                v = load_examples(spec.name, spec.validation_split, root=root)
            except CorpusError:
                v = []
            vcap = min(x for x in (config.max_val_examples, limit) if x is not None) if (
                config.max_val_examples or limit) else None
            if vcap:
                v = random.Random(config.seed).sample(v, min(vcap, len(v)))
            if v:
                val[spec.name] = v
    return train, val


def build_windows(model, config: NerConfig, train: dict[str, list]) -> tuple[list, list[set[str]]]:
    """Training windows of every corpus, tagged with their corpus's index (``group``)."""
    from lit.models.ner.windows import encode_texts, make_windows, word_tags

    tag2id = {t: i for i, t in config.id2label.items()}
    tok = model.tokenizer
    size = config.max_len - 2
    stride = config.train_stride or size
    windows, coverage = [], []
    for g, (name, exs) in enumerate(train.items()):
        coverage.append({e.label for ex in exs for e in ex.entities if e.label in config.labels})
        for b in range(0, len(exs), 256):
            chunk = exs[b : b + 256]
            encs = encode_texts(tok, [e.text for e in chunk], [list(e.tokens) for e in chunk])
            for ex, enc in zip(chunk, encs):
                tags = word_tags(enc.words, [(e.start, e.end, e.label) for e in ex.entities], tag2id)
                wins, _ = make_windows(enc, size, stride, tok.cls_token_id, tok.sep_token_id, tags, group=g)
                windows += wins
    return windows, coverage


def make_batches(windows: Sequence, batch_tokens: int) -> list[list[int]]:
    """Indices of windows packed by length into batches of about ``batch_tokens`` padded tokens."""
    order = sorted(range(len(windows)), key=lambda i: (len(windows[i].input_ids), i))
    batches, cur, longest = [], [], 0
    for i in order:
        n = len(windows[i].input_ids)
        if cur and max(longest, n) * (len(cur) + 1) > batch_tokens:
            batches.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        batches.append(cur)
    return batches


def collate(windows: Sequence, idx: Sequence[int]):
    import torch

    from lit.models.ner.windows import IGNORE

    L = max(len(windows[i].input_ids) for i in idx)
    ids = torch.zeros((len(idx), L), dtype=torch.long)
    mask = torch.zeros((len(idx), L), dtype=torch.long)
    feats = torch.zeros((len(idx), L, 3), dtype=torch.long)
    labels = torch.full((len(idx), L), IGNORE, dtype=torch.long)
    groups = torch.zeros(len(idx), dtype=torch.long)
    for r, i in enumerate(idx):
        w = windows[i]
        n = len(w.input_ids)
        ids[r, :n] = torch.tensor(w.input_ids)
        mask[r, :n] = 1
        feats[r, :n] = torch.tensor(w.features)
        labels[r, :n] = torch.tensor(w.labels)
        groups[r] = w.group
    return ids, mask, feats, labels, groups


def uncovered_tags(config: NerConfig, coverage: Sequence[set[str]]):
    """Bool tensor ``(n_corpora, n_tags)``: tags a corpus never annotates (allowed at its O)."""
    import torch

    tags = config.tags
    out = torch.zeros((len(coverage), len(tags)), dtype=torch.bool)
    for g, cov in enumerate(coverage):
        for k, t in enumerate(tags):
            if t != "O" and t.partition("-")[2] not in cov:
                out[g, k] = True
    return out


def weights_of_tags(config: NerConfig):
    """Per-tag loss weights from ``config.label_weights`` (``None`` when all are 1)."""
    import torch

    if not config.label_weights:
        return None
    return torch.tensor([config.label_weights.get(t.partition("-")[2], 1.0) for t in config.tags])


def partial_loss(logits, labels, groups, extra_allowed, o_id: int = 0, tag_weights=None):
    """Mean over labelled positions of ``-log sum_{allowed tags} p`` (see module docstring).

    ``tag_weights`` (a tensor, one weight per tag) scales each position's loss by the weight
    of its gold tag: a weighted mean, so a rare label (PolyIE's CONDITION: 266 training
    entities against ~2,000 per other label) can count for more without changing the scale.
    """
    import torch

    from lit.models.ner.windows import IGNORE

    valid = labels != IGNORE
    if not valid.any():
        return logits.sum() * 0.0
    lg = logits[valid].float()
    lab = labels[valid]
    grp = groups.unsqueeze(1).expand_as(labels)[valid]
    allowed = torch.nn.functional.one_hot(lab, lg.shape[-1]).bool()
    allowed |= extra_allowed[grp] & (lab == o_id).unsqueeze(1)
    masked = lg.masked_fill(~allowed, float("-inf"))
    nll = torch.logsumexp(lg, -1) - torch.logsumexp(masked, -1)
    if tag_weights is None:
        return nll.mean()
    w = tag_weights[lab]
    return (nll * w).sum() / w.sum()


def validate(model, val: dict[str, list], device: str, batch_size: int = 32) -> dict[str, Any]:
    """Micro-F1 per validation corpus and their mean (the selection criterion).

    Each corpus is scored on the labels it annotates, with its own head when the model has
    one per corpus, exactly as the test scoring does.
    """
    from lit.models.ner.evaluate import corpus_labels, evaluate_examples
    from lit.models.ner.infer import NerTagger

    tagger = NerTagger(model, device)
    per = {}
    for name, exs in val.items():
        with tagger.head_for(name):
            per[name] = evaluate_examples(tagger, exs, batch_size, labels=corpus_labels(name)).to_dict()
    mean = sum(v["micro"]["f1"] for v in per.values()) / len(per) if per else 0.0
    return {"mean_f1": round(mean, 4), "per_corpus": per}


def train(
    config: NerConfig,
    device: str = "auto",
    limit: int | None = None,
    log: Log | None = None,
    root=None,
    data: tuple[dict, dict] | None = None,
):
    """Train a model per ``config``; returns ``(model with the best state, TrainResult)``."""
    import torch

    from lit.models.ner.infer import resolve_device
    from lit.models.ner.model import build_model

    say = log or (lambda _msg: None)
    dev = resolve_device(device)
    if dev == "cpu":  # on a GPU, leave OMP_NUM_THREADS to whoever runs several trainings at once
        torch.set_num_threads(max(1, os.cpu_count() or 1))
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    train_ex, val_ex = data if data is not None else load_training_data(config, limit, root)
    if not any(train_ex.values()):
        raise ModelError(f"no training examples in {[c.name for c in config.corpora]}")
    model = build_model(config, seed=config.seed)
    if config.init_from:
        from lit.models.ner.model import init_from

        say(f"init from {config.init_from}: {init_from(model, config.init_from)} weights")
    windows, coverage = build_windows(model, config, train_ex)
    n_tokens = sum(len(w.input_ids) for w in windows)
    say(
        f"data: {', '.join(f'{k}={len(v)}' for k, v in train_ex.items())} examples, {len(windows)} windows, "
        f"{n_tokens} subword tokens/epoch; validation {', '.join(f'{k}={len(v)}' for k, v in val_ex.items())}; "
        f"coverage {[sorted(c) for c in coverage]}; device {dev}"
    )
    model.to(dev)
    extra_allowed = uncovered_tags(config, coverage).to(dev)
    tag_weights = weights_of_tags(config)
    tag_weights = tag_weights.to(dev) if tag_weights is not None else None
    batches = make_batches(windows, config.batch_tokens)
    head_names = ("classifier", "case.")
    params_head = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith(head_names)]
    params_body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith(head_names)]
    opt = torch.optim.AdamW(
        [
            {"params": params_body, "lr": config.lr},
            {"params": params_head, "lr": config.head_lr or config.lr},
        ],
        weight_decay=config.weight_decay,
    )
    base_lrs = [g["lr"] for g in opt.param_groups]
    total_steps = max(1, config.epochs * len(batches))
    budget = config.max_minutes * 60 if config.max_minutes else None
    eval_every = config.eval_every_steps or len(batches)
    rng = random.Random(config.seed)
    use_amp = dev.startswith("cuda")
    start = time.monotonic()
    step, seen, stopped = 0, 0, "epochs"
    best = {"f1": -1.0, "step": 0, "state": model.trainable_state_dict(), "scores": {}}
    history: list[dict[str, Any]] = []
    last_log, loss_acc, loss_n = start, 0.0, 0
    last_eval = [start]

    def progress() -> float:
        p = step / total_steps
        if budget:
            p = max(p, (time.monotonic() - start) / budget)
        return min(1.0, p)

    def evaluate_now(tag: str) -> None:
        t0 = time.monotonic()
        scores = validate(model, val_ex, dev) if val_ex else {"mean_f1": 0.0, "per_corpus": {}}
        rec = {"step": step, "epoch": round(step / len(batches), 3), "val_f1": scores["mean_f1"],
               "elapsed_s": round(time.monotonic() - start, 1), "eval_s": round(time.monotonic() - t0, 1)}
        history.append(rec)
        if scores["mean_f1"] > best["f1"] or not val_ex:
            best.update(f1=scores["mean_f1"], step=step, state=model.trainable_state_dict(), scores=scores)
        say(f"eval {tag}: step {step} val mean micro-F1 {scores['mean_f1']:.4f} "
            + " ".join(f"{k}={v['micro']['f1']:.4f}" for k, v in scores["per_corpus"].items())
            + f" (best {best['f1']:.4f} @ {best['step']}, eval {rec['eval_s']}s)")

    model.train()
    done = False
    for epoch in range(config.epochs):
        order = list(range(len(batches)))
        rng.shuffle(order)
        for bi in order:
            frac = progress()
            warm = config.warmup_ratio
            factor = frac / warm if warm and frac < warm else max(0.0, (1 - frac) / (1 - warm if warm < 1 else 1))
            factor = max(factor, 0.02 if frac < 1 else 0.0)
            for g, lr in zip(opt.param_groups, base_lrs):
                g["lr"] = lr * factor
            ids, mask, feats, labels, groups = (t.to(dev) for t in collate(windows, batches[bi]))
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_amp):
                logits = model(ids, mask, feats, groups)
            loss = partial_loss(logits, labels, groups, extra_allowed, tag_weights=tag_weights)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params_body + params_head, 1.0)
            opt.step()
            step += 1
            seen += int(mask.sum())
            loss_acc += loss.item()
            loss_n += 1
            now = time.monotonic()
            if now - last_log > 30 or step == 1:
                say(f"step {step}/{total_steps} epoch {epoch + 1} loss {loss_acc / loss_n:.4f} "
                    f"lr {opt.param_groups[0]['lr']:.2e} {seen / (now - start):.0f} tok/s {now - start:.0f}s")
                last_log, loss_acc, loss_n = now, 0.0, 0
            due = step % eval_every == 0 and step % len(batches) != 0
            if config.eval_every_minutes and now - last_eval[0] > config.eval_every_minutes * 60:
                due = True
            if due:
                evaluate_now("mid-epoch")
                last_eval[0] = time.monotonic()
            if budget and now - start > budget:
                stopped, done = "time budget", True
                break
        if done:
            break
        evaluate_now(f"epoch {epoch + 1}")
    if stopped == "time budget":
        evaluate_now("final")
    model.load_trainable(best["state"])
    model.eval()
    result = TrainResult(
        best_val=best["f1"],
        best_step=best["step"],
        steps=step,
        epochs_done=round(step / len(batches), 3),
        train_tokens=seen,
        seconds=round(time.monotonic() - start, 1),
        device=dev,
        stopped_by=stopped,
        history=history,
        data={
            "train": {k: len(v) for k, v in train_ex.items()},
            "validation": {k: len(v) for k, v in val_ex.items()},
            "windows": len(windows),
            "tokens_per_epoch": n_tokens,
            "coverage": {k: sorted(c) for k, c in zip(train_ex, coverage)},
        },
        val_scores=best["scores"],
    )
    return model, result


def initial_loss_check(config: NerConfig, examples: list, steps: int = 5, device: str = "cpu") -> list[float]:
    """Loss on one fixed batch before/after ``steps`` updates (used by tests; seconds on CPU)."""
    import torch

    from lit.models.ner.model import build_model

    torch.manual_seed(config.seed)
    model = build_model(config, seed=config.seed)
    windows, coverage = build_windows(model, config, {"x": examples})
    extra = uncovered_tags(config, coverage)
    batch = collate(windows, list(range(len(windows))))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=config.lr)
    model.train()
    losses = []
    for _ in range(steps + 1):
        ids, mask, feats, labels, groups = batch
        loss = partial_loss(model(ids, mask, feats, groups), labels, groups, extra)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return [losses[0], losses[-1]]
