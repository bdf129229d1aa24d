"""handover requests queued on the device, sent to the server (issue 14)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import spie_desktop.domain.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handover_request",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("from_referent_id", sa.Uuid(), nullable=True),
        sa.Column("to_referent_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("assignment_id", sa.Uuid(), nullable=True),
        sa.Column(
            "decided_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_handover_request")),
    )
    with op.batch_alter_table("handover_request", schema=None) as batch_op:
        batch_op.create_index("ix_handover_request_state", ["state", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handover_request", schema=None) as batch_op:
        batch_op.drop_index("ix_handover_request_state")
    op.drop_table("handover_request")
