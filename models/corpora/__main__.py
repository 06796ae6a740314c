"""``python -m lit.models.corpora build-manifests|verify [corpus...] [--root DIR]``.

A maintenance entry point, not a user command: it rewrites or checks the committed
manifests after a corpus is updated on purpose.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lit.errors import CorpusError

from . import CORPORA, verify_manifest, write_manifests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lit.models.corpora")
    parser.add_argument("action", choices=["build-manifests", "verify"])
    parser.add_argument("corpora", nargs="*", help=f"default: all of {', '.join(CORPORA)}")
    parser.add_argument("--root", type=Path, default=None, help="corpora folder (default $LIT_CORPORA)")
    args = parser.parse_args(argv)
    names = args.corpora or list(CORPORA)
    try:
        if args.action == "build-manifests":
            for path in write_manifests(names, args.root):
                print(f"wrote {path}")
        else:
            for name in names:
                verify_manifest(name, args.root)
                print(f"{name}: ok")
    except CorpusError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
