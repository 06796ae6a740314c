"""Training corpora, converted into the one internal format (:class:`lit.models.corpus.Example`).

Usage::

    from lit.models.corpora import load_examples, CORPORA, verify_manifest
    train = load_examples("polyie", "train")          # list[Example]
    CORPORA["polyie"].label_map                        # {"CN": "COMPOUND", ...}
    verify_manifest("polyie")                          # raises CorpusError on drift

One module per corpus holds its converter; ``models/LABELS.md`` documents each label
mapping and ``corpora/manifests/<name>.json`` pins the source files by sha256.
Rewrite the manifests with ``python -m lit.models.corpora build-manifests``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from lit.errors import CorpusError
from lit.models.corpus import Example

from .manifest import MANIFEST_DIR, build_manifest, verify_manifest, write_manifests
from .spec import SPLITS, CorpusSpec, check_split, corpora_root

_MODULES: dict[str, str] = {
    "polyie": "lit.models.corpora.polyie",
    "matscholar": "lit.models.corpora.matscholar",
    "mspt": "lit.models.corpora.mspt",
    "grobid_quantities": "lit.models.corpora.grobid_quantities",
    "bc5cdr": "lit.models.corpora.bc5cdr",
    "sofc_exp": "lit.models.corpora.sofc_exp",
    "battery_triples": "lit.models.corpora.battery_triples",
}


def converter(corpus: str) -> ModuleType:
    """The converter module of ``corpus`` (``SPEC``, ``source_files(root)``, ``load(root, split)``)."""
    try:
        name = _MODULES[corpus]
    except KeyError:
        raise CorpusError(f"unknown corpus {corpus!r}; choose one of {', '.join(_MODULES)}") from None
    return importlib.import_module(name)


#: Every corpus this package converts, by name.
CORPORA: dict[str, CorpusSpec] = {name: converter(name).SPEC for name in _MODULES}


def load_examples(corpus: str, split: str, root: Path | None = None) -> list[Example]:
    """Examples of ``corpus``'s ``split`` ("train", "validation" or "test").

    ``root`` defaults to ``$LIT_CORPORA`` or ``../shared/corpora`` beside the repository;
    a missing folder or file raises :class:`~lit.errors.CorpusError` naming it.
    """
    module = converter(corpus)
    return module.load(corpora_root(root), check_split(split))


__all__ = [
    "CORPORA",
    "MANIFEST_DIR",
    "SPLITS",
    "CorpusSpec",
    "build_manifest",
    "converter",
    "corpora_root",
    "load_examples",
    "verify_manifest",
    "write_manifests",
]
