"""team dashboard: covering index of appointment outcomes, issue 14

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:10:00
"""

from collections.abc import Sequence

from spie_desktop.store.synced_schema import (
    create_appointment_outcome_index,
    drop_appointment_outcome_index,
)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_appointment_outcome_index()


def downgrade() -> None:
    drop_appointment_outcome_index()
