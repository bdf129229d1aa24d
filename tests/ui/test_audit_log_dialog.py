"""The supervisor's audit log viewer (issue 15, What 5), driven by keystrokes against a real
server on loopback: the team's lines and none of another team's, filters typed by hand
(a date that does not exist, a person nobody follows: said in French, nothing asked), the
CSV export (formulas neutralised, the export itself audited), and offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from spie_desktop.domain.enums import AuditAction
from spie_desktop.domain.models import AuditEvent
from spie_desktop.services.common import audit
from sync.client import RetryPolicy
from sync.server.admin import Admin
from sync.server.db import database_url
from sync.server.settings import ServerSettings
from tests.support.devkit import DEVICE_PASSPHRASE, Device, ServerThread
from tests.ui.conftest import unlock, wait_idle
from ui.dialogs.audit_log import AuditLogDialog
from ui.sync_client_backend import ClientBackend

PASSWORD = "mot-de-passe-test"
HOSTILE = '=HYPERLINK("http://x";"clic")'


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerThread]:
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    settings = ServerSettings(
        database_url=database_url(data_dir, None), data_dir=data_dir
    ).fast_hashing()
    running = ServerThread(settings).start()
    yield running
    running.stop()


def type_text(widget: Any, text: str) -> None:
    """Keystrokes, accents included (QTest.keyClicks asserts on a non-ASCII letter)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def _push(root: Path, url: str, name: str, events: list[tuple[AuditAction, Any, str | None]]):  # type: ignore[no-untyped-def]
    device = Device(root, name, url)
    try:
        device.login(name, PASSWORD)
        device.sync()
        with device.write() as session:
            for action, person, detail in events:
                audit(session, device.actor, action, person, detail)
        report = device.sync()
        assert report.ok
    finally:
        device.close()


def test_supervisor_reads_filters_and_exports_the_team_audit_log(
    make_app, server: ServerThread, tmp_path: Path, qtbot, keyring_file, monkeypatch
) -> None:
    admin = Admin(server.engine, server.settings, migrate_schema=False, actor="test")
    admin.create_team("Nord")
    admin.create_team("Sud")
    for username, role, team in (
        ("ana.martin", "referent", "Nord"),
        ("sam.chef", "supervisor", "Nord"),
        ("carole.sud", "referent", "Sud"),
    ):
        first, last = username.split(".")
        admin.create_user(
            username,
            first_name=first.capitalize(),
            last_name=last.capitalize(),
            role=role,
            team=team,
            password=PASSWORD,
        )
    p1 = admin.create_person({"last_name": "Moreau", "first_name": "Zoé"}, "ana.martin")
    p3 = admin.create_person({"last_name": "Sudiste", "first_name": "Inès"}, "carole.sud")
    devices = tmp_path / "devices"
    _push(
        devices,
        server.url,
        "ana.martin",
        [(AuditAction.OPEN, p1, None), (AuditAction.EXPORT, p1, HOSTILE)],
    )
    _push(devices, server.url, "carole.sud", [(AuditAction.OPEN, p3, None)])
    supervisor = Device(devices, "sam", server.url, keyring_backend=keyring_file)
    supervisor.login("sam.chef", PASSWORD)
    supervisor.sync()
    data_dir = supervisor.data_dir
    supervisor.close()

    backend = ClientBackend(
        keyring_file, retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)
    )
    parts = make_app(data_dir, backend=backend)
    unlock(qtbot, parts, DEVICE_PASSPHRASE)
    window = parts.window
    qtbot.waitUntil(lambda: parts.session.is_supervisor, timeout=10_000)
    opened: list[AuditLogDialog] = []
    real = window.show_audit_log
    monkeypatch.setattr(window, "show_audit_log", lambda: opened.append(real()) or opened[-1])
    window.team.open_audit_log.disconnect()
    window.team.open_audit_log.connect(window.show_audit_log)
    window.team.audit_button.click()
    assert opened and opened[-1] is not None
    dialog = opened[-1]
    qtbot.waitUntil(lambda: dialog.loads == 1 and dialog.person.count() > 1, timeout=20_000)
    model = dialog.model
    assert not dialog.error.isVisible(), dialog.error.text()
    assert {(e.action, e.person_id) for e in model.entries} == {("open", p1), ("export", p1)}
    assert "2 ligne(s)" in dialog.status.text()
    texts = [model.index(row, 3).data() for row in range(model.rowCount())]
    assert texts == ["Moreau Zoé", "Moreau Zoé"]  # Sud's person is not there

    # A date that does not exist: said, nothing asked of the server.
    dialog.since.setFocus()
    QTest.keyClicks(dialog.since, "31/02/2026")
    QTest.keyClick(dialog.since, Qt.Key.Key_Return)
    assert "Date impossible" in dialog.error.text() and dialog.error.isVisible()
    assert dialog.loads == 1 and not dialog.loading
    dialog.since.clear()
    # The end before the start.
    QTest.keyClicks(dialog.since, "02/12/2026")
    QTest.keyClicks(dialog.until, "01/12/2026")
    QTest.keyClick(dialog.until, Qt.Key.Key_Return)
    assert "après la date de fin" in dialog.error.text() and dialog.loads == 1
    dialog.since.clear()
    dialog.until.clear()

    # A person nobody in the team follows (typed by hand), then the right one.
    line = dialog.person.lineEdit()
    assert line is not None
    line.selectAll()
    type_text(line, "Sudiste Inès")
    dialog.search.click()
    assert "Personne inconnue" in dialog.error.text() and dialog.loads == 1
    line.selectAll()
    type_text(line, "moreau zoé")  # as a careless user types it
    dialog.search.click()
    qtbot.waitUntil(lambda: dialog.loads == 2, timeout=20_000)
    assert not dialog.error.isVisible()
    assert {e.person_id for e in model.entries} == {p1} and model.rowCount() == 2

    # The kind, chosen with the keyboard: only the export.
    dialog.kind.setFocus()
    QTest.keyClicks(dialog.kind, "Exp")
    assert dialog.kind.currentData() == "export"
    dialog.search.click()
    qtbot.waitUntil(lambda: dialog.loads == 3, timeout=20_000)
    assert [e.detail for e in model.entries] == [HOSTILE]

    # Export: ';' CSV with a BOM, the formula neutralised, the export audited on the device.
    target = tmp_path / "journal.csv"
    monkeypatch.setattr(dialog.saver, "choose_path", lambda *_args: target)
    assert dialog.export_button.isEnabled()
    dialog.export_button.click()
    qtbot.waitUntil(target.exists, timeout=20_000)
    wait_idle(qtbot, parts)
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.split(";")[:3] == ["date", "action", "action_libelle"]
    assert "'=HYPERLINK" in first and ";=HYPERLINK" not in first
    store = parts.ops.store
    assert store is not None
    with store.read() as session:
        details = list(session.execute(select(AuditEvent.detail)).scalars())
    assert any(d and d.startswith("export CSV du journal d'audit (1 lignes") for d in details)

    # Offline: a French sentence, the lines already shown kept, the window responsive.
    server.stop()
    dialog.search.click()
    qtbot.waitUntil(lambda: dialog.loads == 4, timeout=30_000)
    assert "Serveur injoignable" in dialog.error.text()
    assert "en ligne" in dialog.error.text()
    assert model.rowCount() == 1


def test_two_persons_of_the_same_name_are_told_apart_in_the_person_filter(
    make_app, server: ServerThread, tmp_path: Path, qtbot, keyring_file
) -> None:
    """Three « MOREAU Zoé » in the team: the list shows each with her birth date (the one
    without, with the start of her identifier); the bare name typed by hand is refused as
    ambiguous instead of meaning the first one; the label typed, or part of the birth date
    typed and the match picked in the popup with the keyboard, filters on that one only."""
    from datetime import date

    admin = Admin(server.engine, server.settings, migrate_schema=False, actor="test")
    admin.create_team("Nord")
    for username, role in (("ana.martin", "referent"), ("sam.chef", "supervisor")):
        first, last = username.split(".")
        admin.create_user(
            username,
            first_name=first.capitalize(),
            last_name=last.capitalize(),
            role=role,
            team="Nord",
            password=PASSWORD,
        )
    zoe = {"last_name": "Moreau", "first_name": "Zoé"}
    older = admin.create_person({**zoe, "birth_date": date(1971, 3, 4)}, "ana.martin")
    younger = admin.create_person({**zoe, "birth_date": date(1994, 11, 30)}, "ana.martin")
    unknown_birth = admin.create_person(zoe, "ana.martin")
    other = admin.create_person({"last_name": "Martin", "first_name": "Léa"}, "ana.martin")
    devices = tmp_path / "devices"
    _push(
        devices,
        server.url,
        "ana.martin",
        [
            (AuditAction.OPEN, older, None),
            (AuditAction.OPEN, younger, None),
            (AuditAction.EXPORT, younger, "export du dossier"),
            (AuditAction.OPEN, unknown_birth, None),
            (AuditAction.OPEN, other, None),
        ],
    )
    supervisor = Device(devices, "sam", server.url, keyring_backend=keyring_file)
    supervisor.login("sam.chef", PASSWORD)
    supervisor.sync()
    data_dir = supervisor.data_dir
    supervisor.close()

    backend = ClientBackend(
        keyring_file, retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)
    )
    parts = make_app(data_dir, backend=backend)
    unlock(qtbot, parts, DEVICE_PASSPHRASE)
    qtbot.waitUntil(lambda: parts.session.is_supervisor, timeout=10_000)
    dialog = parts.window.show_audit_log()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loads == 1 and dialog.person.count() == 5, timeout=20_000)
    labels = {dialog.person.itemData(i): dialog.person.itemText(i) for i in range(1, 5)}
    assert labels[older] == "MOREAU Zoé (04/03/1971)"
    assert labels[younger] == "MOREAU Zoé (30/11/1994)"
    assert labels[unknown_birth] == f"MOREAU Zoé (n° {unknown_birth.hex[:8]})"
    assert labels[other] == "MARTIN Léa"  # no homonym: the name alone

    line = dialog.person.lineEdit()
    assert line is not None
    dialog.person.setFocus()
    line.selectAll()
    type_text(line, "moreau zoé")  # the bare name: three persons
    dialog.search.click()
    assert "3 personnes de votre équipe s'appellent" in dialog.error.text()
    assert dialog.error.isVisible() and dialog.loads == 1

    line.selectAll()
    type_text(line, "MOREAU Zoé (30/11/1994)")
    dialog.search.click()
    qtbot.waitUntil(lambda: dialog.loads == 2, timeout=20_000)
    assert not dialog.error.isVisible(), dialog.error.text()
    assert {(e.action, e.person_id) for e in dialog.model.entries} == {
        ("open", younger),
        ("export", younger),
    }

    # Part of the birth date typed, the one match picked in the popup with the keyboard.
    line.selectAll()
    type_text(line, "1971")
    completer = dialog.person.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    assert completer.completionCount() == 1
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.person.currentText() == "MOREAU Zoé (04/03/1971)"
    dialog.search.click()
    qtbot.waitUntil(lambda: dialog.loads == 3, timeout=20_000)
    assert {(e.action, e.person_id) for e in dialog.model.entries} == {("open", older)}
