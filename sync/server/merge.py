"""Push: idempotent, field-level last-writer-wins merge of device changes (DESIGN §5).

For each row the server keeps the HLC of every field's current value (``row_clock``).
A pushed field wins iff its HLC is greater (the HLC string ends with the device id,
which breaks ties). The values a change overwrote and the values of a change that lost
are both kept in its change-log entry. Every change is answered ``accepted``,
``merged`` (some fields lost: the winning values come back) or ``refused`` (code and
French message); a refused change never blocks the others of the batch.

The same code applies the server's own writes (administration, imports) with
:data:`SERVER_ACTOR`, so that they are logged, merged and scoped exactly alike.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Insert, Table, bindparam, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from spie_desktop.domain.codec import encode_value
from spie_desktop.domain.enums import Role
from spie_desktop.domain.hlc import HlcTimestamp
from sync.protocol import (
    MAX_CLOCK_AHEAD_MS,
    SERVER_NODE,
    ChangeResult,
    ClockReport,
    ErrorCode,
    WinningValue,
    WireChange,
    message_for,
)
from sync.schema import (
    APPEND_ONLY_TABLES,
    IMMUTABLE_FIELDS,
    TABLES,
    FieldError,
    printable,
    table_of,
)
from sync.server.changelog import LogEntry, Tx
from sync.server.errors import ApiError
from sync.server.models import (
    access,
    account,
    change_log,
    device,
    purged_person,
    purged_row,
    row_clock,
)
from sync.server.scope import rescope

_referent = table_of("referent")
_person = table_of("person")
_assignment = table_of("referent_assignment")


def provenance_of(table: str, actor: Actor) -> dict[str, Any]:
    """The provenance fields of a row written by ``actor``, as the server sets them."""
    if table == "note":
        return {"author_id": actor.referent_id}
    if table == "audit_event":
        return {"actor_id": actor.referent_id, "device_id": actor.device_id}
    if table == "referent_assignment":
        return {"assigned_by_id": actor.referent_id}
    if table in _RECORDED_BY:
        return {_RECORDED_BY[table]: actor.referent_id}
    return {}


# The accompaniment path: who recorded the row, set by the server like a note's author.
_RECORDED_BY = {
    "orientation_decision": "decided_by_id",
    "reorientation_request": "requested_by_id",
    "closing_review": "author_id",
    "breach": "author_id",
    "erasure_request": "requested_by_id",
}

# An erasure request is made on a device; its decision only on the server (RGPD art. 17).
ERASURE_DECISION_FIELDS = frozenset({"decided_at", "decided_by_id", "decision_note"})

# The statements a push runs for every change, built once: a statement built per call costs
# SQLAlchemy five times its execution on SQLite (its cache key, its coercions), and a push of
# 1,000 changes runs some seven per change.
_CLOCK_FOR_UPDATE = (
    select(row_clock.c.person_id, row_clock.c.clocks, row_clock.c.hlc)
    .where(
        row_clock.c.table_name == bindparam("clock_table"),
        row_clock.c.row_id == bindparam("clock_row"),
    )
    .with_for_update()
)
_PURGED_ROW = select(literal(1)).where(
    purged_row.c.table_name == bindparam("purged_table"),
    purged_row.c.row_id == bindparam("purged_row"),
)
_PERSON_EXISTS = select(literal(1)).where(
    row_clock.c.table_name == "person", row_clock.c.row_id == bindparam("person")
)
_INSERT_CLOCK = insert(row_clock)
_INSERTS: dict[str, tuple[Insert, frozenset[str]]] = {}


def _insert_into(table: Table, values: dict[str, Any]) -> Insert:
    """The table's one INSERT, for these values; a name that is no column is an error (as
    ``insert().values()`` would raise), never silently left out."""
    found = _INSERTS.get(table.name)
    if found is None:
        found = _INSERTS[table.name] = (insert(table), frozenset(table.c.keys()))
    statement, columns = found
    if not columns.issuperset(values):
        raise ValueError(f"{table.name}: no column {sorted(set(values) - columns)}")
    return statement


# (table, column) -> table of the referenced row, which must belong to the same person.
_PATH_REFERENCES = {
    ("action", "contract_id"): "engagement_contract",
    ("engagement_contract", "orientation_id"): "orientation_decision",
    ("engagement_contract", "previous_id"): "engagement_contract",
    ("reorientation_request", "decision_id"): "orientation_decision",
    ("orientation_decision", "request_id"): "reorientation_request",
    ("breach", "contract_id"): "engagement_contract",
}
_CONSTRAINT_RE = re.compile(r"\b((?:ck|fk|uq|ux|pk|ix)_[a-z0-9_]+)")
SERVER_AUTHOR = "Administration départementale"


@dataclass(frozen=True)
class Actor:
    """Who pushes: a device of an account, or the server itself."""

    account_id: uuid.UUID | None
    referent_id: uuid.UUID | None
    role: str
    device_id: str | None
    node: str
    username: str = ""
    display_name: str = ""

    @property
    def is_server(self) -> bool:
        return self.device_id is None


SERVER_ACTOR = Actor(
    account_id=None,
    referent_id=None,
    role=Role.ADMIN.value,
    device_id=None,
    node=SERVER_NODE,
    username="admin",
    display_name=SERVER_AUTHOR,
)


@dataclass
class Incoming:
    """A validated change, ready to apply."""

    change_id: uuid.UUID | None
    table: str
    row_id: uuid.UUID
    op: str
    values: dict[str, Any]  # decoded Python values
    hlc: str  # as sent
    content_hash: str | None
    effective_hlc: str = ""
    replay: bool = False


@dataclass
class Outcome:
    status: str  # accepted / merged / refused
    entry: LogEntry | None = None
    winners: dict[str, WinningValue] = field(default_factory=dict)
    code: str | None = None
    detail: str | None = None

    def result(self, change_id: uuid.UUID) -> ChangeResult:
        if self.status == "refused":
            message = message_for(self.code or ErrorCode.CONSTRAINT_VIOLATION)
            if self.detail:
                message = f"{message} ({self.detail})"
            return ChangeResult(
                change_id=change_id,
                status="refused",
                code=ErrorCode(self.code or ErrorCode.CONSTRAINT_VIOLATION),
                message=message,
            )
        assert self.entry is not None
        return ChangeResult(
            change_id=change_id,
            status="merged" if self.status == "merged" else "accepted",
            seq=self.entry.seq,
            hlc=self.entry.hlc,
            winners=self.winners,
        )


class _Refused(Exception):
    def __init__(self, code: str, detail: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


# -- validation (before anything is written) -------------------------------------------------


def content_hash(change: WireChange) -> str:
    canonical = json.dumps(
        {
            "table": change.table,
            "row_id": str(change.row_id),
            "op": change.op,
            "fields": change.fields,
            "hlc": change.hlc,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def validate_batch(changes: Sequence[WireChange], actor: Actor) -> list[Incoming]:
    """Decode every change; the first bad one refuses the whole batch (422)."""
    seen: set[uuid.UUID] = set()
    incoming: list[Incoming] = []
    for change in changes:
        if change.change_id in seen:
            raise ApiError(422, ErrorCode.DUPLICATE_CHANGE_ID, change_id=change.change_id)
        seen.add(change.change_id)
        spec = TABLES.get(change.table)
        if spec is None and change.table == "department_setting":
            raise ApiError(422, ErrorCode.SETTINGS_SERVER_ONLY, change_id=change.change_id)
        if spec is None:
            raise ApiError(
                422,
                ErrorCode.UNKNOWN_TABLE,
                detail=f"table inconnue : {printable(change.table)}",
                change_id=change.change_id,
            )
        if len(change.fields) > len(spec.columns):
            raise ApiError(422, ErrorCode.UNKNOWN_FIELD, change_id=change.change_id)
        try:
            values = spec.decode_fields(change.fields)
        except FieldError as exc:
            raise ApiError(
                422, exc.code, detail=exc.detail, change_id=change.change_id, field=exc.field
            ) from None
        if "id" in values and values["id"] != change.row_id:
            raise ApiError(
                422,
                ErrorCode.INVALID_VALUE,
                detail="id différent de row_id",
                change_id=change.change_id,
                field="id",
            )
        values.pop("id", None)
        if not values:
            raise ApiError(
                422, ErrorCode.INVALID_VALUE, detail="aucun champ", change_id=change.change_id
            )
        if HlcTimestamp.decode(change.hlc).node != actor.node:
            raise ApiError(
                422,
                ErrorCode.INVALID_VALUE,
                detail="horloge d'un autre appareil",
                change_id=change.change_id,
                field="hlc",
            )
        incoming.append(
            Incoming(
                change_id=change.change_id,
                table=change.table,
                row_id=change.row_id,
                op=change.op,
                values=values,
                hlc=change.hlc,
                content_hash=content_hash(change),
                replay=change.replay,
            )
        )
    return incoming


# -- clock -----------------------------------------------------------------------------------


def clamp_clocks(
    incoming: list[Incoming],
    last_hlc: str | None,
    now: datetime,
    max_ahead_ms: int,
    *,
    offset_ms: int = 0,
) -> tuple[str | None, int]:
    """Set ``effective_hlc``: never ahead of the server by more than the tolerance, and
    strictly increasing per device in outbox order. Returns (new last, max skew ms).

    A clock ahead of the server's is corrected by the device's measured offset (the
    time it sent with the push minus the server's), so that an edit made offline keeps
    its own moment instead of taking the push time (issue 10); what is still ahead after
    that correction is brought back to the server's time."""
    now_ms = int(now.timestamp() * 1000)
    limit = now_ms + max_ahead_ms
    last = HlcTimestamp.decode(last_hlc) if last_hlc else None
    skew = 0
    for change in incoming:
        stamp = HlcTimestamp.decode(change.hlc)
        if stamp.wall_ms > limit:
            skew = max(skew, stamp.wall_ms - now_ms)
            corrected = stamp.wall_ms - offset_ms if offset_ms > max_ahead_ms else now_ms
            stamp = HlcTimestamp(min(corrected, now_ms), stamp.counter, stamp.node)
        if change.replay:
            # An acknowledged change sent again after the server lost it: it keeps its
            # original clock, so that later edits by others still win over it.
            change.effective_hlc = stamp.encode()
            continue
        if last is not None and stamp <= last and stamp.node == last.node:
            if last.counter >= 0xFFFF:
                stamp = HlcTimestamp(last.wall_ms + 1, 0, stamp.node)
            else:
                stamp = HlcTimestamp(last.wall_ms, last.counter + 1, stamp.node)
        change.effective_hlc = stamp.encode()
        last = stamp
    return (last.encode() if last else last_hlc), skew


def clock_report(
    skew_ms: int, device_time: datetime | None, now: datetime, max_ahead_ms: int
) -> ClockReport | None:
    clamped = skew_ms > 0
    if device_time is not None:
        measured = int((device_time - now).total_seconds() * 1000)
        if abs(measured) > max_ahead_ms and abs(measured) > abs(skew_ms):
            skew_ms = measured
    if abs(skew_ms) <= max_ahead_ms and not clamped:
        return None
    amount = _duration_fr(abs(skew_ms))
    direction = "avance" if skew_ms > 0 else "retarde"
    message = (
        f"L'horloge de cet ordinateur {direction} de {amount} sur celle du serveur : "
        "corrigez la date et l'heure du système."
    )
    if clamped:
        message += (
            " Vos modifications ont été redatées de cet écart (au plus tard à l'heure du serveur)."
        )
    return ClockReport(skew_ms=skew_ms, clamped=clamped, message=message)


def _duration_fr(ms: int) -> str:
    minutes = ms // 60_000
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = round(ms / 3_600_000)
    if hours < 36:
        return f"{hours} h"
    days = round(ms / 86_400_000)
    return f"{days} jours"


# -- applying --------------------------------------------------------------------------------


def _asks_erasure(actor: Actor, change: Incoming) -> bool:
    """A supervisor may ask for an erasure (issue 15: « the referent or the supervisor »),
    a request only: the decision stays the administration's."""
    return actor.role == Role.SUPERVISOR.value and change.table == "erasure_request"


def _check_erasure_request(change: Incoming) -> None:
    """A device may ask for an erasure, never decide it: status stays « requested » and
    the decision fields stay empty (the admin decides on the server)."""
    status = change.values.get("status")
    if status is not None and status != "requested":
        raise _Refused(ErrorCode.DECISION_SERVER_ONLY, "status")
    for name in sorted(ERASURE_DECISION_FIELDS):
        if change.values.get(name) is not None:
            raise _Refused(ErrorCode.DECISION_SERVER_ONLY, name)


class Merger:
    """Applies changes in one transaction for one actor."""

    def __init__(self, tx: Tx, actor: Actor) -> None:
        self.seen_seq: int | None = None
        """The last seq the pushing device had pulled (its cursor), when it says."""
        self.tx = tx
        self.actor = actor
        self._state_cache: dict[uuid.UUID, tuple[bool, int | None, bool]] = {}
        self._purged_cache: dict[uuid.UUID, bool] = {}
        self._existing: set[uuid.UUID] = set()
        self._author_cache: dict[str, str | None] = {}

    @property
    def conn(self) -> Connection:
        return self.tx.conn

    # -- checks ----------------------------------------------------------------------------

    def _purged(self, person_id: uuid.UUID) -> bool:
        cached = self._purged_cache.get(person_id)
        if cached is None:
            cached = (
                self.conn.execute(
                    select(literal(1)).where(purged_person.c.person_id == person_id)
                ).first()
                is not None
            )
            self._purged_cache[person_id] = cached
        return cached

    def _purged_row(self, change: Incoming) -> bool:
        found = self.conn.execute(
            _PURGED_ROW, {"purged_table": change.table, "purged_row": change.row_id}
        )
        return found.first() is not None

    def _write_state(self, person_id: uuid.UUID) -> tuple[bool, int | None, bool]:
        """(writes now, ms when her last write access ended, sees now) for the actor."""
        cached = self._state_cache.get(person_id)
        if cached is None:
            assert self.actor.referent_id is not None
            rows = self.conn.execute(
                select(access.c.can_write, access.c.to_seq, change_log.c.received_at)
                .select_from(access.outerjoin(change_log, change_log.c.seq == access.c.to_seq))
                .where(
                    access.c.referent_id == self.actor.referent_id,
                    access.c.person_id == person_id,
                )
            ).all()
            writes = any(r.can_write and r.to_seq is None for r in rows)
            sees = any(r.to_seq is None for r in rows)
            ended = [
                int(r.received_at.timestamp() * 1000)
                for r in rows
                if r.to_seq is not None and r.received_at is not None
            ]
            cached = (writes, max(ended) if ended else None, sees)
            self._state_cache[person_id] = cached
        return cached

    def _may_write_person(self, person_id: uuid.UUID, change: Incoming) -> None:
        """The current referent writes; a former one only what she did before the handover."""
        if self.actor.is_server:
            return
        if self._purged(person_id):
            raise _Refused(ErrorCode.PERSON_PURGED)
        writes, ended_ms, _sees = self._write_state(person_id)
        if writes:
            return
        if ended_ms is None:
            raise _Refused(ErrorCode.OUT_OF_SCOPE)
        # A change made offline before the handover is still accepted and attributed to its
        # author (DESIGN §5); anything stamped after it is not.
        if HlcTimestamp.decode(change.effective_hlc).wall_ms >= ended_ms:
            raise _Refused(ErrorCode.AFTER_HANDOVER)

    def _may_record_about(self, person_id: uuid.UUID | None, change: Incoming) -> None:
        """Audit events: about nobody, a person the actor sees, or saw before the handover."""
        if person_id is None or self.actor.is_server:
            return
        if self._purged(person_id):
            raise _Refused(ErrorCode.PERSON_PURGED)
        _writes, ended_ms, sees = self._write_state(person_id)
        if sees:
            return
        if ended_ms is None:
            raise _Refused(ErrorCode.OUT_OF_SCOPE)
        if HlcTimestamp.decode(change.effective_hlc).wall_ms >= ended_ms:
            raise _Refused(ErrorCode.AFTER_HANDOVER)

    def _stamp_provenance(self, change: Incoming, *, inserting: bool) -> None:
        """Provenance comes from the authenticated device: set it, refuse a payload that
        says otherwise (What 1)."""
        for name, expected in provenance_of(change.table, self.actor).items():
            if change.values.get(name) is not None:
                if change.values[name] != expected:
                    raise _Refused(ErrorCode.PROVENANCE_MISMATCH, name)
            elif inserting or name in change.values:
                # Not stated (absent or null): the server states it.
                change.values[name] = expected

    def _stamp_team(self, change: Incoming) -> None:
        """A person created on a device belongs to the creator's team: the server states it,
        and refuses a payload that names another team."""
        team_id = self.conn.execute(
            select(_referent.c.team_id).where(_referent.c.id == self.actor.referent_id)
        ).scalar_one_or_none()
        stated = change.values.get("team_id")
        if stated is not None and stated != team_id:
            raise _Refused(ErrorCode.TEAM_SERVER_ONLY, "team_id")
        change.values["team_id"] = team_id

    def _same_person(self, table: str, row_id: Any, person_id: uuid.UUID | None) -> None:
        """A referenced row must exist and belong to the same person (Why 6)."""
        if row_id is None:
            return
        target = table_of(table)
        found = self.conn.execute(select(target.c.person_id).where(target.c.id == row_id)).first()
        if found is None:
            raise _Refused(ErrorCode.UNKNOWN_ROW, table)
        if found.person_id != person_id:
            raise _Refused(ErrorCode.CROSS_PERSON_REFERENCE, table)

    def _check_references(self, change: Incoming, person_id: uuid.UUID | None) -> None:
        if self.actor.is_server:
            return
        values = change.values
        for (table, column), target in _PATH_REFERENCES.items():
            if change.table == table and column in values:
                if values[column] == change.row_id:
                    raise _Refused(ErrorCode.CROSS_PERSON_REFERENCE, target)
                self._same_person(target, values[column], person_id)
        if change.table == "action" and "barrier_id" in values:
            self._same_person("barrier", values["barrier_id"], person_id)
        elif change.table == "note" and "supersedes_id" in values:
            if values["supersedes_id"] == change.row_id:
                raise _Refused(ErrorCode.CROSS_PERSON_REFERENCE, "note")
            self._same_person("note", values["supersedes_id"], person_id)
        elif change.table == "appointment" and values.get("referent_id") is not None:
            allowed = {self.actor.referent_id}
            if person_id is not None:
                allowed.add(
                    self.conn.execute(
                        select(_person.c.referent_id).where(_person.c.id == person_id)
                    ).scalar_one_or_none()
                )
            if values["referent_id"] not in allowed:
                raise _Refused(ErrorCode.CROSS_PERSON_REFERENCE, "referent_id")

    def _first_assignment(self, change: Incoming, person_id: uuid.UUID | None) -> None:
        """The one assignment a device may write: the first one of a person it just created,
        to itself, started at the change's own clock. Any other goes through the handover."""
        values = change.values
        actor = self.actor
        if (
            person_id is None
            or values.get("referent_id") != actor.referent_id
            or values.get("ended_at") is not None
            or values.get("handover_note") is not None
        ):
            raise _Refused(ErrorCode.HANDOVER_SERVER_ONLY)
        current = self.conn.execute(
            select(_person.c.referent_id).where(_person.c.id == person_id)
        ).first()
        if current is None or current.referent_id != actor.referent_id:
            raise _Refused(ErrorCode.HANDOVER_SERVER_ONLY)
        earlier = self.conn.execute(
            select(literal(1)).where(_assignment.c.person_id == person_id).limit(1)
        ).first()
        if earlier is not None:
            raise _Refused(ErrorCode.HANDOVER_SERVER_ONLY)
        started = values.get("started_at")
        stamp_ms = HlcTimestamp.decode(change.effective_hlc).wall_ms
        if (
            not isinstance(started, datetime)
            or abs(int(started.timestamp() * 1000) - stamp_ms) > MAX_CLOCK_AHEAD_MS
        ):
            raise _Refused(ErrorCode.PROVENANCE_MISMATCH, "started_at")

    def _person_exists(self, person_id: uuid.UUID) -> bool:
        """Whether the server holds the person; a yes is kept for the push (a person's
        clock row goes only with a purge, never within a push)."""
        if person_id in self._existing:
            return True
        found = self.conn.execute(_PERSON_EXISTS, {"person": person_id}).first() is not None
        if found:
            self._existing.add(person_id)
        return found

    def author_name(self, hlc: str) -> str | None:
        node = HlcTimestamp.decode(hlc).node
        if node == SERVER_NODE:
            return SERVER_AUTHOR
        if node not in self._author_cache:
            row = self.conn.execute(
                select(_referent.c.first_name, _referent.c.last_name)
                .select_from(
                    device.join(account, account.c.id == device.c.account_id).join(
                        _referent, _referent.c.id == account.c.referent_id
                    )
                )
                .where(device.c.node == node)
            ).first()
            self._author_cache[node] = f"{row.first_name} {row.last_name}" if row else None
        return self._author_cache[node]

    # -- one change ------------------------------------------------------------------------

    def apply(self, change: Incoming) -> Outcome:
        try:
            return self._apply(change)
        except _Refused as refused:
            return Outcome(status="refused", code=refused.code, detail=refused.detail)

    def _apply(self, change: Incoming) -> Outcome:
        spec = TABLES[change.table]
        actor = self.actor
        if not actor.is_server:
            if not spec.device_writable:
                raise _Refused(ErrorCode.READ_ONLY_TABLE)
            if (
                actor.role != Role.REFERENT.value
                and change.table not in APPEND_ONLY_TABLES
                and not _asks_erasure(actor, change)
            ):
                raise _Refused(ErrorCode.READ_ONLY_ROLE)
            if actor.referent_id is None:  # pragma: no cover - every device has an account
                raise _Refused(ErrorCode.OUT_OF_SCOPE)
        clock_row = self.conn.execute(
            _CLOCK_FOR_UPDATE, {"clock_table": change.table, "clock_row": change.row_id}
        ).first()
        if clock_row is None:
            return self._insert(change)
        if _asks_erasure(actor, change):
            # A supervisor asks for an erasure; she never edits a request afterwards.
            raise _Refused(ErrorCode.READ_ONLY_ROLE)
        return self._update(change, clock_row.person_id, dict(clock_row.clocks), clock_row.hlc)

    def _person_of_new_row(self, change: Incoming) -> uuid.UUID | None:
        spec = TABLES[change.table]
        if spec.person_key == "id":
            return change.row_id
        if spec.person_key is None:
            return None
        value = change.values.get(spec.person_key)
        return value if isinstance(value, uuid.UUID) else None

    def _insert(self, change: Incoming) -> Outcome:
        spec = TABLES[change.table]
        missing = spec.required_on_insert - change.values.keys()
        if not self.actor.is_server and self._purged_row(change):
            # A row of an erased or purged person, from a device that was away (issue 15).
            raise _Refused(ErrorCode.PERSON_PURGED)
        if missing:
            # A partial change for a row the server does not have.
            if len(missing) == len(spec.required_on_insert) or "deleted_at" in change.values:
                raise _Refused(ErrorCode.UNKNOWN_ROW)
            raise _Refused(ErrorCode.INCOMPLETE_ROW, ", ".join(sorted(missing)))
        person_id = self._person_of_new_row(change)
        actor = self.actor
        if not actor.is_server:
            if change.table == "person":
                if self._purged(change.row_id):
                    raise _Refused(ErrorCode.PERSON_PURGED)
                if change.values.get("referent_id") != actor.referent_id:
                    # A person is created in one's own caseload; moving it is a handover.
                    raise _Refused(ErrorCode.OUT_OF_SCOPE, "referent_id")
                self._stamp_team(change)
            elif change.table == "audit_event":
                self._may_record_about(person_id, change)
            elif person_id is not None:
                if not self._person_exists(person_id):
                    raise _Refused(
                        ErrorCode.PERSON_PURGED
                        if self._purged(person_id)
                        else ErrorCode.UNKNOWN_ROW
                    )
                if actor.role == Role.REFERENT.value:
                    self._may_write_person(person_id, change)
                else:
                    # A supervisor's erasure request: asking is not editing; a person she
                    # oversees is enough.
                    self._may_record_about(person_id, change)
            if change.table == "erasure_request":
                _check_erasure_request(change)
            self._stamp_provenance(change, inserting=True)
            if change.table == "referent_assignment":
                self._first_assignment(change, person_id)
            self._check_references(change, person_id)
        hlc = change.effective_hlc
        values = dict(change.values)
        values["id"] = change.row_id
        values.setdefault("created_at", self.tx.now)
        values["updated_at"] = self.tx.now
        try:
            with self.conn.begin_nested():
                self.conn.execute(_insert_into(spec.table, values), values)
        except IntegrityError as exc:
            raise _Refused(ErrorCode.CONSTRAINT_VIOLATION, _constraint(exc)) from None
        logged = dict(change.values)
        if len(logged) < len(spec.columns) - 2:
            # Defaults filled by the database (server-side writes): log the whole row, so
            # that devices receive a complete insert.
            stored = (
                self.conn.execute(select(spec.table).where(spec.table.c.id == change.row_id))
                .mappings()
                .one()
            )
            logged = {k: v for k, v in stored.items() if k not in ("id", "updated_at")}
        self.conn.execute(
            _INSERT_CLOCK,
            {
                "table_name": change.table,
                "row_id": change.row_id,
                "person_id": person_id,
                "clocks": dict.fromkeys(logged, hlc),
                "hlc": hlc,
            },
        )
        self.tx.digests.row(change.table, change.row_id, person_id, None, hlc)
        entry = self.tx.add(
            LogEntry(
                kind="change",
                table_name=change.table,
                row_id=change.row_id,
                person_id=person_id,
                op="delete" if change.values.get("deleted_at") else "upsert",
                fields={name: encode_value(v) for name, v in logged.items()},
                hlc=hlc,
                device_hlc=change.hlc if change.hlc != hlc else None,
                status="accepted",
                author_id=actor.referent_id,
                device_id=actor.device_id,
                content_hash=change.content_hash,
                change_id=change.change_id,
            )
        )
        if change.table == "person":
            rescope(self.tx, change.row_id)
        return Outcome(status="accepted", entry=entry)

    def _update(
        self,
        change: Incoming,
        person_id: uuid.UUID | None,
        clocks: dict[str, str],
        old_hlc: str,
    ) -> Outcome:
        spec = TABLES[change.table]
        actor = self.actor
        if change.table in APPEND_ONLY_TABLES and not actor.is_server:
            raise _Refused(ErrorCode.APPEND_ONLY)
        if change.table == "referent_assignment" and not actor.is_server:
            raise _Refused(ErrorCode.HANDOVER_SERVER_ONLY)
        if person_id is not None and not actor.is_server:
            self._may_write_person(person_id, change)
        if change.table == "erasure_request" and not actor.is_server:
            _check_erasure_request(change)
        key = spec.person_key
        if key and key != "id" and key in change.values and change.values[key] != person_id:
            raise _Refused(ErrorCode.OUT_OF_SCOPE, "changement de personne")
        current = (
            self.conn.execute(select(spec.table).where(spec.table.c.id == change.row_id))
            .mappings()
            .first()
        )
        if current is None:  # pragma: no cover - row_clock and the row go together
            raise _Refused(ErrorCode.UNKNOWN_ROW)
        immutable = IMMUTABLE_FIELDS.get(change.table, frozenset())
        for name in immutable & change.values.keys():
            if change.values[name] != current[name]:
                raise _Refused(ErrorCode.APPEND_ONLY, name)
        if not actor.is_server:
            self._stamp_provenance(change, inserting=False)
            if change.table == "person" and "team_id" in change.values:
                # The team is the server's to set (creation, handover, import). Not stated
                # (null: a whole row re-sent by a device that never held it) is ignored.
                stated = change.values["team_id"]
                if stated is not None and stated != current["team_id"]:
                    raise _Refused(ErrorCode.TEAM_SERVER_ONLY, "team_id")
                del change.values["team_id"]
                if not change.values:
                    raise _Refused(ErrorCode.TEAM_SERVER_ONLY, "team_id")
            if change.table == "person" and "referent_id" in change.values:
                if change.values["referent_id"] != current["referent_id"]:
                    raise _Refused(ErrorCode.HANDOVER_SERVER_ONLY, "referent_id")
                del change.values["referent_id"]
                if not change.values:
                    raise _Refused(ErrorCode.HANDOVER_SERVER_ONLY, "referent_id")
            self._check_references(change, person_id)
        hlc = change.effective_hlc
        applied: dict[str, Any] = {}
        overwritten: dict[str, Any] = {}
        lost: dict[str, Any] = {}
        winners: dict[str, WinningValue] = {}
        for name, value in change.values.items():
            previous = clocks.get(name, "")
            if hlc > previous:
                applied[name] = value
                overwritten[name] = {"value": encode_value(current[name]), "hlc": previous or None}
            elif hlc == previous:
                continue  # the very same write, already applied
            else:
                lost[name] = {"value": encode_value(value), "winner_hlc": previous}
                winners[name] = WinningValue(
                    value=encode_value(current[name]),
                    hlc=previous,
                    author=self.author_name(previous),
                )
        if applied:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(
                        update(spec.table)
                        .where(spec.table.c.id == change.row_id)
                        .values(**applied, updated_at=self.tx.now)
                    )
            except IntegrityError as exc:
                raise _Refused(ErrorCode.CONSTRAINT_VIOLATION, _constraint(exc)) from None
            for name in applied:
                clocks[name] = hlc
            newest = max(clocks.values())
            self.conn.execute(
                update(row_clock)
                .where(row_clock.c.table_name == change.table, row_clock.c.row_id == change.row_id)
                .values(clocks=clocks, hlc=newest)
            )
            self.tx.digests.row(change.table, change.row_id, person_id, old_hlc, newest)
        status = "merged" if lost else "accepted"
        deleted = applied.get("deleted_at") is not None
        entry = self.tx.add(
            LogEntry(
                kind="change",
                table_name=change.table,
                row_id=change.row_id,
                person_id=person_id,
                op="delete" if deleted else "upsert",
                fields={name: encode_value(v) for name, v in applied.items()},
                overwritten=overwritten or None,
                lost=lost or None,
                hlc=hlc,
                device_hlc=change.hlc if change.hlc != hlc else None,
                status=status,
                author_id=actor.referent_id,
                device_id=actor.device_id,
                content_hash=change.content_hash,
                change_id=change.change_id,
            )
        )
        if overwritten:
            self._report_overwrites(change, person_id, overwritten, applied, hlc)
        if change.table == "person" and ("referent_id" in applied or "team_id" in applied):
            rescope(self.tx, change.row_id)
        return Outcome(status=status, entry=entry, winners=winners)

    def _report_overwrites(
        self,
        change: Incoming,
        person_id: uuid.UUID | None,
        overwritten: dict[str, Any],
        applied: dict[str, Any],
        hlc: str,
    ) -> None:
        """Tell the device whose value this push overwrote, if the pusher had not seen it
        (it had not pulled the change that wrote it): a conflict entry addressed to that
        device, delivered by its pull (issue 10: conflicts reported to every loser)."""
        if self.seen_seq is None or self.actor.is_server:
            return
        by_node: dict[str, dict[str, Any]] = {}
        for name, old in overwritten.items():
            previous = old.get("hlc")
            if not previous:
                continue
            node = HlcTimestamp.decode(previous).node
            if node in (self.actor.node, SERVER_NODE):
                continue
            by_node.setdefault(node, {})[name] = old
        if not by_node:
            return
        stamps = {old["hlc"] for fields in by_node.values() for old in fields.values()}
        written: dict[str, int] = {
            row.hlc: int(row.seq)
            for row in self.conn.execute(
                select(change_log.c.hlc, func.max(change_log.c.seq).label("seq"))
                .where(
                    change_log.c.table_name == change.table,
                    change_log.c.row_id == change.row_id,
                    change_log.c.hlc.in_(sorted(stamps)),
                )
                .group_by(change_log.c.hlc)
            )
        }
        for node, fields in by_node.items():
            loser = self.conn.execute(
                select(device.c.id).where(device.c.node == node)
            ).scalar_one_or_none()
            if loser is None:
                continue
            report: dict[str, Any] = {}
            for name, old in fields.items():
                seq = written.get(old["hlc"])
                if seq is not None and seq <= self.seen_seq:
                    continue  # the pusher had received that value: an edit made after it
                report[name] = {
                    "ours": old["value"],
                    "our_hlc": old["hlc"],
                    "our_author": self.author_name(old["hlc"]),
                    "theirs": encode_value(applied[name]),
                    "their_hlc": hlc,
                    "their_author": self.author_name(hlc) or self.actor.display_name or None,
                }
            if report:
                self.tx.add(
                    LogEntry(
                        kind="conflict",
                        table_name=change.table,
                        row_id=change.row_id,
                        person_id=person_id,
                        fields=report,
                        hlc=hlc,
                        status="conflict",
                        device_id=loser,
                    )
                )

    # -- replays ---------------------------------------------------------------------------

    def replayed(self, change_id: uuid.UUID, row: Any) -> ChangeResult:
        """The answer to a change already applied (its response was lost)."""
        winners: dict[str, WinningValue] = {}
        if row.lost and row.table_name in TABLES:
            spec = TABLES[row.table_name]
            current = (
                self.conn.execute(select(spec.table).where(spec.table.c.id == row.row_id))
                .mappings()
                .first()
            )
            clocks_row = self.conn.execute(
                select(row_clock.c.clocks).where(
                    row_clock.c.table_name == row.table_name, row_clock.c.row_id == row.row_id
                )
            ).first()
            clocks = dict(clocks_row.clocks) if clocks_row else {}
            if current is not None:
                for name in row.lost:
                    hlc = clocks.get(name, row.lost[name].get("winner_hlc", ""))
                    winners[name] = WinningValue(
                        value=encode_value(current[name]), hlc=hlc, author=self.author_name(hlc)
                    )
        return ChangeResult(
            change_id=change_id,
            status="merged" if row.status == "merged" else "accepted",
            seq=row.seq,
            hlc=row.hlc,
            winners=winners,
            duplicate=True,
        )


def _constraint(exc: IntegrityError) -> str | None:
    match = _CONSTRAINT_RE.search(str(exc.orig))
    if match:
        return match.group(1)
    text = str(exc.orig).lower()
    if "foreign key" in text:
        return "référence inconnue"
    if "unique" in text:
        return "valeur déjà utilisée"
    if "not null" in text:
        return "valeur obligatoire"
    return None


def load_replays(connection: Connection, change_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    if not change_ids:
        return {}
    rows = connection.execute(
        select(
            change_log.c.change_id,
            change_log.c.content_hash,
            change_log.c.seq,
            change_log.c.status,
            change_log.c.hlc,
            change_log.c.lost,
            change_log.c.table_name,
            change_log.c.row_id,
        ).where(change_log.c.change_id.in_(change_ids))
    ).all()
    return {row.change_id: row for row in rows}
