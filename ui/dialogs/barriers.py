"""Barriers (*freins*) with Carnet de bord's standard situations and targets, and their actions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from spie_desktop.domain.enums import ActionStatus, BarrierStatus
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import ValidationError
from spie_desktop.services import usecases
from spie_desktop.services.operation import Outcome
from spie_desktop.services.read_models import ActionInfo, BarrierInfo
from spie_desktop.store.store import Store
from ui.dialogs.base import DraftDialog, add_note
from ui.dialogs.partner_picker import PartnerLink
from ui.formatting import action_text, label
from ui.i18n import current_language, translate
from ui.session import AppContext
from ui.widgets.common import FormFields, fill_combo, keep_whole, select_code
from ui.widgets.fields import DateField

FREE_TEXT = "__free__"


class BarrierDialog(DraftDialog):
    """Identify a barrier: theme, standard situations, target (standard or free), severity."""

    draft_kind = "barrier"

    def __init__(
        self, session: AppContext, person_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("barriers", "Nouveau frein"), parent)
        self.session = session
        self.person_id = person_id
        self.setMinimumWidth(640)
        grid = QGridLayout()
        self.fields = FormFields(grid)
        self.theme = self.fields.add("theme", translate("barriers", "Thème *"), QComboBox(), 0, 0)
        # Nothing preselected (issue 12): Enter on an untouched dialog must not record a
        # barrier of the first theme.
        fill_combo(self.theme, "theme", empty=translate("barriers", "— Choisir un thème —"))
        self.status = self.fields.add("status", translate("barriers", "Statut"), QComboBox(), 0, 1)
        fill_combo(self.status, "barrier_status")
        select_code(self.status, BarrierStatus.IDENTIFIED.value)
        self.situations = self.fields.add(
            "situations",
            translate("barriers", "Situations constatées (cochez avec Espace)"),
            QListWidget(),
            1,
            0,
            span=2,
        )
        self.situations.setMinimumHeight(150)
        self.target = self.fields.add(
            "target_code", translate("barriers", "Objectif"), QComboBox(), 2, 0, span=2
        )
        self.target_text = self.fields.add(
            "target_text",
            translate("barriers", "Objectif (texte libre)"),
            QLineEdit(),
            3,
            0,
            span=2,
        )
        self.severity = self.fields.add(
            "severity", translate("barriers", "Intensité"), QComboBox(), 4, 0
        )
        fill_combo(
            self.severity,
            entries=[(entry.label_for(current_language()), entry.code) for entry in _severities()],
            empty=translate("barriers", "— Non évaluée —"),
        )
        self.comment = self.fields.add(
            "comment", translate("barriers", "Commentaire"), QPlainTextEdit(), 5, 0, span=2
        )
        self.comment.setTabChangesFocus(True)
        self.comment.setMinimumHeight(60)
        self.comment.setMaximumHeight(80)
        self.body.addLayout(grid)
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self.target.currentIndexChanged.connect(self._target_changed)
        self._theme_changed()

    def _theme_changed(self) -> None:
        code = self.theme.currentData()
        theme = str(code) if code else ""
        referentials = get_referentials()
        self.situations.clear()
        for entry in referentials.situations_for(theme) if theme else ():
            item = QListWidgetItem(entry.label_for(current_language()))
            item.setData(Qt.ItemDataRole.UserRole, entry.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.situations.addItem(item)
        fill_combo(
            self.target,
            entries=[
                (entry.label_for(current_language()), entry.code)
                for entry in (referentials.targets_for(theme) if theme else ())
            ]
            + [(translate("barriers", "Autre objectif (texte libre)…"), FREE_TEXT)],
            empty=translate("barriers", "— À définir —"),
        )
        self._target_changed()

    def _target_changed(self) -> None:
        free = self.target.currentData() == FREE_TEXT
        self.target_text.setVisible(free)
        self.fields.labels["target_text"].setVisible(free)

    def checked_situations(self) -> list[str]:
        codes: list[str] = []
        for row in range(self.situations.count()):
            item = self.situations.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                codes.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return codes

    def draft_context(self) -> dict[str, Any]:
        return {"person_id": str(self.person_id)}

    def draft_state(self) -> dict[str, Any]:
        return {
            "theme": self.theme.currentData(),
            "status": self.status.currentData(),
            "situations": self.checked_situations(),
            "target": self.target.currentData(),
            "target_text": self.target_text.text(),
            "severity": self.severity.currentData(),
            "comment": self.comment.toPlainText(),
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        select_code(self.theme, state.get("theme"))
        select_code(self.status, state.get("status"))
        wanted = set(state.get("situations") or [])
        for row in range(self.situations.count()):
            item = self.situations.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in wanted:
                item.setCheckState(Qt.CheckState.Checked)
        select_code(self.target, state.get("target"))
        self.target_text.setText(str(state.get("target_text") or ""))
        select_code(self.severity, state.get("severity"))
        self.comment.setPlainText(str(state.get("comment") or ""))

    def show_field_error(self, error: BaseException) -> bool:
        return self.fields.show_error(error)

    def submit(self) -> None:
        self.fields.clear_errors()
        self.clear_error()
        if self.theme.currentData() is None:
            self.fields.set_error("theme", translate("barriers", "Choisissez un thème."))
            self.theme.setFocus()
            return
        theme = str(self.theme.currentData())
        target = self.target.currentData()
        target_code = target if target not in (None, FREE_TEXT) else None
        target_text = self.target_text.text() if target == FREE_TEXT else None
        severity_code = self.severity.currentData()
        severity = int(severity_code) if severity_code else None
        status = str(self.status.currentData())
        situations = self.checked_situations()
        comment = self.comment.toPlainText()
        actor = self.session.require_actor()
        person_id = self.person_id
        self.set_busy(True)

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.open_barrier(
                store,
                actor,
                person_id,
                theme=theme,
                situations=situations,
                target_code=target_code,
                target_text=target_text,
                severity=severity,
                status=status,
                comment=comment,
            )

        self.session.ops.write(work, self.saved, self.failed, owner=self, label="barrier")


def _severities() -> list[Any]:
    referentials = get_referentials()
    try:
        return list(referentials.entries("barrier_severity"))
    except ValueError:
        return []


class BarrierStatusDialog(DraftDialog):
    """Change a barrier's status (lifting or abandoning it closes it)."""

    draft_kind = "barrier_status"

    def __init__(
        self, session: AppContext, barrier: BarrierInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("barriers", "Statut du frein"), parent)
        self.session = session
        self.barrier = barrier
        info = QLabel(
            f"{label('theme', barrier.theme)} — "
            + (
                label("target", barrier.target_code)
                if barrier.target_code
                else barrier.target_text or translate("barriers", "objectif à définir")
            )
        )
        info.setWordWrap(True)
        info.setObjectName("subtitle")
        self.body.addWidget(info)
        grid = QGridLayout()
        self.fields = FormFields(grid)
        self.status = self.fields.add(
            "status", translate("barriers", "Nouveau statut"), QComboBox(), 0, 0
        )
        fill_combo(self.status, "barrier_status")
        select_code(self.status, barrier.status)
        self.comment = self.fields.add(
            "comment",
            translate("barriers", "Commentaire"),
            QPlainTextEdit(barrier.comment or ""),
            1,
            0,
        )
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(90)
        self.body.addLayout(grid)

    def draft_context(self) -> dict[str, Any]:
        return {"barrier_id": str(self.barrier.id)}

    def draft_state(self) -> dict[str, Any]:
        return {"status": self.status.currentData(), "comment": self.comment.toPlainText()}

    def restore_draft(self, state: dict[str, Any]) -> None:
        select_code(self.status, state.get("status"))
        self.comment.setPlainText(str(state.get("comment") or ""))

    def show_field_error(self, error: BaseException) -> bool:
        return self.fields.show_error(error)

    def submit(self) -> None:
        status = str(self.status.currentData())
        comment = self.comment.toPlainText()
        actor = self.session.require_actor()
        barrier_id = self.barrier.id
        self.set_busy(True)

        def work(store: Store) -> Outcome[None]:
            return usecases.update_barrier_status(
                store, actor, barrier_id, status=status, comment=comment
            )

        self.session.ops.write(work, self.saved, self.failed, owner=self, label="barrier status")


class ActionDialog(DraftDialog):
    """An action to lift a barrier: from the theme's standard list, or typed freely."""

    draft_kind = "action"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        barriers: tuple[BarrierInfo, ...],
        parent: QWidget | None = None,
        *,
        barrier_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(translate("barriers", "Nouvelle action"), parent)
        self.session = session
        self.person_id = person_id
        self.setMinimumWidth(640)
        self._barriers = {barrier.id: barrier for barrier in barriers}
        grid = QGridLayout()
        self.fields = FormFields(grid)
        self.barrier = self.fields.add(
            "barrier_id", translate("barriers", "Frein concerné"), QComboBox(), 0, 0, span=2
        )
        entries = [
            (
                f"{label('theme', b.theme)} — "
                + (
                    label("target", b.target_code)
                    if b.target_code
                    else _shortened(b.target_text) or label("barrier_status", b.status)
                ),
                str(b.id),
            )
            for b in barriers
        ]
        fill_combo(
            self.barrier, entries=entries, empty=translate("barriers", "— Sans frein associé —")
        )
        # The dialog widens to show each barrier whole (a referential's target can be
        # long: « Logement — S'informer sur les démarches liées au logement (budget, … »).
        keep_whole(self.barrier)
        self.theme = self.fields.add(
            "theme", translate("barriers", "Thème de l'action"), QComboBox(), 1, 0
        )
        fill_combo(self.theme, "theme", empty=translate("barriers", "— Choisir un thème —"))
        self.action = self.fields.add(
            "action_code", translate("barriers", "Action *"), QComboBox(), 2, 0, span=2
        )
        self.action.setEditable(False)
        self.custom = self.fields.add(
            "custom_label", translate("barriers", "Libellé de l'action"), QLineEdit(), 3, 0, span=2
        )
        self.partner = self.fields.add(
            "partner",
            translate("barriers", "Partenaire"),
            QLineEdit(),
            4,
            0,
            hint_text=translate("barriers", "Structure ou service qui porte l'action"),
        )
        self.partner_link = PartnerLink(
            session,
            self.partner,
            self,
            person_id=person_id,
            theme=lambda: self.theme.currentData(),
        )
        grid.addWidget(self.partner_link.button, 4 * 3 + 1, 1)
        grid.addWidget(self.partner_link.info, 4 * 3 + 2, 0, 1, 2)
        self.due = self.fields.add(
            "due_date", translate("barriers", "Échéance"), DateField(field="due_date"), 5, 0
        )
        self.status = self.fields.add("status", translate("barriers", "Statut"), QComboBox(), 5, 1)
        fill_combo(self.status, "action_status")
        select_code(self.status, ActionStatus.PLANNED.value)
        self.body.addLayout(grid)
        add_note(
            self.body,
            translate(
                "barriers",
                "Les actions proposées sont celles du référentiel du thème ; choisissez "
                "« Autre action » pour saisir la vôtre.",
            ),
        )
        self.barrier.currentIndexChanged.connect(self._barrier_changed)
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self.action.currentIndexChanged.connect(self._action_changed)
        if barrier_id is not None:
            select_code(self.barrier, str(barrier_id))
        self._barrier_changed()

    def _barrier(self) -> BarrierInfo | None:
        code = self.barrier.currentData()
        return self._barriers.get(uuid.UUID(code)) if code else None

    def _barrier_changed(self) -> None:
        barrier = self._barrier()
        if barrier is not None:
            select_code(self.theme, barrier.theme)
        self.theme.setEnabled(barrier is None)
        self._theme_changed()

    def _theme_changed(self) -> None:
        code = self.theme.currentData()
        actions = get_referentials().actions_for(str(code)) if code else ()
        fill_combo(
            self.action,
            entries=[(entry.label_for(current_language()), entry.code) for entry in actions]
            + [(translate("barriers", "Autre action (texte libre)…"), FREE_TEXT)],
            empty=translate("barriers", "— Choisir une action —"),
        )
        self._action_changed()

    def _action_changed(self) -> None:
        free = self.action.currentData() == FREE_TEXT
        self.custom.setVisible(free)
        self.fields.labels["custom_label"].setVisible(free)

    def draft_context(self) -> dict[str, Any]:
        return {"person_id": str(self.person_id)}

    def draft_state(self) -> dict[str, Any]:
        return {
            "barrier": self.barrier.currentData(),
            "theme": self.theme.currentData(),
            "action": self.action.currentData(),
            "custom": self.custom.text(),
            "partner": self.partner.text(),
            "partner_service_id": self.partner_link.service_id,
            "due": self.due.text(),
            "status": self.status.currentData(),
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        select_code(self.barrier, state.get("barrier"))
        select_code(self.theme, state.get("theme"))
        select_code(self.action, state.get("action"))
        self.custom.setText(str(state.get("custom") or ""))
        self.partner.setText(str(state.get("partner") or ""))
        service_id = state.get("partner_service_id")
        self.partner_link.load(str(service_id) if service_id else None)
        self.due.setText(str(state.get("due") or ""))
        select_code(self.status, state.get("status"))

    def show_field_error(self, error: BaseException) -> bool:
        return self.fields.show_error(error)

    def submit(self) -> None:
        self.fields.clear_errors()
        self.clear_error()
        try:
            due = self.due.value()
        except ValidationError as error:
            self.fields.show_error(error)
            return
        chosen = self.action.currentData()
        if chosen is None:  # nothing preselected: the referent chooses (issue 12)
            self.fields.set_error("action_code", translate("barriers", "Choisissez une action."))
            self.action.setFocus()
            return
        action_code = None if chosen == FREE_TEXT else str(chosen)
        custom = self.custom.text() if chosen == FREE_TEXT else None
        if chosen == FREE_TEXT and not (custom or "").strip():
            self.fields.set_error(
                "custom_label", translate("barriers", "Saisissez le libellé de l'action.")
            )
            return
        barrier = self._barrier()
        barrier_id = barrier.id if barrier else None
        partner = self.partner.text()
        partner_service_id = self.partner_link.service_id
        status = str(self.status.currentData())
        actor = self.session.require_actor()
        person_id = self.person_id
        self.set_busy(True)

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.add_action(
                store,
                actor,
                person_id,
                barrier_id=barrier_id,
                action_code=action_code,
                custom_label=custom,
                partner=partner,
                due_date=due,
                status=status,
                partner_service_id=partner_service_id,
            )

        self.session.ops.write(work, self.saved, self.failed, owner=self, label="action")


class ActionStatusDialog(DraftDialog):
    """Follow an action: status, due date, partner, outcome."""

    draft_kind = "action_status"

    def __init__(
        self, session: AppContext, action: ActionInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("barriers", "Suivi de l'action"), parent)
        self.session = session
        self.action = action
        info = QLabel(action_text(action.action_code, action.label))
        info.setWordWrap(True)
        info.setObjectName("subtitle")
        self.body.addWidget(info)
        grid = QGridLayout()
        self.fields = FormFields(grid)
        self.status = self.fields.add("status", translate("barriers", "Statut"), QComboBox(), 0, 0)
        fill_combo(self.status, "action_status")
        select_code(self.status, action.status)
        self.due = self.fields.add(
            "due_date", translate("barriers", "Échéance"), DateField(field="due_date"), 0, 1
        )
        self.due.set_value(action.due_date)
        self.partner = self.fields.add(
            "partner",
            translate("barriers", "Partenaire"),
            QLineEdit(action.partner or ""),
            1,
            0,
        )
        self.partner_link = PartnerLink(
            session, self.partner, self, person_id=None, theme=lambda: action.theme
        )
        grid.addWidget(self.partner_link.button, 1 * 3 + 1, 1)
        grid.addWidget(self.partner_link.info, 1 * 3 + 2, 0, 1, 2)
        self.partner_link.load(action.partner_service_id)
        self.outcome = self.fields.add(
            "outcome",
            translate("barriers", "Résultat"),
            QPlainTextEdit(action.outcome or ""),
            2,
            0,
            span=2,
        )
        self.outcome.setTabChangesFocus(True)
        self.outcome.setMaximumHeight(90)
        self.body.addLayout(grid)

    def draft_context(self) -> dict[str, Any]:
        return {"action_id": str(self.action.id)}

    def draft_state(self) -> dict[str, Any]:
        return {
            "status": self.status.currentData(),
            "due": self.due.text(),
            "partner": self.partner.text(),
            "partner_service_id": self.partner_link.service_id,
            "outcome": self.outcome.toPlainText(),
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        select_code(self.status, state.get("status"))
        self.due.setText(str(state.get("due") or ""))
        self.partner.setText(str(state.get("partner") or ""))
        service_id = state.get("partner_service_id")
        self.partner_link.load(str(service_id) if service_id else None)
        self.outcome.setPlainText(str(state.get("outcome") or ""))

    def show_field_error(self, error: BaseException) -> bool:
        return self.fields.show_error(error)

    def submit(self) -> None:
        self.fields.clear_errors()
        try:
            due: date | None = self.due.value()
        except ValidationError as error:
            self.fields.show_error(error)
            return
        status = str(self.status.currentData())
        partner = self.partner.text()
        partner_service_id = self.partner_link.service_id
        outcome = self.outcome.toPlainText()
        actor = self.session.require_actor()
        action_id = self.action.id
        self.set_busy(True)

        def work(store: Store) -> Outcome[None]:
            return usecases.follow_action(
                store,
                actor,
                action_id,
                status=status,
                due_date=due,
                partner=partner,
                outcome=outcome,
                partner_service_id=partner_service_id,
            )

        self.session.ops.write(work, self.saved, self.failed, owner=self, label="action status")


def _shortened(text: str | None, limit: int = 70) -> str | None:
    """A free-text target as a drop-down shows it: its first ``limit`` characters."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
