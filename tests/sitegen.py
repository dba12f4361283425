"""A generated news site of any size, served on 127.0.0.1 (tests and bench/crawl_bench.py).

Pages are built on request from the article number and a seed, so 10,000 articles cost no
disk and every run serves identical bytes. The site looks like a WordPress news site:
section fronts with pagination, article pages with nav, share bar, newsletter box, related
links, JSON-LD and a threaded WordPress comment list, a sitemap with `lastmod`, an RSS
feed and robots.txt. The server speaks HTTP validators like a real one: Last-Modified
and If-Modified-Since on every page, an ETag and If-None-Match on even-numbered articles;
`edit(n)` changes an article (new text, date and validators) for re-crawl tests;
`redesign()` switches the article template to one whose bodies keep half their
paragraphs and show no comments (drift tests).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECTIONS = ("world", "politics", "business", "science", "culture")
PUBLISHED = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

_WORDS = (
    "council harbour budget minister school river election market hospital railway "
    "village report study court farmers union museum festival winter summer police bridge "
    "library energy water housing tenants trial plan vote climate storm coast airport "
    "factory workers teachers doctors nurses mayor campaign data survey research press "
    "district region county city country island valley mountain forest road station "
    "committee inquiry agreement decision proposal budget deficit growth prices wages "
    "season weekend morning evening announced confirmed rejected approved delayed opened "
    "closed expanded reduced increased warned promised argued suggested reported said"
).split()
_NAMES = (
    "Ada Brennan", "Tomasz Wicz", "Leila Haddad", "Oskar Lund", "Priya Nair", "Jon Ebbe",
    "Marta Ruiz", "Kwame Mensah", "Ines Duarte", "Hugo Varga", "Yuki Sato", "Eli Novak",
)  # fmt: skip


@dataclass
class GeneratedSite:
    articles: int
    seed: int = 7
    per_index: int = 40  # article links per section page
    delay: float = 0.0  # seconds the server waits before each article page
    validators: bool = True  # False: no Last-Modified/ETag, conditional headers ignored
    crawl_delay: float | None = None  # robots.txt Crawl-delay, if any
    # Articles left out of the sitemap and the feed (found through links only), and
    # articles no page links to (found through the sitemap and the feed only).
    unlisted: frozenset[int] = frozenset()
    unlinked: frozenset[int] = frozenset()
    versions: dict[int, int] = field(default_factory=dict)  # article -> edit count
    edited: dict[int, datetime] = field(default_factory=dict)  # article -> last edit
    requests: Counter[str] = field(default_factory=Counter)  # "200", "304", ... per answer
    paths: list[str] = field(default_factory=list)
    seen: list[tuple[float, str, str]] = field(default_factory=list)  # (time, path, UA)
    trimmed: bool = False  # the redesigned template: half the paragraphs, no comments
    answers: list[tuple[str, int]] = field(default_factory=list)  # (path, status)
    base: str = ""  # http://127.0.0.1:PORT once served
    rendered: dict[tuple[int, int], bytes] = field(default_factory=dict, repr=False)

    # --- addresses ------------------------------------------------------------------

    def article_path(self, n: int) -> str:
        section = SECTIONS[n % len(SECTIONS)]
        rng = random.Random(self.seed * 1_000_003 + n)
        slug = "-".join(rng.choice(_WORDS) for _ in range(5))
        return f"/{section}/2026/11/{slug}-{n}.html"

    def article_paths(self) -> list[str]:
        return [self.article_path(n) for n in range(self.articles)]

    def modified(self, n: int) -> datetime:
        return self.edited.get(n) or PUBLISHED + timedelta(minutes=n)

    def prerender(self) -> None:
        """Build every article page now, so serving costs no CPU during a benchmark."""
        for n in range(self.articles):
            self.rendered[n, self.versions.get(n, 0)] = self.article_html(n).encode()

    def edit(self, n: int) -> None:
        """Change article `n` now: new text, Last-Modified / lastmod now, new ETag."""
        self.versions[n] = self.versions.get(n, 0) + 1
        self.edited[n] = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)

    def redesign(self) -> None:
        """Switch every article to the trimmed template now (new Last-Modified / lastmod,
        so a re-crawl fetches them again); the words themselves stay the same."""
        self.trimmed = True
        now = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        self.edited.update(dict.fromkeys(range(self.articles), now))
        self.rendered.clear()

    # --- pages ----------------------------------------------------------------------

    def article_html(self, n: int) -> str:
        rng = random.Random(self.seed * 7_919 + n * 31 + self.versions.get(n, 0))
        title = _sentence(rng, 7, 11).rstrip(".")
        section = SECTIONS[n % len(SECTIONS)]
        author = rng.choice(_NAMES)
        published = self.modified(n).isoformat()
        texts = [
            f"<p>{' '.join(_sentence(rng, 12, 26) for _ in range(rng.randint(3, 6)))}</p>"
            for _ in range(rng.randint(7, 13))
        ]
        paragraphs = "\n".join(texts[: len(texts) // 2] if self.trimmed else texts)
        related = "\n".join(
            f'<li><a href="{self.article_path(m)}">{_sentence(rng, 5, 9).rstrip(".")}</a></li>'
            for m in sorted({rng.randrange(self.articles) for _ in range(4)} - {n, *self.unlinked})
        )
        comments = _comment_list(rng, n)
        if self.trimmed:
            comments = ""
        return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{title} | The Generated Gazette</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{author}">
<link rel="stylesheet" href="/assets/theme.css">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{title}","datePublished":"{published}","author":{{"@type":"Person",
"name":"{author}"}}}}</script>
<script>{_ANALYTICS}</script>
</head><body class="post-template-default single single-post">
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
{_nav()}
<main id="main" class="site-main">
<article class="post type-post status-publish format-standard hentry">
<header class="entry-header"><h1 class="entry-title">{title}</h1>
<div class="entry-meta">By <a href="/{section}/1/" rel="author">{author}</a>
<time class="published" datetime="{published}">{published[:10]}</time></div></header>
<div class="share-bar"><a href="#share-fb">Share on Facebook</a> <a href="#share-x">Share on X</a>
<a href="#share-mail">Email</a> <a href="#print">Print</a></div>
<div class="entry-content">
{paragraphs}
</div>
<aside class="newsletter-box"><h3>Get the morning briefing</h3><p>Sign up for our newsletter
and never miss a story.</p><form><input type="email" placeholder="Your email"><button>Sign
up</button></form></aside>
<aside class="donate-banner"><p>Independent journalism needs your support. Donate today.</p></aside>
<section class="related-posts"><h2>Related stories</h2><ul>
{related}
</ul></section>
</article>
{comments}
</main>
<footer class="site-footer"><p>&copy; 2026 The Generated Gazette. All rights reserved.</p>
<nav><a href="/">Home</a> <a href="/world/1/">World</a></nav></footer>
</body></html>"""

    def section_html(self, section: str, page: int) -> str | None:
        index = SECTIONS.index(section)
        ids = [n for n in range(index, self.articles, len(SECTIONS)) if n not in self.unlinked]
        chunk = ids[(page - 1) * self.per_index : page * self.per_index]
        if not chunk and page > 1:
            return None
        links = "\n".join(
            f'<article class="teaser"><h2><a href="{self.article_path(n)}">Story {n}</a></h2>'
            "</article>"
            for n in chunk
        )
        more = len(ids) > page * self.per_index
        pager = f'<a class="next" href="/{section}/{page + 1}/">Older stories</a>' if more else ""
        return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{section.title()} | The Generated Gazette</title>
<meta property="og:type" content="website"></head><body>{_nav()}
<main><h1>{section.title()}</h1>{links}<nav class="pagination">{pager}</nav></main></body></html>"""

    def home_html(self) -> str:
        latest = "\n".join(
            f'<li><a href="{self.article_path(n)}">Story {n}</a></li>'
            for n in range(max(0, self.articles - 30), self.articles)
            if n not in self.unlinked
        )
        return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>The Generated Gazette</title><meta property="og:type" content="website">
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>{_nav()}
<main><h1>Latest</h1><ul>{latest}</ul></main></body></html>"""

    def sitemap_xml(self) -> str:
        urls = "\n".join(
            f"<url><loc>{self.base}{self.article_path(n)}</loc>"
            f"<lastmod>{self.modified(n).isoformat()}</lastmod></url>"
            for n in range(self.articles)
            if n not in self.unlisted
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'
        )

    def feed_xml(self) -> str:
        items = "\n".join(
            f"<item><title>Story {n}</title><link>{self.base}{self.article_path(n)}</link>"
            f"<pubDate>{format_datetime(self.modified(n))}</pubDate></item>"
            for n in range(max(0, self.articles - 50), self.articles)
            if n not in self.unlisted
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>The Generated Gazette</title><link>{self.base}/</link>\n{items}\n"
            "</channel></rss>\n"
        )

    # --- serving --------------------------------------------------------------------

    def respond(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """(status, response headers, body) for a GET of `path`."""
        path = path.split("?")[0].split("#")[0]
        if path == "/robots.txt":
            text = f"User-agent: *\nDisallow: /search/\nSitemap: {self.base}/sitemap.xml\n"
            if self.crawl_delay is not None:
                text += f"Crawl-delay: {self.crawl_delay:g}\n"
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()
        if path == "/sitemap.xml":
            return 200, {"Content-Type": "application/xml"}, self.sitemap_xml().encode()
        if path == "/feed.xml":
            return 200, {"Content-Type": "application/rss+xml"}, self.feed_xml().encode()
        if path == "/":
            return 200, _HTML, self.home_html().encode()
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[0] in SECTIONS and parts[1].isdigit():
            html = self.section_html(parts[0], int(parts[1]))
            if html is not None:
                return 200, _HTML, html.encode()
        n = _article_number(path)
        if n is not None and n < self.articles and self.article_path(n) == path:
            return self._article(n, headers)
        return 404, _HTML, b"<html><body><h1>Not found</h1></body></html>"

    def _article(self, n: int, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if self.delay:
            time.sleep(self.delay)
        modified = self.modified(n)
        body = self.rendered.get((n, self.versions.get(n, 0))) or self.article_html(n).encode()
        if not self.validators:
            return 200, _HTML, body
        validators = {"Last-Modified": format_datetime(modified, usegmt=True)}
        if n % 2 == 0:
            template = "t" if self.trimmed else ""
            validators["ETag"] = f'"a{n}v{self.versions.get(n, 0)}{template}"'
        if "ETag" in validators and headers.get("if-none-match") == validators["ETag"]:
            return 304, validators, b""
        since = headers.get("if-modified-since")
        if since and "if-none-match" not in headers:
            try:
                if modified <= parsedate_to_datetime(since):
                    return 304, validators, b""
            except (TypeError, ValueError):
                pass
        return 200, {**_HTML, **validators}, body


def busiest_rate(times: list[float], window: float) -> float:
    """Requests per second in the busiest `window` seconds of a request log (half-open
    windows starting at each request): what a site's own rate limiter would see."""
    times = sorted(times)
    most, end = 0, 0
    for start, t in enumerate(times):
        while end < len(times) and times[end] < t + window:
            end += 1
        most = max(most, end - start)
    return most / window


def mean_rate(times: list[float]) -> float:
    """Requests per second over a request log: intervals / span (first to last request)."""
    return (len(times) - 1) / (max(times) - min(times)) if len(times) > 1 else 0.0


@contextmanager
def serve_site(
    site: GeneratedSite, host: str = "127.0.0.1", name: str | None = None
) -> Iterator[str]:
    """Serve `site` on a free port of `host` (a loopback address: 127.0.0.2 is another
    site to the crawler than 127.0.0.1) in background threads; yield its base URL.
    `name`: the host name its absolute URLs (sitemap, feed) use instead of `host`, for
    clients that refuse IP hosts (the client must resolve it to `host`)."""
    server = _Server((host, 0), _Handler)
    server.site = site  # type: ignore[attr-defined]
    site.base = f"http://{name or host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="sitegen", daemon=True)
    thread.start()
    try:
        yield site.base + "/"
    finally:
        server.shutdown()
        server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a crawler killed mid-response (resume tests) is expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self.do_GET(head=True)  # trafilatura's sitemap search starts with a HEAD request

    def do_GET(self, head: bool = False) -> None:  # noqa: N802 - stdlib name
        site: GeneratedSite = self.server.site  # type: ignore[attr-defined]
        status, headers, body = site.respond(
            self.path, {k.lower(): v for k, v in self.headers.items()}
        )
        site.requests[str(status)] += 1
        site.paths.append(self.path)
        site.answers.append((self.path, status))
        site.seen.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


_HTML = {"Content-Type": "text/html; charset=utf-8"}

# Real pages carry kilobytes of inline script; the cleaner has to skip it.
_ANALYTICS = (
    "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
    "gtag('js',new Date());gtag('config','G-GENERATED');"
) * 20


def _nav() -> str:
    sections = " ".join(f'<a href="/{s}/1/">{s.title()}</a>' for s in SECTIONS)
    return (
        '<header class="site-header"><a class="logo" href="/">The Generated Gazette</a>'
        f'<nav class="primary-menu">{sections} <a href="/search/?q=">Search</a></nav></header>'
    )


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _comment_list(rng: random.Random, n: int) -> str:
    count = rng.randint(0, 8)
    if not count:
        return ""
    items = []
    for c in range(count):
        cid = n * 100 + c
        author = rng.choice(_NAMES)
        text = " ".join(_sentence(rng, 8, 20) for _ in range(rng.randint(1, 3)))
        items.append(
            f"""<li id="comment-{cid}" class="comment depth-1">
<article id="div-comment-{cid}" class="comment-body"><footer class="comment-meta">
<div class="comment-author vcard"><b class="fn">{author}</b> <span class="says">says:</span></div>
<div class="comment-metadata"><a href="#comment-{cid}">
<time datetime="2026-11-02T10:{c:02d}:00+00:00">November 2, 2026 at 10:{c:02d} am</time>
</a></div></footer>
<div class="comment-content"><p>{text}</p></div>
<div class="reply">
<a rel="nofollow" class="comment-reply-link" href="#comment-{cid}">Reply</a></div>
</article></li>"""
        )
    return f"""<div id="comments" class="comments-area">
<h2 class="comments-title">{count} thoughts</h2>
<ol class="comment-list">
{"".join(items)}
</ol>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><form class="comment-form">
<textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>
</div>"""


def _article_number(path: str) -> int | None:
    stem = path.rsplit("/", 1)[-1].removesuffix(".html")
    tail = stem.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None
