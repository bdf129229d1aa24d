"""Alembic environment of the server: runs on the connection handed over by ``migrate``."""

from alembic import context

from spie_desktop.domain.models import DomainBase
from sync.server.models import metadata as server_metadata

target_metadata = [DomainBase.metadata, server_metadata]
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    version_table="alembic_version",
)
with context.begin_transaction():
    context.run_migrations()
