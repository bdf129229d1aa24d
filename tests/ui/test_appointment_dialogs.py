"""Appointment dialogs as a referent types them (issue 12): a double booking is warned before
saving, a home visit takes the person's address, a move says who asked for it, a dialog opens
on its first field with nothing preselected, and Enter presses the focused button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from spie_desktop.domain.models import Appointment, AuditEvent, Person
from spie_desktop.store.store import Store
from tests.ui.conftest import PASSPHRASE, gone, unlock, wait_idle
from tests.ui.test_person_file import open_file, store_of
from tests.ui.test_typed_dates import type_when
from ui.dialogs.appointments import AppointmentDialog, OutcomeDialog


def pick(combo, code: str) -> None:
    """Choose an entry with the arrow keys, as on the keyboard."""
    combo.setFocus()
    key = Qt.Key.Key_Down if combo.findData(code) > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(combo.count() + 1):
        if combo.currentData() == code:
            return
        QTest.keyClick(combo, key)
    raise AssertionError(f"{code} not reachable")


def focused():  # type: ignore[no-untyped-def]
    return QApplication.focusWidget()


def eloise_planned(app):  # type: ignore[no-untyped-def]
    planned = app.window.person.file.next_appointment
    assert planned is not None
    return planned


def test_moving_onto_another_appointment_warns_then_saves_on_confirmation(
    app, seeded, qtbot
) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["eloise"])
    planned = eloise_planned(app)
    local = planned.starts_at.astimezone()
    day = local.date()
    # Marc has an appointment that day at a quarter past, away from Éloise's own (seeded two
    # days ahead at the time the test runs: a fixed 15:15 clashed with it when run at 15:00).
    marc_at, move_to = ("1515", "1530") if local.hour < 12 else ("0815", "0830")
    marc = AppointmentDialog(app.session, person, person_id=seeded.persons["marc"])
    marc.open()
    qtbot.waitUntil(lambda: focused() is marc.when.date_edit, timeout=5_000)
    pick(marc.mode, "bureau")
    pick(marc.purpose, "suivi")
    type_when(marc.when, day.strftime("%d%m%Y"), marc_at, "ctrl_a")
    QTest.keyClick(marc.when.time_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(marc), timeout=10_000)
    wait_idle(qtbot, app)

    dialog = person.move_appointment(planned)
    qtbot.waitUntil(lambda: focused() is dialog.when.date_edit, timeout=5_000)
    assert not any(radio.isChecked() for radio in dialog.requested_by.values())
    type_when(dialog.when, day.strftime("%d%m%Y"), move_to, "ctrl_a")
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.requested_error.isVisible()  # who asked?
    dialog.requested_by["service"].setFocus()
    QTest.keyClick(dialog.requested_by["service"], Qt.Key.Key_Space)
    dialog.when.time_edit.setFocus()
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.clash_banner.isVisible, timeout=10_000)
    assert "DUPONT Marc" in dialog.clash_banner.text()
    assert dialog.save_button.text() == "Enregistrer quand même"
    assert dialog.isVisible()
    with store_of(app).read() as session:
        still = session.get(Appointment, planned.id)
        assert still.starts_at == planned.starts_at  # nothing saved yet
    # The warning put the focus on the confirming button: Enter confirms.
    assert focused() is dialog.save_button
    QTest.keyClick(dialog.save_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        moved = session.get(Appointment, planned.id)
        local = moved.starts_at.astimezone()
        assert (local.date(), local.strftime("%H%M")) == (day, move_to)
        details = session.execute(
            select(AuditEvent.detail).where(AuditEvent.person_id == seeded.persons["eloise"])
        ).scalars()
        assert "rendez-vous déplacé (à l'initiative du service)" in list(details)


def test_a_second_appointment_the_same_day_is_warned(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["eloise"])
    planned = eloise_planned(app)
    day = planned.starts_at.astimezone().date()
    dialog = person.plan_appointment()
    assert dialog is not None
    qtbot.waitUntil(lambda: focused() is dialog.when.date_edit, timeout=5_000)
    pick(dialog.mode, "telephone" if dialog.mode.findData("telephone") >= 0 else "bureau")
    pick(dialog.purpose, "suivi")
    later = (planned.starts_at + timedelta(hours=3)).astimezone()
    if later.date() != day:
        later = planned.starts_at.astimezone() - timedelta(hours=3)
    type_when(dialog.when, day.strftime("%d%m%Y"), later.strftime("%H%M"), "ctrl_a")
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.clash_banner.isVisible, timeout=10_000)
    assert "un autre rendez-vous de cette personne ce jour-là" in dialog.clash_banner.text()
    # Changing the day clears the reason: the next Enregistrer checks again and saves.
    other = day + timedelta(days=1)
    dialog.when.date_edit.setFocus()  # back in the day field, as a click would
    type_when(dialog.when, other.strftime("%d%m%Y"), "1000", "ctrl_a")
    assert dialog.save_button.isDefault()  # the focus left it: Enter in a field saves again
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)


def test_a_home_visit_takes_the_persons_address(make_app, seeded, qtbot) -> None:
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    try:
        with store.write() as session:
            row = session.get(Person, seeded.persons["marc"])
            row.address = "8 allée des Tilleuls"
            row.postal_code = "58000"
            row.city = "Nevers"
    finally:
        store.close()
    app = make_app(seeded.data_dir)
    unlock(qtbot, app)
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    dialog = person.plan_appointment()
    assert dialog is not None
    pick(dialog.mode, "domicile")
    qtbot.waitUntil(lambda: dialog.place.text() != "", timeout=10_000)
    assert dialog.place.text() == "8 allée des Tilleuls, 58000 Nevers"
    pick(dialog.mode, "bureau")  # back to the office: the address it put is taken back
    assert dialog.place.text() == ""
    dialog.place.setFocus()
    QTest.keyClicks(dialog.place, "Mediatheque")
    pick(dialog.mode, "domicile")  # a place typed by the referent is never replaced
    qtbot.wait(300)
    wait_idle(qtbot, app)
    assert dialog.place.text() == "Mediatheque"
    dialog.reject()


def test_cancel_dialog_asks_who_and_enter_on_a_button_presses_it(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["eloise"])
    planned = eloise_planned(app)
    dialog = person.cancel_appointment(planned)
    assert isinstance(dialog, OutcomeDialog)
    assert dialog.save_button.text() == "Confirmer l'annulation"
    assert dialog.cancel_button.text() == "Ne pas annuler"
    assert dialog.selected_status() is None  # nothing preselected
    first = dialog.status_buttons["excused"]
    qtbot.waitUntil(lambda: focused() is first, timeout=5_000)
    assert first.text() == "La personne (annulé, excusé)"
    QTest.keyClick(first, Qt.Key.Key_Return)  # Enter with nothing chosen: refused
    assert dialog.isVisible() and dialog.status_error.text() == "Choisissez l'issue."
    # Tab to « Ne pas annuler » and press Enter: closes, nothing changes.
    dialog.cancel_button.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(dialog.cancel_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=5_000)
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        assert session.get(Appointment, planned.id).status == "planned"


def test_outcome_dialog_has_no_preselected_outcome(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    past = datetime.now(UTC) - timedelta(hours=2)
    from spie_desktop.services.read_models import AppointmentInfo

    info = AppointmentInfo(
        id=seeded.persons["marc"], person_id=seeded.persons["marc"], starts_at=past,
        duration_minutes=30, mode="bureau", purpose="suivi", place=None, status="planned",
    )  # fmt: skip
    dialog = person.record_outcome(info)
    assert dialog.selected_status() is None
    assert not dialog.plan_next.isVisible()
    dialog.reject()


def test_enter_on_a_focused_button_of_the_main_window_presses_it(app, qtbot) -> None:
    window = app.window
    nav = window.nav["agenda"]
    nav.setFocus()
    QTest.keyClick(nav, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view == "agenda", timeout=5_000)
