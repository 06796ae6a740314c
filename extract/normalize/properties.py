"""The property vocabulary: what a PROPERTY mention means, and what values fit it.

``extract/data/properties.json`` lists each property lit stores: a canonical snake_case
name, the phrases and symbols papers use for it, the unit facts are stored in, and a
plausible range. Fact assembly uses it three ways:

* :meth:`PropertyVocabulary.match` — "optical band gaps", "E g opt", "PCEs" -> a
  :class:`PropertyDef`;
* :meth:`PropertyVocabulary.canonicalize` — a parsed :class:`Quantity` -> the value in the
  property's unit, or a :class:`Rejection` saying why it cannot be that property
  ("1.55 K" is not a band gap);
* :meth:`PropertyVocabulary.infer_from_unit` — candidates when a value has no property
  mention ("eV" -> band gap, HOMO, LUMO, work function: ambiguous, so all are returned).

Tc rule (kept simple on purpose): ``TC``/``T_C`` (capital C) and any phrase with "Curie"
mean the Curie temperature; ``Tc``/``T_c`` mean the superconducting transition
temperature. A ``context`` (the sentence) mentioning Curie/ferromagnetism or
superconductivity overrides the letter case, because papers are inconsistent.

Percent rule: PCE, fill factor, EQE, Coulombic efficiency and capacity retention are
stored in percent. A bare number for fill factor/EQE/CE/retention that is <= 1 is read as
a fraction and multiplied by 100 (flag ``fraction_to_percent``); a bare PCE is read as
percent (nobody reports PCE as a fraction). Either way the flag ``unit_assumed`` or
``fraction_to_percent`` records the guess.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from lit.errors import NormalizationError, PropertyValueError, UnitError
from lit.extract.normalize.units import (
    convert,
    convert_delta,
    dimension_kind,
    normalize_unit,
    same_dimension,
)
from lit.extract.normalize.values import Quantity

__all__ = ["PropertyDef", "PropertyVocabulary", "CanonicalValue", "Rejection", "DEFAULT_PATH"]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "properties.json"
_BARE_POLICIES = ("dimensionless", "percent", "percent_or_fraction", "assume_unit", "reject")
_TC_FAMILY = ("curie_temperature", "superconducting_transition_temperature")
_CURIE_CONTEXT = re.compile(r"curie|ferromagn|ferrimagn|ferroelectr|magnetic", re.IGNORECASE)
_SC_CONTEXT = re.compile(r"superconduct", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PropertyDef:
    """One property of the vocabulary. ``unit`` is canonical (``normalize_unit`` form)."""

    name: str
    label: str
    dimension: str
    unit: str
    range: tuple[float, float]
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    abbreviations_cs: tuple[str, ...] = ()
    equivalent_units: tuple[tuple[str, str], ...] = ()
    bare_number: str = "assume_unit"

    @property
    def dimensionless(self) -> bool:
        return self.unit in ("", "%")


@dataclass(frozen=True, slots=True)
class CanonicalValue:
    """A value in its property's canonical unit; ``flags`` record every guess made.

    Flags: ``approx``, ``bound:>`` (and ``<``, ``>=``, ``<=``), ``unit_assumed``,
    ``fraction_to_percent``. ``values`` holds every list item, converted.
    """

    value: float
    value_max: float | None
    unit: str
    uncertainty: float | None = None
    values: tuple[float, ...] = ()
    flags: tuple[str, ...] = ()

    def as_tuple(self) -> tuple[float, float | None, str]:
        return (self.value, self.value_max, self.unit)

    def __iter__(self) -> Iterator[float | str | None]:
        """Unpacks as ``value, value_max, unit = result`` (the flags stay on the object)."""
        return iter(self.as_tuple())


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a quantity cannot be stored as a property (wrong dimension, no unit...)."""

    property: str
    raw: str
    reason: str

    def error(self) -> PropertyValueError:
        return PropertyValueError(self.property, self.raw, self.reason)


# --- text folding for matching ------------------------------------------------------------

_KEEP = re.compile(r"[^\w%'+ ]")
_SEPARATORS_RE = re.compile(r"[-‐‑‒–—_/]")
_COMPACT_DROP_RE = re.compile(r"[\s_{}^,()\[\]\-.]")
_MU = str.maketrans({"µ": "μ", "’": "'", "‘": "'"})


def _singular(word: str) -> str:
    """Cheap English singular: enough for "efficiencies", "gaps", "mobilities", "levels"."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "ses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


#: Words that may stand before a vocabulary phrase inside a longer property mention without
#: changing what it names ("the highest reversible capacity", "measured band gap").
_QUALIFIERS = frozenset(
    """the a an its their this these those our such each both of in for at and with as high higher highest low lower
    lowest large larger largest small smaller smallest maximum maximal max minimum minimal initial reversible average
    mean overall total measured calculated computed theoretical experimental estimated predicted obtained observed
    intrinsic typical corresponding respective remarkable excellent good outstanding superior record best enhanced
    improved stable final first second nominal apparent effective net relative bulk film device optical electronic
    electrical magnetic ferromagnetic antiferromagnetic superconducting critical transition onset direct
    indirect fundamental room-temperature ambient normal cell solar photovoltaic champion
    discharge charge gravimetric volumetric areal specific intrinsic extrinsic lattice cubic tetragonal hexagonal orthorhombic
    monoclinic rhombohedral trigonal triclinic""".split()
)
#: Words right after a vocabulary phrase that turn it into another quantity ("capacity loss").
_CHANGERS = frozenset(
    """loss losses fade fading decay narrowing widening enhancement increase decrease change changes shift shifts
    ratio ratios difference differences variation window roll-off drop states state renormalization reduction
    dependence anomaly anomalies""".split()
)


#: Endings of chemical names, which may stand before a phrase ("sodium chloride melts").
_CHEMICAL_ENDINGS = ("ide", "ate", "ite", "ium", "ine", "ene", "yne", "ol", "one", "ane", "ose")


def _same_meaning(before: list[str], after: list[str]) -> bool:
    """Do the words around a phrase found inside a property mention leave its meaning alone?
    Qualifiers and formulae before it do ("ZnO band gap"); a noun of another quantity does not."""
    for word in before:
        chemical = word.endswith(_CHEMICAL_ENDINGS) or any(c.isdigit() for c in word)
        if word not in _QUALIFIERS and not chemical and len(word) > 4:
            return False
    return not (after and after[0] in _CHANGERS)


@lru_cache(maxsize=1 << 15)  # rule mentions fold every word n-gram of every sentence
def _fold(text: str) -> str:
    """Lower-case phrase form: hyphens/underscores/slashes as spaces, plurals singular."""
    text = unicodedata.normalize("NFKC", text).translate(_MU).lower()
    text = _SEPARATORS_RE.sub(" ", text)
    text = _KEEP.sub(" ", text)
    return " ".join(_singular(w) for w in text.split() if w != "the")


@lru_cache(maxsize=1 << 15)
def _compact(text: str) -> str:
    """Symbol form: "E g opt" -> "Egopt", "V_{OC}" -> "VOC", "μ h" -> "μh"."""
    text = unicodedata.normalize("NFKC", text).translate(_MU).strip().rstrip(".:;")
    return _COMPACT_DROP_RE.sub("", text)


#: A sentence about another kind of efficiency: there, a bare "efficiency" is that one, not a PCE.
_OTHER_EFFICIENCY = re.compile(
    r"\b(?:removal|quantum|faradaic|catalytic|photocatalytic|luminous|luminescence|extraction|adsorption|"
    r"separation|degradation|collection|injection|coupling|transfer|trapping|coulombic|current|storage|"
    r"utili[sz]ation|emission|radiative|thermal|rejection|evolution|production)\s+efficienc(?:y|ies)\b",
    re.IGNORECASE,
)
_OTHER_GAP = re.compile(
    r"\b(?:sum|superconducting|spin|pseudo|charge|exchange|haldane|magnon|phonon|zeeman|tunnell?ing|mobility)"
    r"[\s-]*gaps?\b",
    re.IGNORECASE,
)


class PropertyVocabulary:
    """The loaded vocabulary with its lookup tables (build once: :meth:`load`)."""

    def __init__(self, defs: list[PropertyDef], source: str = "<memory>"):
        self.source = source
        self._defs: dict[str, PropertyDef] = {}
        self._phrases: dict[str, PropertyDef] = {}
        self._abbr_cs: dict[str, PropertyDef] = {}
        self._abbr_ci: dict[str, PropertyDef] = {}
        for d in defs:
            if d.name in self._defs:
                raise NormalizationError(f"{source}: property {d.name!r} defined twice")
            self._defs[d.name] = d
            for phrase in (d.name.replace("_", " "), d.label, *d.synonyms):
                self._phrases.setdefault(_fold(phrase), d)
            for abbr in d.abbreviations_cs:
                self._abbr_cs.setdefault(_compact(abbr), d)
            for abbr in d.abbreviations:
                self._abbr_ci.setdefault(_compact(abbr).casefold(), d)
        self._max_words = max((len(p.split()) for p in self._phrases), default=1)

    # --- construction -------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> "PropertyVocabulary":
        """Read the vocabulary (default: the packaged ``properties.json``; cached)."""
        return _load_cached(str(Path(path).resolve()) if path else str(DEFAULT_PATH))

    @classmethod
    def _read(cls, path: str) -> "PropertyVocabulary":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            entries = data["properties"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise NormalizationError(f"{path}: cannot read property vocabulary ({exc})") from exc
        defs = [_parse_entry(path, e) for e in entries]
        return cls(defs, source=path)

    # --- access --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[PropertyDef]:
        return iter(self._defs.values())

    def __len__(self) -> int:
        return len(self._defs)

    def __contains__(self, name: object) -> bool:
        return name in self._defs

    def get(self, name: str) -> PropertyDef:
        """The property called ``name``; NormalizationError naming the vocabulary if absent."""
        try:
            return self._defs[name]
        except KeyError:
            raise NormalizationError(f"{self.source}: no property named {name!r}") from None

    # --- matching ------------------------------------------------------------------------

    def match(self, text: str, context: str | None = None) -> PropertyDef | None:
        """The property a PROPERTY mention names, or None.

        Tried in order: symbols (case-sensitive table, then case-insensitive, then with a
        plural "s" dropped: "PCEs"), whole phrases after folding ("optical band gaps"),
        the longest known phrase inside the text ("the optical band gap of"), and
        finally each word of the text as a symbol.
        """
        if not text or not text.strip():
            return None
        found = self._match_symbol(text) or self._match_phrase(text)
        if found is None:
            for word in re.split(r"[\s,;:()]+", text):
                if word and (found := self._match_symbol(word)):
                    break
        if found is not None and found.name in _TC_FAMILY:
            found = self._tc_rule(found, text, context)
        if found is not None and found.name == "band_gap" and _OTHER_GAP.search(text):
            return None  # a superconducting, spin or sum gap is not a band gap
        if (found is not None and found.name == "power_conversion_efficiency" and _fold(text) == "efficiency"
                and context is not None and _OTHER_EFFICIENCY.search(context)):
            return None  # "Hg0 removal efficiency of 99% ... the efficiency of X dropped to 59.8%"
        return found

    def lookup(self, text: str) -> PropertyDef | None:
        """Exact lookup: ``text`` is a whole known phrase or symbol (no containment, no
        per-word fallback). For scanning free text, where ``match``'s leniency would turn
        any sentence that mentions a property into that property."""
        if not text or not text.strip():
            return None
        return self._match_symbol(text) or self._phrases.get(_fold(text))

    def is_exact_symbol(self, text: str) -> bool:
        """Is ``text`` a property symbol as written, case included ("Tc" yes, "Ce" for "CE" no)?"""
        return _compact(text) in self._abbr_cs

    def lookup_phrase(self, text: str) -> PropertyDef | None:
        """Exact lookup among phrases only ("gap", "melting point"), never symbols."""
        return self._phrases.get(_fold(text)) if text and text.strip() else None

    @property
    def max_phrase_words(self) -> int:
        return self._max_words

    def _match_symbol(self, text: str) -> PropertyDef | None:
        c = _compact(text)
        if not c:
            return None
        hit = self._abbr_cs.get(c) or self._abbr_ci.get(c.casefold())
        if hit is None and len(c) > 2 and c.endswith("s"):
            hit = self._abbr_cs.get(c[:-1]) or self._abbr_ci.get(c[:-1].casefold())
        return hit

    def _match_phrase(self, text: str) -> PropertyDef | None:
        folded = _fold(text)
        if not folded:
            return None
        if folded in self._phrases:
            return self._phrases[folded]
        # The longest known phrase inside the text, so "ionic conductivity" beats
        # "conductivity": look up every word n-gram instead of scanning every phrase.
        words = folded.split()
        best = self._best_gram(words)
        return self._phrases[" ".join(words[best[1] : best[1] + best[2]])] if best is not None else None

    def _best_gram(self, words: list[str]) -> tuple[int, int, int] | None:
        """(-characters, start, word count) of the longest known phrase among ``words``."""
        best: tuple[int, int, int] | None = None
        for n in range(min(self._max_words, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i : i + n])
                if gram in self._phrases and (best is None or (-len(gram), i) < best[:2]):
                    best = (-len(gram), i, n)
        return best

    def names_other_quantity(self, text: str) -> bool:
        """Does a PROPERTY mention name another quantity around the vocabulary phrase it
        contains ("storage modulus", "removal efficiency", "capacity loss")? Symbols and
        exact phrases never do; qualifiers and formulae ("highest reversible capacity",
        "ZnO band gap") leave the meaning alone."""
        if self._match_symbol(text) is not None:
            return False
        words = _fold(text).split()
        best = self._best_gram(words)
        if best is None:
            return False
        _, start, n = best
        return not _same_meaning(words[:start], words[start + n : start + n + 1])
        return hit

    def _tc_rule(self, found: PropertyDef, text: str, context: str | None) -> PropertyDef:
        """Curie vs superconducting Tc: the phrase first, then the sentence, then case."""
        for source in (text, context or ""):
            if _CURIE_CONTEXT.search(source) and not _SC_CONTEXT.search(source):
                return self._defs["curie_temperature"]
            if _SC_CONTEXT.search(source) and not _CURIE_CONTEXT.search(source):
                return self._defs["superconducting_transition_temperature"]
        return found

    # --- values --------------------------------------------------------------------------

    def canonicalize(
        self, prop: PropertyDef | str, quantity: Quantity, strict: bool = False
    ) -> CanonicalValue | Rejection:
        """``quantity`` in ``prop``'s canonical unit, or a Rejection with the reason.

        With ``strict=True`` a rejection raises :class:`lit.errors.PropertyValueError`.
        """
        p = self.get(prop) if isinstance(prop, str) else prop
        result = _canonicalize(p, quantity)
        if strict and isinstance(result, Rejection):
            raise result.error()
        return result

    def infer_from_unit(self, unit: str) -> tuple[PropertyDef, ...]:
        """Every property whose values could carry ``unit``, in vocabulary order.

        Ambiguity is the point: "eV" returns band gap, HOMO, LUMO and work function,
        and the caller decides (or skips). Unknown units give an empty tuple.
        """
        info = normalize_unit(unit)
        if not info.known or info.canonical is None:
            return ()
        out = []
        for d in self._defs.values():
            if d.unit in ("", "%") or info.canonical in ("", "%"):
                fits = d.unit == info.canonical
            else:
                fits = same_dimension(info.canonical, d.unit) or any(
                    same_dimension(info.canonical, src) for src, _ in d.equivalent_units
                )
            if fits:
                out.append(d)
        return tuple(out)


    def infer_unique(self, unit: str) -> PropertyDef | None:
        """The property ``unit`` implies when exactly one fits ("mAh g-1"); else None."""
        found = self.infer_from_unit(unit)
        return found[0] if len(found) == 1 else None

    def condition_kind(self, quantity: Quantity) -> str | None:
        """What a condition quantity measures: "temperature" for "at 300 K", None if unknown."""
        if quantity.unit_text == "ratio":
            return "ratio"
        return dimension_kind(quantity.unit_text)


@lru_cache(maxsize=8)
def _load_cached(path: str) -> PropertyVocabulary:
    return PropertyVocabulary._read(path)


def _parse_entry(path: str, e: dict) -> PropertyDef:
    """One JSON entry -> PropertyDef, checking its unit and policy so typos fail at load."""
    name = e.get("name", "?")
    unit_text = e.get("unit", "")
    info = normalize_unit(unit_text)
    if not info.known or info.canonical is None:
        raise NormalizationError(f"{path}: property {name!r} has unknown unit {unit_text!r}")
    bare = e.get("bare_number", "assume_unit")
    if bare not in _BARE_POLICIES:
        raise NormalizationError(f"{path}: property {name!r} has unknown bare_number {bare!r}")
    lo, hi = e["range"]
    equivalents = tuple(
        (normalize_unit(src).canonical or src, normalize_unit(dst).canonical or dst)
        for src, dst in (e.get("equivalent_units") or {}).items()
    )
    return PropertyDef(
        name=name,
        label=e.get("label", name.replace("_", " ")),
        dimension=e.get("dimension", ""),
        unit=info.canonical,
        range=(float(lo), float(hi)),
        synonyms=tuple(e.get("synonyms", ())),
        abbreviations=tuple(e.get("abbreviations", ())),
        abbreviations_cs=tuple(e.get("abbreviations_cs", ())),
        equivalent_units=equivalents,
        bare_number=bare,
    )


def _canonicalize(p: PropertyDef, q: Quantity) -> CanonicalValue | Rejection:
    """The rules of :meth:`PropertyVocabulary.canonicalize` (see the module docstring)."""
    flags: list[str] = []
    if q.approx:
        flags.append("approx")
    if q.comparison:
        flags.append(f"bound:{q.comparison}")
    raw = q.raw
    nums = [q.value] + ([q.value_max] if q.value_max is not None else []) + list(q.values[1:])

    def reject(reason: str) -> Rejection:
        return Rejection(p.name, raw, reason)

    if q.unit_text == "ratio":
        return reject("a ratio is not a value of this property")
    info = normalize_unit(q.unit_text)
    if not info.known or info.canonical is None:
        return reject(f"unknown unit {q.unit_text!r}")
    unit = info.canonical
    factor = 1.0
    if unit == "":
        policy = p.bare_number
        if policy == "reject":
            return reject(f"no unit given; {p.label} needs one (e.g. {p.unit})")
        if policy == "percent_or_fraction" and all(abs(x) <= 1.0 for x in nums):
            factor = 100.0
            flags.append("fraction_to_percent")
        elif policy != "dimensionless":
            flags.append("unit_assumed")
        return _finish(p, q, lambda x: x * factor, lambda d: d * factor, flags)
    if p.unit == "":
        return reject(f"{p.label} is a pure number, but the value has unit {q.unit_text!r}")
    if same_dimension(unit, p.unit) or (p.unit == "%" and info.dimensionality == "dimensionless"):
        return _finish(
            p,
            q,
            lambda x: convert(x, unit, p.unit),
            lambda d: convert_delta(d, unit, p.unit),
            flags,
        )
    for src, dst in p.equivalent_units:
        if same_dimension(unit, src):
            return _finish(
                p,
                q,
                lambda x: convert(convert(x, unit, src), dst, p.unit),
                lambda d: convert_delta(convert_delta(d, unit, src), dst, p.unit),
                flags,
            )
    return reject(
        f"unit {q.unit_text!r} ({info.dimensionality}) does not fit {p.label} "
        f"(expects {p.dimension}, e.g. {p.unit or 'a pure number'})"
    )


def _finish(p: PropertyDef, q: Quantity, conv, conv_delta, flags: list[str]) -> CanonicalValue | Rejection:
    """Convert every number, then check the plausible range."""
    try:
        value = conv(q.value)
        value_max = conv(q.value_max) if q.value_max is not None else None
        values = tuple(conv(x) for x in q.values)
        unc = abs(conv_delta(q.uncertainty)) if q.uncertainty is not None else None
    except UnitError as exc:
        return Rejection(p.name, q.raw, exc.reason)
    lo, hi = p.range
    for x in (value, value_max, *values):
        if x is not None and not lo <= x <= hi:
            return Rejection(
                p.name, q.raw, f"{x:g} {p.unit} is outside the plausible range [{lo:g}, {hi:g}] of {p.label}"
            )
    return CanonicalValue(
        value=value, value_max=value_max, unit=p.unit, uncertainty=unc, values=values,
        flags=tuple(flags),
    )
