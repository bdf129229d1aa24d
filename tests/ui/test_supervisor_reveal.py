"""A supervisor reveals a sensitive note from her person file (issue 11, What 8): the
« Révéler » action shows only when the department allows it (its setting, synced), asks for a
reason typed at the keyboard, asks the real server on loopback off the UI thread, shows the
text; the server audits the reason. When the department says no, the action is hidden, and
a server that changed its mind meanwhile refuses in French inside the dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from spie_desktop.domain.deadlines import PathSettings, set_path_settings
from spie_desktop.services.notes import write_note
from sync.client import RetryPolicy
from sync.server.admin import Admin
from sync.server.db import database_url
from sync.server.settings import ServerSettings
from tests.support.devkit import DEVICE_PASSPHRASE, Device, ServerThread
from tests.ui.conftest import gone, wait_idle
from ui.sync_client_backend import ClientBackend

PASSWORD = "mot-de-passe-test"
SECRET = "Hospitalisation en addictologie en mars"
REASON = "Signalement a instruire"  # QTest types ASCII only


@pytest.fixture
def world(tmp_path: Path, keyring_file: Any) -> Iterator[dict[str, Any]]:
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    settings = ServerSettings(
        database_url=database_url(data_dir, None), data_dir=data_dir
    ).fast_hashing()
    server = ServerThread(settings).start()
    admin = Admin(server.engine, settings, migrate_schema=False, actor="test")
    admin.create_team("Nord")
    for username, role in (("alice.martin", "referent"), ("sam.chef", "supervisor")):
        admin.create_user(
            username, first_name="A", last_name=username, role=role, team="Nord", password=PASSWORD
        )
    person = admin.create_person({"last_name": "Morel", "first_name": "Odette"}, "alice.martin")
    alice = Device(tmp_path / "devices", "alice", server.url)
    alice.login("alice.martin", PASSWORD)
    alice.sync()
    with alice.write() as session:
        note = write_note(session, alice.actor, person, SECRET, sensitive=True)
    alice.sync()
    try:
        yield {
            "server": server,
            "admin": admin,
            "person": person,
            "note": note.id,
            "root": tmp_path,
        }
    finally:
        alice.close()
        server.stop()
        set_path_settings(PathSettings())


def _supervisor_app(world: dict[str, Any], make_app: Any, keyring_file: Any, qtbot: Any) -> Any:
    """Sam's device logged in and synced, then the real app unlocked on it."""
    sam = Device(world["root"], "sam", world["server"].url, keyring_backend=keyring_file)
    sam.login("sam.chef", PASSWORD)
    sam.sync()
    data_dir = sam.data_dir
    sam.close()
    backend = ClientBackend(keyring_file, retry=RetryPolicy(attempts=2, base_delay=0.01))
    parts = make_app(data_dir, backend=backend)
    page = parts.window.unlock_page
    QTest.keyClicks(page.passphrase, DEVICE_PASSPHRASE)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: parts.window.pages.currentWidget() is parts.window.workspace, timeout=15_000
    )
    wait_idle(qtbot, parts)
    parts.window.open_person(world["person"])
    person = parts.window.person
    qtbot.waitUntil(lambda: person.file is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    person.tabs.setCurrentIndex(person.TAB_NOTES)
    person.notes.setCurrentItem(person.notes.topLevelItem(0))
    return parts


def test_supervisor_reveals_with_a_reason_typed_and_the_server_audits_it(
    world: dict[str, Any], make_app: Any, keyring_file: Any, qtbot: Any
) -> None:
    world["admin"].set_setting("supervisors_may_reveal", "oui")
    parts = _supervisor_app(world, make_app, keyring_file, qtbot)
    person = parts.window.person
    assert person.may_reveal
    assert person.note_reveal.isVisible() and person.note_reveal.isEnabled()
    assert "Révéler" in person.note_reveal.text()
    assert person.notes.topLevelItem(0).text(2) == (
        "Note sensible réservée au référent — « Révéler » avec un motif."
    )

    QTest.mouseClick(person.note_reveal, Qt.MouseButton.LeftButton)
    dialog = person.reveal_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason: said, nothing asked
    assert dialog.isVisible() and not dialog.error.isHidden()
    QTest.keyClicks(dialog.reason, REASON)
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: person.journal_detail.toPlainText() == SECRET, timeout=5_000)
    assert SECRET in person.notes.topLevelItem(0).text(2)
    audit = world["admin"].audit_list(limit=20)
    assert any(REASON in str(row) and "sam.chef" in str(row) for row in audit)

    # The settings screen shows the department's settings, read-only.
    parts.window.show_view("settings")
    view = parts.window.settings_view
    qtbot.waitUntil(lambda: "version 1" in view.department_source.text(), timeout=5_000)
    shown = view.department_values.text()
    assert "Les responsables peuvent révéler une note sensible : oui" in shown
    assert "Orientation : 6 semaines" in shown
    assert not view.department_values.findChildren(QLineEdit)  # nothing to edit


def test_no_reveal_when_the_department_says_no_and_a_late_no_is_refused_in_the_dialog(
    world: dict[str, Any], make_app: Any, keyring_file: Any, qtbot: Any
) -> None:
    admin = world["admin"]
    admin.set_setting("supervisors_may_reveal", "oui")
    parts = _supervisor_app(world, make_app, keyring_file, qtbot)
    person = parts.window.person
    assert person.note_reveal.isVisible()
    # The department changes its mind before this device syncs again: the server refuses.
    admin.set_setting("supervisors_may_reveal", "non")
    QTest.mouseClick(person.note_reveal, Qt.MouseButton.LeftButton)
    dialog = person.reveal_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    QTest.keyClicks(dialog.reason, REASON)
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10_000)
    assert "ne peuvent pas être consultées par les responsables" in dialog.error.text()
    assert dialog.revealed_text is None
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert SECRET not in person.notes.topLevelItem(0).text(2)

    # After a sync the device knows: the action is gone.
    parts.sync.sync_now()
    qtbot.waitUntil(lambda: parts.sync.status.mode in ("online", "error"), timeout=15_000)
    wait_idle(qtbot, parts)
    person.reload()
    qtbot.waitUntil(lambda: not person.may_reveal, timeout=10_000)
    assert person.note_reveal.isHidden() and person.reveal_button.isHidden()
    assert person.notes.topLevelItem(0).text(2) == "Note sensible réservée au référent."
