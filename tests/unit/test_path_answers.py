"""The path's decision use-cases the « Parcours » screens call, on a real encrypted store:
answering a reorientation request (track, structure, date, notification), ending a contract,
the department's decision on a breach and the audited reading of the person's observations.
Every write goes to the outbox through the recorder; a refused write changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from spie_desktop.domain.deadlines import paris_day
from spie_desktop.domain.models import (
    AuditEvent,
    Breach,
    EngagementContract,
    OrientationDecision,
    ReorientationRequest,
)
from spie_desktop.errors import ReadOnlyError, ValidationError
from spie_desktop.services import path, persons, usecases
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store

TODAY = paris_day(datetime.now(UTC))
DAY = timedelta(days=1)


def outbox(store: Store) -> dict[str, int]:
    with store.read() as session:
        rows = session.execute(
            select(OutboxEntry.table_name, func.count()).group_by(OutboxEntry.table_name)
        ).all()
    return {table: int(count) for table, count in rows}


def person_with_request(store: Store, actor: Actor) -> tuple[uuid.UUID, uuid.UUID]:
    with store.write() as session:
        person = persons.create_person(session, actor, {"last_name": "Roux", "first_name": "Inès"})
        path.record_orientation(
            session, actor, person.id, track="professional", decided_on=TODAY - 40 * DAY
        )
        request = path.request_reorientation(
            session,
            actor,
            person.id,
            requested_track="social",
            reason="Hospitalisation longue",
            requested_on=TODAY - 5 * DAY,
        )
        session.flush()
        return person.id, request.id


def test_an_accepted_request_opens_a_decision_with_its_structure_and_notification(
    store: Store, actor: Actor
) -> None:
    person_id, request_id = person_with_request(store, actor)
    before = outbox(store)
    outcome = usecases.answer_reorientation(
        store,
        actor,
        request_id,
        accepted=True,
        answered_on=TODAY - 2 * DAY,
        notified_on=TODAY - DAY,
        structure_name="  CCAS de Nevers ",
        review_obstacle="sante",
        comment="Accord de l'équipe pluridisciplinaire",
    )
    after = outbox(store)
    assert after["orientation_decision"] == before["orientation_decision"] + 1
    assert after["reorientation_request"] >= before["reorientation_request"] + 1
    assert person_id in outcome.changes.persons
    assert {"orientation_decision", "reorientation_request"} <= outcome.changes.kinds
    with store.read() as session:
        decision = session.get(OrientationDecision, outcome.value)
        assert decision is not None
        assert (decision.track, decision.structure_name) == ("social", "CCAS de Nevers")
        assert (decision.decided_on, decision.notified_on) == (TODAY - 2 * DAY, TODAY - DAY)
        assert decision.request_id == request_id and decision.review_obstacle == "sante"
        request = session.get(ReorientationRequest, request_id)
        assert request is not None and request.status == "accepted"
        assert request.decision_id == decision.id
        assert path.current_orientation(session, person_id).track == "social"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"accepted": False, "comment": "   "}, "comment", "required"),
        ({"accepted": False}, "comment", "required"),
        (
            {"accepted": True, "answered_on": TODAY - 6 * DAY},
            "answered_on",
            "answer_before_request",
        ),
        ({"accepted": False, "comment": "x", "answered_on": TODAY + DAY}, "answered_on", None),
        (
            {"accepted": True, "answered_on": TODAY - DAY, "notified_on": TODAY - 3 * DAY},
            "notified_on",
            "notified_before_decision",
        ),
        ({"accepted": True, "structure_name": "x" * 500}, "structure_name", "too_long"),
        ({"accepted": True, "review_obstacle": "chomage"}, "review_obstacle", None),
    ],
)
def test_a_bad_answer_is_refused_beside_its_field_and_changes_nothing(
    store: Store, actor: Actor, values: dict[str, Any], field: str, code: str | None
) -> None:
    person_id, request_id = person_with_request(store, actor)
    before = outbox(store)
    with pytest.raises(ValidationError) as error:
        usecases.answer_reorientation(store, actor, request_id, **values)
    assert error.value.field == field
    if code is not None:
        assert error.value.code == code
    assert outbox(store) == before
    with store.read() as session:
        request = session.get(ReorientationRequest, request_id)
        assert request is not None and request.status == "pending"
        assert request.answered_on is None and request.answer_comment is None
        assert len(path.orientation_history(session, person_id)) == 1


def test_a_refusal_keeps_the_track_and_its_reason(store: Store, actor: Actor) -> None:
    person_id, request_id = person_with_request(store, actor)
    outcome = usecases.answer_reorientation(
        store, actor, request_id, accepted=False, comment="Pas d'obstacle durable"
    )
    assert outcome.value is None
    with store.read() as session:
        request = session.get(ReorientationRequest, request_id)
        assert request is not None
        assert (request.status, request.answer_comment) == ("refused", "Pas d'obstacle durable")
        assert request.answered_on == TODAY
        assert path.current_orientation(session, person_id).track == "professional"  # type: ignore[union-attr]


def test_the_supervisor_may_not_answer_decide_or_end(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    _person_id, request_id = person_with_request(store, actor)
    before = outbox(store)
    with pytest.raises(ReadOnlyError):
        usecases.answer_reorientation(store, supervisor_actor, request_id, accepted=True)
    assert outbox(store) == before


def test_ending_a_contract_and_its_dates(store: Store, actor: Actor) -> None:
    with store.write() as session:
        person = persons.create_person(session, actor, {"last_name": "Petit", "first_name": "Yan"})
        contract = path.draft_contract(
            session, actor, person.id, starts_on=TODAY - 30 * DAY, ends_on=TODAY + 300 * DAY
        )
        session.flush()
        path.sign_contract(session, actor, contract.id, signed_on=TODAY - 30 * DAY)
        contract_id, person_id = contract.id, person.id
    before = outbox(store)
    with pytest.raises(ValidationError) as error:
        usecases.end_contract(store, actor, contract_id, ended_on=TODAY - 31 * DAY)
    assert (error.value.field, error.value.code) == ("ended_on", "dates_reversed")
    assert outbox(store) == before
    with pytest.raises(ValidationError) as error:  # « Terminé » tomorrow has not ended
        usecases.end_contract(store, actor, contract_id, ended_on=TODAY + DAY)
    assert (error.value.field, error.value.code) == ("ended_on", "date_in_future")
    assert outbox(store) == before
    usecases.end_contract(store, actor, contract_id, ended_on=TODAY)
    assert outbox(store)["engagement_contract"] == before["engagement_contract"] + 1
    with store.read() as session:
        row = session.get(EngagementContract, contract_id)
        assert row is not None and (row.state, row.ends_on) == ("ended", TODAY)
        assert path.current_contract(session, person_id) is None
    with pytest.raises(ValidationError) as error:
        usecases.end_contract(store, actor, contract_id)
    assert error.value.code == "contract_not_current"


def test_breach_decision_and_the_audited_reading_of_observations(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    with store.write() as session:
        person = persons.create_person(session, actor, {"last_name": "Blanc", "first_name": "Léo"})
        breach = path.record_breach(
            session,
            actor,
            person.id,
            kind="rdv_manque",
            occurred_on=TODAY - 20 * DAY,
            invited_on=TODAY - 15 * DAY,
            observations="Enfant malade",
        )
        session.flush()
        breach_id = breach.id
    before = outbox(store)
    with pytest.raises(ValidationError) as error:
        usecases.decide_breach(
            store,
            actor,
            breach_id,
            decision="suspension_partielle",
            decision_on=TODAY,
            percent=150,
            months=2,
        )
    assert error.value.field == "decision_percent"
    with pytest.raises(ValidationError) as error:  # a decision not taken yet
        usecases.decide_breach(
            store, actor, breach_id, decision="sans_suite", decision_on=TODAY + DAY
        )
    assert (error.value.field, error.value.code) == ("decision_on", "date_in_future")
    with pytest.raises(ReadOnlyError):
        usecases.decide_breach(
            store, supervisor_actor, breach_id, decision="sans_suite", decision_on=TODAY
        )
    assert outbox(store) == before
    usecases.decide_breach(
        store,
        actor,
        breach_id,
        decision="suspension_partielle",
        decision_on=TODAY - DAY,
        percent=30,
        months=2,
        remobilised_on=TODAY + 59 * DAY,
    )
    with store.read() as session:
        row = session.get(Breach, breach_id)
        assert row is not None
        assert (row.decision, row.decision_percent, row.decision_months) == (
            "suspension_partielle",
            30,
            2,
        )
        assert row.remobilised_on == TODAY + 59 * DAY
        audits = session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reveal")
        ).scalar_one()
    # The supervisor reads the observations: one audit event, nothing else written.
    mid = outbox(store)
    assert usecases.reveal_breach(store, supervisor_actor, breach_id).value == "Enfant malade"
    after = outbox(store)
    assert after.pop("audit_event") == mid.pop("audit_event") + 1
    assert after == mid
    with store.read() as session:
        assert (
            session.execute(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reveal")
            ).scalar_one()
            == audits + 1
        )


def test_a_notification_date_to_come_is_refused_and_changes_nothing(
    store: Store, actor: Actor
) -> None:
    """The contract's month runs from the notification: a date to come would push every
    deadline back. Refused beside its field, in the decision and afterwards."""
    with store.write() as session:
        person = persons.create_person(session, actor, {"last_name": "Sow", "first_name": "Awa"})
        session.flush()
        person_id = person.id
    before = outbox(store)
    with pytest.raises(ValidationError) as error, store.write() as session:
        path.record_orientation(
            session,
            actor,
            person_id,
            track="social",
            decided_on=TODAY - 3 * DAY,
            notified_on=TODAY + DAY,
        )
    assert (error.value.field, error.value.code) == ("notified_on", "date_in_future")
    assert outbox(store) == before
    with store.write() as session:
        decision = path.record_orientation(
            session, actor, person_id, track="social", decided_on=TODAY - 3 * DAY
        )
        session.flush()
        decision_id = decision.id
    before = outbox(store)
    with pytest.raises(ValidationError) as error:
        usecases.notify_orientation(store, actor, decision_id, TODAY + 30 * DAY)
    assert (error.value.field, error.value.code) == ("notified_on", "date_in_future")
    assert outbox(store) == before
    usecases.notify_orientation(store, actor, decision_id, TODAY)
    with store.read() as session:
        row = session.get(OrientationDecision, decision_id)
        assert row is not None and row.notified_on == TODAY
