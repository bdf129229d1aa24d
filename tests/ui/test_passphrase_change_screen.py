"""Changing the passphrase from Settings (issue 12), typed as a referent does: the current
one is required, a wrong one changes nothing, and afterwards only the new one unlocks."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.support.keys import type_text
from tests.ui.conftest import PASSPHRASE, unlock, wait_idle

NEW = "chouette mardi piano orage"


def type_into(edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    type_text(edit, text)


def test_change_the_passphrase_by_keyboard_wrong_current_one_changes_nothing(
    app, seeded, qtbot
) -> None:
    window = app.window
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "settings"
    box = window.settings_view.passphrase_box
    vault_file = seeded.data_dir / "vault.json"
    before = vault_file.read_bytes()

    # Enter on the empty form: asks for the current passphrase.
    box.confirm.setFocus()
    QTest.keyClick(box.confirm, Qt.Key.Key_Return)
    assert box.fields.error_text("old_passphrase") == "Saisissez la phrase actuelle."
    assert box.current.hasFocus()
    # Too short, then two different new ones: refused before any key derivation.
    type_into(box.current, PASSPHRASE)
    QTest.keyClick(box.current, Qt.Key.Key_Return)  # Enter moves to the next field
    assert box.new.hasFocus()
    type_text(box.new, "court")
    QTest.keyClick(box.new, Qt.Key.Key_Return)
    type_text(box.confirm, "court")
    QTest.keyClick(box.confirm, Qt.Key.Key_Return)
    assert "au moins 8 caractères" in box.fields.error_text("new_passphrase")
    type_into(box.new, NEW)
    type_into(box.confirm, NEW + "!")
    QTest.keyClick(box.confirm, Qt.Key.Key_Return)
    assert box.fields.error_text("confirm_passphrase") == (
        "Les deux nouvelles phrases ne sont pas identiques."
    )
    # The same as the current one.
    type_into(box.new, PASSPHRASE)
    type_into(box.confirm, PASSPHRASE)
    QTest.keyClick(box.confirm, Qt.Key.Key_Return)
    assert "identique" in box.fields.error_text("new_passphrase")
    assert vault_file.read_bytes() == before

    # A wrong current passphrase: the vault refuses it, nothing is written.
    type_into(box.current, "pas la bonne phrase")
    type_into(box.new, NEW)
    type_into(box.confirm, NEW)
    QTest.keyClick(box.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(box.fields.error_text("old_passphrase")), timeout=10_000)
    assert "incorrecte" in box.fields.error_text("old_passphrase").lower()
    assert vault_file.read_bytes() == before

    # The right one (after the failure's delay, if any): changed, the fields emptied.
    type_into(box.current, PASSPHRASE)
    type_into(box.new, NEW)
    type_into(box.confirm, NEW)

    def changed() -> bool:
        if vault_file.read_bytes() != before:
            return True
        if box.button.isEnabled():  # refused for the delay: press again
            QTest.keyClick(box.confirm, Qt.Key.Key_Return)
        return False

    QTest.keyClick(box.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(changed, timeout=20_000)
    qtbot.waitUntil(lambda: box.banner.isVisible() and box.current.text() == "", timeout=10_000)
    assert "Phrase de passe changée" in box.banner.text()
    assert NEW.encode() not in vault_file.read_bytes()
    assert json.loads(vault_file.read_text())  # whole JSON, not a torn write
    wait_idle(qtbot, app)
    assert app.ops.store is not None  # the open store goes on: same data key

    # Lock: the old passphrase is refused, the new one opens.
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=5_000)
    page = window.unlock_page
    type_text(page.passphrase, PASSPHRASE)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10_000)
    assert window.pages.currentWidget() is window.unlock_page
    qtbot.waitUntil(lambda: page.button.isEnabled(), timeout=20_000)
    unlock(qtbot, app, NEW)
    assert window.pages.currentWidget() is window.workspace


def test_the_lock_screen_greets_the_user_by_name(app, qtbot) -> None:
    window = app.window
    assert app.session.settings.user_display_name == "Camille Durand"
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=5_000)
    greeting = window.unlock_page.greeting.text()
    assert greeting == "Bonjour Camille Durand. Saisissez votre phrase de passe."
    assert "camille.durand" not in greeting
