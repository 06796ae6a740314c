"""Every error lit raises on purpose, in one place, each with a stable code.

Callers catch :class:`LitError` for "lit refused this input or state"; anything else is a bug.
Messages say what failed and, where there is one, what to do next. The CLI turns these
into ``Error: ...`` lines with exit code 1; batch commands record them per file and go on.
"""

from __future__ import annotations

from pathlib import Path


class LitError(Exception):
    """Root of lit's exceptions. ``code`` is stable across releases (e.g. ``E101``)."""

    code = "E000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class UsageError(LitError):
    """A command was given arguments that cannot work: an output that is a folder or one of
    the inputs, a graph target that is a file or another tool's folder, an unknown URI
    scheme. Raised before any work starts; the CLI exits with code 2."""

    code = "E010"


class ReaderError(LitError):
    """A file could not be turned into a Document. Always names the file and the cause."""

    code = "E100"

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormatError(ReaderError):
    code = "E101"


class EmptyDocumentError(ReaderError):
    code = "E102"


class CorruptFileError(ReaderError):
    code = "E103"


class EncryptedFileError(ReaderError):
    code = "E104"


class NoTextLayerError(ReaderError):
    code = "E105"


class FileTooLargeError(ReaderError):
    code = "E106"


class UnsafeXMLError(ReaderError):
    code = "E107"


class ReaderTimeoutError(ReaderError):
    code = "E108"


class FileTimeLimitError(ReaderError):
    """A file's extraction ran past the per-file wall-clock limit; its worker was killed."""

    code = "E109"


class FileMemoryLimitError(ReaderError):
    """A file's extraction grew its worker past the per-file memory cap; the worker was killed."""

    code = "E110"


class ModelError(LitError):
    """A model could not be loaded, trained or run (missing weights, bad config...)."""

    code = "E200"


class CorpusError(LitError):
    """A training corpus is missing or does not match its manifest."""

    code = "E210"


class GraphError(LitError):
    """The graph store refused an operation or could not be reached."""

    code = "E300"


class ReadOnlyQueryError(GraphError):
    """A query that would write was sent through the read-only query path."""

    code = "E301"


class GraphUnavailableError(GraphError):
    """The store could not be reached after the retries ran out; nothing was half-written."""

    code = "E302"


class LockedError(LitError):
    """Another lit process holds the lock for this target (e.g. an overlapping nightly ingest)."""

    code = "E400"


class DiskFullError(LitError):
    """A disk a run writes to is full, or too full to write the next batch safely; the run
    stopped before writing it, so a re-run with space freed resumes."""

    code = "E410"


class NormalizationError(LitError):
    """A value, unit, property or compound could not be normalised (lit.extract.normalize)."""

    code = "E500"


class UnitError(NormalizationError):
    """A unit is unknown, or cannot be converted to the unit asked for. Names the unit."""

    code = "E501"

    def __init__(self, unit: str, reason: str):
        self.unit = unit
        self.reason = reason
        super().__init__(f"unit {unit!r}: {reason}")


class PropertyValueError(NormalizationError):
    """A value does not fit its property (wrong dimension, no unit, implausible magnitude)."""

    code = "E502"

    def __init__(self, prop: str, raw: str, reason: str):
        self.prop = prop
        self.raw = raw
        self.reason = reason
        super().__init__(f"{prop} = {raw!r}: {reason}")


class GraphLockedError(GraphError):
    """Another process holds the embedded graph open for writing (one writer at a time)."""

    code = "E303"
