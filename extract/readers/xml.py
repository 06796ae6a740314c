"""Article XML -> Document: safe parsing, then dispatch on the root to the matching format.

Formats: JATS/PMC (``article``, also wrapped in a Springer API ``response``), Elsevier
full-text (``full-text-retrieval-response`` / ``ja:article``), Springer A++ (``Article`` with
``ArticleInfo``), USPTO patent grants/applications, and a generic fallback for anything else.

Security. XML from the web is an attack surface: an external entity (XXE) can pull a local
file such as ``/etc/passwd`` into the text, and nested internal entities ("billion laughs")
expand a kilobyte into gigabytes. lit therefore

* refuses, *before* parsing, any DOCTYPE whose internal subset declares a general entity
  (``<!ENTITY name ...>``: such a declaration exists only to be expanded) or references a
  parameter entity (``%name;``, which would splice in an external or nested definition),
  raising :class:`~lit.errors.UnsafeXMLError` that names the file and the entity;
* parses with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``, so
  even a declaration the pre-scan missed is never expanded or fetched.

Parameter entities that are declared but never referenced (Springer's API wraps every
article in such a DOCTYPE) expand nowhere and are accepted.
"""

from __future__ import annotations

import html.entities
import re
from pathlib import Path

from lxml import etree

from lit.errors import CorruptFileError, UnsafeXMLError
from lit.extract.document import Document, DocumentBuilder, DocumentInfo
from lit.extract.readers.xml_formats import (
    read_app,
    read_elsevier,
    read_jats,
    read_patent,
)
from lit.extract.readers.xml_walk import local

_XHTML = re.compile(rb"<!DOCTYPE\s+html\b|<html[\s>]", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE\s+[^\[>]*(\[(?P<subset>.*?)\]\s*)?>", re.DOTALL | re.IGNORECASE)
_GENERAL_ENTITY = re.compile(r"<!ENTITY\s+(?!%)(?P<name>[^\s>]+)")
_PARAM_DECL = re.compile(r"<!ENTITY\s+%\s+([^\s>]+)")
_PARAM_REF = re.compile(r"%(?P<name>[\w.:-]+);")
_TITLE_NAMES = {"title", "article-title", "articletitle", "heading", "head", "section-title", "h1", "h2", "h3", "h4"}
_BIBLIOGRAPHY_NAMES = {"listbibl", "bibliography", "ref-list", "references", "reflist", "citation-list", "biblstruct"}
_PARA_NAMES = {"p", "para", "simple-para", "simplepara", "paragraph", "abstract", "summary", "description", "text"}


def _prolog(data: bytes) -> str:
    """The text before the root element, decoded well enough to read markup declarations."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:262144].decode("utf-16", errors="replace")
    else:
        head = data[:262144].decode("latin-1")
    head = re.sub(r"<!--.*?-->", "", head, flags=re.DOTALL)
    found = _DOCTYPE.search(head)
    return found.group(0) if found else ""


def check_safe(path: Path, data: bytes) -> set[str]:
    """Raise UnsafeXMLError if the DOCTYPE declares entities that would expand (see module doc).

    Returns the names of the (unused, harmless) parameter entities the DOCTYPE declares.
    """
    doctype = _prolog(data)
    if not doctype:
        if b"<!ENTITY" in data[:262144]:
            raise UnsafeXMLError(path, "entity declarations outside a readable DOCTYPE; refusing to parse")
        return set()
    general = _GENERAL_ENTITY.search(doctype)
    if general:
        raise UnsafeXMLError(
            path, f"the DOCTYPE declares entity '{general.group('name')}' (entity expansion/external entities are refused)"
        )
    ref = _PARAM_REF.search(doctype)
    if ref:
        raise UnsafeXMLError(path, f"the DOCTYPE uses parameter entity '%{ref.group('name')};' (refused: would load or expand a definition)")
    return set(_PARAM_DECL.findall(doctype))


def parse_xml(path: Path, data: bytes) -> etree._Element:
    """Check, then parse without entity resolution, DTD loading or network access."""
    declared_params = check_safe(path, data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise CorruptFileError(path, f"malformed XML at line {line}, column {column}: {exc.msg}") from None
    if root is None:
        raise CorruptFileError(path, "XML has no root element")
    _replace_entity_refs(root)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            if entity.name in declared_params:
                continue
            # Only reached if the pre-scan could not see the DOCTYPE (odd encodings).
            raise UnsafeXMLError(path, f"the DOCTYPE declares entity '{entity.name}' (refused)")
    return root


def _replace_entity_refs(root: etree._Element) -> None:
    """Turn references to undeclared named entities (``&nbsp;``, ``&alpha;``) into their characters.

    They occur when a file names an external DTD that is deliberately not loaded (JATS, patents).
    lxml keeps them as entity nodes whose text is the literal ``&nbsp;``; the characters come
    from the fixed HTML5 table, never from a declaration in the file, so nothing can expand.
    Unknown names become nothing rather than markup.
    """
    for ref in list(root.iter(etree.Entity)):
        char = html.entities.html5.get(f"{ref.name};", "") + (ref.tail or "")
        parent = ref.getparent()
        if parent is None:
            continue
        prev = ref.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + char
        else:
            parent.text = (parent.text or "") + char
        parent.remove(ref)


def read_xml(path: Path, data: bytes, info: DocumentInfo) -> Document:
    """Read one article XML file into a Document (format chosen from the root element)."""
    if _XHTML.search(data[:4096]):
        # XHTML whose <html> came too late for the sniffer: an HTML page, read as one.
        from lit.extract.readers.html import read_html

        check_safe(path, data)
        info.format = "html"
        return read_html(path, data, info)
    root = parse_xml(path, data)
    builder = DocumentBuilder(info)
    name = local(root)
    article = _find_article(root)
    if name in {"full-text-retrieval-response", "article"} and root.nsmap.get("ce") or _has(root, "ja", "article"):
        read_elsevier(root, builder)
    elif article is not None:
        read_jats(article, builder)
    elif name in {"Article", "Publisher", "Journal"} or root.find(".//ArticleInfo") is not None:
        read_app(root, builder)
    elif name.startswith("us-patent") or name in {"patent-document", "patent-application-publication"}:
        read_patent(root, builder)
    else:
        read_generic(root, builder)
    return builder.build()


def _has(root: etree._Element, prefix: str, name: str) -> bool:
    ns = root.nsmap.get(prefix)
    return bool(ns) and root.find(f".//{{{ns}}}{name}") is not None


def _find_article(root: etree._Element) -> etree._Element | None:
    """The JATS ``article`` element: the root itself, or inside an API wrapper (Springer, Europe PMC)."""
    if local(root) == "article" and root.find("front") is not None:
        return root
    for el in root.iter("article"):
        if el.find("front") is not None or el.find("body") is not None:
            return el
    return None


def read_generic(root: etree._Element, builder: DocumentBuilder) -> None:
    """Any other XML: title-like elements start sections, paragraph-like ones are paragraphs.

    Reference lists are skipped (their entries are full of ``title`` elements that would each
    open a section). If the file has neither titles nor paragraphs, every element's own text
    becomes a paragraph, so an unknown format still yields searchable text instead of nothing.
    """
    found = False
    skip: set[etree._Element] = set()
    for el in root.iter():
        tag = local(el).lower()
        if not tag or el in skip:
            continue
        if tag in _BIBLIOGRAPHY_NAMES:
            skip.update(el.iterdescendants())
            continue
        if tag in _TITLE_NAMES:
            text = " ".join("".join(el.itertext()).split())
            if tag in {"title", "article-title", "articletitle"} and not builder.info.title:
                builder.set_title(text)
            elif text:
                builder.start_section(text)
            found = True
        elif tag in _PARA_NAMES:
            if any(local(d).lower() in _PARA_NAMES | _TITLE_NAMES for d in el.iterdescendants()):
                continue  # a container (TEI <text>, an <abstract> of <p>s): its parts come next
            builder.add_paragraph("".join(el.itertext()))
            found = True
    if not found:
        for el in root.iter():
            if local(el) and el.text and el.text.strip():
                builder.add_paragraph(el.text)
