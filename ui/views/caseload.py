"""Home screen: the caseload, its alerts, instant search and filters."""

from __future__ import annotations

import itertools
import math
import uuid
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.domain.deadlines import PATH_ALERTS
from spie_desktop.domain.enums import FollowUpStatus
from spie_desktop.services import queries
from spie_desktop.services.caseload import (
    ALERT_NO_CONTACT_DAYS,
    Card,
    CaseloadFilter,
    DashboardCounts,
)
from spie_desktop.services.operation import CONTENT_KINDS, Changes
from spie_desktop.store.changes import utcnow
from ui.formatting import label
from ui.i18n import translate
from ui.models.caseload_model import ALERTS_ROLE, CaseloadModel, Column
from ui.session import AppContext
from ui.views.my_day import path_alert_labels
from ui.widgets.chips import ChipsDelegate
from ui.widgets.common import (
    a11y,
    banner,
    button,
    fill_combo,
    heading,
    keep_whole,
    repolish,
    select_code,
    shortcut,
    show_banner,
)
from ui.workers import error_message

SEARCH_DELAY_MS = 0
REFRESH_DELAY_MS = 150

# The status filter's entry for everyone still followed (the « personnes suivies » card).
ACTIVE = "__active__"
MISSED = "missed"

# What each card puts in the drop-downs (status, alert); every other filter is cleared.
CARD_FILTERS: dict[str, tuple[str | None, str | None]] = {
    Card.FOLLOWED: (ACTIVE, None),
    Card.TO_CONTACT: (FollowUpStatus.TO_CONTACT.value, None),
    Card.WITHOUT_CONTACT: (None, "no_contact"),
    Card.MISSED: (None, MISSED),
    Card.OVERDUE: (None, "overdue"),
    Card.WEEK: (None, "week"),
}


class CaseloadTable(QTableView):
    """Enter opens the selected person; Home/End/PageUp/PageDown move as usual."""

    open_requested = Signal(object)

    #: the alerts column (the last, stretched) keeps at least this much: one chip and « +2 »
    ALERTS_MIN = 230
    #: how narrow a column may get: a name, a status, a day and time, a theme; and never
    #: narrower than its header's words (« Prochain RDV », « Overdue actions »)
    FLOORS = {
        Column.NAME: 160,
        Column.STATUS: 120,
        Column.NEXT_APPOINTMENT: 140,
        Column.LAST_CONTACT: 110,
        Column.BARRIERS: 120,
        Column.OVERDUE: 110,
    }

    def __init__(self) -> None:
        super().__init__()
        #: each column's width when there is room; narrowed together when there is not
        self.base_widths: dict[int, int] = {}

    def set_base_widths(self, widths: dict[int, int]) -> None:
        self.base_widths = dict(widths)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Narrow the columns in proportion so that the alerts column keeps ``ALERTS_MIN``
        within the window (1366 pixels: no horizontal scroll bar, in either language)."""
        shown = {c: w for c, w in self.base_widths.items() if not self.isColumnHidden(c)}
        header = self.horizontalHeader()
        bold = header.font()
        bold.setBold(True)
        metrics = QFontMetrics(bold)

        def words(column: int) -> int:
            text = (
                self.model().headerData(column, Qt.Orientation.Horizontal) if self.model() else ""
            )
            return metrics.horizontalAdvance(str(text or "")) + 20  # the header's margins

        # A follow-up status is never shortened: « En accompagnement », « Accompaniment ».
        body = QFontMetrics(self.font())
        statuses = [label("follow_up_status", status.value) for status in FollowUpStatus]
        # app.qss's item padding (6 px each side), the style's text margin inside it, the grid
        inner = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        room = 2 * 6 + 2 * inner + 1
        content = {Column.STATUS: max(map(body.horizontalAdvance, statuses)) + room}
        least = {
            c: min(w, max(self.FLOORS.get(c, 70), words(c), content.get(c, 0)))
            for c, w in shown.items()
        }
        slack = sum(shown[c] - least[c] for c in shown)
        excess = sum(shown.values()) - (self.viewport().width() - self.ALERTS_MIN)
        share = min(1.0, excess / slack) if excess > 0 and slack > 0 else 0.0
        for column, width in shown.items():
            # rounded down: the alerts column (stretched) keeps the pixel that is left over
            self.setColumnWidth(column, width - math.ceil((width - least[column]) * share))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                model = self.model()
                if isinstance(model, CaseloadModel):
                    person_id = model.person_id(index.row())
                    if person_id is not None:
                        self.open_requested.emit(person_id)
                        return
        super().keyPressEvent(event)


class SearchField(QLineEdit):
    """Down arrow moves into the list; Escape clears the search."""

    go_down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.go_down.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class Counter(QPushButton):
    """A figure of the dashboard; clicking it applies the matching filter."""

    def __init__(self, caption: str, alert: bool = False) -> None:
        super().__init__()
        self.caption = caption
        self.alert = alert
        self.setObjectName("counter")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(0)
        self.value = QLabel("–")
        self.value.setObjectName("counterValue")
        self.label = QLabel(caption)
        self.label.setObjectName("counterLabel")
        self.label.setWordWrap(True)
        for child in (self.value, self.label):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            layout.addWidget(child)
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_value(None)

    def set_value(self, value: int | None) -> None:
        shown = "–" if value is None else str(value)
        self.value.setText(shown)
        self.value.setProperty("alert", bool(self.alert and value))
        repolish(self.value)
        a11y(
            self,
            translate("caseload", "{caption} : {value}").format(caption=self.caption, value=shown),
        )

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(120, max(hint.height(), 64))


UNASSIGNED = "__unassigned__"


class CaseloadView(QWidget):
    open_person = Signal(object)
    new_person = Signal()
    #: the user asked to go back to the team dashboard from a drill-down list
    back_to_dashboard = Signal()

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session
        self.ops = session.ops
        self.model = CaseloadModel(self.ops, self)
        self.model.refreshed.connect(self._on_refreshed)
        self.model.load_failed.connect(self._on_failed)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._restore_current)
        self._current: uuid.UUID | None = None
        self._counts_after_list = False
        # A dashboard figure's list (a filter the drop-downs cannot all express), until the
        # user changes a filter.
        self._drill: CaseloadFilter | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(12)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = heading(translate("caseload", "Mon portefeuille"))
        self.subtitle = heading("", "subtitle")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        self._header = header
        self.new_button = button(
            translate("caseload", "+ Nouvelle personne"),
            translate("caseload", "Nouvelle personne"),
            primary=True,
            tooltip=translate("caseload", "Ajouter une personne au portefeuille (Ctrl+N)"),
        )
        self.new_button.clicked.connect(self.new_person.emit)
        header.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        counters = QGridLayout()
        counters.setHorizontalSpacing(10)
        self.counters = {
            "followed": Counter(translate("caseload", "personnes suivies")),
            "to_contact": Counter(translate("caseload", "à contacter")),
            "without_contact": Counter(
                translate("caseload", "sans contact depuis {n} j").format(n=ALERT_NO_CONTACT_DAYS),
                alert=True,
            ),
            "missed": Counter(translate("caseload", "RDV manqués à replanifier"), alert=True),
            "overdue": Counter(translate("caseload", "avec une action échue"), alert=True),
            "week": Counter(translate("caseload", "RDV dans les 7 jours")),
        }
        for position, counter in enumerate(self.counters.values()):
            counters.addWidget(counter, 0, position)
        for card, counter in self.counters.items():
            counter.clicked.connect(lambda _checked=False, card=card: self.show_card(card))
        layout.addLayout(counters)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.search = a11y(
            SearchField(),
            translate("caseload", "Rechercher une personne"),
            translate("caseload", "Nom, prénom, nom de naissance ou numéro CAF ; sans accents."),
        )
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            translate("caseload", "Rechercher : nom, prénom, n° CAF… (Ctrl+F)")
        )
        self.search.setClearButtonEnabled(True)
        for clear in self.search.findChildren(QToolButton):
            a11y(clear, translate("caseload", "Effacer la recherche"))
        self.search.textChanged.connect(self._on_search)
        self.search.go_down.connect(self._focus_table)
        self.search.setMinimumWidth(380)
        self._header.insertWidget(1, self.search, 0, Qt.AlignmentFlag.AlignTop)
        self._header.insertSpacing(2, 12)

        self.status_filter = a11y(QComboBox(), translate("caseload", "Filtrer par statut"))
        fill_combo(
            self.status_filter,
            "follow_up_status",
            empty=translate("caseload", "Statut : tous"),
        )
        self.status_filter.insertItem(1, translate("caseload", "Suivis (hors sortis)"), ACTIVE)
        # Active persons by default (issue 12); « Statut : tous » shows those who left too.
        self.status_filter.setCurrentIndex(1)
        self.referent_filter = a11y(QComboBox(), translate("caseload", "Filtrer par référent"))
        fill_combo(
            self.referent_filter,
            empty=translate("caseload", "Référent : tous"),
            entries=[(translate("caseload", "Sans référent"), UNASSIGNED)],
        )
        self.referent_filter.setVisible(False)
        self.orientation_filter = a11y(
            QComboBox(), translate("caseload", "Filtrer par orientation")
        )
        fill_combo(
            self.orientation_filter,
            "orientation",
            empty=translate("caseload", "Orientation : toutes"),
        )
        self.theme_filter = a11y(QComboBox(), translate("caseload", "Filtrer par frein"))
        fill_combo(self.theme_filter, "theme", empty=translate("caseload", "Frein : tous"))
        self.alert_filter = a11y(QComboBox(), translate("caseload", "Filtrer par alerte"))
        fill_combo(
            self.alert_filter,
            empty=translate("caseload", "Alerte : toutes"),
            entries=[
                (translate("caseload", "Avec une alerte"), "alerts"),
                (
                    translate("caseload", "Sans contact depuis {n} jours").format(
                        n=ALERT_NO_CONTACT_DAYS
                    ),
                    "no_contact",
                ),
                (translate("caseload", "RDV manqué à replanifier"), MISSED),
                (translate("caseload", "Action échue"), "overdue"),
                (translate("caseload", "Rendez-vous dans 7 jours"), "week"),
                *((text, code) for code, text in path_alert_labels().items()),
            ],
        )
        for combo in (
            self.status_filter,
            self.referent_filter,
            self.orientation_filter,
            self.theme_filter,
            self.alert_filter,
        ):
            combo.setMinimumContentsLength(16)
            keep_whole(combo, [combo.currentText()])  # « Suivis (hors sortis) », « … : tous »
            combo.currentIndexChanged.connect(self._on_filters)
            filters.addWidget(combo, 1)
        self.reset_button = button(
            translate("caseload", "Effacer les filtres"),
            flat=True,
        )
        self.reset_button.clicked.connect(self._reset_filters)
        filters.addWidget(self.reset_button)
        layout.addLayout(filters)

        self.error = banner()
        layout.addWidget(self.error)

        drill = QHBoxLayout()
        self.drill_label = QLabel()
        self.drill_label.setObjectName("hint")
        self.drill_label.setWordWrap(True)
        drill.addWidget(self.drill_label, 1)
        self.drill_back = button(translate("caseload", "← Tableau de bord"), flat=True)
        self.drill_back.clicked.connect(self.back_to_dashboard.emit)
        drill.addWidget(self.drill_back)
        self.drill_bar = QWidget()
        self.drill_bar.setLayout(drill)
        self.drill_bar.setVisible(False)
        layout.addWidget(self.drill_bar)

        self.table = a11y(
            CaseloadTable(),
            translate("caseload", "Liste des personnes suivies"),
            translate(
                "caseload",
                "Entrée ouvre le dossier ; cliquez sur un en-tête de colonne pour trier.",
            ),
        )
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.setItemDelegateForColumn(Column.ALERTS, ChipsDelegate(ALERTS_ROLE, self.table))
        horizontal = self.table.horizontalHeader()
        horizontal.setHighlightSections(False)
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setStretchLastSection(True)
        # The status column tells who left when « Statut : tous » lists them (issue 12); the
        # referent column is the supervisor's (a referent's list is all hers).
        self.table.setColumnHidden(Column.REFERENT, True)
        self.table.set_base_widths(
            {
                Column.NAME: 190,
                Column.STATUS: 160,
                Column.NEXT_APPOINTMENT: 172,
                Column.LAST_CONTACT: 135,
                Column.BARRIERS: 185,
                Column.OVERDUE: 150,
                Column.REFERENT: 170,
            }
        )
        self.table.activated.connect(self._on_activated)
        self.table.open_requested.connect(self.open_person.emit)
        layout.addWidget(self.table, 1)

        self.empty = QLabel(translate("caseload", "Aucune personne ne correspond à ces critères."))
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)
        layout.addWidget(self.empty)

        shortcut(QKeySequence.StandardKey.Find, self, self.focus_search)

        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.timeout.connect(self._load_counts)

        chain: list[QWidget] = [
            self.search,
            self.status_filter,
            self.referent_filter,
            self.orientation_filter,
            self.theme_filter,
            self.alert_filter,
            self.reset_button,
            self.table,
            self.new_button,
            *self.counters.values(),
        ]
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)
        # The drop-downs' default (active persons) is the list's from the first query on.
        self.model.set_filter(self._current_filter())

    # -- life cycle ---------------------------------------------------------------------------

    def activate(self) -> None:
        """The store is open: load."""
        self.new_button.setVisible(not self.session.read_only)
        supervisor = self.session.is_supervisor
        self.referent_filter.setVisible(supervisor)
        self.table.setColumnHidden(Column.REFERENT, not supervisor)
        self.table.fit_columns()
        if supervisor:
            self._load_referents()
        self.title.setText(
            translate("caseload", "Portefeuilles de l'équipe")
            if self.session.is_supervisor
            else translate("caseload", "Mon portefeuille")
        )
        self.model.set_active(True)
        self._counts_after_list = True  # the list first, then the dashboard's figures
        self.model.refresh()

    def deactivate(self) -> None:
        """Lock: forget every row."""
        self.model.set_active(False)
        self.subtitle.setText("")
        for counter in self.counters.values():
            counter.set_value(None)

    def data_changed(self, changes: Changes) -> None:
        if not changes.concerns_kinds(CONTENT_KINDS):
            return  # an audit event alone (a file opened): nothing listed here changed
        self.model.refresh(REFRESH_DELAY_MS)
        self._counts_timer.start(REFRESH_DELAY_MS * 2)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def draft_state(self) -> dict[str, object]:
        return {
            "search": self.search.text(),
            "status": self.status_filter.currentIndex(),
            "referent": self.referent_filter.currentData(),
            "orientation": self.orientation_filter.currentIndex(),
            "theme": self.theme_filter.currentIndex(),
            "alert": self.alert_filter.currentIndex(),
        }

    def restore_draft(self, state: dict[str, object]) -> None:
        for key, combo in (
            ("status", self.status_filter),
            ("orientation", self.orientation_filter),
            ("theme", self.theme_filter),
            ("alert", self.alert_filter),
        ):
            value = state.get(key)
            if isinstance(value, int):
                combo.setCurrentIndex(value)
        referent = state.get("referent")
        if isinstance(referent, str):
            self._wanted_referent = referent
            select_code(self.referent_filter, referent)
        search = state.get("search")
        if isinstance(search, str):
            self.search.setText(search)

    # -- filters ---------------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        self.model.set_search(text, SEARCH_DELAY_MS)

    def _on_filters(self) -> None:
        if self._drill is not None:  # a filter touched: back to the drop-downs' own list
            self._drill = None
            self.drill_bar.setVisible(False)
        self.model.set_filter(self._current_filter())

    def show_list(self, flt: CaseloadFilter, caption: str) -> None:
        """A dashboard figure's list, exactly ``flt`` (the drop-downs show what they can)."""
        self._set_filters(None, None, notify=False)
        self._drill = flt
        self.drill_label.setText(caption)
        self.drill_bar.setVisible(True)
        self.model.set_filter(flt)

    def _load_referents(self) -> None:
        def done(referents: list[tuple[uuid.UUID, str]]) -> None:
            wanted = getattr(self, "_wanted_referent", None) or self.referent_filter.currentData()
            self.referent_filter.blockSignals(True)
            fill_combo(
                self.referent_filter,
                empty=translate("caseload", "Référent : tous"),
                entries=[
                    *((name, referent_id.hex) for referent_id, name in referents),
                    (translate("caseload", "Sans référent"), UNASSIGNED),
                ],
            )
            self.referent_filter.setMinimumContentsLength(16)
            keep_whole(self.referent_filter, [self.referent_filter.itemText(0)])
            select_code(self.referent_filter, wanted)
            self.referent_filter.blockSignals(False)

        self.ops.read(queries.team_referents, done, lambda _e: None, owner=self, label="referents")

    def _current_filter(self) -> CaseloadFilter:
        status = self.status_filter.currentData()
        orientation = self.orientation_filter.currentData()
        theme = self.theme_filter.currentData()
        alert = self.alert_filter.currentData()
        referent = self.referent_filter.currentData()
        active_only = status == ACTIVE
        if active_only:
            status = None
        return replace(
            CaseloadFilter(),
            search=self.search.text(),
            follow_up_statuses=(status,) if status else (),
            orientations=(orientation,) if orientation else (),
            barrier_theme=theme or None,
            alerts_only=alert == "alerts",
            not_seen_for_days=ALERT_NO_CONTACT_DAYS if alert == "no_contact" else None,
            overdue_actions=alert == "overdue",
            missed_not_rescheduled=alert == MISSED,
            next_appointment_within_days=7 if alert == "week" else None,
            path_alert=alert if alert in PATH_ALERTS else None,
            include_exited=not active_only and (bool(status) or alert is None),
            referent_id=uuid.UUID(hex=referent) if referent and referent != UNASSIGNED else None,
            without_referent=referent == UNASSIGNED,
        )

    def _reset_filters(self) -> None:
        self._set_filters(ACTIVE, None)  # the default: everyone still followed

    def show_card(self, card: str) -> None:
        """The list a card counts: its own filter, every other one cleared (not combined)."""
        status, alert = CARD_FILTERS[card]
        self._set_filters(status, alert)

    def show_alert(self, alert: str) -> None:
        """The list of one alert of the drop-down (« Ma journée »), other filters cleared."""
        self._set_filters(None, alert)

    def _set_filters(self, status: str | None, alert: str | None, *, notify: bool = True) -> None:
        wanted = {self.status_filter: status, self.alert_filter: alert}
        for combo in (
            self.status_filter,
            self.referent_filter,
            self.orientation_filter,
            self.theme_filter,
            self.alert_filter,
        ):
            combo.blockSignals(True)
            code = wanted.get(combo)
            combo.setCurrentIndex(max(combo.findData(code), 0) if code else 0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if notify:
            self._on_filters()

    # -- results ---------------------------------------------------------------------------

    def _on_refreshed(self, count: int, _seconds: float) -> None:
        if self._counts_after_list:
            self._counts_after_list = False
            self._load_counts()
        show_banner(self.error, None)
        self.subtitle.setText(translate("caseload", "{n} personne(s) affichée(s)").format(n=count))
        self.empty.setVisible(count == 0)
        self.table.setAccessibleDescription(
            translate("caseload", "{n} personne(s). Entrée ouvre le dossier.").format(n=count)
        )

    def _on_failed(self, error: BaseException) -> None:
        show_banner(self.error, error_message(error))

    def _remember_current(self) -> None:
        index = self.table.currentIndex()
        self._current = self.model.person_id(index.row()) if index.isValid() else None

    def _restore_current(self) -> None:
        if self._current is None:
            return
        row = self.model.row_of(self._current)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _on_activated(self, index: QModelIndex) -> None:
        person_id = self.model.person_id(index.row())
        if person_id is not None:
            self.open_person.emit(person_id)

    def _load_counts(self) -> None:
        referent = None if self.session.is_supervisor else self.session.referent_id

        def done(counts: DashboardCounts) -> None:
            self.counters["followed"].set_value(counts.followed)
            self.counters["to_contact"].set_value(counts.to_contact)
            self.counters["without_contact"].set_value(counts.without_contact)
            self.counters["missed"].set_value(counts.missed_not_rescheduled)
            self.counters["overdue"].set_value(counts.overdue_actions)
            self.counters["week"].set_value(counts.appointments_next_7_days)

        self.ops.read(
            lambda store: queries.dashboard(store, utcnow(), referent),
            done,
            lambda _e: None,
            owner=self,
            label="dashboard",
        )
