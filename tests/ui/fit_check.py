"""What a window or a dialog cuts: texts wider than their widget, widgets outside their
window or their parent (issue 12: « nothing clipped at 1366×768 nor at 125 % scaling »).

Measured with the widgets' own size hints (the style and app.qss included) on what is shown,
not on a screenshot: a label's text against its width (its height for width when it wraps), a
button's or a check box's hint, a drop-down's current text against the room its style gives it,
a placeholder against its field, a tab's text against its tab. Widgets inside a scroll area's
viewport may lie outside the window (they scroll); their texts are still measured."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # rounding of fractional metrics at 125 %


def _describe(widget: QWidget, text: str = "") -> str:
    name = widget.objectName() or ""
    shown = f" « {text[:60]} »" if text else ""
    return f"{type(widget).__name__}{f' #{name}' if name else ''}{shown}"


def _in_viewport(widget: QWidget, root: QWidget) -> bool:
    """Inside a scroll area's viewport (it may scroll out of sight, by design)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent:
            return True
        parent = grand
    return False


def _label_problem(label: QLabel) -> str | None:
    from ui.widgets.status_bar import ShrinkingNote

    text = label.text()
    if isinstance(label, ShrinkingNote):  # shortened with « … » by design, whole in its tooltip
        return None if label.toolTip() == text else f"{_describe(label, text)}: no tooltip"
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return f"{_describe(label, text)}: needs {need} px of height, has {label.height()}"
        return None
    need = label.minimumSizeHint().width()
    if need > label.width() + SLACK:
        return f"{_describe(label, text)}: needs {need} px, has {label.width()}"
    return None


def _combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text or combo.isEditable():
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    room = (
        combo.style()
        .subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        .width()
    )
    need = QFontMetrics(combo.font()).horizontalAdvance(text)
    if combo.iconSize().width() and not combo.itemIcon(combo.currentIndex()).isNull():
        need += combo.iconSize().width() + 4
    if need > room + SLACK:
        return f"{_describe(combo, text)}: needs {need} px, the field has {room}"
    return None


def _placeholder_problem(edit: QLineEdit) -> str | None:
    text = edit.placeholderText()
    if not text or edit.text():
        return None
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    # the action buttons shown inside the field (the calendar, the clear button), and
    # QLineEdit's own horizontal margin of 2 px on each side
    buttons = sum(tool.width() for tool in edit.findChildren(QToolButton) if tool.isVisible())
    room = contents.width() - margins.left() - margins.right() - buttons - 4
    need = QFontMetrics(edit.font()).horizontalAdvance(text)
    if need > room + SLACK:
        return f"{_describe(edit, text)}: placeholder needs {need} px, has {room}"
    return None


def _tabs_problem(bar: QTabBar) -> list[str]:
    found = []
    metrics = QFontMetrics(bar.font())
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        text = bar.tabText(index).replace("&", "")
        rect = bar.tabRect(index)
        if not bar.rect().contains(rect) and not bar.usesScrollButtons():
            found.append(f"{_describe(bar, text)}: tab outside its bar")
        if metrics.horizontalAdvance(text) > rect.width() - 8 + SLACK:
            found.append(f"{_describe(bar, text)}: tab text wider than its tab ({rect.width()})")
        if bar.usesScrollButtons() and not bar.rect().contains(rect):
            found.append(f"{_describe(bar, text)}: tab hidden behind the scroll buttons")
    return found


def problems(root: QWidget) -> list[str]:
    """Everything ``root`` (a shown window or dialog) cuts, as readable lines."""
    found: list[str] = []
    window = root.rect()
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
            continue
        if widget.window() is not root:  # a popup or another window
            continue
        scrolled = _in_viewport(widget, root)
        if not scrolled:
            place = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
            if not window.contains(place):
                found.append(f"{_describe(widget)}: {place} outside the window {window}")
            parent = widget.parentWidget()
            if (
                parent is not None
                and parent is not root
                and not isinstance(parent, QAbstractScrollArea)
                and not parent.rect().contains(widget.geometry())
            ):
                found.append(
                    f"{_describe(widget)}: {widget.geometry()} outside its parent "
                    f"{_describe(parent)} {parent.rect()}"
                )
        problem: str | None = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            text = widget.text().replace("&", "")
            # a field's own action buttons (calendar, clear) are sized by the field
            in_field = isinstance(widget, QToolButton) and isinstance(
                widget.parentWidget(), QLineEdit
            )
            if text and not in_field:
                need = widget.sizeHint().width()
                if need > widget.width() + SLACK:
                    problem = f"{_describe(widget, text)}: needs {need} px, has {widget.width()}"
        elif isinstance(widget, QComboBox):
            problem = _combo_problem(widget)
        elif isinstance(widget, QLineEdit):
            problem = _placeholder_problem(widget)
        elif isinstance(widget, QTabBar):
            found.extend(_tabs_problem(widget))
        elif isinstance(widget, QGroupBox) and widget.title():
            need = QFontMetrics(widget.font()).horizontalAdvance(widget.title()) + 16
            if need > widget.width() + SLACK:
                problem = f"{_describe(widget, widget.title())}: title needs {need} px"
        if problem:
            found.append(problem)
    return found


def fits_on_screen(root: QWidget, width: int, height: int) -> list[str]:
    """A dialog larger than the screen (logical pixels) is cut by the screen itself."""
    size = root.frameGeometry().size()
    if size.width() > width or size.height() > height:
        return [f"{_describe(root)}: {size.width()}×{size.height()} on a {width}×{height} screen"]
    return []


def run_at_125_percent(*tests: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """Run these pytest node ids in a child process at 125 % of 1920×1080 (1536×864 logical
    pixels): Qt reads ``QT_SCALE_FACTOR`` when the application starts. The tests read the
    screen size from ``SPIE_TEST_SCREEN`` and check the device pixel ratio themselves."""
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": "1.25",
        "SPIE_TEST_SCREEN": "1536x864",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
