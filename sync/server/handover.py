"""Handover (*passation*) as a use-case of the server (DESIGN §6 "Write rights").

``referent_assignment`` is append-only history written here only: a device proposes a
handover (``POST /sync/handover``), the administrator runs ``spie-server admin assign``,
and both end in :func:`hand_over`, which checks who decides and for whom, then ends the
current assignment, starts the new one, moves the person and records who decided
(``assigned_by_id``, an audit event) from the authenticated actor — never from a payload.

Rules: the target is an active referent (role ``referent``, account and referent row
active); a referent hands over only a person she currently follows, and only within her
own team; a supervisor hands over persons of the teams she oversees, to any team; an
administrator (device or command line) decides for anyone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal, select

from spie_desktop.domain.enums import AuditAction, NoteKind, Role
from spie_desktop.ids import new_id
from sync.protocol import ErrorCode
from sync.schema import table_of
from sync.server.changelog import Tx
from sync.server.errors import ApiError
from sync.server.merge import SERVER_ACTOR, Actor, Incoming, Merger
from sync.server.models import access, account, purged_person

_person = table_of("person")
_referent = table_of("referent")
_assignment = table_of("referent_assignment")


@dataclass(frozen=True)
class HandoverResult:
    assignment_id: uuid.UUID
    person_id: uuid.UUID
    referent_id: uuid.UUID
    ended_id: uuid.UUID | None
    replayed: bool = False


def _write(tx: Tx, merger: Merger, table: str, row_id: uuid.UUID, values: dict[str, Any]) -> None:
    hlc = tx.server_hlc()
    outcome = merger.apply(
        Incoming(
            change_id=new_id(),
            table=table,
            row_id=row_id,
            op="upsert",
            values=values,
            hlc=hlc,
            content_hash=None,
            effective_hlc=hlc,
        )
    )
    if outcome.status == "refused":  # pragma: no cover - the checks below come first
        raise ApiError(409, outcome.code or ErrorCode.CONSTRAINT_VIOLATION, detail=outcome.detail)


def _decider_team(tx: Tx, decider: Actor) -> uuid.UUID | None:
    return tx.conn.execute(
        select(_referent.c.team_id).where(_referent.c.id == decider.referent_id)
    ).scalar_one_or_none()


def _sees(tx: Tx, referent_id: uuid.UUID | None, person_id: uuid.UUID) -> bool:
    return (
        tx.conn.execute(
            select(literal(1)).where(
                access.c.referent_id == referent_id,
                access.c.person_id == person_id,
                access.c.to_seq.is_(None),
            )
        ).first()
        is not None
    )


def hand_over(
    tx: Tx,
    decider: Actor,
    person_id: uuid.UUID,
    referent_id: uuid.UUID,
    note: str | None = None,
    *,
    label: str | None = None,
    expected_from: uuid.UUID | None = None,
) -> HandoverResult:
    """Validate and record a handover of ``person_id`` to ``referent_id`` decided by
    ``decider``; raises :class:`ApiError` (with a code) when it is not allowed.

    ``expected_from``: the referent the decider saw following the person when she asked
    (a request queued offline); if someone else handed the person over meanwhile, the
    request is refused (``handover_stale``) rather than overriding that decision."""
    conn = tx.conn
    note = (note or "").strip() or None
    if note is not None and len(note) > 20_000:
        raise ApiError(422, ErrorCode.INVALID_VALUE, detail="note trop longue", field="note")
    if conn.execute(select(literal(1)).where(purged_person.c.person_id == person_id)).first():
        raise ApiError(409, ErrorCode.PERSON_PURGED)
    person = conn.execute(
        select(_person.c.referent_id).where(
            _person.c.id == person_id, _person.c.deleted_at.is_(None)
        )
    ).first()
    if person is None:
        raise ApiError(404, ErrorCode.UNKNOWN_ROW, detail="person")
    target = conn.execute(
        select(
            _referent.c.team_id,
            _referent.c.active,
            _referent.c.username,
            account.c.role,
            account.c.active.label("account_active"),
        )
        .select_from(_referent.join(account, account.c.referent_id == _referent.c.id))
        .where(_referent.c.id == referent_id)
    ).first()
    if (
        target is None
        or target.role != Role.REFERENT.value
        or not target.active
        or not target.account_active
    ):
        raise ApiError(422, ErrorCode.INVALID_HANDOVER_TARGET, field="referent_id")
    if not decider.is_server and decider.role != Role.ADMIN.value:
        if decider.role == Role.SUPERVISOR.value:
            if not _sees(tx, decider.referent_id, person_id):
                raise ApiError(403, ErrorCode.OUT_OF_SCOPE)
        elif decider.role == Role.REFERENT.value:
            if person.referent_id != decider.referent_id:
                raise ApiError(403, ErrorCode.OUT_OF_SCOPE)
            if target.team_id is None or target.team_id != _decider_team(tx, decider):
                raise ApiError(422, ErrorCode.INVALID_HANDOVER_TARGET, field="referent_id")
        else:  # pragma: no cover - the three roles are checked above
            raise ApiError(403, ErrorCode.READ_ONLY_ROLE)
    if expected_from is not None and person.referent_id != expected_from:
        raise ApiError(409, ErrorCode.HANDOVER_STALE)
    if person.referent_id == referent_id:
        raise ApiError(409, ErrorCode.SAME_REFERENT)

    merger = Merger(tx, SERVER_ACTOR)
    current = conn.execute(
        select(_assignment.c.id).where(
            _assignment.c.person_id == person_id,
            _assignment.c.ended_at.is_(None),
            _assignment.c.deleted_at.is_(None),
        )
    ).scalar_one_or_none()
    if current is not None:
        _write(tx, merger, "referent_assignment", current, {"ended_at": tx.now})
    assignment_id = new_id()
    _write(
        tx,
        merger,
        "referent_assignment",
        assignment_id,
        {
            "person_id": person_id,
            "referent_id": referent_id,
            "started_at": tx.now,
            "handover_note": note,
            "assigned_by_id": decider.referent_id,
        },
    )
    # The person joins the new referent's team (what her supervisor sees without a referent).
    _write(tx, merger, "person", person_id, {"referent_id": referent_id, "team_id": target.team_id})
    if note:
        _write(
            tx,
            merger,
            "note",
            new_id(),
            {
                "person_id": person_id,
                "author_id": decider.referent_id,
                "written_at": tx.now,
                "kind": NoteKind.HANDOVER.value,
                "text": note,
                "sensitive": False,
            },
        )
    who = label or decider.username or "serveur"
    _write(
        tx,
        merger,
        "audit_event",
        new_id(),
        {
            "occurred_at": tx.now,
            "actor_id": decider.referent_id,
            "device_id": decider.device_id,
            "person_id": person_id,
            "action": AuditAction.CHANGE.value,
            "detail": f"passation vers {target.username} ({who})"[:255],
        },
    )
    return HandoverResult(
        assignment_id=assignment_id, person_id=person_id, referent_id=referent_id, ended_id=current
    )
