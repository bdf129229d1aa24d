"""The directory import (issue 16): data·inclusion files in, records validated, updated in
place, absent services closed, the department's own services added by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from spie_desktop.entry import server as server_cli
from sync.server.directory import import_files, pull_page
from sync.server.models import directory_record
from tests.support import directory_data


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _admin(world: Any, capsys: Any, *args: str) -> tuple[int, Any]:
    code = server_cli.main(["admin", "--database-url", world.settings.database_url, *args])
    out = capsys.readouterr().out
    return code, out


def _held(world: Any) -> dict[tuple[str, str], Any]:
    with world.engine.connect() as connection:
        return {
            (row.kind, row.id): row for row in connection.execute(select(directory_record)).all()
        }


def test_import_api_pages_and_open_data_export_with_bad_records(
    world: Any, capsys: Any, tmp_path: Path
) -> None:
    structures = directory_data.structures(5)
    services = directory_data.services(40, structures)
    bad = directory_data.bad_services(structures[0]["id"])
    # The API's listings: a page of services with bad records among good ones, a bare list
    # of structures; the open-data export: one document with both.
    page = _write(
        tmp_path / "services.json",
        {"items": services[:20] + bad, "total": 27, "page": 1, "size": 100},
    )
    listing = _write(tmp_path / "structures.json", structures)
    export = _write(
        tmp_path / "export.json", {"structures": structures[:2], "services": services[20:]}
    )
    code, out = _admin(world, capsys, "directory", "import", str(page), str(listing),
                       str(export), "--json")  # fmt: skip
    assert code == 3  # finished, with rejected records
    report = json.loads(out)
    assert report["created"] == {"structure": 5, "service": 40}
    assert report["unchanged"]["structure"] == 2  # the export repeats two structures
    rejected = {(p["file"], p["index"]): p for p in report["problems"]}
    assert sorted(rejected) == [("services.json", 20 + i) for i in range(len(bad))]
    assert rejected[("services.json", 20)]["id"] == "bad--theme"
    assert "thematiques" in rejected[("services.json", 20)]["reason"]
    assert "nom" in rejected[("services.json", 21)]["reason"]
    assert "code_insee" in rejected[("services.json", 22)]["reason"]
    assert "courriel" in rejected[("services.json", 23)]["reason"]
    assert "date" in rejected[("services.json", 24)]["reason"]
    assert "volume_horaire_hebdomadaire" in rejected[("services.json", 25)]["reason"]
    assert rejected[("services.json", 26)]["reason"] == "pas un objet JSON"
    held = _held(world)
    assert len([k for k in held if k[0] == "service"]) == 40
    assert not any(k[1].startswith("bad--") for k in held)
    # The text output says it in French too.
    code, out = _admin(world, capsys, "directory", "import", str(page), str(listing))
    assert code == 3
    assert "Enregistrements refusés : 7." in out
    assert "services.json n° 20 (bad--theme) : thematiques" in out


def test_reimport_updates_in_place_and_closes_absent_services(world: Any, tmp_path: Path) -> None:
    now = world.settings.now()
    structures = directory_data.structures(3)
    services = directory_data.services(10, structures)
    first = _write(tmp_path / "first.json", structures + services)
    report = import_files(world.engine, [first], now=now)
    assert report.created == {"structure": 3, "service": 10}
    version_1 = report.version
    changed = dict(services[0], telephone="+33478000000")
    second = _write(tmp_path / "second.json", [*structures, changed, *services[1:8]])
    report = import_files(world.engine, [second], now=now)
    assert report.updated["service"] == 1 and report.unchanged["service"] == 7
    assert report.closed == 2
    held = _held(world)
    assert held[("service", services[0]["id"])].data["telephone"] == "+33478000000"
    assert held[("service", services[0]["id"])].version == report.version > version_1
    for gone in services[8:]:
        row = held[("service", gone["id"])]
        assert row.status == "closed" and row.data == gone  # kept, not deleted
    assert held[("service", services[1]["id"])].version == version_1  # untouched
    # A partial import closes nothing; a service that comes back reopens.
    report = import_files(
        world.engine, [_write(tmp_path / "third.json", [services[9]])], now=now, full=False
    )
    assert report.reopened == 1 and report.closed == 0
    held = _held(world)
    assert held[("service", services[9]["id"])].status == "open"
    assert held[("service", services[8]["id"])].status == "closed"


def test_unreadable_files_are_refused_with_no_change(
    world: Any, capsys: Any, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"items": [', encoding="utf-8")
    code = server_cli.main(["admin", "--database-url", world.settings.database_url,
                            "directory", "import", str(broken)])  # fmt: skip
    assert code == 2
    assert "JSON invalide" in capsys.readouterr().err
    scalar = _write(tmp_path / "scalar.json", {"total": 3})
    code, _ = _admin(world, capsys, "directory", "import", str(scalar))
    assert code == 2
    assert _held(world) == {}


def test_add_service_of_the_department(world: Any, capsys: Any, tmp_path: Path) -> None:
    structures = directory_data.structures(1)
    import_files(world.engine, [_write(tmp_path / "s.json", structures)], now=world.settings.now())
    code, out = _admin(
        world, capsys, "directory", "add-service", "--structure", structures[0]["id"],
        "--name", "Permanence RSA du Département", "--description",
        "Accueil des bénéficiaires du RSA sans rendez-vous.", "--thematique",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        "--commune", "Bron", "--code-insee", "69029", "--volume-horaire", "2", "--json",
    )  # fmt: skip
    assert code == 0, out
    service_id = json.loads(out)["id"]
    row = _held(world)[("service", service_id)]
    assert row.origin == "local" and row.data["source"] == "departement"
    # A full import never closes the department's own services.
    services = directory_data.services(2, structures)
    report = import_files(
        world.engine, [_write(tmp_path / "x.json", services)], now=world.settings.now()
    )
    assert report.closed == 0
    assert _held(world)[("service", service_id)].status == "open"
    # Bad values and unknown structures are refused with a French message.
    code, _ = _admin(world, capsys, "directory", "add-service", "--structure", "inconnue--1",
                     "--name", "Un service", "--description", "Une description.")  # fmt: skip
    assert code == 2
    code, _ = _admin(world, capsys, "directory", "add-service", "--structure",
                     structures[0]["id"], "--name", "Un service", "--description",
                     "Une description.", "--frais", "peut-etre")  # fmt: skip
    assert code == 2


def test_pull_pages_follow_versions_without_gaps(world: Any, tmp_path: Path) -> None:
    structures = directory_data.structures(4)
    services = directory_data.services(25, structures)
    import_files(world.engine, [_write(tmp_path / "a.json", structures + services)],
                 now=world.settings.now())  # fmt: skip
    seen: list[str] = []
    cursor = "0"
    while True:
        page = pull_page(world.engine, cursor, 7)
        seen += [r["id"] for r in page["records"]]
        cursor = page["next"]
        if not page["more"]:
            break
    assert sorted(seen) == sorted(r["id"] for r in structures + services)
    assert pull_page(world.engine, cursor, 7)["records"] == []
