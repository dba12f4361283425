"""Item pipelines: clean pages in worker processes, then store them in batches.

Both are coroutines (Scrapy 2.13+ deprecates returning Deferreds from process_item): the
slow work runs elsewhere — cleaning in a process pool, database writes in a thread — and
the reactor only awaits it, so downloading never stalls on CPU or I/O.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline

from cleaning.types import CleanedArticle
from spiders.cleanpool import DEFAULT_CLEANER, CleanPool, outcome
from spiders.items import PageItem
from spiders.middlewares import pages_stored
from spiders.pagework import PageJob, PageResult
from storage import Store, resolve_database_url
from storage.checks import check_database
from storage.profiles import learn_site_profiles, site_profiles
from storage.records import PackedBody, PageRecord
from storage.store import UNAVAILABLE_ERRORS, site_domain

logger = logging.getLogger(__name__)

T = TypeVar("T")


class CleanPipeline:
    """Owns the cleaning worker pool (spiders.cleanpool). The `news` spider hands each
    fetched page to it whole (`process_page`: triage, links, cleaning, store columns in one
    worker job); an item that still carries HTML (another spider's) is cleaned here."""

    def __init__(
        self, crawler: Crawler, workers: int, timeout: float, cleaner: str = DEFAULT_CLEANER
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = workers
        self.timeout = timeout
        self.cleaner = cleaner
        self.pool: CleanPool | None = None
        # domain -> boilerplate lines learned from earlier crawls (storage.profiles); read
        # on the first article, when StorePipeline has brought the schema up to date.
        self.use_profiles = crawler.settings.getbool("NEWSCLEAN_SITE_PROFILES", True)
        self.profiles: dict[str, list[str]] | None = None

    @classmethod
    def preflight(cls, settings: BaseSettings) -> None:
        """Run by `scrapy crawl` before the crawl starts (spiders.commands.crawl)."""
        cls._settings(settings)

    @classmethod
    def _settings(cls, settings: BaseSettings) -> tuple[int, float, str]:
        # ValueError, not NotConfigured: that would crawl on without cleaning.
        timeout = setting_number(settings, "NEWSCLEAN_CLEAN_TIMEOUT", float, minimum=0, strict=True)
        workers = setting_number(settings, "NEWSCLEAN_CLEAN_WORKERS", int, minimum=0)
        return workers, timeout, settings.get("NEWSCLEAN_CLEANER") or DEFAULT_CLEANER

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        workers, timeout, cleaner = cls._settings(crawler.settings)
        pipeline = cls(crawler, workers, timeout, cleaner)
        # The spider exists by now (Scrapy builds it before the engine and its pipelines).
        use_pages = getattr(crawler.spider, "use_page_processor", None)
        if use_pages is not None:
            use_pages(pipeline.process_page)
        return pipeline

    def open_spider(self) -> None:
        self.pool = CleanPool(self.workers, self.timeout, self.cleaner)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()

    async def process_item(self, item: PageItem) -> PageItem:
        if item.skip_reason or item.html is None:
            return item
        assert self.pool is not None
        url = item.final_url or item.url
        future = self.pool.submit(item.html, url, self._site_profile(url))
        article, error = None, None
        try:
            article = await asyncio.wrap_future(future)
        except Exception as exc:  # classified by cleanpool.outcome
            error = exc
        item.article, item.skip_reason, item.skip_detail = outcome(
            article, error, item.url, self.timeout
        )
        if error is None:
            self.stats.inc_value("newsclean/cleaned")
        item.html = None  # not needed downstream; keeps items small
        return item

    async def process_page(self, job: PageJob) -> PageResult:
        """One fetched page through a worker (spiders.pagework.process_page), with the
        site's learned boilerplate lines; a timeout or a dead worker comes back as a
        cleaner-timeout / cleaner-crash result (the bad-input policy), with no links."""
        assert self.pool is not None, "the spider ran before the pipeline opened"
        job = replace(job, site_profile=tuple(self._site_profile(job.url)))
        future = self.pool.submit_page(job)
        try:
            result = await asyncio.wrap_future(future)
        except Exception as exc:  # classified by cleanpool.outcome
            _, reason, detail = outcome(None, exc, job.url, self.timeout)
            return PageResult(reason or "cleaner-crash", detail or "", is_article=True,
                              packed_body=PackedBody.of(job.body))  # fmt: skip
        if result.cleaner_error is not None:
            logger.error("cleaner failed on %s\n%s", job.url, result.cleaner_error)
        elif result.is_article and job.clean:
            self.stats.inc_value("newsclean/cleaned")
        return result

    def _site_profile(self, url: str) -> list[str]:
        if not self.use_profiles:
            return []
        if self.profiles is None:
            database_url = resolve_database_url(self.crawler.settings.get("NEWSCLEAN_DATABASE_URL"))
            with Store(database_url) as store:
                self.profiles = site_profiles(store)
            self.stats.set_value("newsclean/profiles/sites", len(self.profiles))
        return self.profiles.get(site_domain(url), [])


class StorePipeline:
    """Batches pages into idempotent upserts; records the crawl run and its summary."""

    def __init__(
        self,
        crawler: Crawler,
        database_url: str,
        batch_size: int,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.database_url = database_url
        self.batch_size = batch_size
        self.retry = retry or RetryPolicy()
        self.store: Store | None = None
        self.run_id: int | None = None
        self.buffer: list[PageRecord] = []
        self.write_lock = asyncio.Lock()
        # Sites whose articles this crawl stored: their boilerplate profiles are relearned
        # at the end, so the next crawl's cleaner knows their recurring lines.
        self.learn_profiles = crawler.settings.getbool("NEWSCLEAN_LEARN_SITE_PROFILES", True)
        self.sites_with_articles: set[str] = set()

    @classmethod
    def preflight(cls, settings: BaseSettings) -> None:
        """Run by `scrapy crawl` before the crawl starts (spiders.commands.crawl): the
        settings, then one connection to the database (storage.checks), so a wrong port,
        password or database name fails in seconds with the reason. The outage retry
        below is for a database that goes away during the crawl."""
        _batch_size, url, _retry = cls._settings(settings)
        check_database(url)

    @classmethod
    def _settings(cls, settings: BaseSettings) -> tuple[int, str, RetryPolicy]:
        batch_size = setting_number(settings, "NEWSCLEAN_STORE_BATCH_SIZE", int, minimum=1)
        url = resolve_database_url(settings.get("NEWSCLEAN_DATABASE_URL"))
        delay, max_delay, give_up_after = (
            setting_number(settings, f"NEWSCLEAN_STORE_RETRY_{name}", float, minimum=0)
            for name in ("DELAY", "MAX_DELAY", "TIMEOUT")
        )
        retry = RetryPolicy(first_delay=delay, max_delay=max_delay, give_up_after=give_up_after)
        return batch_size, url, retry

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        batch_size, url, retry = cls._settings(crawler.settings)
        return cls(crawler, url, batch_size, retry)

    def open_spider(self) -> None:
        self.store = Store(self.database_url)
        self.store.upgrade()  # a new database works with no extra step; a newer one is refused
        spider = self.crawler.spider
        self.run_id = self.store.start_run(
            spider=spider.name if spider else "news", settings=_run_settings(self.crawler)
        )
        self.stats.set_value("newsclean/run_id", self.run_id)  # for spiders.monitoring
        logger.info("storing into %s (crawl run %s)", self.store.safe_url, self.run_id)

    async def process_item(self, item: PageItem) -> PageItem:
        self.stats.inc_value("newsclean/pages")
        if item.unchanged:  # the stored copy is current: nothing to write
            self.stats.inc_value(f"newsclean/unchanged/{item.unchanged}")
            self.stats.inc_value("newsclean/stored/unchanged")
            self.crawler.signals.send_catch_log(pages_stored, urls=[item.url])
            return item
        if item.skip_reason:
            self.stats.inc_value(f"newsclean/skipped/{item.skip_reason}")
        else:
            self.sites_with_articles.add(site_domain(item.final_url or item.url))
        self.buffer.append(_record(item))
        if len(self.buffer) >= self.batch_size:
            await self._flush()
        return item

    async def close_spider(self) -> None:
        if self.store is None:
            return
        try:
            while self.buffer:
                await self._flush()
            if self.learn_profiles:
                await self._learn_profiles()
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            await self._with_retries(self.store.finish_run, self.run_id, stats)
            logger.info("newsclean summary:\n%s", format_summary(stats))
        finally:
            self.store.close()

    async def _learn_profiles(self) -> None:
        assert self.store is not None
        for site in sorted(self.sites_with_articles):
            try:
                learned = await asyncio.to_thread(learn_site_profiles, self.store, site=site)
            except UNAVAILABLE_ERRORS:
                logger.warning("database unavailable: site profile of %s not relearned", site)
                continue
            self.stats.inc_value("newsclean/profiles/lines", sum(learned.values()))

    async def _flush(self) -> None:
        async with self.write_lock:
            # At most one batch per transaction even when items piled up meanwhile (during
            # an outage): a kill then loses at most one committed-but-unjournaled batch.
            batch = self.buffer[: self.batch_size]
            del self.buffer[: self.batch_size]
            if not batch:
                return
            assert self.store is not None
            try:
                result = await self._with_retries(self.store.save_pages, batch, self.run_id)
            except UNAVAILABLE_ERRORS:
                # Not marked stored: with JOBDIR, a resumed crawl fetches these again.
                logger.error("database unavailable for %.0f s, giving up on %d pages",
                             self.retry.give_up_after, len(batch))  # fmt: skip
                self.stats.inc_value("newsclean/store/lost", len(batch))
                return
            self.crawler.signals.send_catch_log(pages_stored, urls=[r.url for r in batch])
        self.stats.inc_value("newsclean/stored/pages", result.pages)
        self.stats.inc_value("newsclean/stored/articles", result.articles)
        self.stats.inc_value("newsclean/stored/comments", result.comments)
        self.stats.inc_value("newsclean/stored/unchanged", result.unchanged)
        for _failed in getattr(result, "failed", []) or []:
            self.stats.inc_value("newsclean/store/failed")

    async def _with_retries(self, write: Callable[..., T], *args: Any) -> T:
        """Run a database write in a thread; while the database is unreachable (server
        down, connection lost) wait with exponential backoff and try again. The store
        rolls a failed batch back whole, so a retry never meets a partial write. Items
        queue up meanwhile, and Scrapy stops downloading once they fill its scraper slot."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.retry.give_up_after
        delay = self.retry.first_delay
        while True:
            try:
                return await asyncio.to_thread(write, *args)
            except UNAVAILABLE_ERRORS as exc:
                if loop.time() + delay > deadline:
                    raise
                self.stats.inc_value("newsclean/store/retries")
                logger.warning("database unavailable (%s), retrying in %.1f s",
                               _first_line(exc), delay)  # fmt: skip
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.retry.max_delay)


class PageValidationPipeline(ItemValidationPipeline):
    """spidermon's item validation (SPIDERMON_VALIDATION_SCHEMAS), fed a shallow view of
    a PageItem: `ItemAdapter.asdict()`, which spidermon runs on every item, deep-copies
    the whole item (raw and compressed body, every paragraph, removal and comment) in the
    reactor thread, where it was the largest per-page cost after Scrapy's own. The view
    holds every field (spidermon counts them) and the article's schema-relevant parts."""

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageItem):
            return super().process_item(item, spider)
        validators = self.find_validators(item)
        if not validators:
            return item
        view = {name: getattr(item, name) for name in PageItem.__slots__}
        if item.article is not None:
            view["article"] = _article_view(item.article)
        self.stats.add_item()
        self.stats.add_fields(len(view))
        for validator in validators:
            ok, errors = validator.validate(view)
            if not ok:
                self._add_error_stats(errors)
                if self.add_errors_to_items:
                    self._add_errors_to_item(ItemAdapter(item), errors)
                if self.drop_items_with_errors:
                    self._drop_item(item, errors)
        return item


def _article_view(article: CleanedArticle) -> dict[str, Any]:
    return {
        "title": article.title,
        "paragraphs": article.paragraphs,
        "comments": [{"text": c.text, "author": c.author} for c in article.comments],
        "cleaner_version": article.cleaner_version,
    }


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How StorePipeline waits out a database outage."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    give_up_after: float = 900.0


def setting_number(
    settings: BaseSettings,
    name: str,
    kind: type[int] | type[float],
    *,
    minimum: float,
    strict: bool = False,
) -> Any:
    """A numeric setting (>= minimum, or > minimum if strict), else a ValueError naming
    it: Scrapy's getint/getfloat would say only `invalid literal for int()`."""
    value = settings.get(name)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {what}, got {value!r} (-s {name}=...)") from None
    if number < minimum or (strict and number == minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}, got {value}")
    return number


def _first_line(exc: BaseException) -> str:
    # Driver messages run over several lines (SQL, parameters); the first says what failed.
    return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"


def format_summary(stats: dict[str, Any]) -> str:
    """The end-of-crawl summary: what was fetched, stored and skipped, and why."""
    lines = [
        f"pages fetched:     {stats.get('newsclean/pages', 0)}",
        f"articles stored:   {stats.get('newsclean/stored/articles', 0)}",
        f"comments stored:   {stats.get('newsclean/stored/comments', 0)}",
        f"unchanged:         {stats.get('newsclean/stored/unchanged', 0)}",
        f"store retries:     {stats.get('newsclean/store/retries', 0)}",
    ]
    skips = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newsclean/skipped/")}
    lines.append(f"skipped:           {sum(skips.values())}")
    lines.extend(f"  {reason:<16} {count}" for reason, count in sorted(skips.items()))
    return "\n".join(lines)


def _record(item: PageItem) -> PageRecord:
    return PageRecord(
        url=item.url,
        final_url=item.final_url,
        status=item.status,
        fetched_at=item.fetched_at,
        headers=item.headers,
        body=item.body,
        content_type=item.content_type,
        article=item.article,
        skip_reason=item.skip_reason,
        skip_detail=item.skip_detail,
        fingerprint=item.fingerprint,
        packed_body=item.packed_body,
    )


def _run_settings(crawler: Crawler) -> dict[str, Any]:
    # Only our own and the politeness settings: the full settings object holds
    # credentials (database URLs) that must not end up in the database or logs.
    names = [
        "USER_AGENT", "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY", "DEPTH_LIMIT", "DOWNLOAD_MAXSIZE",
        "CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_ITEMCOUNT", "CLOSESPIDER_TIMEOUT", "JOBDIR",
        "NEWSCLEAN_CLEAN_WORKERS", "NEWSCLEAN_CLEAN_TIMEOUT", "NEWSCLEAN_STORE_BATCH_SIZE",
    ]  # fmt: skip
    settings = {n: crawler.settings.get(n) for n in names}
    spider = crawler.spider
    if spider is not None:
        settings["start_urls"] = list(getattr(spider, "start_site_urls", []))
    return settings
