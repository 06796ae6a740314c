"""The article XML formats lit reads: element names (a Schema each) and where metadata lives.

Each ``read_*`` function fills ``builder.info`` (title, authors, DOI, journal, year) from the
format's front matter and walks its body with :class:`~lit.extract.readers.xml_walk.XmlWalker`.
Titles are read with the walker too, so ``CH<sub>3</sub>NH<sub>3</sub>PbI<sub>3</sub>`` in a
title stays one word.
"""

from __future__ import annotations

import re

from lxml import etree

from lit.extract.document import DocumentBuilder
from lit.extract.readers.xml_walk import Schema, XmlWalker, local

_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_DOI = re.compile(r"10\.\d{4,9}/\S+")

JATS = Schema(
    name="jats",
    sections=frozenset({"sec", "ack", "app", "abstract", "trans-abstract", "glossary"}),
    titles=frozenset({"title"}),
    paragraphs=frozenset({"p"}),
    figures=frozenset({"fig"}),
    table_wraps=frozenset({"table-wrap"}),
    lists=frozenset({"list", "list-item", "def-list", "def-item", "fig-group", "table-wrap-group"}),
    drop=frozenset({"ref-list", "tex-math", "object-id", "graphic", "inline-graphic", "media", "fn-group",
                    "permissions", "alt-text", "kwd-group", "sec-meta", "supplementary-material"}),
    xrefs=frozenset({"xref"}),
    blocks=frozenset({"disp-quote", "boxed-text", "statement", "verse-group"}),
    default_titles={"ack": "Acknowledgements", "app": "Appendix", "abstract": "Abstract"},
)

ELSEVIER = Schema(
    name="elsevier",
    sections=frozenset({"section", "abstract", "acknowledgment", "appendices"}),
    titles=frozenset({"section-title"}),
    paragraphs=frozenset({"para", "simple-para"}),
    figures=frozenset({"figure"}),
    table_wraps=frozenset({"table"}),
    lists=frozenset({"list", "list-item", "abstract-sec", "sections", "textbox"}),
    drop=frozenset({"bibliography", "keywords", "alt-text", "link", "e-address", "table-footnote", "legend",
                    "further-reading"}),
    xrefs=frozenset({"cross-ref", "cross-refs"}),
    spaces=frozenset({"br", "hsp"}),
)

APLUSPLUS = Schema(
    name="a++",
    sections=frozenset({f"Section{i}" for i in range(1, 7)} | {"Abstract", "Acknowledgments", "Appendix"}),
    titles=frozenset({"Heading"}),
    paragraphs=frozenset({"Para", "SimplePara"}),
    figures=frozenset({"Figure"}),
    table_wraps=frozenset({"Table"}),
    captions=frozenset({"Caption"}),
    labels=frozenset(),
    lists=frozenset({"UnorderedList", "OrderedList", "ListItem", "ItemContent", "FormalPara"}),
    drop=frozenset({"Bibliography", "MediaObject", "ArticleNote", "KeywordGroup", "InlineEquationSource"}),
    xrefs=frozenset({"CitationRef"}),
)

PATENT = Schema(
    name="patent",
    sections=frozenset(),
    titles=frozenset({"heading"}),
    paragraphs=frozenset({"p", "claim-text"}),
    table_wraps=frozenset({"tables"}),
    lists=frozenset({"ul", "ol", "li", "dl", "dd", "dt"}),
    drop=frozenset({"img", "chemistry", "figref-list"}),
    xrefs=frozenset(),
)


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _year(value: str | None) -> int | None:
    found = _YEAR.search(value or "")
    return int(found.group(1)) if found else None


def _doi(value: str | None) -> str | None:
    found = _DOI.search(value or "")
    return found.group(0).rstrip(".,;") if found else None


def _first(root: etree._Element, names: set[str]) -> etree._Element | None:
    return next((e for e in root.iter() if local(e) in names), None)


# -- JATS -------------------------------------------------------------------------------------------
def read_jats(article: etree._Element, builder: DocumentBuilder) -> None:
    """JATS/NLM (PMC ``.nxml``, Springer's JATS API, Europe PMC): front, body, back."""
    info = builder.info
    walker = XmlWalker(builder, JATS)
    meta = article.find("front/article-meta")
    if meta is not None:
        title = meta.find("title-group/article-title")
        if title is not None:
            builder.set_title(walker.text(title))
        for contrib in meta.iter("contrib"):
            if contrib.get("contrib-type", "author") != "author":
                continue
            name = contrib.find("name")
            if name is not None:
                given, surname = _text(name.find("given-names")), _text(name.find("surname"))
                info.authors.append(" ".join(p for p in (given, surname) if p))
            elif contrib.find("collab") is not None:
                info.authors.append(_text(contrib.find("collab")))
            elif contrib.find("string-name") is not None:
                info.authors.append(_text(contrib.find("string-name")))
        for aid in meta.iter("article-id"):
            if aid.get("pub-id-type") == "doi":
                info.doi = _doi(aid.text) or info.doi
        info.year = _jats_year(meta)
    info.journal = _text(article.find("front/journal-meta//journal-title")) or None
    if info.doi is None:  # API wrappers state it next to the article ("doi:10.1186/...")
        root = article.getroottree().getroot()
        for el in root.iter():
            if local(el) in {"query", "doi", "identifier"} and _doi(el.text):
                info.doi = _doi(el.text)
                break
    if meta is not None:
        for abstract in meta.findall("abstract"):
            if abstract.get("abstract-type") in {"graphical", "teaser", "toc"}:
                continue
            walker.section(abstract)
    for part in ("body", "back", "floats-group"):
        el = article.find(part)
        if el is not None:
            walker.walk_part(el)


def _jats_year(meta: etree._Element) -> int | None:
    dates = meta.findall("pub-date")
    preferred = ("epub", "ppub", "pub", "epub-ppub", "collection")
    dates.sort(key=lambda d: preferred.index(d.get("pub-type") or d.get("date-type") or "")
               if (d.get("pub-type") or d.get("date-type")) in preferred else len(preferred))
    for date in dates:
        year = _year(date.findtext("year"))
        if year:
            return year
    return None


# -- Elsevier ----------------------------------------------------------------------------------------
def read_elsevier(root: etree._Element, builder: DocumentBuilder) -> None:
    """Elsevier full-text XML (the API's ``full-text-retrieval-response`` or a bare ``ja:article``)."""
    info = builder.info
    core = _first(root, {"coredata"})
    article = _first(root, {"article", "simple-article", "converted-article"})
    floats = {}
    if article is not None:
        for holder in (e for e in article.iter() if local(e) == "floats"):
            for item in holder:
                if local(item) and item.get("id"):
                    floats[item.get("id")] = item
    walker = XmlWalker(builder, ELSEVIER, floats)
    head = next((e for e in article.iter() if local(e) == "head"), None) if article is not None else None
    title = _first(head, {"title"}) if head is not None else None
    if title is not None:
        builder.set_title(walker.text(title))
    elif core is not None:
        builder.set_title(_text(_first(core, {"title"})))
    if head is not None:
        for author in (e for e in head.iter() if local(e) == "author"):
            given = _text(next((c for c in author if local(c) == "given-name"), None))
            surname = _text(next((c for c in author if local(c) == "surname"), None))
            if surname:
                info.authors.append(f"{given} {surname}".strip())
    if core is not None:
        if not info.authors:
            info.authors = [_text(c) for c in core if local(c) == "creator"]
        info.doi = _doi(_text(next((c for c in core if local(c) == "doi"), None)))
        info.journal = _text(next((c for c in core if local(c) == "publicationName"), None)) or None
        info.year = _year(_text(next((c for c in core if local(c) == "coverDate"), None)))
    if info.doi is None and article is not None:
        info.doi = _doi(_text(_first(article, {"doi"})))
    if head is not None:
        for abstract in (c for c in head if local(c) == "abstract"):
            walker.section(abstract)
    if article is not None:
        for part in (c for c in article if local(c) in {"body", "back"}):
            walker.walk_part(part)
    for fid, item in floats.items():  # floats no paragraph anchored: keep them, at the end
        if fid not in walker.placed:
            walker.placed.add(fid)
            walker.block(item)


# -- Springer A++ ------------------------------------------------------------------------------------
def read_app(root: etree._Element, builder: DocumentBuilder) -> None:
    """Springer A++ (``Publisher/Journal/.../Article`` or a bare ``Article``)."""
    info = builder.info
    walker = XmlWalker(builder, APLUSPLUS)
    article = root if local(root) == "Article" else next(root.iter("Article"), root)
    title = article.find("ArticleInfo/ArticleTitle")
    if title is not None:
        builder.set_title(walker.text(title))
    info.doi = _doi(article.findtext("ArticleInfo/ArticleDOI"))
    info.journal = _text(next(root.iter("JournalTitle"), None)) or None
    for tag in ("OnlineDate", "PrintDate", "CoverDate", "RegistrationDate"):
        date = next(article.iter(tag), None)
        if date is not None and _year(date.findtext("Year")):
            info.year = _year(date.findtext("Year"))
            break
    for author in article.iter("Author"):
        name = author.find("AuthorName")
        if name is not None:
            given = " ".join(_text(g) for g in name.findall("GivenName"))
            info.authors.append(f"{given} {_text(name.find('FamilyName'))}".strip())
    header = article.find("ArticleHeader")
    if header is not None:
        for abstract in header.findall("Abstract"):
            walker.section(abstract)
    for part in ("Body", "BodyFrontmatter"):
        el = article.find(part)
        if el is not None:
            walker.walk_part(el)
    back = article.find("ArticleBackmatter")
    if back is not None:
        for ack in back.iter("Acknowledgments"):
            walker.section(ack)


# -- USPTO patents -----------------------------------------------------------------------------------
def read_patent(root: etree._Element, builder: DocumentBuilder) -> None:
    """USPTO grant/application XML (v4.x): title, abstract, description headings and paragraphs, claims."""
    info = builder.info
    walker = XmlWalker(builder, PATENT)
    biblio = next((e for e in root if local(e).startswith("us-bibliographic-data")), root)
    title = biblio.find("invention-title")
    if title is not None:
        builder.set_title(walker.text(title))
    info.year = _year(biblio.findtext("publication-reference/document-id/date"))
    people = biblio.findall(".//inventors/inventor") or [
        a for a in biblio.findall(".//applicants/applicant") if "inventor" in (a.get("app-type") or "")
    ]
    for person in people:
        book = person.find("addressbook")
        if book is not None:
            first, last = _text(book.find("first-name")), _text(book.find("last-name"))
            info.authors.append(f"{first} {last}".strip() or _text(book.find("orgname")))
    abstract = root.find("abstract")
    if abstract is not None:
        builder.start_section("Abstract")
        walker.walk(abstract)
    description = root.find("description")
    if description is not None:
        first = next((c for c in description if local(c)), None)
        if first is not None and local(first) != "heading":
            builder.start_section("Description")  # text before the first heading is not abstract
        for el in description.iter():
            tag = local(el)
            if tag == "heading":
                builder.start_section(walker.text(el))
            elif tag == "p" and not any(local(a) == "p" for a in el.iterancestors()):
                walker.walk(el)
    claims = root.find("claims")
    if claims is not None:
        builder.start_section("Claims")
        for claim in claims.findall("claim"):
            builder.add_paragraph(walker.text(claim))
