"""Device-only tables: the outbox, the device's own state, caseload summaries.

They never travel to the server and live on their own metadata so that the server's
schema does not carry them.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from spie_desktop.domain.models import NAMING_CONVENTION
from spie_desktop.domain.types import UTCDateTime


class LocalBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: Uuid(as_uuid=True),
        datetime: UTCDateTime(),
        date: Date(),
    }


class OutboxState:
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    REJECTED = "rejected"


class OutboxEntry(LocalBase):
    """One local change waiting for the server's acknowledgement.

    Written in the same transaction as the change itself; deleted only once the
    server acknowledged it. ``fields`` holds the changed fields with their new values.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_seq", "state", "seq"),
        Index("ix_outbox_row", "table_name", "row_id"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID]
    person_id: Mapped[uuid.UUID | None]
    op: Mapped[str] = mapped_column(String(8))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)


class DeviceState(LocalBase):
    """Small key/value state of this device: HLC, sync cursor, account, last sync."""

    __tablename__ = "device_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RowSync(LocalBase):
    """For every synced row: the clock and server seq of its last accepted change.

    ``clocks`` holds the clock of each field's current value where it is known (changes
    pushed or pulled one by one); ``hlc`` is the newest of them (for a row received in a
    snapshot, the row's newest clock on the server). Reconciliation compares these with
    the server's, and re-pushes a field with the clock it had (DESIGN §5).
    """

    __tablename__ = "row_sync"
    __table_args__ = (Index("ix_row_sync_person", "person_id"),)
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID | None]
    hlc: Mapped[str] = mapped_column(String(96))
    seq: Mapped[int | None] = mapped_column(BigInteger)
    clocks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PersonDigest(LocalBase):
    """Per person: the digest of their file as ``sync.apply.local_digests`` computes it
    (rows holding a clock, sum modulo 2**64 of their shares, stored signed), kept so that a
    comparing sync sums these instead of hashing every row (issue 10)."""

    __tablename__ = "person_digest"
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    rows: Mapped[int]
    total: Mapped[int] = mapped_column(BigInteger)


class PersonDigestDirty(LocalBase):
    """Persons whose file was written since their ``person_digest`` was computed: marked in
    the transaction of the write (the store's commit, the sync's clocks and purges), and
    computed again before digests are read."""

    __tablename__ = "person_digest_dirty"
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


# The tables of a person's file (``sync.schema.PERSON_TABLES``; the store does not import
# the sync layer) and the column naming the person.
DIGEST_FILE_TABLES: tuple[tuple[str, str], ...] = (
    ("person", "id"),
    ("referent_assignment", "person_id"),
    ("barrier", "person_id"),
    ("orientation_decision", "person_id"),
    ("reorientation_request", "person_id"),
    ("engagement_contract", "person_id"),
    ("action", "person_id"),
    ("appointment", "person_id"),
    ("note", "person_id"),
    ("closing_review", "person_id"),
    ("breach", "person_id"),
    ("erasure_request", "person_id"),
)


_NOT_MARKED = "NOT EXISTS (SELECT 1 FROM person_digest_dirty AS d WHERE d.person_id = {})"
# (No ``INSERT OR IGNORE`` in a trigger: an outer upsert's conflict policy overrides it.)


def _mark(value: str, condition: str = "") -> str:
    where = f"{value} IS NOT NULL AND {_NOT_MARKED.format(value)}"
    where += f" AND {condition}" if condition else ""
    return f"INSERT INTO person_digest_dirty (person_id) SELECT {value} WHERE {where};"


def _row_sync_marks(ref: str) -> str:
    """A ``row_sync`` row changed: its person (the sync writes it with every clock; a
    person's own row is named by its id)."""
    marks = [_mark(f"{ref}.person_id"), _mark(f"{ref}.row_id", f"{ref}.table_name = 'person'")]
    return " ".join(marks)


def person_digest_triggers() -> list[str]:
    """Triggers marking a person's digest for recomputation whenever a clock of their file
    changes or a row of it disappears or moves — whoever writes, SQL behind the application
    included (issue 10). Rows appearing are marked by the store's commit (``changes``) and
    by their ``row_sync`` clock."""
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS trg_row_sync_digest_{op.lower()} AFTER {op} ON row_sync "
        f"FOR EACH ROW BEGIN {body} END"
        for op, body in (
            ("INSERT", _row_sync_marks("NEW")),
            ("UPDATE", _row_sync_marks("OLD") + " " + _row_sync_marks("NEW")),
            ("DELETE", _row_sync_marks("OLD")),
        )
    ]
    for table, key in DIGEST_FILE_TABLES:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS trg_{table}_digest_delete AFTER DELETE ON {table} "
            f"FOR EACH ROW BEGIN {_mark(f'OLD.{key}')} END"
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS trg_{table}_digest_move AFTER UPDATE OF {key} "
            f"ON {table} FOR EACH ROW BEGIN {_mark(f'OLD.{key}')} {_mark(f'NEW.{key}')} END"
        )
    return statements


ROW_SYNC_DIGEST_TRIGGERS = (
    "trg_row_sync_digest_insert",
    "trg_row_sync_digest_update",
    "trg_row_sync_digest_delete",
)


def drop_person_digest_triggers() -> list[str]:
    names = list(ROW_SYNC_DIGEST_TRIGGERS)
    for table, _key in DIGEST_FILE_TABLES:
        names += [f"trg_{table}_digest_delete", f"trg_{table}_digest_move"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


class PulledSetAside(LocalBase):
    """A row received from the server that this device could not apply, with its reason.

    It never blocks the page, the cursor or the rows behind it (DHIS2's per-record error
    state); it is retried at each sync and shown in the status until it applies.
    """

    __tablename__ = "pull_set_aside"
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID | None]
    seq: Mapped[int | None] = mapped_column(BigInteger)
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class PurgeTombstone(LocalBase):
    """A purge (erasure, retention) the server decided, as it sent it with its MAC: kept so
    that a server restored from a backup taken before it is shown it again and purges the
    person again (issue 10; ``sync.server.tombstone``). Ids and the decision only."""

    __tablename__ = "purge_tombstone"
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    purged_at: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class SyncConflict(LocalBase):
    """A value of this device that lost to another (« modifié aussi par … »), kept until
    the user has seen it: both values, their clocks and who wrote them."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        UniqueConstraint("table_name", "row_id", "field", "our_hlc"),
        Index("ix_sync_conflict_seen", "seen_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID]
    person_id: Mapped[uuid.UUID | None]
    field: Mapped[str] = mapped_column(String(64))
    ours: Mapped[str] = mapped_column(Text)  # JSON text of the value (null is a value)
    our_hlc: Mapped[str] = mapped_column(String(96))
    our_author: Mapped[str | None] = mapped_column(String(200))
    theirs: Mapped[str] = mapped_column(Text)
    their_hlc: Mapped[str] = mapped_column(String(96))
    their_author: Mapped[str | None] = mapped_column(String(200))
    detected_at: Mapped[datetime]
    seen_at: Mapped[datetime | None]


class PersonSummary(LocalBase):
    """Derived, per-person figures for the caseload screen, kept current by the store.

    Computing "next appointment" or "overdue actions" over a million history rows on
    every keystroke would be too slow; these are refreshed in the transaction of every
    write that touches the person, and again once ``valid_until`` passes (the next
    appointment starts or an action falls due).
    """

    __tablename__ = "person_summary"
    __table_args__ = (
        Index("ix_person_summary_last_contact", "last_contact_at"),
        Index("ix_person_summary_next_appointment", "next_appointment_at"),
        Index("ix_person_summary_valid_until", "valid_until"),
        # The name order, with the search key: a keystroke's search walks this index alone
        # (a tenth of the time of reading each summary row in name order, 10,000 persons).
        Index("ix_person_summary_name_search", "sort_name", "person_id", "search_key"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    search_key: Mapped[str] = mapped_column(Text, default="")
    last_contact_at: Mapped[datetime | None]
    next_appointment_at: Mapped[datetime | None]
    missed_not_rescheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome_pending_count: Mapped[int] = mapped_column(Integer, default=0)
    open_barrier_count: Mapped[int] = mapped_column(Integer, default=0)
    open_barrier_themes: Mapped[str] = mapped_column(Text, default="")
    open_action_count: Mapped[int] = mapped_column(Integer, default=0)
    next_action_due: Mapped[date | None]
    valid_until: Mapped[datetime | None]
    # The caseload's name order, as a French reader expects it: accents and case ignored
    # (MARCHAND, MARÉCHAL, MARIN), last name then first name (summary.sort_name).
    sort_name: Mapped[str] = mapped_column(Text, default="")
    # The accompaniment path's deadlines (spie_desktop.domain.deadlines), computed with the
    # department settings in force; NULL when the deadline does not apply.
    orientation_due_on: Mapped[date | None]
    contract_due_on: Mapped[date | None]
    track_review_due_on: Mapped[date | None]
    contract_ends_on: Mapped[date | None]
    legacy_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly_floor_minutes: Mapped[int | None] = mapped_column(Integer)
    planned_minutes_week: Mapped[int] = mapped_column(Integer, default=0)
    below_floor: Mapped[bool] = mapped_column(Boolean, default=False)


class HandoverState:
    PENDING = "pending"
    DONE = "done"
    REFUSED = "refused"


class HandoverRequestEntry(LocalBase):
    """A handover asked on this device (*passation*), waiting for the server's decision.

    Written by the handover use-case, sent by the sync engine to ``POST /sync/handover``
    with its ``request_id`` (a retried send never hands over twice), then kept with the
    decision: ``done`` (the new assignment's id) or ``refused`` (code and French message).
    Nothing of the person moves on the device until the server's decision is pulled.
    """

    __tablename__ = "handover_request"
    __table_args__ = (Index("ix_handover_request_state", "state", "created_at"),)
    request_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    batch_id: Mapped[uuid.UUID]
    person_id: Mapped[uuid.UUID]
    from_referent_id: Mapped[uuid.UUID | None]
    to_referent_id: Mapped[uuid.UUID]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(12), default=HandoverState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    assignment_id: Mapped[uuid.UUID | None]
    decided_at: Mapped[datetime | None]


class DirectoryStructure(LocalBase):
    """A partner structure of the department's directory (data·inclusion; issue 16).

    Received from the server's directory (``GET /sync/directory``), never pushed: the
    record is kept whole (``data``), with the columns the searches read."""

    __tablename__ = "directory_structure"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class DirectoryService(LocalBase):
    """A partner service of the directory; the search columns are derived from ``data``
    when the record is received (``services.directory.apply_records``): the lists as
    ``|a|b|`` for a LIKE on one value. Its words (lower case, no accents) are in
    :data:`DIRECTORY_FTS`, out of this table that every other search scans."""

    __tablename__ = "directory_service"
    __table_args__ = (
        Index("ix_directory_service_status_insee", "status", "code_insee"),
        Index("ix_directory_service_structure", "structure_id"),
        # A distance search reads the positions of a latitude band from this index alone.
        Index("ix_directory_service_position", "latitude", "longitude", "status"),
    )

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    structure_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str] = mapped_column(String(10))
    thematiques: Mapped[str] = mapped_column(Text)
    publics: Mapped[str] = mapped_column(Text)
    modes_accueil: Mapped[str] = mapped_column(String(40))
    frais: Mapped[str | None] = mapped_column(String(10), nullable=True)
    code_insee: Mapped[str | None] = mapped_column(String(5), nullable=True)
    commune: Mapped[str | None] = mapped_column(String(100), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    weekly_hours: Mapped[float | None] = mapped_column(Float, nullable=True)


# The words of each directory service (name, structure, commune, description, themes;
# ``services.directory.normalise``d), in an FTS5 table with the trigram tokenizer: a word of
# three letters or more is found as ``search_text GLOB '*word*'``, which FTS5 answers from
# the index (the rows holding every trigram of the word), SQLite checking each candidate;
# exact like Python's ``in`` (``case_sensitive 1``: the text is already folded). ``detail =
# none``: no positions, a third of the size and of the time to fill (the first directory
# sync) of a full index, measured. Its rowid is derived from the service id
# (:func:`fts_rowid`) so that a record received again replaces its row without a scan. Not
# a mapped table (SQLAlchemy has no virtual tables): created with ``directory_service``
# (migration 0014), this Table is for queries only.
DIRECTORY_FTS_DDL = (
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5("
    "id UNINDEXED, search_text, tokenize = 'trigram case_sensitive 1', detail = none)"
)
DIRECTORY_FTS = Table(
    "directory_service_fts",
    MetaData(),
    Column("rowid", Integer, primary_key=True),
    Column("id", String(255)),
    Column("search_text", Text),
)


def is_directory_fts(table_name: str) -> bool:
    """The FTS table or one of the shadow tables SQLite keeps for it: not in the models, so
    that autogenerate (migrations, their tests) must not see them."""
    return table_name == "directory_service_fts" or table_name.startswith("directory_service_fts_")


def fts_rowid(service_id: str) -> int:
    """The rowid of a service's words in :data:`DIRECTORY_FTS`: 64 bits of its id's BLAKE2b
    (two ids of a 20,000-service directory share one with a probability of about 1e-11)."""
    digest = hashlib.blake2b(service_id.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


event.listen(DirectoryService.__table__, "after_create", DDL(DIRECTORY_FTS_DDL))  # type: ignore[no-untyped-call]
event.listen(
    DirectoryService.__table__,
    "before_drop",
    DDL("DROP TABLE IF EXISTS directory_service_fts"),  # type: ignore[no-untyped-call]
)


class DirectoryServiceData(LocalBase):
    """The whole data·inclusion record of a directory service, apart from the search
    columns: a search scans ``directory_service`` only, whose rows stay small (with the
    record in them, 20,000 rows were ≈ 40 MB for SQLCipher to decrypt at each scan)."""

    __tablename__ = "directory_service_data"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


def _create_digest_triggers(_target: Any, connection: Any, **_kw: Any) -> None:
    """``create_all`` builds what the migrations build: the triggers too, once the file's
    tables and ``row_sync`` exist (the domain's metadata is created first)."""
    from sqlalchemy import inspect as sa_inspect

    names = set(sa_inspect(connection).get_table_names())
    if "row_sync" in names and all(table in names for table, _key in DIGEST_FILE_TABLES):
        for statement in person_digest_triggers():
            connection.exec_driver_sql(statement)


event.listen(LocalBase.metadata, "after_create", _create_digest_triggers)
