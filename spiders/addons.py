"""Scrapy add-on switching on distributed mode when a Redis URL is configured.

With `NEWSCLEAN_REDIS_URL` (setting or environment variable) set, every `scrapy crawl news`
process becomes a worker of one shared crawl: scrapy-redis' scheduler keeps the request
queue and its dupefilter the seen-set in Redis, so each URL is fetched by one worker only,
and all workers store into the same database (NEWSCLEAN_DATABASE_URL, normally Postgres).
Without it nothing changes: Scrapy's own in-memory scheduler and dupefilter.
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings

from spiders.distributed import DEFAULT_MAX_IDLE, redis_url

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
        if settings.get("JOBDIR"):
            raise ValueError(
                "JOBDIR and distributed mode exclude each other: the crawl state lives in "
                "Redis (SCHEDULER_PERSIST), not in a job directory"
            )
