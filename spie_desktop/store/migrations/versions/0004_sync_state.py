"""sync state: row clocks, rows set aside at pull, durable conflicts (issue 10)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import spie_desktop.domain.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "row_sync",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("hlc", sa.String(length=96), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_row_sync")),
    )
    with op.batch_alter_table("row_sync", schema=None) as batch_op:
        batch_op.create_index("ix_row_sync_person", ["person_id"], unique=False)
    op.create_table(
        "pull_set_aside",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_pull_set_aside")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("ours", sa.Text(), nullable=False),
        sa.Column("our_hlc", sa.String(length=96), nullable=False),
        sa.Column("our_author", sa.String(length=200), nullable=True),
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("their_hlc", sa.String(length=96), nullable=False),
        sa.Column("their_author", sa.String(length=200), nullable=True),
        sa.Column(
            "detected_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("seen_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
        sa.UniqueConstraint(
            "table_name",
            "row_id",
            "field",
            "our_hlc",
            name=op.f("uq_sync_conflict_table_name_row_id_field_our_hlc"),
        ),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflict_seen", ["seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflict_seen")
    op.drop_table("sync_conflict")
    op.drop_table("pull_set_aside")
    with op.batch_alter_table("row_sync", schema=None) as batch_op:
        batch_op.drop_index("ix_row_sync_person")
    op.drop_table("row_sync")
