"""The server's Alembic migrations build exactly the declared schema (domain tables and
server tables), on SQLite and on PostgreSQL, and are idempotent at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData

from spie_desktop.domain.models import DomainBase
from sync.server import migrate
from sync.server.db import database_url, make_engine
from sync.server.models import metadata as server_metadata


@pytest.fixture
def url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "postgres":
        return str(request.getfixturevalue("postgres_database"))
    return database_url(tmp_path, None)


def test_migrations_match_the_models(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        migrate.upgrade(engine)  # a second start changes nothing
        combined = MetaData()
        for source in (DomainBase.metadata, server_metadata):
            for table in source.tables.values():
                table.to_metadata(combined)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            assert migrate.current_revision(connection) == migrate.head_revision()
            differences: list[Any] = compare_metadata(context, combined)
        assert differences == []
    finally:
        engine.dispose()


def test_server_schema_is_byte_identical_to_its_snapshot(url: str, backend: str) -> None:
    """What the migrations build, at the revision frozen by tests/snapshots/server_*."""
    from tests.schema_snapshot import SNAPSHOTS, server_schema

    name = "server_postgresql.txt" if backend == "postgres" else "server_sqlite.sql"
    assert server_schema(url) == (SNAPSHOTS / name).read_text(encoding="utf-8")


def test_server_downgrade_to_base_and_back(url: str, backend: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from spie_desktop.store import migrate as store_migrate
    from tests.schema_snapshot import SERVER_REVISION, SNAPSHOTS, schema_text

    engine = make_engine(url)
    try:
        migrate.upgrade(engine, SERVER_REVISION)
        config = store_migrate.alembic_config(migrate.MIGRATIONS_DIR)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine, SERVER_REVISION)
        with engine.connect() as connection:
            rebuilt = schema_text(connection)
        name = "server_postgresql.txt" if backend == "postgres" else "server_sqlite.sql"
        assert rebuilt == (SNAPSHOTS / name).read_text(encoding="utf-8")
    finally:
        engine.dispose()
