"""accompaniment path: orientation, contract, closing review, breach

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:36:38
"""

from collections.abc import Sequence

from spie_desktop.store.synced_schema import create_path_tables, drop_path_tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The synced tables, shared with the device: spie_desktop/store/synced_schema.py.
    create_path_tables()


def downgrade() -> None:
    drop_path_tables()
