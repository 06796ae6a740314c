"""``lit train ner --config FILE [--limit N] [--device auto|cpu|cuda] [--out DIR]``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lit.cli.errors import cli_errors

train_app = typer.Typer(help="Train a model (NER) from a config file.", no_args_is_help=True)


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
    from lit.models.ner.infer import TRAINED_DIR
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
    from lit.models.ner.infer import TRAINED_DIR
    from lit.models.re.config import load_config as load_re_config
    from lit.models.re.release import train_and_release as release_re

    def log(msg: str) -> None:
        if not silent:
            typer.echo(msg, err=True)

    with cli_errors():
        cfg = load_re_config(config)
        report = release_re(cfg, out or TRAINED_DIR / f"re-{cfg.version}", device=device, limit=limit, log=log)
    typer.echo(json.dumps(report["metrics"]["test"], indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
