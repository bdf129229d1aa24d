"""Choosing an action's partner in the directory (issue 16).

:class:`PartnerPickerDialog` is the directory search (:class:`DirectorySearch`) opened on the
barrier's theme and, nearest first, the person's commune; Entrée on a service (or « Choisir
ce service ») picks it. :class:`PartnerLink` ties a dialog's « Partenaire » field to the
picked service: the field takes the service's name (still free text: typing another name
unlinks it), the link keeps its id for the use-case, and a line under the field shows how to
reach and mobilise it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.documents.department import load_department_settings
from spie_desktop.services import partners, usecases
from spie_desktop.services.documents import RenderedDocument
from spie_desktop.services.operation import Outcome
from spie_desktop.services.partners import PartnerDetail
from spie_desktop.store.store import Store
from ui.documents import PDF_FILTER, DocumentSaver
from ui.i18n import translate
from ui.session import AppContext
from ui.texts.directory import mobilisation
from ui.widgets.common import a11y, banner, heading, show_banner
from ui.widgets.directory_search import DirectorySearch, fmt_km

PARTNER_MAX = 255


def save_partner_sheet(
    saver: DocumentSaver, detail: PartnerDetail, person_id: uuid.UUID | None
) -> bool:
    """Ask where, then render the service's sheet (for the person, when known) on the
    writer thread, audited like the other prints; False when cancelled."""
    actor = saver.session.require_actor()
    service_id = detail.row.id

    def render(store: Store) -> Outcome[RenderedDocument]:
        department = load_department_settings(store.data_dir)
        return usecases.print_partner_sheet(store, actor, service_id, department, person_id)

    words = "-".join(detail.row.name.replace("/", " ").split())[:60]
    suggested = f"fiche-partenaire-{words}-{date.today():%Y-%m-%d}.pdf"
    return saver.save(
        translate("directory", "Enregistrer la fiche du service"), suggested, PDF_FILTER, render
    )


def printed_text(path: str, person_id: uuid.UUID | None) -> str:
    text = translate("directory", "Fiche enregistrée : {path}.").format(path=path)
    if person_id is not None:
        text += " " + translate(
            "directory", "Elle porte le nom de la personne : supprimez-la une fois remise."
        )
    return text


class PartnerPickerDialog(QDialog):
    picked = Signal(object)  # PartnerDetail

    def __init__(
        self,
        session: AppContext,
        parent: QWidget | None,
        *,
        person_id: uuid.UUID | None,
        theme: str | None,
    ) -> None:
        super().__init__(parent)
        title = translate("directory", "Choisir un partenaire dans l'annuaire")
        self.setWindowTitle(title)
        a11y(self, title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.resize(1040, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(heading(title, "sectionTitle"))
        self.search = DirectorySearch(session, self)
        layout.addWidget(self.search, 1)
        self.buttons = QDialogButtonBox(self)
        self.choose_button: QPushButton = self.buttons.addButton(
            translate("directory", "Choisir ce service"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.choose_button.setProperty("primary", True)
        # Entrée in the search field searches; it must not pick what happens to be selected.
        self.choose_button.setAutoDefault(False)
        self.choose_button.setDefault(False)
        self.choose_button.setEnabled(False)
        a11y(self.choose_button, self.choose_button.text())
        cancel = self.buttons.addButton(
            translate("dialogs", "Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setAutoDefault(False)
        self.print_button = self.buttons.addButton(
            translate("directory", "Imprimer la fiche…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_button.setAutoDefault(False)
        self.print_button.setEnabled(False)
        a11y(
            self.print_button,
            translate("directory", "Imprimer la fiche du service pour la personne"),
        )
        self.person_id = person_id
        self.saver = DocumentSaver(session, self)
        self.notice = banner("successBanner")
        layout.insertWidget(layout.count() - 1, self.notice)
        self.saver.saved.connect(
            lambda path: show_banner(self.notice, printed_text(path, person_id), "successBanner")
        )
        self.saver.failed.connect(lambda text: show_banner(self.notice, text, "errorBanner"))
        self.print_button.clicked.connect(self.print_sheet)
        self.buttons.accepted.connect(self._choose)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.search.selected.connect(self._selected)
        self.search.chosen.connect(self._pick)
        self.search.set_theme(theme)
        self.search.activate()
        if person_id is not None:
            self.search.use_person(person_id)
        self.search.text.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Entrée searches in the filters and picks in the list; it never presses the
        button box's default (which QDialogButtonBox would set on the accept button)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and focused.isEnabled():
                focused.click()
            elif focused is self.search.results:
                self._choose()
            else:
                self.search.search_now()
            event.accept()
            return
        super().keyPressEvent(event)

    def _selected(self, detail: PartnerDetail | None) -> None:
        self.choose_button.setEnabled(detail is not None)
        self.print_button.setEnabled(detail is not None)

    def print_sheet(self) -> bool:
        if self.search.detail is None:
            return False
        return save_partner_sheet(self.saver, self.search.detail, self.person_id)

    def _choose(self) -> None:
        if self.search.detail is not None:
            self._pick(self.search.detail)

    def _pick(self, detail: PartnerDetail) -> None:
        self.picked.emit(detail)
        self.accept()


def partner_text(detail: PartnerDetail) -> str:
    """What the « Partenaire » field keeps: the service and its structure."""
    row = detail.row
    text = row.name if not row.structure_name else f"{row.name} — {row.structure_name}"
    return text[:PARTNER_MAX]


def link_text(detail: PartnerDetail) -> str:
    parts = [translate("directory", "Service de l'annuaire : {name}").format(name=detail.row.name)]
    reach = " · ".join(p for p in (detail.row.phone, detail.email, detail.row.address) if p)
    if reach:
        parts.append(translate("directory", "Contact : {text}").format(text=reach))
    how = mobilisation(detail.data)
    if how:
        parts.append(translate("directory", "Mobilisation : {text}").format(text=how))
    if detail.row.weekly_hours:
        parts.append(
            translate("directory", "{h} h par semaine").format(
                h=f"{detail.row.weekly_hours:g}".replace(".", ",")
            )
        )
    distance = fmt_km(detail.row.distance_km)
    if distance:
        parts.append(translate("directory", "à {km} du domicile").format(km=distance))
    return "\n".join(parts)


class PartnerLink(QObject):
    """The « Partenaire » field of an action dialog, linked (or not) to a directory service."""

    changed = Signal(object)  # PartnerDetail | None

    def __init__(
        self,
        session: AppContext,
        field: QLineEdit,
        parent: QWidget,
        *,
        person_id: uuid.UUID | None,
        theme: Callable[[], str | None],
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.field = field
        self.parent_widget = parent
        self.person_id = person_id
        self.theme = theme
        self.service_id: str | None = None
        self.detail: PartnerDetail | None = None
        self._linked_text = ""
        self.dialog: PartnerPickerDialog | None = None
        self.button = QPushButton(translate("directory", "Choisir dans l'annuaire…"))
        self.button.setAutoDefault(False)
        a11y(
            self.button,
            translate("directory", "Choisir le partenaire dans l'annuaire"),
            translate("directory", "Les services du thème, les plus proches de la personne."),
        )
        self.button.clicked.connect(self.pick)
        self.info = QLabel()
        self.info.setObjectName("hint")
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setContentsMargins(0, 2, 0, 8)
        self.info.setVisible(False)
        field.textEdited.connect(self._edited)

    def pick(self) -> PartnerPickerDialog:
        dialog = PartnerPickerDialog(
            self.session, self.parent_widget, person_id=self.person_id, theme=self.theme()
        )
        dialog.picked.connect(self.set_detail)
        dialog.open()
        self.dialog = dialog
        return dialog

    def set_detail(self, detail: PartnerDetail) -> None:
        self.detail = detail
        self.service_id = detail.row.id
        self._linked_text = partner_text(detail)
        self.field.setText(self._linked_text)
        self.info.setText(link_text(detail))
        self.info.setAccessibleName(self.info.text())
        self.info.setVisible(True)
        self.changed.emit(detail)

    def load(self, service_id: str | None) -> None:
        """An action already linked: show its service (read on a reader thread)."""
        self.service_id = service_id
        self._linked_text = self.field.text()
        if not service_id:
            return
        at = datetime.now()

        def loaded(detail: PartnerDetail | None) -> None:
            if detail is None:
                self.info.setText(
                    translate(
                        "directory",
                        "Service de l'annuaire introuvable sur cet ordinateur (retiré de "
                        "l'annuaire ou pas encore reçu).",
                    )
                )
                self.info.setVisible(True)
                return
            if self.service_id == detail.row.id:
                self.detail = detail
                self.info.setText(link_text(detail))
                self.info.setVisible(True)

        self.session.ops.read(
            lambda store: partners.partner_detail(store, service_id, at),
            loaded,
            lambda _error: None,
            owner=self.info,
            label="partner of action",
        )

    def _edited(self, text: str) -> None:
        if self.service_id is not None and text != self._linked_text:
            self.service_id = None
            self.detail = None
            self.info.setVisible(False)
            self.changed.emit(None)
