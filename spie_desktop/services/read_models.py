"""Read models: plain snapshots of a person's file, built inside a transaction.

ORM rows expire when their session ends, so everything a screen or a command shows is
copied into frozen dataclasses inside the transaction (no lazy load ever leaves the core).
The queries of :mod:`spie_desktop.services.queries` return these.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from spie_desktop.domain.enums import AppointmentStatus
from spie_desktop.domain.models import Appointment, Person, person_name
from spie_desktop.services.appointments import next_appointment
from spie_desktop.services.barriers import action_label, actions_of, barriers_of
from spie_desktop.services.common import get_live, live_person
from spie_desktop.services.persons import PERSON_FIELDS, open_person
from spie_desktop.services.timeline import EntryKind, TimelineEntry, timeline
from spie_desktop.store.store import Actor


@dataclass(frozen=True)
class AppointmentInfo:
    id: uuid.UUID
    person_id: uuid.UUID
    starts_at: datetime
    duration_minutes: int
    mode: str
    purpose: str
    place: str | None
    status: str
    summary: str | None = None
    next_steps: str | None = None
    requested_by: str | None = None  # who asked for the last move (appointments.REQUESTERS)


@dataclass(frozen=True)
class BarrierInfo:
    id: uuid.UUID
    theme: str
    situations: tuple[str, ...]
    target_code: str | None
    target_text: str | None
    status: str
    severity: int | None
    identified_on: date
    closed_on: date | None
    comment: str | None


@dataclass(frozen=True)
class ActionInfo:
    id: uuid.UUID
    barrier_id: uuid.UUID | None
    theme: str | None
    label: str
    action_code: str | None
    partner: str | None
    status: str
    start_date: date | None
    due_date: date | None
    end_date: date | None
    outcome: str | None
    partner_service_id: str | None = None


@dataclass(frozen=True)
class PersonFile:
    person_id: uuid.UUID
    values: dict[str, Any]
    referent_id: uuid.UUID | None
    next_appointment: AppointmentInfo | None
    pending_outcomes: tuple[AppointmentInfo, ...]
    appointments: tuple[AppointmentInfo, ...]
    timeline: tuple[TimelineEntry, ...]
    barriers: tuple[BarrierInfo, ...]
    actions: tuple[ActionInfo, ...]
    loaded_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return person_name(str(self.values["last_name"]), str(self.values["first_name"]))


def appointment_info(appointment: Appointment) -> AppointmentInfo:
    return AppointmentInfo(
        id=appointment.id,
        person_id=appointment.person_id,
        starts_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        mode=appointment.mode,
        purpose=appointment.purpose,
        place=appointment.place,
        status=appointment.status,
        summary=appointment.summary,
        next_steps=appointment.next_steps,
        requested_by=appointment.requested_by,
    )


def person_values(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def load_appointment(session: Session, appointment_id: uuid.UUID) -> AppointmentInfo:
    return appointment_info(get_live(session, Appointment, appointment_id))


def load_person_file(
    session: Session, person_id: uuid.UUID, now: datetime, *, actor: Actor | None = None
) -> PersonFile:
    """Everything the person screen shows. With ``actor``, the opening is audited."""
    person = open_person(session, actor, person_id) if actor else live_person(session, person_id)
    values = person_values(person)
    referent_id = person.referent_id
    upcoming = next_appointment(session, person_id, now)
    entries = tuple(timeline(session, person_id))
    appointments: list[AppointmentInfo] = []
    for entry in entries:
        if entry.kind == EntryKind.APPOINTMENT:
            appointments.append(load_appointment(session, entry.row_id))
    pending = tuple(
        info
        for info in appointments
        if info.status == AppointmentStatus.PLANNED.value and info.starts_at < now
    )
    barriers = tuple(
        BarrierInfo(
            id=barrier.id,
            theme=barrier.theme,
            situations=tuple(barrier.situations or ()),
            target_code=barrier.target_code,
            target_text=barrier.target_text,
            status=barrier.status,
            severity=barrier.severity,
            identified_on=barrier.identified_on,
            closed_on=barrier.closed_on,
            comment=barrier.comment,
        )
        for barrier in barriers_of(session, person_id)
    )
    actions = tuple(
        ActionInfo(
            id=action.id,
            barrier_id=action.barrier_id,
            theme=action.theme,
            label=action_label(action),
            action_code=action.action_code,
            partner=action.partner,
            status=action.status,
            start_date=action.start_date,
            due_date=action.due_date,
            end_date=action.end_date,
            outcome=action.outcome,
            partner_service_id=action.partner_service_id,
        )
        for action in actions_of(session, person_id)
    )
    return PersonFile(
        person_id=person_id,
        values=values,
        referent_id=referent_id,
        next_appointment=appointment_info(upcoming) if upcoming else None,
        pending_outcomes=pending,
        appointments=tuple(appointments),
        timeline=entries,
        barriers=barriers,
        actions=actions,
        loaded_at=now,
    )
