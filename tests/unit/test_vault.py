"""Key vault: create/unlock, wrong secrets, keyring fallbacks, back-off, wipe.

Every test uses ``KdfParams.fast_for_tests()``; nothing here is timed.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest
from keyring.backends import fail

from spie_desktop.errors import (
    KeyringLockedError,
    StoreNotInitialisedError,
    TooManyAttemptsError,
    ValidationError,
    VaultError,
    WrongDeviceSecretError,
    WrongPassphraseError,
)
from spie_desktop.store.file_keyring import FileKeyring, LockedKeyring
from spie_desktop.store.vault import (
    KEYRING_SERVICE,
    KdfParams,
    Vault,
    generate_data_key,
    raw_key_pragma,
)

PASS = "correct horse battery"
FAST = KdfParams.fast_for_tests()


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ring(tmp_path: Path) -> FileKeyring:
    return FileKeyring(tmp_path / "ring" / "keyring.json")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _secret_username(vault: Vault) -> str:
    return f"device-secret:{vault.vault_id}"


# -- round trip ------------------------------------------------------------------------


def test_create_then_unlock_roundtrip(data_dir: Path, ring: FileKeyring) -> None:
    assert not Vault.exists(data_dir)
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    assert len(key) == 32
    assert Vault.exists(data_dir)
    assert _mode(data_dir) == 0o700
    assert _mode(data_dir / Vault.VAULT_FILE) == 0o600
    assert _mode(ring.file_path) == 0o600
    assert vault.secret_location.kind == "keyring"
    assert vault.secret_location.detail == "spie_desktop.store.file_keyring.FileKeyring"
    # Chosen keyring, but still a file: the settings screen says so.
    assert vault.secret_location.warning is not None
    assert str(ring.file_path) in vault.secret_location.warning
    assert ring.get_password(KEYRING_SERVICE, _secret_username(vault)) is not None
    assert not (data_dir / "device-secret").exists()

    assert vault.unlock(PASS) == key
    reloaded = Vault.load(data_dir, keyring_backend=ring)
    assert reloaded.vault_id == vault.vault_id
    assert reloaded.device_id == vault.device_id
    assert reloaded.unlock(PASS) == key

    doc = json.loads((data_dir / Vault.VAULT_FILE).read_text())
    assert doc["version"] == 1
    assert doc["kdf"]["name"] == "argon2id"
    assert doc["kdf"]["memory_cost_kib"] == FAST.memory_cost_kib
    assert doc["secret_location"]["kind"] == "keyring"


def test_two_vaults_have_distinct_ids_and_keys(tmp_path: Path, ring: FileKeyring) -> None:
    a, key_a = Vault.create(tmp_path / "a", PASS, kdf=FAST, keyring_backend=ring)
    b, key_b = Vault.create(tmp_path / "b", PASS, kdf=FAST, keyring_backend=ring)
    assert a.vault_id != b.vault_id and a.device_id != b.device_id
    assert key_a != key_b
    assert a.unlock(PASS) == key_a and b.unlock(PASS) == key_b


def test_create_refuses_existing_vault_and_short_passphrase(
    data_dir: Path, ring: FileKeyring
) -> None:
    with pytest.raises(ValidationError) as short:
        Vault.create(data_dir, "1234567", kdf=FAST, keyring_backend=ring)
    assert "8 caractères" in short.value.message
    assert not Vault.exists(data_dir)

    Vault.create(data_dir, "12345678", kdf=FAST, keyring_backend=ring)
    before = (data_dir / Vault.VAULT_FILE).read_bytes()
    with pytest.raises(ValidationError) as exists:
        Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    assert "existe déjà" in exists.value.message
    assert (data_dir / Vault.VAULT_FILE).read_bytes() == before


def test_load_missing_and_corrupt(data_dir: Path, ring: FileKeyring) -> None:
    with pytest.raises(StoreNotInitialisedError):
        Vault.load(data_dir, keyring_backend=ring)
    data_dir.mkdir()
    path = data_dir / Vault.VAULT_FILE
    for content in (b"{not json", b"[]", b'{"version": 1}', b"\xff\xfe"):
        path.write_bytes(content)
        with pytest.raises(VaultError) as err:
            Vault.load(data_dir, keyring_backend=ring)
        assert err.value.code == "vault_corrupt"
        assert "endommagé" in err.value.message


def test_load_rejects_tampered_fields(data_dir: Path, ring: FileKeyring) -> None:
    Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    path = data_dir / Vault.VAULT_FILE
    good = json.loads(path.read_text())
    for mutate in (
        lambda d: d["kdf"].update(memory_cost_kib=2**40),
        lambda d: d["kdf"].update(name="scrypt"),
        lambda d: d.update(nonce="AAAA"),
        lambda d: d.update(wrapped_key="!!!"),
        lambda d: d.update(version=2),
    ):
        doc = json.loads(json.dumps(good))
        mutate(doc)
        path.write_text(json.dumps(doc))
        with pytest.raises(VaultError):
            Vault.load(data_dir, keyring_backend=ring)


def test_raw_key_pragma_and_generate() -> None:
    key = generate_data_key()
    assert len(key) == 32 and key != generate_data_key()
    assert raw_key_pragma(bytes(range(32))) == "x'" + bytes(range(32)).hex() + "'"
    assert len(raw_key_pragma(key)) == 64 + 3
    with pytest.raises(ValueError):
        raw_key_pragma(b"short")


def test_unicode_passphrase_normalised(data_dir: Path, ring: FileKeyring) -> None:
    nfc = "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e"
    nfd = "cafe\u0301 cre\u0300me bru\u0302le\u0301e"
    vault, key = Vault.create(data_dir, nfc, kdf=FAST, keyring_backend=ring)
    assert vault.unlock(nfd) == key


# -- wrong passphrase / device secret / keyring ----------------------------------------


def test_wrong_passphrase_leaves_vault_untouched(data_dir: Path, ring: FileKeyring) -> None:
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    before = (data_dir / Vault.VAULT_FILE).read_bytes()
    with pytest.raises(WrongPassphraseError) as err:
        vault.unlock("not the passphrase")
    assert err.value.code == "wrong_passphrase"
    assert "Phrase de passe incorrecte" in err.value.message
    assert (data_dir / Vault.VAULT_FILE).read_bytes() == before
    assert (data_dir / Vault.ATTEMPTS_FILE).exists()
    assert vault.unlock(PASS) == key
    assert not (data_dir / Vault.ATTEMPTS_FILE).exists()


def test_wrong_device_secret(data_dir: Path, ring: FileKeyring) -> None:
    vault, _ = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    other = base64.b64encode(bytes(32)).decode()
    ring.set_password(KEYRING_SERVICE, _secret_username(vault), other)
    with pytest.raises(WrongDeviceSecretError) as err:
        vault.unlock(PASS)
    assert "autre ordinateur" in err.value.message
    # A wrong device secret is not a passphrase guess: no back-off recorded.
    assert not (data_dir / Vault.ATTEMPTS_FILE).exists()


def test_missing_device_secret(data_dir: Path, ring: FileKeyring, tmp_path: Path) -> None:
    Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    empty_ring = FileKeyring(tmp_path / "other-machine.json")
    with pytest.raises(WrongDeviceSecretError):
        Vault.load(data_dir, keyring_backend=empty_ring).unlock(PASS)


def test_locked_keyring_on_unlock_and_create(data_dir: Path, ring: FileKeyring) -> None:
    Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    locked = Vault.load(data_dir, keyring_backend=LockedKeyring())
    with pytest.raises(KeyringLockedError) as err:
        locked.unlock(PASS)
    assert err.value.code == "keyring_locked"

    with pytest.raises(KeyringLockedError):
        Vault.create(data_dir.parent / "other", PASS, kdf=FAST, keyring_backend=LockedKeyring())
    assert not Vault.exists(data_dir.parent / "other")


def test_fail_backend_falls_back_to_protected_file(data_dir: Path) -> None:
    backend = fail.Keyring()
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=backend)
    secret_file = data_dir / "device-secret"
    assert secret_file.exists()
    assert _mode(secret_file) == 0o600
    location = vault.secret_location
    assert location.kind == "file"
    assert location.detail == str(secret_file)
    assert location.warning is not None
    assert "Aucun trousseau système utilisable" in location.warning
    assert str(secret_file) in location.warning

    reloaded = Vault.load(data_dir, keyring_backend=backend)
    assert reloaded.secret_location == location
    assert reloaded.unlock(PASS) == key

    secret_file.write_text(base64.b64encode(bytes(32)).decode())
    with pytest.raises(WrongDeviceSecretError):
        reloaded.unlock(PASS)
    secret_file.unlink()
    with pytest.raises(WrongDeviceSecretError):
        reloaded.unlock(PASS)


def test_file_keyring_basics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.errors import PasswordDeleteError

    monkeypatch.setenv("SPIE_KEYRING_FILE", str(tmp_path / "env" / "ring.json"))
    ring = FileKeyring()
    assert ring.file_path == tmp_path / "env" / "ring.json"
    assert ring.get_password("svc", "u") is None
    ring.set_password("svc", "u", "s1")
    ring.set_password("svc", "v", "s2")
    assert FileKeyring().get_password("svc", "u") == "s1"
    assert _mode(ring.file_path) == 0o600
    ring.delete_password("svc", "u")
    assert ring.get_password("svc", "u") is None
    assert ring.get_password("svc", "v") == "s2"
    with pytest.raises(PasswordDeleteError):
        ring.delete_password("svc", "u")
    assert FileKeyring.priority == 0.1
    # Opt-in only: never picked by keyring's automatic discovery.
    assert not FileKeyring.viable
    assert not LockedKeyring.viable


def test_file_keyring_selectable_by_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "spie_desktop.store.file_keyring.FileKeyring")
    monkeypatch.setenv("SPIE_KEYRING_FILE", str(tmp_path / "ring.json"))
    backend = keyring.core.load_env()
    assert isinstance(backend, FileKeyring)
    assert backend.file_path == tmp_path / "ring.json"


def test_file_keyring_refuses_to_overwrite_corrupt_file(tmp_path: Path) -> None:
    from keyring.errors import KeyringError, PasswordSetError

    path = tmp_path / "ring.json"
    path.write_text("{broken")
    ring = FileKeyring(path)
    with pytest.raises(KeyringError):
        ring.get_password("svc", "u")
    with pytest.raises(PasswordSetError):
        ring.set_password("svc", "u", "s")
    assert path.read_text() == "{broken"


# -- back-off --------------------------------------------------------------------------


def test_backoff_with_fake_clock(data_dir: Path, ring: FileKeyring) -> None:
    clock = FakeClock()
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring, clock=clock)
    vault = Vault.load(data_dir, keyring_backend=ring, clock=clock)
    for _ in range(3):
        with pytest.raises(WrongPassphraseError):
            vault.unlock("bad passphrase")

    # 3 failures: the next try must wait 2 ** 0 = 1 s, and is refused even when right.
    with pytest.raises(TooManyAttemptsError) as err:
        vault.unlock(PASS)
    assert err.value.wait_seconds == 1
    assert "patientez" in err.value.message
    clock.now += 0.5
    with pytest.raises(TooManyAttemptsError):
        vault.unlock(PASS)

    # A 4th failure after waiting doubles the delay.
    clock.now += 0.5
    with pytest.raises(WrongPassphraseError):
        vault.unlock("bad passphrase")
    with pytest.raises(TooManyAttemptsError) as err:
        vault.unlock(PASS)
    assert err.value.wait_seconds == 2

    # The counter survives a reload (it is on disk), and a refused try changes nothing.
    vault = Vault.load(data_dir, keyring_backend=ring, clock=clock)
    with pytest.raises(TooManyAttemptsError):
        vault.unlock(PASS)

    clock.now += 2
    assert vault.unlock(PASS) == key
    # Success resets: three fresh failures are allowed again without waiting.
    for _ in range(3):
        with pytest.raises(WrongPassphraseError):
            vault.unlock("bad passphrase")
    with pytest.raises(TooManyAttemptsError) as err:
        vault.unlock(PASS)
    assert err.value.wait_seconds == 1


def test_backoff_is_capped(data_dir: Path, ring: FileKeyring) -> None:
    clock = FakeClock()
    vault, _ = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring, clock=clock)
    (data_dir / Vault.ATTEMPTS_FILE).write_text(
        json.dumps({"failures": 40, "last_failure": clock.now})
    )
    with pytest.raises(TooManyAttemptsError) as err:
        vault.unlock(PASS)
    assert err.value.wait_seconds == 300


def test_backoff_survives_clock_going_backwards(data_dir: Path, ring: FileKeyring) -> None:
    clock = FakeClock()
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring, clock=clock)
    (data_dir / Vault.ATTEMPTS_FILE).write_text(
        json.dumps({"failures": 5, "last_failure": clock.now + 10_000})
    )
    with pytest.raises(TooManyAttemptsError) as err:
        vault.unlock(PASS)
    assert err.value.wait_seconds == 4
    clock.now += 4
    assert vault.unlock(PASS) == key


# -- change passphrase -----------------------------------------------------------------


def test_change_passphrase_keeps_data_key(data_dir: Path, ring: FileKeyring) -> None:
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    before = json.loads((data_dir / Vault.VAULT_FILE).read_text())
    new_kdf = KdfParams(time_cost=1, memory_cost_kib=16, parallelism=1)
    vault.change_passphrase(PASS, "une toute nouvelle phrase", kdf=new_kdf)
    after = json.loads((data_dir / Vault.VAULT_FILE).read_text())
    assert after["kdf"]["salt"] != before["kdf"]["salt"]
    assert after["nonce"] != before["nonce"]
    assert after["kdf"]["memory_cost_kib"] == 16
    assert after["vault_id"] == before["vault_id"]
    assert after["device_secret_fingerprint"] == before["device_secret_fingerprint"]
    assert _mode(data_dir / Vault.VAULT_FILE) == 0o600

    assert vault.unlock("une toute nouvelle phrase") == key
    fresh = Vault.load(data_dir, keyring_backend=ring)
    assert fresh.unlock("une toute nouvelle phrase") == key
    with pytest.raises(WrongPassphraseError):
        fresh.unlock(PASS)


def test_change_passphrase_refusals_leave_vault_untouched(
    data_dir: Path, ring: FileKeyring
) -> None:
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    before = (data_dir / Vault.VAULT_FILE).read_bytes()
    with pytest.raises(WrongPassphraseError):
        vault.change_passphrase("wrong old passphrase", "a new passphrase")
    with pytest.raises(ValidationError):
        vault.change_passphrase(PASS, "short")
    assert (data_dir / Vault.VAULT_FILE).read_bytes() == before
    assert vault.unlock(PASS) == key


def _plant_leftovers(data_dir: Path) -> list[Path]:
    """What a change killed before its rename leaves: temporary copies of the vault files."""
    planted = [
        data_dir / ".vault.json.k1l2x9_a.tmp",
        data_dir / ".unlock-attempts.json.zz01.tmp",
    ]
    for path in planted:
        path.write_bytes(b"{}")
    return planted


def test_unlock_removes_leftover_temporary_vault_files(data_dir: Path, ring: FileKeyring) -> None:
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    before = (data_dir / Vault.VAULT_FILE).read_bytes()
    planted = _plant_leftovers(data_dir)
    keep = data_dir / ".vault.json.notes"  # not a temporary file of ours
    keep.write_bytes(b"x")
    with pytest.raises(WrongPassphraseError):
        vault.unlock("wrong passphrase!")
    assert all(path.exists() for path in planted)  # a failed unlock changes nothing
    assert Vault.load(data_dir, keyring_backend=ring).unlock(PASS) == key
    assert not any(path.exists() for path in planted)
    assert keep.exists()
    assert (data_dir / Vault.VAULT_FILE).read_bytes() == before


def test_change_passphrase_removes_leftovers_but_not_a_write_in_progress(
    data_dir: Path, ring: FileKeyring
) -> None:
    import fcntl

    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    planted = _plant_leftovers(data_dir)
    vault.change_passphrase(PASS, "une toute nouvelle phrase")
    assert not any(path.exists() for path in planted)

    # Another process holds the vault lock while it writes: its temporary file stays.
    in_progress = _plant_leftovers(data_dir)[0]
    fd = os.open(data_dir / ".vault.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert vault.unlock("une toute nouvelle phrase") == key
        assert in_progress.exists()
    finally:
        os.close(fd)
    assert vault.unlock("une toute nouvelle phrase") == key
    assert not in_progress.exists()


# -- no secret in vault.json -----------------------------------------------------------


@pytest.mark.parametrize("use_keyring", [True, False])
def test_vault_file_holds_no_secret(data_dir: Path, ring: FileKeyring, use_keyring: bool) -> None:
    backend = ring if use_keyring else fail.Keyring()
    vault, key = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=backend)
    if use_keyring:
        encoded = ring.get_password(KEYRING_SERVICE, _secret_username(vault))
    else:
        encoded = (data_dir / "device-secret").read_text().strip()
    assert encoded is not None
    device_secret = base64.b64decode(encoded)
    assert len(device_secret) == 32

    raw = (data_dir / Vault.VAULT_FILE).read_bytes()
    lowered = raw.lower()
    for secret in (key, device_secret):
        assert secret not in raw
        assert secret.hex().encode() not in lowered
        assert base64.b64encode(secret) not in raw
        assert base64.b64encode(secret).rstrip(b"=") not in raw
        assert base64.urlsafe_b64encode(secret).rstrip(b"=") not in raw
    assert PASS.encode() not in raw
    assert raw_key_pragma(key).encode() not in lowered
    # Nor in the attempts file after a failure.
    with pytest.raises(WrongPassphraseError):
        vault.unlock("bad passphrase")
    attempts = (data_dir / Vault.ATTEMPTS_FILE).read_bytes()
    assert b"bad passphrase" not in attempts
    assert key.hex().encode() not in attempts


# -- destroy ---------------------------------------------------------------------------


def test_destroy_with_keyring(data_dir: Path, ring: FileKeyring) -> None:
    vault, _ = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)
    with pytest.raises(WrongPassphraseError):
        vault.unlock("bad passphrase")
    username = _secret_username(vault)
    _plant_leftovers(data_dir)  # a wrapped key a killed change left: wiped too
    vault.destroy()
    assert ring.get_password(KEYRING_SERVICE, username) is None
    assert not (data_dir / Vault.VAULT_FILE).exists()
    assert not (data_dir / Vault.ATTEMPTS_FILE).exists()
    assert not Vault.exists(data_dir)
    assert not list(data_dir.glob(".vault.json.*.tmp"))
    with pytest.raises(StoreNotInitialisedError):
        vault.unlock(PASS)
    # A new vault can then be created in the same place.
    Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=ring)


def test_destroy_with_file_fallback(data_dir: Path) -> None:
    vault, _ = Vault.create(data_dir, PASS, kdf=FAST, keyring_backend=fail.Keyring())
    vault.destroy()
    assert not (data_dir / "device-secret").exists()
    assert not (data_dir / Vault.VAULT_FILE).exists()
    assert not Vault.exists(data_dir)


def test_kdf_params_validation() -> None:
    assert KdfParams().time_cost >= 1
    with pytest.raises(ValueError):
        KdfParams(time_cost=0)
    with pytest.raises(ValueError):
        KdfParams(memory_cost_kib=4, parallelism=1)
