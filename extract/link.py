"""Mentions -> Relations: decide which compound and property each value belongs to.

This is the rule-based linker, the baseline a trained relation model must beat. It works
on one sentence at a time, with the previous sentence of the same paragraph as context
for a compound named there and referred to here ("Silicon dominates... Its band gap is
1.12 eV"). The rules, in order:

1. "X and Y show ... of 1.48 and 1.73 eV, respectively": values are zipped onto the
   compounds in order of appearance.
2. Otherwise each value takes the nearest compound before it; failing that, the compound
   carried over from the previous sentence when this one opens with an anaphor ("Its",
   "This material"), else the nearest compound after it.
3. The property is the nearest one before the value, unless the words right before the
   value name a property of their own that is not a mention ("binding energy of 60
   meV": the 60 meV is not the band gap named earlier); else the nearest one after.
4. Conditions ("at 300 K") go to the value they follow, or else to the value they precede.

Scores are lower for the weaker choices, so that confidence reflects how a link was made.
"""

from __future__ import annotations

import re
from typing import Sequence

from lit.extract.document import Sentence
from lit.extract.facts import Mention, Relation

_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_ANAPHOR = re.compile(
    r"^\s*(it|its|this|these|those|their|they|such|the (compound|material|sample|film|crystal|alloy)s?)\b",
    re.IGNORECASE,
)
#: "<word> of|=|: [about] <value>": the value's own (unrecognised) property is named right before it.
_OWN_PROPERTY = re.compile(r"([A-Za-z][\w\-]*)\s*(?:\bof|=|:)\s*(?:about|approximately|ca\.|~|≈)?\s*$")
_LOOKBACK = 40

#: Score multipliers for how a link was made.
NEAREST_BEFORE = 1.0
NEAREST_AFTER = 0.85
CARRIED_OVER = 0.8
RESPECTIVELY = 0.95


def _nearest(value: Mention, candidates: Sequence[Mention]) -> tuple[Mention | None, float]:
    before = [c for c in candidates if c.end <= value.start]
    if before:
        return before[-1], NEAREST_BEFORE
    after = [c for c in candidates if c.start >= value.end]
    if after:
        return after[0], NEAREST_AFTER
    return None, 0.0


def _property_for(value: Mention, properties: Sequence[Mention], mentions: Sequence[Mention], sentence: Sentence) -> Mention | None:
    before = [p for p in properties if p.end <= value.start]
    window_start = max(sentence.start, value.start - _LOOKBACK)
    own = _OWN_PROPERTY.search(sentence.text[window_start - sentence.start : value.start - sentence.start])
    if own is not None:
        word_start = window_start + own.start(1)
        named_by_mention = any(m.start <= word_start < m.end for m in mentions)
        if not named_by_mention:
            return None  # "binding energy of 60 meV": a property we do not know
    if before:
        return before[-1]
    after = [p for p in properties if p.start >= value.end]
    return after[0] if after else None


def _conditions_for(value: Mention, values: Sequence[Mention], conditions: Sequence[Mention]) -> tuple[Mention, ...]:
    """Conditions between this value and the next one; else between the previous value and this one."""
    i = values.index(value)
    next_start = values[i + 1].start if i + 1 < len(values) else float("inf")
    prev_end = values[i - 1].end if i > 0 else -1
    following = tuple(c for c in conditions if value.end <= c.start < next_start)
    if following:
        return following
    return tuple(c for c in conditions if prev_end <= c.start and c.end <= value.start)


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
    conditions = [m for m in mentions if m.label == "CONDITION"]

    if _RESPECTIVELY.search(sentence.text) and len(compounds) >= 2:
        if len(values) == len(compounds):
            return [
                Relation(c, v, _property_for(v, properties, mentions, sentence),
                         _conditions_for(v, values, conditions), RESPECTIVELY)
                for c, v in zip(compounds, values)
            ]
        if len(values) == 1:  # one listed value mention: "1.48 and 1.73 eV, respectively"
            prop = _property_for(values[0], properties, mentions, sentence)
            conds = _conditions_for(values[0], values, conditions)
            return [
                Relation(c, values[0], prop, conds, RESPECTIVELY, value_index=i)
                for i, c in enumerate(compounds)
            ]

    anaphoric = bool(_ANAPHOR.match(sentence.text))
    relations = []
    for value in values:
        compound, score = _nearest(value, compounds)
        if carried_compound is not None and (compound is None or (score == NEAREST_AFTER and anaphoric)):
            compound, score = carried_compound, CARRIED_OVER
        if compound is None:
            continue
        prop = _property_for(value, properties, mentions, sentence)
        if prop is not None and prop.start > value.end:
            score *= 0.95
        relations.append(Relation(compound, value, prop, _conditions_for(value, values, conditions), score))
    return relations
