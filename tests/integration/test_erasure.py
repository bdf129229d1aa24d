"""GDPR erasure (issue 15): asked on a device by the referent or the supervisor, decided by
an administrator with ``spie-server admin erasure``, then removed with its history from the
server and from every device — a device offline during the erasure, holding unpushed
changes on the person, cannot bring her back: the server refuses them (``person_purged``),
the device drops them, says so, and removes the file.

Real loopback server (SQLite), real SQLCipher devices, the real command line."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from spie_desktop.entry import server as server_cli
from spie_desktop.services import usecases
from spie_desktop.services.appointments import schedule_appointment
from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from spie_desktop.services.rgpd import erasure_requests
from sync.server.models import admin_log, change_log
from tests.support.devkit import Device, server_rows

NAME = "Zéphyrine-Quillet"
NOTE = "Suivi psychiatrique, ne pas divulguer : Quillet"
OFFLINE_NOTE = "Note hors ligne sur Quillet"
PHONE = "06 98 76 54 32"
MARKERS = (NAME, "Quillet", PHONE)

# Server tables that may keep the erased person's id (ids only, never a value of hers):
# the access log (audit events without their free text) outlives the file.
ID_ONLY_TABLES = {"access", "change_log", "purged_person", "purged_row", "admin_log", "audit_event"}
# A device keeps only the server's decision (her id, when, why, the server's MAC): shown again
# to a server restored from an older backup, it erases her there again (issue 10).
DEVICE_ID_ONLY_TABLES = {"purge_tombstone"}


def _kept_by_device(rows: list[tuple[str, str]], person_id: uuid.UUID) -> list[tuple[str, str]]:
    """What of an erased person a device still holds: nothing but her tombstone."""
    leftovers = _mentions(rows, person_id)
    assert not [r for _t, r in leftovers if any(m in r for m in MARKERS)], leftovers
    return [(t, r) for t, r in leftovers if t not in DEVICE_ID_ONLY_TABLES]


def _admin(world: Any, capsys: Any, *args: str) -> tuple[int, str, str]:
    code = server_cli.main(["admin", "--database-url", world.settings.database_url, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _device_dump(device: Device) -> list[tuple[str, str]]:
    """(table, row as text) of every row of every table of the device's store."""
    found = []
    with device.store.read() as session:
        conn = session.connection()
        names = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for name in names:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"'):
                found.append((name, repr(tuple(row))))
    return found


def _mentions(rows: list[tuple[str, str]], person_id: uuid.UUID) -> list[tuple[str, str]]:
    needles = (str(person_id), person_id.hex, *MARKERS)
    return [(t, r) for t, r in rows if any(n in r for n in needles)]


def _server_dump(world: Any) -> list[tuple[str, str]]:
    found = []
    with world.engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{name}"')):
                found.append((name, repr(tuple(row))))
    return found


def test_erasure_decided_on_the_server_reaches_every_device_even_an_offline_one(
    world: Any, capsys: Any
) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    p = world.admin.create_person({"last_name": NAME, "first_name": "Léa"}, "alice.martin")
    q = world.admin.create_person({"last_name": "Durand", "first_name": "Marc"}, "alice.martin")

    laptop = world.device("alice-laptop", "alice.martin")
    tablet = world.device("alice-tablet", "alice.martin")
    sam = world.device("sam-laptop", "sam.chef")
    for device in (laptop, tablet, sam):
        device.sync()
    with laptop.write() as session:
        write_note(session, laptop.actor, p, NOTE)
        schedule_appointment(
            session,
            laptop.actor,
            p,
            starts_at=datetime.now(UTC) + timedelta(days=2),
            mode="bureau",
            purpose="suivi",
        )
        update_person(session, laptop.actor, p, {"phone": PHONE})
        write_note(session, laptop.actor, q, "Marc : dossier complet.")
    laptop.sync()
    tablet.sync()
    assert str(p) in tablet.rows("person")

    # The tablet goes offline and keeps working on the person.
    with tablet.write() as session:
        write_note(session, tablet.actor, p, OFFLINE_NOTE)
        update_person(session, tablet.actor, p, {"city": "Nevers"})
    assert tablet.client.pending_count() >= 2

    # The supervisor asks for the erasure (issue 15: « by the referent or the supervisor »);
    # the referent asks for Marc's, which the administration refuses.
    usecases.request_erasure(sam.store, sam.actor, p, "Demande écrite reçue le 2 décembre")
    report = sam.sync()
    assert not report.rejected, report.rejected
    usecases.request_erasure(laptop.store, laptop.actor, q, "Demande orale")
    assert not laptop.sync().rejected

    code, out, _ = _admin(world, capsys, "--json", "erasure", "list")
    assert code == 0
    listed = {item["person_id"]: item for item in json.loads(out)}
    assert set(listed) == {str(p), str(q)}
    assert listed[str(p)]["requested_by"] == "sam.chef"
    assert NAME in listed[str(p)]["person"]

    # Refusals: a reason is required; an unknown id, a twice-decided request are refused.
    code, _, err = _admin(world, capsys, "erasure", "refuse", listed[str(q)]["id"])
    assert code == 2 and "reason_required" in err
    code, _, err = _admin(world, capsys, "erasure", "approve", str(uuid.uuid4()))
    assert code == 2 and "unknown_erasure_request" in err
    code, _, _ = _admin(
        world, capsys, "erasure", "refuse", listed[str(q)]["id"], "--reason", "Obligation légale"
    )
    assert code == 0
    code, _, err = _admin(world, capsys, "erasure", "approve", listed[str(q)]["id"])
    assert code == 2 and "erasure_already_decided" in err

    code, out, _ = _admin(
        world, capsys, "erasure", "approve", listed[str(p)]["id"], "--reason", "Art. 17 a"
    )
    assert code == 0, out

    # The server: no row of hers, no value of hers in the change log; ids only remain.
    leftovers = _mentions(_server_dump(world), p)
    assert {t for t, _ in leftovers} <= ID_ONLY_TABLES, leftovers
    assert not [r for t, r in leftovers if any(m in r for m in MARKERS)], leftovers
    with world.engine.connect() as connection:
        kinds = set(
            connection.execute(
                select(change_log.c.kind).where(change_log.c.person_id == p)
            ).scalars()
        )
        decisions = connection.execute(
            select(admin_log).where(admin_log.c.action.like("erasure.%"))
        ).all()
    assert kinds <= {"grant", "revoke", "purge"}
    audit = server_rows(world.engine, "audit_event")
    kept = [a for a in audit.values() if a["person_id"] == str(p)]
    assert kept and all(a["detail"] is None for a in kept)  # who opened her file, ids only
    by_action = {d.action: d for d in decisions}
    approved = by_action["erasure.approve"]
    assert approved.target == listed[str(p)]["id"]
    assert "sam.chef" in approved.detail and "Art. 17 a" in approved.detail
    assert approved.actor.startswith("cli") and approved.occurred_at is not None
    assert "Obligation légale" in by_action["erasure.refuse"].detail

    # Online devices: the file and its history go at their next sync.
    for device in (laptop, sam):
        report = device.sync()
        assert report.purged == 1
        assert _kept_by_device(_device_dump(device), p) == [], device.name
        assert report.counts_ok

    # The refusal reached the referent's devices.
    with laptop.store.read() as session:
        (request,) = erasure_requests(session, q)
    assert request.status == "refused" and request.decision_note == "Obligation légale"

    # The offline tablet comes back: its changes are refused, dropped, reported.
    report = tablet.sync()
    codes = {r.code for r in report.rejected}
    assert codes == {"person_purged"}, report.rejected
    assert len(report.rejected) >= 2
    assert report.purged == 1
    assert tablet.client.pending_count() == 0
    assert _kept_by_device(_device_dump(tablet), p) == []
    # …and nothing came back on the server.
    leftovers = _mentions(_server_dump(world), p)
    assert {t for t, _ in leftovers} <= ID_ONLY_TABLES
    assert not [r for t, r in leftovers if any(m in r for m in MARKERS)]
    # Marc's file is untouched everywhere.
    for device in (laptop, tablet, sam):
        assert str(q) in device.rows("person")

    # The audit log viewer: her erased file's history is ids and actions, never her name.
    code, out, _ = _admin(world, capsys, "--json", "audit", "list", "--person", str(p))
    assert code == 0
    lines = json.loads(out)
    assert {"erasure.approve", "change"} <= {line["action"] for line in lines}
    assert all(line["person_id"] == str(p) for line in lines)
    assert not any(m in out for m in MARKERS)
    code, out, _ = _admin(world, capsys, "--json", "audit", "list", "--actor", "sam.chef")
    assert {line["actor"] for line in json.loads(out)} == {"sam.chef"}
    code, out, _ = _admin(world, capsys, "audit", "list", "--person", "CAF-404")
    assert code == 2
    future = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    code, out, _ = _admin(world, capsys, "audit", "list", "--since", future)
    assert code == 0 and "Aucun événement." in out
    code, out, _ = _admin(world, capsys, "audit", "list", "--person", str(q))
    assert code == 0 and "erasure.refuse" in out and "sam.chef" not in out


def test_a_supervisor_asks_but_never_decides(world: Any) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    p = world.admin.create_person({"last_name": "Martin", "first_name": "Léa"}, "alice.martin")
    sam = world.device("sam-laptop", "sam.chef")
    sam.sync()
    usecases.request_erasure(sam.store, sam.actor, p, "Demande de la personne")
    assert not sam.sync().rejected
    (listed,) = world.admin.list_erasure_requests()
    assert listed.requested_by == "sam.chef" and listed.status == "requested"

    # She cannot approve it from her device (the decision fields are the server's)…
    from spie_desktop.domain.models import ErasureRequest

    with sam.write() as session:
        row = session.get(ErasureRequest, listed.id)
        assert row is not None
        row.status = "approved"
    report = sam.sync()
    assert {r.code for r in report.rejected} == {"read_only_role"}
    assert world.admin.list_erasure_requests()[0].status == "requested"


@pytest.mark.parametrize("reason", ["x" * 256, "deux\nlignes"])
def test_bad_decision_reasons_are_refused_with_a_code(world: Any, capsys: Any, reason: str) -> None:
    code, _, err = _admin(world, capsys, "erasure", "refuse", str(uuid.uuid4()), "--reason", reason)
    assert code == 2 and "invalid_value" in err


def test_the_retention_purge_takes_the_same_path(world: Any, capsys: Any) -> None:
    """A file closed 3 years ago: purged with its history, here and on every device; an
    offline device's late edits on it are refused ``person_purged`` and dropped."""
    from datetime import date

    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    closed = (date.today() - timedelta(days=3 * 365)).isoformat()
    p = world.admin.create_person({"last_name": NAME, "first_name": "Léa"}, "alice.martin")
    laptop = world.device("alice-laptop", "alice.martin")
    tablet = world.device("alice-tablet", "alice.martin")
    laptop.sync()
    with laptop.write() as session:
        write_note(session, laptop.actor, p, NOTE)
        update_person(
            session,
            laptop.actor,
            p,
            {"follow_up_status": "sorti", "closure_reason": "emploi", "closed_on": closed},
        )
    laptop.sync()
    tablet.sync()
    with tablet.write() as session:
        update_person(session, tablet.actor, p, {"phone": PHONE})  # offline from now on

    code, out, _ = _admin(world, capsys, "purge", "--retention-months", "24")
    assert code == 0 and "1 personnes supprimées" in out
    leftovers = _mentions(_server_dump(world), p)
    assert {t for t, _ in leftovers} <= ID_ONLY_TABLES, leftovers
    assert not [r for t, r in leftovers if any(m in r for m in MARKERS)]

    assert laptop.sync().purged == 1
    report = tablet.sync()
    assert {r.code for r in report.rejected} == {"person_purged"}
    assert report.purged == 1 and tablet.client.pending_count() == 0
    for device in (laptop, tablet):
        assert _kept_by_device(_device_dump(device), p) == [], device.name
    assert not [r for t, r in _mentions(_server_dump(world), p) if any(m in r for m in MARKERS)]
