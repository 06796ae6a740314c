"""What a number in a sentence is doing: the property's value, or something else.

A value mention with a fitting unit is not yet a value of the property. On real abstracts
many are bounds ("stable above 300 K", "up to 180 mAh g−1"), changes ("raised Tc by 3 K",
"a 20 % increase", "over a 40 K span"), settings of the experiment ("excited at 325 nm",
"annealed at 500 °C") or sit in a negated or conditional clause ("no transition down to
2 K", "if Tc were 40 K"). :func:`value_role` reads the words around the number and names
its role; only a ``"value"`` becomes a fact (:mod:`lit.extract.assemble`).

The cues are words of English, not of a corpus: a comparison before the number, a
difference marker before or after it, a verb of preparation or excitation governing it,
a negation in its clause. A bound that is the property's own phrase ("ferromagnetic below
300 K", "superconducting below 9 K" state the transition temperature) stays a value.
"""

from __future__ import annotations

import re
from typing import Literal

Role = Literal["value", "bound", "difference", "setting", "negated"]

_BEFORE_CHARS = 60
_QUAL = r"(?:about|approximately|around|roughly|nearly|almost|ca\.|ca|~|≈|∼|only|even|just)?\s*"
#: A comparison right before the number: the text states a bound, not the value.
_BOUND = re.compile(
    rf"(?:\b(?:more|greater|higher|larger|less|lower|smaller|fewer|better|longer|shorter|faster|slower|"
    rf"wider|narrower)\s+than|\b(?:above|over|exceed(?:s|ed|ing)?|in\s+excess\s+of|below|under|beneath|"
    rf"up\s+to|at\s+most|at\s+least|no\s+more\s+than|no\s+less\s+than|not\s+exceeding|beyond|down\s+to|"
    rf"as\s+low\s+as|upwards?\s+of|exceeds?|surpass(?:es|ed|ing)?)|[<>≤≥⩽⩾≲≳]=?)\s*{_QUAL}$",
    re.IGNORECASE,
)
#: "ferromagnetic below 300 K", "superconducts below 9 K": the bound word is the property's
#: own phrasing of a transition, and the number is its temperature.
_TRANSITION_BOUND = re.compile(
    r"\b(?:(?:anti|ferri)?ferromagnetic(?:ally)?|superconduct\w*|order(?:s|ed|ing)?|magneti[sz]ed|"
    r"transition\w*|paramagnetic|metallic|insulating)\s+(?:\w+\s+)?(?:below|above|under)\s*" + _QUAL + "$",
    re.IGNORECASE,
)
#: A change or a difference: "by 3 K", "within 2 °C", "Δ", "a shift of".
_DIFFERENCE_BEFORE = re.compile(
    rf"(?:\b(?:by|within)\s+{_QUAL}|\b(?:increase|decrease|rise|drop|reduction|enhancement|shift|change|"
    rf"difference|variation|improvement|gain|loss|decline|span|window|hysteresis|broadening|width|"
    rf"splitting|offset)s?\s+(?:of|by|in\s+\w+\s+of)\s+{_QUAL}|[Δδ]\s*\w{{0,4}}\s*(?:=|of|:)?\s*{_QUAL}|\+\s*)$",
    re.IGNORECASE,
)
_DIFFERENCE_AFTER = re.compile(
    r"^\s*(?:\)\s*)?(?:higher|lower|larger|smaller|greater|less|more|increase|decrease|rise|drop|reduction|"
    r"enhancement|improvement|shift|change|span|window|wide|gain|loss|difference)\b",
    re.IGNORECASE,
)
#: Settings of the experiment governing the number: excitation, preparation, measurement
#: ("excited at 325 nm", "annealed at 500 °C", "at a current density of 0.1 A g−1").
_SETTING = re.compile(
    r"\b(?:excit\w*|irradiat\w*|illuminat\w*|pump\w*|laser|wavelength|photon\s+energy|λ\s*ex\w*|anneal\w*|"
    r"sinter\w*|calcin\w*|heat(?:ed|ing)|grown|growth|synthesi[sz]\w*|deposit\w*|prepared|treated|quench\w*|"
    r"cooled|fired|pressed|milled|dried|aged|held|kept|scan\s+rate|current\s+density|current|rate|bias|"
    r"applied\s+field|magnetic\s+field|field|pressure|load(?:ing)?|concentration|thickness|temperature\s+of\s+"
    r"(?:synthesis|growth|annealing|calcination))"
    r"(?:\s+\S+){0,2}?\s+(?:at|to|with|of|under|using|=|:)\s*" + _QUAL + "$",
    re.IGNORECASE,
)
_SETTING_AFTER = re.compile(r"^\s*(?:\)\s*)?(?:irradiation|illumination|excitation|laser|light|pump)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|never|neither|nor|without|absence\s+of|fails?\s+to|if|would|hypothetical)\b"
                       r"[^.;,]{0,40}$", re.IGNORECASE)


#: "higher than that (2.2 × 10−3 S cm−1) of LSCF": the value of what is compared with.
_REFERENCE = re.compile(r"\b(?:than|to|with)\s+(?:that|those)\s*\(\s*" + _QUAL + "$", re.IGNORECASE)
#: "lower than the TC = 230 K of stoichiometric samples": the value compared with.
_THAN_THE = re.compile(r"\bthan\s+(?:the|that|those)\b[^.;,()]{0,30}?(?:=|\bof|\bis|\bat)\s*" + _QUAL + "$",
                       re.IGNORECASE)


#: "Tc increases from 10.6 K to 11.1 K", "the gap shifted from 1.5 to 1.7 eV": a change from
#: one value to another (two values under two conditions), not a range of one value.
#: Verbs of change, stems ("increas" for increases, increased...): shared with the linker,
#: for which "... and decreased to 6.2 K" is a new value of the property named before.
CHANGE_VERB = (r"(?:increas|decreas|rais|ris|rose|drop|fall|fell|shift|chang|lower|reduc|enhanc|improv|suppress|"
               r"grow|grew|jump|climb|declin)\w*")
_CHANGE_FROM = re.compile(rf"\b(?:{CHANGE_VERB}|go|goes|went)\s+(?:\w+\s+){{0,2}}?(?:from\s+)?$", re.IGNORECASE)


def is_change(sentence: str, start: int) -> bool:
    """Does the range starting at ``sentence[start:]`` ("from 10.6 K to 11.1 K") follow a verb of
    change, so that its two ends are two values rather than one range?"""
    before = sentence[max(0, start - _BEFORE_CHARS) : start]
    starts_with_from = sentence[start : start + 5].lower() == "from "
    return bool(_CHANGE_FROM.search(before)) and (starts_with_from or before.rstrip().lower().endswith("from"))


def value_role(sentence: str, start: int, end: int) -> Role:
    """The role of the number at ``sentence[start:end]`` (see the module docstring)."""
    before = sentence[max(0, start - _BEFORE_CHARS) : start]
    after = sentence[end : end + 30]
    if _BOUND.search(before) and not _TRANSITION_BOUND.search(before):
        return "bound"
    if (_DIFFERENCE_BEFORE.search(before) or _DIFFERENCE_AFTER.match(after) or _REFERENCE.search(before)
            or _THAN_THE.search(before)):
        return "difference"
    if _SETTING.search(before) or _SETTING_AFTER.match(after):
        return "setting"
    if _NEGATION.search(before):
        return "negated"
    return "value"
