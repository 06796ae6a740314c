"""Sentence segmentation for chemistry and materials text.

Papers are full of dots that do not end sentences: ``et al.``, ``Fig. 3``, ``ca. 300 K``,
``J. Smith``, ``1.55 eV``, ``Li1.2Mn0.54O2``. A general splitter trained on news breaks at
many of them and, worse, at sentence-initial ``pH`` or ``n-type`` it fails to break at all.
Facts point at sentences, so a wrong break cuts a compound away from its value.

The rules, in order (a candidate is ``.``, ``!``, ``?`` or an ellipsis, optionally followed
by closing quotes/brackets and a citation such as ``[12]``, ``[3, 4]`` or flattened
superscript numbers ``.12,13``, then whitespace):

1. the next word must look like a sentence start: an uppercase letter, a digit, an opening
   bracket or quote, or a lowercase chemistry prefix (``pH``, ``pKa``, ``mRNA``,
   ``n-type``, ``trans-``, ``α-Fe2O3``);
2. no break after an abbreviation in :data:`~lit.extract.tokens.ABBREVIATIONS`
   (``Fig.``, ``e.g.``, ``ca.``...); after an ambiguous one (``etc.``, ``resp.``,
   ``min.``, ``No.``) only before an uppercase letter; after ``et al.`` only before a
   common sentence opener (``... Tully et al. This is``), since it is usually followed by
   a verb, a year or a citation;
3. no break after an initial (``J. Smith``, ``H. M. Burke``, ``U.S.``) unless the next word
   is a common sentence opener (``The``, ``We``...); a capital after a number is a unit,
   not an initial (``at 300 K. The``);
4. no break after an enumerator or a caption label that would be the whole sentence
   (``2.1. Materials``, ``Fig. 1. Absorption spectra``, ``Table 2. Band gaps``);
5. an ellipsis before a digit or lowercase word is a range or an omission, not an end;
6. a dot glued to the next word ends a sentence only when a citation number sits between
   them (``polarons.27,32RTFM``) or the next word is a sentence opener (``Ω).The ion``):
   HTML flattening loses spaces around superscripts and tags;
7. a number after a dot is a citation only after a word (``nations.12 The``) or a
   formula (``Co3O4.31 The``), never after a number (``5.12 Hz``).

Blank lines are hard breaks, so raw text with paragraphs splits sensibly too, and so is the
line break after a title set on the first line above its text. Everything is
precompiled regular expressions plus a handful of set look-ups per candidate dot.
"""

from __future__ import annotations

import re

from lit.extract.document import Document, Sentence
from lit.extract.tokens import ABBREVIATIONS, AMBIGUOUS_ABBREVIATIONS, Token, tokenize

__all__ = ["split_sentences", "split_text", "tokenize", "Token"]

# A candidate end: terminal punctuation, closing marks, an optional citation, then space.
_END = re.compile(
    r"(?P<punct>\.\.\.|…|[.!?]+)"
    r"(?P<tail>(?:[\"'”’»)\]}]|\[[\d,\s\-–−]{1,40}\])*"
    r"(?:[¹²³⁰⁴-⁹]+(?:[,\-–−][¹²³⁰⁴-⁹]+)*|\d{1,3}[a-z]?(?:[,\-–−](?:\d{1,3}[a-z]?|[a-z]))*)?"
    r"(?:[\"'”’»)\]}])*)"
    # usually whitespace follows; a capital right after the mark is a candidate too, because
    # flattened HTML drops spaces ("(1021.0 Ω).The ion", "polarons.27,32RTFM was")
    r"(?:(?P<space>\s+)(?=\S)|(?=[A-Z]))"
)
#: Longest sentence handed on, in characters. Mention finding and linking compare spans and
#: pairs within a sentence, so their time grows with the square of its length: one 120 KB
#: run-on "sentence" (a table flattened into prose, a reference list without full stops)
#: took 121 s and 2.3 GB. Longer spans are cut into pieces at a clause mark or a space; real
#: sentences stay well below this (the longest of the 586 in our segmentation gold set has 560).
MAX_SENTENCE_CHARS = 1000
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
#: Longest first line taken for a title run in with its text (see :func:`_title_line`).
_TITLE_CHARS = 300
#: A title glued to its text: "... batteries The lithium-ion ...", within the first line's length.
_GLUED_TITLE = re.compile(r"(?<=[A-Za-z0-9)\]])\s(?=(?:The|We|Here|Herein|This|These|Recently)\s)")
#: Words a line does not end on when its sentence ends there.
_GOES_ON = frozenset("a an the of and or in on at to for with by from as than that which via its their".split())
_NEXT_WORD = re.compile(r"\S+")
_OPENERS = "([{\"'“‘«"
# Lowercase words that may still start a sentence in a chemistry paper.
_LOWER_START = re.compile(
    r"(?:p[HK]|pKa|[a-z]{1,3}[A-Z]|(?:n|p|o|m|i|s|t|d|l|cis|trans|tert|sec|iso|neo|meso|endo|exo|syn|anti)-"
    r"|[α-ω])"
)
_INITIALS = re.compile(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]")
_NUMBERISH = re.compile(r"[(\[]?[+\-−±~≈]?\d[\d.,]*[)\]]?$")
_ENUMERATOR = re.compile(
    r"[(\[]?(?:\d+(?:\.\d+)*|[ivxIVX]+|[A-Za-z])[)\]]?"
    r"|(?:Fig\.|Figs\.|Figure|FIGURE|FIG\.|Table|TABLE|Tab\.|Scheme|Chart|Plate)\s*S?[\dIVX]+[A-Za-z]?"
)
_CAPITALISED = re.compile(r"[A-Z][a-z]")
_COMPANY_SUFFIXES = frozenset("Ltd Inc KG KGaA LLC GmbH Corp Co plc AG SA".split())
#: Capitalised words that almost never follow an initial but often open a sentence.
_OPENER_WORDS = frozenset(
    """
    The This These That Those Then There Thus Therefore Hence However We Our In It Its A An As
    At For From On To With When While Since After Before Both All Each Such Here Further
    Furthermore Moreover Finally Although Because If Similarly Also Additionally Overall
    Consequently Nevertheless Notably Interestingly Unlike Compared Using Among Other Most
    Some Many No Not One Two Three Table Figure Fig Note In Recently Previously They He She I
    """.split()
)


def _strip_open(word: str) -> str:
    """The word without leading brackets/quotes: ``(e.g`` -> ``e.g``."""
    return word.lstrip(_OPENERS)


def _word_before(text: str, lo: int, hi: int) -> str:
    """The run of non-space characters ending at ``hi`` (not reaching before ``lo``)."""
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    i = hi
    while i > lo and not text[i - 1].isspace():
        i -= 1
    return text[i:hi]


def _is_boundary(text: str, seg_start: int, m: re.Match[str]) -> bool:
    """Decide whether the candidate ``m`` ends a sentence that began at ``seg_start``."""
    punct, tail = m.group("punct"), m.group("tail")
    p0 = m.start("punct")
    nxt = _NEXT_WORD.match(text, m.end()).group()
    first = nxt[0]
    starts_upper = first.isupper()
    if not (starts_upper or first.isdigit() or first in _OPENERS or _LOWER_START.match(nxt)):
        return False
    raw_prev = _word_before(text, seg_start, p0)
    prev = _strip_open(raw_prev)
    bare = nxt.lstrip(_OPENERS)
    cited = bool(tail) and tail[0].isdigit()
    if m.group("space") is None:
        # Glued to the next word: only a citation number or a plain sentence opener makes
        # this an end ("...polarons.27,32RTFM", "...(1021.0 Ω).The ion"), never "U.S.A".
        if not prev or prev in ABBREVIATIONS or _INITIALS.fullmatch(prev) or punct != ".":
            return False
        if cited:
            return prev[-1].isalpha()
        after = _NEXT_WORD.match(text, m.end())
        return (prev[-1].islower() or prev[-1] in ")]") and after.group() in _OPENER_WORDS
    if punct in ("...", "…"):
        return starts_upper or first in _OPENERS
    if cited and prev and prev[-1].isdigit():
        # "5.12 Hz" is a decimal; "Co3O4.31 The" is a formula, a dot and citation 31.
        return (
            any(c.isalpha() for c in prev)
            and not _NUMBERISH.match(prev)
            and bare[:1].isupper()
            and bare[1:2].islower()
        )
    if cited and prev and not (prev[-1].isalpha() or prev[-1] in ")]"):
        return False
    if punct != ".":
        return True
    if not prev:
        return True
    if prev == "al":
        # "et al." nearly always runs on ("Smith et al. reported"); it ends a sentence only
        # before a word that opens one ("... Tully et al. This is an open access article").
        return bare.rstrip(",;:") in _OPENER_WORDS
    if prev in ABBREVIATIONS:
        return False
    if prev in AMBIGUOUS_ABBREVIATIONS:
        if bare.rstrip(".,;:)]") in _COMPANY_SUFFIXES:
            return False  # "Sigma-Aldrich Co. Ltd."
        if prev in ("No", "no", "Nos"):
            return bool(_CAPITALISED.match(bare)) and not tail  # not "Cat. No. A1234"
        return bool(bare) and bare[0].isupper() and not tail
    if _INITIALS.fullmatch(prev):
        before = _word_before(text, seg_start, p0 - len(raw_prev))
        if before and _NUMBERISH.match(before) and len(prev) == 1:
            return True  # a unit after a number: "at 300 K. The"
        return bare.rstrip(",;:") in _OPENER_WORDS
    if p0 - seg_start < 16 and _ENUMERATOR.fullmatch(text[seg_start:p0].strip()):
        return False  # "2.1. Materials", "(a). The", "Fig. 1. Absorption of": a label
    return True


def split_text(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans ``[(start, end), ...]`` of ``text``, shifted by ``offset``.

    Spans exclude surrounding whitespace and keep trailing citation marks with the sentence
    they close (``"... in 2010.[12]"``). Text without any end mark is one sentence.
    """
    spans: list[tuple[int, int]] = []
    for block in _blocks(text):
        b0, b1 = block
        seg_start = b0
        for m in _END.finditer(text, b0, b1):
            if m.start() < seg_start:
                continue
            if _is_boundary(text, seg_start, m):
                end = m.start("space") if m.group("space") is not None else m.end()
                _add(spans, text, seg_start, end, offset)
                seg_start = m.end()
        _add(spans, text, seg_start, b1, offset)
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Ranges of ``text`` between blank lines (a blank line always ends a sentence); a block's
    first line that reads as a title run in with the text below it is a range of its own."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BLANK_LINE.finditer(text):
        out.extend(_title_line(text, start, m.start()))
        start = m.end()
    out.extend(_title_line(text, start, len(text)))
    return out


def _title_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut after its first line when that line is a title: no end mark, no
    word that would go on ("... of"), at most :data:`_TITLE_CHARS` long, and the next line
    opens with a capital or a digit ("Effective strategies for Li–S batteries\nThe lithium-ion
    battery ..."). A title set on its own line is no sentence of the text under it; nor is
    one glued to it by a space, as abstract collections store them ("... Li–S batteries The
    lithium-ion battery ..."): a sentence opener after a word, with no end mark before it."""
    nl = text.find("\n", start, end)
    if nl < 0 or nl - start > _TITLE_CHARS:
        glued = _GLUED_TITLE.search(text, start, min(end, start + _TITLE_CHARS))
        if glued is None or _END.search(text, start, glued.start()) is not None:
            return [(start, end)]
        return [(start, glued.start()), (glued.end(), end)]
    first = text[start:nl].rstrip()
    rest = text[nl + 1 : end].lstrip()
    words = first.split()
    if (len(words) < 3 or first[-1] in ".!?:;,-–" or words[-1].lower() in _GOES_ON
            or not rest or not (rest[0].isupper() or rest[0].isdigit())):
        return [(start, end)]
    return [(start, nl), (nl + 1, end)]


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int, offset: int) -> None:
    """Append ``text[start:end]`` stripped of whitespace, unless nothing is left; a span longer
    than :data:`MAX_SENTENCE_CHARS` goes in pieces (see there)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = _piece_end(text, start)
        spans.append((start + offset, cut + offset))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start + offset, end + offset))


def _piece_end(text: str, start: int) -> int:
    """Where a piece of an over-long sentence starting at ``start`` ends: after the last
    ``;`` or ``,`` in the second half of the allowed length, else at the last space there,
    else (a run without spaces) at the length itself."""
    lo, hi = start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS
    for mark in (";", ","):
        at = text.rfind(mark, lo, hi)
        if at >= 0:
            return at + 1
    at = max(text.rfind(" ", lo, hi), text.rfind("\n", lo, hi))
    return at if at > lo else hi


def split_sentences(doc: Document) -> list[Sentence]:
    """Sentences of every prose block of ``doc`` (title, headings, paragraphs, captions).

    A sentence never crosses a block boundary, because a heading or a caption is never the
    start of the paragraph next to it. Table cells are left to the table reader.
    """
    out: list[Sentence] = []
    text = doc.text
    for block in doc.blocks():
        for start, end in split_text(text[block.start : block.end], block.start):
            out.append(Sentence(doc.doc_id, len(out), start, end, text[start:end], block.section, block.kind))
    return out
