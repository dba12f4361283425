"""Near-duplicate clusters: syndicated copies of one story are linked, not stored as
independent articles.

As articles are written, each body gets a MinHash signature (datasketch) over its word
shingles. The LSH banding of those signatures lives in the `article_bands` table, so the
index is shared by every process writing to the database and is updated in the same
transaction as the articles (datasketch's own LSH index lives in memory or in Redis).
Candidates sharing a band bucket, and exact duplicates (same `body_hash`), are verified
with the signatures and join the cluster of their best match.

Two tests decide "same story", both estimated from the signatures:
- resemblance (Jaccard of the shingle sets) >= `jaccard` — near-identical copies;
- containment (shared shingles / shingles of the shorter body) >= `containment` —
  a copy embedded in a longer article with its own intro or updates (seeds 003/004:
  Jaccard 0.26 but 47% of the shorter one's shingles are in the longer).

A cluster is named by its canonical member, the earliest stored article, whose
`cluster_id` is its own id; other members point to it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    String,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql

from storage.models import Article, ArticleBand
from storage.signatures import DedupOptions, Signature, band_buckets

# Bucket values per candidate query (bound parameters; both drivers allow far more).
BUCKETS_PER_QUERY = 5000


@dataclass(frozen=True, slots=True)
class Match:
    article_id: int
    other_id: int
    kind: str  # "exact" or "near"
    similarity: float  # estimated Jaccard (1.0 for exact)


class ArticleState(NamedTuple):
    """What clustering needs of a freshly written article (the store has it in hand)."""

    id: int
    cluster_id: int | None
    body_hash: str
    word_count: int
    minhash: bytes | None
    shingle_count: int | None


def cluster_articles(
    connection: Connection, article_ids: Sequence[int], options: DedupOptions
) -> list[Match]:
    """Index freshly written articles (their signatures are already stored) and (re)assign
    their clusters. Runs inside the caller's transaction; returns the deciding matches."""
    if not article_ids:
        return []
    rows = connection.execute(
        select(
            Article.id,
            Article.cluster_id,
            Article.body_hash,
            Article.word_count,
            Article.minhash,
            Article.shingle_count,
        ).where(Article.id.in_(sorted(article_ids)))
    ).all()
    return cluster_states(connection, [ArticleState(*row) for row in rows], options)


def cluster_states(
    connection: Connection, rows: Sequence[ArticleState], options: DedupOptions
) -> list[Match]:
    """`cluster_articles` for articles whose state the caller already has (as the store
    does after its upsert), without reading them back."""
    if not rows:
        return []
    ids = sorted(row.id for row in rows)
    signatures = {
        row.id: (np.frombuffer(row.minhash, dtype=np.uint32), row.shingle_count)
        for row in rows
        if row.minhash is not None
    }
    hashes = {row.id: row.body_hash for row in rows if row.word_count > 0}
    # Candidates are looked up before this batch's own band rows go in, so the lookup
    # returns only other articles' rows; pairs within the batch are found in memory.
    connection.execute(
        delete(ArticleBand).where(_is_in(connection, ArticleBand.article_id, ids, Integer))
    )
    band_rows = [
        (article_id, band, bucket)
        for article_id, (sig, _count) in signatures.items()
        for band, bucket in enumerate(band_buckets(sig, options))
    ]
    best = _best_matches(connection, hashes, signatures, band_rows, options)
    _insert_bands(connection, band_rows)

    changed = False  # until a cluster changes, the cluster ids read above are current
    for row in sorted(rows, key=lambda r: r.id):
        match = best.get(row.id)
        current = _cluster_of(connection, row.id) if changed else row.cluster_id
        if current is None and match is None:
            continue
        changed = True
        if current is not None and match is not None:
            other_cluster = _cluster_of(connection, match.other_id)
            if other_cluster == current:
                _set_match(connection, row.id, current, match)
                continue
        if current is not None:
            _leave_cluster(connection, row.id, current)
        if match is not None:
            _join(connection, match)
    return list(best.values())


def _insert_bands(connection: Connection, band_rows: list[tuple[int, int, int]]) -> None:
    if not band_rows:
        return
    if connection.dialect.name == "postgresql":
        # Many tiny rows per article: executemany sends them one statement each and
        # multi-row VALUES spends its time parsing placeholders; COPY streams them, as
        # one block of text (psycopg's write_row per row cost more than the COPY itself).
        text = "".join(
            f"{article_id}\t{band}\t{bucket}\n" for article_id, band, bucket in band_rows
        )
        driver_connection = connection.connection.driver_connection
        with driver_connection.cursor() as cursor:
            with cursor.copy("COPY article_bands (article_id, band, bucket) FROM STDIN") as copy:
                copy.write(text)
    else:
        # Straight to the driver: SQLAlchemy's per-row parameter processing cost more than
        # SQLite's insert itself for these three-integer rows.
        connection.exec_driver_sql(
            "INSERT INTO article_bands (article_id, band, bucket) VALUES (?, ?, ?)", band_rows
        )


def _best_matches(
    connection: Connection,
    hashes: dict[int, str],
    signatures: dict[int, Signature],
    band_rows: list[tuple[int, int, int]],
    options: DedupOptions,
) -> dict[int, Match]:
    # Lookups by value (body hashes, band buckets) rather than self-joins: each probe is
    # an index lookup whatever the planner's statistics say, so the cost per batch does
    # not grow with the size of the corpus.
    exact: list[tuple[int, int]] = []
    if hashes:
        same: dict[str, list[int]] = defaultdict(list)
        for other_id, body_hash in connection.execute(
            select(Article.id, Article.body_hash).where(
                _is_in(connection, Article.body_hash, sorted(set(hashes.values())), String)
            )
        ):
            same[body_hash].append(other_id)
        exact = [
            (article_id, other_id)
            for article_id, body_hash in hashes.items()
            for other_id in same[body_hash]
            if other_id != article_id
        ]

    # Bucket keys are unique to their band (band_buckets), so a shared key is a shared band.
    mine: dict[int, list[int]] = defaultdict(list)
    for article_id, _band, bucket in band_rows:
        mine[bucket].append(article_id)
    candidates: dict[int, set[int]] = defaultdict(set)
    for members in mine.values():
        if len(members) > 1:  # articles of this batch sharing a bucket
            for article_id in members:
                candidates[article_id].update(members)
    buckets = sorted(mine)
    for start in range(0, len(buckets), BUCKETS_PER_QUERY):
        chunk = buckets[start : start + BUCKETS_PER_QUERY]
        # One parameter for all the buckets (an array on Postgres, a JSON list read by
        # json_each on SQLite): rendering and binding thousands of IN placeholders cost
        # more than the index probes themselves.
        if connection.dialect.name == "postgresql":
            rows = connection.execute(
                select(ArticleBand.article_id, ArticleBand.bucket).where(
                    ArticleBand.bucket
                    == func.any(bindparam("buckets", chunk, type_=postgresql.ARRAY(BigInteger)))
                )
            )
        else:
            rows = connection.exec_driver_sql(
                "SELECT article_id, bucket FROM article_bands"
                " WHERE bucket IN (SELECT value FROM json_each(?))",
                (json.dumps(chunk),),
            )
        for other_id, bucket in rows:
            for article_id in mine[bucket]:
                candidates[article_id].add(other_id)

    others = {o for found in candidates.values() for o in found} - set(signatures)
    stored = _stored_signatures(connection, others, options) if others else {}
    stored.update(signatures)

    found: dict[int, list[Match]] = defaultdict(list)
    for article_id, other_id in exact:
        found[article_id].append(Match(article_id, other_id, "exact", 1.0))
    for article_id, other_ids in candidates.items():
        sig, count = signatures[article_id]
        for other_id in other_ids:
            if other_id == article_id or other_id not in stored:
                continue
            other_sig, other_count = stored[other_id]
            jaccard = float(np.count_nonzero(sig == other_sig)) / options.num_perm
            shared = jaccard * (count + other_count) / (1 + jaccard)
            containment = shared / min(count, other_count)
            if jaccard >= options.jaccard or containment >= options.containment:
                found[article_id].append(Match(article_id, other_id, "near", round(jaccard, 4)))
    # Best = exact first, then highest similarity, then the earliest stored article.
    return {
        article_id: min(matches, key=lambda m: (m.kind != "exact", -m.similarity, m.other_id))
        for article_id, matches in found.items()
    }


def _is_in(connection: Connection, column: Any, values: list[Any], item_type: Any) -> Any:
    """`column IN values`; on Postgres as `= ANY(array)`, one parameter: psycopg parses a
    query with hundreds of placeholders slowly."""
    if connection.dialect.name == "postgresql":
        return column == func.any(bindparam(None, values, type_=postgresql.ARRAY(item_type)))
    return column.in_(values)


def _stored_signatures(
    connection: Connection, ids: set[int], options: DedupOptions
) -> dict[int, tuple[np.ndarray, int]]:
    rows = connection.execute(
        select(Article.id, Article.minhash, Article.shingle_count).where(
            Article.id.in_(sorted(ids)), Article.minhash.is_not(None)
        )
    )
    return {
        row.id: (np.frombuffer(row.minhash, dtype=np.uint32), row.shingle_count)
        for row in rows
        if len(row.minhash) == 4 * options.num_perm  # signatures made with other settings: skip
    }


def _cluster_of(connection: Connection, article_id: int) -> int | None:
    return connection.execute(
        select(Article.cluster_id).where(Article.id == article_id)
    ).scalar_one_or_none()


def _join(connection: Connection, match: Match) -> None:
    """Put match.article_id into the cluster of match.other_id (creating it if needed)."""
    cluster = _cluster_of(connection, match.other_id)
    if cluster is None:
        cluster = min(match.article_id, match.other_id)  # the earliest stored is canonical
        for member in (match.article_id, match.other_id):
            connection.execute(
                update(Article)
                .where(Article.id == member)
                .values(cluster_id=cluster, duplicate_kind=None, similarity=None)
            )
        if cluster != match.article_id:
            _set_match(connection, match.article_id, cluster, match)
        else:
            _set_match(connection, match.other_id, cluster, match)
        return
    _set_match(connection, match.article_id, cluster, match)


def _set_match(connection: Connection, article_id: int, cluster: int, match: Match) -> None:
    if article_id == cluster:
        values = {"cluster_id": cluster, "duplicate_kind": None, "similarity": None}
    else:
        values = {
            "cluster_id": cluster,
            "duplicate_kind": match.kind,
            "similarity": match.similarity,
        }
    connection.execute(update(Article).where(Article.id == article_id).values(**values))


def _leave_cluster(connection: Connection, article_id: int, cluster: int) -> None:
    """Take an article out of its cluster; a canonical that leaves hands over to the
    earliest remaining member, and a cluster left with one member is dissolved."""
    connection.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(cluster_id=None, duplicate_kind=None, similarity=None)
    )
    remaining = (
        connection.execute(
            select(Article.id).where(Article.cluster_id == cluster).order_by(Article.id)
        )
        .scalars()
        .all()
    )
    if len(remaining) <= 1:
        connection.execute(
            update(Article)
            .where(Article.id.in_(remaining))
            .values(cluster_id=None, duplicate_kind=None, similarity=None)
        )
    elif cluster not in remaining:
        new_canonical = remaining[0]
        connection.execute(
            update(Article).where(Article.cluster_id == cluster).values(cluster_id=new_canonical)
        )
        connection.execute(
            update(Article)
            .where(Article.id == new_canonical)
            .values(duplicate_kind=None, similarity=None)
        )
