"""The agenda's calendar grid (issue 12): a time axis, one column per day, opening on today,
driven by the keyboard; overlaps shown; « Comptes rendus à saisir » one click away."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from spie_desktop.services.appointments import AgendaItem, schedule_appointment
from spie_desktop.store.store import Actor, Store
from tests.ui.conftest import PASSPHRASE, Seeded, unlock, wait_idle
from ui.dialogs.appointments import OutcomeDialog
from ui.widgets.calendar_grid import CalendarGrid, clashing, lay_out

MONDAY = date(2027, 3, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone().astimezone(UTC)


def item(start: datetime, minutes: int, referent: uuid.UUID | None = None, **kw) -> AgendaItem:
    values = {
        "appointment_id": uuid.uuid4(),
        "person_id": uuid.uuid4(),
        "person_name": "DUPONT Marc",
        "starts_at": start,
        "duration_minutes": minutes,
        "mode": "bureau",
        "place": None,
        "purpose": "suivi",
        "status": "planned",
        "referent_id": referent,
    }
    values.update(kw)
    return AgendaItem(**values)  # type: ignore[arg-type]


slots = st.lists(
    st.tuples(st.integers(0, 4), st.integers(7 * 4, 19 * 4), st.sampled_from([15, 30, 45, 90])),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(slots)
def test_every_appointment_gets_one_block_and_overlaps_never_share_a_lane(raw) -> None:
    days = [MONDAY + timedelta(days=i) for i in range(5)]
    items = [item(at(days[d], q // 4, (q % 4) * 15), m) for d, q, m in raw]
    blocks = lay_out(items, days)
    assert sorted(b.item.appointment_id for b in blocks) == sorted(i.appointment_id for i in items)
    for a in blocks:
        assert 0 <= a.lane < a.lanes
        for b in blocks:
            if a is not b and a.column == b.column and a.top < b.bottom and b.top < a.bottom:
                assert a.lane != b.lane
    # One referent: every overlapping pair of planned appointments is a clash.
    expected = {
        x.appointment_id
        for x in items
        for y in items
        if x is not y and x.starts_at < y.ends_at and y.starts_at < x.ends_at
    }
    assert clashing(items) == expected


def test_other_referents_and_cancelled_appointments_do_not_clash() -> None:
    one, two = uuid.uuid4(), uuid.uuid4()
    first = item(at(MONDAY, 15, 15), 45, one)
    others = [
        item(at(MONDAY, 15, 15), 45, two),
        item(at(MONDAY, 15, 30), 45, one, status="excused"),
        item(at(MONDAY, 16, 0), 30, one),  # starts when the first ends
    ]
    assert clashing([first, *others]) == set()
    double = item(at(MONDAY, 15, 30), 20, one)
    assert clashing([first, *others, double]) == {first.appointment_id, double.appointment_id}


def test_grid_keyboard_moves_through_the_week_and_enter_opens(qtbot) -> None:
    grid = CalendarGrid()
    qtbot.addWidget(grid)
    grid.resize(1100, 600)
    grid.show()
    days = [MONDAY + timedelta(days=i) for i in range(5)]
    monday_9 = item(at(days[0], 9), 45)
    monday_14 = item(at(days[0], 14), 45)
    tuesday_13 = item(at(days[1], 13, 30), 45)
    thursday_8 = item(at(days[3], 8), 45)
    grid.set_period(days, [thursday_8, monday_14, tuesday_13, monday_9], at(days[0], 7))
    grid.setFocus()
    QTest.keyClick(grid, Qt.Key.Key_Down)  # nothing selected: today's next appointment
    assert grid.selected == monday_9.appointment_id
    QTest.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected == monday_14.appointment_id
    QTest.keyClick(grid, Qt.Key.Key_Right)  # the nearest hour on Tuesday
    assert grid.selected == tuesday_13.appointment_id
    QTest.keyClick(grid, Qt.Key.Key_Right)  # Wednesday is empty: Thursday
    assert grid.selected == thursday_8.appointment_id
    QTest.keyClick(grid, Qt.Key.Key_Right)  # nothing later: stays
    assert grid.selected == thursday_8.appointment_id
    QTest.keyClick(grid, Qt.Key.Key_Home)
    assert grid.selected == monday_9.appointment_id
    assert "09:00" in grid.accessibleDescription()
    with qtbot.waitSignal(grid.activated) as opened:
        QTest.keyClick(grid, Qt.Key.Key_Return)
    assert opened.args == [monday_9.appointment_id]
    # A reload keeps the selection and the scroll position.
    grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
    kept = grid.verticalScrollBar().value()
    grid.set_period(days, [monday_9, monday_14], at(days[0], 7))
    assert grid.selected == monday_9.appointment_id
    assert grid.verticalScrollBar().value() == kept
    # A block's rectangle is where a click selects it.
    grid.verticalScrollBar().setValue(0)
    rect = grid.block_rect(next(b for b in grid.blocks if b.item is monday_14)).toRect()
    grid._ensure_visible(next(b for b in grid.blocks if b.item is monday_14))
    rect = grid.block_rect(next(b for b in grid.blocks if b.item is monday_14)).toRect()
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert grid.selected == monday_14.appointment_id


def seed_week(seeded: Seeded) -> dict[str, uuid.UUID]:
    """A past appointment still « à venir », and two that overlap in two days."""
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    later = datetime.now().astimezone().date() + timedelta(days=2)
    ids: dict[str, uuid.UUID] = {}
    try:
        actor = Actor(seeded.referent_id, store.device_id)
        with store.write() as session:
            for key, person, when in (
                ("past", "marc", datetime.now(UTC) - timedelta(days=8)),
                ("first", "zoe", at(later, 15, 15)),
                ("double", "yann", at(later, 15, 30)),
            ):
                ids[key] = schedule_appointment(
                    session,
                    actor,
                    seeded.persons[person],
                    starts_at=when,
                    mode="bureau",
                    purpose="suivi",
                    duration_minutes=30,
                ).id
    finally:
        store.close()
    return ids


def test_agenda_opens_on_today_as_a_grid_and_lists_reports_to_write(
    make_app, seeded, qtbot
) -> None:
    ids = seed_week(seeded)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    window = parts.window
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    agenda = window.agenda
    assert window.current_view == "agenda"
    qtbot.waitUntil(lambda: bool(agenda.grid.blocks), timeout=10_000)
    wait_idle(qtbot, parts)
    assert agenda.stack.currentWidget() is agenda.grid
    today = datetime.now().astimezone().date()
    assert today in agenda.grid.days
    if today + timedelta(days=2) not in agenda.grid.days:  # next week: Alt+→
        agenda.grid.setFocus()
        QTest.keyClick(agenda.grid, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: today + timedelta(days=2) in agenda.grid.days, timeout=10_000)
        wait_idle(qtbot, parts)
    # The two overlapping appointments are flagged, in the grid and in a banner.
    clashes = {b.item.appointment_id for b in agenda.grid.blocks if b.clash}
    assert clashes == {ids["first"], ids["double"]}
    assert agenda.clash_banner.isVisible()
    assert "2 rendez-vous se chevauchent" in agenda.clash_banner.text()

    # « Comptes rendus à saisir (1) »: one click lists it; Enter opens its report.
    qtbot.waitUntil(lambda: agenda.reports_button.text().endswith("(1)"), timeout=10_000)
    qtbot.mouseClick(agenda.reports_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agenda.tree.topLevelItemCount() == 1, timeout=10_000)
    row = agenda.tree.topLevelItem(0)
    assert row.text(5) == "Compte rendu à saisir"
    assert agenda.stack.currentWidget() is agenda.tree
    assert agenda.tree.hasFocus()
    QTest.keyClick(agenda.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in agenda.findChildren(OutcomeDialog)), timeout=10_000
    )
    dialog = next(d for d in agenda.findChildren(OutcomeDialog) if d.isVisible())
    assert dialog.appointment.id == ids["past"]
    dialog.reject()

    # Back to the week; a supervisor's filter is not shown to a referent.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    QTest.keyClick(agenda.tree, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: agenda.stack.currentWidget() is agenda.grid, timeout=10_000)
    assert not agenda.referent_combo.isVisible()
