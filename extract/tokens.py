"""Chemistry-aware word tokenisation with character offsets.

A general English tokenizer cuts ``CH3NH3PbI3``, ``Fe2+`` or ``cm−2`` into pieces that no
later stage can glue back, and a "split on non-word characters" rule turns
``Li1.2Mn0.54Ni0.13Co0.13O2`` into nine tokens. Compound and value recognition work on
tokens, so the tokens must already be the units a chemist reads:

* formulae stay whole, including decimal stoichiometry, bracket groups and hydrate dots:
  ``Li1.2Mn0.54Ni0.13Co0.13O2``, ``(BA)2PbI4``, ``Pb(I0.85Br0.15)3``, ``CuSO4·5H2O``;
* ion charges stay on their ion: ``Fe2+``, ``O2−``, ``[Fe(CN)6]3−``;
* numbers keep decimals, thousands separators, signs and exponents: ``1.55``, ``−0.3``,
  ``3.2×10^-4``, ``1e-3``; the spaced form ``3.2 × 10−4`` gives ``3.2``, ``×``, ``10−4``;
* a **range is three tokens**, number / dash / number (``1.5-2.0`` → ``1.5``, ``-``,
  ``2.0``). Each token is then one value a value parser can read on its own, the dash is
  kept visible as the range marker, and a value tagger marks the range as a multi-token
  span. Gluing ``1.5-2.0`` into one token would hide two numbers in one string and make
  ``-2.0`` (a negative value) indistinguishable from the second half of a range;
* units: a number written against its unit is cut apart (``300K`` → ``300``, ``K``),
  ``°C`` is one token, unit powers stay on the unit (``cm−2``, ``S cm-1`` → ``S``,
  ``cm-1``), and ``wt%``/``at.%`` stay whole; a plain percentage is number + ``%``, the
  same shape as number + unit;
* hyphenated words stay whole (``n-type``, ``Li-ion``, ``4-nitrophenol``,
  ``1,2-dichloroethane``) except between two numbers, which is a range;
* conventional abbreviations keep their dot (``Fig.``, ``e.g.``, ``et al.`` → ``et``,
  ``al.``); every other sentence punctuation mark is a token of its own.

Everything is one precompiled regular expression scanned once over the text: no spaCy model
(none is installable) and no per-character Python loop, so it keeps up with the rest of
the pipeline. Tokens never contain whitespace and always slice back out of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "tokenize", "ABBREVIATIONS", "AMBIGUOUS_ABBREVIATIONS"]


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``text == source[start:end]`` (offsets include the ``offset`` passed in)."""

    text: str
    start: int
    end: int


#: Abbreviations whose dot never ends a sentence (case-sensitive, written without the final
#: dot). Shared with the sentence splitter so tokens and sentences agree on what a dot means.
ABBREVIATIONS: frozenset[str] = frozenset(
    """
    al e.g i.e cf Cf c.f ca c.a approx Approx viz vs Vs v.s Cat Expt expt
    Fig fig Figs figs FIG FIGS Eq eq Eqs eqs Eqn eqn Eqns Ref ref Refs refs Tab tab Tabs
    Sect sect Sec sec Secs Ch Chap Vol vol vols pp Suppl Supp suppl
    Dr Prof Mr Mrs Ms St Jr Ph.D Drs
    wt Wt m.p b.p Anal Calcd calcd est
    Am Chem Phys Soc Lett Mater Commun Appl Int Rev Sci Acad Natl Proc Eur
    Biol Biochem Med Res Environ Inorg Org Pharm Nucl
    """.split()
)

#: Abbreviations that often end a sentence too ("…, etc. The next"): the dot ends the
#: sentence only when a capitalised word follows.
AMBIGUOUS_ABBREVIATIONS: frozenset[str] = frozenset(
    """
    etc resp No no Nos Co Inc Ltd Corp Bros min hr hrs sec temp conc Temp Conc ed eds equiv
    """.split()
)

# Abbreviation tokens that keep their dot. Sentence-final ``etc.`` keeps it too (as in the
# Penn Treebank); the splitter still sees the dot and decides on the next word.
_ABBR_TOKEN = "|".join(
    re.escape(a) for a in sorted(ABBREVIATIONS | {"etc", "resp", "No", "Nos"}, key=len, reverse=True)
)

_HY = "\\-\u2010\u2011\u2013\u2212"  # hyphen, unicode hyphens, en dash, minus sign
_SUPD = "\u00b9\u00b2\u00b3\u2070\u2074-\u2079\u2080-\u2089"  # super-/subscript digits
_ALNUM = f"[^\\W_]"
# A bracket group inside a formula: (BA), (I0.85Br0.15), [Fe(CN)6], (OH); one level of nesting.
_GROUP = (
    rf"\((?:{_ALNUM}|[.·+{_HY}]|\[[^\s()\[\]]*\])+\)"
    rf"|\[(?:{_ALNUM}|[.·+{_HY}]|\([^\s()\[\]]*\))+\]"
)
# Where two pieces of one word may join.
_JOIN = (
    r"(?:(?<=\d)\.(?=\d)"  # decimal point: Li1.2Mn, 1.55
    r"|(?<=\d),(?=\d{3}(?!\d))"  # thousands separator: 12,000
    rf"|(?<=\d),(?=\d+(?:,\d+)*[{_HY}][^\W\d_])"  # locants: 1,2-dichloroethane
    r"|[·•∙]"  # hydrate dot: CuSO4·5H2O
    rf"|(?<!\d)[{_HY}](?=[^\W_]|[(\[])"  # n-type, Li-ion, cm-1, cm−2, x-ray
    rf"|(?<=\d)[{_HY}](?=[^\W\d_]|[(\[])"  # 4-nitrophenol, CH3NH3PbI3-xClx, 10-fold
    r")"
)
_PIECE = rf"(?:{_ALNUM}|[{_SUPD}]|{_GROUP})"
# A word starting with a letter, or with a bracket group that a formula continues ((BA)2PbI4,
# (NH4)2SO4, [Fe(CN)6]3−; not "(MTJ)169" with a glued citation); only these may carry a charge sign
# (Fe2+, O2−, Cl−), so "1.5-" never becomes a charged number.
_LETTER_WORD = (
    rf"(?:[^\W\d_]|(?:{_GROUP})(?=\d*(?:[^\W\d_]|[(\[])|\d+[+{_HY}]|[{_SUPD}]+[⁺⁻]))(?:{_PIECE}|{_JOIN}{_PIECE})*"
    rf"(?:[{_SUPD}]*[⁺⁻]|\d*[+{_HY}](?![^\W_]|[+(\[{_HY}]))?"
)
_DIGIT_WORD = rf"\d(?:{_ALNUM}|{_JOIN}(?:{_ALNUM}|{_GROUP}))*"
_UNITS = (
    "nm|µm|μm|mm|cm|m|km|Å|pm|mg|µg|μg|g|kg|mL|ml|µL|μL|L|mM|µM|μM|nM|M|mol|mmol|µmol|μmol"
    "|K|eV|meV|keV|MeV|V|mV|kV|A|mA|µA|μA|nA|W|mW|kW|Hz|kHz|MHz|GHz|THz|Pa|kPa|MPa|GPa|bar|mbar"
    "|h|hr|min|s|ms|µs|μs|ns|ps|fs|J|kJ|mJ|cal|kcal|wt|at|vol|ppm|ppb|T|mT|Oe|kOe|emu|Ω|kΩ|MΩ|S|mS|rpm|C"
)
_SIGN_OK = r"(?<![^\s(\[{=<>~≈≤≥:;,/])"  # a sign belongs to a number only after these

_TOKEN = re.compile(
    # (?=\S) fails at once on whitespace, so the scan never tries every alternative there.
    "(?=\\S)(?:"
    + "|".join(
        [
            # 0. fast path for plain words (most tokens): letters not followed by anything
            # that could make them a formula, an ion, a hyphenated word or an abbreviation.
            rf"[A-Z]?[a-z]+(?![^\W_]|[.·•∙%+(\[{_HY}⁺⁻{_SUPD}])",
            # 1. scientific notation, written compactly: 3.2×10^-4, 1e-3, 5x10−3, 2×10⁻⁴
            rf"{_SIGN_OK}[+{_HY}±]?\d+(?:\.\d+)?"
            rf"(?:[eE][+{_HY}]?\d+(?![\w.])|[×x]10(?:(?:\^|\*\*)[+{_HY}]?\d+|[{_HY}]\d+|[⁺⁻]?[{_SUPD}]+)(?![\w.]))",
            # 2. the power of ten of a spaced product: 3.2 × 10−4 -> "10−4"
            rf"(?<=[×x]\s)10(?:(?:\^|\*\*)[+{_HY}]?\d+|[{_HY}]\d+|[⁺⁻]?[{_SUPD}]+)(?![\w.])",
            # 3. abbreviations that keep their dot
            rf"(?<![\w.])(?:{_ABBR_TOKEN})\.(?![^\W_])",
            # 4. weight/atomic/volume/mole percent as one unit
            r"(?<![\w.])(?:wt|at|vol|mol|mass)\.?%",
            # 5. degree units: °C, °F, ° (alone)
            r"°[CFK]?",
            # 6. a number glued to its unit (300K, 10nm, 5%): the number alone
            # (not a polytype prefix: "3C-SiC", "6H-SiC")
            rf"{_SIGN_OK}[+{_HY}±]?\d+(?:\.\d+)?(?=(?:{_UNITS})(?![^\W_]|[{_HY}][A-Z]))",
            # 7. signed number: −0.5, +1.2, ±0.3 (only where a sign can start a value)
            rf"{_SIGN_OK}[+{_HY}±]\d+(?:,\d{{3}}(?!\d))*(?:\.\d+)?(?![^\W_])",
            # 8. words starting with a letter or formula group (formulae, ions, units)
            _LETTER_WORD,
            # 9. words and numbers starting with a digit: 1.55, 12,000, 2D, 4-nitrophenol
            _DIGIT_WORD,
            # 10. an ellipsis, then any other single non-space character
            r"\.\.\.|\S",
        ]
    )
    + ")"
)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text`` with ``[start, end)`` offsets shifted by ``offset``.

    Pass ``offset`` when ``text`` is a slice of a larger string (a sentence of a Document), so
    that ``document.text[t.start:t.end] == t.text`` holds for every token.
    """
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(text)]
