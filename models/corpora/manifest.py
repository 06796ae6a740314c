"""Corpus manifests: which source files a converter read, pinned by sha256, and what it made.

A trained model is only reproducible if the corpus it saw can be checked later. The
manifest (``corpora/manifests/<name>.json``) records the source repository and commit,
the licence, every file read (path relative to the corpora root, sha256, byte size), the
converter and label mapping, and counts per split and label. :func:`verify_manifest`
recomputes the hashes and refuses drift.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from lit.errors import CorpusError

from .spec import REPO, SPLITS, corpora_root

MANIFEST_DIR = REPO / "corpora" / "manifests"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _module(corpus: str) -> Any:
    from . import converter  # late: the package imports this module first

    return converter(corpus)


def split_counts(examples: list[Any]) -> dict[str, Any]:
    """Examples, tokens, entities per unified and per source label, links per type, tuples."""
    labels: Counter[str] = Counter()
    source: Counter[str] = Counter()
    links: Counter[str] = Counter()
    for ex in examples:
        labels.update(e.label for e in ex.entities)
        source.update(e.source_label for e in ex.entities)
        links.update(r.type for r in ex.links)
    return {
        "examples": len(examples),
        "tokens": sum(len(ex.tokens) for ex in examples),
        "entities": dict(sorted(labels.items())),
        "source_labels": dict(sorted(source.items())),
        "links": dict(sorted(links.items())),
        "tuples": sum(len(ex.tuples) for ex in examples),
    }


def build_manifest(corpus: str, root: Path | None = None) -> dict[str, Any]:
    """The manifest of ``corpus`` as read now from ``root`` (converts every split)."""
    module = _module(corpus)
    base = corpora_root(root)
    spec = module.SPEC
    files = []
    for path in sorted(module.source_files(base)):
        if not path.is_file():
            raise CorpusError(f"corpus file {path} is missing; set LIT_CORPORA to the corpora folder")
        files.append({
            "path": path.relative_to(base).as_posix(),
            "sha256": sha256_file(path),
            "bytes": path.stat().st_size,
        })
    return {
        "name": spec.name,
        "source": {"repository": spec.source_repo, "commit": spec.commit, "folder": spec.folder},
        "licence": spec.licence,
        "converter": spec.converter,
        "label_map": dict(spec.label_map),
        "dropped_labels": dict(spec.dropped),
        "relation_map": dict(spec.relation_map),
        "splits": dict(spec.splits),
        "notes": spec.notes,
        "files": files,
        "counts": {split: split_counts(module.load(base, split)) for split in SPLITS},
    }


def manifest_path(corpus: str, manifest_dir: Path | None = None) -> Path:
    return (manifest_dir or MANIFEST_DIR) / f"{corpus}.json"


def write_manifests(
    corpora: list[str] | None = None, root: Path | None = None, manifest_dir: Path | None = None
) -> list[Path]:
    """(Re)write the manifests of ``corpora`` (default: all) and return their paths."""
    from . import CORPORA

    out_dir = manifest_dir or MANIFEST_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in corpora or list(CORPORA):
        path = manifest_path(name, out_dir)
        data = build_manifest(name, root)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def verify_manifest(
    corpus: str, root: Path | None = None, manifest_dir: Path | None = None
) -> dict[str, Any]:
    """The committed manifest of ``corpus``, after checking every source file's sha256 and size.

    Raises :class:`CorpusError` naming the first file that is missing or differs, and when
    the converter now reads files the manifest does not list.
    """
    path = manifest_path(corpus, manifest_dir)
    if not path.is_file():
        raise CorpusError(
            f"manifest {path} is missing; write it with `python -m lit.models.corpora build-manifests`"
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    base = corpora_root(root)
    listed = set()
    for entry in manifest["files"]:
        file = base / entry["path"]
        listed.add(entry["path"])
        if not file.is_file():
            raise CorpusError(f"{corpus}: source file {file} listed in {path.name} is missing")
        size = file.stat().st_size
        if size != entry["bytes"]:
            raise CorpusError(
                f"{corpus}: {file} is {size} bytes but manifest {path.name} records {entry['bytes']}"
            )
        digest = sha256_file(file)
        if digest != entry["sha256"]:
            raise CorpusError(
                f"{corpus}: {file} has sha256 {digest} but manifest {path.name} records {entry['sha256']}"
            )
    used = {p.relative_to(base).as_posix() for p in _module(corpus).source_files(base)}
    if used - listed:
        raise CorpusError(
            f"{corpus}: converter reads {sorted(used - listed)} not listed in {path.name}; rebuild it"
        )
    return manifest
