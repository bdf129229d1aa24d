"""Server-only tables (DESIGN §6). The domain tables are ``spie_desktop.domain.models``.

- ``server_meta``: key/value (token signing secret, server HLC).
- ``server_counter``: the change-log sequence. Appending takes this row's lock until
  commit, so sequence numbers become visible in order (no change ever skipped by a
  cursor, on PostgreSQL as on SQLite: DESIGN §5 "safe horizon").
- ``seq_mark``: one random mark per append transaction (range of seqs); a device's cursor
  carries the mark, so a server restored from an older backup recognises cursors it
  never issued (``cursor_unknown``) even once its sequence has moved past them again.
- ``account`` (Argon2 hash, bound to a ``referent`` row), ``device``, ``refresh_token``.
- ``login_throttle``: failed logins per account, per client address and per pair.
- ``supervision``: extra teams a supervisor oversees (besides their own team).
- ``access``: who may see which person, over which seq range (grant → revoke). Pull
  visibility and push authorisation both read it.
- ``change_log``: every accepted change with its ``seq``, the fields applied, the values
  they overwrote and the values that lost (LWW), the author and device.
- ``row_clock``: per row, the HLC of each field's current value (field-level LWW).
- ``person_digest``: per person, the digest of their file (rows and sum of the rows'
  shares), kept current at each write so that a scope's digest is a sum over its persons.
- ``purged_person``: persons removed by retention or erasure (ids only).
- ``purged_row``: the rows those persons had (ids only), so that a late push to one of
  them is answered ``person_purged``.
- ``admin_log``: administrators' actions, exported with the audit log.
- ``department_setting``: the department's settings (sync/server/department.py), one row
  per key set by ``spie-server admin settings``; their version is the ``settings`` row of
  ``server_counter``.
- ``handover_request``: handovers asked from a device, by request id (a retried send gets
  the first answer, never a second handover).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from spie_desktop.domain.models import NAMING_CONVENTION, Referent, Team
from spie_desktop.domain.types import UTCDateTime

metadata = MetaData(naming_convention=NAMING_CONVENTION)

_referent_id = Referent.__table__.c.id
_team_id = Team.__table__.c.id

server_meta = Table(
    "server_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

server_counter = Table(
    "server_counter",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

seq_mark = Table(
    "seq_mark",
    metadata,
    Column("first_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("mark", String(16), nullable=False),
    Index("ix_seq_mark_last", "last_seq"),
)

account = Table(
    "account",
    metadata,
    Column("id", Uuid(as_uuid=True), primary_key=True),
    Column(
        "referent_id", Uuid(as_uuid=True), ForeignKey(_referent_id), nullable=False, unique=True
    ),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=True),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("password_changed_at", UTCDateTime(), nullable=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime(), nullable=True),
)

supervision = Table(
    "supervision",
    metadata,
    Column("supervisor_id", Uuid(as_uuid=True), ForeignKey(_referent_id), primary_key=True),
    Column("team_id", Uuid(as_uuid=True), ForeignKey(_team_id), primary_key=True),
)

device = Table(
    "device",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("node", String(64), nullable=False, unique=True),
    Column("account_id", Uuid(as_uuid=True), ForeignKey(account.c.id), nullable=False),
    Column("name", String(100), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=True),
    Column("last_push_at", UTCDateTime(), nullable=True),
    Column("last_pull_at", UTCDateTime(), nullable=True),
    Column("cursor", String(96), nullable=True),
    Column("last_hlc", String(96), nullable=True),
    Column("clock_skew_ms", BigInteger, nullable=True),
    # Highest generation the device announced: a lower one is a copy restored from an
    # older backup of its data directory (issue 10).
    Column("generation", BigInteger, nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("revoked_reason", String(255), nullable=True),
    # « lost » (lost or stolen: refused at once) or « retired » (its final push accepted,
    # then refused); when the server told it to wipe, and the unsent changes it said the
    # wipe destroyed (issue 10).
    Column("revoke_kind", String(16), nullable=True),
    Column("wiped_at", UTCDateTime(), nullable=True),
    Column("unsent_destroyed", Integer, nullable=True),
    Index("ix_device_account", "account_id"),
)

refresh_token = Table(
    "refresh_token",
    metadata,
    Column("id", Uuid(as_uuid=True), primary_key=True),
    Column("device_id", String(64), ForeignKey(device.c.id), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime(), nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
    # Rotation: every use replaces the token by a new one of the same family; the
    # family's lifetime is fixed at login (no sliding extension); presenting a rotated
    # token again revokes the whole family (reuse detection).
    Column("family_id", Uuid(as_uuid=True), nullable=True),
    Column("rotated_at", UTCDateTime(), nullable=True),
    # A lost answer: the device sends a rotation id it keeps (encrypted) until it has
    # stored the successor; the same token presented again with the same id, while its
    # successor was never used, is answered again instead of counted as a reuse.
    Column("rotation_id", Uuid(as_uuid=True), nullable=True),
    Column("successor_id", Uuid(as_uuid=True), nullable=True),
    Index("ix_refresh_token_device", "device_id"),
    Index("ix_refresh_token_family", "family_id"),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    # "account:<username>", "client:<address>", "pair:<username>|<address>"
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UTCDateTime(), nullable=False),
    Column("blocked_until", UTCDateTime(), nullable=True),
)

access = Table(
    "access",
    metadata,
    Column("id", Uuid(as_uuid=True), primary_key=True),
    Column("referent_id", Uuid(as_uuid=True), ForeignKey(_referent_id), nullable=False),
    Column("person_id", Uuid(as_uuid=True), nullable=False),
    Column("from_seq", BigInteger, nullable=False),
    Column("to_seq", BigInteger, nullable=True),
    Column("can_write", Boolean, nullable=False),
    Index("ix_access_referent_person", "referent_id", "person_id", "from_seq"),
    Index("ix_access_person", "person_id"),
)

change_log = Table(
    "change_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("change_id", Uuid(as_uuid=True), nullable=True, unique=True),
    Column("kind", String(8), nullable=False),
    Column("table_name", String(64), nullable=True),
    Column("row_id", Uuid(as_uuid=True), nullable=True),
    Column("person_id", Uuid(as_uuid=True), nullable=True),
    Column("audience_id", Uuid(as_uuid=True), nullable=True),
    Column("op", String(8), nullable=True),
    Column("fields", JSON, nullable=False),
    Column("overwritten", JSON(none_as_null=True), nullable=True),
    Column("lost", JSON(none_as_null=True), nullable=True),
    Column("hlc", String(96), nullable=True),
    Column("device_hlc", String(96), nullable=True),
    Column("status", String(12), nullable=True),
    Column("author_id", Uuid(as_uuid=True), nullable=True),
    Column("device_id", String(64), nullable=True),
    Column("content_hash", String(64), nullable=True),
    Column("received_at", UTCDateTime(), nullable=False),
    Index("ix_change_log_person_seq", "person_id", "seq"),
    Index("ix_change_log_audience_seq", "audience_id", "seq"),
    Index("ix_change_log_row", "table_name", "row_id"),
)

row_clock = Table(
    "row_clock",
    metadata,
    Column("table_name", String(64), primary_key=True),
    Column("row_id", Uuid(as_uuid=True), primary_key=True),
    Column("person_id", Uuid(as_uuid=True), nullable=True),
    Column("clocks", JSON, nullable=False),
    Column("hlc", String(96), nullable=False),
    Index("ix_row_clock_person", "person_id"),
)

person_digest = Table(
    "person_digest",
    metadata,
    # Per person: how many rows of their file hold a clock and the sum modulo 2**64 of
    # those rows' shares (``sync.server.digest``), kept current at each write (issue 10).
    # ``total`` is stored as a signed 64-bit integer (two's complement of the sum).
    Column("person_id", Uuid(as_uuid=True), primary_key=True),
    Column("rows", Integer, nullable=False),
    Column("total", BigInteger, nullable=False),
)

purged_person = Table(
    "purged_person",
    metadata,
    Column("person_id", Uuid(as_uuid=True), primary_key=True),
    Column("purged_at", UTCDateTime(), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
)

purged_row = Table(
    "purged_row",
    metadata,
    Column("table_name", String(64), primary_key=True),
    Column("row_id", Uuid(as_uuid=True), primary_key=True),
    Column("person_id", Uuid(as_uuid=True), nullable=False),
)

admin_log = Table(
    "admin_log",
    metadata,
    Column("id", Uuid(as_uuid=True), primary_key=True),
    Column("occurred_at", UTCDateTime(), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(255), nullable=True),
    Column("detail", Text, nullable=True),
    Index("ix_admin_log_occurred", "occurred_at"),
)

# -- the directory of partner services (data·inclusion, issue 16) ------------------------
# One row per structure or service, the record kept whole as validated (``data``); not per
# person, not in the change log: ``version`` comes from the ``directory`` row of
# ``server_counter`` (taken once per import, locked until commit), and devices pull the rows
# whose (version, kind, id) is after their own directory cursor (sync/server/directory.py).
directory_record = Table(
    "directory_record",
    metadata,
    Column("kind", String(10), primary_key=True),  # structure, service
    Column("id", String(255), primary_key=True),
    Column("origin", String(10), nullable=False),  # import (data·inclusion), local
    Column("status", String(8), nullable=False),  # open, closed
    Column("data", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_directory_record_version", "version", "kind", "id"),
)

handover_request = Table(
    "handover_request",
    metadata,
    Column("request_id", Uuid(as_uuid=True), primary_key=True),
    Column("account_id", Uuid(as_uuid=True), nullable=False),
    Column("device_id", String(64), nullable=True),
    Column("person_id", Uuid(as_uuid=True), nullable=False),
    Column("referent_id", Uuid(as_uuid=True), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("assignment_id", Uuid(as_uuid=True), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
)

department_setting = Table(
    "department_setting",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("updated_by", String(100), nullable=False),
)
