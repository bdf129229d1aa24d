"""The handover dialog driven as a supervisor would: from the caseload's context menu, a
referent leaving, the split edited with the keyboard, a note typed, confirmed; the requests
are queued on the device (nothing of the persons moves until the server decides) and the
« Passations » window lists them, with the persons whose referent's account was closed."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox

from spie_desktop.domain.enums import Role
from spie_desktop.domain.models import Person, Referent, Team
from spie_desktop.services import queries
from spie_desktop.store.store import Store
from tests.ui.conftest import PASSPHRASE, unlock, wait_idle
from ui.dialogs.handover import HandoverDialog


def _shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    """``SPIE_SCREENSHOTS=docs/screenshots`` saves the dialogs as the test drives them."""
    folder = os.environ.get("SPIE_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _make_supervisor(seeded) -> dict[str, uuid.UUID]:  # type: ignore[no-untyped-def]
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    ids: dict[str, uuid.UUID] = {}
    try:
        team = uuid.uuid4()
        with store.apply_remote() as session:
            session.add(Team(id=team, name="Équipe Nord"))
            session.flush()
            camille = session.get(Referent, seeded.referent_id)
            assert camille is not None
            camille.team_id = team
            for key, first, last, role, active in (
                ("bruno", "Bruno", "Martin", Role.REFERENT, True),
                ("chloe", "Chloe", "Petit", Role.REFERENT, True),
                ("denis", "Denis", "Roux", Role.REFERENT, False),
                ("sam", "Sam", "Chef", Role.SUPERVISOR, True),
            ):
                ids[key] = uuid.uuid4()
                session.add(
                    Referent(
                        id=ids[key],
                        username=f"{first.lower()}.{last.lower()}",
                        first_name=first,
                        last_name=last,
                        role=role.value,
                        team_id=team,
                        active=active,
                    )
                )
            session.flush()
            # Yann's referent's account was closed: he is in the queue.
            yann = session.get(Person, seeded.persons["yann"])
            assert yann is not None
            yann.referent_id = ids["denis"]
        with store.write() as session:
            store.set_state(session, "user_id", str(ids["sam"]))
            store.set_state(session, "user_role", Role.SUPERVISOR.value)
    finally:
        store.close()
    return ids


def test_referent_leaving_split_edited_and_queued(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _make_supervisor(seeded)
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    window = parts.window
    store = parts.ops.store
    table = window.caseload.table
    model = window.caseload.model
    eloise = model.row_of(seeded.persons["eloise"])
    table.selectionModel().setCurrentIndex(
        model.index(eloise, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    menu = window._caseload_menu(table.visualRect(model.index(eloise, 0)).center())
    assert menu is not None
    actions = menu.actions()
    assert [a.text() for a in actions] == [
        "Confier à un autre référent…",
        "Départ de Camille Durand : confier toutes ses personnes…",
    ]
    menu.close()
    actions[1].trigger()
    qtbot.waitUntil(lambda: any(d.loaded for d in window.findChildren(HandoverDialog)))
    dialog = next(d for d in window.findChildren(HandoverDialog) if d.leaving_referent_id)
    # Camille's three persons followed (Yann is Denis's now); Bruno and Chloé, 0 each.
    assert dialog.table.rowCount() == 3
    assert [dialog.target_list.item(i).text() for i in range(dialog.target_list.count())] == [
        "Bruno Martin (0 personnes suivies)",
        "Chloe Petit (0 personnes suivies)",
    ]

    # Only Bruno: uncheck Chloé with the keyboard, then share again.
    dialog.target_list.setFocus()
    dialog.target_list.setCurrentRow(1)
    QTest.keyClick(dialog.target_list, Qt.Key.Key_Space)
    assert dialog.checked_targets() == [ids["bruno"]]
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: {p.to_referent_id for p in dialog.plan} == {ids["bruno"]})
    # ...and give the first person (by name: Abadie Zoé) to Chloé by hand.
    combo = dialog.table.cellWidget(0, 1)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Bruno Martin"
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Chloe Petit"

    # No note: refused in French, nothing queued.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, parts)
    assert "note de passation" in dialog.error.text()
    assert queries.handover_requests(store) == []

    dialog.note.setFocus()
    QTest.keyClicks(dialog.note, "Camille part le 15 : voir les RDV de la semaine.")
    dialog.clear_error()
    _shoot(dialog, "25-dialogue-passation")
    with qtbot.waitSignal(dialog.requested, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, parts)
    queued = queries.handover_requests(store)
    assert len(queued) == 3 and {q.state for q in queued} == {"pending"}
    chosen = {q.person_name: q.to_name for q in queued}
    assert chosen == {
        "ABADIE Zoé": "Chloe Petit",
        "DUPONT Marc": "Bruno Martin",
        "LEFÈVRE Éloïse": "Bruno Martin",
    }
    assert {q.note for q in queued} == {"Camille part le 15 : voir les RDV de la semaine."}
    # Nothing moved on the device: the server decides.
    row = model.row_data(model.row_of(seeded.persons["zoe"]))
    assert row is not None and row.referent_id == seeded.referent_id

    # « Passations » in the sidebar: the queue and the requests.
    qtbot.mouseClick(window.handover_nav, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_queue_dialogs(window)))
    queue = _queue_dialogs(window)[0]
    qtbot.waitUntil(lambda: queue.history.rowCount() == 3)
    assert queue.queue.count() == 1
    assert queue.queue.item(0).text() == (
        "ZERBIB Yann — compte de Denis Roux fermé — arrivée aujourd'hui"
    )
    states = {queue.history.item(r, 4).text() for r in range(3)}
    assert states == {"En attente du serveur"}
    _shoot(queue, "26-passations-sans-referent")
    queue.tabs.setCurrentIndex(1)
    _shoot(queue, "27-passations-demandees")
    queue.tabs.setCurrentIndex(0)
    # Assign Yann from the queue: the handover dialog opens for him alone.
    queue.queue.setCurrentRow(0)
    before = set(window.findChildren(HandoverDialog))
    qtbot.mouseClick(queue.assign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(set(window.findChildren(HandoverDialog)) - before))
    new = next(iter(set(window.findChildren(HandoverDialog)) - before))
    qtbot.waitUntil(lambda: new.loaded)
    assert new.table.rowCount() == 1 and new.table.item(0, 0).text() == "ZERBIB Yann"


def test_queue_of_imported_persons_oldest_first_assigned_many(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Persons imported without a referent wait in the supervisor's queue with how long
    they have waited, the longest first; two chosen with the keyboard are assigned from
    the queue through the handover (queued, with the note)."""
    ids = _make_supervisor(seeded)
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    now = datetime.now(UTC)
    imported: dict[str, uuid.UUID] = {}
    try:
        with store.apply_remote() as session:
            team = session.get(Referent, ids["sam"]).team_id  # type: ignore[union-attr]
            for key, last, first, days in (
                ("nina", "LEFEVRE", "Nina", 3),
                ("ilan", "MOREAU", "Ilan", 12),
                ("lise", "GIRAUD", "Lise", 30),
            ):
                imported[key] = uuid.uuid4()
                session.add(
                    Person(
                        id=imported[key],
                        last_name=last,
                        first_name=first,
                        follow_up_status="a_contacter",
                        referent_id=None,
                        team_id=team,
                        created_at=now - timedelta(days=days),
                        updated_at=now - timedelta(days=days),
                    )
                )
    finally:
        store.close()
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    window = parts.window
    qtbot.mouseClick(window.handover_nav, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_queue_dialogs(window)))
    queue = _queue_dialogs(window)[0]
    qtbot.waitUntil(lambda: queue.queue.count() == 4)
    texts = [queue.queue.item(i).text() for i in range(4)]
    assert texts == [
        "GIRAUD Lise — jamais affectée — en attente depuis 30 jours",
        "MOREAU Ilan — jamais affectée — en attente depuis 12 jours",
        "LEFEVRE Nina — jamais affectée — en attente depuis 3 jours",
        "ZERBIB Yann — compte de Denis Roux fermé — arrivée aujourd'hui",
    ]
    assert queue.tabs.tabText(0) == "Personnes sans référent (4)"
    # The two who waited longest, chosen with the keyboard: first row, Shift+Down.
    queue.queue.setFocus()
    queue.queue.setCurrentRow(0)
    QTest.keyClick(queue.queue, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(queue.queue.selectedItems()) == 2
    before = set(window.findChildren(HandoverDialog))
    queue.assign_button.setFocus()
    QTest.keyClick(queue.assign_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(set(window.findChildren(HandoverDialog)) - before))
    dialog = next(iter(set(window.findChildren(HandoverDialog)) - before))
    qtbot.waitUntil(lambda: dialog.loaded)
    assert sorted(dialog.table.item(r, 0).text() for r in range(2)) == [
        "GIRAUD Lise",
        "MOREAU Ilan",
    ]
    # The team's referents are offered (the persons' team: they have no referent).
    offered = {dialog.target_list.item(i).text() for i in range(dialog.target_list.count())}
    assert {"Bruno Martin (0 personnes suivies)", "Chloe Petit (0 personnes suivies)"} <= offered
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.plan) == 2)
    dialog.note.setFocus()
    QTest.keyClicks(dialog.note, "Venus par l'import : premier contact a prendre.")
    with qtbot.waitSignal(dialog.requested, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, parts)
    queued = queries.handover_requests(parts.ops.store)
    assert sorted(q.person_name for q in queued) == ["GIRAUD Lise", "MOREAU Ilan"]
    assert {q.state for q in queued} == {"pending"}
    assert {q.from_name for q in queued} == {"—"}
    # Back in the queue: both still there (the server decides), marked as waiting for it.
    qtbot.waitUntil(lambda: "passation en attente" in queue.queue.item(0).text())
    assert "passation en attente" in queue.queue.item(1).text()
    assert "passation en attente" not in queue.queue.item(2).text()


def _queue_dialogs(window):  # type: ignore[no-untyped-def]
    from ui.dialogs.handover import HandoverQueueDialog

    return [d for d in window.findChildren(HandoverQueueDialog) if d.isVisible()]


def test_sync_outcome_tells_handover_decisions(qtbot) -> None:  # type: ignore[no-untyped-def]
    from sync.client import Rejected, SyncReport
    from ui.sync_client_backend import outcome_of

    refused = SyncReport(
        handovers_refused=[
            Rejected("r", "handover_request", "p", "handover_stale", "Confiée entre-temps.")
        ]
    )
    message = outcome_of(refused).message or ""
    # A known code reads as this version words it (in the interface's language) ...
    assert message.startswith(
        "1 passation(s) refusée(s) par le serveur : Cette personne a été confiée à un autre "
        "référent entre-temps"
    ), message
    # ... an unknown one as the server worded it.
    refused.handovers_refused = [
        Rejected("r", "handover_request", "p", "a_newer_code", "Confiée entre-temps.")
    ]
    message = outcome_of(refused).message or ""
    assert message.startswith("1 passation(s) refusée(s) par le serveur : Confiée entre-temps.")
    assert outcome_of(SyncReport(handovers_done=3)).message == (
        "3 passation(s) faite(s) par le serveur."
    )
    assert outcome_of(SyncReport()).message is None


def test_supervisor_agenda_per_referent_or_all(make_app, seeded, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 item 2: the supervisor's agenda shows everyone's appointments, or one
    referent's, chosen with the keyboard; a referent's filter is never shown to her."""
    from spie_desktop.domain.models import Appointment
    from ui.main_window import VIEW_AGENDA

    ids = _make_supervisor(seeded)
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    try:
        with store.read() as session:
            (eloise_at,) = [a.starts_at for a in session.query(Appointment).all()]
        with store.apply_remote() as session:
            session.add(
                Appointment(
                    person_id=seeded.persons["yann"],
                    referent_id=ids["bruno"],
                    starts_at=eloise_at + timedelta(hours=1),
                    duration_minutes=45,
                    mode="bureau",
                    purpose="suivi",
                    status="planned",
                )
            )
    finally:
        store.close()
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    window = parts.window
    window.show_view(VIEW_AGENDA)
    agenda = window.agenda
    agenda.set_day(eloise_at.astimezone().date())
    combo = agenda.referent_combo
    assert combo.isVisible()
    qtbot.waitUntil(lambda: combo.count() >= 3)
    qtbot.waitUntil(lambda: len(agenda.items) == 2)
    wait_idle(qtbot, parts)
    assert combo.currentText() == "Tous les référents"
    assert {i.referent_id for i in agenda.items} == {seeded.referent_id, ids["bruno"]}
    names = [combo.itemText(i) for i in range(combo.count())]
    combo.setFocus()
    for _ in range(names.index("Bruno Martin")):
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Bruno Martin"
    qtbot.waitUntil(
        lambda: [i.person_name for i in agenda.items] == ["ZERBIB Yann"], timeout=10_000
    )
    QTest.keyClick(combo, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: len(agenda.items) == 2)
