"""Persons without a referent as the supervisor's queue (issue 14 item 4): a person imported
without a referent belongs to a team (``person.team_id``, set by the server only), the
team's supervisor receives her read-only and nobody else does; a referent can neither set
nor change the team; assigning from the queue (one or many, online or queued offline) goes
through the server's handover and reaches the new referent's device with the note."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spie_desktop.services import queries, usecases
from sync.server.models import change_log
from tests.integration.authz_support import Api
from tests.support.devkit import ServerThread, server_rows

NOTE = "Arrivée par l'import de novembre : premier contact à prendre, RSA ouvert."


def _cast(world: Any) -> dict[str, Any]:
    world.admin.create_team("Nord")
    world.admin.create_team("Sud")
    cast: dict[str, Any] = {"world": world}
    for name, role, team in (
        ("alice.martin", "referent", "Nord"),
        ("bob.bernard", "referent", "Nord"),
        ("dave.roux", "referent", "Sud"),
        ("sam.chef", "supervisor", "Nord"),
        ("tom.sud", "supervisor", "Sud"),
    ):
        cast[name.split(".")[0]] = world.user(name, role=role, team=team)
    csv = Path(world.root) / "import.csv"
    csv.write_text(
        "external_id;nom;prenom;equipe\n"
        "CD58-A1;LEFEVRE;Nina;Nord\n"
        "CD58-A2;MOREAU;Ilan;Nord\n"
        "CD58-A3;GIRAUD;Lise;\n",
        encoding="utf-8-sig",
    )
    report = world.admin.import_csv(csv)
    assert (report.created, report.problems) == (3, [])
    persons = server_rows(world.engine, "person")
    by_ext = {row["external_id"]: uuid.UUID(key) for key, row in persons.items()}
    cast["nina"], cast["ilan"], cast["lise"] = (
        by_ext["CD58-A1"],
        by_ext["CD58-A2"],
        by_ext["CD58-A3"],
    )
    return cast


def _holds(device: Any, person_id: uuid.UUID) -> bool:
    return str(person_id) in device.rows("person")


def test_imported_without_referent_reach_only_their_team_supervisor(world: Any) -> None:
    cast = _cast(world)
    nord = server_rows(world.engine, "team")
    nord_id = next(k for k, v in nord.items() if v["name"] == "Nord")
    rows = server_rows(world.engine, "person")
    assert rows[str(cast["nina"])]["team_id"] == nord_id
    assert rows[str(cast["nina"])]["referent_id"] is None
    assert rows[str(cast["lise"])]["team_id"] is None  # no team in the file: nobody's
    sam = world.device("sam-laptop", "sam.chef")
    tom = world.device("tom-laptop", "tom.sud")
    alice = world.device("alice-laptop", "alice.martin")
    dave = world.device("dave-laptop", "dave.roux")
    for device in (sam, tom, alice, dave):
        device.sync()
    assert _holds(sam, cast["nina"]) and _holds(sam, cast["ilan"])
    assert not _holds(sam, cast["lise"])
    for device in (tom, alice, dave):  # another team's supervisor, referents
        assert not any(_holds(device, cast[p]) for p in ("nina", "ilan", "lise"))
    # The queue on the supervisor's device: both, with how long they have waited.
    queue = queries.persons_without_referent(sam.store)
    assert {p.person_id for p in queue} == {cast["nina"], cast["ilan"]}
    assert all(p.reason == "none" and p.waiting_since <= datetime.now(UTC) for p in queue)
    # The file names the team later: Lise joins the Sud queue, Tom receives her.
    csv = Path(world.root) / "again.csv"
    csv.write_text("external_id;nom;prenom;equipe\nCD58-A3;GIRAUD;Lise;Sud\n", encoding="utf-8")
    assert world.admin.import_csv(csv).updated == 1
    tom.sync()
    sam.sync()
    assert _holds(tom, cast["lise"]) and not _holds(sam, cast["lise"])
    # A supervisor of another team cannot assign them either.
    refused = Api(world.url, "tom.sud").handover(cast["nina"], cast["dave"], "Je prends.")
    assert (refused.status_code, refused.json()["code"]) == (403, "out_of_scope")


def test_a_referent_cannot_set_or_change_the_team(world: Any) -> None:
    cast = _cast(world)
    api = Api(world.url, "alice.martin")
    teams = {v["name"]: k for k, v in server_rows(world.engine, "team").items()}
    before_log = len(server_rows(world.engine, "person"))
    # Creating a person in another team: refused with a code, nothing written.
    new_id = uuid.uuid4()
    fields = {
        "last_name": "Faux",
        "first_name": "Jo",
        "follow_up_status": "a_contacter",
        "referent_id": str(cast["alice"]),
        "team_id": teams["Sud"],
    }
    (result,) = api.push(api.change("person", new_id, fields))
    assert (result["status"], result["code"]) == ("refused", "team_server_only"), result
    assert len(server_rows(world.engine, "person")) == before_log
    # Without a team, or with her own: the server states her team.
    (result,) = api.push(api.change("person", new_id, fields | {"team_id": None}))
    assert result["status"] == "accepted", result
    assert server_rows(world.engine, "person")[str(new_id)]["team_id"] == teams["Nord"]
    # Changing it afterwards: refused with a code, the value stays.
    (result,) = api.push(api.change("person", new_id, {"team_id": teams["Sud"]}))
    assert (result["status"], result["code"]) == ("refused", "team_server_only"), result
    (result,) = api.push(api.change("person", new_id, {"team_id": teams["Sud"], "city": "Nevers"}))
    assert (result["status"], result["code"]) == ("refused", "team_server_only"), result
    row = server_rows(world.engine, "person")[str(new_id)]
    assert (row["team_id"], row["city"]) == (teams["Nord"], None)
    # The team of a queued person, from a referent (not hers) or her supervisor: refused.
    (result,) = api.push(api.change("person", cast["nina"], {"team_id": teams["Sud"]}))
    assert result["status"] == "refused", result
    sam = Api(world.url, "sam.chef")
    (result,) = sam.push(sam.change("person", cast["nina"], {"team_id": teams["Sud"]}))
    assert result["status"] == "refused", result
    assert server_rows(world.engine, "person")[str(cast["nina"])]["team_id"] == teams["Nord"]


def test_assigned_from_the_queue_offline_reaches_the_new_referent_with_the_note(
    world: Any,
) -> None:
    cast = _cast(world)
    sam = world.device("sam-laptop", "sam.chef")
    alice = world.device("alice-laptop", "alice.martin")
    bob = world.device("bob-laptop", "bob.bernard")
    for device in (sam, alice, bob):
        device.sync()
    queue = [p.person_id for p in queries.persons_without_referent(sam.store)]
    assert sorted(queue) == sorted([cast["nina"], cast["ilan"]])
    targets = {t.referent_id for t in queries.handover_targets(sam.store, sam.actor, queue)}
    assert targets == {cast["alice"], cast["bob"]}

    # Offline: the supervisor assigns both, split among the team; queued, nothing moves.
    port = world.server.port
    world.server.stop()
    plan = queries.plan_handover_split(sam.store, queue, [cast["alice"], cast["bob"]])
    assert {p.to_referent_id for p in plan} == {cast["alice"], cast["bob"]}
    usecases.request_handovers(
        sam.store, sam.actor, [(p.person_id, p.to_referent_id) for p in plan], NOTE
    )
    assert sam.sync(expect_ok=False).status == "offline"
    pending = queries.persons_without_referent(sam.store)
    assert all(p.pending for p in pending) and len(pending) == 2

    # Online: the server decides; the persons join the new referents' team.
    world.server = ServerThread(world.settings, port=port).start()
    report = sam.sync()
    assert report.handovers_done == 2 and not report.handovers_refused
    assert queries.persons_without_referent(sam.store) == []
    teams = {v["name"]: k for k, v in server_rows(world.engine, "team").items()}
    for p in plan:
        row = server_rows(world.engine, "person")[str(p.person_id)]
        assert row["referent_id"] == str(p.to_referent_id) and row["team_id"] == teams["Nord"]
    for device, referent in ((alice, cast["alice"]), (bob, cast["bob"])):
        device.sync()
        (mine,) = [p.person_id for p in plan if p.to_referent_id == referent]
        assert _holds(device, mine)
        file = queries.person_file(device.store, mine, datetime.now(UTC))
        top = file.timeline[0].fact  # the handover note, newest entry of the journal
        assert NOTE in (getattr(top, "text", None), getattr(top, "note", None))
        (others,) = [p.person_id for p in plan if p.to_referent_id != referent]
        assert not _holds(device, others)
    # Asked twice (the request replayed by a second sync): decided once.
    sam.sync()
    with world.engine.connect() as connection:
        grants = connection.execute(change_log.select().where(change_log.c.kind == "grant")).all()
    assert (
        sum(1 for g in grants if g.person_id == cast["nina"] and g.audience_id != cast["sam"]) == 1
    )
