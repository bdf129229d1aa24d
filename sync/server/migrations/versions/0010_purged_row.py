"""purged rows: the ids of the rows of an erased or purged person (issue 15)

A device that was offline during an erasure may push a change to one of the person's rows;
the server, which no longer holds the row, answers ``person_purged`` (not ``unknown_row``)
from this table, which holds ids only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purged_row",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_purged_row")),
    )


def downgrade() -> None:
    op.drop_table("purged_row")
