"""Pack what a lent GPU machine needs to train lit's models into ``.gpu/`` (git-ignored).

The GPU machine gets a copy of the working tree and nothing else: no network, no
``../shared``, at most 64 MiB in one call. So this writes, beside the tree:

- ``.gpu/base/``: the base encoder with its weights in fp16 (about half the size; the
  machine casts them back to fp32 before training, see ``scripts/gpu_train.sh``);
- ``.gpu/corpora.tar.gz``: the training corpora, read from ``$LIT_CORPORA``;
- ``.gpu/REVISION``: the git revision, recorded in the model cards trained there.

Usage::

    python scripts/gpu_bundle.py            # then: run(command="bash scripts/gpu_train.sh", carry=[".gpu"])
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Corpus folders the trainers read; the rest of ``$LIT_CORPORA`` (e.g. PDFs) stays behind.
CORPUS_DIRS = {
    "polyie": None,
    "matscholar_ner": None,
    "mspt_synthesis": None,
    "bc5cdr": "iob",  # the converter reads the PubTator files; the IOB copy stays behind
    "grobid_quantities": "pdf",
}
BASE_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def pack_base(dest: Path) -> int:
    """fp16 copy of the base encoder's weights plus its config and tokenizer; returns bytes."""
    import torch
    from safetensors.torch import load_file, save_file

    from lit.models.ner.config import resolve_base

    src = resolve_base()
    dest.mkdir(parents=True, exist_ok=True)
    for name in BASE_FILES:
        if (src / name).is_file():
            shutil.copy2(src / name, dest / name)
    state = load_file(str(src / "model.safetensors"))
    half = {k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in state.items()}
    save_file(half, str(dest / "model.safetensors"), metadata={"format": "pt", "lit_note": "fp16 copy for transport"})
    return sum(p.stat().st_size for p in dest.iterdir())


def pack_corpora(dest: Path) -> int:
    from lit.models.corpora import corpora_root

    root = corpora_root(None)
    with tarfile.open(dest, "w:gz") as tar:
        for name, skip in CORPUS_DIRS.items():
            tar.add(root / name, arcname=name, filter=lambda ti, s=skip, n=name: (
                None if s and ti.name.startswith(f"{n}/{s}") else ti))
    return dest.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / ".gpu")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base = pack_base(args.out / "base")
    corpora = pack_corpora(args.out / "corpora.tar.gz")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True).stdout.strip()
    (args.out / "REVISION").write_text(rev + ("-dirty" if dirty else "") + "\n")
    print(f"{args.out}: base {base / 2**20:.1f} MiB, corpora {corpora / 2**20:.1f} MiB, revision {rev[:10]}"
          f"{' (dirty)' if dirty else ''}")


if __name__ == "__main__":
    main()
