"""accompaniment path: orientation, contract, closing review, breach

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:36:38
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spie_desktop.store.synced_schema import create_path_tables, drop_path_tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The synced tables, shared with the server: spie_desktop/store/synced_schema.py.
    create_path_tables()
    # Summaries are derived data: emptied, rebuilt with their deadlines when the store opens
    # (Store._build_missing_summaries); empty, NOT NULL columns need no default.
    op.execute("DELETE FROM person_summary")
    with op.batch_alter_table("person_summary", schema=None, recreate="always") as batch_op:
        batch_op.add_column(sa.Column("orientation_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contract_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("track_review_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contract_ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("legacy_contract", sa.Boolean(), nullable=False))
        batch_op.add_column(sa.Column("weekly_floor_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("planned_minutes_week", sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column("below_floor", sa.Boolean(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("person_summary", schema=None) as batch_op:
        batch_op.drop_column("below_floor")
        batch_op.drop_column("planned_minutes_week")
        batch_op.drop_column("weekly_floor_minutes")
        batch_op.drop_column("legacy_contract")
        batch_op.drop_column("contract_ends_on")
        batch_op.drop_column("track_review_due_on")
        batch_op.drop_column("contract_due_on")
        batch_op.drop_column("orientation_due_on")
    drop_path_tables()
