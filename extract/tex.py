r"""TeX markup in prose -> the plain text it stands for ("CaMnO_3" -> "CaMnO3").

arXiv abstracts and many preprint-derived texts keep their TeX: ``Nd_{2-x}Ce_xCuO_4``,
``T_{\rm N}``, ``{\rm LaAlO_3}``, ``$\sim$300 K``, ``40\,K``, ``\AA``, or the stray
``{it d}`` a TeX stripper leaves behind. Read as it stands, a formula is cut at its first
``_`` ("CaMnO"), a unit hides behind ``\,`` and a value behind ``$\sim$``. Every reader's
text goes through :func:`detex` as the document is built (:mod:`lit.extract.document`),
so sentences, mentions and facts all see the plain form and their offsets point into it.

The rewrite is conservative: only markup TeX would render (sub/superscripts, font
switches, spacing commands, a known set of symbol macros, accents, ``$`` delimiters around
math) is touched. Text without a backslash, ``$``, ``_``, ``^`` or braces is returned as is.
"""

from __future__ import annotations

import re
import unicodedata

#: Symbol macros -> what they print. Greek letters are written out by name below.
_SYMBOLS = {
    "sim": "~", "approx": "≈", "simeq": "≃", "pm": "±", "mp": "∓", "times": "×", "cdot": "·",
    "AA": "Å", "circ": "°", "degree": "°", "deg": "°", "celsius": "°C", "prime": "′",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "lesssim": "≲", "gtrsim": "≳", "ll": "≪", "gg": "≫",
    "rightarrow": "→", "to": "→", "leftarrow": "←", "propto": "∝", "infty": "∞", "minus": "−",
    "hbar": "ħ", "ell": "ℓ", "partial": "∂", "nabla": "∇", "perp": "⊥", "parallel": "∥",
    "%": "%", "&": "&", "#": "#", "_": "_", "$": "$", "{": "{", "}": "}",
}
_RELATIONS = frozenset("sim approx simeq le leq ge geq lesssim gtrsim ll gg propto".split())
_OPERATORS = frozenset("pm mp times cdot".split())
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta "
    "Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
).split()
_GREEK_CHARS = "αβγδεεζηθϑικλμνξπϖρϱσςτυφφχψωΓΔΘΛΞΠΣΥΦΨΩ"
_SYMBOLS.update(zip(_GREEK, _GREEK_CHARS))
#: Font switches and boxes print their argument as it is: they vanish, their braces go later.
_FONTS = frozenset(
    "rm mathrm textrm text mathit textit it bf mathbf textbf emph mbox hbox mathsf textsf sf tt texttt "
    "mathtt cal mathcal em sl textsc sc boldsymbol bm operatorname textup up textnormal mathnormal".split()
)
#: Spacing and sizing commands: ``\,`` prints a thin space, the others nothing.
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "quad": " ", "qquad": " ", "enspace": " ",
           "thinspace": " ", "left": "", "right": "", "big": "", "Big": "", "bigg": "", "Bigg": "",
           "displaystyle": "", "textstyle": "", "scriptstyle": "", "ensuremath": "", "nobreak": "",
           "xspace": "", "/": ""}
_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303", "c": "\u0327",
            "v": "\u030c", "=": "\u0304", "u": "\u0306", "H": "\u030b", ".": "\u0307", "r": "\u030a"}

_MARKUP = re.compile(r"[\\$_^{}]")
#: "{it d}", "{rm La}": a font switch whose backslash a TeX stripper already removed.
_STRIPPED_FONT = re.compile(r"\{(?:rm|it|bf|sf|tt|em|cal)\s+([^{}]*)\}")
#: A control word eats the spaces after it, as in TeX ("\sim 300" prints "~300").
_MACRO = re.compile(r"\\(?:([A-Za-z]+)(\s*)|(.))")
_ACCENT = re.compile(r"""\\(['`"^~=.]|[cvuHr](?=[\s{]))\s*(?:\{([A-Za-z])\}|([A-Za-z]))""")
#: "$...$" holding no more than a short formula or symbol run: its dollars go.
_INLINE_MATH = re.compile(r"\$([^$\n]{0,200})\$")
#: "_3", "_{2-x}", "^{2+}", "^\circ" (after the macros are rendered: "^°").
_SCRIPT = re.compile(r"(?<=\S)(?:_|(?<!10)\^)(?:\{([^{}]{0,40})\}|([A-Za-z0-9°+\-−δ]))")
#: A power of ten keeps its caret ("10^{-3}" -> "10^-3"): the value parser reads it as an exponent.
_POWER = re.compile(r"(?<=10)\^\{([-−+]?\d+)\}")
#: TeX's en dash between numbers: "2.1--2.5 eV" is the range "2.1–2.5 eV".
_NUMBER_DASH = re.compile(r"(?<=\d)--(?=\d)")
#: TeX's tie "300~K", "Fig.~3" is a space; a "~" after a space ("~300 K") means "about".
_TIE = re.compile(r"(?<=[\w.$})])~(?=\w)")


def detex(text: str) -> str:
    """``text`` with TeX markup rendered as plain characters (see the module docstring)."""
    text = _NUMBER_DASH.sub("–", text)
    if not _MARKUP.search(text):
        return text
    text = _TIE.sub(" ", _STRIPPED_FONT.sub(r"\1", text))
    text = _INLINE_MATH.sub(lambda m: _render(m.group(1)), text)  # "$^\circ$C": the math ends at "$"
    return _render(text)


def _render(text: str) -> str:
    text = _ACCENT.sub(_accent, text)
    text = _POWER.sub(r"^\1", _MACRO.sub(_macro, text))
    previous = None
    while previous != text:  # nested scripts ("_{{N}}") unwrap one level a pass
        previous = text
        text = _SCRIPT.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    return re.sub(r"\{([^{}]{0,80})\}", r"\1", text)


def _accent(match: re.Match) -> str:
    letter = match.group(2) or match.group(3)
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def _macro(match: re.Match) -> str:
    r"""A control word's spaces are eaten after fonts and spacing (as TeX does) but kept after
    a symbol, so that "5 \AA thick" stays two words."""
    name, spaces = match.group(1) or match.group(3), match.group(2) or ""
    if name in _RELATIONS:
        return " " + _SYMBOLS[name]  # "T_C\sim 300 K" -> "TC ~300 K": the symbol leans on its number
    if name in _OPERATORS:
        return _SYMBOLS[name]
    if name in _SYMBOLS:
        return _SYMBOLS[name] + spaces
    if name in _SPACES:
        return _SPACES[name]
    if name in _FONTS:
        return ""
    return match.group(0)
