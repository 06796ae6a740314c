"""Score relation models on each corpus's test split and add the table to a model card.

    python scripts/re_corpora_card.py models/trained/re-v3 --baseline models/trained/re-v2 \\
        --corpora polyie mspt sofc_exp battery_triples [--json-dir DIR]

For every model and corpus the scores are those of ``lit evaluate re --model M --corpus C
--split test --json`` (gold mentions): read from ``DIR/<model folder>.<corpus>.test.json``
when that file exists, else computed here. The rows go into the card's ``metrics.json``
(``per_corpus_test``) and ``README.md`` is rewritten from it (test is only scored, never tuned on).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

NOTE = [
    "`lit evaluate re --model M --corpus C --split test` for each (MSPT with `--no-require-property`: it marks",
    "a property for few values, so the decoder's property rule would drop nearly all); P / R / **F1**. `tuples` and the pair",
    "columns are what the decoder outputs (one compound per value unless the value lists several, a",
    "condition only on a value that got a compound); `candidates` counts every candidate link above its",
    "type's threshold, before decoding, so a value may keep several compounds. Corpora: PolyIE and MSPT",
    "(re-v2 trained on their train splits too), SOFC-Exp (links only: no property mentions, decoded without",
    "`require_property`; its frames link every material of an experiment to each value, so decoded",
    "compound_of recall is capped near 0.5) and the battery triples (SILVER, rule-extracted: mentions are",
    "only the spans in triples, so precision is measured only against other annotated mentions; read recall).",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("--baseline", type=Path, action="append", default=[])
    ap.add_argument("--corpora", nargs="+", default=["polyie", "mspt", "sofc_exp", "battery_triples"])
    ap.add_argument("--json-dir", type=Path, default=None)
    ap.add_argument("--notes", type=Path, default=None, help="markdown lines added to the card's Training section")
    args = ap.parse_args(argv)

    from lit.models.re.card import write_card
    from lit.models.re.config import ReConfig

    rows = []
    for corpus in args.corpora:
        for k, model in enumerate([*args.baseline, args.model]):
            cached = args.json_dir / f"{model.name}.{corpus}.test.json" if args.json_dir else None
            if cached and cached.is_file():
                res = json.loads(cached.read_text(encoding="utf-8"))
            else:
                from lit.models.re.evaluate import evaluate_corpus

                res = evaluate_corpus(model, corpus, "test")
            rows.append({"corpus": corpus, "version": res["version"], "model": model.name,
                         "examples": res["examples"], "model_scores": res["model_scores"],
                         "candidate_scores": res.get("candidate_scores"), "rule_scores": res["rule_scores"],
                         "decoding_note": res.get("decoding_note")})
            if k == len(args.baseline):  # the rule linker once per corpus, on the same gold mentions
                rows.append({"corpus": corpus, "version": "rules", "model": "lit.extract.link",
                             "examples": res["examples"], "model_scores": res["rule_scores"]})
            print(f"{model.name:8} {corpus:16} tuples F1 {res['model_scores']['tuples']['f1']:.4f} "
                  f"pairs micro F1 {res['model_scores']['pairs']['micro']['f1']:.4f}")
    d = args.model
    metrics = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
    info = metrics.pop("train")
    metrics["per_corpus_test"] = rows
    metrics["per_corpus_note"] = NOTE
    if args.notes:
        metrics["training_notes"] = args.notes.read_text(encoding="utf-8").rstrip("\n").splitlines()
    cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
    config = ReConfig.from_dict(cfg, source=str(d / "config.json"))
    write_card(d, config, info, metrics)
    print(f"wrote {d / 'README.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
