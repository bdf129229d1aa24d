"""The read use-cases: each reads in its own read transaction and returns plain data.

``queries.caseload_page(store, flt, now)`` and the like: what the screens and the command
line show, built from the services' session-level functions by
:func:`~spie_desktop.services.operation.query`. Nothing returned is an ORM row.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.models import Breach, Referent, ReorientationRequest, person_name
from spie_desktop.errors import SpieError
from spie_desktop.services import appointments, caseload, handover, path, team
from spie_desktop.services.appointments import AgendaItem
from spie_desktop.services.caseload import CaseloadFilter, CaseloadRow, DashboardCounts
from spie_desktop.services.common import get_live
from spie_desktop.services.operation import query
from spie_desktop.services.read_models import AppointmentInfo, PersonFile, load_person_file
from spie_desktop.services.read_models import load_appointment as _load_appointment
from spie_desktop.store.store import Actor, Store


@dataclass(frozen=True)
class CaseloadPage:
    """A caseload listing: every matching id (32-digit hex, display order) and the rows of
    the first page."""

    keys: list[str]
    rows: list[CaseloadRow]


@query
def caseload_page(
    session: Session,
    flt: CaseloadFilter,
    now: datetime,
    *,
    sort: str = "name",
    descending: bool = False,
    page_size: int,
) -> CaseloadPage:
    keys = caseload.caseload_keys(session, flt, now, sort=sort, descending=descending)
    first = [uuid.UUID(hex=key) for key in keys[:page_size]]
    return CaseloadPage(keys, caseload.caseload_rows(session, first, now))


@query
def caseload_rows(
    session: Session, person_ids: Sequence[uuid.UUID], now: datetime
) -> list[CaseloadRow]:
    """Display rows for the given ids, in the same order (missing ids are skipped)."""
    return caseload.caseload_rows(session, person_ids, now)


@query
def caseload_people(session: Session, now: datetime, *, limit: int) -> list[tuple[str, uuid.UUID]]:
    """(« NOM Prénom », id) of the persons still followed, in name order (for a chooser).

    Every label is unique: two persons of the same name are told apart by their birth date
    (« MOREAU Zoé (03/04/1980) »), and by the start of their identifier when that is not
    enough (no birth date, or the same one)."""
    ids = caseload.caseload_ids(session, CaseloadFilter(include_exited=False), now)
    rows = caseload.caseload_rows(session, ids[:limit], now)
    return list(zip(people_labels(rows), (row.person_id for row in rows), strict=True))


def people_labels(rows: Sequence[CaseloadRow]) -> list[str]:
    """A unique label per row, in the same order (see :func:`caseload_people`)."""
    names = [person_name(row.last_name, row.first_name) for row in rows]
    same_name = Counter(" ".join(name.split()).casefold() for name in names)
    born = Counter(
        (" ".join(name.split()).casefold(), row.birth_date)
        for name, row in zip(names, rows, strict=True)
    )
    labels: list[str] = []
    for name, row in zip(names, rows, strict=True):
        key = " ".join(name.split()).casefold()
        if same_name[key] == 1:
            labels.append(name)
            continue
        parts = [row.birth_date.strftime("%d/%m/%Y")] if row.birth_date else []
        if row.birth_date is None or born[(key, row.birth_date)] > 1:
            parts.append(f"n° {row.person_id.hex[:8]}")
        labels.append(f"{name} ({', '.join(parts)})")
    return labels


@query
def dashboard(
    session: Session, now: datetime, referent_id: uuid.UUID | None = None
) -> DashboardCounts:
    return caseload.dashboard_counts(session, now, referent_id)


@query
def team_dashboard(
    session: Session,
    now: datetime,
    *,
    days: int = caseload.ALERT_NO_CONTACT_DAYS,
    trend_scope: team.Scope = team.TEAM,
) -> team.TeamDashboard:
    """The supervisor's dashboard: figures per referent and for the team, 12-month trend."""
    return team.team_dashboard(session, now, days=days, trend_scope=trend_scope)


@query
def appointment_list(
    session: Session, flt: team.AppointmentFilter, *, limit: int | None = None, offset: int = 0
) -> list[team.AppointmentRow]:
    """The appointments behind a dashboard figure (no-shows of a period), newest first; a
    page of ``limit`` from ``offset`` (the drill-down dialog fetches them as it scrolls)."""
    return team.appointment_rows(session, flt, limit=limit, offset=offset)


@query
def team_referents(session: Session) -> list[tuple[uuid.UUID, str]]:
    """(id, « Prénom Nom ») of the team's referents, by name (the caseload's filter)."""
    return list(team.referent_names(session).items())


@query
def agenda(
    session: Session, referent_id: uuid.UUID | None, start: datetime, days: int = 7
) -> list[AgendaItem]:
    """A referent's appointments from ``start`` for ``days`` days (all referents if None)."""
    return appointments.agenda(session, referent_id, start, days)


@query
def reports_to_write(
    session: Session, referent_id: uuid.UUID | None, now: datetime
) -> list[AgendaItem]:
    """« Compte rendu à saisir »: started appointments still « à venir », oldest first."""
    return appointments.reports_to_write(session, referent_id, now)


@query
def slot_clashes(
    session: Session,
    *,
    referent_id: uuid.UUID | None,
    person_id: uuid.UUID,
    starts_at: datetime,
    duration_minutes: int,
    day_start: datetime,
    day_end: datetime | None = None,
    exclude_id: uuid.UUID | None = None,
) -> appointments.SlotClash:
    """What a slot would double-book (the referent's overlaps in her whole agenda in the
    store, the person's same day)."""
    return appointments.slot_clashes(
        session,
        referent_id=referent_id,
        person_id=person_id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        day_start=day_start,
        day_end=day_end,
        exclude_id=exclude_id,
    )


@dataclass(frozen=True)
class MyDay:
    """« Ma journée »: what a referent has to do today, each figure the size of its list."""

    today: list[AgendaItem]
    reports_to_write: int
    overdue_actions: int
    path_alerts: dict[str, int]


@query
def my_day(
    session: Session, referent_id: uuid.UUID | None, now: datetime, day_start: datetime
) -> MyDay:
    """Today's appointments (from the local midnight ``day_start``), the reports to write,
    the persons with an overdue action and the path alerts (a referent's, or all)."""
    overdue = replace(caseload.card_filter(caseload.Card.OVERDUE), referent_id=referent_id)
    return MyDay(
        today=appointments.agenda(session, referent_id, day_start, 1),
        reports_to_write=len(appointments.reports_to_write(session, referent_id, now)),
        overdue_actions=caseload.caseload_count(session, overdue, now),
        path_alerts=caseload.path_alert_counts(session, now, referent_id),
    )


@query
def home_address(session: Session, person_id: uuid.UUID) -> str:
    """The person's address on one line, for a home visit (« » when none is known)."""
    return appointments.home_address(session, person_id)


@query
def agenda_referents(session: Session) -> list[tuple[str, uuid.UUID]]:
    """(« Prénom Nom », id) of the active referents, by name (the agenda's filter)."""
    rows = session.execute(
        select(Referent)
        .where(Referent.active.is_(True))
        .order_by(Referent.last_name, Referent.first_name)
    ).scalars()
    return [(row.display_name, row.id) for row in rows]


@query
def appointment(session: Session, appointment_id: uuid.UUID) -> AppointmentInfo:
    return _load_appointment(session, appointment_id)


@query
def person_file(session: Session, person_id: uuid.UUID, now: datetime) -> PersonFile:
    """A person's file, not audited (a reload after a change; the opening was audited by
    :func:`spie_desktop.services.usecases.open_person_file`)."""
    return load_person_file(session, person_id, now)


@dataclass(frozen=True)
class PathSnapshot:
    """A person's path read in one transaction; its rows are detached from the session
    (expunged before it ends), so they can be read on the UI thread."""

    view: path.PathView
    pending_request: ReorientationRequest | None
    breaches: list[Breach] | None  # None: the actor may not see breaches
    #: per live breach, the decisions it corrected (newest first), each with who corrected
    #: it (the name of the next version's author) and when (its ``created_at``)
    corrections: dict[uuid.UUID, list[tuple[Breach, str, datetime]]] = field(default_factory=dict)
    #: who decided each orientation (decision id → name), as the decision names it or as
    #: the server stamped it
    deciders: dict[uuid.UUID, str] = field(default_factory=dict)


@query
def path_snapshot(
    session: Session, person_id: uuid.UUID, now: datetime, actor: Actor | None
) -> PathSnapshot:
    """The « Parcours » tab's data (breaches only for the referent and the supervisor)."""
    view = path.path_view(session, person_id, now)
    pending = path.pending_request(session, person_id)
    breaches = None
    corrections: dict[uuid.UUID, list[tuple[Breach, str, datetime]]] = {}
    if actor is not None and actor.role in path.BREACH_ROLES:
        breaches = path.breaches_of(session, actor, person_id)
        for breach_id, chain in path.breach_history(session, actor, person_id).items():
            successor = next(b for b in breaches if b.id == breach_id)
            entries = []
            for old in chain:
                author = session.get(Referent, successor.author_id) if successor.author_id else None
                entries.append((old, author.display_name if author else "", successor.created_at))
                successor = old
            corrections[breach_id] = entries
    deciders: dict[uuid.UUID, str] = {}
    for decision in view.decisions:
        name = decision.decided_by_name or ""
        if not name and decision.decided_by_id is not None:
            referent = session.get(Referent, decision.decided_by_id)
            name = referent.display_name if referent is not None else ""
        if name:
            deciders[decision.id] = name
    session.expunge_all()
    return PathSnapshot(view, pending, breaches, corrections, deciders)


@query
def _referent_name(session: Session, referent_id: uuid.UUID) -> str:
    return get_live(session, Referent, referent_id).display_name


def user_display_name(store: Store, actor: Actor) -> str | None:
    """« Prénom Nom » of the device's user, from the referent row the server sent."""
    name = store.get_state("user_name") or store.get_state("user_display_name")
    if name:
        return name
    if actor.referent_id is not None:
        try:
            return _referent_name(store, actor.referent_id)
        except SpieError:
            pass
    return store.get_state("username")


# -- handover (requests decided by the server) ----------------------------------------------


@query
def handover_targets(
    session: Session, actor: Actor, person_ids: Sequence[uuid.UUID] = ()
) -> list[handover.TargetLoad]:
    """Active referents who may receive these persons, with their caseload sizes."""
    return handover.handover_targets(session, actor, person_ids)


@query
def persons_followed_by(session: Session, referent_id: uuid.UUID) -> list[uuid.UUID]:
    """Every live person a referent follows (a referent leaving)."""
    return handover.persons_followed_by(session, referent_id)


@query
def plan_handover_split(
    session: Session, person_ids: Sequence[uuid.UUID], target_ids: Sequence[uuid.UUID]
) -> list[handover.PlannedHandover]:
    """Persons shared among referents by caseload size (a preview the user edits)."""
    return handover.plan_split(session, person_ids, target_ids)


@query
def handover_requests(session: Session) -> list[handover.HandoverRequestView]:
    """Handovers asked on this device and the server's decisions, newest first."""
    return handover.handover_requests(session)


@query
def persons_without_referent(session: Session) -> list[handover.UnassignedPerson]:
    """Persons no active referent follows (imported, or their referent's account closed)."""
    return handover.persons_without_referent(session)
