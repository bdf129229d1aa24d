"""Applying what the server sends to the device store (no HTTP here).

Pages are applied inside ``Store.apply_remote()`` (no echo to the outbox) with the sync
cursor moved in the same transaction: an interrupted pull resumes where it stopped.
Rows go in through SQLite's own executemany with values converted straight to the
store's storage form (UUID hex, fixed-width UTC strings), which keeps the initial
download of a caseload within a few times a plain ``executemany``.

Local edits win locally until pushed (DESIGN §5): a field with a pending outbox change
is not overwritten by a pulled value, unless the pulled change is newer by HLC (in the
change-log stream) — the pending change is pushed next and the server decides.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spie_desktop.domain.models import SYNCED_MODELS
from spie_desktop.store.changes import INFO_DIGESTS_KEPT, INFO_TOUCHED, mark_digests_dirty
from spie_desktop.store.deferred_indexes import defer_indexes, restore_indexes
from spie_desktop.store.local_models import (
    ROW_SYNC_DIGEST_TRIGGERS,
    OutboxEntry,
    OutboxState,
    PersonDigest,
    PersonDigestDirty,
    PersonSummary,
    PulledSetAside,
    PurgeTombstone,
    RowSync,
    SyncConflict,
    person_digest_triggers,
)
from spie_desktop.store.store import Store
from sync.schema import (
    DIGEST_TABLES,
    PERSON_TABLES,
    PULLED_TABLES,
    TABLES,
    add_digest,
    digest_text,
    row_digest,
    signed_digest,
    sub_digest,
    unsigned_digest,
)

log = logging.getLogger(__name__)

STATE_CURSOR = "cursor"
STATE_REVOKED = "revoked_persons"
SET_ASIDE_CODE = "apply_failed"
SET_ASIDE_MESSAGE = (
    "Élément reçu du serveur impossible à enregistrer sur cet appareil : il est mis de côté "
    "(les autres sont appliqués) et sera réessayé à chaque synchronisation."
)
# What a row that cannot be applied may raise (a constraint, a value the store cannot
# convert); anything else (disk full, I/O) stops the page and leaves the cursor alone.
_ROW_ERRORS = (IntegrityError, ValueError, TypeError, KeyError)

Converter = Callable[[Any], Any]


def _uuid(value: Any) -> Any:
    if value is None:
        return None
    return str(value).replace("-", "").lower()


def _datetime(value: Any) -> Any:
    """Wire ISO form (``…Z``) to the store's fixed-width UTC string."""
    if value is None:
        return None
    text = str(value)
    if text.endswith("Z") and len(text) == 27 and text[19] == ".":
        return text  # already 2026-01-02T03:04:05.678901Z
    if text.endswith("Z") and len(text) == 20:
        return text[:19] + ".000000Z"
    from datetime import UTC, datetime

    parsed = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _bool(value: Any) -> Any:
    return None if value is None else int(bool(value))


def _json(value: Any) -> Any:
    return None if value is None else json.dumps(value)


def _identity(value: Any) -> Any:
    return value


_CONVERTERS: dict[str, Converter] = {
    "uuid": _uuid,
    "datetime": _datetime,
    "bool": _bool,
    "json": _json,
}


def converter(table: str, column: str) -> Converter:
    spec = TABLES[table].columns.get(column)
    if spec is None:
        raise KeyError(f"{table}.{column}")
    return _CONVERTERS.get(spec.kind, _identity)


# -- pending local edits ---------------------------------------------------------------------


PendingMap = dict[tuple[str, str], dict[str, str]]
"""(table, row id hex) → {field: newest pending HLC}."""


def pending_fields(session: Session) -> PendingMap:
    pending: PendingMap = {}
    rows = session.execute(
        select(
            OutboxEntry.table_name, OutboxEntry.row_id, OutboxEntry.fields, OutboxEntry.hlc
        ).where(OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT)))
    )
    for table, row_id, fields, hlc in rows:
        slot = pending.setdefault((table, row_id.hex), {})
        for name in fields:
            if slot.get(name, "") < hlc:
                slot[name] = hlc
    return pending


@dataclass
class ApplyStats:
    rows: int = 0
    changes: int = 0
    grants: list[str] = field(default_factory=list)
    revokes: list[str] = field(default_factory=list)
    purges: list[str] = field(default_factory=list)
    kept_local: int = 0
    skipped_missing: int = 0
    set_aside: int = 0
    careful: bool = False
    digest_marks: set[str | None] | None = None
    """While a snapshot page is applied with ``row_sync``'s digest triggers off: the persons
    (hex) whose rows got a clock, marked for recomputation once at the end of the page."""
    clocks: dict[tuple[str, str], tuple[str | None, dict[str, str], int | None]] = field(
        default_factory=dict
    )
    """(table, row hex) → (person hex, {field: clock}, seq): row clocks to record."""
    keep_digests: bool = False
    """The clocks recorded bring their persons' kept digests up to date (a row's old share
    out, its new one in) instead of marking them for a recomputation from every row of
    their file; persons whose digest something else changed stay marked (issue 10)."""
    inserted: set[tuple[str, str]] = field(default_factory=set)
    """Rows this transaction inserted from a change (their old clock counted nowhere)."""
    digests_kept: set[str] = field(default_factory=set)
    """Persons (hex) whose digest :func:`record_clocks` brought up to date."""

    def clock(
        self,
        table: str,
        row_hex: str,
        person_hex: str | None,
        fields: Mapping[str, str],
        seq: int | None,
    ) -> None:
        person, known, last = self.clocks.get((table, row_hex), (None, {}, None))
        for name, hlc in fields.items():
            if known.get(name, "") < hlc:
                known[name] = hlc
        self.clocks[(table, row_hex)] = (person or person_hex, known, seq or last)


@contextmanager
def _row_guard(conn: Connection, stats: ApplyStats) -> Iterator[None]:
    """In careful mode, one savepoint per row: a row that fails is rolled back alone."""
    if stats.careful:
        with conn.begin_nested():
            yield
    else:
        yield


def set_aside(
    conn: Connection,
    table: str,
    row_hex: str,
    person_hex: str | None,
    seq: int | None,
    payload: Mapping[str, Any],
    error: BaseException,
    stats: ApplyStats,
) -> None:
    """Record a row that could not be applied (merging a later change into its payload)."""
    name = PulledSetAside.__tablename__
    found = conn.exec_driver_sql(
        f"SELECT payload, attempts FROM {name} WHERE table_name = ? AND row_id = ?",
        (table, row_hex),
    ).first()
    document = dict(payload)
    attempts = 1
    if found is not None:
        previous = json.loads(found[0])
        attempts = int(found[1]) + 1
        if previous.get("kind") == "change" and document.get("kind") == "change":
            merged = {**previous.get("fields", {}), **document.get("fields", {})}
            clocks = {**(previous.get("clocks") or {}), **(document.get("clocks") or {})}
            document = {**previous, **document, "fields": merged, "clocks": clocks}
    detail = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
    conn.exec_driver_sql(
        f"INSERT INTO {name} (table_name, row_id, person_id, seq, code, message, payload, "
        "created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(table_name, row_id) DO UPDATE SET seq = excluded.seq, "
        "message = excluded.message, payload = excluded.payload, attempts = excluded.attempts",
        (
            table,
            row_hex,
            person_hex,
            seq,
            SET_ASIDE_CODE,
            f"{SET_ASIDE_MESSAGE} ({detail})",
            json.dumps(document, default=str),
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            attempts,
        ),
    )
    stats.set_aside += 1
    log.warning("pulled %s %s set aside: %s", table, row_hex, detail)


@lru_cache(maxsize=64)
def insert_defaults(table: str) -> dict[str, Any]:
    """Storage-form values of the schema's scalar defaults (a row inserted from a partial
    change gets what the model would have given it)."""
    model = SYNCED_MODELS[table]
    defaults: dict[str, Any] = {}
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        default = column.default
        if default is None or not getattr(default, "is_scalar", False):
            continue
        value = default.arg
        defaults[column.key] = converter(table, column.key)(
            value.value if hasattr(value, "value") else value
        )
    return defaults


# -- writing rows ----------------------------------------------------------------------------


def _exists(conn: Connection, table: str, row_hex: str) -> bool:
    return (
        conn.exec_driver_sql(f"SELECT 1 FROM {table} WHERE id = ?", (row_hex,)).first() is not None
    )


def upsert_rows(
    conn: Connection,
    table: str,
    columns: list[str],
    rows: Iterable[list[Any]],
    pending: PendingMap,
    touched: set[uuid.UUID],
    received: set[tuple[str, str]] | None,
    stats: ApplyStats,
    hlcs: list[str | None] | None = None,
    *,
    exact: bool = False,
) -> None:
    """Whole rows (snapshot): insert or replace, keeping fields with pending local edits.

    ``hlcs``: each row's newest clock on the server, kept in ``row_sync`` (the newest of
    it and the clock already known; ``exact``: the server's, for a file repaired after a
    digest mismatch — its values are the server's now)."""
    if table not in TABLES:
        return
    known = [c for c in columns if c in TABLES[table].columns]
    positions = [columns.index(c) for c in known]
    same_order = positions == list(range(len(columns)))
    converters: list[Converter | None] = []
    for name in known:
        convert = converter(table, name)
        converters.append(None if convert is _identity else convert)
    id_pos = known.index("id")
    person_col = TABLES[table].person_key
    person_pos = known.index(person_col) if person_col in known else None
    column_list = ", ".join(known)
    marks = ", ".join("?" for _ in known)
    updates = ", ".join(f"{c} = excluded.{c}" for c in known if c != "id")
    statement = (
        f"INSERT INTO {table} ({column_list}) VALUES ({marks}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}"
    )
    batch: list[tuple[Any, ...]] = []
    stamps: list[tuple[Any, ...]] = []
    # Positions of the columns to convert (most are stored as received).
    converting = [(i, c) for i, c in enumerate(converters) if c is not None]
    person_uuids: dict[str, uuid.UUID] = {}  # one UUID object per person, not per row
    for index, raw in enumerate(rows):
        stamp = hlcs[index] if hlcs is not None and index < len(hlcs) else None
        if stats.careful:
            if stamp and "id" in columns:
                person_raw = raw[columns.index(person_col)] if person_col in columns else None
                stamps.append((table, _uuid(raw[columns.index("id")]), _uuid(person_raw), stamp))
            try:
                with conn.begin_nested():
                    _upsert_one(
                        conn,
                        table,
                        known,
                        statement,
                        raw,
                        same_order,
                        positions,
                        converters,
                        id_pos,
                        person_pos,
                        pending,
                        touched,
                        received,
                        stats,
                    )
            except _ROW_ERRORS as exc:
                raw_id = raw[columns.index("id")] if "id" in columns else None
                person_raw = raw[columns.index(person_col)] if person_col in columns else None
                set_aside(
                    conn,
                    table,
                    str(_uuid(raw_id)),
                    _uuid(person_raw),
                    None,
                    {"kind": "row", "table": table, "columns": columns, "row": list(raw)},
                    exc,
                    stats,
                )
            continue
        converted = list(raw) if same_order else [raw[i] for i in positions]
        if len(converted) != len(known):
            raise ValueError(f"{table}: {len(raw)} values for {len(columns)} columns")
        for position, convert in converting:
            converted[position] = convert(converted[position])
        values = tuple(converted)
        row_hex = values[id_pos]
        person_hex = values[person_pos] if person_pos is not None else None
        if person_hex:
            person_uuid = person_uuids.get(person_hex)
            if person_uuid is None:
                person_uuid = person_uuids[person_hex] = uuid.UUID(hex=person_hex)
                touched.add(person_uuid)
        if stamp:
            stamps.append((table, row_hex, person_hex, stamp))
        if received is not None:
            received.add((table, row_hex))
        local = pending.get((table, row_hex))
        if local:
            _merge_row(conn, table, known, values, set(local), stats)
            continue
        batch.append(values)
    if batch:
        conn.exec_driver_sql(statement, batch)
    stats.rows += len(batch)
    if stats.keep_digests:
        # Whole rows may join a clock this device already held: recomputed, not kept.
        mark_digests_dirty(
            conn, set(person_uuids) | {v[id_pos] for v in batch if table == "person"}
        )
    if stamps:
        if stats.digest_marks is not None:
            stats.digest_marks.update(
                row_hex if name == "person" else person for name, row_hex, person, _s in stamps
            )
        newest = "excluded.hlc" if exact else "max(hlc, excluded.hlc)"
        conn.exec_driver_sql(
            f"INSERT INTO {RowSync.__tablename__} (table_name, row_id, person_id, hlc, clocks) "
            "VALUES (?, ?, ?, ?, '{}') ON CONFLICT(table_name, row_id) DO UPDATE SET "
            f"hlc = {newest}, person_id = excluded.person_id",
            stamps,
        )


def _upsert_one(
    conn: Connection,
    table: str,
    known: list[str],
    statement: str,
    raw: list[Any],
    same_order: bool,
    positions: list[int],
    converters: list[Converter | None],
    id_pos: int,
    person_pos: int | None,
    pending: PendingMap,
    touched: set[uuid.UUID],
    received: set[tuple[str, str]] | None,
    stats: ApplyStats,
) -> None:
    """One snapshot row (careful mode): same effect as the batched path."""
    source = raw if same_order else [raw[i] for i in positions]
    values = tuple([v if c is None else c(v) for c, v in zip(converters, source, strict=True)])
    row_hex = values[id_pos]
    local = pending.get((table, row_hex))
    if local:
        _merge_row(conn, table, known, values, set(local), stats)
    else:
        conn.exec_driver_sql(statement, values)
        stats.rows += 1
    if person_pos is not None and values[person_pos]:
        touched.add(uuid.UUID(hex=values[person_pos]))
    if received is not None:
        received.add((table, row_hex))
    _clear_set_aside(conn, table, row_hex)


def _clear_set_aside(conn: Connection, table: str, row_hex: str) -> None:
    conn.exec_driver_sql(
        f"DELETE FROM {PulledSetAside.__tablename__} WHERE table_name = ? AND row_id = ?",
        (table, row_hex),
    )


def _merge_row(
    conn: Connection,
    table: str,
    columns: list[str],
    values: tuple[Any, ...],
    keep: set[str],
    stats: ApplyStats,
) -> None:
    row_hex = values[columns.index("id")]
    if _exists(conn, table, row_hex):
        pairs = [
            (c, v) for c, v in zip(columns, values, strict=True) if c != "id" and c not in keep
        ]
        stats.kept_local += len(keep)
        if pairs:
            assignments = ", ".join(f"{c} = ?" for c, _ in pairs)
            conn.exec_driver_sql(
                f"UPDATE {table} SET {assignments} WHERE id = ?",
                (*[v for _, v in pairs], row_hex),
            )
    else:
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
    stats.rows += 1


def apply_fields(
    conn: Connection,
    table: str,
    row_id: str,
    fields: Mapping[str, Any],
    hlc: str | None,
    pending: PendingMap,
    touched: set[uuid.UUID],
    stats: ApplyStats,
    *,
    person_id: str | None = None,
    clocks: Mapping[str, str] | None = None,
    seq: int | None = None,
) -> None:
    """A partial change: the fields the server applied (LWW already decided there).

    In careful mode a change that cannot be applied is set aside with its reason and the
    page goes on; ``clocks`` gives the clock of fields newer than ``hlc`` (the whole row
    carried by the entry that created it)."""
    if table not in TABLES:
        return
    row_hex = _uuid(row_id)
    person_hex = _uuid(person_id) if person_id else (row_hex if table == "person" else None)
    if not stats.careful:
        _apply_fields(
            conn, table, row_hex, fields, hlc, pending, touched, stats, person_hex, clocks, seq
        )
        return
    try:
        with conn.begin_nested():
            _apply_fields(
                conn, table, row_hex, fields, hlc, pending, touched, stats, person_hex, clocks, seq
            )
    except _ROW_ERRORS as exc:
        stats.clocks.pop((table, row_hex), None)
        set_aside(
            conn,
            table,
            row_hex,
            person_hex,
            seq,
            {
                "kind": "change",
                "table": table,
                "row_id": str(row_id),
                "person_id": person_id,
                "fields": dict(fields),
                "hlc": hlc,
                "clocks": dict(clocks or {}),
                "seq": seq,
            },
            exc,
            stats,
        )


def _apply_fields(
    conn: Connection,
    table: str,
    row_hex: str,
    fields: Mapping[str, Any],
    hlc: str | None,
    pending: PendingMap,
    touched: set[uuid.UUID],
    stats: ApplyStats,
    person_hex: str | None,
    clocks: Mapping[str, str] | None,
    seq: int | None,
) -> None:
    local = pending.get((table, row_hex), {})
    chosen: dict[str, Any] = {}
    applied_clocks: dict[str, str] = {}
    for name, value in fields.items():
        if name not in TABLES[table].columns or name == "id":
            continue
        field_hlc = (clocks or {}).get(name, hlc)
        newer_local = local.get(name)
        if newer_local is not None and (field_hlc is None or newer_local > field_hlc):
            stats.kept_local += 1
            continue
        chosen[name] = converter(table, name)(value)
        if field_hlc:
            applied_clocks[name] = field_hlc
    if not chosen:
        # Nothing to write (every field lost to a pending local edit, or the server left
        # out fields a later change overwrote): the person's file, summary and digest are
        # as they were.
        return
    if person_hex:
        touched.add(uuid.UUID(hex=person_hex))
    assignments = ", ".join(f"{c} = ?" for c in chosen)
    updated = conn.exec_driver_sql(
        f"UPDATE {table} SET {assignments} WHERE id = ?", (*chosen.values(), row_hex)
    ).rowcount
    if updated:
        stats.changes += 1
        stats.clock(table, row_hex, person_hex, applied_clocks, seq)
        return
    required = TABLES[table].required_on_insert
    if not required <= chosen.keys():
        # A partial change for a row this device does not hold (it is about to leave or
        # enter the scope, or the row was set aside): merged into the set-aside row if
        # there is one, else nothing to apply it to; the snapshot of a grant brings it.
        stats.skipped_missing += 1
        _merge_into_set_aside(conn, table, row_hex, fields, hlc, clocks)
        return
    for name, value in insert_defaults(table).items():
        chosen.setdefault(name, value)
    chosen["id"] = row_hex
    if "updated_at" not in chosen:
        chosen["updated_at"] = chosen.get("created_at")
    marks = ", ".join("?" for _ in chosen)
    conn.exec_driver_sql(
        f"INSERT INTO {table} ({', '.join(chosen)}) VALUES ({marks})", tuple(chosen.values())
    )
    stats.inserted.add((table, row_hex))
    stats.changes += 1
    stats.clock(table, row_hex, person_hex, applied_clocks, seq)
    if stats.careful:
        _clear_set_aside(conn, table, row_hex)


def _merge_into_set_aside(
    conn: Connection,
    table: str,
    row_hex: str,
    fields: Mapping[str, Any],
    hlc: str | None,
    clocks: Mapping[str, str] | None,
) -> None:
    name = PulledSetAside.__tablename__
    found = conn.exec_driver_sql(
        f"SELECT payload FROM {name} WHERE table_name = ? AND row_id = ?", (table, row_hex)
    ).first()
    if found is None:
        return
    document = json.loads(found[0])
    if document.get("kind") == "change":
        document["fields"] = {**document.get("fields", {}), **dict(fields)}
        base = document.get("hlc")
        merged_clocks = dict(document.get("clocks") or {})
        for key in fields:
            stamp = (clocks or {}).get(key, hlc)
            if stamp and stamp != base:
                merged_clocks[key] = stamp
        document["clocks"] = merged_clocks
    elif document.get("kind") == "row":
        columns = list(document["columns"])
        row = list(document["row"])
        for key, value in fields.items():
            if key in columns:
                row[columns.index(key)] = value
        document["row"] = row
    conn.exec_driver_sql(
        f"UPDATE {name} SET payload = ? WHERE table_name = ? AND row_id = ?",
        (json.dumps(document, default=str), table, row_hex),
    )


def record_clocks(conn: Connection, stats: ApplyStats) -> None:
    """Write the row clocks collected while applying (one read and one write per chunk)."""
    if not stats.clocks:
        return
    name = RowSync.__tablename__
    items = list(stats.clocks.items())
    stats.clocks = {}
    for start in range(0, len(items), 400):
        chunk = items[start : start + 400]
        existing: dict[
            tuple[str, str], tuple[str | None, dict[str, str], int | None, str | None]
        ] = {}
        for table in {t for (t, _), _ in chunk}:
            ids = [r for (t, r), _ in chunk if t == table]
            marks = ", ".join("?" for _ in ids)
            for row_hex, person, clocks, seq, hlc in conn.exec_driver_sql(
                f"SELECT row_id, person_id, clocks, seq, hlc FROM {name} "
                f"WHERE table_name = ? AND row_id IN ({marks})",
                (table, *ids),
            ):
                existing[(table, row_hex)] = (person, json.loads(clocks or "{}"), seq, hlc)
        rows = []
        for key, (person, clocks, seq) in chunk:
            old_person, known, old_seq, _old_hlc = existing.get(key, (None, {}, None, None))
            for field_name, stamp in clocks.items():
                if known.get(field_name, "") < stamp:
                    known[field_name] = stamp
            if not known:
                continue
            newest = max(known.values())
            top_seq = max(filter(None, (seq, old_seq)), default=None)
            rows.append((key[0], key[1], person or old_person, newest, top_seq, json.dumps(known)))
        if rows and stats.digest_marks is not None:
            stats.digest_marks.update(row[1] if row[0] == "person" else row[2] for row in rows)
        kept = _digest_deltas(conn, stats, rows, existing) if stats.keep_digests else None
        if rows:
            conn.exec_driver_sql(
                f"INSERT INTO {name} (table_name, row_id, person_id, hlc, seq, clocks) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(table_name, row_id) DO UPDATE SET "
                "person_id = excluded.person_id, hlc = excluded.hlc, seq = excluded.seq, "
                "clocks = excluded.clocks",
                rows,
            )
        if kept:
            _keep_digests(conn, kept)
            stats.digests_kept.update(kept)


def _digest_deltas(
    conn: Connection,
    stats: ApplyStats,
    rows: list[tuple[str, str, str | None, str, int | None, str]],
    existing: Mapping[tuple[str, str], tuple[str | None, dict[str, str], int | None, str | None]],
) -> dict[str, tuple[int, int, int]]:
    """Per person whose digest these new clocks change and nothing else did in this
    transaction: (rows added, shares added, shares removed). A row's old share counted if it
    held a clock and the row was here before this transaction; its new one counts if the row
    is here now (as :func:`recomputed_digests` joins rows and clocks)."""
    owners: dict[tuple[str, str], str | None] = {}
    by_table: dict[str, list[str]] = {}
    for table, row_hex, *_rest in rows:
        if table in DIGEST_TABLES:
            by_table.setdefault(table, []).append(row_hex)
    for table, ids in by_table.items():
        key = TABLES[table].person_key or "id"
        marks = ", ".join("?" for _ in ids)
        for row_hex, person_hex in conn.exec_driver_sql(
            f"SELECT id, {key} FROM {table} WHERE id IN ({marks})", tuple(ids)
        ):
            owners[(table, str(row_hex))] = str(person_hex) if person_hex else None
    deltas: dict[str, tuple[int, int, int]] = {}
    unsure: set[str] = set()
    for table, row_hex, person, newest, _seq, _clocks in rows:
        if table not in DIGEST_TABLES:
            continue
        row_key = (table, row_hex)
        old_person, _known, _old_seq, old_hlc = existing.get(row_key, (None, {}, None, None))
        owner = owners.get(row_key)
        if owner is None:
            # Not here (or belongs to nobody): its clock counts nowhere, unless it was here
            # before this transaction — then a delete trigger has marked its person.
            continue
        if old_person not in (None, owner) or (person not in (None, owner)):
            unsure.update(p for p in (old_person, person, owner) if p)
            continue
        added, plus, minus = deltas.get(owner, (0, 0, 0))
        if old_hlc is not None and row_key not in stats.inserted:
            added -= 1
            minus = add_digest(minus, row_digest(table, row_hex, old_hlc))
        added += 1
        plus = add_digest(plus, row_digest(table, row_hex, newest))
        deltas[owner] = (added, plus, minus)
    if unsure:
        mark_digests_dirty(conn, unsure)
        deltas = {p: d for p, d in deltas.items() if p not in unsure}
    if not deltas:
        return {}
    ids = list(deltas)
    marks = ", ".join("?" for _ in ids)
    already = {
        str(p)
        for (p,) in conn.exec_driver_sql(
            f"SELECT person_id FROM {PersonDigestDirty.__tablename__} WHERE person_id IN ({marks})",
            tuple(ids),
        )
    }
    return {p: d for p, d in deltas.items() if p not in already}


def _keep_digests(conn: Connection, deltas: Mapping[str, tuple[int, int, int]]) -> None:
    """Add the deltas to the kept digests and take back the marks ``row_sync``'s triggers
    just made for these persons (they were not marked before: their digest was right)."""
    ids = list(deltas)
    marks = ", ".join("?" for _ in ids)
    kept = {
        str(p): (int(rows), unsigned_digest(int(total)))
        for p, rows, total in conn.exec_driver_sql(
            f"SELECT person_id, rows, total FROM {PersonDigest.__tablename__} "
            f"WHERE person_id IN ({marks})",
            tuple(ids),
        )
    }
    updated = []
    for person_hex, (added, plus, minus) in deltas.items():
        rows, total = kept.get(person_hex, (0, 0))
        total = sub_digest(add_digest(total, plus), minus)
        updated.append((person_hex, rows + added, signed_digest(total)))
    conn.exec_driver_sql(
        f"INSERT INTO {PersonDigest.__tablename__} (person_id, rows, total) VALUES (?, ?, ?) "
        "ON CONFLICT(person_id) DO UPDATE SET rows = excluded.rows, total = excluded.total",
        updated,
    )
    conn.exec_driver_sql(
        f"DELETE FROM {PersonDigestDirty.__tablename__} WHERE person_id IN ({marks})", tuple(ids)
    )


# -- removing a person -----------------------------------------------------------------------


def purge_person_locally(conn: Connection, person_hex: str, *, keep_outbox: bool = False) -> None:
    """Remove a person's whole file from the device (revoke after push, or purge)."""
    conn.exec_driver_sql("UPDATE note SET supersedes_id = NULL WHERE person_id = ?", (person_hex,))
    for table in reversed(PERSON_TABLES):
        if table == "person":
            continue
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE person_id = ?", (person_hex,))
    conn.exec_driver_sql("DELETE FROM audit_event WHERE person_id = ?", (person_hex,))
    conn.exec_driver_sql("DELETE FROM person WHERE id = ?", (person_hex,))
    conn.exec_driver_sql(
        f"DELETE FROM {PersonSummary.__tablename__} WHERE person_id = ?", (person_hex,)
    )
    for local in (RowSync, PulledSetAside, SyncConflict):
        conn.exec_driver_sql(
            f"DELETE FROM {local.__tablename__} WHERE person_id = ? OR "
            f"(table_name = 'person' AND row_id = ?)",
            (person_hex, person_hex),
        )
    conn.exec_driver_sql(
        f"DELETE FROM {PersonDigest.__tablename__} WHERE person_id = ?", (person_hex,)
    )
    mark_digests_dirty(conn, [person_hex])
    if not keep_outbox:
        conn.exec_driver_sql(
            f"DELETE FROM {OutboxEntry.__tablename__} WHERE person_id = ?", (person_hex,)
        )


def keep_tombstone(conn: Connection, tombstone: Mapping[str, Any]) -> None:
    """Keep the server's authenticated purge decision (``purge_tombstone``), to show it
    again to a server restored from a backup taken before it."""
    conn.exec_driver_sql(
        f"INSERT OR REPLACE INTO {PurgeTombstone.__tablename__} "
        "(person_id, purged_at, reason, mac) VALUES (?, ?, ?, ?)",
        (
            _uuid(tombstone["person_id"]),
            str(tombstone["purged_at"]),
            str(tombstone["reason"]),
            str(tombstone["mac"]),
        ),
    )


def held_tombstones(store: Store) -> list[dict[str, str]]:
    """The purge decisions this device received, oldest decision first."""
    with store.read() as session:
        return [
            {"person_id": str(uuid.UUID(hex=p)), "purged_at": t, "reason": r, "mac": m}
            for p, t, r, m in session.connection().exec_driver_sql(
                f"SELECT person_id, purged_at, reason, mac FROM "
                f"{PurgeTombstone.__tablename__} ORDER BY purged_at, person_id"
            )
        ]


REPLAY_NAMESPACE = uuid.UUID("5b0a3c55-3f6e-4d3e-9a7e-0d1a2c3b4e5f")
_REPLAY_ORDER = {name: index for index, name in enumerate((*PERSON_TABLES, "audit_event"))}


def own_rows(
    store: Store, node: str, persons: set[str] | None = None
) -> list[tuple[str, str, str]]:
    """(table, row hex, newest clock) of the rows holding a value written here (of these
    persons' files only, if given)."""
    suffix = f"-{node}"
    found: list[tuple[str, str, str]] = []
    with store.read() as session:
        for table, row_hex, hlc, clocks, person_hex in session.connection().exec_driver_sql(
            f"SELECT table_name, row_id, hlc, clocks, person_id FROM {RowSync.__tablename__}"
        ):
            if persons is not None and person_hex not in persons and row_hex not in persons:
                continue
            stamps = [hlc, *json.loads(clocks or "{}").values()]
            if any(str(stamp).endswith(suffix) for stamp in stamps):
                found.append((table, row_hex, hlc))
    found.sort(key=lambda item: (_REPLAY_ORDER.get(item[0], 99), item[2]))
    return found


def replay_changes(
    store: Store,
    node: str,
    missing: list[tuple[str, str]],
    older: list[tuple[str, str, dict[str, str]]],
) -> list[dict[str, Any]]:
    """Wire changes re-sending this device's own writes that the server lacks or holds
    older (reconciliation): parents first, each field with the clock it had, so that a
    later edit by someone else still wins. A row the server lacks is sent whole, its
    other writers' fields under our oldest clock on it (their own devices send theirs)."""
    from spie_desktop.domain.codec import row_to_dict

    suffix = f"-{node}"
    wanted: dict[tuple[str, str], dict[str, str] | None] = {(t, r): None for t, r in missing}
    wanted.update({(t, r): clocks for t, r, clocks in older})
    changes: list[tuple[int, str, dict[str, Any]]] = []
    with store.read() as session:
        for (table, row_hex), server_clocks in wanted.items():
            model = SYNCED_MODELS.get(table)
            if model is None:
                continue
            obj = session.get(model, uuid.UUID(hex=row_hex))
            sync_row = session.get(RowSync, (table, uuid.UUID(hex=row_hex)))
            if obj is None or sync_row is None:
                continue
            values = {k: v for k, v in row_to_dict(obj).items() if k not in ("updated_at", "id")}
            clocks = dict(sync_row.clocks or {})
            stamp_of = {name: clocks.get(name, sync_row.hlc) for name in values}
            own = {name: stamp for name, stamp in stamp_of.items() if stamp.endswith(suffix)}
            if not own:
                continue
            groups: dict[str, dict[str, Any]] = {}
            if server_clocks is None:
                oldest = min(own.values())
                for name, value in values.items():
                    groups.setdefault(own.get(name, oldest), {})[name] = value
            else:
                for name, stamp in own.items():
                    if stamp > server_clocks.get(name, ""):
                        groups.setdefault(stamp, {})[name] = values[name]
            for stamp, fields in groups.items():
                changes.append(
                    (
                        _REPLAY_ORDER.get(table, 99),
                        stamp,
                        {
                            "change_id": str(
                                uuid.uuid5(REPLAY_NAMESPACE, f"{table}:{row_hex}:{stamp}")
                            ),
                            "table": table,
                            "row_id": str(uuid.UUID(hex=row_hex)),
                            "op": "delete" if fields.get("deleted_at") else "upsert",
                            "fields": fields,
                            "hlc": stamp,
                            "replay": True,
                        },
                    )
                )
    changes.sort(key=lambda item: (item[0], item[1]))
    return [change for _order, _stamp, change in changes]


# -- pages -----------------------------------------------------------------------------------


def revoked_persons(store: Store) -> list[str]:
    raw = store.get_state(STATE_REVOKED)
    return list(json.loads(raw)) if raw else []


def _upsert_blocks(
    conn: Connection,
    blocks: Iterable[Mapping[str, Any]] | None,
    pending: PendingMap,
    touched: set[uuid.UUID],
    received: set[tuple[str, str]] | None,
    stats: ApplyStats,
    *,
    exact: bool = False,
) -> None:
    """The snapshot blocks of a page or of a grant: whole rows, table by table."""
    for block in blocks or ():
        upsert_rows(
            conn,
            block["table"],
            block["columns"],
            block["rows"],
            pending,
            touched,
            received,
            stats,
            block.get("hlcs"),
            exact=exact,
        )


def apply_page(
    store: Store,
    page: Mapping[str, Any],
    *,
    received: set[tuple[str, str]] | None = None,
    prepare: Callable[[Session], None] | None = None,
) -> ApplyStats:
    """Apply one pull page and move the cursor, in one transaction.

    Fast path: batched writes, foreign keys checked at commit. If a row of the page
    cannot be applied, the transaction is rolled back and the page applied again row by
    row (one savepoint each, foreign keys checked at once): the rows that fail are set
    aside with their reason, the rest of the page and the cursor go through (issue 10).
    """
    try:
        return _apply_page(store, page, received, prepare, careful=False)
    except _ROW_ERRORS as exc:
        log.warning("pull page failed (%s): applied again row by row", exc)
        return _apply_page(store, page, received, prepare, careful=True)


def _apply_page(
    store: Store,
    page: Mapping[str, Any],
    received: set[tuple[str, str]] | None,
    prepare: Callable[[Session], None] | None,
    *,
    careful: bool,
) -> ApplyStats:
    stats = ApplyStats(careful=careful)
    revoked = set(revoked_persons(store))
    # A snapshot page (a full download: thousands of new rows) writes its row clocks with
    # the digest triggers of ``row_sync`` off, and marks each person once at its end: the
    # triggers' two statements per row are a seventh of the page's time. Dropped and created
    # again inside the page's transaction (SQLite's DDL is transactional): a page killed or
    # rolled back leaves them as they were, and no other writer runs meanwhile.
    bulk = not careful and prepare is None and page.get("mode") == "snapshot"
    # A page of changes keeps its persons' digests up to date as it records their clocks:
    # the sync that follows compares them without hashing every row of a changed file.
    stats.keep_digests = not careful and not bulk and prepare is None
    with store.apply_remote() as session:
        conn = session.connection()
        if not careful:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        if bulk:
            stats.digest_marks = set()
            for name in ROW_SYNC_DIGEST_TRIGGERS:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        if prepare is None and page.get("mode") == "snapshot" and page.get("more"):
            # also when applied row by row: built by the first page of the log that follows
            defer_indexes(conn)
        else:
            restore_indexes(conn)
        touched: set[uuid.UUID] = session.info.setdefault(INFO_TOUCHED, set())
        if prepare is not None:
            prepare(session)  # may queue outbox entries (remove_stale): read pending after
        pending = pending_fields(session)
        _upsert_blocks(conn, page.get("snapshot"), pending, touched, received, stats)
        for change in page.get("changes") or ():
            kind = change["kind"]
            if kind == "change":
                apply_fields(
                    conn,
                    change["table"],
                    change["row_id"],
                    change.get("fields") or {},
                    change.get("hlc"),
                    pending,
                    touched,
                    stats,
                    person_id=change.get("person_id"),
                    clocks=change.get("clocks"),
                    seq=change.get("seq"),
                )
            elif kind == "grant":
                person_hex = _uuid(change["person_id"])
                revoked.discard(person_hex)
                stats.grants.append(person_hex)
                _upsert_blocks(conn, change.get("snapshot"), pending, touched, received, stats)
            elif kind == "revoke":
                person_hex = _uuid(change["person_id"])
                revoked.add(person_hex)
                stats.revokes.append(person_hex)
            elif kind == "purge":
                person_hex = _uuid(change["person_id"])
                purge_person_locally(conn, person_hex)
                if change.get("tombstone"):
                    keep_tombstone(conn, change["tombstone"])
                revoked.discard(person_hex)
                stats.purges.append(person_hex)
                touched.discard(uuid.UUID(hex=person_hex))
            elif kind == "conflict":
                record_pulled_conflict(conn, change)
        record_clocks(conn, stats)
        session.info.setdefault(INFO_DIGESTS_KEPT, set()).update(stats.digests_kept)
        if stats.digest_marks is not None:
            mark_digests_dirty(conn, stats.digest_marks)
            stats.digest_marks = None
            for statement in person_digest_triggers():
                if " ON row_sync " in statement:
                    conn.exec_driver_sql(statement)
        store.set_state(session, STATE_CURSOR, str(page["next"]))
        store.set_state(session, STATE_REVOKED, json.dumps(sorted(revoked)))
        hlc = page.get("hlc")
        if hlc:
            # Move the device's clock past what it received, durably: a slow laptop's next
            # edit must still come after the values it has seen, even after a restart.
            store.clock.observe(hlc)
            store.set_state(session, "hlc", store.clock.last())
            store.set_state(session, "hlc_seen", store.clock.seen())
    return stats


def retry_set_aside(store: Store) -> tuple[int, int]:
    """Apply again the rows set aside at pull (their parent may have come since).

    Returns (applied now, still set aside)."""
    with store.read() as session:
        records = [
            (record.table_name, record.row_id.hex, record.payload)
            for record in session.execute(select(PulledSetAside)).scalars()
        ]
    if not records:
        return 0, 0
    stats = ApplyStats(careful=True)
    applied = 0
    with store.apply_remote() as session:
        conn = session.connection()
        touched: set[uuid.UUID] = session.info.setdefault(INFO_TOUCHED, set())
        pending = pending_fields(session)
        for table_name, row_hex, payload in records:
            document = json.loads(payload)
            before = stats.set_aside
            if document.get("kind") == "row":
                upsert_rows(
                    conn,
                    document["table"],
                    list(document["columns"]),
                    [list(document["row"])],
                    pending,
                    touched,
                    None,
                    stats,
                )
            elif document.get("kind") == "change":
                apply_fields(
                    conn,
                    document["table"],
                    document["row_id"],
                    document.get("fields") or {},
                    document.get("hlc"),
                    pending,
                    touched,
                    stats,
                    person_id=document.get("person_id"),
                    clocks=document.get("clocks"),
                    seq=document.get("seq"),
                )
            if stats.set_aside == before and _exists(conn, table_name, row_hex):
                _clear_set_aside(conn, table_name, row_hex)
                applied += 1
        record_clocks(conn, stats)
    return applied, len(records) - applied


def record_pulled_conflict(conn: Connection, change: Mapping[str, Any]) -> None:
    """A value this device wrote was overwritten by a device that had not seen it: the
    server tells us through the pull (kept until the user has seen it)."""
    fields = change.get("fields") or {}
    table = change.get("table")
    row_id = change.get("row_id")
    if not table or not row_id:
        return
    for name, detail in fields.items():
        if not isinstance(detail, Mapping):
            continue
        insert_conflict(
            conn,
            table=str(table),
            row_hex=_uuid(row_id),
            person_hex=_uuid(change.get("person_id")),
            field_name=str(name),
            ours=detail.get("ours"),
            our_hlc=str(detail.get("our_hlc") or ""),
            our_author=detail.get("our_author"),
            theirs=detail.get("theirs"),
            their_hlc=str(detail.get("their_hlc") or change.get("hlc") or ""),
            their_author=detail.get("their_author"),
        )


def insert_conflict(
    conn: Connection,
    *,
    table: str,
    row_hex: str,
    person_hex: str | None,
    field_name: str,
    ours: Any,
    our_hlc: str,
    our_author: Any,
    theirs: Any,
    their_hlc: str,
    their_author: Any,
) -> None:
    conn.exec_driver_sql(
        f"INSERT INTO {SyncConflict.__tablename__} (table_name, row_id, person_id, field, "
        "ours, our_hlc, our_author, theirs, their_hlc, their_author, detected_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(table_name, row_id, field, our_hlc) DO NOTHING",
        (
            table,
            row_hex,
            person_hex,
            field_name[:64],
            json.dumps(ours, default=str),
            our_hlc,
            (str(our_author)[:200] if our_author else None),
            json.dumps(theirs, default=str),
            their_hlc,
            (str(their_author)[:200] if their_author else None),
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        ),
    )


def local_counts(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    """(live rows per pulled table excluding rows with a set-aside change, those rows)."""
    counts: dict[str, int] = {}
    uncertain: dict[str, int] = {}
    with store.read() as session:
        conn = session.connection()
        rejected: dict[str, set[str]] = {}
        for table, row_hex in conn.exec_driver_sql(
            f"SELECT table_name, row_id FROM {OutboxEntry.__tablename__} WHERE state = ?",
            (OutboxState.REJECTED,),
        ):
            rejected.setdefault(table, set()).add(row_hex)
        for table in PULLED_TABLES:
            ids = rejected.get(table, set())
            total = conn.exec_driver_sql(
                f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL"
            ).scalar_one()
            inside = 0
            if ids:
                marks = ", ".join("?" for _ in ids)
                inside = conn.exec_driver_sql(
                    f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL AND id IN ({marks})",
                    tuple(ids),
                ).scalar_one()
            aside = conn.exec_driver_sql(
                f"SELECT count(*) FROM {PulledSetAside.__tablename__} WHERE table_name = ?",
                (table,),
            ).scalar_one()
            counts[table] = int(total) - int(inside)
            uncertain[table] = len(ids) + int(aside)
    return counts, uncertain


def counts_agree(
    server: Mapping[str, int], local: Mapping[str, int], uncertain: Mapping[str, int]
) -> list[str]:
    """Tables whose counts disagree (empty: agreement)."""
    problems = []
    for table, expected in server.items():
        low = local.get(table, 0)
        high = low + uncertain.get(table, 0)
        if not low <= expected <= high:
            problems.append(f"{table} (serveur {expected}, appareil {low})")
    return problems


# -- digests (issue 10: divergence made of edits alone) ---------------------------------------


def recomputed_digests(
    conn: Connection, persons: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """Persons' digests computed from the rows (all persons, or those listed): the shares
    of the rows of the file that exist here, each at the clock ``row_sync`` keeps for it.
    Rows never accepted by the server (pending, refused) have no clock and count on
    neither side."""
    wanted = None if persons is None else sorted(set(persons))
    counts: dict[str, int] = {}
    sums: dict[str, int] = {}  # masked once at the end: a sum modulo 2**64 either way
    for name in DIGEST_TABLES:
        key = TABLES[name].person_key or "id"
        statement = (
            f"SELECT t.{key}, t.id, rs.hlc FROM {name} AS t JOIN {RowSync.__tablename__} "
            "AS rs ON rs.table_name = ? AND rs.row_id = t.id"
        )
        chunks: list[list[str]] = (
            [[]] if wanted is None else [wanted[i : i + 400] for i in range(0, len(wanted), 400)]
        )
        for chunk in chunks:
            sql = statement
            if wanted is not None:
                sql += f" WHERE t.{key} IN ({', '.join('?' for _ in chunk)})"
            # fetchall: one call for the chunk, not a fetch per row (a whole scope at the
            # end of a first download).
            for person_hex, row_hex, hlc in conn.exec_driver_sql(sql, (name, *chunk)).fetchall():
                if not person_hex:
                    continue
                counts[person_hex] = counts.get(person_hex, 0) + 1
                sums[person_hex] = sums.get(person_hex, 0) + row_digest(name, row_hex, hlc)
    return {person: (rows, add_digest(sums[person], 0)) for person, rows in counts.items()}


def refresh_digests(conn: Connection) -> int:
    """Compute again the kept digests of the persons marked dirty (in the caller's write
    transaction); returns how many."""
    dirty = [
        str(h)
        for (h,) in conn.exec_driver_sql(f"SELECT person_id FROM {PersonDigestDirty.__tablename__}")
    ]
    if not dirty:
        return 0
    found = recomputed_digests(conn, dirty)
    for start in range(0, len(dirty), 400):
        chunk = dirty[start : start + 400]
        conn.exec_driver_sql(
            f"DELETE FROM {PersonDigest.__tablename__} "
            f"WHERE person_id IN ({', '.join('?' for _ in chunk)})",
            tuple(chunk),
        )
    if found:
        conn.exec_driver_sql(
            f"INSERT INTO {PersonDigest.__tablename__} (person_id, rows, total) VALUES (?, ?, ?)",
            [(p, rows, signed_digest(total)) for p, (rows, total) in found.items()],
        )
    conn.exec_driver_sql(f"DELETE FROM {PersonDigestDirty.__tablename__}")
    return len(dirty)


def kept_digests(conn: Connection) -> dict[str, tuple[int, int]]:
    """What ``person_digest`` holds (persons with at least one row)."""
    return {
        str(p): (int(rows), unsigned_digest(int(total)))
        for p, rows, total in conn.exec_driver_sql(
            f"SELECT person_id, rows, total FROM {PersonDigest.__tablename__}"
        )
        if rows
    }


def differing_kept_digests(conn: Connection) -> list[str]:
    """Persons not marked for recomputation whose kept digest differs from a computation
    from their rows (empty: the upkeep is right); the device's side of
    ``sync.server.digest.differing_person_digests``."""
    dirty = {
        str(h)
        for (h,) in conn.exec_driver_sql(f"SELECT person_id FROM {PersonDigestDirty.__tablename__}")
    }
    kept = kept_digests(conn)
    rows = recomputed_digests(conn)
    return sorted(p for p in (kept.keys() | rows.keys()) - dirty if kept.get(p) != rows.get(p))


def local_digests(store: Store) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """This device's digest of every person it holds (``sync.server.digest`` computes the
    server's the same way), read from ``person_digest`` after the persons written since
    were computed again (:func:`refresh_digests`). Also returns the persons whose digest
    cannot agree for a known reason: a row set aside at pull."""
    with store.read() as session:
        conn = session.connection()
        dirty = conn.exec_driver_sql(
            f"SELECT 1 FROM {PersonDigestDirty.__tablename__} LIMIT 1"
        ).first()
    if dirty is not None:
        with store.apply_remote() as session:
            refresh_digests(session.connection())
    with store.read() as session:
        conn = session.connection()
        found = kept_digests(conn)
        uncertain = {
            str(person_hex)
            for (person_hex,) in conn.exec_driver_sql(
                f"SELECT DISTINCT person_id FROM {PulledSetAside.__tablename__} "
                "WHERE person_id IS NOT NULL"
            )
        }
    return found, uncertain


def scope_digest_of(digests: Mapping[str, tuple[int, int]]) -> str:
    rows = total = 0
    for count, share in digests.values():
        rows += count
        total = add_digest(total, share)
    return digest_text(rows, total)


def apply_files(store: Store, blocks: Iterable[Mapping[str, Any]]) -> ApplyStats:
    """Whole files received to repair them (digest mismatch): rows upserted, their clocks
    set to the server's, in one transaction; nothing is deleted (a local row is deleted only
    on the server's word). A row that cannot be applied is set aside as at pull."""
    listed = list(blocks)

    def run(careful: bool) -> ApplyStats:
        stats = ApplyStats(careful=careful)
        with store.apply_remote() as session:
            conn = session.connection()
            if not careful:
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            touched: set[uuid.UUID] = session.info.setdefault(INFO_TOUCHED, set())
            pending = pending_fields(session)
            _upsert_blocks(conn, listed, pending, touched, None, stats, exact=True)
        return stats

    try:
        return run(careful=False)
    except _ROW_ERRORS as exc:
        log.warning("repaired files failed (%s): applied again row by row", exc)
        return run(careful=True)
