"""Relations -> Facts: normalise each linked value, property and compound, or drop it.

A relation becomes a Fact only when every part survives normalisation: the compound is a
real compound (not "the sample"), the number is the property's value (not a bound, a
difference or a setting: :mod:`lit.extract.roles`), the property is in the vocabulary (or
follows from the unit unambiguously), and the value's unit fits the property's dimension;
in a sentence a bare number is no value of a property that has a unit, and a property must
be named: a unit alone ("4600 cm−1", "521 J kg−1") is as often a wavenumber, an activation
energy or a refrigerant capacity as the one property the vocabulary gives that unit. Abbreviations
defined in the document ("CH3NH3PbI3 (MAPI)") resolve to the full name's key, while
``Fact.compound`` keeps the string as written at the recorded offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from lit.extract.document import Document, Sentence
from lit.extract.facts import Fact, Mention, Relation
from lit.extract.normalize.compounds import CompoundInfo, normalize_compound
from lit.extract.normalize.properties import PropertyVocabulary, Rejection
from lit.extract.normalize.values import Quantity, parse_quantity
from lit.extract.roles import is_change, value_role

# "full name (ABBR)" or "full name (formula, ABBR)": the parenthesis right after a compound;
# "name (FORMULA, ABBR)": the abbreviation after a compound inside the parenthesis.
_ABBREV = re.compile(r"\s*\(\s*(?:[^(),;]{1,40},\s*)?([A-Za-z][\w\-+]{0,14})\s*\)")
_ABBREV_IN = re.compile(r",\s*([A-Za-z][\w\-+]{0,14})\s*\)")


ALIAS_SCORE = 0.8


@dataclass
class Aliases:
    """Abbreviations defined in one document, mapping the short form to the full compound."""

    full: dict[str, CompoundInfo] = field(default_factory=dict)

    @classmethod
    def from_mentions(cls, doc: Document, compounds: Iterable[Mention]) -> "Aliases":
        aliases = cls()
        for mention in compounds:
            match = _ABBREV.match(doc.text, mention.end) or _ABBREV_IN.match(doc.text, mention.end)
            if not match:
                continue
            info = normalize_compound(mention.text)
            short = match.group(1)
            if info is None or short == mention.text:
                continue
            known = aliases.full.get(short)
            if known is None or (info.formula and not known.formula):
                aliases.full[short] = info  # a formula is the better key than a name
        return aliases

    def resolve(self, text: str) -> CompoundInfo | None:
        return self.full.get(text.strip())

    def mentions_in(self, sentence: Sentence, taken: Sequence[Mention]) -> list[Mention]:
        """COMPOUND mentions for defined abbreviations used in ``sentence`` ("MAPI") that no
        other mention covers; the NER model rarely knows a paper's own abbreviations."""
        found = []
        for short in self.full:
            for match in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if all(end <= m.start or start >= m.end for m in taken):
                    found.append(Mention(start, end, "COMPOUND", short, ALIAS_SCORE))
        return found


class VocabularyJudge:
    """Answers the linker's questions from the property vocabulary and the value parser.

    Parses are cached per mention text: a sentence asks about the same value several times.
    """

    def __init__(self, vocab: PropertyVocabulary):
        self.vocab = vocab
        self._quantities: dict[str, Quantity | None] = {}

    def quantity(self, text: str) -> Quantity | None:
        if text not in self._quantities:
            self._quantities[text] = parse_quantity(text)
        return self._quantities[text]

    def fits(self, prop: Mention, value: Mention, context: str) -> bool:
        definition = self.vocab.match(prop.text, context)
        quantity = self.quantity(value.text)
        if definition is None or quantity is None:
            return False
        return not isinstance(self.vocab.canonicalize(definition, quantity), Rejection)

    def count(self, value: Mention) -> int:
        quantity = self.quantity(value.text)
        return len(quantity.values) if quantity is not None else 0


def _conditions(relation: Relation, vocab: PropertyVocabulary) -> dict[str, str]:
    """Conditions stated in the sentence, keyed by what they measure (temperature, pressure...)."""
    out: dict[str, str] = {}
    for mention in relation.conditions:
        quantity = parse_quantity(mention.text)
        kind = vocab.condition_kind(quantity) if quantity else None
        out[kind or "condition"] = mention.text
    return out


def build_facts(
    doc: Document,
    sentence: Sentence,
    relations: Sequence[Relation],
    aliases: Aliases,
    vocab: PropertyVocabulary,
    model: str,
) -> list[Fact]:
    facts: list[Fact] = []
    for relation in relations:
        facts.extend(_build_facts(doc, sentence, relation, aliases, vocab, model))
    return facts


def _build_facts(
    doc: Document,
    sentence: Sentence,
    relation: Relation,
    aliases: Aliases,
    vocab: PropertyVocabulary,
    model: str,
) -> list[Fact]:
    """The relation's fact; two when its value is a change "from A to B", which states the
    property's value before and after (under two conditions), not a range of it; one per
    number when its value is a list that no "respectively" spread over several compounds
    ("358.4, 343.2, and 285.9 K for x = 0.1, 0.15 and 0.2": three values of one compound)."""
    quantity = parse_quantity(relation.value.text)
    if quantity is None or quantity.comparison is not None:
        return []  # "> 300 K" is a bound
    at = relation.value.start - sentence.start
    if quantity.is_range and relation.value_index is None and is_change(sentence.text, at):
        low, high = quantity.value, quantity.value_max
        ends = (replace(quantity, value_max=None, values=(low,)), replace(quantity, value=high, value_max=None, values=(high,)))
    elif quantity.is_list and relation.value_index is None:
        ends = tuple(quantity.pick(i) for i in range(len(quantity.values)))
    else:
        ends = (quantity,)
    built = (_build_fact(doc, sentence, relation, q, aliases, vocab, model) for q in ends)
    return [fact for fact in built if fact is not None]


def _build_fact(
    doc: Document,
    sentence: Sentence,
    relation: Relation,
    quantity: Quantity,
    aliases: Aliases,
    vocab: PropertyVocabulary,
    model: str,
) -> Fact | None:
    compound = normalize_compound(relation.compound.text)
    if compound is None:
        return None
    resolved = aliases.resolve(relation.compound.text) or compound
    at = relation.value.start - sentence.start
    if value_role(sentence.text, at, at + len(relation.value.text)) != "value":
        return None
    if relation.value_index is not None:
        if relation.value_index >= len(quantity.values):
            return None  # fewer listed values than compounds: do not guess
        quantity = quantity.pick(relation.value_index)
    if relation.property is None or vocab.names_other_quantity(relation.property.text):
        return None
    prop = vocab.match(relation.property.text, sentence.text)
    if prop is None:
        return None
    normalised = vocab.canonicalize(prop, quantity)
    if isinstance(normalised, Rejection) or "unit_assumed" in normalised.flags:
        return None  # in prose, "x = 0.2" or "T/TN = 0.8" is no temperature; tables name units in headers
    mentions = [relation.compound, relation.value] + ([relation.property] if relation.property else [])
    confidence = relation.score * sum(m.score for m in mentions) / len(mentions)
    value_start = relation.value.start + quantity.value_span[0]
    value_end = relation.value.start + quantity.value_span[1]
    return Fact(
        compound=relation.compound.text,
        property=prop.name,
        value=normalised.value,
        value_max=normalised.value_max,
        unit=normalised.unit,
        raw_value=quantity.raw,
        conditions=_conditions(relation, vocab),
        confidence=round(confidence, 4),
        doc_id=doc.doc_id,
        source=doc.info.source,
        section=doc.section_heading(sentence.section),
        start=sentence.start,
        end=sentence.end,
        sentence=sentence.text,
        model=model,
        compound_key=resolved.key,
        formula=resolved.formula,
        property_text=relation.property.text if relation.property else None,
        compound_start=relation.compound.start,
        compound_end=relation.compound.end,
        value_start=value_start,
        value_end=value_end,
        flags=list(normalised.flags),
    )
