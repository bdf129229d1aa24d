"""The handover dialog driven as a supervisor would: from the caseload's context menu, a
referent leaving, the split edited with the keyboard, a note typed, confirmed; the requests
are queued on the device (nothing of the persons moves until the server decides) and the
« Passations » window lists them, with the persons whose referent's account was closed."""

from __future__ import annotations

import os
import uuid
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
    assert queue.queue.item(0).text() == "ZERBIB Yann — compte de Denis Roux fermé"
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
    assert message.startswith("1 passation(s) refusée(s) par le serveur : Confiée entre-temps.")
    assert outcome_of(SyncReport(handovers_done=3)).message == (
        "3 passation(s) faite(s) par le serveur."
    )
    assert outcome_of(SyncReport()).message is None
