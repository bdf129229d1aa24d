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
