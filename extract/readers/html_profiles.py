"""What each publisher's article HTML looks like: containers, headings, captions, boilerplate.

A :class:`Profile` is data, not code: class names and XPath expressions that tell the
generic walker (``html_walk``) where the article is and which elements play which role. One
walker serves every publisher, so a new publisher (or a redesign of an old one) is a new
profile entry, not a new parser. The class names come from the publishers' own markup as
seen in saved article pages; the generic profile covers any other page with ``h1``-``h6``,
``p``, ``figcaption`` and ``table``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

#: Class/id words that mark page chrome rather than article content (generic pages).
_BOILER_WORDS = frozenset(
    "nav navbar navigation menu breadcrumb breadcrumbs footer header masthead sidebar cookie "
    "cookies banner advert advertisement ads share sharing social toolbar skip popup modal "
    "related recommended login signin subscribe newsletter comments references bibliography reflist "
    "citations footnotes".split()
)
_WORDS = re.compile(r"[^a-z0-9]+")


def class_tokens(el: etree._Element) -> set[str]:
    """The element's class names, lower-cased (``class="a  B"`` -> ``{"a", "b"}``)."""
    return set((el.get("class") or "").lower().split())


def _words(el: etree._Element) -> set[str]:
    """Words of class and id split on punctuation: ``c-article-header`` -> article, header."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return set(_WORDS.split(raw)) - {""}


@dataclass(frozen=True)
class Profile:
    """Roles of elements in one publisher's article pages (see module docstring)."""

    name: str
    #: XPath expressions for the article body containers, tried in order; all matches are walked.
    containers: tuple[str, ...] = ()
    #: XPath expressions for abstract containers (walked first, under an "Abstract" heading).
    abstracts: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    #: XPath expressions for elements to leave out that no class name identifies on its own.
    drop_xpath: tuple[str, ...] = ()
    #: Whole elements to leave out by tag (page chrome on generic pages: header, footer, aside).
    drop_tags: frozenset[str] = frozenset()
    drop_classes: frozenset[str] = frozenset()
    drop_ids: frozenset[str] = frozenset()
    #: Class name -> heading level, for headings that are not h1-h6 (ACS ``span.title2``).
    heading_classes: dict[str, int] = field(default_factory=dict)
    caption_classes: frozenset[str] = frozenset()
    table_wrap_classes: frozenset[str] = frozenset()
    table_caption_classes: frozenset[str] = frozenset()
    #: Tables inside elements of these classes are layout (figure frames, equations), not data.
    layout_classes: frozenset[str] = frozenset()
    citation_classes: frozenset[str] = frozenset()
    #: Drop elements whose class/id words look like page chrome (only safe outside a known container).
    drop_boilerplate_words: bool = True

    def is_dropped(self, el: etree._Element) -> bool:
        if class_tokens(el) & self.drop_classes or (el.get("id") or "").lower() in self.drop_ids:
            return True
        if self.drop_boilerplate_words and el.tag in {"div", "section", "aside", "ul", "ol", "p", "span"}:
            return bool(_words(el) & _BOILER_WORDS)
        return False

    def heading_level(self, el: etree._Element) -> int:
        for cls in class_tokens(el):
            if cls in self.heading_classes:
                # A class heading inside a table wrapper is a table caption, not a section.
                if any(class_tokens(a) & (self.table_wrap_classes | self.table_caption_classes) for a in el.iterancestors()):
                    return 0
                return self.heading_classes[cls]
        return 0

    def is_heading(self, el: etree._Element) -> bool:
        return self.heading_level(el) > 0

    def is_caption(self, el: etree._Element) -> bool:
        return bool(class_tokens(el) & self.caption_classes)

    def is_table_wrap(self, el: etree._Element) -> bool:
        return bool(class_tokens(el) & self.table_wrap_classes)

    def is_table_caption(self, el: etree._Element) -> bool:
        return el.tag == "caption" or bool(class_tokens(el) & self.table_caption_classes)

    def is_layout_table(self, table: etree._Element) -> bool:
        if (table.get("role") or "").lower() == "presentation":
            return True
        return any(class_tokens(a) & self.layout_classes for a in table.iterancestors()) or any(
            class_tokens(td) & self.layout_classes for td in table.iter("td")
        )

    def is_citation(self, el: etree._Element) -> bool:
        return bool(class_tokens(el) & self.citation_classes)


RSC = Profile(
    name="rsc",
    containers=("//div[@id='wrapper']", "//div[@id='pnlArticleContent']"),
    abstracts=("//p[@class='abstract']",),
    drop_xpath=("//p[@class='bold italic']", "//table[.//td[@class='biogPlate']]"),
    title=("//h1",),
    drop_classes=frozenset({"left_head", "right_head", "article_info", "header_text", "hrule", "table_footnote"}),
    drop_ids=frozenset({"art-admin", "crossmark-dialog"}),
    heading_classes={},
    caption_classes=frozenset({"image_title", "graphic_title"}),
    table_caption_classes=frozenset({"table_caption"}),
    layout_classes=frozenset({"image_table", "imgholder", "eqn", "lefteqn", "righteqn"}),
    citation_classes=frozenset({"sup_ref"}),
    drop_boilerplate_words=False,
)

ACS = Profile(
    name="acs",
    containers=("//div[contains(@class,'hlFld-Fulltext')]", "//div[contains(@class,'article_content-left')]"),
    abstracts=("//div[@id='abstractBox']", "//p[contains(@class,'articleBody_abstractText')]"),
    title=("//h1[contains(@class,'articleTitle')]", "//h1[contains(@class,'article_header-title')]"),
    drop_classes=frozenset({"anchors", "nlm_table-wrap-foot", "figure-links", "ref-list", "nlm_back"}),
    heading_classes={"title2": 3},
    caption_classes=frozenset({"hlfld-figurecaption", "caption"}),
    table_wrap_classes=frozenset({"nlm_table-wrap"}),
    table_caption_classes=frozenset({"nlm_caption"}),
    citation_classes=frozenset({"ref"}),
    drop_boilerplate_words=False,
)

ELSEVIER = Profile(
    name="elsevier",
    containers=("//div[@id='body']", "//div[contains(@class,'Body')]"),
    abstracts=("//div[contains(@class,'abstract') and contains(@class,'author')]", "//div[@id='abstracts']"),
    title=("//span[contains(@class,'title-text')]", "//h1"),
    drop_classes=frozenset({"download-link", "article-toolbar", "references", "bibliography", "legend"}),
    caption_classes=frozenset({"captions"}),
    table_wrap_classes=frozenset({"tables"}),
    table_caption_classes=frozenset({"captions"}),
    citation_classes=frozenset({"workspace-trigger"}),
    drop_boilerplate_words=False,
)

SPRINGER = Profile(
    name="springer",
    containers=("//div[contains(@class,'c-article-body')]", "//div[contains(@class,'FulltextWrapper')]", "//article"),
    abstracts=(),
    title=("//h1[contains(@class,'c-article-title')]", "//h1"),
    drop_classes=frozenset(
        {"c-article-section__figure-link", "c-article-table-footer", "c-article-references", "c-article-recommendations",
         "c-article-buy-box", "c-article-share-box", "u-hide-print", "c-article-metrics-bar"}
    ),
    caption_classes=frozenset({"c-article-section__figure-caption", "c-article-section__figure-description"}),
    table_wrap_classes=frozenset({"c-article-table", "table"}),
    table_caption_classes=frozenset({"c-article-table__title", "c-article-table-title", "caption"}),
    drop_boilerplate_words=False,
)

WILEY = Profile(
    name="wiley",
    containers=("//section[contains(@class,'article-section__full')]", "//div[contains(@class,'article__body')]"),
    abstracts=("//section[contains(@class,'article-section__abstract')]",),
    title=("//h1[contains(@class,'citation__title')]", "//h1"),
    drop_classes=frozenset({"figure-extra", "article-section__references", "article-table-content-wrapper-footer", "bibliography"}),
    caption_classes=frozenset({"figure__caption"}),
    table_wrap_classes=frozenset({"article-table-content"}),
    table_caption_classes=frozenset({"article-table-caption"}),
    citation_classes=frozenset({"biblink"}),
    drop_boilerplate_words=False,
)

GENERIC = Profile(
    name="generic",
    containers=("//article", "//main", "//*[@role='main']", "//body"),
    title=("//h1",),
    drop_tags=frozenset({"header", "footer", "aside"}),
    caption_classes=frozenset({"figure-caption", "fig-caption", "figcaption"}),
    table_wrap_classes=frozenset({"table-wrap", "table", "tables", "table-container"}),
    table_caption_classes=frozenset({"caption", "table-caption", "table-title"}),
)

PROFILES = (RSC, ACS, ELSEVIER, SPRINGER, WILEY)

#: DOI prefixes and publisher-name words that identify a profile when markup alone is unclear.
_BY_DOI = {"10.1039": RSC, "10.1021": ACS, "10.1016": ELSEVIER, "10.1007": SPRINGER, "10.1038": SPRINGER,
           "10.1186": SPRINGER, "10.1002": WILEY, "10.1111": WILEY}
_BY_PUBLISHER = (("royal society of chemistry", RSC), ("american chemical society", ACS), ("elsevier", ELSEVIER),
                 ("springer", SPRINGER), ("nature", SPRINGER), ("wiley", WILEY))


def choose_profile(root: etree._Element, publisher: str | None, doi: str | None) -> Profile:
    """The publisher profile whose article container is on the page; else the generic one.

    The publisher's name or DOI prefix picks a candidate, which is used only if one of its
    containers exists (a publisher's old and new page designs differ); otherwise every profile's
    containers are tried, then the generic profile.
    """
    candidates: list[Profile] = []
    name = (publisher or "").lower()
    candidates += [p for word, p in _BY_PUBLISHER if word in name]
    if doi:
        prefix = doi.split("/", 1)[0]
        if prefix in _BY_DOI:
            candidates.append(_BY_DOI[prefix])
    candidates += [p for p in PROFILES if p not in candidates]
    for profile in candidates:
        if any(root.xpath(x) for x in profile.containers if x != "//article"):
            return profile
    return GENERIC
