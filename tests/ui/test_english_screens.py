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
