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
    assert "ffff_from_future" in result.stdout


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
