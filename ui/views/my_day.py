"""« Ma journée »: the referent's first screen of the day (issue 12).

Today's appointments (Entrée opens the person's file), then one button per list to work
through — reports to write, persons with an overdue action, each path alert (issue 13's
deadlines) — each showing the size of the list it opens, and opening exactly that list
(the agenda's « Comptes rendus à saisir », the caseload with that one filter).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.domain.deadlines import PATH_ALERTS, PathAlert
from spie_desktop.services import queries
from spie_desktop.services.operation import Changes
from spie_desktop.store.changes import utcnow
from ui.formatting import fmt_long_date, fmt_time, label, to_local
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.calendar_grid import moved_label, state_label
from ui.widgets.common import a11y, banner, heading, show_banner
from ui.workers import error_message

PERSON_ID = Qt.ItemDataRole.UserRole


def path_alert_labels() -> dict[str, str]:
    """The path alerts as the caseload's drop-down and « Ma journée » name them."""
    return {
        PathAlert.ORIENTATION_DUE: translate("my_day", "Orientation à décider"),
        PathAlert.CONTRACT_TO_SIGN: translate("my_day", "Contrat d'engagement à signer"),
        PathAlert.TRACK_REVIEW_DUE: translate("my_day", "Revue du parcours social due"),
        PathAlert.CONTRACT_ENDING: translate("my_day", "Contrat bientôt échu"),
        PathAlert.LEGACY_TO_CONVERT: translate("my_day", "Ancien contrat à convertir"),
        PathAlert.BELOW_FLOOR: translate("my_day", "Sous le plancher d'heures"),
    }


class MyDayView(QWidget):
    """Signals say which list to open; the main window opens it."""

    open_person = Signal(object)
    open_reports = Signal()
    open_today = Signal()
    open_alert = Signal(str)  # a caseload alert filter code ("overdue" or a path alert)

    SHOWN_KINDS = frozenset({"appointment", "person", "action", "orientation_decision",
                             "engagement_contract", "plan_action"})  # fmt: skip

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session
        self.ops = session.ops
        self._active = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.timeout.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(12)
        self.title = heading(translate("my_day", "Ma journée"))
        self.date_label = heading("", "subtitle")
        layout.addWidget(self.title)
        layout.addWidget(self.date_label)
        self.error = banner()
        layout.addWidget(self.error)

        self.today_title = heading(translate("my_day", "Rendez-vous du jour"), "sectionTitle")
        layout.addWidget(self.today_title)
        self.today = a11y(
            QListWidget(),
            translate("my_day", "Rendez-vous du jour"),
            translate("my_day", "Entrée ouvre le dossier de la personne."),
        )
        self.today.setMinimumHeight(140)
        self.today.itemActivated.connect(self._open_item)
        layout.addWidget(self.today, 1)
        self.agenda_button = QPushButton(translate("my_day", "Voir la journée dans l'agenda"))
        a11y(self.agenda_button, self.agenda_button.text())
        self.agenda_button.setAutoDefault(True)
        self.agenda_button.clicked.connect(self.open_today.emit)
        layout.addWidget(self.agenda_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout.addWidget(heading(translate("my_day", "À traiter"), "sectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        entries = [
            ("reports", translate("my_day", "Comptes rendus à saisir")),
            ("overdue", translate("my_day", "Actions en retard")),
            *path_alert_labels().items(),
        ]
        for index, (key, text) in enumerate(entries):
            widget = QPushButton(text)
            widget.setObjectName("dayItem")
            widget.setProperty("base_text", text)
            widget.setAutoDefault(True)
            widget.setMinimumWidth(300)
            a11y(widget, text)
            widget.clicked.connect(lambda _checked=False, k=key: self._open(k))
            self.buttons[key] = widget
            grid.addWidget(widget, index // 2, index % 2)
        layout.addLayout(grid)
        self.hint = QLabel(
            translate("my_day", "Chaque ligne ouvre exactement la liste qu'elle compte.")
        )
        self.hint.setObjectName("hint")
        layout.addWidget(self.hint)
        self.counts: dict[str, int] = {}

    # -- loading -------------------------------------------------------------------------

    def activate(self) -> None:
        self._active = True
        if self.isVisible():
            self.reload()

    def deactivate(self) -> None:
        self._active = False
        self.today.clear()
        self.counts = {}

    def data_changed(self, changes: Changes) -> None:
        if self._active and changes.concerns_kinds(self.SHOWN_KINDS):
            self._reload_timer.start(150)

    def reload(self) -> None:
        if not self._active:
            return
        now = utcnow()
        local_today = to_local(now).date()
        day_start = datetime.combine(local_today, time(0, 0)).astimezone()
        self.date_label.setText(fmt_long_date(local_today))
        referent = None if self.session.is_supervisor else self.session.referent_id
        self.ops.read(
            lambda store: queries.my_day(store, referent, now, day_start),
            self._show,
            lambda error: show_banner(self.error, error_message(error)),
            owner=self,
            label="my_day",
        )

    def _show(self, day: queries.MyDay) -> None:
        show_banner(self.error, None)
        now = utcnow()
        current = self.today.currentRow()
        self.today.clear()
        for item in day.today:
            text = " · ".join(
                (
                    f"{fmt_time(item.starts_at)} – {fmt_time(item.ends_at)}",
                    item.person_name,
                    label("appointment_purpose", item.purpose),
                    label("appointment_mode", item.mode),
                    state_label(item, now),
                    *([moved] if (moved := moved_label(item.requested_by)) else []),
                )
            )
            row = QListWidgetItem(text)
            row.setData(PERSON_ID, item.person_id)
            self.today.addItem(row)
        if not day.today:
            none = QListWidgetItem(translate("my_day", "Aucun rendez-vous aujourd'hui."))
            none.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.today.addItem(none)
        elif current >= 0:
            self.today.setCurrentRow(min(current, self.today.count() - 1))
        self.today_title.setText(
            translate("my_day", "Rendez-vous du jour ({n})").format(n=len(day.today))
        )
        self.counts = {"reports": day.reports_to_write, "overdue": day.overdue_actions}
        self.counts.update({alert: day.path_alerts.get(alert, 0) for alert in PATH_ALERTS})
        for key, widget in self.buttons.items():
            count = self.counts.get(key, 0)
            text = translate("my_day", "{label} : {n}").format(
                label=widget.property("base_text"), n=count
            )
            widget.setText(text)
            widget.setAccessibleName(text)
            widget.setProperty("alert", count > 0)
            widget.setEnabled(count > 0)

    def _open(self, key: str) -> None:
        if key == "reports":
            self.open_reports.emit()
        else:
            self.open_alert.emit(key)

    def _open_item(self, item: QListWidgetItem) -> None:
        value = item.data(PERSON_ID)
        if isinstance(value, uuid.UUID):
            self.open_person.emit(value)
