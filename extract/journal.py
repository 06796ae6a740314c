"""The run journal that makes ``lit extract`` resumable.

Beside ``facts.jsonl`` lives ``facts.jsonl.journal``: a header naming the run's inputs,
then one line per finished document (its metadata, fact count or error), then a
``finished`` line. A document's facts are written and fsynced *before* its journal line,
so after a crash (Ctrl-C, ``kill -9``, power loss) the journal lists only documents whose
facts are safely on disk. On resume the facts file is cut back to exactly those documents
(dropping a half-written tail or facts of an unjournaled document) and the run goes on
with the rest, ending with the same facts an uninterrupted run gives.

Documents are committed in groups (facts of the group, fsync; their journal lines, fsync),
which keeps that order at two fsyncs per group. ``{"graph": n}`` lines say the first ``n``
successful documents are committed to the graph store, so a resume upserts only the rest.
A ``{"run": ...}`` line after the header names the run (id and start): a resume carries on
that ExtractionRun, so the one a ``kill -9`` left without an end, with Measurements pointing
to it, gets its end when the resume finishes (a run never resumed keeps ``finished: null``:
it was interrupted).
The header holds a hash of the input list (not the list: a million paths would make every
resume re-read megabytes), the model, the confidence threshold and the graph target; a
different header means a different run, which starts afresh.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence, TextIO


@dataclass
class JournalState:
    """What an interrupted run had finished."""

    done: dict[str, dict[str, Any]] = field(default_factory=dict)  # source -> entry
    #: How many successful entries (in journal order) were already upserted to the graph.
    graph_flushed: int = 0
    #: Length of the journal's intact prefix; a torn last line beyond it is cut on resume.
    valid_bytes: int = 0
    #: ``{"run_id", "started"}`` of the interrupted run, which the resume carries on.
    run: dict[str, str] | None = None

    @property
    def ok_entries(self) -> list[dict[str, Any]]:
        """Successful entries in the order they were journaled (= the order they reach the graph)."""
        return [e for e in self.done.values() if e.get("ok")]

    @property
    def ok_doc_ids(self) -> set[str]:
        return {e["info"]["doc_id"] for e in self.ok_entries}


class Journal:
    """Append-only, fsynced after every line; one per facts file (``<out>.journal``)."""

    def __init__(self, out: Path):
        self.path = out.with_name(out.name + ".journal")
        self.out = out
        self._fh = None

    def resumable(self, header: dict[str, Any]) -> JournalState | None:
        """The state of an unfinished run with the same header, else None (start afresh)."""
        if not self.path.exists() or not self.out.exists():
            return None
        state = JournalState()
        with open(self.path, "rb") as fh:
            first = fh.readline()
            try:
                if json.loads(first) != {"header": header}:
                    return None
            except (json.JSONDecodeError, UnicodeDecodeError):
                return None
            state.valid_bytes = len(first)
            for line in fh:
                try:
                    if not line.endswith(b"\n"):
                        raise ValueError("torn")
                    entry = json.loads(line)
                except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
                    break  # a torn last line: that document was not finished
                state.valid_bytes += len(line)
                if entry.get("finished"):
                    return None  # the previous run completed: a re-run starts afresh
                if "graph" in entry:
                    state.graph_flushed = entry["graph"]
                    continue
                if "run" in entry:
                    state.run = entry["run"]
                    continue
                state.done[entry["source"]] = entry
        return state

    def start(self, header: dict[str, Any], state: JournalState | None, run: dict[str, str] | None = None) -> None:
        """Open for appending; a fresh run rewrites the header, followed by ``run`` (its id and
        start, so that a resume carries on the same ExtractionRun)."""
        if state is None:
            self._fh = open(self.path, "w", encoding="utf-8")
            self._write({"header": header})
            if run is not None:
                self._write({"run": run})
        else:
            with open(self.path, "r+b") as fh:
                fh.truncate(state.valid_bytes)
            self._fh = open(self.path, "a", encoding="utf-8")

    def record(self, entry: dict[str, Any]) -> None:
        self._write(entry)

    def record_many(self, entries: Sequence[dict[str, Any]]) -> None:
        """Several finished documents, one write and one fsync."""
        assert self._fh is not None
        self._fh.write("".join(json_line(e) for e in entries))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def graph_flushed(self, ok_entries: int) -> None:
        """The first ``ok_entries`` successful documents are committed to the graph: a resume
        need not upsert them again (it would be harmless, upserts are idempotent, but slow)."""
        self._write({"graph": ok_entries})

    def finish(self, summary: dict[str, Any]) -> None:
        self._write({"finished": True, **summary})
        self.close()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def _write(self, entry: dict[str, Any]) -> None:
        assert self._fh is not None
        self._fh.write(json_line(entry))
        self._fh.flush()
        os.fsync(self._fh.fileno())


class NoJournal(Journal):
    """The journal of a run whose facts go to a stream (``--out -``, a FIFO, ``/dev/null``):
    nothing is written, since a stream cannot be trimmed and re-read to resume, and no file
    is created beside it (under /dev, that would be a stray file in the system's folder)."""

    def resumable(self, header: dict[str, Any]) -> JournalState | None:
        return None

    def start(self, header: dict[str, Any], state: JournalState | None, run: dict[str, str] | None = None) -> None:
        pass

    def record_many(self, entries: Sequence[dict[str, Any]]) -> None:
        pass

    def finish(self, summary: dict[str, Any]) -> None:
        pass

    def _write(self, entry: dict[str, Any]) -> None:
        pass


def json_line(entry: Any) -> str:
    """One JSON line, non-ASCII text as itself; a line holding a file name whose bytes are not
    UTF-8 (lone surrogates in Python, which no UTF-8 file can hold) is written with ``\\u``
    escapes instead, which read back to the same name."""
    line = json.dumps(entry, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(entry)
    return line + "\n"


def trim_facts(out: Path, keep_doc_ids: set[str]) -> tuple[int, set[str]]:
    """Cut the facts file back to the journaled documents, streaming (atomic rewrite).

    Drops a torn last line and the facts of a document whose journal line was never written
    (it is extracted again). Returns ``(facts kept, models seen)`` for the run summary.
    """
    kept, models = 0, set()
    tmp = out.with_name(out.name + ".tmp")
    with open(out, encoding="utf-8", errors="replace") as src, open(tmp, "w", encoding="utf-8") as dst:
        for line in src:
            if not line.endswith("\n"):
                break  # torn: the process died inside this write
            try:
                fact = json.loads(line)
            except json.JSONDecodeError:
                continue
            if fact.get("doc_id") in keep_doc_ids:
                dst.write(line)
                kept += 1
                models.add(fact.get("model"))
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, out)
    return kept, models


def read_facts(out: Path, doc_ids: set[str]) -> Iterator[dict[str, Any]]:
    """The facts of ``doc_ids`` from a (trimmed) facts file, in file order."""
    if not doc_ids:
        return
    with open(out, encoding="utf-8") as fh:
        for line in fh:
            fact = json.loads(line)
            if fact["doc_id"] in doc_ids:
                yield fact


def write_durably(fh: TextIO, lines: Sequence[str], sync: bool = True) -> None:
    """Append lines in one write and fsync, so a journal entry never outruns its facts.

    ``sync=False`` for a stream (a pipe, ``/dev/null``): it cannot be synced, and it has no
    journal to outrun (:class:`NoJournal`), so flushing is all there is."""
    fh.write("".join(lines))
    fh.flush()
    if sync:
        os.fsync(fh.fileno())
