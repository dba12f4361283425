"""Distributed mode: several `scrapy crawl news` processes share one crawl through Redis.

scrapy-redis does the heavy part (the shared request queue and seen-set, switched on by
`spiders.addons.DistributedMode`). This module adds what our spider needs on top:

- start URLs come from the Redis list `<spider>:start_urls` (scrapy-redis convention;
  `scrapy seed news URL...` or any `RPUSH` fills it), and each worker takes a batch;
- the set of allowed domains lives in Redis too (`<spider>:domains`), because a worker
  that did not pop a seed must still keep links on that seed's site and drop the rest;
- a worker stays open while others may still feed the shared queue: it closes once the
  crawl-wide frontier has been empty, with no seeds waiting and no turn out (a request
  some worker sent to a site and whose answer has not come: it may bring links), for
  `MAX_IDLE_TIME_BEFORE_CLOSE` seconds in a row. Its own idleness alone does not count: a
  worker that gets no turn while the frontier holds requests is waiting, not done. A turn
  held by a dead worker counts until its lease ends (spiders.budget), so it delays closing
  by at most DOWNLOAD_TIMEOUT + 30 s.

scrapy-redis' own `RedisMixin` is not used: it builds `FormRequest`s with a callback-less
`parse` only, implements the pre-2.13 `start_requests()` API, and measures idleness from
the last time the start-URL list was non-empty, so a worker that crawled for longer than
the timeout closes at its first idle moment while its peers are still producing links.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from twisted.internet.task import LoopingCall

if TYPE_CHECKING:
    from collections.abc import Callable

    import redis
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

REDIS_URL_ENV = "NEWSCLEAN_REDIS_URL"
START_URLS_KEY = "%(name)s:start_urls"  # scrapy-redis' default REDIS_START_URLS_KEY
DOMAINS_KEY = "%(name)s:domains"
REQUESTS_KEY = "%(spider)s:requests"  # scrapy-redis' SCHEDULER_QUEUE_KEY default
DUPEFILTER_KEY = "%(spider)s:dupefilter"  # scrapy-redis' SCHEDULER_DUPEFILTER_KEY default
# The shared politeness budget (spiders.budget): sites with queued requests by next turn,
# each site's last turn, its robots.txt Crawl-delay and shared AutoThrottle delay (ms),
# how many requests are queued in the per-site queues `<requests key>:<site>`.
# The workers waiting for a turn and the sites held by a turn out (spiders.budget: fair
# turns, and the idle rule below).
BUDGET_KEYS = ("sites", "last", "crawl_delay", "throttle", "queued", "waiting", "out")
DEFAULT_MAX_IDLE = 30
# Seconds between checks, by a worker with spare capacity, of the shared queue. Scrapy by
# itself only looks again on its 5 s heartbeat, too late for short bursts of links.
DEFAULT_POLL_INTERVAL = 1.0
# Seconds before a host found off-site is asked about again: a seed for it may arrive.
OFF_SITE_RECHECK = 30.0


def redis_url(settings: BaseSettings) -> str | None:
    """The Redis URL that switches distributed mode on: the NEWSCLEAN_REDIS_URL setting
    (e.g. `-s NEWSCLEAN_REDIS_URL=redis://host:6379/0`), else the environment variable."""
    return settings.get("NEWSCLEAN_REDIS_URL") or os.environ.get(REDIS_URL_ENV) or None


def connect(url: str) -> redis.Redis:
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=30)


def keys_for(spider_name: str, settings: BaseSettings | None = None) -> dict[str, str]:
    """The Redis keys one spider's crawl uses, honouring scrapy-redis' key settings."""
    get = settings.get if settings is not None else (lambda _name, default: default)
    requests = get("SCHEDULER_QUEUE_KEY", REQUESTS_KEY) % {"spider": spider_name}
    return {
        "start_urls": get("REDIS_START_URLS_KEY", START_URLS_KEY) % {"name": spider_name},
        "domains": DOMAINS_KEY % {"name": spider_name},
        "requests": requests,
        "dupefilter": get("SCHEDULER_DUPEFILTER_KEY", DUPEFILTER_KEY) % {"spider": spider_name},
        **{name: f"{requests}:_{name}" for name in BUDGET_KEYS},
    }


def push_seeds(server: redis.Redis, keys: dict[str, str], urls: Iterable[str]) -> int:
    """Append start URLs to the shared list and allow their hosts; returns how many."""
    urls = [u for u in urls if u]
    if not urls:
        return 0
    with server.pipeline() as pipe:
        pipe.sadd(keys["domains"], *{host_of(u) for u in urls})
        pipe.rpush(keys["start_urls"], *urls)
        pipe.execute()
    return len(urls)


def reset_crawl(server: redis.Redis, keys: dict[str, str]) -> None:
    """Forget the frontier, the seen-set, pending seeds and domains: the next seeds start
    a crawl from scratch (the database keeps everything; unchanged pages are not rewritten)."""
    server.delete(*keys.values())
    clear_queues(server, keys)


def clear_queues(server: redis.Redis, keys: dict[str, str]) -> None:
    """Delete the per-site request queues of the shared budget and their bookkeeping."""
    prefix = keys["requests"]
    pattern = "".join(f"\\{c}" if c in "[]*?\\" else c for c in prefix) + ":*"
    batch = [key for key in server.scan_iter(match=pattern, count=1000)]
    for start in range(0, len(batch), 1000):
        server.delete(*batch[start : start + 1000])
    server.delete(*(keys[name] for name in BUDGET_KEYS if name in keys))


def queued_requests(server: redis.Redis, keys: dict[str, str]) -> int:
    """Requests waiting in the shared frontier (per-site queues, or scrapy-redis' one)."""
    with server.pipeline(transaction=False) as pipe:
        pipe.get(keys["queued"])
        pipe.zcard(keys["requests"])
        budgeted, single = pipe.execute()
    return int(budgeted or 0) + int(single or 0)


class FrontierState(NamedTuple):
    queued: int  # requests in the shared frontier (per-site queues or scrapy-redis' one)
    seeds: int  # start URLs no worker has taken yet
    turns_out: int  # sites held by a turn whose answer has not come and lease not ended


# KEYS: queued counter, scrapy-redis' queue, start URLs, out (zset site -> lease end).
_FRONTIER_SCRIPT = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('ZCARD', KEYS[2]),
        redis.call('LLEN', KEYS[3]), redis.call('ZCOUNT', KEYS[4], '(' .. now, '+inf')}
"""


def frontier_state(server: redis.Redis, keys: dict[str, str]) -> FrontierState:
    """What the crawl still has to do, crawl-wide, in one round trip on Redis' clock (a
    dead worker's turn counts until its lease ends, no longer)."""
    script = server.register_script(_FRONTIER_SCRIPT)
    names = ("queued", "requests", "start_urls", "out")
    budgeted, single, seeds, out = script(keys=[keys[n] for n in names])
    return FrontierState(int(budgeted) + int(single), int(seeds), int(out))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def parse_seed(data: bytes | str) -> str | None:
    """A seed is a URL, or scrapy-redis' JSON form `{"url": ...}`."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    text = text.strip()
    if text.startswith("{"):
        try:
            url = json.loads(text).get("url")
        except (ValueError, AttributeError):
            return None
        return url if isinstance(url, str) else None
    return text or None


class SharedFrontier:
    """The worker side of distributed mode, owned by the spider (see module docstring)."""

    def __init__(self, crawler: Crawler, spider: Spider, url: str) -> None:
        self.crawler = crawler
        self.spider = spider
        self.server = connect(url)
        self.keys = keys_for(spider.name, crawler.settings)
        self.batch_size = crawler.settings.getint("CONCURRENT_REQUESTS", 16)
        self.max_idle = crawler.settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE", DEFAULT_MAX_IDLE)
        self.domains: set[str] = set()
        self.off_site: dict[str, float] = {}  # host -> when Redis last said "not allowed"
        self.idle_since: float | None = None
        self.request_factory: Callable[[str], Iterable[Request]] | None = None
        from scrapy_redis.dupefilter import RFPDupeFilter

        # The scheduler's own seen-set (same key, same fingerprints), for seeds.
        self.seen = RFPDupeFilter(self.server, self.keys["dupefilter"])
        self.poll_interval = crawler.settings.getfloat(
            "NEWSCLEAN_REDIS_POLL_INTERVAL", DEFAULT_POLL_INTERVAL
        )
        self.poller: LoopingCall | None = None
        for signal in (signals.request_scheduled, signals.response_received):
            crawler.signals.connect(self._busy, signal=signal)
        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    def pop_seeds(self) -> list[str]:
        """Take up to one batch of start URLs off the shared list (atomically, so each
        seed goes to one worker) and allow their hosts for every worker."""
        key = self.keys["start_urls"]
        with self.server.pipeline() as pipe:  # MULTI/EXEC: no other worker gets these
            pipe.lrange(key, 0, self.batch_size - 1)
            pipe.ltrim(key, self.batch_size, -1)
            raw, _ = pipe.execute()
        urls = [u for u in map(parse_seed, raw) if u]
        if urls:
            # Seeds pushed by plain RPUSH (not `scrapy seed`) have no domain entry yet.
            hosts = {host_of(u) for u in urls}
            self.server.sadd(self.keys["domains"], *hosts)
            self.domains |= hosts
            logger.info("took %d start URL(s) from redis key %s", len(urls), key)
        return urls

    def seed_requests(self, requests: Iterable[Request]) -> Iterator[Request]:
        """Seeds are fetched even if an earlier run saw them (the seen-set outlives runs,
        SCHEDULER_PERSIST; seeding a site again is how the next incremental run starts),
        and entered in the seen-set so in-site links back to them are not fetched twice."""
        for request in requests:
            self.seen.request_seen(request)
            yield request.replace(dont_filter=True)

    def allows(self, host: str) -> bool:
        """Is `host` (or a parent domain of it) a seeded site? Asks Redis once per unknown
        host, and again after OFF_SITE_RECHECK seconds for hosts found off-site."""
        host = host.lower()
        candidates = _suffixes(host)
        if any(c in self.domains for c in candidates):
            return True
        checked = self.off_site.get(host)
        if checked is not None and time.monotonic() - checked < OFF_SITE_RECHECK:
            return False
        hits = self.server.smismember(self.keys["domains"], candidates)
        found = [c for c, hit in zip(candidates, hits, strict=True) if hit]
        if found:
            self.domains.update(found)
            self.off_site.pop(host, None)
            return True
        self.off_site[host] = time.monotonic()
        return False

    def _busy(self, **_kwargs: Any) -> None:
        self.idle_since = None

    def _opened(self) -> None:
        if self.poll_interval > 0:
            self.poller = LoopingCall(self._poll)
            self.poller.start(self.poll_interval, now=False)

    def _closed(self) -> None:
        if self.poller is not None and self.poller.running:
            self.poller.stop()

    def _poll(self) -> None:
        """Restart the idle clock while the crawl has work anywhere, and wake this
        worker's engine when it has room and requests are queued or new seeds are waiting
        (an idle engine takes seeds in its spider_idle handler).

        Uses the engine's internal `_slot.nextcall` (Scrapy has no public "look again"
        call); should that ever change, workers fall back to Scrapy's 5 s heartbeat."""
        engine = self.crawler.engine
        if engine is None:
            return
        try:
            state = frontier_state(self.server, self.keys)
        except Exception as exc:  # Redis hiccup: the scheduler will report it loudly
            logger.debug("poll of %s failed: %s", self.keys["requests"], exc)
            return
        if any(state):
            self.idle_since = None
        if not (state.queued or state.seeds) or engine.needs_backout():
            return
        nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def _idle(self) -> None:
        """Keep the worker open while new seeds or peers' links may still come; close it
        once the whole crawl has had nothing queued and no turn out for `max_idle` seconds
        in a row (see the module docstring)."""
        seeds = self.pop_seeds()
        if seeds and self.request_factory is not None and self.crawler.engine is not None:
            for url in seeds:
                for request in self.seed_requests(self.request_factory(url)):
                    self.crawler.engine.crawl(request)
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        state = frontier_state(self.server, self.keys)
        if any(state):
            self.idle_since = None
            logger.debug("waiting: %s", state)
            raise DontCloseSpider
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.max_idle:
            raise DontCloseSpider
        logger.info("frontier empty for %.0f s: closing this worker", now - self.idle_since)


def _suffixes(host: str) -> list[str]:
    parts = host.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))] or [host]
