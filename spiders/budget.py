"""One politeness budget per site for all workers of a distributed crawl.

Scrapy's DOWNLOAD_DELAY, AutoThrottle and robots.txt Crawl-delay pace one process; a
publisher sees the sum over all workers. Here the pace lives in the crawl's Redis and is
shared by every worker:

- The frontier is one queue per site (`<requests key>:<site>`, site = host[:port], the
  origin robots.txt speaks for) plus a sorted set of the sites with queued requests, scored
  by when each may next be fetched. `PoliteScheduler.next_request()` runs one Lua script
  that picks a site whose turn has come and pops its best request, atomically, on Redis'
  clock (so workers on several machines agree). A worker whose sites are all waiting gets
  nothing, fetches what it has in flight, and is woken when the earliest site is due: the
  reactor never waits on a site. A request may be taken up to LOOKAHEAD (0.25 s) before
  its site's turn and wait for it in `SharedBudgetMiddleware`, so that a worker busy at
  the instant of the turn does not stretch every gap by its lateness.
- A site with a delay has one request out at a time, crawl-wide, and its next turn comes
  `delay` after the previous request's answer began to arrive (the convention of polite
  crawlers such as Nutch and Heritrix). The answer is the only moment a worker *knows* the
  request has reached the site: counting from when it left would not do, because a
  request confirmed as leaving can still sit in a busy reactor for most of a second and
  reach the site just before the next one (measured: 0.8 s late, two requests 8 ms
  apart). So a turn holds the site (a lease, in case the worker dies) until
  `SharedBudgetMiddleware` sees the response headers; gaps between the requests a site
  sees are then at least `delay`, however late a worker is.
- Fair turns: a worker that asks and gets nothing is entered as waiting (for WAITING_FOR
  seconds, refreshed at each vain ask). While another worker waits, the worker whose
  answer freed a site does not take the site's next turn, early or on time, until
  FAIR_GRACE after it; the waiting workers are told when it comes on a pub/sub channel
  (`TurnAnnouncements`, a listener thread per worker that wakes its engine). Otherwise,
  in a one-site crawl, the worker whose answer freed the site asks first every time and
  takes every turn while the others, woken once per poll, get none. The rule decides who
  takes a turn, never when: pacing stays strict.
- The sites held by a turn out are kept with their lease end (`out`), so that idle
  workers stay open while an answer may still bring links (spiders.distributed).
- `delay` for a site = max(DOWNLOAD_DELAY, the site's robots.txt Crawl-delay, the shared
  AutoThrottle delay), read in the script, so a Crawl-delay learnt by one worker binds
  all of them from the next request on. A site whose delay is 0 is not held: only the
  per-worker concurrency limits apply to it.
- `SharedBudgetMiddleware`, the last downloader middleware, ends the turn when the
  response headers arrive (or the download fails), and gives back a turn whose request
  never goes out (robots disallowed, skipped by a sitemap lastmod). robots.txt, which
  RobotsTxtMiddleware fetches without the scheduler, goes out on the turn of the request
  that is waiting for it, which then goes back to the frontier for a turn of its own;
  any other request that bypasses the scheduler waits (without blocking the reactor)
  until its site is free and takes a turn then.
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
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
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
TURN_META = "newsclean_turn"  # (site, turn token: Redis ms, site's last answer before)
SENT_META = "newsclean_turn_used"
DONE_META = "newsclean_turn_done"
CHECKED_META = "newsclean_seen_checked"  # the URL BatchedSeenFilter entered in the seen-set
# Turns may be spaced this share more than the delay (NEWSCLEAN_BUDGET_HEADROOM). Counting
# from the answer already keeps every gap the site sees at least one delay long.
DEFAULT_HEADROOM = 0.0
# A turn holds its site until the answer comes: at most DOWNLOAD_TIMEOUT, plus this for
# the time between the turn and the download (the downloader middlewares). A worker that
# dies with a turn out leaves its site held for that long, no longer.
LEASE_MARGIN = 30.0
# Seconds between looks at a held site by a request that bypassed the scheduler.
ACQUIRE_POLL = 0.1
# Sites whose turn has come looked at per pop (those this worker cannot take now, its own
# downloader slot for them being full, are passed over).
SCAN_SITES = 64
# Seconds before its turn a site's next request may be taken (never more than its delay):
# the request then waits for its turn in the last downloader middleware and leaves on
# time, instead of being fetched from Redis and passed through the engine and the
# middlewares by a worker whose reactor is busy at that moment (a tenth of a second and
# more on a loaded machine, each turn). Politeness does not depend on it: the turn is what
# counts; a worker's capacity held by waiting requests does, hence a short horizon.
LOOKAHEAD = 0.25
# Fair turns: a worker that asked for a turn in vain counts as waiting for this long (it
# asks again at least every poll interval, NEWSCLEAN_REDIS_POLL_INTERVAL, while requests
# are queued; the wish lapses with a worker that died or got busy) ...
WAITING_FOR = 2.0
# ... and while one waits, the worker whose answer freed a site leaves the site's next turn
# to the waiting workers until this long after it comes (woken by a message on the turns
# channel, they take it up to LOOKAHEAD early; the grace only costs pace when none comes).
FAIR_GRACE = 0.25

# KEYS: sites (zset site -> next turn ms), last (hash site -> ms the next turn counts from:
# the last answer, or the lease end of a turn out; `site#token`: the last token issued;
# `site#by`: the worker whose answer last freed the site), crawl_delay, throttle (hashes
# site -> ms), waiting (zset worker -> ms its wish for a turn lapses), out (zset site ->
# lease end of its turn out), queued (counter). ARGV: queue key prefix, min delay ms, start
# delay ms (throttle value of a site not measured yet), headroom factor, lease ms, this
# worker's id, ms a wish for a turn lasts, fair grace ms, the wake-up channel, then for a
# pop: scan size, lookahead ms, excluded hosts...; for one site: the site, a turn's token
# (and for a release: the site's `last` before the turn).
# A turn's token is the value it wrote to `last` (unique while it holds the site).
_DELAY = """
local function delay_of(site)
  local d = tonumber(ARGV[2])
  local c = tonumber(redis.call('HGET', KEYS[3], site) or '0')
  local t = tonumber(redis.call('HGET', KEYS[4], site) or ARGV[3])
  return math.floor(math.max(d, c, t) * tonumber(ARGV[4]))
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local me = ARGV[6]
local function take(site, delay)
  local token = now
  if delay > 0 then
    -- unique per site (a turn given back and one taken in the same ms must differ)
    token = now + tonumber(ARGV[5])
    local issued = tonumber(redis.call('HGET', KEYS[2], site .. '#token') or '0')
    if token <= issued then token = issued + 1 end
    redis.call('HSET', KEYS[2], site .. '#token', token)
    redis.call('ZADD', KEYS[6], token, site)
  end
  redis.call('HSET', KEYS[2], site, token)
  return token
end
-- Workers other than this one that asked for a turn lately and got none.
local function others_waiting()
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  local n = redis.call('ZCARD', KEYS[5])
  if redis.call('ZSCORE', KEYS[5], me) then n = n - 1 end
  return n > 0
end
-- The site is free again, its next turn `due_in` ms from now: wake the waiting workers
-- (they would otherwise look again only at their next poll).
local function announce(site, due_in)
  if redis.call('ZSCORE', KEYS[1], site) and others_waiting() then
    redis.call('PUBLISH', ARGV[9], math.max(0, due_in))
  end
end
"""
# Pop (ARGV[11]: lookahead ms): a site whose turn comes within the lookahead (at most its
# delay) may be taken early; its request then waits in the worker for the turn. Fair turns:
# while other workers wait for a turn, the worker whose answer freed a site does not take
# the site's next turn before the turn plus the grace (the waiters, woken by `announce`,
# take it; the grace only matters when they fail to come). A worker that gets nothing is
# entered as waiting. Returns {request, site, token, delay ms, ms until the turn, the
# site's `last` before} or {false, wait ms} (-1: nothing queued).
POP_SCRIPT = (
    _DELAY
    + """
local excluded = {}
for i = 12, #ARGV do excluded[ARGV[i]] = true end
local ahead = tonumber(ARGV[11])
local grace = tonumber(ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now + ahead, 'LIMIT', 0,
                       tonumber(ARGV[10]))
local yielded, yield_until = {}, nil
local waiting = nil
for _, site in ipairs(due) do
  local host = string.gsub(site, ':%d+$', '')
  if not excluded[host] then
    local delay = delay_of(site)
    local last = tonumber(redis.call('HGET', KEYS[2], site) or '-1e15')
    if last > now or last + delay > now + math.min(ahead, delay) then
      -- held by a turn out, or the delay grew since the score was set
      redis.call('ZADD', KEYS[1], last + delay, site)
    else
      local fair_from = last + delay + grace
      local freed_here = delay > 0 and fair_from > now
                         and redis.call('HGET', KEYS[2], site .. '#by') == me
      if freed_here and waiting == nil then waiting = others_waiting() end
      if freed_here and waiting then
        yielded[site] = true  -- left to the waiting workers, until fair_from
        if yield_until == nil or fair_from < yield_until then yield_until = fair_from end
      else
        local queue = ARGV[1] .. ':' .. site
        local item = redis.call('ZPOPMIN', queue)
        if #item == 0 then
          redis.call('ZREM', KEYS[1], site)
        else
          local turn = math.max(0, last + delay - now)
          local token = take(site, delay)
          redis.call('DECR', KEYS[7])
          redis.call('ZREM', KEYS[5], me)
          if redis.call('EXISTS', queue) == 1 then
            redis.call('ZADD', KEYS[1], token + delay, site)
          else
            redis.call('ZREM', KEYS[1], site)
          end
          return {item[1], site, token, delay, turn, last}
        end
      end
    end
  end
end
local n = 0
for _ in pairs(yielded) do n = n + 1 end
local first = redis.call('ZRANGE', KEYS[1], 0, n, 'WITHSCORES')
local wait = nil
for i = 1, #first, 2 do
  if not yielded[first[i]] then
    wait = tonumber(first[i + 1]) - ahead - now
    break
  end
end
if yield_until ~= nil and (wait == nil or yield_until - now < wait) then
  wait = yield_until - now
end
if wait == nil then
  redis.call('ZREM', KEYS[5], me)
  return {false, -1}
end
redis.call('ZADD', KEYS[5], now + tonumber(ARGV[7]), me)
return {false, math.max(1, wait)}
"""
)
# Take a turn of site ARGV[10] if it is free now (KEYS as above): {token, 0}, else
# {false, ms until it is free (or until a held site's lease ends)}.
ACQUIRE_SCRIPT = (
    _DELAY
    + """
local site = ARGV[10]
local delay = delay_of(site)
local last = tonumber(redis.call('HGET', KEYS[2], site) or '-1e15')
if last + delay > now then return {false, last + delay - now} end
local token = take(site, delay)
if redis.call('ZSCORE', KEYS[1], site) then
  redis.call('ZADD', KEYS[1], token + delay, site)
end
return {token, 0}
"""
)
# The answer to the request of turn ARGV[11] of site ARGV[10] is arriving (KEYS as above):
# the site's next turn counts from now, rounded up (the request has surely reached the
# site by now), and this worker freed it. Returns 0 if the turn no longer holds the site
# (its lease ran out).
DONE_SCRIPT = (
    _DELAY
    + """
local site = ARGV[10]
local last = redis.call('HGET', KEYS[2], site)
if not last or tonumber(last) ~= tonumber(ARGV[11]) then return 0 end
local answered = tonumber(time[1]) * 1000 + math.ceil(tonumber(time[2]) / 1000)
local delay = delay_of(site)
redis.call('HSET', KEYS[2], site, answered)
redis.call('HSET', KEYS[2], site .. '#by', me)
redis.call('ZREM', KEYS[6], site)
if redis.call('ZSCORE', KEYS[1], site) then
  redis.call('ZADD', KEYS[1], answered + delay, site)
end
announce(site, answered + delay - now)
return 1
"""
)
# Give back turn ARGV[11] of site ARGV[10], whose request never went out, if it still holds
# the site: the site's `last` goes back to ARGV[12], what it was before the turn (the turn
# may have been taken ahead of time, so "free now" would bring the next request closer).
RELEASE_SCRIPT = (
    _DELAY
    + """
local site = ARGV[10]
local last = redis.call('HGET', KEYS[2], site)
if last and tonumber(last) == tonumber(ARGV[11]) then
  local before = tonumber(ARGV[12])
  if before > -1e14 then
    redis.call('HSET', KEYS[2], site, ARGV[12])
  else
    redis.call('HDEL', KEYS[2], site)
  end
  redis.call('ZREM', KEYS[6], site)
  if redis.call('ZSCORE', KEYS[1], site) then
    redis.call('ZADD', KEYS[1], 0, site)
  end
  announce(site, before + delay_of(site) - now)
  return 1
end
return 0
"""
)
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


def turns_channel(keys: dict[str, str]) -> str:
    """The pub/sub channel on which a freed site's next turn is announced (payload: ms
    until it comes) to the workers waiting for one."""
    return f"{keys['requests']}:_turns"


def site_of(request: Request) -> str:
    """The budget key of a request: host[:port], lower-case (the origin of robots.txt)."""
    return (urlparse_cached(request).netloc or "").lower().rsplit("@", 1)[-1]


class HostBudget:
    """The shared frontier and turns of one crawl in Redis (see module docstring)."""

    def __init__(self, server: redis.Redis, keys: dict[str, str], *, min_delay: float,
                 start_delay: float, headroom: float = 0.0, lease: float = 60.0,
                 waiting_for: float = WAITING_FOR, grace: float = FAIR_GRACE) -> None:  # fmt: skip
        self.server = server
        self.keys = keys
        # Who this worker is to the others (fair turns), and how long its wish for a turn
        # lasts after it last asked in vain.
        self.worker = uuid.uuid4().hex
        self.waiting_for_ms = round(waiting_for * 1000)
        self.grace_ms = round(grace * 1000)
        self.channel = turns_channel(keys)
        self.min_delay_ms = round(min_delay * 1000)
        self.start_delay_ms = round(start_delay * 1000)
        self.headroom = headroom
        self.lease_ms = round(lease * 1000)
        # Turns this worker took that hold their site and whose request has not left yet
        # (site -> token), and those of them lent to the site's robots.txt request.
        self.unsent: dict[str, tuple[int, float]] = {}  # site -> (token, turn: monotonic)
        self.lent: set[tuple[str, int]] = set()
        self._pop = server.register_script(POP_SCRIPT)
        self._acquire = server.register_script(ACQUIRE_SCRIPT)
        self._release = server.register_script(RELEASE_SCRIPT)
        self._done = server.register_script(DONE_SCRIPT)
        self._push = server.register_script(PUSH_SCRIPT)
        names = ("sites", "last", "crawl_delay", "throttle", "waiting", "out")
        self._budget_keys = [keys[k] for k in names]

    def _args(self) -> list[Any]:
        factor = f"{1 + self.headroom:.6f}"
        return [self.keys["requests"], self.min_delay_ms, self.start_delay_ms, factor,
                self.lease_ms, self.worker, self.waiting_for_ms, self.grace_ms,
                self.channel]  # fmt: skip

    def push(self, entries: Iterable[tuple[str, float, bytes]]) -> int:
        """Queue (site, score, serialized request) entries; lower scores pop first."""
        args: list[Any] = [self.keys["requests"]]
        for site, score, data in entries:
            args += [site, score, data]
        if len(args) == 1:
            return 0
        return int(self._push(keys=[self.keys["sites"], self.keys["queued"]], args=args))

    def pop(
        self, excluded_hosts: Iterable[str] = (), lookahead: float = 0.0
    ) -> tuple[bytes, str, int, int, float, int] | float:
        """(request, site, turn token, delay ms, seconds until the turn, the site's last
        answer before: for release()) of a site whose turn comes within `lookahead`, or
        the seconds until one does (-1.0: nothing queued). Getting nothing enters this
        worker as waiting for a turn (for `waiting_for` seconds): while it waits, a site
        freed by another worker's answer goes to it or another waiting worker first."""
        args = [*self._args(), SCAN_SITES, round(lookahead * 1000), *excluded_hosts]
        result = self._pop(keys=[*self._budget_keys, self.keys["queued"]], args=args)
        if result[0] is None:
            wait = int(result[1])
            return -1.0 if wait < 0 else wait / 1000
        data, site, turn, delay, wait, before = result
        return data, site.decode(), int(turn), int(delay), int(wait) / 1000, int(before)

    def acquire(self, site: str) -> int | float:
        """Take a turn of `site` if it is free now: its token (an int), else the seconds
        until it is free (a float; for a held site, until its lease ends)."""
        token, wait = self._acquire(keys=self._budget_keys, args=[*self._args(), site])
        return int(token) if token is not None else int(wait) / 1000

    def done(self, site: str, turn: int) -> bool:
        """The answer to the request of `turn` is arriving: the site's next turn counts
        from now, and waiting workers are told when it comes. False if the turn no
        longer held the site."""
        return bool(self._done(keys=self._budget_keys, args=[*self._args(), site, turn]))

    def release(self, site: str, turn: int, before: int | None = None) -> bool:
        """Give back `turn` (its request never went out): the site's last answer goes back
        to `before` (what pop() returned with the turn; None: the site is free now)."""
        args = [site, turn, before if before is not None else -(10**15)]
        return bool(self._release(keys=self._budget_keys, args=[*self._args(), *args]))

    def queued(self) -> int:
        return int(self.server.get(self.keys["queued"]) or 0)

    def turns_out(self) -> int:
        """Sites held by a turn whose answer has not come (and whose lease has not ended)."""
        return distributed.frontier_state(self.server, self.keys).turns_out

    def set_crawl_delay(self, site: str, seconds: float) -> None:
        self.server.hset(self.keys["crawl_delay"], site, round(seconds * 1000))

    def set_throttle(self, site: str, seconds: float) -> None:
        self.server.hset(self.keys["throttle"], site, round(seconds * 1000))

    def throttle(self, site: str) -> float:
        value = self.server.hget(self.keys["throttle"], site)
        return (int(value) if value is not None else self.start_delay_ms) / 1000


class TurnAnnouncements:
    """A thread subscribed to the crawl's turns channel: each freed site's next turn,
    announced while workers wait for one, is passed to `on_turn(seconds until it comes)`
    in the reactor thread. Without it a waiting worker would look again only at its next
    poll, and the worker that freed the site, asking first, would get every turn."""

    def __init__(self, server: redis.Redis, channel: str, on_turn: Callable[[float], None]) -> None:
        self.server = server
        self.channel = channel
        self.on_turn = on_turn
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._listen, name="turns", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)

    def _listen(self) -> None:
        pubsub = None
        while not self.stopping.is_set():
            try:
                if pubsub is None:
                    pubsub = self.server.pubsub(ignore_subscribe_messages=True)
                    pubsub.subscribe(self.channel)
                message = pubsub.get_message(timeout=0.5)
            except Exception as exc:  # Redis gone for a while: polls still find turns
                logger.debug("turns channel %s: %s", self.channel, exc)
                if pubsub is not None:
                    pubsub.close()
                pubsub = None
                self.stopping.wait(1.0)
                continue
            if message is not None and message.get("type") == "message":
                reactor.callFromThread(self.on_turn, int(message["data"]) / 1000)
        if pubsub is not None:
            pubsub.close()


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
        lease = crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180) + LEASE_MARGIN
        poll = crawler.settings.getfloat(
            "NEWSCLEAN_REDIS_POLL_INTERVAL", distributed.DEFAULT_POLL_INTERVAL
        )
        budget = HostBudget(distributed.connect(url), keys, min_delay=min_delay(crawler),
                            start_delay=start_delay(crawler), headroom=headroom,
                            lease=lease, waiting_for=max(WAITING_FOR, 2 * poll))  # fmt: skip
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
        scheduler.announcements: TurnAnnouncements | None = None
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        if not isinstance(self.queue, HostQueue):
            raise ValueError("PoliteScheduler needs SCHEDULER_QUEUE_CLASS = HostQueue")
        self.budget = budget_for(self.crawler)
        self.queue.budget = self.budget
        self.announcements = TurnAnnouncements(
            self.budget.server, self.budget.channel, self._turn_announced
        )
        self.announcements.start()
        # The shared turns space requests to a site; a local delay on top would only make
        # requests leave late (after their turn). Scrapy's AutoThrottle sets the same
        # attribute for its start delay; SharedAutoThrottle replaces it in this mode.
        downloader = self.crawler.engine.downloader
        if hasattr(downloader, "_delay"):
            downloader._delay = 0.0

    def close(self, reason: str) -> None:
        self.flush_pending()
        if self.announcements is not None:
            self.announcements.stop()
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
        result = self.budget.pop(self._busy_hosts(), LOOKAHEAD)
        if isinstance(result, float):
            logger.debug("no site due; next turn in %.3f s", result)
            if result > 0:
                self._wake_in(result)
            return None
        data, site, turn, delay, wait, before = result
        request = self.queue.decode(data)
        # A redirect or retry copies the meta of the request it replaces: its turn is new.
        request.meta.pop(SENT_META, None)
        request.meta.pop(DONE_META, None)
        request.meta[TURN_META] = (site, turn, before)
        if delay > 0:
            self.budget.unsent[site] = (turn, time.monotonic() + wait)
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

    def _turn_announced(self, seconds: float) -> None:
        """Another worker freed a site while this one waits: look when its turn comes (a
        request may be taken LOOKAHEAD early)."""
        self._wake_in(max(0.0, seconds - LOOKAHEAD))

    def _wake(self) -> None:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)  # no public "look again" call in Scrapy
        if slot is not None and getattr(slot, "nextcall", None) is not None:
            slot.nextcall.schedule()


class SharedBudgetMiddleware:
    """Last downloader middleware: every request that goes out holds a turn of its site,
    and the turn ends when the answer's headers arrive (see the module docstring).

    A request from PoliteScheduler holds one already. robots.txt (RobotsTxtMiddleware
    fetches it without the scheduler, for the request waiting in this worker) goes out on
    that request's turn, and the waiting request goes back to the frontier; any other
    request without a turn waits, without blocking the reactor, until its site is free. A
    turn granted to a request that does not go out is given back."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.budget = budget_for(crawler)
        self.stats = crawler.stats
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.headers_received, signal=signals.headers_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedBudgetMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> Request | None:
        site = site_of(request)
        if not site or request.meta.get(SENT_META):
            return None
        turn = request.meta.get(TURN_META)
        if turn is not None and turn[0] == site:
            if (site, turn[1]) in self.budget.lent:
                # Its turn carried the site's robots.txt: back to the frontier for another
                # (already checked against the seen-set, which must not drop it now).
                self.budget.lent.discard((site, turn[1]))
                self.stats.inc_value("newsclean/budget/requeued")
                again = request.replace()
                again.meta.pop(TURN_META, None)
                again.meta[CHECKED_META] = again.url
                return again
            unsent = self.budget.unsent.get(site)
            if unsent is not None and unsent[0] == turn[1]:
                del self.budget.unsent[site]
                await _until(unsent[1])  # taken a little ahead of its turn
        else:
            request.meta[TURN_META] = (site, await self._turn_for(site), None)
        request.meta[SENT_META] = True
        return None

    async def _turn_for(self, site: str) -> int:
        """A turn for a request the scheduler did not hand out (robots.txt)."""
        unsent = self.budget.unsent.pop(site, None)
        if unsent is not None:
            self.budget.lent.add((site, unsent[0]))
            self.stats.inc_value("newsclean/budget/lent")
            await _until(unsent[1])
            return unsent[0]
        waited = 0.0
        while isinstance(result := self.budget.acquire(site), float):
            pause = max(0.001, min(result, ACQUIRE_POLL))
            waited += pause
            await maybe_deferred_to_future(deferLater(reactor, pause, lambda: None))
        self.stats.inc_value("newsclean/budget/acquired")
        if waited:
            self.stats.inc_value("newsclean/budget/waited_seconds", round(waited, 3))
        return result

    def headers_received(self, request: Request, **_kwargs: Any) -> None:
        self._end_turn(request)

    def process_response(self, request: Request, response: Response) -> Response:
        self._end_turn(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._end_turn(request)

    def _end_turn(self, request: Request) -> None:
        """Count the site's next turn from now, or give back a turn never used."""
        turn = request.meta.get(TURN_META)
        if turn is None or request.meta.get(DONE_META):
            return
        request.meta[DONE_META] = True
        if request.meta.get(SENT_META):
            self.budget.done(turn[0], turn[1])
            return
        unsent = self.budget.unsent.get(turn[0])
        if unsent is not None and unsent[0] == turn[1]:
            del self.budget.unsent[turn[0]]
        self.budget.lent.discard((turn[0], turn[1]))  # its robots.txt said no
        if self.budget.release(turn[0], turn[1], turn[2] if len(turn) > 2 else None):
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


async def _until(deadline: float) -> None:
    """Wait, without blocking the reactor, until time.monotonic() reaches `deadline`."""
    wait = deadline - time.monotonic()
    if wait > 0:
        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))


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
