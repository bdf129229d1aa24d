"""Saving the documents a referent hands over: the person's file, a convocation, a visit
summary, an invitation, the agenda.

The user chooses where (a file dialog); the use-case of :mod:`spie_desktop.services.usecases`
renders it on the writer thread (it records the print in the audit log) and the bytes are
written there, and only there, by :func:`spie_desktop.documents.output.write_document`. The
UI thread never renders nor writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMenu, QToolButton, QWidget

from spie_desktop.documents.output import write_document
from spie_desktop.domain.enums import AppointmentStatus
from spie_desktop.services import documents, usecases
from spie_desktop.services.department import letter_settings
from spie_desktop.services.operation import NO_CHANGES, Outcome
from spie_desktop.services.read_models import AppointmentInfo
from spie_desktop.store.store import Store
from ui.formatting import to_local
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import a11y, button, show_banner
from ui.workers import error_message

if TYPE_CHECKING:
    from ui.views.agenda import AgendaView
    from ui.views.person_file import PersonFileView

PDF_FILTER = "PDF (*.pdf)"
ICS_FILTER = "iCalendar (*.ics)"
JSON_FILTER = "JSON (*.json)"
CSV_FILTER = "CSV (*.csv)"
SUFFIXES = {PDF_FILTER: ".pdf", ICS_FILTER: ".ics", JSON_FILTER: ".json", CSV_FILTER: ".csv"}

Render = Callable[[Store], Outcome[documents.RenderedDocument]]


def _default_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class DocumentSaver(QObject):
    """Ask for a file name, render in the background, report where the document went."""

    #: the document was written: its path
    saved = Signal(str)
    #: a French sentence (rendering refused, disk full…)
    failed = Signal(str)
    #: an erasure request was recorded: the sentence to show
    requested = Signal(str)

    def __init__(self, session: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.widget = parent
        self.folder: Path | None = None

    def choose_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        """The file dialog (it asks before replacing a file); ``None`` if cancelled."""
        start = (self.folder or _default_folder()) / suggested
        chosen, _ = QFileDialog.getSaveFileName(self.widget, title, str(start), file_filter)
        return Path(chosen) if chosen else None

    def save(self, title: str, suggested: str, file_filter: str, render: Render) -> bool:
        """Ask where, then render and write on the writer thread; False if cancelled."""
        path = self.choose_path(title, suggested, file_filter)
        if path is None:
            return False
        suffix = SUFFIXES[file_filter]
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self.folder = path.parent
        # The dialog already asked before replacing an existing file.
        overwrite = path.exists()

        def work(store: Store) -> Outcome[str]:
            rendered = render(store)  # committed, with its audit event
            written = write_document(path, rendered.value.content, overwrite=overwrite)
            return Outcome(str(written), rendered.changes)

        self.session.ops.write(
            work,
            self.saved.emit,
            lambda error: self.failed.emit(error_message(error)),
            owner=self,
            label="document",
        )
        return True

    # -- erasure (GDPR art. 17) ----------------------------------------------------------

    def request_erasure(self, person_id: uuid.UUID, name: str) -> bool:
        """Ask for the reason, then record the request (decided later by an administrator)."""
        reason, accepted = QInputDialog.getText(
            self.widget,
            translate("documents", "Demander l'effacement du dossier"),
            translate(
                "documents",
                "Effacement du dossier de {name} : motif de la demande (par exemple « demande "
                "écrite de la personne du 28/11 »). Un administrateur décidera ; le dossier "
                "reste consultable d'ici là.",
            ).format(name=name),
            QLineEdit.EchoMode.Normal,
        )
        if not accepted:
            return False
        actor = self.session.require_actor()

        def work(store: Store) -> Outcome[str]:
            usecases.request_erasure(store, actor, person_id, reason)
            # Not announced: nothing the file shows changes, and its message strip must stay.
            return Outcome(
                translate(
                    "documents",
                    "Demande d'effacement enregistrée : elle sera transmise au serveur à la "
                    "prochaine synchronisation, où un administrateur la traitera.",
                ),
                NO_CHANGES,
            )

        self.session.ops.write(
            work,
            self.requested.emit,
            lambda error: self.failed.emit(error_message(error)),
            owner=self,
            label="erasure request",
        )
        return True

    # -- the documents ------------------------------------------------------------------

    def access_file(self, person_id: uuid.UUID, name: str) -> bool:
        actor = self.session.require_actor()

        def render(store: Store) -> Outcome[documents.RenderedDocument]:
            department = letter_settings(store)
            return usecases.print_access_file(store, actor, person_id, department)

        return self.save(
            translate("documents", "Enregistrer le dossier complet (droit d'accès)"),
            _file_name("dossier-droit-acces", name, date.today()),
            PDF_FILTER,
            render,
        )

    def access_json(self, person_id: uuid.UUID, name: str) -> bool:
        actor = self.session.require_actor()

        def render(store: Store) -> Outcome[documents.RenderedDocument]:
            return usecases.export_access_json(store, actor, person_id)

        return self.save(
            translate("documents", "Enregistrer les données (droit d'accès, JSON)"),
            _file_name("donnees-droit-acces", name, date.today(), "json"),
            JSON_FILTER,
            render,
        )

    def contract(self, person_id: uuid.UUID, name: str) -> bool:
        actor = self.session.require_actor()

        def render(store: Store) -> Outcome[documents.RenderedDocument]:
            department = letter_settings(store)
            return usecases.print_contract(store, actor, person_id, department)

        return self.save(
            translate("documents", "Enregistrer le contrat d'engagement"),
            _file_name("contrat", name, date.today()),
            PDF_FILTER,
            render,
        )

    def convocation(self, appointment: AppointmentInfo, name: str) -> bool:
        actor = self.session.require_actor()

        def render(store: Store) -> Outcome[documents.RenderedDocument]:
            department = letter_settings(store)
            return usecases.print_convocation(store, actor, appointment.id, department)

        return self.save(
            translate("documents", "Enregistrer la convocation"),
            _file_name("convocation", name, to_local(appointment.starts_at).date()),
            PDF_FILTER,
            render,
        )

    def visit_summary(self, appointment: AppointmentInfo, name: str) -> bool:
        actor = self.session.require_actor()

        def render(store: Store) -> Outcome[documents.RenderedDocument]:
            department = letter_settings(store)
            return usecases.print_visit_summary(store, actor, appointment.id, department)

        return self.save(
            translate("documents", "Enregistrer le compte rendu"),
            _file_name("compte-rendu", name, to_local(appointment.starts_at).date()),
            PDF_FILTER,
            render,
        )

    def invitation(self, appointment: AppointmentInfo, name: str) -> bool:
        actor = self.session.require_actor()

        def render(store: Store) -> Outcome[documents.RenderedDocument]:
            return usecases.export_invitation(store, actor, appointment.id)

        return self.save(
            translate("documents", "Enregistrer le rendez-vous pour l'agenda de la personne"),
            _file_name("rendez-vous", name, to_local(appointment.starts_at).date()),
            ICS_FILTER,
            render,
        )

    def agenda(self, start: date, end: date) -> bool:
        actor = self.session.require_actor()

        def render(store: Store) -> Outcome[documents.RenderedDocument]:
            return usecases.export_agenda(store, actor, start, end)

        return self.save(
            translate("documents", "Exporter l'agenda"),
            f"agenda-{start:%Y-%m-%d}-{end:%Y-%m-%d}.ics",
            ICS_FILTER,
            render,
        )


def _file_name(kind: str, name: str, day: date, suffix: str = "pdf") -> str:
    words = "-".join(part for part in name.replace("/", " ").split() if part)
    stem = f"{kind}-{words}" if words else kind
    return f"{stem}-{day:%Y-%m-%d}.{suffix}"


def person_documents_button(
    saver: DocumentSaver,
    person: Callable[[], tuple[uuid.UUID, str] | None],
    appointment: Callable[[], AppointmentInfo | None],
) -> QToolButton:
    """« Documents ▾ » for the person file: the file, and the chosen appointment's papers.

    ``appointment()`` is the one selected in the Rendez-vous tab, else the next one.
    """
    menu = QMenu()
    whole = menu.addAction(translate("documents", "Dossier complet (droit d'accès, PDF)…"))
    contract = menu.addAction(
        translate("documents", "Contrat d'engagement et plan d'action, à signer (PDF)…")
    )
    machine = menu.addAction(
        translate("documents", "Données du dossier pour un programme (droit d'accès, JSON)…")
    )
    menu.addSeparator()
    convocation = menu.addAction(translate("documents", "Convocation au rendez-vous (PDF)…"))
    summary = menu.addAction(translate("documents", "Compte rendu du rendez-vous (PDF)…"))
    invitation = menu.addAction(
        translate("documents", "Rendez-vous pour l'agenda de la personne (.ics)…")
    )

    def refresh() -> None:
        chosen = appointment()
        planned = chosen is not None and chosen.status == AppointmentStatus.PLANNED.value
        whole.setEnabled(person() is not None)
        machine.setEnabled(person() is not None)
        contract.setEnabled(person() is not None)
        convocation.setEnabled(planned)
        invitation.setEnabled(chosen is not None)
        summary.setEnabled(chosen is not None)

    def with_appointment(action: Callable[[AppointmentInfo, str], bool]) -> None:
        who, chosen = person(), appointment()
        if who is not None and chosen is not None:
            action(chosen, who[1])

    def whole_file() -> None:
        who = person()
        if who is not None:
            saver.access_file(*who)

    def contract_file() -> None:
        who = person()
        if who is not None:
            saver.contract(*who)

    contract.triggered.connect(contract_file)

    def machine_file() -> None:
        who = person()
        if who is not None:
            saver.access_json(*who)

    menu.addSeparator()
    erase = menu.addAction(translate("documents", "Demander l'effacement du dossier (RGPD)…"))

    def erase_file() -> None:
        who = person()
        if who is not None:
            saver.request_erasure(*who)

    erase.triggered.connect(erase_file)
    menu.aboutToShow.connect(refresh)
    whole.triggered.connect(whole_file)
    machine.triggered.connect(machine_file)
    convocation.triggered.connect(lambda: with_appointment(saver.convocation))
    summary.triggered.connect(lambda: with_appointment(saver.visit_summary))
    invitation.triggered.connect(lambda: with_appointment(saver.invitation))
    widget = QToolButton()
    widget.setText(translate("documents", "Documents"))
    widget.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    widget.setMenu(menu)
    menu.setParent(widget, menu.windowFlags())
    a11y(
        widget,
        translate("documents", "Documents à imprimer ou exporter"),
        translate(
            "documents",
            "Dossier complet, convocation, compte rendu ou rendez-vous pour l'agenda",
        ),
    )
    return widget


def _report_in(saver: DocumentSaver, banner: QWidget) -> None:
    from PySide6.QtWidgets import QLabel

    if not isinstance(banner, QLabel):
        return
    saver.saved.connect(
        lambda path: show_banner(
            banner,
            translate(
                "documents",
                "Document enregistré : {path}. Il contient des données "
                "personnelles : supprimez-le une fois remis.",
            ).format(path=path),
            "successBanner",
        )
    )
    saver.failed.connect(lambda text: show_banner(banner, text, "errorBanner"))
    saver.requested.connect(lambda text: show_banner(banner, text, "successBanner"))


def attach_person_documents(view: PersonFileView) -> QToolButton:
    """The « Documents » button of the person file, reporting in its message strip."""
    saver = DocumentSaver(view.session, view)
    _report_in(saver, view.error)

    def person() -> tuple[uuid.UUID, str] | None:
        data = view.file
        return (data.person_id, data.display_name) if data is not None else None

    def appointment() -> AppointmentInfo | None:
        data = view.file
        if data is None:
            return None
        selected = view._selected_appointment()
        return selected if selected is not None else data.next_appointment

    widget = person_documents_button(saver, person, appointment)
    view.documents = saver  # type: ignore[attr-defined]
    return widget


def attach_agenda_export(view: AgendaView) -> QWidget:
    """« Exporter (.ics)… » for the period the agenda shows."""
    saver = DocumentSaver(view.session, view)
    _report_in(saver, view.error)

    def export() -> None:
        first, days = view.period_bounds()
        saver.agenda(first, first + timedelta(days=days - 1))

    widget = button(
        translate("documents", "Exporter (.ics)…"),
        translate(
            "documents", "Exporter les rendez-vous de la période pour Outlook ou Thunderbird"
        ),
    )
    widget.clicked.connect(export)
    view.documents = saver  # type: ignore[attr-defined]
    return widget
