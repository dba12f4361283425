"""What the crawler hands to the store: one record per fetched page (plain data, no Scrapy)."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cleaning.types import CleanedArticle

# Every page ends as a stored article or as a skip with one of these reasons (DESIGN.md).
SKIP_REASONS = (
    "not-html",
    "too-large",
    "bad-encoding",
    "empty-after-cleaning",
    "robots",
    "http-error",
    "cleaner-timeout",
    "cleaner-crash",
    "duplicate",
    "not-article",
    "fetch-error",  # no response: connection refused/reset, DNS failure, download timeout
)


@dataclass(slots=True)
class PageRecord:
    url: str
    status: int | None
    fetched_at: datetime  # timezone-aware UTC
    final_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""  # raw response body, stored compressed
    content_type: str | None = None
    article: CleanedArticle | None = None  # None when skipped
    skip_reason: str | None = None  # one of SKIP_REASONS when skipped
    skip_detail: str | None = None  # human-readable detail (exception text, status line...)
    # The article's body columns computed where it was cleaned (storage.signatures.
    # body_fingerprint in a crawl's worker process), so the store thread only writes them.
    fingerprint: BodyFingerprint | None = None
    # The raw body zlib-compressed and its sha256, when the crawl's worker made them.
    packed_body: PackedBody | None = None


@dataclass(frozen=True, slots=True)
class PackedBody:
    """`pages.raw_body` and `pages.content_hash` of a body, made off the store thread."""

    compressed: bytes  # zlib, level RAW_BODY_LEVEL
    content_hash: str  # sha256 hex of the uncompressed body

    @classmethod
    def of(cls, body: bytes) -> PackedBody:
        return cls(zlib.compress(body, RAW_BODY_LEVEL), hashlib.sha256(body).hexdigest())


RAW_BODY_LEVEL = 6


@dataclass(frozen=True, slots=True)
class BodyFingerprint:
    """What the store derives from an article body: word count, exact hash and the
    near-duplicate signature, made with `options` (a storage.signatures.DedupOptions, or None
    when dedup is off). The store recomputes them when its own options differ."""

    options: Any
    word_count: int
    body_hash: str
    minhash: bytes | None
    shingle_count: int | None
