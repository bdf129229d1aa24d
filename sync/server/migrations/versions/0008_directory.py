"""directory of partner services (data·inclusion structures and services), issue 16

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
        "directory_record",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("kind", "id", name=op.f("pk_directory_record")),
    )
    with op.batch_alter_table("directory_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_directory_record_version", ["version", "kind", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("directory_record", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_record_version")
    op.drop_table("directory_record")
