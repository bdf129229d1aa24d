"""Handover (*passation*): who follows a person, with no gap and no overlap."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.enums import AuditAction, NoteKind
from spie_desktop.domain.models import Note, Referent, ReferentAssignment
from spie_desktop.errors import ValidationError
from spie_desktop.services.common import (
    audit,
    clean_text,
    get_live,
    live_person,
    require_writer,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor


def active_assignment(session: Session, person_id: uuid.UUID) -> ReferentAssignment | None:
    return session.execute(
        select(ReferentAssignment).where(
            ReferentAssignment.person_id == person_id,
            ReferentAssignment.ended_at.is_(None),
            ReferentAssignment.deleted_at.is_(None),
        )
    ).scalar_one_or_none()


def hand_over(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    new_referent_id: uuid.UUID,
    *,
    note: str | None = None,
) -> ReferentAssignment:
    """End the current assignment and start the new one in one transaction.

    The handover note is also written to the journal, so that the new referent reads it
    first in the person's timeline.
    """
    require_writer(actor)
    person = live_person(session, person_id)
    referent = get_live(session, Referent, new_referent_id)
    if not referent.active:
        raise ValidationError("Ce référent n'est plus actif.", field="referent_id")
    handover_note = clean_text(note, field="note", max_length=20_000)
    now = utcnow()
    current = active_assignment(session, person.id)
    if current is not None:
        if current.referent_id == new_referent_id:
            raise ValidationError(
                "Cette personne est déjà suivie par ce référent.",
                field="referent_id",
                code="same_referent",
            )
        current.ended_at = now
        session.flush()
    assignment = ReferentAssignment(
        person_id=person.id,
        referent_id=new_referent_id,
        started_at=now,
        handover_note=handover_note,
        assigned_by_id=actor.referent_id,
    )
    session.add(assignment)
    person.referent_id = new_referent_id
    if handover_note:
        session.add(
            Note(
                person_id=person.id,
                author_id=actor.referent_id,
                written_at=now,
                kind=NoteKind.HANDOVER.value,
                text=handover_note,
                sensitive=False,
            )
        )
    audit(session, actor, AuditAction.CHANGE, person.id, f"passation vers {referent.username}")
    return assignment
