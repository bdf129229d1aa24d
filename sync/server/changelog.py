"""The change log and its sequence: one write transaction = one :class:`Tx`.

Entries are collected during the transaction and numbered at its very end by
:meth:`Tx.flush`, which increments the ``server_counter`` row. That row stays locked
until commit, so on PostgreSQL two transactions can never commit their sequence numbers
out of order: a pull never sees seq 102 while 101 is still in flight (DESIGN §5, "no
change skipped by a cursor" — the appends are serialised, the rest of the work is not).
SQLite serialises writers anyway.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from spie_desktop.domain.hlc import HybridLogicalClock
from sync.protocol import SERVER_NODE
from sync.server.digest import DigestDelta
from sync.server.models import access, change_log, seq_mark, server_counter, server_meta


@dataclass
class LogEntry:
    kind: str  # change, grant, revoke, purge
    table_name: str | None = None
    row_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    audience_id: uuid.UUID | None = None
    op: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    overwritten: dict[str, Any] | None = None
    lost: dict[str, Any] | None = None
    hlc: str | None = None
    device_hlc: str | None = None
    status: str | None = None
    author_id: uuid.UUID | None = None
    device_id: str | None = None
    content_hash: str | None = None
    change_id: uuid.UUID | None = None
    seq: int | None = None

    def row(self, received_at: datetime) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "change_id": self.change_id,
            "kind": self.kind,
            "table_name": self.table_name,
            "row_id": self.row_id,
            "person_id": self.person_id,
            "audience_id": self.audience_id,
            "op": self.op,
            "fields": self.fields,
            "overwritten": self.overwritten,
            "lost": self.lost,
            "hlc": self.hlc,
            "device_hlc": self.device_hlc,
            "status": self.status,
            "author_id": self.author_id,
            "device_id": self.device_id,
            "content_hash": self.content_hash,
            "received_at": received_at,
        }


class Tx:
    """One write transaction on the server: domain writes, then numbered log entries."""

    def __init__(self, connection: Connection, now: datetime) -> None:
        self.conn = connection
        self.now = now
        self.entries: list[LogEntry] = []
        self._opened: list[tuple[uuid.UUID, LogEntry]] = []
        self._closed: list[tuple[uuid.UUID, LogEntry]] = []
        self._clock: HybridLogicalClock | None = None
        self.digests = DigestDelta()  # the per-person digests this transaction changes

    def add(self, entry: LogEntry) -> LogEntry:
        self.entries.append(entry)
        return entry

    def access_opened(self, access_id: uuid.UUID, entry: LogEntry) -> None:
        self._opened.append((access_id, entry))

    def access_closed(self, access_id: uuid.UUID, entry: LogEntry) -> None:
        self._closed.append((access_id, entry))

    # -- the server's own clock (administration, imports, purges) -------------------------

    def server_hlc(self) -> str:
        if self._clock is None:
            last = self.conn.execute(
                select(server_meta.c.value).where(server_meta.c.key == "hlc")
            ).scalar_one_or_none()
            now_ms = int(self.now.timestamp() * 1000)
            self._clock = HybridLogicalClock(SERVER_NODE, last=last, wall_clock_ms=lambda: now_ms)
        return self._clock.now()

    # -- numbering -------------------------------------------------------------------------

    def flush(self) -> None:
        """Number the collected entries and write them; call last, just before commit."""
        if self._clock is not None:
            self._save_clock(self._clock.last())
            self._clock = None
        self.digests.write(self.conn)
        if not self.entries:
            return
        count = len(self.entries)
        last = self.conn.execute(
            update(server_counter)
            .where(server_counter.c.name == "seq")
            .values(value=server_counter.c.value + count)
            .returning(server_counter.c.value)
        ).scalar_one()
        first = last - count + 1
        for offset, entry in enumerate(self.entries):
            entry.seq = first + offset
        self.conn.execute(insert(change_log), [entry.row(self.now) for entry in self.entries])
        self.conn.execute(
            insert(seq_mark).values(first_seq=first, last_seq=last, mark=secrets.token_hex(4))
        )
        if self._opened:
            self.conn.execute(
                update(access)
                .where(access.c.id == bindparam("a_id"))
                .values(from_seq=bindparam("a_seq")),
                [{"a_id": a_id, "a_seq": entry.seq} for a_id, entry in self._opened],
            )
        if self._closed:
            self.conn.execute(
                update(access)
                .where(access.c.id == bindparam("a_id"))
                .values(to_seq=bindparam("a_seq")),
                [{"a_id": a_id, "a_seq": entry.seq} for a_id, entry in self._closed],
            )
        self.entries = []
        self._opened = []
        self._closed = []

    def _save_clock(self, value: str) -> None:
        updated = self.conn.execute(
            update(server_meta).where(server_meta.c.key == "hlc").values(value=value)
        ).rowcount
        if not updated:
            self.conn.execute(insert(server_meta).values(key="hlc", value=value))


def mark_of(connection: Connection, seq: int) -> str | None:
    """The mark of the append transaction that issued ``seq`` (None if never issued)."""
    if seq <= 0:
        return ""
    return connection.execute(
        select(seq_mark.c.mark)
        .where(seq_mark.c.first_seq <= seq, seq_mark.c.last_seq >= seq)
        .order_by(seq_mark.c.first_seq.desc())
        .limit(1)
    ).scalar_one_or_none()


def current_seq(connection: Connection) -> int:
    return int(
        connection.execute(
            select(server_counter.c.value).where(server_counter.c.name == "seq")
        ).scalar_one()
    )
