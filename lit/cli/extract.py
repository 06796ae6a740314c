"""``lit extract PATH...``: facts from files, folders and globs, into JSONL and the graph."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from lit.cli.options import PdfEngine, pdf_engine_option, use_pdf_engine

from lit.cli.errors import EXIT_PARTIAL, cli_errors

#: Interrupted by Ctrl-C (128 + SIGINT, the shell convention); re-running resumes.
EXIT_INTERRUPTED = 130


def extract(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or glob patterns."),
    out: Path = typer.Option(
        Path("facts.jsonl"), "--out", "-o",
        help="Facts file (JSON lines); '-' writes the facts to stdout (no journal, no resume).",
    ),
    graph: str = typer.Option(
        "lit-graph", "--graph", help="Graph target: a folder (embedded store) or a bolt:// / neo4j:// URI."
    ),
    no_graph: bool = typer.Option(False, "--no-graph", help="Write the facts file only."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes (Ray actors with --ray)."),
    model: str = typer.Option(None, "--model", help="NER model folder (default: the bundle in lit.models.bundle)."),
    min_confidence: Optional[float] = typer.Option(
        None, "--min-confidence", min=0.0, max=1.0,
        help="Leave out facts below this confidence (default: the calibration's operating point, "
             "see models/trained/conf-*/README.md; 0 writes every fact).",
    ),
    ray: str = typer.Option(
        None, "--ray", help="Run on Ray: a cluster address (ray://host:10001, auto) or 'local'.",
    ),
    restart: bool = typer.Option(False, "--restart", help="Ignore an interrupted run's journal; start afresh."),
    silent: bool = typer.Option(False, "--silent", help="No progress on stderr (the summary is still printed)."),
    pdf_engine: PdfEngine = pdf_engine_option(),
) -> None:
    """Extract compound-property facts. Exit code 0: all documents succeeded; 3: some failed
    (listed in OUT.failures.jsonl); 130: interrupted; 2: unusable arguments; 1: error.

    Progress goes to stderr: a bar on a terminal, plain lines otherwise. An interrupted run
    (Ctrl-C, kill, crash) resumes where it stopped when re-run with the same arguments.
    With ``--out -`` (or a FIFO, ``/dev/null``) only the facts go there: no journal, no
    failures file (failures are listed on stderr), and the summary goes to stderr when the
    facts go to stdout.
    """
    from lit.cli.paths import check_graph, check_out, writes_stdout
    from lit.cli.progress import BatchProgress, summary_lines
    from lit.extract.batch import is_stream, run_batch

    started = time.perf_counter()
    stream, to_stdout = is_stream(out), writes_stdout(out)
    progress = BatchProgress("silent" if silent else "auto")
    with cli_errors(writing=out):
        check_out(out)
        if not no_graph:
            check_graph(graph, writing=True)
        try:
            with progress, use_pdf_engine(pdf_engine):
                summary = run_batch(
                    paths, out, None if no_graph else graph, model=model, workers=workers,
                    min_confidence=min_confidence, on_result=progress.update, restart=restart, ray=ray,
                )
        except KeyboardInterrupt:
            resume = "" if stream else f"; run the same command again to resume (journal: {out}.journal)"
            typer.echo(f"interrupted{resume}", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
    where = ("stdout" if to_stdout else f"{out}") + ("" if no_graph else f" and graph {graph}")
    for line in summary_lines(summary, time.perf_counter() - started, where):
        typer.echo(line, err=to_stdout)
    for note in summary.notes:
        typer.echo(f"note: {note}", err=True)
    if summary.failures:
        see = "" if stream else f" (see {out}.failures.jsonl)"
        typer.echo(f"{len(summary.failures)} failed{see}:", err=True)
        for failure in summary.failures:
            typer.echo(f"  {failure['error']}", err=True)
        raise typer.Exit(EXIT_PARTIAL)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
