"""Issue 11, each numbered *Why* replayed against a running server by a client written
from the wire protocol alone: the server decides who may write what, and who wrote it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from authz_support import Api, new_row, row, unique
from sqlalchemy import select

from sync.schema import table_of


@dataclass
class Cast:
    world: Any
    nord: str
    sud: str
    alice: Api  # referent, Nord: follows P and Q
    dave: Api  # referent, Nord
    carol: Api  # referent, Sud: follows R
    sam: Api  # supervisor of Nord
    p: uuid.UUID
    q: uuid.UUID
    r: uuid.UUID

    def close(self) -> None:
        for api in (self.alice, self.dave, self.carol, self.sam):
            api.close()


@pytest.fixture
def cast(module_world: Any) -> Iterator[Cast]:
    world = module_world
    nord, sud = unique("Nord"), unique("Sud")
    world.admin.create_team(nord)
    world.admin.create_team(sud)
    names = {key: unique(f"{key}.t") for key in ("alice", "dave", "carol", "sam")}
    world.user(names["alice"], team=nord)
    world.user(names["dave"], team=nord)
    world.user(names["carol"], team=sud)
    world.user(names["sam"], role="supervisor", team=nord)
    p = world.admin.create_person({"last_name": "Lefèvre", "first_name": "Paul"}, names["alice"])
    q = world.admin.create_person({"last_name": "Quentin", "first_name": "Q"}, names["alice"])
    r = world.admin.create_person({"last_name": "Roux", "first_name": "R"}, names["carol"])
    apis = {key: Api(world.url, name) for key, name in names.items()}
    result = Cast(world, nord, sud, p=p, q=q, r=r, **apis)
    yield result
    result.close()


def _codes(results: list[dict[str, Any]]) -> list[str | None]:
    return [r.get("code") for r in results]


def _ms() -> int:
    return time.time_ns() // 1_000_000


# -- Why 1 -------------------------------------------------------------------------------


def test_why1_former_referent_stops_writing_after_handover(cast: Cast) -> None:
    alice, world = cast.alice, cast.world
    assert alice.push_one("person", cast.p, {"city": "Nevers"})["status"] == "accepted"
    before_ms = _ms()
    time.sleep(0.01)
    world.admin.assign(str(cast.p), cast.dave.username)
    time.sleep(0.01)

    # Made offline before the handover (pushed first, in outbox order): still accepted,
    # attributed to her...
    late = alice.push_one(
        "person", cast.p, {"phone": "06 11 22 33 44"}, hlc=alice.hlc(at_ms=before_ms)
    )
    assert late["status"] == "accepted", late
    # ...but never a change of the assignment, even dated before.
    grab = alice.push_one(
        "person", cast.p, {"referent_id": alice.referent_id}, hlc=alice.hlc(at_ms=before_ms)
    )
    assert grab["code"] == "handover_server_only"

    # After the handover: no rename, no note, no taking the person back.
    note = new_row("note", cast.p, alice.referent_id)
    results = alice.push(
        alice.change("person", cast.p, {"last_name": "Renommé"}),
        alice.change("note", uuid.uuid4(), note),
        alice.change("person", cast.p, {"referent_id": alice.referent_id}),
    )
    assert _codes(results) == ["after_handover", "after_handover", "after_handover"]
    stored = row(world.engine, "person", cast.p)
    assert stored is not None
    assert stored["last_name"] == "Lefèvre" and stored["referent_id"] == cast.dave.referent_id
    assert stored["phone"] == "06 11 22 33 44"

    # The new referent's notes never reach her.
    dave_note = uuid.uuid4()
    assert (
        cast.dave.push_one("note", dave_note, new_row("note", cast.p, cast.dave.referent_id))[
            "status"
        ]
        == "accepted"
    )
    assert str(dave_note) not in {str(e.get("id") or e.get("row_id")) for e in alice.pull_all()}


# -- Why 2 -------------------------------------------------------------------------------


def test_why2_referent_cannot_reassign_her_persons(cast: Cast) -> None:
    alice, world = cast.alice, cast.world
    # Through a person update: to another team's referent, to a supervisor, to nobody.
    results = alice.push(
        alice.change("person", cast.p, {"referent_id": cast.carol.referent_id}),
        alice.change("person", cast.p, {"referent_id": cast.sam.referent_id}),
        alice.change("person", cast.p, {"referent_id": None}),
    )
    assert _codes(results) == ["handover_server_only"] * 3
    # Through creation: a new person assigned to someone else or nobody.
    for target in (cast.carol.referent_id, cast.sam.referent_id, None):
        fields = new_row("person", None, alice.referent_id) | {"referent_id": target}
        assert alice.push_one("person", uuid.uuid4(), fields)["code"] == "out_of_scope"
    stored = row(world.engine, "person", cast.p)
    assert stored is not None and stored["referent_id"] == alice.referent_id

    # Through the handover use-case: another team or a supervisor refused with a code...
    for target in (cast.carol.referent_id, cast.sam.referent_id):
        refused = alice.handover(cast.p, target)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "invalid_handover_target"
    # ...someone else's person too...
    assert alice.handover(cast.r, cast.dave.referent_id).json()["code"] == "out_of_scope"
    # ...a colleague of her team accepted, and the server records who decided.
    done = alice.handover(cast.p, cast.dave.referent_id, note="Suivi logement.")
    assert done.status_code == 200, done.text
    assignment = row(world.engine, "referent_assignment", done.json()["assignment_id"])
    assert assignment is not None
    assert assignment["referent_id"] == cast.dave.referent_id
    assert assignment["assigned_by_id"] == alice.referent_id
    # A supervisor decides across teams.
    across = cast.sam.handover(cast.p, cast.carol.referent_id)
    assert across.status_code == 200, across.text
    assignment = row(world.engine, "referent_assignment", across.json()["assignment_id"])
    assert assignment is not None and assignment["assigned_by_id"] == cast.sam.referent_id
    stored = row(world.engine, "person", cast.p)
    assert stored is not None and stored["referent_id"] == cast.carol.referent_id


# -- Why 3 -------------------------------------------------------------------------------


def test_why3_handover_history_cannot_be_rewritten(cast: Cast) -> None:
    alice, world = cast.alice, cast.world
    assignments = table_of("referent_assignment")
    with world.engine.connect() as connection:
        current = connection.execute(
            select(assignments.c.id).where(assignments.c.person_id == cast.p)
        ).scalar_one()
    before = row(world.engine, "referent_assignment", current)
    results = alice.push(
        alice.change("referent_assignment", current, {"assigned_by_id": alice.referent_id}),
        alice.change("referent_assignment", current, {"started_at": "2001-01-01T00:00:00Z"}),
        alice.change("referent_assignment", current, {"handover_note": "réécrit"}),
        alice.change("referent_assignment", current, {"ended_at": "2030-01-01T00:00:00Z"}),
        alice.change("referent_assignment", current, {}, op="delete")
        | {"fields": {"deleted_at": "2026-01-01T00:00:00Z"}},
        alice.change(
            "referent_assignment",
            uuid.uuid4(),
            new_row("referent_assignment", cast.p, alice.referent_id),
        ),
    )
    assert _codes(results) == ["handover_server_only"] * 6
    assert row(world.engine, "referent_assignment", current) == before


# -- Why 4 -------------------------------------------------------------------------------


def test_why4_audit_events_cannot_be_forged(cast: Cast) -> None:
    alice, world = cast.alice, cast.world
    base = new_row("audit_event", cast.p, alice.referent_id)
    results = alice.push(
        alice.change("audit_event", uuid.uuid4(), base | {"actor_id": cast.carol.referent_id}),
        alice.change("audit_event", uuid.uuid4(), base | {"device_id": cast.carol.device_id}),
        alice.change("audit_event", uuid.uuid4(), base | {"device_id": "=HYPERLINK(1)"}),
        alice.change("audit_event", uuid.uuid4(), base | {"person_id": str(cast.r)}),
        alice.change("audit_event", uuid.uuid4(), base | {"person_id": str(uuid.uuid4())}),
    )
    assert _codes(results) == [
        "provenance_mismatch",
        "provenance_mismatch",
        "provenance_mismatch",
        "out_of_scope",
        "out_of_scope",
    ]
    honest = uuid.uuid4()
    assert alice.push_one("audit_event", honest, base)["status"] == "accepted"
    stored = row(world.engine, "audit_event", honest)
    assert stored is not None
    assert stored["actor_id"] == alice.referent_id and stored["device_id"] == alice.device_id
    # A supervisor records her consultations of her team's persons, not of others'.
    sam_base = new_row("audit_event", cast.p, cast.sam.referent_id)
    assert cast.sam.push_one("audit_event", uuid.uuid4(), sam_base)["status"] == "accepted"
    other = sam_base | {"person_id": str(cast.r)}
    assert cast.sam.push_one("audit_event", uuid.uuid4(), other)["code"] == "out_of_scope"


# -- Why 5 -------------------------------------------------------------------------------


def test_why5_notes_signed_by_their_author_only(cast: Cast) -> None:
    alice, world = cast.alice, cast.world
    forged = new_row("note", cast.p, cast.dave.referent_id)
    assert alice.push_one("note", uuid.uuid4(), forged)["code"] == "provenance_mismatch"
    unsigned = new_row("note", cast.p, alice.referent_id)
    del unsigned["author_id"]
    note_id = uuid.uuid4()
    assert alice.push_one("note", note_id, unsigned)["status"] == "accepted"
    stored = row(world.engine, "note", note_id)
    assert stored is not None and stored["author_id"] == alice.referent_id
    # and for ever: the signature does not change afterwards.
    changed = alice.push_one("note", note_id, {"author_id": cast.dave.referent_id})
    assert changed["status"] == "refused"
    stored = row(world.engine, "note", note_id)
    assert stored is not None and stored["author_id"] == alice.referent_id


# -- Why 6 -------------------------------------------------------------------------------


def test_why6_references_stay_within_one_person(cast: Cast) -> None:
    alice, world = cast.alice, cast.world
    barrier_q, note_q, action_p, note_p = (uuid.uuid4() for _ in range(4))
    ok = alice.push(
        alice.change("barrier", barrier_q, new_row("barrier", cast.q, alice.referent_id)),
        alice.change("note", note_q, new_row("note", cast.q, alice.referent_id)),
        alice.change("action", action_p, new_row("action", cast.p, alice.referent_id)),
        alice.change("note", note_p, new_row("note", cast.p, alice.referent_id)),
    )
    assert [r["status"] for r in ok] == ["accepted"] * 4
    action = new_row("action", cast.p, alice.referent_id) | {"barrier_id": str(barrier_q)}
    superseding = new_row("note", cast.p, alice.referent_id) | {"supersedes_id": str(note_q)}
    meeting = new_row("appointment", cast.p, alice.referent_id)
    results = alice.push(
        alice.change("action", uuid.uuid4(), action),
        alice.change("action", action_p, {"barrier_id": str(barrier_q)}),
        alice.change("note", uuid.uuid4(), superseding),
        alice.change(
            "appointment", uuid.uuid4(), meeting | {"referent_id": cast.carol.referent_id}
        ),
        alice.change("appointment", uuid.uuid4(), meeting | {"person_id": str(cast.r)}),
        alice.change("action", action_p, {"person_id": str(cast.q)}),
    )
    assert _codes(results) == [
        "cross_person_reference",
        "cross_person_reference",
        "cross_person_reference",
        "cross_person_reference",
        "out_of_scope",
        "out_of_scope",
    ]
    stored = row(world.engine, "action", action_p)
    assert stored is not None and stored["barrier_id"] is None
    assert stored["person_id"] == str(cast.p)


# -- Why 7 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "alice@example.fr\r\n"),
        ("email", "not-an-email"),
        ("phone", "<b>06 11 22 33 44</b>"),
        ("postal_code", "ABCDE"),
        ("last_name", "Nom\r\nSet-Cookie: x"),
        ("caf_number", "12AB"),
    ],
)
def test_why7_server_runs_the_device_field_checks(cast: Cast, field: str, value: str) -> None:
    alice, world = cast.alice, cast.world
    before = row(world.engine, "person", cast.p)
    response = alice.push_raw([alice.change("person", cast.p, {field: value})])
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_value" and body["field"] == field and body["message"]
    assert row(world.engine, "person", cast.p) == before


def test_why7_device_and_server_agree(cast: Cast) -> None:
    """The device's service refuses exactly what the server refuses (one set of checks)."""
    from spie_desktop.errors import ValidationError
    from spie_desktop.services.persons import validate_person_fields

    alice = cast.alice
    for field, value in [
        ("email", "marie.dupont@example.fr"),
        ("phone", "+33 6 11 22 33 44"),
        ("postal_code", "58000"),
        ("email", "not-an-email"),
        ("phone", "06<script>"),
        ("postal_code", "ABCDE"),
    ]:
        try:
            validate_person_fields({field: value})
            device_ok = True
        except ValidationError:
            device_ok = False
        response = alice.push_raw([alice.change("person", cast.p, {field: value})])
        assert (response.status_code == 200) == device_ok, (field, value, response.text)


def test_created_person_and_first_assignment_from_device(cast: Cast) -> None:
    """The ordinary path still works: a device creates a person in its own caseload with
    its first assignment (to itself, started at the change's own clock)."""
    alice, world = cast.alice, cast.world
    person_id, assignment_id = uuid.uuid4(), uuid.uuid4()
    first = new_row("referent_assignment", person_id, alice.referent_id) | {
        "assigned_by_id": alice.referent_id
    }
    results = alice.push(
        alice.change("person", person_id, new_row("person", None, alice.referent_id)),
        alice.change("referent_assignment", assignment_id, first),
        alice.change("referent_assignment", uuid.uuid4(), first),
    )
    assert [r["status"] for r in results[:2]] == ["accepted", "accepted"], results
    assert results[2]["code"] == "handover_server_only"
    stored = row(world.engine, "referent_assignment", assignment_id)
    assert stored is not None and stored["assigned_by_id"] == alice.referent_id
    backdated = uuid.uuid4()
    other = uuid.uuid4()
    results = alice.push(
        alice.change("person", other, new_row("person", None, alice.referent_id)),
        alice.change(
            "referent_assignment",
            backdated,
            new_row("referent_assignment", other, alice.referent_id)
            | {"started_at": datetime(2001, 1, 1, tzinfo=UTC).isoformat()},
        ),
    )
    assert _codes(results) == [None, "provenance_mismatch"]


# -- RGPD: a device asks for an erasure, the server decides it ---------------------------


def test_erasure_request_is_asked_from_a_device_and_decided_only_on_the_server(
    cast: Cast,
) -> None:
    alice = cast.alice
    fields = new_row("erasure_request", cast.p, alice.referent_id)
    approved_at_once = alice.push_one(
        "erasure_request", uuid.uuid4(), fields | {"status": "approved"}
    )
    assert approved_at_once["code"] == "decision_server_only"
    signed_by_other = alice.push_one(
        "erasure_request", uuid.uuid4(), fields | {"requested_by_id": str(cast.dave.referent_id)}
    )
    assert signed_by_other["code"] == "provenance_mismatch"

    request_id = uuid.uuid4()
    assert alice.push_one("erasure_request", request_id, fields)["status"] == "accepted"
    for attack in (
        {"status": "done"},
        {"decided_at": "2026-12-01T10:00:00Z"},
        {"decided_by_id": str(alice.referent_id)},
        {"decision_note": "Accordé par moi-même"},
    ):
        answer = alice.push_one("erasure_request", request_id, attack)
        assert answer["code"] == "decision_server_only", attack
    stored = row(cast.world.engine, "erasure_request", request_id)
    assert stored is not None
    assert stored["status"] == "requested"
    assert stored["decided_at"] is None and stored["decision_note"] is None
