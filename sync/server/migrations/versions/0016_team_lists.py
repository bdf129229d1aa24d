"""team lists: appointments by status and date (the dashboard's drill-downs), issue 14

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 05:50:00
"""

from collections.abc import Sequence

from spie_desktop.store.synced_schema import (
    create_appointment_status_start_index,
    drop_appointment_status_start_index,
)

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_appointment_status_start_index()


def downgrade() -> None:
    drop_appointment_status_start_index()
