"""The schema: SQLAlchemy 2 typed declarative models, one definition for SQLite and Postgres.

The tables are only ever created and changed by the Alembic revisions in `migrations/`;
a test checks that autogenerate finds no difference between these models and the
migrated database, on both dialects.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Deterministic constraint and index names: Alembic can then drop/alter them by name,
# and SQLite batch migrations (which recreate tables) keep the same names.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON everywhere; JSONB on Postgres so the corpus can be queried and indexed there.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime that always comes back as UTC.

    Postgres keeps the offset (timestamptz); SQLite stores text without one and would hand
    back naive datetimes, so values are normalised to UTC on the way in and tagged as UTC
    on the way out. Naive input is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_utc_datetime(value: date | datetime | str) -> datetime:
    """A filter bound such as `since=`: a date (midnight), datetime or ISO string; naive
    values are taken as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


class Site(Base):
    """One row per host name (lower-case, without a leading "www.")."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the boilerplate profile (site_boilerplate) was last learned, from how many articles.
    profile_learned_at: Mapped[datetime | None]
    profile_articles: Mapped[int | None]


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stats: Mapped[dict[str, Any] | None]
    # What this run saw per site ({domain: figures}, storage.runs.SiteFigures) and what its
    # end-of-crawl monitors found ({"ok": bool, "failures": [...]}); NULL before 0006 or
    # for a run that did not finish.
    sites: Mapped[dict[str, Any] | None]
    checks: Mapped[dict[str, Any] | None]


class Page(Base):
    """The latest fetch of one URL: what the server sent, kept so pages can be re-cleaned."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    final_url: Mapped[str | None] = mapped_column(Text)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    status: Mapped[int | None]
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_type: Mapped[str | None] = mapped_column(String(255))
    fetched_at: Mapped[datetime]
    raw_body: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed response body
    raw_size: Mapped[int]  # uncompressed length in bytes
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 hex of raw body
    skip_reason: Mapped[str | None] = mapped_column(String(50), index=True)
    skip_detail: Mapped[str | None] = mapped_column(Text)
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )

    article: Mapped[Article | None] = relationship(back_populates="page", passive_deletes=True)


class Article(Base):
    """The cleaned text of one page (at most one article per page)."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    paragraphs: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str | None] = mapped_column(String(20), index=True)
    authors: Mapped[list[Any]] = mapped_column(default=list)
    # ISO 8601 text as the cleaner found it (a date or a datetime, so not a timestamp column).
    published: Mapped[str | None] = mapped_column(String(64), index=True)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    site_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    cleaner_version: Mapped[int] = mapped_column(index=True)
    removed: Mapped[list[Any]] = mapped_column(default=list)  # [{"text", "reason"}, ...]
    word_count: Mapped[int]
    body_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Near-duplicates (storage/dedup.py). A cluster is named by its canonical member (the
    # earliest stored), whose cluster_id is its own id; NULL = no duplicate known.
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    duplicate_kind: Mapped[str | None] = mapped_column(String(16))  # "exact" / "near"
    similarity: Mapped[float | None] = mapped_column(Float)  # to the member it matched
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # uint32 MinHash signature
    shingle_count: Mapped[int | None]  # distinct body shingles (for containment estimates)

    page: Mapped[Page] = relationship(back_populates="article")
    comments: Mapped[list[Comment]] = relationship(
        back_populates="article", order_by="Comment.position", passive_deletes=True
    )


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int]  # index in the article's comment list, page order
    author: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(64))  # ISO 8601 or the page's wording
    parent_position: Mapped[int | None]  # position of the comment this one replies to
    votes: Mapped[int | None]  # the vote / like count the page shows, when it shows one
    published_text: Mapped[str | None] = mapped_column(String(64))  # the page's wording

    article: Mapped[Article] = relationship(back_populates="comments")


class ArticleBand(Base):
    """Locality-sensitive-hashing buckets of each article's MinHash signature: articles
    sharing a (band, bucket) are near-duplicate candidates. Kept in the database (not in
    datasketch's in-memory index) so every crawler process sees the same index and it
    changes in the same transaction as the articles."""

    __tablename__ = "article_bands"
    # Candidates are looked up by bucket value (storage.dedup): bucket leads the index.
    __table_args__ = (Index(None, "bucket", "band"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)


class SiteBoilerplate(Base):
    """A line learned as boilerplate for one site: it recurs in many of its articles."""

    __tablename__ = "site_boilerplate"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    # sha256 of `line_key`: lines can be long, index keys should not be.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    line_key: Mapped[str] = mapped_column(Text)  # cleaning.text.normalize_for_profile(line)
    example: Mapped[str] = mapped_column(Text)  # the line as it appeared
    article_count: Mapped[int]  # articles of the site it was seen in
    learned_at: Mapped[datetime] = mapped_column(default=utcnow)


# The tables users query (Store.counts); article_bands is an index, not data.
TABLES = ("sites", "crawl_runs", "pages", "articles", "comments", "site_boilerplate")

__all__ = [
    "Article",
    "ArticleBand",
    "Base",
    "Comment",
    "CrawlRun",
    "Page",
    "Site",
    "SiteBoilerplate",
    "TABLES",
]
