"""End to end: record the demo site (served on 127.0.0.1) into a WARC with warcio's
capture_http, then run the real `scrapy ingest-warc` command into SQLite and Postgres."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from warcio.capture_http import capture_http

from storage.models import Article, Comment, CrawlRun, Page
from tests.crawling import REPO

pytestmark = pytest.mark.slow


def run_ingest(*args: str, database_url: str, timeout: float = 180) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "scrapy", "ingest-warc", *args]
    env = {**os.environ, "NEWSCLEAN_DATABASE_URL": database_url}
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def db_state(database_url: str) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return {
                "counts": {
                    model.__tablename__: session.scalar(select(func.count()).select_from(model))
                    for model in (Page, Article, Comment)
                },
                "titles": {urlsplit(a.url).path: a.title for a in session.scalars(select(Article))},
                "skips": {
                    urlsplit(p.url).path: p.skip_reason for p in session.scalars(select(Page))
                },
                "runs": [
                    (r.spider, dict(r.stats or {}))
                    for r in session.scalars(select(CrawlRun).order_by(CrawlRun.id))
                ],
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def recorded_warc(
    demo_site_url: str, demo_expected: dict, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo site fetched page by page through a recording HTTP client: warcinfo,
    request and response records exactly as a capture tool writes them."""
    paths = [a["path"] for a in demo_expected["articles"]]
    paths += demo_expected["non_articles"] + demo_expected["non_html"]
    paths += demo_expected["broken"] + [demo_expected["feed"]]
    warc = tmp_path_factory.mktemp("recorded") / "demo.warc.gz"
    with capture_http(str(warc), gzip=True):
        for path in paths:
            try:
                urllib.request.urlopen(demo_site_url.rstrip("/") + path, timeout=10).read()
            except urllib.error.HTTPError:
                pass  # recorded all the same: the 404 is part of the archive
    return warc


def check_ingested(database_url: str, warc: Path, demo_expected: dict) -> None:
    first = run_ingest(str(warc), "--workers", "2", database_url=database_url)
    assert first.returncode == 0, first.stderr[-4000:]
    assert "ingest-warc summary" in first.stdout and "records/s" in first.stdout
    state = db_state(database_url)
    for article in demo_expected["articles"]:
        assert state["titles"].get(article["path"]) == article["title"], article["path"]
    for path in demo_expected["non_html"]:
        assert state["skips"][path] == "not-html", path
    for path in demo_expected["broken"]:
        assert state["skips"][path] == "http-error", path
    assert state["counts"]["comments"] > 0
    spider, stats = state["runs"][0]
    assert spider == "ingest-warc"
    assert stats["newsclean/stored/articles"] == state["counts"]["articles"]
    assert stats["newsclean/warc/ignored/request"] == stats["newsclean/pages"]

    again = run_ingest(str(warc), "--workers", "1", database_url=database_url)
    assert again.returncode == 0, again.stderr[-4000:]
    assert db_state(database_url)["counts"] == state["counts"]
    _, stats = db_state(database_url)["runs"][1]
    assert stats["newsclean/stored/pages"] == 0
    assert stats["newsclean/stored/unchanged"] == stats["newsclean/pages"] == len(state["skips"])


def test_ingest_warc_command_stores_the_recorded_site_in_sqlite(
    recorded_warc: Path, demo_expected: dict, tmp_path: Path
) -> None:
    check_ingested(f"sqlite:///{tmp_path / 'news.db'}", recorded_warc, demo_expected)


@pytest.mark.postgres
def test_ingest_warc_command_stores_the_recorded_site_in_postgres(
    recorded_warc: Path, demo_expected: dict, fresh_postgres_url: str
) -> None:
    check_ingested(fresh_postgres_url, recorded_warc, demo_expected)


def test_a_truncated_file_fails_the_command_but_keeps_what_was_read(
    recorded_warc: Path, tmp_path: Path
) -> None:
    data = recorded_warc.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) // 2])
    database_url = f"sqlite:///{tmp_path / 'news.db'}"
    result = run_ingest(str(tmp_path / "*.warc.gz"), "--domain", "127.0.0.1",
                        database_url=database_url)  # fmt: skip
    assert result.returncode == 1
    assert (
        "ERROR" in result.stdout and "truncated" in result.stdout and "cut.warc.gz" in result.stdout
    )
    assert db_state(database_url)["counts"]["pages"] > 0


def test_a_pattern_matching_no_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run_ingest(str(tmp_path / "nothing-*.warc.gz"),
                        database_url=f"sqlite:///{tmp_path / 'news.db'}")  # fmt: skip
    assert result.returncode == 2
    assert "no WARC file matches" in result.stderr + result.stdout


def test_the_module_named_spelling_runs_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "scrapy", "ingest_warc", "-h"], cwd=REPO,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0 and "--lang" in result.stdout
