"""First start (demo caseload, passphrase rules) and unlock (wrong, then right passphrase)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from spie_desktop.store.file_keyring import LockedKeyring
from tests.ui.conftest import PASSPHRASE, unlock, wait_idle


def test_first_start_with_demo_data(make_app, tmp_path: Path, qtbot) -> None:
    parts = make_app(tmp_path / "new")
    window = parts.window
    first = window.first_start
    assert window.pages.currentWidget() is first
    assert first.steps.currentIndex() == first.STEP_ACCOUNT

    first.demo_radio.setChecked(True)
    qtbot.mouseClick(first.account_next, Qt.MouseButton.LeftButton)
    assert first.steps.currentIndex() == first.STEP_PASSPHRASE

    form = first.passphrase_form
    # Too short: refused beside the field, nothing created.
    form.passphrase.setText("court")
    form.confirmation.setText("court")
    qtbot.mouseClick(first.create_button, Qt.MouseButton.LeftButton)
    assert "8 caractères" in form.fields.error_text("passphrase")
    assert not (tmp_path / "new" / "vault.json").exists()

    # Strength is shown as you type.
    form.passphrase.setText(PASSPHRASE)
    assert form.strength().score >= 3
    assert "Force" in form.strength_label.text()

    # Confirmation must match.
    form.confirmation.setText(PASSPHRASE + "x")
    qtbot.mouseClick(first.create_button, Qt.MouseButton.LeftButton)
    assert "identiques" in form.fields.error_text("confirmation")

    form.confirmation.setText(PASSPHRASE)
    qtbot.mouseClick(first.create_button, Qt.MouseButton.LeftButton)
    assert first.steps.currentIndex() == first.STEP_PROGRESS
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=60_000)
    # Active persons by default (issue 12): the 150 demo persons but those who left.
    qtbot.waitUntil(lambda: 100 < window.caseload.model.rowCount() < 150, timeout=10_000)
    wait_idle(qtbot, parts)
    assert (tmp_path / "new" / "vault.json").exists()
    assert parts.session.actor is not None and parts.session.actor.referent_id is not None
    assert "Référent" in window.user_label.text()
    assert window.status.connection.text().endswith("Mode local")


def test_unlock_wrong_then_right_passphrase(make_app, seeded, qtbot) -> None:
    parts = make_app(seeded.data_dir)
    window = parts.window
    page = window.unlock_page
    assert window.pages.currentWidget() is page

    page.passphrase.setText("mauvaise phrase")
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10_000)
    assert page.error.text() == "Phrase de passe incorrecte."
    assert window.pages.currentWidget() is page
    assert parts.ops.store is None

    unlock(qtbot, parts)
    assert parts.ops.store is not None
    assert window.caseload.model.rowCount() == 4


def test_growing_delay_after_repeated_failures(make_app, seeded, qtbot) -> None:
    parts = make_app(seeded.data_dir)
    page = parts.window.unlock_page
    for _ in range(3):
        qtbot.waitUntil(lambda: page.button.isEnabled(), timeout=10_000)
        page.passphrase.setText("mauvaise phrase")
        page.submit()
        qtbot.waitUntil(lambda: not page._busy, timeout=10_000)
    # The third failure imposes a wait: the button is disabled and the delay is explained.
    assert not page.button.isEnabled()
    assert "Patientez" in page.error.text()
    assert "s'allonge" in page.error.text()
    qtbot.waitUntil(lambda: page.button.isEnabled(), timeout=5_000)
    unlock(qtbot, parts)


def test_locked_keyring_is_not_a_wrong_passphrase(make_app, seeded, qtbot) -> None:
    from spie_desktop.entry.app import build_desktop

    parts = make_app(seeded.data_dir)  # a normal app, for the fixture's cleanup
    locked = build_desktop(seeded.data_dir, keyring_backend=LockedKeyring())
    qtbot.addWidget(locked.window)
    try:
        page = locked.window.unlock_page
        page.passphrase.setText(PASSPHRASE)
        page.submit()
        qtbot.waitUntil(lambda: bool(page.error.text()), timeout=10_000)
        assert "trousseau" in page.error.text()
        assert "phrase de passe n'est pas en cause" in page.error.text()
    finally:
        locked.shutdown()
    assert parts.ops.store is None
