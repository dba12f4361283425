"""A misbehaving news site on 127.0.0.1: every kind of bad input a real crawl meets.

The home page links to one page per case (`CASES`); each case says which skip reason (or
stored article) the crawl must end with. The server records every request it answers
(path, Host header, User-Agent), so tests can also assert what was *not* fetched.

`misbehaving_cleaner` is a stand-in cleaner for the `NEWSCLEAN_CLEANER` setting: it hangs,
raises or kills its worker process on pages carrying a marker, and cleans the rest with
the real cleaner — the pool must survive all three.
"""

from __future__ import annotations

import functools
import gzip
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Imported here, not in the worker: the pool's forkserver preloads this module, so the
# cleaner's imports (trafilatura, the rule tables) are not billed to the first page's timeout.
from cleaning.html import clean_html
from cleaning.types import CleanedArticle

MB = 1024 * 1024
# Above the default DOWNLOAD_MAXSIZE (20 MB), as the issue asks.
HUGE_SIZE = 21 * MB
# Decompresses to 64 MB of HTML from a ~64 KB gzip body.
BOMB_SIZE = 64 * MB

HANG_MARKER = "NEWSCLEAN-TEST-HANG"
RAISE_MARKER = "NEWSCLEAN-TEST-RAISE"
DIE_MARKER = "NEWSCLEAN-TEST-DIE"


@dataclass(frozen=True)
class Case:
    path: str
    expect: str | None  # skip reason, or None for a stored article
    word: str | None = None  # a non-ASCII word the stored body must contain, correctly decoded
    what: str = ""


CASES = [
    Case("/news/plain-article", None, "correctly", "a normal article (the control)"),
    Case("/news/binary-labelled-html", "not-html", what="binary bytes sent as text/html"),
    Case("/files/annual-report", "not-html", what="a PDF (no .pdf in the URL)"),
    Case("/files/photo", "not-html", what="a PNG image"),
    Case("/news/cp1251-meta", None, "Москва", "cp1251, charset only in <meta>"),
    Case("/news/cp1251-header", None, "Новости", "cp1251, charset only in the header"),
    Case("/news/latin1-no-charset", None, "Zürich", "latin-1 with no charset anywhere"),
    Case("/news/utf8-bom", None, "Ångström", "UTF-8 with BOM, <meta> claims latin-1"),
    Case("/news/lying-meta", None, "Straße", "cp1252 bytes, <meta> claims UTF-8"),
    Case("/news/undecodable", "bad-encoding", what="random high bytes, no charset fits"),
    Case("/news/huge", "too-large", what="21 MB with Content-Length"),
    Case("/news/huge-streamed", "too-large", what="21 MB without Content-Length"),
    Case("/news/gzip-bomb", "too-large", what="64 MB of HTML in a small gzip body"),
    Case("/news/empty", "empty-after-cleaning", what="200 with an empty body"),
    Case("/news/scripts-only", "empty-after-cleaning", what="a page that is only scripts"),
    Case("/news/truncated", None, "truncated", "malformed HTML cut off mid-tag"),
    Case("/loop/a", "http-error", what="redirect loop a -> b -> a"),
    Case("/loop/self", "http-error", what="redirect to itself"),
    Case("/news/moved-away", "http-error", what="redirect to another host"),
    Case("/status/404", "http-error"),
    Case("/status/410", "http-error"),
    Case("/status/500", "http-error"),
    Case("/status/503", "http-error"),
    Case("/slow/headers", "fetch-error", what="no answer before the download timeout"),
    Case("/slow/drip", "fetch-error", what="one byte every 0.2 s"),
    Case("/news/cleaner-hangs", "cleaner-timeout", what=f"cleaner sleeps on {HANG_MARKER}"),
    Case("/news/cleaner-raises", "cleaner-crash", what=f"cleaner raises on {RAISE_MARKER}"),
    Case("/news/cleaner-dies", "cleaner-crash", what=f"worker process killed on {DIE_MARKER}"),
    Case("/news/after-the-crashes", None, "survived", "cleaned after the crashes"),
    Case("/private/members-only", "robots", what="disallowed by robots.txt"),
]

PRIVATE_PATH = "/private/members-only"  # disallowed in robots.txt: must never be requested
OFFSITE_HOST = "localhost"  # same server, another host name: off the allowed domain


@dataclass
class SeenRequest:
    path: str
    host: str
    user_agent: str


@dataclass
class BadServer:
    url: str
    port: int
    requests: list[SeenRequest] = field(default_factory=list)

    def paths(self, host: str = "127.0.0.1") -> list[str]:
        return [r.path for r in self.requests if r.host.split(":")[0] == host]


def misbehaving_cleaner(html: str, url: str | None = None) -> CleanedArticle:
    """The real cleaner, except on marked pages: hang, raise, or kill the worker."""
    if HANG_MARKER in html:
        time.sleep(120)
    if RAISE_MARKER in html:
        raise RuntimeError("the cleaner met a page it cannot handle")
    if DIE_MARKER in html:
        os.kill(os.getpid(), signal.SIGKILL)
    return clean_html(html, url=url)


@pytest.fixture(scope="session")
def bad_server() -> Iterator[BadServer]:
    with serve_bad_site() as server:
        yield server


@contextmanager
def serve_bad_site() -> Iterator[BadServer]:
    """Run the misbehaving site on a free 127.0.0.1 port in a background thread."""
    _bomb()  # seconds of compression: before serving, not inside a timed request
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    port = httpd.server_address[1]
    state = BadServer(url=f"http://127.0.0.1:{port}/", port=port)
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, name="badserver", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- pages -------------------------------------------------------------------------------


def article_html(title: str, paragraphs: list[str], *, charset: str | None = "utf-8") -> str:
    """A small but complete article page, labelled as one (og:type) like real CMS output."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{meta}<title>{title}</title>
<meta property="og:type" content="article"><meta property="og:title" content="{title}">
</head><body>
<header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{title}</h1>
{body}
</article></main>
<footer><p>Copyright The Misbehaving Gazette</p></footer>
</body></html>"""


def _paragraphs(word: str) -> list[str]:
    # Enough prose for the cleaner to keep it as an article, with the checked word in it.
    return [
        f"The council met on Tuesday evening and the word of the day was {word}, which the "
        "reporters in the room wrote down carefully before the debate moved on to budgets.",
        "Residents who spoke during the public session asked for clearer timetables, longer "
        "library hours and a safer crossing near the primary school on the main road.",
        "The chair promised a written answer within a month and closed the meeting shortly "
        "after nine o'clock, when the last speaker had finished reading a prepared statement.",
    ]


def _page(word: str, title: str, charset: str | None = "utf-8") -> str:
    return article_html(title, _paragraphs(word), charset=charset)


def _home(port: int) -> bytes:
    links = "\n".join(f'<li><a href="{c.path}">{c.what or c.path}</a></li>' for c in CASES)
    offsite = f"http://{OFFSITE_HOST}:{port}/news/offsite-story"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Misbehaving Gazette</title>
<meta property="og:type" content="website"></head><body>
<h1>Latest</h1><ul>{links}</ul>
<p>Elsewhere: <a href="{offsite}">a story on another site</a></p>
</body></html>""".encode()


@functools.cache
def _bomb() -> bytes:
    # Built when the server starts, not at import: worker processes import this module.
    return gzip.compress(b"<p>" + b"a" * (BOMB_SIZE - 3), compresslevel=9)


_RANDOM_HIGH = bytes(b | 0x80 for b in os.urandom(4000))
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on slow and huge pages is the point of this server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        state: BadServer = self.server.state  # type: ignore[attr-defined]
        state.requests.append(
            SeenRequest(self.path, self.headers.get("Host", ""), self.headers.get("User-Agent", ""))
        )
        route = _ROUTES.get(self.path.split("?")[0])
        try:
            if route is None:
                self._send(404, b"<html><body>Not found</body></html>")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on this response, as it should

    # helpers used by the routes
    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _huge(h: _Handler, *, with_length: bool) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    if with_length:
        h.send_header("Content-Length", str(HUGE_SIZE))
    else:
        h.send_header("Connection", "close")
        h.close_connection = True
    h.end_headers()
    chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
    sent = 0
    while sent < HUGE_SIZE:
        piece = chunk[: HUGE_SIZE - sent]
        h.wfile.write(piece)
        sent += len(piece)


def _slow_headers(h: _Handler) -> None:
    time.sleep(8)  # longer than the tests' DOWNLOAD_TIMEOUT; bounded so shutdown is quick
    h._send(200, _page("late", "Too late").encode())


def _drip(h: _Handler) -> None:
    body = _page("dripped", "Dripping").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    for i in range(40):  # 8 s at most
        h.wfile.write(body[i : i + 1])
        h.wfile.flush()
        time.sleep(0.2)


def _truncated() -> bytes:
    page = _page("truncated", "Cut short")
    cut = page.index("</article>") - 40
    return (page[:cut] + '<p class="unfinished"><a href="/news/plai').encode()


def _marked(marker: str, title: str) -> bytes:
    paragraphs = _paragraphs("doomed") + [f"Internal marker {marker} for the test cleaner."]
    return article_html(title, paragraphs).encode()


_ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/": lambda h: h._send(200, _home(h.server.server_address[1])),
    "/robots.txt": lambda h: h._send(
        200, b"User-agent: *\nDisallow: /private/\n", "text/plain; charset=utf-8"
    ),
    PRIVATE_PATH: lambda h: h._send(200, _page("secret", "Members only").encode()),
    "/news/offsite-story": lambda h: h._send(200, _page("elsewhere", "Offsite").encode()),
    "/news/plain-article": lambda h: h._send(200, _page("correctly", "Plain article").encode()),
    "/news/binary-labelled-html": lambda h: h._send(200, b"\x00\x01\x02garbage\xff" * 300),
    "/files/annual-report": lambda h: h._send(200, _PDF, "application/pdf"),
    "/files/photo": lambda h: h._send(200, _PNG, "image/png"),
    "/news/cp1251-meta": lambda h: h._send(
        200, _page("Москва", "Вести", charset="windows-1251").encode("cp1251"), "text/html"
    ),
    "/news/cp1251-header": lambda h: h._send(
        200,
        _page("Новости", "Новости дня", charset=None).encode("cp1251"),
        "text/html; charset=windows-1251",
    ),  # fmt: skip
    "/news/latin1-no-charset": lambda h: h._send(
        200, _page("Zürich", "Zürich news", charset=None).encode("latin-1"), "text/html"
    ),
    "/news/utf8-bom": lambda h: h._send(
        200,
        b"\xef\xbb\xbf" + _page("Ångström", "Units", charset="iso-8859-1").encode(),
        "text/html",
    ),  # fmt: skip
    "/news/lying-meta": lambda h: h._send(
        200, _page("Straße", "Große Pläne", charset="utf-8").encode("cp1252"), "text/html"
    ),
    "/news/undecodable": lambda h: h._send(200, _RANDOM_HIGH, "text/html; charset=utf-8"),
    "/news/huge": lambda h: _huge(h, with_length=True),
    "/news/huge-streamed": lambda h: _huge(h, with_length=False),
    "/news/gzip-bomb": lambda h: h._send(200, _bomb(), headers={"Content-Encoding": "gzip"}),
    "/news/empty": lambda h: h._send(200, b""),
    "/news/scripts-only": lambda h: h._send(
        200,
        b"<html><head><script>var app = {};</script></head><body><div id='root'></div>"
        b"<script src='/bundle.js'></script><script>app.start('root');</script></body></html>",
    ),
    "/news/truncated": lambda h: h._send(200, _truncated()),
    "/loop/a": lambda h: h._redirect("/loop/b"),
    "/loop/b": lambda h: h._redirect("/loop/a"),
    "/loop/self": lambda h: h._redirect("/loop/self"),
    "/news/moved-away": lambda h: h._redirect(
        f"http://{OFFSITE_HOST}:{h.server.server_address[1]}/news/offsite-story"
    ),
    "/status/404": lambda h: h._send(404, b"<html><body>gone</body></html>"),
    "/status/410": lambda h: h._send(410, b"<html><body>gone for good</body></html>"),
    "/status/500": lambda h: h._send(500, b"<html><body>oops</body></html>"),
    "/status/503": lambda h: h._send(503, b"<html><body>busy</body></html>"),
    "/slow/headers": _slow_headers,
    "/slow/drip": _drip,
    "/news/cleaner-hangs": lambda h: h._send(200, _marked(HANG_MARKER, "Hang")),
    "/news/cleaner-raises": lambda h: h._send(200, _marked(RAISE_MARKER, "Raise")),
    "/news/cleaner-dies": lambda h: h._send(200, _marked(DIE_MARKER, "Die")),
    "/news/after-the-crashes": lambda h: h._send(200, _page("survived", "Survivor").encode()),
}
