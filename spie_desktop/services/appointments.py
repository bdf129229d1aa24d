"""Appointments with rdv-insertion's lifecycle.

planned → seen | excused | revoked | noshow; an outcome can be corrected to another
outcome; nothing returns to planned (a new appointment is planned instead); a
future appointment cannot be marked seen or no-show.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from spie_desktop.domain.enums import AppointmentStatus, AuditAction
from spie_desktop.domain.models import Appointment, Person, person_name
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import TransitionError, ValidationError
from spie_desktop.services.common import (
    audit,
    clean_text,
    get_live,
    live_person,
    require_aware,
    require_code,
    require_writer,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor

OUTCOMES_NEEDING_PAST = frozenset({AppointmentStatus.SEEN.value, AppointmentStatus.NOSHOW.value})
MAX_DURATION = 480
#: who asked for a move: recorded with it (a cancellation says it by its status).
REQUESTERS = {
    "person": "à la demande de la personne",
    "service": "à l'initiative du service",
    "partner": "à la demande d'un partenaire",
}


def check_transition(current: str, target: str, starts_at: datetime, now: datetime) -> None:
    """Raise TransitionError (French) unless ``current → target`` is allowed at ``now``."""
    require_code("appointment_status", target, field="status")
    if current == target:
        raise TransitionError("Le rendez-vous a déjà ce statut.", field="status")
    if not get_referentials().can_transition(current, target):
        raise TransitionError(
            "Un rendez-vous passé ne revient pas « à venir » : planifiez-en un nouveau.",
            field="status",
        )
    if target in OUTCOMES_NEEDING_PAST and starts_at > now:
        raise TransitionError(
            "Un rendez-vous à venir ne peut pas être marqué honoré ni absent.", field="status"
        )


def _check_slot(starts_at: datetime, duration_minutes: int) -> datetime:
    starts_at = require_aware(starts_at, field="starts_at")
    if not 0 < duration_minutes <= MAX_DURATION:
        raise ValidationError(
            "Durée invalide (de 1 à 480 minutes).", field="duration_minutes", code="duration"
        )
    return starts_at


def schedule_appointment(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    starts_at: datetime,
    mode: str,
    purpose: str,
    duration_minutes: int = 45,
    place: str | None = None,
    referent_id: uuid.UUID | None = None,
) -> Appointment:
    require_writer(actor)
    person = live_person(session, person_id)
    starts_at = _check_slot(starts_at, duration_minutes)
    require_code("appointment_mode", mode, field="mode")
    require_code("appointment_purpose", purpose, field="purpose")
    appointment = Appointment(
        person_id=person.id,
        referent_id=referent_id or actor.referent_id or person.referent_id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        purpose=purpose,
        place=clean_text(place, field="place", max_length=255),
        status=AppointmentStatus.PLANNED.value,
    )
    session.add(appointment)
    audit(session, actor, AuditAction.CHANGE, person.id, "rendez-vous planifié")
    return appointment


def move_appointment(
    session: Session,
    actor: Actor,
    appointment_id: uuid.UUID,
    *,
    starts_at: datetime,
    duration_minutes: int | None = None,
    mode: str | None = None,
    place: str | None = None,
    requested_by: str | None = None,
) -> Appointment:
    """Move a planned appointment to another slot (or change its mode or place).

    ``requested_by`` says who asked for the move (:data:`REQUESTERS`: the person or the
    service, as rdv-insertion's excused / revoked tell a cancellation apart); it is kept in
    the audit trail of the person's file.
    """
    require_writer(actor)
    if requested_by is not None and requested_by not in REQUESTERS:
        raise ValidationError(
            "Indiquez qui a demandé le déplacement : la personne, le service ou un partenaire.",
            field="requested_by",
            code="requested_by",
        )
    appointment = get_live(session, Appointment, appointment_id)
    if appointment.status != AppointmentStatus.PLANNED.value:
        raise TransitionError("Seul un rendez-vous à venir peut être déplacé.", field="starts_at")
    duration = duration_minutes or appointment.duration_minutes
    appointment.starts_at = _check_slot(starts_at, duration)
    appointment.duration_minutes = duration
    if mode is not None:
        require_code("appointment_mode", mode, field="mode")
        appointment.mode = mode
    if place is not None:
        appointment.place = clean_text(place, field="place", max_length=255)
    detail = "rendez-vous déplacé"
    if requested_by is not None:
        appointment.requested_by = requested_by
        detail = f"{detail} ({REQUESTERS[requested_by]})"
    audit(session, actor, AuditAction.CHANGE, appointment.person_id, detail)
    return appointment


def set_status(
    session: Session,
    actor: Actor,
    appointment_id: uuid.UUID,
    status: str,
    *,
    summary: str | None = None,
    next_steps: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Record an outcome (seen, no-show) or a cancellation (excused, revoked)."""
    require_writer(actor)
    now = now or utcnow()
    appointment = get_live(session, Appointment, appointment_id)
    check_transition(appointment.status, status, appointment.starts_at, now)
    appointment.status = status
    appointment.outcome_recorded_at = now
    if summary is not None:
        appointment.summary = clean_text(summary, field="summary", max_length=20_000)
    if next_steps is not None:
        appointment.next_steps = clean_text(next_steps, field="next_steps", max_length=20_000)
    audit(session, actor, AuditAction.CHANGE, appointment.person_id, f"rendez-vous : {status}")
    return appointment


def record_outcome(
    session: Session,
    actor: Actor,
    appointment_id: uuid.UUID,
    status: str,
    *,
    summary: str | None = None,
    next_steps: str | None = None,
    plan_next_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[Appointment, Appointment | None]:
    """Record the outcome and, in the same transaction, plan the next appointment."""
    appointment = set_status(
        session, actor, appointment_id, status, summary=summary, next_steps=next_steps, now=now
    )
    following = None
    if plan_next_at is not None:
        following = schedule_appointment(
            session,
            actor,
            appointment.person_id,
            starts_at=plan_next_at,
            mode=appointment.mode,
            purpose="suivi",
            duration_minutes=appointment.duration_minutes,
            place=appointment.place,
        )
    return appointment, following


@dataclass(frozen=True)
class AgendaItem:
    appointment_id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    starts_at: datetime
    duration_minutes: int
    mode: str
    place: str | None
    purpose: str
    status: str
    referent_id: uuid.UUID | None = None
    #: who asked for the last move (a REQUESTERS code), None if it was never moved
    requested_by: str | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def report_due(self, now: datetime) -> bool:
        """Still « à venir » once started: its report (« compte rendu ») is to be written."""
        return self.status == AppointmentStatus.PLANNED.value and self.starts_at <= now


def _items(session: Session, statement: Select[Appointment, str, str]) -> list[AgendaItem]:
    return [
        AgendaItem(
            appointment_id=appointment.id,
            person_id=appointment.person_id,
            person_name=person_name(last_name, first_name),
            starts_at=appointment.starts_at,
            duration_minutes=appointment.duration_minutes,
            mode=appointment.mode,
            place=appointment.place,
            purpose=appointment.purpose,
            status=appointment.status,
            referent_id=appointment.referent_id,
            requested_by=appointment.requested_by,
        )
        for appointment, last_name, first_name in session.execute(statement)
    ]


def _live_appointments() -> Select[Appointment, str, str]:
    return (
        select(Appointment, Person.last_name, Person.first_name)
        .join(Person, Person.id == Appointment.person_id)
        .where(Appointment.deleted_at.is_(None), Person.deleted_at.is_(None))
    )


def agenda(
    session: Session,
    referent_id: uuid.UUID | None,
    start: datetime,
    days: int = 7,
) -> list[AgendaItem]:
    """A referent's appointments from ``start`` for ``days`` days (all referents if None)."""
    end = start + timedelta(days=days)
    statement = (
        _live_appointments()
        .where(Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at)
    )
    if referent_id is not None:
        statement = statement.where(Appointment.referent_id == referent_id)
    return _items(session, statement)


def reports_to_write(
    session: Session, referent_id: uuid.UUID | None, now: datetime, *, limit: int = 500
) -> list[AgendaItem]:
    """« Compte rendu à saisir »: appointments already started and still « à venir »,
    oldest first (a referent's, or everyone's if ``referent_id`` is None)."""
    statement = (
        _live_appointments()
        .where(
            Appointment.status == AppointmentStatus.PLANNED.value,
            Appointment.starts_at <= now,
        )
        .order_by(Appointment.starts_at)
        .limit(limit)
    )
    if referent_id is not None:
        statement = statement.where(Appointment.referent_id == referent_id)
    return _items(session, statement)


@dataclass(frozen=True)
class SlotClash:
    """Planned appointments a new slot runs into: the referent's overlapping ones, and the
    person's other appointments on the same day (local calendar day of ``day_start``)."""

    referent: tuple[AgendaItem, ...]
    same_person_day: tuple[AgendaItem, ...]

    def __bool__(self) -> bool:
        return bool(self.referent or self.same_person_day)


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
) -> SlotClash:
    """What a planned slot ``[starts_at, starts_at + duration)`` would double-book.

    The referent's whole agenda in the store counts, whoever recorded it on whichever device
    (synced appointments included): the agenda is the one the slot goes in — the moved
    appointment's referent (``exclude_id``), else ``referent_id`` (the user's), else the
    person's referent, as :func:`schedule_appointment` decides. Only planned appointments
    count (a cancelled one frees its slot). ``day_start`` and ``day_end`` are the local
    midnights around the slot's day, given by the caller (the core keeps no time zone; a DST
    day lasts 23 or 25 hours); ``day_end`` defaults to 24 hours later.
    """
    starts_at = require_aware(starts_at, field="starts_at")
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    day_end = day_end or day_start + timedelta(days=1)
    moved = session.get(Appointment, exclude_id) if exclude_id is not None else None
    if moved is not None and moved.referent_id is not None:
        referent_id = moved.referent_id
    elif referent_id is None:
        referent_id = live_person(session, person_id).referent_id
    window_start = min(day_start, starts_at - timedelta(minutes=MAX_DURATION))
    window_end = max(day_end, ends_at)
    statement = (
        _live_appointments()
        .where(
            Appointment.status == AppointmentStatus.PLANNED.value,
            Appointment.starts_at >= window_start,
            Appointment.starts_at < window_end,
        )
        .order_by(Appointment.starts_at)
    )
    if exclude_id is not None:
        statement = statement.where(Appointment.id != exclude_id)
    candidates = _items(session, statement)
    overlapping = tuple(
        item
        for item in candidates
        if referent_id is not None
        and item.referent_id == referent_id
        and item.starts_at < ends_at
        and starts_at < item.ends_at
    )
    same_day = tuple(
        item
        for item in candidates
        if item.person_id == person_id
        and day_start <= item.starts_at < day_end
        and item not in overlapping
    )
    return SlotClash(overlapping, same_day)


def home_address(session: Session, person_id: uuid.UUID) -> str:
    """The person's address on one line (« 8 allée des Tilleuls, 58000 Nevers »), or ""."""
    person = live_person(session, person_id)
    street = ", ".join(line.strip() for line in (person.address or "").splitlines() if line.strip())
    town = " ".join(part for part in (person.postal_code, person.city) if part)
    return ", ".join(part for part in (street, town) if part)


def next_appointment(session: Session, person_id: uuid.UUID, now: datetime) -> Appointment | None:
    return session.execute(
        select(Appointment)
        .where(
            Appointment.person_id == person_id,
            Appointment.status == AppointmentStatus.PLANNED.value,
            Appointment.starts_at >= now,
            Appointment.deleted_at.is_(None),
        )
        .order_by(Appointment.starts_at)
        .limit(1)
    ).scalar_one_or_none()
