"""Dialogs that keep what was typed across a lock.

A :class:`DraftDialog` is window-modal and opened with ``open()`` (never ``exec()``: no
nested event loop, so the idle lock and tests keep running). On lock the main window asks
every open draft dialog for :meth:`draft_state`, seals it with the other drafts, and closes
the dialog; after unlock it re-creates the dialog from :meth:`draft_context` and restores
the state.
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.errors import SpieError
from ui.i18n import translate
from ui.widgets.common import a11y, banner, heading, show_banner
from ui.workers import error_message


class DraftDialog(QDialog):
    """Base of the editing dialogs: title, form area, error banner, Save/Cancel."""

    draft_kind: ClassVar[str] = "dialog"
    _open: ClassVar[weakref.WeakSet[DraftDialog]] = weakref.WeakSet()

    def __init__(self, title: str, parent: QWidget | None = None, *, save_text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        a11y(self, title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 18)
        outer.setSpacing(12)
        self.heading = heading(title, "sectionTitle")
        outer.addWidget(self.heading)
        self.error = banner()
        outer.addWidget(self.error)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        outer.addLayout(self.body, 1)
        # Parented at once: « Enregistrer » is then the dialog's main default, which QDialog
        # restores when the focus leaves another button (without a parent, Enter in a field
        # did nothing once a button had had the focus).
        self.buttons = QDialogButtonBox(self)
        self.save_button: QPushButton = self.buttons.addButton(
            save_text or translate("dialogs", "Enregistrer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        a11y(self.save_button, self.save_button.text())
        self.cancel_button: QPushButton = self.buttons.addButton(
            translate("dialogs", "Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        a11y(self.cancel_button, translate("dialogs", "Annuler et fermer"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self._busy = False
        self._focused = False

    # -- drafts ----------------------------------------------------------------------------

    def draft_context(self) -> dict[str, Any]:
        return {}

    def draft_state(self) -> dict[str, Any]:
        return {}

    def restore_draft(self, state: dict[str, Any]) -> None:
        """Put back what was typed before the lock."""

    @classmethod
    def open_dialogs(cls) -> list[DraftDialog]:
        """The dialogs on screen. A dialog whose Qt object is gone (its parent window was
        destroyed while it was open) is forgotten: the lock must never fail on it."""
        alive = []
        for dialog in list(cls._open):
            if not shiboken6.isValid(dialog):
                cls._open.discard(dialog)
            elif dialog.isVisible():
                alive.append(dialog)
        return alive

    def showEvent(self, event: QShowEvent) -> None:
        DraftDialog._open.add(self)
        super().showEvent(event)
        if not self._focused:
            self._focused = True
            QTimer.singleShot(0, self.focus_first_field)

    def first_field(self) -> QWidget | None:
        """The first input of the form in tab order (never the buttons)."""
        widget = self.nextInFocusChain()
        for _ in range(1000):
            if widget is None or widget is self:
                return None
            if (
                self.isAncestorOf(widget)
                and not self.buttons.isAncestorOf(widget)
                and widget.isVisibleTo(self)
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                return widget
            widget = widget.nextInFocusChain()
        return None

    def focus_first_field(self) -> None:
        """Dialogs open on their first field, not on « Enregistrer » (issue 12): Enter in a
        field still saves, Enter on a focused button presses that button."""
        if not shiboken6.isValid(self) or not self.isVisible():  # closed or destroyed since
            return
        widget = self.first_field()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.TabFocusReason)

    def done(self, result: int) -> None:
        DraftDialog._open.discard(self)
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        DraftDialog._open.discard(self)
        super().closeEvent(event)

    # -- saving -----------------------------------------------------------------------------

    def submit(self) -> None:
        """Validate and save; subclasses call :meth:`saved` or :meth:`failed`."""
        self.accept()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)

    def saved(self, _result: object = None) -> None:
        self.set_busy(False)
        self.accept()

    def failed(self, error: BaseException) -> None:
        """Show the error beside its field when the form knows it, else in the banner."""
        self.set_busy(False)
        if not self.show_field_error(error):
            show_banner(self.error, error_message(error))

    def show_field_error(self, error: BaseException) -> bool:
        return False

    def clear_error(self) -> None:
        show_banner(self.error, None)


def add_note(layout: QVBoxLayout, text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    layout.addWidget(label)
    return label


def is_spie_error(error: BaseException) -> bool:
    return isinstance(error, SpieError)
