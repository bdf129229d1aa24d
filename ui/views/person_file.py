"""A person's file: identity and situation, journal, barriers and actions, appointments, notes.

The next appointment stays visible above the tabs whatever tab is open. Opening the file
is audited (the ``open_person_file`` use-case writes the audit event); later refreshes are
plain queries, scheduled when a change concerns this person.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.domain.enums import (
    OPEN_ACTION_STATUSES,
    AppointmentStatus,
    NoteKind,
)
from spie_desktop.services import queries, usecases
from spie_desktop.services.department import department
from spie_desktop.services.operation import CONTENT_KINDS, Changes, Outcome
from spie_desktop.services.read_models import ActionInfo, AppointmentInfo, BarrierInfo, PersonFile
from spie_desktop.services.timeline import EntryKind
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store
from ui.dialogs.appointments import AppointmentDialog, OutcomeDialog
from ui.dialogs.barriers import ActionDialog, ActionStatusDialog, BarrierDialog, BarrierStatusDialog
from ui.dialogs.base import DraftDialog
from ui.dialogs.reveal import RevealDialog
from ui.documents import attach_person_documents
from ui.formatting import (
    action_text,
    fmt_date,
    fmt_datetime,
    fmt_when,
    label,
)
from ui.i18n import translate
from ui.session import AppContext
from ui.sync_controller import SyncController
from ui.texts import journal
from ui.views.path_tab import PathTab
from ui.widgets.calendar_grid import moved_label
from ui.widgets.common import (
    a11y,
    banner,
    button,
    card,
    fill_combo,
    heading,
    hint,
    select_code,
    shortcut,
    show_banner,
)
from ui.widgets.identity_form import IdentityForm
from ui.workers import error_message

ROW_ID = Qt.ItemDataRole.UserRole
ROW_KIND = Qt.ItemDataRole.UserRole + 1


def _journal_filters() -> list[tuple[str, frozenset[str] | None]]:
    return [
        (translate("person", "Tout le journal"), None),
        (translate("person", "Rendez-vous"), frozenset({EntryKind.APPOINTMENT})),
        (
            translate("person", "Freins"),
            frozenset({EntryKind.BARRIER_OPENED, EntryKind.BARRIER_CLOSED}),
        ),
        (
            translate("person", "Actions"),
            frozenset({EntryKind.ACTION_STARTED, EntryKind.ACTION_ENDED}),
        ),
        (translate("person", "Notes"), frozenset({EntryKind.NOTE})),
        (translate("person", "Passations"), frozenset({EntryKind.HANDOVER})),
    ]


def _tree(name: str, headers: list[str]) -> QTreeWidget:
    tree = a11y(QTreeWidget(), name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setAllColumnsShowFocus(True)
    tree.header().setStretchLastSection(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return tree


class PersonFileView(QWidget):
    back = Signal()

    TAB_JOURNAL, TAB_IDENTITY, TAB_BARRIERS, TAB_APPOINTMENTS, TAB_NOTES, TAB_PATH = range(6)

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session
        self.ops = session.ops
        self.person_id: uuid.UUID | None = None
        self.file: PersonFile | None = None
        self._revealed: dict[uuid.UUID, str] = {}
        #: set by the main window: the server's reveal for a supervisor (``POST /sync/reveal``)
        self.sync: SyncController | None = None
        #: the department allows supervisors to reveal (its setting, synced to this device)
        self.may_reveal = False
        self.reveal_dialog: RevealDialog | None = None
        self._pending_draft: dict[str, Any] | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.timeout.connect(self.reload)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 12)
        layout.setSpacing(10)

        top = QHBoxLayout()
        self.back_button = button(
            translate("person", "← Portefeuille"),
            translate("person", "Retour au portefeuille"),
            flat=True,
            tooltip=translate("person", "Retour au portefeuille (Échap)"),
        )
        self.back_button.clicked.connect(self.back.emit)
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout.addLayout(top)

        self.title = heading("")
        self.subtitle = heading("", "subtitle")
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)

        # The next appointment: always visible.
        self.next_frame = card("nextAppointment")
        next_layout = QHBoxLayout(self.next_frame)
        next_layout.setContentsMargins(14, 10, 14, 10)
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.next_label.setTextFormat(Qt.TextFormat.RichText)
        next_layout.addWidget(self.next_label, 1)
        self.plan_button = button(translate("person", "Planifier un rendez-vous"), primary=True)
        self.move_button = button(translate("person", "Déplacer"))
        self.outcome_button = button(translate("person", "Saisir le compte rendu"))
        for widget in (self.plan_button, self.move_button, self.outcome_button):
            next_layout.addWidget(widget)
        self.plan_button.clicked.connect(lambda: self.plan_appointment())
        self.move_button.clicked.connect(self._move_next)
        self.outcome_button.clicked.connect(self._outcome_pending)
        a11y(self.next_frame, translate("person", "Prochain rendez-vous"))
        layout.addWidget(self.next_frame)

        self.pending_banner = banner("warningBanner")
        layout.addWidget(self.pending_banner)
        self.error = banner()
        layout.addWidget(self.error)
        top.addWidget(attach_person_documents(self))

        self.tabs = a11y(QTabWidget(), translate("person", "Rubriques du dossier"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_journal(), translate("person", "Journal de bord"))
        self.tabs.addTab(self._build_identity(), translate("person", "Identité et situation"))
        self.tabs.addTab(self._build_barriers(), translate("person", "Freins et actions"))
        self.tabs.addTab(self._build_appointments(), translate("person", "Rendez-vous"))
        self.tabs.addTab(self._build_notes(), translate("person", "Notes"))
        self.path_tab = PathTab(session)
        self.tabs.addTab(self.path_tab, translate("person", "Parcours"))
        layout.addWidget(self.tabs, 1)

        shortcut("Escape", self, self._escape)
        shortcut("Ctrl+R", self, lambda: self.plan_appointment())
        for number in range(6):
            shortcut(f"Alt+{number + 1}", self, self._tab_switcher(number))

    def _tab_switcher(self, index: int) -> Callable[[], None]:
        return lambda: self.tabs.setCurrentIndex(index)

    # ------------------------------------------------------------------ building the tabs

    def _build_journal(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        row = QHBoxLayout()
        self.journal_filter = a11y(QComboBox(), translate("person", "Filtrer le journal"))
        for text, kinds in _journal_filters():
            self.journal_filter.addItem(text, kinds)
        self.journal_filter.currentIndexChanged.connect(self._fill_journal)
        row.addWidget(QLabel(translate("person", "Afficher :")))
        row.addWidget(self.journal_filter)
        row.addStretch(1)
        self.reveal_button = button(
            translate("person", "Afficher la note sensible"),
            tooltip=translate(
                "person", "La lecture d'une note sensible est enregistrée dans le journal d'audit."
            ),
        )
        self.reveal_button.setEnabled(False)
        self.reveal_button.clicked.connect(self._reveal_selected)
        row.addWidget(self.reveal_button)
        layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.journal = _tree(
            translate("person", "Journal de bord"),
            [
                translate("person", "Date"),
                translate("person", "Type"),
                translate("person", "Événement"),
                translate("person", "Statut"),
            ],
        )
        self.journal.setColumnWidth(0, 140)
        self.journal.setColumnWidth(1, 115)
        self.journal.header().setStretchLastSection(False)
        self.journal.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.journal.setColumnWidth(3, 170)
        self.journal.currentItemChanged.connect(self._journal_selected)
        self.journal.itemActivated.connect(lambda *_: self._reveal_selected())
        splitter.addWidget(self.journal)
        self.journal_detail = a11y(QPlainTextEdit(), translate("person", "Détail de l'entrée"))
        self.journal_detail.setReadOnly(True)
        self.journal_detail.setPlaceholderText(
            translate("person", "Sélectionnez une entrée pour en lire le détail.")
        )
        splitter.addWidget(self.journal_detail)
        splitter.setSizes([400, 140])
        layout.addWidget(splitter, 1)
        return page

    def _build_identity(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        self.identity_banner = banner("successBanner")
        layout.addWidget(self.identity_banner)
        self.identity = IdentityForm()
        self.identity.edited.connect(self._identity_edited)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.identity)
        scroll.setAccessibleName(translate("person", "Identité et situation"))
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.identity_cancel = button(translate("person", "Annuler les modifications"))
        self.identity_save = button(
            translate("person", "Enregistrer"),
            translate("person", "Enregistrer l'identité et la situation"),
            primary=True,
        )
        self.identity_cancel.clicked.connect(self._identity_reset)
        self.identity_save.clicked.connect(self._identity_save)
        self.identity_save.setEnabled(False)
        self.identity_cancel.setEnabled(False)
        row.addWidget(self.identity_cancel)
        row.addWidget(self.identity_save)
        layout.addLayout(row)
        return page

    def _build_barriers(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        head = QHBoxLayout()
        head.addWidget(
            heading(translate("person", "Diagnostic des freins"), "sectionTitle", wrap=False)
        )
        head.addStretch(1)
        self.new_barrier_button = button(
            translate("person", "+ Nouveau frein"), translate("person", "Nouveau frein")
        )
        self.barrier_status_button = button(translate("person", "Changer le statut du frein"))
        self.new_barrier_button.clicked.connect(self.new_barrier)
        self.barrier_status_button.clicked.connect(self._barrier_status)
        head.addWidget(self.barrier_status_button)
        head.addWidget(self.new_barrier_button)
        layout.addLayout(head)
        self.barriers = _tree(
            translate("person", "Freins par thème"),
            [
                translate("person", "Thème / objectif"),
                translate("person", "Statut"),
                translate("person", "Depuis le"),
                translate("person", "Situations"),
            ],
        )
        self.barriers.setRootIsDecorated(True)
        self.barriers.setColumnWidth(0, 360)
        self.barriers.setColumnWidth(1, 140)
        self.barriers.setColumnWidth(2, 100)
        self.barriers.currentItemChanged.connect(self._update_buttons)
        self.barriers.itemActivated.connect(lambda *_: self._barrier_status())
        layout.addWidget(self.barriers, 1)
        head = QHBoxLayout()
        head.addWidget(heading(translate("person", "Actions"), "sectionTitle", wrap=False))
        head.addStretch(1)
        self.action_status_button = button(translate("person", "Suivre l'action"))
        self.new_action_button = button(
            translate("person", "+ Nouvelle action"), translate("person", "Nouvelle action")
        )
        self.action_status_button.clicked.connect(self._action_status)
        self.new_action_button.clicked.connect(self.new_action)
        head.addWidget(self.action_status_button)
        head.addWidget(self.new_action_button)
        layout.addLayout(head)
        self.action_list = _tree(
            translate("person", "Actions de levée des freins"),
            [
                translate("person", "Action"),
                translate("person", "Partenaire"),
                translate("person", "Échéance"),
                translate("person", "Statut"),
            ],
        )
        self.action_list.setColumnWidth(0, 380)
        self.action_list.setColumnWidth(1, 180)
        self.action_list.setColumnWidth(2, 160)
        self.action_list.currentItemChanged.connect(self._update_buttons)
        self.action_list.itemActivated.connect(lambda *_: self._action_status())
        layout.addWidget(self.action_list, 1)
        return page

    def _build_appointments(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        head = QHBoxLayout()
        head.addStretch(1)
        self.appt_plan = button(
            translate("person", "+ Planifier"), translate("person", "Planifier un rendez-vous")
        )
        self.appt_move = button(
            translate("person", "Déplacer"),
            translate("person", "Déplacer le rendez-vous sélectionné"),
        )
        self.appt_cancel = button(
            translate("person", "Annuler"),
            translate("person", "Annuler le rendez-vous sélectionné"),
        )
        self.appt_outcome = button(
            translate("person", "Compte rendu"),
            translate("person", "Saisir le compte rendu du rendez-vous"),
        )
        for widget in (self.appt_outcome, self.appt_cancel, self.appt_move, self.appt_plan):
            head.addWidget(widget)
        self.appt_plan.clicked.connect(lambda: self.plan_appointment())
        self.appt_move.clicked.connect(lambda: self._with_appointment(self.move_appointment))
        self.appt_cancel.clicked.connect(lambda: self._with_appointment(self.cancel_appointment))
        self.appt_outcome.clicked.connect(lambda: self._with_appointment(self.record_outcome))
        layout.addLayout(head)
        self.appointments = _tree(
            translate("person", "Rendez-vous de la personne"),
            [
                translate("person", "Date"),
                translate("person", "Objet"),
                translate("person", "Modalité"),
                translate("person", "Statut"),
                translate("person", "Compte rendu"),
            ],
        )
        for column, width in enumerate((150, 150, 150, 160)):
            self.appointments.setColumnWidth(column, width)
        self.appointments.currentItemChanged.connect(self._update_buttons)
        self.appointments.itemActivated.connect(
            lambda *_: self._with_appointment(self.record_outcome)
        )
        layout.addWidget(self.appointments, 1)
        return page

    def _build_notes(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        composer = QGroupFrame(translate("person", "Nouvelle note"))
        grid = QGridLayout()
        composer.body.addLayout(grid)
        self.note_kind = a11y(QComboBox(), translate("person", "Type de note"))
        fill_combo(self.note_kind, "note_kind")
        select_code(self.note_kind, NoteKind.FOLLOW_UP.value)
        self.note_sensitive = a11y(
            QCheckBox(
                translate("person", "Note sensible (santé, vie privée) : masquée par défaut")
            ),
            translate("person", "Note sensible"),
            translate("person", "Une note sensible n'est lisible qu'après un clic, enregistré."),
        )
        self.note_text = a11y(QPlainTextEdit(), translate("person", "Texte de la note"))
        self.note_text.setPlaceholderText(
            translate(
                "person",
                "Écrivez la note. Une note enregistrée ne se modifie plus : une correction "
                "s'écrit dans une nouvelle note.",
            )
        )
        self.note_text.setTabChangesFocus(True)
        self.note_text.setMinimumHeight(70)
        self.note_text.setMaximumHeight(110)
        self.note_error = QLabel()
        self.note_error.setObjectName("fieldError")
        self.note_error.setVisible(False)
        self.note_save = button(
            translate("person", "Enregistrer la note"),
            primary=True,
            tooltip=translate("person", "Enregistrer la note (Ctrl+Entrée)"),
        )
        self.note_save.clicked.connect(self.save_note)
        shortcut("Ctrl+Return", self.note_text, self.save_note)
        kind_label = QLabel(translate("person", "Type"))
        kind_label.setBuddy(self.note_kind)
        grid.addWidget(kind_label, 0, 0)
        grid.addWidget(self.note_kind, 0, 1)
        grid.addWidget(self.note_sensitive, 0, 2)
        grid.setColumnStretch(3, 1)
        composer.body.addWidget(self.note_text)
        composer.body.addWidget(self.note_error)
        row = QHBoxLayout()
        keep = hint(translate("person", "Les notes sont conservées dans le journal de bord."))
        keep.setWordWrap(False)
        row.addWidget(keep)
        row.addStretch(1)
        row.addWidget(self.note_save)
        composer.body.addLayout(row)
        layout.addWidget(composer)
        head = QHBoxLayout()
        head.addWidget(heading(translate("person", "Notes du journal"), "sectionTitle", wrap=False))
        head.addStretch(1)
        self.note_reveal = button(
            translate("person", "Afficher la note sensible"),
            translate("person", "Afficher la note sensible sélectionnée"),
        )
        self.note_reveal.clicked.connect(self._reveal_note_selected)
        head.addWidget(self.note_reveal)
        layout.addLayout(head)
        self.notes = _tree(
            translate("person", "Notes"),
            [
                translate("person", "Date"),
                translate("person", "Type"),
                translate("person", "Texte"),
            ],
        )
        self.notes.setColumnWidth(0, 140)
        self.notes.setColumnWidth(1, 140)
        self.notes.setWordWrap(True)
        self.notes.setUniformRowHeights(False)
        self.notes.currentItemChanged.connect(self._update_buttons)
        self.notes.itemActivated.connect(lambda *_: self._reveal_note_selected())
        layout.addWidget(self.notes, 1)
        self.setTabOrder(self.note_kind, self.note_sensitive)
        self.setTabOrder(self.note_sensitive, self.note_text)
        self.setTabOrder(self.note_text, self.note_save)
        return page

    # ------------------------------------------------------------------ loading

    def open_person(self, person_id: uuid.UUID, *, draft: dict[str, Any] | None = None) -> None:
        """Open a file (audited) and show it; ``draft`` is put back once loaded."""
        if person_id != self.person_id:
            self._clear()
        self.person_id = person_id
        self._pending_draft = draft
        actor = self.session.actor
        now = utcnow()

        def work(store: Store) -> Outcome[PersonFile]:
            if actor is None:  # locked meanwhile: the write is refused anyway
                return Outcome(queries.person_file(store, person_id, now), Changes())
            return usecases.open_person_file(store, actor, person_id, now)

        self.ops.write(work, self._show, self._failed, owner=self, label="open file")
        self._load_reveal_setting()

    def reload(self) -> None:
        if self.person_id is None or not self.session.is_unlocked:
            return
        person_id = self.person_id
        now = utcnow()

        self.ops.read(
            lambda store: queries.person_file(store, person_id, now),
            self._show,
            self._failed,
            owner=self,
            label="reload file",
        )
        self._load_reveal_setting()

    def _load_reveal_setting(self) -> None:
        """Whether the department lets supervisors reveal (a read of the device's state)."""
        if self.session.read_only:
            self.ops.read(
                lambda store: department(store).values.supervisors_may_reveal,
                self._set_may_reveal,
                lambda _error: None,
                owner=self,
                label="department settings",
            )

    def _set_may_reveal(self, allowed: bool) -> None:
        changed = allowed != self.may_reveal
        self.may_reveal = allowed
        self._apply_reveal_mode()
        if changed and self.file is not None:
            self._fill_notes(self.file)

    def _hidden_note_text(self) -> str:
        if not self.session.read_only:
            return translate("person", "Note sensible masquée — « Afficher » pour la lire.")
        if self.may_reveal:
            return translate(
                "person", "Note sensible réservée au référent — « Révéler » avec un motif."
            )
        return translate("person", "Note sensible réservée au référent.")

    def _apply_reveal_mode(self) -> None:
        """A referent reads her own sensitive notes (« Afficher », audited on the device); a
        supervisor's device never received their text: « Révéler… » asks the server, shown
        only when the department allows it."""
        remote = self.session.read_only
        for widget in (self.reveal_button, self.note_reveal):
            if remote:
                widget.setText(translate("person", "Révéler la note sensible…"))
                widget.setToolTip(
                    translate(
                        "person",
                        "Demande le texte au serveur, avec un motif écrit au journal d'audit.",
                    )
                )
            else:
                widget.setText(translate("person", "Afficher la note sensible"))
            widget.setVisible(not remote or self.may_reveal)

    def data_changed(self, changes: Changes) -> None:
        """Reload when a change concerns this file (not an audit event alone)."""
        if changes.concerns_person(self.person_id) and changes.concerns_kinds(CONTENT_KINDS):
            self._reload_timer.start(60)

    def _failed(self, error: BaseException) -> None:
        show_banner(self.error, error_message(error))

    def _clear(self) -> None:
        self.file = None
        self._revealed.clear()
        self.title.setText("")
        self.subtitle.setText("")
        self.next_label.setText("")
        for tree in (self.journal, self.barriers, self.action_list, self.appointments, self.notes):
            tree.clear()
        self.journal_detail.clear()
        self.path_tab.clear()
        self.identity.load({})
        self.note_text.clear()
        self.note_sensitive.setChecked(False)
        select_code(self.note_kind, NoteKind.FOLLOW_UP.value)
        show_banner(self.error, None)
        show_banner(self.identity_banner, None)
        show_banner(self.pending_banner, None)

    def deactivate(self) -> None:
        """Lock: forget everything shown."""
        self._reload_timer.stop()
        self._clear()
        self.person_id = None

    def _show(self, data: PersonFile) -> None:
        if data.person_id != self.person_id:
            return
        self.path_tab.load(data.person_id)
        first_load = self.file is None
        self.file = data
        show_banner(self.error, None)
        values = data.values
        self.title.setText(data.display_name)
        a11y(self.title, translate("person", "Dossier de {name}").format(name=data.display_name))
        parts = []
        if values.get("birth_date"):
            parts.append(
                translate("person", "né(e) le {date}").format(date=fmt_date(values["birth_date"]))
            )
        if values.get("city"):
            parts.append(str(values["city"]))
        parts.append(label("follow_up_status", values.get("follow_up_status")))
        if values.get("orientation"):
            parts.append(
                translate("person", "orientation {o}").format(
                    o=label("orientation", values["orientation"]).lower()
                )
            )
        if values.get("contract_type") not in (None, "", "none"):  # « · Aucun · » says nothing
            parts.append(label("contract_type", values["contract_type"]))
        if values.get("phone"):
            parts.append(str(values["phone"]))
        self.subtitle.setText(" · ".join(parts))
        self._show_next(data)
        if not self.identity.is_dirty() or first_load:
            self.identity.load(values)
            self._identity_edited()
        self._fill_journal()
        self._fill_barriers(data)
        self._fill_appointments(data)
        self._fill_notes(data)
        self._apply_read_only()
        self._apply_reveal_mode()
        self._update_buttons()
        if self._pending_draft is not None:
            draft, self._pending_draft = self._pending_draft, None
            self._restore(draft)

    def _show_next(self, data: PersonFile) -> None:
        upcoming = data.next_appointment
        if upcoming is not None:
            text = translate("person", "<b>Prochain rendez-vous :</b> {when} · {mode} · {purpose}")
            text = text.format(
                when=fmt_when(upcoming.starts_at),
                mode=label("appointment_mode", upcoming.mode),
                purpose=label("appointment_purpose", upcoming.purpose),
            )
            if upcoming.place:
                text += f" · {_escape(upcoming.place)}"
        else:
            text = translate(
                "person", "<b>Aucun rendez-vous planifié.</b> Planifiez le prochain contact."
            )
        self.next_label.setText(text)
        self.next_frame.setProperty("empty", upcoming is None)
        self.next_frame.style().unpolish(self.next_frame)
        self.next_frame.style().polish(self.next_frame)
        self.next_frame.setAccessibleDescription(self.next_label.text())
        self.move_button.setVisible(upcoming is not None)
        self.plan_button.setText(
            translate("person", "Planifier un autre")
            if upcoming is not None
            else translate("person", "Planifier un rendez-vous")
        )
        a11y(self.plan_button, self.plan_button.text())
        pending = data.pending_outcomes
        self.outcome_button.setVisible(bool(pending))
        if pending:
            show_banner(
                self.pending_banner,
                translate(
                    "person", "Compte rendu à saisir : rendez-vous du {when} ({n} en attente)."
                ).format(when=fmt_datetime(pending[0].starts_at), n=len(pending)),
            )
        else:
            show_banner(self.pending_banner, None)

    def _fill_journal(self) -> None:
        self.journal.clear()
        self.journal_detail.clear()
        if self.file is None:
            return
        kinds = self.journal_filter.currentData()
        for entry in self.file.timeline:
            if kinds is not None and entry.kind not in kinds:
                continue
            detail = journal.detail_text(entry)
            if entry.sensitive:
                detail = self._revealed.get(
                    entry.row_id, translate("person", "Note sensible masquée")
                )
            title = journal.title_text(entry)
            if entry.superseded:
                title += translate("person", " (remplacée)")
            item = QTreeWidgetItem(
                [
                    fmt_datetime(entry.at),
                    journal.kind_text(entry.kind),
                    f"{title} — {detail}" if detail else title,
                    journal.status_text(entry),
                ]
            )
            item.setData(0, ROW_ID, entry.row_id)
            item.setData(0, ROW_KIND, entry.kind)
            item.setData(1, ROW_ID, entry.sensitive and entry.row_id not in self._revealed)
            item.setToolTip(2, detail or title)
            if entry.sensitive and entry.row_id not in self._revealed:
                font = item.font(2)
                font.setItalic(True)
                item.setFont(2, font)
            self.journal.addTopLevelItem(item)
        self.journal.setAccessibleDescription(
            translate("person", "{n} entrée(s)").format(n=self.journal.topLevelItemCount())
        )

    def _fill_barriers(self, data: PersonFile) -> None:
        self.barriers.clear()
        by_theme: dict[str, list[BarrierInfo]] = {}
        for barrier in data.barriers:
            by_theme.setdefault(barrier.theme, []).append(barrier)
        for theme, barriers in by_theme.items():
            open_count = sum(1 for b in barriers if b.closed_on is None)
            top = QTreeWidgetItem(
                [
                    label("theme", theme),
                    translate("person", "{n} ouvert(s)").format(n=open_count),
                    "",
                    "",
                ]
            )
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for barrier in barriers:
                target = (
                    label("target", barrier.target_code)
                    if barrier.target_code
                    else barrier.target_text or translate("person", "Objectif à définir")
                )
                situations = ", ".join(label("situation", code) for code in barrier.situations)
                child = QTreeWidgetItem(
                    [
                        target,
                        label("barrier_status", barrier.status),
                        fmt_date(barrier.identified_on),
                        situations,
                    ]
                )
                child.setData(0, ROW_ID, barrier.id)
                child.setToolTip(3, situations)
                child.setToolTip(0, barrier.comment or target)
                top.addChild(child)
            self.barriers.addTopLevelItem(top)
            top.setExpanded(True)
        if not data.barriers:
            empty = QTreeWidgetItem([translate("person", "Aucun frein identifié pour l'instant.")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.barriers.addTopLevelItem(empty)
        self.action_list.clear()
        today = utcnow().date()
        open_statuses = {status.value for status in OPEN_ACTION_STATUSES}
        for action in data.actions:
            overdue = (
                action.due_date is not None
                and action.due_date < today
                and action.status in open_statuses
            )
            shown = action_text(action.action_code, action.label)
            due = fmt_date(action.due_date)
            if overdue:
                due = translate("person", "{date} (échue)").format(date=due)
            item = QTreeWidgetItem(
                [shown, action.partner or "—", due, label("action_status", action.status)]
            )
            item.setData(0, ROW_ID, action.id)
            item.setToolTip(0, shown)
            if overdue:
                item.setForeground(2, Qt.GlobalColor.red)
            self.action_list.addTopLevelItem(item)
        if not data.actions:
            empty = QTreeWidgetItem([translate("person", "Aucune action pour l'instant.")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.action_list.addTopLevelItem(empty)

    def _fill_appointments(self, data: PersonFile) -> None:
        self.appointments.clear()
        for info in data.appointments:
            item = QTreeWidgetItem(
                [
                    fmt_datetime(info.starts_at),
                    label("appointment_purpose", info.purpose),
                    label("appointment_mode", info.mode),
                    label("appointment_status", info.status),
                    info.summary or "",
                ]
            )
            moved = moved_label(info.requested_by)
            if moved:  # who asked for the move (issue 12), beside the status
                item.setText(3, f"{item.text(3)} · {moved}")
            item.setToolTip(3, item.text(3))
            item.setData(0, ROW_ID, info.id)
            self.appointments.addTopLevelItem(item)

    def _fill_notes(self, data: PersonFile) -> None:
        self.notes.clear()
        for entry in data.timeline:
            if entry.kind != EntryKind.NOTE:
                continue
            hidden = entry.sensitive and entry.row_id not in self._revealed
            text = (
                self._hidden_note_text()
                if hidden
                else self._revealed.get(entry.row_id, journal.detail_text(entry))
            )
            kind = journal.title_text(entry)
            if entry.sensitive:
                kind += translate("person", " · sensible")
            if entry.superseded:
                kind += translate("person", " · remplacée")
            item = QTreeWidgetItem([fmt_datetime(entry.at), kind, text])
            item.setData(0, ROW_ID, entry.row_id)
            item.setData(1, ROW_ID, hidden)
            item.setToolTip(2, text)
            self.notes.addTopLevelItem(item)

    # ------------------------------------------------------------------ buttons

    def _apply_read_only(self) -> None:
        editable = not self.session.read_only
        for widget in (
            self.plan_button,
            self.new_barrier_button,
            self.barrier_status_button,
            self.new_action_button,
            self.action_status_button,
            self.appt_plan,
            self.appt_move,
            self.appt_cancel,
            self.appt_outcome,
            self.note_save,
            self.identity_save,
            self.identity_cancel,
        ):
            widget.setVisible(editable)
        self.note_text.setReadOnly(not editable)
        if not editable:
            self.move_button.setVisible(False)
            self.outcome_button.setVisible(False)

    def _update_buttons(self, *_args: object) -> None:
        barrier = self._selected_barrier()
        self.barrier_status_button.setEnabled(barrier is not None)
        self.action_status_button.setEnabled(self._selected_action() is not None)
        appointment = self._selected_appointment()
        planned = appointment is not None and appointment.status == AppointmentStatus.PLANNED.value
        self.appt_move.setEnabled(planned)
        self.appt_cancel.setEnabled(planned)
        self.appt_outcome.setEnabled(appointment is not None)
        note = self.notes.currentItem()
        self.note_reveal.setEnabled(bool(note is not None and note.data(1, ROW_ID)))

    def _selected_barrier(self) -> BarrierInfo | None:
        item = self.barriers.currentItem()
        if item is None or self.file is None:
            return None
        row_id = item.data(0, ROW_ID)
        return next((b for b in self.file.barriers if b.id == row_id), None)

    def _selected_action(self) -> ActionInfo | None:
        item = self.action_list.currentItem()
        if item is None or self.file is None:
            return None
        row_id = item.data(0, ROW_ID)
        return next((a for a in self.file.actions if a.id == row_id), None)

    def _selected_appointment(self) -> AppointmentInfo | None:
        item = self.appointments.currentItem()
        if item is None or self.file is None:
            return None
        row_id = item.data(0, ROW_ID)
        return next((a for a in self.file.appointments if a.id == row_id), None)

    def _with_appointment(self, action: Callable[[AppointmentInfo], object]) -> None:
        appointment = self._selected_appointment()
        if appointment is not None:
            action(appointment)

    def _escape(self) -> None:
        if self.isVisible():
            self.back.emit()

    # ------------------------------------------------------------------ journal

    def _journal_selected(self, current: QTreeWidgetItem | None, *_args: object) -> None:
        if current is None:
            self.reveal_button.setEnabled(False)
            self.journal_detail.clear()
            return
        hidden = bool(current.data(1, ROW_ID))
        self.reveal_button.setEnabled(hidden)
        self.journal_detail.setPlainText(self._hidden_note_text() if hidden else current.toolTip(2))

    def _reveal_selected(self) -> None:
        item = self.journal.currentItem()
        if item is None or not item.data(1, ROW_ID):
            return
        self.reveal(item.data(0, ROW_ID))

    def _reveal_note_selected(self) -> None:
        item = self.notes.currentItem()
        if item is None or not item.data(1, ROW_ID):
            return
        self.reveal(item.data(0, ROW_ID))

    def reveal(self, note_id: uuid.UUID) -> None:
        """Show a sensitive note's text; the reading is written to the audit log (on the
        device for the referent, by the server with a reason for a supervisor)."""
        if self.session.read_only:
            self._reveal_remote(note_id)
            return
        actor = self.session.require_actor()

        def work(store: Store) -> Outcome[str]:
            return usecases.reveal_note(store, actor, note_id)

        def done(text: str) -> None:
            self._revealed[note_id] = text
            self._fill_journal()
            if self.file is not None:
                self._fill_notes(self.file)
            for tree in (self.journal, self.notes):
                for index in range(tree.topLevelItemCount()):
                    item = tree.topLevelItem(index)
                    if item is not None and item.data(0, ROW_ID) == note_id:
                        tree.setCurrentItem(item)
            self.journal_detail.setPlainText(text)

        self.ops.write(work, done, self._failed, owner=self, label="reveal")

    def _reveal_remote(self, note_id: uuid.UUID) -> None:
        sync = self.sync
        if not self.may_reveal or sync is None:
            return

        def submit(
            reason: str, done: Callable[[str], None], failed: Callable[[BaseException], None]
        ) -> None:
            sync.reveal(note_id, reason, done, failed)

        dialog = RevealDialog(submit, self)
        dialog.accepted.connect(lambda: self._show_revealed(note_id, dialog.revealed_text))
        self.reveal_dialog = dialog
        dialog.open()

    def _show_revealed(self, note_id: uuid.UUID, text: str | None) -> None:
        if text is None or self.file is None:
            return
        self._revealed[note_id] = text
        self._fill_journal()
        self._fill_notes(self.file)
        for tree in (self.journal, self.notes):
            for index in range(tree.topLevelItemCount()):
                item = tree.topLevelItem(index)
                if item is not None and item.data(0, ROW_ID) == note_id:
                    tree.setCurrentItem(item)
        self.journal_detail.setPlainText(text)

    # ------------------------------------------------------------------ identity

    def _identity_edited(self) -> None:
        dirty = self.identity.is_dirty()
        self.identity_save.setEnabled(dirty)
        self.identity_cancel.setEnabled(dirty)
        if dirty:
            show_banner(self.identity_banner, None)

    def _identity_reset(self) -> None:
        if self.file is not None:
            self.identity.load(self.file.values)
        self._identity_edited()

    def _identity_save(self) -> None:
        if self.person_id is None:
            return
        changes = self.identity.collect()
        if changes is None:
            return
        if not changes:
            self._identity_edited()
            return
        person_id = self.person_id
        actor = self.session.require_actor()
        self.identity_save.setEnabled(False)

        def work(store: Store) -> Outcome[None]:
            return usecases.update_person(store, actor, person_id, changes)

        def done(_result: None) -> None:
            if self.file is not None:
                merged = dict(self.file.values)
                merged.update(changes)
                self.identity.load(merged)
            self._identity_edited()
            show_banner(
                self.identity_banner,
                translate("person", "Modifications enregistrées."),
                "successBanner",
            )
            # No reload here: the outcome's changes name this person, which schedules it.

        def failed(error: BaseException) -> None:
            self.identity_save.setEnabled(True)
            if not self.identity.show_error(error):
                show_banner(self.identity_banner, error_message(error), "errorBanner")

        self.ops.write(work, done, failed, owner=self, label="identity")

    # ------------------------------------------------------------------ notes

    def save_note(self) -> None:
        if self.person_id is None or self.session.read_only:
            return
        text = self.note_text.toPlainText()
        kind = str(self.note_kind.currentData())
        sensitive = self.note_sensitive.isChecked()
        person_id = self.person_id
        actor = self.session.require_actor()
        self.note_error.setVisible(False)
        if not text.strip():
            self.note_error.setText(translate("person", "La note est vide."))
            self.note_error.setVisible(True)
            self.note_text.setFocus()
            return
        self.note_save.setEnabled(False)

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.write_note(
                store, actor, person_id, text, kind=kind, sensitive=sensitive
            )

        def done(_note_id: uuid.UUID) -> None:
            self.note_save.setEnabled(True)
            if self.note_text.toPlainText() == text:
                self.note_text.clear()
            self.note_sensitive.setChecked(False)

        def failed(error: BaseException) -> None:
            self.note_save.setEnabled(True)
            self.note_error.setText(error_message(error))
            self.note_error.setVisible(True)

        self.ops.write(work, done, failed, owner=self, label="note")

    # ------------------------------------------------------------------ dialogs

    def _open_dialog(self, dialog: DraftDialog) -> DraftDialog:
        dialog.open()
        return dialog

    def plan_appointment(self) -> AppointmentDialog | None:
        if self.person_id is None or self.file is None or self.session.read_only:
            return None
        dialog = AppointmentDialog(
            self.session, self, person_id=self.person_id, person_name=self.file.display_name
        )
        self._open_dialog(dialog)
        return dialog

    def move_appointment(self, appointment: AppointmentInfo) -> AppointmentDialog:
        dialog = AppointmentDialog(
            self.session,
            self,
            appointment=appointment,
            person_name=self.file.display_name if self.file else None,
        )
        self._open_dialog(dialog)
        return dialog

    def cancel_appointment(self, appointment: AppointmentInfo) -> OutcomeDialog:
        dialog = OutcomeDialog(
            self.session,
            appointment,
            self,
            person_name=self.file.display_name if self.file else None,
            cancel_only=True,
        )
        self._open_dialog(dialog)
        return dialog

    def record_outcome(self, appointment: AppointmentInfo) -> OutcomeDialog:
        has_next = bool(
            self.file
            and self.file.next_appointment
            and self.file.next_appointment.id != appointment.id
        )
        dialog = OutcomeDialog(
            self.session,
            appointment,
            self,
            person_name=self.file.display_name if self.file else None,
            has_next=has_next,
        )
        self._open_dialog(dialog)
        return dialog

    def _move_next(self) -> None:
        if self.file is not None and self.file.next_appointment is not None:
            self.move_appointment(self.file.next_appointment)

    def _outcome_pending(self) -> None:
        if self.file is not None and self.file.pending_outcomes:
            self.record_outcome(self.file.pending_outcomes[0])

    def new_barrier(self) -> BarrierDialog | None:
        if self.person_id is None:
            return None
        dialog = BarrierDialog(self.session, self.person_id, self)
        self._open_dialog(dialog)
        return dialog

    def _barrier_status(self) -> None:
        barrier = self._selected_barrier()
        if barrier is not None:
            self._open_dialog(BarrierStatusDialog(self.session, barrier, self))

    def new_action(self) -> ActionDialog | None:
        if self.person_id is None or self.file is None:
            return None
        barrier = self._selected_barrier()
        open_barriers = tuple(b for b in self.file.barriers if b.closed_on is None)
        if barrier is None and open_barriers:
            barrier = open_barriers[0]
        dialog = ActionDialog(
            self.session,
            self.person_id,
            open_barriers,
            self,
            barrier_id=barrier.id if barrier else None,
        )
        self._open_dialog(dialog)
        return dialog

    def _action_status(self) -> None:
        action = self._selected_action()
        if action is not None:
            self._open_dialog(ActionStatusDialog(self.session, action, self))

    def reopen_dialog(self, kind: str, context: dict[str, Any]) -> DraftDialog | None:
        """Re-create a dialog that was open when the app locked (see DraftDialog)."""
        if self.file is None:
            return None
        if kind == "appointment":
            appointment_id = context.get("appointment_id")
            if appointment_id:
                found = _find(self.file.appointments, appointment_id)
                return self.move_appointment(found) if found else None
            return self.plan_appointment()
        if kind == "outcome":
            found = _find(self.file.appointments, context.get("appointment_id"))
            if found is None:
                return None
            if context.get("cancel_only"):
                return self.cancel_appointment(found)
            return self.record_outcome(found)
        if kind == "barrier":
            return self.new_barrier()
        if kind == "barrier_status":
            barrier = _find(self.file.barriers, context.get("barrier_id"))
            if barrier is None:
                return None
            dialog: DraftDialog = BarrierStatusDialog(self.session, barrier, self)
            return self._open_dialog(dialog)
        if kind == "action":
            return self.new_action()
        if kind == "action_status":
            action = _find(self.file.actions, context.get("action_id"))
            if action is None:
                return None
            return self._open_dialog(ActionStatusDialog(self.session, action, self))
        return None

    # ------------------------------------------------------------------ drafts

    def draft_state(self) -> dict[str, Any] | None:
        if self.person_id is None:
            return None
        state: dict[str, Any] = {
            "person_id": str(self.person_id),
            "tab": self.tabs.currentIndex(),
            "journal_filter": self.journal_filter.currentIndex(),
            "note": {
                "text": self.note_text.toPlainText(),
                "kind": self.note_kind.currentData(),
                "sensitive": self.note_sensitive.isChecked(),
            },
        }
        if self.identity.is_dirty():
            state["identity"] = self.identity.raw_texts()
        return state

    def _restore(self, state: dict[str, Any]) -> None:
        tab = state.get("tab")
        if isinstance(tab, int):
            self.tabs.setCurrentIndex(tab)
        journal_filter = state.get("journal_filter")
        if isinstance(journal_filter, int):
            self.journal_filter.setCurrentIndex(journal_filter)
        note = state.get("note") or {}
        if isinstance(note, dict):
            self.note_text.setPlainText(str(note.get("text") or ""))
            select_code(self.note_kind, note.get("kind"))
            self.note_sensitive.setChecked(bool(note.get("sensitive")))
        identity = state.get("identity")
        if isinstance(identity, dict):
            self.identity.restore_texts(identity)
            self._identity_edited()


def _find(items: tuple[Any, ...], row_id: object) -> Any:
    for item in items:
        if str(item.id) == str(row_id):
            return item
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class QGroupFrame(QFrame):
    """A white card with a section title."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 12)
        self.body.setSpacing(8)
        self.body.addWidget(heading(title, "sectionTitle"))
        a11y(self, title)
