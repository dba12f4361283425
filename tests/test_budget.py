"""The shared per-site budget's Redis scripts (spiders.budget.HostBudget) on a real Redis:
turns, waits, Crawl-delay, reservations, giving a turn back, and the per-site queues."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from scrapy import Request
from scrapy.settings import Settings

from spiders.addons import DistributedMode
from spiders.budget import HostBudget, site_of
from spiders.distributed import keys_for, queued_requests, reset_crawl

A, B = "a.example", "b.example:8080"


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    server = redis.Redis.from_url(redis_url)
    yield server
    server.close()


def budget(client: redis.Redis, delay: float = 0.3, **kwargs: float) -> HostBudget:
    return HostBudget(client, keys_for("news"), min_delay=delay, start_delay=delay, **kwargs)


def test_a_site_gets_one_turn_per_delay_and_others_are_served_meanwhile(client) -> None:
    shared = budget(client)
    shared.push([(A, 0, b"a1"), (A, 1, b"a2"), (B, 0, b"b1")])
    assert shared.queued() == 3
    first, second = shared.pop(), shared.pop()
    assert {first[0], second[0]} == {b"a1", b"b1"}  # one per site, no waiting
    wait = shared.pop()
    assert isinstance(wait, float) and 0 < wait <= 0.3  # a2 must wait for A's next turn
    time.sleep(wait + 0.01)
    data, site, _, delay_ms = shared.pop()
    assert (data, site, delay_ms) == (b"a2", A, 300)
    assert shared.pop() == -1.0 and shared.queued() == 0  # nothing queued at all


def test_turns_are_shared_by_separate_clients(client, redis_url: str) -> None:
    other = redis.Redis.from_url(redis_url)
    try:
        mine, theirs = budget(client), budget(other)
        mine.push([(A, 0, b"1"), (A, 1, b"2")])
        assert not isinstance(mine.pop(), float)
        assert isinstance(theirs.pop(), float)  # the other worker must wait for A
    finally:
        other.close()


def test_lower_scores_first_then_first_in_first_out(client) -> None:
    shared = budget(client, delay=0)
    shared.push([(A, 5, b"late"), (A, -10, b"urgent"), (A, 1, b"early")])
    assert [shared.pop()[0] for _ in range(3)] == [b"urgent", b"early", b"late"]


def test_crawl_delay_and_throttle_raise_the_delay_for_every_worker(client) -> None:
    shared = budget(client, delay=0.1)
    shared.set_crawl_delay(A, 2.0)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    _, _, _, delay_ms = shared.pop()
    assert delay_ms == 2000
    assert 1.5 < shared.pop() <= 2.0
    shared.set_throttle(B, 0.7)
    shared.push([(B, 0, b"b")])
    assert shared.pop()[3] == 700


def test_headroom_spaces_turns_a_little_more_than_the_delay(client) -> None:
    shared = budget(client, delay=1.0, headroom=0.05)
    shared.push([(A, 0, b"1")])
    assert shared.pop()[3] == 1050


def test_busy_hosts_are_passed_over(client) -> None:
    shared = budget(client, delay=0)
    shared.push([(B, 0, b"b"), (A, 1, b"a")])
    assert shared.pop(excluded_hosts=["b.example"])[0] == b"a"  # port stripped to compare
    assert isinstance(shared.pop(excluded_hosts=["b.example"]), float)  # b waits here
    assert shared.pop()[0] == b"b"


def test_a_reserved_turn_comes_after_the_granted_ones(client) -> None:
    shared = budget(client, delay=0.5)
    shared.push([(A, 0, b"1")])
    turn = shared.pop()[2]
    reserved, wait = shared.reserve(A)
    assert reserved == turn + 500 and 0 < wait <= 0.5
    reserved2, wait2 = shared.reserve(A)
    assert reserved2 == reserved + 500 and 0.5 < wait2 <= 1.0


def test_a_turn_given_back_frees_the_site_unless_a_later_one_was_taken(client) -> None:
    shared = budget(client, delay=5)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    turn = shared.pop()[2]
    assert shared.release(A, turn)
    assert shared.pop()[0] == b"2"  # no 5 s wait: the first turn was never used
    later, _ = shared.reserve(A)
    assert not shared.release(A, turn)  # not the last turn any more
    assert shared.release(A, later)


def test_a_turn_confirmed_late_moves_the_next_turn_unless_it_was_overtaken(client) -> None:
    shared = budget(client, delay=0.3)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    turn = shared.pop()[2]
    time.sleep(0.2)  # the request leaves late
    assert shared.confirm(A, turn)
    assert 0.25 < shared.pop() <= 0.3  # a full delay from when it left, not from its turn
    time.sleep(0.31)
    second = shared.pop()[2]
    assert not shared.confirm(A, turn)  # overtaken: must reserve a new turn
    assert shared.confirm(A, second)


def test_reset_forgets_per_site_queues_and_budget_state(client) -> None:
    shared = budget(client)
    shared.push([(A, 0, b"1"), (B, 0, b"2")])
    shared.set_crawl_delay(A, 3)
    keys = keys_for("news")
    assert queued_requests(client, keys) == 2
    reset_crawl(client, keys)
    assert client.keys("news:*") == []
    assert queued_requests(client, keys) == 0


def test_site_is_the_origin_host_and_port() -> None:
    assert site_of(Request("http://User@Example.org:8080/a?b")) == "example.org:8080"
    assert site_of(Request("https://example.org/")) == "example.org"


def test_shared_budget_is_on_by_default_in_distributed_mode_and_can_be_switched_off() -> None:
    on = Settings({"NEWSCLEAN_REDIS_URL": "redis://127.0.0.1:6379/0"})
    DistributedMode().update_settings(on)
    assert on.get("SCHEDULER") == "spiders.budget.PoliteScheduler"
    middlewares = {getattr(k, "__name__", k) for k in on.getdict("DOWNLOADER_MIDDLEWARES")}
    assert "SharedBudgetMiddleware" in middlewares
    extensions = on.getdict("EXTENSIONS")
    assert any(
        getattr(k, "__name__", "") == "AutoThrottle" and v is None for k, v in extensions.items()
    )

    off = Settings({"NEWSCLEAN_REDIS_URL": "redis://127.0.0.1:6379/0"})
    off.set("NEWSCLEAN_SHARED_BUDGET", False, priority="cmdline")
    DistributedMode().update_settings(off)
    assert off.get("SCHEDULER") == "scrapy_redis.scheduler.Scheduler"
