"""The referent's agenda, by day or by week: plan, move, cancel, record outcomes.

Shown as a calendar grid (:class:`ui.widgets.calendar_grid.CalendarGrid`: time axis, one
column per day, opening on today) or as a list; « Comptes rendus à saisir » lists every
started appointment still « à venir » in one click. A supervisor sees every referent's
agenda or one referent's (the referent filter).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
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
from ui.formatting import fmt_date, fmt_long_date, fmt_time, label, to_local
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.calendar_grid import CalendarGrid, clashing, moved_label, state_label
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
        self.grid_mode = True
        self.reports_mode = False
        self.referent_filter: uuid.UUID | None = None
        self.referent_names: dict[uuid.UUID, str] = {}
        self.items: list[AgendaItem] = []
        # Reads run on several reader threads and may come back out of order: only the
        # answer to the latest reload is shown (a referent chosen, then another, then all).
        self._generation = 0
        self.reports: list[AgendaItem] = []
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
        bar.addSpacing(16)
        self.grid_button = a11y(
            QPushButton(translate("agenda", "Grille")),
            translate("agenda", "Affichage en grille horaire"),
        )
        self.list_button = a11y(
            QPushButton(translate("agenda", "Liste")), translate("agenda", "Affichage en liste")
        )
        display = QButtonGroup(self)
        for widget in (self.grid_button, self.list_button):
            widget.setCheckable(True)
            widget.setObjectName("chipFilter")
            display.addButton(widget)
            bar.addWidget(widget)
        self.grid_button.setChecked(True)
        self.grid_button.clicked.connect(lambda: self.set_grid_mode(True))
        self.list_button.clicked.connect(lambda: self.set_grid_mode(False))
        bar.addSpacing(16)
        self.reports_button = button(
            translate("agenda", "Comptes rendus à saisir"),
            translate("agenda", "Rendez-vous passés sans compte rendu"),
            tooltip=translate("agenda", "Rendez-vous passés sans compte rendu (Ctrl+R)"),
        )
        self.reports_button.setCheckable(True)
        self.reports_button.setObjectName("chipFilter")
        self.reports_button.clicked.connect(lambda checked: self.show_reports(checked))
        bar.addWidget(self.reports_button)
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
        actions = QHBoxLayout()
        self.referent_combo = a11y(QComboBox(), translate("agenda", "Référent"))
        self.referent_combo.addItem(translate("agenda", "Tous les référents"), None)
        self.referent_combo.currentIndexChanged.connect(self._referent_chosen)
        self.referent_combo.setVisible(False)
        self.referent_combo.setMinimumContentsLength(22)
        actions.addWidget(self.referent_combo)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("hint")
        self.selection_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        actions.addWidget(self.selection_label, 1)
        for widget in (self.file_button, self.outcome_button, self.cancel_button, self.move_button):
            actions.addWidget(widget)
        self.move_button.clicked.connect(lambda: self._act("move"))
        self.cancel_button.clicked.connect(lambda: self._act("cancel"))
        self.outcome_button.clicked.connect(lambda: self._act("outcome"))
        self.file_button.clicked.connect(self._open_file)
        layout.addLayout(bar)
        layout.addLayout(actions)

        self.error = banner()
        layout.addWidget(self.error)
        self.clash_banner = banner("warningBanner")
        layout.addWidget(self.clash_banner)
        actions.addWidget(attach_agenda_export(self))
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
        self.grid = a11y(
            CalendarGrid(),
            translate("agenda", "Grille des rendez-vous"),
        )
        self.grid.setToolTip(
            translate(
                "agenda",
                "Flèches : rendez-vous précédent ou suivant ; Entrée : compte rendu ; "
                "double-clic sur un créneau libre : planifier.",
            )
        )
        self.grid.selection_changed.connect(self._update_buttons)
        self.grid.activated.connect(lambda _id: self._act("outcome"))
        self.grid.slot_activated.connect(lambda moment: self.plan(starts_at=moment))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.tree)
        layout.addWidget(self.stack, 1)
        self.empty = QLabel(translate("agenda", "Aucun rendez-vous sur cette période."))
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)
        shortcut("Alt+Left", self, lambda: self.shift(-1))
        shortcut("Alt+Right", self, lambda: self.shift(1))
        shortcut("Ctrl+O", self, self._open_file)
        shortcut("Ctrl+R", self, lambda: self.show_reports(not self.reports_mode))
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
        self.show_reports(False)

    def set_grid_mode(self, grid: bool) -> None:
        self.grid_mode = grid
        self.grid_button.setChecked(grid)
        self.list_button.setChecked(not grid)
        self.show_reports(False)

    def show_reports(self, on: bool) -> None:
        """« Comptes rendus à saisir »: every started appointment still « à venir »."""
        self.reports_mode = on
        self.reports_button.setChecked(on)
        self.reload()
        if on:
            self.tree.setFocus()

    def shown_days(self, items: list[AgendaItem]) -> list[date]:
        """The grid's columns: the week's working days, and Saturday or Sunday when they
        have an appointment or are today."""
        first, days = self.period_bounds()
        today = to_local(utcnow()).date()
        busy = {to_local(item.starts_at).date() for item in items}
        return [
            first + timedelta(days=offset)
            for offset in range(days)
            if days == 1
            or (first + timedelta(days=offset)).weekday() < 5
            or first + timedelta(days=offset) in busy | {today}
        ]

    def shift(self, direction: int) -> None:
        self.day += timedelta(days=7 * direction if self.week_mode else direction)
        self.show_reports(False)

    @staticmethod
    def today() -> date:
        return to_local(utcnow()).date()

    def go_today(self) -> None:
        self.day = to_local(utcnow()).date()
        self.show_reports(False)

    def set_day(self, day: date) -> None:
        self.day = day
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def activate(self) -> None:
        """The store is open; the agenda loads when it is shown (the caseload comes first)."""
        self._active = True
        self.plan_button.setVisible(not self.session.read_only)
        self.referent_combo.setVisible(self.session.is_supervisor)
        if self.session.is_supervisor:
            self.ops.read(
                queries.agenda_referents,
                self._referents_loaded,
                self._failed,
                owner=self,
                label="referents",
            )
        if self.isVisible():
            self.reload()

    def _referents_loaded(self, referents: list[tuple[str, uuid.UUID]]) -> None:
        self.referent_names = {referent_id: name for name, referent_id in referents}
        self.referent_combo.blockSignals(True)
        while self.referent_combo.count() > 1:
            self.referent_combo.removeItem(1)
        for name, referent_id in referents:
            self.referent_combo.addItem(name, referent_id)
        index = self.referent_combo.findData(self.referent_filter)
        self.referent_combo.setCurrentIndex(max(0, index))
        self.referent_combo.blockSignals(False)

    def _referent_chosen(self, _index: int) -> None:
        value = self.referent_combo.currentData()
        self.referent_filter = value if isinstance(value, uuid.UUID) else None
        self.reload()

    def shown_referent(self) -> uuid.UUID | None:
        """Whose agenda: the referent's own; a supervisor's choice (None: everyone's)."""
        if self.session.is_supervisor:
            return self.referent_filter
        return self.session.referent_id

    def deactivate(self) -> None:
        self._active = False
        self.items = []
        self.reports = []
        self.tree.clear()
        self.grid.set_period([], [], utcnow())
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
        referent = self.shown_referent()
        now = utcnow()
        self._generation += 1
        generation = self._generation
        for widget in (self.previous_button, self.next_button, self.today_button):
            widget.setEnabled(not self.reports_mode)
        self.ops.read(
            lambda store: queries.reports_to_write(store, referent, now),
            lambda reports: self._latest(generation, self._reports_loaded, reports),
            self._failed,
            owner=self,
            label="reports",
        )
        if self.reports_mode:
            self.period.setText(translate("agenda", "Comptes rendus à saisir"))
            return
        if days == 1:
            self.period.setText(fmt_long_date(first))
        else:
            last = first + timedelta(days=6)
            self.period.setText(
                translate("agenda", "Semaine du {first} au {last}").format(
                    first=first.strftime("%d/%m"), last=fmt_date(last)
                )
            )
        start = local_midnight(first)
        self.ops.read(
            lambda store: queries.agenda(store, referent, start, days),
            lambda items: self._latest(generation, self._show, items),
            self._failed,
            owner=self,
            label="agenda",
        )

    def _latest(
        self,
        generation: int,
        show: Callable[[list[AgendaItem]], None],
        items: list[AgendaItem],
    ) -> None:
        if generation == self._generation:
            show(items)

    def _reports_loaded(self, reports: list[AgendaItem]) -> None:
        self.reports = reports
        text = translate("agenda", "Comptes rendus à saisir")
        self.reports_button.setText(f"{text} ({len(reports)})" if reports else text)
        if self.reports_mode:
            self._show_reports()

    def _failed(self, error: BaseException) -> None:
        show_banner(self.error, error_message(error))

    def _show(self, items: list[AgendaItem]) -> None:
        if self.reports_mode:
            return
        show_banner(self.error, None)
        current = self._selected_id()
        self.items = items
        now = utcnow()
        days = self.shown_days(items)
        names = self.referent_names if self.shown_referent() is None else None
        self.grid.set_period(days, items, now, referent_names=names)
        self.grid.select(current)
        self._fill_tree(items, days, current, grouped=True)
        clashes = len(clashing(items))
        show_banner(
            self.clash_banner,
            translate(
                "agenda",
                "{n} rendez-vous se chevauchent sur cette période (bordure rouge).",
            ).format(n=clashes)
            if clashes
            else None,
        )
        self.stack.setCurrentWidget(self.grid if self.grid_mode else self.tree)
        self.empty.setVisible(not items and not self.grid_mode)
        self._update_buttons()

    def _show_reports(self) -> None:
        show_banner(self.error, None)
        show_banner(self.clash_banner, None)
        current = self._selected_id()
        self.items = list(self.reports)
        self._fill_tree(self.items, [], current, grouped=False)
        self.stack.setCurrentWidget(self.tree)
        self.empty.setText(translate("agenda", "Aucun compte rendu à saisir."))
        self.empty.setVisible(not self.items)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    def _row(self, entry: AgendaItem, now: datetime, *, with_day: bool) -> QTreeWidgetItem:
        when = f"{fmt_time(entry.starts_at)} – {fmt_time(entry.ends_at)}"
        if with_day:
            when = f"{fmt_date(to_local(entry.starts_at).date())} {when}"
        child = QTreeWidgetItem(
            [
                when,
                entry.person_name,
                label("appointment_purpose", entry.purpose),
                label("appointment_mode", entry.mode),
                entry.place or "",
                state_label(entry, now),
            ]
        )
        child.setData(0, ROW_ID, entry.appointment_id)
        child.setToolTip(4, entry.place or "")
        moved = moved_label(entry.requested_by)
        if moved:
            child.setText(5, f"{child.text(5)} · {moved}")
        child.setToolTip(5, child.text(5))
        child.setToolTip(1, entry.person_name)
        child.setData(0, PERSON_ID, entry.person_id)
        if entry.report_due(now):
            child.setForeground(5, Qt.GlobalColor.darkRed)
        elif entry.status != AppointmentStatus.PLANNED.value:
            for column in range(6):
                child.setForeground(column, Qt.GlobalColor.darkGray)
        return child

    def _fill_tree(
        self,
        items: list[AgendaItem],
        days: list[date],
        current: uuid.UUID | None,
        *,
        grouped: bool,
    ) -> None:
        """Fill the list, keeping its scroll position and the selected appointment."""
        scroll = self.tree.verticalScrollBar().value()
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        now = utcnow()
        select: QTreeWidgetItem | None = None
        if not grouped:
            for entry in items:
                child = self._row(entry, now, with_day=True)
                self.tree.addTopLevelItem(child)
                if entry.appointment_id == current:
                    select = child
        else:
            by_day: dict[date, list[AgendaItem]] = {}
            for item in items:
                by_day.setdefault(to_local(item.starts_at).date(), []).append(item)
            for day in days:
                entries = by_day.get(day, [])
                top = QTreeWidgetItem([fmt_long_date(day)])
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
                    child = self._row(entry, now, with_day=False)
                    top.addChild(child)
                    if entry.appointment_id == current:
                        select = child
                top.setExpanded(True)
        self.empty.setText(translate("agenda", "Aucun rendez-vous sur cette période."))
        if select is not None:
            self.tree.setCurrentItem(select)
        self.tree.setUpdatesEnabled(True)
        self.tree.verticalScrollBar().setValue(scroll)
        if not grouped:  # the day is in the first column: wide enough for it
            self.tree.resizeColumnToContents(0)
        else:
            self.tree.setColumnWidth(0, 150)

    # -- actions -----------------------------------------------------------------------------

    def _selected_id(self) -> uuid.UUID | None:
        if self.stack.currentWidget() is self.grid:
            return self.grid.selected
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
        text = self.grid.describe(item) if item is not None else ""
        self.selection_label.setToolTip(text)
        self.selection_label.setText(
            self.selection_label.fontMetrics().elidedText(
                text, Qt.TextElideMode.ElideRight, max(120, self.selection_label.width())
            )
        )

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
