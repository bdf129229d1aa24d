"""The team's audit log for its supervisor (issue 15, What 5): who opened, changed, exported,
printed or revealed which file, filtered by person, account, kind and days, exportable as CSV.

The log is the server's (devices only push their lines): the dialog asks
:meth:`ui.sync_controller.SyncController.audit_events`, which reads it on the sync thread;
the UI never waits. Offline, a French sentence says the log is read on line; the filters
are checked before anything is sent (a date that does not exist, a person not followed).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.errors import SpieError, ValidationError
from spie_desktop.services import queries, usecases
from spie_desktop.services.csv_exports import AuditLine
from spie_desktop.services.documents import RenderedDocument
from spie_desktop.services.operation import Outcome
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store
from sync.protocol import AuditEntry, AuditPage
from ui.documents import CSV_FILTER, DocumentSaver, _report_in
from ui.formatting import fmt_datetime
from ui.i18n import translate
from ui.session import AppContext
from ui.sync_controller import AuditQuery, SyncController
from ui.widgets.common import a11y, banner, heading, hint, show_banner
from ui.widgets.fields import DateField
from ui.workers import error_message

AnyIndex = QModelIndex | QPersistentModelIndex
PEOPLE_LIMIT = 20_000


def kind_labels() -> dict[str, str]:
    return {
        "open": translate("audit", "Ouverture du dossier"),
        "change": translate("audit", "Modification"),
        "export": translate("audit", "Export"),
        "print": translate("audit", "Impression"),
        "reveal": translate("audit", "Consultation d'une note sensible"),
    }


class AuditModel(QAbstractTableModel):
    """The lines of the log, newest first (the server's order)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[AuditEntry] = []
        self._titles = [
            translate("audit", "Date"),
            translate("audit", "Utilisateur"),
            translate("audit", "Action"),
            translate("audit", "Personne"),
            translate("audit", "Appareil"),
            translate("audit", "Détail"),
        ]
        self._kinds = kind_labels()

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def text(self, entry: AuditEntry, column: int) -> str:
        if column == 0:
            return fmt_datetime(entry.occurred_at)
        if column == 1:
            if entry.actor_name and entry.actor_username:
                return f"{entry.actor_name} ({entry.actor_username})"
            return entry.actor_username or translate("audit", "serveur")
        if column == 2:
            return self._kinds.get(entry.action, entry.action)
        if column == 3:
            if entry.person_name:
                return entry.person_name
            if entry.person_id is not None:
                return translate("audit", "Personne effacée")
            return "—"
        if column == 4:
            return entry.device_id or "—"
        return entry.detail or ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return self.text(self.entries[index.row()], index.column())
        return None


class AuditLogDialog(QDialog):
    """Filters, the lines, « Exporter en CSV… »; Enter runs the search."""

    def __init__(
        self, session: AppContext, sync: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title = translate("audit", "Journal d'audit de l'équipe")
        self.setWindowTitle(title)
        a11y(self, title)
        self.setMinimumSize(980, 560)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.session = session
        self.sync = sync
        self.page: AuditPage | None = None
        self.loading = False
        self.loads = 0
        self._shown = AuditQuery()
        self._again = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.addWidget(heading(title, "sectionTitle"))
        layout.addWidget(
            hint(
                translate(
                    "audit",
                    "Qui a ouvert, modifié, exporté, imprimé ou consulté quel dossier de votre "
                    "équipe. Le journal est tenu par le serveur départemental : il se consulte "
                    "en ligne.",
                )
            )
        )
        filters = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        self.person = a11y(QComboBox(), translate("audit", "Personne"))
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.person.addItem(translate("audit", "Toutes les personnes"), None)
        self.person.setMinimumWidth(260)
        # A popup of the matching names, never an inline completion: typing a name that
        # homonyms share must not silently complete to the first of them.
        completer = QCompleter(self.person.model(), self.person)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.person.setCompleter(completer)
        left.addRow(translate("audit", "&Personne"), self.person)
        self.user = a11y(QLineEdit(), translate("audit", "Utilisateur (identifiant)"))
        self.user.setMaxLength(100)
        self.user.setPlaceholderText(translate("audit", "ex. ana.martin (tous si vide)"))
        left.addRow(translate("audit", "&Utilisateur"), self.user)
        self.kind = a11y(QComboBox(), translate("audit", "Type d'événement"))
        self.kind.addItem(translate("audit", "Tous"), None)
        for code, text in kind_labels().items():
            self.kind.addItem(text, code)
        left.addRow(translate("audit", "&Type"), self.kind)
        self.since = a11y(DateField(field="since", future=False), translate("audit", "Du"))
        self.until = a11y(DateField(field="until", future=False), translate("audit", "Au"))
        right.addRow(translate("audit", "&Du"), self.since)
        right.addRow(translate("audit", "&Au (inclus)"), self.until)
        buttons = QHBoxLayout()
        self.search = QPushButton(translate("audit", "&Rechercher"))
        self.search.setDefault(True)
        self.search.clicked.connect(self.run)
        self.export_button = QPushButton(translate("audit", "&Exporter en CSV…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        close = QPushButton(translate("audit", "Fermer"))
        close.clicked.connect(self.reject)
        for widget in (self.search, self.export_button, close):
            a11y(widget, widget.text().replace("&", ""))
            buttons.addWidget(widget)
        right.addRow(buttons)
        filters.addLayout(left, 1)
        filters.addLayout(right, 1)
        layout.addLayout(filters)
        self.error = banner()
        layout.addWidget(self.error)
        self.status = QLabel()
        self.status.setObjectName("hint")
        a11y(self.status, translate("audit", "État de la recherche"))
        layout.addWidget(self.status)
        self.model = AuditModel(self)
        self.table = a11y(QTableView(), translate("audit", "Lignes du journal d'audit"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        for column, width in ((0, 150), (1, 250), (2, 230), (3, 180), (4, 120)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.saver = DocumentSaver(session, self)
        _report_in(self.saver, self.error)
        self._load_people()
        self.run()

    # -- filters ----------------------------------------------------------------------------

    def _load_people(self) -> None:
        now = utcnow()

        def done(people: list[tuple[str, uuid.UUID]]) -> None:
            for name, person_id in people:
                self.person.addItem(name, person_id)

        self.session.ops.read(
            lambda store: queries.caseload_people(store, now, limit=PEOPLE_LIMIT),
            done,
            lambda _error: None,
            owner=self,
            label="audit people",
        )

    def query(self) -> AuditQuery:
        """The filters as typed; a French :class:`ValidationError` for what cannot be."""
        since, until = self.since.value(), self.until.value()
        if since and until and since > until:
            raise ValidationError(
                translate("audit", "La date de début ({a}) est après la date de fin ({b}).").format(
                    a=since.strftime("%d/%m/%Y"), b=until.strftime("%d/%m/%Y")
                ),
                field="since",
            )
        return AuditQuery(
            person_id=self._person_id(),
            username=" ".join(self.user.text().split()) or None,
            action=self.kind.currentData(),
            since=since,
            until=until,
        )

    def _person_id(self) -> uuid.UUID | None:
        """The person of the filter. The list's labels are unique (homonyms carry their
        birth date, see ``queries.caseload_people``); a name typed by hand that several
        persons share is refused rather than resolved to the first of them."""
        text = " ".join(self.person.currentText().split())
        if not text or text.casefold() == self.person.itemText(0).casefold():
            return None  # « Toutes les personnes »
        wanted = text.casefold()
        labels = [
            (index, " ".join(self.person.itemText(index).split()).casefold())
            for index in range(1, self.person.count())
        ]
        found = [index for index, label in labels if label == wanted]
        if not found:  # the bare name of persons listed with their birth date
            found = [index for index, label in labels if label.startswith(f"{wanted} (")]
        if len(found) > 1:
            raise ValidationError(
                translate(
                    "audit",
                    "{count} personnes de votre équipe s'appellent « {name} » : choisissez "
                    "la bonne dans la liste (date de naissance entre parenthèses).",
                ).format(count=len(found), name=text[:80]),
                field="person",
            )
        if not found:
            raise ValidationError(
                translate(
                    "audit",
                    "Personne inconnue de votre équipe : « {name} ». Choisissez-la "
                    "dans la liste (tapez le début du nom).",
                ).format(name=text[:80]),
                field="person",
            )
        value = self.person.itemData(found[0])
        return value if isinstance(value, uuid.UUID) else None

    def filters_text(self, query: AuditQuery) -> str:
        parts = [
            f"personne {query.person_id}" if query.person_id else "",
            f"utilisateur {query.username}" if query.username else "",
            f"type {query.action}" if query.action else "",
            f"du {query.since:%d/%m/%Y}" if query.since else "",
            f"au {query.until:%d/%m/%Y}" if query.until else "",
        ]
        return ", ".join(part for part in parts if part) or "sans filtre"

    # -- search -----------------------------------------------------------------------------

    def run(self) -> None:
        try:
            query = self.query()
        except SpieError as error:
            show_banner(self.error, str(error))
            return
        show_banner(self.error, None)
        if self.loading:  # asked again while the server answers: once more after
            self._again = True
            return
        self.loading = True
        self.status.setText(translate("audit", "Chargement du journal depuis le serveur…"))
        self.sync.audit_events(query, lambda page: self._done(query, page), self._failed)

    def _done(self, query: AuditQuery, page: AuditPage) -> None:
        self.loading = False
        if self._again:
            self._again = False
            self.run()
            return
        self.page = page
        self._shown = query
        self.loads += 1
        self.model.set_entries(list(page.entries))
        self.export_button.setEnabled(bool(page.entries))
        if page.truncated:
            text = translate(
                "audit",
                "Les {n} lignes les plus récentes : d'autres répondent à ces filtres, "
                "affinez-les (dates, personne, utilisateur).",
            ).format(n=len(page.entries))
        elif page.entries:
            text = translate("audit", "{n} ligne(s).").format(n=len(page.entries))
        else:
            text = translate("audit", "Aucune ligne ne répond à ces filtres.")
        self.status.setText(text)

    def _failed(self, error: BaseException) -> None:
        self.loading = False
        self._again = False
        self.loads += 1
        self.status.setText("")
        show_banner(self.error, error_message(error))

    # -- export -----------------------------------------------------------------------------

    def export(self) -> bool:
        """Ask where, then write the lines shown as CSV (the export audited)."""
        actor = self.session.actor
        page = self.page
        if actor is None or page is None or not page.entries:
            return False
        lines = [
            AuditLine(
                occurred_at=entry.occurred_at,
                action=entry.action,
                person_id=entry.person_id,
                person_name=entry.person_name,
                username=entry.actor_username,
                author=entry.actor_name,
                device_id=entry.device_id,
                detail=entry.detail,
            )
            for entry in page.entries
        ]
        filters = self.filters_text(self._shown)
        now = utcnow()

        def render(store: Store) -> Outcome[RenderedDocument]:
            return usecases.export_audit_log(store, actor, lines, now, filters)

        return self.saver.save(
            translate("audit", "Exporter le journal d'audit"),
            f"journal-audit-{now:%Y-%m-%d}.csv",
            CSV_FILTER,
            render,
        )
