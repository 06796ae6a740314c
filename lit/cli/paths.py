"""Checks of the paths and graph targets a command is given, made before any work starts,
so that a misuse gets one ``Error:`` line (a :class:`~lit.errors.UsageError`, exit code 2)
instead of a traceback halfway through a run, and nothing is left behind in the wrong place.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from lit.errors import UsageError
from lit.extract.batch import input_problem, is_stream

#: ``scheme://``: a URI, which must be one of the graph stores' schemes.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def writes_stdout(out: str | Path) -> bool:
    """Whether the facts stream is this process's stdout (then the summary goes to stderr)."""
    if str(out) in ("-", "/dev/stdout"):
        return True
    try:
        a, b = os.stat(out), os.fstat(1)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_out(out: str | Path, option: str = "--out", example: str = "facts.jsonl") -> None:
    """A facts file lit can create, write and keep a journal beside; or a stream (``-``, a
    FIFO, ``/dev/null``), which needs nothing more. Missing folders on the way are fine:
    the run creates them."""
    if is_stream(out):
        if str(out) != "-" and not os.path.exists(out):
            raise UsageError(f"{option} {out}: no such device; lit creates no files under /dev or /proc")
        return
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"{option} {out}: is a folder; name a file in it, e.g. {path / example}")
    if path.name in ("", ".", ".."):
        raise UsageError(f"{option} {out}: name a file, e.g. {example}")
    check_folder(path.parent.absolute(), f"{option} {out}")


def check_folder(folder: Path, what: str) -> None:
    """``folder`` is one lit can make files in: it is a folder, or the nearest part of its
    path that exists is one (the command creates the rest), and a file can be created there.
    Nothing is created here but a probe file, removed at once."""
    existing = next(p for p in (folder, *folder.parents) if os.path.lexists(p))
    if not existing.is_dir():
        raise UsageError(f"{what}: {existing} is not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".lit-probe-", dir=existing)
    except OSError as exc:
        raise UsageError(f"{what}: cannot create files in {existing}: {exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(probe)


def check_graph(target: str, *, writing: bool) -> None:
    """A ``--graph`` target lit can open: a bolt:// or neo4j:// URI, an embedded graph folder
    lit made (or an empty or new one, when ``writing``), or a graph database file. Refused:
    other URI schemes (``http://`` would otherwise become a local folder named ``http:``), a
    path that is a device or FIFO (``/dev/null``), a folder holding another tool's files."""
    from lit.graph.embedded import DB_FILE
    from lit.graph.store import BOLT_SCHEMES, is_bolt_uri

    if is_bolt_uri(target):
        return
    if _URI.match(target):
        raise UsageError(
            f"--graph {target}: not a graph target; use a folder or a URI starting with "
            + ", ".join(BOLT_SCHEMES)
        )
    path = Path(target)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if writing:
            check_folder(path.absolute(), f"--graph {target}")
        return
    except OSError as exc:
        raise UsageError(f"--graph {target}: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return  # a database file opened directly; the engine says if it is not one
    if not stat.S_ISDIR(mode):
        raise UsageError(f"--graph {target}: not a folder or a graph file (a device, FIFO or socket)")
    if os.listdir(path) and not (path / DB_FILE).exists():
        raise UsageError(f"--graph {target}: holds other files and no lit graph ({DB_FILE}); name a new or empty folder")
    if writing:
        check_folder(path, f"--graph {target}")


def check_input_file(file: str | Path) -> None:
    """One input file to read (``lit parse``): it must exist and be a regular file (a FIFO
    would block the reader forever)."""
    reason = input_problem(str(file))
    if reason is not None:
        raise UsageError(f"{file}: {reason}")
    if os.path.isdir(file):
        raise UsageError(f"{file}: is a folder; name a file (lit extract takes folders)")
