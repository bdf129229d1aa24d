"""Saving documents from the app: the person file's « Documents » menu and the agenda's
export, rendered on the writer thread and written only where the file dialog said."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from pathlib import Path

import icalendar
import pytest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from spie_desktop.domain.models import AuditEvent
from spie_desktop.services import documents
from spie_desktop.services.persons import update_person
from tests.ui.conftest import wait_idle
from tests.ui.test_person_file import open_file, store_of

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


def actions(app):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QToolButton

    buttons = [b for b in app.window.person.findChildren(QToolButton) if b.text() == "Documents"]
    assert len(buttons) == 1
    menu = buttons[0].menu()
    menu.aboutToShow.emit()
    return {a.text(): a for a in menu.actions() if a.text()}


def test_person_documents_are_saved_where_chosen(
    app, seeded, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen: list[Path] = []
    threads: list[str] = []

    def dialog(parent, title, start, file_filter):  # type: ignore[no-untyped-def]
        assert (
            Path(start).name.startswith(
                ("convocation-", "dossier-droit-acces-", "donnees-droit-acces-", "contrat-")
            )
            and "LEFÈVRE-Éloïse" in Path(start).name
        ), start
        target = tmp_path / ("sortie-" + str(len(chosen)) + Path(start).suffix)
        chosen.append(target)
        return str(target), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    original = documents.convocation

    def on_which_thread(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(documents, "convocation", on_which_thread)
    person = app.window.person
    open_file(app, qtbot, seeded.persons["eloise"])

    # Her address is incomplete: the convocation is refused, in French, and nothing is written.
    found = actions(app)
    convocation = found["Convocation au rendez-vous (PDF)…"]
    assert convocation.isEnabled()
    convocation.trigger()
    qtbot.waitUntil(lambda: person.error.isVisible(), timeout=15_000)
    assert "adresse postale" in person.error.text()
    assert not chosen[0].exists()

    with store_of(app).write() as session:
        update_person(
            session, app.session.require_actor(), seeded.persons["eloise"],
            {"address": "4 rue des Forges", "postal_code": "58000", "title": "MME"},
        )  # fmt: skip
    open_file(app, qtbot, seeded.persons["eloise"])
    actions(app)["Convocation au rendez-vous (PDF)…"].trigger()
    qtbot.waitUntil(lambda: person.error.objectName() == "successBanner", timeout=15_000)
    assert str(chosen[1]) in person.error.text()
    assert threads and all(name.startswith("spie-writer") for name in threads)
    text = subprocess.run(["pdftotext", str(chosen[1]), "-"], capture_output=True, text=True).stdout
    assert "Madame Éloïse LEFÈVRE" in text and "58000 NEVERS" in text

    actions(app)["Dossier complet (droit d'accès, PDF)…"].trigger()
    qtbot.waitUntil(lambda: chosen[-1].exists() and str(chosen[-1]) in person.error.text(),
                    timeout=15_000)  # fmt: skip
    wait_idle(qtbot, app)
    text = subprocess.run(["pdftotext", str(chosen[2]), "-"], capture_output=True, text=True).stdout
    assert "Dossier de Éloïse LEFÈVRE" in text and "Impression" in text
    with store_of(app).read() as session:
        printed = (
            session.execute(
                select(AuditEvent.detail).where(
                    AuditEvent.person_id == seeded.persons["eloise"], AuditEvent.action == "print"
                )
            )
            .scalars()
            .all()
        )
    assert len(printed) == 2

    # No contract yet: refused in French, nothing written.
    actions(app)["Contrat d'engagement et plan d'action, à signer (PDF)…"].trigger()
    qtbot.waitUntil(lambda: person.error.objectName() == "errorBanner", timeout=15_000)
    assert "pas de contrat" in person.error.text()
    chosen.pop()

    actions(app)["Données du dossier pour un programme (droit d'accès, JSON)…"].trigger()
    qtbot.waitUntil(lambda: chosen[-1].exists() and str(chosen[-1]) in person.error.text(),
                    timeout=15_000)  # fmt: skip
    assert json.loads(chosen[3].read_text(encoding="utf-8"))["person"]["first_name"] == "Éloïse"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("sortie")) == [
        "sortie-1.pdf", "sortie-2.pdf", "sortie-3.json"
    ]  # fmt: skip


def test_agenda_export(app, seeded, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "agenda"  # no suffix typed: .ics is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), args[-1]))
    app.window.show_view("agenda")
    agenda = app.window.agenda
    agenda.reload()
    wait_idle(qtbot, app)
    from PySide6.QtWidgets import QPushButton

    (export,) = [b for b in agenda.findChildren(QPushButton) if b.text() == "Exporter (.ics)…"]
    export.click()
    saved = tmp_path / "agenda.ics"
    qtbot.waitUntil(saved.exists, timeout=15_000)
    wait_idle(qtbot, app)
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any("LEFÈVRE Éloïse" in s for s in summaries), summaries
    assert agenda.error.objectName() == "successBanner"


def test_erasure_is_requested_from_the_file(
    app, seeded, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from spie_desktop.domain.models import ErasureRequest

    answers = iter([("", False), ("Demande écrite de la personne du 28/11", True), ("x", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: next(answers))
    person = app.window.person
    open_file(app, qtbot, seeded.persons["marc"])
    erase = actions(app)["Demander l'effacement du dossier (RGPD)…"]
    erase.trigger()  # cancelled: nothing
    wait_idle(qtbot, app)
    erase.trigger()
    qtbot.waitUntil(lambda: person.error.objectName() == "successBanner", timeout=15_000)
    assert "Demande d'effacement enregistrée" in person.error.text()
    erase.trigger()  # a second request while the first is pending: refused in French
    qtbot.waitUntil(lambda: person.error.objectName() == "errorBanner", timeout=15_000)
    assert "déjà en cours" in person.error.text()
    with store_of(app).read() as session:
        rows = [(r.person_id, r.reason) for r in session.execute(select(ErasureRequest)).scalars()]
    assert rows == [(seeded.persons["marc"], "Demande écrite de la personne du 28/11")]
