"""Dialogs of the accompaniment path: orientation, reorientation request, contrat
d'engagement (draft, signature, new version), plan action with its weekly hours, closing
review, breach. Each one calls one use-case of ``spie_desktop.services.path`` on the writer
thread and shows the service's French error beside its field."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from spie_desktop.domain.models import WEEKLY_FLOOR_MINUTES
from spie_desktop.errors import ValidationError
from spie_desktop.services import usecases
from spie_desktop.services.operation import Outcome
from spie_desktop.services.partners import PartnerDetail
from spie_desktop.store.store import Actor, Store
from ui.dialogs.base import DraftDialog, add_note
from ui.dialogs.partner_picker import PartnerLink
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import FormFields, a11y, fill_combo
from ui.widgets.fields import DateField

CRITERIA_LABELS = (
    ("sante", "impact_health"),
    ("logement", "impact_housing"),
    ("mobilite", "impact_mobility"),
    ("garde_enfants", "impact_childcare"),
    ("proche_aidant", "impact_caregiving"),
    ("autres", "impact_other"),
)


def parse_hours(text: str, *, field: str) -> int | None:
    """« 7,5 », « 7.5 », « 7 h 30 », « 7h30 » → minutes; empty → None."""
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        return None
    try:
        if "h" in cleaned:
            hours, _, minutes = cleaned.partition("h")
            total = int(hours or "0") * 60 + int(minutes or "0")
        else:
            total = round(float(cleaned.replace(",", ".")) * 60)
    except ValueError:
        raise ValidationError(
            translate("path", "Heures invalides : écrivez par exemple 7,5 ou 7 h 30."),
            field=field,
            code="invalid_hours",
        ) from None
    if not 0 <= total <= 7 * 24 * 60:
        raise ValidationError(
            translate("path", "Heures par semaine hors limites."),
            field=field,
            code="invalid_hours",
        )
    return total


def format_hours(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours}"


class _PathDialog(DraftDialog):
    """Common plumbing: a form grid, field errors, one write."""

    def __init__(
        self, title: str, session: AppContext, person_id: uuid.UUID, parent: QWidget | None
    ) -> None:
        super().__init__(title, parent)
        self.session = session
        self.person_id = person_id
        self.grid = QGridLayout()
        self.fields = FormFields(self.grid)
        self.body.addLayout(self.grid)

    def draft_context(self) -> dict[str, Any]:
        return {"person_id": str(self.person_id)}

    def show_field_error(self, error: BaseException) -> bool:
        return self.fields.show_error(error)

    def _values(self) -> dict[str, Any] | None:
        """Read the form; a parse error is shown beside its field and returns None."""
        try:
            return self.read_form()
        except ValidationError as error:
            if not self.fields.show_error(error):
                self.failed(error)
            return None

    def read_form(self) -> dict[str, Any]:
        raise NotImplementedError

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        raise NotImplementedError

    def submit(self) -> None:
        self.fields.clear_errors()
        self.clear_error()
        values = self._values()
        if values is None:
            return
        self.set_busy(True)
        self.session.ops.write(
            self.write(values),
            self.saved,
            self.failed,
            owner=self,
            label=self.draft_kind,
        )

    def _date(self, name: str, text: str, row: int, column: int = 0) -> DateField:
        return self.fields.add(name, text, DateField(field=name), row, column)

    def _text(self, name: str, text: str, row: int, *, height: int = 70) -> QPlainTextEdit:
        widget = self.fields.add(name, text, QPlainTextEdit(), row, 0, span=2)
        widget.setTabChangesFocus(True)
        widget.setMinimumHeight(height)
        widget.setMaximumHeight(height + 30)
        return widget


class OrientationDialog(_PathDialog):
    """A new orientation decision with its criteria (history is kept)."""

    draft_kind = "orientation"

    def __init__(
        self, session: AppContext, person_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("path", "Décision d'orientation"), session, person_id, parent)
        self.setMinimumWidth(680)
        self.track = self.fields.add("track", translate("path", "Parcours *"), QComboBox(), 0, 0)
        fill_combo(self.track, "orientation")
        self.structure = self.fields.add(
            "structure_name", translate("path", "Structure d'accompagnement"), QLineEdit(), 0, 1
        )
        self.decided_on = self._date("decided_on", translate("path", "Décidée le *"), 1, 0)
        self.decided_on.set_value(date.today())
        self.notified_on = self._date("notified_on", translate("path", "Notifiée le"), 1, 1)
        self.worked = self.fields.add(
            "worked_last_two_years",
            translate("path", "Critères"),
            QCheckBox(translate("path", "A travaillé au cours des deux dernières années")),
            2,
            0,
        )
        self.picture = self.fields.add(
            "can_picture_job",
            " ",
            QCheckBox(translate("path", "Se projette dans un emploi")),
            2,
            1,
        )
        self.qualification = self.fields.add(
            "qualification_level",
            translate("path", "Niveau de qualification"),
            QComboBox(),
            3,
            0,
        )
        fill_combo(
            self.qualification, "qualification_level", empty=translate("path", "— Non renseigné —")
        )
        self.obstacle = self.fields.add(
            "review_obstacle",
            translate("path", "Réexamen à 12 mois (parcours social)"),
            QComboBox(),
            3,
            1,
        )
        fill_combo(self.obstacle, "review_obstacle", empty=translate("path", "— Non : 6 mois —"))
        from ui.formatting import label

        self.impacts: dict[str, QComboBox] = {}
        for index, (criterion, _column) in enumerate(CRITERIA_LABELS):
            combo = self.fields.add(
                f"impact_{criterion}",
                label("orientation_criterion", criterion),
                QComboBox(),
                4 + index // 2,
                index % 2,
            )
            fill_combo(combo, "orientation_impact", empty=translate("path", "— Non évalué —"))
            self.impacts[criterion] = combo
        add_note(
            self.body,
            translate(
                "path",
                "Un parcours social est réexaminé avec France Travail après six mois, ou jusqu'à "
                "douze mois si la santé, un handicap, une invalidité, le logement ou la situation "
                "familiale font obstacle (art. D. 262-65-2-1 CASF).",
            ),
        )

    def read_form(self) -> dict[str, Any]:
        return {
            "track": str(self.track.currentData()),
            "structure_name": self.structure.text(),
            "decided_on": self.decided_on.value(),
            "notified_on": self.notified_on.value(),
            "worked_last_two_years": self.worked.isChecked(),
            "can_picture_job": self.picture.isChecked(),
            "qualification_level": self.qualification.currentData(),
            "review_obstacle": self.obstacle.currentData(),
            "impacts": {k: c.currentData() for k, c in self.impacts.items() if c.currentData()},
        }

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, person_id = self.session.require_actor(), self.person_id
        if values["decided_on"] is None:
            raise_required = ValidationError(
                translate("path", "Date obligatoire."), field="decided_on", code="required"
            )

            def refuse(_store: Store) -> None:
                raise raise_required

            return refuse

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.record_orientation(store, actor, person_id, **values)

        return work


class ReorientationDialog(_PathDialog):
    """The referent asks for another track, with a reason."""

    draft_kind = "reorientation"

    def __init__(
        self, session: AppContext, person_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("path", "Demande de réorientation"), session, person_id, parent)
        self.track = self.fields.add(
            "requested_track", translate("path", "Parcours demandé *"), QComboBox(), 0, 0
        )
        fill_combo(self.track, "orientation")
        self.reason = self._text("reason", translate("path", "Motif *"), 1)

    def read_form(self) -> dict[str, Any]:
        return {
            "requested_track": str(self.track.currentData()),
            "reason": self.reason.toPlainText(),
        }

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, person_id = self.session.require_actor(), self.person_id

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.request_reorientation(store, actor, person_id, **values)

        return work


class ContractDialog(_PathDialog):
    """Draft a contrat d'engagement, or a new version of a signed one (``renew_of``)."""

    draft_kind = "contract"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        renew_of: uuid.UUID | None = None,
        floor_minutes: int = WEEKLY_FLOOR_MINUTES,
    ) -> None:
        title = (
            translate("path", "Nouvelle version du contrat")
            if renew_of
            else translate("path", "Contrat d'engagement")
        )
        super().__init__(title, session, person_id, parent)
        self.renew_of = renew_of
        self.starts_on = self._date("starts_on", translate("path", "Début"), 0, 0)
        self.ends_on = self._date("ends_on", translate("path", "Fin"), 0, 1)
        self.objectives = self._text("objectives", translate("path", "Objectifs"), 1)
        self.floor = self.fields.add(
            "weekly_floor_minutes",
            translate("path", "Plancher d'activité (heures par semaine)"),
            QLineEdit(format_hours(floor_minutes)),
            2,
            0,
            hint_text=translate("path", "15 heures, sauf situation particulière"),
        )
        self.reason = self.fields.add(
            "floor_reason",
            translate("path", "Motif d'un plancher abaissé ou supprimé"),
            QComboBox(),
            2,
            1,
        )
        fill_combo(self.reason, "floor_reason", empty=translate("path", "— Aucun (15 h) —"))

    def read_form(self) -> dict[str, Any]:
        floor = parse_hours(self.floor.text(), field="weekly_floor_minutes")
        return {
            "starts_on": self.starts_on.value(),
            "ends_on": self.ends_on.value(),
            "objectives": self.objectives.toPlainText(),
            "weekly_floor_minutes": WEEKLY_FLOOR_MINUTES if floor is None else floor,
            "floor_reason": self.reason.currentData(),
        }

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, person_id, renew_of = self.session.require_actor(), self.person_id, self.renew_of

        def work(store: Store) -> Outcome[uuid.UUID]:
            if renew_of is not None:
                return usecases.renew_contract(store, actor, renew_of, **values)
            return usecases.draft_contract(store, actor, person_id, **values)

        return work


class SignContractDialog(_PathDialog):
    draft_kind = "contract_signature"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        contract_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translate("path", "Signature du contrat"), session, person_id, parent)
        self.contract_id = contract_id
        self.signed_on = self._date("signed_on", translate("path", "Signé le *"), 0, 0)
        self.signed_on.set_value(date.today())

    def read_form(self) -> dict[str, Any]:
        return {"signed_on": self.signed_on.value()}

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, contract_id = self.session.require_actor(), self.contract_id

        def work(store: Store) -> Outcome[None]:
            return usecases.sign_contract(store, actor, contract_id, **values)

        return work


class PlanActionDialog(_PathDialog):
    """An action of the contract's plan with its planned hours a week."""

    draft_kind = "plan_action"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        contract_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translate("path", "Action du plan"), session, person_id, parent)
        self.contract_id = contract_id
        self.label = self.fields.add(
            "custom_label", translate("path", "Action *"), QLineEdit(), 0, 0, span=2
        )
        self.partner = self.fields.add(
            "partner", translate("path", "Partenaire"), QLineEdit(), 1, 0
        )
        self.hours = self.fields.add(
            "planned_minutes_week",
            translate("path", "Heures prévues par semaine"),
            QLineEdit(),
            1,
            1,
            hint_text=translate("path", "par exemple 4 ou 7 h 30"),
        )
        # A partner from the directory (issue 16): its weekly hours prefill the plan's.
        self.partner_link = PartnerLink(
            session, self.partner, self, person_id=person_id, theme=lambda: None
        )
        self.grid.addWidget(self.partner_link.button, 2 * 3 + 1, 0)
        self.grid.addWidget(self.partner_link.info, 2 * 3 + 2, 0, 1, 2)
        self.partner_link.changed.connect(self._partner_changed)

    def _partner_changed(self, detail: PartnerDetail | None) -> None:
        hours = detail.row.weekly_hours if detail is not None else None
        if hours and not self.hours.text().strip():
            self.hours.setText(format_hours(round(hours * 60)))

    def read_form(self) -> dict[str, Any]:
        return {
            "custom_label": self.label.text(),
            "partner": self.partner.text(),
            "partner_service_id": self.partner_link.service_id,
            "planned_minutes_week": parse_hours(self.hours.text(), field="planned_minutes_week"),
        }

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, contract_id = self.session.require_actor(), self.contract_id

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.add_plan_action(store, actor, contract_id, **values)

        return work


class HoursDialog(_PathDialog):
    """Planned and done hours of one plan action this week."""

    draft_kind = "plan_hours"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        action_id: uuid.UUID,
        planned: int | None,
        done: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translate("path", "Heures de l'action"), session, person_id, parent)
        self.action_id = action_id
        self.planned = self.fields.add(
            "planned_minutes_week",
            translate("path", "Heures prévues par semaine"),
            QLineEdit(format_hours(planned)),
            0,
            0,
        )
        self.done_hours = self.fields.add(
            "done_minutes_week",
            translate("path", "Heures réalisées par semaine"),
            QLineEdit(format_hours(done)),
            0,
            1,
        )

    def read_form(self) -> dict[str, Any]:
        return {
            "planned_minutes_week": parse_hours(self.planned.text(), field="planned_minutes_week"),
            "done_minutes_week": parse_hours(self.done_hours.text(), field="done_minutes_week"),
        }

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, action_id = self.session.require_actor(), self.action_id

        def work(store: Store) -> Outcome[None]:
            return usecases.set_action_hours(store, actor, action_id, **values)

        return work


class ClosingDialog(_PathDialog):
    """End of accompaniment: exit reason, outcome, date."""

    draft_kind = "closing"

    def __init__(
        self, session: AppContext, person_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("path", "Fin d'accompagnement"), session, person_id, parent)
        self.reason = self.fields.add(
            "exit_reason", translate("path", "Motif de sortie *"), QComboBox(), 0, 0
        )
        fill_combo(self.reason, "exit_reason")
        self.closed_on = self._date("closed_on", translate("path", "Date *"), 0, 1)
        self.closed_on.set_value(date.today())
        self.outcome = self._text("outcome", translate("path", "Bilan *"), 1, height=90)
        add_note(
            self.body,
            translate(
                "path",
                "La fin d'accompagnement termine le contrat en cours et fait courir la "
                "durée de conservation du dossier.",
            ),
        )

    def read_form(self) -> dict[str, Any]:
        return {
            "exit_reason": str(self.reason.currentData()),
            "closed_on": self.closed_on.value(),
            "outcome": self.outcome.toPlainText(),
        }

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, person_id = self.session.require_actor(), self.person_id

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.record_closing_review(store, actor, person_id, **values)

        return work


class BreachDialog(_PathDialog):
    """A breach of the contract, and when the person was invited to explain."""

    draft_kind = "breach"

    def __init__(
        self, session: AppContext, person_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("path", "Manquement au contrat"), session, person_id, parent)
        self.kind = self.fields.add(
            "kind", translate("path", "Manquement *"), QComboBox(), 0, 0, span=2
        )
        fill_combo(self.kind, "breach_kind")
        self.occurred_on = self._date("occurred_on", translate("path", "Constaté le *"), 1, 0)
        self.invited_on = self._date(
            "invited_on", translate("path", "Invitée à présenter ses observations le"), 1, 1
        )
        self.observations = self._text(
            "observations", translate("path", "Observations de la personne"), 2
        )
        add_note(
            self.body,
            translate(
                "path",
                "Information sensible : visible du référent et du responsable d'équipe "
                "seulement ; chaque lecture est tracée.",
            ),
        )

    def read_form(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind.currentData()),
            "occurred_on": self.occurred_on.value(),
            "invited_on": self.invited_on.value(),
            "observations": self.observations.toPlainText(),
        }

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, person_id = self.session.require_actor(), self.person_id
        if values["occurred_on"] is None:
            error = ValidationError(
                translate("path", "Date obligatoire."), field="occurred_on", code="required"
            )

            def refuse(_store: Store) -> None:
                raise error

            return refuse

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.record_breach(store, actor, person_id, **values)

        return work


def parse_count(text: str, *, field: str, message: str) -> int | None:
    """A whole number typed in a field (« 30 », « 30 % »); empty → None."""
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        raise ValidationError(message, field=field, code="invalid_number") from None


def _refuse(error: ValidationError) -> Callable[[Store], Any]:
    """A write that fails at once with ``error`` (shown beside its field)."""

    def refuse(_store: Store) -> None:
        raise error

    return refuse


def _summary(dialog: _PathDialog, text: str) -> QLabel:
    """What the decision is about, above the form."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setVisible(bool(text))
    a11y(label, text)
    dialog.body.insertWidget(0, label)
    return label


class AnswerReorientationDialog(_PathDialog):
    """The decision on a pending reorientation request: accepted (a new orientation decision
    to the requested track, with its structure, date and notification) or refused (with its
    reason)."""

    draft_kind = "reorientation_answer"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        request_id: uuid.UUID,
        summary: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            translate("path", "Décision sur la demande de réorientation"),
            session,
            person_id,
            parent,
        )
        self.setMinimumWidth(640)
        self.request_id = request_id
        self.summary = _summary(self, summary)
        self.decision = self.fields.add(
            "accepted", translate("path", "Décision *"), QComboBox(), 0, 0
        )
        self.decision.addItem(translate("path", "Acceptée : nouvelle orientation"), True)
        self.decision.addItem(translate("path", "Refusée"), False)
        self.answered_on = self._date("answered_on", translate("path", "Décidée le *"), 0, 1)
        self.answered_on.set_value(date.today())
        self.structure = self.fields.add(
            "structure_name", translate("path", "Structure d'accompagnement"), QLineEdit(), 1, 0
        )
        self.notified_on = self._date("notified_on", translate("path", "Notifiée le"), 1, 1)
        self.obstacle = self.fields.add(
            "review_obstacle",
            translate("path", "Réexamen à 12 mois (parcours social)"),
            QComboBox(),
            2,
            0,
            span=2,
        )
        fill_combo(self.obstacle, "review_obstacle", empty=translate("path", "— Non : 6 mois —"))
        self.comment = self._text(
            "comment", translate("path", "Motif de la décision (obligatoire si refusée)"), 3
        )
        add_note(
            self.body,
            translate(
                "path",
                "Une demande acceptée ouvre une nouvelle décision d'orientation : le contrat "
                "d'engagement doit être signé dans le mois qui suit sa notification.",
            ),
        )
        self.decision.currentIndexChanged.connect(self._decision_changed)

    def _decision_changed(self) -> None:
        accepted = bool(self.decision.currentData())
        for widget in (self.structure, self.notified_on, self.obstacle):
            widget.setEnabled(accepted)

    def read_form(self) -> dict[str, Any]:
        accepted = bool(self.decision.currentData())
        values: dict[str, Any] = {
            "accepted": accepted,
            "answered_on": self.answered_on.value(),
            "comment": self.comment.toPlainText(),
        }
        if accepted:
            values.update(
                structure_name=self.structure.text(),
                notified_on=self.notified_on.value(),
                review_obstacle=self.obstacle.currentData(),
            )
        return values

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, request_id = self.session.require_actor(), self.request_id
        if values["answered_on"] is None:
            return _refuse(
                ValidationError(
                    translate("path", "Date obligatoire."), field="answered_on", code="required"
                )
            )

        def work(store: Store) -> Outcome[uuid.UUID | None]:
            return usecases.answer_reorientation(store, actor, request_id, **values)

        return work


class _OneDateDialog(_PathDialog):
    """A path decision that is one required date (notification, end of contract): the
    field, its explanation, and the use-case that records it."""

    date_field: ClassVar[str] = ""
    _field: DateField

    def _one_date(self, label: str, note: str) -> DateField:
        field = self._date(self.date_field, label, 0, 0)
        field.set_value(date.today())
        add_note(self.body, note)
        return field

    def read_form(self) -> dict[str, Any]:
        return {self.date_field: self._field.value()}

    def record(self, store: Store, actor: Actor, day: date) -> Outcome[None]:
        raise NotImplementedError

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, day = self.session.require_actor(), values[self.date_field]
        if day is None:
            return _refuse(
                ValidationError(
                    translate("path", "Date obligatoire."), field=self.date_field, code="required"
                )
            )
        return lambda store: self.record(store, actor, day)


class NotifyOrientationDialog(_OneDateDialog):
    """When the person was notified of an orientation decision: the contract's month
    starts then."""

    draft_kind = "orientation_notice"
    date_field = "notified_on"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        decision_id: uuid.UUID,
        summary: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            translate("path", "Notification de l'orientation"), session, person_id, parent
        )
        self.decision_id = decision_id
        self.summary = _summary(self, summary)
        self.notified_on = self._field = self._one_date(
            translate("path", "Notifiée le *"),
            translate(
                "path",
                "Le contrat d'engagement doit être signé dans le mois qui suit la notification.",
            ),
        )

    def record(self, store: Store, actor: Actor, day: date) -> Outcome[None]:
        return usecases.notify_orientation(store, actor, self.decision_id, day)


class EndContractDialog(_OneDateDialog):
    """End the contract in force; its version stays in the history as « Terminé »."""

    draft_kind = "contract_end"
    date_field = "ended_on"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        contract_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translate("path", "Fin du contrat"), session, person_id, parent)
        self.contract_id = contract_id
        self.ended_on = self._field = self._one_date(
            translate("path", "Terminé le *"),
            translate(
                "path",
                "Le contrat terminé reste dans l'historique des versions. Pour clore "
                "l'accompagnement, utilisez « Clore l'accompagnement ».",
            ),
        )

    def record(self, store: Store, actor: Actor, day: date) -> Outcome[None]:
        return usecases.end_contract(store, actor, self.contract_id, ended_on=day)


SUSPENSIONS = ("suspension_partielle", "suspension_totale")


class BreachDecisionDialog(_PathDialog):
    """The department's decision on a breach: « sans suite » or a suspension-remobilisation
    (percentage, duration in months), its date and the remobilisation date; the person's
    observations and when they were invited to give them."""

    draft_kind = "breach_decision"

    def __init__(
        self,
        session: AppContext,
        person_id: uuid.UUID,
        breach_id: uuid.UUID,
        summary: str = "",
        invited_on: date | None = None,
        parent: QWidget | None = None,
        correct: Mapping[str, Any] | None = None,
    ) -> None:
        # ``correct``: the decision as recorded; the dialog then corrects it (a new version
        # of the breach, the wrong decision kept as corrected) instead of deciding.
        self.correcting = correct is not None
        super().__init__(
            translate("path", "Corriger la décision du département")
            if self.correcting
            else translate("path", "Décision du département sur le manquement"),
            session,
            person_id,
            parent,
        )
        self.setMinimumWidth(640)
        self.breach_id = breach_id
        self.summary = _summary(self, summary)
        self.decision = self.fields.add(
            "decision", translate("path", "Décision *"), QComboBox(), 0, 0
        )
        fill_combo(self.decision, "remobilisation_decision")
        self.decision_on = self._date("decision_on", translate("path", "Décidée le *"), 0, 1)
        self.decision_on.set_value(date.today())
        self.percent = self.fields.add(
            "decision_percent",
            translate("path", "Part suspendue (%)"),
            QLineEdit(),
            1,
            0,
            hint_text=translate("path", "de 1 à 100 ; 100 pour une suspension totale"),
        )
        self.months = self.fields.add(
            "decision_months",
            translate("path", "Durée (mois)"),
            QLineEdit(),
            1,
            1,
            hint_text=translate("path", "de 1 à 24 mois"),
        )
        self.invited_on = self._date(
            "invited_on", translate("path", "Invitée à présenter ses observations le *"), 2, 0
        )
        self.invited_on.set_value(invited_on)
        self.remobilised_on = self._date(
            "remobilised_on", translate("path", "Date de remobilisation"), 2, 1
        )
        self.observations = self._text(
            "observations",
            translate("path", "Observations de la personne (laisser vide pour ne pas changer)"),
            3,
        )
        add_note(
            self.body,
            translate(
                "path",
                "La décision ne peut être prise qu'après l'invitation de la personne à "
                "présenter ses observations. Information sensible, tracée.",
            ),
        )
        if correct is not None:
            self._prefill(correct)
        self.decision.currentIndexChanged.connect(self._decision_changed)
        self._decision_changed()

    def _prefill(self, recorded: Mapping[str, Any]) -> None:
        """The recorded decision, to be corrected; what the person said is not corrected
        here (the invitation date and the observations stay as they are)."""
        self.decision.setCurrentIndex(max(0, self.decision.findData(recorded.get("decision"))))
        self.decision_on.set_value(recorded.get("decision_on"))
        percent, months = recorded.get("percent"), recorded.get("months")
        self.percent.setText("" if percent is None else str(percent))
        self.months.setText("" if months is None else str(months))
        self.remobilised_on.set_value(recorded.get("remobilised_on"))
        self.invited_on.setEnabled(False)
        self.observations.setEnabled(False)
        self.observations.setVisible(False)
        self.fields.labels["observations"].setVisible(False)
        add_note(
            self.body,
            translate(
                "path",
                "La décision mal saisie reste visible, marquée corrigée, avec qui l'a "
                "corrigée et quand.",
            ),
        )

    def _decision_changed(self) -> None:
        code = self.decision.currentData()
        self.percent.setEnabled(code == "suspension_partielle")
        self.months.setEnabled(code in SUSPENSIONS)
        if code == "suspension_totale":
            self.percent.setText("100")

    def read_form(self) -> dict[str, Any]:
        code = str(self.decision.currentData())
        values: dict[str, Any] = {
            "decision": code,
            "decision_on": self.decision_on.value(),
            "invited_on": self.invited_on.value(),
            "remobilised_on": self.remobilised_on.value(),
        }
        if code in SUSPENSIONS:
            values["percent"] = parse_count(
                self.percent.text(),
                field="decision_percent",
                message=translate("path", "Pourcentage invalide : écrivez un nombre de 1 à 100."),
            )
            values["months"] = parse_count(
                self.months.text(),
                field="decision_months",
                message=translate("path", "Durée invalide : écrivez un nombre de mois."),
            )
        observations = self.observations.toPlainText()
        if observations.strip():
            values["observations"] = observations
        return values

    def write(self, values: dict[str, Any]) -> Callable[[Store], Any]:
        actor, breach_id = self.session.require_actor(), self.breach_id
        if values["decision_on"] is None:
            return _refuse(
                ValidationError(
                    translate("path", "Date obligatoire."), field="decision_on", code="required"
                )
            )

        if self.correcting:
            corrected = {k: v for k, v in values.items() if k not in ("invited_on", "observations")}

            def correct(store: Store) -> Outcome[uuid.UUID]:
                return usecases.correct_breach_decision(store, actor, breach_id, **corrected)

            return correct

        def work(store: Store) -> Outcome[None]:
            return usecases.decide_breach(store, actor, breach_id, **values)

        return work
