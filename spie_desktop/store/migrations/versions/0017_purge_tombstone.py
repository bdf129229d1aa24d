"""the purges the server decided, with its MAC, kept for a server restored from an older backup (issue 10)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purge_tombstone",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("purged_at", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_purge_tombstone")),
    )


def downgrade() -> None:
    op.drop_table("purge_tombstone")
