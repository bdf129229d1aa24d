"""Per-person caseload figures (next appointment, last contact, open barriers…).

Refreshed inside the transaction of every write that touches a person, and lazily
once ``valid_until`` has passed, so that the caseload list reads one narrow table.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from spie_desktop.domain.enums import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    AppointmentStatus,
)
from spie_desktop.domain.models import Action, Appointment, Barrier, Person
from spie_desktop.domain.types import UTCDateTime
from spie_desktop.store.changes import utcnow
from spie_desktop.store.local_models import PersonSummary

_OPEN_BARRIERS = [status.value for status in OPEN_BARRIER_STATUSES]
_OPEN_ACTIONS = [status.value for status in OPEN_ACTION_STATUSES]
_CHUNK = 500


def fold(text: str | None) -> str:
    """Lower-case, accent-free form used for search (« Éloïse » → « eloise »)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().replace("-", " ").replace("'", " ").split())


def search_key(
    last_name: str | None,
    first_name: str | None,
    birth_name: str | None,
    external_id: str | None = None,
    caf_number: str | None = None,
) -> str:
    parts = [last_name, first_name, birth_name, external_id, caf_number]
    return " | ".join(fold(part) for part in parts if part)


def sort_name(last_name: str | None, first_name: str | None) -> str:
    """Name order key: folded last name, then folded first name (« LE » before « LE BIHAN »:
    the separator sorts before every letter and space)."""
    return f"{fold(last_name)}\x1f{fold(first_name)}"


def refresh_summaries(
    session: Session, person_ids: Sequence[uuid.UUID], now: datetime | None = None
) -> None:
    """Recompute the summary rows of the given persons in the current transaction."""
    now = now or utcnow()
    for start in range(0, len(person_ids), _CHUNK):
        _refresh_chunk(session, list(person_ids[start : start + _CHUNK]), now)


def _refresh_chunk(session: Session, ids: list[uuid.UUID], now: datetime) -> None:
    connection = session.connection()
    persons = {
        row.id: row
        for row in connection.execute(
            select(
                Person.id,
                Person.last_name,
                Person.first_name,
                Person.birth_name,
                Person.external_id,
                Person.caf_number,
                Person.deleted_at,
            ).where(Person.id.in_(ids))
        )
    }
    gone = [pid for pid in ids if pid not in persons or persons[pid].deleted_at is not None]
    if gone:
        connection.execute(delete(PersonSummary).where(PersonSummary.person_id.in_(gone)))
    live = [pid for pid in ids if pid not in gone]
    if not live:
        return

    seen = AppointmentStatus.SEEN.value
    planned = AppointmentStatus.PLANNED.value
    noshow = AppointmentStatus.NOSHOW.value
    appointment_rows = connection.execute(
        select(
            Appointment.person_id,
            func.max(case((Appointment.status == seen, Appointment.starts_at))),
            func.min(
                case(
                    (
                        and_(Appointment.status == planned, Appointment.starts_at >= now),
                        Appointment.starts_at,
                    )
                )
            ),
            func.sum(
                case(
                    (and_(Appointment.status == planned, Appointment.starts_at < now), 1),
                    else_=0,
                )
            ),
            func.max(case((Appointment.status == noshow, Appointment.starts_at))),
            func.max(
                case((Appointment.status.in_([seen, planned]), Appointment.starts_at))
            ),
        )
        .where(Appointment.person_id.in_(live), Appointment.deleted_at.is_(None))
        .group_by(Appointment.person_id)
    )
    appointments = {row[0]: row[1:] for row in appointment_rows}

    barrier_rows = connection.execute(
        select(Barrier.person_id, Barrier.theme)
        .where(
            Barrier.person_id.in_(live),
            Barrier.status.in_(_OPEN_BARRIERS),
            Barrier.deleted_at.is_(None),
        )
        .order_by(Barrier.person_id, Barrier.theme)
    )
    barriers: dict[uuid.UUID, list[str]] = {}
    for person_id, theme in barrier_rows:
        barriers.setdefault(person_id, []).append(theme)

    action_rows = connection.execute(
        select(Action.person_id, func.count(), func.min(Action.due_date))
        .where(
            Action.person_id.in_(live),
            Action.status.in_(_OPEN_ACTIONS),
            Action.deleted_at.is_(None),
        )
        .group_by(Action.person_id)
    )
    actions = {row[0]: (row[1], row[2]) for row in action_rows}

    values = []
    for pid in live:
        person = persons[pid]
        last_seen, next_planned, pending, last_noshow, last_kept = appointments.get(
            pid, (None, None, 0, None, None)
        )
        themes = barriers.get(pid, [])
        action_count, next_due = actions.get(pid, (0, None))
        missed = last_noshow is not None and (last_kept is None or last_kept < last_noshow)
        values.append(
            {
                "person_id": pid,
                "search_key": search_key(
                    person.last_name,
                    person.first_name,
                    person.birth_name,
                    person.external_id,
                    person.caf_number,
                ),
                "sort_name": sort_name(person.last_name, person.first_name),
                "last_contact_at": _as_datetime(last_seen),
                "next_appointment_at": _as_datetime(next_planned),
                "missed_not_rescheduled": missed,
                "outcome_pending_count": int(pending or 0),
                "open_barrier_count": len(themes),
                "open_barrier_themes": ",".join(sorted(set(themes))),
                "open_action_count": int(action_count),
                "next_action_due": next_due,
                "valid_until": _as_datetime(next_planned),
            }
        )
    statement = sqlite_insert(PersonSummary).values(values)
    update_columns = {
        name: statement.excluded[name] for name in values[0] if name != "person_id"
    }
    connection.execute(
        statement.on_conflict_do_update(index_elements=["person_id"], set_=update_columns)
    )


def _as_datetime(value: object) -> datetime | None:
    """Aggregates over a custom type may come back raw on SQLite; bring them back to UTC."""
    if value is None or isinstance(value, datetime):
        return value
    return _UTC.process_result_value(value, _SQLITE_DIALECT)


_SQLITE_DIALECT = sqlite_dialect.dialect()
_UTC = UTCDateTime()


def stale_person_ids(session: Session, now: datetime) -> list[uuid.UUID]:
    return list(
        session.execute(
            select(PersonSummary.person_id).where(PersonSummary.valid_until <= now)
        ).scalars()
    )
