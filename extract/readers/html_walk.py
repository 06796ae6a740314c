"""Walk an HTML article tree in reading order and feed its blocks to a DocumentBuilder.

HTML from publishers is messy in the same few ways: paragraphs that are bare ``<span>`` or
``<div>`` runs between headings (RSC), headings that are styled spans (ACS ``span.title2``),
citation markers that are links inside superscripts, and tables wrapped in containers that
hold the caption. The walker therefore treats the tree as *mixed content*: inside any
container, consecutive inline content (text, ``span``, ``sub``...) is one paragraph, and
block children are handled on their own (headings start sections, tables and captions go
to the builder, anything else is walked recursively). What counts as a heading, caption,
table wrapper or boilerplate comes from a :class:`~lit.extract.readers.html_profiles.Profile`.
"""

from __future__ import annotations

import re

from lxml import etree

from lit.extract.document import DocumentBuilder
from lit.extract.readers.back_matter import is_back_matter
from lit.extract.readers.html_profiles import Profile
from lit.extract.readers.markers import MARK, finish_text
from lit.extract.readers.tables import CellSpec, layout_grid, parse_span

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section table "
    "caption tr td th thead tbody tfoot summary ul".split()
)
HEADING_TAGS = {f"h{i}": i for i in range(1, 7)}
#: Never text: scripts, styles, form controls, embedded media.
DROP_TAGS = frozenset(
    "script style noscript template iframe object embed svg math-preview button select option "
    "input textarea form nav head link meta canvas video audio map area".split()
)
#: Link targets that are citation or footnote markers ("#cit19", "#bib12", "#ref-CR3", "#t6fn1").
_CITE_TARGET = re.compile(r"#(.*(cit|bib|ref|cr\d|fn|footnote).*|b\d+|r\d+|bb\d+)$", re.IGNORECASE)
#: The visible text of such a marker: "19", "19c,21,22", "(10)", "[3-5]", "a".
_CITE_TEXT = re.compile(r"[\[\(]?\s*[0-9a-z]{1,5}(\s*[,–—\-−]\s*[0-9a-z]{1,5})*\s*[\]\)]?", re.IGNORECASE)
#: Alt texts of character images (RSC draws some symbols as images).
_CHAR_IMAGES = {
    "[thin space (1/6-em)]": " ",
    "[double bond, length as m-dash]": "=",
    "[double bond, length half m-dash]": "=",
    "[triple bond, length as m-dash]": "≡",
    "[triple bond, length half m-dash]": "≡",
    "[small alpha]": "α",
    "[small beta]": "β",
    "[capital delta]": "Δ",
    "[degree]": "°",
    "[greater than or equal to]": "≥",
    "[less than or equal to]": "≤",
    "[approximate]": "≈",
    "[plus or minus]": "±",
    "[minus]": "−",
    "[times]": "×",
}


def local(el: etree._Element) -> str:
    """Lower-case tag name without namespace ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


class HtmlWalker:
    """Feeds one builder from one or more article containers (see module docstring)."""

    def __init__(self, builder: DocumentBuilder, profile: Profile, title: str | None):
        self.builder = builder
        self.profile = profile
        #: Compact form of the title: an h1 repeating it is not a section heading.
        self.title_key = compact_key(title) if title else None
        self._skip_level: int | None = None  # inside a references-like section of this level
        self._last_heading: str | None = None
        self._blocks_since_heading = 0
        # Elements already emitted (abstracts, table captions) or dropped by the profile's XPath.
        # lxml keeps one proxy per node while a reference lives, so a set of elements is safe.
        self.done: set[etree._Element] = set()
        self._blocks_root: etree._Element | None = None
        self._holding: set[etree._Element] = set()

    # -- classification -------------------------------------------------------------------------
    def dropped(self, el: etree._Element) -> bool:
        tag = local(el)
        if not tag or tag in DROP_TAGS or tag in self.profile.drop_tags:
            return True
        if el.get("hidden") is not None or el.get("aria-hidden") == "true":
            return True
        if "display:none" in (el.get("style") or "").replace(" ", ""):
            return True
        if self.profile.is_dropped(el):
            return True
        if tag == "a" and self._is_citation(el):
            return True
        return tag == "sup" and self._sup_is_citation(el)

    def _is_citation(self, el: etree._Element) -> bool:
        href = el.get("href") or ""
        onclick = el.get("onclick") or ""
        target = _CITE_TARGET.search(href) or "showref" in onclick.lower() or self.profile.is_citation(el)
        if not target:
            return False
        return bool(_CITE_TEXT.fullmatch(" ".join("".join(el.itertext()).split())))

    def _sup_is_citation(self, el: etree._Element) -> bool:
        links = [c for c in el.iter() if local(c) == "a"]
        if not links or not all(self._is_citation(a) for a in links):
            return False
        rest = "".join(el.itertext())
        for a in links:
            rest = rest.replace("".join(a.itertext()), "", 1)
        return not rest.strip(" ,;–-[]()")

    def is_block(self, el: etree._Element) -> bool:
        if local(el) in BLOCK_TAGS or self.profile.is_heading(el) or self.profile.is_caption(el):
            return True
        return el in self._holding_blocks(el)

    def _holding_blocks(self, el: etree._Element) -> set[etree._Element]:
        """Elements of ``el``'s tree with a block element somewhere inside, found in one pass.

        Asking each element's descendants instead cost the square of the nesting depth: a page
        of 2,000 nested unclosed ``<font>`` tags took 10 s.
        """
        root = el.getroottree().getroot()
        if self._blocks_root is not root:
            holding: set[etree._Element] = set()
            for block in root.iter(*BLOCK_TAGS):
                for ancestor in block.iterancestors():
                    if ancestor in holding:
                        break
                    holding.add(ancestor)
            self._blocks_root, self._holding = root, holding
        return self._holding

    # -- text -----------------------------------------------------------------------------------
    def inline_text(self, el: etree._Element, with_tail: bool = False, raw: bool = False) -> str:
        """Visible text of ``el`` with markers and boilerplate removed; sub/sup stay glued.

        ``raw`` keeps the placeholders of dropped markers for the caller to resolve once the
        text around them is known (see :func:`finish_text`).
        """
        parts: list[str] = []
        self._collect(el, parts)
        text = "".join(parts) + (el.tail or "" if with_tail else "")
        return text if raw else finish_text(text)

    def _collect(self, el: etree._Element, parts: list[str]) -> None:
        tag = local(el)
        if tag == "img":
            parts.append(_CHAR_IMAGES.get((el.get("alt") or "").strip().lower(), ""))
            return
        if tag == "br":
            parts.append(" ")
            return
        if self.dropped(el):
            if tag in {"a", "sup"}:
                parts.append(MARK)  # a citation marker: may need to leave a word break
            return
        if tag in BLOCK_TAGS and tag not in {"p", "div", "span"}:
            parts.append(" ")  # a block inside inline text (e.g. a cell's <p>) is a word break
        if el.text:
            parts.append(el.text)
        for child in el:
            if local(child):
                self._collect(child, parts)
            if child.tail:
                parts.append(child.tail)
        if tag in {"p", "div", "li", "td", "th"}:
            parts.append(" ")

    # -- walking ------------------------------------------------------------------------------------
    def walk(self, el: etree._Element) -> None:
        """Emit ``el``'s content: inline runs as paragraphs, block children by kind."""
        run: list[str] = [el.text or ""]
        for child in el:
            if not local(child) or child in self.done or self.dropped(child):
                if local(child) in {"a", "sup"} and child not in self.done:
                    run.append(MARK)  # a dropped citation marker (see markers.py)
                run.append(child.tail or "")
                continue
            if self.is_block(child):
                self._paragraph("".join(run))
                run = []
                self.block(child)
                run.append(child.tail or "")
            else:
                run.append(self.inline_text(child, with_tail=True, raw=True))
        self._paragraph("".join(run))

    def block(self, el: etree._Element) -> None:
        if el in self.done:
            return
        tag = local(el)
        level = HEADING_TAGS.get(tag) or self.profile.heading_level(el)
        if level:
            self._heading(self.inline_text(el), level)
        elif self.profile.is_table_wrap(el):
            self._table_wrap(el)
        elif tag == "table":
            if self.profile.is_layout_table(el):
                self.walk(el)
            else:
                self._table(el, self._preceding_caption(el))
        elif tag == "figcaption" or self.profile.is_caption(el):
            self._caption(self.inline_text(el))
        else:
            self.walk(el)

    # -- emitters -------------------------------------------------------------------------------------
    def _heading(self, text: str, level: int) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if self._skip_level is not None:
            if level > self._skip_level:
                return
            self._skip_level = None
        if self.title_key and compact_key(text) == self.title_key:
            return  # the article title repeated as h1: already the title block
        if is_back_matter(text):
            self._skip_level = level
            return
        if self._last_heading == compact_key(text) and self._blocks_since_heading == 0:
            return  # "Abstract" container followed by its own "Abstract" heading
        self.builder.start_section(text)
        self._last_heading = compact_key(text)
        self._blocks_since_heading = 0

    def start_section(self, heading: str) -> None:
        """Open a section named by the reader (e.g. "Abstract" for an abstract container)."""
        self._skip_level = None
        self._heading(heading, 1)

    def _paragraph(self, text: str) -> None:
        if self._skip_level is not None or not text.strip():
            return
        text = finish_text(text)
        if not text.strip():
            return
        self.builder.add_paragraph(text)
        self._blocks_since_heading += 1

    def _caption(self, text: str) -> None:
        if self._skip_level is None and text.strip():
            self.builder.add_caption(text)
            self._blocks_since_heading += 1

    def _preceding_caption(self, table: etree._Element) -> str | None:
        """A caption given as the element just before a table (RSC ``div.table_caption``)."""
        node = table
        for _ in range(3):  # the table may sit in a scroll wrapper or two (RSC ``rtable__wrapper``)
            prev = node.getprevious()
            while prev is not None and not local(prev):
                prev = prev.getprevious()
            if prev is not None:
                if self.profile.is_table_caption(prev) and prev not in self.done:
                    self.done.add(prev)
                    return self.inline_text(prev)
                return None
            node = node.getparent()
            if node is None:
                return None
        return None

    def _table_wrap(self, wrap: etree._Element) -> None:
        """A container holding a caption, a table (or an image of one) and footnotes."""
        captions = [e for e in wrap.iter() if local(e) and self.profile.is_table_caption(e)]
        caption = " ".join(self.inline_text(c) for c in captions[:1]) or None
        tables = [t for t in wrap.iter() if local(t) == "table"]
        if tables:
            for i, table in enumerate(tables):
                self._table(table, caption if i == 0 else None)
        elif caption:
            self.builder.add_table([], caption)  # table published only as an image
        self.done.update(captions)

    def _table(self, table: etree._Element, caption: str | None) -> None:
        if self._skip_level is not None:
            return
        own = [c for c in table if local(c) == "caption"]
        if own and not caption:
            caption = self.inline_text(own[0])
        head: list[list[CellSpec]] = []
        body: list[list[CellSpec]] = []
        foot: list[list[CellSpec]] = []
        for tr in table.iter():
            if local(tr) != "tr" or _owner_table(tr) is not table:
                continue
            section = local(tr.getparent())
            row = [
                CellSpec(
                    self.inline_text(td),
                    parse_span(td.get("colspan")),
                    parse_span(td.get("rowspan")),
                    # Footer rows are notes, never column labels, even when marked up as th.
                    header=section != "tfoot" and (local(td) == "th" or section == "thead"),
                )
                for td in tr
                if local(td) in {"td", "th"}
            ]
            (head if section == "thead" else foot if section == "tfoot" else body).append(row)
        rows = layout_grid(head + body + foot, header_rows=len(head))
        self.builder.add_table(rows, caption)
        self._blocks_since_heading += 1


def _owner_table(tr: etree._Element) -> etree._Element | None:
    node = tr.getparent()
    while node is not None and local(node) != "table":
        node = node.getparent()
    return node


def compact_key(text: str) -> str:
    """Compare headings ignoring case, spacing, punctuation and footnote daggers."""
    return re.sub(r"[\W_]+", "", text.lower())

