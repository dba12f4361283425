"""Reader comments keep the vote / like count their page shows (`comments.votes`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

Schema only: a nullable integer column; comments stored before it have no count (NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("votes", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("votes")
