"""PolyIE (polymer papers, BIO NER + n-ary CN-PN-PV[-Condition] tuples) -> Examples.

Each ``<split>_split.txt`` is one JSON object ``{"text", "label", "relation"}`` indexed
``[document][paragraph]``: tokens, BIO tags, and tuples of ``[start, end)`` token spans in
the order (compound, property, value[, condition]). One Example per paragraph; the text is
the tokens joined by single spaces (the corpus keeps no original spacing).

Tuples are positional. Every tuple span in the corpus coincides with a BIO entity, but a
few entities carry a different tag than their tuple slot (e.g. a "V oc" tagged PV in the
property slot); the entity keeps its BIO label (the NER truth) and the tuple keeps its slot
(the RE truth). A span that matches no BIO entity is added as an entity of its slot's label
with ``source_label="tuple:<slot>"``; a slot repeating a span already used earlier in the
same tuple is left empty. Two-element tuples are placed by their entities' labels because
their slots are ambiguous ((CN, PN) and (PN, PV) both occur). :func:`tuple_stats` counts
each of these cases.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from lit.models.corpus import EntitySpan, Example, RelationLink

from .bio import bio_spans, join_tokens
from .spec import CorpusSpec, check_split, require_file

FOLDER = "polyie"
DATA = "Cleaned_data/Final_v2"

SPEC = CorpusSpec(
    name="polyie",
    folder=FOLDER,
    source_repo="https://github.com/jerry3027/PolyIE",
    commit="671a45222f1c53432b8b78e9630bef1f31353417",
    licence="Apache-2.0 (repository); texts are excerpts of copyrighted papers: research-only",
    label_map={"CN": "COMPOUND", "PN": "PROPERTY", "PV": "VALUE", "Condition": "CONDITION"},
    dropped={
        "ES": "marks excluded stretches (author contacts, copyright notices, equations, "
        "reference headers); not an entity of the fact schema and never part of a tuple",
    },
    splits={
        "train": f"{DATA}/train_split.txt",
        "validation": f"{DATA}/validation_split.txt",
        "test": f"{DATA}/test_split.txt",
    },
    converter="lit.models.corpora.polyie",
    relation_map={
        "CN->PV": "compound_of",
        "PN->PV": "property_of",
        "Condition->PV": "condition_of",
        "CN->PN (tuple without value)": "compound_of",
    },
)

#: Tuple slot order in the source, and the unified label of each slot.
SLOTS: tuple[str, ...] = ("CN", "PN", "PV", "Condition")
SLOT_LABELS: tuple[str, ...] = ("COMPOUND", "PROPERTY", "VALUE", "CONDITION")
_SLOT_OF_TAG = {tag: i for i, tag in enumerate(SLOTS)}


def source_files(root: Path) -> list[Path]:
    """The raw files this converter reads (absolute paths under ``root``)."""
    return [root / FOLDER / rel for rel in SPEC.splits.values()]


def read_split(root: Path, split: str) -> dict[str, Any]:
    """The split's raw JSON object (``text``, ``label``, ``relation``)."""
    path = require_file(root / FOLDER / SPEC.splits[check_split(split)])
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load(root: Path, split: str) -> list[Example]:
    """All paragraphs of ``split`` as Examples (ids ``polyie/<split>/<doc>/<paragraph>``)."""
    raw = read_split(root, split)
    examples: list[Example] = []
    for d, (docs, labels, relations) in enumerate(zip(raw["text"], raw["label"], raw["relation"])):
        for p, (tokens, tags, tuples) in enumerate(zip(docs, labels, relations)):
            examples.append(_paragraph(f"polyie/{split}/{d:03d}/{p:03d}", split, tokens, tags, tuples)[0])
    return examples


def tuple_stats(root: Path, split: str) -> Counter[str]:
    """Counts of the tuple cases the converter resolves (see the module docstring)."""
    raw = read_split(root, split)
    total: Counter[str] = Counter()
    for docs, labels, relations in zip(raw["text"], raw["label"], raw["relation"]):
        for tokens, tags, tuples in zip(docs, labels, relations):
            total.update(_paragraph("", split, tokens, tags, tuples)[1])
    return total


def _paragraph(
    ex_id: str, split: str, tokens: list[str], tags: list[str], tuples: list[list[list[int]]]
) -> tuple[Example, Counter[str]]:
    if len(tokens) != len(tags):
        raise ValueError(f"{ex_id}: {len(tokens)} tokens but {len(tags)} tags")
    text, offsets = join_tokens(tokens)
    stats: Counter[str] = Counter()
    entities: list[EntitySpan] = []
    index_of: dict[tuple[int, int], int] = {}
    tag_of: dict[tuple[int, int], str] = {}
    for start, end, tag in bio_spans(tags):
        tag_of[(start, end)] = tag
        label = SPEC.label_map.get(tag)
        if label is None:
            continue
        index_of[(start, end)] = len(entities)
        entities.append(EntitySpan(offsets[start][0], offsets[end - 1][1], label, tag))

    out_tuples: list[tuple[int | None, ...]] = []
    links: list[RelationLink] = []
    seen_links: set[tuple[int, int, str]] = set()
    for spans in tuples:
        stats["tuples"] += 1
        slots: list[int | None] = [None, None, None, None]
        placed = _place(spans, tag_of, stats)
        used: set[tuple[int, int]] = set()
        for slot, (start, end) in placed:
            key = (start, end)
            if key in used:
                stats["duplicate_span_in_tuple"] += 1
                continue
            used.add(key)
            if key not in index_of:
                stats["span_without_entity"] += 1
                index_of[key] = len(entities)
                entities.append(
                    EntitySpan(offsets[start][0], offsets[end - 1][1], SLOT_LABELS[slot], f"tuple:{SLOTS[slot]}")
                )
            elif tag_of.get(key) != SLOTS[slot]:
                stats["slot_label_mismatch"] += 1
            slots[slot] = index_of[key]
        out_tuples.append(tuple(slots))
        for head, tail, kind in _tuple_links(slots):
            if (head, tail, kind) not in seen_links:
                seen_links.add((head, tail, kind))
                links.append(RelationLink(head, tail, kind))
    ex = Example(
        id=ex_id, corpus="polyie", split=split, text=text, tokens=offsets,
        entities=entities, links=links, tuples=out_tuples,
    )
    return ex, stats


def _place(
    spans: list[list[int]], tag_of: dict[tuple[int, int], str], stats: Counter[str]
) -> list[tuple[int, tuple[int, int]]]:
    """(slot, span) pairs of one source tuple: positional, except short tuples by label."""
    keys = [(int(s), int(e)) for s, e in spans]
    if len(keys) > len(SLOTS):
        raise ValueError(f"tuple with {len(keys)} spans; PolyIE tuples have at most 4")
    if len(keys) >= 3:
        return list(enumerate(keys))
    stats[f"short_tuple_{len(keys)}"] += 1
    by_label = [_SLOT_OF_TAG.get(tag_of.get(k, ""), -1) for k in keys]
    if -1 not in by_label and len(set(by_label)) == len(by_label):
        return list(zip(by_label, keys))
    stats["short_tuple_positional"] += 1
    return list(enumerate(keys))


def _tuple_links(slots: list[int | None]) -> list[tuple[int, int, str]]:
    """Pairwise links of one tuple: everything points at the value; no value -> CN->PN."""
    compound, prop, value, condition = slots
    links: list[tuple[int, int, str]] = []
    if value is not None:
        if compound is not None:
            links.append((compound, value, "compound_of"))
        if prop is not None:
            links.append((prop, value, "property_of"))
        if condition is not None:
            links.append((condition, value, "condition_of"))
    elif compound is not None and prop is not None:
        links.append((compound, prop, "compound_of"))
    return links
