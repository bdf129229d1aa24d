"""Property tests of the appointment lifecycle, through the services, on a real store.

Random sequences of status changes, moves and clock readings: the service never leaves an
appointment in a state the rules forbid, a refused change leaves no trace (same row, no
outbox entry), and what is allowed is exactly what the referentials say.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from spie_desktop.domain.codec import row_to_dict
from spie_desktop.domain.enums import AppointmentStatus
from spie_desktop.domain.models import Appointment, Referent
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import TransitionError
from spie_desktop.services import appointments, persons
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.vault import KdfParams

STATUSES = [status.value for status in AppointmentStatus]
NEEDS_PAST = {AppointmentStatus.SEEN.value, AppointmentStatus.NOSHOW.value}
BASE = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


@dataclass
class World:
    store: Store
    actor: Actor
    person_id: uuid.UUID


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One store for all examples (each example works on its own new appointment)."""
    root = tmp_path_factory.mktemp("lifecycle")
    store = Store.create(
        root / "data",
        "phrase de passe de test",
        kdf=KdfParams.fast_for_tests(),
        keyring_backend=FileKeyring(root / "keyring.json"),
    )
    referent_id = uuid.uuid4()
    with store.apply_remote() as session:
        session.add(Referent(id=referent_id, username="lifecycle", first_name="A", last_name="B"))
    actor = Actor(referent_id, store.device_id)
    with store.write() as session:
        person_id = persons.create_person(
            session, actor, {"last_name": "Cycle", "first_name": "Vie"}
        ).id
    try:
        yield World(store, actor, person_id)
    finally:
        store.close()


def _row(store: Store, appointment_id: uuid.UUID) -> dict[str, Any]:
    with store.read() as session:
        row = session.get(Appointment, appointment_id)
        assert row is not None
        return row_to_dict(row)


def _outbox_head(store: Store) -> int:
    with store.read() as session:
        return int(
            session.execute(select(func.coalesce(func.max(OutboxEntry.seq), 0))).scalar_one()
        )


def _new_appointment(world: World, starts_at: datetime) -> uuid.UUID:
    with world.store.write() as session:
        return appointments.schedule_appointment(
            session,
            world.actor,
            world.person_id,
            starts_at=starts_at,
            mode="visio",
            purpose="suivi",
        ).id


def _check_invariants(row: dict[str, Any], ever_changed: bool) -> None:
    status = row["status"]
    assert status in STATUSES
    if ever_changed:
        assert status != AppointmentStatus.PLANNED.value, "never back to planned"
    if status in NEEDS_PAST:
        assert row["outcome_recorded_at"] is not None
        assert row["outcome_recorded_at"] >= row["starts_at"], "outcome before the start"


minutes = st.integers(min_value=-60 * 24 * 30, max_value=60 * 24 * 30)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("status"), st.sampled_from(STATUSES), minutes),
        st.tuples(st.just("move"), minutes, st.just("")),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start_offset=minutes, plan=steps)
def test_random_lifecycles_respect_the_rules(
    world: World, start_offset: int, plan: list[tuple[str, Any, Any]]
) -> None:
    referentials = get_referentials()
    store = world.store
    appointment_id = _new_appointment(world, BASE + timedelta(minutes=start_offset))
    ever_changed = False
    for kind, first, second in plan:
        before = _row(store, appointment_id)
        head = _outbox_head(store)
        if kind == "status":
            target, now = first, BASE + timedelta(minutes=second)
            starts_at = datetime.fromisoformat(before["starts_at"])
            expected = referentials.can_transition(before["status"], target) and not (
                target in NEEDS_PAST and starts_at > now
            )
            try:
                with store.write() as session:
                    appointments.set_status(session, world.actor, appointment_id, target, now=now)
            except TransitionError:
                accepted = False
            else:
                accepted = True
            assert accepted == expected, (before["status"], target, starts_at, now)
            if accepted:
                ever_changed = True
        else:
            new_start = BASE + timedelta(minutes=first)
            expected = before["status"] == AppointmentStatus.PLANNED.value
            try:
                with store.write() as session:
                    appointments.move_appointment(
                        session, world.actor, appointment_id, starts_at=new_start
                    )
            except TransitionError:
                accepted = False
            else:
                accepted = True
            assert accepted == expected

        after = _row(store, appointment_id)
        with store.read() as session:
            entries = list(
                session.execute(
                    select(OutboxEntry).where(OutboxEntry.seq > head).order_by(OutboxEntry.seq)
                ).scalars()
            )
            session.expunge_all()
        if not accepted:
            assert after == before, "a refused change must change nothing"
            assert entries == [], "a refused change must record nothing"
        else:
            mine = [entry for entry in entries if entry.table_name == "appointment"]
            assert len(mine) <= 1 and all(entry.row_id == appointment_id for entry in mine)
            assert {entry.table_name for entry in entries} <= {"appointment", "audit_event"}
            changed = {name for name in after if after[name] != before[name]} - {"updated_at"}
            assert set(mine[0].fields) == changed if mine else not changed
            for name in changed:
                assert mine[0].fields[name] == after[name]
            if kind == "status":
                assert after["status"] == first
                assert after["outcome_recorded_at"] is not None
        _check_invariants(
            {
                **after,
                "starts_at": datetime.fromisoformat(after["starts_at"]),
                "outcome_recorded_at": datetime.fromisoformat(after["outcome_recorded_at"])
                if after["outcome_recorded_at"]
                else None,
            },
            ever_changed,
        )


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("in_future", [False, True], ids=["past", "future"])
def test_allowed_transitions_are_exactly_the_referential(
    world: World, source: str, in_future: bool
) -> None:
    """Exhaustive: from every status, to every status, for a past and a future appointment."""
    referentials = get_referentials()
    store = world.store
    starts_at = BASE + (timedelta(days=3) if in_future else -timedelta(days=3))
    now = BASE
    for target in STATUSES:
        appointment_id = _new_appointment(world, starts_at)
        if source != AppointmentStatus.PLANNED.value:
            # Reach ``source`` the way the server would have sent it.
            with store.apply_remote() as session:
                row = session.get(Appointment, appointment_id)
                assert row is not None
                row.status = source
                row.outcome_recorded_at = max(starts_at, now)
        before, head = _row(store, appointment_id), _outbox_head(store)
        expected = referentials.can_transition(source, target) and not (
            in_future and target in NEEDS_PAST
        )
        try:
            with store.write() as session:
                appointments.set_status(session, world.actor, appointment_id, target, now=now)
        except TransitionError:
            assert not expected, (source, target)
            assert _row(store, appointment_id) == before
            assert _outbox_head(store) == head
        else:
            assert expected, (source, target)
            assert _row(store, appointment_id)["status"] == target
    assert not referentials.can_transition(source, AppointmentStatus.PLANNED.value)
    assert not referentials.can_transition(source, source)
