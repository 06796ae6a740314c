"""From config to committed artifact: train, save, score on test splits, write the card.

This is what ``lit train ner`` and ``lit evaluate ner`` call; it never prints (progress goes
through the ``log`` callback) so the CLI decides what the user sees.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from lit.errors import CorpusError, ModelError
from lit.models.ner.config import NerConfig

Log = Callable[[str], None]


def evaluate_corpus(
    model: str | Path | None, corpus: str, split: str = "test", batch_size: int = 32,
    device: str = "auto", limit: int | None = None, tagger=None,
) -> dict[str, Any]:
    """Entity-level scores of a model folder (default: the bundle's) on a corpus split.

    A model with a head per corpus is scored with ``corpus``'s own head. Only the labels the corpus annotates are scored (its label map's targets), so a model
    is not charged for finding e.g. values in a chemicals-only corpus.
    """
    from lit.models.corpora import load_examples
    from lit.models.ner.evaluate import corpus_labels, evaluate_examples
    from lit.models.ner.infer import NerTagger

    tg = tagger or NerTagger.load(model, device=device)
    examples = load_examples(corpus, split)
    if limit:
        examples = examples[:limit]
    t0 = time.monotonic()
    labels = corpus_labels(corpus)
    with tg.head_for(corpus):
        scores = evaluate_examples(tg, examples, batch_size, labels=labels).to_dict()
    scores.update(
        labels=labels,
        corpus=corpus, split=split, examples=len(examples), model=str(tg.path), seconds=round(time.monotonic() - t0, 1)
    )
    return scores


def train_and_release(
    config: NerConfig,
    out: Path,
    device: str = "auto",
    limit: int | None = None,
    test_corpora: Sequence[str] = ("polyie",),
    log: Log | None = None,
    ablation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train per ``config``, save to ``out`` with a model card, return the metrics written.

    Test corpora that cannot be loaded (converter missing, files absent) are reported in
    the card as skipped rather than failing a finished training run.
    """
    from lit.models.ner.card import git_revision
    from lit.models.ner.infer import NerTagger
    from lit.models.ner.train import train

    say = log or (lambda _m: None)
    revision = git_revision()
    model, result = train(config, device=device, limit=limit, log=say)
    info = {
        **result.run_info("best_val_f1", revision),
        "history": result.history,
        "validation": {k: v["micro"] for k, v in result.val_scores.get("per_corpus", {}).items()},
        "limit": limit,
    }
    created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    model.save_pretrained(out, {"created": created, "git_revision": revision})
    (out / "training_log.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    say(f"saved {out}; scoring test splits {list(test_corpora)}")
    model.merge_adapters()
    tagger = NerTagger(model, result.device, out)
    return score_and_card(out, config, info, test_corpora, tagger=tagger, log=say, ablation=ablation, limit=limit)


def score_and_card(
    out: Path,
    config: NerConfig | None = None,
    info: dict[str, Any] | None = None,
    test_corpora: Sequence[str] = ("polyie",),
    tagger=None,
    log: Log | None = None,
    ablation: dict[str, Any] | None = None,
    limit: int | None = None,
    limits: dict[str, int] | None = None,
    device: str = "auto",
    notes: str = "",
) -> dict[str, Any]:
    """Score a saved artifact on test splits and (re)write its model card.

    ``info`` defaults to the artifact's ``training_log.json``; ``limits`` caps the examples
    of single corpora (the first N, recorded in the card) when a full test split does not
    fit the time available. Test corpora that cannot be loaded are listed as skipped.
    """
    from lit.models.ner.card import write_card
    from lit.models.ner.infer import NerTagger

    say = log or (lambda _m: None)
    out = Path(out)
    tg = tagger or NerTagger.load(out, device=device)
    cfg = config or tg.config
    if info is None:
        path = out / "training_log.json"
        if not path.is_file():
            raise ModelError(f"{path}: no training log; train with `lit train ner` to get one")
        info = json.loads(path.read_text(encoding="utf-8"))
    test: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    capped: dict[str, int] = {}
    for corpus in test_corpora:
        cap = (limits or {}).get(corpus, limit)
        try:
            s = evaluate_corpus(None, corpus, "test", limit=cap, tagger=tg)
        except (CorpusError, ModelError) as exc:
            skipped[corpus] = str(exc)
            say(f"test {corpus}: skipped ({exc})")
            continue
        if cap:
            capped[corpus] = s["examples"]
        test[corpus] = {k: s[k] for k in ("micro", "macro_f1", "per_label", "examples", "seconds")}
        say(f"test {corpus}: micro-F1 {s['micro']['f1']:.4f} " + " ".join(
            f"{k}={v['f1']:.3f}" for k, v in s["per_label"].items()))
    lines = [notes] if notes else []
    lines += [f"- test split of {k} skipped: {v}" for k, v in skipped.items()]
    lines += [f"- {k}: scored on the first {n} test examples only (CPU time)" for k, n in capped.items()]
    write_card(out, cfg, {k: v for k, v in info.items() if k != "history"}, test, ablation, "\n".join(lines))
    return {"out": str(out), "train": info, "test": test, "skipped": skipped}
