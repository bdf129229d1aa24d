"""The one path every synced write goes through.

Session events turn every insert or update of a synced row into an outbox entry in
the same transaction, stamped with the device's hybrid logical clock. Bulk SQL on a
synced table is refused unless the session is applying changes that came from the
server (``remote_apply``), which must not echo them back. Hard deletes are refused:
deletion is a tombstone that syncs like any change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from spie_desktop.domain.codec import encode_value
from spie_desktop.domain.enums import ChangeOp
from spie_desktop.domain.hlc import HybridLogicalClock
from spie_desktop.domain.models import (
    DEVICE_WRITABLE_TABLES,
    IMMUTABLE_NOTE_FIELDS,
    SYNCED_MODELS,
    Note,
    SyncedMixin,
)
from spie_desktop.errors import ReadOnlyError, SpieError, ValidationError
from spie_desktop.ids import new_id
from spie_desktop.store.local_models import DeviceState, OutboxEntry, PersonDigestDirty, RowSync

INFO_CLOCK = "hlc"
INFO_REMOTE = "remote_apply"
INFO_TOUCHED = "touched_persons"
INFO_SUMMARY_REFRESH = "summary_refresher"
INFO_RECORDED = "recorded_changes"
#: persons (hex) whose kept digest the sync brought up to date itself in this transaction
#: (``sync.apply.record_clocks``): not marked for recomputation at commit
INFO_DIGESTS_KEPT = "digests_kept"
#: (table, row id, person) of the rows this transaction created
INFO_NEW_ROWS = "new_rows"

# Metadata the server stamps itself; never part of a change's fields.
_UNSYNCED_FIELDS = frozenset({"updated_at"})
_SYNCED_TABLE_NAMES = frozenset(SYNCED_MODELS)


def utcnow() -> datetime:
    return datetime.now(UTC)


def person_of(obj: SyncedMixin) -> uuid.UUID | None:
    key = type(obj).__person_key__
    return getattr(obj, key) if key else None


def _changed_fields(obj: SyncedMixin) -> dict[str, Any]:
    state = sa_inspect(obj)
    changed: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _UNSYNCED_FIELDS:
            continue
        if state.attrs[attr.key].history.has_changes():
            changed[attr.key] = getattr(obj, attr.key)
    return changed


def _all_fields(obj: SyncedMixin) -> dict[str, Any]:
    state = sa_inspect(obj)
    return {
        attr.key: getattr(obj, attr.key)
        for attr in state.mapper.column_attrs
        if attr.key not in _UNSYNCED_FIELDS
    }


class RecordedChanges:
    """What one write transaction changed, as the recorder saw it: the persons whose file a
    row belongs to (before and after a reassignment) and the synced tables written.

    Filled at every flush, kept across the commit (the use-case reads it afterwards),
    emptied on rollback: a failed transaction changed nothing.
    """

    __slots__ = ("persons", "tables")

    def __init__(self) -> None:
        self.persons: set[uuid.UUID] = set()
        self.tables: set[str] = set()

    def clear(self) -> None:
        self.persons.clear()
        self.tables.clear()


def recorded_changes(session: Session) -> RecordedChanges:
    """The session's collector (created on first use)."""
    recorded = session.info.get(INFO_RECORDED)
    if recorded is None:
        recorded = session.info[INFO_RECORDED] = RecordedChanges()
    return recorded


def _record(session: Session, obj: SyncedMixin, fields: dict[str, Any], now: datetime) -> None:
    clock: HybridLogicalClock | None = session.info.get(INFO_CLOCK)
    if clock is None:
        raise SpieError("écriture hors du magasin local", code="no_change_recorder")
    table = type(obj).__tablename__  # type: ignore[attr-defined]
    op = ChangeOp.DELETE if fields.get("deleted_at") is not None else ChangeOp.UPSERT
    session.add(
        OutboxEntry(
            change_id=new_id(),
            table_name=table,
            row_id=obj.id,
            person_id=person_of(obj),
            op=op.value,
            fields={name: encode_value(value) for name, value in fields.items()},
            hlc=clock.now(),
            created_at=now,
        )
    )


def _check_writable(obj: SyncedMixin) -> None:
    table = type(obj).__tablename__  # type: ignore[attr-defined]
    if table not in DEVICE_WRITABLE_TABLES:
        raise ReadOnlyError(
            f"La table « {table} » est gérée par le serveur départemental.", code="read_only_table"
        )


def _before_flush(session: Session, _ctx: UOWTransaction, _instances: Iterable[Any] | None) -> None:
    info = session.info
    touched: set[uuid.UUID] = info.setdefault(INFO_TOUCHED, set())
    seen = recorded_changes(session)
    remote = bool(info.get(INFO_REMOTE))
    now = utcnow()
    recorded = False

    for obj in list(session.new):
        if not isinstance(obj, SyncedMixin):
            continue
        if obj.id is None:
            obj.id = new_id()
        if obj.created_at is None:
            obj.created_at = now
        if obj.updated_at is None or not remote:
            obj.updated_at = now
        if not remote:
            _check_writable(obj)
            _record(session, obj, _all_fields(obj), now)
            recorded = True
        seen.tables.add(type(obj).__tablename__)  # type: ignore[attr-defined]
        person = person_of(obj)
        if person is not None:
            touched.add(person)
            new_rows = info.setdefault(INFO_NEW_ROWS, [])
            new_rows.append((type(obj).__tablename__, obj.id, person))  # type: ignore[attr-defined]

    for obj in list(session.dirty):
        if not isinstance(obj, SyncedMixin):
            continue
        if not session.is_modified(obj, include_collections=False):
            continue
        changed = _changed_fields(obj)
        if not changed:
            continue
        state = sa_inspect(obj)
        key = type(obj).__person_key__
        if key and key in changed:
            previous = state.attrs[key].history.deleted
            touched.update(value for value in previous if value is not None)
        if not remote:
            _check_writable(obj)
            if isinstance(obj, Note) and IMMUTABLE_NOTE_FIELDS & changed.keys():
                raise ValidationError(
                    "Une note du journal ne se modifie pas : écrivez une nouvelle note "
                    "qui la remplace.",
                    code="note_append_only",
                )
            obj.updated_at = now
            _record(session, obj, changed, now)
            recorded = True
        seen.tables.add(type(obj).__tablename__)  # type: ignore[attr-defined]
        person = person_of(obj)
        if person is not None:
            touched.add(person)

    for obj in session.deleted:
        if isinstance(obj, SyncedMixin) and not remote:
            raise SpieError(
                "Suppression directe refusée : une suppression s'enregistre comme une "
                "modification (deleted_at).",
                code="hard_delete_refused",
            )

    seen.persons.update(touched)
    if recorded:
        clock: HybridLogicalClock = info[INFO_CLOCK]
        statement = sqlite_insert(DeviceState).values(key="hlc", value=clock.last())
        session.connection().execute(
            statement.on_conflict_do_update(index_elements=["key"], set_={"value": clock.last()})
        )


def _before_commit(session: Session) -> None:
    session.flush()
    touched: set[uuid.UUID] = session.info.get(INFO_TOUCHED, set())
    refresher = session.info.get(INFO_SUMMARY_REFRESH)
    if touched and refresher is not None:
        refresher(session, sorted(touched))
    kept: set[str] = session.info.pop(INFO_DIGESTS_KEPT, set())
    new_rows: list[tuple[str, uuid.UUID, uuid.UUID]] = session.info.pop(INFO_NEW_ROWS, [])
    if session.info.get(INFO_REMOTE):
        # What the sync wrote: every person it touched, but those whose digest it kept.
        if touched:
            mark_digests_dirty(session.connection(), (p for p in touched if _hex(p) not in kept))
    elif new_rows:
        # A local write changes no digest (a digest hashes the clocks the server accepted,
        # which only the sync writes) unless a new row joins a clock already held here.
        _mark_rows_joining_a_clock(session.connection(), new_rows)
    touched.clear()


def _mark_rows_joining_a_clock(
    connection: Any, rows: list[tuple[str, uuid.UUID, uuid.UUID]]
) -> None:
    by_table: dict[str, dict[str, uuid.UUID]] = {}
    for table, row_id, person in rows:
        by_table.setdefault(table, {})[row_id.hex] = person
    marked = []
    for table, ids in by_table.items():
        listed = list(ids)
        for start in range(0, len(listed), 400):
            chunk = listed[start : start + 400]
            marks = ", ".join("?" for _ in chunk)
            for (row_hex,) in connection.exec_driver_sql(
                f"SELECT row_id FROM {RowSync.__tablename__} "
                f"WHERE table_name = ? AND row_id IN ({marks})",
                (table, *chunk),
            ):
                marked.append(ids[str(row_hex)])
    mark_digests_dirty(connection, marked)


def mark_digests_dirty(connection: Any, persons: Iterable[uuid.UUID | str | None]) -> None:
    """Mark persons whose file this transaction wrote: their kept digest is computed again
    before digests are next read (``sync.apply.local_digests``)."""
    hexes = sorted({_hex(p) for p in persons if p})
    if hexes:
        connection.exec_driver_sql(
            f"INSERT OR IGNORE INTO {PersonDigestDirty.__tablename__} (person_id) VALUES (?)",
            [(h,) for h in hexes],
        )


def _hex(person: uuid.UUID | str) -> str:
    return person.hex if isinstance(person, uuid.UUID) else str(person)


def _after_rollback(session: Session) -> None:
    session.info.get(INFO_TOUCHED, set()).clear()
    session.info.pop(INFO_DIGESTS_KEPT, None)
    session.info.pop(INFO_NEW_ROWS, None)
    recorded = session.info.get(INFO_RECORDED)
    if recorded is not None:
        recorded.clear()


def _guard_bulk_sql(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.session.info.get(INFO_REMOTE):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in _SYNCED_TABLE_NAMES:
        raise SpieError(
            "Écriture en masse refusée sur une table synchronisée : passez par les services.",
            code="bulk_write_refused",
        )


def install_change_recorder(session_class: type[Session]) -> None:
    """Attach the recorder to a Session subclass (done once, by the store)."""
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "before_commit", _before_commit)
    event.listen(session_class, "after_rollback", _after_rollback)
    event.listen(session_class, "do_orm_execute", _guard_bulk_sql)
