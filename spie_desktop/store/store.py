"""The device store: an encrypted SQLCipher file opened with the vault's data key.

``Store.write()`` is the only way to change data: one writer at a time (a lock, the
single-writer rule of DESIGN §2), every synced change recorded in the outbox by the
change recorder. ``Store.read()`` gives concurrent read sessions (WAL).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring.backend
from sqlalchemy import Engine, exists, func, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from spie_desktop.domain.deadlines import path_settings, set_path_settings
from spie_desktop.domain.department_settings import validate_values
from spie_desktop.domain.enums import Role
from spie_desktop.domain.hlc import DEVICE_MAX_AHEAD_MS, HybridLogicalClock
from spie_desktop.domain.models import SYNCED_MODELS, Person
from spie_desktop.errors import (
    DiskFullError,
    StoreCorruptError,
    StoreNotInitialisedError,
    ValidationError,
    is_disk_full,
)
from spie_desktop.store import migrate
from spie_desktop.store.changes import (
    INFO_CLOCK,
    INFO_REMOTE,
    INFO_SUMMARY_REFRESH,
    install_change_recorder,
    utcnow,
)
from spie_desktop.store.deferred_indexes import restore_indexes_at_open
from spie_desktop.store.engine import DATABASE_FILE, encrypted_engine, plain_engine
from spie_desktop.store.local_models import (
    DeviceState,
    OutboxEntry,
    OutboxState,
    PersonSummary,
)
from spie_desktop.store.summary import refresh_summaries, stale_person_ids
from spie_desktop.store.vault import KdfParams, Vault


@contextmanager
def _disk_full_named() -> Iterator[None]:
    try:
        yield
    except DatabaseError as exc:
        if is_disk_full(exc):
            raise DiskFullError() from exc
        raise


class StoreSession(Session):
    """Sessions of the device store: the change recorder is attached to this class."""


install_change_recorder(StoreSession)


log = logging.getLogger(__name__)

PATH_SETTINGS_STATE = "path_settings"
DEPARTMENT_STATE = "department_settings"
"""The department's settings received from the server (spie_desktop/services/department.py)."""


@dataclass(frozen=True)
class Actor:
    """Who is acting on this device: stamped on notes, appointments and audit events."""

    referent_id: uuid.UUID | None
    device_id: str
    role: str = Role.REFERENT.value

    @property
    def read_only(self) -> bool:
        return self.role == Role.SUPERVISOR.value


class Store:
    def __init__(self, engine: Engine, *, device_id: str, data_dir: Path | None = None) -> None:
        self.engine = engine
        self.device_id = device_id
        self.data_dir = data_dir
        self._write_lock = threading.RLock()
        self._sessions = sessionmaker(bind=engine, class_=StoreSession, expire_on_commit=False)
        # A first download cut midway (app killed) left indexes out: built before the
        # migrations, which expect the schema they left.
        restore_indexes_at_open(engine)
        migrate.upgrade(engine)
        with self._sessions() as session:
            last = session.get(DeviceState, "hlc")
            seen = session.get(DeviceState, "hlc_seen")
        # The device's physical clock is the host's plus this offset: a laptop's clock is
        # wrong (dead CMOS battery, wrong zone), and tests move it to say so. The HLC reads
        # it, and so should anything that tells the server the device's time (``now()``).
        self.clock_offset_ms = 0
        self.clock = HybridLogicalClock(
            device_id.replace("-", ""),
            last=last.value if last else None,
            max_ahead_ms=DEVICE_MAX_AHEAD_MS,
            seen=seen.value if seen else None,
            wall_clock_ms=self.wall_clock_ms,
        )
        self._build_missing_summaries()

    def wall_clock_ms(self) -> int:
        """The device's physical time in milliseconds (host clock plus ``clock_offset_ms``)."""
        return time.time_ns() // 1_000_000 + self.clock_offset_ms

    def now(self) -> datetime:
        """The device's physical time, as the device believes it is."""
        return datetime.now(UTC) + timedelta(milliseconds=self.clock_offset_ms)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        data_dir: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
    ) -> Store:
        """A new empty encrypted store protected by ``passphrase``."""
        vault, data_key = Vault.create(
            data_dir, passphrase, kdf=kdf, keyring_backend=keyring_backend
        )
        return cls.open_with_key(data_dir, data_key, device_id=vault.device_id)

    @classmethod
    def open(
        cls,
        data_dir: Path,
        passphrase: str,
        *,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
    ) -> Store:
        """Unlock the vault (Argon2id, ~0.4 s) and open the store."""
        vault = Vault.load(data_dir, keyring_backend=keyring_backend)
        data_key = vault.unlock(passphrase)
        return cls.open_with_key(data_dir, data_key, device_id=vault.device_id)

    @classmethod
    def open_with_key(cls, data_dir: Path, data_key: bytes, *, device_id: str) -> Store:
        path = Path(data_dir) / DATABASE_FILE
        if not Vault.exists(Path(data_dir)):
            raise StoreNotInitialisedError()
        engine = encrypted_engine(path, data_key)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
        except DatabaseError as exc:
            engine.dispose()
            raise StoreCorruptError() from exc
        return cls(engine, device_id=device_id, data_dir=Path(data_dir))

    @classmethod
    def open_plain(cls, path: Path, *, device_id: str = "plain") -> Store:
        """The same store on unencrypted SQLite (benchmark baseline, server-side tools)."""
        return cls(plain_engine(path), device_id=device_id, data_dir=path.parent)

    def close(self) -> None:
        """Drop every connection (and with them SQLCipher's copy of the key)."""
        self.engine.dispose()

    # -- sessions ------------------------------------------------------------------------

    def _new_session(self, **info: Any) -> StoreSession:
        session = self._sessions()
        session.info[INFO_CLOCK] = self.clock
        session.info[INFO_SUMMARY_REFRESH] = refresh_summaries
        session.info.update(info)
        return session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error (a full
        disk is :class:`DiskFullError`, never a damaged store)."""
        with _disk_full_named(), self._write_lock, self._new_session() as session, session.begin():
            yield session

    @contextmanager
    def apply_remote(self) -> Iterator[Session]:
        """A write transaction for changes that came from the server: not echoed to the outbox."""
        with (
            _disk_full_named(),
            self._write_lock,
            self._new_session(**{INFO_REMOTE: True}) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._new_session()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    # -- device state --------------------------------------------------------------------

    def get_state(self, key: str, default: str | None = None) -> str | None:
        # One statement on a pooled connection: an ORM session costs five times as much,
        # and a sync reads some twenty of these (issue 10: the no-op sync's time).
        with self.engine.connect() as connection:
            value = connection.exec_driver_sql(
                f"SELECT value FROM {DeviceState.__tablename__} WHERE key = ?", (key,)
            ).scalar()
        return default if value is None else str(value)

    def set_state(self, session: Session, key: str, value: str) -> None:
        """Written at once in ``session``'s transaction (one upsert, no ORM object: the
        sync writes several at each sync)."""
        statement = sqlite_insert(DeviceState).values(key=key, value=value)
        session.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
        )

    def actor(self) -> Actor:
        referent = self.get_state("user_id")
        role = self.get_state("user_role", Role.REFERENT.value) or Role.REFERENT.value
        return Actor(
            referent_id=uuid.UUID(referent) if referent else None,
            device_id=self.device_id,
            role=role,
        )

    def _build_missing_summaries(self) -> None:
        """Summaries are derived data: build any that is missing (a store upgraded from
        before migration 0002 has none), so that every live person is in the caseload."""
        with self.read() as session:
            missing = list(
                session.execute(
                    select(Person.id).where(
                        Person.deleted_at.is_(None),
                        ~exists().where(PersonSummary.person_id == Person.id),
                    )
                ).scalars()
            )
        if missing:
            with self.write() as session:
                refresh_summaries(session, missing)
        self._load_department_durations()
        self.apply_path_settings()

    def _load_department_durations(self) -> None:
        """Put in force the deadline durations this device received from the server (a
        device that never synced keeps the law's defaults)."""
        raw = self.get_state(DEPARTMENT_STATE)
        if not raw:
            return
        try:
            values = validate_values(json.loads(raw)["values"])
        except (ValueError, KeyError, TypeError, ValidationError):
            log.warning("department settings held by this device are unreadable: defaults")
            return
        set_path_settings(values.path_settings())

    def apply_path_settings(self) -> int:
        """Recompute every summary's deadlines if the department's durations changed since
        they were computed; returns how many persons were refreshed."""
        fingerprint = path_settings().fingerprint()
        if self.get_state(PATH_SETTINGS_STATE) == fingerprint:
            return 0
        with self.read() as session:
            ids = list(
                session.execute(select(Person.id).where(Person.deleted_at.is_(None))).scalars()
            )
        with self.write() as session:
            if ids:
                refresh_summaries(session, ids)
            self.set_state(session, PATH_SETTINGS_STATE, fingerprint)
        return len(ids)

    def refresh_stale_summaries(self, now: datetime | None = None) -> int:
        """Recompute summaries whose next appointment has passed; returns how many."""
        now = now or utcnow()
        with self.read() as session:
            stale = stale_person_ids(session, now)
        if stale:
            with self.write() as session:
                refresh_summaries(session, stale, now)
        return len(stale)

    # -- introspection -------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table (live rows for synced tables), outbox included."""
        result: dict[str, int] = {}
        with self.read() as session:
            for name, model in SYNCED_MODELS.items():
                result[name] = session.execute(
                    select(func.count()).select_from(model).where(model.deleted_at.is_(None))
                ).scalar_one()
            result["outbox_pending"] = session.execute(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.state != OutboxState.REJECTED)
            ).scalar_one()
            result["outbox_rejected"] = session.execute(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.REJECTED)
            ).scalar_one()
        return result

    def check(self) -> list[str]:
        """Cipher and SQLite integrity; an empty list means the store is sound.

        A damaged file makes SQLite raise instead of answering: each check is run on its
        own so that one failure is reported as a problem, never as a crash.
        """
        problems: list[str] = []
        checks = (
            ("cipher", "PRAGMA cipher_integrity_check", lambda row: True),
            ("sqlite", "PRAGMA integrity_check", lambda row: row[0] != "ok"),
            ("foreign key", "PRAGMA foreign_key_check", lambda row: True),
        )
        with self.engine.connect() as connection:
            for label, statement, is_problem in checks:
                try:
                    rows = connection.exec_driver_sql(statement).fetchall()
                except DatabaseError as exc:
                    problems.append(f"{label}: {exc.orig if exc.orig else exc}")
                    continue
                problems.extend(
                    f"{label}: {row[0] if len(row) == 1 else tuple(row)}"
                    for row in rows
                    if is_problem(row)
                )
        return problems
