"""What the crawler hands to the store: one record per fetched page (plain data, no Scrapy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
