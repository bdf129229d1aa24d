"""GDPR right of access: everything held about one person, as JSON-ready data.

Complete by construction: every synced table whose rows belong to a person (its
``__person_key__`` is ``person_id``) is exported, so a table added later (contracts,
orientation decisions…) is in the export without touching this file. Deleted rows
(tombstones) are included with their ``deleted_at``: they are still held. The referents the
rows name are listed with their names, so that the file reads without the server.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.codec import row_to_dict
from spie_desktop.domain.enums import AuditAction
from spie_desktop.domain.models import SYNCED_MODELS, Referent
from spie_desktop.services.common import audit, live_person
from spie_desktop.store.store import Actor

EXPORT_FORMAT = "spie-desktop/person-export/v1"

# The export's key for each table (the historical names of v1; new tables: their name + s).
SECTION_NAMES = {
    "referent_assignment": "referent_assignments",
    "appointment": "appointments",
    "barrier": "barriers",
    "action": "actions",
    "note": "notes",
    "audit_event": "audit_events",
}
# Columns that name a referent (their names are added under "referents").
REFERENT_COLUMNS = ("referent_id", "author_id", "actor_id", "assigned_by_id", "decided_by_id")


def person_tables() -> dict[str, Any]:
    """Section name → model, for every synced table whose rows belong to a person."""
    return {
        SECTION_NAMES.get(name, f"{name}s"): model
        for name, model in SYNCED_MODELS.items()
        if model.__person_key__ == "person_id"
    }


def export_person(session: Session, actor: Actor, person_id: uuid.UUID) -> dict[str, Any]:
    """Every row about the person (notes in full, sensitive ones included); audited."""
    person = live_person(session, person_id)
    audit(session, actor, AuditAction.EXPORT, person.id, "export droit d'accès (RGPD)")
    session.flush()
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "person": row_to_dict(person)}
    named: set[uuid.UUID] = {person.referent_id} if person.referent_id else set()
    for key, model in person_tables().items():
        rows = list(
            session.execute(
                select(model).where(model.person_id == person.id).order_by(model.id)
            ).scalars()
        )
        data[key] = [row_to_dict(row) for row in rows]
        for row in rows:
            for column in REFERENT_COLUMNS:
                value = getattr(row, column, None)
                if isinstance(value, uuid.UUID):
                    named.add(value)
    referents = session.execute(
        select(Referent).where(Referent.id.in_(named)).order_by(Referent.id)
    ).scalars()
    data["referents"] = [
        {
            "id": str(r.id),
            "first_name": r.first_name,
            "last_name": r.last_name,
            "role": r.role,
        }
        for r in referents
    ]
    return data
