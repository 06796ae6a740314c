"""Publisher and generic HTML pages -> Document.

Three steps: decode the bytes with the right encoding (publishers still serve cp1252 and
latin-1 pages, and libxml2 guesses latin-1 when a ``<meta charset>`` comes late in a long
head, which turns "μ" into "Î¼"); read bibliographic metadata from ``citation_*``, ``dc.*``
and ``prism.*`` meta tags; then walk the article container of the matching publisher
profile (``html_profiles``) with the generic walker (``html_walk``).
"""

from __future__ import annotations

import codecs
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import lxml.html
from lxml import etree

from lit.errors import CorruptFileError
from lit.extract.document import Document, DocumentBuilder, DocumentInfo
from lit.extract.readers.encoding import decode_utf8
from lit.extract.readers.html_profiles import GENERIC, choose_profile
from lit.extract.readers.html_walk import HtmlWalker, compact_key

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def decode_html(data: bytes) -> tuple[str, str, int]:
    """Return ``(text, encoding, bytes replaced)``: BOM, then a declared charset, then UTF-8.

    A declared charset is only trusted if the bytes decode with it; pages that say UTF-8 but
    hold a stray cp1252 byte exist, and so do pages that declare nothing. Those are read as
    UTF-8 with each byte that is not UTF-8 read as cp1252 on its own
    (:func:`~lit.extract.readers.encoding.decode_utf8`): never the whole page as cp1252 for one
    bad byte, and a page that is cp1252 throughout still reads right (browsers treat latin-1
    as cp1252 too, the WHATWG encoding standard). A page whose declared non-UTF-8 charset
    fails is read in it with undecodable bytes replaced, unless it is valid UTF-8.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return text, enc, text.count("\ufffd")
    declared = None
    head = data[:65536]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found:
            declared = found.group(1).decode("ascii", "ignore").lower()
            break
    if declared in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        declared = "cp1252"
    try:
        if declared is not None and codecs.lookup(declared).name not in {"utf-8", "utf-16", "utf-32"}:
            try:
                return data.decode(declared), declared, 0
            except UnicodeDecodeError:
                try:
                    return data.decode("utf-8"), "utf-8", 0
                except UnicodeDecodeError:
                    text = data.decode(declared, errors="replace")
                    return text, declared, text.count("\ufffd")
    except LookupError:
        pass  # an unknown charset name: as if none was declared
    text, replaced = decode_utf8(data)
    return text, "utf-8", replaced


def parse_html(path: Path, data: bytes, notes: list[str] | None = None) -> etree._Element:
    """Decode and parse; the text is re-encoded as UTF-8 so libxml2 never guesses.

    What had to be repaired goes to ``notes`` (bytes that did not decode). libxml2 stops
    nesting elements at a depth of 256 (2048 with ``huge_tree``) and silently drops all text
    after that point (a page of 300 unclosed ``<font>`` tags lost everything after them), so
    pages are parsed with ``huge_tree`` and a page that still hits the limit is refused with
    a :class:`CorruptFileError` saying so, never read with its end missing.
    """
    text, encoding, replaced = decode_html(data)
    if replaced and notes is not None:
        notes.append(f"{replaced} byte(s) did not decode as {encoding} and were read as "
                     f"{'cp1252 characters' if encoding == 'utf-8' else 'U+FFFD'}")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # an XML prolog would restate the old encoding
    # libxml2's HTML parser never expands DTD entities, but it leaves an internal subset's
    # "]>" behind as text; drop the whole DOCTYPE (HTML needs none to parse).
    text = _DOCTYPE.sub("", text, count=1)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFileError(path, f"HTML could not be parsed ({exc})") from None
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            raise CorruptFileError(path, f"HTML could not be read to its end at line {entry.line}: {entry.message.strip()}")
    return root


def read_meta(root: etree._Element) -> dict[str, list[str]]:
    """``<meta name|property=... content=...>`` as lower-cased name -> non-empty contents, in order."""
    meta: dict[str, list[str]] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        content = " ".join((el.get("content") or "").split())
        if name and content:
            meta.setdefault(name, []).append(content)
    return meta


def _first(meta: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if meta.get(name):
            return meta[name][0]
    return None


def clean_doi(value: str | None) -> str | None:
    """``doi:10.1039/X``, ``https://doi.org/10.1039/X`` -> ``10.1039/X`` (None if no DOI inside)."""
    if not value:
        return None
    found = _DOI.search(value)
    return found.group(0).rstrip(".,;") if found else None


def fill_info(info: DocumentInfo, meta: dict[str, list[str]], root: etree._Element) -> str | None:
    """Fill title/authors/doi/journal/year from meta tags; return the publisher name if stated."""
    info.title = _first(meta, "citation_title", "dc.title", "prism.title", "og:title")
    if not info.title:
        found = root.find(".//title")
        if found is not None and found.text_content().strip():
            info.title = " ".join(found.text_content().split())
    info.authors = meta.get("citation_author") or meta.get("dc.creator") or []
    doi = clean_doi(_first(meta, "citation_doi", "prism.doi"))
    for ident in meta.get("dc.identifier", []):
        doi = doi or clean_doi(ident)
    info.doi = doi
    info.journal = _first(meta, "citation_journal_title", "prism.publicationname", "citation_conference_title")
    date = _first(meta, "citation_publication_date", "citation_date", "prism.publicationdate",
                  "citation_online_date", "dc.date", "article:published_time", "citation_year")
    year = _YEAR.search(date or "")
    info.year = int(year.group(1)) if year else None
    return _first(meta, "citation_publisher", "dc.publisher", "og:site_name")


#: Python frames the walker may need: it recurses about twice per level of nesting, and
#: libxml2 nests up to 2048 levels under ``huge_tree`` (see :func:`parse_html`).
_WALK_FRAMES = 5 * 2048


@contextmanager
def _room_to_recurse() -> Iterator[None]:
    """Raise Python's recursion limit for walking one page (1000 by default: a page nested
    500 deep failed with a RecursionError); Python-to-Python calls use no C stack (3.11+)."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, _WALK_FRAMES))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def read_html(path: Path, data: bytes, info: DocumentInfo) -> Document:
    """Read one HTML page into a Document (see module docstring)."""
    with _room_to_recurse():
        return _read_html(path, data, info)


def _read_html(path: Path, data: bytes, info: DocumentInfo) -> Document:
    root = parse_html(path, data, info.notes)
    meta = read_meta(root)
    publisher = fill_info(info, meta, root)
    profile = choose_profile(root, publisher, info.doi)

    builder = DocumentBuilder(info)
    walker = HtmlWalker(builder, profile, None)
    title = _page_title(root, profile.title, walker, info.title)
    if title:
        info.title = title
        builder.set_title(title)
        walker.title_key = compact_key(title)
    walker.done.update(e for x in profile.drop_xpath for e in root.xpath(x))
    for xpath in profile.abstracts:
        for abstract in root.xpath(xpath):
            if abstract in walker.done or any(a in walker.done for a in abstract.iterancestors()):
                continue
            walker.start_section("Abstract")
            walker.walk(abstract)
            walker.done.add(abstract)
    containers = _containers(root, profile.containers) or _containers(root, GENERIC.containers)
    for container in containers:
        walker.walk(container)
    return builder.build()


def _page_title(root: etree._Element, xpaths: tuple[str, ...], walker: HtmlWalker, meta_title: str | None) -> str | None:
    """The title as the page shows it, if it is the meta title (or there is no meta title).

    The page's own heading keeps sub/superscripts ("Ni<sub>12</sub>P<sub>5</sub>") that the
    meta tag flattens ("Ni 12 P 5"), and drops nothing but footnote daggers.
    """
    for xpath in xpaths:
        found = root.xpath(xpath)
        if not found:
            continue
        shown = " ".join(walker.inline_text(found[0]).split()).rstrip("†‡*§ ")
        if shown and (meta_title is None or compact_key(shown) == compact_key(meta_title)):
            return shown
        break
    return meta_title


def _containers(root: etree._Element, xpaths: tuple[str, ...]) -> list[etree._Element]:
    """Matches of the first XPath that matches, without nested duplicates."""
    for xpath in xpaths:
        found = root.xpath(xpath)
        if found:
            outer = [e for e in found if not any(a in found for a in e.iterancestors())]
            return outer
    return []
