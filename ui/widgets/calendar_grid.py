"""The agenda as a calendar: a time axis, one column per day, appointments as blocks.

A :class:`CalendarGrid` is one painted widget (a ``QAbstractScrollArea`` whose viewport
draws the day headers, the hours and the blocks itself): no widget per appointment, so a
week of sixty appointments is laid out and painted in a few milliseconds
(``bench/ui.py --calendar``). Appointments that overlap share their column side by side;
two planned ones of the same referent that overlap are drawn with a red border and a
warning sign (a double booking).

Keyboard: ↑/↓ the previous/next appointment of the day, ←/→ the nearest one on the
previous/next day shown, Home/End the first/last of the period, Entrée opens the selected
one (``activated``), Page↑/Page↓ scroll. The vertical scroll position is kept across
reloads and periods; it starts on the working morning.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from PySide6.QtCore import QLocale, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from spie_desktop.domain.enums import AppointmentStatus
from spie_desktop.services.appointments import AgendaItem
from ui.formatting import fmt_time, label, qdate
from ui.i18n import translate

FIRST_HOUR = 8
LAST_HOUR = 19
HOUR_HEIGHT = 52
HEADER_HEIGHT = 42
AXIS_WIDTH = 56
MIN_BLOCK = 22
TOP_PAD = 10  # room for the first hour's label under the headers

#: fill, border and text of a block by what the appointment is now.
COLORS = {
    "planned": ("#e3e3fd", "#000091", "#000091"),
    "report_due": ("#feecc2", "#b34000", "#5c2300"),
    "seen": ("#dffee6", "#18753c", "#18753c"),
    "noshow": ("#ffe9e9", "#ce0500", "#9e0400"),
    "cancelled": ("#eeeeee", "#929292", "#666666"),
}
CLASH = "#ce0500"


def local_day(value: datetime) -> date:
    return value.astimezone().date()


def local_minutes(value: datetime) -> int:
    local = value.astimezone()
    return local.hour * 60 + local.minute


def state_of(item: AgendaItem, now: datetime) -> str:
    if item.status == AppointmentStatus.PLANNED.value:
        return "report_due" if item.report_due(now) else "planned"
    if item.status in (AppointmentStatus.EXCUSED.value, AppointmentStatus.REVOKED.value):
        return "cancelled"
    return item.status if item.status in COLORS else "planned"


def state_label(item: AgendaItem, now: datetime) -> str:
    """The status as the referent must read it: « Compte rendu à saisir » once started."""
    if item.report_due(now):
        return translate("calendar", "Compte rendu à saisir")
    return label("appointment_status", item.status)


def moved_label(requested_by: str | None) -> str:
    """Who asked for the last move, as the agenda, the file and « Ma journée » say it."""
    return {
        "person": translate("calendar", "déplacé à la demande de la personne"),
        "service": translate("calendar", "déplacé à l'initiative du service"),
        "partner": translate("calendar", "déplacé à la demande d'un partenaire"),
    }.get(requested_by or "", "")


def clashing(items: Sequence[AgendaItem]) -> set[uuid.UUID]:
    """Planned appointments that overlap another planned one of the same referent."""
    planned = sorted(
        (i for i in items if i.status == AppointmentStatus.PLANNED.value),
        key=lambda i: (str(i.referent_id), i.starts_at),
    )
    found: set[uuid.UUID] = set()
    for index, item in enumerate(planned):
        for other in planned[index + 1 :]:
            if other.referent_id != item.referent_id or other.starts_at >= item.ends_at:
                break
            found.update((item.appointment_id, other.appointment_id))
    return found


@dataclass
class Block:
    item: AgendaItem
    column: int  # the day's column
    lane: int
    lanes: int
    top: int  # minutes since the day's midnight (local)
    bottom: int
    clash: bool
    #: what is painted, prepared once per :meth:`CalendarGrid.set_period` (not per paint)
    first_line: str = ""
    second_line: str = ""
    colors: tuple[QColor, QColor, QColor] | None = None
    elided: tuple[int, str, str] | None = None  # (width, first, second) last painted


def lay_out(items: Sequence[AgendaItem], days: Sequence[date]) -> list[Block]:
    """Blocks per day column; overlapping ones side by side (greedy lanes per cluster)."""
    columns = {day: index for index, day in enumerate(days)}
    clashes = clashing(items)
    blocks: list[Block] = []
    by_day: dict[int, list[AgendaItem]] = {}
    for item in items:
        column = columns.get(local_day(item.starts_at))
        if column is not None:
            by_day.setdefault(column, []).append(item)
    for column, entries in by_day.items():
        entries.sort(key=lambda i: (i.starts_at, i.duration_minutes))
        cluster: list[Block] = []
        lane_ends: list[int] = []
        cluster_end = -1
        for item in entries:
            top = local_minutes(item.starts_at)
            bottom = max(top + item.duration_minutes, top + 15)
            if top >= cluster_end and cluster:
                for block in cluster:
                    block.lanes = len(lane_ends)
                cluster, lane_ends = [], []
            lane = next((i for i, end in enumerate(lane_ends) if end <= top), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(bottom)
            else:
                lane_ends[lane] = bottom
            block = Block(item, column, lane, 1, top, bottom, item.appointment_id in clashes)
            cluster.append(block)
            blocks.append(block)
            cluster_end = max(cluster_end, bottom)
        for block in cluster:
            block.lanes = len(lane_ends)
    blocks.sort(key=lambda b: (b.item.starts_at, b.column, b.lane))
    return blocks


class CalendarGrid(QAbstractScrollArea):
    """Days side by side on a time axis; select, open, and plan in an empty slot."""

    selection_changed = Signal()
    activated = Signal(object)  # appointment id
    slot_activated = Signal(object)  # aware datetime (local half hour double-clicked)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarGrid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.days: list[date] = []
        self.items: list[AgendaItem] = []
        self.blocks: list[Block] = []
        self.now = datetime.now().astimezone()
        self.first_hour = FIRST_HOUR
        self.last_hour = LAST_HOUR
        self.selected: uuid.UUID | None = None
        self.show_referent = False
        self.referent_names: dict[uuid.UUID, str] = {}
        self._scrolled = False
        self.verticalScrollBar().setSingleStep(HOUR_HEIGHT // 2)

    # -- data --------------------------------------------------------------------------------

    def set_period(
        self,
        days: Sequence[date],
        items: Sequence[AgendaItem],
        now: datetime,
        *,
        referent_names: dict[uuid.UUID, str] | None = None,
    ) -> None:
        """Show ``days`` (columns, in order) and the appointments among ``items`` on them.
        The selection stays on the same appointment when it is still shown."""
        self.days = list(days)
        self.items = list(items)
        self.now = now
        self.referent_names = referent_names or {}
        self.show_referent = bool(referent_names)
        first, last = FIRST_HOUR, LAST_HOUR
        for item in self.items:
            if local_day(item.starts_at) in self.days:
                first = min(first, local_minutes(item.starts_at) // 60)
                last = max(last, min(24, -(-local_minutes(item.ends_at) // 60)))
        self.first_hour, self.last_hour = first, max(last, first + 1)
        self.blocks = lay_out(self.items, self.days)
        self._prepare(now)
        if self.selected is not None and not any(
            b.item.appointment_id == self.selected for b in self.blocks
        ):
            self.selected = None
            self.selection_changed.emit()
        self._update_scroll_range()
        if not self._scrolled:
            self._scrolled = True
            self.scroll_to_hour(FIRST_HOUR)
        self._describe()
        self.viewport().update()

    def _prepare(self, now: datetime) -> None:
        """Texts and colours of each block, computed once (the paint only elides them)."""
        purposes: dict[str, str] = {}
        modes: dict[str, str] = {}
        for block in self.blocks:
            item = block.item
            start = item.starts_at.astimezone()
            first = f"{start:%H:%M} {item.person_name}"
            block.first_line = f"⚠ {first}" if block.clash else first
            purpose = purposes.get(item.purpose) or purposes.setdefault(
                item.purpose, label("appointment_purpose", item.purpose)
            )
            if item.status != AppointmentStatus.PLANNED.value or item.report_due(now):
                state = state_label(item, now)
            else:
                state = modes.get(item.mode) or modes.setdefault(
                    item.mode, label("appointment_mode", item.mode)
                )
            block.second_line = f"{purpose} · {state}"
            fill, border, text = COLORS[state_of(item, now)]
            block.colors = (
                QColor(fill),
                QColor(CLASH if block.clash else border),
                QColor(text),
            )

    def selected_item(self) -> AgendaItem | None:
        return next((b.item for b in self.blocks if b.item.appointment_id == self.selected), None)

    def select(self, appointment_id: uuid.UUID | None) -> None:
        if appointment_id == self.selected:
            return
        self.selected = appointment_id
        block = self._block_of(appointment_id)
        if block is not None:
            self._ensure_visible(block)
        self._describe()
        self.viewport().update()
        self.selection_changed.emit()

    # -- geometry ----------------------------------------------------------------------------

    def body_height(self) -> int:
        return (self.last_hour - self.first_hour) * HOUR_HEIGHT + 2 * TOP_PAD

    def _update_scroll_range(self) -> None:
        visible = max(0, self.viewport().height() - HEADER_HEIGHT)
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, self.body_height() - visible))
        bar.setPageStep(max(HOUR_HEIGHT, visible))

    def scroll_to_hour(self, hour: int) -> None:
        self.verticalScrollBar().setValue(
            (max(hour, self.first_hour) - self.first_hour) * HOUR_HEIGHT
        )

    def column_width(self) -> float:
        return max(1.0, (self.viewport().width() - AXIS_WIDTH) / max(1, len(self.days)))

    def y_of(self, minutes: int) -> float:
        offset = (minutes - self.first_hour * 60) * HOUR_HEIGHT / 60
        return HEADER_HEIGHT + TOP_PAD + offset - self.verticalScrollBar().value()

    def block_rect(
        self, block: Block, width: float | None = None, scroll: int | None = None
    ) -> QRectF:
        width = self.column_width() if width is None else width
        lane_width = (width - 6) / block.lanes
        x = AXIS_WIDTH + block.column * width + 2 + block.lane * lane_width
        if scroll is None:
            top = self.y_of(block.top)
        else:
            top = HEADER_HEIGHT + TOP_PAD + (block.top - self.first_hour * 60) * HOUR_HEIGHT / 60
            top -= scroll
        height = max(MIN_BLOCK, (block.bottom - block.top) * HOUR_HEIGHT / 60)
        return QRectF(x, top + 1, lane_width - 2, height - 2)

    def _ensure_visible(self, block: Block) -> None:
        bar = self.verticalScrollBar()
        top = TOP_PAD + (block.top - self.first_hour * 60) * HOUR_HEIGHT // 60
        bottom = top + max(MIN_BLOCK, (block.bottom - block.top) * HOUR_HEIGHT // 60)
        visible = self.viewport().height() - HEADER_HEIGHT
        if top < bar.value():
            bar.setValue(top - 8)
        elif bottom > bar.value() + visible:
            bar.setValue(bottom - visible + 8)

    def _block_of(self, appointment_id: uuid.UUID | None) -> Block | None:
        return next((b for b in self.blocks if b.item.appointment_id == appointment_id), None)

    def block_at(self, point: QPoint) -> Block | None:
        for block in reversed(self.blocks):
            if self.block_rect(block).contains(point.toPointF()):
                return block
        return None

    def time_at(self, point: QPoint) -> datetime | None:
        if point.y() < HEADER_HEIGHT or point.x() < AXIS_WIDTH or not self.days:
            return None
        column = int((point.x() - AXIS_WIDTH) // self.column_width())
        if not 0 <= column < len(self.days):
            return None
        minutes = (
            self.first_hour * 60
            + (point.y() - HEADER_HEIGHT - TOP_PAD + self.verticalScrollBar().value())
            * 60
            / HOUR_HEIGHT
        )
        slot = int(minutes // 30) * 30
        if not 0 <= slot < 24 * 60:
            return None
        local = datetime.combine(self.days[column], time(slot // 60, slot % 60))
        return local.astimezone()

    # -- events ------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(900, HEADER_HEIGHT + 10 * HOUR_HEIGHT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scroll_range()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        block = self.block_at(event.position().toPoint())
        if block is not None:
            self.select(block.item.appointment_id)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        block = self.block_at(point)
        if block is not None:
            self.select(block.item.appointment_id)
            self.activated.emit(block.item.appointment_id)
            return
        moment = self.time_at(point)
        if moment is not None:
            self.slot_activated.emit(moment)

    def viewportEvent(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            block = self.block_at(event.pos())
            if block is not None:
                QToolTip.showText(event.globalPos(), self.describe(block.item), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)  # type: ignore[arg-type]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.activated.emit(self.selected)
            return
        moves = {
            Qt.Key.Key_Down: self._step_in_day,
            Qt.Key.Key_Up: self._step_in_day,
            Qt.Key.Key_Right: self._step_day,
            Qt.Key.Key_Left: self._step_day,
        }
        if key in moves and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            forward = key in (Qt.Key.Key_Down, Qt.Key.Key_Right)
            moves[Qt.Key(key)](forward)
            return
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self.blocks:
            self.select(
                (self.blocks[0] if key == Qt.Key.Key_Home else self.blocks[-1]).item.appointment_id
            )
            return
        super().keyPressEvent(event)

    def _start_block(self) -> Block | None:
        today = local_day(self.now)
        if today in self.days:
            column = self.days.index(today)
            later = [
                b for b in self.blocks if b.column == column and b.bottom > local_minutes(self.now)
            ]
            same_day = [b for b in self.blocks if b.column == column]
            if later or same_day:
                return (later or same_day)[0]
        return self.blocks[0] if self.blocks else None

    def _step_in_day(self, forward: bool) -> None:
        current = self._block_of(self.selected)
        if current is None:
            start = self._start_block()
            if start is not None:
                self.select(start.item.appointment_id)
            return
        index = self.blocks.index(current)
        step = 1 if forward else -1
        target = index + step
        if 0 <= target < len(self.blocks):
            self.select(self.blocks[target].item.appointment_id)

    def _step_day(self, forward: bool) -> None:
        current = self._block_of(self.selected)
        if current is None:
            self._step_in_day(forward)
            return
        step = 1 if forward else -1
        column = current.column + step
        while 0 <= column < len(self.days):
            candidates = [b for b in self.blocks if b.column == column]
            if candidates:
                nearest = min(candidates, key=lambda b: (abs(b.top - current.top), b.top))
                self.select(nearest.item.appointment_id)
                return
            column += step

    # -- text --------------------------------------------------------------------------------

    def describe(self, item: AgendaItem) -> str:
        parts = [
            f"{fmt_time(item.starts_at)} – {fmt_time(item.ends_at)}",
            item.person_name,
            label("appointment_purpose", item.purpose),
            label("appointment_mode", item.mode),
            state_label(item, self.now),
        ]
        if item.place:
            parts.insert(4, item.place)
        if moved_label(item.requested_by):
            parts.append(moved_label(item.requested_by))
        if self.show_referent and item.referent_id in self.referent_names:
            parts.append(self.referent_names[item.referent_id])
        block = self._block_of(item.appointment_id)
        if block is not None and block.clash:
            parts.append(translate("calendar", "chevauche un autre rendez-vous"))
        return " · ".join(parts)

    def _describe(self) -> None:
        item = self.selected_item()
        self.setAccessibleDescription(self.describe(item) if item is not None else "")

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        view = self.viewport().rect()
        painter.fillRect(view, QColor("#ffffff"))
        width = self.column_width()
        today = local_day(self.now)
        grid_pen = QPen(QColor("#dddddd"))
        half_pen = QPen(QColor("#f0f0f0"))
        base = painter.font()
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.85))
        bold = QFont(base)
        bold.setBold(True)

        # Today's column and the weekend tinted, then the hour lines and the axis.
        for column, day in enumerate(self.days):
            x = AXIS_WIDTH + column * width
            if day == today:
                painter.fillRect(QRectF(x, HEADER_HEIGHT, width, view.height()), QColor("#f5f5fe"))
            elif day.weekday() >= 5:
                painter.fillRect(QRectF(x, HEADER_HEIGHT, width, view.height()), QColor("#f6f6f6"))
        painter.setFont(small)
        for hour in range(self.first_hour, self.last_hour + 1):
            y = self.y_of(hour * 60)
            if hour < self.last_hour:
                painter.setPen(half_pen)
                half = self.y_of(hour * 60 + 30)
                painter.drawLine(QPoint(AXIS_WIDTH, int(half)), QPoint(view.width(), int(half)))
            painter.setPen(grid_pen)
            painter.drawLine(QPoint(AXIS_WIDTH - 4, int(y)), QPoint(view.width(), int(y)))
            painter.setPen(QColor("#666666"))
            painter.drawText(
                QRect(0, int(y) - 8, AXIS_WIDTH - 8, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{hour:02d}:00",
            )
        painter.setPen(grid_pen)
        for column in range(len(self.days) + 1):
            x = int(AXIS_WIDTH + column * width)
            painter.drawLine(QPoint(x, HEADER_HEIGHT), QPoint(x, view.height()))

        # The blocks.
        scroll = self.verticalScrollBar().value()
        painter.setFont(base)
        line_height = painter.fontMetrics().height()
        metrics = painter.fontMetrics()
        painter.setFont(small)
        metrics_small = painter.fontMetrics()
        left_top = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        for block in self.blocks:
            rect = self.block_rect(block, width, scroll)
            if rect.bottom() < HEADER_HEIGHT or rect.top() > view.height():
                continue
            assert block.colors is not None
            fill, border, text = block.colors
            selected = block.item.appointment_id == self.selected
            pen = QPen(border)
            pen.setWidth(3 if selected else 2 if block.clash else 1)
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setBrush(border)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(QRectF(rect.left(), rect.top(), 4, rect.height()))
            inner = rect.adjusted(8, 2, -4, -2).toRect()
            available = inner.width()
            if block.elided is None or block.elided[0] != available or selected:
                first_metrics = QFontMetrics(bold) if selected else metrics
                block.elided = (
                    -1 if selected else available,
                    first_metrics.elidedText(
                        block.first_line, Qt.TextElideMode.ElideRight, available
                    ),
                    metrics_small.elidedText(
                        block.second_line, Qt.TextElideMode.ElideRight, available
                    ),
                )
            painter.setPen(text)
            painter.setFont(bold if selected else base)
            painter.drawText(
                QRect(inner.left(), inner.top(), available, line_height), left_top, block.elided[1]
            )
            if inner.height() >= line_height * 2:
                painter.setFont(small)
                painter.drawText(
                    QRect(inner.left(), inner.top() + line_height, available, line_height),
                    left_top,
                    block.elided[2],
                )

        # The current time, across today's column.
        if today in self.days:
            column = self.days.index(today)
            y = self.y_of(local_minutes(self.now))
            if HEADER_HEIGHT <= y <= view.height():
                painter.setPen(QPen(QColor(CLASH), 2))
                x = AXIS_WIDTH + column * width
                painter.drawLine(QPoint(int(x), int(y)), QPoint(int(x + width), int(y)))

        # Headers last: they stay on top when the hours scroll under them.
        painter.fillRect(QRect(0, 0, view.width(), HEADER_HEIGHT), QColor("#ffffff"))
        painter.setPen(grid_pen)
        painter.drawLine(QPoint(0, HEADER_HEIGHT), QPoint(view.width(), HEADER_HEIGHT))
        for column, day in enumerate(self.days):
            x = AXIS_WIDTH + column * width
            header = QRect(int(x), 0, int(width), HEADER_HEIGHT)
            count = sum(1 for b in self.blocks if b.column == column)
            name = day_header(day, count)
            painter.setFont(bold if day == today else base)
            painter.setPen(QColor("#000091" if day == today else "#3a3a3a"))
            painter.drawText(
                header.adjusted(4, 0, -4, 0),
                Qt.AlignmentFlag.AlignCenter,
                painter.fontMetrics().elidedText(
                    name, Qt.TextElideMode.ElideRight, header.width() - 8
                ),
            )


def day_header(day: date, count: int) -> str:
    """« lun. 30/11 · 3 » (the locale's short day name, the date, how many appointments)."""
    name = QLocale().toString(qdate(day), "ddd dd/MM")
    return f"{name} · {count}" if count else name
