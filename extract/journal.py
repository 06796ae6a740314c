"""The run journal that makes ``lit extract`` resumable.

Beside ``facts.jsonl`` lives ``facts.jsonl.journal``: a header naming the run's inputs,
then one line per finished document (its metadata, fact count or error), then a
``finished`` line. A document's facts are written and fsynced *before* its journal line,
so after a crash (Ctrl-C, ``kill -9``, power loss) the journal lists only documents whose
facts are safely on disk. On resume the facts file is cut back to exactly those documents
(dropping a half-written tail or facts of an unjournaled document) and the run goes on
with the rest, ending with the same facts an uninterrupted run gives.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence


@dataclass
class JournalState:
    """What an interrupted run had finished."""

    done: dict[str, dict[str, Any]] = field(default_factory=dict)  # source -> entry

    @property
    def ok_doc_ids(self) -> set[str]:
        return {e["info"]["doc_id"] for e in self.done.values() if e.get("ok")}


class Journal:
    def __init__(self, out: Path):
        self.path = out.with_name(out.name + ".journal")
        self.out = out
        self._fh = None

    def resumable(self, header: dict[str, Any]) -> JournalState | None:
        """The state of an unfinished run with the same header, else None (start afresh)."""
        if not self.path.exists() or not self.out.exists():
            return None
        state = JournalState()
        with open(self.path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        try:
            if not lines or json.loads(lines[0]) != {"header": header}:
                return None
        except json.JSONDecodeError:
            return None
        for line in lines[1:]:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                break  # a torn last line: that document was not finished
            if entry.get("finished"):
                return None  # the previous run completed: a re-run starts afresh
            state.done[entry["source"]] = entry
        return state

    def start(self, header: dict[str, Any], state: JournalState | None) -> None:
        """Open for appending; a fresh run rewrites the header."""
        if state is None:
            self._fh = open(self.path, "w", encoding="utf-8")
            self._write({"header": header})
        else:
            self._fh = open(self.path, "a", encoding="utf-8")

    def record(self, entry: dict[str, Any]) -> None:
        self._write(entry)

    def finish(self, summary: dict[str, Any]) -> None:
        self._write({"finished": True, **summary})
        self.close()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def _write(self, entry: dict[str, Any]) -> None:
        assert self._fh is not None
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())


def trim_facts(out: Path, keep_doc_ids: set[str]) -> list[dict[str, Any]]:
    """Cut the facts file back to the journaled documents (atomic rewrite); return those facts."""
    kept: list[dict[str, Any]] = []
    seen: set[str] = set()
    with open(out, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                fact = json.loads(line)
            except json.JSONDecodeError:
                continue
            if fact.get("doc_id") in keep_doc_ids and fact.get("id") not in seen:
                seen.add(fact["id"])
                kept.append(fact)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(f, ensure_ascii=False, sort_keys=True) + "\n" for f in kept))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    return kept


def write_durably(fh, lines: Sequence[str]) -> None:
    """Append lines in one write and fsync, so a journal entry never outruns its facts."""
    fh.write("".join(lines))
    fh.flush()
    os.fsync(fh.fileno())
