"""Alerts drawn as small text chips in a table cell (text, not colour alone, carries meaning)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex

CHIP_COLORS = {
    "danger": (QColor("#ffe9e9"), QColor("#ce0500")),
    "warning": (QColor("#ffe9e6"), QColor("#b34000")),
    "info": (QColor("#e8edff"), QColor("#0063cb")),
}


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
        x = rect.left() + 4
        y = rect.top() + (rect.height() - height) // 2
        for text in texts:
            width = metrics.horizontalAdvance(text) + 2 * self.H_PAD
            if x + width > rect.right() - 4 and x > rect.left() + 4:
                more = f"+{len(texts) - texts.index(text)}"
                painter.setPen(QPen(QColor("#3a3a3a")))
                painter.drawText(
                    QRect(x, y, rect.right() - x, height), Qt.AlignmentFlag.AlignVCenter, more
                )
                break
            background, foreground = CHIP_COLORS[chip_kind(text)]
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(foreground, 1))
            painter.setBrush(background)
            chip = QRect(x, y, width, height)
            painter.drawRoundedRect(chip, height / 2, height / 2)
            painter.setPen(QPen(foreground))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
            x += width + self.SPACING
        painter.restore()

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
