"""The app against a real departmental server on loopback: login and first sync, write,
go offline, write, come back online, and see the changes on the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sync.client import RetryPolicy
from sync.schema import table_of
from sync.server.admin import Admin
from sync.server.db import database_url
from sync.server.settings import ServerSettings
from tests.support.devkit import ServerThread
from tests.ui.conftest import PASSPHRASE, gone, wait_idle
from ui.dialogs.persons import NewPersonDialog
from ui.sync_client_backend import ClientBackend

PASSWORD = "mot-de-passe-test"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerThread]:
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    settings = ServerSettings(
        database_url=database_url(data_dir, None), data_dir=data_dir
    ).fast_hashing()
    running = ServerThread(settings).start()
    admin = Admin(running.engine, settings, migrate_schema=False, actor="test")
    admin.create_user("camille.durand", first_name="Camille", last_name="Durand", password=PASSWORD)
    admin.create_person(
        {"last_name": "Morel", "first_name": "Odette", "city": "Nevers"}, "camille.durand"
    )
    holder = {"server": running}
    yield holder  # type: ignore[misc]
    holder["server"].stop()


def server_rows(server: ServerThread, table: str) -> list[dict]:
    with server.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(select(table_of(table)))]


def test_login_first_sync_offline_and_back_online(make_app, server, tmp_path, qtbot) -> None:
    running: ServerThread = server["server"]
    backend = ClientBackend(None, retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02))
    parts = make_app(tmp_path / "device", backend=backend)
    backend.keyring_backend = parts.session.keyring_backend
    parts.sync.write_debounce_ms = 50
    window = parts.window
    first = window.first_start

    # First start: server and account, passphrase, first sync with progress.
    assert first.server_radio.isEnabled()
    first.server_radio.setChecked(True)
    first.server.setText(running.url)
    first.username.setText("camille.durand")
    first.password.setText("pas le bon")
    first.account_next.click()
    form = first.passphrase_form
    form.passphrase.setText(PASSPHRASE)
    form.confirmation.setText(PASSPHRASE)
    first.create_button.click()
    qtbot.waitUntil(lambda: first.retry_button.isVisible(), timeout=15_000)
    assert first.progress_error.isVisible()  # wrong password: said, and nothing lost
    first.retry_button.click()
    first.password.setText(PASSWORD)
    first.account_next.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=30_000)
    qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 1, timeout=10_000)
    wait_idle(qtbot, parts)
    assert window.caseload.model.index(0, 0).data() == "MOREL Odette"
    assert parts.session.settings.server_url == running.url
    assert parts.session.settings.last_username == "camille.durand"
    assert first.password.text() == ""
    qtbot.waitUntil(lambda: parts.sync.status.mode == "online", timeout=10_000)
    assert "En ligne" in window.status.connection.text()
    assert parts.sync.status.last_success is not None
    assert "Camille Durand" in window.user_label.text()

    # Online: a new person reaches the server by itself (debounced sync after the write).
    dialog = window.new_person()
    assert isinstance(dialog, NewPersonDialog)
    dialog.form.widget("last_name").setText("Benali")
    dialog.form.widget("first_name").setText("Inès")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(
        lambda: any(row["last_name"] == "Benali" for row in server_rows(running, "person")),
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: parts.sync.status.pending == 0, timeout=10_000)

    # Offline: the server goes away; writing still works and waits in the outbox.
    port = running.port
    running.stop()
    person = window.person
    qtbot.waitUntil(lambda: person.file is not None, timeout=10_000)
    person.note_text.setPlainText("Écrit hors ligne, dans la voiture.")
    person.save_note()
    qtbot.waitUntil(lambda: parts.sync.status.mode == "offline", timeout=20_000)
    assert "Hors ligne" in window.status.connection.text()
    # The offline mode may come from a sync that started before the note was stored; the
    # sync that the note's write schedules then counts it (it failed alone, under load).
    qtbot.waitUntil(lambda: parts.sync.status.pending > 0, timeout=20_000)
    assert "en attente" in window.status.pending.text()

    # Back online: the same server on the same port; a sync sends what was waiting.
    restarted = ServerThread(running.settings, port=port).start()
    server["server"] = restarted
    window.status.sync_button.click()
    qtbot.waitUntil(lambda: parts.sync.status.mode == "online", timeout=20_000)
    qtbot.waitUntil(lambda: parts.sync.status.pending == 0, timeout=10_000)
    notes = server_rows(restarted, "note")
    assert any(row["text"] == "Écrit hors ligne, dans la voiture." for row in notes)
    assert window.status.pending.text() == "Tout est enregistré"


def test_revoked_device_is_wiped_after_a_message(make_app, server, tmp_path, qtbot) -> None:
    from PySide6.QtWidgets import QMessageBox

    from spie_desktop.store.vault import Vault

    running: ServerThread = server["server"]
    backend = ClientBackend(None, retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02))
    parts = make_app(tmp_path / "device", backend=backend)
    backend.keyring_backend = parts.session.keyring_backend
    window = parts.window
    first = window.first_start
    first.server_radio.setChecked(True)
    first.server.setText(running.url)
    first.username.setText("camille.durand")
    first.password.setText(PASSWORD)
    first.account_next.click()
    first.passphrase_form.passphrase.setText(PASSPHRASE)
    first.passphrase_form.confirmation.setText(PASSPHRASE)
    first.create_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=30_000)
    wait_idle(qtbot, parts)
    device_id = parts.session.device_id()
    assert device_id

    admin = Admin(running.engine, running.settings, migrate_schema=False, actor="test")
    admin.revoke_device(device_id, reason="ordinateur perdu")
    window.status.sync_button.click()

    def message_box() -> QMessageBox | None:
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: message_box() is not None, timeout=15_000)
    box = message_box()
    assert box is not None
    assert "appareil" in box.text().lower()
    assert Vault.exists(tmp_path / "device")  # nothing is erased before the user is told
    box.accept()
    # The wipe runs in the background: the vault goes first, then the database files.
    qtbot.waitUntil(
        lambda: (
            not Vault.exists(tmp_path / "device")
            and not (tmp_path / "device" / "store.db").exists()
            and window.pages.currentWidget() is window.first_start
        ),
        timeout=15_000,
    )
    assert parts.ops.store is None
