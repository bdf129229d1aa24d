"""The accompaniment path through a real server on loopback: two devices of the referent and
the supervisor's device see the same path; a reorientation made offline reaches the server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from spie_desktop.domain.deadlines import paris_day
from spie_desktop.services import path
from tests.support.devkit import Device, server_rows

PATH_TABLES = (
    "person",
    "orientation_decision",
    "reorientation_request",
    "engagement_contract",
    "action",
    "closing_review",
    "breach",
)
# The department's day (Europe/Paris), as the path services count it: between 23:00 and
# midnight UTC the UTC date is still yesterday there.
TODAY = paris_day(datetime.now(UTC))
DAY = timedelta(days=1)


def _file(device: Device, person_id: uuid.UUID) -> dict[str, Any]:
    out = {}
    for table in PATH_TABLES:
        key = "id" if table == "person" else "person_id"
        out[table] = {k: v for k, v in device.rows(table).items() if v[key] == str(person_id)}
    return out


def _server_file(world: Any, person_id: uuid.UUID) -> dict[str, Any]:
    return {table: server_rows(world.engine, table, [person_id]) for table in PATH_TABLES}


def test_referent_devices_and_supervisor_see_the_same_path(any_world: Any) -> None:
    world = any_world
    world.admin.create_team("Nord")
    alice = world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    person_id = world.admin.create_person(
        {"last_name": "Lefèvre", "first_name": "Paul"}, "alice.martin"
    )
    laptop = world.device("alice-laptop", "alice.martin")
    tablet = world.device("alice-tablet", "alice.martin")
    chief = world.device("sam-laptop", "sam.chef")
    for device in (laptop, tablet, chief):
        device.sync()

    with laptop.write() as session:
        decision = path.record_orientation(
            session,
            laptop.actor,
            person_id,
            track="professional",
            decided_on=TODAY - 20 * DAY,
            notified_on=TODAY - 18 * DAY,
            impacts={"mobilite": "moyen"},
            qualification_level="niveau_4",
        )
        session.flush()
        contract = path.draft_contract(
            session, laptop.actor, person_id, objectives="Emploi de cariste"
        )
        session.flush()
        path.sign_contract(session, laptop.actor, contract.id, signed_on=TODAY - 5 * DAY)
        path.add_plan_action(
            session, laptop.actor, contract.id, custom_label="CACES", planned_minutes_week=10 * 60
        )
        path.record_breach(
            session,
            laptop.actor,
            person_id,
            kind="rdv_manque",
            occurred_on=TODAY - 2 * DAY,
            observations="Panne de voiture",
        )
        decision_id = decision.id
    report = laptop.sync()
    assert not report.rejected
    for device in (tablet, chief, laptop):
        device.sync()

    expected = _server_file(world, person_id)
    assert len(expected["orientation_decision"]) == 1
    assert len(expected["engagement_contract"]) == 1 and len(expected["breach"]) == 1
    # The server set who recorded the decision and the breach, from the device.
    assert expected["orientation_decision"][str(decision_id)]["decided_by_id"] == str(alice)
    for device in (laptop, tablet, chief):
        assert _file(device, person_id) == expected, device.name
    # The supervisor's device computes the same deadlines (below the floor: 10 h of 15 h).
    with chief.store.read() as session:
        view = path.path_view(session, person_id, datetime.now(UTC))
    assert view.hours is not None and view.hours.below_floor
    assert [d.alert for d in view.deadlines] == ["below_floor"]


def test_a_reorientation_made_offline_reaches_the_server(any_world: Any) -> None:
    world = any_world
    world.admin.create_team("Sud")
    world.user("bob.bernard", team="Sud")
    person_id = world.admin.create_person(
        {"last_name": "Moreau", "first_name": "Zoé"}, "bob.bernard"
    )
    device = world.device("bob-laptop", "bob.bernard")
    device.sync()
    with device.write() as session:
        path.record_orientation(
            session,
            device.actor,
            person_id,
            track="professional",
            decided_on=TODAY - 90 * DAY,
            notified_on=TODAY - 88 * DAY,
        )
    device.sync()
    # Offline: the referent asks for the social track, the department accepts it.
    with device.write() as session:
        request = path.request_reorientation(
            session,
            device.actor,
            person_id,
            requested_track="social",
            reason="Hospitalisation longue : l'emploi n'est pas envisageable pour l'instant.",
        )
        session.flush()
        path.answer_reorientation(
            session,
            device.actor,
            request.id,
            accepted=True,
            notified_on=TODAY,
            review_obstacle="sante",
        )
        request_id = request.id
    assert server_rows(world.engine, "reorientation_request", [person_id]) == {}
    report = device.sync()
    assert not report.rejected and report.pushed >= 3
    requests = server_rows(world.engine, "reorientation_request", [person_id])
    assert requests[str(request_id)]["status"] == "accepted"
    decisions = server_rows(world.engine, "orientation_decision", [person_id])
    assert sorted(d["track"] for d in decisions.values()) == ["professional", "social"]
    new = decisions[requests[str(request_id)]["decision_id"]]
    assert new["request_id"] == str(request_id) and new["review_obstacle"] == "sante"
    person = server_rows(world.engine, "person", [person_id])[str(person_id)]
    assert person["orientation"] == "social"
