"""The referent's agenda, by day or by week: plan, move, cancel, record outcomes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.domain.enums import AppointmentStatus
from spie_desktop.services import queries
from spie_desktop.services.appointments import AgendaItem
from spie_desktop.services.operation import Changes
from spie_desktop.services.read_models import AppointmentInfo
from spie_desktop.store.changes import utcnow
from ui.dialogs.appointments import AppointmentDialog, OutcomeDialog
from ui.dialogs.base import DraftDialog
from ui.documents import attach_agenda_export
from ui.formatting import fmt_long_date, fmt_time, label, to_local
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import a11y, banner, button, heading, shortcut, show_banner
from ui.workers import error_message

ROW_ID = Qt.ItemDataRole.UserRole
PERSON_ID = Qt.ItemDataRole.UserRole + 1


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0)).astimezone().astimezone(UTC)


class AgendaView(QWidget):
    open_person = Signal(object)

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session
        self.ops = session.ops
        self.day = to_local(utcnow()).date()
        self.week_mode = True
        self.items: list[AgendaItem] = []
        self._active = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.timeout.connect(self.reload)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(12)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        self.title = heading(translate("agenda", "Agenda"))
        self.period = heading("", "subtitle")
        titles.addWidget(self.title)
        titles.addWidget(self.period)
        header.addLayout(titles, 1)
        self.plan_button = button(
            translate("agenda", "+ Planifier un rendez-vous"),
            translate("agenda", "Planifier un rendez-vous"),
            primary=True,
        )
        self.plan_button.clicked.connect(lambda: self.plan())
        header.addWidget(self.plan_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        bar = QHBoxLayout()
        self.previous_button = button(
            "◀",
            translate("agenda", "Période précédente"),
            tooltip=translate("agenda", "Période précédente (Alt+←)"),
        )
        self.today_button = button(translate("agenda", "Aujourd'hui"))
        self.next_button = button(
            "▶",
            translate("agenda", "Période suivante"),
            tooltip=translate("agenda", "Période suivante (Alt+→)"),
        )
        self.previous_button.clicked.connect(lambda: self.shift(-1))
        self.next_button.clicked.connect(lambda: self.shift(1))
        self.today_button.clicked.connect(self.go_today)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        self.day_button = a11y(
            QPushButton(translate("agenda", "Jour")), translate("agenda", "Vue par jour")
        )
        self.week_button = a11y(
            QPushButton(translate("agenda", "Semaine")), translate("agenda", "Vue par semaine")
        )
        group = QButtonGroup(self)
        for widget in (self.day_button, self.week_button):
            widget.setCheckable(True)
            widget.setObjectName("chipFilter")
            group.addButton(widget)
            bar.addWidget(widget)
        self.week_button.setChecked(True)
        self.day_button.clicked.connect(lambda: self.set_week_mode(False))
        self.week_button.clicked.connect(lambda: self.set_week_mode(True))
        bar.addStretch(1)
        self.move_button = button(
            translate("agenda", "Déplacer"),
            translate("agenda", "Déplacer le rendez-vous sélectionné"),
        )
        self.cancel_button = button(
            translate("agenda", "Annuler"),
            translate("agenda", "Annuler le rendez-vous sélectionné"),
        )
        self.outcome_button = button(
            translate("agenda", "Compte rendu"), translate("agenda", "Saisir le compte rendu")
        )
        self.file_button = button(translate("agenda", "Ouvrir le dossier"))
        for widget in (self.file_button, self.outcome_button, self.cancel_button, self.move_button):
            bar.addWidget(widget)
        self.move_button.clicked.connect(lambda: self._act("move"))
        self.cancel_button.clicked.connect(lambda: self._act("cancel"))
        self.outcome_button.clicked.connect(lambda: self._act("outcome"))
        self.file_button.clicked.connect(self._open_file)
        layout.addLayout(bar)

        self.error = banner()
        layout.addWidget(self.error)
        bar.addWidget(attach_agenda_export(self))
        self.tree = a11y(
            QTreeWidget(),
            translate("agenda", "Rendez-vous de la période"),
            translate("agenda", "Entrée saisit le compte rendu ; Ctrl+O ouvre le dossier."),
        )
        self.tree.setHeaderLabels(
            [
                translate("agenda", "Heure"),
                translate("agenda", "Personne"),
                translate("agenda", "Objet"),
                translate("agenda", "Modalité"),
                translate("agenda", "Lieu"),
                translate("agenda", "Statut"),
            ]
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((150, 230, 160, 170, 260, 170)):
            self.tree.setColumnWidth(column, width)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.tree.itemActivated.connect(lambda *_: self._act("outcome"))
        layout.addWidget(self.tree, 1)
        self.empty = QLabel(translate("agenda", "Aucun rendez-vous sur cette période."))
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)
        shortcut("Alt+Left", self, lambda: self.shift(-1))
        shortcut("Alt+Right", self, lambda: self.shift(1))
        shortcut("Ctrl+O", self, self._open_file)
        self._update_buttons()

    # -- period -----------------------------------------------------------------------------

    def period_bounds(self) -> tuple[date, int]:
        if self.week_mode:
            return week_start(self.day), 7
        return self.day, 1

    def set_week_mode(self, week: bool) -> None:
        self.week_mode = week
        self.week_button.setChecked(week)
        self.day_button.setChecked(not week)
        self.reload()

    def shift(self, direction: int) -> None:
        self.day += timedelta(days=7 * direction if self.week_mode else direction)
        self.reload()

    def go_today(self) -> None:
        self.day = to_local(utcnow()).date()
        self.reload()

    def set_day(self, day: date) -> None:
        self.day = day
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def activate(self) -> None:
        """The store is open; the agenda loads when it is shown (the caseload comes first)."""
        self._active = True
        self.plan_button.setVisible(not self.session.read_only)
        if self.isVisible():
            self.reload()

    def deactivate(self) -> None:
        self._active = False
        self.items = []
        self.tree.clear()
        self._reload_timer.stop()

    #: what the agenda shows: appointments and the names of their persons.
    SHOWN_KINDS = frozenset({"appointment", "person"})

    def data_changed(self, changes: Changes) -> None:
        if self._active and changes.concerns_kinds(self.SHOWN_KINDS):
            self._reload_timer.start(100)

    def reload(self) -> None:
        if not self._active:
            return
        first, days = self.period_bounds()
        if days == 1:
            self.period.setText(fmt_long_date(first).capitalize())
        else:
            last = first + timedelta(days=6)
            self.period.setText(
                translate("agenda", "Semaine du {first} au {last}").format(
                    first=first.strftime("%d/%m"), last=last.strftime("%d/%m/%Y")
                )
            )
        start = local_midnight(first)
        referent = None if self.session.is_supervisor else self.session.referent_id

        self.ops.read(
            lambda store: queries.agenda(store, referent, start, days),
            self._show,
            self._failed,
            owner=self,
            label="agenda",
        )

    def _failed(self, error: BaseException) -> None:
        show_banner(self.error, error_message(error))

    def _show(self, items: list[AgendaItem]) -> None:
        show_banner(self.error, None)
        current = self._selected_id()
        self.items = items
        self.tree.clear()
        by_day: dict[date, list[AgendaItem]] = {}
        for item in items:
            by_day.setdefault(to_local(item.starts_at).date(), []).append(item)
        first, days = self.period_bounds()
        select: QTreeWidgetItem | None = None
        for offset in range(days):
            day = first + timedelta(days=offset)
            entries = by_day.get(day, [])
            if days > 1 and not entries and day.weekday() >= 5:
                continue
            top = QTreeWidgetItem([fmt_long_date(day).capitalize()])
            top.setFirstColumnSpanned(True)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            if not entries:
                none = QTreeWidgetItem([translate("agenda", "Pas de rendez-vous")])
                none.setFlags(Qt.ItemFlag.ItemIsEnabled)
                none.setForeground(0, Qt.GlobalColor.gray)
                top.addChild(none)
                none.setFirstColumnSpanned(True)
            for entry in entries:
                end = entry.starts_at + timedelta(minutes=entry.duration_minutes)
                child = QTreeWidgetItem(
                    [
                        f"{fmt_time(entry.starts_at)} – {fmt_time(end)}",
                        entry.person_name,
                        label("appointment_purpose", entry.purpose),
                        label("appointment_mode", entry.mode),
                        entry.place or "",
                        label("appointment_status", entry.status),
                    ]
                )
                child.setData(0, ROW_ID, entry.appointment_id)
                child.setToolTip(4, entry.place or "")
                child.setToolTip(1, entry.person_name)
                child.setData(0, PERSON_ID, entry.person_id)
                if entry.status != AppointmentStatus.PLANNED.value:
                    for column in range(6):
                        child.setForeground(column, Qt.GlobalColor.darkGray)
                top.addChild(child)
                if entry.appointment_id == current:
                    select = child
            top.setExpanded(True)
        self.empty.setVisible(not items)
        if select is not None:
            self.tree.setCurrentItem(select)
        self._update_buttons()

    # -- actions -----------------------------------------------------------------------------

    def _selected_id(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        value = item.data(0, ROW_ID) if item is not None else None
        return value if isinstance(value, uuid.UUID) else None

    def _selected(self) -> AgendaItem | None:
        selected = self._selected_id()
        return next((item for item in self.items if item.appointment_id == selected), None)

    def _update_buttons(self, *_args: object) -> None:
        item = self._selected()
        writable = not self.session.read_only
        planned = item is not None and item.status == AppointmentStatus.PLANNED.value
        self.move_button.setEnabled(writable and planned)
        self.cancel_button.setEnabled(writable and planned)
        self.outcome_button.setEnabled(writable and item is not None)
        self.file_button.setEnabled(item is not None)

    def _open_file(self) -> None:
        item = self._selected()
        if item is not None:
            self.open_person.emit(item.person_id)

    def plan(self, *, starts_at: datetime | None = None) -> AppointmentDialog | None:
        if self.session.read_only:
            return None
        if starts_at is None and self.day != to_local(utcnow()).date():
            starts_at = datetime.combine(self.day, time(9, 0)).astimezone().astimezone(UTC)
        dialog = AppointmentDialog(self.session, self, starts_at=starts_at)
        dialog.open()
        return dialog

    def _act(self, what: str) -> None:
        item = self._selected()
        if item is None or self.session.read_only:
            return
        appointment_id = item.appointment_id

        def done(info: AppointmentInfo) -> None:
            self.open_dialog(what, info, item.person_name)

        self.ops.read(
            lambda store: queries.appointment(store, appointment_id),
            done,
            self._failed,
            owner=self,
            label="appointment",
        )

    def open_dialog(self, what: str, info: AppointmentInfo, person_name: str) -> DraftDialog:
        dialog: DraftDialog
        if what == "move":
            dialog = AppointmentDialog(
                self.session, self, appointment=info, person_name=person_name
            )
        else:
            dialog = OutcomeDialog(
                self.session, info, self, person_name=person_name, cancel_only=what == "cancel"
            )
        dialog.open()
        return dialog
