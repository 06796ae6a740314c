"""Where documents are extracted: in this process, in local worker processes, or on Ray.

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
its own traceback.
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
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Callable, Iterable, Iterator

from lit.errors import LitError, ModelError
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


def extract_group(extractor: Extractor, paths: list[str]) -> list[DocumentResult]:
    """One group of documents through ``extractor``, then the heap's free pages back to the OS.

    Every worker (local process, Ray actor, this process) extracts through here. Each NER and
    relation batch allocates tensors of a new shape, and glibc keeps most of what they free in
    its arenas instead of returning it, so a worker's resident memory crept up with the number
    of documents. Measured on one worker over 3,000 generated abstracts: 637 -> 706 MiB
    without trimming, 555 -> 587 MiB with ``malloc_trim`` after every group (the rest grows
    while the bounded word caches fill up), at ~9 ms a group of 32 abstracts (0.3 % of its time).
    """
    results = extractor.extract_paths(paths)
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


def _init_worker(model: str | None, threads: int, driver: int) -> None:
    global _WORKER, _INIT_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(driver)  # the driver's pid, not getppid(): it may have died already
    try:
        _WORKER = load_extractor(model)
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


def _work(paths: list[str]) -> list[DocumentResult]:
    return extract_group(_extractor(), paths)


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


class InProcess(Workers):
    """One extractor in this process: no start-up cost beyond the model, easiest to debug."""

    def __init__(self, model: str | None):
        self.extractor = load_extractor(model)

    @property
    def model_versions(self) -> list[str]:
        return self.extractor.model_versions

    def map(self, paths: Iterable[str]) -> Iterator[DocumentResult]:
        for group in group_paths(paths):
            yield from extract_group(self.extractor, group)


class ProcessPool(Workers):
    """``workers`` spawned processes, each with its own extractor and ``cores / workers`` threads.

    At most ``2 * workers`` groups of documents are in flight, so memory stays flat however
    long the input list is. A worker that dies (a segfault in a parser, the OOM killer) breaks
    the pool: it is restarted and the documents that were in flight are tried once more, one
    at a time with nothing else in flight (so a bad file cannot take its group or another
    document down twice); a document whose retry breaks the pool again is reported as failed,
    never retried forever.
    """

    def __init__(self, model: str | None, workers: int):
        self.model, self.workers = model, workers
        self.threads = max(1, (os.cpu_count() or 1) // workers)
        self._pool: ProcessPoolExecutor | None = None
        self._versions: list[str] | None = None

    def _executor(self) -> ProcessPoolExecutor:
        """The pool, with all its workers started at once while SIGINT is ignored.

        The executor starts a worker inside ``submit`` when no idle one is free (CPython
        3.9+), so ``workers`` trivial tasks start them all here, and later submits never
        spawn. That keeps the ignore window, in which a Ctrl-C would be lost, to this one
        instant instead of one window per submitted group."""
        if self._pool is None:
            pool = ProcessPoolExecutor(
                self.workers, mp_context=mp.get_context("spawn"),
                initializer=_init_worker, initargs=(self.model, self.threads, os.getpid()),
            )
            with _children_ignore_sigint():
                for _ in range(self.workers):
                    pool.submit(os.getpid)
            self._pool = pool
        return self._pool

    @property
    def model_versions(self) -> list[str]:
        if self._versions is None:
            self._versions = self._executor().submit(_versions).result()
        return self._versions

    #: The task a worker runs on a group (a module-level function, so spawn can pickle it).
    task = staticmethod(_work)

    def map(self, paths: Iterable[str]) -> Iterator[DocumentResult]:
        fresh = group_paths(paths)
        queue: deque[tuple[list[str], int]] = deque()  # documents to try again after a worker died
        running: dict[Future, tuple[list[str], int]] = {}
        exhausted = False
        while queue or running or not exhausted:
            pool = self._executor()
            try:
                while len(running) < 2 * self.workers:
                    if any(t >= 1 for _, t in running.values()):
                        break  # a retry runs alone: should it crash again, it is the culprit
                    if queue:
                        if running and queue[0][1] >= 1:
                            break
                        group, tries = queue.popleft()
                    else:
                        try:
                            group, tries = next(fresh), 0
                        except StopIteration:
                            exhausted = True
                            break
                    running[pool.submit(self.task, group)] = (group, tries)
            except BrokenProcessPool:  # a worker died since the last wait: restart the pool
                queue.appendleft((group, tries))
                if not running:
                    self.close()
                    continue
            if not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            lost: list[tuple[list[str], int]] = []
            for future in done:
                group, tries = running.pop(future)
                try:
                    yield from future.result()
                except BrokenProcessPool:
                    lost.append((group, tries))
            if lost:
                for future, entry in list(running.items()):
                    future.cancel()
                    lost.append(entry)
                running.clear()
                self.close()
                retry: list[tuple[list[str], int]] = []
                for group, tries in lost:
                    for path in group:
                        if tries >= 1:
                            yield _died(path)
                        else:
                            retry.append(([path], tries + 1))
                queue.extendleft(reversed(retry))

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()  # an interrupted run must not wait for documents in flight
            pool.shutdown(wait=True, cancel_futures=True)


def _died(path: str) -> DocumentResult:
    return DocumentResult(
        source=path,
        error=f"{path}: the worker process died while extracting it (crash or out of memory), twice",
        error_code="E998",
    )


def open_workers(model: str | Path | None = None, workers: int = 1, ray: str | None = None) -> Workers:
    """The workers a run asked for: ``ray`` (an address or ``local``) selects Ray actors,
    ``workers > 1`` local processes, else this process."""
    model = str(model) if model is not None else None
    if ray is not None:
        from lit.extract.distributed import RayWorkers

        return RayWorkers(model, ray, actors=workers)
    if workers <= 1:
        return InProcess(model)
    return ProcessPool(model, workers)
