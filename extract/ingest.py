"""The nightly ingest: add new papers to the graph, once, under a lock.

``lit ingest SOURCE_DIR --graph TARGET`` is what cron runs. It differs from ``lit extract``
in what it chooses to process: only files whose content hash is not yet a Document in the
graph, plus (with ``reextract``) documents last extracted by other models than today's. A
lock file keeps two overlapping runs from writing at once; the second exits saying who holds
it. The run is recorded as an ExtractionRun node, and a one-line JSON summary is returned
for monitoring. Killing an ingest is safe: upserts are idempotent and the next run picks up
every document the graph does not have yet.

Beside the lock (``.lit-ingest-<target>/`` next to an embedded graph, else under
``$LIT_STATE_DIR``) live: ``hashes.jsonl`` (content ids by path, size and mtime, so only new
or changed files are read), ``extracted.jsonl`` (the ledger: which models last extracted
each document, including documents without facts) and the last run's facts, journal and
failures files.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from lit.errors import LockedError, UsageError
from lit.extract.batch import BatchSummary, collect_paths, run_batch
from lit.extract.document import content_id
from lit.extract.pipeline import DocumentResult
from lit.extract.workers import model_versions
from lit.graph.store import display_target, is_bolt_uri, open_store

DEFAULT_STATE_DIR = Path(os.environ.get("LIT_STATE_DIR", Path.home() / ".local" / "state" / "lit"))


@dataclass
class IngestSummary:
    """The one line an operator's monitoring reads (``status``: ok, partial, nothing-to-do)."""

    status: str
    target: str
    run_id: str | None
    candidates: int
    new: int
    reextracted: int
    skipped: int
    documents: int
    facts: int
    failed: int
    seconds: float

    def to_json(self) -> str:
        return json.dumps({"event": "lit-ingest", **asdict(self)}, sort_keys=True)


def _state_dir(target: str, state_dir: Path | None) -> Path:
    base = state_dir or DEFAULT_STATE_DIR
    if not is_bolt_uri(target) and state_dir is None:
        base = Path(target).resolve().parent
    name = hashlib.sha1(target.encode()).hexdigest()[:12] if is_bolt_uri(target) else Path(target).name
    path = base / f".lit-ingest-{name}"
    path.mkdir(parents=True, exist_ok=True)
    return path


class IngestLock:
    """An exclusive, non-blocking flock; released by the OS if the process dies."""

    def __init__(self, path: Path, target: str):
        self.path, self.target = path, target
        self._fh = None

    def __enter__(self) -> "IngestLock":
        self._fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.seek(0)
            holder = self._fh.read().strip() or "another process"
            self._fh.close()
            raise LockedError(
                f"another lit ingest is already writing to {display_target(self.target)} ({holder}); exiting"
            ) from None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}")
        self._fh.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._fh is not None
        self._fh.truncate(0)
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()


class Ledger:
    """Which models last extracted each document, kept beside the lock (``extracted.jsonl``).

    The graph only knows the models of a document's *facts*: a paper where the NER model
    found nothing, or that was read before any NER model existed (table facts only), looks
    the same as one extracted by today's models. The ledger records what actually ran, one
    line per document per run (the last line wins), so ``--reextract`` redoes exactly the
    documents an older model set produced, once.
    """

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> dict[str, list[str]]:
        latest: dict[str, list[str]] = {}
        if not self.path.exists():
            return latest
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                    latest[row["doc_id"]] = row["models"]
                except (ValueError, KeyError, TypeError):
                    continue  # a torn line from a killed run: that document is simply unknown
        return latest

    def record(self, doc_id: str, models: list[str]) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"doc_id": doc_id, "models": models}) + "\n")


class HashCache:
    """Content ids of files already hashed, keyed by path and checked against size and mtime.

    A nightly ingest over an inbox of 100k papers would otherwise read every byte of every
    paper every night just to learn that nothing changed; with the cache only new or
    modified files are read. A stale entry is impossible to use by accident: any change of
    size or modification time makes the file hashed again.
    """

    def __init__(self, path: Path):
        self.path = path
        self._known: dict[str, tuple[int, int, str]] = {}
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        row = json.loads(line)
                        self._known[row["path"]] = (row["size"], row["mtime_ns"], row["doc_id"])
                    except (ValueError, KeyError, TypeError):
                        continue  # a torn line: that file is hashed again
        self._new: list[str] = []

    def doc_id(self, path: Path) -> str:
        """The file's content id (OSError if it cannot be read)."""
        stat = path.stat()
        key = str(path.resolve())
        cached = self._known.get(key)
        if cached is not None and cached[:2] == (stat.st_size, stat.st_mtime_ns):
            return cached[2]
        doc_id, _ = content_id(path.read_bytes())
        self._known[key] = (stat.st_size, stat.st_mtime_ns, doc_id)
        self._new.append(json.dumps({"path": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                     "doc_id": doc_id}))
        return doc_id

    def save(self) -> None:
        """Append what was hashed this time (last line wins on load)."""
        if self._new:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write("".join(line + "\n" for line in self._new))
            self._new.clear()


def select_documents(
    paths: list[Path],
    stored: dict[str, list[str]],
    current_models: list[str],
    reextract: bool,
    extracted_by: dict[str, list[str]] | None = None,
    hashes: HashCache | None = None,
) -> tuple[list[Path], int, int]:
    """Which files to process: ``(selected, new, reextracted)``; the rest are skipped.

    New: the file's content hash is not a Document in the graph. Outdated (only with
    ``reextract``): the models that last extracted it (the ledger, else its facts' models in
    the graph) are not today's models.
    """
    extracted_by = extracted_by or {}
    current = set(current_models)
    selected, new, again = [], 0, 0
    for path in paths:
        try:
            doc_id = hashes.doc_id(path) if hashes is not None else content_id(path.read_bytes())[0]
        except OSError:
            selected.append(path)  # let the reader report it as a failure
            new += 1
            continue
        if doc_id not in stored:
            selected.append(path)
            new += 1
        elif reextract and set(extracted_by.get(doc_id, stored[doc_id])) != current:
            selected.append(path)
            again += 1
    return selected, new, again


def ingest(
    source_dir: Path,
    target: str,
    *,
    reextract: bool = False,
    model: str | None = None,
    workers: int = 1,
    state_dir: Path | None = None,
    on_result: Callable[[DocumentResult, BatchSummary], None] | None = None,
) -> IngestSummary:
    """Extract the new (and with ``reextract`` the outdated) files of ``source_dir`` into
    ``target``, holding the target's ingest lock; raises LockedError if another ingest holds it,
    UsageError if ``source_dir`` is not a folder (a mistyped or unmounted inbox must not pass
    for an inbox with nothing new)."""
    if not source_dir.is_dir():
        raise UsageError(f"{source_dir}: not a folder (lit ingest reads a folder of papers)")
    started = time.perf_counter()
    state = _state_dir(target, state_dir)
    with IngestLock(state / "lock", target):
        paths, _ = collect_paths([source_dir])
        stored: dict[str, list[str]] = {}
        if is_bolt_uri(target) or Path(target).exists():
            with open_store(target, read_only=True) as store:
                stored = store.document_versions()
        ledger = Ledger(state / "extracted.jsonl")
        current = model_versions(model)
        hashes = HashCache(state / "hashes.jsonl")
        selected, new, again = select_documents(paths, stored, current, reextract, ledger.load(), hashes)
        hashes.save()
        summary = None

        def record(result: DocumentResult, batch: BatchSummary) -> None:
            if result.ok and result.info is not None:
                ledger.record(result.info.doc_id, current)
            if on_result is not None:
                on_result(result, batch)

        if selected:
            out = state / "last-run.facts.jsonl"
            summary = run_batch(selected, out, target, model=model, workers=workers, on_result=record, restart=True)
    failed = len(summary.failures) if summary else 0
    return IngestSummary(
        status="nothing-to-do" if not selected else ("partial" if failed else "ok"),
        target=display_target(target),
        run_id=summary.run_id if summary else None,
        candidates=len(paths),
        new=new,
        reextracted=again,
        skipped=len(paths) - len(selected),
        documents=summary.documents if summary else 0,
        facts=summary.facts if summary else 0,
        failed=failed,
        seconds=round(time.perf_counter() - started, 2),
    )
