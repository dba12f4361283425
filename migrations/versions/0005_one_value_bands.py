"""LSH bands of one MinHash value (16 per article) instead of 51 bands of two values:
fewer index rows per article, better recall at low similarity; candidates are re-checked
on the full signatures as before. Bucket keys now carry their band (`band << 32 | value`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Data only (no schema change): the band rows of every article with a stored signature are
rebuilt in the new scheme; downgrade rebuilds the old one. The bucket formulas are
written out here, not imported from storage.dedup, so this revision keeps meaning what it
meant when the code changes again.
"""

from collections.abc import Iterator, Sequence

import numpy as np
import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE_BYTES = 4 * 128  # uint32 MinHash values, 128 permutations
CHUNK = 1000  # articles per read


def new_buckets(signature: np.ndarray) -> list[int]:
    """16 bands of one value: `band << 32 | value`."""
    return ((np.arange(16, dtype=np.int64) << 32) | signature[:16].astype(np.int64)).tolist()


def old_buckets(signature: np.ndarray) -> list[int]:
    """51 bands of two values, combined with the 64-bit FNV prime modulo 2**64."""
    matrix = signature[:102].astype(np.uint64).reshape(51, 2)
    keys = np.zeros(51, dtype=np.uint64)
    for column in range(2):
        keys = keys * np.uint64(0x100000001B3) + matrix[:, column]
    return keys.view(np.int64).tolist()


def upgrade() -> None:
    rebuild(new_buckets)


def downgrade() -> None:
    rebuild(old_buckets)


def rebuild(buckets_of: object) -> None:
    bind = op.get_bind()
    bands = sa.table(
        "article_bands",
        sa.column("article_id", sa.Integer),
        sa.column("band", sa.SmallInteger),
        sa.column("bucket", sa.BigInteger),
    )
    bind.execute(bands.delete())
    for chunk in signatures(bind):
        rows = [
            {"article_id": article_id, "band": band, "bucket": bucket}
            for article_id, signature in chunk
            for band, bucket in enumerate(buckets_of(signature))  # type: ignore[operator]
        ]
        if rows:
            bind.execute(bands.insert(), rows)


def signatures(bind: sa.Connection) -> Iterator[list[tuple[int, np.ndarray]]]:
    articles = sa.table(
        "articles", sa.column("id", sa.Integer), sa.column("minhash", sa.LargeBinary)
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(articles.c.id, articles.c.minhash)
            .where(articles.c.id > last, articles.c.minhash.is_not(None))
            .order_by(articles.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        yield [
            (row.id, np.frombuffer(row.minhash, dtype=np.uint32))
            for row in rows
            if len(row.minhash) == SIGNATURE_BYTES
        ]
