"""Page metadata (title, authors, date, site name, canonical URL, tags, description) with
trafilatura's metadata extractors and htmldate.

Why not `trafilatura.extract_metadata` as a whole: it also runs the category/tag and
licence heuristics that scan the whole page (≈ 40 % of its time on the benchmark pages)
and htmldate's extensive search, which parses every date-looking string of the page. The
pieces kept here are the ones that read what a news page declares about itself (meta
tags, JSON-LD, <title>/<h1>, byline markup, <time>/URL dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata as tm

from cleaning.html_select import PageIndex
from cleaning.types import Metadata

__all__ = ["PageMetadata", "extract_page_metadata"]

# htmldate as trafilatura calls it: meta tags, JSON-LD, <time>, URL, then (extensive search)
# date-shaped strings of the page; `original_date` prefers publication over modification.
# The extensive search finds the date on more news pages than it costs (bench/RESULTS.md).
_DATE_PARAMS = {"extensive_search": True, "original_date": True}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Title plus the contract's Metadata, read from one parsed page."""

    title: str | None
    metadata: Metadata


def extract_page_metadata(
    tree: HtmlElement, url: str | None, language: str | None, index: PageIndex | None = None
) -> PageMetadata:
    """Read the page's declared metadata. Must run before a body extractor modifies the
    tree. Never raises: a part that fails is left empty. With a PageIndex built with
    `PAGE_SELECTORS`, the byline is read from it instead of trafilatura's author XPaths."""
    doc = tm.examine_meta(tree)
    if doc.author and " " not in doc.author:  # single tokens are handles, not names
        doc.author = None
    try:
        doc = tm.extract_meta_json(tree, doc)
    except Exception:  # trafilatura's JSON-LD reader trips on odd structures; keep meta tags
        pass
    title = doc.title or tm.extract_title(tree)
    # trafilatura's author XPaths first (they know more CMS bylines), then byline classes.
    author = (
        doc.author
        or tm.extract_author(tree)
        or (byline_author(index) if index is not None else None)
    )
    canonical = doc.url or tm.extract_url(tree, url)
    try:
        date = find_date(
            tree,
            url=canonical or url,
            max_date=datetime.now().astimezone().strftime("%Y-%m-%d"),
            **_DATE_PARAMS,
        )
    except Exception:  # htmldate on broken markup; the date is optional
        date = None
    site = doc.sitename or tm.extract_sitename(tree)
    if site:
        site = site.lstrip("@")
    authors = [a.strip() for a in (author or "").split(";") if a.strip()]
    tags = list(dict.fromkeys([*(doc.tags or []), *(doc.categories or [])]))
    return PageMetadata(
        _clean(title),
        Metadata(
            authors=authors,
            published=date,
            language=doc.language or language,
            site_name=_clean(site),
            canonical_url=canonical,
            tags=[t for t in (_clean(tag) for tag in tags) if t],
            description=_clean(doc.description),
        ),
    )


# Byline markup, most specific first: microformats/microdata/rel=author, then the class
# names CMS themes give bylines. Used when meta tags and JSON-LD name no author, instead of
# trafilatura's author XPaths, which cost ~5 ms a page (a third of all our metadata time).
BYLINE_SELECTORS = (
    "[itemprop=author] [itemprop=name]",
    "[rel=author]",
    ".byline .author",
    ".author .fn",
    ".byline .fn",
    ".author-name",
    ".byline__name",
    ".c-byline__author",
    ".post-author",
    ".entry-author",
    ".article-author",
    "[itemprop=author]",
    ".author",
    ".byline",
)
PAGE_SELECTORS = BYLINE_SELECTORS
_BY_PREFIX = re.compile(r"^(?:by|written by|posted by|von|par|por|di)\s*:?\s+", re.IGNORECASE)


def byline_author(index: PageIndex) -> str | None:
    """The first byline-looking element's text: 2-12 words, not a sentence."""
    for selector in BYLINE_SELECTORS:
        for el in index.select(selector):
            text = _BY_PREFIX.sub("", _clean(el.text_content()) or "")
            words = text.split()
            if 2 <= len(words) <= 12 and not text.endswith((".", "!", "?")):
                # trafilatura's normaliser: "A and B" -> "A; B", drops "Staff writer" etc.
                return tm.normalize_authors(None, text)
    return None


def _clean(text: str | None) -> str | None:
    return _SPACE.sub(" ", text).strip() or None if text else None
