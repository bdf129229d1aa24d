"""Alembic environment: runs on the connection the store hands over (never a URL, never a key)."""

from alembic import context

from spie_desktop.domain.models import DomainBase
from spie_desktop.store.local_models import LocalBase, is_directory_fts

target_metadata = [DomainBase.metadata, LocalBase.metadata]
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,
    compare_type=True,
    include_object=lambda obj, name, type_, reflected, compare_to: (
        not (type_ == "table" and name in context.config.attributes.get("exclude", ()))
        and not (type_ == "table" and name is not None and is_directory_fts(name))
    ),
)
with context.begin_transaction():
    context.run_migrations()
