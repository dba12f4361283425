"""The item the `news` spider yields: one per fetched page (article, index page or failure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cleaning.types import CleanedArticle
from storage.records import BodyFingerprint, PackedBody


@dataclass(slots=True)
class PageItem:
    url: str
    status: int | None
    fetched_at: datetime
    final_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str | None = None
    # Decoded HTML for the cleaner; None when the page is skipped before cleaning.
    html: str | None = None
    article: CleanedArticle | None = None
    skip_reason: str | None = None
    skip_detail: str | None = None
    # Set when the stored copy is current (how we know: "not-modified", "lastmod",
    # "content-hash"); nothing is cleaned or written for such a page.
    unchanged: str | None = None
    # Made in the cleaning worker with the article (spiders.pagework), so the store
    # thread only writes them.
    fingerprint: BodyFingerprint | None = None
    packed_body: PackedBody | None = None
