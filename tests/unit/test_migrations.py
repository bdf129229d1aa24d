"""Schema migrations of the device store, on real SQLCipher files.

A store left at an older revision must open, upgrade in place and keep every row; and the
migrations must produce exactly the schema the models declare.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, Table, create_engine, inspect, select
from sqlalchemy.pool import StaticPool

from spie_desktop.domain.hlc import HlcTimestamp
from spie_desktop.domain.models import (
    Appointment,
    Barrier,
    DomainBase,
    Note,
    Person,
    Referent,
    ReferentAssignment,
)
from spie_desktop.services.caseload import CaseloadFilter, caseload_ids, caseload_rows
from spie_desktop.store import migrate
from spie_desktop.store.engine import DATABASE_FILE, encrypted_engine
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.local_models import (
    DeviceState,
    LocalBase,
    OutboxEntry,
    PersonSummary,
    is_directory_fts,
)
from spie_desktop.store.store import Store
from spie_desktop.store.vault import KdfParams, Vault

METADATA = [DomainBase.metadata, LocalBase.metadata]
NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)


@dataclass
class OldStore:
    data_dir: Path
    data_key: bytes
    device_id: str
    engine: Engine


@pytest.fixture
def old_store(tmp_path: Path, keyring_backend: FileKeyring, passphrase: str) -> Iterator[OldStore]:
    """A vault and an encrypted database migrated only to the first revision."""
    data_dir = tmp_path / "data"
    vault, data_key = Vault.create(
        data_dir, passphrase, kdf=KdfParams.fast_for_tests(), keyring_backend=keyring_backend
    )
    engine = encrypted_engine(data_dir / DATABASE_FILE, data_key)
    try:
        yield OldStore(data_dir, data_key, vault.device_id, engine)
    finally:
        engine.dispose()


def _table(model: Any) -> Table:
    """The Core table of a mapped class: version 0001 is written with plain inserts."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _stamp(**values: Any) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "created_at": NOW - 30 * DAY,
        "updated_at": NOW - 30 * DAY,
        **values,
    }


def _fill_at_0001(connection: Connection) -> dict[str, Any]:
    """Rows as version 0001 of the app wrote them (core inserts on the 0001 tables)."""
    referent = _stamp(
        username="camille", first_name="Camille", last_name="Durand", role="referent", active=True
    )
    seen = _stamp(
        last_name="Lefevre",
        first_name="Éloïse",
        follow_up_status="en_accompagnement",
        referent_id=referent["id"],
    )
    planned = _stamp(
        last_name="Martin",
        first_name="Éloi",
        follow_up_status="a_contacter",
        referent_id=referent["id"],
    )
    gone = _stamp(
        last_name="Supprimé", first_name="X", follow_up_status="a_contacter", deleted_at=NOW - DAY
    )
    connection.execute(_table(Referent).insert(), [referent])
    for person in (seen, planned, gone):
        connection.execute(_table(Person).insert(), [person])
    connection.execute(
        _table(ReferentAssignment).insert(),
        [
            _stamp(person_id=seen["id"], referent_id=referent["id"], started_at=NOW - 30 * DAY),
        ],
    )
    connection.execute(
        _table(Appointment).insert(),
        [
            _stamp(
                person_id=seen["id"],
                starts_at=NOW - 10 * DAY,
                duration_minutes=45,
                mode="bureau",
                purpose="suivi",
                status="seen",
                outcome_recorded_at=NOW - 10 * DAY + timedelta(hours=1),
            ),
            _stamp(
                person_id=planned["id"],
                starts_at=NOW + 5 * DAY,
                duration_minutes=45,
                mode="telephone",
                purpose="orientation",
                status="planned",
                outcome_recorded_at=None,
            ),
        ],
    )
    connection.execute(
        _table(Barrier).insert(),
        [
            _stamp(
                person_id=seen["id"],
                theme="mobilite",
                situations=[],
                status="identified",
                identified_on=date.today() - 10 * DAY,
            ),
        ],
    )
    note = _stamp(
        person_id=seen["id"],
        written_at=NOW - 9 * DAY,
        kind="suivi",
        text="Note écrite en version 0001",
        sensitive=False,
    )
    connection.execute(_table(Note).insert(), [note])
    hlc = HlcTimestamp(int((NOW + 365 * DAY).timestamp() * 1000), 7, "device").encode()
    connection.execute(
        _table(OutboxEntry).insert(),
        [
            {
                "change_id": uuid.uuid4(),
                "table_name": "note",
                "row_id": note["id"],
                "person_id": seen["id"],
                "op": "upsert",
                "fields": {"text": note["text"]},
                "hlc": hlc,
                "created_at": NOW - 9 * DAY,
                "state": "pending",
                "attempts": 0,
            }
        ],
    )
    connection.execute(_table(DeviceState).insert(), [{"key": "hlc", "value": hlc}])
    return {
        "seen": seen["id"],
        "planned": planned["id"],
        "gone": gone["id"],
        "note": note["id"],
        "hlc": hlc,
    }


def test_store_at_0001_upgrades_to_head_keeping_rows_and_building_summaries(
    old_store: OldStore,
) -> None:
    migrate.upgrade(old_store.engine, "0001")
    with old_store.engine.begin() as connection:
        assert migrate.current_revision(connection) == "0001"
        assert "person_summary" not in inspect(connection).get_table_names()
        rows = _fill_at_0001(connection)
    old_store.engine.dispose()

    store = Store.open_with_key(
        old_store.data_dir, old_store.data_key, device_id=old_store.device_id
    )
    try:
        with store.engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
        assert store.check() == []
        counts = store.counts()
        assert (counts["person"], counts["appointment"], counts["note"]) == (2, 2, 1)
        assert counts["outbox_pending"] == 1
        with store.read() as session:
            note = session.get(Note, rows["note"])
            assert note is not None and note.text == "Note écrite en version 0001"
            summaries = {s.person_id: s for s in session.execute(select(PersonSummary)).scalars()}
            assert set(summaries) == {rows["seen"], rows["planned"]}  # not the tombstone
            seen, planned = summaries[rows["seen"]], summaries[rows["planned"]]
            assert seen.last_contact_at == NOW - 10 * DAY
            assert seen.open_barrier_count == 1 and seen.open_barrier_themes == "mobilite"
            assert "lefevre" in seen.search_key and "eloise" in seen.search_key
            assert planned.next_appointment_at == NOW + 5 * DAY == planned.valid_until
            found = caseload_ids(session, CaseloadFilter(), NOW)
            assert set(found) == {rows["seen"], rows["planned"]}
            assert caseload_ids(session, CaseloadFilter(search="eloise"), NOW) == [rows["seen"]]
            (row,) = caseload_rows(session, [rows["planned"]], NOW)
            assert row.next_appointment_at == NOW + 5 * DAY
        # The clock resumes from the persisted HLC; a year ahead is beyond the drift bound,
        # so the next edit comes back to the physical time (issue 10: a once-fast laptop
        # must not keep winning).
        persisted = HlcTimestamp.decode(rows["hlc"])
        last = HlcTimestamp.decode(store.clock.last())
        assert (last.wall_ms, last.counter) == (persisted.wall_ms, persisted.counter)
        following = HlcTimestamp.decode(store.clock.now())
        assert following.wall_ms <= store.clock.physical_ms() + 5 * 60 * 1000
    finally:
        store.close()

    # Opening again changes nothing (already at head, summaries present).
    again = Store.open_with_key(
        old_store.data_dir, old_store.data_key, device_id=old_store.device_id
    )
    try:
        assert again.counts() == counts
    finally:
        again.close()


def test_opening_a_head_store_rebuilds_a_missing_summary(
    old_store: OldStore,
) -> None:
    """Summaries are derived data: any live person lacking one gets it at open."""
    migrate.upgrade(old_store.engine)
    with old_store.engine.begin() as connection:
        rows = _fill_at_0001(connection)
    old_store.engine.dispose()
    store = Store.open_with_key(
        old_store.data_dir, old_store.data_key, device_id=old_store.device_id
    )
    try:
        with store.read() as session:
            ids = set(session.execute(select(PersonSummary.person_id)).scalars())
        assert ids == {rows["seen"], rows["planned"]}
    finally:
        store.close()


# -- the migrations are the models ------------------------------------------------------------


def _autogenerate_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            # The directory's FTS5 table (0014) and its shadow tables are not models; their
            # DDL is compared by test_migrations_produce_the_ddl_of_the_models.
            "include_name": lambda name, type_, parent: (
                not (type_ == "table" and name is not None and is_directory_fts(name))
            ),
        },
    )
    return list(compare_metadata(context, METADATA))  # type: ignore[arg-type]


def test_migrations_match_the_models_per_autogenerate(old_store: OldStore) -> None:
    migrate.upgrade(old_store.engine, "0001")
    with old_store.engine.connect() as connection:
        partial = _autogenerate_diff(connection)
    # Control: the comparison does see a difference when one exists.
    # (0002 adds the caseload summaries, 0004 the sync state, 0005 the accompaniment path,
    # 0008 the handover requests, 0015 the kept digests, 0017 the purge tombstones.)
    assert sorted(op[1].name for op in partial if op[0] == "add_table") == [
        "breach",
        "closing_review",
        "directory_service",
        "directory_service_data",
        "directory_structure",
        "engagement_contract",
        "erasure_request",
        "handover_request",
        "orientation_decision",
        "person_digest",
        "person_digest_dirty",
        "person_summary",
        "pull_set_aside",
        "purge_tombstone",
        "reorientation_request",
        "row_sync",
        "sync_conflict",
    ]
    migrate.upgrade(old_store.engine)
    with old_store.engine.connect() as connection:
        assert _autogenerate_diff(connection) == []


_ADDED_COLUMN = re.compile(r",\s+(?=[a-z_]+ [A-Z]+)")


def _normalised_schema(connection: Connection) -> dict[tuple[str, str], frozenset[str]]:
    """Each table and index of sqlite_master as the set of its normalised DDL clauses.

    Autogenerate does not compare CHECK constraints or partial-index predicates on
    SQLite; the DDL does. Clause order and identifier quoting (which a batch-mode table
    rebuild may change: SQLite quotes the name of a renamed table) are ignored.
    """
    out = {}
    for kind, name, sql in connection.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
    ):
        clauses = {
            clause
            for line in sql.replace("\n", "\n").splitlines()
            # SQLite's ALTER TABLE … ADD COLUMN appends « , name TYPE » to the line before.
            for clause in _ADDED_COLUMN.split(
                re.sub(r"\s+", " ", line.replace('"', "")).strip().rstrip(",").strip()
            )
        }
        clauses.discard("")
        clauses.discard(")")
        out[(kind, name)] = frozenset(clauses)
    return out


def test_migrations_produce_the_ddl_of_the_models(old_store: OldStore) -> None:
    migrate.upgrade(old_store.engine)
    with old_store.engine.connect() as connection:
        migrated = _normalised_schema(connection)
    reference = create_engine("sqlite://", poolclass=StaticPool)
    try:
        for metadata in METADATA:
            metadata.create_all(reference)
        with reference.connect() as connection:
            declared = _normalised_schema(connection)
    finally:
        reference.dispose()
    assert set(migrated) == set(declared)
    differences = {key for key in declared if migrated[key] != declared[key]}
    assert differences == set(), {key: migrated[key] ^ declared[key] for key in differences}
    # The constraints the domain relies on are really in the file.
    appointment = " ".join(migrated[("table", "appointment")])
    assert "ck_appointment_no_outcome_before_start" in appointment
    assert "tokenize = 'trigram case_sensitive 1'" in " ".join(
        migrated[("table", "directory_service_fts")]
    )
    one_active = " ".join(migrated[("index", "ux_referent_assignment_one_active")])
    assert "WHERE ended_at IS NULL AND deleted_at IS NULL" in one_active


def test_downgrade_to_base_and_back(old_store: OldStore) -> None:
    migrate.upgrade(old_store.engine)
    config = migrate.alembic_config()
    with old_store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(old_store.engine)
    with old_store.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        assert _autogenerate_diff(connection) == []


# -- one schema for device and server ------------------------------------------------------------


def test_device_schema_is_byte_identical_to_its_snapshot(tmp_path: Path) -> None:
    """The DDL SQLite keeps, at the revision frozen by tests/snapshots/device_sqlite.sql."""
    from tests.schema_snapshot import SNAPSHOTS, device_schema

    expected = (SNAPSHOTS / "device_sqlite.sql").read_text(encoding="utf-8")
    assert device_schema(tmp_path) == expected


def _ddl_by_object(schema: str) -> dict[str, str]:
    """``-- kind name on table`` header → its statement, from a schema_text dump."""
    out = {}
    for block in schema.strip().split("\n\n"):
        header, _, sql = block.partition("\n")
        out[header] = sql
    return out


def test_synced_tables_have_the_same_ddl_on_device_and_server(tmp_path: Path) -> None:
    """The tables both sides hold (the domain's) are created by one helper: same DDL text,
    at the heads (synced tables added after the frozen revisions included)."""
    from tests.schema_snapshot import device_schema, server_schema

    # At the heads: the tables added since the snapshots (the accompaniment path) too.
    device = _ddl_by_object(device_schema(tmp_path / "device", "head"))
    server = _ddl_by_object(server_schema(f"sqlite+pysqlite:///{tmp_path / 'server.db'}", "head"))
    synced = set(DomainBase.metadata.tables)
    # The device's triggers marking persons' digests (0015) are its own, not shared.
    shared = {
        h: sql
        for h, sql in device.items()
        if h.rsplit(" on ", 1)[1] in synced and not h.startswith("-- trigger trg_")
    }
    assert {h.rsplit(" on ", 1)[1] for h in shared} == synced
    assert {h: server.get(h) for h in shared} == shared


# -- 0014: the directory's words move to an FTS5 index ------------------------------------------


def test_0014_indexes_the_directory_held_and_downgrade_empties_it(old_store: OldStore) -> None:
    """Services written at 0013 (their words in ``directory_service.search_text``) are found
    by words after the upgrade, without a new download; the downgrade empties the directory
    and resets its cursor (the next sync downloads it again)."""
    from spie_desktop.services import directory

    migrate.upgrade(old_store.engine, "0013")
    with old_store.engine.begin() as connection:
        for index, words in enumerate(["equipement informatique lyon", "atelier cuisine qz"]):
            connection.exec_driver_sql(
                "INSERT INTO directory_service (id, structure_id, name, status, origin, "
                "search_text, thematiques, publics, modes_accueil) "
                "VALUES (?, 's', ?, 'open', 'import', ?, '', '', '')",
                (f"svc{index}", f"Service {index}", words),
            )
            connection.exec_driver_sql(
                "INSERT INTO directory_service_data (id, data) VALUES (?, '{}')", (f"svc{index}",)
            )
        connection.exec_driver_sql(
            "INSERT INTO device_state (key, value) VALUES ('directory_cursor', '3:service:x')"
        )
    migrate.upgrade(old_store.engine)
    with old_store.engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("directory_service")}
        assert "search_text" not in columns
    store = Store.open_with_key(
        old_store.data_dir, old_store.data_key, device_id=old_store.device_id
    )
    try:
        with store.read() as session:
            for typed, expected in [("Équipement", ["svc0"]), ("QZ", ["svc1"]), ("fo", ["svc0"]),
                                    ("lyon cuisine", []), ("", ["svc0", "svc1"])]:  # fmt: skip
                found = directory.search(session, directory.Criteria(text=typed))
                assert [hit.id for hit in found.hits] == expected, typed
    finally:
        store.close()
    config = migrate.alembic_config()
    with old_store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013")
        assert "directory_service_fts" not in inspect(connection).get_table_names()
        assert connection.exec_driver_sql("SELECT count(*) FROM directory_service").scalar() == 0
        cursor = connection.exec_driver_sql(
            "SELECT count(*) FROM device_state WHERE key = 'directory_cursor'"
        ).scalar()
        assert cursor == 0
