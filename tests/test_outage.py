"""Database outage: the real Postgres test cluster is stopped in the middle of a real
crawl and started again 30 s later. The store pipeline waits and retries; afterwards
every page is stored once, whole (article and all its comments), and nothing is lost."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from cleaning.html import clean_html
from storage.models import Article, Comment, CrawlRun, Page
from tests.crawling import start_crawl
from tests.plugins.postgres import PostgresCluster
from tests.sitegen import GeneratedSite, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ARTICLES = 60
OUTAGE_SECONDS = 30  # as the issue states it; the mechanism does not depend on the length
STORE_SETTINGS = {
    "NEWSCLEAN_STORE_BATCH_SIZE": "5",  # many small transactions, so some straddle the stop
    "NEWSCLEAN_STORE_RETRY_DELAY": "0.5",
    "NEWSCLEAN_STORE_RETRY_MAX_DELAY": "4",  # resume within seconds of the restart
    "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
}


def test_postgres_outage_mid_crawl_loses_nothing_and_leaves_no_partial_rows(
    postgres_cluster: PostgresCluster, fresh_postgres_url: str, tmp_path: Path
) -> None:
    site = GeneratedSite(ARTICLES, delay=0.1)  # slow enough that the stop lands mid-crawl
    engine = create_engine(fresh_postgres_url, pool_pre_ping=True)
    try:
        with serve_site(site) as url:
            log = tmp_path / "crawl.log"
            crawl = start_crawl(url, fresh_postgres_url, STORE_SETTINGS, log)
            try:
                stored_before = _wait_for_articles(engine, crawl, at_least=5)
                engine.dispose()
                postgres_cluster.stop()
                time.sleep(OUTAGE_SECONDS)
                assert crawl.poll() is None, "the crawl died while the database was down"
                postgres_cluster.start()
                crawl.wait(timeout=300)
            finally:
                if crawl.poll() is None:
                    crawl.kill()
        stderr = log.read_text()
        assert crawl.returncode == 0, stderr[-4000:]
        assert stored_before < ARTICLES, "the crawl finished before the outage began"

        with Session(engine) as session:
            articles = {a.url: a for a in session.scalars(select(Article))}
            pages = list(session.scalars(select(Page)))
            per_article = select(Comment.article_id, func.count()).group_by(Comment.article_id)
            comments = dict(session.execute(per_article).all())
            run = session.scalars(select(CrawlRun)).one()
        expected = {site.base + site.article_path(n): n for n in range(ARTICLES)}
        assert set(articles) == set(expected), "articles lost in the outage"
        assert len({p.url for p in pages}) == len(pages)
        assert all(p.skip_reason is not None or p.url in articles for p in pages)
        for url, n in expected.items():  # each article whole: all of its comments
            want = len(clean_html(site.article_html(n), url=url).comments)
            assert comments.get(articles[url].id, 0) == want, url
        stats = run.stats or {}
        assert run.finished_at is not None
        assert stats.get("newsclean/store/retries", 0) > 0
        assert stats.get("newsclean/store/lost", 0) == 0
        assert "database unavailable" in stderr
    finally:
        engine.dispose()


def _wait_for_articles(engine, crawl: subprocess.Popen, at_least: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert crawl.poll() is None, "the crawl exited early"
        try:
            with engine.connect() as connection:
                count = connection.execute(select(func.count()).select_from(Article)).scalar()
        except Exception:  # tables not created yet
            count = 0
        if count >= at_least:
            return count
        time.sleep(0.2)
    raise AssertionError("the crawl stored nothing within 120 s")
