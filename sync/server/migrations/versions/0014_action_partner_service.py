"""action: the directory service its partner was chosen from (partner_service_id), issue 16

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:45:00
"""

from collections.abc import Sequence

from spie_desktop.store.synced_schema import (
    add_action_partner_service,
    drop_action_partner_service,
)

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_action_partner_service()


def downgrade() -> None:
    drop_action_partner_service()
