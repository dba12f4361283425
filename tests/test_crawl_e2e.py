"""End to end: a real `scrapy crawl news` of the demo site served on 127.0.0.1, into a real
SQLite file and a real Postgres database, checked against the site's hand-made labels."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import Article, Comment, CrawlRun, Page
from tests.crawling import run_crawl

pytestmark = pytest.mark.slow


def _path(url: str) -> str:
    return urlsplit(url).path


def _snapshot(database_url: str) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            pages = {_path(p.url): p for p in session.scalars(select(Page))}
            articles = {_path(a.url): a for a in session.scalars(select(Article))}
            comments = {
                path: [
                    (c.author, c.text, c.parent_position)
                    for c in sorted(art.comments, key=lambda c: c.position)
                ]
                for path, art in articles.items()
            }
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
            return {
                "skips": {path: p.skip_reason for path, p in pages.items()},
                "titles": {path: a.title for path, a in articles.items()},
                "bodies": {path: a.body for path, a in articles.items()},
                "comments": comments,
                "runs": [(r.finished_at is not None, dict(r.stats or {})) for r in runs],
                "counts": {
                    model.__tablename__: session.scalar(select(func.count()).select_from(model))
                    for model in (Page, Article, Comment)
                },
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def crawled_sqlite(demo_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'news.db'}"
    first = run_crawl(demo_site_url, url)
    after_first = _snapshot(url)
    second = run_crawl(demo_site_url, url)
    return {"url": url, "first": after_first, "second": _snapshot(url), "logs": (first, second)}


def test_every_labelled_article_is_stored_with_its_title(crawled_sqlite, demo_expected) -> None:
    stored = crawled_sqlite["first"]["titles"]
    expected = {a["path"]: a["title"] for a in demo_expected["articles"]}
    assert len(stored) >= 12
    missing = sorted(set(expected) - set(stored))
    assert not missing, f"articles not stored: {missing}"
    for path, title in expected.items():
        assert stored[path] == title, path


def test_article_bodies_hold_the_article_and_no_comment_text(crawled_sqlite, demo_expected):
    bodies = crawled_sqlite["first"]["bodies"]
    for art in demo_expected["articles"]:
        body = bodies[art["path"]]
        assert art["body_first_words"] in body, art["path"]
        assert art["body_last_words"] in body, art["path"]
        for comment in art["comments"]:
            assert comment["text_startswith"] not in body, (art["path"], comment["author"])


def test_threaded_comments_are_separate_rows_with_authors_and_parents(
    crawled_sqlite, demo_expected
) -> None:
    stored = crawled_sqlite["first"]["comments"]
    with_comments = [a for a in demo_expected["articles"] if a["comments"]]
    assert with_comments, "the demo site must have commented articles"
    assert any(c["parent"] is not None for a in with_comments for c in a["comments"])
    for art in with_comments:
        rows = stored[art["path"]]
        assert [(a, p) for a, _, p in rows] == [
            (c["author"], c["parent"]) for c in art["comments"]
        ], art["path"]
        for (_, text, _), c in zip(rows, art["comments"], strict=True):
            assert text.startswith(c["text_startswith"]), (art["path"], c["author"])


def test_pages_that_are_not_articles_are_recorded_with_reasons(crawled_sqlite, demo_expected):
    skips = crawled_sqlite["first"]["skips"]
    for path in demo_expected["broken"]:
        assert skips.get(path) == "http-error", path
    for path in demo_expected["non_html"]:
        if path.endswith(".pdf"):  # images are not followed at all
            assert skips.get(path) == "not-html", path
    for path in demo_expected["non_articles"]:
        assert skips.get(path) == "not-article", path
    for path in demo_expected["robots_disallowed"]:
        assert skips.get(path) == "robots", path
        assert path not in crawled_sqlite["first"]["titles"]


def test_every_fetched_page_is_either_an_article_or_a_skip(crawled_sqlite) -> None:
    snap = crawled_sqlite["first"]
    for path, reason in snap["skips"].items():
        assert (reason is None) == (path in snap["titles"]), path


def test_crawl_run_row_records_the_summary(crawled_sqlite) -> None:
    runs = crawled_sqlite["first"]["runs"]
    assert len(runs) == 1
    finished, stats = runs[0]
    assert finished
    assert stats["newsclean/stored/articles"] == crawled_sqlite["first"]["counts"]["articles"]
    assert stats["newsclean/stored/comments"] == crawled_sqlite["first"]["counts"]["comments"]
    skipped = Counter(r for r in crawled_sqlite["first"]["skips"].values() if r)
    for reason, count in skipped.items():
        assert stats[f"newsclean/skipped/{reason}"] == count
    first_log = crawled_sqlite["logs"][0].stderr
    assert "articles stored:" in first_log and "skipped:" in first_log


def test_recrawling_the_same_site_creates_no_duplicate_rows(crawled_sqlite) -> None:
    first, second = crawled_sqlite["first"], crawled_sqlite["second"]
    assert second["counts"] == first["counts"]
    assert second["titles"] == first["titles"]
    assert len(second["runs"]) == 2
    assert second["runs"][1][1].get("newsclean/stored/unchanged", 0) > 0


@pytest.mark.postgres
def test_crawl_into_postgres_stores_the_same_corpus(
    crawled_sqlite, demo_site_url: str, fresh_postgres_url: str
) -> None:
    run_crawl(demo_site_url, fresh_postgres_url)
    pg = _snapshot(fresh_postgres_url)
    sqlite = crawled_sqlite["first"]
    assert pg["titles"] == sqlite["titles"]
    assert pg["comments"] == sqlite["comments"]
    assert pg["skips"] == sqlite["skips"]
    assert pg["counts"] == sqlite["counts"]
