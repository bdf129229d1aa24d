"""directory of partner services received from the server (data·inclusion), issue 16

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directory_structure",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_structure")),
    )
    op.create_table(
        "directory_service",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("structure_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("thematiques", sa.Text(), nullable=False),
        sa.Column("publics", sa.Text(), nullable=False),
        sa.Column("modes_accueil", sa.String(length=40), nullable=False),
        sa.Column("frais", sa.String(length=10), nullable=True),
        sa.Column("code_insee", sa.String(length=5), nullable=True),
        sa.Column("commune", sa.String(length=100), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("weekly_hours", sa.Float(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_service")),
    )
    with op.batch_alter_table("directory_service", schema=None) as batch_op:
        batch_op.create_index(
            "ix_directory_service_status_insee", ["status", "code_insee"], unique=False
        )
        batch_op.create_index("ix_directory_service_structure", ["structure_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("directory_service", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_service_structure")
        batch_op.drop_index("ix_directory_service_status_insee")
    op.drop_table("directory_service")
    op.drop_table("directory_structure")
