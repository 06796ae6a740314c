"""Units as papers write them, turned into one pint-parsable spelling.

Papers write the same unit many ways: ``S cm−1``, ``S/cm``, ``S cm^-1``, ``S·cm⁻¹``;
``°C``, ``℃``, ``oC``; ``µV/K`` with a micro sign or a Greek mu. Fact assembly needs one
spelling per unit (so equal facts get equal ids) and a dimension (so "1.55 K" is never
stored as a band gap). This module rewrites the paper's spelling into a pint expression,
lets pint decide whether it is a unit at all, and reports pint's compact symbol form.

Anything pint cannot read is kept as written with ``known=False``; nothing here raises
on odd input, because unit text comes from noisy mentions.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from lit.errors import UnitError

if TYPE_CHECKING:  # pint is imported lazily: building its registry costs ~0.3 s.
    import pint

__all__ = [
    "UnitInfo",
    "normalize_unit",
    "convert",
    "convert_delta",
    "registry",
    "same_dimension",
    "dimension_kind",
]


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A unit as written (``text``) and, when pint understands it, its canonical form.

    ``canonical`` is pint's compact symbol spelling (``"mS/cm"``, ``"°C"``, ``"%"``) and
    parses back with :func:`registry`; ``dimensionality`` is pint's dimension string
    (``"[temperature]"``, ``"dimensionless"``). Both are None when ``known`` is False.
    An empty ``text`` is a bare number: known, canonical ``""``, dimensionless.
    """

    text: str
    canonical: str | None
    dimensionality: str | None
    known: bool


_REGISTRY: "pint.UnitRegistry | None" = None
_LOCK = threading.Lock()

# Units papers use that pint's default registry lacks. Values from their definitions:
# 1 emu (of magnetic moment) = 1e-3 A m^2; 1 Torr = 1/760 atm.
_EXTRA_DEFINITIONS = (
    "emu = 1e-3 * ampere * meter ** 2",
    "Torr = atm / 760",
    "ppb = 1e-9 = parts_per_billion",
)


def registry() -> "pint.UnitRegistry":
    """The one pint registry of the process, built on first use (thread-safe)."""
    global _REGISTRY
    if _REGISTRY is None:
        with _LOCK:
            if _REGISTRY is None:
                import pint

                reg = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
                for line in _EXTRA_DEFINITIONS:
                    reg.define(line)
                _REGISTRY = reg
    return _REGISTRY


# --- turning paper spellings into a pint expression -------------------------------------

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")

# Whole-text spellings that are not built from atoms (checked after whitespace squeeze).
_WHOLE = {
    "%": "percent",
    "wt%": "percent",
    "wt.%": "percent",
    "at%": "percent",
    "at.%": "percent",
    "mol%": "percent",
    "vol%": "percent",
    "vol.%": "percent",
    "‰": "permille",
    "°c": "degC",
    "℃": "degC",
    "oc": "degC",
    "ºc": "degC",
    "°f": "degF",
    "℉": "degF",
    "°k": "kelvin",
    "degrees celsius": "degC",
    "degree celsius": "degC",
    "degrees": "degree",
}

# Atom spellings pint does not read (or reads as something else) -> pint names.
_ATOM = {
    "°C": "degC",
    "℃": "degC",
    "oC": "degC",
    "ºC": "degC",
    "°F": "degF",
    "℉": "degF",
    "Ω": "ohm",
    "Ω": "ohm",
    "Å": "angstrom",
    "Å": "angstrom",
    "%": "percent",
    "‰": "permille",
    "°": "degree",
    "º": "degree",
    "′": "arcminute",
    "′′": "arcsecond",
    "″": "arcsecond",
    "cc": "cm**3",
    "sec": "s",
    "hr": "h",
    "Vs": "V*s",
    "hrs": "h",
    "mins": "min",
    "yr": "year",
    "wt%": "percent",
    "at%": "percent",
    "mol%": "percent",
    "vol%": "percent",
    "a.u.": "arbitrary_unit",  # deliberately unknown: arbitrary units have no dimension
}

_ATOM_RE = re.compile(
    r"""^(?P<sym>°[CFK]|[℃℉%‰°]|[^\W\d_]+%?|[^\W\d_]\.[^\W\d_]\.)   # symbol (a.u. too)
        (?:\^?\(?(?P<exp>[-+]?\d+(?:\.\d+)?)\)?)?$                  # optional exponent
    """,
    re.VERBOSE,
)
_PAREN_GROUP = re.compile(r"\(([^()]*)\)")


def _clean(text: str) -> str:
    """Unify characters: minus signs, micro signs, superscripts, multiplication dots."""
    text = unicodedata.normalize("NFC", text)
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), text)
    for ch in "\u2212\u2012\u2013\u2014\u2010\u2011\ufe63\uff0d":
        text = text.replace(ch, "-")
    text = text.replace("μ", "u").replace("µ", "u")  # Greek mu and micro sign
    text = text.replace("{", "").replace("}", "")  # LaTeX-ish "cm^{-2}"
    text = text.replace("**", "^")  # pint's own power operator (canonical forms round-trip)
    for ch in "·⋅•∙×*":
        text = text.replace(ch, " ")
    for ch in "\u00a0\u2009\u202f\u2005\u2006\u2007\u2008\u200a":
        text = text.replace(ch, " ")
    text = text.replace("º", "°")  # ordinal indicator typed for a degree sign
    text = re.sub(r"°\s+([CFK])\b", r"°\1", text)  # "° C" from flattened PDFs
    text = re.sub(r"\s*\^\s*", "^", text)
    text = re.sub(r"(?<=[^\W\d_])\s+([-+]\d+)\b", r"\1", text)  # "V -1": detached exponent
    text = re.sub(r"(/[a-zu]?m)\s+([23])\b", r"\1\2", text)  # "g/cm 3": flattened superscript
    text = re.sub(r"\^\s*\(\s*([-+]?\d+)\s*\)", r"^\1", text)
    # "W/mK", "uW/cmK2": per metre-kelvin, as papers mean it (no property is per millikelvin)
    text = re.sub(r"/\s*\(?\s*(c?m)\s*K\s?(\^?\d)?\s*\)?(?=\s|$)", lambda m: f"/({m.group(1)} K{m.group(2) or ''})", text)
    text = re.sub(r"\b(m?Ah|m?Wh)(?=k?g\b|k?g\^?-1\b)", r"\1 ", text)  # "mAhg-1": run together
    return re.sub(r"\s+", " ", text).strip()


def _atom_to_pint(atom: str, sign: int) -> str | None:
    """One unit atom (``cm-1``, ``cm^2``, ``mAh``, ``°C``) as a pint factor, or None."""
    if atom in _ATOM:
        return _ATOM[atom] if sign > 0 else f"({_ATOM[atom]})**-1"
    m = _ATOM_RE.match(atom)
    if m is None:
        return None
    sym = _ATOM.get(m.group("sym"), m.group("sym"))
    if "*" in sym:
        sym = f"({sym})"
    exp = float(m.group("exp")) if m.group("exp") else 1.0
    exp *= sign
    if exp == 1:
        return sym
    exp_text = str(int(exp)) if exp == int(exp) else str(exp)
    return f"{sym}**{exp_text}"


def _factors(part: str, sign: int) -> list[str] | None:
    """All atoms of a product (space-separated), with ``sign`` -1 for a denominator."""
    out: list[str] = []
    for atom in part.replace("(", " ").replace(")", " ").split():
        if atom == "1":  # "1/cm": pint's own spelling of a pure reciprocal
            continue
        factor = _atom_to_pint(atom, sign)
        if factor is None:
            return None
        out.append(factor)
    return out


def _to_pint_expression(text: str) -> str | None:
    """Rewrite a cleaned unit text into a pint expression; None if it has no unit shape.

    A ``/`` puts everything after it (up to the next ``/``, or a parenthesised group)
    in the denominator, as papers mean ``W/(m K)`` and ``W/m/K``.
    """
    whole = _WHOLE.get(text.lower().replace(" ", "")) or _WHOLE.get(text.lower())
    if whole:
        return whole
    parts = [p.strip() for p in text.split("/")]
    if any(not p for p in parts):
        return None
    factors: list[str] = []
    for i, part in enumerate(parts):
        got = _factors(part, 1 if i == 0 else -1)
        if got is None:
            return None
        factors.extend(got)
    return " * ".join(factors) if factors else None


def _dimension_text(unit: "pint.Unit") -> str:
    dims = unit.dimensionality
    return "dimensionless" if not dims else str(dims)


@lru_cache(maxsize=4096)
def normalize_unit(unit_text: str) -> UnitInfo:
    """Canonical, pint-parsable form of a unit written the way papers write it.

    Examples: ``"S cm−1"`` and ``"S/cm"`` -> ``"S/cm"``; ``"℃"`` -> ``"°C"``;
    ``"mAh g-1"`` -> ``"mAh/g"``; ``"W m−1 K−1"`` -> ``"W/K/m"``. The prefix the paper
    used is kept (``"mS cm^-1"`` -> ``"mS/cm"``): converting is :func:`convert`'s job.
    """
    text = unit_text.strip()
    if not text.endswith("a.u."):
        text = text.rstrip(".,;:").strip()
    if not text:
        return UnitInfo(text="", canonical="", dimensionality="dimensionless", known=True)
    cleaned = _clean(text)
    expr = _to_pint_expression(cleaned)
    if expr is None:
        return UnitInfo(text=text, canonical=None, dimensionality=None, known=False)
    reg = registry()
    try:
        unit = reg.Unit(expr)
    except Exception:  # pint raises several unrelated types for unparsable text
        return UnitInfo(text=text, canonical=None, dimensionality=None, known=False)
    canonical = format(unit, "~C")
    return UnitInfo(text=text, canonical=canonical, dimensionality=_dimension_text(unit), known=True)


def _pint_unit(unit: str) -> "pint.Unit":
    """A pint unit from either a canonical string or a paper spelling."""
    info = normalize_unit(unit)
    if not info.known or info.canonical is None:
        raise UnitError(unit, "not a unit lit understands")
    if info.canonical == "":
        return registry().dimensionless
    return registry().Unit(info.canonical)


@lru_cache(maxsize=4096)
def same_dimension(unit: str, other: str) -> bool:
    """True when both units are known and measure the same kind of quantity."""
    try:
        return _pint_unit(unit).dimensionality == _pint_unit(other).dimensionality
    except UnitError:
        return False


@lru_cache(maxsize=4096)
def _affine(unit: str, target: str) -> tuple[float, float]:
    """``(a, b)`` with ``target_value = a * value + b``: every pint conversion is affine
    (offsets only for °C/°F), so two pint calls per unit pair replace one per value."""
    src, dst = _pint_unit(unit), _pint_unit(target)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(unit, f"cannot convert to {target!r}: different dimensions")
    reg = registry()
    b = float(reg.Quantity(0.0, src).to(dst).magnitude)
    a = float(reg.Quantity(1.0, src).to(dst).magnitude) - b
    return a, b


def convert(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` expressed in ``target`` (offset units such as °C handled).

    Raises :class:`lit.errors.UnitError` naming both units when either is unknown or
    their dimensions differ, so a caller can reject the value with that reason.
    """
    a, b = _affine(unit, target)
    return _tidy(a * value + b)


def convert_delta(value: float, unit: str, target: str) -> float:
    """Convert a difference (an uncertainty, a range width): °C -> K adds no offset."""
    a, _ = _affine(unit, target)
    return _tidy(a * value)


def _tidy(x: float) -> float:
    """Drop float noise from conversion factors (26.850000000000023 -> 26.85)."""
    return float(f"{float(x):.12g}")


# Dimensions fact assembly names when a quantity is a condition ("at 300 K", "under 5 GPa").
_KINDS = {
    "[temperature]": "temperature",
    "[mass] / [length] / [time] ** 2": "pressure",
    "[time]": "time",
    "1 / [time]": "frequency",
    "[length]": "length",
    "[mass] * [length] ** 2 / [time] ** 2": "energy",
    "[mass] * [length] ** 2 / [time] ** 3 / [current]": "voltage",
    "[current] / [length] ** 2": "current_density",
    "[current] / [mass]": "specific_current",
    "[mass] / [time] ** 3": "irradiance",
    "[mass] / [time] ** 2 / [current]": "magnetic_field",
    "[substance] / [length] ** 3": "concentration",
    "[mass] / [length] ** 3": "mass_concentration",
    "dimensionless": "fraction",
}


def dimension_kind(unit: str) -> str | None:
    """A plain name for what ``unit`` measures ("K" -> "temperature"), None if unknown.

    Used to key conditions (``{"temperature": "300 K"}``); a bare number has no kind.
    """
    info = normalize_unit(unit)
    if not info.known or info.canonical in (None, ""):
        return None
    return _KINDS.get(info.dimensionality or "")
