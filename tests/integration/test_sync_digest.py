"""Issue 10, What 3: divergence that edits alone make is detected by digests and repaired,
file by file, on a real server on loopback and real SQLCipher devices.

Each device of these tests compares after every sync (``verify_every_s=0``); the scope
digest rides on the pull's last page with the counts, per-person digests
(``GET /sync/digests``) locate the files that differ, only those are reconciled (our own
writes re-sent through ``/sync/diff``) and downloaded again (``POST /sync/files``)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import delete, select, update

from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from sync.apply import local_digests, scope_digest_of
from sync.schema import table_of
from sync.server.digest import rebuild_person_digests, scope_digest
from sync.server.models import row_clock
from tests.support.devkit import Device, server_rows

TABLES = ("person", "note")


def _team(world: Any) -> tuple[uuid.UUID, uuid.UUID, Device, Device, Device]:
    """Alice (two laptops), her supervisor Sophie, two persons in Alice's caseload with a
    sensitive note each (withheld from Sophie's device)."""
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("sophie.roux", role="supervisor", team="Nord")
    first = world.admin.create_person({"last_name": "Durand", "first_name": "Jean"}, "alice.martin")
    second = world.admin.create_person({"last_name": "Petit", "first_name": "Lou"}, "alice.martin")
    a = world.device("laptop-a", "alice.martin")
    b = world.device("laptop-b", "alice.martin")
    s = world.device("supervisor", "sophie.roux")
    a.sync()
    with a.write() as session:
        for person in (first, second):
            write_note(session, a.actor, person, "Suivi ordinaire.")
            write_note(session, a.actor, person, "Confidentiel.", sensitive=True)
            update_person(session, a.actor, person, {"city": "Lille"})
    for device in (a, b, s):
        device.sync()
    return first, second, a, b, s


def _device_digest(device: Device) -> str:
    return scope_digest_of(local_digests(device.store)[0])


def _server_digest(world: Any, username: str) -> str:
    referent = table_of("referent")
    with world.engine.connect() as connection:
        referent_id = connection.execute(
            select(referent.c.id).where(
                referent.c.last_name == username.split(".")[-1].capitalize()
            )
        ).scalar_one()
        return scope_digest(connection, referent_id)


def _file_of(device: Device, table: str, person_id: uuid.UUID) -> dict[str, Any]:
    key = str(person_id)
    return {
        row_id: row
        for row_id, row in device.rows(table).items()
        if (row_id if table == "person" else row.get("person_id")) == key
    }


def _same_as_server(world: Any, device: Device, person_id: uuid.UUID) -> None:
    for table in TABLES:
        held = _file_of(device, table, person_id)
        if device.name == "supervisor":
            continue  # withheld texts: compared by digest instead
        assert held == server_rows(world.engine, table, [person_id]), (device.name, table)


def test_no_false_alarm_for_withheld_notes_refused_and_pending_rows(any_world: Any) -> None:
    """Rows a device legitimately holds differently — a supervisor's withheld note texts,
    a change the server refused, changes not sent yet — never look like a divergence."""
    world = any_world
    first, _second, a, b, s = _team(world)
    for device in (a, b, s):
        report = device.sync()
        assert report.digest_ok is True, (device.name, report)
        assert not report.recovered and report.repaired_persons == 0
    assert _device_digest(s) == _device_digest(a) == _device_digest(b)
    assert _device_digest(s) == _server_digest(world, "sophie.roux")
    # The supervisor's device holds the withheld text, with the same clocks.
    texts = {row["text"] for row in _file_of(s, "note", first).values()}
    assert "Confidentiel." not in texts
    # A change refused for good stays on its device (set aside in the outbox, its row held
    # locally without a server clock): no divergence either.
    with b.write() as session:
        refused = write_note(session, b.actor, first, "Refusée par le serveur.").id
    with b.store.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE outbox SET state = 'rejected', error_code = 'out_of_scope'"
        )
    report = b.sync()
    assert report.digest_ok is True and not report.recovered, report
    assert str(refused) in b.rows("note")
    assert str(refused) not in server_rows(world.engine, "note", [first])
    # Changes not sent yet: compared only once sent (they would differ until then).
    with a.write() as session:
        write_note(session, a.actor, first, "Envoyée à la synchronisation.")
    for device in (a, s):
        report = device.sync()
        assert report.ok and report.digest_ok is True and not report.recovered, device.name


def test_divergence_behind_the_sync_is_detected_and_only_that_file_repaired(
    any_world: Any,
) -> None:
    """Laptop B's store diverges silently: a note removed and the person's city back to an
    older value with its older clock (an edit it never received), written straight into
    its database. Counts alone would see the note, never the city. Its next sync detects
    both by digest, repairs that one file (not the other person's), deleting nothing."""
    world = any_world
    first, second, _a, b, _s = _team(world)
    first_hex = first.hex
    note_id = next(
        row_id
        for row_id, row in _file_of(b, "note", first).items()
        if row["text"] == "Suivi ordinaire."
    )
    with b.store.write() as session:
        conn = session.connection()
        conn.exec_driver_sql("DELETE FROM note WHERE id = ?", (uuid.UUID(note_id).hex,))
        conn.exec_driver_sql("UPDATE person SET city = 'Ancienne' WHERE id = ?", (first_hex,))
        conn.exec_driver_sql(
            "UPDATE row_sync SET hlc = '000000000001-0000-old', clocks = '{}' "
            "WHERE table_name = 'person' AND row_id = ?",
            (first_hex,),
        )
    assert _device_digest(b) != _server_digest(world, "alice.martin")
    untouched = _file_of(b, "note", second)

    report = b.sync()
    assert report.ok, report.message
    assert report.digest_ok is True, report
    assert report.recovered and report.recovery_reason == "digest"
    assert report.repaired_persons == 1  # only the file that differed
    assert report.removed == 0
    assert b.rows("person")[str(first)]["city"] == "Lille"
    assert note_id in b.rows("note")
    _same_as_server(world, b, first)
    assert _file_of(b, "note", second) == untouched
    assert _device_digest(b) == _server_digest(world, "alice.martin")
    from sync.client import recovery_sentence

    sentence = recovery_sentence(report)
    assert "empreintes" in sentence and "1 dossier(s) comparé(s)" in sentence
    # Repaired for good: the next sync compares equal and repairs nothing.
    again = b.sync()
    assert again.digest_ok is True and not again.recovered


def test_server_row_altered_or_removed_behind_the_sync_is_sent_again(any_world: Any) -> None:
    """The server loses laptop A's edit of a field (value and clock back to older ones)
    and one of its notes (row and clock gone), behind the sync's back. A's next sync sees
    its digest differ, sends those writes again with their original clocks, and every
    device converges — the other laptop included."""
    world = any_world
    first, _second, a, b, s = _team(world)
    person = table_of("person")
    note = table_of("note")
    lost_note = next(
        uuid.UUID(row_id)
        for row_id, row in server_rows(world.engine, "note", [first]).items()
        if row["text"] == "Suivi ordinaire."
    )
    with world.engine.begin() as connection:
        connection.execute(update(person).where(person.c.id == first).values(city=None))
        clocks = connection.execute(
            select(row_clock.c.clocks).where(
                row_clock.c.table_name == "person", row_clock.c.row_id == first
            )
        ).scalar_one()
        older = dict(clocks)
        older["city"] = min(clocks.values())
        connection.execute(
            update(row_clock)
            .where(row_clock.c.table_name == "person", row_clock.c.row_id == first)
            .values(clocks=older, hlc=max(older.values()))
        )
        connection.execute(delete(note).where(note.c.id == lost_note))
        connection.execute(
            delete(row_clock).where(
                row_clock.c.table_name == "note", row_clock.c.row_id == lost_note
            )
        )
        # The server keeps per-person digests at each write it makes; a database altered
        # by hand has them rebuilt from its rows (what the alteration must be followed by).
        rebuild_person_digests(connection)
    with a.write() as session:  # something to do, so that A compares after its sync
        write_note(session, a.actor, first, "Nouvelle note.")
    report = a.sync()
    assert report.ok, report.message
    assert report.recovery_reason == "digest" and report.repaired_persons == 1
    assert report.resent >= 2, report
    assert report.digest_ok is True
    assert server_rows(world.engine, "person", [first])[str(first)]["city"] == "Lille"
    assert str(lost_note) in server_rows(world.engine, "note", [first])
    for device in (b, s):
        assert device.sync().ok
    for device in (a, b, s):
        final = device.sync()
        assert final.digest_ok is True, (device.name, final)
        _same_as_server(world, device, first)
    assert _device_digest(b) == _server_digest(world, "alice.martin")


def test_a_file_the_server_cannot_give_back_is_not_repaired_in_a_loop(any_world: Any) -> None:
    """A row only the device holds, that it did not write (the server lost another
    device's note): the device keeps it (deleted only on the server's word), says the file
    still differs, and does not download it again at every sync."""
    world = any_world
    first, _second, a, b, _s = _team(world)
    note = table_of("note")
    lost_note = next(
        uuid.UUID(row_id)
        for row_id, row in server_rows(world.engine, "note", [first]).items()
        if row["text"] == "Suivi ordinaire."
    )
    a.close()  # the only device that could send it again is gone
    world.devices.remove(a)
    with world.engine.begin() as connection:
        connection.execute(delete(note).where(note.c.id == lost_note))
        connection.execute(
            delete(row_clock).where(
                row_clock.c.table_name == "note", row_clock.c.row_id == lost_note
            )
        )
        # The server keeps per-person digests at each write it makes; a database altered
        # by hand has them rebuilt from its rows (what the alteration must be followed by).
        rebuild_person_digests(connection)
    report = b.sync()
    assert report.ok
    assert report.repaired_persons == 1 and report.digest_ok is False
    assert report.digest_problems == [f"dossier {first}"]
    assert str(lost_note) in b.rows("note")  # nothing deleted without the server's word
    # What the command line tells: the file still differs, and nothing was deleted.
    from spie_desktop.entry.cli.sync_commands import _print_report

    said: list[str] = []

    class Console:
        def say(self, text: str = "") -> None:
            said.append(text)

    _print_report(cast(Any, Console()), report)
    assert any("diffèrent encore" in line and str(first) in line for line in said), said
    again = b.sync()
    assert again.ok and again.repaired_persons == 0 and again.digest_ok is False
    assert str(lost_note) in b.rows("note")


def _kept_equal_recomputed(world: Any, *devices: Device) -> None:
    """Issue 10: the per-person digests kept at each write equal a computation from the
    rows, on the server and (after the persons marked since are computed again) on each
    device."""
    from sync.apply import kept_digests, recomputed_digests, refresh_digests
    from sync.server.digest import kept_person_digests, recomputed_person_digests

    with world.engine.connect() as connection:
        assert kept_person_digests(connection) == recomputed_person_digests(connection)
    for device in devices:
        with device.store.apply_remote() as session:
            conn = session.connection()
            refresh_digests(conn)
            assert kept_digests(conn) == recomputed_digests(conn), device.name


def test_kept_digests_follow_pushes_handover_and_erasure(any_world: Any) -> None:
    """Each write the server merges (a pushed edit, a new note, a handover, an erasure's
    purge) and each page a device applies keeps the per-person digests equal to the rows'
    — what the scope digest sums instead of hashing every row."""
    world = any_world
    first, second, a, b, s = _team(world)
    _kept_equal_recomputed(world, a, b, s)
    with a.write() as session:
        update_person(session, a.actor, first, {"city": "Roubaix"})
        write_note(session, a.actor, second, "Après la visite.")
    assert a.sync().ok
    with b.write() as session:
        update_person(session, b.actor, first, {"city": "Tourcoing"})  # later: wins
    for device in (b, a, s):
        assert device.sync().ok
    _kept_equal_recomputed(world, a, b, s)
    world.user("bruno.leroy", team="Nord")
    world.admin.assign(str(second), "bruno.leroy", note="Déménagement.")
    world.admin.erase_person(str(first))
    for device in (a, b, s):
        report = device.sync()
        assert report.ok, report.message
        assert report.digest_ok is not False, (device.name, report)
    _kept_equal_recomputed(world, a, b, s)
    with world.engine.connect() as connection:
        from sync.server.digest import kept_person_digests

        assert first not in kept_person_digests(connection)  # erased: no digest left
    assert _device_digest(a) == _server_digest(world, "alice.martin")
    assert _device_digest(s) == _server_digest(world, "sophie.roux")


def test_a_value_changed_behind_the_store_without_its_clock_is_not_seen(
    any_world: Any,
) -> None:
    """As documented: digests compare versions, not contents. A value written straight into
    a device's database, its clock untouched, leaves the kept digests equal to the rows'
    and to the server's: no repair, no false alarm, nothing deleted. The same value
    written with a clock change (an older copy) is seen and repaired."""
    world = any_world
    first, _second, _a, b, _s = _team(world)
    with b.store.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE person SET city = 'Écrite à la main' WHERE id = ?", (first.hex,)
        )
    _kept_equal_recomputed(world, b)
    assert _device_digest(b) == _server_digest(world, "alice.martin")
    with b.write() as session:  # something to do, so that B compares after its sync
        write_note(session, b.actor, first, "Une autre note.")
    report = b.sync()
    assert report.ok and report.digest_ok is True and not report.recovered, report
    assert b.rows("person")[str(first)]["city"] == "Écrite à la main"
    # The clock moved too (SQL behind the store, no Python in between): the trigger marks
    # the person, the digest differs, the file is repaired.
    with b.store.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE row_sync SET hlc = '000000000001-0000-old' "
            "WHERE table_name = 'person' AND row_id = ?",
            (first.hex,),
        )
    assert _device_digest(b) != _server_digest(world, "alice.martin")
    with b.write() as session:
        write_note(session, b.actor, first, "Encore une note.")
    report = b.sync()
    assert report.ok and report.digest_ok is True, report
    assert report.recovery_reason == "digest" and report.repaired_persons == 1
    assert b.rows("person")[str(first)]["city"] == "Lille"
    _kept_equal_recomputed(world, b)


def test_a_full_download_marks_its_persons_and_keeps_the_digest_triggers(world: Any) -> None:
    """A snapshot page writes its row clocks with ``row_sync``'s digest triggers off and
    marks each of its persons once (cheaper than two trigger statements per row): after a
    full download the triggers are back, identical, and the kept digests equal the rows'."""
    first, second, a, _b, _s = _team(world)
    fresh = world.device("laptop-c", "alice.martin")

    def triggers(device: Device) -> list[tuple[str, str]]:
        with device.store.read() as session:
            return list(
                session.connection().exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name = 'row_sync' ORDER BY name"
                )
            )

    before = triggers(fresh)
    assert len(before) == 3
    with fresh.store.read() as session:  # nothing to compute yet
        assert (
            not session.connection()
            .exec_driver_sql("SELECT count(*) FROM person_digest_dirty")
            .scalar()
        )
    report = fresh.sync()
    assert report.pages >= 2 and report.digest_ok is True, report
    assert triggers(fresh) == before
    _kept_equal_recomputed(world, fresh)
    assert _device_digest(fresh) == _server_digest(world, "alice.martin") == _device_digest(a)
    # SQL behind the application is still seen after it (the triggers work again).
    with fresh.store.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE row_sync SET hlc = '0' WHERE table_name = 'person' AND row_id = ?",
            (first.hex,),
        )
    with fresh.store.read() as session:
        dirty = set(
            session.connection().exec_driver_sql("SELECT person_id FROM person_digest_dirty")
        )
    assert (first.hex,) in dirty and (second.hex,) not in dirty
