"""The commands: ``spie-server serve`` / ``admin …`` and the device's ``login``, ``sync``,
``status`` — CSV import (Latin-1, bad lines with their numbers, re-import updates),
retention purge propagated to devices, audit export, device revocation, demo data."""

from __future__ import annotations

import csv
import io
import json
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from spie_desktop.entry import desktop as desktop_cli
from spie_desktop.entry import server as server_cli
from spie_desktop.services.notes import write_note
from sync.server.models import change_log, purged_person
from tests.support.devkit import ServerProcess, server_rows

PASSWORD = "mot-de-passe-test"


def _admin(
    world: Any, capsys: Any, *args: str, stdin: str | None = None, monkeypatch: Any = None
) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = server_cli.main(["admin", "--database-url", world.settings.database_url, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_admin_commands(world: Any, capsys: Any, monkeypatch: Any, tmp_path: Path) -> None:
    def admin(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        return _admin(world, capsys, *args, stdin=stdin, monkeypatch=monkeypatch)

    assert admin("teams", "create", "Nevers Centre")[0] == 0
    assert admin("teams", "create", "Cosne")[0] == 0
    code, out, _ = admin(
        "users",
        "create",
        "Alice.Martin",
        "--first-name",
        "Alice",
        "--last-name",
        "Martin",
        "--team",
        "Nevers Centre",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0 and "alice.martin" in out
    code, out, _ = admin(
        "users",
        "create",
        "bob.bernard",
        "--first-name",
        "Bob",
        "--last-name",
        "Bernard",
        "--team",
        "Cosne",
    )
    assert code == 0 and "Mot de passe provisoire" in out
    assert (
        admin(
            "users",
            "create",
            "sam.chef",
            "--first-name",
            "Sam",
            "--last-name",
            "Chef",
            "--role",
            "supervisor",
            "--team",
            "Nevers Centre",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )[0]
        == 0
    )
    assert admin("teams", "supervise", "sam.chef", "Cosne")[0] == 0
    code, out, _ = admin("users", "list", "--json")
    assert {u["username"] for u in json.loads(out)} == {"alice.martin", "bob.bernard", "sam.chef"}
    code, _, err = admin("users", "create", "alice.martin", "--first-name", "A", "--last-name", "B")
    assert code == 2 and "existe déjà" in err and "[user_exists]" in err

    # CSV import: Windows/Latin-1 export, ';', French headers, bad lines reported.
    exported = tmp_path / "caf.csv"
    lines = [
        "Identifiant;Civilité;Nom;Prénom;Date de naissance;Code postal;Commune;Statut RSA;Référent",
        "CAF-001;Mme;Hérault;Éloïse;02/03/1985;58000;Nevers;droit ouvert versable;alice.martin",
        "CAF-002;M.;Dupont;Rémi;1990-07-14;58A00;Nevers;;alice.martin",
        "CAF-003;M;Sans;Date;31/02/1990;58000;Nevers;;alice.martin",
        ";Mme;Sans;Identifiant;01/01/1980;58000;Nevers;;alice.martin",
        "CAF-004;Mme;Inconnue;Référente;01/01/1980;58000;Nevers;;personne",
        "CAF-005;Mme;Cosne;Léa;01/01/1979;58200;Cosne;;bob.bernard",
        "CAF-006;Mme;Mauvais;Statut;01/01/1979;58200;Cosne;riche;bob.bernard",
    ]
    exported.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    code, out, _ = admin("import-csv", str(exported))
    assert code == 3  # imported, with rejected lines
    assert "windows-1252" in out and "2 créées" in out
    assert "ligne 3 :" in out and "Code postal" in out
    assert "ligne 4 :" in out and "ligne 5 :" in out and "ligne 6 :" in out
    assert "ligne 8 :" in out
    assert "ligne 2 :" not in out and "ligne 7 :" not in out
    # Re-import (fixed line 3, changed city on line 2): updates, no duplicates.
    lines[1] = lines[1].replace(";Nevers;", ";Varennes-Vauzelles;")
    lines[2] = lines[2].replace(";58A00;", ";58000;")
    exported.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    code, out, _ = admin("import-csv", str(exported), "--json")
    report = json.loads(out)
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 1, 1)
    persons = server_rows(world.engine, "person")
    assert sorted(p["external_id"] for p in persons.values()) == ["CAF-001", "CAF-002", "CAF-005"]
    eloise = next(p for p in persons.values() if p["external_id"] == "CAF-001")
    assert (eloise["first_name"], eloise["title"], eloise["birth_date"], eloise["city"]) == (
        "Éloïse",
        "MME",
        "1985-03-02",
        "Varennes-Vauzelles",
    )

    # Handover with a note; a device of the new referent gets it.
    code, out, _ = admin("assign", "CAF-005", "alice.martin", "--note", "Déménagement à Nevers.")
    assert code == 0
    device = world.device("alice", "alice.martin")
    device.sync()
    assert {p["external_id"] for p in device.rows("person").values()} == {
        "CAF-001",
        "CAF-002",
        "CAF-005",
    }

    # Retention purge: a person whose accompaniment ended 3 years ago disappears everywhere.
    old = next(p for p in persons.values() if p["external_id"] == "CAF-002")
    with device.write() as session:
        write_note(session, device.actor, uuid.UUID(old["id"]), "Sortie vers l'emploi.")
        from spie_desktop.services.persons import update_person

        update_person(
            session,
            device.actor,
            uuid.UUID(old["id"]),
            {
                "follow_up_status": "sorti",
                "closure_reason": "emploi",
                "closed_on": (date.today() - timedelta(days=3 * 365)).isoformat(),
            },
        )
    device.sync()
    code, out, _ = admin("purge", "--dry-run")
    assert code == 0 and "1 personnes seraient supprimées" in out
    code, out, _ = admin("purge", "--retention-months", "24")
    assert code == 0 and "1 personnes supprimées" in out
    assert old["id"] not in server_rows(world.engine, "person")
    assert server_rows(world.engine, "note", [uuid.UUID(old["id"])]) == {}
    with world.engine.connect() as connection:
        history = connection.execute(
            select(func.count())
            .select_from(change_log)
            .where(
                change_log.c.person_id == uuid.UUID(old["id"]),
                change_log.c.kind == "change",
            )
        ).scalar_one()
        assert (
            history == 0
            or connection.execute(
                select(func.count())
                .select_from(change_log)
                .where(
                    change_log.c.person_id == uuid.UUID(old["id"]),
                    change_log.c.table_name.in_(["person", "note", "referent_assignment"]),
                )
            ).scalar_one()
            == 0
        )
        assert (
            connection.execute(select(purged_person.c.reason)).scalar_one().startswith("retention")
        )
    report = device.sync()
    assert report.purged == 1
    assert old["id"] not in device.rows("person")
    assert not [n for n in device.rows("note").values() if n["person_id"] == old["id"]]
    assert report.counts_ok

    # Audit export: device events and administration, ';'-separated.
    target = tmp_path / "audit.csv"
    code, _, err = admin("audit-export", "--output", str(target))
    assert code == 0
    rows = list(csv.reader(target.open(encoding="utf-8"), delimiter=";"))
    assert rows[0] == [
        "occurred_at",
        "source",
        "actor",
        "device_id",
        "person_id",
        "action",
        "detail",
    ]
    sources = {row[1] for row in rows[1:]}
    assert {"appareil", "administration"} <= sources
    assert any(row[5] == "purge" for row in rows[1:])

    # Devices: listed, revoked.
    code, out, _ = admin("devices", "--json")
    listed = json.loads(out)
    assert [d["id"] for d in listed] == [device.store.device_id]
    assert admin("revoke-device", device.store.device_id, "--reason", "perdu")[0] == 0
    assert device.client.sync().status == "revoked"
    assert admin("revoke-device", "inconnu")[0] == 2

    # Accounts: disable, enable, reset password.
    assert admin("users", "disable", "bob.bernard")[0] == 0
    refused = httpx.post(
        f"{world.url}/auth/login",
        json={"username": "bob.bernard", "password": "x" * 10, "device_id": str(uuid.uuid4())},
    )
    assert refused.status_code in (401, 403)
    assert admin("users", "enable", "bob.bernard")[0] == 0
    code, out, _ = admin(
        "users", "reset-password", "bob.bernard", "--password-stdin", stdin="nouveau-secret-1\n"
    )
    assert code == 0
    ok = httpx.post(
        f"{world.url}/auth/login",
        json={
            "username": "bob.bernard",
            "password": "nouveau-secret-1",
            "device_id": str(uuid.uuid4()),
        },
    )
    assert ok.status_code == 200


def _device_cli(argv: list[str], data_dir: Path) -> int:
    return desktop_cli.main(["--data-dir", str(data_dir), *argv])


def test_device_login_sync_status_commands(
    world: Any, capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.admin.create_person({"last_name": "Durand", "first_name": "Jean"}, "alice.martin")
    data_dir = tmp_path / "laptop"
    monkeypatch.setenv("SPIE_PASSPHRASE", "phrase de passe de test")
    monkeypatch.setenv("SPIE_KDF_PROFILE", "test")

    monkeypatch.setattr(sys, "stdin", io.StringIO("mauvais\n"))
    code = _device_cli(
        ["login", "--server", world.url, "--user", "alice.martin", "--stdin"], data_dir
    )
    assert code == 2
    assert "incorrect" in capsys.readouterr().err

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = _device_cli(
        ["login", "--server", world.url, "--user", "alice.martin", "--stdin"], data_dir
    )
    out = capsys.readouterr().out
    assert code == 0 and "Alice Martin" in out
    stored = (data_dir / "settings.json").read_text(encoding="utf-8")
    assert world.url in stored and PASSWORD not in stored
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path

    assert _device_cli(["sync", "--json"], data_dir) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "ok" and report["counts_ok"] is True
    assert _device_cli(["sync"], data_dir) == 0
    captured = capsys.readouterr()
    assert "Synchronisation terminée" in captured.out
    assert _device_cli(["status", "--json"], data_dir) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == 0 and status["username"] == "alice.martin"
    assert status["last_sync_at"] and status["cursor"]
    assert _device_cli(["status"], data_dir) == 0
    assert "Modifications en attente : 0" in capsys.readouterr().out

    world.server.stop()  # offline: exit code 5, nothing lost
    code = _device_cli(["sync"], data_dir)
    assert code == 5
    assert "hors ligne" in capsys.readouterr().out


@pytest.mark.slow
def test_serve_subprocess_and_demo(tmp_path: Path, capsys: Any) -> None:
    data_dir = tmp_path / "srv"
    data_dir.mkdir()
    code = server_cli.main(
        [
            "admin",
            "--data-dir",
            str(data_dir),
            "demo",
            "--referents",
            "1",
            "--persons-per-referent",
            "4",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "demo.referent" in out and "demo-spie-2026" in out
    with ServerProcess(data_dir) as server:
        assert httpx.get(f"{server.url}/health").json()["status"] == "ok"
        for username in ("demo.referent", "demo.responsable", "demo.admin"):
            response = httpx.post(
                f"{server.url}/auth/login",
                json={
                    "username": username,
                    "password": "demo-spie-2026",
                    "device_id": str(uuid.uuid4()),
                },
            )
            assert response.status_code == 200, (username, response.text)
        token = httpx.post(
            f"{server.url}/auth/login",
            json={
                "username": "demo.referent",
                "password": "demo-spie-2026",
                "device_id": str(uuid.uuid4()),
            },
        ).json()["access_token"]
        page = httpx.get(
            f"{server.url}/sync/pull",
            params={"since": "0", "limit": 5000},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        while page["mode"] == "snapshot" and not any(
            b["table"] == "person" for b in page["snapshot"]
        ):
            page = httpx.get(
                f"{server.url}/sync/pull",
                params={"since": page["next"], "limit": 5000},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
        persons = [b for b in page["snapshot"] if b["table"] == "person"]
        assert persons and len(persons[0]["rows"]) == 4
