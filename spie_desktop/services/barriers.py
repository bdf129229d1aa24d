"""Barriers to employment (*freins périphériques*) and the actions that lift them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.enums import (
    OPEN_BARRIER_STATUSES,
    ActionStatus,
    AuditAction,
    BarrierStatus,
)
from spie_desktop.domain.models import Action, Barrier
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import ValidationError
from spie_desktop.services.common import (
    audit,
    check_date_range,
    clean_text,
    get_live,
    live_person,
    require_code,
    require_writer,
)
from spie_desktop.store.store import Actor

_CLOSED_BARRIER = frozenset({BarrierStatus.LIFTED.value, BarrierStatus.ABANDONED.value})
_CLOSED_ACTION = frozenset(
    {ActionStatus.DONE.value, ActionStatus.ABANDONED.value, ActionStatus.CANCELLED.value}
)
_UNSET = object()


def _check_situations(theme: str, situations: Sequence[str]) -> list[str]:
    referentials = get_referentials()
    allowed = {entry.code for entry in referentials.situations_for(theme)}
    for code in situations:
        if code not in allowed:
            raise ValidationError(
                f"Situation inconnue pour ce thème : « {code} ».",
                field="situations",
                code="unknown_code",
            )
    return sorted(set(situations))


def _check_target(theme: str, target_code: str | None) -> None:
    if target_code is None:
        return
    allowed = {entry.code for entry in get_referentials().targets_for(theme)}
    if target_code not in allowed:
        raise ValidationError(
            f"Objectif inconnu pour ce thème : « {target_code} ».",
            field="target_code",
            code="unknown_code",
        )


def open_barrier(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    theme: str,
    situations: Sequence[str] = (),
    target_code: str | None = None,
    target_text: str | None = None,
    severity: int | None = None,
    identified_on: date | None = None,
    status: str = BarrierStatus.IDENTIFIED.value,
    comment: str | None = None,
) -> Barrier:
    require_writer(actor)
    person = live_person(session, person_id)
    require_code("theme", theme, field="theme")
    require_code("barrier_status", status, field="status")
    if severity is not None and severity not in (1, 2, 3):
        raise ValidationError("Sévérité invalide (1 à 3).", field="severity")
    _check_target(theme, target_code)
    identified_on = identified_on or date.today()
    check_date_range(identified_on, field="identified_on")
    barrier = Barrier(
        person_id=person.id,
        theme=theme,
        situations=_check_situations(theme, situations),
        target_code=target_code,
        target_text=clean_text(target_text, field="target_text", max_length=255),
        severity=severity,
        status=status,
        identified_on=identified_on,
        closed_on=identified_on if status in _CLOSED_BARRIER else None,
        comment=clean_text(comment, field="comment", max_length=20_000),
    )
    session.add(barrier)
    audit(session, actor, AuditAction.CHANGE, person.id, f"frein ouvert : {theme}")
    return barrier


def update_barrier(
    session: Session,
    actor: Actor,
    barrier_id: uuid.UUID,
    *,
    status: str | None = None,
    situations: Sequence[str] | None = None,
    target_code: object = _UNSET,
    target_text: object = _UNSET,
    severity: object = _UNSET,
    comment: object = _UNSET,
    on: date | None = None,
) -> Barrier:
    """Change a barrier; lifting or abandoning it stamps ``closed_on``, reopening clears it."""
    require_writer(actor)
    barrier = get_live(session, Barrier, barrier_id)
    if status is not None and status != barrier.status:
        require_code("barrier_status", status, field="status")
        barrier.status = status
        if status in _CLOSED_BARRIER:
            closed = on or date.today()
            barrier.closed_on = max(closed, barrier.identified_on)
        else:
            barrier.closed_on = None
    if situations is not None:
        barrier.situations = _check_situations(barrier.theme, situations)
    if target_code is not _UNSET:
        code = target_code if isinstance(target_code, str) and target_code else None
        _check_target(barrier.theme, code)
        barrier.target_code = code
    if target_text is not _UNSET:
        barrier.target_text = clean_text(
            target_text if isinstance(target_text, str) else None,
            field="target_text",
            max_length=255,
        )
    if severity is not _UNSET:
        if severity is not None and severity not in (1, 2, 3):
            raise ValidationError("Sévérité invalide (1 à 3).", field="severity")
        barrier.severity = severity
    if comment is not _UNSET:
        barrier.comment = clean_text(
            comment if isinstance(comment, str) else None, field="comment", max_length=20_000
        )
    audit(session, actor, AuditAction.CHANGE, barrier.person_id, f"frein : {barrier.theme}")
    return barrier


def add_action(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    barrier_id: uuid.UUID | None = None,
    action_code: str | None = None,
    custom_label: str | None = None,
    partner: str | None = None,
    due_date: date | None = None,
    start_date: date | None = None,
    status: str = ActionStatus.PLANNED.value,
    partner_service_id: str | None = None,
) -> Action:
    """An action chosen from the theme's standard list (``action_code``) or typed freely."""
    require_writer(actor)
    person = live_person(session, person_id)
    theme = None
    if barrier_id is not None:
        barrier = get_live(session, Barrier, barrier_id)
        if barrier.person_id != person.id:
            raise ValidationError("Ce frein concerne une autre personne.", field="barrier_id")
        theme = barrier.theme
    label = clean_text(custom_label, field="custom_label", max_length=255)
    if action_code is None and label is None:
        raise ValidationError(
            "Choisissez une action du référentiel ou saisissez un libellé.",
            field="action_code",
            code="required",
        )
    if action_code is not None:
        require_code("action", action_code, field="action_code")
        referential_theme = get_referentials().get("action", action_code).theme
        if theme is not None and referential_theme != theme:
            raise ValidationError(
                "Cette action ne relève pas du thème du frein.", field="action_code"
            )
        theme = theme or referential_theme
    require_code("action_status", status, field="status")
    start_date = start_date or date.today()
    check_date_range(due_date, field="due_date")
    if due_date is not None and due_date < start_date:
        raise ValidationError("L'échéance précède le début.", field="due_date")
    action = Action(
        person_id=person.id,
        barrier_id=barrier_id,
        theme=theme,
        action_code=action_code,
        custom_label=label,
        partner=clean_text(partner, field="partner", max_length=255),
        partner_service_id=_service_id(partner_service_id),
        status=status,
        start_date=start_date,
        due_date=due_date,
        end_date=start_date if status in _CLOSED_ACTION else None,
    )
    session.add(action)
    if barrier_id is not None:
        barrier = get_live(session, Barrier, barrier_id)
        if barrier.status in (BarrierStatus.NOT_ADDRESSED.value, BarrierStatus.IDENTIFIED.value):
            barrier.status = BarrierStatus.IN_PROGRESS.value
    audit(session, actor, AuditAction.CHANGE, person.id, "action ajoutée")
    return action


def update_action(
    session: Session,
    actor: Actor,
    action_id: uuid.UUID,
    *,
    status: str | None = None,
    due_date: object = _UNSET,
    partner: object = _UNSET,
    outcome: object = _UNSET,
    on: date | None = None,
    partner_service_id: object = _UNSET,
) -> Action:
    require_writer(actor)
    action = get_live(session, Action, action_id)
    if status is not None and status != action.status:
        require_code("action_status", status, field="status")
        action.status = status
        action.end_date = (on or date.today()) if status in _CLOSED_ACTION else None
        if action.end_date and action.start_date and action.end_date < action.start_date:
            action.end_date = action.start_date
    if due_date is not _UNSET:
        if due_date is not None and not isinstance(due_date, date):
            raise ValidationError("Échéance invalide.", field="due_date")
        check_date_range(due_date, field="due_date")
        if due_date and action.start_date and due_date < action.start_date:
            raise ValidationError("L'échéance précède le début.", field="due_date")
        action.due_date = due_date
    if partner is not _UNSET:
        action.partner = clean_text(
            partner if isinstance(partner, str) else None, field="partner", max_length=255
        )
    if partner_service_id is not _UNSET:
        action.partner_service_id = _service_id(
            partner_service_id if isinstance(partner_service_id, str) else None
        )
    if outcome is not _UNSET:
        action.outcome = clean_text(
            outcome if isinstance(outcome, str) else None, field="outcome", max_length=20_000
        )
    audit(session, actor, AuditAction.CHANGE, action.person_id, "action modifiée")
    return action


def _service_id(value: str | None) -> str | None:
    """A directory service id (data·inclusion: ``source--id``), or None."""
    cleaned = clean_text(value, field="partner_service_id", max_length=255)
    if cleaned is not None and (any(c.isspace() for c in cleaned) or not cleaned.isprintable()):
        raise ValidationError(
            "Service de l'annuaire inconnu : choisissez-le dans la liste.",
            field="partner_service_id",
        )
    return cleaned


def action_label(action: Action) -> str:
    if action.action_code:
        return get_referentials().label("action", action.action_code)
    return action.custom_label or ""


def barriers_of(
    session: Session, person_id: uuid.UUID, *, open_only: bool = False
) -> list[Barrier]:
    statement = select(Barrier).where(Barrier.person_id == person_id, Barrier.deleted_at.is_(None))
    if open_only:
        statement = statement.where(
            Barrier.status.in_([status.value for status in OPEN_BARRIER_STATUSES])
        )
    return list(session.execute(statement.order_by(Barrier.theme, Barrier.identified_on)).scalars())


def actions_of(session: Session, person_id: uuid.UUID) -> list[Action]:
    return list(
        session.execute(
            select(Action)
            .where(Action.person_id == person_id, Action.deleted_at.is_(None))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.start_date)
        ).scalars()
    )
