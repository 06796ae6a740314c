"""Many files -> facts file + graph: the engine behind ``lit extract`` and ``lit ingest``.

Inputs are files, folders (recursive) and glob patterns. Documents are extracted by
workers (supervised local processes or Ray actors: :mod:`lit.extract.workers`);
results stream back in completion order and are written as they come, each document's
facts fsynced before its journal line, so an interrupted run resumes where it stopped
(see :mod:`lit.extract.journal`). A failed document is recorded (in the summary and the
failures file) and the run goes on. Nothing here prints: callers pass ``on_result``.

Memory stays flat with corpus size: facts are streamed to the file, graph upserts go in
batches, a resume trims and re-reads the facts file line by line, and only a short record
of fixed size per document (its content id as an integer and its index in the input list)
is kept for the whole run, beside the input list itself.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import os
import shutil
import stat
import sys
import time
import uuid
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Sequence, TextIO

from lit import __version__
from lit.errors import DiskFullError, UsageError
from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact
from lit.extract.journal import Journal, JournalState, NoJournal, json_line, read_facts, trim_facts, write_durably
from lit.extract.pipeline import DocumentResult
from lit.extract.readers import SUFFIXES
from lit.extract.workers import model_versions, open_workers
from lit.graph.embedded import EmbeddedStore
from lit.graph.store import ExtractionRun, GraphStore, display_target, open_store
from lit.models.fact_confidence import Floors


#: Free space a run keeps on the disks it writes to (``LIT_MIN_FREE_MB``), on top of what the
#: next write needs: below it the run stops with :class:`~lit.errors.DiskFullError` before
#: writing. The embedded engine does not fail a write on a full disk, it aborts the process
#: inside a log write (exit 134), leaving a torn log; see :func:`ensure_space`.
DEFAULT_MIN_FREE_MB = 64.0
#: Disk bytes a fact may take in the embedded graph while it is written: its rows in the
#: write-ahead log and again at the checkpoint (a generous estimate; ~1 KB each is typical).
GRAPH_BYTES_PER_FACT = 8192

#: What the embedded graph engine may keep before the driver's store reopens it (see
#: :mod:`lit.graph.embedded`): the driver writes a few thousand facts a minute, so a reopen
#: (~0.5 s) every ~10,000 facts costs nothing noticeable, and the driver's memory stays
#: within ~32 MiB of where it started instead of the store's default 128 MiB.
GRAPH_ENGINE_MIB = 32.0


def ensure_space(where: str | Path, need: int, what: str) -> None:
    """Raise DiskFullError unless the disk holding ``where`` has ``need`` bytes free beyond
    ``LIT_MIN_FREE_MB``. Checked before every write of facts and of graph batches."""
    try:
        spare = float(os.environ.get("LIT_MIN_FREE_MB", DEFAULT_MIN_FREE_MB))
    except ValueError:
        spare = DEFAULT_MIN_FREE_MB
    free = shutil.disk_usage(where).free
    if free < need + spare * 2**20:
        raise DiskFullError(
            f"{where}: {free / 2**20:.0f} MB free on its disk, below the {spare:g} MB kept free "
            f"(LIT_MIN_FREE_MB) plus {need / 2**20:.1f} MB for {what}; stopped before writing: "
            "free space and run the same command again to resume")


def _disk_full(where: str | Path, exc: OSError) -> DiskFullError:
    return DiskFullError(f"{where}: the disk is full ({exc.strerror}); stopped: free space and run the "
                         "same command again to resume")


def collect_sources(inputs: Sequence[str | Path]) -> tuple[list[str], list[str]]:
    """Expand files, folders and globs into a sorted, de-duplicated list of path strings.

    Returns ``(files, missing)``: inputs that matched nothing are reported, not fatal.
    Folders (walked recursively, symlinked folders not followed) contribute only files with
    a known suffix that are not hidden; a file named explicitly is always taken. Strings,
    not Path objects: a Path costs ~430 bytes against ~150 for its string, which matters
    for a run over millions of files.
    """
    found: dict[str, str] = {}  # real path -> the path as the user's input spells it
    missing: list[str] = []
    for raw in inputs:
        item = str(raw)
        if os.path.isdir(item):
            for root, _dirs, names in os.walk(item):
                for name in names:
                    if not name.startswith(".") and os.path.splitext(name)[1].lower() in SUFFIXES:
                        path = os.path.join(root, name)
                        if os.path.isfile(path):
                            found.setdefault(os.path.realpath(path), path)
        elif os.path.isfile(item):
            found.setdefault(os.path.realpath(item), item)
        else:
            files = [m for m in glob.glob(item, recursive=True) if os.path.isfile(m)]
            if not files:
                missing.append(item)
            for path in files:
                found.setdefault(os.path.realpath(path), path)
    return sorted(found.values()), missing


def input_problem(path: str) -> str | None:
    """Why ``path`` cannot be read as an input file or folder, or None if it can: what a
    failure names instead of a bare "no such file" (a symlink loop, a FIFO)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if os.path.islink(path):
            return "a symbolic link to nothing"
        return "no such file, folder or glob match"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a regular file (a FIFO, device or socket); lit reads files and folders"
    return None


def is_stream(out: str | Path) -> bool:
    """Whether ``out`` names a stream rather than a facts file to keep a journal beside: ``-``
    (stdout), anything under /dev or /proc (``/dev/stdout``, ``/dev/null``), or an existing
    file that is neither a regular file nor a folder (a FIFO). A stream gets the facts and nothing else: no
    journal (no resume) and no failures file; failures are reported on stderr only."""
    text = str(out)
    if text == "-" or os.path.abspath(text).startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = os.stat(text).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def collect_paths(inputs: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """:func:`collect_sources` as Paths, for callers that stat or read each file (the ingest)."""
    files, missing = collect_sources(inputs)
    return [Path(f) for f in files], missing


@dataclass
class BatchSummary:
    """Counts of a run so far; ``on_result`` callbacks read it to draw progress."""

    run_id: str
    started: str
    total: int = 0  # files found plus inputs that matched nothing
    finished: str | None = None
    documents: int = 0  # done so far, including those a resumed run had finished before
    resumed: int = 0
    succeeded: int = 0
    duplicates: int = 0  # same content as an earlier file of the run: no facts of their own
    facts: int = 0
    failures: list[dict] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    #: What had to be repaired for the run to go on (a torn graph log set aside), one line each.
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "started": self.started,
            "finished": self.finished,
            "total": self.total,
            "documents": self.documents,
            "resumed": self.resumed,
            "succeeded": self.succeeded,
            "duplicates": self.duplicates,
            "failed": len(self.failures),
            "facts": self.facts,
            "models": self.models,
            "notes": self.notes,
        }


class _GraphWriter:
    """Batches documents and facts into store upserts, and journals each committed batch.

    A batch is written when it holds ``docs`` documents or ``facts`` facts, or when a
    document arrives ``wait`` seconds or more after the batch's first (and at the end).
    Big, rare calls because an embedded store keeps ~0.9 MiB per upsert call until it is
    reopened (see :mod:`lit.graph.embedded`): at 50 abstracts a call, 10,000 abstracts made
    200 calls and the driver's memory grew by half a reopen budget; at 500, 20 calls. A
    crash redoes at most one batch's upsert, from the facts file (no document is extracted
    again).
    """

    def __init__(self, store: GraphStore | None, journal: Journal, run: ExtractionRun,
                 docs: int = 500, facts: int = 5000, wait: float = 30.0):
        self.store, self.journal, self.run = store, journal, run
        self.max_docs, self.max_facts, self.wait = docs, facts, wait
        self.docs: list[DocumentInfo] = []
        self.facts: list[Fact] = []
        self.ok_entries = 0  # successful journal entries so far (the journal's graph marker)
        #: The embedded store's folder, whose disk is checked before each write; None for a server.
        self.folder: Path | None = store.path if isinstance(store, EmbeddedStore) else None
        self._since = 0.0  # when the pending batch got its first document

    def add(self, info: DocumentInfo | None, facts: Sequence[Fact]) -> None:
        """Queue one successful document (``info`` None: a duplicate, nothing to write)."""
        self.ok_entries += 1
        if self.store is None or info is None:
            return
        if not self.docs:
            self._since = time.monotonic()
        self.docs.append(info)
        self.facts.extend(facts)
        if (len(self.docs) >= self.max_docs or len(self.facts) >= self.max_facts
                or time.monotonic() - self._since >= self.wait):
            self.flush()

    def flush(self) -> None:
        if self.store is not None and self.docs:
            if self.folder is not None:
                ensure_space(self.folder, len(self.facts) * GRAPH_BYTES_PER_FACT, "the next graph batch")
            self.store.upsert(self.docs, self.facts, self.run)
            self.journal.graph_flushed(self.ok_entries)
        self.docs.clear()
        self.facts.clear()


def run_batch(
    inputs: Sequence[str | Path],
    out: Path,
    graph: str | None,
    *,
    model: str | Path | None = None,
    workers: int = 1,
    min_confidence: float | None = None,
    on_result: Callable[[DocumentResult, BatchSummary], None] | None = None,
    restart: bool = False,
    ray: str | None = None,
) -> BatchSummary:
    """Extract facts from every input file into ``out`` (JSONL) and, unless ``graph`` is
    None, the graph store it names. Failures go to ``<out>.failures.jsonl``.

    A fact is written when its confidence reaches ``min_confidence``; by default (None), when
    it reaches the operating point of the calibration its model was calibrated with (facts of
    other models, table facts among them, are all written).

    An interrupted run with the same inputs, model, threshold and graph is resumed from its
    journal unless ``restart`` is set. ``on_result(result, summary)`` is called after each
    document is safely recorded. KeyboardInterrupt propagates once the workers are stopped;
    the journal stays valid, so the same call resumes.

    ``out`` may be a stream (:func:`is_stream`: ``-`` for stdout, a FIFO, ``/dev/null``);
    then only the facts are written there. An ``out`` that is one of the inputs is refused
    (UsageError) before anything is opened, so the input is left intact.
    """
    out = Path(out)
    stream = is_stream(out)
    paths, missing = collect_sources(inputs)
    if not stream:
        _refuse_input_as_out(out, inputs, paths)
        out.parent.mkdir(parents=True, exist_ok=True)
    names = "\n".join(paths)
    header = {
        "inputs": hashlib.sha256(names.encode("utf-8", "surrogateescape")).hexdigest(),
        "files": len(paths),
        "model": str(model) if model is not None else None,
        "min_confidence": min_confidence,
        "graph": display_target(graph) if graph is not None else None,
    }
    journal = NoJournal(out) if stream else Journal(out)
    state = None if restart else journal.resumable(header)
    summary = BatchSummary(run_id=uuid.uuid4().hex[:16], started=_now(), total=len(paths) + len(missing))
    if state is not None and state.run is not None:
        # The same run, interrupted: its ExtractionRun (which the graph may hold already, with
        # Measurements pointing to it and no end) gets its end when the resume finishes.
        summary.run_id, summary.started = state.run["run_id"], state.run["started"]
    for raw in missing:
        summary.failures.append({"source": raw, "code": "E100", "error": f"{raw}: {input_problem(raw)}"})
    store = open_store(graph, engine_mib=GRAPH_ENGINE_MIB) if graph is not None else None
    if store is not None and store.recovered:
        summary.notes.append(store.recovered)
        if state is not None:
            state.graph_flushed = 0  # what the graph had of this run may be gone: upsert it all again
    run = ExtractionRun(run_id=summary.run_id, started=summary.started, lit_version=__version__)
    writer = _GraphWriter(store, journal, run)
    seen = _Seen(paths)
    models: set[str] = set()
    try:
        todo = paths
        journal.start(header, state, {"run_id": summary.run_id, "started": summary.started})
        if state is not None:
            _resume(state, out, summary, writer, seen, models)
            todo = [p for p in paths if p not in state.done]
        with _open_facts(out, stream, "a" if state is not None else "w") as fh:
            if todo:
                with open_workers(model, min(workers, len(todo)), ray) as pool:
                    models.update(pool.model_versions)
                    summary.models = sorted(models)
                    committer = _Committer(fh, journal, writer, summary, seen, models,
                                           Floors.of(min_confidence, models), on_result, sync=not stream)
                    for result in pool.map(todo):
                        committer.add(result)
                committer.commit()
            else:  # everything was done before the interrupt: no workers to ask
                models.update(model_versions(model))
        writer.flush()
        summary.finished = _now()
        summary.models = run.models = sorted(models)
        run.finished, run.documents, run.facts, run.failures = (
            summary.finished, summary.succeeded, summary.facts, len(summary.failures))
        if store is not None:
            if writer.folder is not None:
                ensure_space(writer.folder, 0, "the run's record")
            store.record_run(run)
        journal.finish(summary.to_dict())
    finally:
        journal.close()
        if store is not None:
            store.close()
        if not stream:
            _write_failures(out, summary.failures)
    return summary


def _refuse_input_as_out(out: Path, inputs: Sequence[str | Path], paths: Sequence[str]) -> None:
    """UsageError if the facts file ``out`` is one of the input files (a run would truncate it).

    Only an existing file can be; a folder contributes only files with a reader's suffix, so
    unless ``out`` has one or an input is a glob, only the files named explicitly need
    comparing (a resume over a million files then resolves no million paths)."""
    if not out.is_file():
        return
    real = os.path.realpath(out)
    globbed = any(not os.path.exists(i) for i in inputs)
    named = [str(i) for i in inputs if os.path.isfile(i)]
    candidates = paths if globbed or out.suffix.lower() in SUFFIXES else named
    if any(os.path.realpath(p) == real for p in candidates):
        raise UsageError(f"--out {out}: is one of the input files; name another facts file (the input is left as it is)")


@contextlib.contextmanager
def _open_facts(out: Path, stream: bool, mode: str) -> Iterator[TextIO]:
    """The facts file, or the stream ``out`` names (stdout for ``-``, left open)."""
    if stream and str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(out, "w" if stream else mode, encoding="utf-8") as fh:
        yield fh


def _resume(
    state: JournalState, out: Path, summary: BatchSummary, writer: _GraphWriter,
    seen: "_Seen", models: set[str],
) -> None:
    """Take over what an interrupted run finished: trim the facts file to it, count it, and
    upsert the journaled documents the graph had not received yet."""
    kept, fact_models = trim_facts(out, state.ok_doc_ids)
    models.update(m for m in fact_models if m)
    summary.facts += kept
    for entry in state.done.values():
        summary.documents += 1
        summary.resumed += 1
        if not entry["ok"]:
            summary.failures.append({k: entry[k] for k in ("source", "code", "error")})
            continue
        summary.succeeded += 1
        seen.first(entry["info"]["doc_id"], entry["source"])
        summary.duplicates += "duplicate_of" in entry
    pending = state.ok_entries[state.graph_flushed:]
    writer.ok_entries = state.graph_flushed
    by_doc: dict[str, list[Fact]] = {e["info"]["doc_id"]: [] for e in pending if "duplicate_of" not in e}
    if writer.store is not None:
        for fact in read_facts(out, set(by_doc)):
            by_doc[fact["doc_id"]].append(Fact.from_dict(fact))
    for entry in pending:
        if "duplicate_of" in entry:
            writer.add(None, [])
        else:
            writer.add(DocumentInfo(**entry["info"]), by_doc[entry["info"]["doc_id"]])
    writer.flush()


class _Seen:
    """The run's documents by content, to spot a file whose bytes an earlier file had.

    The driver keeps this for the whole run, so its record per document is small and of
    fixed size: the content id as an integer (20 hex digits, 80 bits) mapped to the index of
    the first source in the run's sorted path list, instead of the id and the source as
    strings (~300 bytes a document, growing with path length; now ~100).
    """

    def __init__(self, paths: Sequence[str]):
        self.paths = paths  # sorted (collect_sources): a source's index is found by bisection
        self._first: dict[int | str, int | str] = {}

    def first(self, doc_id: str, source: str) -> str:
        """The first source seen with ``doc_id``'s content: ``source`` itself when it is new."""
        try:
            key: int | str = int(doc_id, 16)
        except ValueError:  # not a content hash (never made by lit's readers): keep it whole
            key = doc_id
        known = self._first.get(key)
        if known is not None:
            return self.paths[known] if isinstance(known, int) else known
        i = bisect_left(self.paths, source)
        self._first[key] = i if i < len(self.paths) and self.paths[i] == source else source
        return source


class _Committer:
    """Records results in groups: facts of the group, one fsync; journal lines, one fsync.

    The order (facts durable before any journal line that vouches for them) is what makes a
    resume exact; grouping keeps it while paying two fsyncs per group instead of per document
    (on this machine an fsync costs ~2-4 ms, more than reading and segmenting an abstract).
    A group is committed when it holds ``size`` documents or ``delay`` s passed since the last
    commit, so slow documents (long PDFs) are committed, and shown, one by one as they come.
    """

    def __init__(
        self, fh: TextIO, journal: Journal, writer: _GraphWriter, summary: BatchSummary,
        seen: "_Seen", models: set[str], floors: Floors,
        on_result: Callable[[DocumentResult, BatchSummary], None] | None,
        size: int = 64, delay: float = 0.5, sync: bool = True,
    ):
        self.fh, self.journal, self.writer, self.summary = fh, journal, writer, summary
        self.seen, self.models, self.floors, self.on_result = seen, models, floors, on_result
        self.size, self.delay, self.sync = size, delay, sync
        self._lines: list[str] = []
        self._entries: list[tuple[dict, DocumentResult, list[Fact] | None]] = []
        self._last = time.monotonic()

    def add(self, result: DocumentResult) -> None:
        entry: dict = {"source": result.source, "ok": result.ok}
        facts: list[Fact] | None = None
        if not result.ok:
            entry.update(code=result.error_code, error=result.error)
        else:
            assert result.info is not None
            first = self.seen.first(result.info.doc_id, result.source)
            if first != result.source:  # the same bytes under another name: its facts are out already
                entry["duplicate_of"] = first
                facts = []
            else:
                facts = [f for f in result.facts if self.floors.keeps(f)]
                self._lines.extend(f.to_json() + "\n" for f in facts)
            entry.update(info=result.info.to_dict(), facts=len(facts))
        self._entries.append((entry, result, facts))
        if len(self._entries) >= self.size or time.monotonic() - self._last >= self.delay:
            self.commit()

    def commit(self) -> None:
        if not self._entries:
            return
        where = Path(self.fh.name) if isinstance(self.fh.name, str) else None
        if where is not None and where.is_file():  # a stream (stdout, /dev/null) has no disk to check
            ensure_space(where.parent, sum(len(line) for line in self._lines) * 4, "the next facts")
        try:
            write_durably(self.fh, self._lines, self.sync)
            self.journal.record_many([entry for entry, _, _ in self._entries])
        except OSError as exc:
            if exc.errno == errno.ENOSPC and where is not None:
                raise _disk_full(where, exc) from None
            raise
        entries, self._entries, self._lines = self._entries, [], []
        self._last = time.monotonic()
        summary = self.summary
        for entry, result, facts in entries:
            summary.documents += 1
            if facts is None:
                summary.failures.append({k: entry[k] for k in ("source", "code", "error")})
            else:
                summary.succeeded += 1
                summary.facts += len(facts)
                summary.duplicates += "duplicate_of" in entry
                self.models.update(f.model for f in facts)
                self.writer.add(None if "duplicate_of" in entry else result.info, facts)
            if self.on_result is not None:
                self.on_result(result, summary)


def _write_failures(out: Path, failures: list[dict]) -> None:
    """``<out>.failures.jsonl``: one ``{"source", "code", "error"}`` line per failed input."""
    with open(out.with_name(out.name + ".failures.jsonl"), "w", encoding="utf-8") as fh:
        for failure in failures:
            fh.write(json_line(failure))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
