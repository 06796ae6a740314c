"""Citation markers: drop them from text without leaving gaps, glued words or empty brackets.

Walkers do not delete a citation marker on the spot (``<sup><a href="#cit4">4</a></sup>``,
JATS ``<xref ref-type="bibr">``, Elsevier ``<ce:cross-ref refid="bb0010">``): they leave a
placeholder, :data:`MARK`, because what the marker stood for depends on the text around it,
which is only known once the whole paragraph is assembled. :func:`finish_text` then decides:

* ``[<xref>3</xref>, <xref>4</xref>]`` -> the brackets go too (only brackets that held
  nothing but markers and separators: "(−)-epicatechin" keeps its "(−)");
* ``et al. [22].`` -> ``et al.`` (no doubled full stop);
* ``glasses [1].`` / ``compounds,<sup>4</sup> the`` -> no space left before punctuation;
* ``Yield<sup>a</sup>10a`` -> ``Yield 10a`` (the marker separated two words).
"""

from __future__ import annotations

import re

#: Placeholder for a dropped citation marker (NUL never occurs in parsed HTML/XML text).
MARK = "\x00"
_SEPARATORS = r"[\s,;–—\-−]"
_MARKED_BRACKETS = re.compile(rf"\s?[\[\(]{_SEPARATORS}*\x00(?:{_SEPARATORS}|\x00)*[\]\)]")
_BETWEEN_STOPS = re.compile(r"\.\s*\x00+\s*\.")
_BEFORE_PUNCT = re.compile(r"\s*\x00+\s*(?=[.,;:!?)\]])")
_BETWEEN_WORDS = re.compile(r"(?<=\w)\x00+(?=\w)")


def finish_text(text: str) -> str:
    """Resolve the placeholders in ``text`` (see module docstring)."""
    if MARK not in text:
        return text
    # Whitespace is collapsed by the builder anyway; collapsing it first keeps the patterns
    # below linear (MathML and pretty-printed XML carry runs of thousands of spaces).
    text = " ".join(text.split())
    text = _MARKED_BRACKETS.sub(MARK, text)
    text = _BETWEEN_STOPS.sub(".", text)
    text = _BEFORE_PUNCT.sub("", text)
    text = _BETWEEN_WORDS.sub(" ", text)
    return text.replace(MARK, "")
