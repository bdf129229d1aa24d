"""Enumerations stored as codes. Labels live in ``resources/referentials/statuses.json``."""

from __future__ import annotations

from enum import StrEnum


class AppointmentStatus(StrEnum):
    PLANNED = "planned"
    SEEN = "seen"
    EXCUSED = "excused"
    REVOKED = "revoked"
    NOSHOW = "noshow"


class AppointmentMode(StrEnum):
    HOME = "domicile"
    OFFICE = "bureau"
    PHONE = "telephone"
    VIDEO = "visio"
    PARTNER = "partenaire"


class AppointmentPurpose(StrEnum):
    ORIENTATION = "orientation"
    SUPPORT = "accompagnement"
    CONTRACT_SIGNATURE = "signature_contrat"
    FOLLOW_UP = "suivi"
    REVIEW = "bilan"


class Orientation(StrEnum):
    SOCIAL = "social"
    SOCIO_PROFESSIONAL = "socio_professional"
    PROFESSIONAL = "professional"


class ContractType(StrEnum):
    CER = "cer"
    PPAE = "ppae"
    CEJ = "cej"
    PACEA = "pacea"
    ENGAGEMENT = "contrat_engagement"
    NONE = "none"


class RsaStatus(StrEnum):
    PENDING = "demande_en_attente"
    REFUSED = "refuse"
    OPEN_PAYABLE = "droit_ouvert_versable"
    OPEN_SUSPENDED = "droit_ouvert_et_suspendu"
    OPEN_PAYMENT_SUSPENDED = "droit_ouvert_versement_suspendu"
    CLOSED = "clos"


class FollowUpStatus(StrEnum):
    TO_CONTACT = "a_contacter"
    FOLLOWED = "en_accompagnement"
    SUSPENDED = "suspendu"
    EXITED = "sorti"


class ClosureReason(StrEnum):
    EMPLOYMENT = "emploi"
    TRAINING = "formation"
    MOVED = "demenagement"
    END_OF_RIGHTS = "fin_droits"
    REORIENTATION = "reorientation"
    OTHER = "autre"


class BarrierStatus(StrEnum):
    NOT_ADDRESSED = "not_addressed"
    IDENTIFIED = "identified"
    IN_PROGRESS = "in_progress"
    LIFTED = "lifted"
    ABANDONED = "abandoned"


OPEN_BARRIER_STATUSES = (
    BarrierStatus.NOT_ADDRESSED,
    BarrierStatus.IDENTIFIED,
    BarrierStatus.IN_PROGRESS,
)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    STANDBY = "standby"
    DONE = "done"
    ABANDONED = "abandoned"
    CANCELLED = "cancelled"


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.STANDBY)


class NoteKind(StrEnum):
    FOLLOW_UP = "suivi"
    HOME_VISIT = "visite_domicile"
    CALL = "appel"
    HANDOVER = "passation"
    INCIDENT = "incident"


class Household(StrEnum):
    ALONE = "seul"
    COUPLE = "couple"


class Title(StrEnum):
    MR = "M"
    MRS = "MME"


class Role(StrEnum):
    REFERENT = "referent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class AuditAction(StrEnum):
    OPEN = "open"
    CHANGE = "change"
    EXPORT = "export"
    PRINT = "print"
    REVEAL = "reveal"


class ChangeOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"
