"""The domain model, declared once for the device (SQLCipher), a small server (SQLite)
and a department's server (PostgreSQL).

``DomainBase`` holds the tables both sides share. Tables marked ``__synced__`` travel
through the sync protocol and may only be written through the change recorder
(``spie_desktop.store.changes``), which appends every write to the outbox.
Device-only tables (outbox, device state, caseload summaries) live in
``spie_desktop.store.local_models`` on their own metadata.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from spie_desktop.domain.enums import (
    ActionStatus,
    AppointmentMode,
    AppointmentPurpose,
    AppointmentStatus,
    AuditAction,
    BarrierStatus,
    ClosureReason,
    ContractState,
    ContractType,
    ErasureStatus,
    FollowUpStatus,
    Household,
    NoteKind,
    Orientation,
    ReorientationStatus,
    Role,
    RsaStatus,
    Title,
)
from spie_desktop.domain.types import UTCDateTime
from spie_desktop.ids import new_id

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Field size limits: a referent's note can be long, but nothing is unbounded.
NAME_MAX = 100
SHORT_TEXT_MAX = 255
LONG_TEXT_MAX = 20_000


def person_name(last_name: str, first_name: str) -> str:
    """How a person is named everywhere (lists, agenda, CLI): « DUPONT Marie »."""
    return f"{last_name.upper()} {first_name}"


def enum_check(column: str, enum: type[StrEnum], *, nullable: bool = True) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    condition = f"{column} IN ({values})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_valid")


class DomainBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: Uuid(as_uuid=True),
        datetime: UTCDateTime(),
        date: Date(),
    }


class SyncedMixin:
    """Columns every synced row has. Deletion is a tombstone (``deleted_at``)."""

    __synced__: ClassVar[bool] = True
    # Name of the attribute that tells which person a row belongs to (scope of sync).
    __person_key__: ClassVar[str | None] = "person_id"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    def __init__(self, **values: Any) -> None:
        # The id exists from construction, so that related rows can point to a row
        # before it is flushed (and offline creation never waits on the database).
        values.setdefault("id", new_id())
        super().__init__(**values)


class Structure(SyncedMixin, DomainBase):
    """An organisation employing referents (département, CCAS, association…). Server-owned."""

    __tablename__ = "structure"
    __person_key__ = None
    name: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX))
    siret: Mapped[str | None] = mapped_column(String(14))
    address: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(20))


class Team(SyncedMixin, DomainBase):
    __tablename__ = "team"
    __person_key__ = None
    name: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX))
    structure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("structure.id"))


class Referent(SyncedMixin, DomainBase):
    """An agent of the service: referent, supervisor or administrator. Server-owned."""

    __tablename__ = "referent"
    __person_key__ = None
    __table_args__ = (enum_check("role", Role, nullable=False),)
    username: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    first_name: Mapped[str] = mapped_column(String(NAME_MAX))
    last_name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(16), default=Role.REFERENT.value)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id"))
    structure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("structure.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Person(SyncedMixin, DomainBase):
    """A person followed (*personne accompagnée*). No NIR is ever stored."""

    __tablename__ = "person"
    __person_key__ = "id"
    __table_args__ = (
        enum_check("title", Title),
        enum_check("household", Household),
        enum_check("rsa_status", RsaStatus),
        enum_check("orientation", Orientation),
        enum_check("contract_type", ContractType),
        enum_check("follow_up_status", FollowUpStatus, nullable=False),
        enum_check("closure_reason", ClosureReason),
        CheckConstraint(
            "children_count IS NULL OR (children_count >= 0 AND children_count <= 20)",
            name="children_count_range",
        ),
        CheckConstraint(
            "contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start",
            name="contract_dates_ordered",
        ),
        CheckConstraint(
            "follow_up_status <> 'sorti' OR closed_on IS NOT NULL", name="exit_has_closure_date"
        ),
        Index("ix_person_referent_status", "referent_id", "follow_up_status"),
        # The caseload walks person_summary in order and checks each person's two
        # always-on conditions here: from the index alone, without reading the wide row.
        Index("ix_person_live", "id", "deleted_at", "follow_up_status"),
    )

    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    caf_number: Mapped[str | None] = mapped_column(String(16))
    france_travail_id: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(8))
    last_name: Mapped[str] = mapped_column(String(NAME_MAX))
    birth_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    first_name: Mapped[str] = mapped_column(String(NAME_MAX))
    birth_date: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    address: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(NAME_MAX))
    household: Mapped[str | None] = mapped_column(String(16))
    children_count: Mapped[int | None] = mapped_column(Integer)
    rsa_status: Mapped[str | None] = mapped_column(String(40))
    rights_opening_date: Mapped[date | None]
    orientation: Mapped[str | None] = mapped_column(String(24))
    contract_type: Mapped[str | None] = mapped_column(String(24))
    contract_start: Mapped[date | None]
    contract_end: Mapped[date | None]
    follow_up_status: Mapped[str] = mapped_column(
        String(24), default=FollowUpStatus.TO_CONTACT.value
    )
    closed_on: Mapped[date | None]
    closure_reason: Mapped[str | None] = mapped_column(String(24))
    referent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))
    # The team the person belongs to, even without a referent (an import, a referent whose
    # account was closed): set by the server only (creation: the creator's team; handover:
    # the new referent's; import: the file's), so that the team's supervisor sees her.
    # No foreign key: an ALTER TABLE … ADD COLUMN, the same DDL on both sides.
    team_id: Mapped[uuid.UUID | None]
    consent_given_on: Mapped[date | None]
    information_given_on: Mapped[date | None]

    @property
    def full_name(self) -> str:
        return person_name(self.last_name, self.first_name)


class ReferentAssignment(SyncedMixin, DomainBase):
    """Who followed whom, when: the history of handovers. One active row per person."""

    __tablename__ = "referent_assignment"
    __table_args__ = (
        Index(
            "ux_referent_assignment_one_active",
            "person_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL AND deleted_at IS NULL"),
            postgresql_where=text("ended_at IS NULL AND deleted_at IS NULL"),
        ),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="dates_ordered"),
        Index("ix_referent_assignment_referent", "referent_id", "ended_at"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    referent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referent.id"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    handover_note: Mapped[str | None] = mapped_column(Text)
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))


class Appointment(SyncedMixin, DomainBase):
    """A *rendez-vous*, with rdv-insertion's lifecycle.

    The schema itself refuses an outcome (seen / no-show) recorded before the appointment
    started: ``outcome_recorded_at`` must be at or after ``starts_at``.
    """

    __tablename__ = "appointment"
    __table_args__ = (
        enum_check("status", AppointmentStatus, nullable=False),
        enum_check("mode", AppointmentMode, nullable=False),
        enum_check("purpose", AppointmentPurpose, nullable=False),
        CheckConstraint(
            "status NOT IN ('seen', 'noshow') OR "
            "(outcome_recorded_at IS NOT NULL AND outcome_recorded_at >= starts_at)",
            name="no_outcome_before_start",
        ),
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 480", name="duration_range"),
        # deleted_at and status: a scope's live rows counted, and a person's summary computed,
        # from the index alone (device and server 0019)
        Index("ix_appointment_person_start", "person_id", "starts_at", "deleted_at", "status"),
        Index("ix_appointment_referent_start", "referent_id", "starts_at"),
        # The team dashboard's rates and trend (device and server 0007).
        Index(
            "ix_appointment_start_status",
            "status",
            "referent_id",
            "starts_at",
            "person_id",
            "deleted_at",
        ),
        # The team's appointment lists, newest first (device 0013, server 0016).
        Index(
            "ix_appointment_status_start",
            "status",
            "starts_at",
            "person_id",
            "deleted_at",
            "referent_id",
        ),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    referent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer, default=45)
    mode: Mapped[str] = mapped_column(String(16))
    place: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    purpose: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default=AppointmentStatus.PLANNED.value)
    outcome_recorded_at: Mapped[datetime | None]
    summary: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    #: who asked for the last move (« person », « service », « partner »: services.appointments
    #: .REQUESTERS); synced, so the agenda, the file and the journal of every device show it.
    #: Added by migration (device 0013, server 0016): declared last, as ALTER TABLE puts it.
    requested_by: Mapped[str | None] = mapped_column(String(16), sort_order=1000)


class Barrier(SyncedMixin, DomainBase):
    """A *frein périphérique*: theme, standard situations, target, status."""

    __tablename__ = "barrier"
    __table_args__ = (
        enum_check("status", BarrierStatus, nullable=False),
        CheckConstraint("severity IS NULL OR severity BETWEEN 1 AND 3", name="severity_range"),
        CheckConstraint("closed_on IS NULL OR closed_on >= identified_on", name="dates_ordered"),
        Index("ix_barrier_person_status", "person_id", "status"),
        Index("ix_barrier_theme_status", "theme", "status", "person_id"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    theme: Mapped[str] = mapped_column(String(64))
    situations: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_code: Mapped[str | None] = mapped_column(String(128))
    target_text: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    status: Mapped[str] = mapped_column(String(16), default=BarrierStatus.IDENTIFIED.value)
    severity: Mapped[int | None] = mapped_column(Integer)
    identified_on: Mapped[date]
    closed_on: Mapped[date | None]
    comment: Mapped[str | None] = mapped_column(Text)


class Action(SyncedMixin, DomainBase):
    """An *action de levée de frein*: standard (``action_code``) or free text (``custom_label``)."""

    __tablename__ = "action"
    __table_args__ = (
        enum_check("status", ActionStatus, nullable=False),
        CheckConstraint("action_code IS NOT NULL OR custom_label IS NOT NULL", name="has_label"),
        CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
            name="due_after_start",
        ),
        Index("ix_action_person_status_due", "person_id", "status", "due_date"),
        Index("ix_action_barrier", "barrier_id"),
        Index("ix_action_contract", "contract_id"),
        CheckConstraint(
            "planned_minutes_week IS NULL OR planned_minutes_week BETWEEN 0 AND 10080",
            name="planned_minutes_range",
        ),
        CheckConstraint(
            "done_minutes_week IS NULL OR done_minutes_week BETWEEN 0 AND 10080",
            name="done_minutes_range",
        ),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    barrier_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("barrier.id"))
    theme: Mapped[str | None] = mapped_column(String(64))
    action_code: Mapped[str | None] = mapped_column(String(128))
    custom_label: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    partner: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.PLANNED.value)
    start_date: Mapped[date | None]
    due_date: Mapped[date | None]
    end_date: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    # Plan of a contrat d'engagement: the contract version the action belongs to and its
    # weekly activity, in minutes (exact; the screens show hours).
    contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("engagement_contract.id"))
    planned_minutes_week: Mapped[int | None] = mapped_column(Integer)
    done_minutes_week: Mapped[int | None] = mapped_column(Integer)
    # The directory service (data·inclusion id, issue 16) the partner was chosen from; the
    # service's name stays in ``partner``, readable where the directory is not.
    partner_service_id: Mapped[str | None] = mapped_column(String(255))


WEEKLY_FLOOR_MINUTES = 15 * 60
"""The contrat d'engagement's floor: at least fifteen hours of activity a week."""


class OrientationDecision(SyncedMixin, DomainBase):
    """An orientation decision (art. D. 262-65-2 CASF). History: never overwritten; a new
    decision (a reorientation) is a new row and the latest by ``decided_on`` is current."""

    __tablename__ = "orientation_decision"
    __table_args__ = (
        enum_check("track", Orientation, nullable=False),
        CheckConstraint(
            "notified_on IS NULL OR notified_on >= decided_on", name="notified_after_decision"
        ),
        Index("ix_orientation_decision_person", "person_id", "decided_on"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    track: Mapped[str] = mapped_column(String(24))
    worked_last_two_years: Mapped[bool | None] = mapped_column(Boolean)
    can_picture_job: Mapped[bool | None] = mapped_column(Boolean)
    qualification_level: Mapped[str | None] = mapped_column(String(24))
    impact_health: Mapped[str | None] = mapped_column(String(16))
    impact_housing: Mapped[str | None] = mapped_column(String(16))
    impact_mobility: Mapped[str | None] = mapped_column(String(16))
    impact_childcare: Mapped[str | None] = mapped_column(String(16))
    impact_caregiving: Mapped[str | None] = mapped_column(String(16))
    impact_other: Mapped[str | None] = mapped_column(String(16))
    # What lets the social-track review wait twelve months (D. 262-65-2-1 CASF), if any.
    review_obstacle: Mapped[str | None] = mapped_column(String(24))
    structure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("structure.id"))
    structure_name: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    decided_on: Mapped[date]
    notified_on: Mapped[date | None]
    request_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(as_uuid=True))
    comment: Mapped[str | None] = mapped_column(Text)


class ReorientationRequest(SyncedMixin, DomainBase):
    """A referent's request to change a person's track, and what was decided about it."""

    __tablename__ = "reorientation_request"
    __table_args__ = (
        enum_check("requested_track", Orientation, nullable=False),
        enum_check("status", ReorientationStatus, nullable=False),
        CheckConstraint("status = 'pending' OR answered_on IS NOT NULL", name="answer_has_date"),
        CheckConstraint("answered_on IS NULL OR answered_on >= requested_on", name="dates_ordered"),
        Index("ix_reorientation_request_person", "person_id", "requested_on"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    requested_track: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date]
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))
    status: Mapped[str] = mapped_column(String(16), default=ReorientationStatus.PENDING.value)
    answered_on: Mapped[date | None]
    answer_comment: Mapped[str | None] = mapped_column(Text)
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orientation_decision.id"))


class EngagementContract(SyncedMixin, DomainBase):
    """One version of a *contrat d'engagement* (or of a legacy CER, PPAE, CEJ, PACEA).

    A renewal or an amendment is a new row (``version`` + 1, ``previous_id``) and the old
    one becomes ``renewed``: the versions are the contract's history. The plan's actions
    point to the version they belong to (``Action.contract_id``).
    """

    __tablename__ = "engagement_contract"
    __table_args__ = (
        enum_check("contract_type", ContractType, nullable=False),
        enum_check("state", ContractState, nullable=False),
        CheckConstraint("contract_type <> 'none'", name="has_type"),
        CheckConstraint("version >= 1 AND version <= 1000", name="version_range"),
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_ordered"
        ),
        CheckConstraint(
            "state NOT IN ('signed', 'renewed') OR signed_on IS NOT NULL",
            name="signed_has_date",
        ),
        CheckConstraint("weekly_floor_minutes BETWEEN 0 AND 900", name="weekly_floor_range"),
        CheckConstraint(
            "weekly_floor_minutes = 900 OR floor_reason IS NOT NULL",
            name="lowered_floor_has_reason",
        ),
        Index("ix_engagement_contract_person", "person_id", "version"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    contract_type: Mapped[str] = mapped_column(String(24), default=ContractType.ENGAGEMENT.value)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(as_uuid=True))
    state: Mapped[str] = mapped_column(String(16), default=ContractState.DRAFT.value)
    orientation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orientation_decision.id"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    signed_on: Mapped[date | None]
    objectives: Mapped[str | None] = mapped_column(Text)
    weekly_floor_minutes: Mapped[int] = mapped_column(Integer, default=WEEKLY_FLOOR_MINUTES)
    floor_reason: Mapped[str | None] = mapped_column(String(32))
    floor_comment: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))


class ClosingReview(SyncedMixin, DomainBase):
    """The end-of-accompaniment review: outcome and exit reason; starts the retention clock."""

    __tablename__ = "closing_review"
    __table_args__ = (Index("ix_closing_review_person", "person_id", "closed_on"),)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    closed_on: Mapped[date]
    exit_reason: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))


class Breach(SyncedMixin, DomainBase):
    """A breach of the contract and the *suspension-remobilisation* decided on it.

    Sensitive: shown to the referent and the supervisor only, and every reading of the
    person's observations is audited.
    """

    __tablename__ = "breach"
    __table_args__ = (
        CheckConstraint(
            "decision_percent IS NULL OR decision_percent BETWEEN 0 AND 100",
            name="percent_range",
        ),
        CheckConstraint(
            "decision_months IS NULL OR decision_months BETWEEN 0 AND 24", name="months_range"
        ),
        CheckConstraint(
            "invited_on IS NULL OR invited_on >= occurred_on", name="invited_after_breach"
        ),
        Index("ix_breach_person", "person_id", "occurred_on"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("engagement_contract.id"))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date]
    invited_on: Mapped[date | None]
    observations: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(32))
    decision_on: Mapped[date | None]
    decision_percent: Mapped[int | None] = mapped_column(Integer)
    decision_months: Mapped[int | None] = mapped_column(Integer)
    remobilised_on: Mapped[date | None]
    sensitive: Mapped[bool] = mapped_column(Boolean, default=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))


class Note(SyncedMixin, DomainBase):
    """An entry of the *journal de bord*. Append-only: a correction supersedes, never edits."""

    __tablename__ = "note"
    __table_args__ = (
        enum_check("kind", NoteKind, nullable=False),
        # deleted_at: a scope's live rows counted from the index alone (device and server 0019)
        Index("ix_note_person_written", "person_id", "written_at", "deleted_at"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referent.id"))
    written_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(24), default=NoteKind.FOLLOW_UP.value)
    text: Mapped[str] = mapped_column(Text)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("note.id"))


class AuditEvent(SyncedMixin, DomainBase):
    """Who opened, changed, exported, printed or revealed which file. Append-only."""

    __tablename__ = "audit_event"
    __table_args__ = (
        enum_check("action", AuditAction, nullable=False),
        Index("ix_audit_event_person", "person_id", "occurred_at"),
    )
    occurred_at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(as_uuid=True))
    device_id: Mapped[str | None] = mapped_column(String(64))
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(as_uuid=True))
    action: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))


class ErasureRequest(SyncedMixin, DomainBase):
    """A request to erase a person's file (GDPR art. 17).

    Made on a device by the referent or the supervisor (``requested``); an administrator
    decides on the server (``refused`` with a note, synced back; or approved: the erasure
    then travels like a retention purge and the request goes with the person's file, its
    decision kept in the server's administration log with ids only).
    """

    __tablename__ = "erasure_request"
    __table_args__ = (
        enum_check("status", ErasureStatus, nullable=False),
        Index("ix_erasure_request_person", "person_id", "status"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid(as_uuid=True))
    requested_at: Mapped[datetime]
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(as_uuid=True))
    reason: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX))
    status: Mapped[str] = mapped_column(String(16), default=ErasureStatus.REQUESTED.value)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(as_uuid=True))
    decision_note: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))


SYNCED_MODELS: dict[str, type[SyncedMixin]] = {
    model.__tablename__: model
    for model in (
        Structure,
        Team,
        Referent,
        Person,
        ReferentAssignment,
        Appointment,
        Barrier,
        Action,
        Note,
        OrientationDecision,
        ReorientationRequest,
        EngagementContract,
        ClosingReview,
        Breach,
        AuditEvent,
        ErasureRequest,
    )
}

# Tables the device may write; the others are the server's and read-only on the device.
DEVICE_WRITABLE_TABLES = frozenset(
    {
        "person",
        "referent_assignment",
        "appointment",
        "barrier",
        "action",
        "note",
        "orientation_decision",
        "reorientation_request",
        "engagement_contract",
        "closing_review",
        "breach",
        "audit_event",
        "erasure_request",
    }
)

# Fields of a note that can never change once written (append-only journal).
IMMUTABLE_NOTE_FIELDS = frozenset(
    {"person_id", "author_id", "written_at", "kind", "text", "sensitive", "supersedes_id"}
)
