"""Database engines of the server: SQLite by default, PostgreSQL (psycopg 3) for a department.

Write transactions that append to the change log go through :func:`write_tx`: on SQLite
it opens with ``BEGIN IMMEDIATE`` (one writer, no lock upgrade dead-ends); on PostgreSQL
it runs at READ COMMITTED with row locks. Pull pages are read with :func:`read_tx`, a
consistent snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

DATABASE_FILE = "server.db"
ENV_DATABASE_URL = "SPIE_SERVER_DATABASE_URL"


def database_url(data_dir: Path | None, url: str | None) -> str:
    """``url`` if given, else ``$SPIE_SERVER_DATABASE_URL``, else SQLite in ``data_dir``."""
    if url:
        return url
    env = os.environ.get(ENV_DATABASE_URL)
    if env:
        return env
    if data_dir is None:
        raise ValueError("indiquez --data-dir ou --database-url")
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite+pysqlite:///{data_dir / DATABASE_FILE}"


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=False,
            connect_args={"check_same_thread": False, "timeout": 60},
        )
        _sqlite_setup(engine)
        return engine
    return create_engine(
        parsed,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we send BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for statement in (
            "PRAGMA journal_mode = WAL",
            # FULL: an acknowledged push survives a power cut, not only a killed process.
            "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 60000",
            "PRAGMA cache_size = -64000",
        ):
            cursor.execute(statement)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("spie_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A write transaction, committed on success."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            connection = connection.execution_options(spie_immediate=True)
        with connection.begin():
            yield connection


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    """A read-only consistent snapshot (rolled back at the end)."""
    with engine.connect() as connection:
        if not is_sqlite(engine):
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()
