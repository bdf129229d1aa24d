"""« Ma journée » (issue 12): one keystroke away; each figure opens exactly the list it counts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.conftest import wait_idle


def test_my_day_counts_are_the_lists_they_open(app, qtbot) -> None:
    window = app.window
    QTest.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "my_day"
    day = window.my_day
    qtbot.waitUntil(lambda: bool(day.counts), timeout=10_000)
    wait_idle(qtbot, app)
    assert day.today.hasFocus()
    assert day.today.item(0).text() == "Aucun rendez-vous aujourd'hui."
    assert day.counts["overdue"] == 1  # Zoé's housing file, due three days ago
    assert day.buttons["overdue"].text() == "Actions en retard : 1"
    assert not day.buttons["reports"].isEnabled()  # nothing to write: nothing to open
    caseload = window.caseload
    opened = 0
    for key, count in day.counts.items():
        if key == "reports" or count == 0:
            continue
        window.show_view("my_day")
        button = day.buttons[key]
        button.setFocus()
        QTest.keyClick(button, Qt.Key.Key_Return)  # Enter on the focused line opens it
        qtbot.waitUntil(lambda: window.current_view == "caseload", timeout=5_000)
        assert caseload.alert_filter.currentData() == key
        qtbot.waitUntil(lambda c=count: caseload.model.rowCount() == c, timeout=10_000)
        opened += 1
    assert opened >= 1
