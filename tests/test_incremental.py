"""Incremental re-crawls of a generated site on 127.0.0.1: the second run over an
unchanged site downloads no article in full, cleans nothing and writes nothing; an edited
article is fetched and stored again; without validators, content hashes still spare the
cleaner. Counts come from the server's own request log and the crawl run's stats."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, Page
from tests.crawling import run_crawl
from tests.sitegen import GeneratedSite, serve_site

pytestmark = pytest.mark.slow

ARTICLES = 40
# Discovery by links only: no sitemap lastmod or feed dates to skip pages before asking.
NO_DATES = {"NEWSCLEAN_USE_SITEMAPS": "False", "NEWSCLEAN_USE_FEEDS": "False"}


def _crawl(site: GeneratedSite, url: str, database_url: str, **settings: str) -> dict[str, Any]:
    site.requests.clear()
    site.paths.clear()
    run_crawl(url, database_url, settings=settings)
    articles = set(site.article_paths())
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
            assert run is not None and run.finished_at is not None
            return {
                "stats": dict(run.stats or {}),
                "run_id": run.id,
                # Article pages the server sent in full (not 304) during this crawl.
                "full_article_fetches": _full_fetches(site, articles),
                "page_runs": {p.url: p.crawl_run_id for p in session.scalars(select(Page))},
                "article_updates": {a.url: a.updated_at for a in session.scalars(select(Article))},
            }
    finally:
        engine.dispose()


def _full_fetches(site: GeneratedSite, articles: set[str]) -> int:
    # The handler logs paths and status counts separately; re-derive per path cheaply:
    # articles answered 304 carry no body, so count 200s minus non-article pages.
    non_article = sum(1 for p in site.paths if p.split("?")[0] not in articles)
    return site.requests["200"] - non_article


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('incremental') / 'news.db'}"
    site = GeneratedSite(ARTICLES, per_index=50)
    with serve_site(site) as url:
        first = _crawl(site, url, database_url)
        unchanged = _crawl(site, url, database_url)
        # Without sitemap and feed, every article is reached by links and asked for with
        # If-None-Match (even articles) or If-Modified-Since (odd ones).
        conditional = _crawl(site, url, database_url, **NO_DATES)
        site.edit(4)
        site.edit(7)
        edited = _crawl(site, url, database_url)
        site.validators = False  # a server with no validators: only content hashes help
        hashed = _crawl(site, url, database_url, **NO_DATES)
    return {
        "first": first,
        "unchanged": unchanged,
        "conditional": conditional,
        "edited": edited,
        "hashed": hashed,
        "edited_paths": [site.article_path(4), site.article_path(7)],
    }


def test_first_crawl_stores_every_article(runs) -> None:
    first = runs["first"]
    assert first["stats"]["newsclean/stored/articles"] == ARTICLES
    assert first["full_article_fetches"] == ARTICLES


def test_unchanged_site_is_not_downloaded_cleaned_or_written_again(runs) -> None:
    run = runs["unchanged"]
    stats = run["stats"]
    assert run["full_article_fetches"] == 0
    assert stats.get("newsclean/cleaned", 0) == 0
    assert stats.get("newsclean/stored/pages", 0) == 0
    assert stats.get("newsclean/stored/articles", 0) == 0
    # Sitemap lastmod spares most requests; links found first are answered 304.
    skipped = stats.get("newsclean/unchanged/lastmod", 0)
    not_modified = stats.get("newsclean/unchanged/not-modified", 0)
    assert skipped > 0
    assert skipped + not_modified == ARTICLES
    assert run["page_runs"] == runs["first"]["page_runs"]  # no row rewritten
    assert run["article_updates"] == runs["first"]["article_updates"]


def test_etag_and_last_modified_turn_refetches_into_304s(runs) -> None:
    run = runs["conditional"]
    assert run["full_article_fetches"] == 0
    assert run["stats"].get("newsclean/unchanged/not-modified", 0) == ARTICLES
    assert run["stats"].get("newsclean/cleaned", 0) == 0
    assert run["page_runs"] == runs["first"]["page_runs"]


def test_edited_articles_are_fetched_and_stored_again(runs) -> None:
    run = runs["edited"]
    assert run["full_article_fetches"] == 2
    assert run["stats"]["newsclean/stored/articles"] == 2
    assert run["stats"]["newsclean/cleaned"] == 2
    rewritten = {u for u, r in run["page_runs"].items() if r == run["run_id"]}
    assert {u.split("/", 3)[3] for u in rewritten} == {p[1:] for p in runs["edited_paths"]}


def test_content_hash_spares_the_cleaner_when_the_server_has_no_validators(runs) -> None:
    run = runs["hashed"]
    assert run["full_article_fetches"] == ARTICLES
    assert run["stats"].get("newsclean/unchanged/content-hash", 0) == ARTICLES
    assert run["stats"].get("newsclean/cleaned", 0) == 0
    assert run["stats"].get("newsclean/stored/articles", 0) == 0
