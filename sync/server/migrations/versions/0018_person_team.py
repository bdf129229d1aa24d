"""the team a person belongs to, even without a referent (set by the server), issue 14

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ALTER TABLE … ADD COLUMN on both sides: the same DDL text on device and server.
    # No backfill: the server sets the value through its change log (a handover, an import),
    # and a person with a referent takes that referent's team in the meantime.
    op.add_column("person", sa.Column("team_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("team_id")
