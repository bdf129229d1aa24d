"""person liveness index (shared model)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:30:00
"""

from collections.abc import Sequence

from spie_desktop.store.synced_schema import create_person_live_index, drop_person_live_index

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_person_live_index()  # shared with the device (its 0003)


def downgrade() -> None:
    drop_person_live_index()
