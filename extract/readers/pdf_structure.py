"""From ordered PDF lines to a paper's structure: title, headings, paragraphs, captions.

PDF has no markup, so structure is inferred from what typesetters do: the title is the
largest type on the first page; headings are short lines that are numbered, in capitals,
or set bold or larger than the body; a paragraph starts on an indented line or after a
short line that ends a sentence; a paragraph cut by a column or page break continues when
the next piece starts in lower case or the last line ran to the column edge mid-sentence
(captions and footnotes met in between are moved after it). Line-end hyphens are
removed only when they split a word ("mate-rials"), not when they belong to it
("Fe-doped", "2-methyl", "well-known").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Literal

from lit.extract.readers.pdf_layout import Box, Line

ChunkKind = Literal["heading", "paragraph", "caption"]

_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.)\s+[A-Z][^@]{1,90}$")
_KNOWN = re.compile(
    r"^(?:abstract|introduction|background|experimental(?: section| details| procedures?)?|materials and methods|"
    r"methods?|methodology|results(?: and discussion)?|discussion|conclusions?|summary|acknowledge?ments?|"
    r"references?|bibliography|supporting information|supplementary (?:material|information)|appendix(?: [a-z])?|"
    r"keywords|abbreviations|author contributions|conflicts? of interest|competing interests|funding)\.?:?$",
    re.I,
)
_ARTICLE_TYPE = re.compile(
    r"^(?:(?:research|review|original|short|brief|rapid|full|mini|regular)?\s*(?:article|paper|communication|report|letter|review)s?"
    r"|open access|(?:[A-Z] ){3,}[A-Z])$",
    re.I,
)
_REFERENCES = re.compile(r"^(?:\d+\.?\s*)?(?:references?|bibliography|literature cited|notes and references)$", re.I)
_SENTENCE_BREAK = re.compile(r"[a-z]{2}\.\s+[A-Z]")
_REF_START = re.compile(r"^\[\d{1,3}\]\s")
_CAPTION = re.compile(
    r"^(?i:fig(?:ure)?s?\.?|table|scheme|chart|plate)\s*(?:S?\d+|[IVX]+)[a-z]?(?:\s*[.:|\u2014\u2013-]|\s+[A-Z(\[]|\s*$)"
)
#: A numbered reference entry ("14. A. Abragam, The principles...", "3 Smith J, et al.").
_REF_ENTRY = re.compile(r"\b[A-Z]\.\s|\bet al\b|\(\d{4}\)|\b(?:19|20)\d{2}\b")
_HYPHENS = ("-", "\u2010", "\u00ad")
_WORD = re.compile(r"[^\W\d_]+")
#: Second halves that make a compound with a real hyphen in chemistry papers.
_COMPOUND_TAILS = frozenset(
    "based doped type like free rich poor induced dependent containing sized scale derived coated "
    "treated functionalized functionalised related ray state order terminated capped modified "
    "substituted bonded loaded supported assisted mediated driven controlled resolved selective "
    "specific soluble stabilized stabilised time temperature step pot".split()
)
_COMPOUND_HEADS = frozenset("self well cross non multi long short high low full half one two three".split())


@dataclass(slots=True)
class Chunk:
    """A run of lines that became one heading, paragraph or caption."""

    kind: ChunkKind
    lines: list[Line]
    text: str = ""


@dataclass(frozen=True, slots=True)
class Typography:
    """How the body text is set, so headings can be told apart by contrast with it.

    Subset fonts often hide "Bold" in their names (``AKFKCE+AdvOT3b30f6``), so a font that
    sets only a small share of the text counts as distinct type, like bold or a larger size.
    """

    body_size: float
    body_font: str
    rare_fonts: frozenset[str]


def typography(lines: Iterable[Line]) -> Typography:
    """Measure the body size and font (weighted by characters) and the rarely used fonts."""
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
        fonts[ln.font] += len(ln.text)
    if not sizes:
        return Typography(10.0, "", frozenset())
    total = sum(fonts.values())
    body_font = fonts.most_common(1)[0][0]
    rare = frozenset(f for f, n in fonts.items() if f != body_font and n < 0.05 * total)
    return Typography(sizes.most_common(1)[0][0], body_font, rare)


# -- words and hyphens --------------------------------------------------------------------------


def vocabulary(lines: Iterable[Line]) -> tuple[set[str], set[str]]:
    """Words and hyphenated compounds the document spells out whole inside a line.

    They decide ambiguous line-end hyphens: "mate-|rials" joins if "materials" occurs
    elsewhere; "well-|known" keeps its hyphen if "well-known" does.
    """
    words: set[str] = set()
    compounds: set[str] = set()
    for ln in lines:
        low = ln.text.lower()
        words.update(_WORD.findall(low))
        if "-" in low:
            compounds.update(m.group(0) for m in re.finditer(r"[^\W\d_]+-[^\W\d_]+", low))
    return words, compounds


def join_hyphenated(left: str, right: str, vocab: tuple[set[str], set[str]]) -> str:
    """Join two line texts, repairing a line-end hyphen when it split a word."""
    if not left:
        return right
    if not right:
        return left
    if left[-1] not in _HYPHENS or len(left) < 2:
        return f"{left} {right}"
    if left[-1] == "\u00ad":  # a soft hyphen is a break opportunity, never a character
        return left[:-1] + right
    head_match = re.search(r"([^\W_]+)$", left[:-1])
    tail_match = re.match(r"([^\W_]+)", right)
    if head_match is None or tail_match is None:
        return left + right
    head, tail = head_match.group(1), tail_match.group(1)
    words, compounds = vocab
    keep = (
        any(c.isdigit() for c in head)
        or len(head) <= 2
        or any(c.isupper() for c in head[1:])
        or not tail[0].islower()
        or tail.lower() in _COMPOUND_TAILS
        or head.lower() in _COMPOUND_HEADS
    )
    if not keep:
        whole = (head + tail).lower()
        if whole not in words and f"{head}-{tail}".lower() in compounds:
            keep = True
    return left + right if keep else left[:-1] + right


def join_lines(lines: Iterable[Line], vocab: tuple[set[str], set[str]]) -> str:
    text = ""
    for ln in lines:
        text = join_hyphenated(text, ln.text, vocab)
    return text


# -- chunks -------------------------------------------------------------------------------------


def _styled(line: Line, typo: Typography) -> bool:
    return line.bold or line.size >= typo.body_size + 0.9 or (line.font in typo.rare_fonts and line.size >= typo.body_size - 1.0)


def is_heading(line: Line, typo: Typography, standalone: bool, in_references: bool = False) -> bool:
    """Whether a line reads as a section heading (see the module docstring for the cues).

    In a reference list numbered lines are entries ("37. McGrory BJ: ..."), not headings.
    """
    t = line.text.strip()
    words = t.split()
    if not 3 <= len(t) <= 100 or len(words) > 14 or t.count(",") > 1 or _ARTICLE_TYPE.match(t):
        return False
    if not any(len(w) >= 3 for w in _WORD.findall(t)) or _SENTENCE_BREAK.search(t):
        return False
    styled = _styled(line, typo)
    body = typo.body_size
    if t.endswith((",", ";")) or (t.endswith(".") and not (styled and len(words) <= 3)):
        return False
    if _KNOWN.match(t):
        return standalone or styled or t.isupper()
    if _NUMBERED.match(t):
        if in_references or _REF_ENTRY.search(t) or t.startswith("0") or not re.search(r"[A-Za-z]{4}", t):
            # Entries of a reference list are numbered too; only distinct type marks a heading there.
            return in_references and styled and line.size >= body and not _REF_ENTRY.search(t)
        # Numbered lines in small type are list items in tables and figures.
        return line.size >= body - 1.0 and (styled or standalone or len(words) <= 6)
    letters = [c for c in t if c.isalpha()]
    if sum(c.isupper() for c in t) >= max(4, 0.8 * len(letters)) and t.upper() == t and len(words) <= 8 and any(len(w) >= 4 for w in _WORD.findall(t)):
        return (standalone or styled) and line.size >= body - 1.0
    # Distinct type alone is weak evidence (math fonts, emphasis): ask for a real word and no formula.
    prose = re.search(r"[A-Za-z]{4}", t) is not None and "=" not in t
    return styled and standalone and prose and not line.full and 2 <= len(words) <= 12 and t[0].isupper() and line.size >= body - 1.0


def _split_box(box: Box, typo: Typography) -> list[list[Line]]:
    """Split a box's lines into paragraph candidates at style changes, indents and short ends."""
    lines = box.lines
    if len(lines) == 1:
        return [lines]
    margin = min(ln.x0 for ln in lines)
    groups: list[list[Line]] = [[lines[0]]]
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        em = max(cur.size, 1.0)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        indented = cur.x0 - margin > 0.6 * em and prev.x0 - margin < 0.3 * em and (nxt is None or nxt.x0 - margin < 0.3 * em)
        short_end = prev.text.endswith((".", "!", "?", ":")) and prev.x1 < box.x1 - 2.5 * em
        # A change of type splits only where the distinct line is short (a heading); a
        # full-width bold line is a run-in heading inside its paragraph.
        restyled = abs(cur.size - prev.size) > 1.0
        if not restyled and _styled(cur, typo) != _styled(prev, typo):
            distinct = cur if _styled(cur, typo) else prev
            restyled = distinct.x1 < box.x1 - 2.5 * em
        gap = prev.y0 - cur.y1 > 1.2 * em
        if indented or short_end or restyled or gap or _REF_START.match(cur.text):
            groups.append([cur])
        else:
            groups[-1].append(cur)
    return groups


def _junk(text: str) -> bool:
    """Axis labels, stray numbers, equation debris: too few letters to be prose."""
    letters = sum(c.isalpha() for c in text)
    return letters < 3 or (len(text) < 60 and letters < 0.4 * len(text))


def chunk_boxes(boxes: list[Box], typo: Typography, vocab: tuple[set[str], set[str]]) -> list[Chunk]:
    """Turn reading-ordered boxes into headings, paragraphs and captions, merging broken paragraphs."""
    raw: list[Chunk] = []
    in_refs = False
    for box in boxes:
        for group in _split_box(box, typo):
            first = group[0]
            if not _CAPTION.match(first.text) and is_heading(first, typo, len(group) == 1 or len(box.lines) == 1, in_refs):
                head = [first]
                rest = group[1:]
                # A styled heading may wrap onto a second line in the same style.
                while (
                    rest
                    and _styled(first, typo)
                    and rest[0].font == first.font
                    and rest[0].bold == first.bold
                    and abs(rest[0].size - first.size) < 0.5
                    and len(head) < 3
                ):
                    head.append(rest.pop(0))
                text = join_lines(head, vocab)
                in_refs = bool(_REFERENCES.match(text))
                raw.append(Chunk("heading", head, text))
                if rest:
                    raw.append(Chunk("paragraph", rest, join_lines(rest, vocab)))
                continue
            text = join_lines(group, vocab)
            if _CAPTION.match(text):
                raw.append(Chunk("caption", group, text))
            elif not _junk(text):
                raw.append(Chunk("paragraph", group, text))
    return _merge_continuations(raw, typo, vocab)


def _continues(prev: str, nxt: str, prev_full: bool = False) -> bool:
    """Whether paragraph text ``nxt`` carries on ``prev`` across a box, column or page break."""
    if not prev or not nxt or prev.endswith((".", "!", "?", ":")):
        return False
    if prev_full and prev[-1].isalnum() and (nxt[0].isalnum() or nxt[0] in "([\u201c\"'"):
        # The last line ran to the column edge mid-sentence: the sentence goes on.
        return True
    if prev[-1] in _HYPHENS or prev.endswith(","):
        return nxt[0].islower() or nxt[0].isdigit() or prev.endswith(",")
    return nxt[0].islower()


def _footnote(chunks: list[Chunk], i: int, typo: Typography) -> bool:
    """Small type that closes its page in reading order: a footnote, not the body text."""
    chunk = chunks[i]
    if chunk.kind != "paragraph" or any(ln.size > typo.body_size - 1.0 for ln in chunk.lines):
        return False
    return i + 1 < len(chunks) and chunks[i + 1].lines[0].page > chunk.lines[-1].page


def _merge_continuations(chunks: list[Chunk], typo: Typography, vocab: tuple[set[str], set[str]]) -> list[Chunk]:
    """Join paragraph pieces split by a column/page break.

    Captions and footnotes met while a paragraph is still open are held and placed after it,
    so a figure or a footnote between two pages does not cut the sentence that runs across.
    """
    out: list[Chunk] = []
    open_para: Chunk | None = None
    held: list[Chunk] = []
    for i, chunk in enumerate(chunks):
        if open_para is not None and (chunk.kind == "caption" or _footnote(chunks, i, typo)):
            held.append(chunk)
            continue
        if chunk.kind == "paragraph" and open_para is not None and _continues(open_para.text, chunk.text, open_para.lines[-1].full):
            open_para.lines.extend(chunk.lines)
            open_para.text = join_hyphenated(open_para.text, chunk.text, vocab)
            continue
        if open_para is not None:
            out.append(open_para)
            out.extend(held)
            held = []
            open_para = None
        if chunk.kind == "paragraph":
            open_para = chunk
        else:
            out.append(chunk)
    if open_para is not None:
        out.append(open_para)
    out.extend(held)
    return out


def _wordy(text: str) -> bool:
    """Mostly letters with at least one real word: not a formula, a logo letter or OCR noise."""
    letters = sum(c.isalpha() for c in text)
    dense = len(text.replace(" ", ""))
    return letters >= 4 and letters >= 0.7 * dense and re.search(r"[^\W\d_]{3}", text) is not None


def find_title(lines: list[Line], body: float) -> list[Line]:
    """The first-page lines set in the largest type: the title (empty if nothing stands out).

    Article-type labels ("Research Article") share the title's size in some journals and
    are skipped; a lone huge glyph (a drop cap or logo letter) has too few letters to count.
    """
    candidates = [ln for ln in lines if _wordy(ln.text) and not _ARTICLE_TYPE.match(ln.text)]
    if not candidates:
        return []
    top = max(ln.size for ln in candidates)
    if top < body + 1.0:
        return []
    title: list[Line] = []
    for ln in candidates:
        if ln.size >= top - 0.6:
            if title and (ln.page != title[-1].page or title[-1].y0 - ln.y1 > 2.0 * top):
                break
            title.append(ln)
        elif title:
            break
    return title
