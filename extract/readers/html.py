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
from pathlib import Path

import lxml.html
from lxml import etree

from lit.errors import CorruptFileError
from lit.extract.document import Document, DocumentBuilder, DocumentInfo
from lit.extract.readers.html_profiles import GENERIC, choose_profile
from lit.extract.readers.html_walk import HtmlWalker, compact_key

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def decode_html(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``: BOM, then declared charset, then UTF-8, then cp1252.

    A declared charset is only trusted if the bytes decode with it; pages that say UTF-8
    but are cp1252 exist. cp1252 is the last resort because browsers treat latin-1 as cp1252
    (the WHATWG encoding standard), and bytes it cannot map fall back to latin-1.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    declared = []
    head = data[:65536]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found:
            declared.append(found.group(1).decode("ascii", "ignore").lower())
    for enc in [*declared, "utf-8", "cp1252"]:
        if enc in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
            enc = "cp1252"
        try:
            codecs.lookup(enc)
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1"), "latin-1"


def parse_html(path: Path, data: bytes) -> etree._Element:
    """Decode and parse; the text is re-encoded as UTF-8 so libxml2 never guesses."""
    text, _ = decode_html(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # an XML prolog would restate the old encoding
    # libxml2's HTML parser never expands DTD entities, but it leaves an internal subset's
    # "]>" behind as text; drop the whole DOCTYPE (HTML needs none to parse).
    text = _DOCTYPE.sub("", text, count=1)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFileError(path, f"HTML could not be parsed ({exc})") from None
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


def read_html(path: Path, data: bytes, info: DocumentInfo) -> Document:
    """Read one HTML page into a Document (see module docstring)."""
    root = parse_html(path, data)
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
