"""Crawl-run health: per-site figures of each run and the results of its drift monitors.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

`crawl_runs.sites` keeps what one run saw per site (pages, articles, comments, skips by
reason, removal families, a sample of word counts): the pages and articles tables only
hold the latest fetch, so without it nothing could be compared run over run.
`crawl_runs.checks` keeps the end-of-crawl monitor results (spiders.monitoring).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# JSON on SQLite, JSONB on Postgres (as storage.models.JSONType).
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sites", JSON_TYPE, nullable=True))
        batch_op.add_column(sa.Column("checks", JSON_TYPE, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("checks")
        batch_op.drop_column("sites")
