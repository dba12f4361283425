"""Scrapy add-on switching on distributed mode when a Redis URL is configured.

With `NEWSCLEAN_REDIS_URL` (setting or environment variable) set, every `scrapy crawl news`
process becomes a worker of one shared crawl: scrapy-redis' scheduler keeps the request
queue and its dupefilter the seen-set in Redis, so each URL is fetched by one worker only,
and all workers store into the same database (NEWSCLEAN_DATABASE_URL, normally Postgres).
Without it nothing changes: Scrapy's own in-memory scheduler and dupefilter.

With `NEWSCLEAN_SHARED_BUDGET` (on by default) the workers also share one politeness budget
per site (spiders.budget): per-site queues with crawl-wide turns in the scheduler, the last
downloader middleware holding every request to its turn, AutoThrottle and robots.txt
Crawl-delay applied to the crawl's rate, and a response's links checked against the seen-set
in one round trip.
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings

from spiders.distributed import DEFAULT_MAX_IDLE, redis_url

BUDGET_SETTINGS = {
    "SCHEDULER": "spiders.budget.PoliteScheduler",
    "SCHEDULER_QUEUE_CLASS": "spiders.budget.HostQueue",
}
# Closest to the network: requests stopped earlier (robots.txt, a sitemap lastmod) never
# take a turn for good, and nothing runs between the turn and the download.
BUDGET_MIDDLEWARE_ORDER = 950
# Closest to the engine: sees the requests a response produced after every other filter.
SEEN_FILTER_ORDER = 5

# Priority "addon" is above Scrapy's defaults and below settings.py, -s and spider
# settings, so a user can still override any of these (e.g. -s SCHEDULER_PERSIST=False).
DISTRIBUTED_SETTINGS = {
    "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    # A worker that finishes must not wipe the queue and seen-set its peers still use;
    # `scrapy seed news --reset` forgets them on purpose.
    "SCHEDULER_PERSIST": True,
    # Priority order across workers: discovery documents (robots, sitemaps) first.
    "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
    # Never block the reactor in a Redis pop: idle workers poll on Scrapy's heartbeat.
    "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
    # Seconds a worker waits with nothing to do (its peers may still add links) before
    # it closes; the crawl ends when the last worker has waited this long.
    "MAX_IDLE_TIME_BEFORE_CLOSE": DEFAULT_MAX_IDLE,
}


class DistributedMode:
    """Registered in settings.ADDONS; inert unless a Redis URL is configured."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        settings.set("REDIS_URL", url, priority="addon")  # read by scrapy-redis
        # scrapy-redis 0.9.1 still passes `spider=` to the stats collector (deprecated in
        # Scrapy 2.13, harmless until removed): one warning per worker, nothing to act on.
        warnings.filterwarnings(
            "ignore", "Passing a 'spider' argument", ScrapyDeprecationWarning, "scrapy_redis"
        )
        for name, value in DISTRIBUTED_SETTINGS.items():
            settings.set(name, value, priority="addon")
        if settings.getbool("NEWSCLEAN_SHARED_BUDGET", True):
            self.share_budget(settings)
        if settings.get("JOBDIR"):
            raise ValueError(
                "JOBDIR and distributed mode exclude each other: the crawl state lives in "
                "Redis (SCHEDULER_PERSIST), not in a job directory"
            )

    def share_budget(self, settings: BaseSettings) -> None:
        from scrapy.extensions.throttle import AutoThrottle

        from spiders.budget import BatchedSeenFilter, SharedAutoThrottle, SharedBudgetMiddleware

        for name, value in BUDGET_SETTINGS.items():
            settings.set(name, value, priority="addon")
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", SharedBudgetMiddleware, BUDGET_MIDDLEWARE_ORDER
        )
        settings.set_in_component_priority_dict(
            "SPIDER_MIDDLEWARES", BatchedSeenFilter, SEEN_FILTER_ORDER
        )
        # AutoThrottle on the shared delay of each site instead of this process' slots.
        settings.set_in_component_priority_dict("EXTENSIONS", AutoThrottle, None)
        settings.set_in_component_priority_dict("EXTENSIONS", SharedAutoThrottle, 0)
