"""Distributed mode with real servers: a Redis started by the test session, a Postgres
database, and two `scrapy crawl news` worker processes sharing one crawl of the demo site
served on 127.0.0.1 (frontier and seen-set in Redis, one database for both)."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from scrapy import Request
from scrapy.settings import Settings
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from spiders.addons import DistributedMode
from spiders.budget import HostBudget, site_of
from spiders.distributed import keys_for, parse_seed, push_seeds, queued_requests, reset_crawl
from storage import Store
from storage.models import Article, CrawlRun, Page
from tests import crawling
from tests.crawling import FAST_LOCAL, REPO, scrapy_command
from tests.sitegen import GeneratedSite, serve_site

# One cleaning process per worker (2 cores), and a small pace (one budget for the site,
# shared by both workers) so the crawl of the 14-article demo site lasts long enough for
# both workers to take part: on a loaded machine a worker can hold back for ten seconds
# and more while its cleaning process handles its first pages, and the other then takes
# every turn (fair turns go to workers that ask; one that does not, does not wait).
WORKER_SETTINGS = {
    **FAST_LOCAL,
    "NEWSCLEAN_CLEAN_WORKERS": "1",
    "CONCURRENT_REQUESTS": "2",
    "DOWNLOAD_DELAY": "0.2",
    "MAX_IDLE_TIME_BEFORE_CLOSE": "5",
    "NEWSCLEAN_REDIS_POLL_INTERVAL": "0.5",
}


def run_workers(
    count: int, redis_url: str, database_url: str, log_dir: Path, seeds: list[str] | None = None
) -> list[dict[str, Any]]:
    return crawling.run_workers(count, redis_url, database_url, log_dir, WORKER_SETTINGS, seeds)


def seed(redis_url: str, *urls: str) -> str:
    done = subprocess.run(
        scrapy_command("seed", "news", *urls, redis_url=redis_url, settings={}),
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def snapshot(database_url: str) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
            return {
                "article_paths": [urlsplit(u).path for u in session.scalars(select(Article.url))],
                "pages": session.scalar(select(func.count()).select_from(Page)),
                "runs": [(r.finished_at is not None, dict(r.stats or {})) for r in runs],
            }
    finally:
        engine.dispose()


def redis_state(redis_url: str) -> dict[str, int]:
    keys = keys_for("news")
    client = redis.Redis.from_url(redis_url)
    try:
        return {
            "queued": queued_requests(client, keys),
            "seeds": client.llen(keys["start_urls"]),
            "seen": client.scard(keys["dupefilter"]),
            "domains": client.scard(keys["domains"]),
        }
    finally:
        client.close()


@pytest.fixture(scope="module")
def shared_crawl(
    redis_server, postgres_cluster, demo_site_url: str, tmp_path_factory
) -> Iterator[dict[str, Any]]:
    """Two workers waiting for work, then the demo site seeded; both run to completion.
    Then `scrapy seed` the site again and run one worker (the next incremental run)."""
    log_dir = tmp_path_factory.mktemp("workers")
    redis_url = redis_server.url
    redis.Redis.from_url(redis_url).flushdb()
    name = f"distributed_{uuid.uuid4().hex}"
    database_url = postgres_cluster.create_database(name)
    try:
        workers = run_workers(2, redis_url, database_url, log_dir, seeds=[demo_site_url])
        first = snapshot(database_url)
        after_first = redis_state(redis_url)
        seed_output = seed(redis_url, demo_site_url)
        rerun = run_workers(1, redis_url, database_url, log_dir)
        yield {
            "seed_output": seed_output,
            "workers": workers,
            "first": first,
            "redis": after_first,
            "rerun": rerun,
            "second": snapshot(database_url),
        }
    finally:
        postgres_cluster.drop_database(name)


@pytest.mark.slow
@pytest.mark.postgres
def test_every_article_is_stored_exactly_once(shared_crawl, demo_expected) -> None:
    paths = shared_crawl["first"]["article_paths"]
    assert sorted(paths) == sorted(a["path"] for a in demo_expected["articles"])
    # No page was fetched by both workers: their page counts add up to the page rows.
    fetched = sum(stats.get("newsclean/pages", 0) for _, stats in shared_crawl["first"]["runs"])
    assert fetched == shared_crawl["first"]["pages"]


@pytest.mark.slow
@pytest.mark.postgres
def test_both_workers_recorded_their_run(shared_crawl) -> None:
    runs = shared_crawl["first"]["runs"]
    assert len(runs) == 2
    for finished, _ in runs:
        assert finished
    assert sum(stats.get("newsclean/stored/articles", 0) for _, stats in runs) == 14


@pytest.mark.slow
@pytest.mark.postgres
def test_both_workers_of_a_one_site_crawl_take_part(shared_crawl) -> None:
    # Fair turns: the worker whose answer frees the site leaves the next turn to the one
    # waiting for it, which stays open while the frontier holds requests.
    pages = [stats.get("newsclean/pages", 0) for _, stats in shared_crawl["first"]["runs"]]
    print(f"MEASURED one site, two workers: pages per worker {pages}")
    for _, stats in shared_crawl["first"]["runs"]:
        assert stats.get("newsclean/pages", 0) > 0, stats
        assert stats.get("scheduler/dequeued/redis", 0) > 0


@pytest.mark.slow
@pytest.mark.postgres
def test_a_worker_stays_open_while_a_turn_is_out_and_closes_when_its_lease_ends(
    redis_server, postgres_cluster, tmp_path
) -> None:
    """Another worker dies with requests out: one to the seeded site (its queued requests
    wait for the turn's lease to end) and one to a site with nothing queued (only the
    lease keeps the crawl open: its answer could have brought links). The live worker
    crawls the site once it is free, then stays open until the second lease has ended, and
    closes `max_idle` after that: neither early nor never."""
    redis.Redis.from_url(redis_server.url).flushdb()
    name = f"distributed_{uuid.uuid4().hex}"
    database_url = postgres_cluster.create_database(name)
    site = GeneratedSite(2, per_index=50)
    held: dict[str, float] = {}
    client = redis.Redis.from_url(redis_server.url)

    def die_with_turns_out() -> None:
        delay = float(WORKER_SETTINGS["DOWNLOAD_DELAY"])
        for where, lease in ((site_of(Request(site.base)), 2.0), ("127.0.0.9:9", 20.0)):
            dead = HostBudget(client, keys_for("news"), min_delay=delay, start_delay=delay,
                              lease=lease)  # fmt: skip
            assert isinstance(dead.acquire(where), int)
            held[where] = time.monotonic() + lease

    try:
        with serve_site(site) as url:
            settings = {**WORKER_SETTINGS, "MAX_IDLE_TIME_BEFORE_CLOSE": "2"}
            [worker] = crawling.run_workers(
                1, redis_server.url, database_url, tmp_path, settings, [url],
                before_seeds=die_with_turns_out,
            )  # fmt: skip
            closed = time.monotonic()
    finally:
        client.close()
        postgres_cluster.drop_database(name)
    first_request = min(t for t, _, _ in site.seen)
    free_at, last_lease_end = sorted(held.values())
    last_request = max(t for t, _, _ in site.seen)
    print(f"MEASURED idle rule: first request {first_request - free_at:+.2f} s after the "
          f"site's lease ended, last {last_request - last_lease_end:+.2f} s and closed "
          f"{closed - last_lease_end:+.2f} s after the last lease ended")  # fmt: skip
    assert first_request >= free_at - 0.05
    assert set(site.article_paths()) <= {path for _, path, _ in site.seen}
    assert "frontier empty for" in worker["log"]
    # Not before the last lease ended and max_idle passed; then within Scrapy's 5 s
    # heartbeat (the next idle check), plus slack for a loaded machine.
    assert 2.0 <= closed - last_lease_end < 20, closed - last_lease_end


@pytest.mark.slow
@pytest.mark.postgres
def test_workers_close_once_the_shared_frontier_is_empty(shared_crawl) -> None:
    for worker in shared_crawl["workers"]:
        assert "frontier empty for" in worker["log"]
    state = shared_crawl["redis"]
    assert state["queued"] == 0 and state["seeds"] == 0
    # The seen-set persists for the next run (SCHEDULER_PERSIST).
    assert state["seen"] >= shared_crawl["first"]["pages"]
    assert state["domains"] == 1
    assert "pushed 1 start URL(s) to news:start_urls" in shared_crawl["seed_output"]
    # From seeding: the crawl, a 5 s idle timeout and the 5 s heartbeat at most.
    assert shared_crawl["workers"][0]["elapsed"] < 60


@pytest.mark.slow
@pytest.mark.postgres
def test_seeding_again_refetches_the_seed_but_not_pages_already_seen(shared_crawl) -> None:
    first, second = shared_crawl["first"], shared_crawl["second"]
    assert len(second["runs"]) == 3
    _, stats = second["runs"][-1]
    # The home page again (it may list new articles); everything else is in the seen-set.
    assert stats["newsclean/pages"] == 1, stats
    assert second["pages"] == first["pages"]
    assert sorted(second["article_paths"]) == sorted(first["article_paths"])


def test_redis_url_switches_on_the_shared_scheduler_and_dupefilter() -> None:
    plain = Settings({"NEWSCLEAN_REDIS_URL": None})
    DistributedMode().update_settings(plain)
    assert "scrapy_redis" not in str(plain.get("SCHEDULER"))

    shared = Settings({"NEWSCLEAN_REDIS_URL": "redis://127.0.0.1:6379/0"})
    DistributedMode().update_settings(shared)
    # scrapy-redis' scheduler, over per-site queues with the shared budget (spiders.budget)
    assert issubclass(load_object(shared.get("SCHEDULER")), Scheduler)
    assert shared.get("DUPEFILTER_CLASS") == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert shared.getbool("SCHEDULER_PERSIST")
    assert shared.get("REDIS_URL") == "redis://127.0.0.1:6379/0"


def test_explicit_settings_win_over_the_distributed_defaults() -> None:
    settings = Settings()
    settings.set("NEWSCLEAN_REDIS_URL", "redis://127.0.0.1:6379/0", priority="cmdline")
    settings.set("MAX_IDLE_TIME_BEFORE_CLOSE", 5, priority="cmdline")
    DistributedMode().update_settings(settings)
    assert settings.getint("MAX_IDLE_TIME_BEFORE_CLOSE") == 5


def test_distributed_mode_refuses_a_job_directory() -> None:
    settings = Settings({"NEWSCLEAN_REDIS_URL": "redis://127.0.0.1:6379/0", "JOBDIR": "jobs/x"})
    with pytest.raises(ValueError, match="JOBDIR"):
        DistributedMode().update_settings(settings)


@pytest.mark.postgres
def test_concurrent_upgrades_of_one_fresh_postgres_database_all_succeed(
    fresh_postgres_url: str,
) -> None:
    # Every worker runs `upgrade head` at start; on an empty database they must not race.
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def upgrade() -> None:
        store = Store(fresh_postgres_url)
        try:
            barrier.wait()
            store.upgrade()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=upgrade) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    store = Store(fresh_postgres_url)
    try:
        assert store.counts()["pages"] == 0
    finally:
        store.close()


def test_seed_list_accepts_urls_and_scrapy_redis_json(redis_url: str) -> None:
    keys = keys_for("news")
    client = redis.Redis.from_url(redis_url)
    try:
        push_seeds(client, keys, ["https://a.example/", "https://news.b.example/x"])
        client.rpush(keys["start_urls"], json.dumps({"url": "https://c.example/"}), "{bad json")
        assert client.smembers(keys["domains"]) == {b"a.example", b"news.b.example"}
        raw = client.lrange(keys["start_urls"], 0, -1)
        assert [parse_seed(r) for r in raw] == [
            "https://a.example/", "https://news.b.example/x", "https://c.example/", None,
        ]  # fmt: skip
    finally:
        client.close()


def test_reset_forgets_queue_seen_set_seeds_and_domains(redis_url: str) -> None:
    keys = keys_for("news")
    client = redis.Redis.from_url(redis_url)
    try:
        push_seeds(client, keys, ["https://a.example/"])
        client.sadd(keys["dupefilter"], "f" * 40)
        client.zadd(keys["requests"], {b"request": 0})
        reset_crawl(client, keys)
        assert not any(client.exists(key) for key in keys.values())
    finally:
        client.close()
