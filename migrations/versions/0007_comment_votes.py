"""Reader comments keep the vote / like count their page shows (`comments.votes`) and the
page's own wording of their time (`comments.published_text`, e.g. "vor 3 Tagen", while
`published` holds ISO 8601 once it is known).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

Schema only: two nullable columns; comments stored before them have NULL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("votes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("published_text", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("published_text")
        batch.drop_column("votes")
