"""MatScholar solid-state NER ("token TAG" CoNLL, BIO) -> Examples, one per sentence.

The text was lower-cased and normalised by the Matscholar pipeline before annotation
(formulae keep their case, numbers became ``<nUm>``), so the model sees casing cues only
from formulae here. Only MAT and PRO have counterparts in the fact schema.

Line format quirks handled (all in the source files, counted by :func:`line_stats`):
a token may contain spaces (``MPam 1/2``) or end in one (``{112}<111> ``), so a line is
split at its *last* space and the token stripped; a line with no tag (32 in dev, e.g.
``% ``) is tagged ``O``; a token that is empty after stripping (3 in train, all ``O``) is
skipped because it has no text to carry.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterator

from lit.models.corpus import EntitySpan, Example

from .bio import bio_spans, join_tokens
from .spec import CorpusSpec, check_split, require_file

FOLDER = "matscholar_ner"
DATA = "ner/datasets/NER_MATSCHOLAR"

SPEC = CorpusSpec(
    name="matscholar",
    folder=FOLDER,
    source_repo="https://github.com/M3RG-IITD/MatSciBERT",
    commit="564750d9a8be0c058ee20f41def9c3de3718e079",
    licence="GPL-3.0 (MatSciBERT repository); annotations from Weston et al. 2019 (Matscholar, LBNL)",
    label_map={"MAT": "COMPOUND", "PRO": "PROPERTY"},
    dropped={
        "DSC": "sample descriptor (thin film, nanoparticles): a form of the material, not the compound",
        "SPL": "symmetry/phase label (cubic, perovskite): describes a structure, not a compound name",
        "APL": "application: no counterpart in the fact schema",
        "SMT": "synthesis method: no counterpart",
        "CMT": "characterisation method: no counterpart",
    },
    splits={
        "train": f"{DATA}/train.txt",
        "validation": f"{DATA}/dev.txt",
        "test": f"{DATA}/test.txt",
    },
    converter="lit.models.corpora.matscholar",
    notes="lower-cased text except formulae; numbers replaced by <nUm>; no values, no relations",
)


def source_files(root: Path) -> list[Path]:
    """The raw files this converter reads."""
    return [root / FOLDER / rel for rel in SPEC.splits.values()]


def read_sentences(path: Path, stats: Counter[str] | None = None) -> Iterator[tuple[list[str], list[str]]]:
    """(tokens, tags) per blank-line separated sentence of a "token TAG" file."""
    stats = stats if stats is not None else Counter()
    tokens: list[str] = []
    tags: list[str] = []
    with open(require_file(path), encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    yield tokens, tags
                    tokens, tags = [], []
                continue
            head, sep, tag = line.rpartition(" ")
            if not sep:
                head, tag = line, ""
            token = head.strip()
            if not tag:
                stats["line_without_tag"] += 1
                tag = "O"
            if not token:
                stats["empty_token_skipped"] += 1
                continue
            tokens.append(token)
            tags.append(tag)
    if tokens:
        yield tokens, tags


def load(root: Path, split: str) -> list[Example]:
    """All sentences of ``split`` as Examples (ids ``matscholar/<split>/<n>``)."""
    path = root / FOLDER / SPEC.splits[check_split(split)]
    examples = []
    for n, (tokens, tags) in enumerate(read_sentences(path)):
        text, offsets = join_tokens(tokens)
        entities = [
            EntitySpan(offsets[s][0], offsets[e - 1][1], SPEC.label_map[tag], tag)
            for s, e, tag in bio_spans(tags)
            if tag in SPEC.label_map
        ]
        examples.append(
            Example(id=f"matscholar/{split}/{n:05d}", corpus="matscholar", split=split,
                    text=text, tokens=offsets, entities=entities)
        )
    return examples


def line_stats(root: Path, split: str) -> Counter[str]:
    """Counts of the line quirks of ``split`` (see the module docstring)."""
    stats: Counter[str] = Counter()
    for _ in read_sentences(root / FOLDER / SPEC.splits[check_split(split)], stats):
        pass
    return stats
