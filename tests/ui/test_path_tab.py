"""The « Parcours » tab driven from the keyboard: orientation (with a typing mistake),
contrat d'engagement with a lowered floor, plan hours on the gauge, reorientation request,
breach, closing review; the supervisor sees the path and breaches but cannot write."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from spie_desktop.domain.deadlines import paris_day
from spie_desktop.domain.models import (
    Action,
    Breach,
    ClosingReview,
    EngagementContract,
    OrientationDecision,
    Person,
    ReorientationRequest,
)
from tests.ui.conftest import gone, wait_idle
from tests.ui.test_person_file import open_file, store_of
from ui.dialogs.base import DraftDialog
from ui.dialogs.path import (
    BreachDialog,
    ClosingDialog,
    ContractDialog,
    HoursDialog,
    OrientationDialog,
    PlanActionDialog,
    ReorientationDialog,
    SignContractDialog,
)

TODAY = paris_day(datetime.now(UTC))  # the department's day, as the path services count it


def fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def press(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Activate a button from the keyboard: focus it, press Space."""
    assert widget.isEnabled(), widget.accessibleName()
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Space)


def dialog_of(tab: QWidget, kind: type[DraftDialog], qtbot) -> DraftDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: any(d.isVisible() for d in tab.findChildren(kind)), timeout=5_000)
    return next(d for d in tab.findChildren(kind) if d.isVisible())


def retype(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    QTest.keyClicks(widget, text)


def submit(qtbot, dialog: DraftDialog, field: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Enter in a line edit presses the dialog's default button (Enregistrer)."""
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Return)


def open_path(app, qtbot, person_id):  # type: ignore[no-untyped-def]
    open_file(app, qtbot, person_id)
    person = app.window.person
    QTest.keyClick(person, Qt.Key.Key_6, Qt.KeyboardModifier.AltModifier)
    assert person.tabs.currentWidget() is person.path_tab
    tab = person.path_tab
    qtbot.waitUntil(
        lambda: tab.data is not None and tab.data.person_id == person_id, timeout=10_000
    )
    return tab


def test_orientation_contract_and_hours_from_the_keyboard(app, seeded, qtbot) -> None:
    person_id = seeded.persons["eloise"]
    tab = open_path(app, qtbot, person_id)
    assert not tab.reorient_button.isEnabled()  # nothing to revise yet
    assert not tab.sign_button.isEnabled()

    press(qtbot, tab.orient_button)
    dialog = dialog_of(tab, OrientationDialog, qtbot)
    assert isinstance(dialog, OrientationDialog)
    dialog.track.setFocus()
    QTest.keyClicks(dialog.track, "Socio")
    assert dialog.track.currentData() == "socio_professional"
    retype(dialog.decided_on, "31/02/2026")
    submit(qtbot, dialog, dialog.decided_on)
    assert "Date impossible" in dialog.fields.error_text("decided_on")
    assert dialog.isVisible()
    retype(dialog.decided_on, fr(TODAY - timedelta(days=27)))
    QTest.keyClick(dialog.decided_on, Qt.Key.Key_Tab)  # → notified on
    QTest.keyClicks(dialog.notified_on, fr(TODAY - timedelta(days=28)))  # before the decision
    submit(qtbot, dialog, dialog.notified_on)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("notified_on")), timeout=5_000)
    assert "précéder" in dialog.fields.error_text("notified_on")
    retype(dialog.notified_on, fr(TODAY - timedelta(days=26)))
    dialog.impacts["mobilite"].setFocus()
    QTest.keyClicks(dialog.impacts["mobilite"], "Impact f")
    submit(qtbot, dialog, dialog.notified_on)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(
        lambda: (
            tab.orientation_tree.topLevelItemCount() == 1
            and tab.data is not None
            and bool(tab.data.decisions)
        ),
        timeout=10_000,
    )
    assert tab.orientation_tree.topLevelItem(0).text(1) == "Socio-professionnelle"
    # Who decided and the criteria recorded are shown for the chosen decision (item 1).
    assert tab.decision_label.isVisibleTo(tab)
    details = tab.decision_label.text()
    assert f"Décidée le {fr(TODAY - timedelta(days=27))} par " in details, details
    assert "Mobilité (Impact fort)" in details, details
    # The contract's month runs from the notification: due in a few days, shown.
    assert "Contrat d'engagement à signer" in tab.deadlines.text()

    # A lowered floor needs its reason; then the draft, its signature.
    press(qtbot, tab.draft_button)
    contract = dialog_of(tab, ContractDialog, qtbot)
    assert isinstance(contract, ContractDialog)
    QTest.keyClicks(contract.objectives, "Reprendre une formation")
    retype(contract.floor, "10")
    submit(qtbot, contract, contract.floor)
    qtbot.waitUntil(lambda: bool(contract.fields.error_text("floor_reason")), timeout=5_000)
    contract.reason.setFocus()
    QTest.keyClicks(contract.reason, "Parent")
    assert contract.reason.currentData() == "parent_isole_sans_garde"
    submit(qtbot, contract, contract.floor)
    qtbot.waitUntil(lambda: gone(contract), timeout=10_000)
    qtbot.waitUntil(lambda: tab.sign_button.isEnabled(), timeout=10_000)
    press(qtbot, tab.sign_button)
    sign = dialog_of(tab, SignContractDialog, qtbot)
    assert isinstance(sign, SignContractDialog)
    submit(qtbot, sign, sign.signed_on)
    qtbot.waitUntil(lambda: gone(sign), timeout=10_000)
    qtbot.waitUntil(lambda: tab.renew_button.isEnabled(), timeout=10_000)  # signed
    assert tab.add_action_button.isEnabled()
    assert "Contrat d'engagement à signer" not in tab.deadlines.text()

    # Plan actions with their hours: under the 10-hour floor, then above it.
    press(qtbot, tab.add_action_button)
    action = dialog_of(tab, PlanActionDialog, qtbot)
    assert isinstance(action, PlanActionDialog)
    QTest.keyClicks(action.label, "Atelier CV")
    QTest.keyClick(action.label, Qt.Key.Key_Tab)
    QTest.keyClicks(action.partner, "Mission locale")
    QTest.keyClick(action.partner, Qt.Key.Key_Tab)
    QTest.keyClicks(action.hours, "sept")
    submit(qtbot, action, action.hours)
    assert "Heures invalides" in action.fields.error_text("planned_minutes_week")
    retype(action.hours, "7 h 30")
    submit(qtbot, action, action.hours)
    qtbot.waitUntil(lambda: gone(action), timeout=10_000)
    qtbot.waitUntil(lambda: tab.plan_tree.topLevelItemCount() == 1, timeout=10_000)
    wait_idle(qtbot, app)
    assert tab.gauge.below and tab.gauge.floor == 600 and tab.gauge.planned == 450
    assert "sous le plancher" in tab.gauge_label.text()
    assert "Parent isolé" in tab.gauge_label.text()
    assert "Sous le plancher d'heures" in tab.deadlines.text()

    tab.plan_tree.setFocus()
    QTest.keyClick(tab.plan_tree, Qt.Key.Key_Return)  # Enter on the action: its hours
    hours = dialog_of(tab, HoursDialog, qtbot)
    assert isinstance(hours, HoursDialog)
    retype(hours.planned, "11")
    QTest.keyClick(hours.planned, Qt.Key.Key_Tab)
    QTest.keyClicks(hours.done_hours, "6,5")
    submit(qtbot, hours, hours.done_hours)
    qtbot.waitUntil(lambda: gone(hours), timeout=10_000)
    qtbot.waitUntil(lambda: not tab.gauge.below, timeout=10_000)
    assert tab.gauge.done == 390
    with store_of(app).read() as session:
        saved = session.execute(select(Action).where(Action.contract_id.is_not(None))).scalar_one()
        assert (saved.planned_minutes_week, saved.done_minutes_week) == (660, 390)
        contract_row = session.execute(select(EngagementContract)).scalar_one()
        assert (contract_row.state, contract_row.weekly_floor_minutes) == ("signed", 600)
        assert session.execute(select(OrientationDecision)).scalar_one().impact_mobility == "fort"


def test_reorientation_breach_and_closing(app, seeded, qtbot) -> None:
    person_id = seeded.persons["zoe"]
    tab = open_path(app, qtbot, person_id)
    press(qtbot, tab.orient_button)
    dialog = dialog_of(tab, OrientationDialog, qtbot)
    submit(qtbot, dialog, dialog.decided_on)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: tab.reorient_button.isEnabled(), timeout=10_000)

    press(qtbot, tab.reorient_button)
    request = dialog_of(tab, ReorientationDialog, qtbot)
    assert isinstance(request, ReorientationDialog)
    request.track.setFocus()
    QTest.keyClicks(request.track, "Sociale")  # the current track: refused beside the field
    request.save_button.setFocus()
    QTest.keyClick(request.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(request.fields.error_text("requested_track")), timeout=5_000)
    assert "déjà orientée" in request.fields.error_text("requested_track")
    request.track.setFocus()
    QTest.qWait(QApplication.keyboardInputInterval() + 50)  # a new type-ahead search
    QTest.keyClicks(request.track, "Prof")
    assert request.track.currentData() == "professional"
    request.save_button.setFocus()
    QTest.keyClick(request.save_button, Qt.Key.Key_Space)  # empty reason: refused
    qtbot.waitUntil(lambda: bool(request.fields.error_text("reason")), timeout=5_000)
    QTest.keyClicks(request.reason, "Sante degradee depuis juillet")  # keyClicks: ASCII only
    request.save_button.setFocus()
    QTest.keyClick(request.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: gone(request), timeout=10_000)
    qtbot.waitUntil(
        lambda: (
            tab.requests_tree.topLevelItemCount() == 1
            and tab.requests_tree.topLevelItem(0).text(3) == "En attente de décision"
        ),
        timeout=10_000,
    )
    assert not tab.reorient_button.isEnabled()  # one request at a time

    press(qtbot, tab.breach_button)
    breach = dialog_of(tab, BreachDialog, qtbot)
    assert isinstance(breach, BreachDialog)
    QTest.keyClicks(breach.occurred_on, fr(TODAY - timedelta(days=5)))
    QTest.keyClick(breach.occurred_on, Qt.Key.Key_Tab)
    QTest.keyClicks(breach.invited_on, fr(TODAY - timedelta(days=2)))
    submit(qtbot, breach, breach.invited_on)
    qtbot.waitUntil(lambda: gone(breach), timeout=10_000)
    qtbot.waitUntil(lambda: tab.breach_tree.topLevelItemCount() == 1, timeout=10_000)
    assert tab.breach_card.isVisible()

    press(qtbot, tab.close_button)
    closing = dialog_of(tab, ClosingDialog, qtbot)
    assert isinstance(closing, ClosingDialog)
    closing.reason.setFocus()
    QTest.keyClicks(closing.reason, "Form")
    QTest.keyClicks(closing.outcome, "Formation d'aide-soignante")
    submit(qtbot, closing, closing.closed_on)
    qtbot.waitUntil(lambda: gone(closing), timeout=10_000)
    qtbot.waitUntil(lambda: "Clos le" in tab.closing_label.text(), timeout=10_000)
    assert not tab.orient_button.isEnabled() and not tab.close_button.isEnabled()
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        assert session.execute(select(ReorientationRequest)).scalar_one().status == "pending"
        assert session.execute(select(Breach)).scalar_one().sensitive
        review = session.execute(select(ClosingReview)).scalar_one()
        assert review.exit_reason == "formation"
        person = session.get(Person, person_id)
        assert person is not None and person.follow_up_status == "sorti"


def test_supervisor_sees_the_path_read_only(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    from spie_desktop.services import path
    from spie_desktop.store.store import Actor, Store
    from tests.ui.conftest import PASSPHRASE, unlock

    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    try:
        actor = Actor(seeded.referent_id, store.device_id)
        with store.write() as session:
            path.record_orientation(
                session,
                actor,
                seeded.persons["eloise"],
                track="social",
                decided_on=TODAY - timedelta(days=200),
            )
            path.record_breach(
                session,
                actor,
                seeded.persons["eloise"],
                kind="rdv_manque",
                occurred_on=TODAY - timedelta(days=3),
            )
            store.set_state(session, "user_role", "supervisor")
    finally:
        store.close()
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, seeded.persons["eloise"])
    assert tab.orientation_tree.topLevelItemCount() == 1
    assert "réexamen à 6 mois" in tab.orientation_tree.topLevelItem(0).text(4)
    assert "Réexamen de l'orientation sociale" in tab.deadlines.text()
    assert tab.breach_card.isVisibleTo(tab) and tab.breach_tree.topLevelItemCount() == 1
    for widget in (tab.orient_button, tab.draft_button, tab.close_button, tab.breach_button):
        assert not widget.isEnabled()
