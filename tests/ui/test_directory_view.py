"""« Annuaire des partenaires » (issue 16), driven by the keyboard on the real window over a
real SQLCipher store holding a realistic directory (tests/support/directory_data.py)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from spie_desktop.services import directory
from spie_desktop.services.persons import update_person
from spie_desktop.store.store import Actor, Store
from tests.support import directory_data
from tests.ui.conftest import PASSPHRASE, Seeded, gone, unlock, wait_idle
from ui.dialogs.barriers import ActionStatusDialog

STRUCTURES = directory_data.structures(14)
SERVICES = directory_data.services(300, STRUCTURES)


def _record(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "id": data["id"], "status": "open", "origin": "import", "data": data}


def load_directory(seeded: Seeded, *, services: list[dict[str, Any]] | None = None) -> None:
    """The directory as a sync leaves it (records and cursor), and Éloïse in Vénissieux."""
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    try:
        with store.write() as session:
            directory.apply_records(session, [_record("structure", s) for s in STRUCTURES])
            chosen = SERVICES if services is None else services
            directory.apply_records(session, [_record("service", s) for s in chosen])
            store.set_state(session, "directory_cursor", "1:service:zzz")
        actor = Actor(seeded.referent_id, store.device_id)
        with store.write() as session:
            place = {"city": "Vénissieux", "postal_code": "69200"}
            update_person(session, actor, seeded.persons["eloise"], place)
    finally:
        store.close()


@pytest.fixture
def directory_app(make_app, seeded: Seeded, qtbot):  # type: ignore[no-untyped-def]
    load_directory(seeded)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    return parts


def open_directory(qtbot, parts):  # type: ignore[no-untyped-def]
    window = parts.window
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.content.currentWidget() is window.directory, timeout=5_000)
    search = window.directory.search
    qtbot.waitUntil(lambda: search.page is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    return search


def shown_ids(search) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        str(search.results.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(search.results.count())
    ]


def expected(predicate: Any) -> set[str]:
    return {s["id"] for s in SERVICES if predicate(s)}


def test_typing_a_search_lists_the_matching_services(directory_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    search = open_directory(qtbot, directory_app)
    assert search.results.count() == 100  # the first page of 300
    search.text.setFocus()
    QTest.keyClicks(search.text, "epicerie")  # no accent typed: « Épicerie » found
    qtbot.waitUntil(lambda: search.results.count() < 100, timeout=5_000)
    wait_idle(qtbot, directory_app)
    wanted = expected(lambda s: "picerie" in s["nom"] or "picerie" in s["description"])
    assert wanted and set(shown_ids(search)) == wanted
    # the detail panel shows the selected one, with its phone and its hours in French
    qtbot.waitUntil(lambda: search.detail is not None, timeout=5_000)
    text = search.details.toPlainText()
    chosen = next(s for s in SERVICES if s["id"] == search.detail.row.id)
    assert chosen["nom"] in text and chosen["telephone"] in text
    assert "Horaires" in text


def test_theme_filter_and_distance_from_a_commune(directory_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    search = open_directory(qtbot, directory_app)
    search.theme.setFocus()
    index = search.theme.findData("mobilite")
    for _ in range(index):
        QTest.keyClick(search.theme, Qt.Key.Key_Down)
    assert search.theme.currentData() == "mobilite"
    wait_idle(qtbot, directory_app)
    mobilite = set(directory.theme_mapping()["mobilite"])
    wanted = expected(lambda s: mobilite & set(s.get("thematiques", [])))
    assert 0 < search.page.total == len(wanted) < len(SERVICES)
    assert set(shown_ids(search)) <= wanted
    # a commune typed without its accent, five kilometres around
    search.commune.setFocus()
    QTest.keyClicks(search.commune, "venissieux")
    QTest.keyClick(search.commune, Qt.Key.Key_Return)
    search.radius.setCurrentIndex(search.radius.findData(5))
    wait_idle(qtbot, directory_app)
    qtbot.waitUntil(lambda: search.place is not None, timeout=5_000)
    rows = search.page.rows
    assert rows and all(r.distance_km is not None and r.distance_km <= 5 for r in rows)
    assert [r.distance_km for r in rows] == sorted(r.distance_km for r in rows)  # type: ignore[type-var]
    assert "km" in search.results.item(0).text()


def test_hostile_input_gets_french_messages_and_changes_nothing(directory_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    search = open_directory(qtbot, directory_app)
    before = shown_ids(search)
    # an empty search (spaces only) lists everything, as no search does
    search.text.setFocus()
    QTest.keyClicks(search.text, "   ")
    QTest.keyClick(search.text, Qt.Key.Key_Return)
    wait_idle(qtbot, directory_app)
    assert shown_ids(search) == before and not search.error.isVisible()
    # an unknown commune: a French message, the list as it was
    search.commune.setFocus()
    QTest.keyClicks(search.commune, "Trifouillis-les-Oies")
    QTest.keyClick(search.commune, Qt.Key.Key_Return)
    wait_idle(qtbot, directory_app)
    assert search.error.isVisible()
    assert "Aucun service de l'annuaire à « Trifouillis-les-Oies »" in search.error.text()
    assert shown_ids(search) == before
    search.commune.clear()
    wait_idle(qtbot, directory_app)
    # 500 characters: refused in French, nothing searched
    search.text.clear()
    wait_idle(qtbot, directory_app)
    QTest.keyClicks(search.text, "a" * 500)
    QTest.keyClick(search.text, Qt.Key.Key_Return)
    wait_idle(qtbot, directory_app)
    assert "trop longue (500 caractères" in search.error.text()
    assert search.error.isVisible()
    # words that match nothing: an empty state that says what to do
    search.text.clear()
    QTest.keyClicks(search.text, "zzzzqqq")
    QTest.keyClick(search.text, Qt.Key.Key_Return)
    wait_idle(qtbot, directory_app)
    assert search.results.count() == 0
    assert "Aucun service ne correspond" in search.count.text()
    assert not search.error.isVisible()


def test_open_now_keeps_only_open_services(directory_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    search = open_directory(qtbot, directory_app)
    all_total = search.page.total
    search.open_now.setFocus()
    QTest.keyClick(search.open_now, Qt.Key.Key_Space)
    assert search.open_now.isChecked()
    wait_idle(qtbot, directory_app)
    assert search.page.total < all_total
    assert all(row.open_now for row in search.page.rows)


def test_directory_not_yet_received(make_app, seeded: Seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    window = parts.window
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    search = window.directory.search
    qtbot.waitUntil(lambda: search.overview is not None, timeout=10_000)
    assert search.message.isVisible()
    assert "pas encore été reçu" in search.message.text()
    assert search.results.count() == 0
    QTest.keyClicks(search.text, "logement")
    wait_idle(qtbot, parts)
    assert search.results.count() == 0 and not search.error.isVisible()


def test_directory_received_but_empty(make_app, seeded: Seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    load_directory(seeded, services=[])
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    QTest.keyClick(parts.window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    search = parts.window.directory.search
    qtbot.waitUntil(lambda: search.overview is not None, timeout=10_000)
    assert "L'annuaire du département est vide" in search.message.text()


def _actions(parts, person_id: uuid.UUID) -> list[Any]:  # type: ignore[no-untyped-def]
    from spie_desktop.domain.models import Action

    with parts.ops.store.read() as session:
        rows = session.query(Action).filter(Action.person_id == person_id).all()
        return [(a.partner, a.partner_service_id, a.theme) for a in rows]


def test_choosing_a_partner_in_the_action_dialog_links_the_action(
    directory_app, seeded: Seeded, qtbot
) -> None:  # type: ignore[no-untyped-def]
    parts = directory_app
    window = parts.window
    person = seeded.persons["eloise"]  # a mobility barrier; lives in Vénissieux
    window.open_person(person)
    qtbot.waitUntil(lambda: window.person.file is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    dialog = window.person.new_action()
    assert dialog is not None
    assert dialog.theme.currentData() == "mobilite"
    dialog.partner_link.button.setFocus()
    QTest.keyClick(dialog.partner_link.button, Qt.Key.Key_Space)
    picker = dialog.partner_link.dialog
    assert picker is not None
    search = picker.search
    qtbot.waitUntil(lambda: search.place is not None and search.page is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    # the barrier's theme preselected, the person's commune, the nearest first
    assert search.theme.currentData() == "mobilite"
    assert search.commune.text() == "Vénissieux"
    distances = [row.distance_km for row in search.page.rows]
    assert distances and distances == sorted(distances)  # type: ignore[type-var]
    mobilite = set(directory.theme_mapping()["mobilite"])
    assert all(mobilite & set(row.thematiques) for row in search.page.rows)
    # a word typed, then Entrée on the list picks the service
    QTest.keyClicks(search.text, "scooter")
    QTest.keyClick(search.text, Qt.Key.Key_Return)
    wait_idle(qtbot, parts)
    assert picker.isVisible()  # Entrée in the search field searches, it does not pick
    qtbot.waitUntil(lambda: search.detail is not None, timeout=5_000)
    chosen = search.detail
    assert "scooter" in chosen.row.name.lower()
    search.results.setFocus()
    QTest.keyClick(search.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(picker), timeout=5_000)
    assert dialog.partner_link.service_id == chosen.row.id
    assert dialog.partner.text().startswith(chosen.row.name)
    assert "Mobilisation" in dialog.partner_link.info.text()
    # an action of the theme's list (none is preselected), then Entrée in the partner field
    dialog.action.setFocus()
    QTest.keyClick(dialog.action, Qt.Key.Key_Down)
    assert dialog.action.currentData()
    dialog.partner.setFocus()
    QTest.keyClick(dialog.partner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    wait_idle(qtbot, parts)
    linked = [a for a in _actions(parts, person) if a[1] is not None]
    assert linked == [(dialog_text := linked[0][0], chosen.row.id, "mobilite")]
    assert dialog_text.startswith(chosen.row.name)

    # the follow-up dialog shows the service; typing another name unlinks it
    def linked_action() -> Any:
        file = window.person.file
        return next((a for a in file.actions if a.partner_service_id), None) if file else None

    qtbot.waitUntil(lambda: linked_action() is not None, timeout=10_000)  # the file reloads
    action = linked_action()
    follow = window.person._open_dialog(ActionStatusDialog(parts.session, action, window.person))
    qtbot.waitUntil(lambda: follow.partner_link.detail is not None, timeout=5_000)
    assert chosen.row.name in follow.partner_link.info.text()
    follow.partner.setFocus()
    follow.partner.selectAll()
    QTest.keyClicks(follow.partner, "Garage solidaire du quartier")
    assert follow.partner_link.service_id is None
    follow.save_button.click()
    qtbot.waitUntil(lambda: gone(follow), timeout=10_000)
    wait_idle(qtbot, parts)
    assert ("Garage solidaire du quartier", None, "mobilite") in _actions(parts, person)


def test_a_forged_service_id_is_refused_in_french(directory_app, seeded: Seeded) -> None:  # type: ignore[no-untyped-def]
    from spie_desktop.errors import ValidationError
    from spie_desktop.services import usecases

    parts = directory_app
    store = parts.ops.store
    actor = parts.session.require_actor()
    before = _actions(parts, seeded.persons["marc"])
    with pytest.raises(ValidationError) as refused:
        usecases.add_action(
            store,
            actor,
            seeded.persons["marc"],
            custom_label="Atelier",
            partner="X",
            partner_service_id="dora svc 1",
        )
    assert refused.value.field == "partner_service_id"
    assert "annuaire" in refused.value.message
    assert _actions(parts, seeded.persons["marc"]) == before


def _prints(parts) -> list[tuple[Any, str]]:  # type: ignore[no-untyped-def]
    from spie_desktop.domain.models import AuditEvent

    with parts.ops.store.read() as session:
        rows = session.query(AuditEvent).filter(AuditEvent.action == "print").all()
        return [(e.person_id, e.detail or "") for e in rows]


def test_printing_a_service_sheet_where_the_user_chooses(
    directory_app, seeded: Seeded, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    parts = directory_app
    window = parts.window
    search = open_directory(qtbot, parts)
    qtbot.waitUntil(lambda: search.detail is not None, timeout=5_000)
    view = window.directory
    # cancelled: no file, no audit event
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    before = _prints(parts)
    QTest.keyClick(view.search.results, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, parts)
    assert _prints(parts) == before and not list(tmp_path.glob("*.pdf"))
    # saved where chosen (the suffix added), audited once, nowhere else
    target = tmp_path / "fiche"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), args[-1]))
    view.print_button.click()
    qtbot.waitUntil(lambda: view.notice.isVisible(), timeout=30_000)
    wait_idle(qtbot, parts)
    written = tmp_path / "fiche.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert str(written) in view.notice.text()
    added = [p for p in _prints(parts) if p not in before]
    assert added == [(None, f"fiche partenaire : {search.detail.row.name}")]
    # from a person's action: the sheet is for her, and her file records the print
    window.open_person(seeded.persons["eloise"])
    qtbot.waitUntil(lambda: window.person.file is not None, timeout=10_000)
    dialog = window.person.new_action()
    picker = dialog.partner_link.pick()
    qtbot.waitUntil(lambda: picker.search.detail is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    target = tmp_path / "fiche-eloise.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), args[-1]))
    picker.print_button.click()
    qtbot.waitUntil(lambda: picker.notice.isVisible(), timeout=30_000)
    wait_idle(qtbot, parts)
    assert target.read_bytes().startswith(b"%PDF")
    assert "supprimez-la" in picker.notice.text()
    name = picker.search.detail.row.name
    assert (seeded.persons["eloise"], f"fiche partenaire : {name}") in _prints(parts)


def test_a_plan_action_takes_the_services_weekly_hours(
    directory_app, seeded: Seeded, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from spie_desktop.domain.models import Action
    from spie_desktop.services import path
    from ui.dialogs.path import PlanActionDialog

    parts = directory_app
    store = parts.ops.store
    actor = parts.session.require_actor()
    person = seeded.persons["eloise"]
    with store.write() as session:
        path.record_orientation(
            session, actor, person, track="social", decided_on=date.today(),
            notified_on=date.today(),
        )  # fmt: skip
        contract_id = path.draft_contract(session, actor, person).id
    window = parts.window
    dialog = PlanActionDialog(parts.session, person, contract_id, window.person)
    dialog.open()
    QTest.keyClicks(dialog.label, "Atelier de remobilisation")
    picker = dialog.partner_link.pick()
    search = picker.search
    qtbot.waitUntil(lambda: search.page is not None and search.place is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    row = next(i for i, r in enumerate(search.page.rows) if r.weekly_hours)
    weekly, chosen_id = search.page.rows[row].weekly_hours, search.page.rows[row].id
    search.results.setFocus()
    search.results.setCurrentRow(row)
    qtbot.waitUntil(lambda: search.detail is not None and search.detail.row.weekly_hours == weekly)
    QTest.keyClick(search.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(picker), timeout=5_000)
    assert dialog.hours.text()  # prefilled from volume_horaire_hebdomadaire
    dialog.hours.setFocus()
    QTest.keyClick(dialog.hours, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)
    wait_idle(qtbot, parts)
    with store.read() as session:
        saved = session.query(Action).filter(Action.contract_id == contract_id).one()
        assert saved.planned_minutes_week == round(weekly * 60)
        assert saved.partner_service_id == chosen_id


def test_the_directory_opened_from_a_persons_file_is_for_her(
    directory_app, seeded: Seeded, qtbot
) -> None:  # type: ignore[no-untyped-def]
    parts = directory_app
    window = parts.window
    person = seeded.persons["eloise"]
    window.open_person(person)
    qtbot.waitUntil(lambda: window.person.file is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    search = window.directory.search
    qtbot.waitUntil(lambda: search.place is not None, timeout=10_000)
    wait_idle(qtbot, parts)
    assert "Éloïse" in window.directory.person_strip.text()
    assert search.commune.text() == "Vénissieux"
    assert search.theme.currentData() == "mobilite"  # her open barrier
    assert search.page.rows[0].distance_km is not None
    window.directory.back_button.click()
    assert window.current_view == "person" and window.person.person_id == person
    # from elsewhere: for no one
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.directory.person_id is None
    assert not window.directory.person_strip.isVisible()


def test_the_directory_in_english(make_app, seeded: Seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.i18n import install_language

    load_directory(seeded)
    parts = make_app(seeded.data_dir, language="en")
    try:
        unlock(qtbot, parts)
        window = parts.window
        QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
        search = window.directory.search
        qtbot.waitUntil(lambda: search.page is not None, timeout=10_000)
        wait_idle(qtbot, parts)
        assert window.directory.title.text() == "Partner directory"
        assert window.nav["directory"].text() == "Directory"
        assert search.open_now.text() == "Open now"
        assert search.theme.itemText(0) == "All themes"
        assert search.radius.currentText() == "Within 10 km"
        assert "first 100 services of 300" in search.count.text()
        assert window.directory.print_button.text() == "Print the sheet…"
        assert "Opening hours" in search.details.toPlainText()
    finally:
        install_language("fr")
