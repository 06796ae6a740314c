"""Casing and shape features of each subword, read from the ORIGINAL text.

The base encoder is uncased: ``Co`` (cobalt), ``CO`` (carbon monoxide) and ``co`` (the
prefix) become the same token ids. Chemistry depends on that difference, so every subword
also gets three small ids computed from the characters it covers in the original text:

- its own shape (lower, Title, single capital, CAPS, mIxed, digits, alnum with digits and
  capitals like ``CH3``, other alnum with digits, punctuation, other),
- the shape of the whole word it belongs to,
- a chemistry flag: the subword is an element symbol (1), the word reads as a formula (2), both (3).

The model embeds each id and adds the sum to the input embeddings (see :mod:`.model`).
Id 0 is reserved for padding and special tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache

SHAPES = ("pad", "lower", "title", "upper1", "upper", "mixed", "digit", "alnum_upper", "alnum", "punct", "other")
N_SHAPES = len(SHAPES)
N_CHEM = 4

ELEMENTS = frozenset(
    """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se
    Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy
    Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf
    Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og""".split()
)

_FORMULA_PART = re.compile(r"[A-Z][a-z]?|\d+(?:\.\d+)?|[()\[\]·.\-+x]")


@lru_cache(maxsize=1 << 15)  # words repeat: a cache hit costs ~0.1 us against ~4 us to classify
def shape_id(s: str) -> int:
    """Shape class of ``s`` (an index into :data:`SHAPES`); empty strings are ``pad``."""
    if not s:
        return 0
    has_digit = any(c.isdigit() for c in s)
    letters = [c for c in s if c.isalpha()]
    if not letters:
        if has_digit and all(c.isdigit() or c in ".," for c in s):
            return SHAPES.index("digit")
        if all(not c.isalnum() for c in s):
            return SHAPES.index("punct")
        return SHAPES.index("other")
    if not all(c.isascii() for c in letters):
        return SHAPES.index("other")
    has_upper = any(c.isupper() for c in letters)
    if has_digit:
        return SHAPES.index("alnum_upper" if has_upper else "alnum")
    if all(c.islower() for c in letters):
        return SHAPES.index("lower")
    if all(c.isupper() for c in letters):
        return SHAPES.index("upper1" if len(letters) == 1 else "upper")
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return SHAPES.index("title")
    return SHAPES.index("mixed")


@lru_cache(maxsize=1 << 15)
def is_formula(word: str) -> bool:
    """True when ``word`` is a sequence of element symbols, counts, brackets and dots.

    A cheap reading, not a parser: ``CH3NH3PbI3``, ``Ca(OH)2``, ``TiO2`` pass; ``Cat`` fails
    (``t`` is not a part). Single letters pass only if they are an element.
    """
    if not word or not word[0].isupper():
        return False
    pos = 0
    elements = 0
    for m in _FORMULA_PART.finditer(word):
        if m.start() != pos:
            return False
        part = m.group()
        if part[0].isalpha():
            if part not in ELEMENTS:
                return False
            elements += 1
        pos = m.end()
    return pos == len(word) and elements > 0


def subword_features(piece: str, word: str, formula: bool | None = None) -> tuple[int, int, int]:
    """The three feature ids of a subword covering ``piece`` inside ``word``."""
    chem = (1 if piece in ELEMENTS else 0) + (2 if (is_formula(word) if formula is None else formula) else 0)
    return shape_id(piece), shape_id(word), chem
