"""Handover asked from the app (issue 14 items 3–4, issue 11 « Write rights »): a
supervisor's device queues the requests offline, the server decides them when it is back,
the new referents' devices receive each whole file with the note on top of the journal,
the former referent's device pushes what it still held and then loses the files; every
hostile request is refused with a code and changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from spie_desktop.errors import SpieError
from spie_desktop.services import queries, usecases
from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from spie_desktop.store.local_models import HandoverState
from spie_desktop.store.store import Store
from sync.server.models import change_log
from tests.integration.authz_support import Api
from tests.support.devkit import DEVICE_PASSPHRASE, Device, ServerThread, server_rows

NOTE = "Passation : Mme est en arrêt. Dossiers RSA à revoir avant fin du mois."


def _holds(device: Device, person_id: uuid.UUID) -> bool:
    return str(person_id) in device.rows("person")


def _log_size(world: Any) -> int:
    with world.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(change_log)).scalar_one())


def _server_state(world: Any) -> dict[str, Any]:
    return {
        t: server_rows(world.engine, t)
        for t in ("person", "referent_assignment", "note", "audit_event")
    } | {"log": _log_size(world)}


def test_bulk_handover_made_offline(world: Any) -> None:
    world.admin.create_team("Nord")
    alice = world.user("alice.martin", team="Nord")
    bob = world.user("bob.bernard", team="Nord")
    carol = world.user("carol.petit", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    leaving = [
        world.admin.create_person({"last_name": f"Leblanc{i}", "first_name": "Jo"}, "alice.martin")
        for i in range(6)
    ]
    for i in range(2):
        world.admin.create_person({"last_name": f"Autre{i}", "first_name": "Al"}, "bob.bernard")

    da = world.device("alice-laptop", "alice.martin")
    db = world.device("bob-laptop", "bob.bernard")
    dc = world.device("carol-laptop", "carol.petit")
    ds = world.device("sam-laptop", "sam.chef")
    for device in (da, db, dc, ds):
        device.sync()
    assert all(_holds(da, p) for p in leaving)

    # Alice's last work, never pushed: a note and a change on two of her files.
    with da.write() as session:
        late_note = write_note(session, da.actor, leaving[0], "Appel : rendez-vous CAF mardi.").id
        update_person(session, da.actor, leaving[1], {"city": "Roubaix"})
    assert da.client.pending_count() > 0

    # The supervisor, offline, hands all of Alice's persons over, split by caseload.
    port = world.server.port
    world.server.stop()
    persons = queries.persons_followed_by(ds.store, alice)
    assert sorted(persons) == sorted(leaving)
    targets = [
        t for t in queries.handover_targets(ds.store, ds.actor, persons) if t.referent_id != alice
    ]
    assert {t.referent_id for t in targets} == {bob, carol}
    plan = queries.plan_handover_split(ds.store, persons, [bob, carol])
    given = [p.to_referent_id for p in plan]
    assert (given.count(bob), given.count(carol)) == (2, 4)  # 2+2 and 0+4: equal caseloads
    usecases.request_handovers(
        ds.store, ds.actor, [(p.person_id, p.to_referent_id) for p in plan], NOTE
    )
    report = ds.sync(expect_ok=False)
    assert report.status == "offline"

    # The queue survives the app being killed: reopen the store from disk.
    ds.store.close()
    ds.store = Store.open(ds.data_dir, DEVICE_PASSPHRASE, keyring_backend=ds.ring)
    ds.client.store = ds.store
    queued = queries.handover_requests(ds.store)
    assert len(queued) == 6 and {q.state for q in queued} == {HandoverState.PENDING}

    # Online again.
    world.server = ServerThread(world.settings, port=port).start()
    report = ds.sync()
    assert report.handovers_done == 6 and not report.handovers_refused
    assert {q.state for q in queries.handover_requests(ds.store)} == {HandoverState.DONE}
    ds.sync()  # nothing sent twice
    assert len(server_rows(world.engine, "referent_assignment", leaving)) == 12

    # Alice's device: pushes what it held, then loses every file.
    report = da.sync()
    assert report.purged == 6
    assert da.client.pending_count() == 0
    assert not any(_holds(da, p) for p in leaving)
    assert str(late_note) in server_rows(world.engine, "note", [leaving[0]])
    assert server_rows(world.engine, "person", [leaving[1]])[str(leaving[1])]["city"] == "Roubaix"

    # The new referents: every file, whole, with the note on top of the journal.
    for device, referent in ((db, bob), (dc, carol)):
        device.sync()
        mine = [p.person_id for p in plan if p.to_referent_id == referent]
        for person_id in mine:
            assert _holds(device, person_id)
            file = queries.person_file(device.store, person_id, datetime.now(UTC))
            top = file.timeline[0].fact  # the handover note, newest entry of the journal
            assert NOTE in (getattr(top, "text", None), getattr(top, "note", None))
            server_notes = server_rows(world.engine, "note", [person_id])
            held_notes = {
                k for k, v in device.rows("note").items() if v["person_id"] == str(person_id)
            }
            assert held_notes == set(server_notes)
        others = [p.person_id for p in plan if p.to_referent_id != referent]
        assert not any(_holds(device, p) for p in others)
    assert str(late_note) in db.rows("note") or str(late_note) in dc.rows("note")
    # The supervisor still sees them all, now under their new referents.
    held = ds.rows("person")
    for p in plan:
        assert held[str(p.person_id)]["referent_id"] == str(p.to_referent_id)


@pytest.fixture
def team(module_world: Any) -> dict[str, Any]:
    world = module_world
    tag = uuid.uuid4().hex[:6]
    nord, sud = f"Nord{tag}", f"Sud{tag}"
    world.admin.create_team(nord)
    world.admin.create_team(sud)
    cast: dict[str, Any] = {"world": world}
    for name, role, t in (
        ("alice", "referent", nord),
        ("bob", "referent", nord),
        ("dave", "referent", sud),
        ("sam", "supervisor", nord),
        ("tom", "supervisor", sud),
    ):
        username = f"{name}.{tag}"
        cast[name] = world.user(username, role=role, team=t)
        cast[f"{name}_user"] = username
    cast["p"] = world.admin.create_person(
        {"last_name": "Cible", "first_name": "Paule"}, cast["alice_user"]
    )
    return cast


def _api(cast: dict[str, Any], who: str) -> Api:
    return Api(cast["world"].url, cast[f"{who}_user"])


def _ask(api: Api, cast: dict[str, Any], to: str, **extra: Any) -> Any:
    body = {
        "person_id": str(cast["p"]),
        "referent_id": str(cast[to]),
        "note": "Note de passation.",
        "request_id": str(uuid.uuid4()),
    } | extra
    return api.http.post("/sync/handover", json=body)


@pytest.mark.parametrize(
    ("who", "to", "status", "code"),
    [
        ("dave", "bob", 403, "out_of_scope"),  # a referent of another team
        ("tom", "bob", 403, "out_of_scope"),  # a supervisor of another team
        ("alice", "dave", 422, "invalid_handover_target"),  # a target outside the team
        ("alice", "sam", 422, "invalid_handover_target"),  # a read-only role as target
        ("sam", "tom", 422, "invalid_handover_target"),  # a supervisor is no referent
        ("alice", "alice", 409, "same_referent"),
    ],
)
def test_hostile_requests_are_refused(
    team: dict[str, Any], who: str, to: str, status: int, code: str
) -> None:
    world = team["world"]
    api = _api(team, who)
    before = _server_state(world)
    answer = _ask(api, team, to)
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert answer.json()["message"]
    assert _server_state(world) == before


def test_former_referent_cannot_hand_over(team: dict[str, Any]) -> None:
    world = team["world"]
    assert _ask(_api(team, "alice"), team, "bob").status_code == 200
    before = _server_state(world)
    answer = _ask(_api(team, "alice"), team, "alice")  # taking the person back
    assert (answer.status_code, answer.json()["code"]) == (403, "out_of_scope")
    assert _server_state(world) == before


def test_replayed_request_hands_over_once(team: dict[str, Any]) -> None:
    world = team["world"]
    sam = _api(team, "sam")
    request_id = str(uuid.uuid4())
    first = _ask(sam, team, "bob", request_id=request_id, from_referent_id=str(team["alice"]))
    assert first.status_code == 200 and not first.json()["replayed"]
    before = _server_state(world)
    again = _ask(sam, team, "bob", request_id=request_id, from_referent_id=str(team["alice"]))
    assert again.status_code == 200 and again.json()["replayed"]
    assert again.json()["assignment_id"] == first.json()["assignment_id"]
    assert _server_state(world) == before
    # The same id for another content, or by another account: refused, nothing changed.
    other = _ask(sam, team, "alice", request_id=request_id)
    assert (other.status_code, other.json()["code"]) == (409, "request_id_reused")
    stolen = _ask(_api(team, "bob"), team, "alice", request_id=request_id)
    assert (stolen.status_code, stolen.json()["code"]) == (409, "request_id_reused")
    assert _server_state(world) == before


def test_person_handed_over_meanwhile_is_refused(team: dict[str, Any]) -> None:
    world = team["world"]
    # Sam saw Paule with Alice and asked (offline) for a change; meanwhile Alice handed
    # her to Bob herself: Sam's request must not override that decision.
    assert _ask(_api(team, "alice"), team, "bob").status_code == 200
    before = _server_state(world)
    late = _ask(_api(team, "sam"), team, "alice", from_referent_id=str(team["alice"]))
    assert (late.status_code, late.json()["code"]) == (409, "handover_stale")
    assert _server_state(world) == before


def test_device_queue_shows_refusals_in_french(world: Any) -> None:
    """A request refused by the server is kept with its reason; nothing moves."""
    world.admin.create_team("Nord")
    world.admin.create_team("Sud")
    world.user("alice.martin", team="Nord")
    bob = world.user("bob.bernard", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    p = world.admin.create_person({"last_name": "Durand", "first_name": "Lou"}, "alice.martin")
    ds = world.device("sam-laptop", "sam.chef")
    da = world.device("alice-laptop", "alice.martin")
    ds.sync()
    da.sync()
    usecases.request_handovers(ds.store, ds.actor, [(p, bob)], NOTE)
    # Meanwhile the administrator gives Lou to Bob: Sam's request is stale.
    world.admin.assign(str(p), "bob.bernard")
    report = ds.sync()
    assert report.handovers_done == 0
    assert [r.code for r in report.handovers_refused] == ["handover_stale"]
    (entry,) = queries.handover_requests(ds.store)
    assert entry.state == HandoverState.REFUSED and entry.error_code == "handover_stale"
    assert "entre-temps" in (entry.error_message or "")
    assert len(server_rows(world.engine, "referent_assignment", [p])) == 2
    # Asking locally what the server would refuse is refused at once, in French.
    with pytest.raises(SpieError) as refused:
        usecases.request_handovers(da.store, da.actor, [(p, bob)], "")
    assert refused.value.code == "required"
