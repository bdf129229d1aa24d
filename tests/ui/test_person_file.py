"""Person file: create a person, edit identity, appointments, barriers and actions, notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import func, select

from spie_desktop.domain.models import Action, Appointment, AuditEvent, Barrier, Note, Person
from spie_desktop.store.store import Store
from tests.ui.conftest import gone, wait_idle
from ui.dialogs.appointments import AppointmentDialog, OutcomeDialog
from ui.dialogs.barriers import FREE_TEXT, ActionDialog, BarrierDialog
from ui.dialogs.persons import NewPersonDialog


def store_of(parts) -> Store:
    store = parts.ops.store
    assert store is not None
    return store


def open_file(parts, qtbot, person_id) -> None:
    parts.window.open_person(person_id)
    qtbot.waitUntil(
        lambda: (
            parts.window.person.file is not None and parts.window.person.file.person_id == person_id
        ),
        timeout=10_000,
    )
    wait_idle(qtbot, parts)


def test_create_a_person_with_errors_beside_fields(app, qtbot) -> None:
    dialog = app.window.new_person()
    assert isinstance(dialog, NewPersonDialog)
    form = dialog.form
    form.widget("first_name").setText("Inès")
    form.widget("postal_code").setText("123")
    form.widget("birth_date").setText("31/02/1990")
    dialog.save_button.click()
    assert form.fields.error_text("last_name") == "Ce champ est obligatoire."
    assert "Code postal invalide" in form.fields.error_text("postal_code")
    assert "Date impossible" in form.fields.error_text("birth_date")
    assert form.widget("last_name").property("invalid") is True
    assert dialog.isVisible()

    form.widget("last_name").setText("Benali")
    form.widget("postal_code").setText("58000")
    form.widget("birth_date").setText("12/04/1990")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: app.window.person.title.text() == "BENALI Inès", timeout=10_000)
    wait_idle(qtbot, app)
    assert app.window.current_view == "person"
    with store_of(app).read() as session:
        person = session.execute(select(Person).where(Person.last_name == "Benali")).scalar_one()
        assert person.postal_code == "58000"
        assert person.follow_up_status == "a_contacter"
    qtbot.waitUntil(lambda: app.window.caseload.model.rowCount() == 5, timeout=10_000)


def test_identity_edit_is_validated_field_by_field(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    person.tabs.setCurrentIndex(person.TAB_IDENTITY)
    form = person.identity
    form.widget("email").setText("pas-une-adresse")
    form.widget("phone").setText("06 12 34 56 78")
    form._changed()
    assert person.identity_save.isEnabled()
    person.identity_save.click()
    assert form.fields.error_text("email") == "Adresse électronique invalide."
    form.widget("email").setText("marc.dupont@example.org")
    person.identity_save.click()
    qtbot.waitUntil(lambda: person.identity_banner.isVisible(), timeout=10_000)
    assert person.identity_banner.text() == "Modifications enregistrées."
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        saved = session.get(Person, seeded.persons["marc"])
        assert saved.email == "marc.dupont@example.org"
        assert saved.phone == "06 12 34 56 78"
    assert not person.identity_save.isEnabled()


def test_plan_then_record_an_appointment_and_plan_the_next(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    assert "Aucun rendez-vous planifié" in person.next_label.text()

    # Plan one in the past (recorded after the fact) from the always-visible banner.
    person.plan_button.click()
    dialog = next(d for d in person.findChildren(AppointmentDialog) if d.isVisible())
    past = datetime.now(UTC) - timedelta(hours=3)
    dialog.when.set_value(past)
    dialog.mode.setCurrentIndex(dialog.mode.findData("domicile"))
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("suivi"))
    dialog.place.setText("12 rue des Lilas, Nevers")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: bool(person.file and person.file.pending_outcomes), timeout=10_000)
    assert person.pending_banner.isVisible()
    assert person.outcome_button.isVisible()

    # Plan a future one too: seen/no-show are refused for it.
    person.plan_button.click()
    future_dialog = next(d for d in person.findChildren(AppointmentDialog) if d.isVisible())
    future_dialog.save_button.click()  # nothing chosen: refused beside the fields
    assert future_dialog.fields.error_text("mode") and future_dialog.fields.error_text("purpose")
    future_dialog.mode.setCurrentIndex(future_dialog.mode.findData("bureau"))
    future_dialog.purpose.setCurrentIndex(future_dialog.purpose.findData("suivi"))
    future_dialog.save_button.click()
    qtbot.waitUntil(lambda: gone(future_dialog), timeout=10_000)
    qtbot.waitUntil(lambda: bool(person.file and person.file.next_appointment), timeout=10_000)
    wait_idle(qtbot, app)
    upcoming = person.file.next_appointment
    check = person.record_outcome(upcoming)
    assert not check.status_buttons["seen"].isEnabled()
    assert not check.status_buttons["noshow"].isEnabled()
    assert check.status_buttons["excused"].isEnabled()
    check.reject()

    # Record the past one as seen; the dialog offers to plan the next (one exists already).
    person.outcome_button.click()
    outcome = next(d for d in person.findChildren(OutcomeDialog) if d.isVisible())
    outcome.select("seen")
    outcome.summary_edit.setPlainText("Point sur la recherche de logement.")
    assert outcome.plan_next.isVisible()
    outcome.plan_next.setChecked(True)
    outcome.next_when.set_value(datetime.now(UTC) + timedelta(days=20))
    outcome.save_button.click()
    qtbot.waitUntil(lambda: gone(outcome), timeout=10_000)
    qtbot.waitUntil(lambda: bool(person.file and not person.file.pending_outcomes), timeout=10_000)
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        rows = (
            session.execute(
                select(Appointment).where(Appointment.person_id == seeded.persons["marc"])
            )
            .scalars()
            .all()
        )
        statuses = sorted(row.status for row in rows)
    assert statuses == ["planned", "planned", "seen"]
    assert not person.pending_banner.isVisible()


def test_add_a_barrier_and_actions(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    person.tabs.setCurrentIndex(person.TAB_BARRIERS)
    dialog = person.new_barrier()
    assert isinstance(dialog, BarrierDialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData("logement"))
    assert dialog.situations.count() > 0
    dialog.situations.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.target.count() > 2
    dialog.target.setCurrentIndex(1)
    dialog.severity.setCurrentIndex(dialog.severity.findData("2"))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: bool(person.file and person.file.barriers), timeout=10_000)
    barrier = person.file.barriers[0]
    assert barrier.theme == "logement" and len(barrier.situations) == 1
    assert person.barriers.topLevelItem(0).text(0) == "Logement"

    # An action from the theme's standard list, with a partner and a due date.
    person.barriers.setCurrentItem(person.barriers.topLevelItem(0).child(0))
    action_dialog = person.new_action()
    assert isinstance(action_dialog, ActionDialog)
    assert action_dialog.barrier.currentData() == str(barrier.id)
    assert not action_dialog.theme.isEnabled()
    assert action_dialog.action.count() > 1
    action_dialog.action.setCurrentIndex(1)  # 0 is « — Choisir une action — »
    action_dialog.partner.setText("CCAS de Nevers")
    action_dialog.due.setText("pas une date")
    action_dialog.save_button.click()
    assert "Date illisible" in action_dialog.fields.error_text("due_date")
    due = (datetime.now(UTC) + timedelta(days=30)).date()
    # Typed without slashes, as a referent does (15012027 used to be refused).
    action_dialog.due.setFocus()
    QTest.keyClick(action_dialog.due, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(action_dialog.due, due.strftime("%d%m%Y"))
    assert action_dialog.due.value() == due
    action_dialog.save_button.click()
    qtbot.waitUntil(lambda: gone(action_dialog), timeout=10_000)
    qtbot.waitUntil(lambda: bool(person.file and person.file.actions), timeout=10_000)

    # A free-text action.
    free = person.new_action()
    assert isinstance(free, ActionDialog)
    free.action.setCurrentIndex(free.action.findData(FREE_TEXT))
    assert free.custom.isVisibleTo(free)
    free.save_button.click()
    assert free.fields.error_text("custom_label")
    free.custom.setText("Accompagnement vers le bailleur social")
    free.save_button.click()
    qtbot.waitUntil(lambda: gone(free), timeout=10_000)
    qtbot.waitUntil(lambda: bool(person.file and len(person.file.actions) == 2), timeout=10_000)
    wait_idle(qtbot, app)
    with store_of(app).read() as session:
        actions = (
            session.execute(select(Action).where(Action.person_id == seeded.persons["marc"]))
            .scalars()
            .all()
        )
        assert {a.partner for a in actions} == {"CCAS de Nevers", None}
        assert any(a.custom_label == "Accompagnement vers le bailleur social" for a in actions)
        stored = session.get(Barrier, barrier.id)
        assert stored.status == "in_progress"  # an action started lifting it


def test_sensitive_note_is_hidden_until_revealed_and_the_reveal_is_audited(
    app, seeded, qtbot
) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["eloise"])
    person.tabs.setCurrentIndex(person.TAB_NOTES)
    person.note_text.setPlainText("Suivi psychiatrique en cours, traitement adapté.")
    person.note_sensitive.setChecked(True)
    QTest.keyClick(person.note_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: person.note_text.toPlainText() == "", timeout=10_000)
    qtbot.waitUntil(lambda: person.notes.topLevelItemCount() == 1, timeout=10_000)
    item = person.notes.topLevelItem(0)
    assert "masquée" in item.text(2)
    assert "psychiatrique" not in item.text(2)
    journal_texts = [
        person.journal.topLevelItem(i).text(2) for i in range(person.journal.topLevelItemCount())
    ]
    assert not any("psychiatrique" in text for text in journal_texts)

    def reveals() -> int:
        with store_of(app).read() as session:
            return session.execute(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reveal")
            ).scalar_one()

    assert reveals() == 0
    person.notes.setCurrentItem(item)
    assert person.note_reveal.isEnabled()
    person.note_reveal.click()
    qtbot.waitUntil(lambda: "psychiatrique" in person.notes.topLevelItem(0).text(2), timeout=10_000)
    wait_idle(qtbot, app)
    assert reveals() == 1
    assert "psychiatrique" in person.journal_detail.toPlainText()
    with store_of(app).read() as session:
        note = session.execute(select(Note)).scalar_one()
        assert note.sensitive is True

    # Leaving and coming back hides it again.
    app.window.show_view("caseload")
    open_file(app, qtbot, seeded.persons["marc"])
    open_file(app, qtbot, seeded.persons["eloise"])
    assert "masquée" in person.notes.topLevelItem(0).text(2)


def test_empty_note_is_refused_beside_the_editor(app, seeded, qtbot) -> None:
    person = app.window.person
    open_file(app, qtbot, seeded.persons["eloise"])
    person.tabs.setCurrentIndex(person.TAB_NOTES)
    person.note_save.click()
    assert person.note_error.isVisible()
    assert person.note_error.text() == "La note est vide."
