"""A breach decision corrected offline on the referent's laptop reaches the server and the
supervisor's device, where the wrong decision stays visible as corrected, by whom and when;
a forged correction from the supervisor's device is refused by the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from spie_desktop.domain.deadlines import paris_day
from spie_desktop.domain.models import Breach
from spie_desktop.ids import new_id
from spie_desktop.services import path, queries
from tests.support.devkit import server_rows

TODAY = paris_day(datetime.now(UTC))
DAY = timedelta(days=1)


def test_a_correction_made_offline_reaches_the_supervisor_with_its_history(world: Any) -> None:
    world.admin.create_team("Nord")
    alice = world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    person_id = world.admin.create_person(
        {"last_name": "Lefèvre", "first_name": "Paul"}, "alice.martin"
    )
    laptop = world.device("alice-laptop", "alice.martin")
    chief = world.device("sam-laptop", "sam.chef")
    for device in (laptop, chief):
        device.sync()
    with laptop.write() as session:
        breach = path.record_breach(
            session,
            laptop.actor,
            person_id,
            kind="rdv_manque",
            occurred_on=TODAY - 20 * DAY,
            invited_on=TODAY - 15 * DAY,
            observations="Panne de voiture",
        )
        session.flush()
        path.decide_breach(
            session,
            laptop.actor,
            breach.id,
            decision="suspension_partielle",
            decision_on=TODAY - 10 * DAY,
            percent=80,
            months=2,
        )
        first = breach.id
    assert not laptop.sync().rejected
    # Offline: the correction waits in the outbox, then travels with the next sync.
    with laptop.write() as session:
        second = path.correct_breach_decision(
            session,
            laptop.actor,
            first,
            decision="suspension_partielle",
            decision_on=TODAY - 10 * DAY,
            percent=30,
            months=2,
        ).id
    assert not laptop.sync().rejected
    chief.sync()

    rows = server_rows(world.engine, "breach", [person_id])
    assert set(rows) == {str(first), str(second)}
    assert rows[str(first)]["deleted_at"] is not None and rows[str(first)]["decision_percent"] == 80
    assert rows[str(second)]["deleted_at"] is None and rows[str(second)]["decision_percent"] == 30
    assert rows[str(second)]["author_id"] == str(alice)  # stamped by the server
    snapshot = queries.path_snapshot(chief.store, person_id, datetime.now(UTC), chief.actor)
    assert snapshot.breaches is not None and [b.id for b in snapshot.breaches] == [second]
    [(old, corrected_by, _at)] = snapshot.corrections[second]
    assert old.id == first and old.decision_percent == 80
    assert corrected_by == "Alice Martin"

    # The supervisor's device is read-only; a correction forged around it is refused.
    with chief.store.write() as session:
        forged = session.get(Breach, second)
        assert forged is not None
        copy = Breach(
            id=new_id(),
            person_id=person_id,
            kind=forged.kind,
            occurred_on=forged.occurred_on,
            invited_on=forged.invited_on,
            decision="sans_suite",
            decision_on=TODAY,
            sensitive=True,
        )
        session.add(copy)
        forged.deleted_at = datetime.now(UTC)
    report = chief.sync(expect_ok=False)
    assert report.rejected
    rows = server_rows(world.engine, "breach", [person_id])
    assert set(rows) == {str(first), str(second)} and rows[str(second)]["deleted_at"] is None
