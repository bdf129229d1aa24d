"""Queue health: a change refused for good is reported and set aside without blocking the
others; a record edited while its push is in flight stays pending; a cursor the server no
longer knows (restored from an older backup) leads to a full re-download that keeps every
unsynced local edit; after each sync the device and the server agree on per-table counts."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from typing import Any

import httpx
from sqlalchemy import select

from spie_desktop.domain.models import AuditEvent
from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from spie_desktop.store.local_models import OutboxEntry, OutboxState
from sync.client import SyncReport
from tests.support.devkit import Device, server_rows


def _setup(world: Any) -> tuple[uuid.UUID, uuid.UUID]:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    p1 = world.admin.create_person(
        {"last_name": "Un", "first_name": "A", "external_id": "E-1"}, "alice.martin"
    )
    p2 = world.admin.create_person({"last_name": "Deux", "first_name": "B"}, "alice.martin")
    return p1, p2


def _outbox(device: Device) -> list[tuple[str, str]]:
    with device.store.read() as session:
        return [
            (entry.table_name, entry.state)
            for entry in session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars()
        ]


def test_refused_change_is_set_aside_and_does_not_block(world: Any) -> None:
    p1, p2 = _setup(world)
    world.user("carol.petit", team="Nord")
    world.admin.create_person(
        {"last_name": "Ailleurs", "first_name": "C", "external_id": "E-9"}, "carol.petit"
    )
    device = world.device("laptop", "alice.martin")
    device.sync()
    with device.write() as session:
        # The department's id of a person this device does not hold: the server's unique
        # constraint refuses it (the device could not know).
        update_person(session, device.actor, p2, {"external_id": "E-9"})
    with device.write() as session:
        write_note(session, device.actor, p2, "Note après la modification refusée.")
        update_person(session, device.actor, p1, {"city": "Nevers"})
    report = device.sync()
    assert report.ok
    assert len(report.rejected) == 1
    rejected = report.rejected[0]
    assert (rejected.table, rejected.code) == ("person", "constraint_violation")
    assert "cohérence" in rejected.message
    # The changes behind it went through.
    assert server_rows(world.engine, "person", [p1])[str(p1)]["city"] == "Nevers"
    assert any(
        n["text"].startswith("Note après") for n in server_rows(world.engine, "note", [p2]).values()
    )
    assert [s for _, s in _outbox(device)] == [OutboxState.REJECTED]
    # Later syncs are not blocked, and the rejected change is still reported in the status.
    with device.write() as session:
        update_person(session, device.actor, p1, {"city": "Cosne"})
    assert device.sync().ok
    assert server_rows(world.engine, "person", [p1])[str(p1)]["city"] == "Cosne"
    assert device.client.status()["rejected"][0]["code"] == "constraint_violation"
    assert device.sync().counts_ok


def test_invalid_change_refuses_its_batch_then_is_set_aside(world: Any) -> None:
    """A change the server cannot even decode (a tampered store: an unknown code) makes the
    push a 422; the client sets that one change aside and sends the others."""
    p1, _ = _setup(world)
    device = world.device("laptop", "alice.martin")
    device.sync()
    with device.write() as session:
        update_person(session, device.actor, p1, {"city": "Avant"})
        session.add(
            AuditEvent(
                occurred_at=_now(),
                actor_id=None,
                device_id="x",
                person_id=p1,
                action="open",
                detail="ok",
            )
        )
    with device.store.write() as session:  # tamper with the queued audit event
        entry = (
            session.execute(
                select(OutboxEntry)
                .where(OutboxEntry.table_name == "audit_event")
                .order_by(OutboxEntry.seq.desc())
            )
            .scalars()
            .first()
        )
        assert entry is not None
        entry.fields = {**entry.fields, "action": "pirater"}
    with device.write() as session:
        update_person(session, device.actor, p1, {"city": "Après"})
    report = device.sync()
    assert report.ok
    assert [r.code for r in report.rejected] == ["unknown_code"]
    assert server_rows(world.engine, "person", [p1])[str(p1)]["city"] == "Après"


def test_record_edited_while_its_push_is_in_flight_stays_pending(world: Any) -> None:
    p1, _ = _setup(world)
    holder: dict[str, Device] = {}
    pushes: list[dict[str, Any]] = []

    class EditDuringPush(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/sync/push":
                device = holder["device"]
                pushes.append(
                    {
                        "outbox": _outbox(device),
                        "server_city": server_rows(world.engine, "person", [p1])[str(p1)]["city"],
                    }
                )
                if len(pushes) == 1:
                    with device.write() as session:
                        update_person(session, device.actor, p1, {"city": "Édité pendant l'envoi"})
            return super().handle_request(request)

    device = world.device("laptop", "alice.martin", transport=EditDuringPush())
    holder["device"] = device
    device.sync()
    with device.write() as session:
        update_person(session, device.actor, p1, {"city": "Première valeur"})
    report = device.sync()
    assert report.ok
    assert len(pushes) == 2
    # The first push carried the first value; its acknowledgement deleted only its own
    # entries: the edit made while it was in flight was still pending, and went next.
    in_flight = [("audit_event", "in_flight"), ("person", "in_flight")]
    assert sorted(pushes[0]["outbox"]) == in_flight
    assert sorted(pushes[1]["outbox"]) == in_flight
    assert pushes[1]["server_city"] == "Première valeur"
    assert _outbox(device) == []
    assert device.rows("person")[str(p1)]["city"] == "Édité pendant l'envoi"
    assert server_rows(world.engine, "person", [p1])[str(p1)]["city"] == "Édité pendant l'envoi"
    assert report.counts_ok


def test_pulled_change_does_not_overwrite_a_pending_local_edit(world: Any) -> None:
    p1, _ = _setup(world)
    a = world.device("a", "alice.martin")
    b = world.device("b", "alice.martin")
    a.sync()
    b.sync()
    with a.write() as session:
        update_person(session, a.actor, p1, {"city": "Ancienne (a)"})
    with b.write() as session:
        update_person(session, b.actor, p1, {"city": "Récente (b)"})
    a.sync()
    # b pulls a's older value while its own newer edit is still pending: kept locally.
    report = SyncReport()
    b.client._report = report
    b.client._pull_all(report)
    assert b.rows("person")[str(p1)]["city"] == "Récente (b)"
    b.sync()
    a.sync()
    assert a.rows("person")[str(p1)]["city"] == "Récente (b)"
    assert server_rows(world.engine, "person", [p1])[str(p1)]["city"] == "Récente (b)"


def _backup(world: Any, target: str) -> None:
    database = world.settings.data_dir / "server.db"
    source = sqlite3.connect(database)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def test_server_restored_from_older_backup_full_redownload_keeps_local_edits(
    world: Any, tmp_path: Any
) -> None:
    p1, p2 = _setup(world)
    device = world.device("laptop", "alice.martin")
    other = world.device("colleague", "alice.martin")
    device.sync()
    other.sync()
    backup = str(tmp_path / "backup.db")
    _backup(world, backup)

    # After the backup: acknowledged work that the restored server will not have.
    with device.write() as session:
        lost_note = write_note(session, device.actor, p1, "Écrite après la sauvegarde.")
    device.sync()
    other.sync()
    before = device.client.store.get_state("cursor")

    def restore() -> None:
        database = world.settings.data_dir / "server.db"
        for suffix in ("-wal", "-shm"):
            (database.parent / f"server.db{suffix}").unlink(missing_ok=True)
        shutil.copyfile(backup, database)

    world.restart(restore)
    # The restored server moves on (another device writes), past the device's old cursor.
    for i in range(6):
        world.admin.create_person({"last_name": f"Nouveau{i}", "first_name": "N"}, "alice.martin")

    # Unsynced local edits at the moment of the re-download.
    with device.write() as session:
        update_person(session, device.actor, p2, {"city": "Modifiée hors ligne"})
    report = SyncReport()
    device.client._report = report
    device.client._pull_all(report)  # the pull alone: the edit is still pending
    assert report.recovered
    assert device.store.get_state("cursor") != before
    assert device.rows("person")[str(p2)]["city"] == "Modifiée hors ligne"
    assert device.client.pending_count() >= 1

    final = device.sync()
    assert final.ok and final.counts_ok
    server_p2 = server_rows(world.engine, "person", [p2])[str(p2)]
    assert server_p2["city"] == "Modifiée hors ligne"
    # The note the restored server had lost was queued again from the device.
    assert str(lost_note.id) in server_rows(world.engine, "note", [p1])
    assert len([r for r in device.rows("person").values()]) == 8
    # The other device converges too, with a second (now known) recovery of its own.
    assert other.sync().ok
    assert other.rows("note") == device.rows("note") == server_rows(world.engine, "note")


def test_count_mismatch_triggers_one_recovery(world: Any) -> None:
    p1, _ = _setup(world)
    device = world.device("laptop", "alice.martin")
    first = device.sync()
    assert first.counts_ok is True
    # Damage the local copy behind the engine's back (a row vanishes).
    with device.store.apply_remote() as session:
        session.connection().exec_driver_sql(
            "DELETE FROM referent_assignment WHERE person_id = ?", (p1.hex,)
        )
    report = device.sync()
    assert report.recovered and report.counts_ok
    assert device.rows("referent_assignment") == server_rows(world.engine, "referent_assignment")
    again = device.sync()
    assert not again.recovered and again.counts_ok


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_sync_never_runs_twice_at_once_and_reports_progress(world: Any) -> None:
    import threading

    p1, _ = _setup(world)
    events: list[tuple[str, int, int | None]] = []
    inside = threading.Event()
    release = threading.Event()
    armed = threading.Event()

    class SlowPull(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/sync/pull" and armed.is_set() and not inside.is_set():
                inside.set()
                release.wait(10)
            return super().handle_request(request)

    device = world.device(
        "laptop",
        "alice.martin",
        transport=SlowPull(),
        on_progress=lambda p: events.append((p.phase, p.done, p.total)),
    )
    device.sync()
    events.clear()
    armed.set()
    with device.write() as session:
        write_note(session, device.actor, p1, "Pendant qu'une autre synchronisation tourne.")
    results: list[SyncReport] = []
    first = threading.Thread(target=lambda: results.append(device.client.sync()))
    first.start()
    assert inside.wait(10)
    second = device.client.sync()  # same client, while the first one runs
    from sync.client import SyncClient

    twin = SyncClient(device.store, keyring_backend=device.ring)  # another engine, same store
    third = twin.sync()
    twin.close()
    release.set()
    first.join(20)
    assert second.status == third.status == "busy"
    assert "déjà en cours" in (second.message or "")
    assert results and results[0].ok
    phases = [phase for phase, _, _ in events]
    assert "push" in phases and "pull" in phases
    push_events = [(done, total) for phase, done, total in events if phase == "push"]
    assert push_events[-1][0] == push_events[-1][1] == 2


def test_sync_with_nothing_to_do_is_one_small_round_trip(world: Any) -> None:
    p1, _ = _setup(world)
    device = world.device("laptop", "alice.martin", verify_every_s=3600)
    first = device.sync()
    assert first.counts_ok is True  # never verified yet: counts compared
    idle = device.sync()
    assert idle.ok and idle.requests == 1
    assert idle.bytes_received < 1024 and idle.counts_ok is None
    with device.write() as session:
        update_person(session, device.actor, p1, {"city": "Nevers"})
    changed = device.sync()
    assert changed.counts_ok is True  # anything pushed or pulled: compared again
    world.admin.create_person({"last_name": "Trois", "first_name": "C"}, "alice.martin")
    assert device.sync().counts_ok is True
