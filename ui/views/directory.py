"""« Annuaire des partenaires » (issue 16): the department's partner services, offline.

The search itself is :class:`ui.widgets.directory_search.DirectorySearch` (shared with the
action dialog's partner picker); this screen adds its title, the person it was opened for
(from a person's file: her commune, the barrier's theme) and the printable sheet of the
selected service (« Imprimer la fiche… », for a person without digital access).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from spie_desktop.services.operation import Changes
from spie_desktop.services.partners import DirectoryOverview, PartnerDetail
from ui.dialogs.partner_picker import printed_text, save_partner_sheet
from ui.documents import DocumentSaver
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import a11y, banner, button, hbox, heading, shortcut, show_banner
from ui.widgets.directory_search import DirectorySearch


class DirectoryView(QWidget):
    back_to_person = Signal(object)  # person id

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session
        self.person_id: uuid.UUID | None = None
        self.person_name = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(10)
        self.title = heading(translate("directory", "Annuaire des partenaires"))
        self.subtitle = heading(
            translate(
                "directory",
                "Services d'insertion du département (data·inclusion), consultables hors ligne.",
            ),
            "subtitle",
        )
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.person_strip = banner("infoBanner")
        self.back_button = button(translate("directory", "← Retour au dossier"), flat=True)
        self.back_button.setVisible(False)
        self.back_button.clicked.connect(self._back)
        strip = hbox(self.person_strip, self.back_button)
        strip.setStretch(0, 1)
        layout.addLayout(strip)
        self.search = DirectorySearch(session)
        layout.addWidget(self.search, 1)
        self.print_button = button(
            translate("directory", "Imprimer la fiche…"),
            translate("directory", "Imprimer la fiche du service pour la personne"),
            tooltip=translate(
                "directory",
                "Un PDF à remettre ou à envoyer à la personne (Ctrl+P) ; enregistré où vous "
                "le choisissez.",
            ),
        )
        self.print_button.setEnabled(False)
        self.notice = banner("successBanner")
        self.print_button.clicked.connect(self.print_sheet)
        shortcut("Ctrl+P", self, self.print_sheet)
        self.saver = DocumentSaver(session, self)
        self.saver.saved.connect(self._printed)
        self.saver.failed.connect(lambda text: show_banner(self.notice, text, "errorBanner"))
        layout.addLayout(hbox(self.notice, None, self.print_button))
        self.search.selected.connect(self._selected)
        self.search.overview_loaded.connect(self._overview)
        a11y(self, translate("directory", "Annuaire des partenaires"))

    # -- lifecycle -----------------------------------------------------------------------

    def activate(self) -> None:
        show_banner(self.notice, None)
        self.search.activate()
        self.search.text.setFocus()

    def deactivate(self) -> None:
        self.search.deactivate()
        self.clear_person()

    def data_changed(self, changes: Changes) -> None:
        """A sync pull may have brought the directory: read it again when shown."""
        if changes.everything and self.isVisible():
            self.search.activate()

    # -- opened for a person ---------------------------------------------------------------

    def open_for_person(self, person_id: uuid.UUID, name: str, theme: str | None) -> None:
        self.person_id = person_id
        self.person_name = name
        show_banner(
            self.person_strip,
            translate("directory", "Pour {name}").format(name=name),
            "infoBanner",
        )
        self.back_button.setVisible(True)
        self.search.set_theme(theme)
        self.search.use_person(person_id)

    def clear_person(self) -> None:
        self.person_id = None
        self.person_name = ""
        show_banner(self.person_strip, None)
        self.back_button.setVisible(False)

    def _back(self) -> None:
        if self.person_id is not None:
            self.back_to_person.emit(self.person_id)

    # -- selection -----------------------------------------------------------------------

    def _selected(self, detail: PartnerDetail | None) -> None:
        self.print_button.setEnabled(detail is not None)

    def _overview(self, overview: DirectoryOverview) -> None:
        if overview.services:
            self.subtitle.setText(
                translate(
                    "directory",
                    "{n} services d'insertion du département (data·inclusion), consultables "
                    "hors ligne.",
                ).format(n=overview.services)
            )

    # -- the printable sheet ---------------------------------------------------------------

    def print_sheet(self) -> bool:
        """Ask where to save the sheet of the selected service, then render it (audited)."""
        detail = self.search.detail
        if detail is None or not self.session.is_unlocked:
            return False
        return save_partner_sheet(self.saver, detail, self.person_id)

    def _printed(self, path: str) -> None:
        show_banner(self.notice, printed_text(path, self.person_id), "successBanner")
