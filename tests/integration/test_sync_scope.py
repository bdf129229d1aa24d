"""Handover: the new referent receives the whole history; the former referent's device
pushes what it still holds (accepted, attributed to its author) and then purges the
person; supervisors see, read-only, exactly the teams they oversee."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from spie_desktop.domain.models import Person
from spie_desktop.services.appointments import schedule_appointment
from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from sync.server.models import change_log
from tests.support.devkit import Device, server_rows

PERSON_TABLES = ("person", "referent_assignment", "appointment", "barrier", "action", "note")


def _holds(device: Device, person_id: uuid.UUID) -> bool:
    return str(person_id) in device.rows("person")


def _file(device: Device, person_id: uuid.UUID) -> dict[str, Any]:
    result = {}
    for table in PERSON_TABLES:
        rows = device.rows(table)
        key = "id" if table == "person" else "person_id"
        result[table] = {k: v for k, v in rows.items() if v[key] == str(person_id)}
    return result


def _server_file(world: Any, person_id: uuid.UUID) -> dict[str, Any]:
    return {t: server_rows(world.engine, t, [person_id]) for t in PERSON_TABLES}


def test_handover_history_late_push_and_supervisors(any_world: Any) -> None:
    world = any_world
    for team in ("Nord", "Sud", "Est"):
        world.admin.create_team(team)
    alice = world.user("alice.martin", team="Nord")
    world.user("bob.bernard", team="Sud")
    world.user("carol.petit", team="Est")
    world.user("sam.chef", role="supervisor", team="Nord")
    world.admin.supervise("sam.chef", "Sud")
    world.user("sue.nord", role="supervisor", team="Nord")
    world.user("tom.est", role="supervisor", team="Est")
    p = world.admin.create_person({"last_name": "Lefèvre", "first_name": "Paul"}, "alice.martin")
    q = world.admin.create_person({"last_name": "Moreau", "first_name": "Zoé"}, "carol.petit")

    da = world.device("alice-laptop", "alice.martin")
    db = world.device("bob-laptop", "bob.bernard")
    ds = world.device("sam-laptop", "sam.chef")
    du = world.device("sue-laptop", "sue.nord")
    dt = world.device("tom-laptop", "tom.est")
    for device in (da, db, ds, du, dt):
        device.sync()
    assert _holds(da, p) and not _holds(da, q)
    assert not _holds(db, p) and not _holds(db, q)
    assert _holds(ds, p) and not _holds(ds, q)
    assert _holds(du, p)
    assert _holds(dt, q) and not _holds(dt, p)

    # Alice builds a history, synced.
    with da.write() as session:
        schedule_appointment(
            session,
            da.actor,
            p,
            starts_at=datetime.now(UTC) + timedelta(days=3),
            mode="bureau",
            purpose="suivi",
        )
        write_note(session, da.actor, p, "Premier entretien : projet de formation.")
    da.sync()
    # Then, offline, she keeps working on the file.
    with da.write() as session:
        late = write_note(session, da.actor, p, "Note écrite hors ligne avant la passation.")
        update_person(session, da.actor, p, {"phone": "06 11 22 33 44"})

    world.admin.assign(str(p), "bob.bernard", note="Passation : suivi logement en cours.")

    db.sync()
    assert _holds(db, p)
    assert _file(db, p) == _server_file(world, p)  # the whole history
    assert any(n["kind"] == "passation" for n in _file(db, p)["note"].values())

    report = da.sync()
    assert report.pushed >= 2 and not report.rejected
    assert not _holds(da, p), "the former referent's device purged the person"
    assert _file(da, p) == {t: {} for t in PERSON_TABLES}
    assert da.client.pending_count() == 0
    with world.engine.connect() as connection:
        author = connection.execute(
            select(change_log.c.author_id).where(change_log.c.row_id == late.id)
        ).scalar_one()
    assert author == alice  # accepted, attributed to its author

    db.sync()
    assert str(late.id) in _file(db, p)["note"]
    assert _file(db, p)["person"][str(p)]["phone"] == "06 11 22 33 44"

    # Supervisors: sam oversees Nord and Sud (still sees Paul), sue only Nord (loses him),
    # tom only Est.
    ds.sync()
    du.sync()
    dt.sync()
    assert _holds(ds, p) and _file(ds, p) == _server_file(world, p)
    assert not _holds(du, p)
    assert not _holds(dt, p) and _holds(dt, q)

    # A supervisor's device cannot push: even a tampered client is refused, set aside.
    with ds.write() as session:
        person = session.get(Person, p)
        assert person is not None
        person.city = "Changée par le responsable"
    report = ds.sync()
    assert [r.code for r in report.rejected] == ["read_only_role"]
    assert server_rows(world.engine, "person", [p])[str(p)]["city"] is None
    assert ds.sync().ok  # set aside, not blocking
    assert ds.client.status()["rejected"][0]["code"] == "read_only_role"


def test_new_person_created_offline_reaches_other_devices(world: Any) -> None:
    from spie_desktop.services.persons import create_person

    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    a1 = world.device("a1", "alice.martin")
    a2 = world.device("a2", "alice.martin")
    s = world.device("s", "sam.chef")
    for device in (a1, a2, s):
        device.sync()
    with a1.write() as session:
        person = create_person(session, a1.actor, {"last_name": "Neuf", "first_name": "Né"})
        write_note(session, a1.actor, person.id, "Créé hors ligne.")
    a1.sync()
    a2.sync()
    s.sync()
    for device in (a1, a2, s):
        assert _file(device, person.id) == _server_file(world, person.id), device.name
