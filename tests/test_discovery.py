"""Feed discovery, start URLs, and the label and URL steps of page triage (the content
step has its own tests in test_triage.py)."""

from __future__ import annotations

import pytest
from parsel import Selector

from cleaning import triage
from spiders import discovery
from spiders.starturls import read_start_urls


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/world/2026/11/floods-reach-the-delta-towns/",
        "https://news.example/2025/01/07/council-votes-on-new-budget.html",
        "https://paper.example/politics/article-123456789.html",
        "https://blog.example/how-we-rebuilt-the-harbour-bridge",
    ],
)
def test_article_shaped_urls_score_positive(url: str) -> None:
    assert triage.url_article_score(url) >= 2


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/",
        "https://news.example/world/",
        "https://news.example/tag/climate/",
        "https://news.example/author/jane-doe/",
        "https://news.example/world/page/2/",
        "https://news.example/category/local-news-and-events/",
    ],
)
def test_listing_urls_score_negative(url: str) -> None:
    assert triage.url_article_score(url) < 0


def test_og_type_article_wins_over_a_listing_shaped_url() -> None:
    sel = Selector(
        text='<html><head><meta property="og:type" content="article"></head>'
        "<body><p>A short item.</p></body></html>"
    )
    assert triage.judge(sel.root, "https://x.example/world/").is_article


def test_jsonld_newsarticle_marks_an_article_inside_a_graph() -> None:
    html = """<p>A short item.</p><script type="application/ld+json">
      {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage"}, {"@type": ["NewsArticle"], "headline": "H"}]}</script>"""
    assert triage.judge(Selector(text=html).root, "https://x.example/p?id=3").is_article


def test_page_with_many_teaser_articles_is_a_listing() -> None:
    teasers = "".join(
        f"<article><h2><a href='/a{i}'>Council approves harbour plan number {i}</a></h2></article>"
        for i in range(5)
    )
    sel = Selector(text=f"<html><body>{teasers}</body></html>")
    verdict = triage.judge(sel.root, "https://x.example/2026/11/some-long-slug-here/")
    assert verdict.skip_reason == "not-article"
    assert verdict.detail.startswith("listing: ") and "5 repeated items" in verdict.detail


def test_broken_jsonld_is_ignored_not_fatal() -> None:
    sel = Selector(text='<script type="application/ld+json">{not json</script>')
    assert triage.jsonld_types(sel.root) == set()


def test_feed_links_come_from_rel_alternate() -> None:
    sel = Selector(
        text='<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/atom">'
        '<link rel="alternate" hreflang="de" href="/de/">'
    )
    assert discovery.feed_links(sel) == ["/feed.xml", "/atom"]


def test_feeds_are_recognised_by_their_root_element() -> None:
    assert triage.looks_like_feed(b'<?xml version="1.0"?>\n<rss version="2.0"><channel>')
    assert triage.looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    assert not triage.looks_like_feed(b"<!doctype html><html>")


def test_start_urls_from_comma_list_and_file_are_merged_without_duplicates(tmp_path) -> None:
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text("# seeds\nhttps://b.example/\n\nhttps://a.example/\n")
    assert read_start_urls("https://a.example/, https://c.example/", str(urls_file)) == [
        "https://a.example/",
        "https://c.example/",
        "https://b.example/",
    ]
