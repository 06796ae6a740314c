"""``lit evaluate ner [--model DIR] --corpus NAME --split test [--json]``; ``lit evaluate facts [--split abstracts|results|all|dev] [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lit.cli.errors import cli_errors

evaluate_app = typer.Typer(help="Score a trained model on a corpus split.", no_args_is_help=True)


@evaluate_app.command("facts")
def evaluate_facts_cmd(
    split: str = typer.Option(
        "all", "--split", help="abstracts, results, all (= both held-out splits) or dev (the tuning split)."
    ),
    model: Path = typer.Option(None, "--model", help="NER model folder (default: what lit extract loads)."),
    errors: bool = typer.Option(True, "--errors/--no-errors", help="List every false positive and negative."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores and errors as one JSON object."),
) -> None:
    """End-to-end fact P/R/F1 on the held-out set in corpora/eval (strict: compound, property, unit, value)."""
    from lit.models.evaluate_facts import ALL_SPLITS, evaluate_facts

    if split not in (*ALL_SPLITS, "all"):
        raise typer.BadParameter(f"{split!r} is not {', '.join(ALL_SPLITS)} or all", param_hint="--split")
    with cli_errors():
        scores = evaluate_facts(split, model=model)
    if as_json:
        typer.echo(json.dumps(scores, indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"facts on corpora/eval ({split}): {scores['texts']} texts, {scores['gold']} gold, "
        f"{scores['predicted']} predicted, {scores['seconds']} s"
    )
    typer.echo(f"{'scope':<40} {'P':>7} {'R':>7} {'F1':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    rows = list(scores["per_property"].items()) + list(scores["per_split"].items()) + [("micro", scores["micro"])]
    for name, v in rows:
        typer.echo(
            f"{name:<40} {v['precision']:>7.4f} {v['recall']:>7.4f} {v['f1']:>7.4f} {v['tp']:>4} {v['fp']:>4} {v['fn']:>4}"
        )
    if errors:
        for e in scores["errors"]:
            value = f"{e['value']:g}" + (f"-{e['value_max']:g}" if e["value_max"] is not None else "")
            why = f"  ({e['why']})" if e["kind"] == "fp" else ""
            typer.echo(f"{e['id']} {e['kind'].upper()} {e['compound']} {e['property']} {value} {e['unit']}{why}")


@evaluate_app.command("ner")
def evaluate_ner(
    corpus: str = typer.Option(..., "--corpus", help="Corpus name (polyie, matscholar, mspt, bc5cdr, ...)."),
    split: str = typer.Option("test", "--split", help="train, validation or test."),
    model: Path = typer.Option(None, "--model", help="Model folder (default: newest in models/trained/)."),
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
    model: Path = typer.Option(None, "--model", help="Model folder (default: newest models/trained/re-*)."),
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
