"""refresh token rotation survives a lost answer: the rotation id the device sent and the
successor issued, so that the device's own retry is answered again (issue 11)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rotation_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("successor_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.drop_column("successor_id")
        batch_op.drop_column("rotation_id")
