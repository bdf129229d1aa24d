"""Handover (*passation*): who follows a person, with no gap and no overlap."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from spie_desktop.domain.enums import AuditAction, FollowUpStatus, NoteKind, Role
from spie_desktop.domain.models import Note, Person, Referent, ReferentAssignment, person_name
from spie_desktop.errors import ReadOnlyError, ValidationError
from spie_desktop.ids import new_id
from spie_desktop.services.common import (
    audit,
    clean_text,
    get_live,
    live_person,
    require_writer,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.local_models import HandoverRequestEntry, HandoverState
from spie_desktop.store.store import Actor


def active_assignment(session: Session, person_id: uuid.UUID) -> ReferentAssignment | None:
    return session.execute(
        select(ReferentAssignment).where(
            ReferentAssignment.person_id == person_id,
            ReferentAssignment.ended_at.is_(None),
            ReferentAssignment.deleted_at.is_(None),
        )
    ).scalar_one_or_none()


def hand_over(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    new_referent_id: uuid.UUID,
    *,
    note: str | None = None,
) -> ReferentAssignment:
    """End the current assignment and start the new one in one transaction.

    The handover note is also written to the journal, so that the new referent reads it
    first in the person's timeline.
    """
    require_writer(actor)
    person = live_person(session, person_id)
    referent = get_live(session, Referent, new_referent_id)
    if not referent.active:
        raise ValidationError("Ce référent n'est plus actif.", field="referent_id")
    handover_note = clean_text(note, field="note", max_length=20_000)
    now = utcnow()
    current = active_assignment(session, person.id)
    if current is not None:
        if current.referent_id == new_referent_id:
            raise ValidationError(
                "Cette personne est déjà suivie par ce référent.",
                field="referent_id",
                code="same_referent",
            )
        current.ended_at = now
        session.flush()
    assignment = ReferentAssignment(
        person_id=person.id,
        referent_id=new_referent_id,
        started_at=now,
        handover_note=handover_note,
        assigned_by_id=actor.referent_id,
    )
    session.add(assignment)
    person.referent_id = new_referent_id
    person.team_id = referent.team_id
    if handover_note:
        session.add(
            Note(
                person_id=person.id,
                author_id=actor.referent_id,
                written_at=now,
                kind=NoteKind.HANDOVER.value,
                text=handover_note,
                sensitive=False,
            )
        )
    audit(session, actor, AuditAction.CHANGE, person.id, f"passation vers {referent.username}")
    return assignment


# -- handover requests (decided by the server) ---------------------------------------------
#
# On a device, a handover is *asked*: the request is queued durably in the store
# (``handover_request``, device-only), sent by the sync engine to ``POST /sync/handover``
# with its request id, and decided by the server under its rules (``sync/server/handover.py``).
# Nothing of the person changes on the device until the decision comes back by pull.


@dataclass(frozen=True)
class TargetLoad:
    """A referent who may receive persons, with the size of her current caseload."""

    referent_id: uuid.UUID
    name: str
    team_id: uuid.UUID | None
    caseload: int


@dataclass(frozen=True)
class PlannedHandover:
    person_id: uuid.UUID
    person_name: str
    from_referent_id: uuid.UUID | None
    to_referent_id: uuid.UUID


@dataclass(frozen=True)
class HandoverRequestView:
    request_id: uuid.UUID
    batch_id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    from_name: str
    to_name: str
    note: str | None
    created_at: datetime
    state: str
    error_code: str | None
    error_message: str | None


@dataclass(frozen=True)
class UnassignedPerson:
    """A person nobody active follows: never assigned (an import), or whose referent's
    account was closed."""

    person_id: uuid.UUID
    name: str
    referent_id: uuid.UUID | None
    referent_name: str | None
    reason: str  # "none" or "inactive"
    pending: bool  # a handover request is already waiting for the server
    waiting_since: datetime  # entered the queue: created (imported), or account closed


def _caseloads(session: Session) -> dict[uuid.UUID, int]:
    rows = session.execute(
        select(Person.referent_id, func.count())
        .where(
            Person.deleted_at.is_(None),
            Person.follow_up_status != FollowUpStatus.EXITED.value,
            Person.referent_id.is_not(None),
        )
        .group_by(Person.referent_id)
    ).all()
    return {referent_id: int(count) for referent_id, count in rows if referent_id is not None}


def handover_targets(
    session: Session, actor: Actor, person_ids: Sequence[uuid.UUID] = ()
) -> list[TargetLoad]:
    """Active referents who may receive the persons: those of the team(s) the persons'
    referents belong to (and the actor's own team), with their caseload sizes."""
    teams: set[uuid.UUID] = set()
    own = session.get(Referent, actor.referent_id) if actor.referent_id else None
    if own is not None and own.team_id is not None:
        teams.add(own.team_id)
    if person_ids:
        for team_id in session.execute(
            select(Referent.team_id)
            .join(Person, Person.referent_id == Referent.id)
            .where(Person.id.in_(list(person_ids)))
        ).scalars():
            if team_id is not None:
                teams.add(team_id)
        # persons nobody follows: the team the server recorded on them
        for team_id in session.execute(
            select(Person.team_id).where(
                Person.id.in_(list(person_ids)), Person.team_id.is_not(None)
            )
        ).scalars():
            if team_id is not None:
                teams.add(team_id)
    if actor.role == Role.REFERENT.value and own is not None:
        teams = {own.team_id} if own.team_id is not None else set()
    loads = _caseloads(session)
    referents = session.execute(
        select(Referent).where(
            Referent.deleted_at.is_(None),
            Referent.active.is_(True),
            Referent.role == Role.REFERENT.value,
            Referent.team_id.in_(teams),
        )
    ).scalars()
    result = [
        TargetLoad(r.id, r.display_name, r.team_id, loads.get(r.id, 0))
        for r in referents
        if r.id != actor.referent_id or actor.role != Role.REFERENT.value
    ]
    return sorted(result, key=lambda t: (t.name.casefold(), str(t.referent_id)))


def persons_followed_by(session: Session, referent_id: uuid.UUID) -> list[uuid.UUID]:
    """Every live person ``referent_id`` currently follows (a referent leaving), by name."""
    return list(
        session.execute(
            select(Person.id)
            .where(Person.referent_id == referent_id, Person.deleted_at.is_(None))
            .order_by(Person.last_name, Person.first_name, Person.id)
        ).scalars()
    )


def plan_split(
    session: Session, person_ids: Sequence[uuid.UUID], target_ids: Sequence[uuid.UUID]
) -> list[PlannedHandover]:
    """Share persons among referents by caseload size: each person, by name, goes to the
    referent whose caseload (with what this plan already gave her) is the smallest."""
    if not target_ids:
        raise ValidationError(
            "Choisissez au moins un référent qui reprendra les personnes.",
            field="referent_id",
            code="required",
        )
    loads = _caseloads(session)
    names = {
        r.id: r.display_name
        for r in session.execute(select(Referent).where(Referent.id.in_(list(target_ids))))
        .scalars()
        .all()
    }
    load = {t: loads.get(t, 0) for t in target_ids}
    persons = session.execute(
        select(Person)
        .where(Person.id.in_(list(person_ids)), Person.deleted_at.is_(None))
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).scalars()
    plan: list[PlannedHandover] = []
    for person in persons:
        candidates = [t for t in target_ids if t != person.referent_id]
        if not candidates:
            continue
        target = min(candidates, key=lambda t: (load[t], names.get(t, ""), str(t)))
        load[target] += 1
        plan.append(PlannedHandover(person.id, person.full_name, person.referent_id, target))
    return plan


def request_handovers(
    session: Session,
    actor: Actor,
    plan: Sequence[tuple[uuid.UUID, uuid.UUID]],
    note: str | None,
) -> uuid.UUID:
    """Queue handover requests (person → new referent) with one note; returns the batch id.

    Checked here as the server will check them (so that the user learns at once what would
    be refused), then decided by the server when the device is online."""
    if actor.role not in (Role.REFERENT.value, Role.SUPERVISOR.value, Role.ADMIN.value):
        raise ReadOnlyError("Votre rôle ne permet pas de confier des personnes.")
    if not plan:
        raise ValidationError("Aucune personne à confier.", field="person_id", code="required")
    handover_note = clean_text(note, field="note", max_length=20_000)
    if not handover_note:
        raise ValidationError(
            "Écrivez une note de passation : le nouveau référent la lira en premier.",
            field="note",
            code="required",
        )
    seen: set[uuid.UUID] = set()
    own = session.get(Referent, actor.referent_id) if actor.referent_id else None
    now = utcnow()
    batch_id = new_id()
    for person_id, target_id in plan:
        person = live_person(session, person_id)
        label = person.full_name
        if person_id in seen:
            raise ValidationError(
                f"{label} figure deux fois dans la passation.", field="person_id", code="duplicate"
            )
        seen.add(person_id)
        target = session.get(Referent, target_id)
        if (
            target is None
            or target.deleted_at is not None
            or not target.active
            or target.role != Role.REFERENT.value
        ):
            raise ValidationError(
                f"{label} : le nouveau référent doit être un référent actif.",
                field="referent_id",
                code="invalid_handover_target",
            )
        if person.referent_id == target_id:
            raise ValidationError(
                f"{label} est déjà suivie par {target.display_name}.",
                field="referent_id",
                code="same_referent",
            )
        if actor.role == Role.REFERENT.value:
            if person.referent_id != actor.referent_id:
                raise ValidationError(
                    f"{label} ne fait pas partie de votre portefeuille.",
                    field="person_id",
                    code="out_of_scope",
                )
            if own is None or own.team_id is None or target.team_id != own.team_id:
                raise ValidationError(
                    f"{label} : vous ne pouvez confier qu'à un référent de votre équipe.",
                    field="referent_id",
                    code="invalid_handover_target",
                )
        waiting = session.execute(
            select(HandoverRequestEntry.request_id).where(
                HandoverRequestEntry.person_id == person_id,
                HandoverRequestEntry.state == HandoverState.PENDING,
            )
        ).first()
        if waiting is not None:
            raise ValidationError(
                f"Une passation de {label} attend déjà la décision du serveur.",
                field="person_id",
                code="handover_pending",
            )
        session.add(
            HandoverRequestEntry(
                request_id=new_id(),
                batch_id=batch_id,
                person_id=person_id,
                from_referent_id=person.referent_id,
                to_referent_id=target_id,
                note=handover_note,
                created_at=now,
                state=HandoverState.PENDING,
                attempts=0,
            )
        )
    return batch_id


def _names(session: Session) -> dict[uuid.UUID, str]:
    return {r.id: r.display_name for r in session.execute(select(Referent)).scalars()}


def handover_requests(session: Session, *, limit: int = 500) -> list[HandoverRequestView]:
    """The handovers asked on this device, newest first, with the server's decision."""
    names = _names(session)
    rows = session.execute(
        select(HandoverRequestEntry, Person.last_name, Person.first_name)
        .outerjoin(Person, Person.id == HandoverRequestEntry.person_id)
        .order_by(HandoverRequestEntry.created_at.desc(), HandoverRequestEntry.request_id)
        .limit(limit)
    ).all()
    return [
        HandoverRequestView(
            request_id=entry.request_id,
            batch_id=entry.batch_id,
            person_id=entry.person_id,
            person_name=person_name(last, first) if last is not None else "—",
            from_name=names.get(entry.from_referent_id, "—") if entry.from_referent_id else "—",
            to_name=names.get(entry.to_referent_id, "—"),
            note=entry.note,
            created_at=entry.created_at,
            state=entry.state,
            error_code=entry.error_code,
            error_message=entry.error_message,
        )
        for entry, last, first in rows
    ]


def persons_without_referent(session: Session) -> list[UnassignedPerson]:
    """The queue a supervisor works through: live persons not exited whom no active
    referent follows, the longest waiting first (then by name)."""
    pending = set(
        session.execute(
            select(HandoverRequestEntry.person_id).where(
                HandoverRequestEntry.state == HandoverState.PENDING
            )
        ).scalars()
    )
    rows = session.execute(
        select(Person, Referent)
        .outerjoin(Referent, Referent.id == Person.referent_id)
        .where(
            Person.deleted_at.is_(None),
            Person.follow_up_status != FollowUpStatus.EXITED.value,
            or_(
                Person.referent_id.is_(None),
                Referent.id.is_(None),
                Referent.active.is_(False),
                Referent.deleted_at.is_not(None),
            ),
        )
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    queue = [
        UnassignedPerson(
            person_id=person.id,
            name=person.full_name,
            referent_id=person.referent_id,
            referent_name=referent.display_name if referent is not None else None,
            reason="none" if person.referent_id is None else "inactive",
            pending=person.id in pending,
            # Never assigned: since the file was created (the import). Account closed: since
            # the referent's row last changed (its closing), never before the file existed.
            waiting_since=(
                max(person.created_at, referent.updated_at)
                if referent is not None and referent.updated_at is not None
                else person.created_at
            ),
        )
        for person, referent in rows
    ]
    return sorted(queue, key=lambda p: p.waiting_since)  # stable: by name among equals
