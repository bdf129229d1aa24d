"""Barrier and action dialogs preselect nothing that matters (issue 12): Enter on an untouched
dialog records nothing and says what to choose; chosen by the keyboard, it saves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from spie_desktop.domain.models import Action, Barrier
from tests.ui.conftest import gone, wait_idle
from tests.ui.test_appointment_dialogs import focused, pick
from tests.ui.test_person_file import open_file, store_of
from ui.dialogs.barriers import FREE_TEXT, ActionDialog, BarrierDialog


def count(app, model, person_id) -> int:  # type: ignore[no-untyped-def]
    with store_of(app).read() as session:
        rows = session.execute(select(model).where(model.person_id == person_id)).scalars()
        return len(list(rows))


def test_enter_on_an_untouched_barrier_dialog_records_nothing(app, seeded, qtbot) -> None:
    person = app.window.person
    marc = seeded.persons["marc"]
    open_file(app, qtbot, marc)
    person.tabs.setCurrentIndex(person.TAB_BARRIERS)
    dialog = person.new_barrier()
    assert isinstance(dialog, BarrierDialog)
    qtbot.waitUntil(lambda: focused() is dialog.theme, timeout=5_000)
    assert dialog.theme.currentData() is None
    assert dialog.theme.currentText() == "— Choisir un thème —"
    assert dialog.situations.count() == 0  # no theme, no situations to tick
    QTest.keyClick(dialog.theme, Qt.Key.Key_Return)
    QTest.keyClick(dialog.theme, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert dialog.isVisible()
    assert dialog.fields.error_text("theme") == "Choisissez un thème."
    assert focused() is dialog.theme
    wait_idle(qtbot, app)
    assert count(app, Barrier, marc) == 0
    pick(dialog.theme, "logement")
    assert dialog.situations.count() > 0
    assert dialog.target.currentData() is None  # « — À définir — », a real choice
    QTest.keyClick(dialog.theme, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        stored = session.execute(select(Barrier).where(Barrier.person_id == marc)).scalars()
        assert [b.theme for b in stored] == ["logement"]


def test_enter_on_an_untouched_action_dialog_records_nothing(app, seeded, qtbot) -> None:
    person = app.window.person
    marc = seeded.persons["marc"]
    open_file(app, qtbot, marc)
    person.tabs.setCurrentIndex(person.TAB_BARRIERS)
    dialog = person.new_action()
    assert isinstance(dialog, ActionDialog)
    assert dialog.barrier.currentData() is None  # « — Sans frein associé — »
    assert dialog.theme.currentData() is None
    assert dialog.action.currentData() is None
    # Only « Autre action » until a theme is chosen.
    assert [dialog.action.itemData(i) for i in range(dialog.action.count())] == [None, FREE_TEXT]
    dialog.action.setFocus()
    QTest.keyClick(dialog.action, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.fields.error_text("action_code") == "Choisissez une action."
    wait_idle(qtbot, app)
    assert count(app, Action, marc) == 0
    pick(dialog.theme, "mobilite")
    assert dialog.action.currentData() is None  # still to choose after the theme
    assert dialog.action.count() > 2
    dialog.action.setFocus()
    QTest.keyClick(dialog.action, Qt.Key.Key_Down)
    chosen = dialog.action.currentData()
    assert chosen not in (None, FREE_TEXT)
    QTest.keyClick(dialog.action, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        stored = session.execute(select(Action).where(Action.person_id == marc)).scalars()
        assert [a.action_code for a in stored] == [chosen]
