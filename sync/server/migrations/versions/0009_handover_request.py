"""handover requests from devices, idempotent by request id (issue 14)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import spie_desktop.domain.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handover_request",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("referent_id", sa.Uuid(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("assignment_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decided_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_handover_request")),
    )


def downgrade() -> None:
    op.drop_table("handover_request")
