"""Sensitive notes and supervisors (issue 11, What 8).

A supervisor's device receives the rows of the persons she oversees, but never the text of
a sensitive note: the pull stream carries :data:`WITHHELD_TEXT` in its place, in snapshot
blocks, in grant snapshots and in change entries alike. The department decides whether
supervisors may reveal one (the department setting ``supervisors_may_reveal``, default no,
sync/server/department.py); a reveal
(``POST /sync/reveal``) asks for a reason, is written to the audit log by the server with
that reason, and answers the text of that one note only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from spie_desktop.domain.enums import AuditAction, Role
from spie_desktop.ids import new_id
from sync.protocol import ErrorCode
from sync.schema import table_of
from sync.server import department
from sync.server.changelog import Tx
from sync.server.db import write_tx
from sync.server.errors import ApiError
from sync.server.merge import Actor, Incoming, Merger
from sync.server.models import access
from sync.server.settings import ServerSettings

WITHHELD_TEXT = "[Note sensible : texte réservé au référent]"
"""What a supervisor's device receives instead of a sensitive note's text."""

REASON_MAX = 200

_note = table_of("note")


def withholds(actor: Actor) -> bool:
    """Whether this device must not receive sensitive notes' text (everyone but referents)."""
    return not actor.is_server and actor.role != Role.REFERENT.value


def withhold_page(connection: Connection, page: dict[str, Any]) -> None:
    """Replace, in place, the text of every sensitive note of a pull page."""
    for block in page.get("snapshot") or []:
        _withhold_block(block)
    unknown: dict[str, dict[str, Any]] = {}
    for item in page.get("changes") or []:
        for block in item.get("snapshot") or []:
            _withhold_block(block)
        if item.get("table") != "note" or "text" not in (item.get("fields") or {}):
            continue
        fields = item["fields"]
        if "sensitive" in fields:
            if fields["sensitive"]:
                fields["text"] = WITHHELD_TEXT
        else:
            unknown[str(item["row_id"])] = fields
    if unknown:
        ids = [uuid.UUID(key) for key in unknown]
        sensitive = {
            str(row_id)
            for row_id in connection.execute(
                select(_note.c.id).where(_note.c.id.in_(ids), _note.c.sensitive.is_(True))
            ).scalars()
        }
        for key, fields in unknown.items():
            # A note the server no longer has (purged) is withheld too.
            if key in sensitive or not _exists(connection, uuid.UUID(key)):
                fields["text"] = WITHHELD_TEXT


def _exists(connection: Connection, note_id: uuid.UUID) -> bool:
    return connection.execute(select(_note.c.id).where(_note.c.id == note_id)).first() is not None


def _withhold_block(block: dict[str, Any]) -> None:
    if block.get("table") != "note":
        return
    columns = block["columns"]
    text_at, sensitive_at = columns.index("text"), columns.index("sensitive")
    rows = []
    for row in block["rows"]:
        if row[sensitive_at]:
            row = list(row)
            row[text_at] = WITHHELD_TEXT
        rows.append(row)
    block["rows"] = rows


@dataclass(frozen=True)
class Revealed:
    note_id: uuid.UUID
    person_id: uuid.UUID
    text: str


def reveal(
    engine: Engine, settings: ServerSettings, actor: Actor, note_id: uuid.UUID, reason: str
) -> Revealed:
    """The text of one note for a user who sees its person, audited with the reason."""
    text = " ".join(reason.split())
    if not text:
        raise ApiError(400, ErrorCode.REASON_REQUIRED)
    if any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise ApiError(400, ErrorCode.INVALID_VALUE, "motif : caractère de contrôle")
    if len(text) > REASON_MAX:
        raise ApiError(400, ErrorCode.INVALID_VALUE, f"motif de {REASON_MAX} caractères au plus")
    if actor.referent_id is None:  # pragma: no cover - devices always have an account
        raise ApiError(403, ErrorCode.AUTH_REQUIRED)
    with write_tx(engine) as connection:
        row = connection.execute(
            select(_note.c.person_id, _note.c.text, _note.c.sensitive).where(
                _note.c.id == note_id, _note.c.deleted_at.is_(None)
            )
        ).first()
        sees = row is not None and (
            connection.execute(
                select(access.c.id).where(
                    access.c.referent_id == actor.referent_id,
                    access.c.person_id == row.person_id,
                    access.c.to_seq.is_(None),
                )
            ).first()
            is not None
        )
        if row is None or not sees:
            # The same answer for a note that does not exist and one out of scope.
            raise ApiError(404, ErrorCode.NOT_FOUND)
        allowed = department.current_values(connection, settings).supervisors_may_reveal
        if row.sensitive and withholds(actor) and not allowed:
            raise ApiError(403, ErrorCode.REVEAL_FORBIDDEN)
        tx = Tx(connection, settings.now())
        hlc = tx.server_hlc()
        detail = f"note {note_id} ; motif : {text}"
        outcome = Merger(tx, actor).apply(
            Incoming(
                change_id=new_id(),
                table="audit_event",
                row_id=new_id(),
                op="upsert",
                values={
                    "occurred_at": tx.now,
                    "person_id": row.person_id,
                    "action": AuditAction.REVEAL.value,
                    "detail": detail[:255],
                },
                hlc=hlc,
                content_hash=None,
                effective_hlc=hlc,
            )
        )
        if outcome.status == "refused":  # pragma: no cover - the scope was checked above
            raise ApiError(403, outcome.code or ErrorCode.OUT_OF_SCOPE)
        tx.flush()
    return Revealed(note_id=note_id, person_id=uuid.UUID(str(row.person_id)), text=row.text)
