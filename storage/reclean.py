"""Re-clean stored pages with a newer cleaner: the crawl never has to be repeated to get
better text.

    from cleaning import clean_html
    from storage.reclean import reclean
    result = reclean(store, clean_html, workers=4, progress=lambda done, total: ...)

Candidates are pages whose article was made by an older `cleaner_version` (and, with
`retry_skipped`, pages the cleaner itself failed on before). Their raw bodies are decoded
as Scrapy does (w3lib), cleaned in worker processes, and written back through
`Store.save_pages`, so comments, word counts and near-duplicate clusters follow.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session
from w3lib.encoding import html_to_unicode

from cleaning.types import CLEANER_VERSION, CleanedArticle
from storage.models import Article, Page, Site, to_utc_datetime
from storage.records import PageRecord
from storage.store import FailedRecord, SaveResult, Store, decompress_body

logger = logging.getLogger(__name__)

# Skips caused by the cleaner itself: a newer cleaner may well succeed on these pages.
CLEANER_SKIPS = ("cleaner-crash", "cleaner-timeout", "empty-after-cleaning")


class CleanFunction(Protocol):
    """`cleaning.clean_html` / `cleaning.clean_text` shape. Must be picklable (a
    module-level function) when `workers` > 1."""

    def __call__(self, text: str, url: str | None = None, /, **kwargs: Any) -> CleanedArticle: ...


@dataclass(slots=True)
class RecleanResult:
    candidates: int = 0  # pages selected for re-cleaning
    cleaned: int = 0  # pages the cleaner returned a non-empty article for
    empty: int = 0  # pages the cleaner returned nothing for (stored article kept)
    failed: list[FailedRecord] = field(default_factory=list)  # cleaner raised or store failed
    saved: SaveResult = field(default_factory=SaveResult)


def reclean(
    store: Store,
    clean: CleanFunction,
    *,
    version: int = CLEANER_VERSION,
    site: str | None = None,
    since: date | datetime | str | None = None,
    retry_skipped: bool = True,
    only_outdated: bool = True,
    site_profiles: Callable[[str], Sequence[str]] | None = None,
    workers: int = 1,
    batch_size: int = 200,
    progress: Callable[[int, int], None] | None = None,
) -> RecleanResult:
    """Re-run `clean(text, url)` over stored pages whose article is older than `version`.

    site/since: only that site's pages / pages fetched since then. only_outdated=False:
    every stored article, whatever its version (to apply new site profiles). site_profiles: given a
    site's domain, the boilerplate lines to pass to the cleaner as `site_profile=`.
    workers > 1: clean in that many processes. progress(done, total) is called after each
    batch. A page the new cleaner fails on, or finds empty, keeps its stored article.
    """
    result = RecleanResult()
    statement = _candidates(version, site, since, retry_skipped, only_outdated)
    with store.engine.connect() as connection:
        page_ids = connection.execute(statement).scalars().all()
    result.candidates = len(page_ids)
    if progress:
        progress(0, len(page_ids))
    executor: Executor | None = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        done = 0
        for start in range(0, len(page_ids), batch_size):
            batch = page_ids[start : start + batch_size]
            records = _clean_batch(store, batch, clean, site_profiles, executor, result)
            result.saved.add(store.save_pages(records, rewrite=True))
            done += len(batch)
            if progress:
                progress(done, len(page_ids))
    finally:
        if executor is not None:
            executor.shutdown()
    result.failed.extend(result.saved.failed)
    return result


def _candidates(
    version: int,
    site: str | None,
    since: date | datetime | str | None,
    retry_skipped: bool,
    only_outdated: bool,
) -> Select:
    outdated = Article.cleaner_version < version if only_outdated else Article.id.is_not(None)
    if retry_skipped:
        outdated = or_(outdated, Page.skip_reason.in_(CLEANER_SKIPS))
    statement = (
        select(Page.id)
        .outerjoin(Article, Article.page_id == Page.id)
        .where(outdated)
        .order_by(Page.id)
    )
    if site:
        statement = statement.join(Site, Site.id == Page.site_id).where(
            Site.domain == site.lower().removeprefix("www.")
        )
    if since is not None:
        statement = statement.where(Page.fetched_at >= to_utc_datetime(since))
    return statement


def _clean_batch(
    store: Store,
    page_ids: Sequence[int],
    clean: CleanFunction,
    site_profiles: Callable[[str], Sequence[str]] | None,
    executor: Executor | None,
    result: RecleanResult,
) -> list[PageRecord]:
    with Session(store.engine, expire_on_commit=False) as session:
        pages = session.execute(
            select(Page, Site.domain)
            .join(Site, Site.id == Page.site_id)
            .where(Page.id.in_(page_ids))
            .order_by(Page.id)
        ).all()
    profiles: dict[str, Sequence[str]] = {}
    tasks = []
    for page, domain in pages:
        kwargs: dict[str, Any] = {}
        if site_profiles is not None:
            if domain not in profiles:
                profiles[domain] = list(site_profiles(domain))
            kwargs["site_profile"] = profiles[domain]
        text = _decode(page)
        tasks.append((clean, text, page.final_url or page.url, kwargs))
    outcomes: Iterator[tuple[CleanedArticle | None, str | None]] = (
        executor.map(_run_cleaner, tasks, chunksize=8)
        if executor is not None
        else map(_run_cleaner, tasks)
    )

    records = []
    for (page, _domain), (article, error) in zip(pages, outcomes, strict=True):
        record = PageRecord(
            url=page.url,
            status=page.status,
            fetched_at=page.fetched_at,
            final_url=page.final_url,
            headers=dict(page.headers),
            body=decompress_body(page.raw_body),
            content_type=page.content_type,
        )
        if error is not None:
            logger.warning("cleaner failed on %s: %s", page.url, error)
            result.failed.append(FailedRecord(page.url, error))
            continue  # the stored page and article stay as they are
        if article is None or not article.paragraphs:
            result.empty += 1
            record.skip_reason, record.skip_detail = "empty-after-cleaning", "re-clean"
        else:
            result.cleaned += 1
            record.article = article
        records.append(record)
    return records


def _run_cleaner(task: tuple[CleanFunction, str, str, dict[str, Any]]):
    clean, text, url, kwargs = task
    try:
        return clean(text, url, **kwargs), None
    except Exception as exc:  # one page's failure is recorded, the others go on
        return None, f"{type(exc).__name__}: {exc}"


def _decode(page: Page) -> str:
    """The page's text, decoded the way Scrapy decodes responses (HTTP header, BOM, meta)."""
    content_type = next(
        (value for key, value in page.headers.items() if key.lower() == "content-type"),
        page.content_type,
    )
    _encoding, text = html_to_unicode(content_type, decompress_body(page.raw_body))
    return text
