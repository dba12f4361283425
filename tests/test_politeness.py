"""Politeness and safety, checked on real crawls of local servers: robots.txt first and
obeyed, AutoThrottle spacing requests when on (the default), the configured User-Agent on
every request, and no database password in logs, stats or the crawl_runs table.

Robots-disallowed and off-site pages never being requested is asserted on the
misbehaving site in test_bad_input.py (`test_robots_disallowed_and_offsite_...`)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from spiders import settings as project_settings
from spiders.extensions import redact
from storage.models import CrawlRun
from tests.crawling import run_crawl
from tests.plugins.postgres import PostgresCluster
from tests.sitegen import GeneratedSite, serve_site

pytestmark = pytest.mark.slow

USER_AGENT = "PolitenessTest/1.0 (+mailto:crawler@example.org)"
PER_DOMAIN = project_settings.CONCURRENT_REQUESTS_PER_DOMAIN
PASSWORD = f"pw-{uuid.uuid4().hex[:12]}-Secret"


def test_project_defaults_are_polite() -> None:
    assert project_settings.ROBOTSTXT_OBEY is True
    assert project_settings.AUTOTHROTTLE_ENABLED is True
    assert project_settings.CONCURRENT_REQUESTS_PER_DOMAIN <= 8
    assert "newsclean" in project_settings.USER_AGENT and "+http" in project_settings.USER_AGENT
    assert project_settings.DOWNLOAD_MAXSIZE and project_settings.DOWNLOAD_TIMEOUT


def test_default_crawl_reads_robots_first_throttles_and_sends_the_user_agent(tmp_path) -> None:
    site = GeneratedSite(6)
    with serve_site(site) as url:
        run_crawl(
            url,
            f"sqlite:///{tmp_path / 'news.db'}",
            # The project's politeness defaults, not the tests' fast local profile.
            settings={
                "AUTOTHROTTLE_ENABLED": "True",
                "CONCURRENT_REQUESTS_PER_DOMAIN": str(
                    project_settings.CONCURRENT_REQUESTS_PER_DOMAIN
                ),
                "USER_AGENT": USER_AGENT,
                # Scrapy spreads each delay over 0.5-1.5x at random; without that the first
                # gap is AutoThrottle's start delay itself, and the check below is not luck.
                "RANDOMIZE_DOWNLOAD_DELAY": "False",
            },
        )
    times = [t for t, _, _ in site.seen]
    assert site.seen[0][1] == "/robots.txt", "robots.txt must be read before any page"
    assert {agent for _, _, agent in site.seen} == {USER_AGENT}
    # AutoThrottle starts at AUTOTHROTTLE_START_DELAY (1 s) between requests to a site.
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert max(gaps) >= 0.8 * project_settings.AUTOTHROTTLE_START_DELAY
    assert "/search/?q=" not in site.paths  # Disallow: /search/


@pytest.fixture
def password_database_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """A database owned by a role that has a password (the cluster trusts every local
    login, so the password is accepted whatever it is: what matters is that it is there)."""
    import psycopg

    role, database = f"crawler_{uuid.uuid4().hex[:8]}", f"secret_{uuid.uuid4().hex[:8]}"
    admin = {"host": "127.0.0.1", "port": postgres_cluster.port, "user": "postgres"}
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        connection.execute(f"CREATE DATABASE {database} OWNER {role}")
    yield f"postgresql+psycopg://{role}:{PASSWORD}@127.0.0.1:{postgres_cluster.port}/{database}"
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.postgres
@pytest.mark.parametrize("given_as", ["environment", "setting"])
def test_database_password_never_reaches_logs_stats_or_the_database(
    password_database_url: str, given_as: str
) -> None:
    site = GeneratedSite(3)
    settings = {"LOG_LEVEL": "DEBUG"}  # the most talkative the crawler gets
    if given_as == "setting":  # -s NEWSCLEAN_DATABASE_URL=... shows in "Overridden settings"
        settings["NEWSCLEAN_DATABASE_URL"] = password_database_url
    with serve_site(site) as url:
        result = run_crawl(url, password_database_url, settings=settings)
    assert PASSWORD not in result.stdout
    assert PASSWORD not in result.stderr
    assert "articles stored:" in result.stderr  # the crawl did run and log
    engine = create_engine(password_database_url)
    try:
        with Session(engine) as session:
            run = session.scalars(select(CrawlRun)).one()
            recorded = json.dumps([run.settings, run.stats], default=str)
    finally:
        engine.dispose()
    assert PASSWORD not in recorded
    assert run.stats["newsclean/stored/articles"] == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "postgresql+psycopg://crawler:s3cr3t@db:5432/news",
            "postgresql+psycopg://crawler:***@db:5432/news",
        ),
        (
            "{'NEWSCLEAN_DATABASE_URL': 'postgresql://u:p%40ss@h/d'}",
            "{'NEWSCLEAN_DATABASE_URL': 'postgresql://u:***@h/d'}",
        ),
        ("http://127.0.0.1:8000/news/a:b@c", "http://127.0.0.1:8000/news/a:b@c"),  # no userinfo
        ("sqlite:///data/news.db", "sqlite:///data/news.db"),
    ],
)
def test_redact_masks_only_url_passwords(text: str, expected: str) -> None:
    assert redact(text) == expected
