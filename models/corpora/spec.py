"""What every corpus converter declares, and where the corpora are found on disk.

Each converter module exposes a :class:`CorpusSpec` (``SPEC``), a ``source_files(root)``
listing the raw files it reads and a ``load(root, split)`` returning Examples. Keeping the
description in data (not prose) lets the manifest writer, the loader and the label
documentation all read the same mapping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from lit.errors import CorpusError

#: The three split names every corpus is served under.
SPLITS: tuple[str, ...] = ("train", "validation", "test")

REPO = Path(__file__).resolve().parents[2]
DEFAULT_ROOT = REPO.parent / "shared" / "corpora"


@dataclass(frozen=True)
class CorpusSpec:
    """One corpus: provenance, its label mapping and how its splits are formed.

    ``label_map`` maps a source label to a unified label (see ``models/LABELS.md``);
    ``dropped`` names the source labels with no counterpart and why they are left out.
    ``splits`` says, per served split, which source split (or hash rule) feeds it.
    """

    name: str
    folder: str
    source_repo: str
    commit: str
    licence: str
    label_map: Mapping[str, str]
    dropped: Mapping[str, str]
    splits: Mapping[str, str]
    converter: str
    relation_map: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""


def corpora_root(root: Path | str | None = None) -> Path:
    """The folder holding the corpora: ``root``, else ``$LIT_CORPORA``, else ``../shared/corpora``."""
    if root is None:
        env = os.environ.get("LIT_CORPORA")
        root = Path(env) if env else DEFAULT_ROOT
    path = Path(root)
    if not path.is_dir():
        raise CorpusError(
            f"corpora folder {path} does not exist; set LIT_CORPORA to the folder holding "
            "polyie/, matscholar_ner/, mspt_synthesis/, grobid_quantities/ and bc5cdr/"
        )
    return path


def require_file(path: Path) -> Path:
    """``path`` if it is a file, else a CorpusError naming it and what to set."""
    if not path.is_file():
        raise CorpusError(
            f"corpus file {path} is missing; set LIT_CORPORA (or pass root=) to a folder "
            "holding the corpora as listed in ../shared/README.md"
        )
    return path


def check_split(split: str) -> str:
    """``split`` if it is one of :data:`SPLITS`, else a CorpusError listing them."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    return split
