"""The bundled demo site (tests/fixtures/demo_site) agrees with its own labels, EXPECTED.json.

The end-to-end tests and `make demo` trust these labels, so a page edit that breaks them
(a lost comment, a dead link, an article that became reachable by links) must fail here,
with a message saying which file to fix.
"""

from __future__ import annotations

import difflib
import json
import re
import struct
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

SITE = Path(__file__).resolve().parent / "fixtures" / "demo_site"
EXPECTED: dict[str, Any] = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES: list[dict[str, Any]] = EXPECTED["articles"]
BASE = "http://127.0.0.1:8765"  # any host:port; the server substitutes its own for __BASE__

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Which attributes of which tags a browser (or crawler) would fetch from the same site.
REFERENCE_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src"}


def file_for(path: str) -> Path:
    """The file a plain static server answers `path` with (directories -> index.html)."""
    rel = urlsplit(path).path.lstrip("/")
    target = SITE / rel
    return target / "index.html" if rel == "" or path.endswith("/") else target


def soup_for(path: str) -> BeautifulSoup:
    return BeautifulSoup(file_for(path).read_text(encoding="utf-8"), "lxml")


def html_paths() -> list[str]:
    paths = []
    for f in sorted(SITE.rglob("*.html")):
        rel = f.relative_to(SITE).as_posix()
        paths.append(
            "/" + rel.removesuffix("index.html") if rel.endswith("index.html") else "/" + rel
        )
    return paths


def internal_refs(page: str, tags: dict[str, str] = REFERENCE_ATTRS) -> set[str]:
    """Root-relative paths (query and fragment dropped) referenced by `page` on this site."""
    refs = set()
    for tag, attr in tags.items():
        for el in soup_for(page).find_all(tag):
            value = el.get(attr)
            if not value:
                continue
            parts = urlsplit(urljoin(page, value))
            if parts.scheme or parts.netloc:
                continue  # off-site (share buttons, analytics) or mailto:
            refs.add(parts.path)
    return refs


def substituted(name: str) -> str:
    return (SITE / name).read_text(encoding="utf-8").replace("__BASE__", BASE)


def site_path(url: str) -> str:
    assert url.startswith(BASE + "/"), f"{url!r} does not start with __BASE__/"
    return url[len(BASE) :]


def feed_paths() -> list[str]:
    root = ET.fromstring(substituted("feed.xml"))
    return [site_path(link.text or "") for link in root.iter("link") if link.text]


def sitemap_paths(name: str) -> list[str]:
    root = ET.fromstring(substituted(name))
    return [site_path(loc.text or "") for loc in root.findall(".//sm:loc", SITEMAP_NS)]


def link_crawl() -> set[str]:
    """Every page a crawler reaches from / by following <a href>, obeying robots.txt."""
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(substituted("robots.txt").splitlines())
    seen, queue = {"/"}, deque(["/"])
    while queue:
        page = queue.popleft()
        for ref in internal_refs(page, {"a": "href"}):
            if ref in seen:
                continue
            seen.add(ref)
            allowed = robots.can_fetch("*", BASE + ref)
            if allowed and file_for(ref).suffix == ".html" and file_for(ref).is_file():
                queue.append(ref)
    return seen


def words(text: str) -> str:
    return " ".join(text.split())


def by_via(via: str) -> set[str]:
    return {a["path"] for a in ARTICLES if a["discovered_via"] == via}


# ----------------------------------------------------------------------------- files and links


def test_every_labelled_path_exists_and_every_broken_path_does_not() -> None:
    present = (
        [a["path"] for a in ARTICLES]
        + EXPECTED["non_articles"]
        + EXPECTED["robots_disallowed"]
        + EXPECTED["non_html"]
    )
    missing = [p for p in present if not file_for(p).is_file()]
    assert missing == [], f"labelled in EXPECTED.json but no file: {missing}"
    existing = [p for p in EXPECTED["broken"] if file_for(p).exists()]
    assert existing == [], f"labelled broken but a file exists: {existing}"


def test_every_html_page_is_labelled_exactly_once() -> None:
    labelled = (
        [a["path"] for a in ARTICLES] + EXPECTED["non_articles"] + EXPECTED["robots_disallowed"]
    )
    assert len(labelled) == len(set(labelled)), "a path appears under two labels"
    assert sorted(labelled) == sorted(html_paths())


@pytest.mark.parametrize("page", html_paths())
def test_internal_references_resolve_or_are_labelled_broken(page: str) -> None:
    dead = sorted(
        ref
        for ref in internal_refs(page)
        if not file_for(ref).is_file() and ref not in EXPECTED["broken"]
    )
    assert dead == [], f"{page} references missing files {dead}"


def test_broken_link_is_linked_from_some_page() -> None:
    linked = set().union(*(internal_refs(p, {"a": "href"}) for p in html_paths()))
    assert set(EXPECTED["broken"]) <= linked


def test_non_html_files_are_a_real_pdf_and_png_linked_by_anchor() -> None:
    pdf = file_for("/files/annual-report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    xref_at = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[xref_at:].startswith(b"xref"), "startxref offset must point at the xref table"
    png = file_for("/images/chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 0 and height > 0
    linked = set().union(*(internal_refs(p, {"a": "href"}) for p in html_paths()))
    assert set(EXPECTED["non_html"]) <= linked


# ----------------------------------------------------------------------------- discovery


def test_link_crawl_reaches_link_articles_and_index_pages_but_not_hidden_ones() -> None:
    reached = link_crawl()
    assert by_via("links") <= reached
    assert set(EXPECTED["non_articles"]) <= reached
    assert not (by_via("feed") | by_via("sitemap")) & reached, "feed/sitemap-only article is linked"
    # the private article is linked (so robots.txt is what stops it) but never fetched
    assert set(EXPECTED["robots_disallowed"]) <= reached


def test_robots_txt_disallows_only_the_private_section() -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(substituted("robots.txt").splitlines())
    for path in EXPECTED["robots_disallowed"]:
        assert not robots.can_fetch("newsclean", BASE + path)
    for path in [a["path"] for a in ARTICLES] + EXPECTED["non_articles"]:
        assert robots.can_fetch("newsclean", BASE + path), path


def test_feed_is_rss2_and_holds_the_feed_only_article() -> None:
    root = ET.fromstring(substituted("feed.xml"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = [site_path(i.findtext("link") or "") for i in root.iter("item")]
    assert len(items) >= 5
    assert by_via("feed") and by_via("feed") <= set(items)
    assert not by_via("sitemap") & set(items)
    assert all(file_for(p).is_file() for p in items)
    assert all(p in {a["path"] for a in ARTICLES} for p in items)


def test_sitemap_index_points_to_sitemaps_holding_sitemap_only_article() -> None:
    root = ET.fromstring(substituted("sitemap.xml"))
    assert root.tag == f"{{{SITEMAP_NS['sm']}}}sitemapindex"
    children = sitemap_paths("sitemap.xml")
    assert children == ["/sitemap-articles.xml", "/sitemap-pages.xml"]
    listed = [p for child in children for p in sitemap_paths(child.lstrip("/"))]
    assert all(file_for(p).is_file() for p in listed)
    assert by_via("sitemap") and by_via("sitemap") <= set(listed)
    assert not by_via("feed") & set(listed)
    assert not set(EXPECTED["robots_disallowed"]) & set(listed)


def test_home_page_advertises_the_feed() -> None:
    link = soup_for("/").find("link", rel="alternate", type="application/rss+xml")
    assert isinstance(link, Tag) and link["href"] == "/feed.xml"


# ----------------------------------------------------------------------------- articles


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["path"])
def test_article_page_carries_its_labelled_metadata(article: dict[str, Any]) -> None:
    soup = soup_for(article["path"])

    def meta(**attrs: str) -> str | None:
        el = soup.find("meta", attrs=attrs)
        return el.get("content") if isinstance(el, Tag) else None  # type: ignore[return-value]

    assert soup.html is not None and soup.html.get("lang") == article["language"]
    assert soup.title is not None and soup.title.get_text().startswith(article["title"])
    assert meta(property="og:title") == article["title"]
    assert meta(name="author") == article["author"]
    assert meta(property="article:published_time") == article["published"]
    canonical = soup.find("link", rel="canonical")
    assert isinstance(canonical, Tag) and canonical["href"] == article["path"]
    h1 = soup.find_all("h1")
    assert [words(h.get_text()) for h in h1] == [article["title"]]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["path"])
def test_article_gold_body_is_on_the_page_and_article_sized(article: dict[str, Any]) -> None:
    paragraphs = article["body_paragraphs"]
    assert 4 <= len(paragraphs) <= 10
    assert sum(len(re.findall(r"\w+", p)) for p in paragraphs) >= 150
    page_paragraphs = {words(p.get_text()) for p in soup_for(article["path"]).find_all("p")}
    missing = [p[:60] for p in paragraphs if words(p) not in page_paragraphs]
    assert missing == [], f"gold paragraphs not found as <p> on the page: {missing}"
    assert words(paragraphs[0]).startswith(article["body_first_words"])
    assert words(paragraphs[-1]).endswith(article["body_last_words"])


def test_each_template_has_at_least_four_articles_and_its_cms_markup() -> None:
    selectors = {
        "wordpress": [
            "article.post", "h1.entry-title", "div.entry-content", "time.entry-date", "#comments",
        ],
        "campaign": [
            ".share-bar a[href*='facebook']", ".donation-banner", ".newsletter-signup",
            "#cookie-notice", ".related-teaser",
        ],
        "newsroom": [
            "main article", "p.byline", "div.article-body", "p.read-more", "aside.author-bio",
            "ul.tags", "p.editors-note", "aside.related-links",
        ],
    }  # fmt: skip
    for template, needed in selectors.items():
        pages = [a["path"] for a in ARTICLES if a["template"] == template]
        assert len(pages) >= 4, template
        for path in pages:
            soup = soup_for(path)
            absent = [s for s in needed if not soup.select(s)]
            assert absent == [], f"{path} ({template}) lacks {absent}"
    campaign_text = soup_for(
        next(a["path"] for a in ARTICLES if a["template"] == "campaign")
    ).get_text()
    assert "icon-facebook" in campaign_text and "Support independent journalism" in campaign_text


def test_url_shapes_and_languages_vary() -> None:
    paths = [a["path"] for a in ARTICLES]
    assert any(p.endswith(".html") for p in paths) and any(p.endswith("/") for p in paths)
    assert {a["language"] for a in ARTICLES} >= {"en", "de"}
    assert len({a["path"].split("/")[1] for a in ARTICLES}) >= 3


# ----------------------------------------------------------------------------- comments


def comment_parent(li: Tag, items: list[Tag]) -> int | None:
    for ancestor in li.parents:
        if (
            isinstance(ancestor, Tag)
            and ancestor.name == "li"
            and "comment" in ancestor.get("class", [])
        ):
            return items.index(ancestor)
    return None


def comment_author_and_text(li: Tag) -> tuple[str, str]:
    """WordPress core markup (b.fn + div.comment-content) or the newsroom widget."""
    own = li.find(["article", "div"], recursive=False)  # the comment's own block, not replies'
    scope = own if own is not None and own.name == "article" else li
    author = scope.select_one("b.fn, .comment__author")
    body = scope.select_one("div.comment-content, div.comment__text")
    assert author is not None and body is not None
    text = "\n\n".join(words(p.get_text()) for p in body.find_all("p"))
    return words(author.get_text()), text


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["path"])
def test_comment_labels_match_the_html(article: dict[str, Any]) -> None:
    items = soup_for(article["path"]).select("li.comment")
    assert len(items) == len(article["comments"])
    for li, gold in zip(items, article["comments"], strict=True):
        author, text = comment_author_and_text(li)
        assert author == gold["author"]
        assert text == gold["text"] and text.startswith(gold["text_startswith"])
        assert comment_parent(li, items) == gold["parent"]


def test_comment_coverage_includes_deep_threads_and_multi_paragraph_comments() -> None:
    wordpress_with_comments = [
        a for a in ARTICLES if a["template"] == "wordpress" and a["comments"]
    ]
    assert len(wordpress_with_comments) >= 2
    biggest = max(wordpress_with_comments, key=lambda a: len(a["comments"]))
    comments = biggest["comments"]
    assert len(comments) >= 6
    depth = [0] * len(comments)
    for i, c in enumerate(comments):
        depth[i] = 0 if c["parent"] is None else depth[c["parent"]] + 1
    assert max(depth) >= 2, "needs a reply to a reply"
    assert any("\n\n" in c["text"] for c in comments), "needs a multi-paragraph comment"
    for c in comments:  # parents always come before their replies
        assert c["parent"] is None or c["parent"] < comments.index(c)


# ----------------------------------------------------------------- index pages, near-duplicates


@pytest.mark.parametrize(
    "page", ["/tag/climate/", "/author/maren-ostby/", "/world/", "/science/", "/opinion/"]
)
def test_index_pages_list_several_articles(page: str) -> None:
    assert page in EXPECTED["non_articles"]
    listed = internal_refs(page, {"a": "href"}) & {a["path"] for a in ARTICLES}
    assert len(listed) >= 3, f"{page} lists only {sorted(listed)}"


def test_world_section_is_paginated() -> None:
    assert "/world/page/2/" in internal_refs("/world/", {"a": "href"})
    page2_articles = internal_refs("/world/page/2/", {"a": "href"}) & by_via("links")
    first_page = internal_refs("/world/", {"a": "href"})
    assert page2_articles - first_page, "page 2 must list an article that page 1 does not"


def test_syndicated_copy_differs_from_its_original_by_a_few_words() -> None:
    assert EXPECTED["near_duplicates"]
    bodies = {a["path"]: "\n\n".join(a["body_paragraphs"]) for a in ARTICLES}
    for original, copy in EXPECTED["near_duplicates"]:
        a, b = bodies[original].split(), bodies[copy].split()
        changed = sum(
            max(i2 - i1, j2 - j1)
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes()
            if op != "equal"
        )
        assert 1 <= changed <= 5, f"{copy} differs from {original} by {changed} words"
        templates = {x["template"] for x in ARTICLES if x["path"] in (original, copy)}
        assert len(templates) == 2, "the copy should be served by a different template"
