"""Regression tests of issue 10 ("sync that never loses and never halts"), one per case
of its *Why*, on a real server on loopback and real SQLCipher devices."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from spie_desktop.services.appointments import schedule_appointment, set_status
from spie_desktop.services.barriers import add_action, open_barrier
from spie_desktop.store.changes import utcnow
from tests.support.devkit import Device, server_rows

TABLES = ("person", "referent_assignment", "barrier", "action", "appointment", "note")


def _team(world: Any) -> tuple[uuid.UUID, Device, Device, Device]:
    """Alice (two laptops) and her supervisor Sophie, one person in Alice's caseload."""
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("sophie.roux", role="supervisor", team="Nord")
    person_id = world.admin.create_person(
        {"last_name": "Durand", "first_name": "Jean"}, "alice.martin"
    )
    a = world.device("laptop-a", "alice.martin")
    b = world.device("laptop-b", "alice.martin")
    s = world.device("supervisor", "sophie.roux")
    for device in (a, b, s):
        device.sync()
    return person_id, a, b, s


def _same_as_server(world: Any, device: Device, person_id: uuid.UUID) -> None:
    key = str(person_id)
    for table in TABLES:
        local = {
            row_id: row
            for row_id, row in device.rows(table).items()
            if (row_id if table == "person" else row.get("person_id")) == key
        }
        assert local == server_rows(world.engine, table, [person_id]), (device.name, table)


# -- Why 1: no row blocks a pull ----------------------------------------------------------------


def test_why1_appointment_created_then_recorded_reaches_peers(any_world: Any) -> None:
    """Create an appointment for a meeting that just happened, record it seen, then sync:
    the other laptop and the supervisor receive it (the insert's ``status`` was overwritten
    by the later change, the insert entry must still carry a whole row)."""
    world = any_world
    person_id, a, b, s = _team(world)
    with a.write() as session:
        appointment = schedule_appointment(
            session,
            a.actor,
            person_id,
            starts_at=utcnow() - timedelta(hours=1),
            mode="bureau",
            purpose="accompagnement",
        )
        appointment_id = appointment.id
    with a.write() as session:
        set_status(session, a.actor, appointment_id, "seen", summary="Entretien fait.")
    assert a.sync().ok
    for device in (b, s):
        report = device.sync()
        assert report.ok, (device.name, report.message)
        assert device.rows("appointment")[str(appointment_id)]["status"] == "seen"
        _same_as_server(world, device, person_id)
        assert device.client.status()["set_aside"] == []


def test_why1_barrier_that_got_an_action_reaches_peers(any_world: Any) -> None:
    world = any_world
    person_id, a, b, s = _team(world)
    with a.write() as session:
        barrier = open_barrier(session, a.actor, person_id, theme="mobilite")
        barrier_id = barrier.id
    with a.write() as session:
        add_action(session, a.actor, person_id, barrier_id=barrier_id, custom_label="Vélo")
    assert a.sync().ok
    for device in (b, s):
        report = device.sync()
        assert report.ok, (device.name, report.message)
        assert device.rows("barrier")[str(barrier_id)]["status"] == "in_progress"
        _same_as_server(world, device, person_id)


def test_why1_a_row_that_cannot_be_applied_is_set_aside_not_blocking(any_world: Any) -> None:
    """A row the device still cannot apply (here: a server-side bug gives a note an unknown
    kind) is set aside with its reason; the rest of the page, later pages and the cursor
    go on; the status shows it; it never makes the device fail again."""
    from sqlalchemy import update

    from spie_desktop.services.notes import write_note
    from sync.server.models import change_log

    world = any_world
    person_id, a, b, _s = _team(world)
    with a.write() as session:
        bad = write_note(session, a.actor, person_id, "Note abîmée par le serveur.")
        bad_id = bad.id
    with a.write() as session:
        good = write_note(session, a.actor, person_id, "Note saine.")
        good_id = good.id
    assert a.sync().ok
    with world.engine.begin() as connection:
        row = connection.execute(change_log.select().where(change_log.c.row_id == bad_id)).one()
        connection.execute(
            update(change_log)
            .where(change_log.c.seq == row.seq)
            .values(fields={**row.fields, "kind": "inconnu"})
        )
    report = b.sync()
    assert report.ok, report.message
    assert report.set_aside == 1
    notes = b.rows("note")
    assert str(good_id) in notes and str(bad_id) not in notes
    status = b.client.status()
    assert [(r["table"], r["row_id"]) for r in status["set_aside"]] == [("note", str(bad_id))]
    assert "mis de côté" in status["set_aside"][0]["message"]
    # Later writes still arrive; the set-aside row is retried without failing the sync.
    with a.write() as session:
        later = write_note(session, a.actor, person_id, "Note suivante.")
        later_id = later.id
    assert a.sync().ok
    report = b.sync()
    assert report.ok and str(later_id) in b.rows("note")
    assert b.client.status()["set_aside"][0]["attempts"] >= 2


def test_why1_partial_insert_gets_the_schema_defaults(world: Any) -> None:
    """An insert entry without a defaulted field (an older server) still applies: the
    device fills the schema's defaults."""
    from sync.apply import apply_page

    person_id, _a, b, _s = _team(world)
    appointment_id = uuid.uuid4()
    hlc = "0190000000000-0000-server"
    page = {
        "mode": "log",
        "next": b.store.get_state("cursor"),
        "more": False,
        "changes": [
            {
                "seq": 1,
                "kind": "change",
                "table": "appointment",
                "row_id": str(appointment_id),
                "person_id": str(person_id),
                "op": "upsert",
                "hlc": hlc[1:],
                "fields": {
                    "person_id": str(person_id),
                    "starts_at": "2026-12-01T10:00:00.000000Z",
                    "duration_minutes": 45,
                    "mode": "bureau",
                    "purpose": "suivi",
                    "created_at": "2026-12-01T09:00:00.000000Z",
                },
            }
        ],
    }
    stats = apply_page(b.store, page)
    assert stats.set_aside == 0
    assert b.rows("appointment")[str(appointment_id)]["status"] == "planned"


# -- Why 5 (last part) and Why 6: atomic acknowledgement, durable conflicts ----------------------


def _conflicts(device: Device) -> list[Any]:
    from spie_desktop.services.conflicts import list_conflicts

    with device.store.read() as session:
        return list_conflicts(session)


def test_why5_killed_between_acknowledgement_and_winner_never_keeps_losing_value(
    world: Any, monkeypatch: Any
) -> None:
    """The acknowledgement, the winning value and the conflict commit together: a device
    that dies in between has committed none of them, re-pushes, and takes the winner."""
    import pytest

    import sync.client
    from spie_desktop.services.persons import update_person

    person_id, a, b, _s = _team(world)
    with b.write() as session:
        update_person(session, b.actor, person_id, {"city": "Cosne"})  # older edit
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Nevers"})  # newer edit
    assert a.sync().ok

    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("kill -9")

    before = b.client.pending_count()
    monkeypatch.setattr(sync.client, "insert_conflict", crash)
    with pytest.raises(RuntimeError):
        b.sync()
    monkeypatch.undo()
    assert b.client.pending_count() == before  # nothing of the acknowledgement was committed
    assert b.sync().ok
    assert b.rows("person")[str(person_id)]["city"] == "Nevers"
    assert b.client.pending_count() == 0
    b.sync()
    assert b.rows("person")[str(person_id)]["city"] == "Nevers"
    [conflict] = _conflicts(b)
    assert (conflict.field, conflict.ours, conflict.theirs) == ("city", "Cosne", "Nevers")


def test_why6_conflict_is_durable_and_told_to_the_device_whose_value_lost(world: Any) -> None:
    """Both push orders: the pusher whose value lost is told in the push answer; the
    device whose value a push overwrote unseen is told through its pull. Both keep the
    conflict (both values, who wrote them) until the user has seen it, across restarts."""
    from spie_desktop.services.conflicts import mark_conflicts_seen
    from spie_desktop.services.persons import update_person
    from spie_desktop.store.store import Store

    person_id, a, b, _s = _team(world)
    with a.write() as session:
        update_person(session, a.actor, person_id, {"phone": "06 00 00 00 01"})
    assert a.sync().ok  # a's value reaches the server first
    with b.write() as session:  # b never pulled it, and edits later: b's value wins
        update_person(session, b.actor, person_id, {"phone": "06 00 00 00 02"})
    assert b.sync().ok
    assert _conflicts(b) == []  # b's value won: nothing lost for b
    report = a.sync()
    assert report.ok
    assert a.rows("person")[str(person_id)]["phone"] == "06 00 00 00 02"
    [conflict] = _conflicts(a)
    assert (conflict.field, conflict.ours, conflict.theirs) == (
        "phone",
        "06 00 00 00 01",
        "06 00 00 00 02",
    )
    assert conflict.their_author == "Alice Martin" and conflict.person_name == "Jean Durand"
    assert a.client.status()["conflicts"] == 1
    # Durable: the device stops and starts again, the conflict is still there.
    data_dir, ring = a.data_dir, a.ring
    a.close()
    reopened = Store.open(data_dir, "phrase de passe de test", keyring_backend=ring)
    try:
        with reopened.read() as session:
            from spie_desktop.services.conflicts import list_conflicts

            assert [c.field for c in list_conflicts(session)] == ["phone"]
        with reopened.write() as session:
            assert mark_conflicts_seen(session) == 1
        with reopened.read() as session:
            assert list_conflicts(session) == []
            assert len(list_conflicts(session, include_seen=True)) == 1
    finally:
        reopened.close()
    world.devices.remove(a)


# -- Why 2, 3: reconcile, never reload-and-delete -----------------------------------------------


def _sqlite_backup(world: Any, target: str) -> None:
    import sqlite3

    source = sqlite3.connect(world.settings.data_dir / "server.db")
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def _restore_server(world: Any, backup: str) -> None:
    import shutil

    def restore() -> None:
        database = world.settings.data_dir / "server.db"
        for suffix in ("-wal", "-shm"):
            (database.parent / f"server.db{suffix}").unlink(missing_ok=True)
        shutil.copyfile(backup, database)

    world.restart(restore)


def test_why2_server_restored_from_backup_loses_no_acknowledged_write(
    world: Any, tmp_path: Any
) -> None:
    """A device pushed work after last night's backup, all acknowledged; the server is
    restored. At the next sync the device re-sends what the server lacks or holds older
    (a new person with notes, edits, a barrier then its action, audit events), parents
    first, deletes nothing, and says so; the second device converges."""
    from sqlalchemy import func, select

    from spie_desktop.domain.models import AuditEvent
    from spie_desktop.services.notes import write_note
    from spie_desktop.services.persons import create_person, update_person
    from sync.client import recovery_sentence

    person_id, a, b, s = _team(world)
    backup = str(tmp_path / "backup.db")
    _sqlite_backup(world, backup)
    with a.write() as session:
        created = create_person(session, a.actor, {"last_name": "Nouvelle", "first_name": "Eve"})
        new_id = created.id
    with a.write() as session:
        write_note(session, a.actor, new_id, "Premier entretien.")
        update_person(session, a.actor, person_id, {"city": "Nevers"})
    with a.write() as session:
        barrier = open_barrier(session, a.actor, person_id, theme="mobilite")
        barrier_id = barrier.id
    with a.write() as session:
        action = add_action(session, a.actor, person_id, barrier_id=barrier_id, custom_label="Vélo")
        action_id = action.id
        update_person(session, a.actor, person_id, {"city": "Cosne"})
    assert a.sync().ok and a.client.pending_count() == 0
    assert b.sync().ok
    with a.store.read() as session:
        audits = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    _restore_server(world, backup)

    report = a.sync()
    assert report.ok, report.message
    assert report.recovered and report.recovery_reason == "server_restored"
    assert report.resent > 0 and report.resend_refused == 0 and report.removed == 0
    sentence = recovery_sentence(report)
    assert "renvoyée" in sentence and "Aucun dossier retiré" in sentence
    assert "conservées" not in sentence
    assert str(new_id) in server_rows(world.engine, "person")
    assert server_rows(world.engine, "person", [person_id])[str(person_id)]["city"] == "Cosne"
    assert str(action_id) in server_rows(world.engine, "action", [person_id])
    assert str(barrier_id) in server_rows(world.engine, "barrier", [person_id])
    assert len(server_rows(world.engine, "note", [new_id])) == 1
    with world.engine.connect() as connection:
        from sync.schema import table_of

        audit = table_of("audit_event")
        on_server = connection.execute(
            select(func.count()).select_from(audit).where(audit.c.device_id == a.store.device_id)
        ).scalar_one()
    assert on_server == audits
    # The device kept everything, and agrees with the server.
    for pid in (person_id, new_id):
        _same_as_server(world, a, pid)
    # The second device and the supervisor converge, deleting nothing the server holds.
    for device in (b, s):
        assert device.sync().ok
        for pid in (person_id, new_id):
            _same_as_server(world, device, pid)
    assert a.sync().counts_ok is not False


def test_why3_device_restored_from_older_copy_gets_its_synced_edits_back(
    world: Any, tmp_path: Any
) -> None:
    """A laptop restored from an older copy of its data directory is recognised (its
    generation is behind the server's) and gets back the values it had pushed since."""
    import shutil

    from spie_desktop.services.persons import update_person
    from spie_desktop.store.store import Store

    person_id, a, _b, _s = _team(world)
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Avant"})
    assert a.sync().ok
    copy = tmp_path / "copy"
    a.store.close()
    shutil.copytree(a.data_dir, copy)
    a.store = Store.open(a.data_dir, "phrase de passe de test", keyring_backend=a.ring)
    a.client.store = a.store
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Après", "phone": "06 11 22 33 44"})
    assert a.sync().ok
    # The disk dies; the laptop comes back from the older copy.
    a.close()
    shutil.rmtree(a.data_dir)
    shutil.copytree(copy, a.data_dir)
    world.devices.remove(a)
    from sync.client import RetryPolicy, SyncClient

    restored = Store.open(a.data_dir, "phrase de passe de test", keyring_backend=a.ring)
    a.store = restored
    a.client = SyncClient(
        restored,
        keyring_backend=a.ring,
        retry=RetryPolicy(attempts=2, base_delay=0.01),
        verify_every_s=0,
    )
    world.devices.append(a)
    assert a.rows("person")[str(person_id)]["city"] == "Avant"
    report = a.sync()
    assert report.ok, report.message
    assert report.recovered and report.recovery_reason == "device_restored"
    assert a.rows("person")[str(person_id)]["city"] == "Après"
    _same_as_server(world, a, person_id)
    # Later edits go on normally.
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Ensuite"})
    again = a.sync()
    assert again.ok and not again.recovered
    assert server_rows(world.engine, "person", [person_id])[str(person_id)]["city"] == "Ensuite"


# -- Why 5: clocks ----------------------------------------------------------------------------

DAY_MS = 86_400_000


def _city(world: Any, person_id: uuid.UUID) -> Any:
    return server_rows(world.engine, "person", [person_id])[str(person_id)]["city"]


def test_why5_fast_laptop_offline_edit_keeps_its_own_time(world: Any) -> None:
    """A laptop two days fast edits offline, a correct laptop edits later: the later edit
    wins (the fast edit is corrected by the measured offset, not stamped with the push
    time), the skew is reported, the fast laptop is told its value lost."""
    import time

    from spie_desktop.services.persons import update_person

    person_id, fast, fair, _s = _team(world)
    fast.set_clock_offset(2 * DAY_MS)
    with fast.write() as session:
        update_person(session, fast.actor, person_id, {"city": "Rapide"})
    time.sleep(0.05)
    with fair.write() as session:
        update_person(session, fair.actor, person_id, {"city": "Plus tard"})
    assert fair.sync().ok
    report = fast.sync()
    assert report.ok
    assert report.clock_warning and "avance de 2 jours" in report.clock_warning
    assert _city(world, person_id) == "Plus tard"
    assert fast.rows("person")[str(person_id)]["city"] == "Plus tard"
    assert [c.field for c in _conflicts(fast)] == ["city"]


def test_why5_fast_laptop_fixed_does_not_keep_winning(world: Any) -> None:
    import time

    from spie_desktop.services.persons import update_person

    person_id, fast, fair, _s = _team(world)
    fast.set_clock_offset(2 * DAY_MS)
    with fast.write() as session:
        update_person(session, fast.actor, person_id, {"phone": "06 00 00 00 09"})
    assert fast.sync().ok
    fast.set_clock_offset(0)  # the clock is fixed; its HLC was two days ahead
    with fast.write() as session:
        update_person(session, fast.actor, person_id, {"city": "Corrigée"})
    time.sleep(0.05)
    with fair.write() as session:
        update_person(session, fair.actor, person_id, {"city": "Ensuite"})
    assert fair.sync().ok
    assert fast.sync().ok
    assert _city(world, person_id) == "Ensuite"
    assert fair.sync().ok
    assert fair.rows("person") == fast.rows("person")


def test_why5_fast_laptop_fixed_before_sync_does_not_keep_winning(world: Any) -> None:
    """Edits queued while two days fast, clock fixed before they are sent: they are
    stamped again at the sync, in their order (their true moment is unknowable once the
    clock is fixed), and do not win over edits made after that sync."""
    import time

    from spie_desktop.services.persons import update_person

    person_id, fast, fair, _s = _team(world)
    fast.set_clock_offset(2 * DAY_MS)
    with fast.write() as session:
        update_person(session, fast.actor, person_id, {"city": "Rapide 1"})
    with fast.write() as session:
        update_person(session, fast.actor, person_id, {"city": "Rapide 2"})
    fast.set_clock_offset(0)
    assert fast.sync().ok
    assert _city(world, person_id) == "Rapide 2"  # the device's own order kept
    time.sleep(0.05)
    with fair.write() as session:
        update_person(session, fair.actor, person_id, {"city": "Plus tard"})
    assert fair.sync().ok
    assert _city(world, person_id) == "Plus tard"
    with fast.write() as session:
        stamp = fast.store.clock.now()
    assert int(stamp.split("-")[0], 16) < (time.time_ns() // 1_000_000) + 5 * 60 * 1000


def test_why5_slow_laptop_edit_after_seeing_the_other_value_wins(world: Any) -> None:
    """A laptop two days slow: its offline edit loses to a newer one (the winner comes
    back in the push answer); the edit it makes after seeing the winner wins."""
    from spie_desktop.services.persons import update_person

    person_id, slow, fair, _s = _team(world)
    slow.set_clock_offset(-2 * DAY_MS)
    with slow.write() as session:
        update_person(session, slow.actor, person_id, {"city": "Lente 1"})
    with fair.write() as session:
        update_person(session, fair.actor, person_id, {"city": "Correcte"})
    assert fair.sync().ok
    assert slow.sync().ok
    assert slow.rows("person")[str(person_id)]["city"] == "Correcte"
    with slow.write() as session:  # after seeing « Correcte »
        update_person(session, slow.actor, person_id, {"city": "Lente 2"})
    assert slow.sync().ok
    assert _city(world, person_id) == "Lente 2"
    # And after a restart of the slow laptop (the newest clock it saw is kept).
    with fair.write() as session:
        update_person(session, fair.actor, person_id, {"city": "Correcte 2"})
    assert fair.sync().ok
    assert slow.sync().ok
    from spie_desktop.store.store import Store

    slow.store.close()
    slow.store = Store.open(slow.data_dir, "phrase de passe de test", keyring_backend=slow.ring)
    slow.client.store = slow.store
    slow.set_clock_offset(-2 * DAY_MS)
    with slow.write() as session:
        update_person(session, slow.actor, person_id, {"city": "Lente 3"})
    assert slow.sync().ok
    assert _city(world, person_id) == "Lente 3"


# -- Why 7: a full disk -------------------------------------------------------------------------


def _limit_store_size(device: Device, extra_pages: int) -> Any:
    """A real SQLITE_FULL: the store may grow by ``extra_pages`` pages only."""
    from sqlalchemy import event

    engine = device.store.engine
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()

    def limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages) + extra_pages}")

    event.listen(engine, "connect", limit)
    engine.dispose()

    def free() -> None:
        event.remove(engine, "connect", limit)
        engine.dispose()

    return free


def test_why7_full_disk_says_disque_plein_and_loses_nothing(world: Any) -> None:
    """Writing on a full disk says « disque plein » with what to do, the store stays sound
    (never « base locale endommagée »); a sync that cannot store what it receives fails the
    same way, keeps its cursor, and completes once there is room."""
    import pytest

    from spie_desktop.errors import DiskFullError
    from spie_desktop.services.notes import write_note

    person_id, a, b, _s = _team(world)
    with b.write() as session:
        kept = write_note(session, b.actor, person_id, "Écrite avant que le disque soit plein.")
        kept_id = kept.id
    for i in range(40):
        with a.write() as session:
            write_note(session, a.actor, person_id, f"Longue note {i} " + "x" * 4000)
    assert a.sync().ok
    free = _limit_store_size(b, 4)
    try:
        with pytest.raises(DiskFullError) as raised, b.write() as session:
            for i in range(10):
                write_note(session, b.actor, person_id, f"{i} " + "y" * 19_000)
        assert "Disque plein" in raised.value.message and "Libérez" in raised.value.message
        cursor = b.store.get_state("cursor")
        report = b.sync(expect_ok=False)
        assert report.status == "error" and report.code == "disk_full"
        assert "Disque plein" in (report.message or "")
        assert b.store.get_state("cursor") == cursor
        assert b.store.check() == []  # sound: nothing damaged
    finally:
        free()
    assert str(kept_id) in b.rows("note")
    assert b.sync().ok
    _same_as_server(world, b, person_id)
    assert str(kept_id) in server_rows(world.engine, "note", [person_id])


# -- Why 4: a revoked device says what the wipe cost -------------------------------------------


def test_why4_revoked_device_says_how_many_unsent_changes_were_destroyed(world: Any) -> None:
    from spie_desktop.services.persons import update_person

    person_id, a, _b, _s = _team(world)
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Jamais envoyée"})
    unsent = a.client.pending_count()
    assert unsent >= 1
    told: list[str] = []
    a.client.on_wipe = told.append
    world.admin.revoke_device(a.store.device_id, reason="volé")
    report = a.client.sync()
    assert report.status == "revoked" and report.destroyed == unsent
    assert f"{unsent} modification(s) non envoyée(s)" in told[0]
    assert f"{unsent} modification(s) non envoyée(s)" in (report.message or "")
    assert not (a.data_dir / "store.db").exists()
    world.devices.remove(a)


# -- What must hold 5: two kinds of revocation ------------------------------------------------


def _device_row(world: Any, device_id: str) -> Any:
    from sqlalchemy import select

    from sync.server.models import device

    with world.engine.connect() as connection:
        return connection.execute(select(device).where(device.c.id == device_id)).one()


def test_revoke_retired_takes_the_final_push_then_wipes(world: Any) -> None:
    from spie_desktop.services.persons import update_person

    person_id, a, b, _s = _team(world)
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Dernier envoi"})
        update_person(session, a.actor, person_id, {"phone": "0102030405"})
    unsent = a.client.pending_count()
    assert unsent >= 2
    a.client.close()
    a.client._access_token = None  # its next request renews its session: still allowed
    a.client._access_expires = 0.0
    told: list[str] = []
    a.client.on_wipe = told.append
    world.admin.revoke_device(a.store.device_id, reason="remplacé", kind="retired")
    report = a.client.sync()
    assert report.status == "revoked" and report.revoke_kind == "retired", report
    assert report.destroyed == 0 and report.pushed == unsent
    assert "retiré du service" in told[0] and "Aucune modification non envoyée" in told[0]
    assert f"Ses {unsent} dernière(s) modification(s) ont été envoyées" in told[0]
    assert not (a.data_dir / "store.db").exists()
    world.devices.remove(a)
    # The final push is on the server and reaches the other laptop.
    person = server_rows(world.engine, "person", [person_id])[str(person_id)]
    assert person["city"] == "Dernier envoi" and person["phone"] == "0102030405"
    b.sync()
    assert b.rows("person")[str(person_id)]["city"] == "Dernier envoi"
    report_device = a.store.device_id
    row = _device_row(world, report_device)
    assert row.revoke_kind == "retired" and row.wiped_at is not None
    assert row.unsent_destroyed == 0
    # Once told to wipe, nothing of it is taken any more (a copy of its session neither).
    from sqlalchemy import select

    from sync.server.models import refresh_token

    with world.engine.connect() as connection:
        live = connection.execute(
            select(refresh_token.c.id).where(
                refresh_token.c.device_id == report_device, refresh_token.c.revoked_at.is_(None)
            )
        ).all()
    assert live == []


def test_revoke_lost_is_refused_at_once_and_the_server_records_the_loss(world: Any) -> None:
    from spie_desktop.services.persons import update_person

    person_id, a, _b, _s = _team(world)
    before = server_rows(world.engine, "person", [person_id])[str(person_id)]
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Jamais envoyée"})
        update_person(session, a.actor, person_id, {"phone": "0102030405"})
        update_person(session, a.actor, person_id, {"email": "jean.durand@example.org"})
    unsent = a.client.pending_count()
    assert unsent >= 3
    told: list[str] = []
    a.client.on_wipe = told.append
    world.admin.revoke_device(a.store.device_id, reason="volé dans le train", kind="lost")
    report = a.client.sync()
    assert report.status == "revoked" and report.revoke_kind == "lost", report
    assert report.pushed == 0 and report.destroyed == unsent
    assert "perdu ou volé" in told[0]
    assert f"{unsent} modification(s) non envoyée(s) au serveur sont détruites" in told[0]
    assert not (a.data_dir / "store.db").exists()
    world.devices.remove(a)
    # Nothing of it reached the server; the server knows what the theft cost.
    assert server_rows(world.engine, "person", [person_id])[str(person_id)] == before
    row = _device_row(world, a.store.device_id)
    assert row.revoke_kind == "lost" and row.wiped_at is not None
    assert row.unsent_destroyed == unsent
    listed = {d["id"]: d for d in world.admin.list_devices()}[a.store.device_id]
    assert listed["revoke_kind"] == "lost" and listed["unsent_destroyed"] == unsent


def test_revoke_kind_unknown_is_refused_in_french(world: Any) -> None:
    import pytest

    from sync.server.admin import AdminError

    _person_id, a, _b, _s = _team(world)
    with pytest.raises(AdminError) as caught:
        world.admin.revoke_device(a.store.device_id, kind="égaré")
    assert caught.value.code == "unknown_revoke_kind" and "Type de révocation" in str(caught.value)
    assert _device_row(world, a.store.device_id).revoked_at is None
    assert a.sync().ok
