"""The project's own `scrapy` commands, run as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from storage.migrate import head_revision
from tests.crawling import REPO


def scrapy(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if database_url:
        env["NEWSCLEAN_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_migrate_brings_a_new_database_to_head_and_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = scrapy("migrate", database_url=url)
    assert result.returncode == 0, result.stderr
    assert f"at revision {head_revision()}" in result.stdout
    result = scrapy("migrate", "downgrade", "base", database_url=url)
    assert result.returncode == 0, result.stderr
    assert "at revision None" in result.stdout


def test_migrate_refuses_a_database_from_a_newer_newsclean(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    assert scrapy("migrate", database_url=url).returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_future'"))
    engine.dispose()
    result = scrapy("migrate", database_url=url)
    assert result.returncode == 2
    assert "ffff_from_future" in result.stderr and "Traceback" not in result.stderr


def test_clean_command_writes_one_json_line_per_file(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Bridge reopens</title></head><body><article><h1>Bridge reopens"
        "</h1>" + "".join(
            f"<p>The river bridge reopened on Monday after repairs, paragraph {i} of the "
            "report said, and traffic returned to normal within hours of the ceremony.</p>"
            for i in range(6)
        ) + "</article></body></html>"
    )  # fmt: skip
    out = tmp_path / "out.jsonl"
    result = scrapy("clean", str(page), "-o", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert "traffic returned to normal" in record["body"]


def _store_demo_pages(url: str, paths: list[str], cleaner_version: int) -> None:
    """Store a few demo-site pages as a crawl would, as if cleaned by an older cleaner."""
    import dataclasses
    from datetime import UTC, datetime

    from cleaning.html import clean_html
    from spiders.localsite import DEMO_SITE
    from storage import PageRecord, Store

    records = []
    for path in paths:
        body = (DEMO_SITE / path.strip("/") / "index.html").read_bytes()
        page_url = f"http://demo.example{path}"
        article = dataclasses.replace(clean_html(body, page_url), cleaner_version=cleaner_version)
        records.append(
            PageRecord(url=page_url, status=200, fetched_at=datetime.now(UTC), body=body,
                       content_type="text/html", article=article)
        )  # fmt: skip
    with Store(url) as store:
        store.upgrade()
        store.save_pages(records)


DEMO_PAGES = [
    "/opinion/2026/11/the-case-for-slower-streets/",
    "/science/2026/11/ocean-heat-record/",
    "/world/2026/11/ferry-timetable-change/",
]


def test_reclean_rewrites_articles_made_by_an_older_cleaner(tmp_path: Path) -> None:
    from cleaning import CLEANER_VERSION

    url = f"sqlite:///{tmp_path / 'old.db'}"
    _store_demo_pages(url, DEMO_PAGES, cleaner_version=CLEANER_VERSION - 1)
    result = scrapy("reclean", "--workers", "1", database_url=url)
    assert result.returncode == 0, result.stderr
    assert "candidates 3, re-cleaned 3" in result.stdout
    engine = create_engine(url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT cleaner_version FROM articles")).scalars()
        assert set(versions) == {CLEANER_VERSION}
    engine.dispose()
    again = scrapy("reclean", database_url=url)
    assert "candidates 0" in again.stdout


def test_export_writes_jsonl_with_comments_and_parquet(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    url = f"sqlite:///{tmp_path / 'x.db'}"
    _store_demo_pages(url, DEMO_PAGES, cleaner_version=1)
    out = tmp_path / "corpus.jsonl"
    result = scrapy("export", "-o", str(out), "--with-comments", database_url=url)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3
    commented = next(r for r in rows if "slower-streets" in r["url"])
    assert [c["author"] for c in commented["comments"]][:2] == ["Margit Sørensen", "Sam Whitlock"]
    assert commented["comments"][1]["parent"] == 0
    parquet = tmp_path / "corpus.parquet"
    assert scrapy("export", "-o", str(parquet), database_url=url).returncode == 0
    table = pq.read_table(parquet)
    assert table.num_rows == 3 and "body" in table.column_names


def test_a_bad_store_setting_stops_the_crawl_instead_of_disabling_storage(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'never.db'}"
    result = scrapy(
        "crawl", "news", "-a", "url=http://127.0.0.1:9/", "-s", "NEWSCLEAN_STORE_BATCH_SIZE=0",
        database_url=url,
    )  # fmt: skip
    assert result.returncode != 0
    assert "NEWSCLEAN_STORE_BATCH_SIZE must be >= 1" in result.stderr


def test_profiles_learns_a_sites_standing_line_and_apply_cuts_it(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from cleaning.html import clean_html
    from storage import PageRecord, Store
    from tests.test_site_profiles_crawl import STANDING_LINE, story

    url = f"sqlite:///{tmp_path / 'p.db'}"
    records = []
    for n in range(6):
        page_url = f"https://valley.example/news/story-{n}/"
        html = story(f"Story {n}", seed=n).encode()
        records.append(PageRecord(url=page_url, status=200, fetched_at=datetime.now(UTC),
                                  body=html, article=clean_html(html, page_url)))  # fmt: skip
    with Store(url) as store:
        store.upgrade()
        store.save_pages(records)
    result = scrapy("profiles", "--apply", "--workers", "1", database_url=url)
    assert result.returncode == 0, result.stderr
    assert "valley.example: 1 boilerplate lines" in result.stdout
    assert "re-cleaned 6 of 6 pages" in result.stdout
    engine = create_engine(url)
    with engine.connect() as connection:
        bodies = connection.execute(text("SELECT body FROM articles")).scalars().all()
    engine.dispose()
    assert len(bodies) == 6 and not any(STANDING_LINE in body for body in bodies)
