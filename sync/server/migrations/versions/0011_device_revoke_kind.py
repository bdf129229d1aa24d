"""device revocation kinds: lost (wiped at once) or retired (a final push first), and what
the wipe destroyed as the device reported it (issue 10)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spie_desktop.domain.types import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoke_kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("wiped_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("unsent_destroyed", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("unsent_destroyed")
        batch_op.drop_column("wiped_at")
        batch_op.drop_column("revoke_kind")
