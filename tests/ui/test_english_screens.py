"""English UI (issue 12): no string of the French catalogue stays French on the main screens."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTreeWidget, QWidget

from spie_desktop.resources import resource_path
from tests.ui.conftest import unlock, wait_idle
from ui.i18n import install_language


def french_sources() -> set[str]:
    """Catalogue strings whose English differs (the same word in both languages is fine)."""
    tree = ET.parse(resource_path("i18n", "spie_en.ts"))
    found = set()
    for message in tree.iter("message"):
        source = message.find("source").text or ""
        english = message.find("translation").text or ""
        if "{" not in source and english and english != source and len(source) > 3:
            found.add(source)
    return found


def shown_texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts.extend(header.text(i) for i in range(header.columnCount()))
    return [text.replace("&", "") for text in texts if text]


def test_no_french_catalogue_string_on_the_main_screens_in_english(make_app, seeded, qtbot) -> None:
    french = french_sources()
    assert "Mon portefeuille" in french
    try:
        parts = make_app(seeded.data_dir, language="en")
        unlock(qtbot, parts)
        window = parts.window
        left: dict[str, list[str]] = {}
        for view in ("my_day", "caseload", "agenda", "settings"):
            window.show_view(view)
            wait_idle(qtbot, parts)
            qtbot.wait(200)
            stuck = [text for text in shown_texts(window.workspace) if text in french]
            if stuck:
                left[view] = stuck
        assert left == {}
    finally:
        install_language("fr")


def referential_french_labels() -> set[str]:
    """French labels of the referential entries that have an English one (issue 12)."""
    from spie_desktop.domain.referentials import get_referentials

    refs = get_referentials()
    found = set()
    for kind in ("appointment_status", "appointment_mode", "appointment_purpose",
                 "follow_up_status", "orientation", "barrier_status", "action_status",
                 "exit_reason", "contract_state"):  # fmt: skip
        for entry in refs.entries(kind):
            if entry.label_en and entry.label_en != entry.label:
                found.add(entry.label)
    return found


def test_referential_labels_are_english_in_the_english_ui(make_app, seeded, qtbot) -> None:
    """Statuses, modes, purposes, tracks, exit reasons… show their English label (the files'
    label_en); a French one left on a screen fails."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.ui.test_person_file import open_file
    from ui.models.caseload_model import Column

    french = referential_french_labels()
    assert {"En accompagnement", "À venir", "Identifié"} <= french
    try:
        parts = make_app(seeded.data_dir, language="en")
        unlock(qtbot, parts)
        window = parts.window
        QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        wait_idle(qtbot, parts)
        caseload = window.caseload
        statuses = {
            caseload.model.index(row, Column.STATUS).data()
            for row in range(caseload.model.rowCount())
        }
        assert "In support" in statuses and not statuses & french
        combo_texts = [
            caseload.status_filter.itemText(i) for i in range(caseload.status_filter.count())
        ]
        assert "To contact" in combo_texts and not set(combo_texts) & french
        open_file(parts, qtbot, seeded.persons["eloise"])
        person = window.person
        rows = [
            person.appointments.topLevelItem(i).text(column)
            for i in range(person.appointments.topLevelItemCount())
            for column in range(4)
        ]
        assert "Upcoming" in rows and "Follow-up" in rows and "At the office" in rows
        assert not set(rows) & french
        left = [text for text in shown_texts(person) if text in french]
        assert left == []
    finally:
        install_language("fr")


def carnet_french_labels() -> set[str]:
    """French labels of the Carnet de bord lists whose English differs."""
    from spie_desktop.domain.referentials import get_referentials

    refs = get_referentials()
    return {
        entry.label
        for kind in ("theme", "target", "situation", "action")
        for entry in refs.entries(kind)
        if entry.label_en and entry.label_en != entry.label
    }


def test_carnet_de_bord_lists_are_english_in_the_english_ui(make_app, seeded, qtbot) -> None:
    """Barrier themes, situations, targets and actions (the generated lists): English in the
    caseload's filter and column, the file's barriers, both dialogs and the saved action's row;
    the store keeps codes and the French label (exports stay French)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QListWidget
    from sqlalchemy import select

    from spie_desktop.domain.models import Action
    from tests.ui.conftest import gone
    from tests.ui.test_appointment_dialogs import focused, pick
    from tests.ui.test_person_file import open_file, store_of
    from ui.dialogs.barriers import ActionDialog, BarrierDialog

    french = carnet_french_labels()
    assert {"Mobilité", "Logement", "Bourse au permis"} <= french
    try:
        parts = make_app(seeded.data_dir, language="en")
        unlock(qtbot, parts)
        window = parts.window
        QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        wait_idle(qtbot, parts)
        caseload = window.caseload
        themes = [caseload.theme_filter.itemText(i) for i in range(caseload.theme_filter.count())]
        assert "Housing" in themes and "Mobility" in themes and not set(themes) & french
        barrier_cells = {
            caseload.model.index(row, column).data()
            for row in range(caseload.model.rowCount())
            for column in range(caseload.model.columnCount())
        }
        assert not {str(cell) for cell in barrier_cells} & french

        open_file(parts, qtbot, seeded.persons["eloise"])
        person = window.person
        person.tabs.setCurrentIndex(person.TAB_BARRIERS)
        wait_idle(qtbot, parts)
        rows = {
            person.barriers.topLevelItem(i).text(column)
            for i in range(person.barriers.topLevelItemCount())
            for column in range(person.barriers.columnCount())
        }
        assert "Mobility" in rows and not rows & french

        dialog = person.new_barrier()
        assert isinstance(dialog, BarrierDialog)
        qtbot.waitUntil(lambda: focused() is dialog.theme, timeout=5_000)
        pick(dialog.theme, "logement")
        situations = [dialog.situations.item(i).text() for i in range(dialog.situations.count())]
        assert "Social housing tenant" in situations and not set(situations) & french
        targets = [dialog.target.itemText(i) for i in range(dialog.target.count())]
        assert "Access housing" in targets and not set(targets) & french
        shown = shown_texts(dialog) + [
            w.item(i).text() for w in dialog.findChildren(QListWidget) for i in range(w.count())
        ]
        assert not set(shown) & french
        dialog.reject()

        dialog = person.new_action()
        assert isinstance(dialog, ActionDialog)
        qtbot.waitUntil(dialog.isVisible, timeout=5_000)
        # Éloïse's open barrier (mobility) is preselected and sets the theme.
        assert dialog.barrier.currentText().startswith("Mobility — ")
        assert dialog.theme.currentText() == "Mobility"
        actions = [dialog.action.itemText(i) for i in range(dialog.action.count())]
        assert "Driving licence grant" in actions and not set(actions) & french
        pick(dialog.action, "mobilite.bourse_au_permis")
        QTest.keyClick(dialog.action, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)

        def names() -> list[str]:
            items = person.action_list
            return [items.topLevelItem(i).text(0) for i in range(items.topLevelItemCount())]

        qtbot.waitUntil(lambda: "Driving licence grant" in names(), timeout=10_000)
        assert not set(names()) & french
        with store_of(parts).read() as session:
            stored = session.execute(select(Action.action_code, Action.custom_label)).all()
        assert ("mobilite.bourse_au_permis", None) in [tuple(r) for r in stored]
    finally:
        install_language("fr")
