"""The change recorder: the single write path of synced rows, and its outbox.

Every write through the services must leave exactly the right outbox entries in the same
transaction; every other way of writing a synced row must be refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update

from spie_desktop.domain.codec import encode_value
from spie_desktop.domain.hlc import HlcTimestamp
from spie_desktop.domain.models import (
    AuditEvent,
    Note,
    Person,
    Referent,
    ReferentAssignment,
    Structure,
    Team,
)
from spie_desktop.errors import ReadOnlyError, SpieError, ValidationError
from spie_desktop.services import appointments, barriers, handover, notes, persons
from spie_desktop.services.timeline import EntryKind, NoteFact, timeline
from spie_desktop.store.local_models import DeviceState, OutboxEntry, PersonSummary
from spie_desktop.store.store import Actor, Store

PAST = datetime.now(UTC) - timedelta(days=1)


def outbox(store: Store, after: int = 0) -> list[OutboxEntry]:
    with store.read() as session:
        entries = list(
            session.execute(
                select(OutboxEntry).where(OutboxEntry.seq > after).order_by(OutboxEntry.seq)
            ).scalars()
        )
        session.expunge_all()  # keep the loaded values once the read session ends
        return entries


def last_seq(store: Store) -> int:
    entries = outbox(store)
    return entries[-1].seq if entries else 0


def new_person(store: Store, actor: Actor, **values: Any) -> uuid.UUID:
    fields = {"last_name": "Martin", "first_name": "Léa", **values}
    with store.write() as session:
        return persons.create_person(session, actor, fields).id


def assert_hlc_strictly_increasing(entries: list[OutboxEntry]) -> None:
    stamps = [HlcTimestamp.decode(entry.hlc) for entry in entries]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)
    assert [entry.hlc for entry in entries] == sorted(entry.hlc for entry in entries)


# -- inserts and updates through the services ----------------------------------------------


def test_create_person_records_each_new_row_with_all_its_fields(
    store: Store, actor: Actor, referent: uuid.UUID
) -> None:
    with store.write() as session:
        person = persons.create_person(
            session,
            actor,
            {
                "last_name": "Martin",
                "first_name": "Léa",
                "phone": "06 11 22 33 44",
                "birth_date": date(1990, 5, 17),
            },
        )
        person_id = person.id
    entries = outbox(store)
    assert [entry.table_name for entry in entries] == [
        "person",
        "referent_assignment",
        "audit_event",
    ]
    assert all(entry.op == "upsert" and entry.state == "pending" for entry in entries)
    assert all(entry.person_id == person_id for entry in entries)
    assert len({entry.change_id for entry in entries}) == 3
    assert_hlc_strictly_increasing(entries)

    person_entry = entries[0]
    assert person_entry.row_id == person_id
    with store.read() as session:
        stored = session.get(Person, person_id)
        assert stored is not None
        expected = {
            column.key: encode_value(getattr(stored, column.key))
            for column in Person.__mapper__.column_attrs
            if column.key != "updated_at"
        }
        assignment_id = session.execute(select(ReferentAssignment.id)).scalar_one()
        event_id = session.execute(select(AuditEvent.id)).scalar_one()
    assert person_entry.fields == expected
    assert person_entry.fields["birth_date"] == "1990-05-17"
    assert person_entry.fields["referent_id"] == str(referent)
    assert person_entry.fields["created_at"].endswith("Z")
    assert entries[1].row_id == assignment_id
    assert entries[1].fields["referent_id"] == str(referent)
    assert entries[2].row_id == event_id
    assert entries[2].fields["action"] == "change"


def test_update_records_only_the_changed_fields(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor, phone="06 11 22 33 44", city="Brest")
    mark = last_seq(store)
    with store.write() as session:
        persons.update_person(
            session, actor, person_id, {"phone": "07 00 00 00 01", "city": "Brest"}
        )
    # Within one flush, new rows are recorded before updated ones: compare by table.
    entries = {entry.table_name: entry for entry in outbox(store, mark)}
    assert len(outbox(store, mark)) == 2
    assert set(entries) == {"person", "audit_event"}
    assert entries["person"].row_id == person_id
    assert entries["person"].person_id == person_id
    assert entries["person"].fields == {"phone": "07 00 00 00 01"}
    assert entries["audit_event"].fields["detail"] == "identité : phone"
    assert_hlc_strictly_increasing(outbox(store))


def test_update_with_identical_values_records_nothing(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor, city="Brest")
    mark = last_seq(store)
    with store.write() as session:
        persons.update_person(session, actor, person_id, {"city": "Brest", "last_name": "Martin"})
        person = session.get(Person, person_id)
        assert person is not None
        person.first_name = "Léa"  # same value assigned directly: no net change
    assert outbox(store, mark) == []


def test_appointment_outcome_records_status_time_and_summary(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    with store.write() as session:
        appointment = appointments.schedule_appointment(
            session, actor, person_id, starts_at=PAST, mode="bureau", purpose="suivi"
        )
        appointment_id = appointment.id
    mark = last_seq(store)
    now = datetime.now(UTC)
    with store.write() as session:
        appointments.set_status(
            session, actor, appointment_id, "seen", summary="Bon échange.", now=now
        )
    entries = outbox(store, mark)
    assert sorted(entry.table_name for entry in entries) == ["appointment", "audit_event"]
    (entry,) = [entry for entry in entries if entry.table_name == "appointment"]
    assert entry.row_id == appointment_id
    assert entry.person_id == person_id
    assert entry.fields == {
        "status": "seen",
        "outcome_recorded_at": encode_value(now),
        "summary": "Bon échange.",
    }


def test_hlc_strictly_increasing_across_many_writes_and_persisted(
    store: Store, actor: Actor
) -> None:
    person_id = new_person(store, actor)
    with store.write() as session:
        for index in range(30):
            notes.write_note(session, actor, person_id, f"note {index}")
    for index in range(5):
        with store.write() as session:
            persons.update_person(session, actor, person_id, {"city": f"Ville {index}"})
    entries = outbox(store)
    assert len(entries) == 3 + 30 * 2 + 5 * 2
    assert_hlc_strictly_increasing(entries)
    with store.read() as session:
        saved = session.get(DeviceState, "hlc")
        assert saved is not None
        assert saved.value == entries[-1].hlc == store.clock.last()


def test_tombstone_is_a_recorded_delete(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    mark = last_seq(store)
    with store.write() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.deleted_at = datetime.now(UTC)
    (entry,) = outbox(store, mark)
    assert entry.op == "delete"
    assert entry.row_id == person_id
    assert set(entry.fields) == {"deleted_at"}
    with store.read() as session:
        assert session.get(PersonSummary, person_id) is None


# -- remote changes ------------------------------------------------------------------------


def test_apply_remote_writes_without_outbox_and_refreshes_summaries(
    store: Store, actor: Actor, referent: uuid.UUID
) -> None:
    mark = last_seq(store)
    person_id = uuid.uuid4()
    with store.apply_remote() as session:
        session.add(
            Person(
                id=person_id,
                last_name="Distant",
                first_name="Noé",
                follow_up_status="en_accompagnement",
                referent_id=referent,
            )
        )
        session.add(Team(name="Équipe Nord"))
        session.flush()  # no ORM relationships: the unit of work does not order by FK
        session.add(Note(person_id=person_id, written_at=PAST, kind="suivi", text="du serveur"))
    with store.apply_remote() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.city = "Morlaix"
        note = session.execute(select(Note)).scalar_one()
        note.text = "corrigé par le serveur"  # the server may rewrite history (GDPR purge)
    with store.apply_remote() as session:
        session.execute(update(Person).where(Person.id == person_id).values(city="Lannion"))
    assert outbox(store, mark) == []
    with store.read() as session:
        summary = session.get(PersonSummary, person_id)
        assert summary is not None
        assert "distant" in summary.search_key
        person = session.get(Person, person_id)
        assert person is not None and person.city == "Lannion"


# -- refusals --------------------------------------------------------------------------------


BULK_STATEMENTS: dict[str, Callable[[uuid.UUID], Any]] = {
    "update": lambda pid: update(Person).where(Person.id == pid).values(city="Bulkville"),
    "insert": lambda pid: insert(Person).values(
        id=uuid.uuid4(),
        last_name="Bulk",
        first_name="Bulk",
        follow_up_status="a_contacter",
        created_at=PAST,
        updated_at=PAST,
    ),
    "delete": lambda pid: delete(Person).where(Person.id == pid),
    "note update": lambda pid: update(Note).values(text="réécrit"),
}


@pytest.mark.parametrize("kind", sorted(BULK_STATEMENTS))
def test_bulk_sql_on_synced_tables_is_refused(store: Store, actor: Actor, kind: str) -> None:
    person_id = new_person(store, actor, city="Brest")
    mark = last_seq(store)
    with pytest.raises(SpieError) as caught, store.write() as session:
        session.execute(BULK_STATEMENTS[kind](person_id))
    assert caught.value.code == "bulk_write_refused"
    assert outbox(store, mark) == []
    with store.read() as session:
        people = [tuple(row) for row in session.execute(select(Person.id, Person.city))]
    assert people == [(person_id, "Brest")]


def test_legacy_query_update_is_refused(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor, city="Brest")
    with pytest.raises(SpieError) as caught, store.write() as session:
        session.query(Person).filter(Person.id == person_id).update({"city": "Bulkville"})
    assert caught.value.code == "bulk_write_refused"
    with store.read() as session:
        person = session.get(Person, person_id)
        assert person is not None and person.city == "Brest"


def test_bulk_sql_on_device_tables_is_allowed(store: Store) -> None:
    with store.write() as session:
        session.execute(insert(DeviceState).values(key="cursor", value="0"))
        session.execute(update(DeviceState).where(DeviceState.key == "cursor").values(value="9"))
    assert store.get_state("cursor") == "9"


def test_hard_delete_is_refused(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    with store.write() as session:
        note_id = notes.write_note(session, actor, person_id, "à garder").id
    mark = last_seq(store)
    for model, row_id in ((Note, note_id), (Person, person_id)):
        with pytest.raises(SpieError) as caught, store.write() as session:
            row = session.get(model, row_id)
            session.delete(row)
        assert caught.value.code == "hard_delete_refused"
    assert outbox(store, mark) == []
    assert store.counts()["person"] == 1 and store.counts()["note"] == 1


def test_note_text_is_append_only_but_can_be_superseded(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    with store.write() as session:
        note_id = notes.write_note(session, actor, person_id, "Texte initial").id
    mark = last_seq(store)
    for field, value in (
        ("text", "Texte réécrit"),
        ("sensitive", True),
        ("kind", "appel"),
        ("written_at", datetime.now(UTC)),
        ("author_id", None),
    ):
        with pytest.raises(ValidationError) as caught, store.write() as session:
            note = session.get(Note, note_id)
            setattr(note, field, value)
        assert caught.value.code == "note_append_only", field
    assert outbox(store, mark) == []

    with store.write() as session:
        correction = notes.supersede_note(session, actor, note_id, "Texte corrigé")
        correction_id = correction.id
    entries = outbox(store, mark)
    assert [entry.table_name for entry in entries] == ["note", "audit_event"]
    assert entries[0].row_id == correction_id
    assert entries[0].fields["supersedes_id"] == str(note_id)
    with store.read() as session:
        old = session.get(Note, note_id)
        assert old is not None and old.text == "Texte initial"
        entries_by_id = {
            entry.row_id: entry
            for entry in timeline(session, person_id)
            if entry.kind == EntryKind.NOTE
        }
    assert entries_by_id[note_id].superseded
    assert not entries_by_id[correction_id].superseded
    corrected = entries_by_id[correction_id].fact
    assert isinstance(corrected, NoteFact) and corrected.text == "Texte corrigé"


def test_note_tombstone_is_allowed(store: Store, actor: Actor) -> None:
    """Deletion is not an edit of the text: a tombstone still syncs."""
    person_id = new_person(store, actor)
    with store.write() as session:
        note_id = notes.write_note(session, actor, person_id, "erreur de dossier").id
    mark = last_seq(store)
    with store.write() as session:
        note = session.get(Note, note_id)
        assert note is not None
        note.deleted_at = datetime.now(UTC)
    (entry,) = outbox(store, mark)
    assert entry.op == "delete" and entry.table_name == "note"


@pytest.mark.parametrize("model", [Referent, Team, Structure])
def test_server_owned_tables_are_read_only_on_the_device(
    store: Store, actor: Actor, model: type[Any]
) -> None:
    values: dict[str, Any] = {"name": "Structure X"}
    if model is Referent:
        values = {"username": "intrus", "first_name": "A", "last_name": "B"}
    mark = last_seq(store)
    with pytest.raises(ReadOnlyError), store.write() as session:
        session.add(model(**values))
    assert outbox(store, mark) == []
    assert store.counts()[model.__tablename__] == (1 if model is Referent else 0)


def test_existing_referent_cannot_be_edited_on_the_device(
    store: Store, referent: uuid.UUID
) -> None:
    with pytest.raises(ReadOnlyError), store.write() as session:
        row = session.get(Referent, referent)
        assert row is not None
        row.last_name = "Piraté"
    with store.read() as session:
        row = session.get(Referent, referent)
        assert row is not None and row.last_name == "Durand"
    assert outbox(store) == []


def test_supervisor_cannot_write_but_opening_is_audited(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    person_id = new_person(store, actor)
    with store.write() as session:
        appointment_id = appointments.schedule_appointment(
            session, actor, person_id, starts_at=PAST, mode="bureau", purpose="suivi"
        ).id
        barrier_id = barriers.open_barrier(session, actor, person_id, theme="mobilite").id
    mark = last_seq(store)
    sup = supervisor_actor
    attempts: list[Callable[[Any], Any]] = [
        lambda s: persons.create_person(s, sup, {"last_name": "X", "first_name": "Y"}),
        lambda s: persons.update_person(s, sup, person_id, {"city": "Quimper"}),
        lambda s: notes.write_note(s, sup, person_id, "note du responsable"),
        lambda s: appointments.schedule_appointment(
            s, sup, person_id, starts_at=PAST, mode="bureau", purpose="suivi"
        ),
        lambda s: appointments.set_status(s, sup, appointment_id, "seen"),
        lambda s: appointments.move_appointment(s, sup, appointment_id, starts_at=PAST),
        lambda s: barriers.open_barrier(s, sup, person_id, theme="logement"),
        lambda s: barriers.update_barrier(s, sup, barrier_id, status="lifted"),
        lambda s: barriers.add_action(s, sup, person_id, custom_label="Aide"),
        # Reassignment is the server's (admin) business, never a supervisor's device.
        lambda s: handover.hand_over(s, sup, person_id, sup.referent_id),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyError) as caught, store.write() as session:
            attempt(session)
        assert "lecture seule" in caught.value.message
    assert outbox(store, mark) == []

    with store.write() as session:
        persons.open_person(session, sup, person_id)
    (entry,) = outbox(store, mark)
    assert entry.table_name == "audit_event"
    assert entry.person_id == person_id
    assert entry.fields["action"] == "open"
    assert entry.fields["actor_id"] == str(sup.referent_id)
    assert entry.fields["device_id"] == store.device_id


def test_rolled_back_transaction_leaves_neither_row_nor_outbox(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    mark = last_seq(store)
    counts = store.counts()
    hlc_before = store.get_state("hlc")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.write() as session:
        created = persons.create_person(session, actor, {"last_name": "Fantôme", "first_name": "A"})
        notes.write_note(session, actor, person_id, "jamais écrite")
        persons.update_person(session, actor, person_id, {"city": "Nulle-part"})
        session.flush()  # the rows and their outbox entries reach the file's transaction...
        ghost_id = created.id
        raise Boom  # ...and are rolled back together
    assert outbox(store, mark) == []
    assert store.counts() == counts
    assert store.get_state("hlc") == hlc_before
    with store.read() as session:
        assert session.get(Person, ghost_id) is None
        assert session.get(PersonSummary, ghost_id) is None
        person = session.get(Person, person_id)
        assert person is not None and person.city is None

    # The next write still works and its HLC is still after every recorded one.
    with store.write() as session:
        persons.update_person(session, actor, person_id, {"city": "Brest"})
    assert_hlc_strictly_increasing(outbox(store))


def test_handover_records_the_ended_and_the_new_assignment(
    store: Store, actor: Actor, make_referent: Callable[..., uuid.UUID]
) -> None:
    person_id = new_person(store, actor)
    successor = make_referent(store, username="nina.roux")
    mark = last_seq(store)
    with store.write() as session:
        handover.hand_over(session, actor, person_id, successor, note="Suivi logement en cours.")
    entries = outbox(store, mark)
    assert entries[0].table_name == "referent_assignment"  # the end is flushed first
    by_table: dict[str, list[OutboxEntry]] = {}
    for entry in entries:
        by_table.setdefault(entry.table_name, []).append(entry)
    ended, started = by_table["referent_assignment"]
    assert set(ended.fields) == {"ended_at"}
    assert started.fields["referent_id"] == str(successor)
    assert by_table["person"][0].fields == {"referent_id": str(successor)}
    assert by_table["note"][0].fields["kind"] == "passation"
    assert len(by_table["audit_event"]) == 1
    assert all(entry.person_id == person_id for entry in entries)
    assert_hlc_strictly_increasing(entries)


def test_outbox_replay_reproduces_the_rows(store: Store, actor: Actor) -> None:
    """Folding the outbox in order gives back every synced row written on the device."""
    person_id = new_person(store, actor, city="Brest")
    with store.write() as session:
        appointment = appointments.schedule_appointment(
            session, actor, person_id, starts_at=PAST, mode="bureau", purpose="suivi"
        )
        session.flush()
        appointments.set_status(session, actor, appointment.id, "noshow")
        barrier = barriers.open_barrier(session, actor, person_id, theme="mobilite")
        session.flush()
        barriers.add_action(
            session,
            actor,
            person_id,
            barrier_id=barrier.id,
            custom_label="Permis",
            due_date=date.today() + timedelta(days=9),
        )
    with store.write() as session:
        persons.update_person(session, actor, person_id, {"city": "Quimper", "phone": "0600000000"})
    replay: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for entry in outbox(store):
        replay.setdefault((entry.table_name, entry.row_id), {}).update(entry.fields)
    from spie_desktop.domain.codec import row_to_dict
    from spie_desktop.domain.models import SYNCED_MODELS

    with store.read() as session:
        for (table, row_id), fields in replay.items():
            row = session.get(SYNCED_MODELS[table], row_id)
            assert row is not None
            current = row_to_dict(row)
            current.pop("updated_at")
            assert fields == current, table
