"""Mentions found by rules: formulae, known property names, and values with units.

This is lit's gazetteer layer, in the spirit of ChemDataExtractor's parsers. It runs
beside the NER model and fills what the model misses (a model trained on polymer papers
has seen few "GaN" or "T_N = 118 K"); where both find a mention, the model's wins. It
also lets the pipeline extract facts before any model is trained.

- COMPOUND: a token that parses as a chemical formula with at least two elements
  ("Fe3O4", "MgB2", "CH3NH3PbI3", "MAPbI3"), a two-letter element symbol that is not
  also an English word ("Fe", "Gd"; never "In", "As", "No"), or an element name.
- PROPERTY: the longest run of tokens that is exactly a vocabulary phrase or symbol
  ("optical band gap", "Curie temperature", "T_C", "PCE").
- VALUE: a number with a unit that ``parse_quantity`` reads and pint knows
  ("1.55 eV", "2.4–2.7 eV", "1.48 and 1.73 eV", "801 °C"); a bare number is not a value.
- CONDITION: "at/under <temperature or pressure>" when the sentence also states a
  value of another kind ("1.55 eV at 300 K").
"""

from __future__ import annotations

import re

from lit.extract.facts import Mention
from lit.extract.normalize.compounds import ELEMENT_NAMES, ELEMENTS, normalize_compound
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.normalize.units import dimension_kind, normalize_unit
from lit.extract.normalize.values import parse_quantity
from lit.extract.tokens import Token, tokenize

#: Element symbols that are also common English words or units at the start of a sentence.
_AMBIGUOUS_SYMBOLS = frozenset("In As At Be He No Am Bi Pa Po Pu Es Ga Ho Re Ti La Me Mo Mn".split())
_NUMBER_START = re.compile(r"[-\u2212+~≈∼]?\d")
_RANGE_WORDS = frozenset({"from", "between"})
_CONDITION_WORDS = frozenset({"at", "under"})
_CONDITION_KINDS = frozenset({"temperature", "pressure"})
#: Element names that are more often ordinary words ("which lead to", "gold standard").
_VERB_LIKE_NAMES = frozenset({"lead", "gold", "mercury", "tin"})
_ANION_SUFFIXES = ("ide", "ate", "ite", "ium")
_DETERMINERS = frozenset({"the", "a", "an", "this", "its", "their"})
SCORE = 0.75
MAX_VALUE_CHARS = 60


def rule_mentions(text: str, vocab: PropertyVocabulary) -> list[Mention]:
    """Mentions in ``text`` (offsets into ``text``), sorted by start."""
    tokens = tokenize(text)
    taken: list[tuple[int, int]] = []
    found = _values(text, tokens, taken) + _properties(text, tokens, vocab, taken)
    found += _compounds(tokens, taken)
    return sorted(found, key=lambda m: m.start)


def merge_mentions(model: list[Mention], rules: list[Mention]) -> list[Mention]:
    """The model's mentions plus every rule mention that overlaps none of them."""
    kept = list(model)
    for mention in rules:
        if all(mention.end <= m.start or mention.start >= m.end for m in model):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def _values(text: str, tokens: list[Token], taken: list[tuple[int, int]]) -> list[Mention]:
    out: list[Mention] = []
    kinds: list[str | None] = []
    for i, token in enumerate(tokens):
        if not _NUMBER_START.match(token.text) or not _free(taken, token.start, token.end):
            continue
        start = token.start
        quantity = parse_quantity(text[start : start + MAX_VALUE_CHARS])
        if i and tokens[i - 1].text.lower() in _RANGE_WORDS:  # "from 280 to 400 °C"
            ranged = parse_quantity(text[tokens[i - 1].start : tokens[i - 1].start + MAX_VALUE_CHARS])
            if ranged is not None and ranged.is_range:
                start, quantity = tokens[i - 1].start, ranged
        if quantity is None or not quantity.unit_text:
            continue
        unit = normalize_unit(quantity.unit_text)
        if not unit.known or not unit.canonical:
            continue
        s, e = start + quantity.value_span[0], start + quantity.value_span[1]
        if s > token.end or not _free(taken, s, e):
            continue
        taken.append((s, e))
        label = "CONDITION" if i and tokens[i - 1].text.lower() in _CONDITION_WORDS else "VALUE"
        out.append(Mention(s, e, label, text[s:e], SCORE))
        kinds.append(dimension_kind(quantity.unit_text))
    # "at 300 K" is a condition only beside a value of another kind; alone, it is the value
    # ("becomes superconducting at 18.3 K").
    values_kinds = {k for m, k in zip(out, kinds) if m.label == "VALUE"}
    fixed = []
    for mention, kind in zip(out, kinds):
        if mention.label == "CONDITION" and not (kind in _CONDITION_KINDS and values_kinds - {kind}):
            mention = Mention(mention.start, mention.end, "VALUE", mention.text, mention.score)
        fixed.append(mention)
    return fixed


def _properties(text: str, tokens: list[Token], vocab: PropertyVocabulary, taken: list[tuple[int, int]]) -> list[Mention]:
    out: list[Mention] = []
    i, n, longest = 0, len(tokens), vocab.max_phrase_words
    while i < n:
        for width in range(min(longest, n - i), 0, -1):
            start, end = tokens[i].start, tokens[i + width - 1].end
            phrase = text[start:end]
            if width == 1 and not _symbol_like(phrase) and len(phrase) < 4:
                continue
            first, last = tokens[i].text, tokens[i + width - 1].text
            if first.lower() in _DETERMINERS or not first[:1].isalnum() or not last[-1:].isalnum():
                continue
            if _free(taken, start, end) and vocab.lookup(phrase) is not None:
                taken.append((start, end))
                out.append(Mention(start, end, "PROPERTY", phrase, SCORE))
                i += width
                break
        else:
            i += 1
    return out


def _symbol_like(word: str) -> bool:
    """Short property symbols must look like symbols (a capital or a Greek letter): "Eg",
    "TC", "PCE", "μh" — so that "ms", "ice" or "s" in prose never match."""
    return any(c.isupper() or "\u0370" <= c <= "\u03ff" for c in word)


def _compounds(tokens: list[Token], taken: list[tuple[int, int]]) -> list[Mention]:
    out: list[Mention] = []
    for i, token in enumerate(tokens):
        word = token.text
        if not word[:1].isalpha() and not word[:1] in "([":
            if not (word[:1].isdigit() and "-" in word):  # "4H-SiC"
                continue
        if not _free(taken, token.start, token.end):
            continue
        if word in ELEMENTS:
            ok = len(word) == 2 and word not in _AMBIGUOUS_SYMBOLS
        elif word.lower() in ELEMENT_NAMES and word.lower() not in _VERB_LIKE_NAMES:
            following = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
            ok = not following.endswith(_ANION_SUFFIXES)  # "sodium chloride" is not sodium
        else:
            formula = _POLYTYPE.sub("", word)  # "4H-SiC" is SiC in its 4H polytype
            info = normalize_compound(formula)
            ok = info is not None and info.is_formula and not info.is_label and _is_compound_formula(formula)
        if ok:
            taken.append((token.start, token.end))
            out.append(Mention(token.start, token.end, "COMPOUND", word, SCORE))
    return out


_SYMBOLS = re.compile(r"[A-Z][a-z]?")
_POLYTYPE = re.compile(r"^\d[HCR]-(?=[A-Z])")


def _is_compound_formula(word: str) -> bool:
    """At least two element symbols, or one with a count ("O2" no, "Fe3O4", "MgB2" yes)."""
    symbols = [s for s in _SYMBOLS.findall(word) if s in ELEMENTS]
    return len(symbols) >= 2 and not word.isupper() or (len(symbols) >= 2 and any(c.isdigit() for c in word))
