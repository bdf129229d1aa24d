"""A typed date lands on the day typed (issue 12): keys typed as a referent does, then the store.

Qt's section editor used to keep the old day when the whole « Date et heure » field was
selected and a new date typed; these tests select (Ctrl+A or a triple click), type, Tab, Enter,
and read the appointment back from the encrypted store.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import select

from spie_desktop.domain.models import Appointment
from tests.ui.conftest import gone, wait_idle
from tests.ui.test_person_file import open_file, store_of
from ui.dialogs.appointments import AppointmentDialog
from ui.widgets.fields import DateField, DateTimeField, Impossible, Unreadable, parse_date

FRENCH_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def styled(day: date, style: str) -> str:
    """``day`` written the way a referent may type it."""
    if style == "digits":
        return day.strftime("%d%m%Y")
    if style == "short_digits":
        return day.strftime("%d%m%y")
    if style == "slashes":
        return day.strftime("%d/%m/%Y")
    if style == "short_slashes":
        return day.strftime("%d/%m/%y")
    if style == "dots":
        return f"{day.day}.{day.month}.{day.year}"
    if style == "words":
        return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
    if style == "iso":
        return day.isoformat()
    raise AssertionError(style)


STYLES = ["digits", "short_digits", "slashes", "short_slashes", "dots", "words", "iso"]


def select_all(edit: QLineEdit, how: str) -> None:
    edit.setFocus()
    if how == "ctrl_a":
        QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    else:  # a triple click, as a mouse user selects a whole field
        point = QPoint(5, edit.height() // 2)
        QTest.mouseDClick(edit, Qt.MouseButton.LeftButton, pos=point)
        QTest.mouseClick(edit, Qt.MouseButton.LeftButton, pos=point)
        if edit.selectedText() != edit.text():  # triple click not honoured offscreen
            QTest.keyClick(edit, Qt.Key.Key_End)
            QTest.keyClick(edit, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    assert edit.selectedText() == edit.text()


def type_text(edit: QLineEdit, text: str) -> None:
    """Keys as a keyboard sends them; an accented letter as a French layout does (QTest's
    keyClicks only knows ASCII)."""
    for char in text:
        if char.isascii():
            QTest.keyClicks(edit, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_when(field: DateTimeField, day_text: str, hour_text: str, how: str) -> None:
    select_all(field.date_edit, how)
    type_text(field.date_edit, day_text)
    QTest.keyClick(field.date_edit, Qt.Key.Key_Tab)
    select_all(field.time_edit, how)
    QTest.keyClicks(field.time_edit, hour_text)


# -- the parser, on every day of two centuries ------------------------------------------------


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    style=st.sampled_from(STYLES),
)
def test_every_typing_style_reads_the_day_typed(day: date, style: str) -> None:
    assert parse_date(styled(day, style), prefer_future=True) == day


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
def test_a_two_digit_birth_year_is_never_in_the_future(day: date) -> None:
    read = parse_date(day.strftime("%d/%m/%y"), prefer_future=False)
    assert read is not None and read <= date.today()
    assert (read.month, read.day, read.year % 100) == (day.month, day.day, day.year % 100)


@pytest.mark.parametrize("text", ["31/02/2027", "30022027", "32 janvier 2027", "00/01/2027"])
def test_an_impossible_day_is_named(text: str) -> None:
    with pytest.raises(Impossible):
        parse_date(text)


@pytest.mark.parametrize("text", ["15/01", "1501202", "demain", "15 jnavier 2027", "15//01/2027"])
def test_unreadable_text_is_refused(text: str) -> None:
    with pytest.raises(Unreadable):
        parse_date(text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2040, 12, 31)),
    style=st.sampled_from(STYLES),
    hour=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    how=st.sampled_from(["ctrl_a", "triple_click"]),
)
def test_typing_over_a_filled_field_replaces_the_day(qtbot, day, style, hour, how) -> None:
    field = DateTimeField(datetime(2026, 3, 9, 8, 30, tzinfo=UTC), field="starts_at")
    qtbot.addWidget(field)
    field.show()
    type_when(field, styled(day, style), hour.strftime("%H%M"), how)
    local = field.value().astimezone()
    assert (local.date(), local.time()) == (day, hour)


# -- the real dialog, the real write path, the store ------------------------------------------


def choose_first(combo) -> None:
    """« Choisir… » is preselected: the referent picks the first real entry with ↓."""
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() is not None


def typed_appointment(app, qtbot, dialog: AppointmentDialog, day_text: str, hour: str, how: str):
    if dialog.appointment is None:
        choose_first(dialog.mode)
        choose_first(dialog.purpose)
    else:  # a move says who asked for it
        dialog.requested_by["person"].setFocus()
        QTest.keyClick(dialog.requested_by["person"], Qt.Key.Key_Space)
        assert dialog.requested_by["person"].isChecked()
    type_when(dialog.when, day_text, hour, how)
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    wait_idle(qtbot, app)
    assert dialog.created_id is not None
    with store_of(app).read() as session:
        saved = session.get(Appointment, dialog.created_id)
        assert saved is not None
        starts = saved.starts_at
    return (starts if starts.tzinfo else starts.replace(tzinfo=UTC)).astimezone()


@pytest.mark.parametrize(
    ("style", "how"),
    [("digits", "ctrl_a"), ("slashes", "triple_click"), ("short_slashes", "ctrl_a"),
     ("words", "triple_click")],
)  # fmt: skip
def test_a_planned_appointment_lands_on_the_typed_day(app, seeded, qtbot, style, how) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    person.plan_button.click()
    dialog = next(d for d in person.findChildren(AppointmentDialog) if d.isVisible())
    assert dialog.when.date_edit.placeholderText().startswith("ex. ")
    saved = typed_appointment(app, qtbot, dialog, styled(date(2027, 1, 15), style), "1030", how)
    assert (saved.date(), saved.time()) == (date(2027, 1, 15), time(10, 30))


def test_moving_an_appointment_by_typing_saves_the_new_day(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["eloise"])
    assert person.file is not None
    planned = person.file.next_appointment
    assert planned is not None
    new_day = planned.starts_at.astimezone().date() + timedelta(days=9)
    dialog = person.move_appointment(planned)
    # Click in the day and type: the whole field is what counts, not the section clicked.
    saved = typed_appointment(app, qtbot, dialog, new_day.strftime("%d%m%Y"), "14h15", "ctrl_a")
    assert (saved.date(), saved.time()) == (new_day, time(14, 15))
    with store_of(app).read() as session:
        rows = session.execute(
            select(Appointment).where(Appointment.person_id == seeded.persons["eloise"])
        ).scalars()
        assert not any(
            row.status == "planned"
            and (row.starts_at.replace(tzinfo=UTC) if row.starts_at.tzinfo is None
                 else row.starts_at).astimezone().date() == planned.starts_at.astimezone().date()
            for row in rows
        )  # fmt: skip


def test_an_impossible_date_is_refused_in_french_and_saves_nothing(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    with store_of(app).read() as session:
        before = len(session.execute(select(Appointment)).scalars().all())
    dialog = person.plan_appointment()
    assert dialog is not None
    type_when(dialog.when, "31/02/2027", "10:00", "ctrl_a")
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.fields.error_text("starts_at") == (
        "Date impossible : le 31/02/2027 n'existe pas dans le calendrier."
    )
    type_when(dialog.when, "demain", "10:00", "ctrl_a")
    QTest.keyClick(dialog.when.time_edit, Qt.Key.Key_Return)
    assert dialog.fields.error_text("starts_at").startswith("Date illisible : écrivez-la par ex")
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        assert len(session.execute(select(Appointment)).scalars().all()) == before
    dialog.reject()


def test_the_calendar_opens_whole_and_picks_with_the_keyboard(qtbot) -> None:
    field = DateField(field="due_date")
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    QTest.keyClicks(field, "15/01/2027")
    QTest.keyClick(field, Qt.Key.Key_F4)
    popup = field._popup
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar
    assert calendar.selectedDate().toPython() == date(2027, 1, 15)
    hint = calendar.sizeHint()
    assert calendar.width() >= hint.width() and calendar.height() >= hint.height()
    QTest.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Right)
    QTest.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert field.value() == date(2027, 1, 16)
