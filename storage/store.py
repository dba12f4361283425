"""The store: batched, idempotent writes of crawled pages into SQLite or Postgres.

store = Store(resolve_database_url())
store.upgrade()
run_id = store.start_run("news", settings={...})
result = store.save_pages(records, run_id)
store.finish_run(run_id, stats={...})
store.close()
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError

from cleaning.comment_signals import with_fetch_time
from cleaning.types import CleanedArticle
from storage import migrate
from storage.dedup import ArticleState, cluster_states
from storage.engine import create_store_engine
from storage.models import TABLES, Article, Base, Comment, CrawlRun, Page, Site, utcnow
from storage.records import PackedBody, PageRecord
from storage.signatures import DedupOptions, body_fingerprint

logger = logging.getLogger(__name__)

# Records per transaction. Statements are split further by SQLAlchemy's "insertmanyvalues"
# so the driver's bound-parameter limit (SQLite 32766, Postgres 65535) is never reached.
DEFAULT_BATCH_SIZE = 500

# Errors about the database rather than the data (connection lost, server down, SQLite
# file locked): retrying the rows one by one cannot help, so they reach the caller, who
# can pause and retry the whole batch. The batch was rolled back; nothing is half-written.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)

DEFAULT_DEDUP = DedupOptions()


@dataclass(slots=True)
class FailedRecord:
    url: str
    error: str  # exception type and message


@dataclass(slots=True)
class SaveResult:
    """What one `save_pages` call did.

    Every input record is counted once in `pages` (page row inserted or updated),
    `unchanged` (same content and same cleaning outcome as stored: no write at all),
    `kept` (a skipped re-fetch of a page that already has an article: the stored page and
    article are kept, the new fetch is only counted) or `failed`. `skipped` counts the
    records that were skips, by reason, whatever happened to them.
    """

    pages: int = 0
    articles: int = 0
    comments: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    kept: int = 0
    duplicates: int = 0  # written articles found to be (near-)duplicates of another
    failed: list[FailedRecord] = field(default_factory=list)

    def add(self, other: SaveResult) -> None:
        self.pages += other.pages
        self.articles += other.articles
        self.comments += other.comments
        self.unchanged += other.unchanged
        self.kept += other.kept
        self.duplicates += other.duplicates
        self.failed.extend(other.failed)
        self.skipped = dict(Counter(self.skipped) + Counter(other.skipped))


class Store:
    """A newsclean database (SQLite file or Postgres), brought up to date by `upgrade()`."""

    def __init__(
        self,
        url: str,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        dedup: DedupOptions | None = DEFAULT_DEDUP,
        **engine_kwargs: Any,
    ):
        """`dedup=None` switches near-duplicate clustering off (articles are still written
        with their body hash, so clustering can be caught up later by re-cleaning)."""
        self.engine: Engine = create_store_engine(url, **engine_kwargs)
        self.batch_size = batch_size
        self.dedup = dedup
        self._insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[
            self.engine.dialect.name
        ]
        logger.debug("opened database %s", self.safe_url)

    @property
    def safe_url(self) -> str:
        """The database URL with any password masked: the only form that may be logged."""
        return self.engine.url.render_as_string(hide_password=True)

    # -- schema ---------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations. Raises SchemaTooNewError when the database is at a
        revision this code does not know (migrated by a newer newsclean)."""
        migrate.upgrade(self.engine, revision)

    def downgrade(self, revision: str) -> None:
        migrate.downgrade(self.engine, revision)

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return migrate.current_revision(connection)

    # -- crawl runs -----------------------------------------------------------------------

    def start_run(self, spider: str, settings: dict[str, Any] | None = None) -> int:
        with self.engine.begin() as connection:
            return connection.execute(
                CrawlRun.__table__.insert()
                .values(spider=spider, started_at=utcnow(), settings=_jsonable(settings or {}))
                .returning(CrawlRun.id)
            ).scalar_one()

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(finished_at=utcnow(), stats=_jsonable(stats))
            )

    # -- pages ----------------------------------------------------------------------------

    def save_pages(
        self, records: Sequence[PageRecord], run_id: int | None = None, *, rewrite: bool = False
    ) -> SaveResult:
        """Upsert pages (and their articles and comments), `batch_size` records per
        transaction. A batch that fails is retried record by record, so one bad record
        never loses the others; a record that still fails is logged and listed in
        `SaveResult.failed`, with nothing of it written. `rewrite=True` writes articles
        even when content and cleaner version are unchanged (re-cleaning with new inputs,
        such as a site profile)."""
        result = SaveResult()
        for start in range(0, len(records), self.batch_size):
            batch = records[start : start + self.batch_size]
            result.add(self._save_batch_or_rows(batch, run_id, rewrite))
        return result

    def _save_batch_or_rows(
        self, batch: Sequence[PageRecord], run_id: int | None, rewrite: bool
    ) -> SaveResult:
        try:
            with self.engine.begin() as connection:
                return _Writer(connection, self._insert, run_id, self.dedup, rewrite).save(batch)
        except UNAVAILABLE_ERRORS:
            raise
        except Exception as exc:
            if len(batch) == 1:
                return _failed(batch[0], exc)
            logger.warning(
                "batch of %d pages failed, retrying them one by one", len(batch), exc_info=True
            )
        result = SaveResult()
        for record in batch:
            try:
                with self.engine.begin() as connection:
                    writer = _Writer(connection, self._insert, run_id, self.dedup, rewrite)
                    result.add(writer.save([record]))
            except UNAVAILABLE_ERRORS:
                raise
            except Exception as exc:
                result.add(_failed(record, exc))
        return result

    # -- reading --------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.engine.connect() as connection:
            return {
                name: connection.execute(
                    select(func.count()).select_from(Base.metadata.tables[name])
                ).scalar_one()
                for name in TABLES
            }

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _failed(record: PageRecord, exc: Exception) -> SaveResult:
    logger.error("could not store page %s", record.url, exc_info=exc)
    return SaveResult(failed=[FailedRecord(record.url, f"{type(exc).__name__}: {exc}")])


class _Writer:
    """Writes one batch of records inside the caller's transaction."""

    def __init__(
        self,
        connection: Connection,
        insert: Any,
        run_id: int | None,
        dedup: DedupOptions | None,
        rewrite: bool = False,
    ):
        self.connection = connection
        self.insert = insert
        self.run_id = run_id
        self.dedup = dedup
        self.rewrite = rewrite

    def save(self, records: Sequence[PageRecord]) -> SaveResult:
        records = _last_per_url(records)
        result = SaveResult(skipped=dict(Counter(r.skip_reason for r in records if r.skip_reason)))
        stored = self._stored_state([r.url for r in records])
        to_write: list[tuple[PageRecord, str]] = []
        for record in records:
            packed = record.packed_body
            if packed is None:
                packed = PackedBody.of(record.body)
                record.packed_body = packed
            content_hash = packed.content_hash
            previous = stored.get(record.url)
            if record.article is None and previous is not None and previous.article_id:
                result.kept += 1
            elif (
                not self.rewrite
                and previous is not None
                and _same_outcome(previous, record, content_hash)
            ):
                result.unchanged += 1
            else:
                to_write.append((record, content_hash))
        if not to_write:
            return result

        domains = {r.url: _domain(r) for r, _ in to_write}
        site_ids = self._site_ids(set(domains.values()))
        page_ids = self._upsert_pages(to_write, {url: site_ids[d] for url, d in domains.items()})
        result.pages = len(page_ids)

        written = [(r, page_ids[r.url], site_ids[domains[r.url]]) for r, _ in to_write if r.article]
        if written:
            states = self._upsert_articles(written)
            article_ids = {page_id: state.id for page_id, state in states.items()}
            result.articles = len(article_ids)
            result.comments = self._replace_comments(written, article_ids)
            if self.dedup is not None:
                matches = cluster_states(self.connection, list(states.values()), self.dedup)
                result.duplicates = len(matches)
        return result

    def _stored_state(self, urls: list[str]) -> dict[str, Any]:
        rows = self.connection.execute(
            select(
                Page.url,
                Page.status,
                Page.content_hash,
                Page.skip_reason,
                Article.id.label("article_id"),
                Article.cleaner_version,
            )
            .outerjoin(Article, Article.page_id == Page.id)
            .where(Page.url.in_(urls))
        )
        return {row.url: row for row in rows}

    def _site_ids(self, domains: set[str]) -> dict[str, int]:
        self.connection.execute(
            self.insert(Site).on_conflict_do_nothing(index_elements=[Site.domain]),
            [{"domain": domain, "created_at": utcnow()} for domain in sorted(domains)],
        )
        rows = self.connection.execute(select(Site.domain, Site.id).where(Site.domain.in_(domains)))
        return {row.domain: row.id for row in rows}

    def _upsert_pages(
        self, records: list[tuple[PageRecord, str]], site_of_url: dict[str, int]
    ) -> dict[str, int]:
        rows = [
            {
                "url": record.url,
                "final_url": _text(record.final_url),
                "site_id": site_of_url[record.url],
                "status": record.status,
                "headers": _jsonable(record.headers),
                "content_type": _text(record.content_type),
                "fetched_at": record.fetched_at,
                "raw_body": (record.packed_body or PackedBody.of(record.body)).compressed,
                "raw_size": len(record.body),
                "content_hash": content_hash,
                "skip_reason": record.skip_reason if record.article is None else None,
                "skip_detail": _text(record.skip_detail) if record.article is None else None,
                "crawl_run_id": self.run_id,
            }
            for record, content_hash in records
        ]
        statement = self.insert(Page)
        updates: dict[str, Any] = {name: statement.excluded[name] for name in rows[0]}
        del updates["url"]
        # A write without a crawl run (a re-clean) keeps the run that fetched the page.
        updates["crawl_run_id"] = func.coalesce(statement.excluded.crawl_run_id, Page.crawl_run_id)
        statement = statement.on_conflict_do_update(
            index_elements=[Page.url], set_=updates
        ).returning(Page.url, Page.id)
        return {row.url: row.id for row in self.connection.execute(statement, rows)}

    def _upsert_articles(
        self, written: list[tuple[PageRecord, int, int]]
    ) -> dict[int, ArticleState]:
        """Upsert the articles; returns page id -> what clustering needs of each article
        (from the rows written and RETURNING: nothing is read back)."""
        now = utcnow()
        rows = [
            _article_row(record, record.article, page_id, site_id, now, self.dedup)
            for record, page_id, site_id in written
            if record.article is not None
        ]
        statement = self.insert(Article)
        statement = statement.on_conflict_do_update(
            index_elements=[Article.page_id],
            set_={
                name: statement.excluded[name]
                for name in rows[0]
                if name not in ("page_id", "created_at")
            },
        ).returning(Article.page_id, Article.id, Article.cluster_id)
        by_page = {row["page_id"]: row for row in rows}
        return {
            returned.page_id: ArticleState(
                returned.id,
                returned.cluster_id,  # not in the update: the stored cluster, if any
                by_page[returned.page_id]["body_hash"],
                by_page[returned.page_id]["word_count"],
                by_page[returned.page_id]["minhash"],
                by_page[returned.page_id]["shingle_count"],
            )
            for returned in self.connection.execute(statement, rows)
        }

    def _replace_comments(
        self, written: list[tuple[PageRecord, int, int]], article_ids: dict[int, int]
    ) -> int:
        self.connection.execute(delete(Comment).where(Comment.article_id.in_(article_ids.values())))
        rows = [
            {
                "article_id": article_ids[page_id],
                "position": position,
                "author": _text(comment.author),
                "text": _text(comment.text),
                "published": _text(comment.published),
                "parent_position": comment.parent,
                "votes": comment.votes,
                "published_text": _text(comment.published_text),
            }
            for record, page_id, _ in written
            if record.article is not None
            # "3 days ago" becomes a date now that the fetch time is known
            for position, comment in enumerate(
                with_fetch_time(record.article.comments, record.fetched_at)
            )
        ]
        if rows:
            self.connection.execute(Comment.__table__.insert(), rows)
        return len(rows)


def _article_row(
    record: PageRecord,
    article: CleanedArticle,
    page_id: int,
    site_id: int,
    now: Any,
    dedup: DedupOptions | None,
) -> dict[str, Any]:
    meta = article.metadata
    body = _text(article.body) or ""
    fingerprint = record.fingerprint
    if fingerprint is None or fingerprint.options != dedup:
        fingerprint = body_fingerprint(body, dedup)
    return {
        "page_id": page_id,
        "site_id": site_id,
        "url": record.url,
        "canonical_url": _text(meta.canonical_url),
        "title": _text(article.title),
        "body": body,
        "paragraphs": _strings(article.paragraphs),
        "language": _text(meta.language),
        "authors": _strings(meta.authors),
        "published": _text(meta.published),
        "tags": _strings(meta.tags),
        "site_name": _text(meta.site_name),
        "description": _text(meta.description),
        "cleaner_version": article.cleaner_version,
        "removed": [{"text": _text(r.text), "reason": r.reason} for r in article.removed],
        "word_count": fingerprint.word_count,
        "body_hash": fingerprint.body_hash,
        "created_at": now,
        "updated_at": now,
        "minhash": fingerprint.minhash,
        "shingle_count": fingerprint.shingle_count,
    }


def _same_outcome(previous: Any, record: PageRecord, content_hash: str) -> bool:
    """True when the stored page has the same content and cleaning result as `record`."""
    if previous.content_hash != content_hash or previous.status != record.status:
        return False
    if record.article is None:
        return previous.article_id is None and previous.skip_reason == record.skip_reason
    return (
        previous.article_id is not None
        and previous.cleaner_version == record.article.cleaner_version
    )


def _last_per_url(records: Iterable[PageRecord]) -> list[PageRecord]:
    # One statement may not upsert the same key twice (Postgres refuses); the last fetch
    # wins. Sorted by URL so concurrent writers lock rows in the same order (no deadlock).
    latest = {record.url: record for record in records}
    return [latest[url] for url in sorted(latest)]


_WORD = re.compile(r"\w+")


def decompress_body(raw_body: bytes) -> bytes:
    """The response body as fetched, from `pages.raw_body`."""
    return zlib.decompress(raw_body)


def word_count(text: str) -> int:
    """Words as the body F1 metric counts them (`\\w+` tokens)."""
    return len(_WORD.findall(text))


def _domain(record: PageRecord) -> str:
    return site_domain(record.final_url or record.url)


def site_domain(url: str) -> str:
    """The site of a page: host name of the URL, lower-case, without "www." (kept at host
    level, not registered domain: news.x.com and shop.x.com differ)."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or "(none)"


def _text(value: str | None) -> str | None:
    # Postgres rejects NUL characters in text and JSONB; pages do contain them sometimes.
    # Dropping them is lossless for text purposes and keeps both databases identical.
    return value.replace("\x00", "") if value is not None else None


def _strings(values: Iterable[str]) -> list[str]:
    """A list of strings for a JSON column (the common case, kept cheap)."""
    return [value.replace("\x00", "") for value in values]


def _jsonable(value: Any) -> Any:
    """Any structure (headers, settings, stats) made JSON-safe: NUL-free strings, string
    keys, bytes as latin-1 text, other objects as their str()."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_jsonable(str(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1").replace("\x00", "")
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)
