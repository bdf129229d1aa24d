"""Conflicts of sync kept on the device until the user has seen them (issue 10).

A value written on this device that lost to another (« modifié aussi par … ») is stored
by the sync engine in ``sync_conflict`` in the transaction that applied the winning
value; the UI and the CLI list them here and mark them seen.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from spie_desktop.domain.models import Person
from spie_desktop.store.changes import utcnow
from spie_desktop.store.local_models import SyncConflict


@dataclass(frozen=True)
class ConflictView:
    id: int
    table: str
    row_id: uuid.UUID
    person_id: uuid.UUID | None
    person_name: str | None
    field: str
    ours: Any
    our_author: str | None
    theirs: Any
    their_author: str | None
    detected_at: datetime
    seen: bool


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def unseen_conflict_count(session: Session) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.seen_at.is_(None))
        ).scalar_one()
    )


def list_conflicts(session: Session, *, include_seen: bool = False) -> list[ConflictView]:
    """Newest first; the person's name when the device holds the person."""
    statement = (
        select(SyncConflict, Person.first_name, Person.last_name)
        .outerjoin(Person, Person.id == SyncConflict.person_id)
        .order_by(SyncConflict.detected_at.desc(), SyncConflict.id.desc())
    )
    if not include_seen:
        statement = statement.where(SyncConflict.seen_at.is_(None))
    views = []
    for conflict, first_name, last_name in session.execute(statement):
        name = " ".join(filter(None, (first_name, last_name))) or None
        views.append(
            ConflictView(
                id=conflict.id,
                table=conflict.table_name,
                row_id=conflict.row_id,
                person_id=conflict.person_id,
                person_name=name,
                field=conflict.field,
                ours=_load(conflict.ours),
                our_author=conflict.our_author,
                theirs=_load(conflict.theirs),
                their_author=conflict.their_author,
                detected_at=conflict.detected_at,
                seen=conflict.seen_at is not None,
            )
        )
    return views


def mark_conflicts_seen(session: Session, ids: list[int] | None = None) -> int:
    """Mark these conflicts (all unseen ones by default) as seen; returns how many."""
    statement = update(SyncConflict).where(SyncConflict.seen_at.is_(None))
    if ids is not None:
        statement = statement.where(SyncConflict.id.in_(ids))
    result = session.execute(statement.values(seen_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)
