"""Export stored articles as JSON Lines or Parquet, streaming (constant memory).

One record per article; the same fields in both formats:

    field            JSONL            Parquet
    id               int              int64           articles.id
    url              str              string          the fetched URL
    canonical_url    str | null       string
    site             str              string          host name, without "www."
    title            str | null       string
    body             str              string          paragraphs joined by a blank line
    paragraphs       [str]            list<string>
    language         str | null       string
    authors          [str]            list<string>
    published        str | null       string          ISO 8601 as found on the page
    tags             [str]            list<string>
    site_name        str | null       string
    description      str | null       string
    word_count       int              int32           \\w+ tokens of the body
    cleaner_version  int              int32
    fetched_at       ISO 8601 str     timestamp[us, UTC]
    cluster_id       int | null       int64           id of the canonical near-duplicate
    duplicate_kind   str | null       string          "exact" / "near" / null
    removed          [{text, reason}] list<struct<text: string, reason: string>>
    comments         [{position, author, text, published, parent, votes}]   (only with_comments)
                                      list<struct<position: int32, author: string,
                                                  text: string, published: string,
                                                  parent: int32>>
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, Select, or_, select

from storage.models import Article, Comment, Page, Site, to_utc_datetime
from storage.store import Store

ExportFormat = Literal["jsonl", "parquet"]

# Rows fetched per round trip (server-side cursor on Postgres) and per Parquet row group.
CHUNK_SIZE = 1000

_STRINGS = pa.list_(pa.string())
PARQUET_FIELDS = [
    pa.field("id", pa.int64(), nullable=False),
    pa.field("url", pa.string(), nullable=False),
    pa.field("canonical_url", pa.string()),
    pa.field("site", pa.string()),
    pa.field("title", pa.string()),
    pa.field("body", pa.string(), nullable=False),
    pa.field("paragraphs", _STRINGS),
    pa.field("language", pa.string()),
    pa.field("authors", _STRINGS),
    pa.field("published", pa.string()),
    pa.field("tags", _STRINGS),
    pa.field("site_name", pa.string()),
    pa.field("description", pa.string()),
    pa.field("word_count", pa.int32()),
    pa.field("cleaner_version", pa.int32()),
    pa.field("fetched_at", pa.timestamp("us", tz="UTC")),
    pa.field("cluster_id", pa.int64()),
    pa.field("duplicate_kind", pa.string()),
    pa.field("removed", pa.list_(pa.struct([("text", pa.string()), ("reason", pa.string())]))),
]
COMMENTS_FIELD = pa.field(
    "comments",
    pa.list_(
        pa.struct(
            [
                ("position", pa.int32()),
                ("author", pa.string()),
                ("text", pa.string()),
                ("published", pa.string()),
                ("parent", pa.int32()),
                ("votes", pa.int64()),
            ]
        )
    ),
)


def parquet_schema(with_comments: bool = False) -> pa.Schema:
    return pa.schema(PARQUET_FIELDS + ([COMMENTS_FIELD] if with_comments else []))


def export_articles(
    store: Store,
    path: str | os.PathLike[str],
    fmt: ExportFormat | None = None,
    *,
    site: str | None = None,
    since: date | datetime | str | None = None,
    lang: str | None = None,
    with_comments: bool = False,
    dedup: bool = False,
) -> int:
    """Write the matching articles to `path`; returns how many were written.

    fmt: "jsonl" or "parquet" (default: from the file suffix). site: host name
    ("example.com"; "www." is ignored). since: only pages fetched at or after this date or
    datetime (ISO string accepted; naive means UTC). lang: language code ("en" also
    matches "en-GB"). with_comments: add each article's comments. dedup: one article per
    near-duplicate cluster (its canonical member). The file is written under a temporary
    name and renamed at the end, so readers never see half an export.
    """
    path = Path(path)
    fmt = fmt or _format_from_suffix(path)
    statement = _articles_query(site=site, since=since, lang=lang, dedup=dedup)
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"unknown export format {fmt!r}: use 'jsonl' or 'parquet'")
    partial = path.with_name(path.name + ".partial")
    try:
        with store.engine.connect() as connection:
            chunks = _chunks(connection, statement, with_comments)
            if fmt == "jsonl":
                count = _write_jsonl(partial, chunks)
            else:
                count = _write_parquet(partial, chunks, parquet_schema(with_comments))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def iter_articles(
    store: Store,
    *,
    site: str | None = None,
    since: date | datetime | str | None = None,
    lang: str | None = None,
    with_comments: bool = False,
    dedup: bool = False,
) -> Iterator[dict[str, Any]]:
    """The export records as dicts, streamed (same filters as `export_articles`)."""
    statement = _articles_query(site=site, since=since, lang=lang, dedup=dedup)
    with store.engine.connect() as connection:
        for chunk in _chunks(connection, statement, with_comments):
            yield from chunk


def _articles_query(
    *, site: str | None, since: date | datetime | str | None, lang: str | None, dedup: bool
) -> Select:
    statement = (
        select(
            Article.id,
            Article.url,
            Article.canonical_url,
            Site.domain.label("site"),
            Article.title,
            Article.body,
            Article.paragraphs,
            Article.language,
            Article.authors,
            Article.published,
            Article.tags,
            Article.site_name,
            Article.description,
            Article.word_count,
            Article.cleaner_version,
            Page.fetched_at,
            Article.cluster_id,
            Article.duplicate_kind,
            Article.removed,
        )
        .join(Page, Page.id == Article.page_id)
        .join(Site, Site.id == Article.site_id)
        .order_by(Article.id)
    )
    if site:
        statement = statement.where(Site.domain == site.lower().removeprefix("www."))
    if since is not None:
        statement = statement.where(Page.fetched_at >= to_utc_datetime(since))
    if lang:
        statement = statement.where(
            or_(Article.language == lang, Article.language.like(f"{lang}-%"))
        )
    if dedup:
        statement = statement.where(
            or_(Article.cluster_id.is_(None), Article.cluster_id == Article.id)
        )
    return statement


def _chunks(
    connection: Connection, statement: Select, with_comments: bool
) -> Iterator[list[dict[str, Any]]]:
    # stream_results: a server-side cursor on Postgres, so memory stays flat on large DBs.
    result = connection.execution_options(stream_results=True, yield_per=CHUNK_SIZE).execute(
        statement
    )
    for rows in result.partitions():
        records = [dict(row._mapping) for row in rows]
        if with_comments:
            _attach_comments(connection, records)
        yield records


def _attach_comments(connection: Connection, records: list[dict[str, Any]]) -> None:
    by_article: dict[int, list[dict[str, Any]]] = {record["id"]: [] for record in records}
    rows = connection.execute(
        select(
            Comment.article_id,
            Comment.position,
            Comment.author,
            Comment.text,
            Comment.published,
            Comment.parent_position.label("parent"),
            Comment.votes,
        )
        .where(Comment.article_id.in_(list(by_article)))
        .order_by(Comment.article_id, Comment.position)
    )
    for row in rows:
        comment = dict(row._mapping)
        by_article[comment.pop("article_id")].append(comment)
    for record in records:
        record["comments"] = by_article[record["id"]]


def _write_jsonl(path: Path, chunks: Iterator[list[dict[str, Any]]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for chunk in chunks:
            for record in chunk:
                record["fetched_at"] = record["fetched_at"].isoformat()
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += len(chunk)
    return count


def _write_parquet(path: Path, chunks: Iterator[list[dict[str, Any]]], schema: pa.Schema) -> int:
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for chunk in chunks:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count


def _format_from_suffix(path: Path) -> ExportFormat:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise ValueError(f"cannot tell the export format from {path.name!r}: use .jsonl or .parquet")
