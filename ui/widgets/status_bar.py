"""Status bar: online/offline, pending changes, last sync, conflicts, progress, « Synchroniser »."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QSizePolicy, QStatusBar, QWidget

from ui.formatting import fmt_friendly
from ui.i18n import translate
from ui.sync_controller import SyncController, SyncStatus
from ui.widgets.common import a11y, repolish


class ShrinkingNote(QLabel):
    """A remark that gives way to « Synchroniser » when the bar is short of room: shortened
    with « … », whole in its tooltip (issue 12: at 1366 the demo's note pushed the button out
    of the window)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance(self.text()) + 12)
        return hint

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        hint.setWidth(min(80, self.sizeHint().width()))
        return hint

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, room.width()
        )
        painter.drawText(
            room, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown
        )


class SyncStatusBar(QStatusBar):
    conflicts_clicked = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setSizeGripEnabled(False)
        self.connection = a11y(QLabel(), translate("status", "État de la connexion"))
        self.pending = a11y(QLabel(), translate("status", "Modifications en attente d'envoi"))
        self.pending.setObjectName("statusItem")
        self.last_sync = a11y(QLabel(), translate("status", "Dernière synchronisation réussie"))
        self.last_sync.setObjectName("statusItem")
        self.progress_bar = a11y(
            QProgressBar(), translate("status", "Progression de la synchronisation")
        )
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setVisible(False)
        self.conflicts = a11y(
            QPushButton(), translate("status", "Voir les conflits de synchronisation")
        )
        self.conflicts.setObjectName("conflictsButton")
        self.conflicts.setVisible(False)
        self.conflicts.clicked.connect(self.conflicts_clicked.emit)
        self.sync_button = a11y(
            QPushButton(translate("status", "Synchroniser")),
            translate("status", "Synchroniser maintenant"),
        )
        self.sync_button.setObjectName("syncButton")
        self.sync_button.setToolTip(translate("status", "Synchroniser maintenant (F5)"))
        self.sync_button.clicked.connect(controller.sync_now)
        self.message = QLabel()
        self.message.setObjectName("statusItem")
        self.note = ShrinkingNote()
        self.note.setObjectName("statusItem")
        self.note.setVisible(False)
        self.addWidget(self.connection)
        self.addWidget(self.pending)
        self.addWidget(self.last_sync)
        self.addWidget(self.message, 1)
        self.addPermanentWidget(self.note)
        self.addPermanentWidget(self.progress_bar)
        self.addPermanentWidget(self.conflicts)
        self.addPermanentWidget(self.sync_button)
        controller.status_changed.connect(self.show_status)
        controller.progress.connect(self._on_progress)
        self.show_status(controller.status)

    def set_note(self, text: str | None) -> None:
        """A lasting remark on the right (the demo says which account is used)."""
        self.note.setText(text or "")
        self.note.setVisible(bool(text))
        self.note.setAccessibleName(text or "")

    def _on_progress(self, done: int, total: int, phase: str) -> None:
        self.progress_bar.setVisible(True)
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        else:
            self.progress_bar.setRange(0, 0)
        if phase:
            self.message.setText(phase)

    def show_status(self, status: SyncStatus) -> None:
        texts = {
            "local": (translate("status", "● Mode local"), "statusLocal"),
            "online": (translate("status", "● En ligne"), "statusOnline"),
            "syncing": (translate("status", "⟳ Synchronisation…"), "statusOnline"),
            "offline": (translate("status", "● Hors ligne"), "statusOffline"),
            "error": (translate("status", "● Erreur de synchronisation"), "statusError"),
            "revoked": (translate("status", "● Appareil révoqué"), "statusError"),
        }
        text, name = texts.get(status.mode, texts["local"])
        self.connection.setText(text)
        self.connection.setObjectName(name)
        repolish(self.connection)
        tooltip = status.server_url or translate(
            "status", "Aucun serveur : les données restent sur cet ordinateur."
        )
        self.connection.setToolTip(tooltip)
        self.connection.setAccessibleDescription(text + " — " + tooltip)
        if status.mode == "local":
            pending = translate("status", "Enregistré sur cet ordinateur")
        elif status.pending:
            pending = translate("status", "{n} modification(s) en attente").format(n=status.pending)
        else:
            pending = translate("status", "Tout est enregistré")
        if status.rejected:
            pending += translate("status", " · {n} refusée(s)").format(n=status.rejected)
        self.pending.setText(pending)
        self.pending.setAccessibleDescription(pending)
        if status.mode == "local":
            last = ""
        elif status.last_success is not None:
            last = translate("status", "Dernière synchronisation : {when}").format(
                when=fmt_friendly(status.last_success)
            )
        else:
            last = translate("status", "Jamais synchronisé")
        self.last_sync.setText(last)
        self.last_sync.setVisible(bool(last))
        self.conflicts.setVisible(bool(status.conflicts))
        self.conflicts.setText(
            translate("status", "{n} conflit(s)").format(n=len(status.conflicts))
        )
        self.sync_button.setVisible(status.mode != "local")
        self.sync_button.setEnabled(status.mode != "syncing")
        if status.mode != "syncing":
            self.progress_bar.setVisible(False)
            self.message.setText(status.message or "")
        self.message.setToolTip(status.message or "")
