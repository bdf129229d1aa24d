"""The *journal de bord*: everything that happened to a person, in time order."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.models import (
    Action,
    Appointment,
    Barrier,
    Breach,
    ClosingReview,
    EngagementContract,
    Note,
    OrientationDecision,
    Referent,
    ReferentAssignment,
    ReorientationRequest,
)


class EntryKind:
    APPOINTMENT = "appointment"
    BARRIER_OPENED = "barrier_opened"
    BARRIER_CLOSED = "barrier_closed"
    ACTION_STARTED = "action_started"
    ACTION_ENDED = "action_ended"
    NOTE = "note"
    HANDOVER = "handover"
    ORIENTATION = "orientation"
    CONTRACT = "contract"
    CLOSING = "closing"
    BREACH = "breach"


ALL_KINDS = frozenset(value for name, value in vars(EntryKind).items() if not name.startswith("_"))


@dataclass(frozen=True)
class AppointmentFact:
    purpose: str  # appointment_purpose code
    mode: str  # appointment_mode code
    requested_by: str | None  # who asked for the last move (code), None if never moved
    summary: str  # typed by the referent


@dataclass(frozen=True)
class BarrierFact:
    theme: str  # theme code
    target_code: str | None  # target code, or None for a typed target
    target_text: str  # the typed target ("" when a code is given)
    status: str  # barrier_status code


@dataclass(frozen=True)
class ActionFact:
    action_code: str | None  # action code, or None for a typed action
    custom_label: str  # the typed action ("" when a code is given)
    partner: str
    due_date: date | None
    status: str  # action_status code
    outcome: str


@dataclass(frozen=True)
class NoteFact:
    note_kind: str  # note_kind code
    text: str  # "" for a sensitive note


@dataclass(frozen=True)
class HandoverFact:
    first_name: str  # the referent who took the file
    last_name: str
    note: str


@dataclass(frozen=True)
class OrientationFact:
    track: str  # orientation code
    structure_name: str
    notified_on: date | None


@dataclass(frozen=True)
class ReorientationFact:
    track: str  # requested orientation code
    status: str  # reorientation_status code
    reason: str


@dataclass(frozen=True)
class ContractFact:
    contract_type: str  # contract_type code
    version: int
    state: str  # contract_state code
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class ClosingFact:
    exit_reason: str  # exit_reason code
    outcome: str


@dataclass(frozen=True)
class BreachFact:
    breach_kind: str  # breach_kind code


Fact = (
    AppointmentFact
    | BarrierFact
    | ActionFact
    | NoteFact
    | HandoverFact
    | OrientationFact
    | ReorientationFact
    | ContractFact
    | ClosingFact
    | BreachFact
)


@dataclass(frozen=True)
class TimelineEntry:
    """One entry of the journal: what happened (``kind``, the filter's group, and ``fact``,
    its codes, dates and names), never a sentence: the screens word it in their language
    (``ui/texts/journal.py``)."""

    at: datetime
    kind: str
    row_id: uuid.UUID
    fact: Fact
    status: str | None = None
    sensitive: bool = False
    superseded: bool = False


def _day(value: date) -> datetime:
    """Date-only events are placed at noon UTC so they sort sensibly within the day."""
    return datetime.combine(value, time(12, 0), tzinfo=UTC)


def timeline(
    session: Session, person_id: uuid.UUID, *, kinds: frozenset[str] | None = None
) -> list[TimelineEntry]:
    """All journal entries of one person, newest first. Sensitive note texts are not included."""
    kinds = kinds or ALL_KINDS
    entries: list[TimelineEntry] = []

    if EntryKind.APPOINTMENT in kinds:
        for appointment in session.execute(
            select(Appointment).where(
                Appointment.person_id == person_id, Appointment.deleted_at.is_(None)
            )
        ).scalars():
            entries.append(
                TimelineEntry(
                    at=appointment.starts_at,
                    kind=EntryKind.APPOINTMENT,
                    row_id=appointment.id,
                    fact=AppointmentFact(
                        purpose=appointment.purpose,
                        mode=appointment.mode,
                        requested_by=appointment.requested_by,
                        summary=appointment.summary or "",
                    ),
                    status=appointment.status,
                )
            )

    if kinds & {EntryKind.BARRIER_OPENED, EntryKind.BARRIER_CLOSED}:
        for barrier in session.execute(
            select(Barrier).where(Barrier.person_id == person_id, Barrier.deleted_at.is_(None))
        ).scalars():
            fact = BarrierFact(
                theme=barrier.theme,
                target_code=barrier.target_code or None,
                target_text="" if barrier.target_code else barrier.target_text or "",
                status=barrier.status,
            )
            if EntryKind.BARRIER_OPENED in kinds:
                entries.append(
                    TimelineEntry(
                        at=_day(barrier.identified_on),
                        kind=EntryKind.BARRIER_OPENED,
                        row_id=barrier.id,
                        fact=fact,
                        status=barrier.status,
                    )
                )
            if EntryKind.BARRIER_CLOSED in kinds and barrier.closed_on is not None:
                entries.append(
                    TimelineEntry(
                        at=_day(barrier.closed_on),
                        kind=EntryKind.BARRIER_CLOSED,
                        row_id=barrier.id,
                        fact=fact,
                        status=barrier.status,
                    )
                )

    if kinds & {EntryKind.ACTION_STARTED, EntryKind.ACTION_ENDED}:
        for action in session.execute(
            select(Action).where(Action.person_id == person_id, Action.deleted_at.is_(None))
        ).scalars():
            action_fact = ActionFact(
                action_code=action.action_code or None,
                custom_label="" if action.action_code else action.custom_label or "",
                partner=action.partner or "",
                due_date=action.due_date,
                status=action.status,
                outcome=action.outcome or "",
            )
            if EntryKind.ACTION_STARTED in kinds and action.start_date is not None:
                entries.append(
                    TimelineEntry(
                        at=_day(action.start_date),
                        kind=EntryKind.ACTION_STARTED,
                        row_id=action.id,
                        fact=action_fact,
                        status=action.status,
                    )
                )
            if EntryKind.ACTION_ENDED in kinds and action.end_date is not None:
                entries.append(
                    TimelineEntry(
                        at=_day(action.end_date),
                        kind=EntryKind.ACTION_ENDED,
                        row_id=action.id,
                        fact=action_fact,
                        status=action.status,
                    )
                )

    if EntryKind.NOTE in kinds:
        notes = list(
            session.execute(
                select(Note).where(Note.person_id == person_id, Note.deleted_at.is_(None))
            ).scalars()
        )
        replaced = {note.supersedes_id for note in notes if note.supersedes_id}
        for note in notes:
            entries.append(
                TimelineEntry(
                    at=note.written_at,
                    kind=EntryKind.NOTE,
                    row_id=note.id,
                    fact=NoteFact(note_kind=note.kind, text="" if note.sensitive else note.text),
                    sensitive=note.sensitive,
                    superseded=note.id in replaced,
                )
            )

    if EntryKind.HANDOVER in kinds:
        for assignment, first_name, last_name in session.execute(
            select(ReferentAssignment, Referent.first_name, Referent.last_name)
            .join(Referent, Referent.id == ReferentAssignment.referent_id)
            .where(
                ReferentAssignment.person_id == person_id,
                ReferentAssignment.deleted_at.is_(None),
            )
        ):
            entries.append(
                TimelineEntry(
                    at=assignment.started_at,
                    kind=EntryKind.HANDOVER,
                    row_id=assignment.id,
                    fact=HandoverFact(
                        first_name=first_name,
                        last_name=last_name,
                        note=assignment.handover_note or "",
                    ),
                )
            )

    if kinds & {EntryKind.ORIENTATION, EntryKind.CONTRACT, EntryKind.CLOSING, EntryKind.BREACH}:
        entries.extend(_path_entries(session, person_id, kinds))

    entries.sort(key=lambda entry: (entry.at, entry.kind), reverse=True)
    return entries


def _live(model, person_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return select(model).where(model.person_id == person_id, model.deleted_at.is_(None))


def _path_entries(
    session: Session, person_id: uuid.UUID, kinds: frozenset[str]
) -> list[TimelineEntry]:
    """Orientation decisions and requests, contract versions, closing review, breaches."""
    out: list[TimelineEntry] = []
    if EntryKind.ORIENTATION in kinds:
        for decision in session.execute(_live(OrientationDecision, person_id)).scalars():
            out.append(
                TimelineEntry(
                    at=_day(decision.decided_on),
                    kind=EntryKind.ORIENTATION,
                    row_id=decision.id,
                    fact=OrientationFact(
                        track=decision.track,
                        structure_name=decision.structure_name or "",
                        notified_on=decision.notified_on,
                    ),
                )
            )
        for request in session.execute(_live(ReorientationRequest, person_id)).scalars():
            out.append(
                TimelineEntry(
                    at=_day(request.requested_on),
                    kind=EntryKind.ORIENTATION,
                    row_id=request.id,
                    fact=ReorientationFact(
                        track=request.requested_track,
                        status=request.status,
                        reason=request.reason,
                    ),
                    status=request.status,
                )
            )
    if EntryKind.CONTRACT in kinds:
        for contract in session.execute(_live(EngagementContract, person_id)).scalars():
            when = contract.signed_on or contract.starts_on
            out.append(
                TimelineEntry(
                    at=_day(when) if when else contract.created_at,
                    kind=EntryKind.CONTRACT,
                    row_id=contract.id,
                    fact=ContractFact(
                        contract_type=contract.contract_type,
                        version=contract.version,
                        state=contract.state,
                        starts_on=contract.starts_on,
                        ends_on=contract.ends_on,
                    ),
                    status=contract.state,
                )
            )
    if EntryKind.CLOSING in kinds:
        for review in session.execute(_live(ClosingReview, person_id)).scalars():
            out.append(
                TimelineEntry(
                    at=_day(review.closed_on),
                    kind=EntryKind.CLOSING,
                    row_id=review.id,
                    fact=ClosingFact(exit_reason=review.exit_reason, outcome=review.outcome),
                )
            )
    if EntryKind.BREACH in kinds:
        for breach in session.execute(_live(Breach, person_id)).scalars():
            out.append(
                TimelineEntry(
                    at=_day(breach.occurred_on),
                    kind=EntryKind.BREACH,
                    row_id=breach.id,
                    fact=BreachFact(breach_kind=breach.kind),
                    sensitive=True,
                )
            )
    return out
