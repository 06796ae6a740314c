"""Mentions -> Relations: decide which compound and property each value belongs to.

This is the rule-based linker, the baseline a trained relation model must beat. It works
on one sentence at a time, with the previous sentence of the same paragraph as context
for a compound named there and referred to here ("Silicon dominates... Its band gap is
1.12 eV"). The rules, in order:

1. "X and Y show ... of 1.48 and 1.73 eV, respectively": values are zipped onto the
   compounds in order of appearance.
2. Otherwise each value takes the nearest compound before it (else after it, else the
   carried-over one) and the nearest property before it (else after it).

Scores are lower for the weaker choices, so that confidence reflects how a link was made.
"""

from __future__ import annotations

import re
from typing import Sequence

from lit.extract.document import Sentence
from lit.extract.facts import Mention, Relation

_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)

#: Score multipliers for how a link was made.
NEAREST_BEFORE = 1.0
NEAREST_AFTER = 0.85
CARRIED_OVER = 0.7
RESPECTIVELY = 0.95


def _nearest(value: Mention, candidates: Sequence[Mention]) -> tuple[Mention | None, float]:
    before = [c for c in candidates if c.end <= value.start]
    if before:
        return before[-1], NEAREST_BEFORE
    after = [c for c in candidates if c.start >= value.end]
    if after:
        return after[0], NEAREST_AFTER
    return None, 0.0


def link_sentence(
    sentence: Sentence,
    mentions: Sequence[Mention],
    carried_compound: Mention | None = None,
) -> list[Relation]:
    """Relations for one sentence. ``mentions`` are in document offsets and sorted by start."""
    values = [m for m in mentions if m.label == "VALUE"]
    if not values:
        return []
    compounds = [m for m in mentions if m.label == "COMPOUND"]
    properties = [m for m in mentions if m.label == "PROPERTY"]
    conditions = tuple(m for m in mentions if m.label == "CONDITION")

    if _RESPECTIVELY.search(sentence.text) and len(compounds) >= 2:
        if len(values) == len(compounds):
            return [
                Relation(c, v, _nearest(v, properties)[0], conditions, RESPECTIVELY)
                for c, v in zip(compounds, values)
            ]
        if len(values) == 1:  # one listed value mention: "1.48 and 1.73 eV, respectively"
            prop = _nearest(values[0], properties)[0]
            return [
                Relation(c, values[0], prop, conditions, RESPECTIVELY, value_index=i)
                for i, c in enumerate(compounds)
            ]

    relations = []
    for value in values:
        compound, score = _nearest(value, compounds)
        if compound is None:
            if carried_compound is None:
                continue
            compound, score = carried_compound, CARRIED_OVER
        prop, prop_score = _nearest(value, properties)
        if prop is not None:
            score *= 1.0 if prop_score == NEAREST_BEFORE else 0.95
        relations.append(Relation(compound, value, prop, conditions, score))
    return relations
