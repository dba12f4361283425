"""The `news` spider: start from site URLs, discover articles through links, sitemaps and
feeds, and yield one PageItem per fetched page (article, index page or failure)."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from cleaning import triage
from spiders import distributed
from spiders.cleanpool import DEFAULT_CLEANER, run_cleaner
from spiders.items import PageItem
from spiders.middlewares import LASTMOD_META, UNCHANGED_META
from spiders.pagework import PageJob, PageResult, process_page
from spiders.starturls import StartUrlError, read_start_urls
from storage.store import DEFAULT_DEDUP

try:
    from scrapy.exceptions import DownloadCancelledError
except ImportError:  # older Scrapy cancels an oversized body with Twisted's error
    from twisted.internet.defer import CancelledError as DownloadCancelledError

PageProcessor = Callable[[PageJob], Awaitable[PageResult]]
NO_START_URLS = (
    "give start URLs: -a url=https://site/[,https://other/] or -a urls_file=PATH (one URL per line)"
)


class NewsSpider(Spider):
    name = "news"

    def __init__(self, url: str | None = None, urls_file: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_site_urls = read_start_urls(url, urls_file)
        # Checked by _on_site (host names: the port does not matter).
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.start_site_urls})
        # URL hash -> least link depth at which this process yielded a Request for it
        # (_first_request).
        self.requested: dict[int, int] = {}
        # Where pages go: the cleaning pool once CleanPipeline has offered it
        # (use_page_processor), else this process.
        self.process_page: PageProcessor = self._process_here
        # Distributed mode (NEWSCLEAN_REDIS_URL set): seeds, frontier and allowed domains
        # are shared through Redis by all workers; see spiders.distributed.
        self.shared: distributed.SharedFrontier | None = None

    @classmethod
    def preflight(
        cls,
        settings: BaseSettings,
        url: str | None = None,
        urls_file: str | None = None,
        **_kwargs: Any,
    ) -> None:
        """The spider arguments, checked by `scrapy crawl` before the crawl starts
        (spiders.commands.crawl), so a mistake is one line instead of a traceback in the
        log: StartUrlError (a ValueError) for a missing or malformed URL, OSError for an
        unreadable urls_file."""  # fmt: skip
        urls = read_start_urls(url, urls_file)
        if not urls and not distributed.redis_url(settings):
            raise StartUrlError(NO_START_URLS)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.follow_article_links = settings.getbool("NEWSCLEAN_FOLLOW_ARTICLE_LINKS", True)
        spider.use_feeds = settings.getbool("NEWSCLEAN_USE_FEEDS", True)
        spider.cleaner = settings.get("NEWSCLEAN_CLEANER") or DEFAULT_CLEANER
        redis_url = distributed.redis_url(crawler.settings)
        if redis_url:
            spider.shared = distributed.SharedFrontier(crawler, spider, redis_url)
            spider.shared.request_factory = spider._site_requests
            # Offsite filtering per host through Redis (_on_site): the seeds of other
            # workers are on-site too, so the static allowed_domains must not filter.
            spider.allowed_domains = []
        elif not spider.start_site_urls:  # started without `scrapy crawl` (from a script)
            raise StartUrlError(NO_START_URLS)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        if self.shared is not None:
            # Start URLs given on the command line join the shared list; every worker
            # then takes its batch from there (and later ones when idle).
            distributed.push_seeds(self.shared.server, self.shared.keys, self.start_site_urls)
            for url in self.shared.pop_seeds():
                for request in self.shared.seed_requests(self._site_requests(url)):
                    yield request
            return
        for url in self.start_site_urls:
            for request in self._site_requests(url):
                yield request

    def _site_requests(self, url: str) -> Iterator[Request]:
        self.requested[hash(url)] = 0
        yield Request(url, callback=self.parse, errback=self.on_error)
        if self.settings.getbool("NEWSCLEAN_USE_SITEMAPS", True):
            yield Request(urljoin(url, "/robots.txt"), callback=self.parse_robots,
                          errback=self.on_discovery_error, priority=10)  # fmt: skip
            yield Request(urljoin(url, "/sitemap.xml"), callback=self.parse_sitemap,
                          errback=self.on_discovery_error, priority=10)  # fmt: skip

    # --- pages -----------------------------------------------------------------------

    def use_page_processor(self, process: PageProcessor) -> None:
        """Called by the pipeline that owns the cleaning workers (spiders.pipelines.
        CleanPipeline): pages go there, whole, instead of being handled in this process."""
        self.process_page = process

    async def parse(self, response: Response) -> AsyncIterator[Request | PageItem]:
        if response.status == 304:  # conditional GET (spiders.middlewares.IncrementalMiddleware)
            yield self._unchanged(response, response.meta.get(UNCHANGED_META, "not-modified"))
            return
        if response.status >= 400:
            yield self._skip(response, "http-error", f"HTTP {response.status}")
            return
        if triage.looks_like_feed(response.body):
            for request in self.parse_feed(response):
                yield request
            return
        unchanged = response.meta.get(UNCHANGED_META)
        job = PageJob(
            url=response.url,
            body=response.body,
            content_type=_content_type_header(response),
            clean=not unchanged,
            # HTML that Scrapy took for binary (no Content-Type, odd bytes) is judged and
            # cleaned; its links are not followed (it is rarely a page that links on).
            links=isinstance(response, TextResponse),
            article_links=self.follow_article_links,
            feeds=self.use_feeds,
            dedup=DEFAULT_DEDUP,
        )
        # Triage, links, cleaning and the store's columns, from one parse in a worker
        # process (spiders.pagework): the reactor only schedules, downloads and hands over.
        result = await self.process_page(job)
        for url in result.links:
            if self._first_request(url, response):
                yield Request(url, callback=self.parse, errback=self.on_error)
        for url in result.feeds:
            if self._first_request(url, response):
                yield Request(url, callback=self.parse_feed, errback=self.on_discovery_error)
        if result.is_article and unchanged:
            # Same bytes as the stored page, already cleaned by this cleaner version.
            yield self._unchanged(response, unchanged)
        elif result.skip_reason is not None:
            item = self._skip(response, result.skip_reason, result.detail)
            item.packed_body = result.packed_body
            yield item
        else:
            yield self._page(response, article=result.article, fingerprint=result.fingerprint,
                             packed_body=result.packed_body)  # fmt: skip

    async def _process_here(self, job: PageJob) -> PageResult:
        """No cleaning pool in this crawl (CleanPipeline disabled): the same work, in
        this process."""
        return process_page(functools.partial(run_cleaner, self.cleaner), job)

    def _first_request(self, url: str, response: Response) -> bool:
        """Whether to yield a Request for `url`, linked from `response`: on-site and not
        yet requested by this process at this link depth or less. A page's links are
        mostly the same nav, section and related links as its neighbours', and building,
        scheduling and dupefilter-dropping a Request costs the reactor far more than a
        dict lookup. The scheduler's dupefilter (persistent with JOBDIR, shared in Redis)
        stays the authority; this only spares it the obvious repeats. A URL seen first
        deeper than DEPTH_LIMIT (dropped before the dupefilter saw it) is requested again
        when a shallower link turns up, as without this shortcut. Python's str hash keys
        the dict: a few bytes per URL instead of the URL itself."""
        key = hash(url)
        depth = response.meta.get("depth", 0) + 1
        if self.requested.get(key, depth + 1) <= depth or not self._on_site(url):
            return False
        self.requested[key] = depth
        return True

    # --- discovery documents (not pages of the corpus themselves) --------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if response.status >= 400:
            return
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            yield Request(url, callback=self.parse_sitemap, errback=self.on_discovery_error)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.status >= 400 or not response.body:
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":  # .xml.gz sitemaps
            import gzip

            try:
                body = gzip.decompress(body)
            except OSError:
                self.logger.warning("unreadable gzipped sitemap %s", response.url)
                return
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types on garbage
            self.logger.warning("unreadable sitemap %s: %s", response.url, exc)
            return
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc or (sitemap.type == "sitemapindex" and not self._on_site(loc)):
                continue
            if sitemap.type == "sitemapindex":
                yield Request(loc, callback=self.parse_sitemap, errback=self.on_discovery_error)
            elif self._first_request(loc, response):
                # lastmod lets an incremental crawl skip pages stored since (middlewares).
                yield Request(loc, callback=self.parse, errback=self.on_error,
                              meta={LASTMOD_META: entry.get("lastmod")})  # fmt: skip

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if response.status >= 400:
            return
        feed = feedparser.parse(response.body)
        for entry in feed.entries:
            link = entry.get("link")
            url = urljoin(response.url, link) if link else None
            if url and self._first_request(url, response):
                date = entry.get("updated") or entry.get("published")
                yield Request(url, callback=self.parse, errback=self.on_error,
                              meta={LASTMOD_META: date})  # fmt: skip

    # --- failures ----------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request  # type: ignore[attr-defined]
        reason, detail = classify_failure(failure)
        # A redirect chain that failed is recorded under the URL that was linked.
        url = request.meta.get("redirect_urls", [request.url])[0]
        self.logger.debug("skip %s: %s (%s)", url, reason, detail)
        yield PageItem(url=url, status=None, fetched_at=_now(), skip_reason=reason,
                       skip_detail=detail, final_url=request.url)  # fmt: skip

    def on_discovery_error(self, failure: Failure) -> None:
        # A site without robots.txt, sitemap or feed is normal, not a skipped page.
        self.logger.debug("discovery request failed: %s", failure.getErrorMessage())

    # --- helpers -------------------------------------------------------------------------

    def _on_site(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        if any(host == d or host.endswith("." + d) for d in self.allowed_domains):
            return True
        return self.shared is not None and self.shared.allows(host)

    def _page(self, response: Response, **fields: Any) -> PageItem:
        original = (
            response.request.meta.get("redirect_urls", [response.url])[0]
            if response.request
            else response.url
        )
        return PageItem(
            url=original,
            final_url=response.url,
            status=response.status,
            fetched_at=_now(),
            headers=_headers(response),
            body=response.body,
            content_type=_content_type(response),
            **fields,
        )

    def _skip(self, response: Response, reason: str, detail: str) -> PageItem:
        return self._page(response, skip_reason=reason, skip_detail=detail)

    def _unchanged(self, response: Response, how: str) -> PageItem:
        # Nothing to store: the stored page is current. Body and headers are left out.
        return PageItem(url=response.meta.get("redirect_urls", [response.url])[0],
                        final_url=response.url, status=response.status, fetched_at=_now(),
                        unchanged=how)  # fmt: skip


def classify_failure(failure: Failure) -> tuple[str, str]:
    """Map a download failure to a skip reason of the bad-input policy."""
    message = failure.getErrorMessage()
    lowered = message.lower()
    # Before IgnoreRequest: a gzip bomb is an IgnoreRequest from HttpCompressionMiddleware.
    if "maxsize" in lowered or "max size" in lowered or "larger than download" in lowered:
        return "too-large", message
    if failure.check(DownloadCancelledError):  # Scrapy cancels bodies over DOWNLOAD_MAXSIZE
        return "too-large", message or "body larger than DOWNLOAD_MAXSIZE"
    if failure.check(HttpError):
        return "http-error", message
    if failure.check(IgnoreRequest):
        if "robots.txt" in message:
            return "robots", message
        if "redirect" in lowered and "max" in lowered:
            return "http-error", f"redirect loop: {message}"
        return "http-error", message
    return "fetch-error", f"{failure.type.__name__}: {message}" if failure.type else message


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1").split(";")[0].strip().lower() if value else None


def _content_type_header(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


def _headers(response: Response) -> dict[str, str]:
    return {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
    }


def _now() -> datetime:
    return datetime.now(UTC)
