"""erasure requests (GDPR art. 17), issue 15

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:15:00
"""

from collections.abc import Sequence

from spie_desktop.store.synced_schema import (
    create_erasure_request_table,
    drop_erasure_request_table,
)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_erasure_request_table()


def downgrade() -> None:
    drop_erasure_request_table()
