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
    MonthPoint,
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
APPOINTMENT_PAGE = 200
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


def _trend_title(dashboard: TeamDashboard, who: str | None = None) -> str:
    title = translate("team", "Rendez-vous honorés et absences, 12 mois (jusqu'à {m})").format(
        m=f"{dashboard.trend[-1].month:%m/%Y}" if dashboard.trend else ""
    )
    return f"{title} — {who}" if who else title


def _fit(axis: QValueAxis, highest: int) -> None:
    """The value axis from 0 to a round number above ``highest``."""
    axis.setRange(0, max(highest, 1))
    axis.applyNiceNumbers()
    axis.setMin(0)


class FiguresModel(QAbstractTableModel):
    """One row per referent (then « sans référent »), the team's total last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dashboard: TeamDashboard | None = None
        self._rows: tuple[ScopeFigures, ...] = ()
        self._cells: list[list[dict[int, Any]]] = []
        self._titles = header_titles(ALERT_NO_CONTACT_DAYS)
        self._long = figure_titles(ALERT_NO_CONTACT_DAYS)

    def set_dashboard(self, dashboard: TeamDashboard | None) -> None:
        self.beginResetModel()
        self.dashboard = dashboard
        self._rows = dashboard.rows() if dashboard else ()
        if dashboard is not None:
            self._titles = header_titles(dashboard.no_contact_days)
            self._long = figure_titles(dashboard.no_contact_days)
        self._cells = self._build_cells()
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
        # Every cell's roles are computed once per dashboard (set_dashboard): a paint asks
        # for ~10 roles of ~200 cells, and comparing Qt's enums in Python costs more than
        # the dashboard's SQL (bench/ui.py --team-only).
        if not index.isValid():
            return None
        try:
            cells = self._cells[index.row()][index.column()]
        except IndexError:
            return None
        return cells.get(role)

    def _build_cells(self) -> list[list[dict[int, Any]]]:
        return [
            [self._cell(row, column) for column in range(len(FIGURES) + 1)] for row in self._rows
        ]

    def _cell(self, row: ScopeFigures, column: int) -> dict[int, Any]:
        roles = Qt.ItemDataRole
        figure = FIGURES[column - 1] if column > 0 else None
        cell: dict[int, Any] = {}
        if figure is None:
            cell[roles.DisplayRole.value] = cell[roles.AccessibleTextRole.value] = scope_name(row)
        elif figure in RATE_FIGURES:
            rate = row.rates[figure]
            cell[roles.AccessibleTextRole.value] = rate_text(rate)
            shown = rate_text(rate) if rate.percent is None else f"{rate.percent:.0f} %"
            cell[roles.DisplayRole.value] = shown
        else:
            cell[roles.DisplayRole.value] = cell[roles.AccessibleTextRole.value] = str(
                row.counts[figure]
            )
        cell[FIGURE_ROLE] = figure
        if figure is not None:
            hint = translate("team", "Entrée ou double-clic : la liste de ces {n} ligne(s)").format(
                n=row.value(figure)
            )
            if figure in RATE_FIGURES:
                hint = f"{rate_text(row.rates[figure])} — {hint}"
            cell[roles.ToolTipRole.value] = hint
            cell[roles.TextAlignmentRole.value] = int(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            alerting = figure not in (Figure.CASELOAD, *RATE_FIGURES)
            if alerting and row.value(figure) > 0:
                cell[roles.ForegroundRole.value] = RED
        if row.scope.is_team:
            font = QFont()
            font.setBold(True)
            cell[roles.FontRole.value] = font
        return cell


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
    #: « Journal d'audit… »: the team's audit log (issue 15)
    open_audit_log = Signal()

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
        self.audit_button = button(
            translate("team", "Journal d'audit…"),
            tooltip=translate(
                "team",
                "Qui a ouvert, modifié, exporté ou consulté quel dossier (Ctrl+Maj+A)",
            ),
        )
        self.audit_button.clicked.connect(self.open_audit_log.emit)
        header.addWidget(self.audit_button, 0, Qt.AlignmentFlag.AlignTop)
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
        self.trend_scope = Scope()  # the trend chart's: the table's current row
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
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

        self._chart_rows: list[ScopeFigures] = []
        self._referent_parts: tuple[Any, ...] | None = None
        self._trend_parts: tuple[Any, ...] | None = None

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
        self._referent_parts = self._trend_parts = None

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
        column = max(self.table.currentIndex().column(), 0)
        self.model.set_dashboard(dashboard)
        # The cursor back on the row it was on (the team's at first): a refresh keeps the
        # row whose trend is shown.
        rows = dashboard.rows()
        at = next((i for i, r in enumerate(rows) if r.scope == self.trend_scope), len(rows) - 1)
        self.table.setCurrentIndex(self.model.index(at, column))
        self.subtitle.setText(
            translate("team", "{n} référent(s) · {p} personne(s) suivie(s) · au {date}").format(
                n=sum(1 for row in dashboard.referents if not row.scope.unassigned),
                p=dashboard.team.counts[Figure.CASELOAD],
                date=fmt_date(dashboard.now.date()),
            )
        )
        self._show_charts(dashboard)

    def _show_charts(self, dashboard: TeamDashboard) -> None:
        """Charts updated in place when their categories are the same (a refresh): building
        a QChart and handing it to its view costs ~15 ms each, replacing values ~0.1 ms."""
        rows = list(reversed(dashboard.referents))  # top to bottom as in the table
        names = [scope_name(row) for row in rows]
        self._chart_rows = rows
        referent = self._referent_parts
        if referent is None or referent[0] != names:
            chart, *sets = self._referent_chart(dashboard, rows, names)
            self.referent_chart.setChart(chart)
            self._referent_parts = (names, chart, *sets)
        else:
            _names, chart, followed, silent, axis = referent
            silent.setLabel(
                translate("team", "Sans contact > {n} j").format(n=dashboard.no_contact_days)
            )
            for i, row in enumerate(rows):
                followed.replace(i, row.counts[Figure.CASELOAD])
                silent.replace(i, row.counts[Figure.NO_CONTACT])
            _fit(axis, max((row.counts[Figure.CASELOAD] for row in rows), default=0))
        self._show_trend(dashboard)

    def _show_trend(self, dashboard: TeamDashboard) -> None:
        """The trend of the row the cursor is on (a referent, « sans référent »), or of the
        team: the chart follows the table's current row."""
        scope = self.trend_scope
        points = dashboard.trend_for(scope)
        who = None
        if not scope.is_team:
            row = next((r for r in dashboard.referents if r.scope == scope), None)
            who = scope_name(row) if row is not None else None
        months = [f"{point.month:%m}" for point in points]
        trend = self._trend_parts
        if trend is None or trend[0] != months:
            chart, *sets = self._trend_chart(dashboard, points, who)
            self.trend_chart.setChart(chart)
            self._trend_parts = (months, chart, *sets)
        else:
            _months, chart, seen, missed, axis = trend
            chart.setTitle(_trend_title(dashboard, who))
            for i, point in enumerate(points):
                seen.replace(i, point.seen)
                missed.replace(i, point.noshow)
            _fit(axis, max((p.seen + p.noshow for p in points), default=0))
        a11y(self.trend_chart, _trend_title(dashboard, who))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_figures(current.row()) if current.isValid() else None
        scope = row.scope if row is not None else Scope()
        if scope != self.trend_scope:
            self.trend_scope = scope
            if self.dashboard is not None:
                self._show_trend(self.dashboard)

    def _referent_chart(
        self, dashboard: TeamDashboard, rows: list[ScopeFigures], names: list[str]
    ) -> tuple[QChart, QBarSet, QBarSet, QValueAxis]:
        chart = QChart()
        chart.setTitle(translate("team", "Par référent : suivis et sans contact"))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
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
        axis = QBarCategoryAxis()
        axis.append(names)
        values = QValueAxis()
        values.setLabelFormat("%d")
        chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        series.attachAxis(values)
        _fit(values, max((row.counts[Figure.CASELOAD] for row in rows), default=0))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        followed.clicked.connect(lambda i: self._open_chart_row(Figure.CASELOAD, i))
        silent.clicked.connect(lambda i: self._open_chart_row(Figure.NO_CONTACT, i))
        return chart, followed, silent, values

    def _open_chart_row(self, figure: str, index: int) -> None:
        if 0 <= index < len(self._chart_rows):
            self.open_figure(figure, self._chart_rows[index])

    def _trend_chart(
        self, dashboard: TeamDashboard, points: tuple[MonthPoint, ...], who: str | None
    ) -> tuple[QChart, QBarSet, QBarSet, QValueAxis]:
        chart = QChart()
        chart.setTitle(_trend_title(dashboard, who))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        seen = QBarSet(translate("team", "Honorés"))
        missed = QBarSet(translate("team", "Absences"))
        seen.setColor(BLUE)
        missed.setColor(RED)
        months = []
        for point in points:
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
        _fit(values, max((p.seen + p.noshow for p in points), default=0))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        missed.clicked.connect(lambda i: self.open_month(i))
        return chart, seen, missed, values

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
        scope = self.trend_scope
        point = dashboard.trend_for(scope)[index]
        if scope.is_team:
            caption = translate(
                "team", "Absences de {month} — toute l'équipe : {n} ligne(s)"
            ).format(month=f"{point.month:%m/%Y}", n=point.noshow)
        else:
            row = next((r for r in dashboard.referents if r.scope == scope), None)
            caption = translate("team", "Absences de {month} — {who} : {n} ligne(s)").format(
                month=f"{point.month:%m/%Y}",
                who=scope_name(row) if row is not None else "?",
                n=point.noshow,
            )
        self.open_appointments.emit(team.month_noshow_filter(point, scope), caption)


class AppointmentsModel(QAbstractTableModel):
    """The appointments behind a figure, fetched by page as the view scrolls to the end
    (Qt's ``canFetchMore``/``fetchMore``): the team's 6,000 no-shows of a year open as
    fast as a referent's 60."""

    #: asks for the page at an offset (set by the dialog: a read on a reader thread)
    request_page = Signal(int)

    def __init__(self, parent: QObject | None = None, *, page_size: int = APPOINTMENT_PAGE) -> None:
        super().__init__(parent)
        self.rows: list[team.AppointmentRow] = []
        self.page_size = page_size
        self.complete = False
        self.loading = False
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
        self.complete = len(rows) < self.page_size
        self.loading = False
        self.endResetModel()

    def add_page(self, offset: int, rows: list[team.AppointmentRow]) -> None:
        if offset != len(self.rows):  # an answer to an earlier request: not this list's
            return
        self.loading = False
        self.complete = len(rows) < self.page_size
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self.complete and not self.loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self.loading = True
            self.request_page.emit(len(self.rows))

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
        self.session = session
        self.flt = flt
        self.model = AppointmentsModel(self)
        self.model.request_page.connect(self._fetch)
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
        self.model.fetchMore()  # the first page

    def _failed(self, error: BaseException) -> None:
        self.model.loading = False
        self.model.complete = True  # no retry loop; the caption says why
        self.caption.setText(error_message(error))

    def _fetch(self, offset: int) -> None:
        bar = self.table.verticalScrollBar()
        if offset and not (self.isVisible() and bar.value() >= bar.maximum() - bar.pageStep()):
            # Qt asks for more whenever the last row could show (a table not laid out yet,
            # rows just inserted): only a user at the end of the list gets the next page,
            # not a chain of every page before the first paint.
            self.model.loading = False
            return
        flt, size = self.flt, self.model.page_size
        self.session.ops.read(
            lambda store: queries.appointment_list(store, flt, limit=size, offset=offset),
            lambda rows: self._page(offset, rows),
            self._failed,
            owner=self,
            label="appointments page",
        )

    def _page(self, offset: int, rows: list[team.AppointmentRow]) -> None:
        self.model.add_page(offset, rows)
        if offset == 0:
            self._loaded(rows)

    def _loaded(self, rows: list[team.AppointmentRow]) -> None:
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
