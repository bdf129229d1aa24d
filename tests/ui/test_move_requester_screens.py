"""Issue 12 as a referent types it: who asked for a move is shown in the file, the agenda and
its tooltip (not only written in the audit trail), and a double booking is found in the
referent's whole agenda in the store — an appointment pulled from her other device, across
midnight — with a French warning naming it."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from spie_desktop.domain.models import Appointment
from spie_desktop.store.store import Store
from tests.support.keys import type_text
from tests.ui.conftest import PASSPHRASE, gone, wait_idle
from tests.ui.test_appointment_dialogs import focused, pick
from tests.ui.test_person_file import open_file, store_of
from tests.ui.test_typed_dates import type_when
from ui.dialogs.appointments import AppointmentDialog, local_day_bounds

PARTNER = "déplacé à la demande d'un partenaire"


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).astimezone()


def unlock_by_keys(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    page = app.window.unlock_page
    type_text(page.passphrase, PASSPHRASE)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: app.window.pages.currentWidget() is app.window.workspace, timeout=10_000
    )
    wait_idle(qtbot, app)


def test_clash_with_a_pulled_appointment_across_midnight_then_a_move_says_who_asked(
    make_app, seeded, qtbot
) -> None:
    tomorrow = date.today() + timedelta(days=1)
    after = tomorrow + timedelta(days=1)
    # Marc's 23:30–00:30 appointment, recorded on the referent's other laptop, pulled here.
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    late_id = uuid.uuid4()
    try:
        with store.apply_remote() as session:
            session.add(
                Appointment(
                    id=late_id,
                    person_id=seeded.persons["marc"],
                    referent_id=seeded.referent_id,
                    starts_at=local(tomorrow, time(23, 30)),
                    duration_minutes=60,
                    mode="telephone",
                    purpose="bilan",
                    status="planned",
                )
            )
    finally:
        store.close()
    app = make_app(seeded.data_dir)
    unlock_by_keys(qtbot, app)
    person = app.window.person

    # Zoé at 00:00 the day after: inside Marc's call, which started the day before.
    open_file(app, qtbot, seeded.persons["zoe"])
    dialog = person.plan_appointment()
    assert isinstance(dialog, AppointmentDialog)
    qtbot.waitUntil(lambda: focused() is dialog.when.date_edit, timeout=5_000)
    pick(dialog.mode, "bureau")
    pick(dialog.purpose, "suivi")
    type_when(dialog.when, after.strftime("%d%m%Y"), "0000", "ctrl_a")
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.clash_banner.isVisible, timeout=10_000)
    warning = dialog.clash_banner.text()
    assert "rendez-vous de DUPONT Marc" in warning
    assert "Bilan" in warning and "chevauche ce créneau" in warning
    assert tomorrow.strftime("%d/%m/%Y") in warning  # the day it started, not just 23:30
    with store_of(app).read() as session:
        count = session.query(Appointment).filter_by(person_id=seeded.persons["zoe"]).count()
    assert count == 0  # nothing saved before the confirmation
    assert focused() is dialog.save_button
    QTest.keyClick(dialog.save_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    wait_idle(qtbot, app)

    # Moving Éloïse's appointment: Enter before saying who asked is refused.
    open_file(app, qtbot, seeded.persons["eloise"])
    planned = person.file.next_appointment
    assert planned is not None
    move = person.move_appointment(planned)
    qtbot.waitUntil(lambda: focused() is move.when.date_edit, timeout=5_000)
    target = date.today() + timedelta(days=4)
    type_when(move.when, target.strftime("%d%m%Y"), "1000", "ctrl_a")
    QTest.keyClick(move.when.time_edit, Qt.Key.Key_Return)
    assert move.isVisible() and move.requested_error.isVisible()
    with store_of(app).read() as session:
        assert session.get(Appointment, planned.id).requested_by is None
    move.requested_by["partner"].setFocus()
    QTest.keyClick(move.requested_by["partner"], Qt.Key.Key_Space)
    assert move.requested_by["partner"].isChecked()
    move.when.time_edit.setFocus()
    QTest.keyClick(move.when.time_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(move), timeout=10_000)
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        assert session.get(Appointment, planned.id).requested_by == "partner"

    # The file's appointments tab says it beside the status.
    qtbot.waitUntil(
        lambda: any(
            PARTNER in person.appointments.topLevelItem(i).text(3)
            for i in range(person.appointments.topLevelItemCount())
        ),
        timeout=10_000,
    )
    # The agenda's list and the grid's tooltip too.
    agenda = app.window.agenda
    agenda.day = target
    # The dialog closed: the main window is the active one again before its shortcut
    # (offscreen, closing a dialog does not always give activation back by itself).
    app.window.activateWindow()
    qtbot.waitUntil(app.window.isActiveWindow, timeout=5_000)
    QTest.keyClick(app.window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert app.window.current_view == "agenda"
    qtbot.waitUntil(
        lambda: any(
            item.appointment_id == planned.id and item.requested_by == "partner"
            for item in agenda.items
        ),
        timeout=10_000,
    )
    item = next(i for i in agenda.items if i.appointment_id == planned.id)
    assert PARTNER in agenda.grid.describe(item)
    rows = [
        agenda.tree.topLevelItem(d).child(c)
        for d in range(agenda.tree.topLevelItemCount())
        for c in range(agenda.tree.topLevelItem(d).childCount())
    ]
    assert any("ÉLOÏSE" in r.text(1).upper() and PARTNER in r.text(5) for r in rows)


def test_day_bounds_follow_the_clock_change(monkeypatch) -> None:
    """31 Oct 2027 in Paris lasts 25 hours; 28 Mar 2027 23 hours."""
    import time as clock

    monkeypatch.setenv("TZ", "Europe/Paris")
    clock.tzset()
    try:
        start, end = local_day_bounds(datetime.fromisoformat("2027-10-31T15:00:00+01:00"))
        assert (end - start) == timedelta(hours=25)
        assert start.utcoffset() == timedelta(hours=2) and end.utcoffset() == timedelta(hours=1)
        start, end = local_day_bounds(datetime.fromisoformat("2027-03-28T15:00:00+02:00"))
        assert (end - start) == timedelta(hours=23)
    finally:
        monkeypatch.undo()
        clock.tzset()
