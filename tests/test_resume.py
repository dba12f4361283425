"""Kill and resume: a real `scrapy crawl news -s JOBDIR=...` is killed with SIGKILL in the
middle of a crawl of a generated site and started again with the same JOBDIR. The second
run finishes the crawl: every article is stored, whole, and pages stored before the kill
are not fetched again."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from cleaning.html import clean_html
from storage.models import Article, Comment, CrawlRun, Page
from tests.crawling import run_crawl, start_crawl
from tests.sitegen import GeneratedSite, serve_site

pytestmark = pytest.mark.slow

ARTICLES = 60
BATCH = 5


def test_sigkill_then_restart_with_jobdir_stores_every_page_exactly_once(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'news.db'}"
    settings = {
        "JOBDIR": str(tmp_path / "job"),
        "NEWSCLEAN_STORE_BATCH_SIZE": str(BATCH),
        # Off, so only the journal can keep stored pages from being fetched again.
        "NEWSCLEAN_INCREMENTAL": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
    }
    site = GeneratedSite(ARTICLES, delay=0.1)
    engine = create_engine(database_url)
    try:
        with serve_site(site) as url:
            crawl = start_crawl(url, database_url, settings, tmp_path / "first.log")
            try:
                _wait_for_articles(engine, crawl, at_least=10)
            finally:
                os.killpg(crawl.pid, signal.SIGKILL)  # the crawler and its cleaning workers
                crawl.wait(timeout=30)
            with Session(engine) as session:
                stored_at_kill = set(session.scalars(select(Article.url)))
            assert 0 < len(stored_at_kill) < ARTICLES, "the kill did not land mid-crawl"

            site.paths.clear()
            run_crawl(url, database_url, settings=settings)
            fetched_again = {site.base + p for p in site.paths}

        expected = {site.base + site.article_path(n): n for n in range(ARTICLES)}
        with Session(engine) as session:
            articles = {a.url: a.id for a in session.scalars(select(Article))}
            page_urls = list(session.scalars(select(Page.url)))
            per_article = select(Comment.article_id, func.count()).group_by(Comment.article_id)
            comments = dict(session.execute(per_article).all())
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    finally:
        engine.dispose()

    assert set(articles) == set(expected), "pages lost between the kill and the resume"
    assert len(page_urls) == len(set(page_urls))
    for url, n in expected.items():  # stored whole: every comment, none twice
        want = len(clean_html(site.article_html(n), url=url).comments)
        assert comments.get(articles[url], 0) == want, url
    # Resumed, not restarted: the pages missing at the kill were fetched, the stored ones
    # were not. A page whose batch committed just before the kill, before its journal
    # line was written, may be fetched once more: at most one batch.
    assert set(expected) - stored_at_kill <= fetched_again
    assert len(fetched_again & stored_at_kill) <= BATCH
    resumed = runs[-1].stats or {}
    assert resumed.get("newsclean/journal/resumed", 0) > 0
    assert runs[-1].finished_at is not None


def _wait_for_articles(engine, crawl: subprocess.Popen, at_least: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert crawl.poll() is None, "the crawl exited before it could be killed"
        try:
            with engine.connect() as connection:
                count = connection.execute(select(func.count()).select_from(Article)).scalar()
        except Exception:  # the database file or its tables do not exist yet
            count = 0
        if count >= at_least:
            return count
        time.sleep(0.1)
    raise AssertionError("the crawl stored nothing within 120 s")
