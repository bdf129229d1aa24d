"""The device store on disk: encrypted at rest, refusals that change nothing, integrity.

Everything here runs on real SQLCipher files in a temporary directory.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spie_desktop.domain.models import Person
from spie_desktop.errors import (
    StoreCorruptError,
    StoreNotInitialisedError,
    WrongDeviceSecretError,
    WrongPassphraseError,
)
from spie_desktop.services import appointments, notes, persons
from spie_desktop.store.engine import DATABASE_FILE
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.summary import fold
from spie_desktop.store.vault import KEYRING_SERVICE, KdfParams, Vault

# Distinctive values that must never be found in clear on disk.
LAST_NAME = "Wojciechowska-Quintanilla"
FIRST_NAME = "Éloïse-Bérénice"
PHONE = "07 81 92 63 54"
EMAIL = "eloise.wojciechowska@exemple.fr"
ADDRESS = "17 impasse des Tanneurs-Zéphyrins"
NOTE_TEXT = "Le bailleur menace d'expulsion : dossier FSL zanzibar-4471 à relancer."
SENSITIVE_TEXT = "Suivi psychiatrique au CMP de Quimperlé, traitement lithium-8812."
SUMMARY_TEXT = "Entretien : projet de formation en boulangerie-pâtisserie xylophone."

TEST_PASSPHRASE = "phrase de passe de test"  # the conftest's store fixture uses this one

SECRETS = (
    LAST_NAME,
    FIRST_NAME,
    PHONE,
    EMAIL,
    ADDRESS,
    NOTE_TEXT,
    SENSITIVE_TEXT,
    SUMMARY_TEXT,
    fold(LAST_NAME),  # the caseload search key
    "zanzibar-4471",
    "lithium-8812",
)


def _needles(values: Iterable[str]) -> list[tuple[str, bytes]]:
    out = []
    for value in values:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append((f"{value!r} ({encoding})", value.encode(encoding)))
    return out


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def _leaks(root: Path, values: Iterable[str]) -> list[str]:
    needles = _needles(values)
    found: list[str] = []
    for path in _files(root):
        content = path.read_bytes()
        found.extend(f"{path.name}: {label}" for label, needle in needles if needle in content)
    return found


def _fill(store: Store, actor: Actor, count: int = 3) -> list[uuid.UUID]:
    """Write identifying data, notes and an appointment summary through the services."""
    ids = []
    for index in range(count):
        with store.write() as session:
            person = persons.create_person(
                session,
                actor,
                {
                    "last_name": LAST_NAME,
                    "first_name": FIRST_NAME,
                    "phone": PHONE,
                    "email": EMAIL,
                    "address": ADDRESS,
                    "external_id": f"EXT-{index}",
                },
            )
            notes.write_note(session, actor, person.id, NOTE_TEXT)
            notes.write_note(session, actor, person.id, SENSITIVE_TEXT, sensitive=True)
            appointment = appointments.schedule_appointment(
                session,
                actor,
                person.id,
                starts_at=datetime.now(UTC) - timedelta(hours=2),
                mode="bureau",
                purpose="suivi",
            )
            session.flush()
            appointments.set_status(session, actor, appointment.id, "seen", summary=SUMMARY_TEXT)
            ids.append(person.id)
    return ids


def _hash_tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in _files(root)
    }


# -- encryption at rest ---------------------------------------------------------------------


def test_nothing_in_clear_on_disk(
    store: Store, actor: Actor, data_dir: Path, tmp_path: Path, keyring_backend: FileKeyring
) -> None:
    _fill(store, actor)
    db = data_dir / DATABASE_FILE
    wal = data_dir / (DATABASE_FILE + "-wal")
    assert db.stat().st_size > 0
    assert wal.is_file() and wal.stat().st_size > 0, "WAL expected while the store is open"
    assert keyring_backend.file_path.is_file()
    assert _leaks(tmp_path, SECRETS) == []

    store.close()
    assert _leaks(tmp_path, SECRETS) == []

    # The data is really there: reopened with the passphrase, it reads back.
    reopened = Store.open(data_dir, TEST_PASSPHRASE, keyring_backend=keyring_backend)
    try:
        with reopened.read() as session:
            names = {p.last_name for p in session.query(Person).all()}
        assert names == {LAST_NAME}
    finally:
        reopened.close()
    assert _leaks(tmp_path, SECRETS) == []


def test_leak_detector_finds_clear_text_in_a_plain_store(
    tmp_path: Path, make_referent: Callable[..., uuid.UUID]
) -> None:
    """Control: the same scan on an unencrypted store does find the values."""
    (tmp_path / "plain").mkdir()
    plain = Store.open_plain(tmp_path / "plain" / DATABASE_FILE)
    try:
        referent = make_referent(plain)
        _fill(plain, Actor(referent, plain.device_id), count=1)
        leaks = _leaks(tmp_path / "plain", SECRETS)
    finally:
        plain.close()
    assert any("zanzibar-4471" in leak for leak in leaks)
    assert any(repr(LAST_NAME) in leak for leak in leaks)


def test_pragmas_wal_and_memory_temp_store(store: Store) -> None:
    # Every pooled connection gets them, not only the first one.
    connections = [store.engine.connect() for _ in range(3)]
    try:
        for connection in connections:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA cipher_version").scalar()
    finally:
        for connection in connections:
            connection.close()


def test_database_header_is_not_sqlite_plaintext(store: Store, data_dir: Path) -> None:
    store.close()
    header = (data_dir / DATABASE_FILE).read_bytes()[:16]
    assert header != b"SQLite format 3\x00"


# -- refusals that change nothing --------------------------------------------------------------


@pytest.fixture
def closed_store(store: Store, actor: Actor) -> Store:
    _fill(store, actor, count=1)
    store.close()
    return store


def test_wrong_passphrase_changes_nothing(
    closed_store: Store, data_dir: Path, keyring_backend: FileKeyring
) -> None:
    before = _hash_tree(data_dir)
    ring_before = keyring_backend.file_path.read_bytes()
    with pytest.raises(WrongPassphraseError) as caught:
        Store.open(data_dir, "mauvaise phrase de passe", keyring_backend=keyring_backend)
    assert "incorrecte" in caught.value.message
    after = _hash_tree(data_dir)
    # Every file is byte-identical; the only addition allowed is the back-off counter,
    # which is the "delay that grows with failures" of DESIGN §4.
    assert {name: after[name] for name in before} == before
    assert set(after) - set(before) <= {Vault.ATTEMPTS_FILE}
    assert keyring_backend.file_path.read_bytes() == ring_before

    reopened = Store.open(data_dir, TEST_PASSPHRASE, keyring_backend=keyring_backend)
    try:
        assert reopened.counts()["person"] == 1
        assert reopened.check() == []
    finally:
        reopened.close()
    assert not (data_dir / Vault.ATTEMPTS_FILE).exists(), "success resets the counter"


@pytest.mark.parametrize("secret", ["missing", "other"])
def test_wrong_device_secret_changes_nothing(
    closed_store: Store, data_dir: Path, tmp_path: Path, secret: str
) -> None:
    other_ring = FileKeyring(tmp_path / "other-keyring.json")
    if secret == "other":
        vault_id = Vault.load(data_dir).vault_id
        forged = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        other_ring.set_password(KEYRING_SERVICE, f"device-secret:{vault_id}", forged)
    before = _hash_tree(data_dir)
    with pytest.raises(WrongDeviceSecretError) as caught:
        Store.open(data_dir, TEST_PASSPHRASE, keyring_backend=other_ring)
    assert "secret" in caught.value.message
    assert _hash_tree(data_dir) == before


def test_wrong_data_key_is_refused_and_changes_nothing(closed_store: Store, data_dir: Path) -> None:
    before = _hash_tree(data_dir)
    with pytest.raises(StoreCorruptError):
        Store.open_with_key(data_dir, os.urandom(32), device_id=closed_store.device_id)
    assert _hash_tree(data_dir) == before


def test_open_without_a_store(tmp_path: Path, keyring_backend: FileKeyring) -> None:
    with pytest.raises(StoreNotInitialisedError):
        Store.open(tmp_path / "nothing-here", TEST_PASSPHRASE, keyring_backend=keyring_backend)
    with pytest.raises(StoreNotInitialisedError):
        Store.open_with_key(tmp_path / "nothing-here", os.urandom(32), device_id="x")
    assert not (tmp_path / "nothing-here").exists()


# -- reopening, integrity, counts ------------------------------------------------------------


def test_reopen_keeps_data_device_and_check_is_clean(
    store: Store, actor: Actor, data_dir: Path, keyring_backend: FileKeyring
) -> None:
    ids = _fill(store, actor, count=2)
    counts = store.counts()
    assert counts["person"] == 2
    assert counts["note"] == 4
    assert counts["appointment"] == 2
    assert counts["referent"] == 1
    assert counts["outbox_pending"] > 0 and counts["outbox_rejected"] == 0
    device_id = store.device_id
    store.close()

    reopened = Store.open(data_dir, TEST_PASSPHRASE, keyring_backend=keyring_backend)
    try:
        assert reopened.device_id == device_id
        assert reopened.counts() == counts
        assert reopened.check() == []
        with reopened.read() as session:
            assert {p.id for p in session.query(Person).all()} == set(ids)
    finally:
        reopened.close()


def test_check_reports_a_broken_foreign_key(store: Store) -> None:
    """check() is not a constant []: it reports what PRAGMA foreign_key_check finds."""
    raw = store.engine.raw_connection()  # autocommit driver connection: PRAGMA applies
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute(
            "INSERT INTO note (person_id, written_at, kind, text, sensitive, id, created_at, "
            "updated_at) VALUES ('00000000000000000000000000000001', "
            "'2026-01-01T00:00:00.000000Z', 'suivi', 'x', 0, "
            "'00000000000000000000000000000002', '2026-01-01T00:00:00.000000Z', "
            "'2026-01-01T00:00:00.000000Z')"
        )
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
    finally:
        raw.close()
    problems = store.check()
    assert problems and all(problem.startswith("foreign key") for problem in problems)


def test_actor_from_device_state(store: Store, referent: uuid.UUID) -> None:
    assert store.actor().referent_id is None
    with store.write() as session:
        store.set_state(session, "user_id", str(referent))
        store.set_state(session, "user_role", "supervisor")
    actor = store.actor()
    assert actor.referent_id == referent
    assert actor.device_id == store.device_id
    assert actor.read_only


def test_keyring_file_holds_only_the_device_secret(
    store: Store, keyring_backend: FileKeyring, data_dir: Path
) -> None:
    raw = keyring_backend.file_path.read_bytes()
    vault_id = Vault.load(data_dir).vault_id
    assert f"device-secret:{vault_id}".encode() in raw
    assert TEST_PASSPHRASE.encode() not in raw
    # Permissions of the secret-bearing files (POSIX only).
    if os.name == "posix":
        assert keyring_backend.file_path.stat().st_mode & 0o077 == 0
        assert (data_dir / Vault.VAULT_FILE).stat().st_mode & 0o077 == 0


def test_fast_kdf_fixture_is_really_the_weak_one(data_dir: Path, store: Store) -> None:
    """Guard: the store fixture must not pay 0.4 s of Argon2id per test."""
    assert Vault.load(data_dir).kdf_params == KdfParams.fast_for_tests()
