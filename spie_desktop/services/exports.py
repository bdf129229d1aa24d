"""GDPR right of access: everything held about one person, as JSON-ready data."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.codec import row_to_dict
from spie_desktop.domain.enums import AuditAction
from spie_desktop.domain.models import (
    Action,
    Appointment,
    AuditEvent,
    Barrier,
    Note,
    ReferentAssignment,
)
from spie_desktop.services.common import audit, live_person
from spie_desktop.store.store import Actor

EXPORT_FORMAT = "spie-desktop/person-export/v1"


def export_person(session: Session, actor: Actor, person_id: uuid.UUID) -> dict[str, Any]:
    """Every row about the person (notes in full, sensitive ones included); audited."""
    person = live_person(session, person_id)
    audit(session, actor, AuditAction.EXPORT, person.id, "export droit d'accès (RGPD)")
    session.flush()
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "person": row_to_dict(person)}
    for key, model in (
        ("referent_assignments", ReferentAssignment),
        ("appointments", Appointment),
        ("barriers", Barrier),
        ("actions", Action),
        ("notes", Note),
        ("audit_events", AuditEvent),
    ):
        rows = session.execute(
            select(model).where(model.person_id == person.id).order_by(model.id)
        ).scalars()
        data[key] = [row_to_dict(row) for row in rows]
    return data
