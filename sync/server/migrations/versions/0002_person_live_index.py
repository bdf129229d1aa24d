"""person liveness index (shared model)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_person_live", "person", ["id", "deleted_at", "follow_up_status"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_person_live", table_name="person")
