"""Bad input: a real `scrapy crawl news` of a misbehaving site on 127.0.0.1. Every page
ends as a stored article or a page row with a skip reason, the summary counts the same
reasons, and the crawl itself finishes normally."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, Page
from storage.records import SKIP_REASONS
from tests.crawling import run_crawl
from tests.plugins.badserver import (
    CASES,
    OFFSITE_HOST,
    PRIVATE_PATH,
    BadServer,
    Case,
    bad_server,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.slow

# Short limits so the timeout cases cost seconds; the cleaner timeout leaves room for a
# busy 2-core machine starting replacement workers.
BAD_INPUT_SETTINGS = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "NEWSCLEAN_CLEAN_TIMEOUT": "8",
    "NEWSCLEAN_CLEANER": "tests.plugins.badserver:misbehaving_cleaner",
}


@pytest.fixture(scope="module")
def crawled(bad_server: BadServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # noqa: F811
    database_url = f"sqlite:///{tmp_path_factory.mktemp('bad') / 'news.db'}"
    result = run_crawl(bad_server.url, database_url, settings=BAD_INPUT_SETTINGS)
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            pages = {_path(p.url, bad_server): p for p in session.scalars(select(Page))}
            articles = {_path(a.url, bad_server): a.body for a in session.scalars(select(Article))}
            run = session.scalars(select(CrawlRun)).one()
            return {
                "skips": {path: (p.skip_reason, p.skip_detail) for path, p in pages.items()},
                "articles": articles,
                "stats": dict(run.stats or {}),
                "finished": run.finished_at is not None,
                "log": result.stderr,
            }
    finally:
        engine.dispose()


def _path(url: str, server: BadServer) -> str:
    return "/" + url.removeprefix(server.url)


@pytest.mark.parametrize("case", CASES, ids=[c.path for c in CASES])
def test_each_bad_page_ends_stored_or_skipped_with_its_reason(crawled, case: Case) -> None:
    assert case.path in crawled["skips"], f"{case.path} ({case.what}) left no page row"
    reason, detail = crawled["skips"][case.path]
    if case.expect is None:
        assert reason is None, f"{case.what}: skipped as {reason} ({detail})"
        assert case.path in crawled["articles"]
    else:
        assert reason == case.expect, f"{case.what}: {reason} ({detail})"
        assert case.path not in crawled["articles"]


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.word], ids=[c.path for c in CASES if c.word]
)
def test_declared_undeclared_and_lying_charsets_decode_to_the_right_words(crawled, case):
    body = crawled["articles"][case.path]
    assert case.word in body, f"{case.what}: {body[:200]!r}"
    assert "\ufffd" not in body


def test_every_reason_used_is_a_known_skip_reason(crawled) -> None:
    used = {reason for reason, _ in crawled["skips"].values() if reason}
    assert used <= set(SKIP_REASONS)


def test_summary_stats_count_the_same_skips_as_the_database(crawled) -> None:
    in_db = Counter(reason for reason, _ in crawled["skips"].values() if reason)
    stats = crawled["stats"]
    assert crawled["finished"]
    assert {r: stats.get(f"newsclean/skipped/{r}", 0) for r in in_db} == dict(in_db)
    assert stats["newsclean/stored/articles"] == len(crawled["articles"])
    for reason in in_db:
        assert f"  {reason}" in crawled["log"], f"summary does not list {reason}"


def test_the_clean_pool_survives_hanging_raising_and_dying_cleaners(crawled) -> None:
    # The page cleaned after the three bad ones proves the pool still works.
    assert "survived" in crawled["articles"]["/news/after-the-crashes"]
    detail = crawled["skips"]["/news/cleaner-dies"][1]
    assert "died" in detail


def test_redirect_loops_are_recorded_under_the_linked_url(crawled) -> None:
    reason, detail = crawled["skips"]["/loop/a"]
    assert (reason, detail.split(":")[0]) == ("http-error", "redirect loop")
    assert "/loop/b" not in crawled["skips"]  # one row for the chain, under the linked URL


def test_robots_disallowed_and_offsite_pages_are_never_requested(
    crawled,
    bad_server: BadServer,  # noqa: F811
) -> None:
    assert PRIVATE_PATH not in bad_server.paths()
    assert not bad_server.paths(OFFSITE_HOST), "fetched a page on another host"
