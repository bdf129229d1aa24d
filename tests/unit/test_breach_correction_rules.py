"""Correcting a mistyped decision on a breach (issue 13, item 6), on a real encrypted store.

The correction is a new version of the breach (no column added): the corrected row is
tombstoned at the instant the new one is created, so the wrong decision stays readable as
corrected, with who corrected it and when; the same checks as a first decision; audited;
a decided breach is never overwritten in place; the supervisor corrects nothing.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from spie_desktop.domain.models import AuditEvent, Breach
from spie_desktop.errors import NotFoundError, ReadOnlyError, ValidationError
from spie_desktop.services import path, queries, timeline
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store
from tests.unit.test_path import NOW, TODAY, new_person, signed_contract

DAY = timedelta(days=1)


def decided_breach(store: Store, actor: Actor, person_id: uuid.UUID) -> uuid.UUID:
    with store.write() as session:
        breach = path.record_breach(
            session,
            actor,
            person_id,
            kind="rdv_manque",
            occurred_on=TODAY - 20 * DAY,
            invited_on=TODAY - 15 * DAY,
            observations="Enfant malade",
        )
        session.flush()
        path.decide_breach(
            session,
            actor,
            breach.id,
            decision="suspension_partielle",
            decision_on=TODAY - 10 * DAY,
            percent=80,  # mistyped: 30 was decided
            months=2,
            remobilised_on=TODAY + 50 * DAY,
        )
        return breach.id


def correct(store: Store, actor: Actor, breach_id: uuid.UUID, **values: Any) -> uuid.UUID:
    values = {
        "decision": "suspension_partielle",
        "decision_on": TODAY - 10 * DAY,
        "percent": 30,
        "months": 2,
        "remobilised_on": TODAY + 50 * DAY,
        **values,
    }
    with store.write() as session:
        return path.correct_breach_decision(session, actor, breach_id, **values).id


def counts(store: Store) -> tuple[int, int, int]:
    with store.read() as session:
        return (
            int(session.execute(select(func.count()).select_from(Breach)).scalar_one()),
            int(session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one()),
            int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()),
        )


def test_a_correction_keeps_the_wrong_decision_as_corrected(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    person_id = new_person(store, actor)
    signed_contract(store, actor, person_id)
    first = decided_breach(store, actor, person_id)
    new_id = correct(store, actor, first)
    assert new_id != first
    with store.read() as session:
        old = session.get(Breach, first)
        new = session.get(Breach, new_id)
        assert old is not None and new is not None
        # The wrong decision is untouched, its row tombstoned at the correction's instant.
        assert (old.decision_percent, old.decision_months) == (80, 2)
        assert old.deleted_at is not None and old.deleted_at == new.created_at
        # The new version is the same breach with the corrected decision.
        assert (new.kind, new.occurred_on, new.invited_on) == (
            old.kind,
            old.occurred_on,
            old.invited_on,
        )
        assert (new.observations, new.contract_id) == ("Enfant malade", old.contract_id)
        assert (new.decision_percent, new.decision_months) == (30, 2)
        assert new.author_id == actor.referent_id and new.sensitive
        assert [b.id for b in path.breaches_of(session, actor, person_id)] == [new_id]
        history = path.breach_history(session, supervisor_actor, person_id)
        assert [b.id for b in history[new_id]] == [first]
        audit = session.execute(
            select(AuditEvent.detail).where(AuditEvent.detail.like("correction%"))
        ).scalar_one()
        assert str(first) in audit and "80 %" in audit and "30 %" in audit
        entries = [e for e in timeline.timeline(session, person_id) if e.kind == "breach"]
        assert len(entries) == 1  # one breach, not two
    # Both changes travel: the new row and the tombstone (the server's referent check).
    with store.read() as session:
        tables = session.execute(
            select(OutboxEntry.table_name, OutboxEntry.row_id).where(
                OutboxEntry.table_name == "breach"
            )
        ).all()
        assert {row_id for _, row_id in tables} >= {first, new_id}

    # Corrected twice: the chain is kept, newest first; the screen's snapshot says who.
    third = correct(store, actor, new_id, decision="sans_suite", percent=None, months=None)
    snapshot = queries.path_snapshot(store, person_id, NOW, supervisor_actor)
    assert snapshot.breaches is not None and [b.id for b in snapshot.breaches] == [third]
    chain = snapshot.corrections[third]
    assert [old.id for old, _, _ in chain] == [new_id, first]
    assert all(name for _, name, _ in chain)
    with store.read() as session:
        latest = session.get(Breach, third)
        assert latest is not None
        assert (latest.decision_percent, latest.decision_months) == (None, None)


def test_a_correction_has_the_checks_of_a_decision(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    first = decided_breach(store, actor, person_id)
    before = counts(store)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"decision_on": TODAY + DAY}, "date_in_future"),
        ({"decision_on": TODAY - 16 * DAY}, "decision_before_invitation"),
        ({"decision_on": None}, "required"),
        ({"percent": 0}, "invalid_percent"),
        ({"percent": 101}, "invalid_percent"),
        ({"percent": None}, "invalid_percent"),
        ({"months": 0}, "invalid_duration"),
        ({"months": 25}, "invalid_duration"),
        ({"remobilised_on": TODAY - 11 * DAY}, "remobilised_before_decision"),
        ({"decision": "amende"}, "unknown_code"),
        ({"percent": 80}, "correction_unchanged"),  # the same decision again
    ]
    for values, code in bad:
        with pytest.raises(ValidationError) as error:
            correct(store, actor, first, **values)
        assert error.value.code == code, values
    assert counts(store) == before  # nothing written, nothing audited


def test_only_a_decided_live_breach_is_corrected_by_its_writer(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    person_id = new_person(store, actor)
    with store.write() as session:
        pending = path.record_breach(
            session, actor, person_id, kind="rdv_manque", occurred_on=TODAY - 3 * DAY
        ).id
    with pytest.raises(ValidationError) as error:
        correct(store, actor, pending)
    assert error.value.code == "breach_not_decided"
    first = decided_breach(store, actor, person_id)
    before = counts(store)
    # A decided breach is no longer overwritten in place: its correction keeps history.
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.decide_breach(
            session, actor, first, decision="sans_suite", decision_on=TODAY - 9 * DAY
        )
    assert error.value.code == "breach_already_decided"
    # The supervisor's device: read-only, as the server refuses her path rows.
    with pytest.raises(ReadOnlyError):
        correct(store, supervisor_actor, first)
    assert counts(store) == before
    correct(store, actor, first)
    with pytest.raises(NotFoundError):  # the corrected version is not corrected again
        correct(store, actor, first, percent=40)
