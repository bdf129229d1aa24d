"""The server schema (domain tables + server tables) by Alembic migrations.

``upgrade(engine)`` runs at every start (``spie-server serve``, ``admin``): a new data
directory or an empty PostgreSQL database becomes a working server with no other setup.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, insert, select

from sync.server.db import is_sqlite
from sync.server.models import server_counter, server_meta

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` and make sure the bootstrap rows exist."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            connection = connection.execution_options(spie_immediate=True)
        with connection.begin():
            if not (revision == "head" and current_revision(connection) == head_revision()):
                config = alembic_config()
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
