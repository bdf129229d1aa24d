"""Idle lock: drafts survive, dialogs close, the key and the store are dropped."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.ui.conftest import unlock, wait_idle
from ui.dialogs.appointments import AppointmentDialog
from ui.dialogs.base import DraftDialog


def test_idle_lock_keeps_drafts_and_gives_them_back(app, seeded, qtbot) -> None:
    window = app.window
    person = window.person
    window.open_person(seeded.persons["eloise"])
    qtbot.waitUntil(lambda: person.file is not None, timeout=10_000)
    wait_idle(qtbot, app)

    # Unsaved work in three places: the note editor, the identity form, an open dialog.
    person.tabs.setCurrentIndex(person.TAB_NOTES)
    person.note_text.setPlainText("Brouillon : rappeler la CAF pour le dossier APL.")
    person.note_sensitive.setChecked(True)
    person.identity.widget("city").setText("Cosne-Cours-sur-Loire")
    dialog = person.plan_appointment()
    assert isinstance(dialog, AppointmentDialog)
    dialog.place.setText("Médiathèque de Nevers")
    dialog.duration.setValue(90)

    app.idle_lock.set_timeout_ms(300)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=5_000)

    # Locked: no store, no key, nothing of the file left on screen, drafts sealed.
    assert app.ops.store is None
    assert not app.session.drafts.is_open
    assert len(app.session.drafts) == 1
    sealed = b"".join(blob for _nonce, blob in app.session.drafts._sealed.values())
    assert "Médiathèque".encode() not in sealed and b"APL" not in sealed
    assert not [d for d in window.findChildren(AppointmentDialog) if d.isVisible()]
    assert person.note_text.toPlainText() == ""
    assert person.file is None
    assert window.caseload.model.rowCount() == 0
    assert "sans activité" in window.unlock_page.reason.text()
    assert "conservé" in window.unlock_page.reason.text()

    unlock(qtbot, app)
    qtbot.waitUntil(lambda: person.file is not None, timeout=10_000)
    assert window.current_view == "person"
    assert person.title.text() == "LEFÈVRE Éloïse"
    qtbot.waitUntil(lambda: person.note_text.toPlainText() != "", timeout=5_000)
    assert person.note_text.toPlainText() == "Brouillon : rappeler la CAF pour le dossier APL."
    assert person.note_sensitive.isChecked()
    assert person.tabs.currentIndex() == person.TAB_NOTES
    assert person.identity.widget("city").text() == "Cosne-Cours-sur-Loire"
    assert person.identity_save.isEnabled()
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in person.findChildren(AppointmentDialog)),
        timeout=5_000,
    )
    reopened = next(d for d in person.findChildren(AppointmentDialog) if d.isVisible())
    assert reopened.place.text() == "Médiathèque de Nevers"
    assert reopened.duration.value() == 90
    assert len(app.session.drafts) == 0


def test_input_keeps_the_app_unlocked(app, qtbot) -> None:
    window = app.window
    app.idle_lock.set_timeout_ms(400)
    for _ in range(8):
        QTest.keyClick(window.caseload.search, Qt.Key.Key_Shift)
        qtbot.wait(100)
    assert window.pages.currentWidget() is window.workspace
    assert app.ops.store is not None
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=5_000)


def test_manual_lock_and_os_signals(app, qtbot) -> None:
    window = app.window
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.unlock_page
    assert app.ops.store is None
    unlock(qtbot, app)
    # A platform signal (here: the session's Lock from logind) locks too.
    app.idle_lock._on_session_lock()
    assert window.pages.currentWidget() is window.unlock_page
    assert "session de l'ordinateur" in window.unlock_page.reason.text()
    unlock(qtbot, app)
    app.idle_lock._on_prepare_for_sleep(True)
    assert window.pages.currentWidget() is window.unlock_page


def test_a_dialog_destroyed_while_open_never_stops_the_lock(app, qtbot) -> None:
    """A dialog whose window was destroyed under it (its Python wrapper still held) made
    every later lock raise « Internal C++ object already deleted »: Ctrl+L did nothing and
    the idle lock never came. The lock skips it and forgets it."""
    window = app.window
    holder = QWidget()
    dialog = DraftDialog("Brouillon orphelin", holder)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    shiboken6.delete(holder)  # the parent goes, and the dialog's Qt object with it
    assert not shiboken6.isValid(dialog)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.unlock_page
    assert app.ops.store is None
    assert dialog not in DraftDialog.open_dialogs()
    unlock(qtbot, app)
