"""Small building blocks shared by the screens: accessible names, buttons, forms with errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from spie_desktop.errors import ValidationError

W = TypeVar("W", bound=QWidget)


def a11y(widget: W, name: str, description: str | None = None) -> W:
    """Give ``widget`` an accessible name (and description): every widget has one."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def button(
    text: str,
    name: str | None = None,
    *,
    primary: bool = False,
    danger: bool = False,
    flat: bool = False,
    tooltip: str | None = None,
) -> QPushButton:
    widget = QPushButton(text)
    a11y(widget, name or text.replace("&", ""), tooltip)
    if primary:
        widget.setProperty("primary", True)
        widget.setDefault(False)
    if danger:
        widget.setProperty("danger", True)
    if flat:
        widget.setProperty("flat", True)
    if tooltip:
        widget.setToolTip(tooltip)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def heading(text: str, object_name: str = "title", *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def hint(text: str) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName("hint")
    widget.setWordWrap(True)
    return widget


def banner(kind: str = "errorBanner") -> QLabel:
    """A message strip (hidden while empty): errorBanner, infoBanner, warningBanner…"""
    widget = QLabel()
    widget.setObjectName(kind)
    widget.setWordWrap(True)
    widget.setVisible(False)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


def show_banner(widget: QLabel, text: str | None, kind: str | None = None) -> None:
    if kind is not None and widget.objectName() != kind:
        widget.setObjectName(kind)
        repolish(widget)
    widget.setText(text or "")
    widget.setVisible(bool(text))
    if text:
        widget.setAccessibleName(text)


def card(object_name: str = "card") -> QFrame:
    frame = QFrame()
    frame.setObjectName(object_name)
    frame.setFrameShape(QFrame.Shape.NoFrame)
    return frame


def hbox(*items: QWidget | QLayout | int | None, spacing: int = 8) -> QHBoxLayout:
    """A row; ``None`` adds a stretch, an int adds spacing."""
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for item in items:
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, int):
            layout.addSpacing(item)
        elif isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return layout


def fill_combo(
    combo: QComboBox,
    kind: str | None = None,
    *,
    entries: Iterable[tuple[str, str]] | None = None,
    empty: str | None = None,
) -> QComboBox:
    """Items ``(label, code)`` from a referential kind or an explicit list."""
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    if kind is not None:
        from spie_desktop.domain.referentials import get_referentials
        from ui.i18n import current_language

        language = current_language()
        for entry in get_referentials().entries(kind):
            combo.addItem(entry.label_for(language), entry.code)
    for text, code in entries or ():
        combo.addItem(text, code)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class _KeepWhole(QObject):
    """Sets its combo's minimum width again whenever its font or style may have changed
    (app.qss is applied when the widget is polished, after it was built)."""

    def __init__(self, combo: QComboBox, texts: list[str] | None) -> None:
        super().__init__(combo)
        self.texts = texts
        self.apply(combo)

    def apply(self, combo: QComboBox) -> None:
        shown = self.texts or [combo.itemText(i) for i in range(combo.count())]
        if not shown:
            return
        metrics = combo.fontMetrics()
        widest = max(metrics.horizontalAdvance(text) for text in shown)
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        needed = combo.style().sizeFromContents(
            QStyle.ContentsType.CT_ComboBox, option, QSize(widest, metrics.height()), combo
        )
        if combo.minimumWidth() == needed.width() + 2:
            return
        combo.setMinimumWidth(needed.width() + 2)
        # A dialog given a minimum width of its own keeps it when its layout needs more
        # (Qt's layout sets a window's minimum only when it has none): raise it.
        top = combo.window()
        layout = top.layout()
        if isinstance(top, QDialog) and layout is not None:
            layout.activate()
            wanted = layout.totalMinimumSize().width()
            if wanted > top.minimumWidth():
                top.setMinimumWidth(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QComboBox) and event.type() in _RESTYLED:
            self.apply(watched)
        return False


_RESTYLED = (QEvent.Type.Polish, QEvent.Type.FontChange, QEvent.Type.StyleChange)


def keep_whole(combo: QComboBox, texts: Iterable[str] | None = None) -> QComboBox:
    """A drop-down never narrower than it needs to show ``texts`` whole (all its items if
    none are given): a layout short of room shrinks the other widgets, never clips these
    texts (issue 12). Measured with the combo's style and font, app.qss included."""
    for old in combo.findChildren(_KeepWhole):
        combo.removeEventFilter(old)
        old.deleteLater()
    keeper = _KeepWhole(combo, list(texts) if texts is not None else None)
    combo.installEventFilter(keeper)
    return combo


def select_code(combo: QComboBox, code: str | None) -> None:
    index = combo.findData(code)
    combo.setCurrentIndex(index if index >= 0 else 0)


class FormFields:
    """Inputs laid out on a grid, each with its label above and its error just below it.

    ``set_errors`` puts a service's :class:`ValidationError` beside the field it names,
    marks the input invalid (red border), and tells assistive technologies through the
    accessible description.
    """

    def __init__(self, layout: QGridLayout | None = None) -> None:
        self.layout = layout or QGridLayout()
        self.layout.setHorizontalSpacing(16)
        self.layout.setVerticalSpacing(2)
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._names: dict[str, str] = {}

    def add(
        self,
        name: str,
        text: str,
        widget: W,
        row: int,
        column: int = 0,
        *,
        span: int = 1,
        hint_text: str | None = None,
    ) -> W:
        label = QLabel(text)
        label.setBuddy(widget)
        label.setWordWrap(True)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.setVisible(False)
        a11y(widget, text.replace("&", "").rstrip(" :*"), hint_text)
        if hint_text:
            widget.setToolTip(hint_text)
        base = row * 3
        self.layout.addWidget(label, base, column, 1, span)
        self.layout.addWidget(widget, base + 1, column, 1, span)
        self.layout.addWidget(error, base + 2, column, 1, span)
        self.layout.setRowMinimumHeight(base + 2, 10)
        self.widgets[name] = widget
        self.labels[name] = label
        self.errors[name] = error
        self._names[name] = widget.accessibleName()
        return widget

    def set_error(self, name: str, message: str | None) -> None:
        widget = self.widgets.get(name)
        error = self.errors.get(name)
        if widget is None or error is None:
            return
        error.setText(message or "")
        error.setVisible(bool(message))
        widget.setProperty("invalid", bool(message))
        widget.setAccessibleDescription(message or "")
        repolish(widget)

    def clear_errors(self) -> None:
        for name in self.widgets:
            self.set_error(name, None)

    def show_error(self, error: BaseException) -> bool:
        """Show a ValidationError beside its field; False if it names no field of this form."""
        if isinstance(error, ValidationError) and error.field in self.widgets:
            self.set_error(error.field, error.message)
            self.widgets[error.field].setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    def error_text(self, name: str) -> str:
        error = self.errors.get(name)
        return error.text() if error is not None and error.isVisible() else ""


def confirm(parent: QWidget, title: str, text: str, yes: str, no: str) -> QMessageBox:
    """A non-blocking confirmation box (opened with ``open()``; no nested event loop)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    a11y(yes_button, yes)
    a11y(no_button, no)
    box.setDefaultButton(no_button)
    a11y(box, title)
    return box


def info_box(parent: QWidget, title: str, text: str, *, error: bool = False) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    ok = box.addButton("OK", QMessageBox.ButtonRole.AcceptRole)
    a11y(ok, "OK")
    a11y(box, title)
    return box


def shortcut(
    key: str | QKeySequence.StandardKey, parent: QWidget, slot: Callable[[], object]
) -> QShortcut:
    """A keyboard shortcut active while ``parent``'s window is active."""
    sequence = QKeySequence(key)
    item = QShortcut(sequence, parent)
    item.activated.connect(slot)
    return item
