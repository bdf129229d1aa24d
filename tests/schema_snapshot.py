"""The schema a database holds, as text: what the snapshot tests compare byte for byte.

SQLite keeps the DDL it was given (``sqlite_master.sql``); PostgreSQL is read back from
its catalogue (columns with their types, constraints and indexes as PostgreSQL prints
them). Regenerate the files of ``tests/snapshots/`` with ``python -m tests.schema_snapshot``
only when a schema change is intended (never for a refactoring of the migrations).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Connection, text

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
# The revisions frozen by the snapshots: the heads when the shared schema helper was
# introduced. Later migrations do not change what these revisions build.
DEVICE_REVISION = "0003"
SERVER_REVISION = "0002"


def schema_text(connection: Connection) -> str:
    if connection.dialect.name == "sqlite":
        return _sqlite(connection)
    return _postgresql(connection)


def _sqlite(connection: Connection) -> str:
    rows = connection.execute(
        text(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%' ORDER BY tbl_name, type DESC, name"
        )
    ).all()
    return "".join(f"-- {kind} {name} on {table}\n{sql};\n\n" for kind, name, table, sql in rows)


def _postgresql(connection: Connection) -> str:
    out: list[str] = []
    tables = connection.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname"
        )
    ).all()
    for oid, table in tables:
        out.append(f"TABLE {table}")
        for name, kind, not_null, default in connection.execute(
            text(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
                "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                "WHERE a.attrelid = :oid AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY a.attnum"
            ),
            {"oid": oid},
        ):
            null = " NOT NULL" if not_null else ""
            default_text = f" DEFAULT {default}" if default is not None else ""
            out.append(f"  COLUMN {name} {kind}{null}{default_text}")
        for name, definition in connection.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint "
                "WHERE conrelid = :oid ORDER BY conname"
            ),
            {"oid": oid},
        ):
            out.append(f"  CONSTRAINT {name} {definition}")
        for name, definition in connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = 'public' AND tablename = :table ORDER BY indexname"
            ),
            {"table": table},
        ):
            out.append(f"  INDEX {name} {definition}")
        out.append("")
    return "\n".join(out) + "\n"


def device_schema(data_dir: Path, revision: str = DEVICE_REVISION) -> str:
    """A fresh encrypted device store migrated to ``revision`` (:data:`DEVICE_REVISION`)."""
    from spie_desktop.store import migrate
    from spie_desktop.store.engine import DATABASE_FILE, encrypted_engine

    engine = encrypted_engine(data_dir / DATABASE_FILE, os.urandom(32))
    try:
        migrate.upgrade(engine, revision)
        with engine.connect() as connection:
            return schema_text(connection)
    finally:
        engine.dispose()


def server_schema(url: str, revision: str = SERVER_REVISION) -> str:
    """A fresh server database migrated to ``revision`` (:data:`SERVER_REVISION`)."""
    from sync.server import migrate
    from sync.server.db import make_engine

    engine = make_engine(url)
    try:
        migrate.upgrade(engine, revision)
        with engine.connect() as connection:
            return schema_text(connection)
    finally:
        engine.dispose()


def main() -> None:  # pragma: no cover - a maintenance tool
    """Write the snapshots (PostgreSQL's with ``SPIE_TEST_POSTGRES_URL`` set)."""
    SNAPSHOTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        (SNAPSHOTS / "device_sqlite.sql").write_text(device_schema(Path(tmp)), encoding="utf-8")
        url = f"sqlite+pysqlite:///{Path(tmp) / 'server.db'}"
        (SNAPSHOTS / "server_sqlite.sql").write_text(server_schema(url), encoding="utf-8")
    base = os.environ.get("SPIE_TEST_POSTGRES_URL")
    if not base:
        print("SPIE_TEST_POSTGRES_URL absent: PostgreSQL snapshot not written", file=sys.stderr)
        return
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"spie_snapshot_{uuid.uuid4().hex[:12]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        schema = server_schema(url.set(database=name).render_as_string(hide_password=False))
        (SNAPSHOTS / "server_postgresql.txt").write_text(schema, encoding="utf-8")
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":  # pragma: no cover
    main()
