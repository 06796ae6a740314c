"""Mentions found by rules: formulae, known property names, and values with units.

This is lit's gazetteer layer, in the spirit of ChemDataExtractor's parsers. It runs
beside the NER model: the rules are precise where they fire, the model adds what they
cannot see (names, a paper's own abbreviations, phrasing outside the vocabulary); where
both find a mention, the rule's wins (see :func:`merge_mentions`). It also lets the
pipeline extract facts before any model is trained.

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
from bisect import bisect_left, insort
from dataclasses import dataclass

from lit.extract.facts import Mention
from lit.extract.normalize.compounds import ELEMENT_NAMES, ELEMENTS, TRIVIAL_NAMES, normalize_compound
from lit.extract.normalize.properties import PropertyVocabulary
from lit.extract.normalize.units import dimension_kind, normalize_unit
from lit.extract.normalize.values import parse_quantity
from lit.extract.tokens import Token, tokenize

#: Element symbols that are also common English words or units at the start of a sentence.
_AMBIGUOUS_SYMBOLS = frozenset("In As At Be He No Am Bi Pa Po Pu Es Ga Ho Re Ti La Me Mo Mn".split())
_NUMBER_START = re.compile(r"[-\u2212+~≈∼]?\d")
_RANGE_WORDS = frozenset({"from", "between"})
_CONDITION_WORDS = frozenset({"at", "under", "near"})
_CUE_GAP = re.compile(r"^\s*(?:at|below|above|near|under)(?:\s+(?:about|approximately|around|ca\.|~|≈))?\s*$", re.I)
_QUALIFIERS = frozenset({"about", "approximately", "around", "ca.", "~", "≈", "∼", "only", "roughly", "nearly"})
_CONDITION_KINDS = frozenset({"temperature", "pressure"})
_VARIABLES = frozenset("xyzδ")  # composition variables: "x = 0 to 45 K" is x = 0, then 45 K
#: Element names that are more often ordinary words ("which lead to", "gold standard").
_VERB_LIKE_NAMES = frozenset({"lead", "gold", "mercury", "tin"})
_ANION_SUFFIXES = ("ide", "ate", "ite")
_DETERMINERS = frozenset({"the", "a", "an", "this", "its", "their"})
#: What follows a property symbol that is also an element symbol when it is the property.
#: What follows an element symbol that is also a property symbol ("Mn", "Tc") when it is the element.
_ELEMENT_CONTEXT = re.compile(
    r"(?:\s*[-–]?\s*(?:ions?|atoms?|contents?|sites?|doped|doping|dopants?|substitut\w*|concentrations?|moments?|"
    r"spins?|oxides?|cations?|metal|3d|4f|5d|K-edge|L-edge|layers?|sublattices?)\b|\d?[+−](?!\d)|[\d.]*[A-Z(\[]|\s*[,/]\s*[A-Z][a-z]?\b)"
)
SCORE = 0.75
MAX_VALUE_CHARS = 60


def rule_mentions(text: str, vocab: PropertyVocabulary) -> list[Mention]:
    """Mentions in ``text`` (offsets into ``text``), sorted by start."""
    tokens = tokenize(text)
    taken = _Taken()
    values = _values(text, tokens, taken)
    shared = _shared_site_formulae(text, taken)
    properties = _properties(text, tokens, vocab, taken)
    compounds = shared + _compounds(tokens, taken)
    found = _settle_conditions(text, values, properties) + properties + compounds
    return sorted(found, key=lambda m: m.start)


def merge_mentions(model: list[Mention], rules: list[Mention], vocab: PropertyVocabulary | None = None) -> list[Mention]:
    """Rule mentions, plus every model mention that overlaps none of them.

    The rules are precise where they fire (a formula, a vocabulary phrase, a value with a
    known unit), so they win on overlap; the model adds what no rule can see (names,
    abbreviations, phrasing outside the vocabulary). A model COMPOUND that the vocabulary
    knows as a property symbol ("TN", "Tc") is dropped. Measured on the dev split of
    ``corpora/eval``: see the README.
    """
    kept = list(rules)
    for mention in model:
        overlapping = [r for r in kept if mention.start < r.end and r.start < mention.end]
        if overlapping and _whole_formula(mention, overlapping):
            kept = [r for r in kept if r not in overlapping]  # "Nd2−x Ce x CuO4" over the rules' "CuO4"
        elif overlapping:
            continue
        if mention.label == "COMPOUND" and vocab is not None and vocab.lookup(mention.text) is not None:
            continue
        kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _whole_formula(mention: Mention, inside: list[Mention]) -> bool:
    if mention.label != "COMPOUND" or any(r.label == "VALUE" or r.start < mention.start or r.end > mention.end
                                          for r in inside):
        return False
    info = normalize_compound(mention.text)
    return info is not None and info.is_formula and not info.is_label and any(r.label == "COMPOUND" for r in inside)


class _Taken:
    """Character spans already claimed by a mention, kept sorted. Every span is added only
    when free, so none overlaps another and their ends are sorted too: whether a new span is
    free is one look at the last span starting before its end. (Checking every claimed span
    made a sentence full of values quadratic: 0.15 s for 1,000 characters of "1.5 eV".)"""

    __slots__ = ("spans",)

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        before = bisect_left(self.spans, (end,))  # spans that start before ``end``
        return not before or self.spans[before - 1][1] <= start

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))


@dataclass(frozen=True, slots=True)
class _Value:
    mention: Mention
    kind: str | None  # "temperature", "pressure", "energy"...
    after: str  # the word before the number, lower-cased ("at", "of", "")


def _values(text: str, tokens: list[Token], taken: _Taken) -> list[_Value]:
    out: list[_Value] = []
    for i, token in enumerate(tokens):
        if not _NUMBER_START.match(token.text) or not taken.free(token.start, token.end):
            continue
        start = token.start
        quantity = parse_quantity(text[start : start + MAX_VALUE_CHARS])
        if (quantity is not None and quantity.is_range and i > 1 and tokens[i - 1].text in ("=", "≈")
                and tokens[i - 2].text in _VARIABLES):
            continue  # "x = 0 to 45 K": the number is a variable's, the value starts at 45
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
        if s > token.end or not taken.free(s, e):
            continue
        taken.add(s, e)
        j = i - 1
        while j >= 0 and tokens[j].text.lower() in _QUALIFIERS:
            j -= 1
        word = tokens[j].text.lower() if j >= 0 else ""
        out.append(_Value(Mention(s, e, "VALUE", text[s:e], SCORE), dimension_kind(quantity.unit_text), word))
    return out


def _settle_conditions(text: str, values: list[_Value], properties: list[Mention]) -> list[Mention]:
    """"at 300 K" is a condition when a value of another kind came before it in the sentence
    ("1.55 eV at 300 K"); alone, or right after a property word ("melts at 801 °C",
    "superconducts at 203 K"), it is the value itself."""
    out: list[Mention] = []
    seen: set[str | None] = set()
    for value in values:
        mention = value.mention
        cue = any(p.end <= mention.start and _CUE_GAP.match(text[p.end : mention.start]) for p in properties)
        if value.after in _CONDITION_WORDS and value.kind in _CONDITION_KINDS and seen - {value.kind} and not cue:
            out.append(Mention(mention.start, mention.end, "CONDITION", mention.text, mention.score))
            continue
        seen.add(value.kind)
        out.append(mention)
    return out


def _properties(text: str, tokens: list[Token], vocab: PropertyVocabulary, taken: _Taken) -> list[Mention]:
    out: list[Mention] = []
    i, n, longest = 0, len(tokens), vocab.max_phrase_words
    while i < n:
        for width in range(min(longest, n - i), 0, -1):
            start, end = tokens[i].start, tokens[i + width - 1].end
            phrase = text[start:end]
            first, last = tokens[i].text, tokens[i + width - 1].text
            if first.lower() in _DETERMINERS or not first[:1].isalnum() or not last[-1:].isalnum():
                continue
            if not taken.free(start, end):
                continue
            # "PCEs", "FFs": the plural of a symbol, not P-C-Es
            plural_symbol = phrase.endswith("s") and phrase[:-1].isupper() and vocab.lookup(phrase[:-1]) is not None
            if width == 1 and not plural_symbol and (_is_compound_formula(phrase) or
                                                     (phrase in ELEMENTS and not vocab.is_exact_symbol(phrase))):
                continue  # "GaP" is gallium phosphide, not the symbol of a gap; "Ce" no "CE"
            if width == 1 and phrase in ELEMENTS and (_ELEMENT_CONTEXT.match(text, end) or
                                                      text[max(0, start - 1) : start] in (",", "-", "/")):
                continue  # "Mn" the element ("Mn ions", "Mn-doped", "Fe,Mn") where the symbol ("Mn = 12 kDa") is not
            found = vocab.lookup(phrase) if (width > 1 or _symbol_like(phrase)) else vocab.lookup_phrase(phrase)
            if found is not None and i > 0 and (vocab.match(text[tokens[i - 1].start : end]) is None or
                                                vocab.names_other_quantity(text[tokens[i - 1].start : end])):
                found = None  # the word before changes its meaning: "sum gap", "removal efficiency"
            if found is not None:
                taken.add(start, end)
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


def _compounds(tokens: list[Token], taken: _Taken) -> list[Mention]:
    out: list[Mention] = []
    skip_to = -1
    for i, token in enumerate(tokens):
        if i <= skip_to or not taken.free(token.start, token.end):
            continue
        word, low = token.text, token.text.lower()
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if low in ELEMENT_NAMES and following is not None and following.text.lower().rstrip("s").endswith(_ANION_SUFFIXES):
            # "zinc selenide", "magnesium diboride", "lead iodide": one compound of two words
            end = following.end
            if taken.free(token.start, end):
                taken.add(token.start, end)
                out.append(Mention(token.start, end, "COMPOUND", f"{word} {following.text}", SCORE))
                skip_to = i + 1
            continue
        if word in ELEMENTS:
            ok = len(word) == 2 and word not in _AMBIGUOUS_SYMBOLS
        elif low in ELEMENT_NAMES:
            ok = low not in _VERB_LIKE_NAMES
        elif low in TRIVIAL_NAMES:
            ok = True
        elif word[:1].isalpha() or word[:1] in "([" or _PREFIX.match(word):
            formula = _PREFIX.sub("", word)  # "4H-SiC" is SiC in its 4H polytype; "α-Fe2O3"
            info = normalize_compound(formula)
            ok = info is not None and info.is_formula and not info.is_label and _is_compound_formula(formula)
        else:
            ok = False
        if ok:
            taken.add(token.start, token.end)
            out.append(Mention(token.start, token.end, "COMPOUND", word, SCORE))
    return out


#: A formula with a site shared by several elements, which the tokenizer splits at the comma:
#: "(Ga,Mn)As", "(Ba, Sr)TiO3", "(Zn1−x,Cox)O", "Bi(Fe,Mn)O3".
_RUN = r"(?:[A-Z][a-z]?[\d.xyzδ+\-−–]*)"
_SHARED_SITE = re.compile(
    rf"(?<![\w)\]]){_RUN}*\({_RUN}{{1,3}}(?:,\s?{_RUN}{{1,3}})+\)[\d.xyzδ]*{_RUN}*(?<=[\w)])(?![\w(])"
)


def _shared_site_formulae(text: str, taken: _Taken) -> list[Mention]:
    out = []
    for match in _SHARED_SITE.finditer(text):
        start, end = match.span()
        bare_group = match.group().startswith("(") and match.group().endswith(")")  # "(Bi, Fe)"
        if bare_group or not taken.free(start, end):
            continue
        info = normalize_compound(match.group())
        if info is not None and info.is_formula:
            taken.add(start, end)
            out.append(Mention(start, end, "COMPOUND", match.group(), SCORE))
    return out


_SYMBOLS = re.compile(r"[A-Z][a-z]?")
_PREFIX = re.compile(r"^(?:\d[HCR]|[αβγδεκθ])-(?=[A-Z])")


def _is_compound_formula(word: str) -> bool:
    """At least two element symbols, or one with a count ("O2" no, "Fe3O4", "MgB2" yes)."""
    symbols = [s for s in _SYMBOLS.findall(word) if s in ELEMENTS]
    return len(symbols) >= 2 and not word.isupper() or (len(symbols) >= 2 and any(c.isdigit() for c in word))
