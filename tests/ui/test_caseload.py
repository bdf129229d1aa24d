"""Caseload home: instant accent-insensitive search, filters, sorting, keyboard."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.conftest import wait_idle
from ui.models.caseload_model import ALERTS_ROLE, Column


def names(parts) -> list[str]:
    model = parts.window.caseload.model
    return [model.index(row, Column.NAME).data() for row in range(model.rowCount())]


def settle(qtbot, parts) -> None:
    model = parts.window.caseload.model
    qtbot.waitUntil(lambda: not model.busy and parts.ops.pending == 0, timeout=10_000)


def test_rows_show_next_appointment_alerts_and_barriers(app, qtbot) -> None:
    assert names(app) == ["ABADIE Zoé", "DUPONT Marc", "LEFÈVRE Éloïse", "ZERBIB Yann"]
    model = app.window.caseload.model
    eloise = 2
    assert model.index(eloise, Column.NEXT_APPOINTMENT).data() not in ("Aucun", None)
    assert model.index(eloise, Column.BARRIERS).data().startswith("1 · Mobilité")
    zoe = 0
    # the date alone under « Actions échues », in red, the tooltip saying since when
    overdue = model.index(zoe, Column.OVERDUE)
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", overdue.data())
    assert overdue.data(Qt.ItemDataRole.ForegroundRole).name() == "#ce0500"
    assert overdue.data(Qt.ItemDataRole.ToolTipRole).startswith("Action échue depuis le ")
    assert "Action échue" in model.index(zoe, Column.ALERTS).data(ALERTS_ROLE)
    counters = app.window.caseload.counters
    assert counters["overdue"].value.text() == "1"
    assert counters["to_contact"].value.text() == "1"


def test_search_as_you_type_is_accent_and_case_insensitive(app, qtbot) -> None:
    # A referent lands on « Ma journée »; Ctrl+1 opens the caseload.
    QTest.keyClick(app.window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    search = app.window.caseload.search
    search.setFocus()
    QTest.keyClicks(search, "eloi")
    settle(qtbot, app)
    assert names(app) == ["LEFÈVRE Éloïse"]
    search.clear()
    QTest.keyClicks(search, "LEFEVRE")
    settle(qtbot, app)
    assert names(app) == ["LEFÈVRE Éloïse"]
    QTest.keyClick(search, Qt.Key.Key_Escape)
    settle(qtbot, app)
    assert len(names(app)) == 4
    QTest.keyClicks(search, "personne inconnue")
    settle(qtbot, app)
    assert names(app) == []
    assert app.window.caseload.empty.isVisible()


def test_filters(app, qtbot) -> None:
    view = app.window.caseload
    view.status_filter.setCurrentIndex(view.status_filter.findData("a_contacter"))
    settle(qtbot, app)
    assert names(app) == ["DUPONT Marc"]
    view._reset_filters()
    view.orientation_filter.setCurrentIndex(view.orientation_filter.findData("social"))
    settle(qtbot, app)
    assert names(app) == ["LEFÈVRE Éloïse", "ZERBIB Yann"]
    view._reset_filters()
    view.theme_filter.setCurrentIndex(view.theme_filter.findData("mobilite"))
    settle(qtbot, app)
    assert names(app) == ["LEFÈVRE Éloïse"]
    view._reset_filters()
    view.alert_filter.setCurrentIndex(view.alert_filter.findData("overdue"))
    settle(qtbot, app)
    assert names(app) == ["ABADIE Zoé"]
    # A dashboard figure applies its filter too.
    view._reset_filters()
    settle(qtbot, app)
    view.counters["to_contact"].click()
    settle(qtbot, app)
    assert names(app) == ["DUPONT Marc"]


def test_sorting_by_column(app, qtbot) -> None:
    table = app.window.caseload.table
    table.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
    settle(qtbot, app)
    assert names(app)[0] == "ZERBIB Yann"
    table.sortByColumn(Column.NEXT_APPOINTMENT, Qt.SortOrder.AscendingOrder)
    settle(qtbot, app)
    assert names(app)[0] == "LEFÈVRE Éloïse"  # the only one with an appointment


def test_keyboard_search_then_enter_opens_the_file(app, qtbot) -> None:
    window = app.window
    view = window.caseload
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    QTest.keyClicks(view.search, "dupont")
    settle(qtbot, app)
    QTest.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.person.file is not None, timeout=10_000)
    wait_idle(qtbot, app)
    assert window.current_view == "person"
    assert window.person.title.text() == "DUPONT Marc"
    QTest.keyClick(window.person, Qt.Key.Key_Escape)
    assert window.current_view == "caseload"
