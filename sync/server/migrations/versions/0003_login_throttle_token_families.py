"""login throttling, refresh token families

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spie_desktop.domain.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTCDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("refresh_token") as batch:
        batch.add_column(sa.Column("family_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("rotated_at", UTCDateTime(timezone=True), nullable=True))
        batch.create_index("ix_refresh_token_family", ["family_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refresh_token") as batch:
        batch.drop_index("ix_refresh_token_family")
        batch.drop_column("rotated_at")
        batch.drop_column("family_id")
    op.drop_table("login_throttle")
