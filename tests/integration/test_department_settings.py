"""Department settings (issues 11, 13, 15): decided on the server by ``spie-server admin
settings``, refused whole when a value is bad, audited, announced on the pull's last page,
received read-only by every device, and used — deadline durations, the retention purge, the
convocation letter's letterhead and logo, the supervisors' reveal. Real loopback server,
real SQLCipher devices."""

from __future__ import annotations

import base64
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from spie_desktop.domain.deadlines import PathSettings, paris_day, set_path_settings
from spie_desktop.entry.server import main as server_main
from spie_desktop.services import department as device_department
from spie_desktop.services.appointments import schedule_appointment
from spie_desktop.services.documents import convocation
from spie_desktop.services.notes import write_note
from spie_desktop.store.local_models import PersonSummary
from sync.client import SyncError
from sync.server import department
from sync.server.admin import AdminError
from sync.server.models import admin_log, department_setting
from sync.server.sensitive import WITHHELD_TEXT

SECRET = "Suivi psychiatrique hebdomadaire"
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def _law_durations() -> Iterator[None]:
    """Devices put the server's durations in force for the process: back to the law's."""
    yield
    set_path_settings(PathSettings())


def _state(world: Any) -> tuple[int, int, int]:
    """(version, setting rows, admin log rows): what a refused change must leave alone."""
    with world.engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(department_setting)).scalar()
        logs = connection.execute(select(func.count()).select_from(admin_log)).scalar()
        return department.version(connection), int(rows or 0), int(logs or 0)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("retention_months", "-3", "au moins 1"),
        ("retention_months", "37", "au plus 36"),
        ("retention_months", "douze", "nombre entier"),
        ("contract_months", "0", "au moins 1"),
        ("social_review_extended_months", "3", "réexamen prolongé"),
        ("supervisors_may_reveal", "peut-être", "oui ou non"),
        ("legacy_conversion_deadline", "2027-02-30", "AAAA-MM-JJ"),
        ("department_name", "", "vide"),
        ("department_name", "   ", "vide"),
        ("department_name", "Rhône\r\nBcc: x", "contrôle"),
        ("letterhead_lines", "|".join(["ligne"] * 7), "6 lignes"),
        ("nir_du_referent", "1", "inconnu"),
        ("logo", "x.png", "inconnu"),
    ],
)
def test_bad_values_are_refused_in_french_and_change_nothing(
    world: Any, key: str, value: str, says: str
) -> None:
    before = _state(world)
    with pytest.raises(AdminError) as refused:
        world.admin.set_setting(key, value)
    assert refused.value.code == "invalid_setting"
    assert says in refused.value.message.lower() or says in refused.value.message
    assert _state(world) == before


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("huge.png", TINY_PNG + b"\0" * (10 * 1024 * 1024), "512 kio au plus"),
        (
            "script.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("//x")</script></svg>',
            "<script>",
        ),
        ("onload.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload"),
        (
            "external.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="https://tracker.example/p.png"/></svg>',
            "extérieure",
        ),
        (
            "entities.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>',
            "dtd",
        ),
        ("fake.png", b"\x89PNG\r\n\x1a\nnot really", "tronqué"),
        ("page.html", b"<html><body>hello</body></html>", "png ou svg"),
        ("empty.svg", b"", "vide"),
    ],
)
def test_hostile_logos_are_refused(
    world: Any, tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = _state(world)
    with pytest.raises(AdminError) as refused:
        world.admin.set_logo(path)
    assert says in refused.value.message.lower()
    assert _state(world) == before


def test_admin_cli_exit_codes_list_and_audit(
    world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["admin", "--database-url", world.settings.database_url]
    assert server_main([*base, "settings", "set", "retention_months", "-4"]) == 2
    assert "au moins 1" in capsys.readouterr().err
    assert server_main([*base, "settings", "set", "retention_months", "18"]) == 0
    assert server_main([*base, "settings", "set", "retention_months", "18"]) == 0  # no-op
    assert server_main([*base, "--json", "settings", "list"]) == 0
    listing = capsys.readouterr().out
    assert '"version": 1' in listing and '"value": "18"' in listing
    with world.engine.connect() as connection:
        details = [
            row.detail
            for row in connection.execute(
                select(admin_log).where(admin_log.c.action == "settings.set")
            )
        ]
    assert details == ["24 → 18"]


def _two_devices(world: Any) -> tuple[Any, Any, uuid.UUID]:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    opened = paris_day(world.settings.now()) - timedelta(days=30)
    person = world.admin.create_person(
        {
            "last_name": "Moreau",
            "first_name": "Zoé",
            "rights_opening_date": opened,
            "address": "8 allée des Tilleuls",
            "postal_code": "26000",
            "city": "Valence",
        },
        "alice.martin",
    )
    alice = world.device("alice-laptop", "alice.martin")
    sam = world.device("sam-laptop", "sam.chef")
    return alice, sam, person


def _orientation_due(device: Any, person: uuid.UUID) -> Any:
    with device.store.read() as session:
        row = session.get(PersonSummary, person)
        assert row is not None
        return row.orientation_due_on


def test_settings_reach_both_devices_and_move_their_deadlines(world: Any) -> None:
    alice, sam, person = _two_devices(world)
    opened = paris_day(world.settings.now()) - timedelta(days=30)
    alice.sync()
    sam.sync()
    # Never set: the law's six weeks on both devices, nothing asked (version 0).
    assert device_department.local_version(alice.store) == 0
    assert _orientation_due(alice, person) == opened + timedelta(weeks=6)

    world.admin.set_setting("orientation_weeks", "4")
    world.admin.set_setting("department_name", "Département du Rhône")
    for device in (alice, sam):
        device.sync()
        held = device_department.department(device.store)
        assert held.version == 2
        assert held.values.orientation_weeks == 4
        assert held.values.department_name == "Département du Rhône"
    assert _orientation_due(alice, person) == opened + timedelta(weeks=4)
    assert _orientation_due(sam, person) == opened + timedelta(weeks=4)

    # A store opened again keeps the durations it received (no network needed).
    set_path_settings(PathSettings())
    alice.store.close()
    from spie_desktop.store.store import Store
    from tests.support.devkit import DEVICE_PASSPHRASE

    reopened = Store.open(alice.data_dir, DEVICE_PASSPHRASE, keyring_backend=alice.ring)
    try:
        from spie_desktop.domain.deadlines import path_settings

        assert path_settings().orientation_weeks == 4
    finally:
        reopened.close()
        alice.store = Store.open(alice.data_dir, DEVICE_PASSPHRASE, keyring_backend=alice.ring)
        alice.client.store = alice.store

    # Nothing new: the pull's last page says so, /sync/settings is not asked again.
    asked: list[str] = []
    original = sam.client._request

    def spy(method: str, path: str, **kwargs: Any) -> Any:
        asked.append(path)
        return original(method, path, **kwargs)

    sam.client._request = spy  # type: ignore[method-assign]
    sam.sync()
    assert "/sync/settings" not in asked


def test_a_device_cannot_write_the_settings(world: Any) -> None:
    alice, _sam, _person = _two_devices(world)
    alice.sync()
    token = alice.client._token()
    headers = {"Authorization": f"Bearer {token}"}
    before = _state(world)
    push = {
        "protocol": 1,
        "device_hlc": None,
        "changes": [
            {
                "change_id": str(uuid.uuid4()),
                "table": "department_setting",
                "row_id": str(uuid.uuid4()),
                "op": "upsert",
                "fields": {"key": "supervisors_may_reveal", "value": True},
                "hlc": alice.store.clock.now(),
            }
        ],
    }
    push = {key: value for key, value in push.items() if value is not None}
    answer = httpx.post(f"{world.url}/sync/push", json=push, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "settings_server_only"
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        answer = httpx.request(
            method, f"{world.url}/sync/settings", json={"retention_months": 1}, headers=headers
        )
        assert answer.status_code == 405
        assert answer.json()["code"] == "method_not_allowed"
    assert _state(world) == before
    assert httpx.get(f"{world.url}/sync/settings").status_code == 401


def test_reveal_follows_the_setting_and_is_audited_with_its_reason(world: Any) -> None:
    alice, sam, person = _two_devices(world)
    alice.sync()
    with alice.write() as session:
        note = write_note(session, alice.actor, person, SECRET, sensitive=True)
    alice.sync()
    sam.sync()
    assert sam.rows("note")[str(note.id)]["text"] == WITHHELD_TEXT
    assert device_department.department(sam.store).values.supervisors_may_reveal is False
    with pytest.raises(SyncError) as refused:
        sam.client.reveal(note.id, "Signalement à instruire")
    assert refused.value.code == "reveal_forbidden"

    world.admin.set_setting("supervisors_may_reveal", "oui")
    sam.sync()
    assert device_department.department(sam.store).values.supervisors_may_reveal is True
    revealed = sam.client.reveal(note.id, "Signalement à instruire")
    assert revealed.text == SECRET
    audit = world.admin.audit_list(limit=20)
    assert any("Signalement à instruire" in str(row) for row in audit)

    world.admin.set_setting("supervisors_may_reveal", "non")
    with pytest.raises(SyncError) as refused:
        sam.client.reveal(note.id, "Encore")
    assert refused.value.code == "reveal_forbidden"


def test_environment_value_is_only_the_initial_default(world: Any) -> None:
    world.settings = world.settings.model_copy(update={"supervisors_may_reveal": True})
    assert department.load(world.engine, world.settings).values.supervisors_may_reveal is True
    world.admin.settings = world.settings
    world.admin.set_setting("supervisors_may_reveal", "non")
    assert department.load(world.engine, world.settings).values.supervisors_may_reveal is False


def test_retention_purge_uses_the_setting(world: Any) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    today = paris_day(world.settings.now())
    closed = today - timedelta(days=400)  # 13 months ago: kept 24 months, purged at 12
    person = world.admin.create_person(
        {
            "last_name": "Ancien",
            "first_name": "Dossier",
            "follow_up_status": "sorti",
            "closed_on": closed,
        },
        "alice.martin",
    )
    assert world.admin.purge(dry_run=True).persons == []
    world.admin.set_setting("retention_months", "12")
    assert world.admin.purge(dry_run=True).persons == [person]
    assert world.admin.purge(retention_months=36, dry_run=True).persons == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
def test_convocation_uses_the_department_letterhead_logo_and_signature(
    world: Any, tmp_path: Path
) -> None:
    alice, _sam, person = _two_devices(world)
    world.admin.set_setting("department_name", "Département de la Drôme")
    world.admin.set_setting("letterhead_lines", "Direction de l'insertion|26 avenue du Président")
    world.admin.set_setting("signatory_name", "Claire Dumas")
    world.admin.set_setting("signatory_title", "La directrice de l'insertion")
    logo = tmp_path / "logo.png"
    logo.write_bytes(TINY_PNG)
    world.admin.set_logo(logo)
    alice.sync()
    letters = device_department.letter_settings(alice.store)
    assert letters.logo_data == TINY_PNG
    with alice.write() as session:
        appointment = schedule_appointment(
            session,
            alice.actor,
            person,
            starts_at=world.settings.now() + timedelta(days=9),
            mode="bureau",
            purpose="suivi",
            place="Maison des solidarités",
        )
    with alice.write() as session:
        document = convocation(session, alice.actor, appointment.id, letters)
    pdf = tmp_path / "convocation.pdf"
    pdf.write_bytes(document.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (
        "Département de la Drôme",
        "Direction de l'insertion",
        "Claire Dumas",
        "La directrice de l'insertion",
        "24 mois",
    ):
        assert expected in text, expected
    if shutil.which("pdfimages"):  # the department's 1×1 PNG is the letter's one image
        listing = subprocess.run(
            ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
        ).stdout.splitlines()[2:]
        pictures = [line.split() for line in listing if line.split()[2:3] == ["image"]]
        assert [fields[3:5] for fields in pictures] == [["1", "1"]]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
@pytest.mark.parametrize("months", [1, 36])
def test_letters_print_the_departments_retention_not_the_default(
    world: Any, tmp_path: Path, months: int
) -> None:
    """The RGPD notice of the convocation and of the right-of-access file says the
    department's retention (1 to 36 months, issue 15), read back with pdftotext."""
    from spie_desktop.services.documents import access_file

    alice, _sam, person = _two_devices(world)
    world.admin.set_setting("retention_months", str(months))
    alice.sync()
    letters = device_department.letter_settings(alice.store)
    assert letters.retention_months == months
    with alice.write() as session:
        appointment = schedule_appointment(
            session,
            alice.actor,
            person,
            starts_at=world.settings.now() + timedelta(days=9),
            mode="bureau",
            purpose="suivi",
        )
    with alice.write() as session:
        letter = convocation(session, alice.actor, appointment.id, letters)
        file = access_file(session, alice.actor, person, letters)
    for name, document in (("convocation", letter), ("access", file)):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(document.content)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        flat = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
        assert f"Elles sont conservées {months} mois après la fin de" in flat, (name, flat)
        assert "24 mois" not in flat, name
