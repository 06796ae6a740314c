"""Normalisation: values, units, property names and compound names into canonical form.

Fact assembly calls these on the VALUE, PROPERTY and COMPOUND mentions of a relation:
:func:`parse_quantity` (values), :func:`normalize_unit` / :func:`convert` (units),
:class:`PropertyVocabulary` (property names, dimension checks, canonical units) and
:func:`normalize_compound` (formulas and names). Pure Python plus pint; no models.
"""

from __future__ import annotations

from lit.extract.normalize.compounds import CompoundInfo, normalize_compound
from lit.extract.normalize.properties import (
    CanonicalValue,
    PropertyDef,
    PropertyVocabulary,
    Rejection,
)
from lit.extract.normalize.units import UnitInfo, convert, normalize_unit
from lit.extract.normalize.values import Quantity, parse_quantity

__all__ = [
    "CanonicalValue",
    "CompoundInfo",
    "PropertyDef",
    "PropertyVocabulary",
    "Quantity",
    "Rejection",
    "UnitInfo",
    "convert",
    "normalize_compound",
    "normalize_unit",
    "parse_quantity",
]
