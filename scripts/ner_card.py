"""Re-score a trained NER artifact on test splits and rewrite its model card.

``lit train ner`` does this itself at the end of a run; this script is for when the test
scoring has to be redone or capped (e.g. a CPU run whose full BC5CDR test split would not
fit the time left), or to add a casing-ablation result to the card::

    .venv/bin/python scripts/ner_card.py models/trained/ner-v1 \\
        --test polyie,matscholar,bc5cdr,mspt --cap bc5cdr=100 [--ablation ablation.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--test", default="polyie", help="comma-separated corpora")
    ap.add_argument("--cap", action="append", default=[], help="CORPUS=N: score only the first N test examples")
    ap.add_argument("--ablation", type=Path, default=None, help="JSON with the casing ablation (has a 'text' key)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--notes", type=Path, default=None, help="Markdown file whose text goes under Notes")
    args = ap.parse_args(argv)

    from lit.models.ner.release import score_and_card

    limits = {k: int(v) for k, v in (c.split("=", 1) for c in args.cap)}
    ablation = json.loads(args.ablation.read_text()) if args.ablation else None
    report = score_and_card(
        args.model, test_corpora=[t for t in args.test.split(",") if t], limits=limits, ablation=ablation,
        device=args.device, notes=args.notes.read_text() if args.notes else "", log=lambda m: print(m, file=sys.stderr, flush=True),
    )
    print(json.dumps(report["test"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
