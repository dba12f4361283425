"""One politeness budget per site for all workers of a distributed crawl.

Scrapy's DOWNLOAD_DELAY, AutoThrottle and robots.txt Crawl-delay pace one process; a
publisher sees the sum over all workers. Here the pace lives in the crawl's Redis and is
shared by every worker:

- The frontier is one queue per site (`<requests key>:<site>`, site = host[:port], the
  origin robots.txt speaks for) plus a sorted set of the sites with queued requests, scored
  by when each may next be fetched. `PoliteScheduler.next_request()` runs one Lua script
  that picks a site whose turn has come, pops its best request and moves the site's next
  turn `delay` ahead, atomically, on Redis' clock (so workers on several machines agree).
  A worker whose sites are all waiting gets nothing, fetches what it has in flight, and is
  woken when the earliest site is due: the reactor never waits on a site, and a worker
  never holds a request it may not send (which a per-request check in the downloader
  would make it do).
- `delay` for a site = max(DOWNLOAD_DELAY, the site's robots.txt Crawl-delay, the shared
  AutoThrottle delay), read in the script, so a Crawl-delay learnt by one worker binds
  all of them from the next request on.
- `SharedBudgetMiddleware`, the last downloader middleware, confirms the turn as the
  request leaves: the site's next turn then counts from the moment it really left, so a
  request that leaves a little late (a busy reactor) does not bring the next one closer.
  Requests that reach the network without passing the scheduler (robots.txt fetched by
  RobotsTxtMiddleware), or whose turn was overtaken while they waited (for robots.txt),
  reserve the next free turn there and wait for it asynchronously; a turn granted to a
  request that never goes out (robots disallowed, skipped by a sitemap lastmod) is given
  back.
- `SharedAutoThrottle` is Scrapy's AutoThrottle policy applied to the shared delay of a
  site instead of one process' downloader slot.
- `BatchedSeenFilter` checks all links of a response against the shared seen-set in one
  pipelined round trip; the scheduler then trusts that check instead of asking per link,
  and writes the requests a response produced in one round trip too.

Per-worker limits stay per worker: CONCURRENT_REQUESTS(_PER_DOMAIN) bound what one process
has in flight; the shared delay bounds the rate a site sees. Scrapy's random spread of
delays (0.5-1.5x) does not apply to the shared turns: a delay here is a minimum, as
robots.txt means it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base as RedisQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import reactor
from twisted.internet.task import deferLater

from spiders import distributed

if TYPE_CHECKING:
    import redis
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser
    from twisted.internet.base import DelayedCall

logger = logging.getLogger(__name__)

# request.meta keys.
TURN_META = "newsclean_turn"  # (site, the turn: Redis ms)
SENT_META = "newsclean_turn_used"
CHECKED_META = "newsclean_seen_checked"  # the URL BatchedSeenFilter entered in the seen-set
# Turns are spaced this share more than the delay. The promise is about the rate a site
# measures, and requests do not arrive exactly at their turn: one leaves a few ms late
# (a busy reactor), the next on time, and the two arrive closer than the delay. With 5%,
# ten turns in a row span 10.5 delays, so a window of ten delays sees no eleventh request
# unless one is half a delay late.
DEFAULT_HEADROOM = 0.05
# Sites whose turn has come looked at per pop (those this worker cannot take now, its own
# downloader slot for them being full, are passed over).
SCAN_SITES = 64

# KEYS: sites (zset site -> next turn ms), last (hash site -> last turn ms), crawl_delay,
# throttle (hashes site -> ms), queued (counter). ARGV: queue key prefix, min delay ms,
# start delay ms (throttle value of a site not measured yet), headroom factor, then for a
# pop: scan size, excluded hosts...
# Returns {request, site, turn ms, delay ms} or {false, wait ms} (wait -1: nothing queued).
_DELAY = """
local function delay_of(site)
  local d = tonumber(ARGV[2])
  local c = tonumber(redis.call('HGET', KEYS[3], site) or '0')
  local t = tonumber(redis.call('HGET', KEYS[4], site) or ARGV[3])
  return math.floor(math.max(d, c, t) * tonumber(ARGV[4]))
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
"""
POP_SCRIPT = (
    _DELAY
    + """
local excluded = {}
for i = 6, #ARGV do excluded[ARGV[i]] = true end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))
for _, site in ipairs(due) do
  local host = string.gsub(site, ':%d+$', '')
  if not excluded[host] then
    local delay = delay_of(site)
    local last = tonumber(redis.call('HGET', KEYS[2], site) or '-1e15')
    if last + delay > now then
      -- the delay grew since the score was set (a Crawl-delay or throttle learnt)
      redis.call('ZADD', KEYS[1], last + delay, site)
    else
      local queue = ARGV[1] .. ':' .. site
      local item = redis.call('ZPOPMIN', queue)
      if #item == 0 then
        redis.call('ZREM', KEYS[1], site)
      else
        redis.call('HSET', KEYS[2], site, now)
        redis.call('DECR', KEYS[5])
        if redis.call('EXISTS', queue) == 1 then
          redis.call('ZADD', KEYS[1], now + delay, site)
        else
          redis.call('ZREM', KEYS[1], site)
        end
        return {item[1], site, now, delay}
      end
    end
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then return {false, -1} end
return {false, math.max(1, tonumber(first[2]) - now)}
"""
)
# Reserve the next free turn of site ARGV[5] (KEYS as above); returns {turn ms, wait ms}.
RESERVE_SCRIPT = (
    _DELAY
    + """
local site = ARGV[5]
local delay = delay_of(site)
local last = tonumber(redis.call('HGET', KEYS[2], site) or '-1e15')
local turn = math.max(now, last + delay)
redis.call('HSET', KEYS[2], site, turn)
if redis.call('ZSCORE', KEYS[1], site) then
  redis.call('ZADD', KEYS[1], turn + delay, site)
end
return {turn, turn - now}
"""
)
# The request of turn ARGV[6] of site ARGV[5] leaves now (KEYS as above): if that is still
# the site's latest turn, the next is counted from now, so a request that leaves late does
# not bring the next one closer; returns 1. Returns 0 if a later turn was granted meanwhile.
CONFIRM_SCRIPT = (
    _DELAY
    + """
local site = ARGV[5]
local last = redis.call('HGET', KEYS[2], site)
if not last or tonumber(last) ~= tonumber(ARGV[6]) then return 0 end
if now > tonumber(last) then
  redis.call('HSET', KEYS[2], site, now)
  if redis.call('ZSCORE', KEYS[1], site) then
    redis.call('ZADD', KEYS[1], now + delay_of(site), site)
  end
end
return 1
"""
)
# Give back turn ARGV[2] of site ARGV[1] if nobody has taken a later one; KEYS: sites, last.
RELEASE_SCRIPT = """
local last = redis.call('HGET', KEYS[2], ARGV[1])
if last and tonumber(last) == tonumber(ARGV[2]) then
  redis.call('HDEL', KEYS[2], ARGV[1])
  if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
    redis.call('ZADD', KEYS[1], 0, ARGV[1])
  end
  return 1
end
return 0
"""
# Push requests: ARGV = queue key prefix, then (site, score, request) triples. KEYS: sites,
# queued. A site new to the frontier is due now (its `last` turn still spaces it).
PUSH_SCRIPT = """
local n = 0
for i = 2, #ARGV, 3 do
  local site = ARGV[i]
  n = n + redis.call('ZADD', ARGV[1] .. ':' .. site, ARGV[i + 1], ARGV[i + 2])
  redis.call('ZADD', KEYS[1], 'NX', 0, site)
end
redis.call('INCRBY', KEYS[2], n)
return n
"""


def site_of(request: Request) -> str:
    """The budget key of a request: host[:port], lower-case (the origin of robots.txt)."""
    return (urlparse_cached(request).netloc or "").lower().rsplit("@", 1)[-1]


class HostBudget:
    """The shared frontier and turns of one crawl in Redis (see module docstring)."""

    def __init__(self, server: redis.Redis, keys: dict[str, str], *, min_delay: float,
                 start_delay: float, headroom: float = 0.0) -> None:  # fmt: skip
        self.server = server
        self.keys = keys
        self.min_delay_ms = round(min_delay * 1000)
        self.start_delay_ms = round(start_delay * 1000)
        self.headroom = headroom
        self._pop = server.register_script(POP_SCRIPT)
        self._reserve = server.register_script(RESERVE_SCRIPT)
        self._release = server.register_script(RELEASE_SCRIPT)
        self._confirm = server.register_script(CONFIRM_SCRIPT)
        self._push = server.register_script(PUSH_SCRIPT)
        self._budget_keys = [keys[k] for k in ("sites", "last", "crawl_delay", "throttle")]

    def _args(self) -> list[Any]:
        factor = f"{1 + self.headroom:.6f}"
        return [self.keys["requests"], self.min_delay_ms, self.start_delay_ms, factor]

    def push(self, entries: Iterable[tuple[str, float, bytes]]) -> int:
        """Queue (site, score, serialized request) entries; lower scores pop first."""
        args: list[Any] = [self.keys["requests"]]
        for site, score, data in entries:
            args += [site, score, data]
        if len(args) == 1:
            return 0
        return int(self._push(keys=[self.keys["sites"], self.keys["queued"]], args=args))

    def pop(self, excluded_hosts: Iterable[str] = ()) -> tuple[bytes, str, int, int] | float:
        """(request, site, turn ms, delay ms) of a site whose turn has come, or the seconds
        until the earliest turn (-1.0: nothing queued)."""
        args = [*self._args(), SCAN_SITES, *excluded_hosts]
        result = self._pop(keys=[*self._budget_keys, self.keys["queued"]], args=args)
        if result[0] is None:
            wait = int(result[1])
            return -1.0 if wait < 0 else wait / 1000
        data, site, turn, delay = result
        return data, site.decode(), int(turn), int(delay)

    def reserve(self, site: str) -> tuple[int, float]:
        """Take the next free turn of `site`: (turn ms, seconds to wait for it)."""
        turn, wait = self._reserve(keys=self._budget_keys, args=[*self._args(), site])
        return int(turn), int(wait) / 1000

    def confirm(self, site: str, turn: int) -> bool:
        """The request of `turn` leaves now; False if a later turn was granted meanwhile
        (it must then reserve a new one)."""
        return bool(self._confirm(keys=self._budget_keys, args=[*self._args(), site, turn]))

    def release(self, site: str, turn: int) -> bool:
        return bool(self._release(keys=self._budget_keys[:2], args=[site, turn]))

    def queued(self) -> int:
        return int(self.server.get(self.keys["queued"]) or 0)

    def set_crawl_delay(self, site: str, seconds: float) -> None:
        self.server.hset(self.keys["crawl_delay"], site, round(seconds * 1000))

    def set_throttle(self, site: str, seconds: float) -> None:
        self.server.hset(self.keys["throttle"], site, round(seconds * 1000))

    def throttle(self, site: str) -> float:
        value = self.server.hget(self.keys["throttle"], site)
        return (int(value) if value is not None else self.start_delay_ms) / 1000


def min_delay(crawler: Crawler) -> float:
    return crawler.settings.getfloat("DOWNLOAD_DELAY")


def start_delay(crawler: Crawler) -> float:
    """The shared delay of a site nothing was measured for: AutoThrottle's start delay when
    AutoThrottle is on (it then also sets the delay), else DOWNLOAD_DELAY."""
    settings = crawler.settings
    if settings.getbool("AUTOTHROTTLE_ENABLED"):
        return max(min_delay(crawler), settings.getfloat("AUTOTHROTTLE_START_DELAY"))
    return min_delay(crawler)


def budget_for(crawler: Crawler) -> HostBudget:
    """The crawler's one HostBudget (scheduler, middleware and throttle share it)."""
    budget = getattr(crawler, "_newsclean_budget", None)
    if budget is None:
        url = distributed.redis_url(crawler.settings)
        if not url:
            raise RuntimeError("the shared budget needs NEWSCLEAN_REDIS_URL")
        spider_name = crawler.spidercls.name
        keys = distributed.keys_for(spider_name, crawler.settings)
        headroom = crawler.settings.getfloat("NEWSCLEAN_BUDGET_HEADROOM", DEFAULT_HEADROOM)
        budget = HostBudget(distributed.connect(url), keys, min_delay=min_delay(crawler),
                            start_delay=start_delay(crawler), headroom=headroom)  # fmt: skip
        crawler._newsclean_budget = budget  # type: ignore[attr-defined]
    return budget


class HostQueue(RedisQueue):
    """scrapy-redis queue interface over the per-site queues (serialization, length and
    clearing); popping is PoliteScheduler's, which knows the worker's downloader."""

    budget: HostBudget | None = None

    def __len__(self) -> int:
        return self.budget.queued() if self.budget is not None else 0

    def entry(self, request: Request) -> tuple[str, float, bytes]:
        # Priority first, then first in, first out by the millisecond (scrapy-redis' one
        # sorted set orders equal priorities by the pickled bytes, i.e. at random).
        score = -request.priority * 1e13 + round(time.time() * 1000)
        return site_of(request), score, self._encode_request(request)

    def push(self, request: Request) -> None:
        if self.budget is not None:
            self.budget.push([self.entry(request)])

    def pop(self, timeout: int = 0) -> Request | None:
        raise NotImplementedError("PoliteScheduler.next_request pops with the budget")

    def decode(self, data: bytes) -> Request:
        return self._decode_request(data)

    def clear(self) -> None:
        if self.budget is not None:
            distributed.clear_queues(self.budget.server, self.budget.keys)


class PoliteScheduler(Scheduler):
    """scrapy-redis' scheduler (same seen-set, same persistence) over per-site queues with
    shared turns: next_request() returns only a request whose site may be fetched now."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.pending: list[Request] = []
        scheduler.wakeup: DelayedCall | None = None
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        if not isinstance(self.queue, HostQueue):
            raise ValueError("PoliteScheduler needs SCHEDULER_QUEUE_CLASS = HostQueue")
        self.budget = budget_for(self.crawler)
        self.queue.budget = self.budget
        # The shared turns space requests to a site; a local delay on top would only make
        # requests leave late (after their turn). Scrapy's AutoThrottle sets the same
        # attribute for its start delay; SharedAutoThrottle replaces it in this mode.
        downloader = self.crawler.engine.downloader
        if hasattr(downloader, "_delay"):
            downloader._delay = 0.0

    def close(self, reason: str) -> None:
        self.flush_pending()
        if self.wakeup is not None and self.wakeup.active():
            self.wakeup.cancel()
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        checked = request.meta.pop(CHECKED_META, None) == request.url
        if not request.dont_filter and not checked and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        # Written in one round trip with the other requests of the same response: the
        # engine schedules a response's requests one by one, in one reactor turn.
        self.pending.append(request)
        if len(self.pending) == 1:
            reactor.callLater(0, self.flush_pending)
        return True

    def flush_pending(self) -> None:
        if self.pending:
            entries = [self.queue.entry(r) for r in self.pending]
            self.pending = []
            self.budget.push(entries)

    def has_pending_requests(self) -> bool:
        return bool(self.pending) or self.budget.queued() > 0

    def next_request(self) -> Request | None:
        self.flush_pending()
        result = self.budget.pop(self._busy_hosts())
        if isinstance(result, float):
            logger.debug("no site due; next turn in %.3f s", result)
            if result > 0:
                self._wake_in(result)
            return None
        data, site, turn, delay = result
        request = self.queue.decode(data)
        # A redirect or retry copies the meta of the request it replaces: its turn is new.
        request.meta.pop(SENT_META, None)
        request.meta[TURN_META] = (site, turn)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _busy_hosts(self) -> list[str]:
        """Hosts whose downloader slot in this worker is full: a request for them would
        wait here after its turn was granted."""
        slots = self.crawler.engine.downloader.slots
        return [key for key, slot in slots.items() if slot.free_transfer_slots() <= 0]

    def _wake_in(self, seconds: float) -> None:
        """Look at the frontier again when the earliest site's turn comes (Scrapy itself
        would look again on its 5 s heartbeat only)."""
        if self.wakeup is not None and self.wakeup.active():
            if self.wakeup.getTime() <= reactor.seconds() + seconds:
                return
            self.wakeup.cancel()
        self.wakeup = reactor.callLater(seconds, self._wake)

    def _wake(self) -> None:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)  # no public "look again" call in Scrapy
        if slot is not None and getattr(slot, "nextcall", None) is not None:
            slot.nextcall.schedule()


class SharedBudgetMiddleware:
    """Last downloader middleware: every request that goes out holds a turn of its site.

    A request from PoliteScheduler holds one already and confirms it as it leaves (the next
    turn then counts from now); any other (robots.txt), or one whose turn was overtaken
    while it waited (for robots.txt), reserves the next free turn and waits for it without
    blocking the reactor. A turn granted to a request that does not go out is given back."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.budget = budget_for(crawler)
        self.stats = crawler.stats
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedBudgetMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        site = site_of(request)
        if not site or request.meta.get(SENT_META):
            return
        turn = request.meta.get(TURN_META)
        request.meta[SENT_META] = True
        if turn is not None and turn[0] == site and self.budget.confirm(site, turn[1]):
            return
        # Not from the scheduler (robots.txt), or a later turn was granted while this
        # request waited (for robots.txt, typically): take the next free turn.
        reserved, wait = self.budget.reserve(site)
        request.meta[TURN_META] = (site, reserved)
        self.stats.inc_value("newsclean/budget/reserved")
        if wait > 0:
            self.stats.inc_value("newsclean/budget/waited_seconds", round(wait, 3))
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        self.budget.confirm(site, reserved)  # count the next turn from now if it still can

    def process_response(self, request: Request, response: Response) -> Response:
        self._give_back_unused(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._give_back_unused(request)

    def _give_back_unused(self, request: Request) -> None:
        turn = request.meta.get(TURN_META)
        if turn is not None and not request.meta.get(SENT_META):
            request.meta.pop(TURN_META)
            if self.budget.release(turn[0], turn[1]):
                self.stats.inc_value("newsclean/budget/released")

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """Publish the site's Crawl-delay to every worker."""
        agent = self.crawler.settings.get("ROBOTSTXT_USER_AGENT") or request.headers.get(
            b"User-Agent", self.crawler.settings.get("USER_AGENT")
        )
        try:
            delay = robotparser.crawl_delay(agent)
        except (NotImplementedError, AttributeError):
            return
        if delay:
            site = site_of(request)
            self.budget.set_crawl_delay(site, float(delay))
            logger.info("robots.txt of %s: Crawl-delay %s s for all workers", site, delay)


class SharedAutoThrottle(AutoThrottle):
    """Scrapy's AutoThrottle policy on the shared delay of each site: every worker's
    responses move one crawl-wide delay per site (stored in Redis) instead of a delay
    per worker. Enabled by AUTOTHROTTLE_ENABLED as usual."""

    def _spider_opened(self, spider: Spider) -> None:
        self.mindelay = self._min_delay()
        self.maxdelay = self._max_delay()
        self.budget = budget_for(self.crawler)

    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        latency = request.meta.get("download_latency")
        if latency is None or request.meta.get("autothrottle_dont_adjust_delay") is True:
            return
        site = site_of(request)
        shared = _DelayHolder(self.budget.throttle(site))
        before = shared.delay
        self._adjust_delay(shared, latency, response)  # type: ignore[arg-type]
        if shared.delay != before:
            self.budget.set_throttle(site, shared.delay)
        if self.debug:
            change = (shared.delay - before) * 1000
            logger.info("site %s: shared delay %.0f ms (%+.0f), latency %.0f ms",
                        site, shared.delay * 1000, change, latency * 1000)  # fmt: skip


class _DelayHolder:
    """What AutoThrottle._adjust_delay reads and writes of a downloader slot."""

    def __init__(self, delay: float) -> None:
        self.delay = delay


class BatchedSeenFilter:
    """Spider middleware: the requests a response yields are checked against the shared
    seen-set in one pipelined round trip (SADD per fingerprint), instead of one round trip
    per link in the scheduler. Seen ones are dropped here; the others are marked so the
    scheduler does not ask again."""

    def __init__(self, crawler: Crawler) -> None:
        url = distributed.redis_url(crawler.settings)
        keys = distributed.keys_for(crawler.spidercls.name, crawler.settings)
        self.filter = RFPDupeFilter(distributed.connect(url), keys["dupefilter"])
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BatchedSeenFilter:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        yield from self._filter(list(result))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        for item in self._filter([item async for item in result]):
            yield item

    def _filter(self, output: list[Any]) -> Iterator[Any]:
        checked = [o for o in output if isinstance(o, Request) and not o.dont_filter]
        new: set[int] = set()
        if checked:
            with self.filter.server.pipeline(transaction=False) as pipe:
                for request in checked:
                    pipe.sadd(self.filter.key, self.filter.request_fingerprint(request))
                added = pipe.execute()
            new = {id(r) for r, a in zip(checked, added, strict=True) if a}
            self.stats.inc_value("newsclean/seen_checks/round_trips")
            self.stats.inc_value("newsclean/seen_checks/requests", len(checked))
            if len(new) < len(checked):
                self.stats.inc_value("dupefilter/filtered", len(checked) - len(new))
        for item in output:
            if isinstance(item, Request) and not item.dont_filter:
                if id(item) not in new:
                    continue
                item.meta[CHECKED_META] = item.url
            yield item
