"""directory: the services' words in an FTS5 trigram index, out of the scanned table (issue 16)

``directory_service_fts`` (FTS5, trigram tokenizer) is created and filled from the rows
held, then ``directory_service.search_text`` is dropped: the searches by theme, commune or
distance scan smaller rows, the searches by words read the index. A distance search reads
its latitude band from the new index ``ix_directory_service_position``. On downgrade the
directory is emptied and downloaded again at the next sync (it is a copy of the server's).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spie_desktop.store.local_models import DIRECTORY_FTS, DIRECTORY_FTS_DDL, fts_rowid

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(DIRECTORY_FTS_DDL)
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, search_text FROM directory_service")).all()
    for start in range(0, len(rows), 1000):
        connection.execute(
            sa.insert(DIRECTORY_FTS),
            [
                {"rowid": fts_rowid(service_id), "id": service_id, "search_text": words}
                for service_id, words in rows[start : start + 1000]
            ],
        )
    with op.batch_alter_table("directory_service", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.create_index(
            "ix_directory_service_position", ["latitude", "longitude", "status"], unique=False
        )


def downgrade() -> None:
    op.execute("DROP TABLE directory_service_fts")
    op.execute("DELETE FROM directory_service")
    op.execute("DELETE FROM directory_service_data")
    op.execute("DELETE FROM directory_structure")
    op.execute("DELETE FROM device_state WHERE key = 'directory_cursor'")
    with op.batch_alter_table("directory_service", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_service_position")
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False))
