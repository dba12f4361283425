"""The `news` spider: start from site URLs, discover articles through links, sitemaps and
feeds, and yield one PageItem per fetched page (article, index page or failure)."""

from __future__ import annotations

import posixpath
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from parsel import Selector
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from cleaning import triage
from spiders import discovery, distributed
from spiders.items import PageItem
from spiders.middlewares import LASTMOD_META, UNCHANGED_META
from spiders.starturls import StartUrlError, read_start_urls

try:
    from scrapy.exceptions import DownloadCancelledError
except ImportError:  # older Scrapy cancels an oversized body with Twisted's error
    from twisted.internet.defer import CancelledError as DownloadCancelledError

# PDFs are fetched (and recorded as not-html skips) because reports and press releases
# are often linked as PDFs and a corpus user wants to know they exist; images, media and
# archives are not worth a request.
FOLLOWED_EXTENSIONS = {"pdf"}
# A set lookup on the path's extension: LinkExtractor's own deny_extensions check runs
# str.endswith for each of ~100 extensions on every link, a visible share of crawl CPU.
DENIED_EXTENSIONS = frozenset(f".{e}" for e in IGNORED_EXTENSIONS if e not in FOLLOWED_EXTENSIONS)
NO_START_URLS = (
    "give start URLs: -a url=https://site/[,https://other/] or -a urls_file=PATH (one URL per line)"
)


class NewsSpider(Spider):
    name = "news"

    def __init__(self, url: str | None = None, urls_file: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_site_urls = read_start_urls(url, urls_file)
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.start_site_urls})
        # Domains are checked by _on_site (host names): LinkExtractor's allow_domains
        # compares the netloc, port included, so it rejects http://127.0.0.1:8000/ links.
        self.link_extractor = LinkExtractor(deny_extensions=[])  # see DENIED_EXTENSIONS
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
        yield Request(url, callback=self.parse, errback=self.on_error)
        if self.settings.getbool("NEWSCLEAN_USE_SITEMAPS", True):
            yield Request(urljoin(url, "/robots.txt"), callback=self.parse_robots,
                          errback=self.on_discovery_error, priority=10)  # fmt: skip
            yield Request(urljoin(url, "/sitemap.xml"), callback=self.parse_sitemap,
                          errback=self.on_discovery_error, priority=10)  # fmt: skip

    # --- pages -----------------------------------------------------------------------

    def parse(self, response: Response) -> Iterator[Request | PageItem]:
        if response.status == 304:  # conditional GET (spiders.middlewares.IncrementalMiddleware)
            yield self._unchanged(response, response.meta.get(UNCHANGED_META, "not-modified"))
            return
        if response.status >= 400:
            yield self._skip(response, "http-error", f"HTTP {response.status}")
            return
        document = triage.read_document(response.body, response.url, _content_type_header(response))
        if document.is_feed:
            yield from self.parse_feed(response)
            return
        if document.skip_reason is not None or document.html is None:
            yield self._skip(response, document.skip_reason or "not-html", document.detail)
            return
        text = document.html
        # Parse once: the link extractor uses response.selector too, so judge that tree
        # when Scrapy decoded the body the same way.
        same = isinstance(response, TextResponse) and text == response.text
        sel = response.selector if same else Selector(text=text, base_url=response.url)
        verdict = triage.judge(sel.root, response.url)
        if verdict.skip_reason == "empty-after-cleaning":
            yield self._skip(response, verdict.skip_reason, verdict.detail)
            return
        is_article = verdict.is_article
        follow = not is_article or self.settings.getbool("NEWSCLEAN_FOLLOW_ARTICLE_LINKS", True)
        # Scrapy's link extractor needs a TextResponse; HTML that Scrapy took for binary
        # (no Content-Type, odd bytes) is still judged, its links are not followed.
        if follow and isinstance(response, TextResponse):
            yield from self._follow_links(response)
        if self.settings.getbool("NEWSCLEAN_USE_FEEDS", True):
            for href in discovery.feed_links(sel):
                yield response.follow(
                    href, callback=self.parse_feed, errback=self.on_discovery_error
                )

        if is_article and response.meta.get(UNCHANGED_META):
            # Same bytes as the stored page, already cleaned by this cleaner version.
            yield self._unchanged(response, response.meta[UNCHANGED_META])
        elif is_article:
            yield self._page(response, html=text)
        else:
            yield self._skip(response, "not-article", verdict.detail)

    def _follow_links(self, response: Response) -> Iterator[Request]:
        for link in self.link_extractor.extract_links(response):
            if posixpath.splitext(urlsplit(link.url).path)[1].lower() in DENIED_EXTENSIONS:
                continue
            # rel=nofollow marks links a site asks robots not to follow: reply-to-comment,
            # login and "share" URLs that lead back to the same page under a new query.
            if not link.nofollow and self._on_site(link.url):
                yield Request(link.url, callback=self.parse, errback=self.on_error)

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
            if not loc or not self._on_site(loc):
                continue
            if sitemap.type == "sitemapindex":
                yield Request(loc, callback=self.parse_sitemap, errback=self.on_discovery_error)
            else:
                # lastmod lets an incremental crawl skip pages stored since (middlewares).
                yield Request(loc, callback=self.parse, errback=self.on_error,
                              meta={LASTMOD_META: entry.get("lastmod")})  # fmt: skip

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if response.status >= 400:
            return
        feed = feedparser.parse(response.body)
        for entry in feed.entries:
            link = entry.get("link")
            if link and self._on_site(urljoin(response.url, link)):
                date = entry.get("updated") or entry.get("published")
                yield Request(urljoin(response.url, link), callback=self.parse,
                              errback=self.on_error, meta={LASTMOD_META: date})  # fmt: skip

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
