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

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from spie_desktop.domain.codec import encode_value
from spie_desktop.domain.models import SYNCED_MODELS
from sync.protocol import ErrorCode, RowBlock
from sync.server.changelog import current_seq, mark_of
from sync.server.errors import ApiError
from sync.server.models import access, change_log, row_clock
from sync.server.schema import PERSON_TABLES, REFERENCE_TABLES, TABLES
from sync.server.scope import scope_counts, visible_condition

_PERSON_BATCH = 200


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


def _block(name: str, rows: Sequence[Any]) -> RowBlock:
    columns = TABLES[name].column_order
    return RowBlock(
        table=name,
        columns=list(columns),
        rows=[[encode_value(row[i]) for i in range(len(columns))] for row in rows],
    )


def person_blocks(connection: Connection, person_ids: list[uuid.UUID]) -> list[RowBlock]:
    """The whole file of these persons, table by table (parents first)."""
    blocks: list[RowBlock] = []
    if not person_ids:
        return blocks
    for name in PERSON_TABLES:
        table = SYNCED_MODELS[name].__table__  # type: ignore[attr-defined]
        key = table.c.id if name == "person" else table.c.person_id
        columns = [table.c[c] for c in TABLES[name].column_order]
        rows = connection.execute(select(*columns).where(key.in_(person_ids)).order_by(table.c.id))
        fetched = rows.all()
        if fetched:
            blocks.append(_block(name, fetched))
    return blocks


def _max_hlc(connection: Connection, person_ids: list[uuid.UUID]) -> str | None:
    if not person_ids:
        return None
    return connection.execute(
        select(func.max(row_clock.c.hlc)).where(row_clock.c.person_id.in_(person_ids))
    ).scalar_one_or_none()


def pull_page(
    connection: Connection,
    *,
    referent_id: uuid.UUID,
    device_id: str | None,
    cursor_text: str,
    limit: int,
    with_counts: bool = True,
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
    blocks: list[RowBlock] = []
    budget = limit
    hlc: str | None = None
    if cursor.phase == "r":
        while cursor.table_index < len(REFERENCE_TABLES) and budget > 0:
            name = REFERENCE_TABLES[cursor.table_index]
            table = SYNCED_MODELS[name].__table__  # type: ignore[attr-defined]
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
            sizes = dict(
                connection.execute(
                    select(row_clock.c.person_id, func.count())
                    .where(
                        row_clock.c.person_id.in_(candidates),
                        row_clock.c.table_name.in_(PERSON_TABLES),
                    )
                    .group_by(row_clock.c.person_id)
                ).all()
            )
            chosen: list[uuid.UUID] = []
            for person_id in candidates:
                size = int(sizes.get(person_id, 1))
                if chosen and size > budget:
                    break
                chosen.append(person_id)
                budget -= size
            blocks.extend(person_blocks(connection, chosen))
            cursor.last_id = chosen[-1]
            page_hlc = _max_hlc(connection, chosen)
            hlc = max(filter(None, (hlc, page_hlc)), default=None)
            if len(chosen) == len(candidates) and len(candidates) < _PERSON_BATCH:
                done = True
    if done:
        next_cursor = Cursor("log", cursor.seq, cursor.mark).encode()
    else:
        next_cursor = cursor.encode()
    return {
        "mode": "snapshot",
        "snapshot": [block.model_dump() for block in blocks],
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
    with_counts: bool,
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
        )
        .where(cl.seq > cursor.seq, visible_condition(referent_id, device_id))
        .order_by(cl.seq)
        .limit(limit + 1)
    ).all()
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
            item.update(
                table=entry.table_name,
                row_id=str(entry.row_id),
                person_id=str(entry.person_id) if entry.person_id else None,
                op=entry.op,
                fields=entry.fields,
                hlc=entry.hlc,
            )
            size += 1
            if entry.hlc and (max_hlc is None or entry.hlc > max_hlc):
                max_hlc = entry.hlc
        else:
            item["person_id"] = str(entry.person_id)
            if entry.kind == "grant":
                blocks = person_blocks(connection, [entry.person_id])
                item["read_only"] = bool((entry.fields or {}).get("read_only"))
                item["snapshot"] = [block.model_dump() for block in blocks]
                size += sum(len(block.rows) for block in blocks) or 1
                page_hlc = _max_hlc(connection, [entry.person_id])
                if page_hlc and (max_hlc is None or page_hlc > max_hlc):
                    max_hlc = page_hlc
            else:
                size += 1
        changes.append(item)
        last_seq = entry.seq
    if more:
        next_seq = last_seq
    else:
        next_seq = head
    counts = scope_counts(connection, referent_id) if (with_counts and not more) else None
    return {
        "mode": "log",
        "snapshot": [],
        "changes": changes,
        "next": Cursor("log", next_seq, mark_of(connection, next_seq) or "").encode(),
        "more": more,
        "counts": counts,
        "hlc": max_hlc,
    }
