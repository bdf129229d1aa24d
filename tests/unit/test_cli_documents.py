"""``spie-desktop print-*`` and ``export-agenda``/``export-invitation`` run as real
subprocesses on a real SQLCipher store: the same documents as the app, audited, written
only at ``--output``."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from spie_desktop.domain.models import AuditEvent
from spie_desktop.services.appointments import schedule_appointment, set_status
from spie_desktop.services.persons import create_person
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.store import Store

REPO = Path(__file__).resolve().parents[2]
PASS = "phrase de passe du support"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SPIE_") and key != "PYTHON_KEYRING_BACKEND"
    }
    environ.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            "PYTHON_KEYRING_BACKEND": "spie_desktop.store.file_keyring.FileKeyring",
            "SPIE_KEYRING_FILE": str(tmp_path / "keyring.json"),
            "SPIE_KDF_PROFILE": "test",
            "SPIE_PASSPHRASE": PASS,
            "HOME": str(tmp_path / "home"),
            "PYTHONIOENCODING": "utf-8",
        }
    )
    return environ


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [sys.executable, "-m", "spie_desktop", *args],
        env=env,
        input=b"",
        capture_output=True,
        timeout=300,
        start_new_session=True,
        cwd=REPO,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


@pytest.fixture
def filled(env: dict[str, str], tmp_path: Path) -> tuple[Path, uuid.UUID, uuid.UUID, uuid.UUID]:
    """A store with one person, a planned and a past appointment."""
    data_dir = tmp_path / "donnees"
    assert run(env, "init", "--data-dir", str(data_dir)).returncode == 0
    store = Store.open(data_dir, PASS, keyring_backend=FileKeyring(env["SPIE_KEYRING_FILE"]))
    try:
        with store.write() as session:
            actor = store.actor()
            person = create_person(
                session,
                actor,
                {
                    "title": "M",
                    "last_name": "Quérelle",
                    "first_name": "Anatole",
                    "address": "3 impasse des Lilas",
                    "postal_code": "58000",
                    "city": "Nevers",
                },
            )
            planned = schedule_appointment(
                session, actor, person.id, starts_at=datetime(2031, 3, 4, 13, 0, tzinfo=UTC),
                mode="bureau", purpose="orientation", place="Maison des solidarités",
            )  # fmt: skip
            past = schedule_appointment(
                session, actor, person.id, starts_at=datetime.now(UTC) - timedelta(days=2),
                mode="telephone", purpose="suivi",
            )  # fmt: skip
            ids = (person.id, planned.id, past.id)
        with store.write() as session:
            set_status(session, actor, ids[2], "seen", summary="Entretien téléphonique.")
    finally:
        store.close()
    return (data_dir, *ids)


def audit_details(env: dict[str, str], data_dir: Path) -> list[tuple[str, str]]:
    store = Store.open(data_dir, PASS, keyring_backend=FileKeyring(env["SPIE_KEYRING_FILE"]))
    try:
        with store.read() as session:
            rows = session.execute(
                select(AuditEvent.action, AuditEvent.detail).where(
                    AuditEvent.action.in_(("print", "export"))
                )
            )
            return sorted((a, d or "") for a, d in rows)
    finally:
        store.close()


def test_every_document_from_the_command_line(
    env: dict[str, str], filled: tuple[Path, uuid.UUID, uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    data_dir, person_id, planned_id, past_id = filled
    out = tmp_path / "sortie"
    out.mkdir()
    commands = {
        "dossier.pdf": ("print-file", str(person_id)),
        "convocation.pdf": ("print-convocation", str(planned_id)),
        "compte-rendu.pdf": ("print-summary", str(past_id)),
        "rdv.ics": ("export-invitation", str(planned_id)),
        "agenda.ics": ("export-agenda", "--from", "2031-03-01", "--to", "2031-03-31"),
    }
    for name, args in commands.items():
        result = run(env, *args, "--data-dir", str(data_dir), "-o", str(out / name), "--json")
        assert result.returncode == 0, result.stderr.decode()
        document = json.loads(result.stdout)
        assert document["ok"] is True and document["output"] == str(out / name)
        assert b"donn\xc3\xa9es personnelles en clair" in result.stderr
        if os.name == "posix":
            assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in out.iterdir()) == sorted(commands)
    text = subprocess.run(
        ["pdftotext", str(out / "convocation.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Monsieur Anatole QUÉRELLE" in text and "58000 NEVERS" in text
    assert "mardi 4" in text and "14 h" in text.replace("\u00a0", " ")
    summary = subprocess.run(
        ["pdftotext", str(out / "compte-rendu.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Entretien téléphonique." in summary
    calendar = icalendar.Calendar.from_ical((out / "agenda.ics").read_bytes())
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"{planned_id}@spie-desktop"]
    actions = [action for action, _ in audit_details(env, data_dir)]
    assert actions.count("print") == 3 and actions.count("export") == 2


def test_refusals_are_french_and_change_nothing(
    env: dict[str, str], filled: tuple[Path, uuid.UUID, uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    data_dir, person_id, _planned_id, past_id = filled
    existing = tmp_path / "deja.pdf"
    existing.write_bytes(b"ancien")
    cases = [
        (("print-file", str(person_id), "-o", str(existing)), b"output_exists"),
        (("print-file", "pas-un-uuid", "-o", str(tmp_path / "a.pdf")), b"invalid_id"),
        (("print-file", str(uuid.uuid4()), "-o", str(tmp_path / "b.pdf")), b"not_found"),
        (("print-convocation", str(past_id), "-o", str(tmp_path / "c.pdf")), b"appointment_not"),
        (("print-contract", str(person_id), "-o", str(tmp_path / "g.pdf")), b"no_contract"),
        (("export-agenda", "--from", "01/03/2031", "-o", str(tmp_path / "d.ics")), b"invalid_date"),
        (
            ("export-agenda", "--from", "2031-03-31", "--to", "2031-03-01", "-o",
             str(tmp_path / "e.ics")),
            b"invalid_range",
        ),
        (("print-file", str(person_id), "-o", str(tmp_path / "absent" / "f.pdf")), b"invalid_out"),
    ]  # fmt: skip
    for args, code in cases:
        result = run(env, *args, "--data-dir", str(data_dir))
        assert result.returncode == 2, (args, result.stderr.decode())
        assert b"Erreur : " in result.stderr and code in result.stderr, result.stderr.decode()
    assert existing.read_bytes() == b"ancien"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".ics")) == [
        "deja.pdf"
    ]
    assert audit_details(env, data_dir) == []
    forced = run(env, "print-file", str(person_id), "-o", str(existing), "--force",
                 "--data-dir", str(data_dir))  # fmt: skip
    assert forced.returncode == 0 and existing.read_bytes().startswith(b"%PDF-")


def test_stdout_output_for_pipes(
    env: dict[str, str], filled: tuple[Path, uuid.UUID, uuid.UUID, uuid.UUID]
) -> None:
    data_dir, _person_id, planned_id, _past_id = filled
    result = run(env, "export-invitation", str(planned_id), "-o", "-", "--data-dir", str(data_dir))
    assert result.returncode == 0
    assert result.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
