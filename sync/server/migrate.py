"""The server schema (domain tables + server tables) by Alembic migrations.

``upgrade(engine)`` runs at every start (``spie-server serve``, ``admin``): a new data
directory or an empty PostgreSQL database becomes a working server with no other setup.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, Engine, insert, select

from spie_desktop.store import migrate as store_migrate
from spie_desktop.store.migrate import current_revision
from sync.server.db import write_tx
from sync.server.models import server_counter, server_meta

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

__all__ = ["MIGRATIONS_DIR", "current_revision", "head_revision", "upgrade"]


def head_revision() -> str:
    return store_migrate.head_revision(MIGRATIONS_DIR)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` and make sure the bootstrap rows exist."""
    with write_tx(engine) as connection:
        if not (revision == "head" and current_revision(connection) == head_revision()):
            config = store_migrate.alembic_config(MIGRATIONS_DIR)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        _bootstrap(connection)


def _bootstrap(connection: Connection) -> None:
    if (
        connection.execute(
            select(server_counter.c.value).where(server_counter.c.name == "seq")
        ).first()
        is None
    ):
        connection.execute(insert(server_counter).values(name="seq", value=0))
    if (
        connection.execute(
            select(server_meta.c.value).where(server_meta.c.key == "token_secret")
        ).first()
        is None
    ):
        connection.execute(
            insert(server_meta).values(key="token_secret", value=secrets.token_hex(32))
        )
