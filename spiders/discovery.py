"""How the `news` spider finds articles and tells them from index pages.

Pure functions over URLs and parsed pages, so they are testable without a crawl. The
signals are generic (URL shape, Open Graph / JSON-LD types, how many teaser links a page
has), never per-site rules.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from parsel import Selector

# Path segments that mark listing pages on most CMSes (WordPress, Drupal, Ghost, newsroom CMSes).
INDEX_SEGMENTS = frozenset(
    {
        "tag", "tags", "category", "categories", "topic", "topics", "author", "authors",
        "section", "sections", "page", "search", "archive", "archives", "feed", "label",
        "people", "contributors", "about", "contact", "subscribe", "login", "register",
    }
)  # fmt: skip
ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
     "socialmediaposting", "discussionforumposting", "report", "scholarlyarticle"}
)  # fmt: skip

_DATE_IN_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])(/|-)")
_NUMERIC_ID = re.compile(r"[/-]\d{5,}(?:[/.-]|$)")
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){3,}")


def url_article_score(url: str) -> int:
    """Positive when the URL looks like an article, negative like a listing, 0 unsure."""
    path = urlsplit(url).path.lower()
    segments = [s for s in path.split("/") if s]
    if not segments:
        return -2  # the home page
    if any(s in INDEX_SEGMENTS for s in segments):
        return -2
    score = 0
    if _DATE_IN_PATH.search(path):
        score += 2
    if _NUMERIC_ID.search(path):
        score += 2  # CMS story ids: /article-123456789.html, /news/2049318/
    last = segments[-1].rsplit(".", 1)[0]
    if _SLUG.fullmatch(last):
        score += 2
    if len(segments) == 1 and not _SLUG.fullmatch(last):
        score -= 1  # /world/, /science/: section fronts
    return score


def page_is_article(url: str, sel: Selector) -> bool:
    """Decide from page features first (publishers label their articles), URL shape second."""
    og_type = (sel.xpath("//meta[@property='og:type']/@content").get() or "").strip().lower()
    if og_type == "article":
        return True
    if og_type in {"website", "profile", "blog"} and url_article_score(url) < 2:
        return False
    types = jsonld_types(sel)
    if types & ARTICLE_TYPES:
        return True
    if types & {"collectionpage", "itempage", "profilepage", "searchresultspage", "website"}:
        return False
    if sel.xpath("//meta[@property='article:published_time']"):
        return True
    # Listing pages show many teasers: several <article> elements or many headline links.
    if len(sel.xpath("//article")) >= 3:
        return False
    return url_article_score(url) >= 2


def jsonld_types(sel: Selector) -> set[str]:
    types: set[str] = set()
    for raw in sel.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                for k in kind if isinstance(kind, list) else [kind]:
                    if isinstance(k, str):
                        types.add(k.lower())
                stack.extend(v for key, v in node.items() if key == "@graph")
    return types


def feed_links(sel: Selector) -> list[str]:
    return sel.xpath(
        "//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"
    ).getall()


def looks_like_feed(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
