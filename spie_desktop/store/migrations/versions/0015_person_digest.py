"""person digests kept per person (issue 10: a comparing sync sums them, hashes no row)

``person_digest`` holds each person's digest, ``person_digest_dirty`` the persons written
since theirs was computed (triggers on ``row_sync`` and on the file's tables mark them,
SQL written behind the application included). Every person the store holds is marked dirty here: the first
comparing sync computes them all once (what every comparing sync did before), later ones
only the persons written since.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spie_desktop.store.local_models import (
    DIGEST_FILE_TABLES,
    drop_person_digest_triggers,
    person_digest_triggers,
)

revision: str = "0015"
down_revision: str | None = "0014"
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
    op.create_table(
        "person_digest_dirty",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_digest_dirty")),
    )
    for statement in person_digest_triggers():
        op.execute(statement)
    for table, key in DIGEST_FILE_TABLES:
        op.execute(
            "INSERT OR IGNORE INTO person_digest_dirty (person_id) "
            f"SELECT DISTINCT {key} FROM {table} WHERE {key} IS NOT NULL"
        )


def downgrade() -> None:
    for statement in drop_person_digest_triggers():
        op.execute(statement)
    op.drop_table("person_digest_dirty")
    op.drop_table("person_digest")
