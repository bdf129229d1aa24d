"""The append-only journal: write a note, supersede it, reveal a sensitive one (audited)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.enums import AuditAction, NoteKind
from spie_desktop.domain.models import LONG_TEXT_MAX, Note
from spie_desktop.errors import ValidationError
from spie_desktop.services.common import (
    audit,
    clean_text,
    get_live,
    live_person,
    require_code,
    require_writer,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor

HIDDEN_TEXT = "Note sensible masquée — cliquez sur « Afficher » pour la lire."


def write_note(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    text: str,
    *,
    kind: str = NoteKind.FOLLOW_UP.value,
    sensitive: bool = False,
    written_at: datetime | None = None,
    supersedes_id: uuid.UUID | None = None,
) -> Note:
    require_writer(actor)
    person = live_person(session, person_id)
    require_code("note_kind", kind, field="kind")
    body = clean_text(text, field="text", max_length=LONG_TEXT_MAX, required=True)
    if supersedes_id is not None:
        previous = get_live(session, Note, supersedes_id)
        if previous.person_id != person.id:
            raise ValidationError("Cette note concerne une autre personne.", field="supersedes_id")
    note = Note(
        person_id=person.id,
        author_id=actor.referent_id,
        written_at=written_at or utcnow(),
        kind=kind,
        text=body,
        sensitive=sensitive,
        supersedes_id=supersedes_id,
    )
    session.add(note)
    audit(session, actor, AuditAction.CHANGE, person.id, "note ajoutée")
    return note


def supersede_note(
    session: Session, actor: Actor, note_id: uuid.UUID, text: str, *, sensitive: bool | None = None
) -> Note:
    """Correct a note by writing a new one that replaces it; the old one stays in history."""
    previous = get_live(session, Note, note_id)
    return write_note(
        session,
        actor,
        previous.person_id,
        text,
        kind=previous.kind,
        sensitive=previous.sensitive if sensitive is None else sensitive,
        supersedes_id=previous.id,
    )


def reveal_note(session: Session, actor: Actor, note_id: uuid.UUID) -> str:
    """The text of a sensitive note; the reveal is written to the audit log."""
    note = get_live(session, Note, note_id)
    if note.sensitive:
        audit(session, actor, AuditAction.REVEAL, note.person_id, f"note {note.id}")
    return note.text


def superseded_ids(session: Session, person_id: uuid.UUID) -> set[uuid.UUID]:
    rows = session.execute(
        select(Note.supersedes_id).where(
            Note.person_id == person_id,
            Note.supersedes_id.is_not(None),
            Note.deleted_at.is_(None),
        )
    ).scalars()
    return {note_id for note_id in rows if note_id is not None}


def displayed_text(note: Note) -> str:
    return HIDDEN_TEXT if note.sensitive else note.text
