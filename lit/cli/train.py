"""``lit train ner|re --config FILE ...`` and ``lit train confidence`` (fact-confidence calibration)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lit.cli.errors import cli_errors

train_app = typer.Typer(help="Train a model (NER, relations) or fit the fact-confidence calibration.", no_args_is_help=True)


@train_app.command("ner")
def train_ner(
    config: Path = typer.Option(..., "--config", exists=True, dir_okay=False, help="Training config (.json or .toml)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Use at most N examples per corpus and split (smoke runs)."),
    device: str = typer.Option("auto", "--device", help="auto (CUDA when present), cpu or cuda."),
    out: Path = typer.Option(None, "--out", help="Artifact folder (default models/trained/ner-<version>)."),
    test: str = typer.Option("polyie", "--test", help="Comma-separated corpora whose test split goes in the card."),
    silent: bool = typer.Option(False, "--silent", help="No progress on stderr."),
) -> None:
    """Train the NER model, save adapters + head + model card, print the metrics as JSON."""
    from lit.models.ner.config import load_config
    from lit.models.bundle import TRAINED_DIR
    from lit.models.ner.release import train_and_release

    def log(msg: str) -> None:
        if not silent:
            typer.echo(msg, err=True)

    with cli_errors():
        cfg = load_config(config)
        target = out or TRAINED_DIR / f"ner-{cfg.version}"
        report = train_and_release(
            cfg, target, device=device, limit=limit, test_corpora=[t for t in test.split(",") if t], log=log
        )
    report["train"].pop("history", None)
    typer.echo(json.dumps(report, indent=2))


@train_app.command("re")
def train_re(
    config: Path = typer.Option(..., "--config", exists=True, dir_okay=False, help="RE training config (.json)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Use at most N paragraphs per corpus and split (smoke runs)."),
    device: str = typer.Option("auto", "--device", help="auto (CUDA when present), cpu or cuda."),
    out: Path = typer.Option(None, "--out", help="Artifact folder (default models/trained/re-<version>)."),
    silent: bool = typer.Option(False, "--silent", help="No progress on stderr."),
) -> None:
    """Train the relation model, tune/calibrate on validation, score test, save with a card; print JSON."""
    from lit.models.bundle import TRAINED_DIR
    from lit.models.re.config import load_config as load_re_config
    from lit.models.re.release import train_and_release as release_re

    def log(msg: str) -> None:
        if not silent:
            typer.echo(msg, err=True)

    with cli_errors():
        cfg = load_re_config(config)
        report = release_re(cfg, out or TRAINED_DIR / f"re-{cfg.version}", device=device, limit=limit, log=log)
    typer.echo(json.dumps(report["metrics"]["test"], indent=2))


@train_app.command("confidence")
def train_confidence(
    version: str = typer.Option("v2", "--version", help="Artifact version (folder models/trained/conf-<version>)."),
    sets: str = typer.Option(",".join(("realtext", "sofc_exp", "polyie")), "--sets",
                             help="Benchmark sets to fit on, pooled (lit evaluate facts --set names)."),
    split: str = typer.Option("dev", "--split", help="Split to fit on (never test)."),
    check: str = typer.Option("test", "--check", help="Split reported beside it, never fitted on ('' for none)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Use at most N texts per set and split (smoke runs)."),
    out: Path = typer.Option(None, "--out", help="Artifact folder (default models/trained/conf-<version>)."),
    silent: bool = typer.Option(False, "--silent", help="No progress on stderr."),
) -> None:
    """Fit the fact-confidence calibration for the current NER + relation models; print JSON."""
    from lit.extract.pipeline import Extractor
    from lit.models.benchmark import set_names
    from lit.models.fact_confidence import PREFIX, release
    from lit.models.bundle import TRAINED_DIR

    if split == "test":
        raise typer.BadParameter("the test split is for reporting, never for fitting", param_hint="--split")

    def log(msg: str) -> None:
        if not silent:
            typer.echo(msg, err=True)

    with cli_errors():
        report = release(
            Extractor.load(require_model=True),
            out or TRAINED_DIR / f"{PREFIX}{version}",
            version=version,
            sets=set_names(sets),
            split=split,
            check=check or None,
            limit=limit,
            log=log,
        )
    summary = {k: report[k] for k in ("version", "fitted_for", "a", "b")}
    for part in ("fitted_on", "checked_on"):
        if part in report:
            summary[part] = {name: {k: v for k, v in each.items() if k not in ("raw", "calibrated")}
                             for name, each in report[part].items()}
    typer.echo(json.dumps(summary, indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
