"""Choose the real abstracts that lit's own fact annotators label (corpora/realtext/).

The texts come from ../shared/corpora (never copied here): the LLM-NERRE general-materials
and MOF abstracts and the doping abstracts (Dagdelen et al. 2024, MIT). The choice is made
by a rule fixed before anyone looked at lit's output on them: order every abstract by the
SHA-1 of its id, then take the first ones that state a number with a unit a property could
have (most facts live there) and, so that precision is also measured where there is nothing
to find, some that state none. The split (dev/test) follows the same hash.

    python scripts/select_realtext.py [--corpora DIR] [--out corpora/realtext/selection.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
from pathlib import Path

UNIT_NUMBER = re.compile(
    r"\d(?:[.,]\d+)?\s*(?:eV|meV|K\b|°C|℃|mA\s?h|mAh|S\s?cm|S/cm|GPa|MPa|%|nm\b|m2\s?g|m\^?2/g|emu|Oe\b|"
    r"V\b|mV\b|W\s?m|W/m|g\s?cm|cm2|cm\^?-1|µ|μ|Å|kJ|J\s?g|wt)"
)
WITH_UNITS, WITHOUT_UNITS = 200, 40


def abstracts(corpora: Path):
    """(id, source pointer, text) for every abstract of the three pools."""
    base = corpora / "nerre_dagdelen"
    for name, rel in (("general", "general_and_mofs/data/general_materials_information_annotations.jsonl"),
                      ("mof", "general_and_mofs/data/mof_annotations.jsonl")):
        with open(base / rel, encoding="utf-8") as handle:
            for line_no, line in enumerate(handle):
                yield (f"nerre-{name}-{line_no:04d}",
                       {"corpus": "nerre_dagdelen", "file": rel, "line": line_no, "field": "prompt"},
                       json.loads(line)["prompt"])
    rel = "doping/data/raw_data.json"
    with open(base / rel, encoding="utf-8") as handle:
        for index, record in enumerate(json.load(handle)):
            yield (f"nerre-doping-{index:04d}",
                   {"corpus": "nerre_dagdelen", "file": rel, "index": index, "field": "title+abstract"},
                   f"{record['title']}\n{record['abstract']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=os.environ.get("LIT_CORPORA", "../shared/corpora"))
    parser.add_argument("--out", default="corpora/realtext/selection.jsonl")
    args = parser.parse_args()
    ranked = sorted(abstracts(Path(args.corpora)), key=lambda a: hashlib.sha1(a[0].encode()).hexdigest())
    chosen, with_units, without = [], 0, 0
    for text_id, source, text in ranked:
        has_units = bool(UNIT_NUMBER.search(text))
        if has_units and with_units < WITH_UNITS:
            with_units += 1
        elif not has_units and without < WITHOUT_UNITS:
            without += 1
        else:
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        split = "dev" if int(hashlib.sha1(text_id.encode()).hexdigest(), 16) % 5 < 2 else "test"
        chosen.append({"id": text_id, "source": source, "sha256": digest, "split": split, "has_units": has_units})
    chosen.sort(key=lambda r: r["id"])
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for row in chosen:
            out.write(json.dumps(row) + "\n")
    print(f"{len(chosen)} texts ({with_units} with units, {without} without) -> {args.out}")


if __name__ == "__main__":
    main()
