"""Double booking against the referent's whole agenda in the store (issue 12), and who asked
for a move kept on the appointment itself (synced), not only in the audit trail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from spie_desktop.domain.models import Appointment
from spie_desktop.errors import ValidationError
from spie_desktop.services.appointments import (
    move_appointment,
    schedule_appointment,
    slot_clashes,
)
from spie_desktop.services.persons import create_person
from spie_desktop.services.timeline import AppointmentFact, timeline
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store
from tests.conftest import add_referent

MONDAY = datetime(2027, 1, 11, tzinfo=UTC)  # the day's bounds below are UTC midnights


def person(store: Store, actor: Actor, last: str, referent: uuid.UUID | None = None) -> uuid.UUID:
    with store.write() as session:
        values = {"last_name": last, "first_name": "Test", "follow_up_status": "a_contacter"}
        created = create_person(session, actor, values)
        if referent is not None:
            created.referent_id = referent
        return created.id


def synced_appointment(
    store: Store, person_id: uuid.UUID, referent: uuid.UUID, starts_at: datetime, minutes: int
) -> uuid.UUID:
    """An appointment as a pull brings it: recorded on another device, not by this user."""
    appointment_id = uuid.uuid4()
    with store.apply_remote() as session:
        session.add(
            Appointment(
                id=appointment_id,
                person_id=person_id,
                referent_id=referent,
                starts_at=starts_at,
                duration_minutes=minutes,
                mode="bureau",
                purpose="suivi",
                status="planned",
            )
        )
    return appointment_id


def clashes(store: Store, **kwargs: object):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return slot_clashes(session, **kwargs)  # type: ignore[arg-type]


def test_an_appointment_synced_from_another_device_across_midnight_clashes(
    store: Store, actor: Actor
) -> None:
    marc = person(store, actor, "Dupont")
    zoe = person(store, actor, "Abadie")
    # 23:30 → 00:30, recorded on the referent's other laptop and pulled here.
    late = synced_appointment(store, marc, actor.referent_id, MONDAY - timedelta(minutes=30), 60)
    found = clashes(
        store,
        referent_id=actor.referent_id,
        person_id=zoe,
        starts_at=MONDAY + timedelta(minutes=15),
        duration_minutes=30,
        day_start=MONDAY,
    )
    assert [item.appointment_id for item in found.referent] == [late]
    assert found.referent[0].person_name == "DUPONT Test"
    # Ending exactly when the other starts is no clash (half-open slots).
    assert not clashes(
        store,
        referent_id=actor.referent_id,
        person_id=zoe,
        starts_at=MONDAY - timedelta(minutes=60),
        duration_minutes=30,
        day_start=MONDAY - timedelta(days=1),
        day_end=MONDAY,
    )


def test_a_move_checks_the_appointments_own_referent_and_a_local_user_the_persons(
    store: Store, actor: Actor
) -> None:
    colleague = add_referent(store, username="lea.martin", first_name="Léa", last_name="Martin")
    theirs = person(store, actor, "Martin", referent=colleague)
    other = person(store, actor, "Bernard", referent=colleague)
    busy = synced_appointment(store, other, colleague, MONDAY + timedelta(hours=9), 60)
    moved = synced_appointment(store, theirs, colleague, MONDAY + timedelta(hours=14), 45)
    # Moving the colleague's appointment onto 09:30: her agenda, not the device user's.
    found = clashes(
        store,
        referent_id=actor.referent_id,
        person_id=theirs,
        starts_at=MONDAY + timedelta(hours=9, minutes=30),
        duration_minutes=45,
        day_start=MONDAY,
        exclude_id=moved,
    )
    assert [item.appointment_id for item in found.referent] == [busy]
    # A user without a referent id (local mode): the person's referent's agenda.
    found = clashes(
        store,
        referent_id=None,
        person_id=theirs,
        starts_at=MONDAY + timedelta(hours=9, minutes=30),
        duration_minutes=45,
        day_start=MONDAY,
    )
    assert [item.appointment_id for item in found.referent] == [busy]
    # The device user's own agenda is empty at that hour: nothing for her own new slot.
    mine = person(store, actor, "Petit")
    assert not clashes(
        store,
        referent_id=actor.referent_id,
        person_id=mine,
        starts_at=MONDAY + timedelta(hours=9, minutes=30),
        duration_minutes=45,
        day_start=MONDAY,
    )


def test_a_25_hour_day_counts_its_last_hour(store: Store, actor: Actor) -> None:
    """Europe/Paris, 31 Oct 2027 (back to winter time): local midnight to midnight is 25 h.
    A same-day appointment at 23:30 local is inside the day (a 24-hour window misses it)."""
    zoe = person(store, actor, "Abadie")
    day_start = datetime(2027, 10, 30, 22, 0, tzinfo=UTC)  # 00:00 CEST
    day_end = datetime(2027, 10, 31, 23, 0, tzinfo=UTC)  # 00:00 CET, 25 hours later
    late = synced_appointment(
        store, zoe, actor.referent_id, datetime(2027, 10, 31, 22, 30, tzinfo=UTC), 30
    )
    found = clashes(
        store,
        referent_id=actor.referent_id,
        person_id=zoe,
        starts_at=datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
        duration_minutes=45,
        day_start=day_start,
        day_end=day_end,
    )
    assert [item.appointment_id for item in found.same_person_day] == [late]
    assert not clashes(  # the old 24-hour window
        store,
        referent_id=actor.referent_id,
        person_id=zoe,
        starts_at=datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
        duration_minutes=45,
        day_start=day_start,
    ).same_person_day


def test_who_asked_for_a_move_is_on_the_appointment_synced_and_in_the_journal(
    store: Store, actor: Actor
) -> None:
    eloise = person(store, actor, "Lefèvre")
    with store.write() as session:
        planned = schedule_appointment(
            session, actor, eloise, starts_at=MONDAY + timedelta(days=30), mode="bureau",
            purpose="suivi",
        )  # fmt: skip
        appointment_id = planned.id
    # Hostile: an unknown requester is refused in French, nothing changes.
    with pytest.raises(ValidationError) as refused, store.write() as session:
        move_appointment(
            session, actor, appointment_id, starts_at=MONDAY + timedelta(days=31),
            requested_by="le voisin",
        )  # fmt: skip
    assert "partenaire" in refused.value.message
    with store.read() as session:
        unchanged = session.get(Appointment, appointment_id)
        assert unchanged is not None
        assert unchanged.requested_by is None
        assert unchanged.starts_at == MONDAY + timedelta(days=30)
    with store.write() as session:
        move_appointment(
            session, actor, appointment_id, starts_at=MONDAY + timedelta(days=31),
            requested_by="partner",
        )  # fmt: skip
    with store.read() as session:
        moved = session.get(Appointment, appointment_id)
        assert moved is not None and moved.requested_by == "partner"
        outbox = session.execute(
            select(OutboxEntry.fields).where(OutboxEntry.row_id == appointment_id)
        ).scalars()
        assert any(fields.get("requested_by") == "partner" for fields in outbox)
        entry = next(e for e in timeline(session, eloise) if e.row_id == appointment_id)
        assert isinstance(entry.fact, AppointmentFact)
        assert entry.fact.requested_by == "partner"
