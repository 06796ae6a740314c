"""From config to committed artifact: train, tune and calibrate on validation, score test, write the card.

This is what ``lit train re`` calls; it never prints (progress goes through ``log``).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from lit.models.re.config import ReConfig

Log = Callable[[str], None]



def train_and_release(config: ReConfig, out: Path, device: str = "auto", limit: int | None = None,
                      log: Log | None = None) -> dict[str, Any]:
    """Train per ``config``, save to ``out`` with a model card; returns what the card reports."""
    from lit.models.ner.card import git_revision
    from lit.models.re.card import write_card
    from lit.models.re.decode import Decoding, decode, fit_calibration, reliability
    from lit.models.re.evaluate import evaluate_instances
    from lit.models.re.infer import RelationModel
    from lit.models.re.train import load_instances, train

    say = log or (lambda _m: None)
    revision = git_revision()
    net, decoding, result = train(config, device=device, limit=limit, log=say)
    model = RelationModel(net, Decoding.from_dict(decoding), result.device)
    # Calibration and its reliability table on validation (thresholds were tuned there too).
    val = load_instances(config, config.select_corpus, "validation", limit)
    vprobs = model.probabilities(val)
    model.decoding = fit_calibration(val, [decode(i, p, model.decoding) for i, p in zip(val, vprobs)], model.decoding)
    vrel = reliability(val, model.decode(val, vprobs))
    test = load_instances(config, config.select_corpus, "test", limit)
    ev = evaluate_instances(model, test)
    trel = reliability(test, ev.pop("_preds"))
    created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    info = {
        **result.run_info("best_val_tuple_f1", revision),
        "limit": limit,
        "created": created,
    }
    net.save_pretrained(out, {"created": created, "git_revision": revision, "decoding": model.decoding.to_dict()})
    (out / "training_log.json").write_text(json.dumps({**info, "history": result.history}, indent=2) + "\n",
                                           encoding="utf-8")
    metrics = {
        "corpus": config.select_corpus,
        "test": {"model": ev["model_scores"], "rules": ev["rule_scores"], "examples": len(test),
                 "seconds": ev["seconds"]},
        "validation": result.data.get("validation_scores", {}),
        "reliability": {"validation": vrel, "test": trel},
        "decoding": model.decoding.to_dict(),
    }
    write_card(out, config, info, metrics)
    say(f"saved {out}: test tuple F1 {ev['model_scores']['tuples']['f1']:.4f} "
        f"(rules {ev['rule_scores']['tuples']['f1']:.4f}), pair micro F1 {ev['model_scores']['pairs']['micro']['f1']:.4f} "
        f"(rules {ev['rule_scores']['pairs']['micro']['f1']:.4f})")
    return {"out": str(out), "train": info, "metrics": metrics}


def redecode(directory: Path, device: str = "auto", log: Log | None = None) -> dict[str, Any]:
    """Re-tune an artifact's decoder and calibration on validation, re-score test, rewrite its card.

    For decoder changes that need no retraining: the weights stay as they are, the
    thresholds and calibration are fitted on validation again and the test table is
    recomputed (test is still only scored, never tuned on).
    """
    from lit.models.re.card import write_card
    from lit.models.re.decode import decode, fit_calibration, reliability, tune
    from lit.models.re.evaluate import evaluate_instances
    from lit.models.re.infer import RelationModel
    from lit.models.re.train import load_instances

    say = log or (lambda _m: None)
    d = Path(directory)
    model = RelationModel.load(d, device=device)
    config = model.config
    val = load_instances(config, config.select_corpus, "validation")
    vprobs = model.probabilities(val)
    dec = tune(val, vprobs)
    dec = fit_calibration(val, [decode(i, p, dec) for i, p in zip(val, vprobs)], dec)
    model.decoding = dec
    from lit.models.re.metrics import score

    vpreds = model.decode(val, vprobs)
    test = load_instances(config, config.select_corpus, "test")
    ev = evaluate_instances(model, test)
    trel = reliability(test, ev.pop("_preds"))
    cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
    cfg["decoding"] = dec.to_dict()
    (d / "config.json").write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    old = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
    info = old.pop("train")
    metrics = {
        "corpus": config.select_corpus,
        "test": {"model": ev["model_scores"], "rules": ev["rule_scores"], "examples": len(test),
                 "seconds": ev["seconds"]},
        "validation": score(val, vpreds),
        "reliability": {"validation": reliability(val, vpreds), "test": trel},
        "decoding": dec.to_dict(),
    }
    write_card(d, config, info, metrics)
    say(f"re-decoded {d}: validation tuple F1 {metrics['validation']['tuples']['f1']:.4f}; test tuple F1 "
        f"{ev['model_scores']['tuples']['f1']:.4f} (rules {ev['rule_scores']['tuples']['f1']:.4f})")
    return metrics
