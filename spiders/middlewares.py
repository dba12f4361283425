"""Middlewares that let an unattended crawl survive the real web.

- `RedirectGuardMiddleware` (downloader): a redirect back to a URL already in the chain,
  or off the allowed domains, ends as a recorded skip; without it the duplicate filter or
  the offsite filter drops the redirected request silently and the page is never recorded.
- `IncrementalMiddleware` (downloader): re-crawls fetch little. Pages already stored are
  asked for with If-None-Match / If-Modified-Since; pages whose sitemap `lastmod` or feed
  date is older than the stored fetch are not requested at all; a full response with the
  same bytes as the stored page is not cleaned again.
- `CrawlJournal` (spider middleware, only with JOBDIR): a journal of requested and stored
  URLs that survives SIGKILL, so a resumed crawl re-requests exactly the pages that were
  requested but never stored (Scrapy's own queue is written at clean shutdown only).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urldefrag, urljoin

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.job import job_dir
from w3lib.url import canonicalize_url, safe_url_string

from cleaning.types import CLEANER_VERSION
from storage import Store, resolve_database_url
from storage.recrawl import StoredPage, stored_pages

logger = logging.getLogger(__name__)

# Signal sent by StorePipeline after a batch is committed: `urls` are safely stored.
pages_stored = object()

# request.meta keys shared with the spider.
UNCHANGED_META = "newsclean_unchanged"  # set here, read by NewsSpider.parse
LASTMOD_META = "newsclean_lastmod"  # set by the spider from sitemap lastmod / feed dates

REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class RedirectGuardMiddleware:
    """Turn a redirect to a URL already visited in the same chain, or to a host the spider
    does not crawl, into IgnoreRequest (the request's errback records the skip)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urldefrag(urljoin(request.url, safe_url_string(location)))[0]
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {urldefrag(url)[0] for url in chain}:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, target])}")
        on_site = getattr(self.crawler.spider, "_on_site", None)
        if on_site is not None and not on_site(target):
            raise IgnoreRequest(f"redirect to offsite {target}")
        return response


class IncrementalMiddleware:
    """Conditional GET, sitemap/feed dates and content hashes against the stored pages.

    What is stored is read from the database per site, the first time a request for that
    site comes by: the start sites of a single process up front, any other site (a
    distributed worker's sites come from the shared frontier) when first seen."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.database_url = database_url
        self.stored: dict[str, StoredPage] = {}
        self.sites: set[str] = set()  # site names (host without "www.") loaded so far
        self.store: Store | None = None
        crawler.signals.connect(self._close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        if not crawler.settings.getbool("NEWSCLEAN_INCREMENTAL", True):
            raise NotConfigured  # switched off on purpose: no warning in the log
        url = resolve_database_url(crawler.settings.get("NEWSCLEAN_DATABASE_URL"))
        return cls(crawler, url)

    def _load(self, hosts: Iterable[str]) -> None:
        # On the first request of a site, when the pipelines are open (StorePipeline has
        # migrated the database). One read per site instead of a query per request: a
        # site's pages fit in memory easily.
        names = {h.lower().removeprefix("www.") for h in hosts if h} - self.sites
        if not names:
            return
        self.sites |= names
        assert self.store is not None
        found = stored_pages(self.store, names, cleaner_version=CLEANER_VERSION)
        self.stored.update(found)
        logger.info("incremental crawl: %d stored pages known of %s", len(found),
                    ", ".join(sorted(names)))  # fmt: skip

    def _close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def process_request(self, request: Request) -> Response | None:
        if self.store is None:  # the start sites (if any) in one query
            self.store = Store(self.database_url, dedup=None)
            self._load(getattr(self.crawler.spider, "allowed_domains", None) or [])
        host = urlparse_cached(request).hostname or ""
        if host.removeprefix("www.") not in self.sites:
            self._load([host])
        known = self.stored.get(request.url)
        if known is None:
            return None
        lastmod = parse_date(request.meta.get(LASTMOD_META))
        if lastmod is not None and known.fetched_at >= lastmod:
            # The sitemap or feed says the page has not changed since we stored it.
            request.meta[UNCHANGED_META] = "lastmod"
            return Response(request.url, status=304, request=request)
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        known = self.stored.get(request.url)
        if known is None:
            return response
        if response.status == 304:
            request.meta.setdefault(UNCHANGED_META, "not-modified")
        elif response.status == 200 and hashlib.sha256(response.body).hexdigest() == (
            known.content_hash
        ):
            request.meta[UNCHANGED_META] = "content-hash"
        return response


def parse_date(value: Any) -> datetime | None:
    """A sitemap `lastmod` (W3C datetime) or feed date (RFC 822 or ISO) as aware UTC."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class CrawlJournal:
    """Append-only JSON-lines journal in JOBDIR: {"r": url, ...} when the spider asks for a
    URL, {"d": url} when its page is stored. On start, requested-but-not-stored URLs are
    requested again, ahead of the start URLs, and any other request for a URL a previous
    run asked for is dropped (it is stored, or it is among those re-requested). Scrapy's
    own requests.seen cannot be relied on for that: it is written through a buffer.

    Lines are flushed as written, so SIGKILL loses at most the line being written (a torn
    last line is ignored). Items still in the pipelines at the kill were never marked done,
    so their pages are fetched again; the store's upsert makes that idempotent.
    """

    FILENAME = "newsclean-journal.jsonl"

    def __init__(self, crawler: Crawler, directory: Path) -> None:
        self.crawler = crawler
        self.path = directory / self.FILENAME
        self.previous: set[str] = set()  # canonical URLs requested by earlier runs
        self.journaled: set[str] = set()  # ... and by this run
        self.pending = self._read_pending()
        if self.path.exists():
            # Scrapy's disk queue is only consistent after a clean shutdown; the journal
            # holds every request it could hold, so it replaces the queue.
            shutil.rmtree(directory / "requests.queue", ignore_errors=True)
        self.file: IO[str] = self.path.open("a", encoding="utf-8")
        crawler.signals.connect(self.mark_stored, signal=pages_stored)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlJournal:
        directory = job_dir(crawler.settings)
        if not directory:
            raise NotConfigured  # the usual case (no JOBDIR): no warning in the log
        return cls(crawler, Path(directory))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        if self.pending:
            logger.info("resuming: %d pages requested but not stored", len(self.pending))
            self.crawler.stats.set_value("newsclean/journal/resumed", len(self.pending))
        for entry in self.pending.values():
            request = _rebuild(spider, entry)
            if request is not None:
                yield request
        self.pending = {}
        async for item_or_request in start:
            if not isinstance(item_or_request, Request) or self._keep(item_or_request):
                yield item_or_request

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        for item_or_request in result:
            if not isinstance(item_or_request, Request) or self._keep(item_or_request):
                yield item_or_request

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for item_or_request in result:
            if not isinstance(item_or_request, Request) or self._keep(item_or_request):
                yield item_or_request

    def mark_stored(self, urls: Iterable[str]) -> None:
        self._write({"d": canonicalize_url(url)} for url in urls)

    def spider_closed(self) -> None:
        self.file.close()

    def _keep(self, request: Request) -> bool:
        # Canonical form, as Scrapy's duplicate filter compares: "#comment-12" links and
        # reordered query strings are the same page.
        key = canonicalize_url(request.url)
        if key in self.previous and not request.dont_filter:
            self.crawler.stats.inc_value("newsclean/journal/filtered")
            return False
        if key not in self.journaled:
            self.journaled.add(key)
            self._requested(request, key)
        return True

    def _requested(self, request: Request, key: str) -> None:
        entry: dict[str, Any] = {"r": key, "u": request.url, "p": request.priority}
        for key, method in (("cb", request.callback), ("eb", request.errback)):
            name = getattr(method, "__name__", None)
            if name and getattr(method, "__self__", None) is self.crawler.spider:
                entry[key] = name
        self._write([entry])

    def _write(self, entries: Iterable[dict[str, Any]]) -> None:
        if self.file.closed:
            return
        self.file.write("".join(json.dumps(e, separators=(",", ":")) + "\n" for e in entries))
        self.file.flush()

    def _read_pending(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        requested: dict[str, dict[str, Any]] = {}
        done: set[str] = set()
        with self.path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # torn last line of a killed run
                if "d" in entry:
                    done.add(entry["d"])
                elif "r" in entry:
                    requested.setdefault(entry["r"], entry)
        self.previous = set(requested)
        return {url: e for url, e in requested.items() if url not in done}


def _rebuild(spider: Spider | None, entry: dict[str, Any]) -> Request | None:
    if spider is None:
        return None
    callback = getattr(spider, entry.get("cb", "parse"), None)
    errback = getattr(spider, entry["eb"], None) if "eb" in entry else None
    # dont_filter: the persisted duplicate filter has seen these URLs already.
    return Request(entry.get("u", entry["r"]), callback=callback, errback=errback,
                   priority=entry.get("p", 0), dont_filter=True)  # fmt: skip
