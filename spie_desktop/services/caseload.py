"""The caseload: who is followed, with what alerts, filtered and sorted.

Reads the ``person_summary`` table kept current by the store, so that the list of a
supervisor's 10,000 people answers in a few milliseconds. The UI holds the ordered ids
(``caseload_ids``) and fetches rows lazily by page (``caseload_rows``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from spie_desktop.domain.deadlines import (
    PATH_ALERTS,
    PathAlert,
    PathFacts,
    alert_due_on,
    alert_horizon,
    paris_day,
    path_alerts,
    path_settings,
)
from spie_desktop.domain.enums import OPEN_BARRIER_STATUSES, AppointmentStatus, FollowUpStatus
from spie_desktop.domain.models import Appointment, Barrier, Person, Referent
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.store.local_models import PersonSummary
from spie_desktop.store.summary import fold

ALERT_NO_CONTACT_DAYS = 45

SORT_COLUMNS = {
    "name": (PersonSummary.sort_name,),
    "next_appointment": (PersonSummary.next_appointment_at,),
    "last_contact": (PersonSummary.last_contact_at,),
    "open_barriers": (PersonSummary.open_barrier_count,),
    "overdue": (PersonSummary.next_action_due,),
    "status": (Person.follow_up_status,),
    "referent": (Referent.last_name, Referent.first_name),
}
# Sorts where NULL is the most urgent: SQLite's own order (NULL smallest) puts « jamais »
# first when ascending (oldest contact first) and last when descending.
NULLS_FIRST_ASCENDING = frozenset({"last_contact"})


class Alert:
    NO_CONTACT = "no_contact"
    MISSED_NOT_RESCHEDULED = "missed_not_rescheduled"
    ACTION_OVERDUE = "action_overdue"
    OUTCOME_PENDING = "outcome_pending"


ALERT_LABELS = {
    Alert.NO_CONTACT: "Sans contact depuis {days} jours",
    Alert.MISSED_NOT_RESCHEDULED: "Rendez-vous manqué non replanifié",
    Alert.ACTION_OVERDUE: "Action échue",
    Alert.OUTCOME_PENDING: "Compte rendu de rendez-vous à saisir",
}


@dataclass(frozen=True)
class CaseloadFilter:
    search: str = ""
    follow_up_statuses: tuple[str, ...] = ()
    orientations: tuple[str, ...] = ()
    referent_id: uuid.UUID | None = None
    not_seen_for_days: int | None = None
    next_appointment_within_days: int | None = None
    barrier_theme: str | None = None
    overdue_actions: bool = False
    missed_not_rescheduled: bool = False
    alerts_only: bool = False
    include_exited: bool = True
    # The accompaniment path: one of deadlines.PATH_ALERTS (orientation due, contract to
    # sign, social-track review, contract ending, legacy contract, below the floor).
    path_alert: str | None = None
    # A past appointment still « planned »: its report is to be written.
    outcome_pending: bool = False
    # A path deadline (orientation, contract to sign, track review) already passed.
    deadline_missed: bool = False
    # Only the persons without a referent (``referent_id`` is then ignored).
    without_referent: bool = False


@dataclass(frozen=True)
class CaseloadRow:
    person_id: uuid.UUID
    last_name: str
    first_name: str
    birth_date: date | None
    city: str | None
    follow_up_status: str
    orientation: str | None
    referent_id: uuid.UUID | None
    referent_name: str | None
    next_appointment_at: datetime | None
    last_contact_at: datetime | None
    open_barrier_count: int
    open_barrier_themes: tuple[str, ...]
    open_action_count: int
    next_action_due: date | None
    alerts: tuple[str, ...] = field(default_factory=tuple)
    # When the person's file was created: what "no contact" counts from for someone
    # never met (as in the no-contact filter).
    followed_since: datetime | None = None
    # The path's deadlines (PersonSummary), for the alert texts.
    path: PathFacts = field(default_factory=PathFacts)


def _no_contact_condition(now: datetime, days: int):  # type: ignore[no-untyped-def]
    limit = now - timedelta(days=days)
    return or_(
        PersonSummary.last_contact_at < limit,
        and_(PersonSummary.last_contact_at.is_(None), Person.created_at < limit),
    )


def _path_condition(alert: str, now: datetime):  # type: ignore[no-untyped-def]
    """SQL twin of deadlines.path_alerts for one alert (Paris calendar day)."""
    settings = path_settings()
    horizon = alert_horizon(settings, alert, paris_day(now))
    dated = {
        PathAlert.ORIENTATION_DUE: PersonSummary.orientation_due_on,
        PathAlert.CONTRACT_TO_SIGN: PersonSummary.contract_due_on,
        PathAlert.TRACK_REVIEW_DUE: PersonSummary.track_review_due_on,
        PathAlert.CONTRACT_ENDING: PersonSummary.contract_ends_on,
    }
    if alert in dated:
        return dated[alert] <= horizon
    if alert == PathAlert.LEGACY_TO_CONVERT:
        return PersonSummary.legacy_contract.is_(True)
    if alert == PathAlert.BELOW_FLOOR:
        return PersonSummary.below_floor.is_(True)
    raise ValueError(f"unknown path alert {alert!r}")


def _alert_condition(now: datetime):  # type: ignore[no-untyped-def]
    return and_(
        Person.follow_up_status != FollowUpStatus.EXITED.value,
        or_(
            _no_contact_condition(now, ALERT_NO_CONTACT_DAYS),
            PersonSummary.missed_not_rescheduled.is_(True),
            PersonSummary.next_action_due < now.date(),
            PersonSummary.outcome_pending_count > 0,
            *(_path_condition(alert, now) for alert in PATH_ALERTS),
        ),
    )


def _deadline_missed_condition(now: datetime):  # type: ignore[no-untyped-def]
    """A dated path deadline (orientation, contract to sign, track review) before today."""
    today = paris_day(now)
    return or_(
        PersonSummary.orientation_due_on < today,
        PersonSummary.contract_due_on < today,
        PersonSummary.track_review_due_on < today,
    )


def filter_conditions(flt: CaseloadFilter, now: datetime) -> list[Any]:
    """The WHERE clauses of ``flt`` on Person ⋈ PersonSummary: what a list shows and what
    the dashboards count (:mod:`spie_desktop.services.team`) are the same clauses."""
    conditions: list[Any] = [Person.deleted_at.is_(None)]
    if flt.search.strip():
        for term in fold(flt.search).split():
            conditions.append(PersonSummary.search_key.contains(term, autoescape=True))
    if flt.follow_up_statuses:
        conditions.append(Person.follow_up_status.in_(flt.follow_up_statuses))
    elif not flt.include_exited:
        conditions.append(Person.follow_up_status != FollowUpStatus.EXITED.value)
    if flt.orientations:
        conditions.append(Person.orientation.in_(flt.orientations))
    if flt.without_referent:
        conditions.append(Person.referent_id.is_(None))
    elif flt.referent_id is not None:
        conditions.append(Person.referent_id == flt.referent_id)
    if flt.not_seen_for_days is not None:
        conditions.append(_no_contact_condition(now, flt.not_seen_for_days))
    if flt.next_appointment_within_days is not None:
        conditions.append(PersonSummary.next_appointment_at >= now)
        conditions.append(
            PersonSummary.next_appointment_at
            < now + timedelta(days=flt.next_appointment_within_days)
        )
    if flt.barrier_theme:
        # IN (subquery), not a correlated EXISTS: SQLite reads the theme's open barriers
        # once through ix_barrier_theme_status instead of probing barriers for every
        # person (5 ms instead of 18 ms on 10,000 persons, bench/store.py).
        conditions.append(
            Person.id.in_(
                select(Barrier.person_id).where(
                    Barrier.theme == flt.barrier_theme,
                    Barrier.status.in_([status.value for status in OPEN_BARRIER_STATUSES]),
                    Barrier.deleted_at.is_(None),
                )
            )
        )
    if flt.overdue_actions:
        conditions.append(PersonSummary.next_action_due < now.date())
    if flt.missed_not_rescheduled:
        conditions.append(PersonSummary.missed_not_rescheduled.is_(True))
    if flt.outcome_pending:
        # From the appointments themselves, not the summary's count: that one is computed
        # at each write and at unlock, and an appointment passed since is pending too.
        conditions.append(
            Person.id.in_(
                select(Appointment.person_id).where(
                    Appointment.status == AppointmentStatus.PLANNED.value,
                    Appointment.starts_at < now,
                    Appointment.deleted_at.is_(None),
                )
            )
        )
    if flt.deadline_missed:
        conditions.append(Person.follow_up_status != FollowUpStatus.EXITED.value)
        conditions.append(_deadline_missed_condition(now))
    if flt.alerts_only:
        conditions.append(_alert_condition(now))
    if flt.path_alert:
        conditions.append(Person.follow_up_status != FollowUpStatus.EXITED.value)
        conditions.append(_path_condition(flt.path_alert, now))
    return conditions


def _filtered(statement: Select[Any], flt: CaseloadFilter, now: datetime) -> Select[Any]:
    return statement.where(*filter_conditions(flt, now))


def caseload_keys(
    session: Session,
    flt: CaseloadFilter,
    now: datetime,
    *,
    sort: str = "name",
    descending: bool = False,
) -> list[str]:
    """Ids of the matching persons, in display order, in the store's 32-digit hex form.

    What a list of thousands keeps (the table model): making 10,000 ``uuid.UUID`` objects
    costs more than the query itself; rows are then fetched by page with real ids.
    """
    columns = SORT_COLUMNS.get(sort)
    if columns is None:
        raise ValueError(f"unknown sort column {sort!r}")
    order = []
    for column in columns:
        ordered = column.desc() if descending else column.asc()
        # NULLS LAST only where there can be NULLs: SQLite cannot walk an index for it.
        nulls_last = column.nullable and sort not in NULLS_FIRST_ASCENDING
        order.append(ordered.nulls_last() if nulls_last else ordered)
    # Ordered and tied on person_summary's columns: SQLite walks its sort index in order.
    raw_id = type_coerce(PersonSummary.person_id, String)
    statement = select(raw_id).join(Person, Person.id == PersonSummary.person_id)
    if sort == "referent":
        statement = statement.outerjoin(Referent, Referent.id == Person.referent_id)
    statement = _filtered(statement, flt, now).order_by(*order, PersonSummary.person_id)
    return list(session.execute(statement).scalars())


def caseload_ids(
    session: Session,
    flt: CaseloadFilter,
    now: datetime,
    *,
    sort: str = "name",
    descending: bool = False,
) -> list[uuid.UUID]:
    """Ids of the matching persons, in display order."""
    keys = caseload_keys(session, flt, now, sort=sort, descending=descending)
    return [uuid.UUID(hex=key) for key in keys]


def caseload_count(
    session: Session, flt: CaseloadFilter, now: datetime, *, outcome_pending: bool = False
) -> int:
    statement = (
        select(func.count())
        .select_from(Person)
        .join(PersonSummary, PersonSummary.person_id == Person.id)
    )
    if outcome_pending:
        flt = replace(flt, outcome_pending=True)
    return int(session.execute(_filtered(statement, flt, now)).scalar_one())


def caseload_rows(
    session: Session, person_ids: Sequence[uuid.UUID], now: datetime
) -> list[CaseloadRow]:
    """Display rows for the given ids, in the same order (missing ids are skipped)."""
    if not person_ids:
        return []
    statement = (
        select(Person, PersonSummary, Referent.first_name, Referent.last_name)
        .join(PersonSummary, PersonSummary.person_id == Person.id)
        .outerjoin(Referent, Referent.id == Person.referent_id)
        .where(Person.id.in_(list(person_ids)))
    )
    found: dict[uuid.UUID, CaseloadRow] = {}
    today = now.date()
    settings = path_settings()
    paris_today = paris_day(now)
    for person, summary, referent_first, referent_last in session.execute(statement):
        alerts: list[str] = []
        facts = PathFacts(
            orientation_due_on=summary.orientation_due_on,
            contract_due_on=summary.contract_due_on,
            track_review_due_on=summary.track_review_due_on,
            contract_ends_on=summary.contract_ends_on,
            legacy_contract=summary.legacy_contract,
            weekly_floor_minutes=summary.weekly_floor_minutes,
            planned_minutes_week=summary.planned_minutes_week,
            below_floor=summary.below_floor,
        )
        if person.follow_up_status != FollowUpStatus.EXITED.value:
            reference = summary.last_contact_at or person.created_at
            if reference < now - timedelta(days=ALERT_NO_CONTACT_DAYS):
                alerts.append(Alert.NO_CONTACT)
            if summary.missed_not_rescheduled:
                alerts.append(Alert.MISSED_NOT_RESCHEDULED)
            if summary.next_action_due is not None and summary.next_action_due < today:
                alerts.append(Alert.ACTION_OVERDUE)
            if summary.outcome_pending_count:
                alerts.append(Alert.OUTCOME_PENDING)
            alerts.extend(path_alerts(facts, settings, paris_today))
        found[person.id] = CaseloadRow(
            person_id=person.id,
            last_name=person.last_name,
            first_name=person.first_name,
            birth_date=person.birth_date,
            city=person.city,
            follow_up_status=person.follow_up_status,
            orientation=person.orientation,
            referent_id=person.referent_id,
            referent_name=f"{referent_first} {referent_last}" if referent_first else None,
            next_appointment_at=summary.next_appointment_at,
            last_contact_at=summary.last_contact_at,
            open_barrier_count=summary.open_barrier_count,
            open_barrier_themes=tuple(
                theme for theme in summary.open_barrier_themes.split(",") if theme
            ),
            open_action_count=summary.open_action_count,
            next_action_due=summary.next_action_due,
            alerts=tuple(alerts),
            followed_since=person.created_at,
            path=facts,
        )
    return [found[pid] for pid in person_ids if pid in found]


def alert_text(alert: str, row: CaseloadRow, now: datetime) -> str:
    if alert == Alert.NO_CONTACT:
        reference = row.last_contact_at or row.followed_since
        days = (now - reference).days if reference else ALERT_NO_CONTACT_DAYS
        return ALERT_LABELS[alert].format(days=days)
    if alert in PATH_ALERTS:
        return path_alert_text(alert, row.path, now)
    return ALERT_LABELS[alert]


def path_alert_text(alert: str, facts: PathFacts, now: datetime) -> str:
    """« Contrat d'engagement à signer : 03/03/2026 (dépassé de 4 j) »."""
    label = get_referentials().label("path_alert", alert)
    if alert == PathAlert.BELOW_FLOOR:
        planned, floor = facts.planned_minutes_week, facts.weekly_floor_minutes or 0
        return f"{label} ({_hours(planned)} prévues sur {_hours(floor)})"
    due = alert_due_on(facts, alert, path_settings())
    if due is None:
        return label
    left = (due - paris_day(now)).days
    if left < 0:
        return f"{label} : {due:%d/%m/%Y} (dépassé de {-left} j)"
    return f"{label} : {due:%d/%m/%Y}"


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def path_alert_counts(
    session: Session, now: datetime, referent_id: uuid.UUID | None = None
) -> dict[str, int]:
    """How many followed persons show each path alert (the « Ma journée » figures)."""
    statement = (
        select(*(func.count().filter(_path_condition(alert, now)) for alert in PATH_ALERTS))
        .select_from(Person)
        .join(PersonSummary, PersonSummary.person_id == Person.id)
        .where(
            Person.deleted_at.is_(None),
            Person.follow_up_status != FollowUpStatus.EXITED.value,
        )
    )
    if referent_id is not None:
        statement = statement.where(Person.referent_id == referent_id)
    row = session.execute(statement).one()
    return {alert: int(value) for alert, value in zip(PATH_ALERTS, row, strict=True)}


@dataclass(frozen=True)
class DashboardCounts:
    followed: int
    to_contact: int
    without_contact: int
    missed_not_rescheduled: int
    overdue_actions: int
    outcome_pending: int
    appointments_next_7_days: int


class Card:
    """The home screen's figures; each one opens exactly the list it counts."""

    FOLLOWED = "followed"
    TO_CONTACT = "to_contact"
    WITHOUT_CONTACT = "without_contact"
    MISSED = "missed"
    OVERDUE = "overdue"
    WEEK = "week"


CARDS = (Card.FOLLOWED, Card.TO_CONTACT, Card.WITHOUT_CONTACT, Card.MISSED, Card.OVERDUE, Card.WEEK)


def card_filter(card: str) -> CaseloadFilter:
    """The list a dashboard card opens (and counts): one criterion, every other one cleared."""
    filters = {
        Card.FOLLOWED: CaseloadFilter(include_exited=False),
        Card.TO_CONTACT: CaseloadFilter(follow_up_statuses=(FollowUpStatus.TO_CONTACT.value,)),
        Card.WITHOUT_CONTACT: CaseloadFilter(
            not_seen_for_days=ALERT_NO_CONTACT_DAYS, include_exited=False
        ),
        Card.MISSED: CaseloadFilter(missed_not_rescheduled=True, include_exited=False),
        Card.OVERDUE: CaseloadFilter(overdue_actions=True, include_exited=False),
        Card.WEEK: CaseloadFilter(next_appointment_within_days=7, include_exited=False),
    }
    return filters[card]


def dashboard_counts(
    session: Session, now: datetime, referent_id: uuid.UUID | None = None
) -> DashboardCounts:
    """The figures of the home screen: each the size of the list its card opens.

    Counted by :func:`caseload_count` on :func:`card_filter`, so a figure and its list
    cannot disagree (issue 12: « RDV manqués (5) » used to open 44 people).
    """
    counts = {
        card: caseload_count(session, replace(card_filter(card), referent_id=referent_id), now)
        for card in CARDS
    }
    pending = CaseloadFilter(include_exited=False, referent_id=referent_id)
    outcome_pending = caseload_count(session, pending, now, outcome_pending=True)
    return DashboardCounts(
        followed=counts[Card.FOLLOWED],
        to_contact=counts[Card.TO_CONTACT],
        without_contact=counts[Card.WITHOUT_CONTACT],
        missed_not_rescheduled=counts[Card.MISSED],
        overdue_actions=counts[Card.OVERDUE],
        outcome_pending=outcome_pending,
        appointments_next_7_days=counts[Card.WEEK],
    )
