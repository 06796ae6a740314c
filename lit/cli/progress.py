"""Progress of a batch on stderr: a live bar on a terminal, plain log lines otherwise.

``lit extract`` and ``lit ingest`` pass :meth:`BatchProgress.update` to the library as its
``on_result`` callback; the library itself never prints. On a terminal a rich progress bar
shows documents done/total, facts, failures and documents per second. When stderr is a
file or a pipe (cron, systemd, CI) a bar would fill the log with control codes, so each
failure gets its own line and a status line is written at most every ``interval`` seconds
(and for the last document). ``silent`` prints nothing at all.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from lit.extract.batch import BatchSummary
from lit.extract.pipeline import DocumentResult


class BatchProgress:
    """Context manager; ``mode`` is ``auto`` (bar on a TTY, else log), ``bar``, ``log`` or ``silent``."""

    def __init__(self, mode: str = "auto", stream: TextIO | None = None, interval: float = 5.0):
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if self.stream.isatty() else "log"
        self.mode = mode
        self.interval = interval
        self.started = time.perf_counter()
        self._last_line = 0.0
        self._bar = None
        self._task = None
        self._base = 0  # documents a resumed run had done before: not part of this run's rate

    def __enter__(self) -> "BatchProgress":
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("[bold]extract"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("docs  {task.fields[facts]} facts  {task.fields[failed]} failed  {task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("extract", total=None, facts=0, failed=0, rate="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def rate(self, summary: BatchSummary) -> float:
        """Documents per second done by this process (resumed ones excluded)."""
        elapsed = time.perf_counter() - self.started
        return (summary.documents - summary.resumed) / elapsed if elapsed > 0 else 0.0

    def update(self, result: DocumentResult, summary: BatchSummary) -> None:
        """The ``on_result`` callback: one document is recorded."""
        if self.mode == "silent":
            return
        rate = self.rate(summary)
        failed = len(summary.failures)
        if self._bar is not None:
            self._bar.update(
                self._task, total=summary.total, completed=summary.documents,
                facts=summary.facts, failed=failed, rate=f"{rate:.1f} docs/s",
            )
            if not result.ok:
                self._bar.console.print(f"FAILED {result.error}", markup=False, highlight=False)
            return
        if not result.ok:
            self._line(f"FAILED {result.error}")
        now = time.perf_counter()
        if now - self._last_line >= self.interval or summary.documents >= summary.total:
            self._last_line = now
            self._line(
                f"{summary.documents}/{summary.total} documents, {summary.facts} facts, "
                f"{failed} failed, {rate:.1f} docs/s"
            )

    def _line(self, text: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        self.stream.write(f"{stamp} {text}\n")
        self.stream.flush()


def summary_lines(summary: BatchSummary, seconds: float, where: str) -> list[str]:
    """The end-of-run report: counts, rate, models, then every failure with its reason."""
    done = summary.documents - summary.resumed
    rate = done / seconds if seconds > 0 else 0.0
    lines = [
        f"{summary.succeeded}/{summary.total} documents, {summary.facts} facts, {len(summary.failures)} failed "
        f"-> {where} ({done} documents in {seconds:.1f} s, {rate:.1f} docs/s"
        + (f"; {summary.resumed} done by the interrupted run" if summary.resumed else "")
        + (f"; {summary.duplicates} duplicate files" if summary.duplicates else "")
        + ")",
        f"models: {', '.join(summary.models) or 'none'}"
        + ("" if any(not m.startswith(("lit-table", "rules-")) for m in summary.models)
           else " (no trained NER model found: rules and tables only)"),
    ]
    return lines
