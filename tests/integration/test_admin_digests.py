"""``spie-server admin digests check|rebuild`` (issue 10): the persons' kept digests after SQL
written by hand behind the server — seen by ``check`` (exit code 4), repaired by ``rebuild``,
and then the devices repair their copy of that file at their next sync. On a real server
database (SQLite, and PostgreSQL when ``SPIE_TEST_POSTGRES_URL`` is set) and a real device."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from sqlalchemy import select, update

from spie_desktop.entry import server as server_cli
from spie_desktop.services.persons import update_person
from sync.protocol import SERVER_NODE
from sync.schema import table_of
from sync.server.digest import kept_person_digests, recomputed_person_digests
from sync.server.models import admin_log, row_clock
from tests.support.devkit import server_rows


def _admin(world: Any, capsys: Any, *args: str) -> tuple[int, str]:
    code = server_cli.main(["admin", "--database-url", world.settings.database_url, *args])
    return code, capsys.readouterr().out


def _city_by_hand(world: Any, person_id: uuid.UUID, city: str) -> None:
    """What an administrator's SQL does behind the server: a value and its clock (so that
    it wins), and nothing else — the kept digest is left as it was."""
    person = table_of("person")
    stamp = f"{int(time.time() * 1000) + 60_000:012x}-0000-{SERVER_NODE}"
    with world.engine.begin() as connection:
        connection.execute(update(person).where(person.c.id == person_id).values(city=city))
        clocks = connection.execute(
            select(row_clock.c.clocks).where(
                row_clock.c.table_name == "person", row_clock.c.row_id == person_id
            )
        ).scalar_one()
        connection.execute(
            update(row_clock)
            .where(row_clock.c.table_name == "person", row_clock.c.row_id == person_id)
            .values(clocks={**dict(clocks), "city": stamp}, hlc=stamp)
        )


def test_digests_check_and_rebuild_after_sql_by_hand(
    any_world: Any, capsys: Any, monkeypatch: Any
) -> None:
    world = any_world
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    first = world.admin.create_person({"last_name": "Durand", "first_name": "Jean"}, "alice.martin")
    second = world.admin.create_person({"last_name": "Petit", "first_name": "Lou"}, "alice.martin")
    laptop = world.device("laptop", "alice.martin")
    laptop.sync()
    with laptop.write() as session:
        update_person(session, laptop.actor, first, {"city": "Lille"})
    laptop.sync()

    code, out = _admin(world, capsys, "digests", "check")
    assert code == 0 and "toutes conformes" in out, out

    _city_by_hand(world, first, "Roubaix")
    code, out = _admin(world, capsys, "digests", "check")
    assert code == 4, out
    assert "1 personne(s)" in out and str(first) in out and str(second) not in out, out
    code, out = _admin(world, capsys, "--json", "digests", "check")
    assert code == 4 and json.loads(out) == {"ok": False, "differ": 1, "persons": [str(first)]}

    # Before the rebuild the device sees nothing: the kept digests still say « alike ».
    with laptop.write() as session:  # something to do, so that it compares after its sync
        update_person(session, laptop.actor, second, {"city": "Douai"})
    report = laptop.sync()
    assert report.digest_ok is not False and report.repaired_persons == 0, report
    assert laptop.rows("person")[str(first)]["city"] == "Lille"

    code, out = _admin(world, capsys, "digests", "rebuild")
    assert code == 0 and "1 corrigée(s)" in out and str(first) in out, out
    with world.engine.connect() as connection:
        assert kept_person_digests(connection) == recomputed_person_digests(connection)
        logged = connection.execute(
            select(admin_log.c.target, admin_log.c.detail).where(
                admin_log.c.action == "digests.rebuild"
            )
        ).one()
    assert logged.target == "1 personnes" and logged.detail == str(first)
    code, out = _admin(world, capsys, "digests", "check")
    assert code == 0 and "toutes conformes" in out, out
    code, out = _admin(world, capsys, "digests", "rebuild")
    assert code == 0 and "aucune ne changeait" in out, out

    # The device compares digests at its next sync and downloads that file again.
    with laptop.write() as session:
        update_person(session, laptop.actor, second, {"city": "Arras"})
    report = laptop.sync()
    assert report.ok and report.repaired_persons == 1, report
    assert report.digest_ok is True, report
    assert laptop.rows("person")[str(first)]["city"] == "Roubaix"
    assert (
        laptop.rows("person")[str(first)]
        == server_rows(world.engine, "person", [first])[str(first)]
    )
