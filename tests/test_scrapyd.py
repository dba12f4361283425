"""Scheduled runs through Scrapyd: build the project's egg from pyproject.toml, start a
real Scrapyd on 127.0.0.1, upload the egg (addversion.json), schedule two `news` crawls of
the demo site (schedule.json) and wait for them (listjobs.json); each run must leave its
articles and its own crawl_runs row with stats in the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun
from tests.crawling import FAST_LOCAL, REPO
from tests.plugins import free_port
from tests.shared_data import unavailable

pytestmark = pytest.mark.slow

PROJECT = "newsclean"
VERSION = "r1"


def build_egg(out_dir: Path) -> Path:
    done = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "build_egg.py"), str(out_dir)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return Path(done.stdout.strip().splitlines()[-1])


def call(base: str, endpoint: str, fields: dict[str, Any] | None = None, **kw: Any) -> dict:
    """GET (no fields) or POST a form to a Scrapyd JSON endpoint; list values repeat."""
    url = f"{base}/{endpoint}"
    if fields is None:
        request = urllib.request.Request(url)
    elif kw.get("egg") is not None:
        request = _multipart(url, fields, kw["egg"])
    else:
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(url, data=body)
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    assert answer.get("status") == "ok", answer
    return answer


def _multipart(url: str, fields: dict[str, str], egg: Path) -> urllib.request.Request:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{egg.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + egg.read_bytes()
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return urllib.request.Request(url, data=body, headers=headers)


@pytest.fixture(scope="module")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_egg(tmp_path_factory.mktemp("egg"))


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    binary = Path(sys.executable).parent / "scrapyd"
    if not binary.exists():
        message = "scrapyd not installed: pip install -e '.[test]'"
        unavailable(message)
    base = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    # Scrapyd reads ./scrapyd.conf of its working directory.
    (base / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {base / 'eggs'}\nlogs_dir = {base / 'logs'}\ndbs_dir = {base / 'dbs'}\n"
        "items_dir =\npoll_interval = 0.5\nmax_proc = 1\n"
    )
    # The venv has newsclean installed in editable mode; putting the uploaded egg first
    # on the jobs' path makes them run the egg's code, as on a Scrapyd host would.
    env = {**os.environ, "PYTHONPATH": str(base / "eggs" / PROJECT / f"{VERSION}.egg")}
    log = (base / "scrapyd.out").open("wb")
    proc = subprocess.Popen([str(binary)], cwd=base, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(url, "daemonstatus.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"scrapyd did not start:\n{(base / 'scrapyd.out').read_text()[-3000:]}"
                    ) from None
                time.sleep(0.2)
        yield url, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def scheduled_runs(scrapyd, egg: Path, demo_site_url: str, tmp_path_factory) -> dict[str, Any]:
    url, base = scrapyd
    database_url = f"sqlite:///{tmp_path_factory.mktemp('scheduled') / 'news.db'}"
    added = call(url, "addversion.json", {"project": PROJECT, "version": VERSION}, egg=egg)
    spiders = call(url, "listspiders.json?" + urllib.parse.urlencode({"project": PROJECT}))
    settings = {
        **FAST_LOCAL,
        "NEWSCLEAN_CLEAN_WORKERS": "1",
        "NEWSCLEAN_DATABASE_URL": database_url,
    }
    form = {
        "project": PROJECT,
        "spider": "news",
        "url": demo_site_url,
        "setting": [f"{name}={value}" for name, value in settings.items()],
    }
    job_ids = [call(url, "schedule.json", form)["jobid"] for _ in range(2)]
    jobs = _wait_finished(url, job_ids, timeout=240)
    logs = {j: (base / "logs" / PROJECT / "news" / f"{j}.log").read_text() for j in job_ids}
    return {
        "added": added,
        "spiders": spiders["spiders"],
        "jobs": jobs,
        "logs": logs,
        "database": _snapshot(database_url),
    }


def _wait_finished(url: str, job_ids: list[str], timeout: float) -> dict[str, dict]:
    deadline = time.monotonic() + timeout
    query = "listjobs.json?" + urllib.parse.urlencode({"project": PROJECT})
    while time.monotonic() < deadline:
        finished = {job["id"]: job for job in call(url, query)["finished"]}
        if all(j in finished for j in job_ids):
            return finished
        time.sleep(0.5)
    raise AssertionError(f"jobs not finished after {timeout} s: {call(url, query)}")


def _snapshot(database_url: str) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
            return {
                "articles": session.scalar(select(func.count()).select_from(Article)),
                "runs": [(r.finished_at is not None, dict(r.stats or {})) for r in runs],
                "run_settings": [dict(r.settings or {}) for r in runs],
            }
    finally:
        engine.dispose()


def test_the_uploaded_egg_lists_the_news_spider(scheduled_runs) -> None:
    assert scheduled_runs["added"]["spiders"] == 1
    assert scheduled_runs["spiders"] == ["news"]


def test_each_scheduled_run_stores_the_site_and_records_a_crawl_run(
    scheduled_runs, demo_expected
) -> None:
    database = scheduled_runs["database"]
    assert database["articles"] == len(demo_expected["articles"])
    runs = database["runs"]
    assert len(runs) == 2
    for finished, stats in runs:
        assert finished
        assert stats["newsclean/pages"] > 0
    assert runs[0][1]["newsclean/stored/articles"] == len(demo_expected["articles"])
    for log in scheduled_runs["logs"].values():
        assert "articles stored:" in log and "Spider closed (finished)" in log


def test_the_second_scheduled_run_rewrites_nothing_unchanged(scheduled_runs) -> None:
    _, second = scheduled_runs["database"]["runs"][1]
    assert second.get("newsclean/stored/articles", 0) == 0
    assert second["newsclean/pages"] > 0


def test_the_egg_works_from_its_zip(egg: Path, tmp_path: Path) -> None:
    # Scrapyd imports the project from the zipped egg: migrations and package data must
    # be readable from there (nothing may assume a folder on disk).
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import storage, spiders.settings\n"
        "assert storage.__file__.startswith(sys.argv[1]), storage.__file__\n"
        "from storage import Store\n"
        "store = Store(sys.argv[2]); store.upgrade(); print(store.counts()); store.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(egg), f"sqlite:///{tmp_path / 'egg.db'}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "'pages': 0" in done.stdout
