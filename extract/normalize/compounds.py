"""Compound mentions into a key that is equal for equal compounds, and a formula.

A COMPOUND mention is a formula ("CH₃NH₃PbI₃", "Li1.2Mn0.54Ni0.13Co0.13O2",
"CuSO4·5H2O"), a name ("poly(3-hexylthiophene)"), a paper-local label ("sample 3",
"polymer P1") or an anaphor ("the sample", "it"). :func:`normalize_compound` returns
None for anaphors and generic words, which cannot become facts on their own.

Formula rules (decided here, documented for fact assembly):

* Element symbols are checked against the periodic table; anything else ("MA" in
  "MAPbI3", "BA" in "(BA)2PbI4") makes the mention a name, kept as written.
* The canonical formula lists the composition in Hill order (C, then H, then the rest
  alphabetically; with no C, all alphabetically), so "CH3NH3PbI3" and "PbI3CH3NH3" get
  the same formula "CH6I3NPb". Hill order for inorganics too, because the point of the key
  is that rewrites of one composition collide; the written form stays in ``name``.
  (Isomers with one composition collide as well: a formula says no more than that.)
* Hydrates keep their water apart: "CuSO4·5H2O" and "CuSO4.5H2O" -> "CuO4S·5H2O". A "."
  counts as a hydrate dot only before a number-and-solvent ("5H2O"); otherwise it is
  a decimal point ("Li1.2Mn0.54").
* Charges: "Fe2+", "Fe³⁺", "SO4^2−", "NO3-" -> charge in ``charge`` and the formula
  suffix "^2+". Without "^" or superscripts, a digit before the sign is the charge for a
  single element ("Fe2+") and a count otherwise ("NO3-" is NO3 with charge 1-).
* Perovskite cations: inside a Pb/Sn/Ge/Bi halide formula "MA" and "FA" expand to
  CH3NH3 and CH(NH2)2 ("MAPbI3" -> "CH6I3NPb", like "CH3NH3PbI3"); other organic
  cations ("(BA)2PbI4") make the mention a name.
* Labels: a single element with a count ("P1", "P2", "S3") is a paper's sample label
  unless it is a known elemental molecule (H2, O2, S8, C60...): ``is_label=True``.
  A run of four or more one-letter capitals with no lower case ("PBPD2", "PDPP") is an
  acronym, and "D" is deuterium only when counted ("D2O", "CD3") or in "CDCl3".
* Doping: "Fe-doped ZnO", "ZnO:Al", "Al:ZnO", "ZnO doped with Al" -> host formula,
  ``dopants=("Al",)``. Variables: "Ba1-xSrxTiO3 (x = 0.1)" evaluates the counts; a
  formula with an unbound variable ("YBa2Cu3O7-δ") keeps the written formula.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CompoundInfo", "normalize_compound", "parse_formula", "hill_formula", "ELEMENTS", "ELEMENT_NAMES", "TRIVIAL_NAMES"]

ELEMENTS = frozenset(
    """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge
    As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm
    Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U
    Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og D""".split()
)

#: Element names (lower case, with common spelling variants) -> symbol, so that "Niobium"
#: in prose and "Nb" in a table are one compound.
ELEMENT_NAMES: dict[str, str] = dict(
    pair.split(":")
    for pair in """hydrogen:H helium:He lithium:Li beryllium:Be boron:B carbon:C nitrogen:N oxygen:O
    fluorine:F neon:Ne sodium:Na magnesium:Mg aluminium:Al aluminum:Al silicon:Si phosphorus:P
    sulfur:S sulphur:S chlorine:Cl argon:Ar potassium:K calcium:Ca scandium:Sc titanium:Ti
    vanadium:V chromium:Cr manganese:Mn iron:Fe cobalt:Co nickel:Ni copper:Cu zinc:Zn gallium:Ga
    germanium:Ge arsenic:As selenium:Se bromine:Br krypton:Kr rubidium:Rb strontium:Sr yttrium:Y
    zirconium:Zr niobium:Nb molybdenum:Mo technetium:Tc ruthenium:Ru rhodium:Rh palladium:Pd
    silver:Ag cadmium:Cd indium:In tin:Sn antimony:Sb tellurium:Te iodine:I xenon:Xe caesium:Cs
    cesium:Cs barium:Ba lanthanum:La cerium:Ce praseodymium:Pr neodymium:Nd promethium:Pm
    samarium:Sm europium:Eu gadolinium:Gd terbium:Tb dysprosium:Dy holmium:Ho erbium:Er
    thulium:Tm ytterbium:Yb lutetium:Lu hafnium:Hf tantalum:Ta tungsten:W rhenium:Re osmium:Os
    iridium:Ir platinum:Pt gold:Au mercury:Hg thallium:Tl lead:Pb bismuth:Bi polonium:Po
    astatine:At radon:Rn francium:Fr radium:Ra actinium:Ac thorium:Th protactinium:Pa uranium:U
    neptunium:Np plutonium:Pu americium:Am curium:Cm""".split()
)


#: Trivial names of oxides that name one composition ("zirconia" is ZrO2). Polymorph names
#: (rutile, anatase, quartz) and allotropes (diamond, graphite) are left as names: merging
#: them into one formula would mix different materials' properties.
TRIVIAL_NAMES: dict[str, str] = {
    "alumina": "Al2O3", "silica": "SiO2", "titania": "TiO2", "zirconia": "ZrO2", "magnesia": "MgO",
    "ceria": "CeO2", "chromia": "Cr2O3", "hematite": "Fe2O3", "magnetite": "Fe3O4",
    "wustite": "FeO", "wüstite": "FeO", "yttria": "Y2O3", "hafnia": "HfO2", "baria": "BaO",
}


@dataclass(frozen=True, slots=True)
class CompoundInfo:
    """A normalised compound mention.

    ``name`` is the mention as written (stripped); ``key`` the identity used to merge
    mentions (the Hill formula for formulas, the folded name otherwise); ``formula`` the
    canonical formula or None; ``is_label`` marks paper-local labels ("sample 3"), which
    only identify a compound within their own document.
    """

    name: str
    key: str
    formula: str | None
    is_formula: bool
    dopants: tuple[str, ...] = ()
    charge: int | None = None
    is_label: bool = False


# --- generic words --------------------------------------------------------------------------

_DETERMINERS = (
    r"the|this|that|these|those|our|such|each|both|all|a|an|its|their|as[- ]prepared|"
    r"as[- ]synthesi[sz]ed|as[- ]grown|pristine|resulting|obtained|present|same|former|latter|"
    r"corresponding|above|new|final|prepared|synthesi[sz]ed|pure|bare|neat|other|two|three"
)
_GENERIC_HEADS = (
    r"samples?|materials?|compounds?|films?|thin films?|crystals?|single crystals?|powders?|"
    r"devices?|polymers?|copolymers?|blends?|solutions?|mixtures?|products?|systems?|structures?|"
    r"composites?|specimens?|electrolytes?|electrodes?|cathodes?|anodes?|membranes?|catalysts?|"
    r"nanoparticles?|particles?|layers?|substrates?|phases?|alloys?|ceramics?|glass(?:es)?|"
    r"molecules?|monomers?|ligands?|complex(?:es)?|salts?|oxides?|cells?|solids?|liquids?|"
    r"one|ones|former|latter|analogues?|counterparts?|derivatives?|series|family|donors?|acceptors?"
)
_PRONOUNS = frozenset(
    "it its they them this that these those which what who whom he she we one ones both all "
    "each either neither former latter itself themselves others another some any none".split()
)
_GENERIC_RE = re.compile(rf"^(?:(?:{_DETERMINERS})\s+)*(?:{_GENERIC_HEADS})$", re.IGNORECASE)
_LABEL_RE = re.compile(
    rf"^(?:(?:{_DETERMINERS})\s+)*(?:{_GENERIC_HEADS})\s+(?:no\.\s*)?[A-Za-z]?\d+[a-z]?$|"
    r"^(?:sample|compound|polymer|film|device|entry|complex)\s+[A-Z]{1,2}\d*[a-z]?$",
    re.IGNORECASE,
)

# --- character folding ----------------------------------------------------------------------

_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-")
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_HYPHENS = re.compile(r"[‐‑‒–—―−]")
_HYDRATE_DOTS = "·•⋅∙*"
_ODD_SPACE_RE = re.compile(r"[\u00a0\u2009\u202f\u2005-\u200a]")
_WS_RUN_RE = re.compile(r"\s+")
_HYPHEN_SPACE_RE = re.compile(r"\s*-\s*")
_BRACKET_SPACE_RE = re.compile(r"\s*([()\[\],])\s*")
_LOWER_RE = re.compile(r"[a-z]")
_CAPS_RUN_RE = re.compile(r"[A-Z]{4,}")
_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
_SYMBOL_RE = re.compile(r"[A-Z][a-z]?")


def _fold_chars(text: str) -> str:
    """Subscripts to digits, superscripts to ``^``..., dashes to "-", spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_SUB)
    text = _SUP_RUN.sub(lambda m: "^" + m.group().translate(_SUP), text)
    text = _HYPHENS.sub("-", text)
    text = _ODD_SPACE_RE.sub(" ", text)
    return _WS_RUN_RE.sub(" ", text).strip()


def _name_key(text: str) -> str:
    """Key of a non-formula name: folded, lower-case, no space around hyphens/brackets."""
    key = _fold_chars(text).lower()
    key = _HYPHEN_SPACE_RE.sub("-", key)
    key = _BRACKET_SPACE_RE.sub(r"\1", key)
    return key


# --- formula parsing ------------------------------------------------------------------------

_VAR = r"[xyzδ]"
_COUNT = rf"(?:\d+(?:\.\d+)?(?:[-+]\d*(?:\.\d+)?{_VAR})?|\d*(?:\.\d+)?{_VAR}(?:[-+]\d+(?:\.\d+)?)?)"
_TOKEN_RE = re.compile(rf"([A-Z][a-z]?)({_COUNT})?|(\(|\[)|(\)|\])({_COUNT})?")
_CHARGE_RE = re.compile(r"(?:\^(\d*)([+-])|\^([+-])(\d*)|(\d?)([+-]))$")
_HYDRATE_RE = re.compile(rf"^(.+?)[{re.escape(_HYDRATE_DOTS)}](\d*(?:\.\d+)?)\s*(.+)$")
_DOT_HYDRATE_RE = re.compile(r"^(.+?[A-Za-z)\]]\d*)\.(\d+)((?:H2O|D2O|NH3|CH3OH|C2H5OH|EtOH|MeOH))$")
_VAR_ASSIGN_RE = re.compile(rf"[\s,;(]*\(?\s*({_VAR})\s*=\s*(\d*\.?\d+)\s*\)?\s*$")
_DOPED_RE = re.compile(r"^(?P<dop>[A-Z][a-z]?(?:\s*(?:,|and|/)\s*[A-Z][a-z]?)*)\s*-?\s*doped\s+(?P<host>.+)$")
_DOPED_WITH_RE = re.compile(r"^(?P<host>.+?)\s+doped\s+with\s+(?P<dop>[A-Z][a-z]?(?:\s*(?:,|and)\s*[A-Z][a-z]?)*)$")
_COLON_RE = re.compile(r"^(?P<a>[^:\s]+)\s*:\s*(?P<b>[^:\s]+)$")

Composition = dict[str, float]
_COUNT_A_RE = re.compile(rf"(\d+(?:\.\d+)?)?(?:([-+])(\d*(?:\.\d+)?)({_VAR}))?")
_COUNT_B_RE = re.compile(rf"(\d+(?:\.\d+)?)([-+])(\d*(?:\.\d+)?)({_VAR})")
_COUNT_C_RE = re.compile(rf"(\d*(?:\.\d+)?)({_VAR})(?:([-+])(\d+(?:\.\d+)?))?")

# Halide perovskites name their organic cations: MA = methylammonium, FA = formamidinium.
# Expanded only inside a Pb/Sn/Ge/Bi halide formula, where the letters mean nothing else,
# so "MAPbI3" and "CH3NH3PbI3" share a key. Other cations (BA, PEA...) stay as written.
_PEROVSKITE_RE = re.compile(r"(?:Pb|Sn|Ge|Bi)\(?(?:I|Br|Cl)")
_CATION_RE = re.compile(r"MA(?![a-z])|FA(?![a-z])")
_CATIONS = {"MA": "(CH3NH3)", "FA": "(CH(NH2)2)"}
_ELEMENT_LABEL_RE = re.compile(r"(?:[A-Z][a-z]?)\d+[a-z]?")
_MOLECULES = frozenset(
    "H2 D2 N2 O2 O3 F2 Cl2 Br2 I2 S2 S8 Se8 C20 C60 C70 C76 C80 C84 C540".split()
)


def _eval_count(text: str | None, variables: dict[str, float]) -> float | None:
    """"2" -> 2, "1-x" with x=0.1 -> 0.9; None when a variable is unbound."""
    if not text:
        return 1.0
    m = _COUNT_A_RE.fullmatch(text)
    if m and m.group(1) and not m.group(4):
        return float(m.group(1))
    m = _COUNT_B_RE.fullmatch(text)
    if m:
        var = variables.get(m.group(4))
        if var is None:
            return None
        coef = float(m.group(3)) if m.group(3) else 1.0
        return float(m.group(1)) + (coef * var if m.group(2) == "+" else -coef * var)
    m = _COUNT_C_RE.fullmatch(text)
    if m:
        var = variables.get(m.group(2))
        if var is None:
            return None
        coef = float(m.group(1)) if m.group(1) else 1.0
        rest = float(m.group(4)) if m.group(4) else 0.0
        return coef * var + (rest if m.group(3) == "+" else -rest)
    return None


class _Unbound(Exception):
    """A count uses a variable with no value (x, δ): the formula stays as written."""


def parse_formula(text: str, variables: dict[str, float] | None = None) -> Composition | None:
    """Element counts of a plain formula ("Ca(OH)2" -> {Ca: 1, O: 2, H: 2}); None if not one.

    Raises nothing: unknown symbols, unbalanced brackets or leftover characters mean the
    text is not a formula. Unbound variables, and a site shared by several elements
    ("(Ba,Sr)TiO3"), raise :class:`_Unbound` internally: a formula, but no fixed counts.
    """
    variables = variables or {}
    stack: list[Composition] = [{}]
    pos = 0
    shared_site = False
    while pos < len(text):
        if text[pos] == "," and len(stack) > 1 and stack[-1]:
            shared_site = True  # "(Ga,Mn)As": atoms sharing a site in amounts the text does not fix
            pos += 1
            continue
        m = _TOKEN_RE.match(text, pos)
        if m is None or m.end() == pos:
            return None
        sym, count, opener, closer, group_count = m.groups()
        if sym:
            if sym not in ELEMENTS:
                return None
            if sym == "D" and not count and not text.startswith("Cl", m.end()):
                return None  # "DPP", "DIO": D is deuterium only as "D2O", "CD3", "CDCl3"
            n = _eval_count(count, variables)
            if n is None:
                raise _Unbound(text)
            stack[-1][sym] = stack[-1].get(sym, 0.0) + n
        elif opener:
            stack.append({})
        else:
            if len(stack) == 1:
                return None
            n = _eval_count(group_count, variables)
            if n is None:
                raise _Unbound(text)
            group = stack.pop()
            for el, c in group.items():
                stack[-1][el] = stack[-1].get(el, 0.0) + c * n
        pos = m.end()
    if len(stack) != 1 or not stack[0]:
        return None
    if shared_site:
        raise _Unbound(text)
    return stack[0]


def _fmt(n: float) -> str:
    if abs(n - 1.0) < 1e-9:
        return ""
    r = round(n, 6)
    return str(int(r)) if r == int(r) else f"{r:.6f}".rstrip("0").rstrip(".")


def hill_formula(comp: Composition) -> str:
    """Hill order: C, H first when C is present, then alphabetical; counts of 1 omitted."""
    if "C" in comp:
        order = ["C"] + (["H"] if "H" in comp else []) + sorted(e for e in comp if e not in ("C", "H"))
    else:
        order = sorted(comp)
    return "".join(f"{e}{_fmt(comp[e])}" for e in order)


def _split_charge(text: str) -> tuple[str, int | None]:
    m = _CHARGE_RE.search(text)
    if m is None or m.start() == 0:
        return text, None
    body = text[: m.start()]
    if m.group(2) or m.group(3):  # explicit "^": "SO4^2-", "Fe^3+", "Cl^-"
        digits = m.group(1) if m.group(2) else m.group(4)
        sign = m.group(2) or m.group(3)
        mag = int(digits) if digits else 1
    else:
        digit, sign = m.group(5), m.group(6)
        if digit and (body in ELEMENTS or body.endswith((")", "]"))):
            # "Fe2+", "[Fe(CN)6]3-": after a bare element or a bracket the digit is a charge
            mag = int(digit)
        else:  # "NO3-": the digit is a count
            body, mag = body + digit, 1
    return body, mag if sign == "+" else -mag


def _formula(text: str, variables: dict[str, float]) -> tuple[str, int | None] | None:
    """Canonical formula text and charge, or None when ``text`` is not a formula."""
    compact = _WS_RUN_RE.sub("", text)
    if not compact or not compact[0].isupper() and compact[0] not in "([":
        return None
    compact, charge = _split_charge(compact)
    if not _LOWER_RE.search(compact) and _CAPS_RUN_RE.search(compact):
        return None  # "PBPD2", "PDPP": a run of 4+ one-letter symbols is an acronym
    if _PEROVSKITE_RE.search(compact):
        compact = _CATION_RE.sub(lambda m: _CATIONS[m.group()], compact)
    hyd = _HYDRATE_RE.match(compact) or _DOT_HYDRATE_RE.match(compact)
    parts: list[tuple[float, str]]
    if hyd:
        n = float(hyd.group(2)) if hyd.group(2) else 1.0
        parts = [(1.0, hyd.group(1)), (n, hyd.group(3))]
    else:
        parts = [(1.0, compact)]
    out = []
    for mult, part in parts:
        comp = parse_formula(part, variables)
        if comp is None:
            return None
        out.append((_fmt(mult) if out else "") + hill_formula(comp))
    formula = "·".join(out)
    if charge is not None:
        formula += f"^{abs(charge) if abs(charge) != 1 else ''}{'+' if charge > 0 else '-'}"
    return formula, charge


@lru_cache(maxsize=65536)
def normalize_compound(text: str) -> CompoundInfo | None:
    """Normalise a COMPOUND mention; None for anaphors and generic words ("the sample").

    See the module docstring for the formula rules. Names get ``key`` = folded,
    lower-cased text; formulas get ``key`` = canonical formula (dopants appended as
    ``":Al"`` so doped and undoped hosts stay apart).
    """
    name = _fold_chars(text).strip(" .,;:")
    if not name:
        return None
    low = name.lower()
    if low in _PRONOUNS or _GENERIC_RE.match(name) or not _ALNUM_RE.search(name):
        return None
    if _LABEL_RE.match(name):
        return CompoundInfo(text.strip(), _name_key(name), None, False, is_label=True)
    if low in ELEMENT_NAMES:
        symbol = ELEMENT_NAMES[low]
        return CompoundInfo(text.strip(), symbol, symbol, False)
    if low in TRIVIAL_NAMES:
        formula = _formula(TRIVIAL_NAMES[low], {})
        if formula is not None:
            return CompoundInfo(text.strip(), formula[0], formula[0], False)

    variables: dict[str, float] = {}
    body = name
    vm = _VAR_ASSIGN_RE.search(body)
    if vm and vm.start() > 0:
        variables[vm.group(1)] = float(vm.group(2))
        body = body[: vm.start()].strip()

    dopants: tuple[str, ...] = ()
    host = body
    for rx in (_DOPED_RE, _DOPED_WITH_RE):
        dm = rx.match(body)
        if dm:
            dopants = tuple(sorted(_SYMBOL_RE.findall(dm.group("dop"))))
            host = dm.group("host").strip()
            break
    else:
        cm = _COLON_RE.match(body)
        if cm:
            a, b = cm.group("a"), cm.group("b")
            a_el = _split_charge(a)[0] in ELEMENTS
            b_el = _split_charge(b)[0] in ELEMENTS
            if b_el and not (a_el and not b_el):
                host, dopants = a, (_split_charge(b)[0],)
            elif a_el:
                host, dopants = b, (_split_charge(a)[0],)

    if _ELEMENT_LABEL_RE.fullmatch(host) and host not in _MOLECULES and not dopants:
        # "P1", "P2", "S3": in papers these label samples; real elemental molecules are listed
        return CompoundInfo(text.strip(), _name_key(name), None, False, is_label=True)
    try:
        got = _formula(host, variables)
    except _Unbound:
        written = _WS_RUN_RE.sub("", host)
        got = (written, None)
    if got is None:
        return CompoundInfo(text.strip(), _name_key(name), None, False)
    formula, charge = got
    key = formula + "".join(f":{d}" for d in dopants)
    return CompoundInfo(text.strip(), key, formula, True, dopants=dopants, charge=charge)
