"""Column types that behave the same on SQLCipher/SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_SQLITE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetime, stored in UTC.

    On SQLite it is a fixed-width ISO string (``2026-11-23T10:00:00.000000Z``), so that
    comparisons in SQL (and CHECK constraints) order correctly; on PostgreSQL it is
    ``timestamptz``. Naive datetimes are refused: a laptop's local time is never guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(27))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass a timezone-aware value")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.strftime(_SQLITE_FORMAT)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            # fromisoformat reads the stored form (3.11+: with its "Z") ~60x faster than
            # strptime, which dominated timeline and caseload rows (bench/store.py).
            parsed = datetime.fromisoformat(value)
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        moment: datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


def to_sql_utc(value: datetime) -> str:
    """The SQLite storage form of an aware datetime, for raw comparisons in SQL."""
    return value.astimezone(UTC).strftime(_SQLITE_FORMAT)
