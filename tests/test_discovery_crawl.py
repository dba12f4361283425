"""Discovery through robots.txt Sitemap lines, Atom feeds and links, staying on the start
site, with Scrapy's own limits honoured — real crawls of small sites written per test."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from spiders.localsite import serve_directory
from storage.models import Article, Page
from tests.crawling import run_crawl

pytestmark = pytest.mark.slow

PARAGRAPH = (
    "<p>The regional water board confirmed on Thursday that the reservoir had reached its "
    "highest level in a decade, after three weeks of steady rain across the northern "
    "hills, and said the spillway would stay open until the weekend at least.</p>"
)


def article_html(title: str, links: list[str] = ()) -> str:
    anchors = "".join(f'<a href="{href}">{href}</a> ' for href in links)
    return (
        f'<html lang="en"><head><title>{title}</title>'
        f'<meta property="og:type" content="article"></head><body><nav>{anchors}</nav>'
        f"<article><h1>{title}</h1>{PARAGRAPH * 5}</article></body></html>"
    )


def write(root: Path, path: str, content: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content)


def stored(database_url: str) -> tuple[set[str], dict[str, str | None]]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        articles = {urlsplit(a.url).path for a in session.scalars(select(Article))}
        pages = {urlsplit(p.url).path: p.skip_reason for p in session.scalars(select(Page))}
    engine.dispose()
    return articles, pages


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write(root, "/", "<html><body><a href='/news/2026/01/first-story-about-rain/'>1</a>"
                     "<link rel='alternate' type='application/atom+xml' href='/atom.xml'>"
                     "</body></html>")  # fmt: skip
    write(root, "/news/2026/01/first-story-about-rain/", article_html(
        "First story", ["/news/2026/01/second-story-about-rain/", "http://localhost:9/offsite/"]
    ))  # fmt: skip
    write(root, "/news/2026/01/second-story-about-rain/", article_html(
        "Second story", ["/news/2026/01/third-story-about-rain/"]
    ))  # fmt: skip
    write(root, "/news/2026/01/third-story-about-rain/", article_html("Third story"))
    write(root, "/news/2026/01/only-in-robots-sitemap/", article_html("Robots sitemap story"))
    write(root, "/news/2026/01/only-in-atom-feed/", article_html("Atom story"))
    write(root, "robots.txt", "User-agent: *\nAllow: /\nSitemap: __BASE__/maps/news-map.xml\n")
    write(
        root,
        "maps/news-map.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>__BASE__/news/2026/01/only-in-robots-sitemap/</loc></url>"
        "<url><loc>http://elsewhere.example/news/2026/01/not-ours/</loc></url></urlset>",
    )
    write(root, "atom.xml",
          '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
          '<entry><title>a</title><link href="__BASE__/news/2026/01/only-in-atom-feed/"/>'
          "<id>1</id></entry></feed>")  # fmt: skip
    return root


def test_articles_are_found_through_links_robots_sitemaps_and_atom_feeds(
    small_site: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with serve_directory(small_site) as base:
        run_crawl(base, url)
    articles, pages = stored(url)
    assert articles == {
        "/news/2026/01/first-story-about-rain/",
        "/news/2026/01/second-story-about-rain/",
        "/news/2026/01/third-story-about-rain/",
        "/news/2026/01/only-in-robots-sitemap/",
        "/news/2026/01/only-in-atom-feed/",
    }
    assert "/offsite/" not in pages and "/news/2026/01/not-ours/" not in pages
    assert pages["/"] == "not-article"


def test_depth_limit_stops_link_discovery(small_site: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with serve_directory(small_site) as base:
        run_crawl(base, url, settings={"DEPTH_LIMIT": "1", "NEWSCLEAN_USE_SITEMAPS": "False",
                                       "NEWSCLEAN_USE_FEEDS": "False"})  # fmt: skip
    articles, _ = stored(url)
    assert articles == {"/news/2026/01/first-story-about-rain/"}


def test_closespider_itemcount_ends_the_crawl_early(small_site: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with serve_directory(small_site) as base:
        run_crawl(base, url, settings={"CLOSESPIDER_ITEMCOUNT": "2", "CONCURRENT_REQUESTS": "1"})
    _, pages = stored(url)
    # Items already in flight when the limit is hit are still stored, never lost.
    assert 2 <= len(pages) < 7
