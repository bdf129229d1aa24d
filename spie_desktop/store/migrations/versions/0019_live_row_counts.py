"""the person indexes of appointments and notes carry deleted_at (and the appointments' their
status): counting a scope's live rows (the after-sync check, on the server and on the
device) and a person's caseload summary read the index alone, not every row (issue 10: a
third of the time of a sync's counts; issue 12: 40 % of a summary's refresh)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, table, columns before, columns after)
_INDEXES = (
    (
        "ix_appointment_person_start",
        "appointment",
        ["person_id", "starts_at"],
        ["person_id", "starts_at", "deleted_at", "status"],
    ),
    (
        "ix_note_person_written",
        "note",
        ["person_id", "written_at"],
        ["person_id", "written_at", "deleted_at"],
    ),
)


def upgrade() -> None:
    for name, table, _before, after in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, after, unique=False)


def downgrade() -> None:
    for name, table, before, _after in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before, unique=False)
