"""One fetched page, handled whole in a cleaning worker process.

The crawl's reactor thread is the limit of a crawl's speed (it downloads, schedules and
runs every callback), so everything a page needs beyond its bytes happens here, from one
parse of the page: the triage decision (cleaning.triage), the links to follow and the
feeds it announces, the cleaned article, and what the store derives from the article
(word count, hashes, MinHash signature) and from the raw body (compressed copy, hash).
The reactor only hands bytes over and turns the result into Requests and an item.

Pure functions of plain data (no Scrapy objects cross the process boundary), so the
spider can also run `process_page` in its own process when no pool is configured.
"""

from __future__ import annotations

import logging
import posixpath
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from w3lib.html import strip_html5_whitespace

from cleaning import triage
from cleaning.types import CleanedArticle
from spiders import discovery
from storage.records import BodyFingerprint, PackedBody
from storage.signatures import DedupOptions, article_fingerprint

logger = logging.getLogger(__name__)

# Scrapy's LinkExtractor list (scrapy.linkextractors.IGNORED_EXTENSIONS), written out:
# importing it would load all of Scrapy into every cleaning worker, about a second of CPU
# per process for one list (a test checks that the two agree).
IGNORED_EXTENSIONS = (
    "7z 7zip bz2 rar tar tar.gz xz zip "  # archives
    "mng pct bmp gif jpg jpeg png pst psp tif tiff ai drw dxf eps ps svg cdr ico webp "
    "mp3 wma ogg wav ra aac mid au aiff "  # audio
    "3gp asf asx avi mov mp4 mpg qt rm swf wmv m4a m4v flv webm "  # video
    "xls xlsm xlsx xltm xltx potm potx ppt pptm pptx pps doc docb docm docx dotm dotx odt "
    "ods odg odp "  # office suites
    "css pdf exe bin rss dmg iso apk jar sh rb js hta bat cpl msi msp py"  # other
).split()
# PDFs are fetched (and recorded as not-html skips) because reports and press releases
# are often linked as PDFs and a corpus user wants to know they exist; images, media and
# archives are not worth a request.
FOLLOWED_EXTENSIONS = {"pdf"}
# A set lookup on the path's extension: LinkExtractor's own deny_extensions check runs
# str.endswith for each of ~100 extensions on every link.
DENIED_EXTENSIONS = frozenset(f".{e}" for e in IGNORED_EXTENSIONS if e not in FOLLOWED_EXTENSIONS)
FOLLOWED_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class PageJob:
    """A fetched HTML-or-not page and what the crawl wants from it."""

    url: str  # the response URL (after redirects): links resolve against it
    body: bytes
    content_type: str | None  # the Content-Type header, charset and all
    # False when the stored copy of this page is current: an article is then neither
    # cleaned nor stored again, only its links are read.
    clean: bool = True
    # Links of listing pages are always read (they are the product there); those of
    # articles when NEWSCLEAN_FOLLOW_ARTICLE_LINKS is on. `links` False reads none.
    links: bool = True
    article_links: bool = True
    feeds: bool = True  # <link rel="alternate"> RSS/Atom feeds (NEWSCLEAN_USE_FEEDS)
    site_profile: tuple[str, ...] = ()  # the site's learned boilerplate lines
    dedup: DedupOptions | None = None  # the store's near-duplicate options (signature)


@dataclass(frozen=True, slots=True)
class PageResult:
    """What the worker made of a page. skip_reason None: `article` is the cleaned article."""

    skip_reason: str | None
    detail: str
    is_article: bool = False  # the triage verdict (also when not cleaned again)
    links: tuple[str, ...] = ()  # absolute, fragment-free, unique, in page order
    feeds: tuple[str, ...] = ()
    article: CleanedArticle | None = None
    fingerprint: BodyFingerprint | None = None
    packed_body: PackedBody | None = None  # None when nothing of the page is stored
    # The cleaner raised on this page: its traceback, for the crawl log (the page is a
    # cleaner-crash skip; its links were read before and are still followed).
    cleaner_error: str | None = None


Cleaner = Callable[[str, str, Sequence[str]], CleanedArticle]


def process_page(cleaner: Cleaner, job: PageJob) -> PageResult:
    """Triage, links, cleaning and store columns of one page. `cleaner(html, url,
    site_profile)` cleans an article (spiders.cleanpool.run_cleaner with its setting)."""
    document = triage.read_document(job.body, job.url, job.content_type)
    if document.skip_reason is not None or document.html is None:
        return _skip(job, document.skip_reason or "not-html", document.detail)
    root = triage.parse_html(document.html)
    if root is None:
        return _skip(job, "empty-after-cleaning", "no visible text in the page")
    verdict = triage.judge(root, job.url)
    if verdict.skip_reason == "empty-after-cleaning":
        return _skip(job, verdict.skip_reason, verdict.detail)

    base = base_url(root, job.url)
    follow = job.links and (job.article_links or not verdict.is_article)
    links = tuple(page_links(root, base)) if follow else ()
    feeds = tuple(_resolved(discovery.feed_links(root), base)) if job.feeds else ()
    if not verdict.is_article:
        return PageResult("not-article", verdict.detail, False, links, feeds,
                          packed_body=PackedBody.of(job.body))  # fmt: skip
    if not job.clean:
        return PageResult(None, "", True, links, feeds)
    del root  # the cleaner parses its own copy and cuts it up; free this tree first
    try:
        article = cleaner(document.html, job.url, job.site_profile)
    except Exception as exc:  # the cleaner's bug on this page: recorded, links kept
        detail = f"{type(exc).__name__}: {exc}"
        return PageResult("cleaner-crash", detail, True, links, feeds,
                          packed_body=PackedBody.of(job.body),
                          cleaner_error=traceback.format_exc())  # fmt: skip
    if article is None or not article.paragraphs:
        return PageResult("empty-after-cleaning", "no article text found", True, links, feeds,
                          packed_body=PackedBody.of(job.body))  # fmt: skip
    return PageResult(
        None, "", True, links, feeds, article,
        fingerprint=article_fingerprint(article, job.dedup),
        packed_body=PackedBody.of(job.body),
    )  # fmt: skip


def _skip(job: PageJob, reason: str, detail: str) -> PageResult:
    return PageResult(reason, detail, packed_body=PackedBody.of(job.body))


# --- links -------------------------------------------------------------------------------


def base_url(root: Any, url: str) -> str:
    """The page's <base href> resolved against its URL, else the URL (as browsers do)."""
    for base in root.iter("base"):
        href = base.get("href")
        if href:
            try:
                return urljoin(url, strip_html5_whitespace(href))
            except ValueError:
                return url
    return url


def page_links(root: Any, base: str) -> list[str]:
    """The followable links of a parsed page: <a>/<area> hrefs, resolved, without
    fragment (a server never sees it; Scrapy's dupefilter ignores it too), http(s) only,
    no rel=nofollow (reply-to-comment, login and share URLs that lead back to the same
    page), no media or archive extensions; each once, in page order.

    What Scrapy's LinkExtractor(deny_extensions=[]) + our filters did in the reactor, on
    the tree the triage reads (a second parse of every page was a visible share of the
    crawl's CPU). URLs are not percent-escaped here: Request() does that (safe_url_string)
    for the few that become Requests."""
    found: dict[str, None] = {}
    hrefs: dict[str, None] = {}
    for element in root.iter("a", "area"):
        href = element.get("href")
        if href and not _nofollow(element.get("rel")):
            hrefs[href] = None
    for href in hrefs:
        try:
            url = urljoin(base, strip_html5_whitespace(href)).partition("#")[0]
            parts = urlsplit(url)
            if parts.scheme not in FOLLOWED_SCHEMES or not parts.hostname:
                continue
        except ValueError:
            continue  # a bogus link (bad port, unbalanced brackets in the host)
        if posixpath.splitext(parts.path)[1].lower() in DENIED_EXTENSIONS:
            continue
        found[url] = None
    return list(found)


def _nofollow(rel: str | None) -> bool:
    return bool(rel) and "nofollow" in rel.lower().split()  # type: ignore[union-attr]


def _resolved(hrefs: Sequence[str], base: str) -> list[str]:
    resolved = []
    for href in hrefs:
        try:
            resolved.append(urljoin(base, strip_html5_whitespace(href)))
        except ValueError:
            continue
    return resolved
