"""``lit ingest SOURCE_DIR --graph TARGET``: the incremental nightly ingest (cron / systemd)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lit.cli.options import PdfEngine, pdf_engine_option, use_pdf_engine

from lit.cli.errors import EXIT_ERROR, EXIT_PARTIAL, EXIT_USAGE, os_error_line
from lit.errors import GraphLockedError, LitError, LockedError, UsageError

#: Another ingest holds the lock: not a failure, try again later (sysexits' EX_TEMPFAIL).
EXIT_LOCKED = 75


def ingest(
    source_dir: Path = typer.Argument(..., help="Folder of papers to ingest."),
    graph: str = typer.Option("lit-graph", "--graph", help="Graph target: a folder or a bolt:// / neo4j:// URI."),
    reextract: bool = typer.Option(False, "--reextract", help="Also redo documents extracted by an older model."),
    workers: int = typer.Option(1, "--workers", "-w", min=1),
    model: str = typer.Option(None, "--model", help="NER model folder (default: the bundle in lit.models.bundle)."),
    state_dir: Path = typer.Option(None, "--state-dir", help="Where the lock and last-run files live."),
    quiet: bool = typer.Option(False, "--quiet", "--silent", help="Only the summary line (no progress)."),
    pdf_engine: PdfEngine = pdf_engine_option(),
) -> None:
    """Add only new (or, with --reextract, outdated) documents to the graph and print one
    JSON summary line on stdout. Exit codes: 0 ok or nothing to do, 3 some documents
    failed, 75 another ingest is running, 130 interrupted, 2 unusable arguments (a missing
    SOURCE_DIR, a --state-dir that is a file), 1 error."""
    from lit.cli.paths import check_folder, check_graph
    from lit.cli.progress import BatchProgress
    from lit.extract.ingest import ingest as run_ingest

    progress = BatchProgress("silent" if quiet else "auto")
    try:
        check_graph(graph, writing=True)
        if state_dir is not None:
            check_folder(state_dir.absolute(), f"--state-dir {state_dir}")
        with progress, use_pdf_engine(pdf_engine):
            summary = run_ingest(
                source_dir, graph, reextract=reextract, model=model, workers=workers,
                state_dir=state_dir, on_result=progress.update,
            )
    except KeyboardInterrupt:
        typer.echo(json.dumps({"event": "lit-ingest", "status": "interrupted"}))
        raise typer.Exit(130) from None
    except (LockedError, GraphLockedError) as exc:  # another ingest, or any other writer of the graph
        typer.echo(json.dumps({"event": "lit-ingest", "status": "locked", "message": str(exc)}))
        raise typer.Exit(EXIT_LOCKED) from None
    except (LitError, OSError) as exc:
        message = os_error_line(exc) if isinstance(exc, OSError) else str(exc)
        typer.echo(f"Error: {message}", err=True)
        typer.echo(json.dumps({"event": "lit-ingest", "status": "error", "message": message}))
        raise typer.Exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_ERROR) from None
    typer.echo(summary.to_json())
    if summary.failed:
        raise typer.Exit(EXIT_PARTIAL)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
