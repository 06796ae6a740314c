"""Which COMPOUND mentions are materials a fact can be about, and where a formula ends.

Both the NER model and the rules propose compound mentions; on real abstracts many of
them are not materials at all, or are materials in a role no property belongs to:

* **not materials**: methods and functionals (PBE0, GGA+U), physics acronyms (AFM, SOC),
  descriptors ("Cu-rich", "Al-substituted"), families ("perovskites", "cuprates"), ions
  ("Mo4+": part of a material), solvents and reference electrodes (chloroform, Fc/Fc+). The
  decision is general: a mention that parses as a formula, or names an element or a known
  oxide, is a material; a name is one unless it is a descriptor (a material word followed by
  "-rich", "-based", "-doped"... with nothing after it), a bare plural common noun, or an
  entry of the stop lexicon ``data/not_materials.json`` (terms of method and physics that
  look like names but never are materials). A paper's own abbreviation of a material
  ("... (MAPI)") is a material whatever its shape;
* **a material in a setting role**: the substrate a film is grown on, the crucible, the
  dopant of a host ("Mn-doped ZnO": the facts are ZnO's), the reference a result is
  compared with ("close to that of Gd"), the precursor of the material made from it
  ("carbon derived from MOF-5"), what a formula's placeholder stands for ("Ln = Y, Dy"), the
  partner of a blend ("blends of P1 with PC71BM"),
  a layer of a device stack ("FTO/TiO2/CsPbBr3/carbon"),
  and elements naming a cell chemistry ("Li–S batteries"). Such a mention is dropped
  before linking so the value goes to the material the sentence is about;
* **a formula cut at a space**: text from PDFs and TeX strippers often writes subscripts
  apart ("Nd2−x Ce x CuO4", "CeFeAsO1−y H y"). :func:`repair_formula` joins the pieces when
  one of them is a bare stoichiometry (a variable or a count) and the joined string parses
  as one formula, so the compound is not cut to "CuO4".
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Container, Iterable, Sequence

from lit.extract.document import Sentence
from lit.extract.facts import Mention
from lit.extract.normalize.compounds import ELEMENT_NAMES, ELEMENTS, TRIVIAL_NAMES, normalize_compound

#: "Cu-rich", "Fe-based", "Al-substituted": a material word used as an adjective.
_DESCRIPTOR = re.compile(
    r"[-\s](?:rich|poor|based|doped|co-doped|substituted|deficient|excess|free|containing|"
    r"terminated|modified|coated|decorated|functionali[sz]ed|type|like|site|sites|phase|related|derived)$",
    re.IGNORECASE,
)
#: What follows a mention that is a setting, not the subject: "quartz slides", "Al2O3 crucible",
#: "platinum wires" (a word of its own: "Bi nanowires" are a material).
_SETTING_AFTER = re.compile(
    r"\s*(?:substrates?|slides?|crucibles?|wafers?|wires?|boats?|ampoules?|ampules?|tubes?|capillar(?:y|ies)|"
    r"holders?|windows?|foils?\s+(?:as|for)|-?doped(?!\s+(?:with|by))|-?substituted(?!\s+(?:with|by))|-?doping|dopants?|-?coated|coating|ions?|"
    r"vacanc(?:y|ies)|atoms?|content|ratios?|deficiency|atmosphere|gas|flow|partial|loading|source|precursors?|salts?|"
    r"species|incorporation|addition|substitution|additives?|environments?|ambients?|templates?|-?derived|-?templated)\b",
    re.IGNORECASE,
)
#: "derived from MOF-5", "carbonizing a Zn-MOF": the material after is the precursor of the
#: one the sentence is about.
_PRECURSOR_BEFORE = re.compile(
    r"\b(?:(?:derived|obtained|prepared|synthesi[sz]ed|converted|made|formed|produced)\s+(?:\w+\s+){0,2}from|"
    r"(?:carboni[sz]ation|pyrolysis|calcination|sulfuri[sz]ation|seleni[sz]ation)\s+of|"
    r"carboni[sz]ing|pyroly[sz]ing|calcining)"
    r"\s+(?:an?\s+|the\s+)?(?:[\w\-]+\s+){0,3}\(?$",
    re.IGNORECASE,
)
#: "Li–S batteries", "sodium-ion cells", "lithium–sulfur (Li–S) battery": a cell chemistry named
#: by its elements, not a material of which the sentence states a property.
_CELL_CHEMISTRY_AFTER = re.compile(
    r"(?:[-–\s](?:ions?|air|metal))?\)?(?:\s*\([^()]{1,15}\))?\s*(?:batter(?:y|ies)|cells?|storage)\b", re.IGNORECASE)
#: "blends of P1 with PC71BM", "mixed with carbon black": the partner in a blend.
_PARTNER_BEFORE = re.compile(
    r"\b(?:blend(?:ed|s|ing)?|mix(?:ed|ture|tures|ing)?|combined|paired)\s+(?:[\w\-]+\s+){0,5}with\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: "(Ln = Y, Dy, Gd, Yb)", "(M = Ba2+, Ca2+, or Ni2+)": the elements a formula's placeholder
#: stands for are its substituents, not the material.
_PLACEHOLDER_BEFORE = re.compile(r"\(\s*[A-Z][A-Za-z]?\s*=\s*[^()=]*$")
#: A device stack written with slashes ("FTO/TiO2/CsPbBr3/carbon"): its parts are layers.
_STACK_MIN_SLASHES = 2
#: The separator of a cell's two electrodes ("Na//NaCrO2", "Li||LiFePO4").
_CELL = re.compile(r"//|\|\||‖")
#: "grown on SrTiO3", "deposited onto MgO": the material after is the substrate.
_SETTING_BEFORE = re.compile(
    r"\b(?:grown|deposited|epitaxial(?:ly)?|prepared|spin-coated|sputtered|evaporated|coated|fabricated|"
    r"synthesi[sz]ed|films?|layers?)\s+(?:\w+\s+){0,2}(?:on|onto)\s+(?:an?\s+|the\s+|(?:\(\d+\)|\d{3})\s*)?$",
    re.IGNORECASE,
)
#: "close to that of Gd", "compared with LiFePO4", "than in SnO2": a material the text
#: compares with, whose own values it rarely states in the same breath.
_REFERENCE = re.compile(
    r"\b(?:than|compared\s+(?:to|with)|relative\s+to|versus|vs\.?|(?:similar|close|comparable|superior|"
    r"inferior|equal|identical)\s+to)(?:\s+(?:that|those)\s+(?:of|in|for))?\s+(?:the\s+|pure\s+|pristine\s+|bulk\s+)?$",
    re.IGNORECASE,
)
#: "the addition of Li and Sb", "doping with Mn", "doped with 0.4 mol% of MnO": what is added
#: to the material is not it.
_ADDED = re.compile(
    r"\b(?:(?:addition|doping|co-doping|substitution|incorporation|introduction|replacement)\s+(?:of|with|by)"
    r"|(?:co-?)?doped\s+with|substituted\s+(?:with|by))\s+"
    r"(?:[\d.]+\s*(?:mol|wt|at)\.?\s*%\s*(?:of\s+)?)?(?:\w+\s*(?:,|and)\s*)*$",
    re.IGNORECASE,
)
#: One piece of a formula written apart: a bare stoichiometry ("x", "1−x", "δ", "2") or a
#: run of element symbols with counts ("Ce", "Nd2−x", "CuO4").
_STOICHIOMETRY = r"(?:\d+(?:\.\d+)?[-−+]\d*(?:\.\d+)?[xyzδ]|[-−+]?\d*(?:\.\d+)?[xyzδ]|\d+(?:\.\d+)?)"
_PIECE = re.compile(rf"(?:{_STOICHIOMETRY}|(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?)?(?:[-−+]\d*(?:\.\d+)?[xyzδ]?)?)+)")
_BARE = re.compile(rf"{_STOICHIOMETRY}")
_MAX_PIECES = 6
#: Score of a mention found by a name's recurrence (:func:`recurring`), as for a defined abbreviation.
RECUR_SCORE = 0.8
_GLUED_ION = re.compile(r"\d?[+−](?:and|or)$")
#: "Na-ion", "lithium ions": the ion of an element (a cell chemistry, a carrier), not a material.
_ION_OF = re.compile(r"^(?:[A-Z][a-z]?|[a-z]+)[-–\s]ions?$")


@lru_cache(maxsize=1)
def _stop_lexicon() -> frozenset[str]:
    data = json.loads(resources.files("lit.extract").joinpath("data/not_materials.json").read_text("utf-8"))
    return frozenset(term.casefold() for group in data["terms"].values() for term in group)


def material_mentions(text: str, mentions: Sequence[Mention], defined: Container[str], offset: int = 0) -> list[Mention]:
    """``mentions`` of one sentence (``text``, which starts at ``offset``) with each formula
    written apart joined, and the COMPOUND mentions that are not materials, or are in a
    setting role, left out, with the values a reference material states in parentheses
    ("close to that of Gd (294 K)"). ``defined``: the document's abbreviations of materials."""
    out = list(mentions)
    for i, mention in enumerate(out):
        if mention.label == "COMPOUND":
            repaired = repair_formula(text, balanced(text, mention, offset), out, offset)
            whole = composite(text, variable_tail(text, repaired, offset), out, offset)
            out[i] = doped_host(text, whole, offset)
    references = [m for m in out if m.label == "COMPOUND" and _REFERENCE.search(text[max(0, m.start - offset - 60) : m.start - offset])]
    kept: list[Mention] = []
    for mention in out:
        if mention.label in ("VALUE", "CONDITION") and any(_in_parenthesis_after(text, r, mention, offset) for r in references):
            continue  # "comparable to pure ceria (0.1 S cm−1)": the reference's own value
        if mention.label == "COMPOUND":
            inside = any(o is not mention and o.label == "COMPOUND" and o.start <= mention.start and mention.end <= o.end
                         and (o.start, o.end) != (mention.start, mention.end) for o in out)
            if inside or not is_material(mention.text, mention.text.strip() in defined):
                continue
            if in_setting_role(text, mention, offset):
                continue
        kept.append(mention)
    return list({(m.start, m.end, m.label): m for m in kept}.values())


def recurring(sentences: Sequence[Sentence], mentions: Sequence[Sequence[Mention]]) -> list[list[Mention]]:
    """Each sentence's mentions (document offsets) plus its other occurrences of a material's
    name found elsewhere in the document: the tagger that found "Mg-MOF-74(S)" in one
    sentence may miss it at the start of the next. Only names with a digit spread (an acronym
    the tagger once took for a compound, "ETL", would spread its mistake), never into a
    longer name ("biTV - PTV3"), and an occurrence in a setting role ("on SrTiO3 substrates")
    stays out."""
    names = {m.text for found in mentions for m in found if m.label == "COMPOUND" and _distinctive(m.text)}
    if not names:
        return [list(found) for found in mentions]
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w\-)\]])(?<![-–/:]\s)(?:{alternatives})(?![\w\-(\[])(?!\s[-–/:])")
    out = []
    for sentence, found in zip(sentences, mentions):
        taken = list(found)
        for match in pattern.finditer(sentence.text):
            mention = Mention(sentence.start + match.start(), sentence.start + match.end(), "COMPOUND", match.group(), RECUR_SCORE)
            if all(mention.end <= m.start or mention.start >= m.end for m in taken) and not in_setting_role(
                    sentence.text, mention, sentence.start):
                taken.append(mention)
        out.append(sorted(taken, key=lambda m: (m.start, m.end)) if len(taken) > len(found) else list(found))
    return out


def _distinctive(name: str) -> bool:
    """A name with a digit, not a numbered range ("P1-P8": a series, named once as such)."""
    return len(name) >= 3 and any(c.isdigit() for c in name) and not _NUMBERED_RANGE.search(name)


_NUMBERED_RANGE = re.compile(r"\d\s*[-–]\s*[A-Za-z]{0,2}\d+$")


def _in_parenthesis_after(text: str, compound: Mention, value: Mention, offset: int) -> bool:
    between = text[compound.end - offset : value.start - offset]
    return bool(re.fullmatch(r"\s*\([^()]*", between))


def is_material(text: str, defined: bool = False) -> bool:
    """Can a fact be about the compound mention ``text``? ``defined``: the document defines
    it as the abbreviation of a material, which makes it one."""
    if defined:
        return True
    info = normalize_compound(text)
    if info is None:
        return False
    stripped = text.strip()
    if stripped.casefold() in _stop_lexicon():
        return False
    if info.charge is not None or _GLUED_ION.search(stripped) or _ION_OF.match(stripped):
        return False  # an ion ("Mo4+", "Li+", "Y3+and" glued to the next word) is part of a material, not one
    if info.is_formula or stripped in ELEMENTS or stripped.lower() in ELEMENT_NAMES or stripped.lower() in TRIVIAL_NAMES:
        return True
    if _DESCRIPTOR.search(stripped):
        return False
    return not _family(stripped)


def _family(text: str) -> bool:
    """A bare plural common noun names a class of materials ("perovskites", "spinels",
    "cuprates", "MOFs"), not one material."""
    words = text.split()
    last = words[-1] if words else ""
    if not last.endswith("s") or len(last) < 4 or any(c.isdigit() for c in last):
        return False
    if len(words) == 1:
        return last[:-1].isupper() or last.islower() or (last[0].isupper() and last[1:].islower())
    return all(w.islower() for w in words)


def in_setting_role(text: str, mention: Mention, offset: int = 0) -> bool:
    """Is ``mention`` (offsets into ``text`` plus ``offset``) a substrate, vessel or dopant
    rather than the material the sentence states a property of?"""
    start, end = mention.start - offset, mention.end - offset
    before = text[max(0, start - 60) : start]
    return bool(_SETTING_AFTER.match(text, end) or _SETTING_BEFORE.search(before) or _ADDED.search(before)
                or _REFERENCE.search(before) or _PRECURSOR_BEFORE.search(before) or _PLACEHOLDER_BEFORE.search(before)
                or _PARTNER_BEFORE.search(before)
                or (_only_elements(mention.text) and _CELL_CHEMISTRY_AFTER.match(text, end))
                or _in_stack(text, start, end))


def _only_elements(text: str) -> bool:
    """"Li", "sodium", "Li–S", "lithium-sulfur": elements joined by dashes, no counts."""
    parts = [p for p in re.split(r"[-–/]", text.strip()) if p]
    return bool(parts) and all(p in ELEMENTS or p.lower() in ELEMENT_NAMES for p in parts)


def _in_stack(text: str, start: int, end: int) -> bool:
    """Is text[start:end] one layer of a slash-written stack (not the whole stack), or the
    counter electrode of a cell written "Na//Na0.67[Ni0.4Co0.2Mn0.4]O2" or "Li||LiFePO4"?
    A double slash or bar parts a cell's two electrodes, not three layers: the side that is
    a bare element is the counter electrode (a setting), the other the material tested."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    right = len(text) if right < 0 else right
    if (left, right) == (start, end):
        return False
    run = text[left:right]
    cell = _CELL.search(run)
    if cell is not None:
        before, after = run[: cell.start()], run[cell.end() :]
        on_the_left = start - left < cell.start()
        return _only_elements(before) if on_the_left else _only_elements(after)
    return run.count("/") >= _STACK_MIN_SLASHES


def repair_formula(text: str, mention: Mention, taken: Sequence[Mention], offset: int = 0) -> Mention:
    """``mention`` widened over formula pieces written apart from it (see the module
    docstring); ``taken``: the sentence's mentions: a widened span may take in other
    compounds (the pieces themselves) but no value or property."""
    start, end = mention.start - offset, mention.end - offset
    others = [(m.start - offset, m.end - offset) for m in taken if m.label != "COMPOUND"]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in others)

    left = _pieces_left(text, start, free)
    right = _pieces_right(text, end, free)
    best = None
    for i in range(len(left) + 1):
        for j in range(len(right) + 1):
            if i == j == 0:
                continue
            pieces = [p for p, _ in left[:i][::-1]] + [text[start:end]] + [p for p, _ in right[:j]]
            if not _broken(pieces):
                continue
            joined = "".join(pieces)
            info = normalize_compound(joined)
            if info is None or not info.is_formula or info.is_label:
                continue
            s = left[i - 1][1] if i else start
            e = right[j - 1][1] if j else end
            if best is None or e - s > best[1] - best[0]:
                best = (s, e)
    if best is None:
        return mention
    s, e = best
    return Mention(s + offset, e + offset, "COMPOUND", text[s:e], mention.score)


#: A run of text with no space in it, as far as the punctuation that closes a word.
_RUN_END = re.compile(r"[^\s]*?(?=[,;:]?(?:\s|$)|[.)](?:\s|$))")
_OTHER_PARTS = frozenset({"C", "carbon", "graphene", "rGO", "RGO", "GO", "CNT", "CNTs", "G"})


def composite(text: str, mention: Mention, taken: Sequence[Mention], offset: int = 0) -> Mention:
    """``mention`` widened to the composite it is one part of: "Bi2O3/C", "TiO2/PbSe",
    "C@Se". Two parts only; a longer stack ("FTO/TiO2/CsPbBr3/carbon") names a device whose
    layers each keep their own mention."""
    start, end = mention.start - offset, mention.end - offset
    left = text.rfind(" ", 0, start) + 1
    tail = _RUN_END.match(text, end)
    right = tail.end() if tail else end
    while left < start and text[left] in "([" and text[left:right].count("(") + text[left:right].count("[") > \
            text[left:right].count(")") + text[left:right].count("]"):
        left += 1  # "(TiO2/PbSe)": the brackets around the composite are not part of it
    while right > end and text[right - 1] in ")]" and text[left:right].count(")") + text[left:right].count("]") > \
            text[left:right].count("(") + text[left:right].count("["):
        right -= 1
    if text[left] in "([" and text[right - 1] in ")]" and left < start and right > end:
        left, right = left + 1, right - 1
    run = text[left:right]
    parts = re.split(r"[/@]", run)
    if len(parts) != 2 or run == text[start:end] or not all(parts):
        return mention
    if any(_material_part(p) is False for p in parts):
        return mention
    if any(m.label != "COMPOUND" and m.start - offset < right and left < m.end - offset for m in taken):
        return mention
    return Mention(left + offset, right + offset, "COMPOUND", run, mention.score)


def balanced(text: str, mention: Mention, offset: int = 0) -> Mention:
    """``mention`` with its brackets closed: the tagger often stops before the closing one of a
    label written in brackets ("Mg-MOF-74(S" of "(Mg-MOF-74(S))")."""
    end = mention.end - offset
    word = mention.text
    while end < len(text) and text[end] in ")]" and word.count("(") + word.count("[") > word.count(")") + word.count("]"):
        end += 1
        word = text[mention.start - offset : end]
    if end == mention.end - offset:
        return mention
    return Mention(mention.start, end + offset, "COMPOUND", word, mention.score)


#: "+δ" written straight after a formula's last count ("HgBa2Ca2Cu3O8+δ"), which the tokenizer
#: reads as a sign.
_VARIABLE_TAIL = re.compile(r"[+−-][δxyz](?![\w])")


def variable_tail(text: str, mention: Mention, offset: int = 0) -> Mention:
    """``mention`` widened over a non-stoichiometry written straight after it, when the whole
    is still a formula ("YBa2Cu3O7" + "−δ", "HgBa2Ca2Cu3O8" + "+δ")."""
    end = mention.end - offset
    tail = _VARIABLE_TAIL.match(text, end)
    if tail is None:
        return mention
    whole = text[mention.start - offset : tail.end()]
    info = normalize_compound(whole)
    if info is None or not info.is_formula:
        return mention
    return Mention(mention.start, tail.end() + offset, "COMPOUND", whole, mention.score)


#: "Mn-doped ", "N,S co-doped ", "N–B–F-tri-doped ", "2.5 at% Nb-doped ": the dopant phrase before a host.
_DOPED_BEFORE = re.compile(r"(?:^|(?<=[\s(]))([A-Za-z]+(?:\s*(?:,|/|and|-|–)\s*[A-Za-z]+)*)[-\s](?:co-?)?doped\s+$")
_DOPANT_SEPARATOR = re.compile(r"\s*(?:,|/|and|-|–)\s*")
#: Words of how many dopants there are ("co-doped", "tri-doped"), not dopants.
_DOPANT_COUNTS = frozenset({"co", "di", "tri", "dual", "double", "triple"})


def doped_host(text: str, mention: Mention, offset: int = 0) -> Mention:
    """``mention`` widened over the dopant phrase before it ("Mn-doped ZnO", "nitrogen-doped
    TiO2"): the doped material is what the sentence is about, and the name says which one."""
    start = mention.start - offset
    window = max(0, start - 40)
    match = _DOPED_BEFORE.search(text[window:start])
    if match is None or not is_material(mention.text):
        return mention  # "Sr-doped bismuth ferrites": still a family
    dopants = [d for d in _DOPANT_SEPARATOR.split(match.group(1)) if d.lower() not in _DOPANT_COUNTS]
    if not dopants or not all(d in ELEMENTS or d.lower() in ELEMENT_NAMES for d in dopants):
        return mention
    left = window + match.start(1)
    return Mention(left + offset, mention.end, "COMPOUND", text[left : mention.end - offset], mention.score)


def _material_part(part: str) -> bool:
    part = part.strip("()[]")
    if part in _OTHER_PARTS or part in ELEMENTS:
        return True
    info = normalize_compound(part)
    return info is not None and (info.is_formula or (part[:1].isupper() and len(part) >= 2 and not part.isdigit()))


def _broken(pieces: list[str]) -> bool:
    """Do the pieces show a subscript written apart? A variable anywhere ("CeFeAsO1−y H y")
    or a bare count between two symbol runs ("Sr 2 RuO4", and then also one at the end:
    "Gd 5 Si 2 Ge 2"); a lone count at either end is a number of its own ("ZnO 2 samples"),
    and symbol runs alone are separate words ("GaN Ti")."""
    bare = [k for k, piece in enumerate(pieces) if _BARE.fullmatch(piece)]
    variables = any(not pieces[k].replace(".", "").isdigit() for k in bare)
    interior = any(0 < k < len(pieces) - 1 for k in bare)
    # a count at the end is the formula's when the pieces already alternate ("Gd 5 Si 2 Ge 2")
    return variables or (interior and 0 not in bare)


def _pieces_left(text: str, start: int, free) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    at = start
    while len(out) < _MAX_PIECES:
        m = re.search(rf"(?:^|(?<=\s))({_PIECE.pattern}) $", text[max(0, at - 20) : at])
        if m is None:
            break
        s = max(0, at - 20) + m.start(1)
        if not free(s, at - 1):
            break
        out.append((m.group(1), s))
        at = s
    return out


def _pieces_right(text: str, end: int, free) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    at = end
    while len(out) < _MAX_PIECES:
        m = re.compile(rf" ({_PIECE.pattern})(?=$|[\s,;.:)])").match(text, at)
        if m is None or not free(m.start(1), m.end(1)):
            break
        out.append((m.group(1), m.end(1)))
        at = m.end(1)
    return out


class Topic:
    """The material a paragraph is about so far, which an anaphoric sentence ("It delivers
    160 mAh g−1") refers to: the compound the latest value of the paragraph was stated for
    (a sentence's subject, as in centering theory), else the one named most often (the first
    named on a tie). The first compound of the previous sentence, the oldest choice, is as
    often a precursor, a dopant or a material compared with as the subject; the most named
    one is often a component ("carbon" of "Bi2O3/C") mentioned in passing."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._latest: dict[str, Mention] = {}
        self._subject: Mention | None = None

    def add(self, compounds: Iterable[Mention], subjects: Iterable[Mention] = ()) -> None:
        """``compounds`` named in a sentence; ``subjects``: those it stated a property's value for."""
        for mention in compounds:
            key = _topic_key(mention)
            self._counts[key] = self._counts.get(key, 0) + 1
            self._latest[key] = mention
        for mention in subjects:
            self._subject = mention

    @property
    def compound(self) -> Mention | None:
        if self._subject is not None:
            return self._subject
        if not self._counts:
            return None
        best = max(self._counts, key=lambda k: (self._counts[k], -list(self._counts).index(k)))
        return self._latest[best]


def _topic_key(mention: Mention) -> str:
    info = normalize_compound(mention.text)
    return info.key if info is not None else mention.text
