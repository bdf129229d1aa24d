"""Issue 10: a server restored from a backup taken before an erasure does not bring the
erased person back. Devices keep the server's authenticated tombstone (``purge_tombstone``:
id, decision time, reason, the server's HMAC) and show it again when they find their cursor
unknown; the server applies again the purges it issued (audited) and refuses a tombstone it
never made (``tombstone_invalid``), erasing nothing on a device's word.

Real loopback server (SQLite, restored by copying its backup file), real SQLCipher devices."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from sync.apply import held_tombstones
from sync.client import recovery_sentence
from sync.server.models import admin_log, purged_person
from tests.integration.test_sync_issue10 import _restore_server, _sqlite_backup
from tests.support.devkit import Device, server_rows


def _team(world: Any) -> tuple[uuid.UUID, uuid.UUID, Device, Device, Device]:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("sophie.roux", role="supervisor", team="Nord")
    erased = world.admin.create_person(
        {"last_name": "Quillet", "first_name": "Zoé"}, "alice.martin"
    )
    kept = world.admin.create_person({"last_name": "Durand", "first_name": "Marc"}, "alice.martin")
    a = world.device("laptop-a", "alice.martin")
    b = world.device("laptop-b", "alice.martin")
    s = world.device("supervisor", "sophie.roux")
    a.sync()
    with a.write() as session:
        write_note(session, a.actor, erased, "Suivi ordinaire.")
        write_note(session, a.actor, kept, "Suivi ordinaire.")
    for device in (a, b, s):
        device.sync()
    return erased, kept, a, b, s


def _holds(device: Device, person_id: uuid.UUID) -> bool:
    key = str(person_id)
    return key in device.rows("person") or any(
        row.get("person_id") == key for row in device.rows("note").values()
    )


def _actions(world: Any) -> list[tuple[str, str | None, str | None]]:
    with world.engine.connect() as connection:
        return [
            (row.action, row.target, row.detail)
            for row in connection.execute(
                select(admin_log.c.action, admin_log.c.target, admin_log.c.detail).order_by(
                    admin_log.c.occurred_at
                )
            )
        ]


def test_a_restored_server_does_not_bring_an_erased_person_back(world: Any, tmp_path: Any) -> None:
    erased, kept, a, b, s = _team(world)
    backup = str(tmp_path / "backup.db")
    _sqlite_backup(world, backup)  # last night's backup: she is in it
    world.admin.erase_person(str(erased))
    for device in (a, s):  # b stays offline, and edits her file meanwhile
        assert device.sync().purged == 1
        (stone,) = held_tombstones(device.store)
        assert stone["person_id"] == str(erased) and stone["reason"] == "erasure"
    with b.write() as session:
        update_person(session, b.actor, erased, {"city": "Nevers"})
    _restore_server(world, backup)
    assert str(erased) in server_rows(world.engine, "person")  # the backup brought her back

    report = a.sync()
    assert report.ok, report.message
    assert report.recovery_reason == "server_restored"
    assert report.erasures_reapplied == 1 and report.tombstones_refused == 0
    assert "1 effacement(s) décidé(s) avant la restauration" in recovery_sentence(report)
    assert str(erased) not in server_rows(world.engine, "person")
    assert server_rows(world.engine, "note", [erased]) == {}
    with world.engine.connect() as connection:
        purged_at = connection.execute(
            select(purged_person.c.purged_at).where(purged_person.c.person_id == erased)
        ).scalar_one()
    assert purged_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ") == stone["purged_at"]  # the decision's
    reapplied = [entry for entry in _actions(world) if entry[0] == "erasure.reapply"]
    assert len(reapplied) == 1 and reapplied[0][1] == str(erased), _actions(world)

    # The offline laptop (cursor from before the backup) and the supervisor (cursor unknown):
    # her file goes from both, the laptop's edit is refused, nothing brings her back.
    report = b.sync()
    assert {r.code for r in report.rejected} == {"person_purged"}, report.rejected
    report = s.sync()
    assert report.recovery_reason == "server_restored" and report.erasures_reapplied == 0
    for device in (a, b, s):
        device.sync()
        assert not _holds(device, erased), device.name
        assert _holds(device, kept), device.name
    assert str(erased) not in server_rows(world.engine, "person")
    assert str(kept) in server_rows(world.engine, "person")
    assert len([e for e in _actions(world) if e[0] == "erasure.reapply"]) == 1


def test_a_forged_or_altered_tombstone_is_refused_and_erases_nothing(
    world: Any, tmp_path: Any
) -> None:
    erased, kept, a, _b, _s = _team(world)
    backup = str(tmp_path / "backup.db")
    _sqlite_backup(world, backup)
    world.admin.erase_person(str(erased))
    a.sync()
    (genuine,) = held_tombstones(a.store)
    # Altered tombstones shown directly: another reason, a MAC of the device's own making.
    answer = a.client._request(
        "POST",
        "/sync/tombstones",
        body={"tombstones": [{**genuine, "reason": "retention:1m"}, {**genuine, "mac": "0" * 64}]},
    )
    assert (
        answer["results"]
        == [{"person_id": str(erased), "status": "refused", "code": "tombstone_invalid"}] * 2
    )
    assert [e[0] for e in _actions(world)][-2:] == ["erasure.tombstone_refused"] * 2
    # A device that wants Marc erased: his id under the genuine MAC, kept like a tombstone.
    with a.write() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO purge_tombstone (person_id, purged_at, reason, mac) VALUES (?, ?, ?, ?)",
            (kept.hex, genuine["purged_at"], "erasure", genuine["mac"]),
        )
    _restore_server(world, backup)

    report = a.sync()
    assert report.ok, report.message
    assert report.erasures_reapplied == 1 and report.tombstones_refused == 1
    assert str(kept) in server_rows(world.engine, "person")
    assert len(server_rows(world.engine, "note", [kept])) == 1
    assert _holds(a, kept)
    with world.engine.connect() as connection:
        assert (
            connection.execute(
                select(purged_person.c.person_id).where(purged_person.c.person_id == kept)
            ).first()
            is None
        )
    refused = [e for e in _actions(world) if e[0] == "erasure.tombstone_refused"]
    assert [(e[1], e[2]) for e in refused] == [(str(kept), "MAC invalide")], refused


def test_a_purge_learnt_by_asking_for_the_file_keeps_its_tombstone(
    world: Any, tmp_path: Any
) -> None:
    """A full download carries no purge entry: the laptop that held the file learns of the
    erasure by asking for it (``/sync/files`` lists it missing). It keeps the decision all
    the same, and is the one that shows it to the server restored from an older backup."""
    from sync.apply import STATE_CURSOR

    erased, kept, _a, b, _s = _team(world)
    backup = str(tmp_path / "backup.db")
    _sqlite_backup(world, backup)
    world.admin.erase_person(str(erased))
    with b.store.apply_remote() as session:  # a recovery: the scope downloaded again
        b.store.set_state(session, STATE_CURSOR, "0")
    report = b.sync()
    assert report.ok, report.message
    assert not _holds(b, erased) and _holds(b, kept)
    (stone,) = held_tombstones(b.store)
    assert stone["person_id"] == str(erased) and stone["reason"] == "erasure"

    _restore_server(world, backup)  # the other devices stay away
    report = b.sync()
    assert report.ok, report.message
    assert report.erasures_reapplied == 1, report
    assert str(erased) not in server_rows(world.engine, "person")
    assert str(kept) in server_rows(world.engine, "person")


def test_the_files_answer_gives_a_tombstone_only_to_who_followed_the_person(
    world: Any,
) -> None:
    erased, _kept, a, _b, _s = _team(world)
    world.user("bruno.petit", team="Nord")
    other = world.device("bruno-laptop", "bruno.petit")
    other.sync()
    world.admin.erase_person(str(erased))
    asked = {"person_ids": [str(erased)]}
    followed = a.client._request("POST", "/sync/files", body=asked)
    stranger = other.client._request("POST", "/sync/files", body=asked)
    assert followed["missing"] == stranger["missing"] == [str(erased)]
    assert [t["person_id"] for t in followed["tombstones"]] == [str(erased)]
    assert stranger["tombstones"] == []


def test_an_account_handed_off_before_the_purge_gets_no_tombstone(world: Any) -> None:
    """The same rule as the log's: a purge is told to who followed the person when it
    happened, not to a referent who handed her over years before."""
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.admin.create_team("Sud")
    world.user("bruno.petit", team="Sud")
    person = world.admin.create_person(
        {"last_name": "Quillet", "first_name": "Zoé"}, "alice.martin"
    )
    a = world.device("laptop-a", "alice.martin")
    a.sync()
    world.admin.assign(str(person), "bruno.petit")  # alice's access ends here
    a.sync()
    world.admin.erase_person(str(person))
    answer = a.client._request("POST", "/sync/files", body={"person_ids": [str(person)]})
    assert answer["missing"] == [str(person)]
    assert answer["tombstones"] == []


def test_a_purge_recorded_before_tombstones_is_signed_when_the_server_starts(
    world: Any, tmp_path: Any
) -> None:
    """A server upgraded with purges made before they were signed: its first start signs
    them (the decision as ``purged_person`` holds it), once. A laptop that held the file
    and learns of the purge afterwards keeps the tombstone, and a server restored from a
    backup taken before the erasure is shown it."""
    from sqlalchemy import update

    from sync.apply import STATE_CURSOR
    from sync.server.migrate import PURGES_SIGNED
    from sync.server.models import change_log, server_meta

    erased, kept, _a, b, _s = _team(world)
    backup = str(tmp_path / "backup.db")
    _sqlite_backup(world, backup)
    world.admin.erase_person(str(erased))
    with world.engine.begin() as connection:  # as the server recorded it before this change
        connection.execute(
            update(change_log)
            .where(change_log.c.kind == "purge", change_log.c.person_id == erased)
            .values(fields={"reason": "erasure"})
        )
        connection.execute(server_meta.delete().where(server_meta.c.key == PURGES_SIGNED))
    world.restart(lambda: None)  # the upgraded server starts
    with world.engine.connect() as connection:
        (fields,) = connection.execute(
            select(change_log.c.fields).where(
                change_log.c.kind == "purge", change_log.c.person_id == erased
            )
        ).scalars()
        signed = connection.execute(
            select(server_meta.c.value).where(server_meta.c.key == PURGES_SIGNED)
        ).scalar_one()
    assert fields["reason"] == "erasure" and len(fields["mac"]) == 64 and signed == "1"

    with b.store.apply_remote() as session:
        b.store.set_state(session, STATE_CURSOR, "0")
    assert b.sync().ok
    (stone,) = held_tombstones(b.store)
    assert stone["person_id"] == str(erased)
    _restore_server(world, backup)
    report = b.sync()
    assert report.ok and report.erasures_reapplied == 1, report
    assert str(erased) not in server_rows(world.engine, "person")
    assert str(kept) in server_rows(world.engine, "person")
