"""caseload order: accent-insensitive name key, person liveness index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spie_desktop.store.synced_schema import create_person_live_index, drop_person_live_index

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Summaries are derived data: emptied here, the store rebuilds them (with their sort
    # key) when it opens (Store._build_missing_summaries). Empty, the table can be rebuilt
    # with a NOT NULL column that has no default, as the model declares it.
    op.execute("DELETE FROM person_summary")
    with op.batch_alter_table("person_summary", schema=None, recreate="always") as batch_op:
        batch_op.add_column(sa.Column("sort_name", sa.Text(), nullable=False))
        batch_op.create_index(
            "ix_person_summary_sort_name", ["sort_name", "person_id"], unique=False
        )
    create_person_live_index()  # shared with the server (its 0002)


def downgrade() -> None:
    drop_person_live_index()
    with op.batch_alter_table("person_summary", schema=None) as batch_op:
        batch_op.drop_index("ix_person_summary_sort_name")
        batch_op.drop_column("sort_name")
