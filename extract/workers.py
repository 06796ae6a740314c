"""Where documents are extracted: in supervised local worker processes, or on Ray.

The batch runner (:mod:`lit.extract.batch`) does not care which: it opens a
:class:`Workers` with :func:`open_workers`, asks it once for the model versions the
workers run (recorded on the ExtractionRun even when a run finds no facts), and then
streams :class:`~lit.extract.pipeline.DocumentResult` objects out of :meth:`Workers.map`
in completion order. Every worker holds one :class:`~lit.extract.pipeline.Extractor`
(the NER model loaded once) for its whole life, so model start-up is paid per worker,
not per document.

Workers take documents in groups (:func:`group_paths`: up to :data:`GROUP_DOCS` files or
:data:`GROUP_BYTES` of input) and extract each group with one NER call over all its
sentences and one relation-model call over all its paragraphs
(:meth:`~lit.extract.pipeline.Extractor.extract_paths`); results still come back one per
document, and a file that fails does so alone.

Local workers are ``spawn``-ed processes that ignore SIGINT: Ctrl-C reaches the driver,
which stops the pool and leaves the journal consistent, instead of every worker printing
its own traceback. The driver kills and replaces a worker whose file runs past the per-file
time limit or memory cap (:class:`Limits`; see :class:`ProcessPool`). Ray actors have no
such limits here (Ray's own memory monitor kills runaway actors).
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from abc import ABC, abstractmethod
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Iterable, Iterator

from lit.errors import FileMemoryLimitError, FileTimeLimitError, LitError, ModelError
from lit.extract.pipeline import DocumentResult, Extractor

#: Documents per group: 32 abstracts give ~200 sentences, enough for full NER batches in
#: most length buckets, while a group stays a small unit of work to redo after a crash.
GROUP_DOCS = 32
#: ... or this much input, whichever comes first: a long PDF has sentences enough alone, and
#: a group of them would hold many parsed documents in memory and delay every result.
GROUP_BYTES = 512 * 1024

_WORKER: Extractor | None = None
#: Why this worker has no extractor (e.g. a ModelError): reported by every task instead of
#: letting the initializer fail, which would make the pool respawn workers forever.
_INIT_ERROR: LitError | None = None


def _limit_threads(threads: int) -> None:
    """Pin torch's intra-op threads so N workers do not each grab every core (oversubscription
    made a 2-core run slower than one worker). Torch is only touched when a model loaded it."""
    if "torch" in sys.modules:
        import torch

        torch.set_num_threads(max(1, threads))


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS, Windows)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


_TRIM = _malloc_trim()


def extract_group(
    extractor: Extractor, paths: list[str], step: Callable[[int | None], None] | None = None,
) -> list[DocumentResult]:
    """One group of documents through ``extractor``, then the heap's free pages back to the OS.

    Every worker (local process or Ray actor) extracts through here. Each NER and
    relation batch allocates tensors of a new shape, and glibc keeps most of what they free in
    its arenas instead of returning it, so a worker's resident memory crept up with the number
    of documents. Measured on one worker over 3,000 generated abstracts: 637 -> 706 MiB
    without trimming, 555 -> 587 MiB with ``malloc_trim`` after every group (the rest grows
    while the bounded word caches fill up), at ~9 ms a group of 32 abstracts (0.3 % of its time).
    """
    results = extractor.extract_paths(paths, step)
    if _TRIM is not None:
        _TRIM(0)
    return results


def load_extractor(model: str | None) -> Extractor:
    """``Extractor.load``, minus ~2-8 s of torch/transformers imports when there is no trained
    model to load (table facts only): the common case before a model is trained, and the
    difference between a 1 s and a 10 s ``lit extract`` of one file."""
    if model is None:
        from lit.models.bundle import default_artifact

        try:
            default_artifact("ner")
        except ModelError:
            return Extractor(None)
    return Extractor.load(model)


class _VersionOnly:
    """Stands in for a NerTagger or a ModelLinker where only its ``version`` is needed
    (see :func:`model_versions`)."""

    def __init__(self, version: str):
        self.version = version


def model_versions(model: str | Path | None = None) -> list[str]:
    """The versions an Extractor for ``model`` reports, read from the model's ``config.json``
    instead of loading the weights (the ingest decides what to re-extract before any worker
    starts, and the driver should not hold a copy of the model). The strings themselves are
    composed by :class:`Extractor`, so they cannot drift from what workers record."""
    from lit.models.bundle import default_artifact

    try:
        path = Path(model) if model is not None else default_artifact("ner")
        version = json.loads((path / "config.json").read_text(encoding="utf-8"))["version"]
    except ModelError:
        return Extractor(None).calibrated().model_versions
    except (OSError, ValueError, KeyError):
        return Extractor.load(model).model_versions  # let the loader explain what is wrong
    return Extractor(_VersionOnly(str(version)), linker=_relation_version()).calibrated().model_versions  # type: ignore[arg-type]


def _relation_version() -> "_VersionOnly | None":
    """The relation model :meth:`Extractor.load` would pick, as its linker's version only."""
    from lit.models.bundle import default_artifact

    try:
        config = json.loads((default_artifact("re") / "config.json").read_text(encoding="utf-8"))
    except (ModelError, OSError, ValueError):
        return None
    return _VersionOnly(f"re-{config.get('version', 'unknown')}")


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this worker when the driver is gone (``kill -9`` of the driver alone): otherwise
    the orphan would hold a core and its memory until it finishes its document queue."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="lit-parent-watch", daemon=True).start()


def _init_worker(model: str | None, threads: int, driver: int,
                 loader: Callable[[str | None], Extractor] = load_extractor) -> None:
    global _WORKER, _INIT_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(driver)  # the driver's pid, not getppid(): it may have died already
    try:
        _WORKER = loader(model)
    except LitError as exc:
        _INIT_ERROR = exc
    _limit_threads(threads)


def _extractor() -> Extractor:
    if _WORKER is None:
        raise _INIT_ERROR or ModelError("worker used before its initializer ran")
    return _WORKER


def group_paths(paths: Iterable[str], docs: int = GROUP_DOCS, size: int = GROUP_BYTES) -> Iterator[list[str]]:
    """Consecutive paths in groups of at most ``docs`` files and about ``size`` bytes (a file
    larger than ``size`` is a group of its own), read lazily from ``paths``."""
    group: list[str] = []
    total = 0
    for path in paths:
        try:
            nbytes = os.path.getsize(path)
        except OSError:
            nbytes = 0  # the reader will say what is wrong with it
        if group and (len(group) >= docs or total + nbytes > size):
            yield group
            group, total = [], 0
        group.append(path)
        total += nbytes
    if group:
        yield group


def _work(paths: list[str], step: Callable[[int | None], None]) -> list[DocumentResult]:
    return extract_group(_extractor(), paths, step)


def _versions() -> list[str]:
    return _extractor().model_versions


@contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """Spawn worker processes with SIGINT ignored from their first instruction.

    Ctrl-C signals the whole foreground process group; a worker still importing lit when it
    arrives would print a KeyboardInterrupt traceback (the initializer that ignores SIGINT has
    not run yet). CPython leaves an inherited SIG_IGN in place at start-up, so the driver
    ignores SIGINT for the instant it spawns (``submit`` spawns on demand). Only the main
    thread may change signal handlers; elsewhere this is a no-op.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Workers(ABC):
    """A set of extractors that turn paths into DocumentResults."""

    @property
    @abstractmethod
    def model_versions(self) -> list[str]:
        """What the workers extract with (NER model + linker, table rules)."""

    @abstractmethod
    def map(self, paths: Iterable[str]) -> Iterator[DocumentResult]:
        """One result per path, in completion order (not input order when parallel)."""

    def close(self) -> None:
        """Stop the workers (also after an interrupt); idempotent."""

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Per-file wall-clock limit (``LIT_FILE_TIMEOUT_S``): above the PDF reader's own budget
#: (``LIT_PDF_TIMEOUT_S``, 120 s), which stops a slow PDF with a more precise message when it
#: can; this one catches what no code inside the reader can (a reference loop in pdfminer).
DEFAULT_FILE_TIMEOUT_S = 180.0
#: Per-file memory cap (``LIT_FILE_MAX_MB``): how far a worker's resident memory may grow
#: above where it stood when it was handed the group (the loaded models are not counted).
DEFAULT_FILE_MAX_MB = 1024.0
#: How often the driver looks at its workers' clocks and memory: a file that allocates
#: 1 GiB a second overshoots the cap by ~100 MiB at most before it is stopped.
POLL_S = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
#: Workers in a row that may die while loading the extractor before the run stops: one or
#: two are a kill from outside (the OOM killer, an operator), three a model that cannot load.
LOAD_TRIES = 3


@dataclass(frozen=True)
class Limits:
    """What one file may cost its worker; read from the environment when a pool starts."""

    seconds: float = DEFAULT_FILE_TIMEOUT_S
    mib: float = DEFAULT_FILE_MAX_MB

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(_env_float("LIT_FILE_TIMEOUT_S", DEFAULT_FILE_TIMEOUT_S), _env_float("LIT_FILE_MAX_MB", DEFAULT_FILE_MAX_MB))


def _env_float(name: str, default: float) -> float:
    """A positive number from the environment; unset, junk or not positive means ``default``."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def _resident(pid: int) -> int | None:
    """Resident bytes of ``pid`` from ``/proc`` (None where there is no procfs: no memory cap)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


def _serve(conn: Connection, model: str | None, threads: int, driver: int, task: Callable, loader: Callable) -> None:
    """A worker process's life: load the extractor, say ``ready``, then extract the groups it
    is sent, reporting each step (:meth:`Extractor.extract_paths`) so the driver knows which
    file is being worked on when a limit is hit."""
    _init_worker(model, threads, driver, loader)
    try:
        conn.send(("ready", _versions()))
    except LitError as exc:
        conn.send(("error", exc))
        return

    def step(index: int | None) -> None:
        conn.send(("step", index))

    while True:
        try:
            paths = conn.recv()
        except EOFError:  # the driver closed its end
            return
        if paths is None:
            return
        conn.send(("done", task(paths, step)))


class _Worker:
    """One supervised worker process and the group it holds (if any)."""

    def __init__(self, model: str | None, threads: int, task: Callable, loader: Callable):
        self.conn, child = mp.get_context("spawn").Pipe()
        self.proc = mp.get_context("spawn").Process(
            target=_serve, args=(child, model, threads, os.getpid(), task, loader), daemon=True, name="lit-worker")
        with _children_ignore_sigint():
            self.proc.start()
        child.close()
        self.versions: list[str] | None = None
        self.group: list[str] | None = None
        self.tries = 0
        self.step: int | None = None  # the file being worked on alone; None: a step shared by the group
        self.deadline = self.since = 0.0
        self.baseline: int | None = None
        self.ended = False  # its end of the pipe is closed: it has said all it will say

    @property
    def idle(self) -> bool:
        return self.versions is not None and self.group is None and not self.ended

    def give(self, group: list[str], tries: int, limits: Limits) -> bool:
        """Send ``group`` to this worker; False if it is gone already (killed while it waited
        between groups, e.g. by the OOM killer while the driver was busy writing results): it
        never saw the group, so the caller queues it again as it was, not as a try spent."""
        baseline = _resident(self.proc.pid)
        try:
            self.conn.send(group)
        except OSError:  # BrokenPipeError, ConnectionResetError: its end of the pipe is closed
            self.ended = True
            return False
        self.group, self.tries, self.baseline = group, tries, baseline
        self._begin(0, limits, group)
        return True

    def _begin(self, step: int | None, limits: Limits, group: list[str]) -> None:
        """Start the clock of a step: a file alone gets the per-file limit; a step shared by
        the group (the model calls) gets it once per :data:`GROUP_BYTES` of input, so a long
        paper, which is a group of its own, is not cut short by its size alone."""
        self.step, self.since = step, time.monotonic()
        scale = 1.0
        if step is None:
            scale = max(1.0, sum(_size(p) for p in group) / GROUP_BYTES)
        self.deadline = self.since + limits.seconds * scale

    def receive(self, limits: Limits) -> tuple[str, object] | None:
        """Read what the worker said since the last look; ``("done", results)``,
        ``("ready", versions)`` or ``("error", exc)`` when it matters, else None."""
        while self.conn.poll():
            try:
                kind, payload = self.conn.recv()
            except (EOFError, OSError):
                self.ended = True  # died: the caller sees why from the process
                return None
            if kind == "step":
                assert self.group is not None
                self._begin(payload, limits, self.group)  # type: ignore[arg-type]
            elif kind == "ready":
                self.versions = payload  # type: ignore[assignment]
                return kind, payload
            else:
                return kind, payload
        return None

    def over(self, limits: Limits) -> str | None:
        """Why this worker must be stopped now ('time' or 'memory'), or None."""
        if self.group is None:
            return None
        if time.monotonic() > self.deadline:
            return "time"
        rss = _resident(self.proc.pid)
        if rss is not None and self.baseline is not None and rss - self.baseline > limits.mib * 2**20:
            return "memory"
        return None

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class ProcessPool(Workers):
    """``workers`` spawned processes, each with its own extractor and ``cores / workers`` threads,
    supervised from this process.

    Every run extracts in worker processes, one worker too: a per-file wall-clock limit and
    memory cap (:class:`Limits`) can only be enforced from outside the reading code, because a
    file can keep a parser busy for minutes in code that checks no clock (pdfminer's layout
    analysis of a page of 60,000 scattered glyphs). The driver polls each worker every :data:`POLL_S`; a worker
    past its limit is killed and replaced. The file it was working on alone is reported failed
    (:class:`~lit.errors.FileTimeLimitError`, :class:`~lit.errors.FileMemoryLimitError`) and the
    rest of its group is extracted again; past a limit in a step the group shares (a model
    call), each of its files is tried alone. A worker that dies by itself (a segfault in a
    parser, the OOM killer) costs its group one more try, each file alone; a file that kills
    its worker twice is reported as failed (E998), never retried forever. A worker that dies
    before it holds a group (while loading the model, or waiting for its next group) costs
    nothing but its replacement, up to :data:`LOAD_TRIES` load deaths in a row.

    One group per worker is in flight, so memory stays flat however long the input list is.
    """

    #: The task a worker runs on a group, and how it loads its extractor (module-level
    #: functions, so spawn can pickle them).
    task = staticmethod(_work)
    loader = staticmethod(load_extractor)

    def __init__(self, model: str | None, workers: int, limits: Limits | None = None):
        self.model, self.workers = model, workers
        self.threads = max(1, (os.cpu_count() or 1) // workers)
        self.limits = limits or Limits.from_env()
        self._workers: list[_Worker] = []
        self._load_deaths = 0  # workers in a row that died before they were ready

    def start(self) -> list[_Worker]:
        """Start every worker at once (SIGINT is ignored only while each is spawned)."""
        if not self._workers:
            self._workers = [self._spawn() for _ in range(self.workers)]
        return self._workers

    def _spawn(self) -> _Worker:
        return _Worker(self.model, self.threads, self.task, self.loader)

    @property
    def model_versions(self) -> list[str]:
        first = self.start()[0]
        while first.versions is None:
            wait([first.conn, first.proc.sentinel])
            said = first.receive(self.limits)
            if said is not None and said[0] == "error":
                raise said[1]  # type: ignore[misc]
            if first.versions is None and first.ended:
                first.stop()
                self._died_loading(first)
                first = self._workers[0] = self._spawn()
        self._load_deaths = 0
        return first.versions

    def _died_loading(self, worker: _Worker) -> None:
        """Count a worker that died before it said ``ready`` (call after :meth:`_Worker.stop`,
        so its exit code is known). A kill from outside lands during a load as easily as
        during a group, and costs only a reload; a model that kills every process that loads
        it must end the run with a ModelError instead of respawning workers forever."""
        self._load_deaths += 1
        if self._load_deaths >= LOAD_TRIES:
            raise ModelError(f"a worker process died while loading the model (exit code {worker.proc.exitcode}), "
                             f"{self._load_deaths} times in a row")

    def map(self, paths: Iterable[str]) -> Iterator[DocumentResult]:
        fresh = group_paths(paths)
        queue: deque[tuple[list[str], int]] = deque()  # groups to extract again
        exhausted = False
        workers = self.start()
        while True:
            for worker in workers:
                if not worker.idle:
                    continue
                if not queue and not exhausted:
                    try:
                        queue.append((next(fresh), 0))
                    except StopIteration:
                        exhausted = True
                if queue:
                    group, tries = queue.popleft()
                    if not worker.give(group, tries, self.limits):
                        queue.appendleft((group, tries))  # it is replaced below; the group waits
            if exhausted and not queue and all(w.group is None for w in workers):
                return
            wait([w.conn for w in workers] + [w.proc.sentinel for w in workers], timeout=POLL_S)
            for i, worker in enumerate(workers):
                said = worker.receive(self.limits)
                if said is not None and said[0] == "error":
                    raise said[1]  # type: ignore[misc]
                if said is not None and said[0] == "ready":
                    self._load_deaths = 0
                if said is not None and said[0] == "done":
                    worker.group = None
                    yield from said[1]  # type: ignore[misc]
                    continue
                why = worker.over(self.limits)
                if why is None and worker.proc.is_alive():
                    continue
                if why is None and not worker.ended:
                    continue  # dead, but it may have said more before it ended: read that first
                group, tries, step = worker.group, worker.tries, worker.step
                elapsed, grown = time.monotonic() - worker.since, self._grown(worker)
                worker.stop()
                if group is None and worker.versions is None:
                    self._died_loading(worker)
                workers[i] = self._spawn()
                self._workers = workers
                if group is None:
                    continue  # died loading or between groups: nothing lost
                if why is None:  # died by itself: each file once more, alone
                    for path in group:
                        if tries >= 1:
                            yield _died(path)
                        else:
                            queue.append(([path], tries + 1))
                elif step is not None or len(group) == 1:
                    culprit = group[step or 0]
                    yield self._over_limit(culprit, why, elapsed, grown)
                    rest = [p for p in group if p != culprit]
                    if rest:
                        queue.append((rest, tries))
                else:  # past a limit in a step the whole group shares: find the file alone
                    queue.extend(([path], tries) for path in group)

    @staticmethod
    def _grown(worker: _Worker) -> float:
        rss = _resident(worker.proc.pid)
        return (rss - worker.baseline) / 2**20 if rss is not None and worker.baseline is not None else 0.0

    def _over_limit(self, path: str, why: str, elapsed: float, grown: float) -> DocumentResult:
        if why == "time":
            error: LitError = FileTimeLimitError(
                path, f"extraction stopped after {elapsed:.0f} s, over the per-file time limit of "
                f"{self.limits.seconds:g} s (LIT_FILE_TIMEOUT_S); its worker was replaced")
        else:
            error = FileMemoryLimitError(
                path, f"extraction stopped at {grown:.0f} MiB of new memory, over the per-file cap of "
                f"{self.limits.mib:g} MiB (LIT_FILE_MAX_MB); its worker was replaced")
        return DocumentResult(source=path, error=str(error), error_code=error.code, seconds=elapsed)

    def close(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()  # an interrupted run must not wait for documents in flight


def _died(path: str) -> DocumentResult:
    return DocumentResult(
        source=path,
        error=f"{path}: the worker process died while extracting it (crash or out of memory), twice",
        error_code="E998",
    )


def open_workers(model: str | Path | None = None, workers: int = 1, ray: str | None = None) -> Workers:
    """The workers a run asked for: ``ray`` (an address or ``local``) selects Ray actors, else
    ``workers`` supervised local processes (one at least; see :class:`ProcessPool`)."""
    model = str(model) if model is not None else None
    if ray is not None:
        from lit.extract.distributed import RayWorkers

        return RayWorkers(model, ray, actors=workers)
    return ProcessPool(model, max(1, workers))
