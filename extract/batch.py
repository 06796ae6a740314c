"""Many files -> facts file + graph: the engine behind ``lit extract``.

Inputs are files, folders (recursive) and glob patterns. Documents are processed in
parallel worker processes, each holding its own Extractor; results stream back in
completion order and are written as they come, each document's facts fsynced before its
journal line, so an interrupted run resumes where it stopped (see ``journal.py``). A
failed document is recorded (in the summary and the failures file) and the run goes on.
"""

from __future__ import annotations

import glob
import json
import multiprocessing as mp
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from lit import __version__
from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact
from lit.extract.journal import Journal, trim_facts, write_durably
from lit.extract.pipeline import DocumentResult, Extractor
from lit.extract.readers import SUFFIXES


def collect_paths(inputs: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand files, folders and globs into a sorted, de-duplicated file list.

    Returns ``(files, missing)``: inputs that matched nothing are reported, not fatal.
    Folders contribute only files with a known suffix; a file named explicitly is always taken.
    """
    found: dict[str, Path] = {}
    missing: list[str] = []
    for raw in inputs:
        item = Path(raw)
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
                    found.setdefault(str(path.resolve()), path)
        elif item.is_file():
            found.setdefault(str(item.resolve()), item)
        else:
            matches = [Path(m) for m in sorted(glob.glob(str(raw), recursive=True))]
            files = [m for m in matches if m.is_file()]
            if not files:
                missing.append(str(raw))
            for path in files:
                found.setdefault(str(path.resolve()), path)
    return sorted(found.values(), key=str), missing


@dataclass
class BatchSummary:
    run_id: str
    started: str
    finished: str | None = None
    documents: int = 0
    succeeded: int = 0
    facts: int = 0
    failures: list[dict] = field(default_factory=list)
    models: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "started": self.started,
            "finished": self.finished,
            "documents": self.documents,
            "succeeded": self.succeeded,
            "failed": len(self.failures),
            "facts": self.facts,
            "models": self.models,
        }


_WORKER: Extractor | None = None


def _init_worker(model: str | None, threads: int) -> None:
    global _WORKER
    import torch

    torch.set_num_threads(threads)
    _WORKER = Extractor.load(model)


def _work(path: str) -> DocumentResult:
    assert _WORKER is not None
    return _WORKER.extract_path(path)


def iter_results(
    paths: Sequence[Path], model: str | None = None, workers: int = 1, ray: str | None = None
) -> Iterator[DocumentResult]:
    """Yield one DocumentResult per path, in completion order when ``workers > 1``.

    ``ray`` (an address, or "local") runs the documents on Ray actors instead of local processes.
    """
    if ray is not None:
        from lit.extract.distributed import iter_results_ray

        yield from iter_results_ray([str(p) for p in paths], model, ray, workers)
        return
    if workers <= 1 or len(paths) <= 1:
        extractor = Extractor.load(model)
        for path in paths:
            yield extractor.extract_path(path)
        return
    threads = max(1, (os.cpu_count() or 1) // workers)
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(model, threads)) as pool:
        yield from pool.imap_unordered(_work, [str(p) for p in paths], chunksize=1)


def run_batch(
    inputs: Sequence[str | Path],
    out: Path,
    graph: str | None,
    *,
    model: str | None = None,
    workers: int = 1,
    min_confidence: float = 0.0,
    on_result: Callable[[DocumentResult, BatchSummary], None] | None = None,
    graph_batch: int = 50,
    restart: bool = False,
    ray: str | None = None,
) -> BatchSummary:
    """Extract facts from every input file into ``out`` (JSONL) and, unless ``graph`` is
    None, the graph store it names. Failures go to ``<out>.failures.jsonl``.

    An interrupted run with the same inputs is resumed from its journal (see
    :mod:`lit.extract.journal`) unless ``restart`` is set.
    """
    from lit.graph.store import ExtractionRun, open_store

    paths, missing = collect_paths(inputs)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = {"inputs": [str(p) for p in paths], "model": model, "min_confidence": min_confidence}
    journal = Journal(out)
    state = None if restart else journal.resumable(header)
    summary = BatchSummary(run_id=uuid.uuid4().hex[:16], started=_now())
    for raw in missing:
        summary.failures.append({"source": raw, "code": "E100", "error": f"{raw}: no such file, folder or glob match"})
    store = open_store(graph) if graph is not None else None
    run = ExtractionRun(run_id=summary.run_id, started=summary.started, lit_version=__version__)
    pending_docs: list[DocumentInfo] = []
    pending_facts: list[Fact] = []

    def flush_graph() -> None:
        if store is not None and pending_docs:
            store.upsert(pending_docs, pending_facts, run)
        pending_docs.clear()
        pending_facts.clear()

    try:
        if state is not None:  # resume: keep what was journaled, and make sure the graph has it
            kept = trim_facts(out, state.ok_doc_ids)
            by_doc: dict[str, list[Fact]] = {}
            for fact in kept:
                by_doc.setdefault(fact["doc_id"], []).append(Fact.from_dict(fact))
            for entry in state.done.values():
                summary.documents += 1
                if entry["ok"]:
                    summary.succeeded += 1
                    facts = by_doc.get(entry["info"]["doc_id"], [])
                    summary.facts += len(facts)
                    summary.models = sorted(set(summary.models) | {f.model for f in facts})
                    pending_docs.append(DocumentInfo(**entry["info"]))
                    pending_facts.extend(facts)
                else:
                    summary.failures.append({"source": entry["source"], "code": entry["code"], "error": entry["error"]})
            flush_graph()
            paths = [p for p in paths if str(p) not in state.done]
        journal.start(header, state)
        with open(out, "a" if state is not None else "w", encoding="utf-8") as fh:
            for result in iter_results(paths, model, workers, ray):
                summary.documents += 1
                summary.models = sorted(set(summary.models) | {f.model for f in result.facts})
                entry: dict = {"source": result.source, "ok": result.ok}
                if result.ok:
                    summary.succeeded += 1
                    facts = [f for f in result.facts if f.confidence >= min_confidence]
                    summary.facts += len(facts)
                    write_durably(fh, [f.to_json() + "\n" for f in facts])
                    entry.update(info=result.info.to_dict(), facts=len(facts))
                    pending_docs.append(result.info)
                    pending_facts.extend(facts)
                else:
                    failure = {"source": result.source, "code": result.error_code, "error": result.error}
                    summary.failures.append(failure)
                    entry.update(failure)
                journal.record(entry)
                if len(pending_docs) >= graph_batch:
                    flush_graph()
                if on_result is not None:
                    on_result(result, summary)
        summary.finished = _now()
        run.finished, run.documents, run.facts, run.failures = (
            summary.finished, summary.succeeded, summary.facts, len(summary.failures))
        run.models = summary.models
        flush_graph()
        if store is not None:
            store.record_run(run)
        journal.finish(summary.to_dict())
    finally:
        journal.close()
        if store is not None:
            store.close()
    with open(out.with_name(out.name + ".failures.jsonl"), "w", encoding="utf-8") as fh:
        for failure in summary.failures:
            fh.write(json.dumps(failure, ensure_ascii=False) + "\n")
    return summary


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
