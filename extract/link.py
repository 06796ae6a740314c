"""Mentions -> Relations: decide which compound and property each value belongs to.

This is the rule-based linker, the baseline a trained relation model must beat. It works
on one sentence at a time, with the previous sentence of the same paragraph as context
for a compound named there and referred to here ("Silicon dominates... Its band gap is
1.12 eV"). The rules, in order:

1. "X and Y show ... of 1.48 and 1.73 eV, respectively": values are zipped onto the
   compounds named last before them, in order (or, when too few come before, onto the first
   ones after them: "12 K and 9 K for A and B, respectively"); with too few compounds, onto
   the properties coordinated before them ("the HOMO and LUMO levels ... -5.37 and -3.50 eV,
   respectively").
2. A value directly followed by "for/of/in <compound>", or by more values and properties
   joined to it and then that ("ρ=12.36 g/cm3 and Hv=5250 MPa for the W–Nb–Mo–Ta–V
   alloy"), belongs to that compound ("melting points of 845 °C for LiF and 1418 °C for
   CaF2"); otherwise to the nearest
   compound before it; failing that, the compound carried over from the previous sentence
   when this one opens with an anaphor ("Its", "This material"), else the nearest after it.
3. The property is the nearest one before the value whose dimension fits the value
   (a judge, built from the property vocabulary, says so), unless the words right before
   the value name a property of their own that is not a mention ("binding energy of 60
   meV"). A property after the value is taken only close by and only when no later value
   could be its own ("at 7.2 K, the superconducting transition temperature").
4. A singular property already used by an earlier value of the sentence is reused only by
   a value that states its own condition ("from 1.55 eV at 300 K to 1.58 eV at 350 K"),
   so "a band gap of 3.6 eV ... absorption starts near 3.6 eV" gives one fact, not two.
5. Differences and tolerances ("shifts by 40 K", "within 2 °C") are not values.
6. Conditions ("at 300 K") go to the value they follow, or else to the value they precede.

Scores are lower for the weaker choices, so that confidence reflects how a link was made.
"""

from __future__ import annotations

import re
from typing import Protocol, Sequence

from lit.extract.document import Sentence
from lit.extract.facts import Mention, Relation
from lit.extract.roles import CHANGE_VERB

_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_ANAPHOR = re.compile(
    r"^\s*(it|its|this|these|those|their|they|such|the (compound|material|sample|film|crystal|alloy)s?)\b",
    re.IGNORECASE,
)
#: "<word> of|=|: [about] <value>", "<symbol>∼<value>": the value's own (unrecognised)
#: property is named right before it ("TO–T∼85°C" after "TC∼267°C").
_OWN_PROPERTY = re.compile(
    r"([A-Za-z][\w\-–*′']*)(?:\s*(?:\bof|=|:)\s*(?:about|approximately|ca\.|~|≈|∼)?|(?<=[A-Z*′'])\s*[~≈∼]|[~≈∼])\s*$"
)
#: "[the] [pure|undoped...]" between "for" and the compound it names.
_HOST = r"(?:the\s+)?(?:(?:pure|bulk|undoped|pristine|bare)\s+)?$"
#: "<value> for|of|in [the] <compound>"
_FOR_COMPOUND = re.compile(r"^\s*(?:for|of|in)\s+" + _HOST, re.IGNORECASE)
#: "... and decreased to <value>": the property named before, changed.
_CHANGED_TO = re.compile(rf"\b{CHANGE_VERB}\s+(?:\w+\s+)?to\s+(?:about\s+|approximately\s+|~\s*|≈\s*)?$", re.IGNORECASE)
#: "... and retains <value> after 200 cycles": the property named before, kept at a later condition.
_RETAINS = re.compile(
    r"\b(?:retain|maintain|keep|kept|remain|still\s+(?:deliver|show|exhibit))\w*\s+(?:at\s+)?"
    r"(?:about\s+|approximately\s+|~\s*|≈\s*)?$",
    re.IGNORECASE,
)
#: "<value> and <property>=<value> for [the] <compound>": only "for" ("in" may be an atmosphere).
_FOR_JOINED = re.compile(r"^\s*for\s+" + _HOST, re.IGNORECASE)
#: What joins the values and properties of one coordination ("ρ=13.75 g/cm3 and Hv=4455 MPa").
_JOINERS = re.compile(r"(?:\s*(?:and|,|=|:|of|at|with)\s*)*", re.IGNORECASE)
#: Between two coordinated property mentions ("Tc and TN", "TC, TN").
_CONJUNCTION = re.compile(r"\s*(?:,|and|,\s*and|&|/)\s*", re.IGNORECASE)
#: Where a coordination of properties ends ("... of", "... are", "... =").
_COORDINATION_END = re.compile(
    r"\s+(?:of|are|is|were|was|for|in|at|to|reach\w*|show\w*|exhibit\w*|found|measured|determined|obtained|"
    r"estimated|calculated|values?|increase\w*|decrease\w*)\b|\s*[:=(]", re.IGNORECASE)
#: One place of a coordination: the words between its commas and "and"s.
_PLACE = re.compile(r"[^,&/]+?(?=\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*|\s*/\s*|$))", re.IGNORECASE)
#: "<values> for <compounds>, respectively"
_FOR_LIST = re.compile(r"^\s*,?\s*(?:for|of|in)\s+(?:the\s+)?$", re.IGNORECASE)
#: "by 40 K", "within 2 °C": a difference or a tolerance, not a measurement.
_DIFFERENCE = re.compile(r"\b(?:by|within)\s*(?:about|approximately|~)?\s*$", re.IGNORECASE)
#: Words before "of" that stand for the property already named ("6H-SiC one of 3.02 eV").
_ELLIPTIC = frozenset({"one", "that", "those", "value", "values"})
_APPROX_LEAD = re.compile(r"[~≈∼]")
#: Cell axes: "cubic cell parameter is a = 10.430(1) Å" states the property named before.
_AXES = frozenset("abc")
_LOOKBACK = 40
_AFTER_GAP = 40
#: A property mention this close before a value is the value's own ("TS ≈ 26 K").
_OWN_GAP = 6
_REUSE_GAP = 25

#: Score multipliers for how a link was made.
NEAREST_BEFORE = 1.0
FOR_COMPOUND = 0.95
NEAREST_AFTER = 0.85
CARRIED_OVER = 0.8
RESPECTIVELY = 0.95


class Judge(Protocol):
    """What the linker may ask about mentions' meaning (built from the property vocabulary)."""

    def fits(self, prop: Mention, value: Mention, context: str) -> bool:
        """Could ``value`` (its unit) be a value of the property ``prop`` names?"""

    def count(self, value: Mention) -> int:
        """How many numbers a value mention lists ("1.48 and 1.73 eV" -> 2)."""


class _AnyFits:
    def fits(self, prop: Mention, value: Mention, context: str) -> bool:
        return True

    def count(self, value: Mention) -> int:
        return 1


def _text(sentence: Sentence, start: int, end: int) -> str:
    return sentence.text[max(0, start - sentence.start) : max(0, end - sentence.start)]


class _Linker:
    def __init__(self, sentence: Sentence, mentions: Sequence[Mention], judge: Judge):
        self.sentence, self.judge = sentence, judge
        self.mentions = list(mentions)
        self.values = [m for m in mentions if m.label == "VALUE"]
        self.compounds = [m for m in mentions if m.label == "COMPOUND"]
        self.properties = [m for m in mentions if m.label == "PROPERTY"]
        self.conditions = [m for m in mentions if m.label == "CONDITION"]

    def is_difference(self, value: Mention) -> bool:
        return bool(_DIFFERENCE.search(_text(self.sentence, value.start - _LOOKBACK, value.start)))

    def compound_for(self, value: Mention, carried: Mention | None) -> tuple[Mention | None, float]:
        after = [c for c in self.compounds if c.start >= value.end]
        if after and (_FOR_COMPOUND.match(_text(self.sentence, value.end, after[0].start))
                      or _FOR_JOINED.match(self._after_joined(value.end, after[0].start))):
            return after[0], FOR_COMPOUND
        before = [c for c in self.compounds if c.end <= value.start]
        if before:
            return before[-1], NEAREST_BEFORE
        anaphoric = bool(_ANAPHOR.match(self.sentence.text))
        if carried is not None and (anaphoric or not self.compounds):
            return carried, CARRIED_OVER
        return (after[0], NEAREST_AFTER) if after else (None, 0.0)

    def _after_joined(self, start: int, end: int) -> str:
        """The text between ``start`` and ``end`` after the last value or property named there,
        when only joining words stand between those ("ρ=12.36 g/cm3 and Hv=5250 MPa for the X
        alloy" reads "for the" from either value); else ""."""
        pieces, at = [], start
        for m in self.mentions:
            if m.label != "COMPOUND" and start <= m.start and m.end <= end:
                pieces.append(_text(self.sentence, at, m.start))
                at = m.end
        return _text(self.sentence, at, end) if pieces and all(_JOINERS.fullmatch(p) for p in pieces) else ""

    def property_for(self, value: Mention) -> Mention | None:
        text = self.sentence.text
        if names_unknown_property(self.sentence, self.mentions, value):
            return None
        closest = [p for p in self.properties if p.end <= value.start]
        # "a spiral order at TS ≈ 26 K": the value's own property, one lit does not know; but a
        # symbol in brackets names the property before it ("absorption maxima (λmax) at 381 nm")
        if (closest and value.start - closest[-1].end <= _OWN_GAP and not self.judge.fits(closest[-1], value, text)
                and not _text(self.sentence, closest[-1].start - 3, closest[-1].start).rstrip().endswith("(")):
            return None
        before = [p for p in closest if self.judge.fits(p, value, text)]
        if before:
            return before[-1]
        for prop in self.properties:
            if prop.start < value.end or prop.start - value.end > _AFTER_GAP:
                continue
            if any(value.end <= v.start < prop.start for v in self.values):
                break
            later = [v for v in self.values if v.start >= prop.end and self.judge.fits(prop, v, text)]
            if not later and self.judge.fits(prop, value, text):
                return prop
            break
        return None

    def conditions_for(self, value: Mention) -> tuple[Mention, ...]:
        """Conditions between this value and the next one; else between the previous value and this one."""
        i = self.values.index(value)
        next_start = self.values[i + 1].start if i + 1 < len(self.values) else float("inf")
        prev_end = self.values[i - 1].end if i > 0 else -1
        following = tuple(c for c in self.conditions if value.end <= c.start < next_start)
        if following:
            return following
        return tuple(c for c in self.conditions if prev_end <= c.start and c.end <= value.start)

    def may_reuse(self, prop: Mention, previous: Mention, value: Mention, conditions: tuple[Mention, ...]) -> bool:
        """A property named once takes a second value only when the text says so: a plural
        ("band gaps"), the value's own condition, a close coordination ("61 K in the bulk
        and 45 K in the monolayer"), or a change to it ("9.1 K for thick films and decreased
        to 6.2 K for thin ones", "1000 mA h g−1 ... and retains 740 mA h g−1")."""
        between = _text(self.sentence, previous.end, value.start)
        return (bool(conditions) or prop.text.endswith("s") or value.start - previous.end <= _REUSE_GAP
                or bool(_CHANGED_TO.search(between) or _RETAINS.search(between)))

    def _listed(self, k: int, start: int, end: int) -> list[Mention] | None:
        """The ``k`` compounds a "respectively" list pairs with values spanning ``start:end``:
        the last ``k`` named before them, or else the first ``k`` after them ("Tc of 12 K and
        9 K for NbN and NbC, respectively")."""
        before = [c for c in self.compounds if c.end <= start]
        after = [c for c in self.compounds if c.start >= end]
        if k and len(after) >= k and _FOR_LIST.match(_text(self.sentence, end, after[0].start)):
            return after[:k]  # "2.63% and 3.75% for A and B, respectively", whatever came before
        if len(before) >= k:
            return before[-k:]
        return after[:k] if len(after) >= k else None

    def respectively(self) -> list[Relation] | None:
        """Zip "A and B ... 1.48 and 1.73 eV, respectively": the k values (one listed mention
        or k separate ones) go to the k compounds named last before them, in order."""
        if not _RESPECTIVELY.search(self.sentence.text) or len(self.compounds) < 2:
            return None
        for value in self.values:
            k = self.judge.count(value)
            named = self._listed(k, value.start, value.end)
            if k >= 2 and named:
                prop, conds = self.property_for(value), self.conditions_for(value)
                return [Relation(c, value, prop, conds, RESPECTIVELY, value_index=i) for i, c in enumerate(named)]
        k = len(self.values)
        named = self._listed(k, self.values[0].start, self.values[-1].end)
        before = [c for c in self.compounds if c.end <= self.values[0].start]
        if k >= 2 and named:
            return [
                Relation(c, v, self.property_for(v), self.conditions_for(v), RESPECTIVELY)
                for c, v in zip(named, self.values)
            ]
        if k == 1 and len(before) >= 2:  # the judge could not count the list: assembly checks it
            value = self.values[0]
            prop, conds = self.property_for(value), self.conditions_for(value)
            return [Relation(c, value, prop, conds, RESPECTIVELY, value_index=i) for i, c in enumerate(before)]
        return None

    def respectively_properties(self, carried: Mention | None) -> list[Relation] | None:
        """"The hardness and compressive strength ... are 7.55 and 2.36 GPa, respectively":
        with too few compounds to zip, the values pair in order with the properties coordinated
        before them. A place that names no property lit knows ("compressive strength") links
        nothing; when the places and the values do not count alike, nothing is zipped."""
        lists = [v for v in self.values if self.judge.count(v) >= 2]
        slots = [(lists[0], i) for i in range(self.judge.count(lists[0]))] if lists else [(v, None) for v in self.values]
        first = slots[0][0]
        before = [p for p in self.properties if p.end <= first.start]
        if len(slots) < 2 or not before:
            return None
        chain = [before[-1]]
        for prop in reversed(before[:-1]):
            if not _CONJUNCTION.fullmatch(_text(self.sentence, prop.end, chain[0].start)):
                break
            chain.insert(0, prop)
        origin = chain[0].start
        head = _text(self.sentence, origin, first.start)
        stop = _COORDINATION_END.search(head, chain[-1].end - origin)
        places = [(m.start(), m.end()) for m in _PLACE.finditer(head[: stop.start() if stop else len(head)].rstrip())]
        if len(places) != len(slots):
            return None
        relations = []
        for (value, index), (start, end) in zip(slots, places):
            prop = next((p for p in chain if start <= p.start - origin < end), None)
            compound, score = self.compound_for(value, carried)
            if prop is not None and compound is not None and self.judge.fits(prop, value, self.sentence.text):
                relations.append(Relation(compound, value, prop, self.conditions_for(value), score * RESPECTIVELY, value_index=index))
        return relations

    def link(self, carried: Mention | None) -> list[Relation]:
        if not self.values:
            return []
        zipped = self.respectively()
        if zipped is not None:
            return zipped
        relations: list[Relation] = []
        if _RESPECTIVELY.search(self.sentence.text):
            relations = self.respectively_properties(carried) or []
        zipped_values = {r.value for r in relations}
        used: dict[Mention, Mention] = {}  # property -> the last value that took it
        for value in self.values:
            if self.is_difference(value) or value in zipped_values:
                continue
            compound, score = self.compound_for(value, carried)
            if compound is None:
                continue
            prop = self.property_for(value)
            conditions = self.conditions_for(value)
            if prop is not None:
                if prop in used and not self.may_reuse(prop, used[prop], value, conditions):
                    continue  # a singular property names one value ("band gap of 3.6 eV ... near 3.6 eV")
                used[prop] = value
                if prop.start > value.end:
                    score *= 0.95
            relations.append(Relation(compound, value, prop, conditions, score))
        return relations


def names_unknown_property(sentence: Sentence, mentions: Sequence[Mention], value: Mention, *, symbols_only: bool = False) -> bool:
    """Do the words right before ``value`` name a property that is not one of ``mentions``
    ("binding energy of 60 meV", "TO–T∼85°C")? Then no known property may take the value.
    ``symbols_only``: count only a word set equal to the value ("T* = 150 K", "TO–T∼85°C"), not
    "of" or ":", which also introduce a method ("Langmuir: 5994 m2/g")."""
    approx = _APPROX_LEAD.match(value.text)  # a value mention may begin with its "~"
    own = _OWN_PROPERTY.search(_text(sentence, value.start - _LOOKBACK, value.start) + (approx.group() if approx else ""))
    if own is None or own.group(1).lower() in _ELLIPTIC or own.group(1) in _AXES:
        return False
    if symbols_only and not re.search(r"[=~≈∼]", own.group()[len(own.group(1)):]):
        return False
    word_start = max(sentence.start, value.start - _LOOKBACK) + own.start(1)
    return not any(m.start <= word_start < m.end for m in mentions)


def link_sentence(
    sentence: Sentence,
    mentions: Sequence[Mention],
    carried_compound: Mention | None = None,
    judge: Judge | None = None,
) -> list[Relation]:
    """Relations for one sentence. ``mentions`` are in document offsets and sorted by start."""
    return _Linker(sentence, mentions, judge or _AnyFits()).link(carried_compound)
