"""The accompaniment path's use-cases on a real encrypted store (spie_desktop.services.path).

Orientation with history and reorientation requests, the contrat d'engagement's versions and
plan hours against the floor, closing review, breaches; the caseload's deadline alerts and
filters; every write in the outbox; bad input changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from spie_desktop.domain.deadlines import PathAlert, PathSettings, paris_day, set_path_settings
from spie_desktop.domain.models import Action, EngagementContract, OrientationDecision, Person
from spie_desktop.errors import ReadOnlyError, SpieError, ValidationError
from spie_desktop.services import path, persons, timeline
from spie_desktop.services.caseload import (
    CaseloadFilter,
    alert_text,
    caseload_ids,
    caseload_rows,
    path_alert_counts,
)
from spie_desktop.store.local_models import OutboxEntry, PersonSummary
from spie_desktop.store.store import Actor, Store

NOW = datetime.now(UTC)
# The department's day, as the path services count it (not the UTC date: they differ
# between 23:00 and midnight UTC).
TODAY = paris_day(NOW)
DAY = timedelta(days=1)


def new_person(store: Store, actor: Actor, **values: Any) -> uuid.UUID:
    fields = {"last_name": "Martin", "first_name": "Léa", **values}
    with store.write() as session:
        return persons.create_person(session, actor, fields).id


def outbox(store: Store, table: str) -> int:
    with store.read() as session:
        return int(
            session.execute(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.table_name == table)
            ).scalar_one()
        )


def summary(store: Store, person_id: uuid.UUID) -> PersonSummary:
    with store.read() as session:
        row = session.get(PersonSummary, person_id)
        assert row is not None
        session.expunge(row)
        return row


def filtered(store: Store, **flt: Any) -> list[uuid.UUID]:
    with store.read() as session:
        return caseload_ids(session, CaseloadFilter(**flt), NOW)


def orient(store: Store, actor: Actor, person_id: uuid.UUID, **values: Any) -> uuid.UUID:
    values = {"track": "professional", "decided_on": TODAY - 10 * DAY, **values}
    with store.write() as session:
        return path.record_orientation(session, actor, person_id, **values).id


def signed_contract(store: Store, actor: Actor, person_id: uuid.UUID, **values: Any) -> uuid.UUID:
    with store.write() as session:
        contract = path.draft_contract(session, actor, person_id, **values)
        session.flush()
        path.sign_contract(session, actor, contract.id, signed_on=TODAY - 2 * DAY)
        return contract.id


@pytest.fixture(autouse=True)
def default_settings() -> Any:
    set_path_settings(PathSettings())
    yield
    set_path_settings(PathSettings())


def test_orientation_history_is_kept_and_the_person_follows_the_latest(
    store: Store, actor: Actor
) -> None:
    person_id = new_person(store, actor)
    orient(
        store,
        actor,
        person_id,
        track="social",
        decided_on=TODAY - 100 * DAY,
        impacts={"sante": "fort", "logement": "moyen"},
        qualification_level="niveau_3",
        worked_last_two_years=False,
        can_picture_job=False,
    )
    orient(store, actor, person_id, track="socio_professional", decided_on=TODAY - 5 * DAY)
    with store.read() as session:
        history = path.orientation_history(session, person_id)
        person = session.get(Person, person_id)
        assert person is not None
        assert [d.track for d in history] == ["socio_professional", "social"]
        assert history[1].impact_health == "fort" and history[1].impact_housing == "moyen"
        assert history[1].impact_mobility is None
        assert person.orientation == "socio_professional"
    assert outbox(store, "orientation_decision") == 2


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"track": "vacances"}, "unknown_code"),
        ({"impacts": {"sante": "enorme"}}, "unknown_code"),
        ({"impacts": {"humeur": "fort"}}, "unknown_code"),
        ({"qualification_level": "bac+12"}, "unknown_code"),
        ({"decided_on": TODAY + 3 * DAY}, "date_in_future"),
        ({"decided_on": TODAY - DAY, "notified_on": TODAY - 2 * DAY}, "notified_before_decision"),
        ({"decided_on": date(1800, 1, 1)}, "date_out_of_range"),
    ],
)
def test_bad_orientations_are_refused_and_change_nothing(
    store: Store, actor: Actor, values: dict[str, Any], code: str
) -> None:
    person_id = new_person(store, actor)
    before = store.counts()
    with pytest.raises(ValidationError) as error:
        orient(store, actor, person_id, **values)
    assert error.value.code == code
    assert store.counts() == before


def test_orientation_is_due_six_weeks_after_the_right_opened(store: Store, actor: Actor) -> None:
    late = new_person(store, actor, last_name="Retard", rights_opening_date=TODAY - 50 * DAY)
    soon = new_person(store, actor, last_name="Bientot", rights_opening_date=TODAY - 35 * DAY)
    calm = new_person(store, actor, last_name="Calme", rights_opening_date=TODAY - 7 * DAY)
    assert summary(store, late).orientation_due_on == TODAY - 8 * DAY
    due = filtered(store, path_alert=PathAlert.ORIENTATION_DUE)
    assert set(due) == {late, soon}
    orient(store, actor, late)
    assert summary(store, late).orientation_due_on is None
    assert set(filtered(store, path_alert=PathAlert.ORIENTATION_DUE)) == {soon}
    assert calm in filtered(store)


def test_contract_to_sign_one_month_after_notification_and_a_new_decision_reopens_it(
    store: Store, actor: Actor
) -> None:
    person_id = new_person(store, actor)
    orient(store, actor, person_id, decided_on=TODAY - 40 * DAY, notified_on=TODAY - 38 * DAY)
    facts = summary(store, person_id)
    assert facts.contract_due_on is not None and facts.contract_due_on < TODAY
    with store.read() as session:
        rows = caseload_rows(session, [person_id], NOW)
    assert PathAlert.CONTRACT_TO_SIGN in rows[0].alerts
    assert "dépassé" in alert_text(PathAlert.CONTRACT_TO_SIGN, rows[0], NOW)
    signed_contract(store, actor, person_id)
    assert summary(store, person_id).contract_due_on is None
    # A reorientation: a new decision, a new month, although a contract is signed.
    with store.write() as session:
        request = path.request_reorientation(
            session, actor, person_id, requested_track="social", reason="Santé dégradée"
        )
        session.flush()
        path.answer_reorientation(
            session, actor, request.id, accepted=True, notified_on=TODAY, review_obstacle="sante"
        )
    facts = summary(store, person_id)
    assert facts.contract_due_on is not None and facts.contract_due_on > TODAY
    # Social track with a health obstacle: review at twelve months.
    assert facts.track_review_due_on is not None
    assert 360 <= (facts.track_review_due_on - TODAY).days <= 366


def test_reorientation_requests_one_at_a_time_and_never_to_the_same_track(
    store: Store, actor: Actor
) -> None:
    person_id = new_person(store, actor)
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.request_reorientation(session, actor, person_id, requested_track="social", reason="x")
    assert error.value.code == "no_orientation"
    orient(store, actor, person_id, track="professional")
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.request_reorientation(
            session, actor, person_id, requested_track="professional", reason="x"
        )
    assert error.value.code == "same_track"
    with store.write() as session:
        request = path.request_reorientation(
            session, actor, person_id, requested_track="social", reason="Logement"
        )
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.request_reorientation(
            session, actor, person_id, requested_track="social", reason="encore"
        )
    assert error.value.code == "request_pending"
    with store.write() as session:
        path.answer_reorientation(session, actor, request.id, accepted=False, comment="Non")
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.answer_reorientation(session, actor, request.id, accepted=True)
    assert error.value.code == "request_answered"
    with store.read() as session:
        assert path.current_orientation(session, person_id).track == "professional"  # type: ignore[union-attr]
        assert [r.status for r in path.reorientation_requests(session, person_id)] == ["refused"]


def test_contract_versions_plan_hours_and_the_floor(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    orient(store, actor, person_id)
    contract_id = signed_contract(
        store,
        actor,
        person_id,
        starts_on=TODAY - 2 * DAY,
        ends_on=TODAY + 180 * DAY,
        objectives="Reprendre un emploi",
    )
    with store.write() as session:
        path.add_plan_action(
            session, actor, contract_id, custom_label="Atelier CV", planned_minutes_week=4 * 60
        )
        session.flush()
        path.add_plan_action(
            session, actor, contract_id, custom_label="Stage", planned_minutes_week=7 * 60 + 30
        )
    facts = summary(store, person_id)
    assert facts.planned_minutes_week == 690 and facts.below_floor
    assert person_id in filtered(store, path_alert=PathAlert.BELOW_FLOOR)
    with store.read() as session:
        row = caseload_rows(session, [person_id], NOW)[0]
    assert alert_text(PathAlert.BELOW_FLOOR, row, NOW) == (
        "Sous le plancher d'heures (11 h 30 prévues sur 15 h)"
    )
    # A signed contract is not edited: a new version, to which the open actions move.
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.update_contract(session, actor, contract_id, objectives="autre")
    assert error.value.code == "contract_signed"
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.renew_contract(session, actor, contract_id, weekly_floor_minutes=600)
    assert error.value.code == "floor_reason_required"
    with store.write() as session:
        new = path.renew_contract(
            session,
            actor,
            contract_id,
            weekly_floor_minutes=600,
            floor_reason="parent_isole_sans_garde",
            starts_on=TODAY,
            ends_on=TODAY + 365 * DAY,
        )
        session.flush()
        path.sign_contract(session, actor, new.id, signed_on=TODAY)
        new_id = new.id
    with store.read() as session:
        versions = path.contracts_of(session, person_id)
        assert [(c.version, c.state) for c in versions] == [(2, "signed"), (1, "renewed")]
        plan = [action.id for action in path.plan_actions(session, new_id)]
        assert len(plan) == 2
        hours = path.plan_hours(session, versions[0])
        assert (hours.planned_minutes, hours.floor_minutes, hours.below_floor) == (690, 600, False)
    assert not summary(store, person_id).below_floor
    with store.write() as session:
        path.set_action_hours(session, actor, plan[0], done_minutes_week=3 * 60)
    with store.write() as session, pytest.raises(ValidationError):
        path.set_action_hours(session, actor, plan[0], planned_minutes_week=-5)
    with store.write() as session, pytest.raises(ValidationError):
        path.set_action_hours(session, actor, plan[0], planned_minutes_week=10_081)
    assert outbox(store, "engagement_contract") >= 4


def test_a_waived_floor_is_never_below_and_a_second_open_contract_is_refused(
    store: Store, actor: Actor
) -> None:
    person_id = new_person(store, actor)
    signed_contract(store, actor, person_id, weekly_floor_minutes=0, floor_reason="sante")
    assert not summary(store, person_id).below_floor
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.draft_contract(session, actor, person_id)
    assert error.value.code == "contract_open"
    with store.write() as session, pytest.raises(ValidationError):
        path.draft_contract(session, actor, new_person(store, actor), weekly_floor_minutes=901)


def test_legacy_contracts_are_kept_shown_and_alerted_until_converted(
    store: Store, actor: Actor
) -> None:
    person_id = new_person(store, actor)
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.record_legacy_contract(
            session, actor, person_id, contract_type="cer", signed_on=date(2025, 3, 1)
        )
    assert error.value.code == "legacy_after_cutoff"
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.record_legacy_contract(
            session,
            actor,
            person_id,
            contract_type="contrat_engagement",
            signed_on=date(2024, 3, 1),
        )
    assert error.value.code == "not_legacy"
    with store.write() as session:
        legacy = path.record_legacy_contract(
            session, actor, person_id, contract_type="cer", signed_on=date(2024, 6, 1)
        )
        legacy_id = legacy.id
    assert summary(store, person_id).legacy_contract
    assert person_id in filtered(store, path_alert=PathAlert.LEGACY_TO_CONVERT)
    with store.read() as session:
        row = caseload_rows(session, [person_id], NOW)[0]
        assert "01/01/2027" in alert_text(PathAlert.LEGACY_TO_CONVERT, row, NOW)
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.add_plan_action(session, actor, legacy_id, custom_label="x")
    assert error.value.code == "legacy_contract"
    with store.write() as session:
        converted = path.renew_contract(session, actor, legacy_id)
        session.flush()
        path.sign_contract(session, actor, converted.id)
        assert converted.contract_type == "contrat_engagement"
    assert not summary(store, person_id).legacy_contract


def test_contract_ending_soon(store: Store, actor: Actor) -> None:
    soon = new_person(store, actor)
    signed_contract(store, actor, soon, starts_on=TODAY - 100 * DAY, ends_on=TODAY + 20 * DAY)
    later = new_person(store, actor)
    signed_contract(store, actor, later, starts_on=TODAY - 100 * DAY, ends_on=TODAY + 90 * DAY)
    assert filtered(store, path_alert=PathAlert.CONTRACT_ENDING) == [soon]
    # The department shortens the window: the store recomputes nothing (dates are stored),
    # the query horizon follows the settings.
    set_path_settings(PathSettings(contract_ending_days=10))
    assert filtered(store, path_alert=PathAlert.CONTRACT_ENDING) == []
    with store.read() as session:
        counts = path_alert_counts(session, NOW)
    assert counts[PathAlert.CONTRACT_ENDING] == 0


def test_department_settings_change_recomputes_stored_deadlines(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor, rights_opening_date=TODAY - 30 * DAY)
    assert summary(store, person_id).orientation_due_on == TODAY + 12 * DAY
    set_path_settings(PathSettings(orientation_weeks=4))
    assert store.apply_path_settings() == 1
    assert summary(store, person_id).orientation_due_on == TODAY - 2 * DAY
    assert store.apply_path_settings() == 0


def test_closing_review_closes_the_file_and_ends_the_contract(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor, rights_opening_date=TODAY - 90 * DAY)
    contract_id = signed_contract(store, actor, person_id)
    with store.write() as session:
        path.add_plan_action(
            session, actor, contract_id, custom_label="Stage", planned_minutes_week=60
        )
    assert summary(store, person_id).below_floor
    with store.write() as session, pytest.raises(ValidationError):
        path.record_closing_review(session, actor, person_id, exit_reason="vacances", outcome="x")
    with store.write() as session:
        path.record_closing_review(
            session,
            actor,
            person_id,
            exit_reason="emploi_durable",
            outcome="CDI chez un artisan",
            closed_on=TODAY,
        )
    with store.read() as session:
        person = session.get(Person, person_id)
        contract = session.get(EngagementContract, contract_id)
        assert person is not None and contract is not None
        assert (person.follow_up_status, person.closed_on, person.closure_reason) == (
            "sorti",
            TODAY,
            "emploi",
        )
        assert contract.state == "ended"
        assert all(a.status == "cancelled" for a in session.execute(select(Action)).scalars())
    facts = summary(store, person_id)
    assert not facts.below_floor and facts.orientation_due_on is None
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.record_closing_review(session, actor, person_id, exit_reason="autre", outcome="x")
    assert error.value.code == "already_closed"
    kinds = {entry.kind for entry in _timeline(store, person_id)}
    assert {"closing", "contract"} <= kinds


def _timeline(store: Store, person_id: uuid.UUID) -> list[timeline.TimelineEntry]:
    with store.read() as session:
        return timeline.timeline(session, person_id)


def test_breaches_decision_after_observations_and_visibility(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    person_id = new_person(store, actor)
    signed_contract(store, actor, person_id)
    with store.write() as session:
        breach = path.record_breach(
            session,
            actor,
            person_id,
            kind="rdv_manque",
            occurred_on=TODAY - 20 * DAY,
            observations="Hospitalisée ce jour-là",
        )
        breach_id = breach.id
        assert breach.contract_id is not None and breach.sensitive
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.decide_breach(
            session,
            actor,
            breach_id,
            decision="suspension_partielle",
            decision_on=TODAY,
            percent=30,
            months=2,
        )
    assert error.value.code == "observations_not_invited"
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.decide_breach(
            session,
            actor,
            breach_id,
            decision="suspension_partielle",
            decision_on=TODAY - 15 * DAY,
            invited_on=TODAY - 10 * DAY,
            percent=30,
            months=2,
        )
    assert error.value.code == "decision_before_invitation"
    with store.write() as session, pytest.raises(ValidationError) as error:
        path.decide_breach(
            session,
            actor,
            breach_id,
            decision="suspension_partielle",
            decision_on=TODAY,
            invited_on=TODAY - 10 * DAY,
            months=2,
        )
    assert error.value.code == "invalid_percent"
    with store.write() as session:
        decided = path.decide_breach(
            session,
            actor,
            breach_id,
            decision="suspension_totale",
            decision_on=TODAY,
            invited_on=TODAY - 10 * DAY,
            months=1,
            percent=20,
            remobilised_on=TODAY + 30 * DAY,
        )
        assert decided.decision_percent == 100
    # The supervisor reads (audited) but does not write; an administrator does not see.
    with store.write() as session:
        assert path.reveal_breach(session, supervisor_actor, breach_id) == (
            "Hospitalisée ce jour-là"
        )
    with store.write() as session, pytest.raises(ReadOnlyError):
        path.record_breach(
            session, supervisor_actor, person_id, kind="rdv_manque", occurred_on=TODAY
        )
    admin = Actor(uuid.uuid4(), store.device_id, role="admin")
    with store.read() as session, pytest.raises(SpieError) as denied:
        path.breaches_of(session, admin, person_id)
    assert denied.value.code == "breach_forbidden"
    entries = [e for e in _timeline(store, person_id) if e.kind == "breach"]
    assert len(entries) == 1 and entries[0].sensitive
    assert isinstance(entries[0].fact, timeline.BreachFact)


def test_path_view_and_deadline_texts(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor, rights_opening_date=TODAY - 60 * DAY)
    with store.read() as session:
        view = path.path_view(session, person_id, NOW)
    assert [d.alert for d in view.deadlines] == [PathAlert.ORIENTATION_DUE]
    assert view.deadlines[0].late
    assert "dépassée de 18 jours" in path.deadline_text(view.deadlines[0])
    orient(store, actor, person_id, decided_on=TODAY, notified_on=TODAY)
    with store.read() as session:
        view = path.path_view(session, person_id, NOW)
        assert isinstance(view.decisions[0], OrientationDecision)
    assert [d.alert for d in view.deadlines] == []
    assert path.format_minutes(450) == "7 h 30" and path.format_minutes(900) == "15 h"


def test_supervisor_cannot_write_the_path(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    person_id = new_person(store, actor)
    with store.write() as session, pytest.raises(ReadOnlyError):
        path.record_orientation(
            session, supervisor_actor, person_id, track="social", decided_on=TODAY
        )
    with store.write() as session, pytest.raises(ReadOnlyError):
        path.draft_contract(session, supervisor_actor, person_id)
