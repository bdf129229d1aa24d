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
from tests.ui.conftest import PASSPHRASE, Seeded, unlock, wait_idle

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


def _unused(_: uuid.UUID) -> None:  # keeps the uuid import for the picker tests below
    pass
