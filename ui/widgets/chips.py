"""Alerts drawn as small text chips in a table cell (text, not colour alone, carries meaning)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex

CHIP_COLORS = {
    "danger": (QColor("#ffe9e9"), QColor("#ce0500")),
    "warning": (QColor("#ffe9e6"), QColor("#b34000")),
    "info": (QColor("#e8edff"), QColor("#0063cb")),
}


@dataclass(frozen=True)
class PlacedChip:
    full_text: str
    shown_text: str
    left: int
    width: int


@dataclass(frozen=True)
class ChipLayout:
    chips: list[PlacedChip]
    #: how many alerts had no room (drawn as « +N »; the cell's tooltip lists them all)
    more: int
    more_left: int


def chip_kind(text: str) -> str:
    lowered = text.lower()
    if "manqué" in lowered or "échue" in lowered or "missed" in lowered or "overdue" in lowered:
        return "danger"
    if "sans contact" in lowered or "no contact" in lowered:
        return "warning"
    return "info"


class ChipsDelegate(QStyledItemDelegate):
    """Paints the list of strings of ``role`` as chips; falls back to the display text."""

    H_PAD = 8
    SPACING = 5

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        texts = index.data(self._role)
        if not texts:
            super().paint(painter, option, index)
            return
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        font = option.font
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        rect: QRect = option.rect
        height = metrics.height() + 6
        y = rect.top() + (rect.height() - height) // 2
        layout = self.layout_chips(texts, metrics, rect.left() + 4, rect.right() - 4)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for chip in layout.chips:
            area = QRect(chip.left, y, chip.width, height)
            background, foreground = CHIP_COLORS[chip_kind(chip.full_text)]
            painter.setPen(QPen(foreground, 1))
            painter.setBrush(background)
            painter.drawRoundedRect(area, height / 2, height / 2)
            painter.setPen(QPen(foreground))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, chip.shown_text)
        if layout.more:
            painter.setPen(QPen(QColor("#3a3a3a")))
            painter.drawText(
                QRect(layout.more_left, y, rect.right() - layout.more_left, height),
                Qt.AlignmentFlag.AlignVCenter,
                f"+{layout.more}",
            )
        painter.restore()

    @classmethod
    def layout_chips(
        cls, texts: list[str], metrics: QFontMetrics, left: int, right: int
    ) -> ChipLayout:
        """Where each chip goes between ``left`` and ``right``: whole chips while they fit with
        room for « +N » after them; the first is shortened with an ellipsis, never cut."""
        chips: list[PlacedChip] = []
        x = left
        for position, text in enumerate(texts):
            after = len(texts) - position - 1
            reserve = metrics.horizontalAdvance(f"+{after}") + cls.SPACING if after else 0
            width = metrics.horizontalAdvance(text) + 2 * cls.H_PAD
            room = right - x - reserve
            shown = text
            if width > room:
                if position > 0:
                    return ChipLayout(chips, len(texts) - position, x)
                shown = metrics.elidedText(
                    text, Qt.TextElideMode.ElideRight, max(room - 2 * cls.H_PAD, 0)
                )
                width = min(metrics.horizontalAdvance(shown) + 2 * cls.H_PAD, max(room, 0))
            chips.append(PlacedChip(text, shown, x, width))
            x += width + cls.SPACING
        return ChipLayout(chips, 0, x)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        texts = index.data(self._role) or []
        base = super().sizeHint(option, index)
        if not texts:
            return base
        font = option.font
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        metrics = QFontMetrics(font)
        width = sum(metrics.horizontalAdvance(t) + 2 * self.H_PAD + self.SPACING for t in texts)
        return QSize(width + 8, max(base.height(), metrics.height() + 12))
