"""The shared per-site budget's Redis scripts (spiders.budget.HostBudget) on a real Redis:
turns held until the answer, waits, Crawl-delay, leases, fair turns between workers, turns
out (what keeps idle workers open), taking a turn outside the scheduler, giving a turn
back, and the per-site queues."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from scrapy import Request
from scrapy.settings import Settings

from spiders.addons import DistributedMode
from spiders.budget import FAIR_GRACE, HostBudget, site_of, turns_channel
from spiders.distributed import frontier_state, keys_for, queued_requests, reset_crawl

A, B = "a.example", "b.example:8080"


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    server = redis.Redis.from_url(redis_url)
    yield server
    server.close()


def since(start: float) -> float:
    """Seconds since `start` (time.monotonic()): what a loaded machine took between calls."""
    return time.monotonic() - start


def budget(client: redis.Redis, delay: float = 0.3, **kwargs: float) -> HostBudget:
    return HostBudget(client, keys_for("news"), min_delay=delay, start_delay=delay, **kwargs)


def test_a_site_gets_its_next_turn_a_delay_after_the_answer_and_others_meanwhile(
    client,
) -> None:
    shared = budget(client)
    shared.push([(A, 0, b"a1"), (A, 1, b"a2"), (B, 0, b"b1")])
    assert shared.queued() == 3
    first, second = shared.pop(), shared.pop()
    assert {first[0], second[0]} == {b"a1", b"b1"}  # one per site, no waiting
    turn = first[2] if first[1] == A else second[2]
    assert shared.pop() > 1.0  # A is held while a1 is out (until its lease ends)
    answered = time.monotonic()
    assert shared.done(A, turn)  # a1's answer arrives
    wait = shared.pop()
    # A delay from the answer (rounded up to the ms), less the time this test took since.
    assert isinstance(wait, float) and 0.3 - since(answered) <= wait <= 0.301
    time.sleep(wait + 0.01)
    data, site, _, delay_ms, _, _ = shared.pop()
    assert (data, site, delay_ms) == (b"a2", A, 300)
    assert shared.pop() == -1.0 and shared.queued() == 0  # nothing queued at all


def test_turns_are_shared_by_separate_clients(client, redis_url: str) -> None:
    other = redis.Redis.from_url(redis_url)
    try:
        mine, theirs = budget(client), budget(other)
        mine.push([(A, 0, b"1"), (A, 1, b"2")])
        _, _, turn, _, _, _ = mine.pop()
        assert isinstance(theirs.pop(), float)  # the other worker must wait for A
        assert mine.done(A, turn)
        time.sleep(0.31)
        assert theirs.pop()[0] == b"2"
    finally:
        other.close()


def test_a_waiting_worker_gets_the_turn_the_other_freed_and_is_told_when_it_comes(
    client, redis_url: str
) -> None:
    other = redis.Redis.from_url(redis_url)
    listener = other.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(turns_channel(keys_for("news")))
    try:
        mine, theirs = budget(client), budget(other)
        mine.push([(A, 0, b"1"), (A, 1, b"2"), (A, 2, b"3")])
        turn = mine.pop()[2]
        assert isinstance(theirs.pop(), float)  # they wait: A is held by my request
        while listener.get_message(timeout=0.01) is not None:
            pass  # the subscription's confirmation
        answered = time.monotonic()
        assert mine.done(A, turn)
        # They are told when A's next turn comes: a delay after the answer.
        message = listener.get_message(timeout=2)
        assert message is not None and 299 <= int(message["data"]) <= 301, message
        # I freed A: I may not take its next turn early (lookahead), nor at the turn,
        # while they wait; only once the grace after it has passed.
        time.sleep(max(0.0, 0.3 - 0.25 - since(answered)) + 0.01)
        wait = mine.pop(lookahead=0.25)
        assert isinstance(wait, float)
        assert 0.3 + FAIR_GRACE - since(answered) - 0.002 <= wait <= 0.3 + FAIR_GRACE + 0.001
        taken = theirs.pop(lookahead=0.25)  # they may, ahead of the turn like anyone
        assert taken[0] == b"2" and 0 <= taken[4] <= 0.25
        # Roles swap: their answer frees A while I wait, so the next turn is mine.
        time.sleep(taken[4])
        assert theirs.done(A, taken[2])
        assert isinstance(theirs.pop(lookahead=0.25), float)
        time.sleep(0.3 - 0.25 + 0.01)
        assert mine.pop(lookahead=0.25)[0] == b"3"
    finally:
        listener.close()
        other.close()


def test_the_worker_that_freed_a_site_takes_the_turn_if_no_waiting_worker_comes(
    client, redis_url: str
) -> None:
    other = redis.Redis.from_url(redis_url)
    try:
        mine, theirs = budget(client), budget(other, waiting_for=0.5)
        mine.push([(A, 0, b"1"), (A, 1, b"2"), (A, 2, b"3")])
        turn = mine.pop()[2]
        assert isinstance(theirs.pop(), float)  # they wait, then stop asking (busy, dead)
        answered = time.monotonic()
        assert mine.done(A, turn)
        assert isinstance(mine.pop(lookahead=0.25), float)
        time.sleep(max(0.0, 0.3 + FAIR_GRACE - since(answered)) + 0.01)
        second = mine.pop()  # the grace has passed: the turn is not lost
        assert second[0] == b"2"
        # Their wish has lapsed by now: turns are taken as with one worker (lookahead).
        time.sleep(max(0.0, 0.5 - since(answered)) + 0.01)
        answered = time.monotonic()
        assert mine.done(A, second[2])
        time.sleep(0.3 - 0.25 + 0.01)
        third = mine.pop(lookahead=0.25)
        assert third[0] == b"3" and 0 < third[4] <= 0.25
    finally:
        other.close()


def test_a_turn_is_out_until_its_answer_comes_or_its_lease_ends(client) -> None:
    shared = budget(client, delay=0.1, lease=0.3)
    keys = keys_for("news")
    shared.push([(A, 0, b"1"), (B, 0, b"2")])
    turn = shared.pop()[2]
    assert frontier_state(client, keys) == (1, 0, 1)  # queued, seeds, turns out
    assert shared.done(A, turn)
    assert shared.turns_out() == 0
    given_back = shared.pop()[2]
    assert shared.turns_out() == 1
    assert shared.release(B, given_back)
    assert frontier_state(client, keys) == (0, 0, 0)
    assert isinstance(shared.acquire("c.example"), int)  # and the worker dies with it out
    assert shared.turns_out() == 1
    time.sleep(0.31)  # its lease ends: it no longer keeps anyone waiting
    assert shared.turns_out() == 0


def test_lower_scores_first_then_first_in_first_out(client) -> None:
    shared = budget(client, delay=0)
    shared.push([(A, 5, b"late"), (A, -10, b"urgent"), (A, 1, b"early")])
    assert [shared.pop()[0] for _ in range(3)] == [b"urgent", b"early", b"late"]


def test_crawl_delay_and_throttle_raise_the_delay_for_every_worker(client) -> None:
    shared = budget(client, delay=0.1)
    shared.set_crawl_delay(A, 2.0)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    _, _, turn, delay_ms, _, _ = shared.pop()
    assert delay_ms == 2000
    answered = time.monotonic()
    shared.done(A, turn)
    wait = shared.pop()  # first: the bound counts the time until its answer
    assert 2.0 - since(answered) <= wait <= 2.001
    shared.set_throttle(B, 0.7)
    shared.push([(B, 0, b"b")])
    assert shared.pop()[3] == 700


def test_a_turn_may_be_taken_a_little_ahead_and_says_how_long_to_wait(client) -> None:
    shared = budget(client, delay=0.5)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    answered = time.monotonic()
    shared.done(A, shared.pop()[2])
    wait = shared.pop(lookahead=0.2)
    # due 0.5 s after the answer, may be taken 0.2 s ahead
    assert isinstance(wait, float) and 0.3 - since(answered) <= wait <= 0.301
    time.sleep(wait + 0.01)
    data, _, token, _, turn_in, before = shared.pop(lookahead=0.2)
    assert data == b"2" and 0 < turn_in <= 0.2  # the request waits for its turn
    # Given back (robots.txt said no): the site is due at that turn again, not at once.
    shared.push([(A, 2, b"3")])
    assert shared.release(A, token, before)
    wait = shared.pop()
    assert 0.5 - since(answered) <= wait <= 0.501
    shared.push([(B, 0, b"b")])
    assert shared.pop(lookahead=0.2)[4] == 0  # a free site: no wait


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


def test_a_turn_whose_answer_never_comes_frees_its_site_when_its_lease_ends(client) -> None:
    shared = budget(client, delay=0.1, lease=0.2)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    taken = time.monotonic()
    turn = shared.pop()[2]
    wait = shared.pop()
    # Lease, then the delay, from the turn's start, which Redis floors to the ms: the
    # wait can be up to 1 ms shorter than the time this test measured.
    assert 0.3 - since(taken) - 0.001 <= wait <= 0.3
    time.sleep(0.31)  # the worker died with its request out
    assert shared.pop()[0] == b"2"
    assert not shared.done(A, turn)  # too late: the site went on without it


def test_a_request_outside_the_scheduler_takes_a_turn_once_the_site_is_free(client) -> None:
    shared = budget(client, delay=0.2)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    turn = shared.pop()[2]
    assert shared.acquire(A) > 1.0  # held by the request that is out
    answered = time.monotonic()
    shared.done(A, turn)
    wait = shared.acquire(A)
    assert isinstance(wait, float) and 0.2 - since(answered) <= wait <= 0.201
    time.sleep(wait + 0.01)
    robots = shared.acquire(A)
    assert isinstance(robots, int)
    assert shared.pop() > 1.0  # the queued request waits for robots.txt's answer
    assert shared.done(A, robots)
    assert isinstance(shared.acquire(B), int)  # a site never seen is free


def test_a_turn_given_back_frees_the_site_unless_a_later_one_was_taken(client) -> None:
    shared = budget(client, delay=5)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    turn = shared.pop()[2]
    assert shared.release(A, turn)  # its request never went out (robots.txt said no)
    later = shared.pop()
    assert later[0] == b"2"  # no 5 s wait: the first turn was never used
    assert not shared.release(A, turn)  # not the site's turn any more
    assert shared.release(A, later[2])


def test_a_site_without_delay_is_never_held(client) -> None:
    shared = budget(client, delay=0)
    shared.push([(A, 0, b"1"), (A, 1, b"2")])
    assert [shared.pop()[0] for _ in range(2)] == [b"1", b"2"]
    assert isinstance(shared.acquire(A), int)


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
