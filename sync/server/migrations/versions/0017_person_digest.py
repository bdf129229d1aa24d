"""person_digest: per-person digests kept at each write (issue 10, a scope digest is a sum)

The table is filled from the rows held (``sync.server.digest.rebuild_person_digests``);
from then on each write adds its difference.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_digest",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_digest")),
    )
    from sync.server.digest import rebuild_person_digests

    rebuild_person_digests(op.get_bind())


def downgrade() -> None:
    op.drop_table("person_digest")
