"""Secondary indexes a full download builds once at its end instead of row by row.

A device's first sync writes some 25,000 rows in a dozen page transactions. Each index whose
key does not follow the person (the agenda by referent, the team lists by status and date)
takes the page's rows at random places: every page commit rewrites most of its pages, and
SQLCipher encrypts each one (issue 10: the three appointment indexes cost about a fifth of
the first sync's commits).
None of them is read while a page applies (a page refreshes its persons' summaries through
the person-first indexes and ``ix_action_contract``, kept), so a full download drops them
and builds them with the first page of the change log that follows the snapshot, in the same
sync (a sorted build: tens of milliseconds). Only a first download defers: a full download
again on a store that holds rows (a recovery) keeps them, so a supervisor's dashboard never
loses its indexes over 170,000 appointments.

Their DDL is kept in ``device_state`` in the transaction that drops them: a download cut
midway resumes without them and builds them at its end; a device restarted meanwhile builds
them when its store opens (:func:`restore_indexes_at_open`, before the migrations, which expect the
schema they left).
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

DEFERRABLE_INDEXES = (
    "ix_appointment_referent_start",
    "ix_appointment_start_status",
    "ix_appointment_status_start",
    # a purge's clocks found by person (a purge in the middle of a download scans instead)
    "ix_row_sync_person",
    "ix_barrier_theme_status",
)
STATE_DEFERRED_INDEXES = "deferred_indexes"


def _saved(conn: Connection) -> dict[str, str]:
    raw = conn.exec_driver_sql(
        "SELECT value FROM device_state WHERE key = ?", (STATE_DEFERRED_INDEXES,)
    ).scalar()
    return dict(json.loads(raw)) if raw else {}


def defer_indexes(conn: Connection) -> int:
    """Drop the deferrable indexes still present, their DDL saved (in the caller's
    transaction); returns how many were dropped."""
    marks = ", ".join("?" for _ in DEFERRABLE_INDEXES)
    present = {
        str(name): str(sql)
        for name, sql in conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN ({marks})",
            DEFERRABLE_INDEXES,
        )
        if sql
    }
    if not present:
        return 0
    saved = _saved(conn)
    if not saved and conn.exec_driver_sql("SELECT 1 FROM appointment LIMIT 1").first():
        return 0  # not a first download: the store holds rows already
    saved = {**saved, **present}
    conn.exec_driver_sql(
        "INSERT INTO device_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (STATE_DEFERRED_INDEXES, json.dumps(saved, sort_keys=True)),
    )
    for name in present:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    return len(present)


def restore_indexes(conn: Connection) -> int:
    """Build the indexes a download left out (in the caller's transaction); returns how
    many were built."""
    saved = _saved(conn)
    if not saved:
        return 0
    for sql in saved.values():
        conn.exec_driver_sql(sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    conn.exec_driver_sql("DELETE FROM device_state WHERE key = ?", (STATE_DEFERRED_INDEXES,))
    return len(saved)


def restore_indexes_at_open(engine: Engine) -> int:
    """:func:`restore_indexes` for a store being opened, best effort: another process may be
    applying a download page (the app locked and unlocked, a CLI command beside it). The
    saved DDL is read first; the transaction that builds starts with a write, so that it
    waits ``busy_timeout`` for the other writer (a read then a write would fail at once);
    a failure (locked, disk full) is logged and the next page of the log builds them."""
    with engine.connect() as conn:
        if not conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'device_state'"
        ).first():
            return 0  # a store being created
        if not _saved(conn):
            return 0
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "UPDATE device_state SET value = value WHERE key = ?", (STATE_DEFERRED_INDEXES,)
            )
            return restore_indexes(conn)
    except OperationalError as exc:
        log.warning("deferred indexes not built at open (%s): built by the next sync", exc)
        return 0


def deferred_index_names(conn: Connection) -> list[str]:
    return sorted(_saved(conn))
