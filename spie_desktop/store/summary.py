"""Per-person caseload figures (next appointment, last contact, open barriers…).

Refreshed inside the transaction of every write that touches a person, and lazily
once ``valid_until`` has passed, so that the caseload list reads one narrow table.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, delete, func, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from spie_desktop.domain.deadlines import (
    ContractFacts,
    DecisionFacts,
    PathFacts,
    path_facts,
    path_settings,
)
from spie_desktop.domain.enums import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    AppointmentStatus,
    FollowUpStatus,
)
from spie_desktop.domain.models import (
    Action,
    Appointment,
    Barrier,
    EngagementContract,
    OrientationDecision,
    Person,
)
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
                Person.follow_up_status,
                Person.rights_opening_date,
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
            func.max(case((Appointment.status.in_([seen, planned]), Appointment.starts_at))),
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

    paths = _path_facts(connection, live, persons)

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
                **_path_columns(paths[pid]),
            }
        )
    # One statement for every chunk size (executemany): a multi-VALUES insert would be
    # compiled again for each new number of persons, which cost more than the summaries.
    statement = sqlite_insert(PersonSummary)
    update_columns = {name: statement.excluded[name] for name in values[0] if name != "person_id"}
    connection.execute(
        statement.on_conflict_do_update(index_elements=["person_id"], set_=update_columns),
        values,
    )


def _path_facts(
    connection: Connection, live: list[uuid.UUID], persons: dict[uuid.UUID, Any]
) -> dict[uuid.UUID, PathFacts]:
    """Each person's deadlines (orientation, contract, review, floor), settings in force."""
    decisions: dict[uuid.UUID, list[DecisionFacts]] = {}
    for row in connection.execute(
        select(
            OrientationDecision.person_id,
            OrientationDecision.decided_on,
            OrientationDecision.notified_on,
            OrientationDecision.track,
            OrientationDecision.review_obstacle,
            OrientationDecision.created_at,
        ).where(OrientationDecision.person_id.in_(live), OrientationDecision.deleted_at.is_(None))
    ):
        decisions.setdefault(row[0], []).append(
            DecisionFacts(
                decided_on=_as_date(row[1]),
                notified_on=_as_date(row[2]) if row[2] is not None else None,
                track=row[3],
                review_obstacle=row[4],
                created_at=_as_datetime(row[5]),
            )
        )
    planned = {
        row[0]: int(row[1] or 0)
        for row in connection.execute(
            select(Action.contract_id, func.sum(Action.planned_minutes_week))
            .join(EngagementContract, EngagementContract.id == Action.contract_id)
            .where(
                EngagementContract.person_id.in_(live),
                Action.status.in_(_OPEN_ACTIONS),
                Action.deleted_at.is_(None),
            )
            .group_by(Action.contract_id)
        )
    }
    contracts: dict[uuid.UUID, list[ContractFacts]] = {}
    for crow in connection.execute(
        select(
            EngagementContract.person_id,
            EngagementContract.id,
            EngagementContract.contract_type,
            EngagementContract.version,
            EngagementContract.state,
            EngagementContract.signed_on,
            EngagementContract.ends_on,
            EngagementContract.weekly_floor_minutes,
            EngagementContract.created_at,
        ).where(EngagementContract.person_id.in_(live), EngagementContract.deleted_at.is_(None))
    ):
        contracts.setdefault(crow[0], []).append(
            ContractFacts(
                contract_type=crow[2],
                version=crow[3],
                state=crow[4],
                signed_on=_as_date(crow[5]) if crow[5] is not None else None,
                ends_on=_as_date(crow[6]) if crow[6] is not None else None,
                weekly_floor_minutes=crow[7],
                planned_minutes_week=planned.get(crow[1], 0),
                created_at=_as_datetime(crow[8]),
            )
        )
    settings = path_settings()
    return {
        pid: path_facts(
            settings,
            exited=persons[pid].follow_up_status == FollowUpStatus.EXITED.value,
            rights_opened_on=persons[pid].rights_opening_date,
            decisions=decisions.get(pid, []),
            contracts=contracts.get(pid, []),
        )
        for pid in live
    }


def _path_columns(facts: PathFacts) -> dict[str, Any]:
    return {
        "orientation_due_on": facts.orientation_due_on,
        "contract_due_on": facts.contract_due_on,
        "track_review_due_on": facts.track_review_due_on,
        "contract_ends_on": facts.contract_ends_on,
        "legacy_contract": facts.legacy_contract,
        "weekly_floor_minutes": facts.weekly_floor_minutes,
        "planned_minutes_week": facts.planned_minutes_week,
        "below_floor": facts.below_floor,
    }


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


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
