"""who asked for an appointment's last move (the person, the service, a partner), issue 12

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 05:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ALTER TABLE … ADD COLUMN on both sides: the same DDL text on device and server
    # (a batch rebuild would list the constraints in an arbitrary order).
    op.add_column("appointment", sa.Column("requested_by", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_column("requested_by")
