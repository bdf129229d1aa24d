"""GDPR erasure requested from the app (art. 17).

The referent or the supervisor asks; an administrator decides on the server; the erasure
travels to every device through the sync (tombstones that also remove the history). The
device only records the request, which syncs like any change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.enums import AuditAction, ErasureStatus
from spie_desktop.domain.models import ErasureRequest
from spie_desktop.errors import ValidationError
from spie_desktop.services.common import audit, clean_text, live_person
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor

REASON_MAX = 255


@dataclass(frozen=True)
class ErasureRequestInfo:
    id: uuid.UUID
    requested_at: datetime
    reason: str
    status: str
    decision_note: str | None


def pending_erasure(session: Session, person_id: uuid.UUID) -> ErasureRequest | None:
    return session.execute(
        select(ErasureRequest).where(
            ErasureRequest.person_id == person_id,
            ErasureRequest.status.in_(
                (ErasureStatus.REQUESTED.value, ErasureStatus.APPROVED.value)
            ),
            ErasureRequest.deleted_at.is_(None),
        )
    ).scalar_one_or_none()


def request_erasure(
    session: Session, actor: Actor, person_id: uuid.UUID, reason: str
) -> ErasureRequest:
    """Record the request (audited). Open to the supervisor too: asking is not editing."""
    person = live_person(session, person_id)
    text = clean_text(reason, field="reason", max_length=REASON_MAX, required=True)
    assert text is not None
    if pending_erasure(session, person.id) is not None:
        raise ValidationError(
            "Une demande d'effacement est déjà en cours pour cette personne.",
            code="erasure_pending",
            field="reason",
        )
    request = ErasureRequest(
        person_id=person.id,
        requested_at=utcnow(),
        requested_by_id=actor.referent_id,
        reason=text,
        status=ErasureStatus.REQUESTED.value,
    )
    session.add(request)
    audit(session, actor, AuditAction.CHANGE, person.id, "demande d'effacement (RGPD)")
    return request


def erasure_requests(session: Session, person_id: uuid.UUID) -> list[ErasureRequestInfo]:
    rows = session.execute(
        select(ErasureRequest)
        .where(ErasureRequest.person_id == person_id, ErasureRequest.deleted_at.is_(None))
        .order_by(ErasureRequest.requested_at)
    ).scalars()
    return [
        ErasureRequestInfo(r.id, r.requested_at, r.reason, r.status, r.decision_note) for r in rows
    ]
