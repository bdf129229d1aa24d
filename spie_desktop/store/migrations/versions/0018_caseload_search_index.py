"""the caseload's name order index carries the search key: a keystroke's search walks the
index alone instead of reading every summary row (issue 12)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_person_summary_sort_name", table_name="person_summary")
    op.create_index(
        "ix_person_summary_name_search",
        "person_summary",
        ["sort_name", "person_id", "search_key"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_person_summary_name_search", table_name="person_summary")
    op.create_index(
        "ix_person_summary_sort_name", "person_summary", ["sort_name", "person_id"], unique=False
    )
