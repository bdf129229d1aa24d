"""Handover (*passation*) asked from the app, and the queue of persons without a referent.

:class:`HandoverDialog` confides one person, a selection, or every person of a referent who
leaves: the persons are shared among the checked referents by caseload size
(``queries.plan_handover_split``), shown as a table the user edits (one drop-down per
person) before confirming, with one handover note. Confirming queues the requests
(``usecases.request_handovers``): the server decides them at the next sync, and a refusal
is shown in :class:`HandoverQueueDialog` with its reason.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.services import queries, usecases
from spie_desktop.services.handover import (
    HandoverRequestView,
    PlannedHandover,
    TargetLoad,
    UnassignedPerson,
)
from spie_desktop.store.store import Store
from ui.dialogs.base import DraftDialog, add_note
from ui.formatting import fmt_date, fmt_datetime, to_local
from ui.i18n import translate
from ui.session import AppContext
from ui.texts.sync import refusal_text
from ui.widgets.common import a11y, heading, show_banner
from ui.workers import error_message


def _target_label(target: TargetLoad) -> str:
    return translate("handover", "{name} ({n} personnes suivies)").format(
        name=target.name, n=target.caseload
    )


class HandoverDialog(DraftDialog):
    """Confide persons to other referents, with a note; queued for the server."""

    draft_kind = "handover"
    requested = Signal(object)  # the batch id, once queued

    def __init__(
        self,
        session: AppContext,
        person_ids: list[uuid.UUID] | None = None,
        parent: QWidget | None = None,
        *,
        leaving_referent_id: uuid.UUID | None = None,
    ) -> None:
        title = (
            translate("handover", "Départ d'un référent : confier toutes ses personnes")
            if leaving_referent_id is not None
            else translate("handover", "Confier à un autre référent")
        )
        super().__init__(title, parent, save_text=translate("handover", "Demander la passation"))
        self.session = session
        self.ops = session.ops
        self.actor = session.require_actor()
        self.person_ids = list(person_ids or [])
        self.leaving_referent_id = leaving_referent_id
        self.targets: list[TargetLoad] = []
        self.plan: list[PlannedHandover] = []
        self.batch_id: uuid.UUID | None = None
        self.loaded = False
        self.setMinimumSize(760, 680)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)

        self.body.addWidget(QLabel(translate("handover", "Référents qui reprennent le suivi :")))
        self.target_list = a11y(
            QListWidget(),
            translate("handover", "Référents qui reprennent le suivi"),
            translate("handover", "Cochez les référents entre qui répartir les personnes."),
        )
        self.target_list.setMaximumHeight(100)
        self.body.addWidget(self.target_list)
        row = QHBoxLayout()
        self.split_button = QPushButton(translate("handover", "Répartir selon les portefeuilles"))
        a11y(
            self.split_button,
            self.split_button.text(),
            translate(
                "handover",
                "Chaque personne va au référent coché qui suit le moins de personnes.",
            ),
        )
        self.split_button.clicked.connect(self.split)
        row.addWidget(self.split_button)
        row.addStretch(1)
        self.body.addLayout(row)

        self.table = a11y(
            QTableWidget(0, 2),
            translate("handover", "Répartition proposée"),
            translate("handover", "Une ligne par personne ; changez le référent si besoin."),
        )
        self.table.setHorizontalHeaderLabels(
            [translate("handover", "Personne"), translate("handover", "Nouveau référent")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(180)
        self.body.addWidget(self.table, 1)

        self.body.addWidget(QLabel(translate("handover", "Note de passation :")))
        self.note = a11y(
            QPlainTextEdit(),
            translate("handover", "Note de passation"),
            translate("handover", "Le nouveau référent la lit en premier dans le journal."),
        )
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        self.body.addWidget(self.note)
        add_note(
            self.body,
            translate(
                "handover",
                "La passation est décidée par le serveur à la prochaine synchronisation "
                "(même hors ligne, la demande est conservée). Le dossier passe alors au "
                "nouveau référent, avec cette note en tête du journal.",
            ),
        )
        self.save_button.setEnabled(False)
        self._load()

    # -- loading ---------------------------------------------------------------------------

    def _load(self) -> None:
        actor, ids, leaving = self.actor, self.person_ids, self.leaving_referent_id

        def work(store: Store) -> tuple[list[uuid.UUID], list[TargetLoad], list[PlannedHandover]]:
            persons = ids or (queries.persons_followed_by(store, leaving) if leaving else [])
            targets = [
                t
                for t in queries.handover_targets(store, actor, persons)
                if t.referent_id != leaving
            ]
            plan = (
                queries.plan_handover_split(store, persons, [t.referent_id for t in targets])
                if persons and targets
                else []
            )
            return persons, targets, plan

        self.ops.read(work, self._loaded, self.failed, owner=self, label="handover-plan")

    def _loaded(
        self, result: tuple[list[uuid.UUID], list[TargetLoad], list[PlannedHandover]]
    ) -> None:
        self.person_ids, self.targets, plan = result
        self.target_list.clear()
        for target in self.targets:
            item = QListWidgetItem(_target_label(target))
            item.setData(Qt.ItemDataRole.UserRole, target.referent_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.target_list.addItem(item)
        self.summary.setText(
            translate("handover", "{n} personne(s) à confier.").format(n=len(self.person_ids))
        )
        self._show_plan(plan)
        self.loaded = True
        if not self.targets:
            show_banner(
                self.error,
                translate(
                    "handover", "Aucun référent actif de l'équipe ne peut reprendre ces personnes."
                ),
            )

    def checked_targets(self) -> list[uuid.UUID]:
        checked = []
        for index in range(self.target_list.count()):
            item = self.target_list.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                checked.append(uuid.UUID(str(item.data(Qt.ItemDataRole.UserRole))))
        return checked

    def split(self) -> None:
        """Share the persons again among the checked referents."""
        self.clear_error()
        persons, targets = list(self.person_ids), self.checked_targets()

        def work(store: Store) -> list[PlannedHandover]:
            return queries.plan_handover_split(store, persons, targets)

        self.ops.read(work, self._show_plan, self.failed, owner=self, label="handover-split")

    def _show_plan(self, plan: list[PlannedHandover]) -> None:
        self.plan = list(plan)
        self.table.setRowCount(len(self.plan))
        for row, planned in enumerate(self.plan):
            self.table.setItem(row, 0, QTableWidgetItem(planned.person_name))
            combo = a11y(
                QComboBox(),
                translate("handover", "Nouveau référent de {name}").format(
                    name=planned.person_name
                ),
            )
            for target in self.targets:
                if target.referent_id == planned.from_referent_id:
                    continue
                combo.addItem(target.name, target.referent_id)
            combo.setCurrentIndex(max(0, combo.findData(planned.to_referent_id)))
            self.table.setCellWidget(row, 1, combo)
        self.save_button.setEnabled(bool(self.plan))

    def chosen_plan(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """(person, new referent) as the table shows it now."""
        chosen = []
        for row, planned in enumerate(self.plan):
            combo = self.table.cellWidget(row, 1)
            if isinstance(combo, QComboBox) and combo.currentData() is not None:
                chosen.append((planned.person_id, uuid.UUID(str(combo.currentData()))))
        return chosen

    # -- drafts ----------------------------------------------------------------------------

    def draft_state(self) -> dict[str, Any]:
        return {"note": self.note.toPlainText()}

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.note.setPlainText(str(state.get("note") or ""))

    # -- saving ----------------------------------------------------------------------------

    def submit(self) -> None:
        if self._busy or not self.loaded:
            return
        self.clear_error()
        actor, plan, note = self.actor, self.chosen_plan(), self.note.toPlainText()
        self.set_busy(True)
        self.ops.write(
            lambda store: usecases.request_handovers(store, actor, plan, note),
            self._queued,
            self.failed,
            owner=self,
            label="handover-request",
        )

    def _queued(self, batch_id: uuid.UUID) -> None:
        self.batch_id = batch_id
        self.requested.emit(batch_id)
        self.saved(batch_id)


def state_label(request: HandoverRequestView) -> str:
    if request.state == "pending":
        return translate("handover", "En attente du serveur")
    if request.state == "done":
        return translate("handover", "Faite")
    return translate("handover", "Refusée : {reason}").format(
        reason=refusal_text(request.error_code, request.error_message)
    )


def waiting_label(since: datetime, now: datetime | None = None) -> str:
    """How long a person has waited in the queue, in calendar days (Europe/Paris)."""
    now = now or datetime.now(UTC)
    days = (to_local(now).date() - to_local(since).date()).days
    if days <= 0:
        return translate("handover", "arrivée aujourd'hui")
    if days == 1:
        return translate("handover", "en attente depuis 1 jour")
    return translate("handover", "en attente depuis {days} jours").format(days=days)


class HandoverQueueDialog(QDialog):
    """« Personnes sans référent » (to assign) and the handovers asked from this device."""

    assign_requested = Signal(list)  # person ids to confide

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = translate("handover", "Passations")
        self.setWindowTitle(title)
        a11y(self, title)
        self.setMinimumSize(940, 480)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.session = session
        self.ops = session.ops
        self.unassigned: list[UnassignedPerson] = []
        self.requests: list[HandoverRequestView] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.addWidget(heading(title, "sectionTitle"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        queue = QWidget()
        queue_layout = QVBoxLayout(queue)
        hint = QLabel(
            translate(
                "handover",
                "Personnes de l'équipe qu'aucun référent actif ne suit (importées sans "
                "référent, ou dont le compte du référent a été fermé), la plus ancienne "
                "d'abord. Sélectionnez-en une ou plusieurs et confiez-les.",
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        queue_layout.addWidget(hint)
        self.queue = a11y(QListWidget(), translate("handover", "Personnes sans référent"))
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        queue_layout.addWidget(self.queue, 1)
        self.assign_button = QPushButton(translate("handover", "Confier la sélection…"))
        a11y(self.assign_button, self.assign_button.text())
        self.assign_button.clicked.connect(self._assign)
        queue_layout.addWidget(self.assign_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(queue, translate("handover", "Personnes sans référent"))

        self.history = a11y(
            QTableWidget(0, 5), translate("handover", "Passations demandées depuis cet appareil")
        )
        self.history.setHorizontalHeaderLabels(
            [
                translate("handover", "Demandée le"),
                translate("handover", "Personne"),
                translate("handover", "De"),
                translate("handover", "À"),
                translate("handover", "État"),
            ]
        )
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabs.addTab(self.history, translate("handover", "Passations demandées"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            translate("handover", "Fermer")
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, *_: object) -> None:
        def work(store: Store) -> tuple[list[UnassignedPerson], list[HandoverRequestView]]:
            return queries.persons_without_referent(store), queries.handover_requests(store)

        self.ops.read(work, self._loaded, self._failed, owner=self, label="handover-queue")

    def _failed(self, error: BaseException) -> None:
        self.error.setText(error_message(error))

    def _loaded(self, result: tuple[list[UnassignedPerson], list[HandoverRequestView]]) -> None:
        self.unassigned, self.requests = result
        self.queue.clear()
        for person in self.unassigned:
            if person.reason == "none":
                why = translate("handover", "jamais affectée")
            else:
                why = translate("handover", "compte de {name} fermé").format(
                    name=person.referent_name or "?"
                )
            text = f"{person.name} — {why} — {waiting_label(person.waiting_since)}"
            if person.pending:
                text += " — " + translate("handover", "passation en attente")
            item = QListWidgetItem(text)
            item.setToolTip(
                translate("handover", "Dans la file depuis le {date}").format(
                    date=fmt_date(to_local(person.waiting_since).date())
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, person.person_id)
            self.queue.addItem(item)
        self.tabs.setTabText(
            0, translate("handover", "Personnes sans référent ({n})").format(n=len(self.unassigned))
        )
        self.history.setRowCount(len(self.requests))
        for row, request in enumerate(self.requests):
            values = [
                fmt_datetime(request.created_at),
                request.person_name,
                request.from_name,
                request.to_name,
                state_label(request),
            ]
            for column, value in enumerate(values):
                self.history.setItem(row, column, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setStretchLastSection(True)

    def _assign(self) -> None:
        ids = [
            uuid.UUID(str(item.data(Qt.ItemDataRole.UserRole)))
            for item in self.queue.selectedItems()
        ]
        if ids:
            self.assign_requested.emit(ids)
