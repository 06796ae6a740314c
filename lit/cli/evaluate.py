"""``lit evaluate ner [--model DIR] --corpus NAME --split test [--json]``; ``lit evaluate facts [--set NAME] [--split dev|test]
[--errors N] [--json]``; ``lit evaluate agreement [--reference a|b]``; ``lit evaluate re ...``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from lit.cli.errors import cli_errors

evaluate_app = typer.Typer(help="Score a trained model on a corpus split.", no_args_is_help=True)


@evaluate_app.command("facts")
def evaluate_facts_cmd(
    set_: str = typer.Option(
        "real", "--set", help="realtext, sofc_exp, polyie, battery, ours (the texts written here), a comma list, "
        "or real (= the four sets of third-party text)."
    ),
    split: str = typer.Option("dev", "--split", help="dev (tuning, error analysis) or test (report once per change)."),
    model: Path = typer.Option(None, "--model", help="NER model folder (default: what lit extract loads)."),
    relation_model: Path = typer.Option(None, "--relation-model", help="Relation model folder (default: as lit extract)."),
    errors: int = typer.Option(0, "--errors", min=0, help="Print N false positives and N misses per set, with sentences."),
    min_confidence: Optional[float] = typer.Option(
        None, "--min-confidence", min=0.0, max=1.0,
        help="Score the facts at least this confident (default: what lit extract writes by default; 0: every fact).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: the split and each set's scores."),
) -> None:
    """End-to-end fact P/R/F1 on real text, strict (same compound, property and numbers), of
    the facts lit extract writes (by default, those at the calibration's operating point)."""
    from lit.extract.pipeline import Extractor
    from lit.models.benchmark import load_set, set_names
    from lit.models.benchmark.run import evaluate_set

    with cli_errors():
        names = set_names(set_)
        benches = [load_set(name, split) for name in names]
        extractor = Extractor.load(model, relation_model=relation_model)
        scores = {bench.name: evaluate_set(bench, extractor, errors, min_confidence=min_confidence) for bench in benches}
    if as_json:
        typer.echo(json.dumps({"split": split, "sets": scores}, indent=2, ensure_ascii=False))
        return
    for name, s in scores.items():
        _print_set(name, split, s, errors)


def _floor(s: dict) -> str:
    floor = s.get("min_confidence")
    return " (default output)" if floor is None else f" (confidence >= {floor})"


def _ratio(x: float | None) -> str:
    return f"{x:>7.4f}" if x is not None else f"{'-':>7}"


def _print_set(name: str, split: str, s: dict, errors: int) -> None:
    typer.echo(
        f"\n{name} ({split}): {s['texts']} texts, {s['gold']} gold, {s['predicted']} predicted, "
        f"{s['matched']} matched" + _floor(s) + (f", {s['seconds']} s" if s.get("seconds") is not None else "") + (" -- recall only (silver gold)" if s["recall_only"] else "")
    )
    typer.echo(f"{'property':<38} {'P':>7} {'R':>7} {'F1':>7} {'gold':>5} {'pred':>5} {'match':>5}")
    for label, v in [*s["per_property"].items(), ("all", s)]:
        typer.echo(f"{label:<38} {_ratio(v['precision'])} {_ratio(v['recall'])} {_ratio(v['f1'])} "
                   f"{v['gold']:>5} {v['predicted']:>5} {v['matched']:>5}")
    typer.echo("not scored: " + ", ".join(f"{k} {v}" for k, v in s["not_scored"].items())
               + "; loader: " + ", ".join(f"{k} {v}" for k, v in s["loader"].items()))
    if s["failed"]:
        typer.echo(f"{len(s['failed'])} documents failed: " + "; ".join(f["error"] for f in s["failed"][:3]))
    if errors:
        for fp in s["errors"]["false_positives"]:
            typer.echo(f"FP {fp['id']} {fp['compound']} {fp['property']} {fp['numbers']} ({fp['why']})\n   {fp['sentence']}")
        for miss in s["errors"]["misses"]:
            names = " | ".join([miss["compound"], *miss["aliases"]])
            typer.echo(f"MISS {miss['id']} {names} {miss['property']} {miss['numbers']}\n   {miss['evidence']}")


@evaluate_app.command("agreement")
def evaluate_agreement_cmd(
    reference: str = typer.Option("a", "--reference", help="a (the annotations.*.jsonl files) or b (agreement.b.jsonl)."),
    errors: int = typer.Option(0, "--errors", min=0, help="Print N facts only the other side has and N only the reference has."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
) -> None:
    """Inter-annotator agreement on the real-text set: strict fact P/R/F1 of one annotator against the other."""
    from lit.models.benchmark.agreement import agreement

    with cli_errors():
        scores = agreement(reference=reference, errors=errors)
    if as_json:
        typer.echo(json.dumps(scores, indent=2, ensure_ascii=False))
        return
    scores["failed"] = []
    _print_set("agreement", scores["split"], scores, errors)


@evaluate_app.command("ner")
def evaluate_ner(
    corpus: str = typer.Option(..., "--corpus", help="Corpus name (polyie, matscholar, mspt, bc5cdr, ...)."),
    split: str = typer.Option("test", "--split", help="train, validation or test."),
    model: Path = typer.Option(None, "--model", help="Model folder (default: the bundle in lit.models.bundle)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Score only the first N examples."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
) -> None:
    """Entity-level precision/recall/F1 (exact span and type), micro and per label."""
    from lit.models.ner.release import evaluate_corpus

    with cli_errors():
        scores = evaluate_corpus(model, corpus, split, device=device, limit=limit)
    if as_json:
        typer.echo(json.dumps(scores, indent=2))
        return
    typer.echo(f"{scores['model']} on {corpus}/{split}: {scores['examples']} examples, {scores['seconds']} s")
    typer.echo(f"{'label':<12} {'P':>7} {'R':>7} {'F1':>7} {'support':>8}")
    for label, v in list(scores["per_label"].items()) + [("micro", scores["micro"])]:
        typer.echo(f"{label:<12} {v['precision']:>7.4f} {v['recall']:>7.4f} {v['f1']:>7.4f} {v['support']:>8}")


@evaluate_app.command("re")
def evaluate_re(
    corpus: str = typer.Option("polyie", "--corpus", help="Corpus with links/tuples (polyie, mspt, sofc_exp, battery_triples)."),
    split: str = typer.Option("test", "--split", help="train, validation or test."),
    model: Path = typer.Option(None, "--model", help="Model folder (default: the bundle in lit.models.bundle)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Score only the first N paragraphs."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
    require_property: bool = typer.Option(
        None, "--require-property/--no-require-property",
        help="Override the model's rule that drops a value with no property (default: the model's; off on a "
        "corpus without property mentions). MSPT marks few properties: score it with --no-require-property.",
    ),
    end_to_end: bool = typer.Option(
        False, "--end-to-end", help="Score the whole pipeline's tuples (its own mentions), not the model on gold mentions."
    ),
) -> None:
    """Pair P/R/F1 (per link type, micro) and tuple P/R/F1 on gold mentions, beside the rule-based linker."""
    from lit.models.re.evaluate import evaluate_corpus as evaluate_re_corpus
    from lit.models.re.evaluate import evaluate_pipeline

    if end_to_end:
        from lit.extract.pipeline import Extractor

        with cli_errors():
            scores = evaluate_pipeline(corpus, split, Extractor.load(relation_model=model), limit=limit)
        t = scores["tuples"]
        typer.echo(json.dumps(scores, indent=2) if as_json else (
            f"{'+'.join(scores['model_versions'][:1])} on {corpus}/{split}: {scores['examples']} paragraphs, "
            f"{scores['seconds']} s\ntuples P {t['precision']:.4f} R {t['recall']:.4f} F1 {t['f1']:.4f} "
            f"({t['tp']} of {t['pred']} predicted, {t['support']} gold)"))
        return
    with cli_errors():
        scores = evaluate_re_corpus(model, corpus, split, device=device, limit=limit,
                                    require_property=require_property)
    if as_json:
        typer.echo(json.dumps(scores, indent=2))
        return
    typer.echo(f"{scores['model']} on {corpus}/{split}: {scores['examples']} paragraphs, {scores['seconds']} s")
    if scores.get("decoding_note"):
        typer.echo(f"({scores['decoding_note']})")
    typer.echo(f"{'metric':<24} {'system':<6} {'P':>7} {'R':>7} {'F1':>7} {'support':>8}")
    for system, key in (("model", "model_scores"), ("rules", "rule_scores")):
        s = scores[key]
        rows = [("tuples", s["tuples"]), ("tuples+conditions", s["tuples_with_conditions"])]
        rows += [(f"pairs {k}", v) for k, v in s["pairs"].items()]
        for name, v in rows:
            typer.echo(f"{name:<24} {system:<6} {v['precision']:>7.4f} {v['recall']:>7.4f} {v['f1']:>7.4f} {v['support']:>8}")


def register(app: typer.Typer) -> None:
    app.add_typer(evaluate_app, name="evaluate")
