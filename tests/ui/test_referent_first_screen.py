"""A referent's first screen after unlock is « Ma journée » (issue 12); a lock gives back the
screen she was on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.support.keys import type_text
from tests.ui.conftest import PASSPHRASE, wait_idle


def type_passphrase(qtbot, app, text: str = PASSPHRASE) -> None:  # type: ignore[no-untyped-def]
    page = app.window.unlock_page
    qtbot.waitUntil(lambda: page.passphrase.hasFocus(), timeout=5_000)
    type_text(page.passphrase, text)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)


def test_referent_lands_on_my_day_and_a_lock_keeps_her_screen(make_app, seeded, qtbot) -> None:
    app = make_app(seeded.data_dir)
    window = app.window
    # Enter on an empty passphrase: a French message, still locked.
    QTest.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.unlock_page
    assert "phrase de passe" in window.unlock_page.error.text()
    type_passphrase(qtbot, app)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=10_000)
    assert window.current_view == "my_day"
    assert window.content.currentWidget() is window.my_day
    assert window.nav["my_day"].isChecked()
    assert window.nav["team"].isHidden()  # a referent has no team dashboard
    qtbot.waitUntil(lambda: bool(window.my_day.counts), timeout=10_000)
    wait_idle(qtbot, app)
    assert window.my_day.today.hasFocus()  # the day's list, ready for the arrow keys
    assert window.my_day.counts["overdue"] == 1

    # She goes to the agenda, locks (Ctrl+L), unlocks: the agenda again, not « Ma journée ».
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "agenda"
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=5_000)
    type_passphrase(qtbot, app)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=10_000)
    assert window.current_view == "agenda"

    # Locked while on « Ma journée »: back on it, with its figures.
    QTest.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "my_day"
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=5_000)
    assert window.my_day.counts == {}  # nothing of the day left on the locked screen
    type_passphrase(qtbot, app)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=10_000)
    assert window.current_view == "my_day"
    qtbot.waitUntil(lambda: window.my_day.counts.get("overdue") == 1, timeout=10_000)
