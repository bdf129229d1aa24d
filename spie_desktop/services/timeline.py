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
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.services.appointments import moved_detail
from spie_desktop.services.barriers import action_label


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
class TimelineEntry:
    at: datetime
    kind: str
    row_id: uuid.UUID
    title: str
    detail: str
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
    referentials = get_referentials()
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
                    title="Rendez-vous — "
                    + referentials.label("appointment_purpose", appointment.purpose),
                    detail=" · ".join(
                        part
                        for part in (
                            referentials.label("appointment_mode", appointment.mode),
                            moved_detail(appointment.requested_by),
                            appointment.summary or "",
                        )
                        if part
                    ),
                    status=appointment.status,
                )
            )

    if kinds & {EntryKind.BARRIER_OPENED, EntryKind.BARRIER_CLOSED}:
        for barrier in session.execute(
            select(Barrier).where(Barrier.person_id == person_id, Barrier.deleted_at.is_(None))
        ).scalars():
            theme = referentials.label("theme", barrier.theme)
            target = (
                referentials.label("target", barrier.target_code)
                if barrier.target_code
                else barrier.target_text or ""
            )
            if EntryKind.BARRIER_OPENED in kinds:
                entries.append(
                    TimelineEntry(
                        at=_day(barrier.identified_on),
                        kind=EntryKind.BARRIER_OPENED,
                        row_id=barrier.id,
                        title=f"Frein identifié — {theme}",
                        detail=target,
                        status=barrier.status,
                    )
                )
            if EntryKind.BARRIER_CLOSED in kinds and barrier.closed_on is not None:
                outcome = referentials.label("barrier_status", barrier.status).lower()
                entries.append(
                    TimelineEntry(
                        at=_day(barrier.closed_on),
                        kind=EntryKind.BARRIER_CLOSED,
                        row_id=barrier.id,
                        title=f"Frein {outcome} — {theme}",
                        detail=target,
                        status=barrier.status,
                    )
                )

    if kinds & {EntryKind.ACTION_STARTED, EntryKind.ACTION_ENDED}:
        for action in session.execute(
            select(Action).where(Action.person_id == person_id, Action.deleted_at.is_(None))
        ).scalars():
            label = action_label(action)
            partner = f" · {action.partner}" if action.partner else ""
            if EntryKind.ACTION_STARTED in kinds and action.start_date is not None:
                due = f" · échéance {action.due_date:%d/%m/%Y}" if action.due_date else ""
                entries.append(
                    TimelineEntry(
                        at=_day(action.start_date),
                        kind=EntryKind.ACTION_STARTED,
                        row_id=action.id,
                        title=f"Action — {label}",
                        detail=f"{partner.lstrip(' ·')}{due}".strip(" ·"),
                        status=action.status,
                    )
                )
            if EntryKind.ACTION_ENDED in kinds and action.end_date is not None:
                entries.append(
                    TimelineEntry(
                        at=_day(action.end_date),
                        kind=EntryKind.ACTION_ENDED,
                        row_id=action.id,
                        title="Action "
                        + referentials.label("action_status", action.status).lower()
                        + f" — {label}",
                        detail=action.outcome or "",
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
                    title="Note — " + referentials.label("note_kind", note.kind),
                    detail="" if note.sensitive else note.text,
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
                    title=f"Référent : {first_name} {last_name}",
                    detail=assignment.handover_note or "",
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
    referentials = get_referentials()
    out: list[TimelineEntry] = []
    if EntryKind.ORIENTATION in kinds:
        for decision in session.execute(_live(OrientationDecision, person_id)).scalars():
            track = referentials.label("orientation", decision.track)
            notified = (
                f"notifiée le {decision.notified_on:%d/%m/%Y}" if decision.notified_on else ""
            )
            out.append(
                TimelineEntry(
                    at=_day(decision.decided_on),
                    kind=EntryKind.ORIENTATION,
                    row_id=decision.id,
                    title=f"Orientation — {track}",
                    detail=" · ".join(
                        part for part in (decision.structure_name or "", notified) if part
                    ),
                )
            )
        for request in session.execute(_live(ReorientationRequest, person_id)).scalars():
            track = referentials.label("orientation", request.requested_track)
            status = referentials.label("reorientation_status", request.status)
            out.append(
                TimelineEntry(
                    at=_day(request.requested_on),
                    kind=EntryKind.ORIENTATION,
                    row_id=request.id,
                    title=f"Demande de réorientation — {track}",
                    detail=f"{status} · {request.reason}",
                    status=request.status,
                )
            )
    if EntryKind.CONTRACT in kinds:
        for contract in session.execute(_live(EngagementContract, person_id)).scalars():
            kind = referentials.label("contract_type", contract.contract_type)
            state = referentials.label("contract_state", contract.state)
            when = contract.signed_on or contract.starts_on
            at = _day(when) if when else contract.created_at
            period = ""
            if contract.starts_on and contract.ends_on:
                period = f"du {contract.starts_on:%d/%m/%Y} au {contract.ends_on:%d/%m/%Y}"
            out.append(
                TimelineEntry(
                    at=at,
                    kind=EntryKind.CONTRACT,
                    row_id=contract.id,
                    title=f"{kind} — version {contract.version} ({state.lower()})",
                    detail=period,
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
                    title="Fin d'accompagnement — "
                    + referentials.label("exit_reason", review.exit_reason),
                    detail=review.outcome,
                )
            )
    if EntryKind.BREACH in kinds:
        for breach in session.execute(_live(Breach, person_id)).scalars():
            out.append(
                TimelineEntry(
                    at=_day(breach.occurred_on),
                    kind=EntryKind.BREACH,
                    row_id=breach.id,
                    title="Manquement — " + referentials.label("breach_kind", breach.kind),
                    detail="",
                    sensitive=True,
                )
            )
    return out
