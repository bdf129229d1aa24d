"""The supervisor's home screen: the team's figures per referent, two charts, the exports.

Figures come from one query (:func:`spie_desktop.services.queries.team_dashboard`) run on a
reader thread; every figure opens the exact list behind it (:func:`team.figure_list`): a
caseload list in the caseload screen, or the appointments behind a no-show rate in a
dialog. Charts are QtCharts (docs/architecture.md, « Team dashboard » says why).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.services import queries, team, usecases
from spie_desktop.services.caseload import ALERT_NO_CONTACT_DAYS, CaseloadFilter
from spie_desktop.services.documents import RenderedDocument
from spie_desktop.services.operation import CONTENT_KINDS, Changes, Outcome
from spie_desktop.services.team import (
    FIGURES,
    RATE_FIGURES,
    AppointmentFilter,
    Figure,
    Scope,
    ScopeFigures,
    TeamDashboard,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store
from ui.documents import CSV_FILTER, DocumentSaver, _report_in
from ui.formatting import fmt_date, fmt_datetime, label
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import a11y, banner, button, heading, show_banner
from ui.workers import error_message

REFRESH_DELAY_MS = 300
EXPORT_NAMES = {
    "persons": "personnes",
    "appointments": "rendez-vous",
    "actions": "actions",
    "dashboard": "tableau-de-bord",
}
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1
BLUE, RED, GREY = QColor("#000091"), QColor("#ce0500"), QColor("#929292")

AnyIndex = QModelIndex | QPersistentModelIndex


def figure_titles(days: int) -> dict[str, str]:
    return {
        Figure.CASELOAD: translate("team", "Personnes suivies"),
        Figure.NO_CONTACT: translate("team", "Sans contact depuis plus de {n} j").format(n=days),
        Figure.MISSED: translate("team", "RDV manqués à replanifier"),
        Figure.REPORTS: translate("team", "Comptes rendus à saisir"),
        Figure.OVERDUE: translate("team", "Actions échues"),
        Figure.DEADLINES: translate("team", "Échéances du parcours dépassées"),
        Figure.CONTRACTS_ENDING: translate("team", "Contrats arrivant à échéance"),
        Figure.NOSHOW_3M: translate("team", "Absences aux RDV (3 mois)"),
        Figure.NOSHOW_12M: translate("team", "Absences aux RDV (12 mois)"),
    }


def header_titles(days: int) -> dict[str, str]:
    """The table's column headers, on two lines (a header does not wrap by itself)."""
    return {
        Figure.CASELOAD: translate("team", "Personnes\nsuivies"),
        Figure.NO_CONTACT: translate("team", "Sans contact\n> {n} j").format(n=days),
        Figure.MISSED: translate("team", "Manqués à\nreplanifier"),
        Figure.REPORTS: translate("team", "CR\nà saisir"),
        Figure.OVERDUE: translate("team", "Actions\néchues"),
        Figure.DEADLINES: translate("team", "Échéances\ndépassées"),
        Figure.CONTRACTS_ENDING: translate("team", "Contrats\nfinissant"),
        Figure.NOSHOW_3M: translate("team", "Absences\n3 mois"),
        Figure.NOSHOW_12M: translate("team", "Absences\n12 mois"),
    }


def scope_name(row: ScopeFigures) -> str:
    if row.scope.is_team:
        return translate("team", "Toute l'équipe")
    if row.scope.unassigned:
        return translate("team", "Sans référent")
    return row.name


def rate_text(rate: team.Rate) -> str:
    percent = rate.percent
    if percent is None:
        return translate("team", "— (aucun RDV)")
    return f"{percent:.0f} % ({rate.noshow}/{rate.held})"


class FiguresModel(QAbstractTableModel):
    """One row per referent (then « sans référent »), the team's total last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dashboard: TeamDashboard | None = None
        self._rows: tuple[ScopeFigures, ...] = ()
        self._titles = header_titles(ALERT_NO_CONTACT_DAYS)
        self._long = figure_titles(ALERT_NO_CONTACT_DAYS)

    def set_dashboard(self, dashboard: TeamDashboard | None) -> None:
        self.beginResetModel()
        self.dashboard = dashboard
        self._rows = dashboard.rows() if dashboard else ()
        if dashboard is not None:
            self._titles = header_titles(dashboard.no_contact_days)
            self._long = figure_titles(dashboard.no_contact_days)
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(FIGURES))

    def row_figures(self, row: int) -> ScopeFigures | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def figure_at(self, index: AnyIndex) -> tuple[str, ScopeFigures] | None:
        row = self.row_figures(index.row())
        if row is None or index.column() == 0:
            return None
        return FIGURES[index.column() - 1], row

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIGURES) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return translate("team", "Référent")
            return self._titles[FIGURES[section - 1]]
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            if section == 0:
                return translate("team", "Référent")
            return self._long[FIGURES[section - 1]]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_figures(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        figure = FIGURES[column - 1] if column > 0 else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if figure is None:
                return scope_name(row)
            if figure in RATE_FIGURES:
                rate = row.rates[figure]
                if role == Qt.ItemDataRole.AccessibleTextRole or rate.percent is None:
                    return rate_text(rate)
                return f"{rate.percent:.0f} %"
            return str(row.counts[figure])
        if role == FIGURE_ROLE:
            return figure
        if role == Qt.ItemDataRole.ToolTipRole and figure is not None:
            hint = translate("team", "Entrée ou double-clic : la liste de ces {n} ligne(s)").format(
                n=row.value(figure)
            )
            if figure in RATE_FIGURES:
                return f"{rate_text(row.rates[figure])} — {hint}"
            return hint
        if role == Qt.ItemDataRole.FontRole and row.scope.is_team:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and figure is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        alerting = figure not in (None, Figure.CASELOAD, *RATE_FIGURES)
        if role == Qt.ItemDataRole.ForegroundRole and alerting and figure is not None:
            return RED if row.value(figure) > 0 else None
        return None


class FiguresTable(QTableView):
    """Enter opens the list behind the current cell."""

    open_cell = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_cell.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class TeamDashboardView(QWidget):
    """Figures per referent and for the team (see the module docstring)."""

    #: a person figure's list: (filter, caption) for the caseload screen
    open_caseload = Signal(object, str)
    #: an appointments list: (filter, caption)
    open_appointments = Signal(object, str)
    export_requested = Signal(str)

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session
        self.ops = session.ops
        self.dashboard: TeamDashboard | None = None
        self._active = False
        self._in_flight = False
        self._dirty = False
        self.loads = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(10)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(heading(translate("team", "Tableau de bord de l'équipe")))
        self.subtitle = heading("", "subtitle")
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        days_label = QLabel(translate("team", "Sans contact depuis plus de"))
        header.addWidget(days_label, 0, Qt.AlignmentFlag.AlignTop)
        self.days = a11y(QSpinBox(), translate("team", "Jours sans contact"))
        self.days.setRange(1, 365)
        self.days.setValue(ALERT_NO_CONTACT_DAYS)
        self.days.setSuffix(translate("team", " jours"))
        self.days.valueChanged.connect(lambda _v: self.refresh(REFRESH_DELAY_MS))
        days_label.setBuddy(self.days)
        header.addWidget(self.days, 0, Qt.AlignmentFlag.AlignTop)
        self.export_button = button(
            translate("team", "Exporter…"),
            tooltip=translate(
                "team",
                "Fichiers CSV (;) pour un tableur : personnes, rendez-vous, actions, chiffres",
            ),
        )
        header.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        self.error = banner()
        layout.addWidget(self.error)
        self.saver = DocumentSaver(session, self)
        _report_in(self.saver, self.error)
        menu = QMenu(self.export_button)
        for kind, text in (
            ("persons", translate("team", "Personnes (une ligne par personne)…")),
            ("appointments", translate("team", "Rendez-vous (une ligne par rendez-vous)…")),
            ("actions", translate("team", "Actions (une ligne par action)…")),
            ("dashboard", translate("team", "Chiffres du tableau de bord…")),
        ):
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, kind=kind: self.export(kind))
        self.export_button.setMenu(menu)

        self.model = FiguresModel(self)
        self.table = a11y(
            FiguresTable(),
            translate("team", "Chiffres par référent"),
            translate("team", "Entrée ou double-clic sur un chiffre ouvre la liste qu'il compte."),
        )
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        horizontal = self.table.horizontalHeader()
        horizontal.setHighlightSections(False)
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        horizontal.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        horizontal.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter)
        horizontal.setMinimumHeight(52)
        self.table.activated.connect(self.open_cell)
        self.table.doubleClicked.connect(self.open_cell)
        self.table.open_cell.connect(self.open_cell)
        layout.addWidget(self.table, 3)

        charts = QHBoxLayout()
        self.referent_chart = QChartView()
        self.referent_chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        a11y(self.referent_chart, translate("team", "Graphique : portefeuille par référent"))
        self.trend_chart = QChartView()
        self.trend_chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        a11y(self.trend_chart, translate("team", "Graphique : rendez-vous sur 12 mois"))
        for view in (self.referent_chart, self.trend_chart):
            view.setMinimumHeight(220)
            charts.addWidget(view, 1)
        layout.addLayout(charts, 2)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._load)

    # -- life cycle ---------------------------------------------------------------------------

    def activate(self) -> None:
        self._active = True
        self.refresh()

    def deactivate(self) -> None:
        self._active = False
        self._timer.stop()
        self.dashboard = None
        self.model.set_dashboard(None)
        self.subtitle.setText("")
        self.referent_chart.setChart(QChart())
        self.trend_chart.setChart(QChart())

    def data_changed(self, changes: Changes) -> None:
        if changes.concerns_kinds(CONTENT_KINDS):
            self.refresh(REFRESH_DELAY_MS)

    def refresh(self, delay_ms: int = 0) -> None:
        if self._active:
            self._timer.start(max(delay_ms, 0))

    @property
    def busy(self) -> bool:
        return self._in_flight or self._timer.isActive()

    def _load(self) -> None:
        if not self._active:
            return
        if self._in_flight:
            self._dirty = True
            return
        self._in_flight = True
        days = self.days.value()
        now = utcnow()

        def done(dashboard: TeamDashboard) -> None:
            self._in_flight = False
            if self._dirty:
                self._dirty = False
                self._load()
                return
            self.show_dashboard(dashboard)

        def failed(error: BaseException) -> None:
            self._in_flight = False
            show_banner(self.error, error_message(error))

        self.ops.read(
            lambda store: queries.team_dashboard(store, now, days=days),
            done,
            failed,
            owner=self,
            label="team dashboard",
        )

    # -- showing ------------------------------------------------------------------------------

    def show_dashboard(self, dashboard: TeamDashboard) -> None:
        self.dashboard = dashboard
        self.loads += 1
        show_banner(self.error, None)
        self.model.set_dashboard(dashboard)
        self.subtitle.setText(
            translate("team", "{n} référent(s) · {p} personne(s) suivie(s) · au {date}").format(
                n=sum(1 for row in dashboard.referents if not row.scope.unassigned),
                p=dashboard.team.counts[Figure.CASELOAD],
                date=fmt_date(dashboard.now.date()),
            )
        )
        self.referent_chart.setChart(self._referent_chart(dashboard))
        self.trend_chart.setChart(self._trend_chart(dashboard))

    def _referent_chart(self, dashboard: TeamDashboard) -> QChart:
        chart = QChart()
        chart.setTitle(translate("team", "Par référent : suivis et sans contact"))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        rows = list(reversed(dashboard.referents))  # top to bottom as in the table
        followed = QBarSet(translate("team", "Suivis"))
        silent = QBarSet(
            translate("team", "Sans contact > {n} j").format(n=dashboard.no_contact_days)
        )
        followed.setColor(BLUE)
        silent.setColor(RED)
        for row in rows:
            followed.append(row.counts[Figure.CASELOAD])
            silent.append(row.counts[Figure.NO_CONTACT])
        series = QHorizontalBarSeries()
        series.append(followed)
        series.append(silent)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([scope_name(row) for row in rows])
        values = QValueAxis()
        values.setLabelFormat("%d")
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        followed.clicked.connect(lambda i: self.open_figure(Figure.CASELOAD, rows[i]))
        silent.clicked.connect(lambda i: self.open_figure(Figure.NO_CONTACT, rows[i]))
        return chart

    def _trend_chart(self, dashboard: TeamDashboard) -> QChart:
        chart = QChart()
        chart.setTitle(
            translate("team", "Rendez-vous honorés et absences, 12 mois (jusqu'à {m})").format(
                m=f"{dashboard.trend[-1].month:%m/%Y}" if dashboard.trend else ""
            )
        )
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        seen = QBarSet(translate("team", "Honorés"))
        missed = QBarSet(translate("team", "Absences"))
        seen.setColor(BLUE)
        missed.setColor(RED)
        months = []
        for point in dashboard.trend:
            seen.append(point.seen)
            missed.append(point.noshow)
            months.append(f"{point.month:%m}")
        series: QBarSeries | QStackedBarSeries = QStackedBarSeries()
        series.append(seen)
        series.append(missed)
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append(months)
        values = QValueAxis()
        values.setLabelFormat("%d")
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis)
        series.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        missed.clicked.connect(lambda i: self.open_month(i))
        return chart

    # -- exports ------------------------------------------------------------------------------

    def export(self, kind: str) -> bool:
        """Ask where, then write the CSV on the writer thread (audited); False if cancelled."""
        actor = self.session.actor
        if actor is None:
            return False
        days = self.days.value()
        now = utcnow()

        def render(store: Store) -> Outcome[RenderedDocument]:
            return usecases.export_csv(store, actor, kind, now, days=days)

        return self.saver.save(
            translate("team", "Exporter en CSV"),
            f"{EXPORT_NAMES[kind]}-{now:%Y-%m-%d}.csv",
            CSV_FILTER,
            render,
        )

    # -- drill-down ---------------------------------------------------------------------------

    def open_cell(self, index: QModelIndex) -> None:
        found = self.model.figure_at(index)
        if found is not None:
            self.open_figure(*found)

    def open_figure(self, figure: str, row: ScopeFigures) -> None:
        dashboard = self.dashboard
        if dashboard is None:
            return
        flt = team.figure_list(figure, row.scope, dashboard.now, dashboard.no_contact_days)
        caption = translate("team", "{figure} — {who} : {n} ligne(s)").format(
            figure=figure_titles(dashboard.no_contact_days)[figure],
            who=scope_name(row),
            n=row.value(figure),
        )
        if isinstance(flt, CaseloadFilter):
            self.open_caseload.emit(flt, caption)
        else:
            self.open_appointments.emit(flt, caption)

    def open_month(self, index: int) -> None:
        dashboard = self.dashboard
        if dashboard is None or not 0 <= index < len(dashboard.trend):
            return
        point = dashboard.trend[index]
        caption = translate("team", "Absences de {month} — toute l'équipe : {n} ligne(s)").format(
            month=f"{point.month:%m/%Y}", n=point.noshow
        )
        self.open_appointments.emit(team.month_noshow_filter(point, Scope()), caption)


class AppointmentsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[team.AppointmentRow] = []
        self._titles = [
            translate("team", "Date"),
            translate("team", "Personne"),
            translate("team", "Référent"),
            translate("team", "Statut"),
            translate("team", "Objet"),
        ]

    def set_rows(self, rows: list[team.AppointmentRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        row = self.rows[index.row()]
        return [
            fmt_datetime(row.starts_at),
            row.person_name,
            row.referent_name or translate("team", "Sans référent"),
            label("appointment_status", row.status),
            label("appointment_purpose", row.purpose),
        ][index.column()]


class AppointmentsDialog(QDialog):
    """The appointments behind a figure (no-shows of a period); Enter opens the person."""

    open_person = Signal(object)

    def __init__(
        self, session: AppContext, flt: AppointmentFilter, caption: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("team", "Rendez-vous"))
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.caption = heading(caption, "subtitle")
        layout.addWidget(self.caption)
        self.model = AppointmentsModel(self)
        self.table = a11y(QTableView(), caption)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.activated.connect(self._open)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(translate("team", "Fermer"))
        layout.addWidget(buttons)
        self.loaded = False
        session.ops.read(
            lambda store: queries.appointment_list(store, flt),
            self._loaded,
            lambda error: self.caption.setText(error_message(error)),
            owner=self,
            label="appointments list",
        )

    def _loaded(self, rows: list[team.AppointmentRow]) -> None:
        self.model.set_rows(rows)
        for column, width in ((0, 150), (1, 220), (2, 170), (3, 120)):
            self.table.setColumnWidth(column, width)
        self.loaded = True
        self.table.setFocus()
        if rows:
            self.table.selectRow(0)

    def _open(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.model.rows):
            person: uuid.UUID = self.model.rows[index.row()].person_id
            self.accept()
            self.open_person.emit(person)
