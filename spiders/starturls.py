"""Start URLs as people type them, made into URLs a crawl can request.

`example.com` becomes `https://example.com/` (as a browser's address bar does), an IDN
host is punycode-encoded (`münchen.de` -> `xn--mnchen-3ya.de`, the form Scrapy requests
and link extraction produce, so the offsite check compares like with like) and an empty
path gets its `/`. A string that is no web address is refused before the crawl starts,
instead of ending as a logged `Missing scheme in request url` and an empty, "successful"
crawl. Used by the news spider (`-a url=`, `-a urls_file=`) and `scrapy seed`.

w3lib does the encoding (IDNA, percent-escapes, trailing slash); courlan judges whether
a bare host name looks like a real domain.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from courlan.filters import domain_filter
from w3lib.url import canonicalize_url

CRAWLABLE_SCHEMES = ("http", "https")
_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# A host name label (after IDNA encoding): letters, digits, hyphens, not at either end.
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


class StartUrlError(ValueError):
    """A start URL that cannot be crawled; the message says which and why."""


def normalize_start_url(text: str) -> str:
    """`text` as an absolute http(s) URL; StartUrlError if it is no web address.

    Without a scheme the host must look like a domain name, an IP address or
    `localhost` (so a typo such as `not-a-url` is refused rather than crawled as
    https://not-a-url/); with an explicit scheme any well-formed host name is accepted
    (intranet hosts). Fragments are dropped and query arguments sorted (w3lib's
    canonical form, the one Scrapy's duplicate filter uses anyway)."""
    candidate = text.strip()
    explicit_scheme = bool(_HAS_SCHEME.match(candidate))
    if not explicit_scheme:
        candidate = "https://" + candidate.lstrip("/")
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        parts.port  # noqa: B018 -- raises ValueError on a port that is not a number
    except ValueError as exc:
        raise StartUrlError(f"{text!r} is not a URL ({exc})") from exc
    if parts.scheme.lower() not in CRAWLABLE_SCHEMES:
        raise StartUrlError(
            f"{text!r} is not a web address: only http:// and https:// URLs can be crawled"
        )
    if not _is_host(host, strict=not explicit_scheme):
        raise StartUrlError(
            f"{text!r} is not a URL: give a web address such as https://example.com/"
        )
    return canonicalize_url(candidate)


def _is_host(host: str, *, strict: bool) -> bool:
    if not host:
        return False
    if host == "localhost" or domain_filter(host):  # domain_filter accepts IP addresses
        return True
    if strict:
        return False
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return all(_LABEL.fullmatch(label) for label in ascii_host.split("."))


def read_start_urls(url: str | None, urls_file: str | None) -> list[str]:
    """The start URLs of `-a url=A,B` and `-a urls_file=PATH` (one per line, `#`
    comments), normalised, in order, each once. OSError if the file cannot be read,
    StartUrlError for a string that is no URL (naming the file line it came from)."""
    entries: list[tuple[str, str]] = []
    if url:
        entries.extend((u.strip(), "") for u in url.split(","))
    if urls_file:
        lines = Path(urls_file).read_text(encoding="utf-8", errors="replace").splitlines()
        entries.extend((line.strip(), f" ({urls_file}, line {n})")
                       for n, line in enumerate(lines, 1))  # fmt: skip
    urls: dict[str, None] = {}
    for text, where in entries:
        if not text or text.startswith("#"):
            continue
        try:
            urls[normalize_start_url(text)] = None
        except StartUrlError as exc:
            raise StartUrlError(f"{exc}{where}") from None
    return list(urls)
