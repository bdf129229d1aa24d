"""SQLAlchemy engines for the encrypted device store (SQLCipher 4) and plain SQLite.

The device database is opened with a raw 256-bit key (``PRAGMA key = "x'…'"``): no
key derivation at open, so unlocking costs one Argon2id run in the vault and
opening the database itself stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import QueuePool

from spie_desktop.store.vault import raw_key_pragma

DATABASE_FILE = "store.db"

# WAL lets the UI read while the single writer writes. synchronous=FULL: an
# acknowledged write survives a power cut, not only a killed process.
# temp_store=MEMORY: SQLCipher's temp files would otherwise hold plaintext pages.
_COMMON_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA cache_size = -32000",
)


def _install_pragmas(engine: Engine, *, encrypted: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if encrypted:
            # SQLCipher logs HMAC failures on stderr by itself; errors reach us as exceptions.
            cursor.execute("PRAGMA cipher_log_level = NONE")
        for statement in _COMMON_PRAGMAS:
            cursor.execute(statement)
        cursor.close()

    # pysqlite's default transaction handling defers BEGIN until the first write;
    # an explicit BEGIN makes each SQLAlchemy transaction a real SQLite one.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _disable_driver_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect", insert=True)
    def _autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None


def encrypted_engine(path: Path, data_key: bytes, *, pool_size: int = 4) -> Engine:
    """An engine on a SQLCipher 4 file keyed with the raw data key."""
    _create_private(path)
    url = URL.create("sqlite+pysqlcipher", password=raw_key_pragma(data_key), database=str(path))
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=4,
        connect_args={"check_same_thread": False},
    )
    _disable_driver_transactions(engine)
    _install_pragmas(engine, encrypted=True)
    return engine


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives its WAL and
    shared-memory files the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
    os.chmod(path, 0o600)


def plain_engine(path: Path, *, pool_size: int = 4) -> Engine:
    """The same schema on plain SQLite: the server's small default and benchmarks' baseline."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=4,
        connect_args={"check_same_thread": False},
    )
    _disable_driver_transactions(engine)
    _install_pragmas(engine, encrypted=False)
    return engine
