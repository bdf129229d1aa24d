"""server schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:44:37.733729
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import spie_desktop.domain.types
from spie_desktop.store.synced_schema import create_synced_tables, drop_synced_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The synced tables, shared with the other side: spie_desktop/store/synced_schema.py.
    create_synced_tables()

    op.create_table(
        "access",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referent_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("from_seq", sa.BigInteger(), nullable=False),
        sa.Column("to_seq", sa.BigInteger(), nullable=True),
        sa.Column("can_write", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referent_id"], ["referent.id"], name=op.f("fk_access_referent_id_referent")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access")),
    )
    with op.batch_alter_table("access", schema=None) as batch_op:
        batch_op.create_index("ix_access_person", ["person_id"], unique=False)
        batch_op.create_index(
            "ix_access_referent_person", ["referent_id", "person_id", "from_seq"], unique=False
        )

    op.create_table(
        "account",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referent_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "password_changed_at",
            spie_desktop.domain.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column(
            "locked_until", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["referent_id"], ["referent.id"], name=op.f("fk_account_referent_id_referent")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("referent_id", name=op.f("uq_account_referent_id")),
        sa.UniqueConstraint("username", name=op.f("uq_account_username")),
    )
    op.create_table(
        "admin_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "occurred_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_log")),
    )
    with op.batch_alter_table("admin_log", schema=None) as batch_op:
        batch_op.create_index("ix_admin_log_occurred", ["occurred_at"], unique=False)

    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("change_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=True),
        sa.Column("row_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("audience_id", sa.Uuid(), nullable=True),
        sa.Column("op", sa.String(length=8), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("overwritten", sa.JSON(), nullable=True),
        sa.Column("lost", sa.JSON(), nullable=True),
        sa.Column("hlc", sa.String(length=96), nullable=True),
        sa.Column("device_hlc", sa.String(length=96), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column(
            "received_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
        sa.UniqueConstraint("change_id", name=op.f("uq_change_log_change_id")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_audience_seq", ["audience_id", "seq"], unique=False)
        batch_op.create_index("ix_change_log_person_seq", ["person_id", "seq"], unique=False)
        batch_op.create_index("ix_change_log_row", ["table_name", "row_id"], unique=False)

    op.create_table(
        "purged_person",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "purged_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_purged_person")),
    )
    op.create_table(
        "row_clock",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("hlc", sa.String(length=96), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_row_clock")),
    )
    with op.batch_alter_table("row_clock", schema=None) as batch_op:
        batch_op.create_index("ix_row_clock_person", ["person_id"], unique=False)

    op.create_table(
        "seq_mark",
        sa.Column("first_seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("first_seq", name=op.f("pk_seq_mark")),
    )
    with op.batch_alter_table("seq_mark", schema=None) as batch_op:
        batch_op.create_index("ix_seq_mark_last", ["last_seq"], unique=False)

    op.create_table(
        "server_counter",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_counter")),
    )
    op.create_table(
        "server_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_server_meta")),
    )
    op.create_table(
        "supervision",
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["referent.id"], name=op.f("fk_supervision_supervisor_id_referent")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_supervision_team_id_team")),
        sa.PrimaryKeyConstraint("supervisor_id", "team_id", name=op.f("pk_supervision")),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("node", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "last_seen_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "last_push_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "last_pull_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("cursor", sa.String(length=96), nullable=True),
        sa.Column("last_hlc", sa.String(length=96), nullable=True),
        sa.Column("clock_skew_ms", sa.BigInteger(), nullable=True),
        sa.Column(
            "revoked_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("revoked_reason", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_device_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("node", name=op.f("uq_device_node")),
    )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.create_index("ix_device_account", ["account_id"], unique=False)

    op.create_table(
        "refresh_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "expires_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "last_used_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "revoked_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_refresh_token_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_token_token_hash")),
    )
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.create_index("ix_refresh_token_device", ["device_id"], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.drop_index("ix_refresh_token_device")

    op.drop_table("refresh_token")
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_index("ix_device_account")

    op.drop_table("device")
    op.drop_table("supervision")
    op.drop_table("server_meta")
    op.drop_table("server_counter")
    with op.batch_alter_table("seq_mark", schema=None) as batch_op:
        batch_op.drop_index("ix_seq_mark_last")

    op.drop_table("seq_mark")
    with op.batch_alter_table("row_clock", schema=None) as batch_op:
        batch_op.drop_index("ix_row_clock_person")

    op.drop_table("row_clock")
    op.drop_table("purged_person")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_row")
        batch_op.drop_index("ix_change_log_person_seq")
        batch_op.drop_index("ix_change_log_audience_seq")

    op.drop_table("change_log")
    with op.batch_alter_table("admin_log", schema=None) as batch_op:
        batch_op.drop_index("ix_admin_log_occurred")

    op.drop_table("admin_log")
    op.drop_table("account")
    with op.batch_alter_table("access", schema=None) as batch_op:
        batch_op.drop_index("ix_access_referent_person")
        batch_op.drop_index("ix_access_person")

    op.drop_table("access")
    drop_synced_tables()
    # ### end Alembic commands ###
