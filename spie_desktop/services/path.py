"""The accompaniment path the law asks for (loi n° 2023-1196 du 18 décembre 2023).

Orientation decisions and reorientation requests, the *contrat d'engagement* with its
versions and its plan (actions with weekly hours against the 15-hour floor), the closing
review and breaches. Every write goes through the change recorder like any synced row;
deadlines come from :mod:`spie_desktop.domain.deadlines`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.deadlines import (
    ContractFacts,
    DecisionFacts,
    PathAlert,
    PathFacts,
    alert_due_on,
    paris_day,
    path_alerts,
    path_facts,
    path_settings,
)
from spie_desktop.domain.enums import (
    LEGACY_CONTRACT_TYPES,
    OPEN_ACTION_STATUSES,
    ActionStatus,
    AuditAction,
    ClosureReason,
    ContractState,
    ContractType,
    ExitReason,
    FollowUpStatus,
    ReorientationStatus,
    Role,
)
from spie_desktop.domain.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    WEEKLY_FLOOR_MINUTES,
    Action,
    Breach,
    ClosingReview,
    EngagementContract,
    OrientationDecision,
    Person,
    ReorientationRequest,
    Structure,
)
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import ReadOnlyError, ValidationError
from spie_desktop.services.barriers import add_action
from spie_desktop.services.common import (
    audit,
    check_date_range,
    clean_text,
    get_live,
    live_person,
    live_rows_of,
    require_code,
    require_writer,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor

CRITERIA = {
    "sante": "impact_health",
    "logement": "impact_housing",
    "mobilite": "impact_mobility",
    "garde_enfants": "impact_childcare",
    "proche_aidant": "impact_caregiving",
    "autres": "impact_other",
}
"""Orientation criterion code (parcours.json) -> column of OrientationDecision."""

LEGACY_CUTOFF = date(2025, 1, 1)
"""CER, PPAE, CEJ and PACEA were replaced by the contrat d'engagement on this day."""

_EXIT_TO_CLOSURE = {
    ExitReason.LASTING_JOB.value: ClosureReason.EMPLOYMENT.value,
    ExitReason.TRAINING.value: ClosureReason.TRAINING.value,
    ExitReason.MOVED.value: ClosureReason.MOVED.value,
    ExitReason.STRUCK_OFF.value: ClosureReason.END_OF_RIGHTS.value,
    ExitReason.DEATH.value: ClosureReason.OTHER.value,
    ExitReason.OTHER.value: ClosureReason.OTHER.value,
}
_LEGACY = frozenset(t.value for t in LEGACY_CONTRACT_TYPES)
_OPEN_ACTIONS = frozenset(s.value for s in OPEN_ACTION_STATUSES)
_MAX_WEEK_MINUTES = 7 * 24 * 60


def _today() -> date:
    return paris_day(utcnow())


def _date(value: date | None, *, field: str, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise ValidationError("Date obligatoire.", field=field, code="required")
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError("Date invalide.", field=field, code="invalid_date")
    check_date_range(value, field=field)
    return value


def _not_future(value: date, *, field: str) -> None:
    if value > _today():
        raise ValidationError("Cette date est dans le futur.", field=field, code="date_in_future")


def _minutes(value: int | None, *, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_WEEK_MINUTES:
        raise ValidationError(
            "Nombre d'heures par semaine invalide.", field=field, code="invalid_hours"
        )
    return value


# -- orientation -----------------------------------------------------------------------------


def record_orientation(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    track: str,
    decided_on: date,
    notified_on: date | None = None,
    worked_last_two_years: bool | None = None,
    can_picture_job: bool | None = None,
    qualification_level: str | None = None,
    impacts: Mapping[str, str] | None = None,
    review_obstacle: str | None = None,
    structure_id: uuid.UUID | None = None,
    structure_name: str | None = None,
    decided_by_name: str | None = None,
    comment: str | None = None,
    request_id: uuid.UUID | None = None,
) -> OrientationDecision:
    """A new orientation decision; earlier ones stay as history. The person's track follows."""
    require_writer(actor)
    person = live_person(session, person_id)
    if person.follow_up_status == FollowUpStatus.EXITED.value:
        raise ValidationError("L'accompagnement de cette personne est clos.", code="path_closed")
    require_code("orientation", track, field="track")
    decided = _date(decided_on, field="decided_on", required=True)
    assert decided is not None
    _not_future(decided, field="decided_on")
    notified = _date(notified_on, field="notified_on")
    if notified is not None:
        _not_future(notified, field="notified_on")
    if notified is not None and notified < decided:
        raise ValidationError(
            "La notification ne peut précéder la décision.",
            field="notified_on",
            code="notified_before_decision",
        )
    require_code(
        "qualification_level", qualification_level, field="qualification_level", optional=True
    )
    require_code("review_obstacle", review_obstacle, field="review_obstacle", optional=True)
    columns: dict[str, str | None] = dict.fromkeys(CRITERIA.values())
    for criterion, impact in (impacts or {}).items():
        if criterion not in CRITERIA:
            raise ValidationError(
                f"Critère d'orientation inconnu : « {criterion} ».",
                field="impacts",
                code="unknown_code",
            )
        require_code("orientation_impact", impact, field="impacts", optional=True)
        columns[CRITERIA[criterion]] = impact or None
    if structure_id is not None:
        get_live(session, Structure, structure_id)
    decision = OrientationDecision(
        person_id=person.id,
        track=track,
        decided_on=decided,
        notified_on=notified,
        worked_last_two_years=worked_last_two_years,
        can_picture_job=can_picture_job,
        qualification_level=qualification_level or None,
        review_obstacle=review_obstacle or None,
        structure_id=structure_id,
        structure_name=clean_text(
            structure_name, field="structure_name", max_length=SHORT_TEXT_MAX
        ),
        decided_by_id=actor.referent_id,
        decided_by_name=clean_text(
            decided_by_name, field="decided_by_name", max_length=SHORT_TEXT_MAX
        ),
        comment=clean_text(comment, field="comment", max_length=LONG_TEXT_MAX),
        request_id=request_id,
        **columns,
    )
    session.add(decision)
    person.orientation = track
    label = get_referentials().label("orientation", track)
    audit(session, actor, AuditAction.CHANGE, person.id, f"orientation : {label}")
    return decision


def notify_orientation(
    session: Session, actor: Actor, decision_id: uuid.UUID, notified_on: date
) -> OrientationDecision:
    """Record when the person was notified: the contract's month starts then."""
    require_writer(actor)
    decision = get_live(session, OrientationDecision, decision_id)
    notified = _date(notified_on, field="notified_on", required=True)
    assert notified is not None
    _not_future(notified, field="notified_on")  # the month would start on a day to come
    if notified < decision.decided_on:
        raise ValidationError(
            "La notification ne peut précéder la décision.",
            field="notified_on",
            code="notified_before_decision",
        )
    decision.notified_on = notified
    audit(session, actor, AuditAction.CHANGE, decision.person_id, "orientation notifiée")
    return decision


def request_reorientation(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    requested_track: str,
    reason: str,
    requested_on: date | None = None,
) -> ReorientationRequest:
    """The referent asks for another track, with a reason; one open request at a time."""
    require_writer(actor)
    person = live_person(session, person_id)
    require_code("orientation", requested_track, field="requested_track")
    current = current_orientation(session, person.id)
    if current is None:
        raise ValidationError(
            "Aucune orientation à réviser : enregistrez d'abord la décision d'orientation.",
            code="no_orientation",
        )
    if current.track == requested_track:
        raise ValidationError(
            "La personne est déjà orientée vers ce parcours.",
            field="requested_track",
            code="same_track",
        )
    if pending_request(session, person.id) is not None:
        raise ValidationError(
            "Une demande de réorientation attend déjà sa décision.",
            code="request_pending",
        )
    on = _date(requested_on, field="requested_on") or _today()
    if on < current.decided_on:
        raise ValidationError(
            "La demande ne peut précéder la décision en cours.",
            field="requested_on",
            code="request_before_decision",
        )
    request = ReorientationRequest(
        person_id=person.id,
        requested_track=requested_track,
        reason=clean_text(reason, field="reason", max_length=LONG_TEXT_MAX, required=True),
        requested_on=on,
        requested_by_id=actor.referent_id,
        status=ReorientationStatus.PENDING.value,
    )
    session.add(request)
    audit(session, actor, AuditAction.CHANGE, person.id, "demande de réorientation")
    return request


def answer_reorientation(
    session: Session,
    actor: Actor,
    request_id: uuid.UUID,
    *,
    accepted: bool,
    answered_on: date | None = None,
    comment: str | None = None,
    notified_on: date | None = None,
    review_obstacle: str | None = None,
    structure_id: uuid.UUID | None = None,
    structure_name: str | None = None,
) -> ReorientationRequest:
    """Accepting opens a new orientation decision (to the requested track, with the
    structure oriented to and its notification; a new month for the contract). A refusal
    carries its reason (``comment``)."""
    require_writer(actor)
    request = get_live(session, ReorientationRequest, request_id)
    if request.status != ReorientationStatus.PENDING.value:
        raise ValidationError("Cette demande a déjà reçu une réponse.", code="request_answered")
    on = _date(answered_on, field="answered_on") or _today()
    if on < request.requested_on:
        raise ValidationError(
            "La réponse ne peut précéder la demande.",
            field="answered_on",
            code="answer_before_request",
        )
    _not_future(on, field="answered_on")
    answer_comment = clean_text(
        comment, field="comment", max_length=LONG_TEXT_MAX, required=not accepted
    )
    request.answered_on = on
    request.answer_comment = answer_comment
    if accepted:
        decision = record_orientation(
            session,
            actor,
            request.person_id,
            track=request.requested_track,
            decided_on=on,
            notified_on=notified_on,
            review_obstacle=review_obstacle,
            structure_id=structure_id,
            structure_name=structure_name,
            comment=request.reason,
            request_id=request.id,
        )
        request.status = ReorientationStatus.ACCEPTED.value
        request.decision_id = decision.id
    else:
        request.status = ReorientationStatus.REFUSED.value
        audit(session, actor, AuditAction.CHANGE, request.person_id, "réorientation refusée")
    return request


def orientation_history(session: Session, person_id: uuid.UUID) -> list[OrientationDecision]:
    """Decisions, newest first."""
    return live_rows_of(
        session,
        OrientationDecision,
        person_id,
        OrientationDecision.decided_on.desc(),
        OrientationDecision.created_at.desc(),
    )


def current_orientation(session: Session, person_id: uuid.UUID) -> OrientationDecision | None:
    history = orientation_history(session, person_id)
    return history[0] if history else None


def reorientation_requests(session: Session, person_id: uuid.UUID) -> list[ReorientationRequest]:
    return live_rows_of(
        session,
        ReorientationRequest,
        person_id,
        ReorientationRequest.requested_on.desc(),
        ReorientationRequest.created_at.desc(),
    )


def pending_request(session: Session, person_id: uuid.UUID) -> ReorientationRequest | None:
    for request in reorientation_requests(session, person_id):
        if request.status == ReorientationStatus.PENDING.value:
            return request
    return None


# -- contrat d'engagement --------------------------------------------------------------------


def _check_floor(minutes: int, reason: str | None) -> None:
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not (0 <= minutes <= WEEKLY_FLOOR_MINUTES)
    ):
        raise ValidationError(
            "Le plancher d'activité va de 0 à 15 heures par semaine.",
            field="weekly_floor_minutes",
            code="invalid_floor",
        )
    if minutes < WEEKLY_FLOOR_MINUTES and not reason:
        raise ValidationError(
            "Un plancher abaissé ou supprimé doit avoir son motif.",
            field="floor_reason",
            code="floor_reason_required",
        )
    require_code("floor_reason", reason, field="floor_reason", optional=True)


def _check_period(starts_on: date | None, ends_on: date | None) -> None:
    _date(starts_on, field="starts_on")
    _date(ends_on, field="ends_on")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            "La fin du contrat précède son début.", field="ends_on", code="dates_reversed"
        )


def contracts_of(session: Session, person_id: uuid.UUID) -> list[EngagementContract]:
    """Every version of every contract, newest first."""
    return live_rows_of(
        session,
        EngagementContract,
        person_id,
        EngagementContract.version.desc(),
        EngagementContract.created_at.desc(),
    )


def current_contract(session: Session, person_id: uuid.UUID) -> EngagementContract | None:
    for contract in contracts_of(session, person_id):
        if contract.state in (ContractState.DRAFT.value, ContractState.SIGNED.value):
            return contract
    return None


def _sync_person_contract(person: Person, contract: EngagementContract) -> None:
    """Keep the person's summary fields (older screens, exports) in step with the contract."""
    person.contract_type = contract.contract_type
    person.contract_start = contract.starts_on
    person.contract_end = contract.ends_on


def draft_contract(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    objectives: str | None = None,
    weekly_floor_minutes: int = WEEKLY_FLOOR_MINUTES,
    floor_reason: str | None = None,
    floor_comment: str | None = None,
) -> EngagementContract:
    """Start a contrat d'engagement (version 1, draft) for the current orientation."""
    require_writer(actor)
    person = live_person(session, person_id)
    if person.follow_up_status == FollowUpStatus.EXITED.value:
        raise ValidationError("L'accompagnement de cette personne est clos.", code="path_closed")
    if current_contract(session, person.id) is not None:
        raise ValidationError(
            "Un contrat est déjà en cours : renouvelez-le ou terminez-le.",
            code="contract_open",
        )
    _check_period(starts_on, ends_on)
    _check_floor(weekly_floor_minutes, floor_reason)
    orientation = current_orientation(session, person.id)
    previous = contracts_of(session, person.id)
    contract = EngagementContract(
        person_id=person.id,
        contract_type=ContractType.ENGAGEMENT.value,
        version=1,
        state=ContractState.DRAFT.value,
        orientation_id=orientation.id if orientation else None,
        starts_on=starts_on,
        ends_on=ends_on,
        objectives=clean_text(objectives, field="objectives", max_length=LONG_TEXT_MAX),
        weekly_floor_minutes=weekly_floor_minutes,
        floor_reason=floor_reason or None,
        floor_comment=clean_text(floor_comment, field="floor_comment", max_length=SHORT_TEXT_MAX),
    )
    if previous:
        contract.version = previous[0].version + 1
        contract.previous_id = previous[0].id
    session.add(contract)
    audit(session, actor, AuditAction.CHANGE, person.id, "contrat d'engagement en préparation")
    return contract


def record_legacy_contract(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    contract_type: str,
    signed_on: date,
    starts_on: date | None = None,
    ends_on: date | None = None,
    objectives: str | None = None,
) -> EngagementContract:
    """An older file's CER, PPAE, CEJ or PACEA, signed before 1 January 2025."""
    require_writer(actor)
    person = live_person(session, person_id)
    if contract_type not in _LEGACY:
        raise ValidationError(
            "Seuls les anciens contrats (CER, PPAE, CEJ, PACEA) s'enregistrent ainsi.",
            field="contract_type",
            code="not_legacy",
        )
    signed = _date(signed_on, field="signed_on", required=True)
    assert signed is not None
    if signed >= LEGACY_CUTOFF:
        raise ValidationError(
            "Depuis le 1er janvier 2025, seul le contrat d'engagement peut être signé.",
            field="signed_on",
            code="legacy_after_cutoff",
        )
    if current_contract(session, person.id) is not None:
        raise ValidationError("Un contrat est déjà en cours.", code="contract_open")
    _check_period(starts_on, ends_on)
    contract = EngagementContract(
        person_id=person.id,
        contract_type=contract_type,
        version=1,
        state=ContractState.SIGNED.value,
        starts_on=starts_on or signed,
        ends_on=ends_on,
        signed_on=signed,
        objectives=clean_text(objectives, field="objectives", max_length=LONG_TEXT_MAX),
        weekly_floor_minutes=WEEKLY_FLOOR_MINUTES,
    )
    session.add(contract)
    _sync_person_contract(person, contract)
    audit(session, actor, AuditAction.CHANGE, person.id, f"ancien contrat : {contract_type}")
    return contract


def update_contract(
    session: Session,
    actor: Actor,
    contract_id: uuid.UUID,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    objectives: str | None = None,
    weekly_floor_minutes: int | None = None,
    floor_reason: str | None = None,
    floor_comment: str | None = None,
) -> EngagementContract:
    """Edit a draft. A signed contract changes only by a new version (``renew_contract``)."""
    require_writer(actor)
    contract = get_live(session, EngagementContract, contract_id)
    if contract.state != ContractState.DRAFT.value:
        raise ValidationError(
            "Un contrat signé ne se modifie pas : faites-en une nouvelle version.",
            code="contract_signed",
        )
    new_start = starts_on if starts_on is not None else contract.starts_on
    new_end = ends_on if ends_on is not None else contract.ends_on
    _check_period(new_start, new_end)
    floor = contract.weekly_floor_minutes if weekly_floor_minutes is None else weekly_floor_minutes
    reason = floor_reason if weekly_floor_minutes is not None else contract.floor_reason
    if floor == WEEKLY_FLOOR_MINUTES:
        reason = None
    _check_floor(floor, reason)
    contract.starts_on, contract.ends_on = new_start, new_end
    if objectives is not None:
        contract.objectives = clean_text(objectives, field="objectives", max_length=LONG_TEXT_MAX)
    contract.weekly_floor_minutes = floor
    contract.floor_reason = reason or None
    if floor_comment is not None:
        contract.floor_comment = clean_text(
            floor_comment, field="floor_comment", max_length=SHORT_TEXT_MAX
        )
    audit(session, actor, AuditAction.CHANGE, contract.person_id, "contrat modifié")
    return contract


def sign_contract(
    session: Session, actor: Actor, contract_id: uuid.UUID, *, signed_on: date | None = None
) -> EngagementContract:
    require_writer(actor)
    contract = get_live(session, EngagementContract, contract_id)
    if contract.state != ContractState.DRAFT.value:
        raise ValidationError("Ce contrat n'est pas un brouillon.", code="not_a_draft")
    signed = _date(signed_on, field="signed_on") or _today()
    _not_future(signed, field="signed_on")
    if signed < LEGACY_CUTOFF:
        raise ValidationError(
            "Le contrat d'engagement existe depuis le 1er janvier 2025.",
            field="signed_on",
            code="signed_before_law",
        )
    contract.state = ContractState.SIGNED.value
    contract.signed_on = signed
    if contract.starts_on is None:
        contract.starts_on = signed
    if contract.ends_on is not None and contract.ends_on < contract.starts_on:
        raise ValidationError(
            "La fin du contrat précède son début.", field="ends_on", code="dates_reversed"
        )
    person = live_person(session, contract.person_id)
    _sync_person_contract(person, contract)
    audit(session, actor, AuditAction.CHANGE, contract.person_id, "contrat signé")
    return contract


def renew_contract(
    session: Session,
    actor: Actor,
    contract_id: uuid.UUID,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    objectives: str | None = None,
    weekly_floor_minutes: int | None = None,
    floor_reason: str | None = None,
) -> EngagementContract:
    """A new version (draft) of a signed contract; the old one becomes « renouvelé » and the
    plan's open actions move to the new version. A legacy contract renews as a contrat
    d'engagement: that is its conversion."""
    require_writer(actor)
    old = get_live(session, EngagementContract, contract_id)
    if old.state != ContractState.SIGNED.value:
        raise ValidationError("Seul un contrat signé se renouvelle.", code="contract_not_signed")
    floor = old.weekly_floor_minutes if weekly_floor_minutes is None else weekly_floor_minutes
    reason = old.floor_reason if weekly_floor_minutes is None else floor_reason
    if floor == WEEKLY_FLOOR_MINUTES:
        reason = None
    _check_floor(floor, reason)
    _check_period(starts_on, ends_on)
    orientation = current_orientation(session, old.person_id)
    new = EngagementContract(
        person_id=old.person_id,
        contract_type=ContractType.ENGAGEMENT.value,
        version=old.version + 1,
        previous_id=old.id,
        state=ContractState.DRAFT.value,
        orientation_id=orientation.id if orientation else old.orientation_id,
        starts_on=starts_on,
        ends_on=ends_on,
        objectives=(
            clean_text(objectives, field="objectives", max_length=LONG_TEXT_MAX)
            if objectives is not None
            else old.objectives
        ),
        weekly_floor_minutes=floor,
        floor_reason=reason,
        floor_comment=old.floor_comment if reason else None,
    )
    session.add(new)
    old.state = ContractState.RENEWED.value
    for action in plan_actions(session, old.id):
        if action.status in _OPEN_ACTIONS:
            action.contract_id = new.id
    audit(session, actor, AuditAction.CHANGE, old.person_id, f"contrat version {new.version}")
    return new


def end_contract(
    session: Session, actor: Actor, contract_id: uuid.UUID, *, ended_on: date | None = None
) -> EngagementContract:
    require_writer(actor)
    contract = get_live(session, EngagementContract, contract_id)
    if contract.state in (ContractState.ENDED.value, ContractState.RENEWED.value):
        raise ValidationError("Ce contrat n'est plus en cours.", code="contract_not_current")
    on = _date(ended_on, field="ended_on") or _today()
    _not_future(on, field="ended_on")  # « Terminé » says it has ended, not that it will
    if contract.starts_on is not None and on < contract.starts_on:
        raise ValidationError(
            "La fin du contrat précède son début.", field="ended_on", code="dates_reversed"
        )
    contract.state = ContractState.ENDED.value
    contract.ends_on = on
    audit(session, actor, AuditAction.CHANGE, contract.person_id, "contrat terminé")
    return contract


# -- the plan and its hours ------------------------------------------------------------------


def plan_actions(session: Session, contract_id: uuid.UUID) -> list[Action]:
    return list(
        session.execute(
            select(Action)
            .where(Action.contract_id == contract_id, Action.deleted_at.is_(None))
            .order_by(Action.start_date, Action.created_at)
        ).scalars()
    )


def add_plan_action(
    session: Session,
    actor: Actor,
    contract_id: uuid.UUID,
    *,
    action_code: str | None = None,
    custom_label: str | None = None,
    partner: str | None = None,
    planned_minutes_week: int | None = None,
    barrier_id: uuid.UUID | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    partner_service_id: str | None = None,
) -> Action:
    """An action of the contract's plan: an ordinary action, linked, with its weekly hours
    (its partner may be a directory service, issue 16)."""
    contract = get_live(session, EngagementContract, contract_id)
    if contract.state not in (ContractState.DRAFT.value, ContractState.SIGNED.value):
        raise ValidationError("Ce contrat n'est plus en cours.", code="contract_not_current")
    if contract.contract_type in _LEGACY:
        raise ValidationError(
            "Un ancien contrat n'a pas de plan d'heures : convertissez-le d'abord.",
            code="legacy_contract",
        )
    minutes = _minutes(planned_minutes_week, field="planned_minutes_week")
    action = add_action(
        session,
        actor,
        contract.person_id,
        barrier_id=barrier_id,
        action_code=action_code,
        custom_label=custom_label,
        partner=partner,
        start_date=start_date,
        due_date=due_date,
        partner_service_id=partner_service_id,
    )
    action.contract_id = contract.id
    action.planned_minutes_week = minutes
    return action


def set_action_hours(
    session: Session,
    actor: Actor,
    action_id: uuid.UUID,
    *,
    planned_minutes_week: int | None = None,
    done_minutes_week: int | None = None,
) -> Action:
    require_writer(actor)
    action = get_live(session, Action, action_id)
    if action.contract_id is None:
        raise ValidationError(
            "Cette action ne fait pas partie d'un contrat d'engagement.", code="not_in_plan"
        )
    if planned_minutes_week is not None:
        action.planned_minutes_week = _minutes(planned_minutes_week, field="planned_minutes_week")
    if done_minutes_week is not None:
        action.done_minutes_week = _minutes(done_minutes_week, field="done_minutes_week")
    audit(session, actor, AuditAction.CHANGE, action.person_id, "heures d'activité")
    return action


@dataclass(frozen=True)
class PlanHours:
    """Planned and done weekly minutes of the open actions against the contract's floor."""

    planned_minutes: int
    done_minutes: int
    floor_minutes: int
    floor_reason: str | None

    @property
    def below_floor(self) -> bool:
        return self.planned_minutes < self.floor_minutes

    @property
    def floor_lowered(self) -> bool:
        return self.floor_minutes < WEEKLY_FLOOR_MINUTES


def plan_hours(session: Session, contract: EngagementContract) -> PlanHours:
    actions = [a for a in plan_actions(session, contract.id) if a.status in _OPEN_ACTIONS]
    return PlanHours(
        planned_minutes=sum(a.planned_minutes_week or 0 for a in actions),
        done_minutes=sum(a.done_minutes_week or 0 for a in actions),
        floor_minutes=contract.weekly_floor_minutes,
        floor_reason=contract.floor_reason,
    )


def format_minutes(minutes: int) -> str:
    """« 15 h », « 7 h 30 »."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


# -- end of accompaniment --------------------------------------------------------------------


def record_closing_review(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    exit_reason: str,
    outcome: str,
    closed_on: date | None = None,
) -> ClosingReview:
    """Close the accompaniment: the person leaves the active caseload, the current contract
    ends, and the retention clock starts on ``closed_on``."""
    require_writer(actor)
    person = live_person(session, person_id)
    if person.follow_up_status == FollowUpStatus.EXITED.value:
        raise ValidationError("L'accompagnement est déjà clos.", code="already_closed")
    require_code("exit_reason", exit_reason, field="exit_reason")
    on = _date(closed_on, field="closed_on") or _today()
    _not_future(on, field="closed_on")
    review = ClosingReview(
        person_id=person.id,
        closed_on=on,
        exit_reason=exit_reason,
        outcome=clean_text(outcome, field="outcome", max_length=LONG_TEXT_MAX, required=True),
        author_id=actor.referent_id,
    )
    session.add(review)
    contract = current_contract(session, person.id)
    if contract is not None:
        contract.state = ContractState.ENDED.value
        if contract.starts_on is None or contract.starts_on <= on:
            contract.ends_on = on
    for action in session.execute(
        select(Action).where(
            Action.person_id == person.id,
            Action.deleted_at.is_(None),
            Action.status.in_(list(_OPEN_ACTIONS)),
        )
    ).scalars():
        action.status = ActionStatus.CANCELLED.value
        action.end_date = max(on, action.start_date) if action.start_date else on
    person.follow_up_status = FollowUpStatus.EXITED.value
    person.closed_on = on
    person.closure_reason = _EXIT_TO_CLOSURE[exit_reason]
    audit(session, actor, AuditAction.CHANGE, person.id, f"fin d'accompagnement : {exit_reason}")
    return review


def closing_review_of(session: Session, person_id: uuid.UUID) -> ClosingReview | None:
    return session.execute(
        select(ClosingReview)
        .where(ClosingReview.person_id == person_id, ClosingReview.deleted_at.is_(None))
        .order_by(ClosingReview.closed_on.desc(), ClosingReview.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


# -- breaches --------------------------------------------------------------------------------

BREACH_ROLES = frozenset({Role.REFERENT.value, Role.SUPERVISOR.value})


def _require_breach_reader(actor: Actor) -> None:
    if actor.role not in BREACH_ROLES:
        raise ReadOnlyError(
            "Les manquements ne sont visibles que du référent et du responsable d'équipe.",
            code="breach_forbidden",
        )


def record_breach(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    kind: str,
    occurred_on: date,
    invited_on: date | None = None,
    observations: str | None = None,
    contract_id: uuid.UUID | None = None,
) -> Breach:
    require_writer(actor)
    _require_breach_reader(actor)
    person = live_person(session, person_id)
    require_code("breach_kind", kind, field="kind")
    occurred = _date(occurred_on, field="occurred_on", required=True)
    assert occurred is not None
    _not_future(occurred, field="occurred_on")
    invited = _date(invited_on, field="invited_on")
    if invited is not None and invited < occurred:
        raise ValidationError(
            "L'invitation à s'expliquer ne peut précéder le manquement.",
            field="invited_on",
            code="invited_before_breach",
        )
    if contract_id is not None:
        contract = get_live(session, EngagementContract, contract_id)
        if contract.person_id != person.id:
            raise ValidationError("Ce contrat concerne une autre personne.", field="contract_id")
    else:
        current = current_contract(session, person.id)
        contract_id = current.id if current else None
    breach = Breach(
        person_id=person.id,
        contract_id=contract_id,
        kind=kind,
        occurred_on=occurred,
        invited_on=invited,
        observations=clean_text(observations, field="observations", max_length=LONG_TEXT_MAX),
        sensitive=True,
        author_id=actor.referent_id,
    )
    session.add(breach)
    audit(session, actor, AuditAction.CHANGE, person.id, f"manquement : {kind}")
    return breach


def _decision_values(
    decision: str,
    decided: date,
    percent: int | None,
    months: int | None,
    remobilised_on: date | None,
) -> tuple[int | None, int | None, date | None]:
    """The percentage, duration and remobilisation date of a decision, checked (a first
    decision and its correction follow the same rules)."""
    suspends = decision in ("suspension_partielle", "suspension_totale")
    if suspends:
        if months is None or not 1 <= months <= 24:
            raise ValidationError(
                "Durée de la suspension invalide (1 à 24 mois).",
                field="decision_months",
                code="invalid_duration",
            )
        if decision == "suspension_totale":
            percent = 100
        if percent is None or not 1 <= percent <= 100:
            raise ValidationError(
                "Pourcentage de suspension invalide (1 à 100).",
                field="decision_percent",
                code="invalid_percent",
            )
    else:
        percent, months = None, None
    remobilised = _date(remobilised_on, field="remobilised_on")
    if remobilised is not None and remobilised < decided:
        raise ValidationError(
            "La remobilisation ne peut précéder la décision.",
            field="remobilised_on",
            code="remobilised_before_decision",
        )
    return percent, months, remobilised


def decide_breach(
    session: Session,
    actor: Actor,
    breach_id: uuid.UUID,
    *,
    decision: str,
    decision_on: date,
    percent: int | None = None,
    months: int | None = None,
    remobilised_on: date | None = None,
    observations: str | None = None,
    invited_on: date | None = None,
) -> Breach:
    """The department's decision, only once the person could give their observations."""
    require_writer(actor)
    _require_breach_reader(actor)
    breach = get_live(session, Breach, breach_id)
    if breach.decision is not None:
        raise ValidationError(
            "Ce manquement a déjà une décision : corrigez-la (« Corriger la décision »), "
            "l'ancienne reste visible.",
            field="decision",
            code="breach_already_decided",
        )
    require_code("remobilisation_decision", decision, field="decision")
    if invited_on is not None:
        invited = _date(invited_on, field="invited_on")
        assert invited is not None
        if invited < breach.occurred_on:
            raise ValidationError(
                "L'invitation à s'expliquer ne peut précéder le manquement.",
                field="invited_on",
                code="invited_before_breach",
            )
        breach.invited_on = invited
    if breach.invited_on is None:
        raise ValidationError(
            "La personne doit d'abord avoir été invitée à présenter ses observations.",
            field="invited_on",
            code="observations_not_invited",
        )
    decided, percent, months, remobilised = _checked_decision(
        decision, decision_on, breach.invited_on, percent, months, remobilised_on
    )
    if observations is not None:
        breach.observations = clean_text(
            observations, field="observations", max_length=LONG_TEXT_MAX
        )
    breach.decision = decision
    breach.decision_on = decided
    breach.decision_percent = percent
    breach.decision_months = months
    breach.remobilised_on = remobilised
    audit(session, actor, AuditAction.CHANGE, breach.person_id, f"décision : {decision}")
    return breach


def _checked_decision(
    decision: str,
    decision_on: date,
    invited_on: date,
    percent: int | None,
    months: int | None,
    remobilised_on: date | None,
) -> tuple[date, int | None, int | None, date | None]:
    """A breach decision's date and values, checked the same for a first decision and for
    its correction: not in the future, not before the invitation to give observations."""
    decided = _date(decision_on, field="decision_on", required=True)
    assert decided is not None
    _not_future(decided, field="decision_on")
    if decided < invited_on:
        raise ValidationError(
            "La décision ne peut précéder l'invitation à présenter ses observations.",
            field="decision_on",
            code="decision_before_invitation",
        )
    return (decided, *_decision_values(decision, decided, percent, months, remobilised_on))


def correct_breach_decision(
    session: Session,
    actor: Actor,
    breach_id: uuid.UUID,
    *,
    decision: str,
    decision_on: date,
    percent: int | None = None,
    months: int | None = None,
    remobilised_on: date | None = None,
) -> Breach:
    """A mistyped decision corrected, keeping history (no column is added for it).

    The correction is a new version of the breach: a new ``breach`` row with the same
    breach (kind, dates, observations, contract) and the corrected decision, created at the
    instant the decided row is tombstoned (``deleted_at``), so that the wrong decision stays
    readable as corrected (:func:`breach_history`), by whom (the new row's ``author_id``,
    stamped by the server) and when. Same checks as a first decision; the server accepts
    the two changes from the person's referent only, like any path row.
    """
    require_writer(actor)
    _require_breach_reader(actor)
    old = get_live(session, Breach, breach_id)
    if old.decision is None or old.decision_on is None or old.invited_on is None:
        raise ValidationError(
            "Ce manquement n'a pas encore de décision à corriger.",
            field="decision",
            code="breach_not_decided",
        )
    require_code("remobilisation_decision", decision, field="decision")
    decided, percent, months, remobilised = _checked_decision(
        decision, decision_on, old.invited_on, percent, months, remobilised_on
    )
    if (decision, decided, percent, months, remobilised) == (
        old.decision,
        old.decision_on,
        old.decision_percent,
        old.decision_months,
        old.remobilised_on,
    ):
        raise ValidationError(
            "La correction est identique à la décision enregistrée.",
            field="decision",
            code="correction_unchanged",
        )
    now = utcnow()
    corrected = Breach(
        person_id=old.person_id,
        contract_id=old.contract_id,
        kind=old.kind,
        occurred_on=old.occurred_on,
        invited_on=old.invited_on,
        observations=old.observations,
        decision=decision,
        decision_on=decided,
        decision_percent=percent,
        decision_months=months,
        remobilised_on=remobilised,
        sensitive=True,
        author_id=actor.referent_id,
        created_at=now,
    )
    old.deleted_at = now
    session.add(corrected)
    audit(
        session,
        actor,
        AuditAction.CHANGE,
        old.person_id,
        f"correction de la décision du manquement {old.id} : "
        f"{_decision_summary(old)} -> {_decision_summary(corrected)} (version {corrected.id})",
    )
    return corrected


def _decision_summary(breach: Breach) -> str:
    parts = [breach.decision or "", breach.decision_on.isoformat() if breach.decision_on else ""]
    if breach.decision_percent is not None:
        parts.append(f"{breach.decision_percent} %")
    if breach.decision_months is not None:
        parts.append(f"{breach.decision_months} mois")
    if breach.remobilised_on is not None:
        parts.append(f"remobilisation {breach.remobilised_on.isoformat()}")
    return " ".join(p for p in parts if p)


CORRECTION_LINK_SECONDS = 1.0
"""How far apart a tombstone and the version that replaced it may be stamped (the two are
written with the same instant; a store that rounds it keeps them within this)."""


def breach_history(
    session: Session, actor: Actor, person_id: uuid.UUID
) -> dict[uuid.UUID, list[Breach]]:
    """For each live breach of the person, the decisions it corrected, newest first.

    Each older version is a tombstoned row of the same breach (kind, date), deleted at the
    instant the next version was created; its decision is the wrong one, the next version's
    author and ``created_at`` tell who corrected it and when.
    """
    _require_breach_reader(actor)
    rows = list(
        session.execute(
            select(Breach).where(Breach.person_id == person_id).order_by(Breach.created_at.desc())
        ).scalars()
    )
    tombs = [r for r in rows if r.deleted_at is not None and r.decision is not None]
    history: dict[uuid.UUID, list[Breach]] = {}
    used: set[uuid.UUID] = set()
    for live in (r for r in rows if r.deleted_at is None):
        chain: list[Breach] = []
        current = live
        while True:
            previous = next(
                (
                    t
                    for t in tombs
                    if t.id not in used
                    and t.kind == current.kind
                    and t.occurred_on == current.occurred_on
                    and t.deleted_at is not None
                    and abs((t.deleted_at - current.created_at).total_seconds())
                    <= CORRECTION_LINK_SECONDS
                ),
                None,
            )
            if previous is None:
                break
            used.add(previous.id)
            chain.append(previous)
            current = previous
        if chain:
            history[live.id] = chain
    return history


def breaches_of(session: Session, actor: Actor, person_id: uuid.UUID) -> list[Breach]:
    """The person's breaches, for the referent and the supervisor only. Their observations
    are read through :func:`reveal_breach`, which is audited."""
    _require_breach_reader(actor)
    return live_rows_of(
        session, Breach, person_id, Breach.occurred_on.desc(), Breach.created_at.desc()
    )


def reveal_breach(session: Session, actor: Actor, breach_id: uuid.UUID) -> str:
    _require_breach_reader(actor)
    breach = get_live(session, Breach, breach_id)
    audit(session, actor, AuditAction.REVEAL, breach.person_id, f"manquement {breach.id}")
    return breach.observations or ""


# -- the whole path, for a screen ------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    alert: str
    due_on: date | None
    days_left: int | None

    @property
    def late(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class PathView:
    decisions: list[OrientationDecision]
    requests: list[ReorientationRequest]
    contracts: list[EngagementContract]
    current: EngagementContract | None
    plan: list[Action]
    hours: PlanHours | None
    closing: ClosingReview | None
    facts: PathFacts
    deadlines: list[Deadline] = field(default_factory=list)


def person_path_facts(session: Session, person: Person) -> PathFacts:
    decisions = [
        DecisionFacts(d.decided_on, d.notified_on, d.track, d.review_obstacle, d.created_at)
        for d in orientation_history(session, person.id)
    ]
    contracts = []
    for c in contracts_of(session, person.id):
        hours = plan_hours(session, c)
        contracts.append(
            ContractFacts(
                contract_type=c.contract_type,
                version=c.version,
                state=c.state,
                signed_on=c.signed_on,
                ends_on=c.ends_on,
                weekly_floor_minutes=c.weekly_floor_minutes,
                planned_minutes_week=hours.planned_minutes,
                created_at=c.created_at,
            )
        )
    return path_facts(
        path_settings(),
        exited=person.follow_up_status == FollowUpStatus.EXITED.value,
        rights_opened_on=person.rights_opening_date,
        decisions=decisions,
        contracts=contracts,
    )


def path_view(session: Session, person_id: uuid.UUID, now: datetime) -> PathView:
    person = live_person(session, person_id)
    contracts = contracts_of(session, person.id)
    current = current_contract(session, person.id)
    facts = person_path_facts(session, person)
    settings = path_settings()
    today = paris_day(now)
    deadlines = []
    for alert in path_alerts(facts, settings, today):
        due = alert_due_on(facts, alert, settings)
        if alert == PathAlert.BELOW_FLOOR:
            due = None
        deadlines.append(Deadline(alert, due, (due - today).days if due else None))
    return PathView(
        decisions=orientation_history(session, person.id),
        requests=reorientation_requests(session, person.id),
        contracts=contracts,
        current=current,
        plan=plan_actions(session, current.id) if current else [],
        hours=plan_hours(session, current) if current else None,
        closing=closing_review_of(session, person.id),
        facts=facts,
        deadlines=deadlines,
    )


def deadline_text(deadline: Deadline) -> str:
    """« Contrat d'engagement à signer avant le 03/03/2026 (en retard de 4 jours) »."""
    label = get_referentials().label("path_alert", deadline.alert)
    if deadline.alert == PathAlert.BELOW_FLOOR or deadline.due_on is None:
        return label
    when = f"{deadline.due_on:%d/%m/%Y}"
    if deadline.days_left is None or deadline.days_left >= 0:
        left = deadline.days_left or 0
        suffix = "aujourd'hui" if left == 0 else f"dans {left} jour{'s' if left > 1 else ''}"
        return f"{label} avant le {when} ({suffix})"
    late = -deadline.days_left
    return f"{label} : échéance du {when} dépassée de {late} jour{'s' if late > 1 else ''}"
