"""Walk an article XML body (JATS, Elsevier ``ce:``, Springer A++, patents) into a DocumentBuilder.

The article XML formats differ in names, not in shape: nested sections with a title, paragraphs
that may contain figures, tables and lists (JATS puts ``fig`` and ``table-wrap`` *inside*
``p``), captions with a label, tables as HTML-like ``tr/td`` or CALS ``row/entry``, and
citation cross-references inline. A :class:`Schema` names the elements of one format; the
walker does the rest, treating every element as mixed content (inline runs become
paragraphs, block children are handled by role) like the HTML walker does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from lit.extract.document import DocumentBuilder
from lit.extract.readers.markers import MARK, finish_text
from lit.extract.readers.tables import MAX_COLUMNS, MAX_SPAN, CellSpec, layout_grid, parse_count, parse_span


def local(el: etree._Element) -> str:
    """Tag name without namespace ('' for comments, PIs and entity references)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


@dataclass(frozen=True)
class Schema:
    """Element names (local names, case-sensitive) that play each role in one XML format."""

    name: str
    sections: frozenset[str]
    titles: frozenset[str]
    paragraphs: frozenset[str]
    figures: frozenset[str] = frozenset()
    table_wraps: frozenset[str] = frozenset()
    captions: frozenset[str] = frozenset({"caption"})
    labels: frozenset[str] = frozenset({"label"})
    lists: frozenset[str] = frozenset()
    #: Elements dropped with their content (reference lists, formulas in TeX, metadata in body).
    drop: frozenset[str] = frozenset()
    #: Inline cross-reference elements; dropped when they point at a citation or footnote.
    xrefs: frozenset[str] = frozenset()
    #: Elements that stand for a space (line breaks, Elsevier ``ce:hsp``).
    spaces: frozenset[str] = frozenset({"br"})
    #: Sections whose title matches one of these (lower-case) are skipped with their content.
    skip_titles: frozenset[str] = frozenset(
        {"references", "bibliography", "references and notes", "literature cited", "abbreviations",
         "competing interests", "conflict of interest", "author contributions", "authors' contributions",
         "supplementary material", "supplementary information", "electronic supplementary material",
         "funding", "declarations", "availability of data and materials", "data availability",
         "ethics approval and consent to participate", "consent for publication", "footnotes", "notes"}
    )
    #: Extra block-level elements whose content is walked as its own run (e.g. ``disp-quote``).
    blocks: frozenset[str] = field(default_factory=frozenset)
    #: Headings for section elements that carry no title (JATS ``<ack>`` is often untitled).
    default_titles: dict[str, str] = field(default_factory=dict)


def is_citation_xref(el: etree._Element) -> bool:
    """True for cross-references to bibliography entries or footnotes, in any of the formats."""
    kind = (el.get("ref-type") or "").lower()
    if kind in {"bibr", "fn", "table-fn", "other"}:
        return True
    if kind:
        return False  # fig, table, sec, disp-formula, aff... are read as words ("Fig. 3")
    refid = (el.get("refid") or el.get("rid") or el.get("CitationID") or "").lower()
    return refid.startswith(("bb", "bib", "cr", "ref", "tfn", "tf", "fn", "b0")) or local(el) == "CitationRef"


class XmlWalker:
    """Feeds one builder from XML elements according to a :class:`Schema`."""

    def __init__(self, builder: DocumentBuilder, schema: Schema, floats: dict[str, etree._Element] | None = None):
        self.builder = builder
        self.schema = schema
        self.floats = floats or {}  # id -> figure/table element placed at its anchor (Elsevier)
        self.placed: set[str] = set()
        self._pending: list[etree._Element] = []

    # -- text -----------------------------------------------------------------------------------------
    def text(self, el: etree._Element) -> str:
        parts: list[str] = []
        self._collect(el, parts, top=True)
        return finish_text("".join(parts))

    def _collect(self, el: etree._Element, parts: list[str], top: bool = False) -> None:
        tag = local(el)
        if not top:
            if tag in self.schema.spaces:
                parts.append(" ")
                return
            if tag in self.schema.drop or tag == "float-anchor":
                if tag == "float-anchor":
                    self._anchor(el)
                return
            if tag in self.schema.xrefs and is_citation_xref(el):
                parts.append(MARK)
                return
        if tag in self.schema.paragraphs and not top:
            parts.append(" ")
        if el.text:
            parts.append(el.text)
        for child in el:
            if local(child):
                self._collect(child, parts)
            if child.tail:
                parts.append(child.tail)
        if tag in self.schema.paragraphs or tag in self.schema.labels:
            parts.append(" ")

    def _anchor(self, el: etree._Element) -> None:
        refid = el.get("refid") or ""
        if refid in self.floats and refid not in self.placed:
            self.placed.add(refid)
            self._pending.append(self.floats[refid])

    # -- structure ------------------------------------------------------------------------------------
    def is_block(self, el: etree._Element) -> bool:
        s = self.schema
        tag = local(el)
        return tag in (s.sections | s.paragraphs | s.figures | s.table_wraps | s.lists | s.blocks | s.titles) or tag in {
            "table", "tgroup"}

    def walk(self, el: etree._Element) -> None:
        """Emit ``el``'s content: inline runs as paragraphs, block children by role."""
        run: list[str] = []
        if el.text:
            run.append(el.text)
        for child in el:
            tag = local(child)
            if not tag:
                run.append(child.tail or "")
                continue
            if tag in self.schema.drop:
                run.append(child.tail or "")
            elif tag in self.schema.titles or tag in self.schema.labels:
                run.append(child.tail or "")  # handled by section()/caption code
            elif self.is_block(child):
                self._paragraph(run)
                run = []
                self.block(child)
                if child.tail:
                    run.append(child.tail)
            else:
                parts: list[str] = []
                self._collect(child, parts)
                run.extend(parts)
                run.append(child.tail or "")
        self._paragraph(run)
        self.flush_floats()

    def walk_part(self, el: etree._Element) -> None:
        """Walk a body/back part; text before its first section gets a section of its own.

        Without this, untitled introductory paragraphs would land in the abstract's last
        section, which the builder still holds open.
        """
        first = next((c for c in el if local(c) and local(c) not in self.schema.drop), None)
        if first is not None and local(first) in self.schema.paragraphs | self.schema.blocks:
            self.builder.start_section(None)
        self.walk(el)

    def flush_floats(self) -> None:
        while self._pending:
            self.block(self._pending.pop(0))

    def block(self, el: etree._Element) -> None:
        s = self.schema
        tag = local(el)
        if tag in s.sections:
            self.section(el)
        elif tag in s.figures:
            caption = self.caption_of(el)
            if caption:
                self.builder.add_caption(caption)
        elif tag in s.table_wraps or tag in {"table", "tgroup"}:
            self.table(el)
        else:
            self.walk(el)

    def section(self, el: etree._Element) -> None:
        title = next((c for c in el if local(c) in self.schema.titles), None)
        label = next((c for c in el if local(c) in self.schema.labels), None)
        heading = self.text(title) if title is not None else self.schema.default_titles.get(local(el), "")
        if heading.strip().lower().replace("’", "'").rstrip(".:") in self.schema.skip_titles:
            return
        if not heading:
            self.walk_part(el)  # an untitled wrapper (Elsevier ce:acknowledgment around a ce:section)
            return
        if label is not None:
            heading = f"{self.text(label)} {heading}"
        self.builder.start_section(heading)
        self.walk(el)

    def caption_of(self, el: etree._Element) -> str:
        """Label and caption of a figure or table wrapper: "Table 1 Coordination numbers..."."""
        label = next((c for c in el if local(c) in self.schema.labels), None)
        caption = next((c for c in el if local(c) in self.schema.captions), None)
        if caption is None:
            # A++ keeps label and text together inside Caption/CaptionNumber + CaptionContent.
            return ""
        text = self.text(caption)
        if label is not None:
            text = f"{self.text(label)} {text}"
        return " ".join(text.split())

    def _paragraph(self, run: list[str]) -> None:
        text = finish_text("".join(run))
        if text.strip():
            self.builder.add_paragraph(text)

    # -- tables ---------------------------------------------------------------------------------------
    def table(self, wrap: etree._Element) -> None:
        caption = self.caption_of(wrap) if local(wrap) in self.schema.table_wraps else ""
        grids = [g for g in wrap.iter() if local(g) in {"tgroup", "table"} and g is not wrap] or [wrap]
        grids = [g for g in grids if local(g) in {"tgroup", "table"}]
        # A CALS <table> holds <tgroup>s; an HTML-like <table> holds rows directly.
        grids = [g for g in grids if not (local(g) == "table" and any(local(c) == "tgroup" for c in g))]
        if not grids:
            self.builder.add_table([], caption or None)  # table given only as an image
            return
        for i, grid in enumerate(grids):
            rows = self._cals_rows(grid) if local(grid) == "tgroup" else self._html_rows(grid)
            self.builder.add_table(rows, caption if i == 0 and caption else None)

    def _html_rows(self, table: etree._Element) -> list[list[str]]:
        head: list[list[CellSpec]] = []
        rest: list[list[CellSpec]] = []
        foot: list[list[CellSpec]] = []
        for tr in table.iter():
            if local(tr) != "tr":
                continue
            part = local(tr.getparent())
            cells = [
                CellSpec(self.text(td), parse_span(td.get("colspan")), parse_span(td.get("rowspan")),
                         header=part != "tfoot" and (local(td) == "th" or part == "thead"))
                for td in tr if local(td) in {"td", "th"}
            ]
            (head if part == "thead" else foot if part == "tfoot" else rest).append(cells)
        return layout_grid(head + rest + foot, header_rows=len(head))

    def _cals_rows(self, tgroup: etree._Element) -> list[list[str]]:
        """CALS: columns named by colspec; spans by namest/nameend and morerows."""
        names: dict[str, int] = {}
        for i, spec in enumerate(c for c in tgroup if local(c) == "colspec"):
            # junk, 0 or past MAX_COLUMNS: the colspec's own position
            num = parse_count(spec.get("colnum"))
            names[spec.get("colname") or f"#{i}"] = num - 1 if num and num <= MAX_COLUMNS else i
        head: list[list[CellSpec]] = []
        body: list[list[CellSpec]] = []
        for part in tgroup:
            if local(part) not in {"thead", "tbody", "tfoot"}:
                continue
            for row in part:
                if local(row) != "row":
                    continue
                cells = []
                for entry in row:
                    if local(entry) != "entry":
                        continue
                    start = names.get(entry.get("namest") or entry.get("colname") or "")
                    end = names.get(entry.get("nameend") or "")
                    colspan = end - start + 1 if start is not None and end is not None and end >= start else 1
                    below = parse_count(entry.get("morerows")) or 0
                    cells.append(CellSpec(self.text(entry), min(colspan, MAX_SPAN), min(below + 1, MAX_SPAN),
                                          header=local(part) == "thead", column=start))
                (head if local(part) == "thead" else body).append(cells)
        return layout_grid(head + body, header_rows=len(head))
