"""The sync protocol's wire schema (DESIGN §5), shared by the device and the server.

Versioned: every request and answer carries ``protocol``; a server refuses a version it
does not speak with ``unsupported_protocol``. The OpenAPI document of the server is
generated from these models, so it is the contract a department's own system implements.

- **Push** ``POST /sync/push`` (:class:`PushRequest` → :class:`PushResponse`): outbox
  changes, applied idempotently by ``change_id`` and merged field by field (last writer
  wins by hybrid logical clock, device id as tie-break). Each change is answered
  ``accepted`` (with its ``seq``), ``merged`` (some fields lost to newer values, which are
  returned in ``winners``) or ``refused`` (``code`` + French ``message``).
- **Pull** ``GET /sync/pull?since=CURSOR&limit=N`` (:class:`PullResponse`): a page of
  what this user may see after the cursor, then ``next`` and ``more``. The cursor is
  opaque (``"0"`` asks for a full download of the scope: a *snapshot* of current rows,
  then the change log). A cursor the server does not know is answered ``410
  cursor_unknown``: the device re-downloads its scope and keeps its unsynced edits.
- **Errors**: every refusal is an :class:`ErrorBody` with a machine ``code`` and a French
  ``message`` (:data:`MESSAGES`).
- **Wire**: JSON, compressed with zstd or gzip in both directions
  (``Content-Encoding`` / ``Accept-Encoding``).

The hybrid logical clock lives in :mod:`spie_desktop.domain.hlc` (the device stamps its
outbox with it); it is re-exported here as part of the protocol.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spie_desktop.domain.department_settings import DepartmentSettingsValues
from spie_desktop.domain.hlc import HlcTimestamp, HybridLogicalClock
from spie_desktop.domain.models import SYNCED_MODELS

__all__ = [
    "DEFAULT_PULL_LIMIT",
    "HLC_PATTERN",
    "MAX_CLOCK_AHEAD_MS",
    "MAX_PULL_LIMIT",
    "MAX_PUSH_CHANGES",
    "MESSAGES",
    "PROTOCOL_VERSION",
    "AuditEntry",
    "AuditPage",
    "ChangeResult",
    "ClockReport",
    "DiffRequest",
    "DiffResponse",
    "ErrorBody",
    "ErrorCode",
    "HandoverRequest",
    "HandoverResponse",
    "HealthResponse",
    "HlcTimestamp",
    "HybridLogicalClock",
    "LoginRequest",
    "PullResponse",
    "PulledChange",
    "PushRequest",
    "PushResponse",
    "RefreshRequest",
    "RowBlock",
    "TokenResponse",
    "UserInfo",
    "WinningValue",
    "WireChange",
    "message_for",
]

PROTOCOL_VERSION = 1

# Revocation kinds (issue 10): a lost or stolen device is refused at once; a retired one may
# still push (its final push), then is told to wipe. The kind is the ``detail`` of the
# ``device_revoked`` answer.
REVOKE_LOST = "lost"
REVOKE_RETIRED = "retired"
REVOKE_KINDS = (REVOKE_LOST, REVOKE_RETIRED)
# Sent by the device on every request: how many changes it has not pushed yet — what the
# wipe destroys if the server refuses this request as a revoked device's (it records it).
UNSENT_HEADER = "X-Spie-Unsent"
"""Version of this wire schema. Bumped on any incompatible change."""

MAX_PUSH_CHANGES = 500
"""Most changes in one push; a device sends smaller batches (200 by default)."""

DEFAULT_PULL_LIMIT = 1000
MAX_PULL_LIMIT = 5000
"""Rows per pull page: 1,000 rows are ~40 KB of zstd, 5 s at 64 kbit/s."""

MAX_FIELDS_PER_CHANGE = 64
MAX_DIFF_ROWS = 5000
MAX_FILES = 200
MAX_TOMBSTONES = 500
DIGEST_PATTERN = r"^[0-9]{1,9}:[0-9a-f]{16}$"
"""Rows compared in one reconciliation request."""
MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000
"""The server never trusts a device clock more than 5 minutes ahead of its own."""

HLC_PATTERN = r"^[0-9a-f]{12}-[0-9a-f]{4}-[0-9A-Za-z_.]{1,64}$"
DEVICE_ID_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z_.\-]{0,63}$"

SYNCED_TABLE_NAMES: tuple[str, ...] = tuple(SYNCED_MODELS)
"""Every table that travels through the protocol (the OpenAPI document lists them)."""

ProtocolVersion = Annotated[
    int, Field(json_schema_extra={"enum": [PROTOCOL_VERSION]}, description="Version du protocole.")
]
TableName = Annotated[str, Field(json_schema_extra={"enum": list(SYNCED_TABLE_NAMES)})]

SERVER_NODE = "server"
"""HLC node of changes made on the server itself (administration, imports, purges)."""


class ErrorCode(StrEnum):
    """Machine codes of every refusal. :data:`MESSAGES` gives the French sentence."""

    # request shape
    INVALID_JSON = "invalid_json"
    INVALID_REQUEST = "invalid_request"
    UNSUPPORTED_PROTOCOL = "unsupported_protocol"
    UNSUPPORTED_ENCODING = "unsupported_encoding"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    BATCH_TOO_LARGE = "batch_too_large"
    # change content (the whole push is refused, nothing applied)
    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_FIELD = "unknown_field"
    INVALID_VALUE = "invalid_value"
    UNKNOWN_CODE = "unknown_code"
    CHANGE_ID_REUSED = "change_id_reused"
    DUPLICATE_CHANGE_ID = "duplicate_change_id"
    # authentication / authorisation
    AUTH_REQUIRED = "auth_required"
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    REFRESH_INVALID = "refresh_invalid"
    BAD_CREDENTIALS = "bad_credentials"
    ACCOUNT_DISABLED = "account_disabled"
    DEVICE_REVOKED = "device_revoked"
    DEVICE_MISMATCH = "device_mismatch"
    READ_ONLY_ROLE = "read_only_role"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    # per-change refusals (answered inside a 200 push response)
    OUT_OF_SCOPE = "out_of_scope"
    READ_ONLY_TABLE = "read_only_table"
    UNKNOWN_ROW = "unknown_row"
    INCOMPLETE_ROW = "incomplete_row"
    CONSTRAINT_VIOLATION = "constraint_violation"
    APPEND_ONLY = "append_only"
    PERSON_PURGED = "person_purged"
    PROVENANCE_MISMATCH = "provenance_mismatch"
    HANDOVER_SERVER_ONLY = "handover_server_only"
    TEAM_SERVER_ONLY = "team_server_only"
    DECISION_SERVER_ONLY = "decision_server_only"
    AFTER_HANDOVER = "after_handover"
    CROSS_PERSON_REFERENCE = "cross_person_reference"
    SETTINGS_SERVER_ONLY = "settings_server_only"
    # handover (POST /sync/handover)
    INVALID_HANDOVER_TARGET = "invalid_handover_target"
    SAME_REFERENT = "same_referent"
    HANDOVER_STALE = "handover_stale"
    REQUEST_ID_REUSED = "request_id_reused"
    # sensitive notes (POST /sync/reveal)
    REASON_REQUIRED = "reason_required"
    REVEAL_FORBIDDEN = "reveal_forbidden"
    # the team's audit log (GET /audit/events)
    SUPERVISOR_ONLY = "supervisor_only"
    TEAM_OUT_OF_SCOPE = "team_out_of_scope"
    # pull
    CURSOR_UNKNOWN = "cursor_unknown"
    # tombstones presented again (POST /sync/tombstones, answered per tombstone)
    TOMBSTONE_INVALID = "tombstone_invalid"
    # server
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INTERNAL_ERROR = "internal_error"
    UNAVAILABLE = "unavailable"


MESSAGES: dict[str, str] = {
    ErrorCode.INVALID_JSON: "Requête illisible : le contenu n'est pas du JSON valide.",
    ErrorCode.INVALID_REQUEST: "Requête invalide.",
    ErrorCode.UNSUPPORTED_PROTOCOL: (
        "Version du protocole de synchronisation non prise en charge : mettez l'application à jour."
    ),
    ErrorCode.UNSUPPORTED_ENCODING: "Compression non prise en charge (zstd ou gzip seulement).",
    ErrorCode.PAYLOAD_TOO_LARGE: "Requête trop volumineuse.",
    ErrorCode.BATCH_TOO_LARGE: (
        f"Trop de modifications dans un seul envoi ({MAX_PUSH_CHANGES} au plus)."
    ),
    ErrorCode.UNKNOWN_TABLE: "Table inconnue.",
    ErrorCode.UNKNOWN_FIELD: "Champ inconnu.",
    ErrorCode.INVALID_VALUE: "Valeur invalide.",
    ErrorCode.UNKNOWN_CODE: "Code inconnu dans le référentiel.",
    ErrorCode.CHANGE_ID_REUSED: (
        "Cet identifiant de modification a déjà été utilisé pour un contenu différent."
    ),
    ErrorCode.DUPLICATE_CHANGE_ID: "Le même identifiant de modification figure deux fois.",
    ErrorCode.AUTH_REQUIRED: "Authentification requise.",
    ErrorCode.TOKEN_INVALID: "Jeton d'accès invalide : reconnectez-vous.",
    ErrorCode.TOKEN_EXPIRED: "Session expirée.",
    ErrorCode.REFRESH_INVALID: (
        "Votre session sur cet appareil n'est plus valide : reconnectez-vous avec votre "
        "mot de passe."
    ),
    ErrorCode.BAD_CREDENTIALS: (
        "Identifiant ou mot de passe incorrect (ou compte désactivé : voyez votre administrateur)."
    ),
    ErrorCode.ACCOUNT_DISABLED: "Ce compte est désactivé : contactez votre administrateur.",
    ErrorCode.DEVICE_REVOKED: (
        "Cet appareil a été révoqué par l'administrateur : les données locales vont être effacées."
    ),
    ErrorCode.DEVICE_MISMATCH: "Cet appareil est déjà rattaché à un autre compte.",
    ErrorCode.READ_ONLY_ROLE: (
        "Vous consultez ces dossiers en lecture seule (responsable d'équipe) : vos "
        "modifications ne peuvent pas être envoyées."
    ),
    ErrorCode.TOO_MANY_ATTEMPTS: "Trop de tentatives de connexion : réessayez dans 15 minutes.",
    ErrorCode.OUT_OF_SCOPE: "Cette personne ne fait pas partie de votre portefeuille.",
    ErrorCode.READ_ONLY_TABLE: "Ces données sont gérées par le serveur départemental.",
    ErrorCode.UNKNOWN_ROW: "L'élément modifié n'existe pas sur le serveur.",
    ErrorCode.INCOMPLETE_ROW: "Création incomplète : des champs obligatoires manquent.",
    ErrorCode.CONSTRAINT_VIOLATION: "Modification refusée par les règles de cohérence.",
    ErrorCode.APPEND_ONLY: "Cet élément ne se modifie pas une fois écrit.",
    ErrorCode.PERSON_PURGED: (
        "Ce dossier a été supprimé du serveur (durée de conservation dépassée ou effacement)."
    ),
    ErrorCode.PROVENANCE_MISMATCH: (
        "L'auteur, l'acteur ou l'appareil indiqué n'est pas celui qui envoie : le serveur "
        "les fixe lui-même."
    ),
    ErrorCode.HANDOVER_SERVER_ONLY: (
        "Le changement de référent se fait par une passation validée par le serveur."
    ),
    ErrorCode.TEAM_SERVER_ONLY: (
        "L'équipe d'une personne est fixée par le serveur (création, passation, import) : "
        "elle ne se change pas depuis un appareil."
    ),
    ErrorCode.DECISION_SERVER_ONLY: (
        "La décision sur une demande d'effacement est prise par l'administration "
        "départementale sur le serveur, pas depuis un appareil."
    ),
    ErrorCode.AFTER_HANDOVER: (
        "Cette personne a été confiée à un autre référent : les modifications faites après "
        "la passation ne sont plus acceptées."
    ),
    ErrorCode.CROSS_PERSON_REFERENCE: (
        "Cet élément fait référence au dossier d'une autre personne."
    ),
    ErrorCode.SETTINGS_SERVER_ONLY: (
        "Les réglages du département se décident sur le serveur départemental "
        "(spie-server admin settings), pas depuis un appareil."
    ),
    ErrorCode.INVALID_HANDOVER_TARGET: (
        "Passation impossible vers ce compte : un référent actif de l'équipe est attendu "
        "(un responsable ou un administrateur peut confier à une autre équipe)."
    ),
    ErrorCode.SAME_REFERENT: "Cette personne est déjà suivie par ce référent.",
    ErrorCode.HANDOVER_STALE: (
        "Cette personne a été confiée à un autre référent entre-temps : la passation "
        "demandée n'a pas été faite."
    ),
    ErrorCode.REQUEST_ID_REUSED: (
        "Cet identifiant de demande a déjà servi pour une autre passation."
    ),
    ErrorCode.REASON_REQUIRED: "Indiquez le motif de la consultation.",
    ErrorCode.REVEAL_FORBIDDEN: (
        "Les notes sensibles ne peuvent pas être consultées par les responsables dans ce "
        "département."
    ),
    ErrorCode.SUPERVISOR_ONLY: (
        "Le journal d'audit de l'équipe est réservé aux responsables d'équipe."
    ),
    ErrorCode.TEAM_OUT_OF_SCOPE: "Cette équipe ne fait pas partie de celles que vous encadrez.",
    ErrorCode.CURSOR_UNKNOWN: (
        "Le serveur ne reconnaît pas l'état de synchronisation de cet appareil (serveur "
        "restauré d'une sauvegarde ?) : l'appareil et le serveur vont comparer ce qu'ils "
        "détiennent."
    ),
    ErrorCode.TOMBSTONE_INVALID: (
        "Effacement refusé : cette décision n'a pas été prise par ce serveur (signature "
        "invalide) ; rien n'a été effacé."
    ),
    ErrorCode.NOT_FOUND: "Adresse inconnue.",
    ErrorCode.METHOD_NOT_ALLOWED: "Méthode non permise.",
    ErrorCode.INTERNAL_ERROR: "Erreur interne du serveur : réessayez plus tard.",
    ErrorCode.UNAVAILABLE: "Serveur momentanément indisponible : réessayez plus tard.",
}


def message_for(code: str) -> str:
    return MESSAGES.get(code, "Erreur.")


# -- errors ------------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    """Body of every 4xx/5xx answer."""

    code: ErrorCode = Field(description="Code machine, stable (voir ErrorCode).")
    message: str = Field(description="Phrase en français pour l'utilisateur.")
    detail: str | None = Field(default=None, description="Précision (champ, contrainte…).")
    change_id: uuid.UUID | None = Field(
        default=None, description="La modification en cause, pour un envoi refusé."
    )
    field: str | None = None


# -- authentication ----------------------------------------------------------------------------


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(pattern=DEVICE_ID_PATTERN, description="Identifiant de l'appareil.")
    device_name: str | None = Field(default=None, max_length=100)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    refresh_token: str = Field(min_length=16, max_length=256)
    device_id: str = Field(pattern=DEVICE_ID_PATTERN)
    rotation_id: uuid.UUID | None = Field(
        default=None,
        description=(
            "Identifiant de ce renouvellement, gardé par l'appareil jusqu'à ce qu'il ait rangé "
            "le jeton suivant : renvoyé avec le même jeton après une réponse perdue, il obtient "
            "une nouvelle réponse au lieu de révoquer la famille."
        ),
    )


class UserInfo(BaseModel):
    id: uuid.UUID = Field(description="Identifiant du référent (table referent).")
    username: str
    first_name: str
    last_name: str
    role: Literal["referent", "supervisor", "admin"]
    team_id: uuid.UUID | None = None


class TokenResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Durée de validité du jeton d'accès, en secondes.")
    refresh_token: str | None = Field(
        default=None,
        description=(
            "Jeton de renouvellement lié à l'appareil, à usage unique : à ranger à la place "
            "du précédent (connexion et renouvellement)."
        ),
    )
    user: UserInfo
    device_id: str
    server_time: datetime


# -- push --------------------------------------------------------------------------------------


class WireChange(BaseModel):
    """One outbox entry of a device."""

    model_config = ConfigDict(extra="forbid")

    change_id: uuid.UUID
    table: str = Field(
        min_length=1, max_length=64, json_schema_extra={"enum": list(SYNCED_TABLE_NAMES)}
    )
    row_id: uuid.UUID
    op: Literal["upsert", "delete"]
    fields: dict[str, Any] = Field(
        description="Champs modifiés et leurs nouvelles valeurs (forme JSON).",
    )
    hlc: str = Field(pattern=HLC_PATTERN, description="Horloge logique hybride de l'appareil.")
    replay: bool = Field(
        default=False,
        description=(
            "Modification déjà acquittée, renvoyée lors d'une réconciliation avec son "
            "horloge d'origine (le serveur ne la renumérote pas)."
        ),
    )


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    changes: list[WireChange] = Field(
        max_length=MAX_PUSH_CHANGES, description=f"{MAX_PUSH_CHANGES} au plus."
    )
    device_time: datetime | None = Field(
        default=None,
        description="Heure de l'appareil à l'envoi : sert à signaler une horloge déréglée.",
    )
    generation: int | None = Field(
        default=None,
        ge=0,
        description=(
            "Génération de l'appareil, croissante : une valeur plus basse que la dernière "
            "vue signale un appareil restauré d'une ancienne copie."
        ),
    )
    cursor: str | None = Field(
        default=None,
        max_length=120,
        description=(
            "Curseur de réception de l'appareil : le serveur sait ainsi quelles valeurs il "
            "avait reçues, et signale à leur auteur celles qu'il écrase sans les avoir vues."
        ),
    )


class WinningValue(BaseModel):
    """The value that won over a pushed field (LWW), and who wrote it."""

    value: Any
    hlc: str
    author: str | None = Field(default=None, description="Nom de l'auteur de la valeur gagnante.")


class ChangeResult(BaseModel):
    change_id: uuid.UUID
    status: Literal["accepted", "merged", "refused"]
    seq: int | None = Field(default=None, description="Numéro d'ordre attribué par le serveur.")
    hlc: str | None = Field(default=None, description="Horodatage retenu (après correction).")
    winners: dict[str, WinningValue] = Field(
        default_factory=dict, description="Champs où une valeur plus récente l'a emporté."
    )
    duplicate: bool = Field(default=False, description="Déjà reçue : acquittée de nouveau.")
    code: ErrorCode | None = None
    message: str | None = None


class ClockReport(BaseModel):
    """The device clock was ahead of the server's by more than the tolerance."""

    skew_ms: int = Field(description="Avance de l'horloge de l'appareil, en millisecondes.")
    clamped: bool
    message: str


class PushResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    results: list[ChangeResult]
    server_time: datetime
    clock: ClockReport | None = None
    restored: bool = Field(
        default=False, description="L'appareil semble restauré d'une ancienne copie."
    )
    generation: int | None = Field(default=None, description="Génération connue du serveur.")


class DiffRequest(BaseModel):
    """Reconciliation (CouchDB's ``revs_diff``): the device's rows and their clocks."""

    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    rows: list[tuple[str, uuid.UUID, str]] = Field(
        max_length=MAX_DIFF_ROWS, description="(table, id, horloge la plus récente de la ligne)."
    )


class DiffResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    missing: list[tuple[str, uuid.UUID]] = Field(
        default_factory=list, description="Lignes que le serveur n'a pas."
    )
    older: list[tuple[str, uuid.UUID, dict[str, str]]] = Field(
        default_factory=list,
        description="Lignes que le serveur a dans un état plus ancien, avec ses horloges.",
    )


class Tombstone(BaseModel):
    """A purge (erasure, retention) the server decided, authenticated by it: the device
    keeps it and presents it again to a server restored from an older backup, which
    applies it again if the MAC is its own (``sync.server.tombstone``)."""

    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    purged_at: str = Field(
        max_length=40, description="Moment de la décision (UTC, « AAAA-MM-JJTHH:MM:SS.ffffffZ »)."
    )
    reason: str = Field(max_length=64, description="erasure, retention:<n>m…")
    mac: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="HMAC-SHA256 du serveur sur les trois champs."
    )


class TombstonesRequest(BaseModel):
    """The tombstones a device holds, presented after its cursor was unknown."""

    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    tombstones: list[Tombstone] = Field(min_length=1, max_length=MAX_TOMBSTONES)


class TombstoneResult(BaseModel):
    person_id: uuid.UUID
    status: Literal["applied", "known", "refused"] = Field(
        description=(
            "applied : effacement appliqué à nouveau ; known : déjà effacée ici ; refused : "
            "signature invalide, rien d'effacé (voir « code »)."
        )
    )
    code: ErrorCode | None = None


class TombstonesResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    results: list[TombstoneResult] = Field(default_factory=list)


# -- pull --------------------------------------------------------------------------------------


class RowBlock(BaseModel):
    """Whole rows of one table, column-wise (compact on the wire)."""

    table: TableName
    columns: list[str]
    rows: list[list[Any]]
    hlcs: list[str | None] | None = Field(
        default=None, description="Horloge la plus récente de chaque ligne (même ordre)."
    )


class PulledChange(BaseModel):
    """One change-log entry visible to the device.

    ``kind``: ``change`` (fields of a row), ``grant`` (a person enters the scope:
    ``snapshot`` carries their whole history), ``revoke`` (the person leaves the scope:
    push what is pending for them, then purge them locally), ``purge`` (retention or
    erasure: remove the person and their history now).
    """

    seq: int
    kind: Literal["change", "grant", "revoke", "purge", "conflict"]
    table: TableName | None = None
    row_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    op: Literal["upsert", "delete"] | None = None
    fields: dict[str, Any] = Field(default_factory=dict)
    hlc: str | None = None
    clocks: dict[str, str] | None = Field(
        default=None,
        description=(
            "Pour l'entrée qui a créé la ligne : horloges des champs dont la valeur envoyée "
            "est plus récente que ``hlc`` (la ligne est envoyée entière)."
        ),
    )
    read_only: bool | None = Field(default=None, description="Pour un grant : lecture seule.")
    tombstone: Tombstone | None = Field(
        default=None,
        description="Pour un purge : la décision authentifiée par le serveur, à conserver.",
    )
    snapshot: list[RowBlock] = Field(default_factory=list)


class PullResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    mode: Literal["snapshot", "log"]
    snapshot: list[RowBlock] = Field(
        default_factory=list, description="Lignes complètes (téléchargement initial)."
    )
    changes: list[PulledChange] = Field(default_factory=list)
    next: str = Field(description="Curseur à renvoyer dans « since » pour la page suivante.")
    more: bool
    counts: dict[str, int] | None = Field(
        default=None,
        description=(
            "Nombre de lignes vivantes par table dans le périmètre de l'appareil, donné "
            "avec la dernière page pour vérification."
        ),
    )
    digest: str | None = Field(
        default=None,
        pattern=DIGEST_PATTERN,
        description=(
            "Empreinte du périmètre (« lignes:somme » des horloges des lignes des dossiers), "
            "donnée avec les comptes : l'appareil compare la sienne et, si elles diffèrent, "
            "demande « /sync/digests »."
        ),
    )
    hlc: str | None = Field(default=None, description="Plus grande horloge de la page.")
    restored: bool = Field(
        default=False, description="L'appareil semble restauré d'une ancienne copie."
    )
    generation: int | None = Field(default=None, description="Génération connue du serveur.")
    directory: int | None = Field(
        default=None,
        description=(
            "Version de l'annuaire des partenaires sur le serveur, donnée avec la dernière "
            "page : l'appareil ne demande « /sync/directory » que si la sienne est plus ancienne."
        ),
    )
    settings: int | None = Field(
        default=None,
        description=(
            "Version des réglages du département, donnée avec la dernière page : l'appareil "
            "ne demande « /sync/settings » que si la sienne est différente."
        ),
    )
    server_time: datetime


# -- digests (issue 10: divergence made of edits alone) -----------------------------------------


class DigestsResponse(BaseModel):
    """The digest of every person of the device's scope (``GET /sync/digests``)."""

    protocol: ProtocolVersion = PROTOCOL_VERSION
    persons: list[tuple[uuid.UUID, Annotated[str, Field(pattern=DIGEST_PATTERN)]]] = Field(
        default_factory=list, description="(personne, « lignes:somme » de son dossier)."
    )


class FilesRequest(BaseModel):
    """Whole files of persons of the scope, to repair them (``POST /sync/files``)."""

    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    person_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_FILES)


class FilesResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    snapshot: list[RowBlock] = Field(
        default_factory=list, description="Les dossiers demandés, lignes complètes."
    )
    missing: list[uuid.UUID] = Field(
        default_factory=list, description="Personnes demandées hors du périmètre."
    )
    tombstones: list[Tombstone] = Field(
        default_factory=list,
        description=(
            "Parmi les personnes hors du périmètre, celles dont le dossier a été effacé ou "
            "purgé et que l'appareil a suivies : la décision authentifiée, que l'appareil "
            "garde (comme celle reçue dans le journal)."
        ),
    )
    hlc: str | None = Field(default=None, description="Plus grande horloge envoyée.")
    server_time: datetime


# -- handover ----------------------------------------------------------------------------------


class HandoverRequest(BaseModel):
    """Hand a person over to another referent (*passation*), decided by the caller."""

    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    person_id: uuid.UUID
    referent_id: uuid.UUID = Field(description="Le référent qui suivra désormais la personne.")
    note: str | None = Field(default=None, max_length=20_000, description="Note de passation.")
    request_id: uuid.UUID | None = Field(
        default=None,
        description=(
            "Identifiant de la demande, choisi par l'appareil : une demande renvoyée avec le "
            "même identifiant (et le même contenu) reçoit la réponse de la première, sans "
            "seconde passation."
        ),
    )
    from_referent_id: uuid.UUID | None = Field(
        default=None,
        description=(
            "Le référent qui suivait la personne quand la demande a été faite : si la "
            "personne a été confiée à quelqu'un d'autre depuis, la demande est refusée "
            "(`handover_stale`)."
        ),
    )


class HandoverResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    assignment_id: uuid.UUID
    person_id: uuid.UUID
    referent_id: uuid.UUID
    replayed: bool = Field(
        default=False, description="Demande déjà décidée : la réponse de la première."
    )
    server_time: datetime


class RevealRequest(BaseModel):
    """Reveal one sensitive note (a supervisor, when the department allows it)."""

    model_config = ConfigDict(extra="forbid")

    protocol: ProtocolVersion = PROTOCOL_VERSION
    note_id: uuid.UUID
    reason: str = Field(
        max_length=200, description="Motif de la consultation, écrit au journal d'audit."
    )


class RevealResponse(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    note_id: uuid.UUID
    person_id: uuid.UUID
    text: str = Field(description="Le texte de cette note, et d'elle seule.")
    server_time: datetime


class DepartmentLogo(BaseModel):
    media_type: Literal["image/png", "image/svg+xml"]
    data: str = Field(description="Le fichier, en base64.", max_length=800_000)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class DepartmentSettingsResponse(BaseModel):
    """The department's settings (``GET /sync/settings``): decided on the server, read-only
    on every device."""

    protocol: ProtocolVersion = PROTOCOL_VERSION
    version: int = Field(ge=0, description="0 : aucun réglage fixé (valeurs par défaut).")
    values: DepartmentSettingsValues
    logo: DepartmentLogo | None = Field(
        default=None, description="Logo des courriers (aucun : le logo neutre de l'application)."
    )
    server_time: datetime


# -- the team's audit log (GET /audit/events) ---------------------------------------------

AUDIT_KINDS: tuple[str, ...] = ("open", "change", "export", "print", "reveal")
"""What an audit line records (spie_desktop.domain.enums.AuditAction)."""
DEFAULT_AUDIT_LIMIT = 500
MAX_AUDIT_LIMIT = 5000
AuditKind = Literal["open", "change", "export", "print", "reveal"]


class AuditEntry(BaseModel):
    """One line of the audit log: who did what to which file, from which device."""

    id: uuid.UUID
    occurred_at: datetime
    action: AuditKind
    person_id: uuid.UUID | None = Field(
        default=None, description="La personne concernée (aucune : un export d'équipe…)."
    )
    person_name: str | None = Field(
        default=None, description="« NOM Prénom » de la personne, tel que le serveur le tient."
    )
    actor_id: uuid.UUID | None = None
    actor_username: str | None = None
    actor_name: str | None = Field(default=None, description="« Prénom Nom » de l'auteur.")
    device_id: str | None = None
    detail: str | None = None


class AuditPage(BaseModel):
    protocol: ProtocolVersion = PROTOCOL_VERSION
    entries: list[AuditEntry] = Field(
        description="Les lignes, des plus récentes aux plus anciennes."
    )
    truncated: bool = Field(
        description="D'autres lignes répondent aux filtres au-delà de `limit` : affiner."
    )
    server_time: datetime


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    protocol: ProtocolVersion = PROTOCOL_VERSION
    server_time: datetime


# -- the directory of partner services (issue 16) -------------------------------------------


class DirectoryRecord(BaseModel):
    kind: Literal["structure", "service"]
    id: str
    status: Literal["open", "closed"]
    origin: Literal["import", "local"]
    data: dict[str, Any] = Field(description="L'enregistrement data·inclusion v1 tel que validé.")


class DirectoryPage(BaseModel):
    records: list[DirectoryRecord] = Field(default_factory=list)
    next: str = Field(description="Curseur d'annuaire à renvoyer dans « since ».")
    more: bool
