"""What an incremental re-crawl needs to know about pages already stored: HTTP validators
(ETag, Last-Modified), when each page was fetched and the hash of its bytes.

Only pages whose stored outcome is final are returned: a page with an article cleaned by
`cleaner_version`. Index pages (followed for links) and failures are always fetched again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import Article, Page, Site
from storage.store import Store


@dataclass(frozen=True, slots=True)
class StoredPage:
    fetched_at: datetime  # aware UTC
    content_hash: str
    etag: str | None
    last_modified: str | None


def stored_pages(
    store: Store, domains: Iterable[str], *, cleaner_version: int
) -> dict[str, StoredPage]:
    """URL -> StoredPage for the stored articles of sites `domains` (host names; a leading
    "www." is ignored, as in the sites table) cleaned by `cleaner_version`."""
    names = sorted({d.lower().removeprefix("www.") for d in domains if d})
    if not names:
        return {}
    query = (
        select(Page.url, Page.fetched_at, Page.content_hash, Page.headers)
        .join(Site, Site.id == Page.site_id)
        .join(Article, Article.page_id == Page.id)
        .where(Site.domain.in_(names), Article.cleaner_version == cleaner_version)
    )
    pages: dict[str, StoredPage] = {}
    with store.engine.connect() as connection:
        for row in connection.execute(query):
            headers = {k.lower(): v for k, v in (row.headers or {}).items()}
            fetched_at = row.fetched_at
            if fetched_at.tzinfo is None:  # SQLite keeps no zone; we always write UTC
                fetched_at = fetched_at.replace(tzinfo=UTC)
            pages[row.url] = StoredPage(
                fetched_at=fetched_at,
                content_hash=row.content_hash,
                etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
            )
    return pages
