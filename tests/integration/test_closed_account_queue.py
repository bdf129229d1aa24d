"""A person whose referent's account is closed (``spie-server admin users disable``) waits in
her team's queue (« Passations », issue 14 item 4), including a person followed since before
server migration 0018: her ``person.team_id`` is NULL, her team only that of her referent.
Her team's supervisors receive her (on a device synced before the closing, on a fresh one,
and a supervisor whose account is created afterwards), another team's do not, and the
supervisor can assign her from the queue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from spie_desktop.entry import server as server_cli
from spie_desktop.services import queries, usecases
from sync.schema import table_of
from sync.server.models import row_clock
from tests.support.devkit import server_rows

NOTE = "Départ d'Alice : Éloïse reprise par Bob, premier rendez-vous à fixer."


def _as_before_0018(world: Any, person_id: uuid.UUID) -> None:
    """What server migration 0018 left for a person followed before it: the column added
    empty, no clock for it (no backfill)."""
    person = table_of("person")
    with world.engine.begin() as connection:
        connection.execute(update(person).where(person.c.id == person_id).values(team_id=None))
        key = (row_clock.c.table_name == "person") & (row_clock.c.row_id == person_id)
        clocks = dict(connection.execute(select(row_clock.c.clocks).where(key)).scalar_one())
        clocks.pop("team_id", None)
        connection.execute(update(row_clock).where(key).values(clocks=clocks))


def _holds(device: Any, person_id: uuid.UUID) -> bool:
    return str(person_id) in device.rows("person")


def test_closed_referent_account_puts_her_persons_in_her_team_queue(
    world: Any, capsys: Any, tmp_path: Path
) -> None:
    world.admin.create_team("Nord")
    world.admin.create_team("Sud")
    world.user("alice.martin", team="Nord")
    bob = world.user("bob.bernard", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    world.user("tom.sud", role="supervisor", team="Sud")
    eloise = world.admin.create_person(
        {"external_id": "OLD-1", "last_name": "Hérault", "first_name": "Éloïse"}, "alice.martin"
    )
    followed = world.admin.create_person(
        {"external_id": "NEW-1", "last_name": "Roux", "first_name": "Léa"}, "bob.bernard"
    )
    _as_before_0018(world, eloise)
    assert server_rows(world.engine, "person")[str(eloise)]["team_id"] is None

    sam = world.device("sam-laptop", "sam.chef")
    tom = world.device("tom-laptop", "tom.sud")
    sam.sync()
    tom.sync()
    assert _holds(sam, eloise) and queries.persons_without_referent(sam.store) == []

    # The administrator closes Alice's account from the command line.
    code = server_cli.main(
        ["admin", "--database-url", world.settings.database_url, "users", "disable", "alice.martin"]
    )
    assert code == 0, capsys.readouterr()

    # A supervisor who joins the team afterwards (her account rescopes the team's persons:
    # Éloïse's team is then worked out again, from her closed referent's).
    world.user("zoe.relais", role="supervisor", team="Nord")
    zoe = world.device("zoe-laptop", "zoe.relais")
    fresh = world.device("sam-desktop", "sam.chef")  # first synced after the closing
    for device in (sam, zoe, fresh, tom):
        device.sync()
    for device in (sam, zoe, fresh):
        queue = queries.persons_without_referent(device.store)
        assert [(p.person_id, p.reason) for p in queue] == [(eloise, "inactive")], device.name
        assert queue[0].waiting_since <= datetime.now(UTC)
        assert _holds(device, followed)  # Bob's persons are not in the queue
    assert not _holds(tom, eloise)

    # Assigned from the queue: the server decides, she joins Bob's caseload and team.
    usecases.request_handovers(sam.store, sam.actor, [(eloise, bob)], NOTE)
    report = sam.sync()
    assert report.handovers_done == 1 and not report.handovers_refused, report
    assert queries.persons_without_referent(sam.store) == []
    row = server_rows(world.engine, "person")[str(eloise)]
    nord = next(k for k, v in server_rows(world.engine, "team").items() if v["name"] == "Nord")
    assert (row["referent_id"], row["team_id"]) == (str(bob), nord)
    bob_device = world.device("bob-laptop", "bob.bernard")
    bob_device.sync()
    assert _holds(bob_device, eloise)
    top = queries.person_file(bob_device.store, eloise, datetime.now(UTC)).timeline[0].fact
    assert NOTE in (getattr(top, "text", None), getattr(top, "note", None))
