"""Run the store's Alembic migrations on an open connection (automatic at open).

``alembic_config``, ``head_revision`` and ``current_revision`` also serve the server's
migrations (``sync.server.migrate``), given its folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(directory: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(directory))
    return config


@lru_cache(maxsize=2)
def head_revision(directory: Path = MIGRATIONS_DIR) -> str:
    head = ScriptDirectory.from_config(alembic_config(directory)).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        if revision == "head" and current_revision(connection) == head_revision():
            return
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
