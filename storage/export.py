"""Export stored articles as JSON Lines, CSV or Parquet, streaming (constant memory).

One record per article; the same fields in every format (CSV: lists and structs as JSON
text in their cell, dates as ISO 8601, null as an empty cell):

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

CSV can also put the comments in a file of their own (`comments_path`), one row per
comment: article_id, position, author, text, published, parent, votes. JSON Lines and CSV can
go to standard output (path "-").
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TextIO

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, Select, or_, select

from storage.models import Article, Comment, Page, Site, to_utc_datetime
from storage.store import Store

ExportFormat = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
STDOUT = "-"
COMMENT_COLUMNS = ["article_id", "position", "author", "text", "published", "parent", "votes"]

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
    comments_path: str | os.PathLike[str] | None = None,
) -> int:
    """Write the matching articles to `path`; returns how many were written.

    path: a file, or "-" for standard output (JSON Lines or CSV). fmt: "jsonl", "csv" or
    "parquet" (default: from the file suffix; JSON Lines for "-"). site: host name
    ("example.com"; "www." is ignored). since: only pages fetched at or after this date or
    datetime (ISO string accepted; naive means UTC). lang: language code ("en" also
    matches "en-GB"). with_comments: add each article's comments (in CSV, as a JSON
    column). comments_path: CSV only, the comments as a second CSV file, one row per
    comment. dedup: one article per near-duplicate cluster (its canonical member). Files
    are written under a temporary name and renamed at the end, so readers never see half
    an export. ValueError for an unknown format or a bad date, OSError if a file cannot
    be written.
    """
    to_stdout = os.fspath(path) == STDOUT
    if fmt is None:
        fmt = "jsonl" if to_stdout else _format_from_suffix(Path(path))
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use 'jsonl', 'csv' or 'parquet'")
    if to_stdout and fmt == "parquet":
        raise ValueError("Parquet cannot be written to standard output: give a .parquet file")
    if comments_path is not None and fmt != "csv":
        raise ValueError(
            "a separate comments file is for CSV exports; JSON Lines and Parquet "
            "carry the comments in each record (--with-comments)"
        )
    statement = _articles_query(site=site, since=since, lang=lang, dedup=dedup)
    fetch_comments = with_comments or comments_path is not None
    with store.engine.connect() as connection:
        chunks = _chunks(connection, statement, fetch_comments)
        if fmt == "parquet":
            with _atomic_file(path) as partial:
                return _write_parquet(partial, chunks, parquet_schema(with_comments))
        write: Callable[[TextIO, Iterator[list[dict[str, Any]]]], int]
        write = _write_jsonl if fmt == "jsonl" else _csv_writer(with_comments, comments_path)
        with _text_output(path) as out:
            return write(out, chunks)


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


@contextmanager
def _atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary name beside `path`, renamed to it when the block succeeds."""
    final = Path(path)
    partial = final.with_name(final.name + ".partial")
    try:
        yield partial
        partial.replace(final)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _text_output(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """UTF-8 text to a file (atomically) or to standard output ("-"), whatever the
    locale; newline="" so the csv module's line ends pass through unchanged."""
    if os.fspath(path) == STDOUT:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="",
                               write_through=False)  # fmt: skip
        try:
            yield out
            out.flush()
        finally:
            out.detach()  # leave sys.stdout open
        return
    with _atomic_file(path) as partial, partial.open("w", encoding="utf-8", newline="") as out:
        yield out


def _write_jsonl(out: TextIO, chunks: Iterator[list[dict[str, Any]]]) -> int:
    count = 0
    for chunk in chunks:
        for record in chunk:
            record["fetched_at"] = record["fetched_at"].isoformat()
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += len(chunk)
    return count


def _csv_writer(
    with_comments: bool, comments_path: str | os.PathLike[str] | None
) -> Callable[[TextIO, Iterator[list[dict[str, Any]]]], int]:
    columns = [field.name for field in parquet_schema(with_comments)]

    def write(out: TextIO, chunks: Iterator[list[dict[str, Any]]]) -> int:
        if comments_path is None:
            return _write_csv(out, columns, chunks, None)
        with _text_output(comments_path) as comments_out:
            comments = csv.DictWriter(comments_out, COMMENT_COLUMNS)
            comments.writeheader()
            return _write_csv(out, columns, chunks, comments)

    return write


def _write_csv(
    out: TextIO,
    columns: list[str],
    chunks: Iterator[list[dict[str, Any]]],
    comments: csv.DictWriter | None,
) -> int:
    articles = csv.DictWriter(out, columns, extrasaction="ignore")
    articles.writeheader()
    count = 0
    for chunk in chunks:
        for record in chunk:
            if comments is not None:
                comments.writerows({"article_id": record["id"], **c} for c in record["comments"])
            articles.writerow({name: _csv_cell(record.get(name)) for name in columns})
        count += len(chunk)
    return count


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return value  # None -> empty cell (csv module)


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
    if suffix == ".csv":
        return "csv"
    raise ValueError(
        f"cannot tell the export format from {path.name!r}: "
        "name the file .jsonl, .csv or .parquet (or give --format)"
    )
