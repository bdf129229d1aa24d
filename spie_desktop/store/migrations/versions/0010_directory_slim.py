"""directory: the whole record apart from the search columns (searches scan small rows)

The directory is a copy of the server's, downloaded again from the start: the table is
rebuilt empty without ``data`` and the directory cursor is reset.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM directory_service")
    op.execute("DELETE FROM directory_structure")
    op.execute("DELETE FROM device_state WHERE key = 'directory_cursor'")
    with op.batch_alter_table("directory_service", schema=None) as batch_op:
        batch_op.drop_column("data")
    op.create_table(
        "directory_service_data",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_service_data")),
    )


def downgrade() -> None:
    op.drop_table("directory_service_data")
    op.execute("DELETE FROM directory_service")
    op.execute("DELETE FROM directory_structure")
    op.execute("DELETE FROM device_state WHERE key = 'directory_cursor'")
    with op.batch_alter_table("directory_service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data", sa.JSON(), nullable=False))
