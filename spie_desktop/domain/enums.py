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


class ErasureStatus(StrEnum):
    """A GDPR erasure request: asked on a device, decided by an administrator on the server."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    DONE = "done"


class ChangeOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


# -- The accompaniment path (loi n° 2023-1196 du 18 décembre 2023; resources/referentials/
# parcours.json gives the labels and the legal sources) --------------------------------------


class OrientationImpact(StrEnum):
    """How much a barrier weighs in an orientation decision (criteria of D. 262-65-2 CASF)."""

    STRONG = "fort"
    MEDIUM = "moyen"
    NONE = "sans_impact"


class QualificationLevel(StrEnum):
    """Cadre national des certifications professionnelles (décret n° 2019-14)."""

    NONE = "aucun"
    LEVEL_1_2 = "niveau_1_2"
    LEVEL_3 = "niveau_3"
    LEVEL_4 = "niveau_4"
    LEVEL_5 = "niveau_5"
    LEVEL_6 = "niveau_6"
    LEVEL_7_8 = "niveau_7_8"


class ReorientationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class ContractState(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    RENEWED = "renewed"
    ENDED = "ended"


LEGACY_CONTRACT_TYPES = (ContractType.CER, ContractType.PPAE, ContractType.CEJ, ContractType.PACEA)


class FloorReason(StrEnum):
    """Why the 15-hour weekly floor of the contrat d'engagement is lowered or waived."""

    HEALTH = "sante"
    DISABILITY = "handicap"
    INVALIDITY = "invalidite"
    ISOLATED_PARENT = "parent_isole_sans_garde"
    CAREGIVER = "proche_aidant"
    OTHER = "autre_difficulte"


class ExitReason(StrEnum):
    LASTING_JOB = "emploi_durable"
    TRAINING = "formation"
    MOVED = "demenagement"
    STRUCK_OFF = "radiation"
    DEATH = "deces"
    OTHER = "autre"


class BreachKind(StrEnum):
    MISSED_APPOINTMENT = "rdv_manque"
    REFUSED_ACTIVITY = "activite_refusee"
    HOURS_NOT_DONE = "heures_non_realisees"
    CONTRACT_REFUSED = "contrat_refuse"


class RemobilisationDecision(StrEnum):
    NO_ACTION = "sans_suite"
    PARTIAL_SUSPENSION = "suspension_partielle"
    FULL_SUSPENSION = "suspension_totale"
    REMOVAL = "suppression"


class ReviewObstacle(StrEnum):
    """What lets a social-track review wait up to twelve months (art. D. 262-65-2-1 CASF)."""

    HEALTH = "sante"
    DISABILITY = "handicap"
    INVALIDITY = "invalidite"
    HOUSING = "logement"
    FAMILY = "situation_familiale"
