"""Use-cases of the referent's work, on a real encrypted store.

Persons, appointments, barriers and actions, handover, the caseload (filters, sorts,
alerts), the timeline, the dashboard, the GDPR export and summaries that age with time.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from spie_desktop.domain.models import (
    Appointment,
    AuditEvent,
    Barrier,
    Note,
    Person,
    ReferentAssignment,
)
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import NotFoundError, TransitionError, ValidationError
from spie_desktop.services import (
    appointments,
    barriers,
    caseload,
    exports,
    handover,
    notes,
    persons,
    timeline,
)
from spie_desktop.services.caseload import Alert, CaseloadFilter
from spie_desktop.services.timeline import EntryKind
from spie_desktop.store.local_models import OutboxEntry, PersonSummary
from spie_desktop.store.store import Actor, Store

DAY = timedelta(days=1)


def outbox_size(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one())


def snapshot(store: Store) -> tuple[dict[str, int], int]:
    return store.counts(), outbox_size(store)


def new_person(store: Store, actor: Actor, **values: Any) -> uuid.UUID:
    fields = {"last_name": "Martin", "first_name": "Léa", **values}
    with store.write() as session:
        return persons.create_person(session, actor, fields).id


def schedule(
    store: Store, actor: Actor, person_id: uuid.UUID, starts_at: datetime, status: str = "planned"
) -> uuid.UUID:
    with store.write() as session:
        appointment = appointments.schedule_appointment(
            session, actor, person_id, starts_at=starts_at, mode="bureau", purpose="suivi"
        )
        session.flush()
        if status != "planned":
            appointments.set_status(session, actor, appointment.id, status)
        return appointment.id


def summary_of(store: Store, person_id: uuid.UUID) -> PersonSummary:
    with store.read() as session:
        summary = session.get(PersonSummary, person_id)
        assert summary is not None
        session.expunge(summary)
        return summary


# -- persons --------------------------------------------------------------------------------

INVALID_PERSONS: list[tuple[dict[str, Any], str, str]] = [
    ({"last_name": "  "}, "last_name", "obligatoire"),
    ({"first_name": None}, "first_name", "obligatoire"),
    ({"last_name": "x" * 101}, "last_name", "trop long"),
    ({"phone": "appelle-moi"}, "phone", "téléphone"),
    ({"email": "pas-une-adresse"}, "email", "électronique"),
    ({"postal_code": "2900"}, "postal_code", "Code postal"),
    ({"postal_code": "00100"}, "postal_code", "Code postal"),
    ({"caf_number": "12A45"}, "caf_number", "CAF"),
    ({"title": "Dr"}, "title", "inconnue"),
    ({"rsa_status": "verse"}, "rsa_status", "inconnue"),
    ({"orientation": "pro"}, "orientation", "inconnue"),
    ({"children_count": 25}, "children_count", "enfants"),
    ({"children_count": "deux"}, "children_count", "enfants"),
    ({"birth_date": "17/05/1990"}, "birth_date", "Date invalide"),
    ({"birth_date": date(1850, 1, 1)}, "birth_date", "limites"),
    ({"birth_date": date.today() + DAY}, "birth_date", "futur"),
    (
        {"contract_start": date(2026, 3, 1), "contract_end": date(2026, 2, 1)},
        "contract_end",
        "contrat",
    ),
    ({"follow_up_status": "sorti"}, "closed_on", "sortie"),
]


@pytest.mark.parametrize(("values", "field", "fragment"), INVALID_PERSONS)
def test_create_person_refuses_with_a_french_message_and_writes_nothing(
    store: Store, actor: Actor, values: dict[str, Any], field: str, fragment: str
) -> None:
    before = snapshot(store)
    fields = {"last_name": "Martin", "first_name": "Léa", **values}
    with pytest.raises(ValidationError) as caught, store.write() as session:
        persons.create_person(session, actor, fields)
    assert caught.value.field == field
    assert fragment in caught.value.message
    assert caught.value.code != "error"
    assert snapshot(store) == before


@pytest.mark.parametrize(("values", "field", "fragment"), INVALID_PERSONS[2:])
def test_update_person_refuses_and_leaves_the_row_unchanged(
    store: Store, actor: Actor, values: dict[str, Any], field: str, fragment: str
) -> None:
    person_id = new_person(store, actor, phone="0611223344", city="Brest")
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught, store.write() as session:
        persons.update_person(session, actor, person_id, {"city": "Quimper", **values})
    assert caught.value.field == field
    assert fragment in caught.value.message
    assert snapshot(store) == before
    with store.read() as session:
        person = session.get(Person, person_id)
        assert person is not None
        assert (person.city, person.phone) == ("Brest", "0611223344")


def test_unknown_person_field_is_refused(store: Store, actor: Actor) -> None:
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught, store.write() as session:
        persons.create_person(session, actor, {"last_name": "A", "first_name": "B", "nir": "1"})
    assert caught.value.code == "unknown_field"
    assert "nir" in caught.value.message
    assert snapshot(store) == before


def test_create_person_normalises_and_assigns(
    store: Store, actor: Actor, referent: uuid.UUID
) -> None:
    with store.write() as session:
        person = persons.create_person(
            session,
            actor,
            {
                "last_name": "  Le Gall ",
                "first_name": "Anne",
                "birth_date": "1984-02-29",
                "children_count": "2",
                "postal_code": "29200",
                "follow_up_status": "",
            },
        )
        person_id = person.id
    with store.read() as session:
        stored = session.get(Person, person_id)
        assert stored is not None
        assert stored.last_name == "Le Gall"
        assert stored.birth_date == date(1984, 2, 29)
        assert stored.children_count == 2
        assert stored.follow_up_status == "a_contacter"
        assert stored.referent_id == referent
        (assignment,) = session.execute(select(ReferentAssignment)).scalars()
        assert (assignment.person_id, assignment.referent_id) == (person_id, referent)
        assert assignment.ended_at is None


def test_missing_person_is_a_french_not_found(store: Store, actor: Actor) -> None:
    with pytest.raises(NotFoundError) as caught, store.write() as session:
        persons.open_person(session, actor, uuid.uuid4())
    assert caught.value.message == "Personne introuvable."


# -- appointments ---------------------------------------------------------------------------


def test_future_appointment_cannot_be_seen_or_noshow(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    future = schedule(store, actor, person_id, datetime.now(UTC) + 2 * DAY)
    before = snapshot(store)
    for status in ("seen", "noshow"):
        with pytest.raises(TransitionError) as caught, store.write() as session:
            appointments.set_status(session, actor, future, status)
        assert "à venir" in caught.value.message
        assert caught.value.field == "status"
    assert snapshot(store) == before
    # Cancelling a future appointment is fine.
    with store.write() as session:
        appointments.set_status(session, actor, future, "excused")
    with store.write() as session:
        appointments.set_status(session, actor, future, "revoked")


def test_appointment_lifecycle(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    past = schedule(store, actor, person_id, datetime.now(UTC) - timedelta(hours=3))
    with store.write() as session:
        appointments.set_status(session, actor, past, "seen", summary="Point CV", next_steps="RDV")
    with store.write() as session:
        appointment = appointments.set_status(session, actor, past, "noshow")  # a correction
        assert appointment.summary == "Point CV"
    for target, message in (("planned", "ne revient pas"), ("noshow", "déjà ce statut")):
        with pytest.raises(TransitionError) as caught, store.write() as session:
            appointments.set_status(session, actor, past, target)
        assert message in caught.value.message
    with pytest.raises(ValidationError) as unknown, store.write() as session:
        appointments.set_status(session, actor, past, "cancelled")
    assert unknown.value.field == "status"
    with pytest.raises(TransitionError) as moved, store.write() as session:
        appointments.move_appointment(session, actor, past, starts_at=datetime.now(UTC) + DAY)
    assert moved.value.field == "starts_at"
    with store.read() as session:
        row = session.get(Appointment, past)
        assert row is not None
        assert row.status == "noshow"
        assert row.outcome_recorded_at is not None and row.outcome_recorded_at >= row.starts_at


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mode": "pigeon"}, "mode"),
        ({"purpose": "cafe"}, "purpose"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"starts_at": datetime(2026, 5, 1, 10, 0)}, "starts_at"),
        ({"place": "x" * 256}, "place"),
    ],
)
def test_schedule_appointment_validation(
    store: Store, actor: Actor, kwargs: dict[str, Any], field: str
) -> None:
    person_id = new_person(store, actor)
    before = snapshot(store)
    arguments: dict[str, Any] = {
        "starts_at": datetime.now(UTC) + DAY,
        "mode": "bureau",
        "purpose": "suivi",
        **kwargs,
    }
    with pytest.raises(ValidationError) as caught, store.write() as session:
        appointments.schedule_appointment(session, actor, person_id, **arguments)
    assert caught.value.field == field
    assert snapshot(store) == before


def test_record_outcome_and_plan_the_next_in_one_transaction(
    store: Store, actor: Actor, referent: uuid.UUID
) -> None:
    person_id = new_person(store, actor)
    past = schedule(store, actor, person_id, datetime.now(UTC) - timedelta(hours=1))
    next_at = (datetime.now(UTC) + 14 * DAY).replace(microsecond=0)
    with store.write() as session:
        _, following = appointments.record_outcome(
            session, actor, past, "seen", summary="ok", plan_next_at=next_at
        )
        assert following is not None
        following_id = following.id
    with store.read() as session:
        items = appointments.agenda(session, referent, datetime.now(UTC), days=30)
        upcoming = appointments.next_appointment(session, person_id, datetime.now(UTC))
        assert upcoming is not None and upcoming.id == following_id
    assert [item.appointment_id for item in items] == [following_id]
    assert items[0].starts_at == next_at
    assert items[0].person_name == "MARTIN Léa"
    summary = summary_of(store, person_id)
    assert summary.next_appointment_at == next_at
    assert summary.last_contact_at is not None


def test_schema_refuses_an_outcome_before_the_start(
    store: Store, actor: Actor, referent: uuid.UUID
) -> None:
    person_id = new_person(store, actor)
    starts = datetime.now(UTC) + DAY

    def remote_appointment(**values: Any) -> None:
        with store.apply_remote() as session:
            session.add(
                Appointment(
                    person_id=person_id,
                    referent_id=referent,
                    starts_at=starts,
                    mode="bureau",
                    purpose="suivi",
                    **values,
                )
            )

    before = snapshot(store)
    for status in ("seen", "noshow"):
        with pytest.raises(IntegrityError, match="no_outcome_before_start"):
            remote_appointment(status=status, outcome_recorded_at=starts - timedelta(seconds=1))
        with pytest.raises(IntegrityError, match="no_outcome_before_start"):
            remote_appointment(status=status, outcome_recorded_at=None)
    assert snapshot(store) == before
    remote_appointment(status="seen", outcome_recorded_at=starts)  # at the start: allowed
    remote_appointment(status="excused", outcome_recorded_at=starts - DAY)  # a cancellation


# -- referent assignments and handover ------------------------------------------------------


def test_exactly_one_active_referent_per_person(
    store: Store, actor: Actor, make_referent: Callable[..., uuid.UUID]
) -> None:
    person_id = new_person(store, actor)
    other = make_referent(store, username="nina.roux")
    now = datetime.now(UTC)
    with pytest.raises(IntegrityError, match="referent_assignment"), store.apply_remote() as s:
        s.add(ReferentAssignment(person_id=person_id, referent_id=other, started_at=now))
    with pytest.raises(IntegrityError, match="referent_assignment"), store.write() as s:
        s.add(ReferentAssignment(person_id=person_id, referent_id=other, started_at=now))
    # An ended assignment or a tombstoned one does not count.
    with store.apply_remote() as session:
        session.add(
            ReferentAssignment(
                person_id=person_id,
                referent_id=other,
                started_at=now - 9 * DAY,
                ended_at=now - 8 * DAY,
            )
        )
        session.add(
            ReferentAssignment(
                person_id=person_id, referent_id=other, started_at=now, deleted_at=now
            )
        )
    with store.read() as session:
        active = handover.active_assignment(session, person_id)
        assert active is not None and active.referent_id == actor.referent_id


def test_handover(
    store: Store, actor: Actor, referent: uuid.UUID, make_referent: Callable[..., uuid.UUID]
) -> None:
    person_id = new_person(store, actor)
    successor = make_referent(store, username="nina.roux", first_name="Nina", last_name="Roux")
    text = "Dossier logement FSL en cours, voir l'assistante sociale du CCAS."
    with store.write() as session:
        new = handover.hand_over(session, actor, person_id, successor, note=text)
        new_id = new.id
    with store.read() as session:
        rows = {
            row.referent_id: row
            for row in session.execute(
                select(ReferentAssignment).where(ReferentAssignment.person_id == person_id)
            ).scalars()
        }
        assert set(rows) == {referent, successor}
        assert rows[referent].ended_at is not None
        assert rows[successor].ended_at is None and rows[successor].id == new_id
        assert rows[successor].started_at == rows[referent].ended_at  # no gap, no overlap
        assert rows[successor].handover_note == text
        person = session.get(Person, person_id)
        assert person is not None and person.referent_id == successor
        (note,) = session.execute(select(Note).where(Note.person_id == person_id)).scalars()
        assert (note.kind, note.text) == ("passation", text)
        entries = timeline.timeline(session, person_id)
    assert entries[0].kind == EntryKind.NOTE and entries[0].fact == timeline.NoteFact(
        "passation", text
    )
    handovers = [entry for entry in entries if entry.kind == EntryKind.HANDOVER]
    assert [entry.fact for entry in handovers] == [
        timeline.HandoverFact("Nina", "Roux", text),
        timeline.HandoverFact("Camille", "Durand", ""),
    ]

    before = snapshot(store)
    with pytest.raises(ValidationError) as same, store.write() as session:
        handover.hand_over(session, actor, person_id, successor)
    assert same.value.code == "same_referent"
    retired = make_referent(store, username="parti", active=False)
    before = snapshot(store)
    with pytest.raises(ValidationError) as inactive, store.write() as session:
        handover.hand_over(session, actor, person_id, retired)
    assert "plus actif" in inactive.value.message
    assert snapshot(store) == before


# -- barriers and actions -------------------------------------------------------------------


def test_barriers_and_actions_use_the_referentials(store: Store, actor: Actor) -> None:
    refs = get_referentials()
    person_id = new_person(store, actor)
    situation = refs.situations_for("mobilite")[0].code
    target = refs.targets_for("mobilite")[0].code
    action_code = refs.actions_for("mobilite")[0].code
    foreign_action = refs.actions_for("logement")[0].code
    foreign_situation = refs.situations_for("logement")[0].code

    refusals: list[tuple[Callable[[Any], Any], str]] = [
        (lambda s: barriers.open_barrier(s, actor, person_id, theme="teleportation"), "theme"),
        (
            lambda s: barriers.open_barrier(
                s, actor, person_id, theme="mobilite", situations=[foreign_situation]
            ),
            "situations",
        ),
        (
            lambda s: barriers.open_barrier(
                s, actor, person_id, theme="mobilite", situations=["mobilite.inventee"]
            ),
            "situations",
        ),
        (
            lambda s: barriers.open_barrier(
                s, actor, person_id, theme="mobilite", target_code="logement.acceder_a_un_logement"
            ),
            "target_code",
        ),
        (
            lambda s: barriers.open_barrier(s, actor, person_id, theme="mobilite", severity=4),
            "severity",
        ),
        (
            lambda s: barriers.open_barrier(s, actor, person_id, theme="mobilite", status="resolu"),
            "status",
        ),
        (
            lambda s: barriers.add_action(s, actor, person_id, action_code="mobilite.inventee"),
            "action_code",
        ),
        (lambda s: barriers.add_action(s, actor, person_id), "action_code"),
        (
            lambda s: barriers.add_action(s, actor, person_id, custom_label="Aide", status="fini"),
            "status",
        ),
        (
            lambda s: barriers.add_action(
                s,
                actor,
                person_id,
                custom_label="Aide",
                start_date=date.today(),
                due_date=date.today() - DAY,
            ),
            "due_date",
        ),
    ]
    before = snapshot(store)
    for refusal, field in refusals:
        with pytest.raises(ValidationError) as caught, store.write() as session:
            refusal(session)
        assert caught.value.field == field
    assert snapshot(store) == before

    with store.write() as session:
        barrier = barriers.open_barrier(
            session,
            actor,
            person_id,
            theme="mobilite",
            situations=[situation, situation],
            target_code=target,
            severity=2,
        )
        barrier_id = barrier.id
    with pytest.raises(ValidationError) as mismatch, store.write() as session:
        barriers.add_action(
            session, actor, person_id, barrier_id=barrier_id, action_code=foreign_action
        )
    assert mismatch.value.field == "action_code"
    with store.write() as session:
        action = barriers.add_action(
            session,
            actor,
            person_id,
            barrier_id=barrier_id,
            action_code=action_code,
            partner="Garage solidaire",
        )
        action_id = action.id
    with store.read() as session:
        barrier_row = session.get(Barrier, barrier_id)
        assert barrier_row is not None
        assert barrier_row.situations == [situation]
        assert barrier_row.status == "in_progress"  # an action starts lifting it
        (action_row,) = barriers.actions_of(session, person_id)
        assert action_row.theme == "mobilite"
        assert barriers.action_label(action_row) == refs.label("action", action_code)
    assert summary_of(store, person_id).open_barrier_count == 1
    assert summary_of(store, person_id).open_action_count == 1

    with store.write() as session:
        barriers.update_action(session, actor, action_id, status="done", outcome="Permis obtenu")
        barriers.update_barrier(session, actor, barrier_id, status="lifted")
    with store.read() as session:
        barrier_row = session.get(Barrier, barrier_id)
        assert barrier_row is not None and barrier_row.closed_on == date.today()
        assert barriers.barriers_of(session, person_id, open_only=True) == []
    summary = summary_of(store, person_id)
    assert (summary.open_barrier_count, summary.open_action_count) == (0, 0)
    with store.write() as session:
        barriers.update_barrier(session, actor, barrier_id, status="identified")
    with store.read() as session:
        barrier_row = session.get(Barrier, barrier_id)
        assert barrier_row is not None and barrier_row.closed_on is None


# -- the caseload ---------------------------------------------------------------------------


@dataclass
class Population:
    now: datetime
    ids: dict[str, uuid.UUID]
    other_referent: uuid.UUID

    def names(self, person_ids: list[uuid.UUID]) -> list[str]:
        by_id = {value: key for key, value in self.ids.items()}
        return [by_id[pid] for pid in person_ids]


@pytest.fixture
def population(
    store: Store, actor: Actor, referent: uuid.UUID, make_referent: Callable[..., uuid.UUID]
) -> Population:
    now = datetime.now(UTC)
    today = now.date()
    other = make_referent(store, username="yann.morvan", first_name="Yann", last_name="Morvan")
    followed = {"follow_up_status": "en_accompagnement"}
    ids: dict[str, uuid.UUID] = {}

    ids["eloise"] = new_person(
        store, actor, last_name="Lefevre", first_name="Éloïse", orientation="social", **followed
    )
    schedule(store, actor, ids["eloise"], now - 10 * DAY, "seen")
    schedule(store, actor, ids["eloise"], now + 3 * DAY)
    with store.write() as session:
        barriers.open_barrier(session, actor, ids["eloise"], theme="mobilite")

    ids["eloi"] = new_person(
        store, actor, last_name="Martin", first_name="Éloi", orientation="professional"
    )  # still "à contacter"
    schedule(store, actor, ids["eloi"], now - 5 * DAY, "noshow")
    with store.write() as session:
        barriers.open_barrier(session, actor, ids["eloi"], theme="logement", status="lifted")

    ids["overdue"] = new_person(
        store,
        actor,
        last_name="Nguyen",
        first_name="Thi",
        orientation="socio_professional",
        **followed,
    )
    schedule(store, actor, ids["overdue"], now - 3 * DAY, "seen")
    with store.write() as session:
        barriers.add_action(
            session,
            actor,
            ids["overdue"],
            custom_label="Dossier CAF",
            start_date=today - 30 * DAY,
            due_date=today - 5 * DAY,
        )

    ids["pending"] = new_person(store, actor, last_name="Abadie", first_name="Paul", **followed)
    schedule(store, actor, ids["pending"], now - 2 * DAY)

    ids["stale"] = new_person(store, actor, last_name="Bernard", first_name="Zoé", **followed)
    schedule(store, actor, ids["stale"], now - 45 * DAY - timedelta(hours=3), "seen")

    ids["silent"] = uuid.uuid4()  # followed for 200 days, never met (came from the server)
    with store.apply_remote() as session:
        session.add(
            Person(
                id=ids["silent"],
                last_name="Dupont",
                first_name="Jean",
                referent_id=referent,
                created_at=now - 200 * DAY,
                **followed,
            )
        )

    ids["exited"] = new_person(
        store,
        actor,
        last_name="Carpentier",
        first_name="Yves",
        follow_up_status="sorti",
        closed_on=today,
        closure_reason="emploi",
    )
    with store.write() as session:
        handover.hand_over(session, actor, ids["exited"], other)
    schedule(store, actor, ids["exited"], now - 100 * DAY, "seen")
    return Population(now=now, ids=ids, other_referent=other)


def _ids(store: Store, population: Population, flt: CaseloadFilter, **kwargs: Any) -> list[str]:
    with store.read() as session:
        found = caseload.caseload_ids(session, flt, population.now, **kwargs)
        count = caseload.caseload_count(session, flt, population.now)
    assert count == len(found)
    return population.names(found)


def test_caseload_filters(store: Store, population: Population, referent: uuid.UUID) -> None:
    everyone = set(population.ids)
    cases: list[tuple[CaseloadFilter, set[str]]] = [
        (CaseloadFilter(), everyone),
        (CaseloadFilter(search="eloise"), {"eloise"}),
        (CaseloadFilter(search="LEFÈVRE"), {"eloise"}),
        (CaseloadFilter(search="  lefevre   ÉLOÏSE "), {"eloise"}),
        (CaseloadFilter(search="éloi"), {"eloise", "eloi"}),
        (CaseloadFilter(search="ZOE"), {"stale"}),
        (CaseloadFilter(search="%"), set()),
        (CaseloadFilter(search="introuvable"), set()),
        (CaseloadFilter(follow_up_statuses=("a_contacter",)), {"eloi"}),
        (CaseloadFilter(follow_up_statuses=("sorti",), include_exited=False), {"exited"}),
        (CaseloadFilter(include_exited=False), everyone - {"exited"}),
        (CaseloadFilter(orientations=("social", "professional")), {"eloise", "eloi"}),
        (CaseloadFilter(referent_id=population.other_referent), {"exited"}),
        (CaseloadFilter(referent_id=referent), everyone - {"exited"}),
        (CaseloadFilter(not_seen_for_days=30), {"stale", "silent", "exited"}),
        (CaseloadFilter(not_seen_for_days=7), {"stale", "silent", "exited", "eloise"}),
        (CaseloadFilter(not_seen_for_days=1), {"stale", "silent", "exited", "eloise", "overdue"}),
        (CaseloadFilter(next_appointment_within_days=7), {"eloise"}),
        (CaseloadFilter(next_appointment_within_days=2), set()),
        (CaseloadFilter(barrier_theme="mobilite"), {"eloise"}),
        (CaseloadFilter(barrier_theme="logement"), set()),  # lifted: not open
        (CaseloadFilter(overdue_actions=True), {"overdue"}),
        (CaseloadFilter(alerts_only=True), {"eloi", "overdue", "pending", "stale", "silent"}),
        (CaseloadFilter(alerts_only=True, search="eloi"), {"eloi"}),
    ]
    for flt, expected in cases:
        assert set(_ids(store, population, flt)) == expected, flt


def test_caseload_sorts(store: Store, population: Population) -> None:
    flt = CaseloadFilter()
    by_name = ["pending", "stale", "exited", "silent", "eloise", "eloi", "overdue"]
    assert _ids(store, population, flt) == by_name
    assert _ids(store, population, flt, sort="name", descending=True) == by_name[::-1]
    assert _ids(store, population, flt, sort="next_appointment")[0] == "eloise"
    # « Jamais » is the most urgent (issue 12): first from the oldest contact, last from
    # the newest.
    never = {"eloi", "pending", "silent"}
    oldest_first = _ids(store, population, flt, sort="last_contact")
    assert set(oldest_first[:3]) == never
    assert oldest_first[3:] == ["exited", "stale", "eloise", "overdue"]
    newest_first = _ids(store, population, flt, sort="last_contact", descending=True)
    assert newest_first[:4] == ["overdue", "eloise", "stale", "exited"]
    assert set(newest_first[4:]) == never
    assert _ids(store, population, flt, sort="open_barriers", descending=True)[0] == "eloise"
    assert _ids(store, population, flt, sort="overdue")[0] == "overdue"
    by_status = _ids(store, population, flt, sort="status")
    assert by_status[0] == "eloi" and by_status[-1] == "exited"
    with pytest.raises(ValueError), store.read() as session:
        caseload.caseload_ids(session, flt, population.now, sort="shoe_size")


def test_caseload_name_order_ignores_accents_and_case(store: Store, actor: Actor) -> None:
    """The order a French reader expects, not the bytes' order (É after Z)."""
    names = [
        ("MARY", "Susanne"),
        ("Maréchal", "Olivier"),
        ("MARCHAND", "Stéphane"),
        ("marin", "Zacharie"),
        ("Le Bihan", "Anne"),
        ("LE", "Zoé"),
        ("Élie", "Bruno"),
        ("Elie", "André"),
        ("Zola", "Émile"),
    ]
    ids = {new_person(store, actor, last_name=ln, first_name=fn): ln for ln, fn in names}
    with store.read() as session:
        ordered = caseload.caseload_ids(session, CaseloadFilter(), datetime.now(UTC))
        reverse = caseload.caseload_keys(
            session, CaseloadFilter(), datetime.now(UTC), descending=True
        )
    assert [ids[pid] for pid in ordered] == [
        "Elie", "Élie", "LE", "Le Bihan", "MARCHAND", "Maréchal", "marin", "MARY", "Zola",
    ]  # fmt: skip
    assert reverse == [pid.hex for pid in reversed(ordered)]


def test_caseload_alerts(store: Store, actor: Actor, population: Population) -> None:
    now = population.now
    with store.read() as session:
        ids = caseload.caseload_ids(session, CaseloadFilter(), now)
        rows = {row.person_id: row for row in caseload.caseload_rows(session, ids, now)}
    alerts = {name: rows[pid].alerts for name, pid in population.ids.items()}
    assert alerts == {
        "eloise": (),
        "eloi": (Alert.MISSED_NOT_RESCHEDULED,),
        "overdue": (Alert.ACTION_OVERDUE,),
        "pending": (Alert.OUTCOME_PENDING,),
        "stale": (Alert.NO_CONTACT,),
        "silent": (Alert.NO_CONTACT,),
        "exited": (),
    }

    def text(name: str) -> str:
        row = rows[population.ids[name]]
        return caseload.alert_text(row.alerts[0], row, now)

    assert text("stale") == "Sans contact depuis 45 jours"
    assert text("silent") == "Sans contact depuis 200 jours"
    assert text("eloi") == "Rendez-vous manqué non replanifié"
    assert text("overdue") == "Action échue"
    assert text("pending") == "Compte rendu de rendez-vous à saisir"
    eloise = rows[population.ids["eloise"]]
    assert eloise.open_barrier_themes == ("mobilite",)
    assert eloise.referent_name == "Camille Durand"
    assert rows[population.ids["exited"]].referent_name == "Yann Morvan"

    # Planning a new appointment clears "missed, not rescheduled".
    schedule(store, actor, population.ids["eloi"], now + 20 * DAY)
    with store.read() as session:
        (row,) = caseload.caseload_rows(session, [population.ids["eloi"]], now)
    assert row.alerts == ()


def test_dashboard_counts(store: Store, population: Population, referent: uuid.UUID) -> None:
    with store.read() as session:
        counts = caseload.dashboard_counts(session, population.now)
        mine = caseload.dashboard_counts(session, population.now, referent)
        theirs = caseload.dashboard_counts(session, population.now, population.other_referent)
    assert counts == caseload.DashboardCounts(
        followed=6,
        to_contact=1,
        without_contact=2,
        missed_not_rescheduled=1,
        overdue_actions=1,
        outcome_pending=1,
        appointments_next_7_days=1,
    )
    assert mine == counts
    assert theirs == caseload.DashboardCounts(0, 0, 0, 0, 0, 0, 0)


def test_summaries_refresh_when_time_passes(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor, follow_up_status="en_accompagnement")
    now = datetime.now(UTC)
    soon = schedule(store, actor, person_id, now + timedelta(hours=1))
    later = schedule(store, actor, person_id, now + 10 * DAY)
    summary = summary_of(store, person_id)
    assert summary.next_appointment_at is not None
    assert summary.outcome_pending_count == 0
    with store.read() as session:
        starts = {a.id: a.starts_at for a in session.execute(select(Appointment)).scalars()}
    assert summary.next_appointment_at == starts[soon] == summary.valid_until

    assert store.refresh_stale_summaries(now=now) == 0  # nothing has passed yet
    after = now + timedelta(hours=2)
    assert store.refresh_stale_summaries(now=after) == 1
    summary = summary_of(store, person_id)
    assert summary.next_appointment_at == starts[later] == summary.valid_until
    assert summary.outcome_pending_count == 1
    assert store.refresh_stale_summaries(now=after) == 0  # done once, not every time
    with store.read() as session:
        (row,) = caseload.caseload_rows(session, [person_id], after)
    assert Alert.OUTCOME_PENDING in row.alerts

    assert store.refresh_stale_summaries(now=now + 11 * DAY) == 1
    summary = summary_of(store, person_id)
    assert (summary.next_appointment_at, summary.valid_until) == (None, None)
    assert summary.outcome_pending_count == 2


# -- timeline, notes, export ----------------------------------------------------------------


@pytest.fixture
def rich_file(
    store: Store, actor: Actor, make_referent: Callable[..., uuid.UUID]
) -> dict[str, uuid.UUID]:
    now = datetime.now(UTC)
    today = now.date()
    person_id = new_person(store, actor, follow_up_status="en_accompagnement")
    out = {"person": person_id}
    out["appointment"] = schedule(store, actor, person_id, now - 10 * DAY, "seen")
    with store.write() as session:
        barrier = barriers.open_barrier(
            session, actor, person_id, theme="sante", identified_on=today - 20 * DAY
        )
        session.flush()
        out["barrier"] = barrier.id
        action = barriers.add_action(
            session,
            actor,
            person_id,
            barrier_id=barrier.id,
            custom_label="Bilan de santé CPAM",
            start_date=today - 15 * DAY,
        )
        out["action"] = action.id
        out["note"] = notes.write_note(
            session, actor, person_id, "Appel : motivé.", kind="appel", written_at=now - 5 * DAY
        ).id
        out["sensitive"] = notes.write_note(
            session,
            actor,
            person_id,
            "Hospitalisation psychiatrique en mars.",
            sensitive=True,
            written_at=now - 4 * DAY,
        ).id
    with store.write() as session:
        barriers.update_action(
            session, actor, out["action"], status="done", outcome="Bilan fait", on=today - DAY
        )
        barriers.update_barrier(session, actor, out["barrier"], status="lifted", on=today - DAY)
    successor = make_referent(store, username="nina.roux", first_name="Nina", last_name="Roux")
    with store.write() as session:
        handover.hand_over(session, actor, person_id, successor, note="Passation : RAS.")
    return out


def test_timeline_order_and_contents(
    store: Store, actor: Actor, rich_file: dict[str, uuid.UUID]
) -> None:
    person_id = rich_file["person"]
    with store.read() as session:
        entries = timeline.timeline(session, person_id)
        only_notes = timeline.timeline(session, person_id, kinds=frozenset({EntryKind.NOTE}))
    assert [entry.at for entry in entries] == sorted((entry.at for entry in entries), reverse=True)
    kinds = [entry.kind for entry in entries]
    assert kinds == [
        EntryKind.NOTE,  # the handover note, newest (same instant as the handover: notes first)
        EntryKind.HANDOVER,  # to Nina Roux
        EntryKind.HANDOVER,  # the first assignment, when the file was created
        EntryKind.BARRIER_CLOSED,  # yesterday (date-only events sit at noon UTC)
        EntryKind.ACTION_ENDED,
        EntryKind.NOTE,  # sensitive, 4 days ago
        EntryKind.NOTE,  # call, 5 days ago
        EntryKind.APPOINTMENT,  # 10 days ago
        EntryKind.ACTION_STARTED,  # 15 days ago
        EntryKind.BARRIER_OPENED,  # 20 days ago
    ]
    by_row = {(entry.kind, entry.row_id): entry for entry in entries}
    sensitive = by_row[(EntryKind.NOTE, rich_file["sensitive"])]
    assert sensitive.sensitive and sensitive.fact == timeline.NoteFact("suivi", "")
    assert all("Hospitalisation" not in repr(entry) for entry in entries)
    assert by_row[(EntryKind.NOTE, rich_file["note"])].fact == timeline.NoteFact(
        "appel", "Appel : motivé."
    )
    appointment = by_row[(EntryKind.APPOINTMENT, rich_file["appointment"])]
    assert appointment.status == "seen" and isinstance(appointment.fact, timeline.AppointmentFact)
    ended = by_row[(EntryKind.ACTION_ENDED, rich_file["action"])].fact
    assert isinstance(ended, timeline.ActionFact) and ended.outcome == "Bilan fait"
    assert by_row[(EntryKind.BARRIER_CLOSED, rich_file["barrier"])].status == "lifted"
    assert {entry.kind for entry in only_notes} == {EntryKind.NOTE}
    assert len(only_notes) == 3


def test_reveal_of_a_sensitive_note_is_audited(
    store: Store, actor: Actor, rich_file: dict[str, uuid.UUID]
) -> None:
    def reveals() -> int:
        with store.read() as session:
            return int(
                session.execute(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.action == "reveal")
                ).scalar_one()
            )

    with store.write() as session:
        assert notes.reveal_note(session, actor, rich_file["note"]) == "Appel : motivé."
    assert reveals() == 0  # an ordinary note is not an Art. 9 reveal
    with store.write() as session:
        text = notes.reveal_note(session, actor, rich_file["sensitive"])
    assert text == "Hospitalisation psychiatrique en mars."
    assert reveals() == 1
    with store.read() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "reveal")
        ).scalar_one()
        assert event.person_id == rich_file["person"]
        assert event.actor_id == actor.referent_id
        assert str(rich_file["sensitive"]) in (event.detail or "")
        note = session.get(Note, rich_file["sensitive"])
        assert note is not None
        assert notes.displayed_text(note) == notes.HIDDEN_TEXT


def test_export_person_contains_everything_and_is_audited(
    store: Store, actor: Actor, rich_file: dict[str, uuid.UUID]
) -> None:
    person_id = rich_file["person"]
    with store.write() as session:
        data = exports.export_person(session, actor, person_id)
    assert data["format"] == exports.EXPORT_FORMAT
    assert data["person"]["id"] == str(person_id)
    assert len(data["referent_assignments"]) == 2
    assert [a["id"] for a in data["appointments"]] == [str(rich_file["appointment"])]
    assert [b["id"] for b in data["barriers"]] == [str(rich_file["barrier"])]
    assert [a["id"] for a in data["actions"]] == [str(rich_file["action"])]
    texts = {n["text"] for n in data["notes"]}
    assert texts == {
        "Appel : motivé.",
        "Hospitalisation psychiatrique en mars.",
        "Passation : RAS.",
    }
    actions = [event["action"] for event in data["audit_events"]]
    assert "export" in actions  # the export itself is in the export
    json.dumps(data)  # JSON-ready
    with store.read() as session:
        exported = session.execute(
            select(AuditEvent).where(AuditEvent.action == "export")
        ).scalar_one()
        assert exported.person_id == person_id
        outboxed = session.execute(
            select(OutboxEntry).where(OutboxEntry.row_id == exported.id)
        ).scalar_one()
        assert outboxed.table_name == "audit_event"


def test_open_person_is_audited(store: Store, actor: Actor) -> None:
    person_id = new_person(store, actor)
    with store.write() as session:
        person = persons.open_person(session, actor, person_id)
        assert person.id == person_id
    with store.read() as session:
        events = list(
            session.execute(
                select(AuditEvent.action).where(AuditEvent.person_id == person_id)
            ).scalars()
        )
    assert events.count("open") == 1
