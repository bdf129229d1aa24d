"""The caseload as a Qt table model: ordered ids up front, rows fetched lazily by pages.

A refresh asks the store (on a reader thread) for the ordered ids of the people matching
the filter and the first page of display rows, in one round trip; other pages are fetched
when the view first paints them and cached. Refreshes are coalesced: while a query is in
flight, further requests only mark the model dirty, and the latest filter runs when the
query returns (so typing fast never queues a backlog of searches).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from spie_desktop.domain.models import person_name
from spie_desktop.services import queries
from spie_desktop.services.caseload import CaseloadFilter, CaseloadRow
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store
from ui.formatting import fmt_date, fmt_datetime, fmt_days_ago, fmt_friendly, label
from ui.i18n import translate
from ui.texts.alerts import alert_text
from ui.workers import Ops

PAGE_SIZE = 60
ALERTS_ROLE = Qt.ItemDataRole.UserRole + 1
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


class Column:
    NAME = 0
    STATUS = 1
    REFERENT = 2
    NEXT_APPOINTMENT = 3
    LAST_CONTACT = 4
    BARRIERS = 5
    OVERDUE = 6
    ALERTS = 7
    COUNT = 8


SORT_KEYS = {
    Column.NAME: "name",
    Column.STATUS: "status",
    Column.REFERENT: "referent",
    Column.NEXT_APPOINTMENT: "next_appointment",
    Column.LAST_CONTACT: "last_contact",
    Column.BARRIERS: "open_barriers",
    Column.OVERDUE: "overdue",
}


def column_titles() -> list[str]:
    return [
        translate("caseload", "Nom"),
        translate("caseload", "Statut"),
        translate("caseload", "Référent"),
        # « RDV » as on the cards: the full words would take the alerts' room at 1366
        translate("caseload", "Prochain RDV"),
        translate("caseload", "Dernier contact"),
        translate("caseload", "Freins ouverts"),
        translate("caseload", "Actions échues"),
        translate("caseload", "Alertes"),
    ]


class CaseloadModel(QAbstractTableModel):
    """Lazy, coalesced, sortable caseload table."""

    #: emitted after each refresh with the number of rows and the seconds the query took
    refreshed = Signal(int, float)
    load_failed = Signal(object)

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._filter = CaseloadFilter()
        self._sort = "name"
        self._descending = False
        # Hex ids (caseload_keys): 10,000 uuid.UUID objects would cost more than the query.
        self._keys: list[str] = []
        self._pages: dict[int, list[CaseloadRow]] = {}
        self._rows_by_key: dict[str, CaseloadRow] = {}
        self._pending_pages: set[int] = set()
        self._generation = 0
        self._in_flight = False
        self._dirty = False
        self._active = False
        self._now: datetime = utcnow()
        self._titles = column_titles()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.timeout.connect(self._run_query)
        self.last_query_seconds = 0.0

    # -- control ------------------------------------------------------------------------

    @property
    def filter(self) -> CaseloadFilter:
        return self._filter

    def set_filter(self, flt: CaseloadFilter, delay_ms: int = 0) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.refresh(delay_ms)

    def set_search(self, text: str, delay_ms: int = 0) -> None:
        self.set_filter(replace(self._filter, search=text), delay_ms)

    def set_active(self, active: bool) -> None:
        """Only an active model (the store is open) queries; inactive clears the rows."""
        self._active = active
        if not active:
            self.clear()

    def refresh(self, delay_ms: int = 0) -> None:
        """Re-run the query soon; many calls within ``delay_ms`` make one query."""
        if not self._active:
            return
        if delay_ms <= 0 and not self._debounce.isActive():
            self._run_query()
        else:
            self._debounce.start(max(delay_ms, 0))

    def clear(self) -> None:
        self._generation += 1
        self._in_flight = False
        self._dirty = False
        self._debounce.stop()
        self.beginResetModel()
        self._keys = []
        self._pages.clear()
        self._rows_by_key.clear()
        self._pending_pages.clear()
        self.endResetModel()

    @property
    def busy(self) -> bool:
        return self._in_flight or self._debounce.isActive() or bool(self._pending_pages)

    # -- queries ------------------------------------------------------------------------

    def _run_query(self) -> None:
        if not self._active:
            return
        if self._in_flight:
            self._dirty = True
            return
        self._in_flight = True
        self._dirty = False
        self._generation += 1
        generation = self._generation
        flt, sort, descending = self._filter, self._sort, self._descending
        now = utcnow()
        started = time.perf_counter()

        def work(store: Store) -> queries.CaseloadPage:
            return queries.caseload_page(
                store, flt, now, sort=sort, descending=descending, page_size=PAGE_SIZE
            )

        def done(result: queries.CaseloadPage) -> None:
            self._in_flight = False
            if generation != self._generation:
                return
            if self._dirty:
                self._run_query()
                return
            keys, rows = result.keys, result.rows
            self._now = now
            self.beginResetModel()
            self._keys = keys
            self._pages = {0: rows}
            self._rows_by_key = {row.person_id.hex: row for row in rows}
            self._pending_pages.clear()
            self.endResetModel()
            self.last_query_seconds = time.perf_counter() - started
            self.refreshed.emit(len(keys), self.last_query_seconds)

        def failed(error: BaseException) -> None:
            self._in_flight = False
            if generation == self._generation:
                self.load_failed.emit(error)

        self._ops.read(work, done, failed, owner=self, label="caseload")

    def _request_page(self, page: int) -> None:
        if page in self._pending_pages or page in self._pages or not self._active:
            return
        self._pending_pages.add(page)
        generation = self._generation
        ids = [uuid.UUID(hex=key) for key in self._keys[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
        now = self._now

        def work(store: Store) -> list[CaseloadRow]:
            return queries.caseload_rows(store, ids, now)

        def done(rows: list[CaseloadRow]) -> None:
            if generation != self._generation:
                return
            self._pending_pages.discard(page)
            self._pages[page] = rows
            for row in rows:
                self._rows_by_key[row.person_id.hex] = row
            first = page * PAGE_SIZE
            last = min(first + PAGE_SIZE, len(self._keys)) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, Column.COUNT - 1))

        def failed(_error: BaseException) -> None:
            self._pending_pages.discard(page)

        self._ops.read(work, done, failed, owner=self, label="caseload page")

    # -- access -----------------------------------------------------------------------------

    def person_id(self, row: int) -> uuid.UUID | None:
        if 0 <= row < len(self._keys):
            return uuid.UUID(hex=self._keys[row])
        return None

    def row_of(self, person_id: uuid.UUID) -> int:
        try:
            return self._keys.index(person_id.hex)
        except ValueError:
            return -1

    def row_data(self, row: int) -> CaseloadRow | None:
        if not 0 <= row < len(self._keys):
            return None
        found = self._rows_by_key.get(self._keys[row])
        if found is None:
            self._request_page(row // PAGE_SIZE)
        return found

    def ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(hex=key) for key in self._keys]

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else Column.COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.AccessibleTextRole and section == Column.NEXT_APPOINTMENT:
                return translate("caseload", "Prochain rendez-vous")
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self._titles[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == Column.ALERTS:
                return translate("caseload", "Les alertes ne sont pas triables.")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == PERSON_ID_ROLE:
            return self.person_id(index.row())
        row = self.row_data(index.row())
        column = index.column()
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole and column == Column.NAME:
                return translate("caseload", "Chargement…")
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and column == Column.ALERTS:
            texts = self._alert_texts(row)
            return " ; ".join(texts) or translate("caseload", "Aucune alerte")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == ALERTS_ROLE:
            return self._alert_texts(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.OVERDUE and self._overdue(row):
                return QColor("#ce0500")
            if column == Column.NEXT_APPOINTMENT and row.next_appointment_at is None:
                return QColor("#666666")
            if column == Column.STATUS and row.follow_up_status == "sorti":
                return QColor("#666666")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.BARRIERS:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _alert_texts(self, row: CaseloadRow) -> list[str]:
        return [alert_text(alert, row, self._now) for alert in row.alerts]

    def _days_followed(self, row: CaseloadRow) -> int:
        assert row.followed_since is not None
        return max((self._now - row.followed_since).days, 0)

    def _overdue(self, row: CaseloadRow) -> bool:
        return row.next_action_due is not None and row.next_action_due < self._now.date()

    def _display(self, row: CaseloadRow, column: int) -> str:
        if column == Column.NAME:
            return person_name(row.last_name, row.first_name)
        if column == Column.STATUS:
            return label("follow_up_status", row.follow_up_status)
        if column == Column.NEXT_APPOINTMENT:
            return fmt_friendly(row.next_appointment_at, self._now, translate("caseload", "Aucun"))
        if column == Column.REFERENT:
            return row.referent_name or translate("caseload", "Sans référent")
        if column == Column.LAST_CONTACT:
            if row.last_contact_at is None and row.followed_since is not None:
                # Never seen: say since when, as the « sans contact depuis » alert counts.
                days = self._days_followed(row)
                return translate("caseload", "jamais en {n} j").format(n=days)
            return fmt_days_ago(row.last_contact_at, self._now)
        if column == Column.BARRIERS:
            if not row.open_barrier_count:
                return "0"
            themes = ", ".join(label("theme", theme) for theme in row.open_barrier_themes[:2])
            more = "…" if len(row.open_barrier_themes) > 2 else ""
            return f"{row.open_barrier_count} · {themes}{more}"
        if column == Column.OVERDUE:
            if self._overdue(row):
                due = row.next_action_due
                assert due is not None
                # The column's title says « échues »: the date alone, in full, fits at 1366.
                return fmt_date(due)
            return "—"
        if column == Column.ALERTS:
            texts = self._alert_texts(row)
            return " ; ".join(texts) if texts else "—"
        return ""

    def _tooltip(self, row: CaseloadRow, column: int) -> str | None:
        if column == Column.NAME:
            parts = [person_name(row.last_name, row.first_name)]
            if row.birth_date:
                parts.append(
                    translate("caseload", "né(e) le {date}").format(date=fmt_date(row.birth_date))
                )
            if row.city:
                parts.append(row.city)
            if row.orientation:
                parts.append(
                    translate("caseload", "orientation {o}").format(
                        o=label("orientation", row.orientation).lower()
                    )
                )
            if row.referent_name:
                parts.append(
                    translate("caseload", "référent : {name}").format(name=row.referent_name)
                )
            return " · ".join(parts)
        if column == Column.NEXT_APPOINTMENT:
            return fmt_datetime(row.next_appointment_at)
        if column == Column.LAST_CONTACT:
            if row.last_contact_at is None:
                if row.followed_since is not None:
                    days = self._days_followed(row)
                    return translate(
                        "caseload",
                        "Aucun rendez-vous honoré en {n} jours de suivi : le plus urgent dans "
                        "ce tri.",
                    ).format(n=days)
                return translate(
                    "caseload", "Aucun rendez-vous honoré : le plus urgent dans ce tri."
                )
            return fmt_datetime(row.last_contact_at)
        if column == Column.BARRIERS:
            return ", ".join(label("theme", theme) for theme in row.open_barrier_themes) or None
        if column == Column.OVERDUE:
            in_progress = translate("caseload", "{n} action(s) en cours").format(
                n=row.open_action_count
            )
            if self._overdue(row):
                assert row.next_action_due is not None
                overdue = translate("caseload", "Action échue depuis le {date}").format(
                    date=fmt_date(row.next_action_due)
                )
                return f"{overdue} · {in_progress}"
            return in_progress
        if column == Column.ALERTS:
            return "\n".join(self._alert_texts(row)) or None
        if column == Column.STATUS:
            return label("follow_up_status", row.follow_up_status)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        self.refresh()
