"""The DDL of the synced tables (the domain's), for the first migration of both sides.

The device's store (``spie_desktop/store/migrations``) and the departmental server
(``sync/server/migrations``) hold the same synced tables; their ``0001`` migrations create
and drop them through these functions, so the DDL is written once. It is frozen: a change of
the synced tables is a NEW migration (on both sides, calling one new helper here), never an
edit of these functions, which would change what an existing revision builds
(tests/snapshots/ hold the schemas byte for byte).

Run only inside an Alembic migration (``op`` is the running migration's operations).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import spie_desktop.domain.types


def create_synced_tables() -> None:
    """Revision 0001: the domain tables and their indexes (generated from the models)."""
    op.create_table(
        "audit_event",
        sa.Column(
            "occurred_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=255), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "action IN ('open', 'change', 'export', 'print', 'reveal')",
            name=op.f("ck_audit_event_action_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_person", ["person_id", "occurred_at"], unique=False)

    op.create_table(
        "structure",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=True),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column("postal_code", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_structure")),
    )
    op.create_table(
        "team",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("structure_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["structure_id"], ["structure.id"], name=op.f("fk_team_structure_id_structure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
    )
    op.create_table(
        "referent",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("structure_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "role IN ('referent', 'supervisor', 'admin')", name=op.f("ck_referent_role_valid")
        ),
        sa.ForeignKeyConstraint(
            ["structure_id"], ["structure.id"], name=op.f("fk_referent_structure_id_structure")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_referent_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referent")),
        sa.UniqueConstraint("username", name=op.f("uq_referent_username")),
    )
    op.create_table(
        "person",
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("caf_number", sa.String(length=16), nullable=True),
        sa.Column("france_travail_id", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=8), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("birth_name", sa.String(length=100), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column("postal_code", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("household", sa.String(length=16), nullable=True),
        sa.Column("children_count", sa.Integer(), nullable=True),
        sa.Column("rsa_status", sa.String(length=40), nullable=True),
        sa.Column("rights_opening_date", sa.Date(), nullable=True),
        sa.Column("orientation", sa.String(length=24), nullable=True),
        sa.Column("contract_type", sa.String(length=24), nullable=True),
        sa.Column("contract_start", sa.Date(), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("follow_up_status", sa.String(length=24), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closure_reason", sa.String(length=24), nullable=True),
        sa.Column("referent_id", sa.Uuid(), nullable=True),
        sa.Column("consent_given_on", sa.Date(), nullable=True),
        sa.Column("information_given_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "closure_reason IS NULL OR closure_reason IN ('emploi', 'formation', 'demenagement', 'fin_droits', 'reorientation', 'autre')",
            name=op.f("ck_person_closure_reason_valid"),
        ),
        sa.CheckConstraint(
            "contract_type IS NULL OR contract_type IN ('cer', 'ppae', 'cej', 'pacea', 'contrat_engagement', 'none')",
            name=op.f("ck_person_contract_type_valid"),
        ),
        sa.CheckConstraint(
            "follow_up_status <> 'sorti' OR closed_on IS NOT NULL",
            name=op.f("ck_person_exit_has_closure_date"),
        ),
        sa.CheckConstraint(
            "follow_up_status IN ('a_contacter', 'en_accompagnement', 'suspendu', 'sorti')",
            name=op.f("ck_person_follow_up_status_valid"),
        ),
        sa.CheckConstraint(
            "household IS NULL OR household IN ('seul', 'couple')",
            name=op.f("ck_person_household_valid"),
        ),
        sa.CheckConstraint(
            "orientation IS NULL OR orientation IN ('social', 'socio_professional', 'professional')",
            name=op.f("ck_person_orientation_valid"),
        ),
        sa.CheckConstraint(
            "rsa_status IS NULL OR rsa_status IN ('demande_en_attente', 'refuse', 'droit_ouvert_versable', 'droit_ouvert_et_suspendu', 'droit_ouvert_versement_suspendu', 'clos')",
            name=op.f("ck_person_rsa_status_valid"),
        ),
        sa.CheckConstraint(
            "title IS NULL OR title IN ('M', 'MME')", name=op.f("ck_person_title_valid")
        ),
        sa.CheckConstraint(
            "children_count IS NULL OR (children_count >= 0 AND children_count <= 20)",
            name=op.f("ck_person_children_count_range"),
        ),
        sa.CheckConstraint(
            "contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start",
            name=op.f("ck_person_contract_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["referent_id"], ["referent.id"], name=op.f("fk_person_referent_id_referent")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("external_id", name=op.f("uq_person_external_id")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_referent_status", ["referent_id", "follow_up_status"], unique=False
        )

    op.create_table(
        "appointment",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("referent_id", sa.Uuid(), nullable=True),
        sa.Column(
            "starts_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=255), nullable=True),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "outcome_recorded_at",
            spie_desktop.domain.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "mode IN ('domicile', 'bureau', 'telephone', 'visio', 'partenaire')",
            name=op.f("ck_appointment_mode_valid"),
        ),
        sa.CheckConstraint(
            "purpose IN ('orientation', 'accompagnement', 'signature_contrat', 'suivi', 'bilan')",
            name=op.f("ck_appointment_purpose_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'seen', 'excused', 'revoked', 'noshow')",
            name=op.f("ck_appointment_status_valid"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('seen', 'noshow') OR (outcome_recorded_at IS NOT NULL AND outcome_recorded_at >= starts_at)",
            name=op.f("ck_appointment_no_outcome_before_start"),
        ),
        sa.CheckConstraint(
            "duration_minutes > 0 AND duration_minutes <= 480",
            name=op.f("ck_appointment_duration_range"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_appointment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["referent_id"], ["referent.id"], name=op.f("fk_appointment_referent_id_referent")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointment_person_start", ["person_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_appointment_referent_start", ["referent_id", "starts_at"], unique=False
        )

    op.create_table(
        "barrier",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("situations", sa.JSON(), nullable=False),
        sa.Column("target_code", sa.String(length=128), nullable=True),
        sa.Column("target_text", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "status IN ('not_addressed', 'identified', 'in_progress', 'lifted', 'abandoned')",
            name=op.f("ck_barrier_status_valid"),
        ),
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on >= identified_on", name=op.f("ck_barrier_dates_ordered")
        ),
        sa.CheckConstraint(
            "severity IS NULL OR severity BETWEEN 1 AND 3", name=op.f("ck_barrier_severity_range")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_barrier_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barrier")),
    )
    with op.batch_alter_table("barrier", schema=None) as batch_op:
        batch_op.create_index("ix_barrier_person_status", ["person_id", "status"], unique=False)
        batch_op.create_index(
            "ix_barrier_theme_status", ["theme", "status", "person_id"], unique=False
        )

    op.create_table(
        "note",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column(
            "written_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("supersedes_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "kind IN ('suivi', 'visite_domicile', 'appel', 'passation', 'incident')",
            name=op.f("ck_note_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["referent.id"], name=op.f("fk_note_author_id_referent")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_note_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["note.id"], name=op.f("fk_note_supersedes_id_note")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index("ix_note_person_written", ["person_id", "written_at"], unique=False)

    op.create_table(
        "referent_assignment",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("referent_id", sa.Uuid(), nullable=False),
        sa.Column(
            "started_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("ended_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("handover_note", sa.Text(), nullable=True),
        sa.Column("assigned_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= started_at",
            name=op.f("ck_referent_assignment_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["referent.id"],
            name=op.f("fk_referent_assignment_assigned_by_id_referent"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_referent_assignment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["referent_id"],
            ["referent.id"],
            name=op.f("fk_referent_assignment_referent_id_referent"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referent_assignment")),
    )
    with op.batch_alter_table("referent_assignment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_referent_assignment_referent", ["referent_id", "ended_at"], unique=False
        )
        batch_op.create_index(
            "ux_referent_assignment_one_active",
            ["person_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL AND deleted_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL AND deleted_at IS NULL"),
        )

    op.create_table(
        "action",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("barrier_id", sa.Uuid(), nullable=True),
        sa.Column("theme", sa.String(length=64), nullable=True),
        sa.Column("action_code", sa.String(length=128), nullable=True),
        sa.Column("custom_label", sa.String(length=255), nullable=True),
        sa.Column("partner", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'standby', 'done', 'abandoned', 'cancelled')",
            name=op.f("ck_action_status_valid"),
        ),
        sa.CheckConstraint(
            "action_code IS NOT NULL OR custom_label IS NOT NULL", name=op.f("ck_action_has_label")
        ),
        sa.CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
            name=op.f("ck_action_due_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["barrier_id"], ["barrier.id"], name=op.f("fk_action_barrier_id_barrier")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_action_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index("ix_action_barrier", ["barrier_id"], unique=False)
        batch_op.create_index(
            "ix_action_person_status_due", ["person_id", "status", "due_date"], unique=False
        )


def drop_synced_tables() -> None:
    """Revision 0001's downgrade: the domain tables, in dependency order."""
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_person_status_due")
        batch_op.drop_index("ix_action_barrier")

    op.drop_table("action")
    with op.batch_alter_table("referent_assignment", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_referent_assignment_one_active",
            sqlite_where=sa.text("ended_at IS NULL AND deleted_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL AND deleted_at IS NULL"),
        )
        batch_op.drop_index("ix_referent_assignment_referent")

    op.drop_table("referent_assignment")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index("ix_note_person_written")

    op.drop_table("note")
    with op.batch_alter_table("barrier", schema=None) as batch_op:
        batch_op.drop_index("ix_barrier_theme_status")
        batch_op.drop_index("ix_barrier_person_status")

    op.drop_table("barrier")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_referent_start")
        batch_op.drop_index("ix_appointment_person_start")

    op.drop_table("appointment")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_referent_status")

    op.drop_table("person")
    op.drop_table("referent")
    op.drop_table("team")
    op.drop_table("structure")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_person")

    op.drop_table("audit_event")


def create_person_live_index() -> None:
    """Device 0003 and server 0002: the person liveness index of the caseload order."""
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_live", ["id", "deleted_at", "follow_up_status"], unique=False
        )


def drop_person_live_index() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_live")


# -- device 0005 and server 0005: the accompaniment path (orientation, contract, closing
# review, breach; plan hours on action) ------------------------------------------------------


_ACTION_COLUMNS = (
    "person_id",
    "barrier_id",
    "theme",
    "action_code",
    "custom_label",
    "partner",
    "status",
    "start_date",
    "due_date",
    "end_date",
    "outcome",
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
)


def _add_plan_columns_to_action() -> None:
    """``action`` gets its contract and weekly hours. On SQLite the table is rebuilt from an
    explicit definition (not reflected: a reflected copy lists its constraints in no fixed
    order, and both sides must write the same DDL); elsewhere, plain ALTER TABLE."""
    planned = sa.CheckConstraint(
        "planned_minutes_week IS NULL OR planned_minutes_week BETWEEN 0 AND 10080",
        name=op.f("ck_action_planned_minutes_range"),
    )
    done = sa.CheckConstraint(
        "done_minutes_week IS NULL OR done_minutes_week BETWEEN 0 AND 10080",
        name=op.f("ck_action_done_minutes_range"),
    )
    if op.get_context().dialect.name != "sqlite":
        op.add_column("action", sa.Column("contract_id", sa.Uuid(), nullable=True))
        op.add_column("action", sa.Column("planned_minutes_week", sa.Integer(), nullable=True))
        op.add_column("action", sa.Column("done_minutes_week", sa.Integer(), nullable=True))
        op.create_index("ix_action_contract", "action", ["contract_id"], unique=False)
        op.create_foreign_key(
            op.f("fk_action_contract_id_engagement_contract"),
            "action",
            "engagement_contract",
            ["contract_id"],
            ["id"],
        )
        op.create_check_constraint(planned.name, "action", planned.sqltext)  # type: ignore[arg-type]
        op.create_check_constraint(done.name, "action", done.sqltext)  # type: ignore[arg-type]
        return
    _rebuild_action_on_sqlite(planned, done, copied=_ACTION_COLUMNS)


def _rebuild_action_on_sqlite(
    planned: sa.CheckConstraint,
    done: sa.CheckConstraint,
    *extra: sa.Column[Any],
    copied: tuple[str, ...],
) -> None:
    """``action`` rebuilt on SQLite from its explicit definition (0005's), plus ``extra``
    columns at the end (later migrations), copying the ``copied`` columns."""
    utc = spie_desktop.domain.types.UTCDateTime
    op.create_table(
        "_action_rebuilt",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("barrier_id", sa.Uuid(), nullable=True),
        sa.Column("theme", sa.String(length=64), nullable=True),
        sa.Column("action_code", sa.String(length=128), nullable=True),
        sa.Column("custom_label", sa.String(length=255), nullable=True),
        sa.Column("partner", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", utc(timezone=True), nullable=False),
        sa.Column("updated_at", utc(timezone=True), nullable=False),
        sa.Column("deleted_at", utc(timezone=True), nullable=True),
        sa.Column("contract_id", sa.Uuid(), nullable=True),
        sa.Column("planned_minutes_week", sa.Integer(), nullable=True),
        sa.Column("done_minutes_week", sa.Integer(), nullable=True),
        *extra,
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'standby', 'done', 'abandoned', 'cancelled')",
            name=op.f("ck_action_status_valid"),
        ),
        sa.CheckConstraint(
            "action_code IS NOT NULL OR custom_label IS NOT NULL", name=op.f("ck_action_has_label")
        ),
        sa.CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
            name=op.f("ck_action_due_after_start"),
        ),
        planned,
        done,
        sa.ForeignKeyConstraint(
            ["barrier_id"], ["barrier.id"], name=op.f("fk_action_barrier_id_barrier")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_action_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["engagement_contract.id"],
            name=op.f("fk_action_contract_id_engagement_contract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    columns = ", ".join(copied)
    op.execute(f"INSERT INTO _action_rebuilt ({columns}) SELECT {columns} FROM action")
    op.drop_index("ix_action_person_status_due", table_name="action")
    op.drop_index("ix_action_barrier", table_name="action")
    op.drop_table("action")
    op.rename_table("_action_rebuilt", "action")
    op.create_index("ix_action_barrier", "action", ["barrier_id"], unique=False)
    op.create_index(
        "ix_action_person_status_due", "action", ["person_id", "status", "due_date"], unique=False
    )
    op.create_index("ix_action_contract", "action", ["contract_id"], unique=False)


def create_path_tables() -> None:
    """The accompaniment path's tables, and the plan columns of ``action``."""
    op.create_table(
        "closing_review",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("exit_reason", sa.String(length=24), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["referent.id"], name=op.f("fk_closing_review_author_id_referent")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_closing_review_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closing_review")),
    )
    with op.batch_alter_table("closing_review", schema=None) as batch_op:
        batch_op.create_index("ix_closing_review_person", ["person_id", "closed_on"], unique=False)

    op.create_table(
        "orientation_decision",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("track", sa.String(length=24), nullable=False),
        sa.Column("worked_last_two_years", sa.Boolean(), nullable=True),
        sa.Column("can_picture_job", sa.Boolean(), nullable=True),
        sa.Column("qualification_level", sa.String(length=24), nullable=True),
        sa.Column("impact_health", sa.String(length=16), nullable=True),
        sa.Column("impact_housing", sa.String(length=16), nullable=True),
        sa.Column("impact_mobility", sa.String(length=16), nullable=True),
        sa.Column("impact_childcare", sa.String(length=16), nullable=True),
        sa.Column("impact_caregiving", sa.String(length=16), nullable=True),
        sa.Column("impact_other", sa.String(length=16), nullable=True),
        sa.Column("review_obstacle", sa.String(length=24), nullable=True),
        sa.Column("structure_id", sa.Uuid(), nullable=True),
        sa.Column("structure_name", sa.String(length=255), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=255), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "track IN ('social', 'socio_professional', 'professional')",
            name=op.f("ck_orientation_decision_track_valid"),
        ),
        sa.CheckConstraint(
            "notified_on IS NULL OR notified_on >= decided_on",
            name=op.f("ck_orientation_decision_notified_after_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["referent.id"],
            name=op.f("fk_orientation_decision_decided_by_id_referent"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_orientation_decision_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["structure_id"],
            ["structure.id"],
            name=op.f("fk_orientation_decision_structure_id_structure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientation_decision")),
    )
    with op.batch_alter_table("orientation_decision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_orientation_decision_person", ["person_id", "decided_on"], unique=False
        )

    op.create_table(
        "engagement_contract",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("contract_type", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("orientation_id", sa.Uuid(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("objectives", sa.Text(), nullable=True),
        sa.Column("weekly_floor_minutes", sa.Integer(), nullable=False),
        sa.Column("floor_reason", sa.String(length=32), nullable=True),
        sa.Column("floor_comment", sa.String(length=255), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint("contract_type <> 'none'", name=op.f("ck_engagement_contract_has_type")),
        sa.CheckConstraint(
            "contract_type IN ('cer', 'ppae', 'cej', 'pacea', 'contrat_engagement', 'none')",
            name=op.f("ck_engagement_contract_contract_type_valid"),
        ),
        sa.CheckConstraint(
            "state IN ('draft', 'signed', 'renewed', 'ended')",
            name=op.f("ck_engagement_contract_state_valid"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('signed', 'renewed') OR signed_on IS NOT NULL",
            name=op.f("ck_engagement_contract_signed_has_date"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_engagement_contract_dates_ordered"),
        ),
        sa.CheckConstraint(
            "version >= 1 AND version <= 1000", name=op.f("ck_engagement_contract_version_range")
        ),
        sa.CheckConstraint(
            "weekly_floor_minutes = 900 OR floor_reason IS NOT NULL",
            name=op.f("ck_engagement_contract_lowered_floor_has_reason"),
        ),
        sa.CheckConstraint(
            "weekly_floor_minutes BETWEEN 0 AND 900",
            name=op.f("ck_engagement_contract_weekly_floor_range"),
        ),
        sa.ForeignKeyConstraint(
            ["orientation_id"],
            ["orientation_decision.id"],
            name=op.f("fk_engagement_contract_orientation_id_orientation_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_engagement_contract_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_contract")),
    )
    with op.batch_alter_table("engagement_contract", schema=None) as batch_op:
        batch_op.create_index(
            "ix_engagement_contract_person", ["person_id", "version"], unique=False
        )

    op.create_table(
        "reorientation_request",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("requested_track", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answer_comment", sa.Text(), nullable=True),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "requested_track IN ('social', 'socio_professional', 'professional')",
            name=op.f("ck_reorientation_request_requested_track_valid"),
        ),
        sa.CheckConstraint(
            "status = 'pending' OR answered_on IS NOT NULL",
            name=op.f("ck_reorientation_request_answer_has_date"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'refused')",
            name=op.f("ck_reorientation_request_status_valid"),
        ),
        sa.CheckConstraint(
            "answered_on IS NULL OR answered_on >= requested_on",
            name=op.f("ck_reorientation_request_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["orientation_decision.id"],
            name=op.f("fk_reorientation_request_decision_id_orientation_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_reorientation_request_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["referent.id"],
            name=op.f("fk_reorientation_request_requested_by_id_referent"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reorientation_request")),
    )
    with op.batch_alter_table("reorientation_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reorientation_request_person", ["person_id", "requested_on"], unique=False
        )

    op.create_table(
        "breach",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("invited_on", sa.Date(), nullable=True),
        sa.Column("observations", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("decision_percent", sa.Integer(), nullable=True),
        sa.Column("decision_months", sa.Integer(), nullable=True),
        sa.Column("remobilised_on", sa.Date(), nullable=True),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "decision_months IS NULL OR decision_months BETWEEN 0 AND 24",
            name=op.f("ck_breach_months_range"),
        ),
        sa.CheckConstraint(
            "decision_percent IS NULL OR decision_percent BETWEEN 0 AND 100",
            name=op.f("ck_breach_percent_range"),
        ),
        sa.CheckConstraint(
            "invited_on IS NULL OR invited_on >= occurred_on",
            name=op.f("ck_breach_invited_after_breach"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["referent.id"], name=op.f("fk_breach_author_id_referent")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["engagement_contract.id"],
            name=op.f("fk_breach_contract_id_engagement_contract"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_breach_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach")),
    )
    with op.batch_alter_table("breach", schema=None) as batch_op:
        batch_op.create_index("ix_breach_person", ["person_id", "occurred_on"], unique=False)

    _add_plan_columns_to_action()


def drop_path_tables() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_action_done_minutes_range"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_action_planned_minutes_range"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_action_contract_id_engagement_contract"), type_="foreignkey"
        )
        batch_op.drop_index("ix_action_contract")
        batch_op.drop_column("done_minutes_week")
        batch_op.drop_column("planned_minutes_week")
        batch_op.drop_column("contract_id")

    with op.batch_alter_table("breach", schema=None) as batch_op:
        batch_op.drop_index("ix_breach_person")

    op.drop_table("breach")
    with op.batch_alter_table("reorientation_request", schema=None) as batch_op:
        batch_op.drop_index("ix_reorientation_request_person")

    op.drop_table("reorientation_request")
    with op.batch_alter_table("engagement_contract", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_contract_person")

    op.drop_table("engagement_contract")
    with op.batch_alter_table("orientation_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_orientation_decision_person")

    op.drop_table("orientation_decision")
    with op.batch_alter_table("closing_review", schema=None) as batch_op:
        batch_op.drop_index("ix_closing_review_person")

    op.drop_table("closing_review")


def create_erasure_request_table() -> None:
    """Device 0006, server 0006: GDPR erasure requests (issue 15)."""
    op.create_table(
        "erasure_request",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "requested_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "decided_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decision_note", sa.String(length=255), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", spie_desktop.domain.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'approved', 'refused', 'done')",
            name=op.f("ck_erasure_request_status_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_request")),
    )
    with op.batch_alter_table("erasure_request", schema=None) as batch_op:
        batch_op.create_index("ix_erasure_request_person", ["person_id", "status"], unique=False)


def drop_erasure_request_table() -> None:
    with op.batch_alter_table("erasure_request", schema=None) as batch_op:
        batch_op.drop_index("ix_erasure_request_person")
    op.drop_table("erasure_request")


# -- device 0007 and server 0007: the team dashboard's appointment outcomes --------------------


def create_appointment_outcome_index() -> None:
    """The no-show rates, the 12-month trend and the reports to write read appointments by
    status and date only: this index covers them (range scans instead of reading 170,000
    wide rows)."""
    op.create_index(
        "ix_appointment_start_status",
        "appointment",
        ["status", "referent_id", "starts_at", "person_id", "deleted_at"],
        unique=False,
    )


def drop_appointment_outcome_index() -> None:
    op.drop_index("ix_appointment_start_status", table_name="appointment")


# -- device 0011 and server 0012: an action's partner from the directory (issue 16) ----------

_ACTION_COLUMNS_WITH_PLAN = (
    *_ACTION_COLUMNS,
    "contract_id",
    "planned_minutes_week",
    "done_minutes_week",
)


def _plan_checks() -> tuple[sa.CheckConstraint, sa.CheckConstraint]:
    return (
        sa.CheckConstraint(
            "planned_minutes_week IS NULL OR planned_minutes_week BETWEEN 0 AND 10080",
            name=op.f("ck_action_planned_minutes_range"),
        ),
        sa.CheckConstraint(
            "done_minutes_week IS NULL OR done_minutes_week BETWEEN 0 AND 10080",
            name=op.f("ck_action_done_minutes_range"),
        ),
    )


def add_action_partner_service() -> None:
    """``action.partner_service_id``: the directory service (data·inclusion id) the partner
    was chosen from; ``partner`` keeps its name as text. On SQLite the table is rebuilt from
    its explicit definition (an ADD COLUMN would write the new column on the line of the
    previous one, unlike the models' DDL)."""
    if op.get_context().dialect.name != "sqlite":
        op.add_column("action", sa.Column("partner_service_id", sa.String(255), nullable=True))
        return
    _rebuild_action_on_sqlite(
        *_plan_checks(),
        sa.Column("partner_service_id", sa.String(length=255), nullable=True),
        copied=_ACTION_COLUMNS_WITH_PLAN,
    )


def drop_action_partner_service() -> None:
    if op.get_context().dialect.name != "sqlite":
        op.drop_column("action", "partner_service_id")
        return
    _rebuild_action_on_sqlite(*_plan_checks(), copied=_ACTION_COLUMNS_WITH_PLAN)


# -- device 0013 and server 0016: the team's appointment lists ---------------------------------


def create_appointment_status_start_index() -> None:
    """The team's no-shows of a period, newest first (a dashboard drill-down): a range of
    dates within one status, walked in date order, the page read and the walk stopped —
    ``ix_appointment_start_status`` has the referent second and makes it a scan of every
    no-show of the store's four years, then a sort."""
    op.create_index(
        "ix_appointment_status_start",
        "appointment",
        ["status", "starts_at", "person_id", "deleted_at", "referent_id"],
        unique=False,
    )


def drop_appointment_status_start_index() -> None:
    op.drop_index("ix_appointment_status_start", table_name="appointment")
