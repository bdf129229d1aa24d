"""Every interactive widget has an accessible name; keyboard order is sensible."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from tests.ui.conftest import wait_idle

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QTabWidget,
    QProgressBar,
)
COMPOSITE = (QComboBox, QAbstractSpinBox, QTabBar, QAbstractItemView)


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView):
            continue
        parent = widget.parentWidget()
        inside_composite = False
        while parent is not None and parent is not root:
            if isinstance(parent, COMPOSITE):
                inside_composite = True
                break
            parent = parent.parentWidget()
        if inside_composite or type(widget).__name__.startswith("QComboBoxPrivate"):
            continue
        if not widget.accessibleName().strip():
            text = getattr(widget, "text", lambda: "")()
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {text!r}")
    return missing


def test_start_screens_name_every_widget(make_app, seeded, tmp_path, qtbot) -> None:
    parts = make_app(tmp_path / "fresh")
    assert unnamed(parts.window.first_start) == []
    other = make_app(seeded.data_dir)
    assert unnamed(other.window.unlock_page) == []


def test_workspace_and_dialogs_name_every_widget(app, seeded, qtbot) -> None:
    window = app.window
    assert unnamed(window.caseload) == []
    assert unnamed(window.status) == []
    window.show_view("agenda")
    wait_idle(qtbot, app)
    assert unnamed(window.agenda) == []
    window.show_view("settings")
    assert unnamed(window.settings_view) == []
    window.open_person(seeded.persons["eloise"])
    qtbot.waitUntil(lambda: window.person.file is not None, timeout=10_000)
    wait_idle(qtbot, app)
    assert unnamed(window.person) == []
    dialogs = [
        window.person.plan_appointment(),
        window.person.new_barrier(),
        window.person.new_action(),
        window.person.record_outcome(window.person.file.next_appointment),
        window.new_person(),
    ]
    for dialog in dialogs:
        assert dialog is not None
        assert unnamed(dialog) == [], type(dialog).__name__
        assert dialog.accessibleName()
        dialog.reject()


def test_tab_order_on_the_caseload(app, qtbot) -> None:
    QTest.keyClick(app.window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    view = app.window.caseload
    view.search.setFocus()
    order = [view.search]
    for _ in range(6):
        QTest.keyClick(app.window.focusWidget(), Qt.Key.Key_Tab)
        order.append(app.window.focusWidget())
    assert order[1:7] == [
        view.status_filter,
        view.orientation_filter,
        view.theme_filter,
        view.alert_filter,
        view.reset_button,
        view.table,
    ]


def test_keyboard_navigation_between_screens(app, qtbot) -> None:
    window = app.window
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "agenda"
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "settings"
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "caseload"
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    from ui.dialogs.persons import NewPersonDialog

    dialogs = [d for d in window.findChildren(NewPersonDialog) if d.isVisible()]
    assert dialogs
    QTest.keyClick(dialogs[0], Qt.Key.Key_Escape)
