"""Pull pages (DESIGN §5): a snapshot of the scope for a new device, then the change log.

Cursors are opaque strings:

- ``"0"``: start a full download. The server notes the current seq ``H`` and sends
  snapshot pages: reference tables, then every person in scope with their whole file,
  a few persons per page. Cursor ``s<H>.<mark>.<phase>.<table>.<last id>`` meanwhile.
- ``"<seq>.<mark>"``: the change log after ``seq``. The mark is that of the append
  transaction which issued ``seq``: a server restored from an older backup does not
  know it and answers ``410 cursor_unknown``. A bare ``"<seq>"`` is accepted too
  (no mark check).

Each page is read in one consistent snapshot. Rows a snapshot page sends may already be
newer than ``H``: replaying the log from ``H`` afterwards converges to the same state.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from spie_desktop.domain.codec import encode_value
from sync.protocol import ErrorCode
from sync.schema import PERSON_TABLES, REFERENCE_TABLES, TABLES, table_of
from sync.server.changelog import current_seq, mark_of
from sync.server.digest import scope_digest
from sync.server.errors import ApiError
from sync.server.models import access, change_log, row_clock
from sync.server.scope import scope_counts, visible_condition
from sync.server.tombstone import entry_tombstone

_PERSON_BATCH = 200
_SIZE_CHUNK = 16


class Cursor:
    def __init__(
        self,
        mode: str,
        seq: int,
        mark: str | None = None,
        phase: str = "r",
        table_index: int = 0,
        last_id: uuid.UUID | None = None,
    ) -> None:
        self.mode = mode  # "snapshot" or "log"
        self.seq = seq
        self.mark = mark
        self.phase = phase
        self.table_index = table_index
        self.last_id = last_id

    @classmethod
    def parse(cls, text: str) -> Cursor:
        try:
            if text in ("", "0"):
                return cls("snapshot", -1)
            if text.startswith("s"):
                head, mark, phase, index, last = text[1:].split(".")
                return cls(
                    "snapshot",
                    int(head),
                    mark,
                    phase,
                    int(index),
                    uuid.UUID(last) if last else None,
                )
            if "." in text:
                seq, mark = text.split(".", 1)
                return cls("log", int(seq), mark)
            return cls("log", int(text))
        except ValueError:
            raise ApiError(410, ErrorCode.CURSOR_UNKNOWN, detail="curseur illisible") from None

    def encode(self) -> str:
        if self.mode == "log":
            return f"{self.seq}.{self.mark or ''}"
        last = self.last_id.hex if self.last_id else ""
        return f"s{self.seq}.{self.mark or ''}.{self.phase}.{self.table_index}.{last}"


def _check(connection: Connection, seq: int, mark: str | None, head: int) -> None:
    if seq < 0 or seq > head:
        raise ApiError(410, ErrorCode.CURSOR_UNKNOWN, detail="curseur au-delà du serveur")
    if mark is not None and seq > 0 and mark_of(connection, seq) != mark:
        raise ApiError(410, ErrorCode.CURSOR_UNKNOWN, detail="curseur d'une autre histoire")


def _block(name: str, rows: Sequence[Any]) -> dict[str, Any]:
    """A :class:`RowBlock` as a plain dict (built by hand: pages hold thousands of rows)."""
    columns = TABLES[name].column_order
    encode = encode_value
    return {
        "table": name,
        "columns": list(columns),
        "rows": [[encode(value) for value in row] for row in rows],
    }


def _dashed(value: Any) -> Any:
    if value is None:
        return None
    text = str(value)
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def _raw_converters(name: str) -> list[Any]:
    """Storage form on SQLite → wire form, without building Python objects: UUIDs are
    32 hex digits (dashes put back), datetimes are already fixed-width ISO strings in UTC,
    dates ISO strings, booleans 0/1, JSON text."""
    converters: list[Any] = []
    for column in TABLES[name].column_order:
        kind = TABLES[name].columns[column].kind
        if kind == "uuid":
            converters.append(_dashed)
        elif kind == "bool":
            converters.append(lambda v: None if v is None else bool(v))
        elif kind == "json":
            converters.append(lambda v: None if v is None else json.loads(v))
        else:
            converters.append(None)
    return converters


_RAW: dict[str, list[Any]] = {}


def _raw_rows(
    connection: Connection, name: str, key: str, ids: list[uuid.UUID]
) -> tuple[list[list[Any]], list[str | None]]:
    """The rows of these persons in ``name`` in wire form, and each row's clock."""
    converters = _RAW.get(name)
    if converters is None:
        converters = _RAW[name] = _raw_converters(name)
    columns = ", ".join(f"t.{column}" for column in TABLES[name].column_order)
    marks = ", ".join("?" for _ in ids)
    result = connection.exec_driver_sql(
        f"SELECT {columns}, rc.hlc FROM {name} AS t LEFT JOIN {row_clock.name} AS rc "
        f"ON rc.table_name = ? AND rc.row_id = t.id WHERE t.{key} IN ({marks}) ORDER BY t.id",
        (name, *(i.hex for i in ids)),
    )
    pairs = [(i, c) for i, c in enumerate(converters) if c is not None]
    rows = []
    hlcs = []
    for raw in result.all():
        row = list(raw)
        hlcs.append(row.pop())
        for index, convert in pairs:
            row[index] = convert(row[index])
        rows.append(row)
    return rows, hlcs


def person_blocks(connection: Connection, person_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The whole file of these persons, table by table (parents first)."""
    blocks: list[dict[str, Any]] = []
    if not person_ids:
        return blocks
    if connection.dialect.name == "sqlite":
        # Rows and their clocks in one statement each, read as stored (no UUID objects):
        # a page of a full download holds thousands of rows (issue 10).
        for name in PERSON_TABLES:
            key_name = "id" if name == "person" else "person_id"
            rows, hlcs = _raw_rows(connection, name, key_name, person_ids)
            if rows:
                blocks.append(
                    {
                        "table": name,
                        "columns": list(TABLES[name].column_order),
                        "rows": rows,
                        # Row clocks: the device keeps them for reconciliation (issue 10).
                        "hlcs": hlcs,
                    }
                )
        return blocks
    stamps: dict[uuid.UUID, str] = {}
    wanted = frozenset(PERSON_TABLES)
    for start in range(0, len(person_ids), 500):
        # By person only, the tables kept here: with ``table_name IN (…)`` in the query,
        # SQLite walked the primary key (table_name, row_id) over every file's clocks
        # instead of the person index — 2 s a page for a supervisor's 3,000 persons.
        stamps.update(
            (row_id, hlc)
            for table_name, row_id, hlc in connection.execute(
                select(row_clock.c.table_name, row_clock.c.row_id, row_clock.c.hlc).where(
                    row_clock.c.person_id.in_(person_ids[start : start + 500])
                )
            )
            if table_name in wanted
        )
    for name in PERSON_TABLES:
        key_name = "id" if name == "person" else "person_id"
        table = table_of(name)
        columns = [table.c[c] for c in TABLES[name].column_order]
        fetched = connection.execute(
            select(*columns).where(table.c[key_name].in_(person_ids)).order_by(table.c.id)
        ).all()
        if fetched:
            block = _block(name, fetched)
            block["hlcs"] = [stamps.get(row.id) for row in fetched]
            blocks.append(block)
    return blocks


def _max_hlc(connection: Connection, person_ids: list[uuid.UUID]) -> str | None:
    if not person_ids:
        return None
    return connection.execute(
        select(func.max(row_clock.c.hlc)).where(row_clock.c.person_id.in_(person_ids))
    ).scalar_one_or_none()


def _current_clocks(
    connection: Connection, entries: Sequence[Any]
) -> dict[tuple[str, uuid.UUID], dict[str, str]]:
    """The current field clocks of the rows these change entries touched."""
    found: dict[tuple[str, uuid.UUID], dict[str, str]] = {}
    row_ids = sorted({entry.row_id for entry in entries if entry.row_id is not None})
    for start in range(0, len(row_ids), 500):
        chunk = row_ids[start : start + 500]
        for table_name, row_id, clocks in connection.execute(
            select(row_clock.c.table_name, row_clock.c.row_id, row_clock.c.clocks).where(
                row_clock.c.row_id.in_(chunk)
            )
        ):
            found[(table_name, row_id)] = dict(clocks)
    return found


def _is_creation(entry: Any) -> bool:
    """The change-log entry that inserted its row (an update always logs what it overwrote)."""
    return entry.kind == "change" and bool(entry.fields) and entry.overwritten is None


def _whole_rows(
    connection: Connection,
    entries: Sequence[Any],
    clocks: dict[tuple[str, uuid.UUID], dict[str, str]],
) -> dict[tuple[str, uuid.UUID], dict[str, Any]]:
    """Current values (wire form) of the rows whose creating entry lost fields since."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for entry in entries:
        if not _is_creation(entry) or entry.table_name not in TABLES:
            continue
        row_clocks = clocks.get((entry.table_name, entry.row_id))
        if row_clocks is None:
            continue
        if any(row_clocks.get(name) != entry.hlc for name in entry.fields):
            wanted.setdefault(entry.table_name, set()).add(entry.row_id)
    found: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for name, ids in wanted.items():
        table = table_of(name)
        for row in connection.execute(select(table).where(table.c.id.in_(sorted(ids)))).mappings():
            found[(name, row["id"])] = {k: encode_value(v) for k, v in row.items()}
    return found


def pull_page(
    connection: Connection,
    *,
    referent_id: uuid.UUID,
    device_id: str | None,
    cursor_text: str,
    limit: int,
    with_counts: str = "always",
) -> dict[str, Any]:
    """One page as a JSON-ready dict (the shape of ``PullResponse`` minus server_time)."""
    cursor = Cursor.parse(cursor_text)
    head = current_seq(connection)
    if cursor.mode == "snapshot":
        if cursor.seq < 0:
            cursor = Cursor("snapshot", head, mark_of(connection, head) or "")
        else:
            _check(connection, cursor.seq, cursor.mark, head)
        return _snapshot_page(connection, referent_id, cursor, limit)
    _check(connection, cursor.seq, cursor.mark, head)
    return _log_page(connection, referent_id, device_id, cursor, head, limit, with_counts)


def _snapshot_page(
    connection: Connection, referent_id: uuid.UUID, cursor: Cursor, limit: int
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    budget = limit
    hlc: str | None = None
    if cursor.phase == "r":
        while cursor.table_index < len(REFERENCE_TABLES) and budget > 0:
            name = REFERENCE_TABLES[cursor.table_index]
            table = table_of(name)
            columns = [table.c[c] for c in TABLES[name].column_order]
            requested = budget
            statement = select(*columns).order_by(table.c.id).limit(requested)
            if cursor.last_id is not None:
                statement = statement.where(table.c.id > cursor.last_id)
            rows = connection.execute(statement).all()
            if rows:
                blocks.append(_block(name, rows))
                budget -= len(rows)
                cursor.last_id = rows[-1].id
            if len(rows) < requested:
                cursor.table_index += 1
                cursor.last_id = None
        if cursor.table_index >= len(REFERENCE_TABLES):
            cursor.phase, cursor.table_index, cursor.last_id = "p", 0, None
        hlc = connection.execute(
            select(func.max(row_clock.c.hlc)).where(row_clock.c.table_name.in_(REFERENCE_TABLES))
        ).scalar_one_or_none()
    done = False
    if cursor.phase == "p" and budget > 0:
        statement = (
            select(access.c.person_id)
            .where(access.c.referent_id == referent_id, access.c.to_seq.is_(None))
            .distinct()
            .order_by(access.c.person_id)
            .limit(_PERSON_BATCH)
        )
        if cursor.last_id is not None:
            statement = statement.where(access.c.person_id > cursor.last_id)
        candidates = list(connection.execute(statement).scalars())
        if not candidates:
            done = True
        else:
            chosen: list[uuid.UUID] = []
            full = False
            for start in range(0, len(candidates), _SIZE_CHUNK):
                chunk = candidates[start : start + _SIZE_CHUNK]
                sizes: dict[Any, int] = dict(
                    connection.execute(
                        select(row_clock.c.person_id, func.count())
                        .where(
                            row_clock.c.person_id.in_(chunk),
                            row_clock.c.table_name.in_(PERSON_TABLES),
                        )
                        .group_by(row_clock.c.person_id)
                    ).all()
                )
                for person_id in chunk:
                    size = int(sizes.get(person_id, 1))
                    if chosen and size > budget:
                        full = True
                        break
                    chosen.append(person_id)
                    budget -= size
                if full:
                    break
            blocks.extend(person_blocks(connection, chosen))
            cursor.last_id = chosen[-1]
            page_hlc = _max_hlc(connection, chosen)
            hlc = max(filter(None, (hlc, page_hlc)), default=None)
            if len(chosen) == len(candidates) and len(candidates) < _PERSON_BATCH:
                done = True
    next_cursor = Cursor("log", cursor.seq, cursor.mark).encode() if done else cursor.encode()
    return {
        "mode": "snapshot",
        "snapshot": blocks,
        "changes": [],
        "next": next_cursor,
        "more": True,
        "counts": None,
        "hlc": hlc,
    }


def _log_page(
    connection: Connection,
    referent_id: uuid.UUID,
    device_id: str | None,
    cursor: Cursor,
    head: int,
    limit: int,
    with_counts: str,
) -> dict[str, Any]:
    cl = change_log.c
    entries = connection.execute(
        select(
            cl.seq,
            cl.kind,
            cl.table_name,
            cl.row_id,
            cl.person_id,
            cl.op,
            cl.fields,
            cl.hlc,
            cl.overwritten,
        )
        .where(cl.seq > cursor.seq, visible_condition(referent_id, device_id))
        .order_by(cl.seq)
        .limit(limit + 1)
    ).all()
    current = _current_clocks(connection, [e for e in entries[:limit] if e.kind == "change"])
    whole = _whole_rows(connection, entries[:limit], current)
    changes: list[dict[str, Any]] = []
    size = 0
    more = False
    last_seq = cursor.seq
    max_hlc: str | None = None
    for entry in entries:
        if size >= limit:
            more = True
            break
        item: dict[str, Any] = {"seq": entry.seq, "kind": entry.kind}
        if entry.kind == "change":
            fields = entry.fields
            clocks = current.get((entry.table_name, entry.row_id))
            if clocks is not None:
                # A field overwritten since by a later change is left out: that later
                # change comes further in the stream (or is this device's own, which it
                # already holds). Replaying an older value would move the device back.
                fields = {k: v for k, v in fields.items() if clocks.get(k) == entry.hlc}
                row = whole.get((entry.table_name, entry.row_id))
                if row is not None and len(fields) < len(entry.fields):
                    # The entry that created the row carries the whole current row: a
                    # device that never held it must be able to insert it (issue 10).
                    newer = {k: clocks[k] for k in entry.fields if k not in fields and k in row}
                    fields = {**fields, **{k: row[k] for k in newer}}
                    item["clocks"] = newer
            item.update(
                table=entry.table_name,
                row_id=str(entry.row_id),
                person_id=str(entry.person_id) if entry.person_id else None,
                op=entry.op,
                fields=fields,
                hlc=entry.hlc,
            )
            size += 1
            if entry.hlc and (max_hlc is None or entry.hlc > max_hlc):
                max_hlc = entry.hlc
        elif entry.kind == "conflict":
            item.update(
                table=entry.table_name,
                row_id=str(entry.row_id),
                person_id=str(entry.person_id) if entry.person_id else None,
                fields=entry.fields,
                hlc=entry.hlc,
            )
            size += 1
        else:
            item["person_id"] = str(entry.person_id)
            if entry.kind == "grant":
                blocks = person_blocks(connection, [entry.person_id])
                item["read_only"] = bool((entry.fields or {}).get("read_only"))
                item["snapshot"] = blocks
                size += sum(len(block["rows"]) for block in blocks) or 1
                page_hlc = _max_hlc(connection, [entry.person_id])
                if page_hlc and (max_hlc is None or page_hlc > max_hlc):
                    max_hlc = page_hlc
            else:
                stone = entry_tombstone(entry.person_id, entry.fields)
                if entry.kind == "purge" and stone is not None:
                    # The device keeps it: a server restored from an older backup is
                    # shown it again (sync.server.tombstone).
                    item["tombstone"] = stone
                size += 1
        changes.append(item)
        last_seq = entry.seq
    next_seq = last_seq if more else head
    wanted = with_counts == "always" or (with_counts == "auto" and bool(changes))
    counts = scope_counts(connection, referent_id) if (wanted and not more) else None
    # The scope digest goes with the counts (issue 10: edits alone are seen too).
    digest = scope_digest(connection, referent_id) if counts is not None else None
    return {
        "mode": "log",
        "snapshot": [],
        "changes": changes,
        "next": Cursor("log", next_seq, mark_of(connection, next_seq) or "").encode(),
        "more": more,
        "counts": counts,
        "digest": digest,
        "hlc": max_hlc,
    }
