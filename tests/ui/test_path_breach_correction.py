"""Correcting a mistyped breach decision from the « Parcours » tab, from the keyboard; and
the pending reorientation request shown once at 1366 × 768 (issue 13).

The correction opens on the recorded decision, refuses what a first decision refuses
(a future date, a percentage out of bounds, a half-typed date, the same decision again),
Escape writes nothing; saved, the wrong decision stays under the corrected one, marked
« Décision corrigée » with who and when; the supervisor sees the history and is offered no
correction (the server refuses her path rows)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QTreeWidget, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.models import AuditEvent, Breach
from spie_desktop.services import path
from spie_desktop.store.store import Actor
from tests.ui.conftest import gone, unlock, wait_idle
from tests.ui.test_path_decisions import escape, outbox_count, prepare
from tests.ui.test_path_tab import TODAY, dialog_of, fr, open_path, press, retype, submit
from tests.ui.test_person_file import store_of
from ui.dialogs.path import BreachDecisionDialog

DAY = timedelta(days=1)


def decided(person_id):  # type: ignore[no-untyped-def]
    def start(session: Session, actor: Actor) -> None:
        breach = path.record_breach(
            session,
            actor,
            person_id,
            kind="rdv_manque",
            occurred_on=TODAY - 20 * DAY,
            invited_on=TODAY - 15 * DAY,
            observations="Enfant malade",
        )
        session.flush()
        path.decide_breach(
            session,
            actor,
            breach.id,
            decision="suspension_partielle",
            decision_on=TODAY - 10 * DAY,
            percent=80,  # mistyped: 30 was decided
            months=2,
            remobilised_on=TODAY + 50 * DAY,
        )

    return start


def test_correcting_a_mistyped_breach_decision(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["zoe"]
    prepare(seeded, decided(person_id))
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    store = store_of(parts)
    top = tab.breach_tree.topLevelItem(0)
    assert "80 %, 2 mois" in top.text(3) and top.childCount() == 0
    assert not tab.decide_button.isEnabled()  # decided: no second decision in place
    assert tab.correct_button.isVisibleTo(tab) and tab.correct_button.isEnabled()
    before = outbox_count(store)

    press(qtbot, tab.correct_button)
    dialog = dialog_of(tab, BreachDecisionDialog, qtbot)
    assert isinstance(dialog, BreachDecisionDialog) and dialog.correcting
    assert "Corriger" in dialog.windowTitle()
    # It opens on the decision as recorded; what the person said is not corrected here.
    assert dialog.decision.currentData() == "suspension_partielle"
    assert (dialog.percent.text(), dialog.months.text()) == ("80", "2")
    assert dialog.decision_on.text() == fr(TODAY - 10 * DAY)
    assert dialog.remobilised_on.text() == fr(TODAY + 50 * DAY)
    assert not dialog.invited_on.isEnabled() and not dialog.observations.isVisibleTo(dialog)
    submit(qtbot, dialog, dialog.percent)  # unchanged: refused
    qtbot.waitUntil(lambda: bool(dialog.error.text() or dialog.fields.error_text("decision")))
    assert "identique" in (dialog.error.text() + dialog.fields.error_text("decision"))
    retype(dialog.percent, "150")
    submit(qtbot, dialog, dialog.percent)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("decision_percent")), timeout=5_000)
    assert "1 à 100" in dialog.fields.error_text("decision_percent")
    retype(dialog.percent, "30")
    retype(dialog.decision_on, "2/1")  # half-typed
    submit(qtbot, dialog, dialog.percent)
    assert "Date illisible" in dialog.fields.error_text("decision_on")
    retype(dialog.decision_on, fr(TODAY + DAY))  # in the future
    submit(qtbot, dialog, dialog.percent)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("decision_on")), timeout=5_000)
    assert "futur" in dialog.fields.error_text("decision_on")
    escape(qtbot, dialog)  # Escape: nothing written
    wait_idle(qtbot, parts)
    assert outbox_count(store) == before
    with store.read() as session:
        assert session.execute(select(Breach)).scalar_one().decision_percent == 80

    press(qtbot, tab.correct_button)
    dialog = dialog_of(tab, BreachDecisionDialog, qtbot)
    assert isinstance(dialog, BreachDecisionDialog)
    retype(dialog.percent, "30")
    submit(qtbot, dialog, dialog.percent)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: tab.breach_tree.topLevelItem(0).childCount() == 1, timeout=10_000)
    top = tab.breach_tree.topLevelItem(0)
    assert "30 %, 2 mois" in top.text(3) and "(corrigée)" in top.text(3)
    old = top.child(0)
    assert old.text(1) == "Décision corrigée"
    assert "80 %, 2 mois" in old.text(3)
    assert f"corrigée le {fr(TODAY)} par " in old.text(3)
    assert tab.breach_tree.topLevelItemCount() == 1  # one breach, two decisions
    wait_idle(qtbot, parts)
    with store.read() as session:
        rows = session.execute(select(Breach).order_by(Breach.created_at)).scalars().all()
        assert [(r.decision_percent, r.deleted_at is None) for r in rows] == [
            (80, False),
            (30, True),
        ]
        assert rows[0].deleted_at == rows[1].created_at
        assert session.execute(
            select(AuditEvent).where(AuditEvent.detail.like("correction%"))
        ).scalar_one()
    assert outbox_count(store) > before


def test_the_supervisor_sees_the_correction_and_corrects_nothing(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["zoe"]

    def start(session: Session, actor: Actor) -> None:
        decided(person_id)(session, actor)
        session.flush()
        breach = session.execute(select(Breach)).scalar_one()
        path.correct_breach_decision(
            session,
            actor,
            breach.id,
            decision="suspension_partielle",
            decision_on=TODAY - 10 * DAY,
            percent=30,
            months=2,
            remobilised_on=TODAY + 50 * DAY,
        )

    prepare(seeded, start, role="supervisor")
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    top = tab.breach_tree.topLevelItem(0)
    assert top.childCount() == 1 and "80 %" in top.child(0).text(3)
    assert not tab.correct_button.isVisibleTo(tab) and not tab.correct_button.isEnabled()
    tab.breach_tree.setCurrentItem(top.child(0))  # the old row chosen: still its breach
    assert not tab.correct_button.isEnabled() and tab.reveal_button.isEnabled()


def _visible_texts(root: QWidget) -> list[str]:
    """Every text a user sees in ``root``: labels, buttons, tree cells of shown trees."""
    texts: list[str] = []
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root) and label.text():
            texts.append(label.text())
    for push in root.findChildren(QAbstractButton):
        if push.isVisibleTo(root):
            texts.append(push.text())
    for tree in root.findChildren(QTreeWidget):
        if not tree.isVisibleTo(root):
            continue
        for index in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(index)
            texts.extend(item.text(c) for c in range(tree.columnCount()))
    return texts


def test_the_pending_request_shows_once_at_1366(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["eloise"]
    reason = "Hospitalisation longue a Nevers"

    def start(session: Session, actor: Actor) -> None:
        path.record_orientation(
            session, actor, person_id, track="professional", decided_on=TODAY - 40 * DAY
        )
        path.request_reorientation(
            session,
            actor,
            person_id,
            requested_track="social",
            reason=reason,
            requested_on=TODAY - 5 * DAY,
        )

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    for size in ((1366, 768), (1920, 1080)):
        parts.window.resize(*size)
        tab = open_path(parts, qtbot, person_id)
        QTest.qWait(50)
        texts = _visible_texts(tab)
        assert sum(reason in text for text in texts) == 1, (size, texts)
        assert sum("En attente" in text or "en attente" in text for text in texts) == 1
        row = tab.requests_tree.topLevelItem(0)
        assert row.toolTip(2) == reason and row.font(3).bold()
        # The request's row is inside the window, not scrolled out of the Orientation card.
        assert tab.requests_tree.isVisibleTo(tab)
