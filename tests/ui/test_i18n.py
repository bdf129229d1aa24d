"""English through Qt's translation tools: the compiled catalogue loads and is complete."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from spie_desktop.resources import resource_path
from tests.ui.conftest import unlock
from ui.i18n import current_language, install_language, translate


def test_catalogue_is_complete() -> None:
    tree = ET.parse(resource_path("i18n", "spie_en.ts"))
    unfinished = [
        message.find("source").text
        for message in tree.iter("message")
        if message.find("translation").get("type") == "unfinished"
    ]
    assert unfinished == []
    assert resource_path("i18n", "spie_en.qm").stat().st_size > 10_000


def test_english_interface(make_app, seeded, qtbot) -> None:
    try:
        parts = make_app(seeded.data_dir, language="en")
        assert current_language() == "en"
        assert translate("caseload", "Mon portefeuille") == "My caseload"
        page = parts.window.unlock_page
        assert page.button.text() == "Unlock"
        unlock(qtbot, parts)
        assert parts.window.caseload.title.text() == "My caseload"
        assert parts.window.nav["agenda"].text() == "Agenda"
        assert parts.window.nav["settings"].text() == "Settings"
        assert parts.window.status.pending.text() == "Saved on this computer"
    finally:
        install_language("fr")
    assert translate("caseload", "Mon portefeuille") == "Mon portefeuille"
