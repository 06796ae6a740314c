"""Numbers with units as papers write them: ranges, lists, uncertainties, 10^n, "ca.".

A VALUE mention is a short string ("1.55 eV", "2.4–2.7 eV", "from 280 to 400 °C",
"3.2 × 10^-4 S cm−1", "ca. 150 mAh g-1"). :func:`parse_quantity` reads its first
quantity into a :class:`Quantity`: the number(s), the unit text exactly as written and
where the quantity sits in the input, so a reviewer can highlight it.

The input is first rewritten into a plain-ASCII-ish form (unicode minus, dashes, thin
spaces, superscript exponents) while keeping a map back to the original offsets; all
regexes run on that form and every span is reported in the original's coordinates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lit.extract.normalize.units import normalize_unit

__all__ = ["Quantity", "parse_quantity"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """The first quantity found in a text.

    ``value`` is the number (the lower bound for a range, the first item for a list);
    ``value_max`` the upper bound of a range; ``values`` every number of a list
    ("1.2, 1.3 and 1.4 eV" -> three items) and ``(value,)`` otherwise, so fact assembly
    can emit one fact per item. ``unit_text`` is the unit as written ("" when none).
    ``comparison`` keeps "> 300 K" as ``">"`` (also ``"<"``, ``">="``, ``"<="``): the
    number is a bound, not a measurement. ``raw == text[value_span[0]:value_span[1]]``
    and covers qualifier, numbers and unit ("ca. 150 mAh g-1").
    """

    value: float
    value_max: float | None
    unit_text: str
    uncertainty: float | None
    approx: bool
    values: tuple[float, ...]
    raw: str
    value_span: tuple[int, int]
    comparison: str | None = None

    @property
    def is_range(self) -> bool:
        return self.value_max is not None

    @property
    def is_list(self) -> bool:
        return len(self.values) > 1

    def pick(self, index: int) -> "Quantity":
        """The ``index``-th item of a list as a single quantity (same unit, span, flags).

        Fact assembly emits one fact per list item ("1.43 and 1.39 eV" -> two facts).
        A non-list only has item 0, which is itself. IndexError for anything else.
        """
        if not self.is_list:
            if index != 0:
                raise IndexError(f"quantity {self.raw!r} has one value, not {index + 1}")
            return self
        item = self.values[index]
        return replace(self, value=item, value_max=None, values=(item,))


# --- character normalisation with an offset map -----------------------------------------

_SUP = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))
_MINUS = "\u2212\ufe63\uff0d"  # true minus signs -> "-"
_DASH = "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphens/dashes -> "–" (range separator)
_SPACE = "\u00a0\u2009\u202f\u2005\u2006\u2007\u2008\u200a\u2002\u2003\u2004\t\n\r"
_TIMES = "×✕⋅·∙"
_ASCII_SPACES = str.maketrans("\t\n\r", "   ")


def _normalise(text: str) -> tuple[str, list[int]]:
    """Rewrite characters for matching; ``index[i]`` is the original offset of char i.

    A run of superscript digits becomes ``^`` + digits, so "10⁻⁴" reads like "10^-4".
    ``index`` has one extra entry (``len(text)``) so end offsets map too.
    """
    if text.isascii():  # the common case: only tabs/newlines change, lengths stay equal
        return text.translate(_ASCII_SPACES), list(range(len(text) + 1))
    out: list[str] = []
    index: list[int] = []
    prev_sup = False
    for i, ch in enumerate(text):
        if ch in _SUP:
            if not prev_sup:
                out.append("^")
                index.append(i)
            out.append(_SUP[ch])
            index.append(i)
            prev_sup = True
            continue
        prev_sup = False
        if ch in _MINUS:
            ch = "-"
        elif ch in _DASH:
            ch = "–"
        elif ch in _SPACE:
            ch = " "
        elif ch in _TIMES:
            ch = "×"
        elif ch in "∼〜～":
            ch = "~"
        elif ch == "±":
            ch = "±"
        out.append(ch)
        index.append(i)
    index.append(len(text))
    return "".join(out), index


# --- grammar ------------------------------------------------------------------------------

# A number with optional sign, thousands groups, decimals, exponent, and "× 10^n".
_NUM = r"""
    (?P<{p}sign>[-+]\s?)?
    (?P<{p}mant>\d{{1,3}}(?:,\d{{3}})+(?!\d|\.\d)|\d+(?:\.\d+)?|\.\d+)
    (?:\((?P<{p}paren>\d{{1,3}})\))?
    (?:[eE](?P<{p}eexp>[-+]?\d+))?
    (?:\s*[×xX*]\s*10\s*(?:\^\s*)?(?P<{p}texp>[-+–]?\s?\d+)?(?!\d|\.\d))?
"""
_NUMBER_RE = re.compile(_NUM.format(p=""), re.VERBOSE)
# A bare power of ten ("10^5", "10⁵" after normalisation); tried before _NUMBER_RE.
_POW10_RE = re.compile(r"(?P<sign>[-+]\s?)?10\s*\^\s*(?P<exp>[-+]?\d+)")
# Where a number may start: not glued to a letter or digit ("CH3NH3PbI3", "PC71BM").
_START_RE = re.compile(r"(?<![\w.^])(?:[-+]\s?)?\.?\d")

_APPROX_RE = re.compile(
    r"(?:~|≈|≃|≅|\bca\.?|\bc\.a\.|\bcirca|\bapprox(?:\.|imately)?|\babout|\baround"
    r"|\bnearly|\broughly|\balmost|\bclose to|\bsome)\s*$",
    re.IGNORECASE,
)
_COMPARE_RE = re.compile(
    r"(?P<sym>>=|<=|≥|≤|⩾|⩽|>|<|≫|≪)\s*$"
    r"|\b(?P<word>more than|greater than|higher than|larger than|above|over|exceeding|in excess of"
    r"|less than|lower than|smaller than|below|under|up to|as high as|as low as"
    r"|at least|at most|no more than|no less than)\s*$",
    re.IGNORECASE,
)
_WORD_COMPARISON = {
    "more than": ">", "greater than": ">", "higher than": ">", "larger than": ">",
    "above": ">", "over": ">", "exceeding": ">", "in excess of": ">",
    "less than": "<", "lower than": "<", "smaller than": "<", "below": "<", "under": "<",
    "up to": "<=", "as high as": "<=", "at most": "<=", "no more than": "<=",
    "as low as": ">=", "at least": ">=", "no less than": ">=",
}
_SYM_COMPARISON = {">=": ">=", "≥": ">=", "⩾": ">=", "<=": "<=", "≤": "<=", "⩽": "<=",
                   ">": ">", "<": "<", "≫": ">", "≪": "<"}
_RANGE_INTRO_RE = re.compile(
    r"(?P<word>from|between|range of|ranging from|ranges from|in the range|range)\s*(?:of\s*)?$",
    re.IGNORECASE,
)

_UNCERT_RE = re.compile(r"\s*(?:±|\+/-|\+/–|\+-|\+–)\s*")
_RANGE_SEP_RE = re.compile(
    r"\s*(?:–{1,2}|-|~|\bto\b|\bthrough\b|\band\b)\s*", re.IGNORECASE
)
_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+|;\s*)", re.IGNORECASE)
_RATIO_RE = re.compile(r"\s*:\s*(?=\d)")

# Unit scanning: whitespace-separated tokens; the longest prefix pint knows wins.
_UNIT_TOKEN_RE = re.compile(r"[()]|[^\s,;()\[\]]+")
_DETACHED_EXP_RE = re.compile(r"[-+–]\d+")
_STOPWORDS = frozenset(
    "and or to at in of for the a an was were is are with by from under than as on vs "
    "respectively which after before between during while when where that this these "
    "those it its be been being has have had not no but than per each all both via into "
    "onto upon within over above below than ref refs".split()
)
_MAX_UNIT_TOKENS = 8
_NUM_START_RE = re.compile(r"[-+]?\d")
_LETTER_END_RE = re.compile(r"[^\W\d_]$")
_LETTER_RE = re.compile(r"[^\W\d_]")
_PLAIN_NUMBER_RE = re.compile(r"[-+–]?\d+(?:\.\d+)?")
_GLUE_RE = re.compile(r"[\w.^]")
_WS_RE = re.compile(r"\s*")
_SP_RE = re.compile(r" ?")
_CLOSE_RE = re.compile(r"\s*\)")
_PER_LENGTH_RE = re.compile(r"/[a-zµu]?m$")
_POS_DIGIT_RE = re.compile(r"[23]")
_HYPHEN_UNIT_RE = re.compile(r"-[^\W\d_]")
_VARIABLE_BOUNDS_RE = re.compile(r"\s*(?:≤|<=|⩽|<)\s*[^\W\d_][\w]{0,3}\s*(?:≤|<=|⩽|<)\s*")


def _to_float(m: re.Match[str], p: str = "") -> tuple[float, float | None]:
    """The number of a ``_NUM`` match and its parenthesised uncertainty, if any."""
    mant = m.group(f"{p}mant").replace(",", "")
    value = float(mant)
    uncertainty: float | None = None
    paren = m.group(f"{p}paren")
    if paren:
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        uncertainty = round(int(paren) * 10.0**-decimals, decimals + 3)
    exp = 0
    if m.group(f"{p}eexp"):
        exp += int(m.group(f"{p}eexp"))
    times = m.group(0)
    if "×" in times or "x" in times.lower() or "*" in times:
        texp = m.group(f"{p}texp")
        exp += int(texp.replace("–", "-").replace(" ", "")) if texp else 1
    if exp:
        value = float(f"{mant}e{exp}")
        if uncertainty is not None:
            uncertainty = float(f"{uncertainty}e{exp}")
    sign = (m.group(f"{p}sign") or "").strip()
    if sign == "-":
        value = -value
    return value, uncertainty


def _number_at(norm: str, pos: int, allow_sign: bool = True) -> tuple[float, float | None, int, int] | None:
    """Read a number starting exactly at ``pos``: (value, uncertainty, start, end); None for
    none, and for one no float holds ("10⁹⁹⁹⁹⁹⁹" overflowed and took its document down)."""
    try:
        return _read_number(norm, pos, allow_sign)
    except (OverflowError, ValueError):
        return None


def _read_number(norm: str, pos: int, allow_sign: bool) -> tuple[float, float | None, int, int] | None:
    m = _POW10_RE.match(norm, pos)
    if m:
        value = 10.0 ** int(m.group("exp"))
        if (m.group("sign") or "").strip() == "-":
            value = -value
        return value, None, m.start(), m.end()
    m = _NUMBER_RE.match(norm, pos)
    if m is None or (not allow_sign and m.group("sign")):
        return None
    # "10-4" is a range, not a flattened superscript: only "× 10" takes a bare exponent.
    value, unc = _to_float(m)
    return value, unc, m.start(), m.end()


def _scan_unit(norm: str, pos: int) -> tuple[str, int, int] | None:
    """The unit right after ``pos``: (text, start, end) of the longest known prefix.

    Falls back to the first token alone when no prefix is known (an unknown unit such
    as "a.u." is still the paper's unit), unless that token is an English stopword.
    """
    m = _WS_RE.match(norm, pos)
    start = m.end() if m else pos
    if m is not None and m.end() == pos and _HYPHEN_UNIT_RE.match(norm, pos):
        start = pos + 1  # "10-km", "5-year": a compound adjective, the unit follows the hyphen
    tokens: list[tuple[int, int]] = []
    cur = start
    while len(tokens) < _MAX_UNIT_TOKENS:
        t = _UNIT_TOKEN_RE.match(norm, cur)
        if t is None:
            break
        word = t.group()
        if not word.endswith("a.u."):
            word = word.rstrip(".,;:")
        if not word or word in _STOPWORDS or (len(word) > 1 and word.lower() in _STOPWORDS):
            break  # "22 A" is amperes: a lone capital is never the article
        if _NUM_START_RE.match(word) and not tokens:
            break
        if tokens and _PER_LENGTH_RE.search(norm, tokens[-1][0], tokens[-1][1]) and _POS_DIGIT_RE.fullmatch(word):
            pass  # "g/cm 3", "mA/cm 2": a superscript flattened by the PDF reader
        elif tokens and _DETACHED_EXP_RE.fullmatch(word) and _LETTER_END_RE.search(norm, tokens[-1][0], tokens[-1][1]):
            pass  # "V -1" from a flattened superscript: the exponent of the previous symbol
        elif _PLAIN_NUMBER_RE.fullmatch(word):
            break
        tokens.append((t.start(), t.start() + len(word)))
        sp = _SP_RE.match(norm, t.end())
        cur = sp.end() if sp else t.end()
        if sp is None or sp.end() == t.end():
            break
    best: tuple[str, int, int] | None = None
    for n in range(len(tokens), 0, -1):
        s, e = tokens[0][0], tokens[n - 1][1]
        text = norm[s:e]
        if text.count("(") != text.count(")"):
            continue  # "eV (ref. 3)": a bracket opened after the unit is not part of it
        if normalize_unit(text).known:
            best = (text, s, e)
            break
    if best is None and tokens:
        s, e = tokens[0]
        word = norm[s:e]
        if word[0] in "°º%‰℃Å′″" or (len(word) <= 6 and _LETTER_RE.search(word)):
            best = (word, s, e)
    return best


def _find_start(norm: str) -> int | None:
    m = _POW10_RE.search(norm)
    s = _START_RE.search(norm)
    candidates = [x.start() for x in (m, s) if x is not None]
    if m is not None and m.start() > 0 and _GLUE_RE.match(norm, m.start() - 1):
        candidates.remove(m.start())
    return min(candidates) if candidates else None


@dataclass(slots=True)
class _Qualifiers:
    approx: bool = False
    comparison: str | None = None
    intro: str | None = None
    paren_open: bool = False


def _qualifiers(prefix: str, num_start: int) -> tuple[bool, str | None, str | None, bool, int]:
    """Read what stands right before the number, innermost first: "(", "~", "> ", "from".

    Returns (approx, comparison, range intro word, opening bracket seen, span start).
    """
    q = _Qualifiers()
    span_start = num_start
    stripped = prefix.rstrip()
    if stripped.endswith("(") and not stripped.endswith("=("):
        q.paren_open = True
        stripped = stripped[:-1].rstrip()
        span_start = len(stripped) + prefix[len(stripped) :].index("(")
    while True:
        am = _APPROX_RE.search(stripped)
        if am:
            q.approx = True
            span_start, stripped = am.start(), stripped[: am.start()].rstrip()
            continue
        cm = _COMPARE_RE.search(stripped)
        if cm and q.comparison is None:
            q.comparison = _SYM_COMPARISON.get(cm.group("sym") or "") or _WORD_COMPARISON[
                cm.group("word").lower()
            ]
            span_start, stripped = cm.start(), stripped[: cm.start()].rstrip()
            continue
        rm = _RANGE_INTRO_RE.search(stripped)
        if rm and q.intro is None:
            q.intro = rm.group("word").lower()
            span_start, stripped = rm.start(), stripped[: rm.start()].rstrip()
            continue
        return q.approx, q.comparison, q.intro, q.paren_open, span_start


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in ``text``, or None when it holds no usable number.

    Reads integers, decimals, "1.2e-3", "3.2 × 10^-4", "10⁵", "1,000"; ranges
    ("2.4–2.7 eV", "from 280 to 400 °C", "between 1.2 and 1.5"); uncertainties
    ("1.55 ± 0.02", "1.55(2)"); approximations ("~", "≈", "ca.", "about"); bounds
    ("> 300 K" -> ``comparison=">"``); lists ("1.43 and 1.39 eV"); ratios ("1:1.5",
    ``unit_text="ratio"``). Numbers glued to letters ("CH3NH3PbI3") are not values.
    """
    norm, index = _normalise(text)
    start = _find_start(norm)
    if start is None:
        return None
    first = _number_at(norm, start)
    if first is None:
        return None
    value, uncertainty, num_start, end = first
    approx, comparison, intro, paren_open, span_start = _qualifiers(norm[:num_start], num_start)

    value_max: float | None = None
    values: list[float] = [value]
    unit: tuple[str, int, int] | None = None

    # Uncertainty: "1.55 ± 0.02", then an optional closing ")" of "(1.55 ± 0.02) eV".
    um = _UNCERT_RE.match(norm, end)
    if um:
        got = _number_at(norm, um.end(), allow_sign=False)
        if got:
            uncertainty, end = abs(got[0]), got[3]
    if paren_open:
        pm = _CLOSE_RE.match(norm, end)
        if pm:
            end = pm.end()

    # Bounds around a variable: "0.20 ≤ x ≤ 0.44" is the range of x.
    bm = _VARIABLE_BOUNDS_RE.match(norm, end)
    if bm:
        got = _number_at(norm, bm.end())
        if got is not None:
            unit = _scan_unit(norm, got[3])
            last = unit[2] if unit else got[3]
            lo, hi = sorted((value, got[0]))
            return _build(text, index, lo, hi, unit, uncertainty, approx, [lo], span_start,
                          last, comparison)

    # Ratio "1:1", "1 : 1.5 : 2".
    if _RATIO_RE.match(norm, end):
        pos = end
        while True:
            rm = _RATIO_RE.match(norm, pos)
            got = _number_at(norm, rm.end(), allow_sign=False) if rm else None
            if got is None:
                break
            values.append(got[0])
            pos = got[3]
        q = _build(text, index, values[0], None, None, None, approx, values,
                   span_start, pos, comparison)
        return replace(q, unit_text="ratio")

    unit = _scan_unit(norm, end)
    if unit is not None and unit[0][:1] in "–-~" and _number_at(norm, unit[1] + 1) is not None:
        unit = None  # "30–40K", "5–6μm": the dash opens a range glued to its unit, no unit of its own
    after = unit[2] if unit else end

    # Range: "2.4–2.7", "2.4 eV – 2.7 eV", "from 280 to 400", "between 1.2 and 1.5".
    for pos in (end, after) if unit else (end,):
        sm = _RANGE_SEP_RE.match(norm, pos)
        if sm is None:
            continue
        sep = sm.group().strip().lower()
        if sep == "and" and intro != "between":
            continue
        # The separator took one hyphen, so a second is the bound's sign: "-2--6 V".
        got = _number_at(norm, sm.end())
        if got is None:
            continue
        unit2 = _scan_unit(norm, got[3])
        if unit is not None and pos == after and unit2 is None:
            continue  # "cm^2 V -1": after a unit, a range needs its own unit ("2.4 eV – 2.7 eV")
        if unit is not None and unit2 is not None and not _same_unit(unit[0], unit2[0]):
            continue  # "0.812 eV at 4 K to 0.726 eV": two quantities, not a range
        value_max, end = got[0], got[3]
        unit = unit2 or unit
        last = max(end, unit[2]) if unit else end
        lo, hi = (value_max, value) if value_max < value else (value, value_max)
        return _build(text, index, lo, hi, unit, uncertainty, approx, [lo], span_start,
                      last, comparison)

    # List: "1.43 and 1.39 eV", "1.2, 1.3, and 1.4 eV", "1.43 eV and 1.39 eV".
    last = after
    pos = after
    while True:
        lm = _LIST_SEP_RE.match(norm, pos)
        if lm is None:
            break
        if not _START_RE.match(norm, lm.end()) and not _POW10_RE.match(norm, lm.end()):
            break
        got = _number_at(norm, lm.end())
        if got is None:
            break
        item_unit = _scan_unit(norm, got[3])
        if item_unit and (not normalize_unit(item_unit[0]).known or (unit and not _same_unit(unit[0], item_unit[0]))):
            break  # "3.26 eV and 6H-SiC": the next number belongs to something else
        values.append(got[0])
        pos = got[3]
        if item_unit:
            unit = item_unit
            pos = item_unit[2]
        last = pos
    return _build(text, index, values[0], None, unit, uncertainty, approx, values,
                  span_start, last, comparison)


def _same_unit(a: str, b: str) -> bool:
    """Two unit spellings that mean the same unit ("eV" and "eV", "K" and "K")."""
    ua, ub = normalize_unit(a), normalize_unit(b)
    return ua.known and ub.known and ua.canonical == ub.canonical


def _build(
    text: str,
    index: list[int],
    value: float,
    value_max: float | None,
    unit: tuple[str, int, int] | None,
    uncertainty: float | None,
    approx: bool,
    values: list[float],
    start: int,
    end: int,
    comparison: str | None,
) -> Quantity:
    """Assemble the Quantity, mapping normalised offsets back to the original text."""
    o_start, o_end = index[start], index[end - 1] + 1
    unit_text = ""
    if unit is not None:
        unit_text = text[index[unit[1]] : index[unit[2] - 1] + 1]
    return Quantity(
        value=value,
        value_max=value_max,
        unit_text=unit_text,
        uncertainty=uncertainty,
        approx=approx,
        values=tuple(values),
        raw=text[o_start:o_end],
        value_span=(o_start, o_end),
        comparison=comparison,
    )
