"""The « Parcours » tab's decision screens driven from the keyboard: the decision on a
reorientation request (track, structure, date, notification) and its history; the
department's decision on a breach and the audited reading of the person's observations;
ending a contract; the closing review that starts the retention clock. Half-typed dates,
reversed dates, a percentage of 150, an empty reason, Escape that changes nothing; the rows
written are read back from the store. The supervisor is not offered what the server refuses."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spie_desktop.domain.models import (
    AuditEvent,
    Breach,
    ClosingReview,
    EngagementContract,
    OrientationDecision,
    Person,
    ReorientationRequest,
)
from spie_desktop.services import path
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store
from tests.ui.conftest import PASSPHRASE, gone, unlock, wait_idle
from tests.ui.test_caseload import names, settle
from tests.ui.test_path_tab import TODAY, dialog_of, fr, open_path, press, retype, submit
from tests.ui.test_person_file import store_of
from ui.dialogs.path import (
    AnswerReorientationDialog,
    BreachDecisionDialog,
    ClosingDialog,
    ContractDialog,
    EndContractDialog,
    NotifyOrientationDialog,
    SignContractDialog,
)

DAY = timedelta(days=1)


def prepare(seeded, work: Callable[[Session, Actor], None], *, role: str = "") -> None:  # type: ignore[no-untyped-def]
    """Write the starting rows through the services, before the app opens the store."""
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    try:
        actor = Actor(seeded.referent_id, store.device_id)
        with store.write() as session:
            work(session, actor)
            if role:
                store.set_state(session, "user_role", role)
    finally:
        store.close()


def escape(qtbot, dialog: QWidget) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(dialog), timeout=5_000)


def outbox_count(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one())


def choose(qtbot, combo: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type-ahead in a combo box (a fresh search each time)."""
    combo.setFocus()
    QTest.qWait(QApplication.keyboardInputInterval() + 50)
    QTest.keyClicks(combo, text)


def test_deciding_a_reorientation_request(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["eloise"]

    def start(session: Session, actor: Actor) -> None:
        path.record_orientation(
            session, actor, person_id, track="professional", decided_on=TODAY - 40 * DAY
        )
        path.request_reorientation(
            session,
            actor,
            person_id,
            requested_track="social",
            reason="Hospitalisation longue",
            requested_on=TODAY - 5 * DAY,
        )

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    store = store_of(parts)
    assert tab.answer_button.isVisibleTo(tab) and tab.answer_button.isEnabled()
    assert tab.requests_tree.topLevelItemCount() == 1
    assert tab.requests_tree.topLevelItem(0).text(3) == "En attente de décision"
    before = outbox_count(store)

    press(qtbot, tab.answer_button)
    dialog = dialog_of(tab, AnswerReorientationDialog, qtbot)
    assert isinstance(dialog, AnswerReorientationDialog)
    assert "Hospitalisation longue" in dialog.summary.text()
    qtbot.waitUntil(lambda: dialog.decision.hasFocus(), timeout=5_000)  # opens on the decision
    retype(dialog.answered_on, "15/03/")  # half-typed
    submit(qtbot, dialog, dialog.answered_on)
    assert "Date illisible" in dialog.fields.error_text("answered_on")
    retype(dialog.answered_on, fr(TODAY - 6 * DAY))  # before the request
    submit(qtbot, dialog, dialog.answered_on)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("answered_on")), timeout=5_000)
    assert "précéder la demande" in dialog.fields.error_text("answered_on")
    retype(dialog.answered_on, fr(TODAY - DAY))
    choose(qtbot, dialog.decision, "Ref")  # refused: the reason is required
    assert dialog.decision.currentData() is False
    assert not dialog.structure.isEnabled() and not dialog.notified_on.isEnabled()
    submit(qtbot, dialog, dialog.answered_on)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("comment")), timeout=5_000)
    assert "obligatoire" in dialog.fields.error_text("comment")
    escape(qtbot, dialog)  # Escape: nothing written
    wait_idle(qtbot, parts)
    assert outbox_count(store) == before
    with store.read() as session:
        request = session.execute(select(ReorientationRequest)).scalar_one()
        assert (request.status, request.answered_on) == ("pending", None)

    press(qtbot, tab.answer_button)
    dialog = dialog_of(tab, AnswerReorientationDialog, qtbot)
    assert isinstance(dialog, AnswerReorientationDialog)
    assert dialog.decision.currentData() is True  # nothing kept from the cancelled one
    retype(dialog.answered_on, fr(TODAY - DAY))
    dialog.structure.setFocus()
    QTest.keyClicks(dialog.structure, "CCAS de Nevers")
    QTest.keyClick(dialog.structure, Qt.Key.Key_Tab)  # → notified on
    QTest.keyClicks(dialog.notified_on, fr(TODAY - 3 * DAY))  # before the decision
    submit(qtbot, dialog, dialog.notified_on)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("notified_on")), timeout=5_000)
    assert "précéder" in dialog.fields.error_text("notified_on")
    retype(dialog.notified_on, fr(TODAY))
    choose(qtbot, dialog.obstacle, "Sant")
    assert dialog.obstacle.currentData() == "sante"
    submit(qtbot, dialog, dialog.notified_on)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: tab.orientation_tree.topLevelItemCount() == 2, timeout=10_000)
    top = tab.orientation_tree.topLevelItem(0)
    assert (top.text(1), top.text(2), top.text(3)) == ("Sociale", "CCAS de Nevers", fr(TODAY))
    assert top.text(4) == "réexamen à 12 mois"
    assert tab.requests_tree.topLevelItem(0).text(3) == "Acceptée"
    assert tab.requests_tree.topLevelItem(0).text(4) == fr(TODAY - DAY)
    assert not tab.answer_button.isVisibleTo(tab)
    assert tab.reorient_button.isEnabled()  # a new request may be made
    with store.read() as session:
        request = session.execute(select(ReorientationRequest)).scalar_one()
        decision = session.get(OrientationDecision, request.decision_id)
        assert request.status == "accepted" and decision is not None
        assert (decision.track, decision.structure_name) == ("social", "CCAS de Nevers")
        assert (decision.decided_on, decision.notified_on) == (TODAY - DAY, TODAY)
        person = session.get(Person, person_id)
        assert person is not None and person.orientation == "social"


def test_breach_decision_and_observations(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["zoe"]

    def start(session: Session, actor: Actor) -> None:
        path.record_breach(
            session,
            actor,
            person_id,
            kind="rdv_manque",
            occurred_on=TODAY - 20 * DAY,
            invited_on=TODAY - 15 * DAY,
            observations="Enfant malade ce jour-la",
        )

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    store = store_of(parts)
    assert tab.breach_tree.topLevelItemCount() == 1
    assert tab.breach_tree.topLevelItem(0).text(3) == "en attente"
    assert not tab.observations_label.isVisibleTo(tab)  # never shown unasked
    before = outbox_count(store)

    press(qtbot, tab.decide_button)
    dialog = dialog_of(tab, BreachDecisionDialog, qtbot)
    assert isinstance(dialog, BreachDecisionDialog)
    assert dialog.invited_on.text() == fr(TODAY - 15 * DAY)
    choose(qtbot, dialog.decision, "Suspension-remobilisation p")
    assert dialog.decision.currentData() == "suspension_partielle"
    assert dialog.percent.isEnabled() and dialog.months.isEnabled()
    dialog.percent.setFocus()
    QTest.keyClicks(dialog.percent, "150")
    dialog.months.setFocus()
    QTest.keyClicks(dialog.months, "2")
    submit(qtbot, dialog, dialog.months)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("decision_percent")), timeout=5_000)
    assert "1 à 100" in dialog.fields.error_text("decision_percent")
    retype(dialog.percent, "trente")
    submit(qtbot, dialog, dialog.percent)
    assert "Pourcentage invalide" in dialog.fields.error_text("decision_percent")
    retype(dialog.percent, "30")
    retype(dialog.months, "")  # a suspension needs its duration
    submit(qtbot, dialog, dialog.percent)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("decision_months")), timeout=5_000)
    retype(dialog.months, "2")
    retype(dialog.decision_on, "3/1")  # half-typed
    submit(qtbot, dialog, dialog.months)
    assert "Date illisible" in dialog.fields.error_text("decision_on")
    retype(dialog.decision_on, fr(TODAY - 16 * DAY))  # before the invitation
    submit(qtbot, dialog, dialog.months)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("decision_on")), timeout=5_000)
    assert "invitation" in dialog.fields.error_text("decision_on")
    retype(dialog.decision_on, fr(TODAY - DAY))
    retype(dialog.remobilised_on, fr(TODAY - 2 * DAY))  # before the decision
    submit(qtbot, dialog, dialog.months)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("remobilised_on")), timeout=5_000)
    escape(qtbot, dialog)
    wait_idle(qtbot, parts)
    assert outbox_count(store) == before
    with store.read() as session:
        assert session.execute(select(Breach)).scalar_one().decision is None

    tab.breach_tree.setFocus()
    QTest.keyClick(tab.breach_tree, Qt.Key.Key_Return)  # Enter on the breach: its decision
    dialog = dialog_of(tab, BreachDecisionDialog, qtbot)
    assert isinstance(dialog, BreachDecisionDialog)
    choose(qtbot, dialog.decision, "Suspension-remobilisation p")
    dialog.percent.setFocus()
    QTest.keyClicks(dialog.percent, "30 %")
    dialog.months.setFocus()
    QTest.keyClicks(dialog.months, "2")
    retype(dialog.decision_on, fr(TODAY - DAY))
    retype(dialog.remobilised_on, fr(TODAY + 59 * DAY))
    submit(qtbot, dialog, dialog.months)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(
        lambda: "30 %, 2 mois" in tab.breach_tree.topLevelItem(0).text(3), timeout=10_000
    )
    assert tab.breach_tree.topLevelItem(0).text(4) == fr(TODAY + 59 * DAY)
    assert not tab.decide_button.isEnabled()  # decided once
    with store.read() as session:
        breach = session.execute(select(Breach)).scalar_one()
        assert (breach.decision, breach.decision_percent, breach.decision_months) == (
            "suspension_partielle",
            30,
            2,
        )
        assert (breach.decision_on, breach.remobilised_on) == (TODAY - DAY, TODAY + 59 * DAY)
        assert breach.observations == "Enfant malade ce jour-la"  # left empty: unchanged
        reveals = session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reveal")
        ).scalar_one()

    press(qtbot, tab.reveal_button)
    qtbot.waitUntil(lambda: tab.observations_label.isVisibleTo(tab), timeout=10_000)
    assert "Enfant malade" in tab.observations_label.text()
    wait_idle(qtbot, parts)
    with store.read() as session:
        assert (
            session.execute(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reveal")
            ).scalar_one()
            == reveals + 1
        )


def test_ending_the_contract_then_the_accompaniment(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["eloise"]
    ids: dict[str, uuid.UUID] = {}

    def start(session: Session, actor: Actor) -> None:
        contract = path.draft_contract(session, actor, person_id, starts_on=TODAY - 30 * DAY)
        session.flush()
        path.sign_contract(session, actor, contract.id, signed_on=TODAY - 30 * DAY)
        ids["contract"] = contract.id

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    store = store_of(parts)
    assert tab.end_button.isEnabled() and not tab.draft_button.isEnabled()
    before = outbox_count(store)

    press(qtbot, tab.end_button)
    end = dialog_of(tab, EndContractDialog, qtbot)
    assert isinstance(end, EndContractDialog)
    retype(end.ended_on, fr(TODAY - 31 * DAY))  # before the contract's start
    submit(qtbot, end, end.ended_on)
    qtbot.waitUntil(lambda: bool(end.fields.error_text("ended_on")), timeout=5_000)
    assert "précède son début" in end.fields.error_text("ended_on")
    retype(end.ended_on, "")
    submit(qtbot, end, end.ended_on)
    qtbot.waitUntil(lambda: bool(end.fields.error_text("ended_on")), timeout=5_000)
    assert "obligatoire" in end.fields.error_text("ended_on")
    escape(qtbot, end)
    wait_idle(qtbot, parts)
    assert outbox_count(store) == before
    with store.read() as session:
        assert session.get(EngagementContract, ids["contract"]).state == "signed"  # type: ignore[union-attr]

    press(qtbot, tab.end_button)
    end = dialog_of(tab, EndContractDialog, qtbot)
    assert isinstance(end, EndContractDialog)
    assert end.ended_on.text() == fr(TODAY)
    submit(qtbot, end, end.ended_on)
    qtbot.waitUntil(lambda: gone(end), timeout=10_000)
    qtbot.waitUntil(lambda: tab.draft_button.isEnabled(), timeout=10_000)  # no contract in force
    assert tab.versions_tree.topLevelItem(0).text(1) == "Terminé"
    assert not tab.end_button.isEnabled()
    with store.read() as session:
        row = session.get(EngagementContract, ids["contract"])
        assert row is not None and (row.state, row.ends_on) == ("ended", TODAY)

    # The closing review: the exit reason from the referential, a written outcome, a date.
    before = outbox_count(store)
    press(qtbot, tab.close_button)
    closing = dialog_of(tab, ClosingDialog, qtbot)
    assert isinstance(closing, ClosingDialog)
    choose(qtbot, closing.reason, "Emploi")
    retype(closing.closed_on, "15/03/")
    submit(qtbot, closing, closing.closed_on)
    assert "Date illisible" in closing.fields.error_text("closed_on")
    retype(closing.closed_on, fr(TODAY + DAY))  # in the future
    submit(qtbot, closing, closing.closed_on)
    qtbot.waitUntil(lambda: bool(closing.fields.error_text("closed_on")), timeout=5_000)
    assert "futur" in closing.fields.error_text("closed_on")
    retype(closing.closed_on, fr(TODAY - DAY))
    submit(qtbot, closing, closing.closed_on)  # empty outcome
    qtbot.waitUntil(lambda: bool(closing.fields.error_text("outcome")), timeout=5_000)
    escape(qtbot, closing)
    wait_idle(qtbot, parts)
    assert outbox_count(store) == before
    with store.read() as session:
        person = session.get(Person, person_id)
        assert person is not None and person.closed_on is None

    press(qtbot, closing_button := tab.close_button)
    closing = dialog_of(tab, ClosingDialog, qtbot)
    assert isinstance(closing, ClosingDialog)
    choose(qtbot, closing.reason, "Emploi")
    assert closing.reason.currentData() == "emploi_durable"
    retype(closing.closed_on, fr(TODAY - DAY))
    closing.outcome.setFocus()
    QTest.keyClicks(closing.outcome, "CDI d'aide a domicile")
    submit(qtbot, closing, closing.closed_on)
    qtbot.waitUntil(lambda: gone(closing), timeout=10_000)
    qtbot.waitUntil(lambda: "Clos le" in tab.closing_label.text(), timeout=10_000)
    assert "Emploi durable" in tab.closing_label.text()
    assert "conservation" in tab.closing_label.text()
    assert not closing_button.isEnabled() and not tab.draft_button.isEnabled()
    with store.read() as session:
        review = session.execute(select(ClosingReview)).scalar_one()
        assert (review.exit_reason, review.closed_on) == ("emploi_durable", TODAY - DAY)
        person = session.get(Person, person_id)
        assert person is not None
        # The retention clock starts on the closing date.
        assert (person.follow_up_status, person.closed_on) == ("sorti", TODAY - DAY)


def test_supervisor_reads_breach_observations_but_decides_nothing(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["eloise"]

    def start(session: Session, actor: Actor) -> None:
        path.record_orientation(
            session, actor, person_id, track="professional", decided_on=TODAY - 40 * DAY
        )
        path.request_reorientation(
            session, actor, person_id, requested_track="social", reason="Sante"
        )
        contract = path.draft_contract(session, actor, person_id)
        session.flush()
        path.record_breach(
            session,
            actor,
            person_id,
            kind="rdv_manque",
            occurred_on=TODAY - 3 * DAY,
            invited_on=TODAY - 2 * DAY,
            observations="Panne de voiture",
            contract_id=contract.id,
        )

    prepare(seeded, start, role="supervisor")
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    # The server refuses a supervisor's writes on the path: none is offered.
    for widget in (tab.answer_button, tab.decide_button, tab.end_button, tab.breach_button):
        assert not widget.isEnabled(), widget.accessibleName()
    assert tab.requests_tree.topLevelItemCount() == 1
    # Reading the observations is allowed to her, and audited (an append-only audit event).
    press(qtbot, tab.reveal_button)
    qtbot.waitUntil(lambda: tab.observations_label.isVisibleTo(tab), timeout=10_000)
    assert "Panne de voiture" in tab.observations_label.text()
    wait_idle(qtbot, parts)
    with store_of(parts).read() as session:
        assert session.execute(select(Breach)).scalar_one().decision is None
        assert (
            session.execute(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reveal")
            ).scalar_one()
            == 1
        )


def test_notifying_an_orientation_opens_the_contract_month(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    person_id = seeded.persons["eloise"]

    def start(session: Session, actor: Actor) -> None:
        path.record_orientation(
            session, actor, person_id, track="professional", decided_on=TODAY - 30 * DAY
        )

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    store = store_of(parts)
    # Not notified yet: the month is counted from the decision, due today.
    assert f"Contrat d'engagement à signer avant le {fr(TODAY)}" in tab.deadlines.text()
    before = outbox_count(store)
    press(qtbot, tab.notify_button)
    dialog = dialog_of(tab, NotifyOrientationDialog, qtbot)
    assert isinstance(dialog, NotifyOrientationDialog)
    assert fr(TODAY - 30 * DAY) in dialog.summary.text()
    retype(dialog.notified_on, "15/03/")
    submit(qtbot, dialog, dialog.notified_on)
    assert "Date illisible" in dialog.fields.error_text("notified_on")
    retype(dialog.notified_on, fr(TODAY - 31 * DAY))  # before the decision
    submit(qtbot, dialog, dialog.notified_on)
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("notified_on")), timeout=5_000)
    assert "précéder" in dialog.fields.error_text("notified_on")
    escape(qtbot, dialog)
    wait_idle(qtbot, parts)
    assert outbox_count(store) == before
    with store.read() as session:
        assert session.execute(select(OrientationDecision)).scalar_one().notified_on is None

    press(qtbot, tab.notify_button)
    dialog = dialog_of(tab, NotifyOrientationDialog, qtbot)
    assert isinstance(dialog, NotifyOrientationDialog)
    retype(dialog.notified_on, fr(TODAY - 29 * DAY))
    submit(qtbot, dialog, dialog.notified_on)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(
        lambda: tab.orientation_tree.topLevelItem(0).text(3) == fr(TODAY - 29 * DAY),
        timeout=10_000,
    )
    assert not tab.notify_button.isEnabled()  # notified once
    # The month now runs from the notification: due in a day or two.
    qtbot.waitUntil(lambda: "dans " in tab.deadlines.text(), timeout=10_000)
    assert "Contrat d'engagement à signer avant le" in tab.deadlines.text()
    assert fr(TODAY) not in tab.deadlines.text()
    with store.read() as session:
        decision = session.execute(select(OrientationDecision)).scalar_one()
        assert decision.notified_on == TODAY - 29 * DAY


def test_below_floor_filter_lists_who_is_under_their_floor(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    zoe, eloise = seeded.persons["zoe"], seeded.persons["eloise"]

    def start(session: Session, actor: Actor) -> None:
        for person_id, minutes in ((zoe, 600), (eloise, 960)):
            contract = path.draft_contract(session, actor, person_id)
            session.flush()
            path.sign_contract(session, actor, contract.id, signed_on=TODAY - 5 * DAY)
            path.add_plan_action(
                session,
                actor,
                contract.id,
                custom_label="Atelier",
                planned_minutes_week=minutes,
            )

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    view = parts.window.caseload
    settle(qtbot, parts)
    view.alert_filter.setFocus()
    QTest.keyClicks(view.alert_filter, "Sous le p")
    assert view.alert_filter.currentData() == "below_floor"
    settle(qtbot, parts)
    assert names(parts) == ["ABADIE Zoé"]  # 10 h of 15; Éloïse plans 16 h


def test_a_legacy_contract_converted_then_signed_and_ended(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    """draft → signed → renewed → ended, from a CER of 2024 shown as such."""
    person_id = seeded.persons["zoe"]

    def start(session: Session, actor: Actor) -> None:
        path.record_legacy_contract(
            session,
            actor,
            person_id,
            contract_type="cer",
            signed_on=date(2024, 3, 1),
            starts_on=date(2024, 3, 1),
        )

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    tab = open_path(parts, qtbot, person_id)
    store = store_of(parts)
    assert tab.versions_tree.topLevelItem(0).text(0) == "CER v1"
    assert "Ancien contrat : à convertir" in tab.contract_label.text()
    assert "Ancien contrat à convertir" in tab.deadlines.text()
    assert not tab.gauge.isVisibleTo(tab) and not tab.add_action_button.isEnabled()

    press(qtbot, tab.renew_button)  # the conversion is a new version
    renew = dialog_of(tab, ContractDialog, qtbot)
    assert isinstance(renew, ContractDialog)
    QTest.keyClicks(renew.starts_on, fr(TODAY))
    QTest.keyClick(renew.starts_on, Qt.Key.Key_Tab)
    QTest.keyClicks(renew.ends_on, fr(TODAY - DAY))  # ends before it starts
    submit(qtbot, renew, renew.ends_on)
    qtbot.waitUntil(lambda: bool(renew.fields.error_text("ends_on")), timeout=5_000)
    assert "précède son début" in renew.fields.error_text("ends_on")
    with store.read() as session:
        assert len(session.execute(select(EngagementContract)).scalars().all()) == 1
    retype(renew.ends_on, fr(TODAY + 365 * DAY))
    submit(qtbot, renew, renew.ends_on)
    qtbot.waitUntil(lambda: gone(renew), timeout=10_000)
    qtbot.waitUntil(lambda: tab.versions_tree.topLevelItemCount() == 2, timeout=10_000)
    states = [tab.versions_tree.topLevelItem(i).text(1) for i in range(2)]
    assert [tab.versions_tree.topLevelItem(i).text(0) for i in range(2)] == ["Version 2", "CER v1"]
    assert states == ["Brouillon", "Renouvelé"]
    assert tab.sign_button.isEnabled() and tab.add_action_button.isEnabled()

    press(qtbot, tab.sign_button)
    sign = dialog_of(tab, SignContractDialog, qtbot)
    assert isinstance(sign, SignContractDialog)
    submit(qtbot, sign, sign.signed_on)
    qtbot.waitUntil(lambda: gone(sign), timeout=10_000)
    qtbot.waitUntil(lambda: tab.versions_tree.topLevelItem(0).text(1) == "Signé", timeout=10_000)
    assert "Ancien contrat" not in tab.deadlines.text()
    assert tab.gauge.isVisibleTo(tab)  # a plan against the 15-hour floor now

    press(qtbot, tab.end_button)
    end = dialog_of(tab, EndContractDialog, qtbot)
    assert isinstance(end, EndContractDialog)
    submit(qtbot, end, end.ended_on)
    qtbot.waitUntil(lambda: gone(end), timeout=10_000)
    qtbot.waitUntil(lambda: tab.versions_tree.topLevelItem(0).text(1) == "Terminé", timeout=10_000)
    with store.read() as session:
        rows = {
            (c.contract_type, c.version): c.state
            for c in session.execute(select(EngagementContract)).scalars()
        }
    assert rows == {("cer", 1): "renewed", ("contrat_engagement", 2): "ended"}


def test_request_columns_fit_at_1366_by_768(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A pending request's empty « Le » column is as wide as a date and ends inside the list
    at the referent's laptop size (it shrank to its two-letter header, against the edge)."""
    person_id = seeded.persons["eloise"]

    def start(session: Session, actor: Actor) -> None:
        path.record_orientation(
            session, actor, person_id, track="professional", decided_on=TODAY - 40 * DAY
        )
        path.request_reorientation(
            session,
            actor,
            person_id,
            requested_track="social",
            reason="Problèmes de santé apparus depuis l'orientation : parcours à adapter.",
            requested_on=TODAY - 5 * DAY,
        )

    prepare(seeded, start)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    parts.window.resize(1366, 768)
    tab = open_path(parts, qtbot, person_id)
    tree = tab.requests_tree
    qtbot.waitUntil(lambda: tree.isVisible() and tree.topLevelItemCount() == 1, timeout=5_000)
    QTest.qWait(100)  # layout after the resize
    assert tree.topLevelItem(0).text(4) == ""  # not answered yet
    header = tree.header()
    date_width = tree.fontMetrics().horizontalAdvance(fr(TODAY))
    for column in (0, 4):
        assert header.sectionSize(column) >= date_width + 12, (column, header.sectionSize(column))
    last = header.count() - 1
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert right <= tree.viewport().width(), (right, tree.viewport().width())
    assert not tree.horizontalScrollBar().isVisible()
