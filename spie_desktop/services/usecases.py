"""The write use-cases: each opens, commits and describes its own transaction.

Call them with the store: ``usecases.write_note(store, actor, person_id, text)`` returns an
:class:`~spie_desktop.services.operation.Outcome` whose ``value`` is the use-case's own
result and whose ``changes`` are what the change recorder saw (see
:mod:`spie_desktop.services.operation`). The desktop app runs them on its writer thread
(:mod:`ui.workers`), the command line directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from spie_desktop.domain.enums import ActionStatus, BarrierStatus, NoteKind
from spie_desktop.services import appointments, barriers, exports, handover, notes, path, persons
from spie_desktop.services.operation import ALL_CHANGED, Outcome, write_use_case
from spie_desktop.services.read_models import PersonFile, load_person_file
from spie_desktop.store.store import Actor, Store

if TYPE_CHECKING:  # imported when a document is made: the renderers are heavy
    from spie_desktop.documents.department import DepartmentSettings
    from spie_desktop.services.csv_exports import AuditLine
    from spie_desktop.services.documents import RenderedDocument

# -- persons ------------------------------------------------------------------------------


@write_use_case
def create_person(
    session: Session,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    referent_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """A new person in the caseload; returns the person's id."""
    return persons.create_person(session, actor, values, referent_id=referent_id).id


@write_use_case
def update_person(
    session: Session, actor: Actor, person_id: uuid.UUID, values: Mapping[str, Any]
) -> None:
    """Change identity fields (validated; an unknown field is refused)."""
    persons.update_person(session, actor, person_id, values)


@write_use_case
def open_person_file(
    session: Session, actor: Actor, person_id: uuid.UUID, now: datetime
) -> PersonFile:
    """Everything the person's file shows; the opening is written to the audit log."""
    return load_person_file(session, person_id, now, actor=actor)


@write_use_case
def request_handovers(
    session: Session,
    actor: Actor,
    plan: Sequence[tuple[uuid.UUID, uuid.UUID]],
    note: str | None,
) -> uuid.UUID:
    """Queue handover requests (person → new referent, one note) for the server to decide
    at the next sync; returns the batch id. Nothing of the persons changes until then."""
    return handover.request_handovers(session, actor, plan, note)


@write_use_case
def export_person(session: Session, actor: Actor, person_id: uuid.UUID) -> dict[str, Any]:
    """GDPR right of access: every row about the person, the export audited in the same
    transaction (the document is returned only once the audit event is committed)."""
    return exports.export_person(session, actor, person_id)


# -- notes ----------------------------------------------------------------------------------


@write_use_case
def write_note(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    text: str,
    *,
    kind: str = NoteKind.FOLLOW_UP.value,
    sensitive: bool = False,
) -> uuid.UUID:
    """A new journal note; returns its id."""
    return notes.write_note(session, actor, person_id, text, kind=kind, sensitive=sensitive).id


@write_use_case
def supersede_note(
    session: Session, actor: Actor, note_id: uuid.UUID, text: str, *, sensitive: bool | None = None
) -> uuid.UUID:
    """A note that replaces another (notes are append-only); returns the new note's id."""
    return notes.supersede_note(session, actor, note_id, text, sensitive=sensitive).id


@write_use_case
def reveal_note(session: Session, actor: Actor, note_id: uuid.UUID) -> str:
    """A sensitive note's text; the reading is written to the audit log."""
    return notes.reveal_note(session, actor, note_id)


# -- appointments ---------------------------------------------------------------------------


@write_use_case
def schedule_appointment(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    *,
    starts_at: datetime,
    mode: str,
    purpose: str,
    duration_minutes: int = 45,
    place: str | None = None,
) -> uuid.UUID:
    """Plan an appointment; returns its id."""
    return appointments.schedule_appointment(
        session,
        actor,
        person_id,
        starts_at=starts_at,
        mode=mode,
        purpose=purpose,
        duration_minutes=duration_minutes,
        place=place,
    ).id


@write_use_case
def move_appointment(
    session: Session,
    actor: Actor,
    appointment_id: uuid.UUID,
    *,
    starts_at: datetime,
    duration_minutes: int | None = None,
    mode: str | None = None,
    place: str | None = None,
    requested_by: str | None = None,
) -> uuid.UUID:
    """Move a planned appointment; returns the id of the appointment now planned.
    ``requested_by`` (« person » or « service ») is recorded in the audit trail."""
    return appointments.move_appointment(
        session,
        actor,
        appointment_id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place,
        requested_by=requested_by,
    ).id


@write_use_case
def record_outcome(
    session: Session,
    actor: Actor,
    appointment_id: uuid.UUID,
    status: str,
    *,
    summary: str | None = None,
    next_steps: str | None = None,
    plan_next_at: datetime | None = None,
) -> uuid.UUID | None:
    """What happened at an appointment (and, optionally, the next one planned at
    ``plan_next_at``); returns the next appointment's id, if one was planned."""
    if plan_next_at is None:
        appointments.set_status(
            session, actor, appointment_id, status, summary=summary, next_steps=next_steps
        )
        return None
    _done, following = appointments.record_outcome(
        session,
        actor,
        appointment_id,
        status,
        summary=summary,
        next_steps=next_steps,
        plan_next_at=plan_next_at,
    )
    return following.id if following else None


# -- barriers and actions -----------------------------------------------------------------


@write_use_case
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
    status: str = BarrierStatus.IDENTIFIED.value,
    comment: str | None = None,
) -> uuid.UUID:
    """A barrier to employment identified with the person; returns its id."""
    return barriers.open_barrier(
        session,
        actor,
        person_id,
        theme=theme,
        situations=situations,
        target_code=target_code,
        target_text=target_text,
        severity=severity,
        status=status,
        comment=comment,
    ).id


@write_use_case
def update_barrier_status(
    session: Session, actor: Actor, barrier_id: uuid.UUID, *, status: str, comment: str | None
) -> None:
    """Change a barrier's status and comment (lifting or abandoning it closes it)."""
    barriers.update_barrier(session, actor, barrier_id, status=status, comment=comment)


@write_use_case
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
    status: str = ActionStatus.PLANNED.value,
    partner_service_id: str | None = None,
) -> uuid.UUID:
    """An action to lift a barrier (standard or typed freely); returns its id. Its partner
    may be a directory service (``partner_service_id``; ``partner`` is then its name)."""
    return barriers.add_action(
        session,
        actor,
        person_id,
        barrier_id=barrier_id,
        action_code=action_code,
        custom_label=custom_label,
        partner=partner,
        due_date=due_date,
        status=status,
        partner_service_id=partner_service_id,
    ).id


@write_use_case
def follow_action(
    session: Session,
    actor: Actor,
    action_id: uuid.UUID,
    *,
    status: str,
    due_date: date | None,
    partner: str | None,
    outcome: str | None,
    partner_service_id: str | object | None = barriers._UNSET,
) -> None:
    """An action's follow-up: status, due date, partner, outcome (and the directory service
    of the partner, when given: None unlinks it)."""
    barriers.update_action(
        session,
        actor,
        action_id,
        status=status,
        due_date=due_date,
        partner=partner,
        outcome=outcome,
        partner_service_id=partner_service_id,
    )


# -- the accompaniment path (orientation, contract, closing, breaches) ---------------------


@write_use_case
def record_orientation(
    session: Session, /, actor: Actor, person_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    """An orientation decision (track, date, review); returns its id."""
    return path.record_orientation(session, actor, person_id, **values).id


@write_use_case
def request_reorientation(
    session: Session, /, actor: Actor, person_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    """A request for another track, with its reason; returns its id."""
    return path.request_reorientation(session, actor, person_id, **values).id


@write_use_case
def answer_reorientation(
    session: Session, /, actor: Actor, request_id: uuid.UUID, **values: Any
) -> uuid.UUID | None:
    """The decision on a reorientation request; returns the new orientation decision's id
    when accepted (None when refused)."""
    return path.answer_reorientation(session, actor, request_id, **values).decision_id


@write_use_case
def notify_orientation(
    session: Session, /, actor: Actor, decision_id: uuid.UUID, notified_on: date
) -> None:
    """When the person was notified of an orientation decision (the contract's month)."""
    path.notify_orientation(session, actor, decision_id, notified_on)


@write_use_case
def draft_contract(
    session: Session, /, actor: Actor, person_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    """A new contrat d'engagement (draft); returns its id."""
    return path.draft_contract(session, actor, person_id, **values).id


@write_use_case
def renew_contract(
    session: Session, /, actor: Actor, contract_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    """A new version of a signed contract; returns the new version's id."""
    return path.renew_contract(session, actor, contract_id, **values).id


@write_use_case
def sign_contract(session: Session, /, actor: Actor, contract_id: uuid.UUID, **values: Any) -> None:
    path.sign_contract(session, actor, contract_id, **values)


@write_use_case
def end_contract(session: Session, /, actor: Actor, contract_id: uuid.UUID, **values: Any) -> None:
    """End the contract in force (its version stays in the history as « Terminé »)."""
    path.end_contract(session, actor, contract_id, **values)


@write_use_case
def add_plan_action(
    session: Session, /, actor: Actor, contract_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    """An action of the contract's plan with its planned hours; returns its id."""
    return path.add_plan_action(session, actor, contract_id, **values).id


@write_use_case
def set_action_hours(
    session: Session, /, actor: Actor, action_id: uuid.UUID, **values: Any
) -> None:
    path.set_action_hours(session, actor, action_id, **values)


@write_use_case
def record_closing_review(
    session: Session, /, actor: Actor, person_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    return path.record_closing_review(session, actor, person_id, **values).id


@write_use_case
def record_breach(
    session: Session, /, actor: Actor, person_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    return path.record_breach(session, actor, person_id, **values).id


@write_use_case
def decide_breach(session: Session, /, actor: Actor, breach_id: uuid.UUID, **values: Any) -> None:
    """The department's decision on a breach (percentage, duration, remobilisation)."""
    path.decide_breach(session, actor, breach_id, **values)


@write_use_case
def correct_breach_decision(
    session: Session, /, actor: Actor, breach_id: uuid.UUID, **values: Any
) -> uuid.UUID:
    """A mistyped decision on a breach corrected; the wrong one stays visible as corrected."""
    return path.correct_breach_decision(session, actor, breach_id, **values).id


@write_use_case
def reveal_breach(session: Session, actor: Actor, breach_id: uuid.UUID) -> str:
    """The person's observations on a breach; the reading is written to the audit log."""
    return path.reveal_breach(session, actor, breach_id)


# -- documents (audited in the same transaction; written to a file only after the commit) --


@write_use_case
def print_access_file(
    session: Session, actor: Actor, person_id: uuid.UUID, department: DepartmentSettings
) -> RenderedDocument:
    """The person's right-of-access file (PDF), its printing audited."""
    from spie_desktop.services import documents

    return documents.access_file(session, actor, person_id, department)


@write_use_case
def export_access_json(session: Session, actor: Actor, person_id: uuid.UUID) -> RenderedDocument:
    """Every synced row about the person as JSON (right of access), the export audited."""
    from spie_desktop.services import documents

    return documents.access_json(session, actor, person_id)


@write_use_case
def print_contract(
    session: Session, actor: Actor, person_id: uuid.UUID, department: DepartmentSettings
) -> RenderedDocument:
    """The person's contrat d'engagement (PDF), audited."""
    from spie_desktop.services import documents

    return documents.contract(session, actor, person_id, department)


@write_use_case
def request_erasure(session: Session, actor: Actor, person_id: uuid.UUID, reason: str) -> None:
    """Record a request to erase the person's file (an administrator decides later)."""
    from spie_desktop.services import rgpd

    rgpd.request_erasure(session, actor, person_id, reason)


@write_use_case
def print_partner_sheet(
    session: Session,
    actor: Actor,
    service_id: str,
    department: DepartmentSettings,
    person_id: uuid.UUID | None = None,
) -> RenderedDocument:
    """The sheet of a directory service (PDF) for a person, audited (issue 16)."""
    from spie_desktop.services import partner_sheet

    return partner_sheet.partner_sheet(session, actor, service_id, department, person_id=person_id)


@write_use_case
def print_convocation(
    session: Session, actor: Actor, appointment_id: uuid.UUID, department: DepartmentSettings
) -> RenderedDocument:
    """The convocation letter for a planned appointment (PDF), audited."""
    from spie_desktop.services import documents

    return documents.convocation(session, actor, appointment_id, department)


@write_use_case
def print_visit_summary(
    session: Session, actor: Actor, appointment_id: uuid.UUID, department: DepartmentSettings
) -> RenderedDocument:
    """The report of one appointment (PDF), audited."""
    from spie_desktop.services import documents

    return documents.visit_summary(session, actor, appointment_id, department)


@write_use_case
def export_invitation(
    session: Session, actor: Actor, appointment_id: uuid.UUID
) -> RenderedDocument:
    """One appointment as a calendar for the person (.ics), audited."""
    from spie_desktop.services import documents

    return documents.appointment_invitation(session, actor, appointment_id)


@write_use_case
def export_agenda(
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    *,
    referent_id: uuid.UUID | None = None,
) -> RenderedDocument:
    """The agenda from ``start`` to ``end`` (.ics); each person in it gets an audit line."""
    from spie_desktop.services import documents

    return documents.agenda_calendar(session, actor, start, end, referent_id=referent_id)


# -- demo data ----------------------------------------------------------------------------

DEMO_PERSONS = 150


def load_local_demo(
    store: Store,
    progress: Callable[[int, int], None] | None = None,
    *,
    persons: int = DEMO_PERSONS,
    referents: int = 1,
) -> Outcome[int]:
    """Fill an empty store with the demo caseload, acting as ``demo.referent``; the value
    is the number of persons. ``progress(done, total)`` is called after each batch.

    Many transactions (one per batch, so that progress shows): everything changed.
    """
    from spie_desktop.demo import DemoSpec, estimated_rows, load_into_store

    spec = DemoSpec(referents=referents, persons_per_referent=persons)
    total = max(int(estimated_rows(spec)), 1)

    def report(done: int) -> None:
        if progress is not None:
            progress(min(done, total), total)

    counts = load_into_store(store, spec, progress=report)
    with store.write() as session:
        store.set_state(session, "demo", "local")
    return Outcome(int(counts.get("person", 0)), ALL_CHANGED)


@write_use_case
def export_csv(
    session: Session, actor: Actor, kind: str, now: datetime, *, days: int | None = None
) -> RenderedDocument:
    """A reporting export (``persons``, ``appointments``, ``actions``, ``dashboard``) as CSV;
    each person in it gets an audit line (the dashboard's figures: one line)."""
    from spie_desktop.services import csv_exports

    return csv_exports.export_csv(session, actor, kind, now, days=days)


@write_use_case
def export_audit_log(
    session: Session,
    actor: Actor,
    lines: Sequence[AuditLine],
    now: datetime,
    filters: str,
) -> RenderedDocument:
    """The team's audit log lines (fetched from the server) as CSV; the export audited."""
    from spie_desktop.services import csv_exports

    return csv_exports.audit_log_csv(session, actor, lines, now, filters)
