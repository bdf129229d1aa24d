"""Key vault of the device store (DESIGN §4).

A random 256-bit **data key** opens the SQLCipher database as a raw key. It is kept on
disk only wrapped with AES-256-GCM in ``vault.json``, under a key-encryption key::

    KEK = HKDF-SHA256(ikm = Argon2id(passphrase, salt) || device_secret,
                      salt = None, info = b"spie-desktop kek v1")

The **device secret** (32 random bytes) lives in the OS keyring (service
``spie-desktop``, user ``device-secret:<vault_id>``). Where no keyring works it lives in
``<data_dir>/device-secret`` (0600) and :attr:`Vault.secret_location` carries a French
warning for the settings screen. A stolen disk alone (keyring not in it) or a stolen
unlocked session alone (no passphrase) is not enough to unwrap the key.

``vault.json`` also holds an HMAC fingerprint of the device secret, so that a wrong
device secret (database copied from another computer) is told apart from a wrong
passphrase without revealing anything about the secret.

Failed unlocks are counted in ``<data_dir>/unlock-attempts.json``; a failed attempt never
touches ``vault.json``. After three consecutive failures each new attempt must wait
``min(2 ** (failures - 3), 300)`` seconds after the previous failure.

``vault.json`` is written through a temporary ``.vault.json.XXXX.tmp`` renamed over it. A
kill before the rename leaves that file behind, holding the data key wrapped under the
passphrase being set; the vault removes such leftovers (never ``vault.json`` itself) after
a successful unlock, before writing a new ``vault.json`` and on :meth:`Vault.destroy`.
Writers and the cleaner hold ``<data_dir>/.vault.lock`` (``flock``, POSIX), so another
process's change in progress keeps its temporary file.

No Qt, no HTTP.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import keyring
import keyring.backend
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from keyring.backends import chainer, fail
from keyring.errors import KeyringError, KeyringLocked, PasswordDeleteError

from spie_desktop.errors import (
    KeyringLockedError,
    StoreNotInitialisedError,
    TooManyAttemptsError,
    ValidationError,
    VaultError,
    WrongDeviceSecretError,
    WrongPassphraseError,
)
from spie_desktop.store.file_keyring import (
    FileKeyring,
    atomic_write_bytes,
    default_keyring_path,
    fsync_directory,
)

__all__ = [
    "KdfParams",
    "SecretLocation",
    "Vault",
    "generate_data_key",
    "measure_kdf",
    "raw_key_pragma",
]

try:  # POSIX advisory locking; on Windows the cleaner cannot delete a file still open.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

KEYRING_SERVICE = "spie-desktop"
VAULT_FORMAT_VERSION = 1
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE_CHARS = 8
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0

_KEK_INFO = b"spie-desktop kek v1"
_FINGERPRINT_MSG = b"spie-device-secret-check"
_KDF_NAME = "argon2id"

# Sanity bounds for parameters read back from vault.json (a corrupt or hostile file must
# not make us allocate terabytes or spin for hours).
_MAX_TIME_COST = 64
_MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
_MAX_PARALLELISM = 64


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters (``argon2.low_level.hash_secret_raw``, 32-byte output).

    Defaults tuned on the 2-core development machine: ``time_cost=2``,
    ``memory_cost_kib=262144`` (256 MiB), ``parallelism=2`` take about 0.38 s per
    derivation (measured with :func:`measure_kdf`: min 0.36 s, median 0.38 s over
    7 runs), inside the 0.3–0.5 s target of DESIGN §4. For comparison the RFC 9106
    "64 MiB, t=3" profile took only 0.12 s there, so memory was raised rather than
    time: memory hardness is what costs a GPU attacker.

    The parameters are stored in ``vault.json``, so retuning the defaults never locks
    out an existing vault; :meth:`Vault.change_passphrase` can adopt new ones.
    """

    time_cost: int = 2
    memory_cost_kib: int = 262144
    parallelism: int = 2

    def __post_init__(self) -> None:
        for name in ("time_cost", "memory_cost_kib", "parallelism"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"KdfParams.{name} must be a positive integer, not {value!r}")
        if self.time_cost > _MAX_TIME_COST or self.parallelism > _MAX_PARALLELISM:
            raise ValueError("KdfParams out of range")
        if not 8 * self.parallelism <= self.memory_cost_kib <= _MAX_MEMORY_KIB:
            raise ValueError("KdfParams.memory_cost_kib must be in [8 * parallelism, 4 GiB]")

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """Deliberately weak parameters so tests run in milliseconds. Never for real vaults."""
        return cls(time_cost=1, memory_cost_kib=8, parallelism=1)


@dataclass(frozen=True)
class SecretLocation:
    """Where the device secret is kept, for the settings screen."""

    kind: Literal["keyring", "file"]
    detail: str  # keyring backend name, or file path
    warning: str | None  # French sentence to show when the secret is only in a file


def generate_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return secrets.token_bytes(KEY_BYTES)


def raw_key_pragma(data_key: bytes) -> str:
    """The SQLCipher raw-key form of ``data_key``: ``x'<64 hex digits>'``."""
    if len(data_key) != KEY_BYTES:
        raise ValueError(f"the data key must be {KEY_BYTES} bytes, not {len(data_key)}")
    return f"x'{data_key.hex()}'"


def measure_kdf(params: KdfParams) -> float:
    """Seconds taken by one Argon2id derivation with ``params`` (used to show tuning)."""
    passphrase = secrets.token_urlsafe(16)
    salt = secrets.token_bytes(SALT_BYTES)
    start = time.perf_counter()
    _argon2id(passphrase, salt, params)
    return time.perf_counter() - start


# --------------------------------------------------------------------------------------
# Crypto helpers


def _argon2id(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    # NFC so that "é" typed as one code point (Windows, Linux) or two (macOS) is the
    # same passphrase.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _derive_kek(passphrase: str, salt: bytes, params: KdfParams, device_secret: bytes) -> bytes:
    stretched = _argon2id(passphrase, salt, params)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_KEK_INFO)
    return hkdf.derive(stretched + device_secret)


def _wrap_key(
    passphrase: str, params: KdfParams, device_secret: bytes, data_key: bytes, vault_id: str
) -> tuple[bytes, bytes, bytes]:
    """(salt, nonce, wrapped key): the data key under a fresh salt and nonce."""
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    kek = _derive_kek(passphrase, salt, params, device_secret)
    return salt, nonce, AESGCM(kek).encrypt(nonce, data_key, _aad(vault_id))


def _aad(vault_id: str) -> bytes:
    return f"spie-vault:{vault_id}:v1".encode("ascii")


def _fingerprint(device_secret: bytes) -> str:
    return hmac.new(device_secret, _FINGERPRINT_MSG, hashlib.sha256).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, expected_len: int, field: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError(f"{field}: not a string")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"{field}: bad base64") from exc
    if len(data) != expected_len:
        raise ValueError(f"{field}: {len(data)} bytes, expected {expected_len}")
    return data


def _check_passphrase(passphrase: str, field: str) -> None:
    if not isinstance(passphrase, str) or len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise ValidationError(
            f"La phrase de passe doit compter au moins {MIN_PASSPHRASE_CHARS} caractères.",
            code="passphrase_too_short",
            field=field,
        )


# --------------------------------------------------------------------------------------
# vault.json


@dataclass(frozen=True)
class _Record:
    """The parsed content of vault.json."""

    vault_id: str
    device_id: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    secret_kind: Literal["keyring", "file"]
    secret_detail: str
    fingerprint: str
    created_at: str

    def to_json(self) -> bytes:
        document = {
            "version": VAULT_FORMAT_VERSION,
            "vault_id": self.vault_id,
            "device_id": self.device_id,
            "kdf": {
                "name": _KDF_NAME,
                "time_cost": self.kdf.time_cost,
                "memory_cost_kib": self.kdf.memory_cost_kib,
                "parallelism": self.kdf.parallelism,
                "salt": _b64(self.salt),
            },
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
            "secret_location": {"kind": self.secret_kind, "detail": self.secret_detail},
            "device_secret_fingerprint": self.fingerprint,
            "created_at": self.created_at,
        }
        return (json.dumps(document, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> _Record:
        """Parse vault.json; any problem raises ``ValueError`` (mapped to VaultError)."""
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict):
            raise ValueError("not an object")
        if document.get("version") != VAULT_FORMAT_VERSION:
            raise ValueError(f"unsupported version {document.get('version')!r}")
        kdf = document["kdf"]
        location = document["secret_location"]
        if not isinstance(kdf, dict) or not isinstance(location, dict):
            raise ValueError("kdf / secret_location: not objects")
        if kdf.get("name") != _KDF_NAME:
            raise ValueError(f"unsupported kdf {kdf.get('name')!r}")
        kind = location.get("kind")
        if kind not in ("keyring", "file"):
            raise ValueError(f"unknown secret location {kind!r}")
        fingerprint = document["device_secret_fingerprint"]
        if not isinstance(fingerprint, str) or len(fingerprint) != 64:
            raise ValueError("bad fingerprint")
        int(fingerprint, 16)
        strings = {k: document[k] for k in ("vault_id", "device_id", "created_at")}
        if not all(isinstance(v, str) and v for v in strings.values()):
            raise ValueError("vault_id / device_id / created_at: not strings")
        detail = location.get("detail", "")
        return cls(
            vault_id=strings["vault_id"],
            device_id=strings["device_id"],
            kdf=KdfParams(
                time_cost=kdf["time_cost"],
                memory_cost_kib=kdf["memory_cost_kib"],
                parallelism=kdf["parallelism"],
            ),
            salt=_unb64(kdf["salt"], SALT_BYTES, "salt"),
            nonce=_unb64(document["nonce"], NONCE_BYTES, "nonce"),
            wrapped_key=_unb64(document["wrapped_key"], KEY_BYTES + 16, "wrapped_key"),
            secret_kind=kind,
            secret_detail=detail if isinstance(detail, str) else "",
            fingerprint=fingerprint.lower(),
            created_at=strings["created_at"],
        )


def _read_record(path: Path) -> _Record:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise StoreNotInitialisedError() from exc
    except OSError as exc:
        raise VaultError(
            f"Le coffre de clés ({path}) ne peut pas être lu : {exc.strerror or exc}.",
            code="vault_unreadable",
        ) from exc
    try:
        return _Record.from_json(raw)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        log.warning("corrupt vault file %s: %s", path, exc)
        raise VaultError(
            f"Le coffre de clés ({path}) est illisible ou endommagé. La base locale ne peut "
            "pas être ouverte : elle sera reconstruite par une resynchronisation complète "
            "avec le serveur.",
            code="vault_corrupt",
        ) from exc


_LOCK_FILE = ".vault.lock"


@contextlib.contextmanager
def _vault_write_lock(data_dir: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold ``data_dir/.vault.lock`` while vault.json is written or leftovers removed.

    Yields whether the lock is held: ``wait=False`` yields False at once while another
    process holds it. Without ``fcntl`` (Windows) it yields True without locking.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield True
        return
    try:
        fd = os.open(data_dir / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        log.warning("cannot open the vault lock in %s: %s", data_dir, exc)
        yield wait  # a writer still writes (atomically); the cleaner skips
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def _leftover_names(data_dir: Path) -> list[Path]:
    """Temporary files of :func:`atomic_write_bytes` for the vault's own files."""
    names = (Vault.VAULT_FILE, Vault.SECRET_FILE, Vault.ATTEMPTS_FILE)
    found: list[Path] = []
    for name in names:
        found.extend(
            path
            for path in data_dir.glob(f".{name}.*.tmp")
            if path.name not in names and path.is_file() and not path.is_symlink()
        )
    return found


def _remove_leftovers(data_dir: Path) -> None:
    """Delete the leftovers (the caller holds the vault lock); errors are only logged."""
    removed = False
    for path in _leftover_names(data_dir):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("cannot remove the leftover %s: %s", path, exc)
            continue
        log.info("removed the leftover %s of an interrupted vault write", path.name)
        removed = True
    if removed:
        fsync_directory(data_dir)


def _file_warning(path: Path) -> str:
    return (
        "Aucun trousseau système utilisable : le secret de l'appareil est gardé dans un "
        f"fichier protégé (0600) : {path}."
    )


def _backend_name_of(cls: type[keyring.backend.KeyringBackend]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    return _backend_name_of(type(backend))


def _backend_is_unusable(backend: keyring.backend.KeyringBackend) -> bool:
    if isinstance(backend, fail.Keyring):
        return True
    return isinstance(backend, chainer.ChainerBackend) and not list(backend.backends)


# --------------------------------------------------------------------------------------
# The vault


class Vault:
    """The device's key vault in ``data_dir``: see the module docstring."""

    VAULT_FILE = "vault.json"
    SECRET_FILE = "device-secret"
    ATTEMPTS_FILE = "unlock-attempts.json"

    def __init__(
        self,
        data_dir: Path,
        record: _Record,
        *,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._data_dir = Path(data_dir)
        self._record = record
        self._keyring_backend = keyring_backend
        self._clock = clock
        self._destroyed = False

    # -- construction --------------------------------------------------------------

    @classmethod
    def exists(cls, data_dir: Path) -> bool:
        return (Path(data_dir) / cls.VAULT_FILE).is_file()

    @classmethod
    def create(
        cls,
        data_dir: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
        clock: Callable[[], float] = time.time,
    ) -> tuple[Vault, bytes]:
        """Create a new vault; returns it and the fresh data key.

        Raises ``ValidationError`` if a vault already exists in ``data_dir`` or the
        passphrase is too short, ``KeyringLockedError`` if the OS keyring is locked.
        """
        data_dir = Path(data_dir)
        if cls.exists(data_dir):
            raise ValidationError(
                f"Un coffre de clés existe déjà dans {data_dir} : il ne sera pas remplacé.",
                code="vault_exists",
                field="data_dir",
            )
        _check_passphrase(passphrase, "passphrase")
        params = kdf or KdfParams()

        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(data_dir, 0o700)

        vault_id = uuid.uuid4().hex
        device_id = str(uuid.uuid4())
        data_key = generate_data_key()
        device_secret = secrets.token_bytes(KEY_BYTES)

        backend = keyring_backend if keyring_backend is not None else keyring.get_keyring()
        kind, detail = cls._store_device_secret(data_dir, vault_id, device_secret, backend)
        try:
            salt, nonce, wrapped = _wrap_key(passphrase, params, device_secret, data_key, vault_id)
            record = _Record(
                vault_id=vault_id,
                device_id=device_id,
                kdf=params,
                salt=salt,
                nonce=nonce,
                wrapped_key=wrapped,
                secret_kind=kind,
                secret_detail=detail,
                fingerprint=_fingerprint(device_secret),
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            with _vault_write_lock(data_dir):
                _remove_leftovers(data_dir)
                atomic_write_bytes(data_dir / cls.VAULT_FILE, record.to_json(), mode=0o600)
        except BaseException:
            cls._forget_device_secret(data_dir, vault_id, kind, backend)
            raise
        with contextlib.suppress(FileNotFoundError):
            (data_dir / cls.ATTEMPTS_FILE).unlink()  # leftover of a destroyed vault
        vault = cls(data_dir, record, keyring_backend=keyring_backend, clock=clock)
        return vault, data_key

    @classmethod
    def load(
        cls,
        data_dir: Path,
        *,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
        clock: Callable[[], float] = time.time,
    ) -> Vault:
        """Read ``data_dir/vault.json`` (no secret is touched until :meth:`unlock`)."""
        data_dir = Path(data_dir)
        record = _read_record(data_dir / cls.VAULT_FILE)
        return cls(data_dir, record, keyring_backend=keyring_backend, clock=clock)

    # -- properties ----------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    @property
    def vault_id(self) -> str:
        return self._record.vault_id

    @property
    def device_id(self) -> str:
        return self._record.device_id

    @property
    def kdf_params(self) -> KdfParams:
        return self._record.kdf

    @property
    def secret_location(self) -> SecretLocation:
        if self._record.secret_kind == "file":
            path = self._data_dir / self.SECRET_FILE
            return SecretLocation(kind="file", detail=str(path), warning=_file_warning(path))
        warning = None
        if self._record.secret_detail == _backend_name_of(FileKeyring):
            # A keyring was chosen, but the secret is still in a plain (0600) file.
            backend = self._keyring_backend
            ring_path = (
                backend.file_path if isinstance(backend, FileKeyring) else default_keyring_path()
            )
            warning = _file_warning(ring_path)
        return SecretLocation(kind="keyring", detail=self._record.secret_detail, warning=warning)

    # -- unlocking -----------------------------------------------------------------

    def unlock(self, passphrase: str) -> bytes:
        """Return the 32-byte data key.

        Raises ``TooManyAttemptsError`` (nothing tried) while the back-off runs,
        ``KeyringLockedError``, ``WrongDeviceSecretError``, ``WrongPassphraseError``.
        """
        return self._unwrap(passphrase)[0]

    def _unwrap(self, passphrase: str) -> tuple[bytes, bytes]:
        """(data key, device secret): the secret is read from the keyring once."""
        record = self._reload()
        self._enforce_backoff()
        device_secret = self._read_device_secret(record)
        kek = _derive_kek(passphrase, record.salt, record.kdf, device_secret)
        try:
            data_key = AESGCM(kek).decrypt(record.nonce, record.wrapped_key, _aad(record.vault_id))
        except InvalidTag:
            failures = self._record_failure()
            raise WrongPassphraseError(self._wrong_passphrase_message(failures)) from None
        self._reset_failures()
        self._remove_leftovers()
        return data_key, device_secret

    def change_passphrase(self, old: str, new: str, *, kdf: KdfParams | None = None) -> None:
        """Re-wrap the same data key under ``new`` (fresh salt and nonce); no re-encryption."""
        _check_passphrase(new, "new_passphrase")
        data_key, device_secret = self._unwrap(old)
        record = self._record
        params = kdf or record.kdf
        salt, nonce, wrapped = _wrap_key(new, params, device_secret, data_key, record.vault_id)
        new_record = replace(record, kdf=params, salt=salt, nonce=nonce, wrapped_key=wrapped)
        with _vault_write_lock(self._data_dir):
            _remove_leftovers(self._data_dir)
            atomic_write_bytes(self._vault_path, new_record.to_json(), mode=0o600)
        self._record = new_record

    def destroy(self) -> None:
        """Remote-wipe helper: forget the device secret and delete the vault files.

        ``vault.json`` goes first: without the wrapped key nothing can be recovered, even
        if removing the keyring entry then fails (that failure is logged, not raised).
        """
        for name in (self.VAULT_FILE, self.ATTEMPTS_FILE):
            with contextlib.suppress(FileNotFoundError):
                (self._data_dir / name).unlink()
        self._remove_leftovers()  # a wrapped key a killed change left behind
        backend = self._keyring_backend
        if self._record.secret_kind == "keyring" and backend is None:
            backend = keyring.get_keyring()
        self._forget_device_secret(
            self._data_dir, self._record.vault_id, self._record.secret_kind, backend
        )
        fsync_directory(self._data_dir)
        self._destroyed = True

    # -- internals -----------------------------------------------------------------

    def _remove_leftovers(self) -> None:
        """Remove what killed writes left behind; never blocks on another process's write."""
        with _vault_write_lock(self._data_dir, wait=False) as locked:
            if locked:
                _remove_leftovers(self._data_dir)

    @property
    def _vault_path(self) -> Path:
        return self._data_dir / self.VAULT_FILE

    @property
    def _attempts_path(self) -> Path:
        return self._data_dir / self.ATTEMPTS_FILE

    @staticmethod
    def _keyring_username(vault_id: str) -> str:
        return f"device-secret:{vault_id}"

    def _reload(self) -> _Record:
        """Re-read vault.json (another process may have changed the passphrase)."""
        if self._destroyed:
            raise StoreNotInitialisedError()
        record = _read_record(self._vault_path)
        if record.vault_id != self._record.vault_id:
            raise VaultError(
                "Le coffre de clés a été remplacé pendant que l'application tournait. "
                "Relancez l'application.",
                code="vault_replaced",
            )
        self._record = record
        return record

    @classmethod
    def _store_device_secret(
        cls,
        data_dir: Path,
        vault_id: str,
        device_secret: bytes,
        backend: keyring.backend.KeyringBackend,
    ) -> tuple[Literal["keyring", "file"], str]:
        """Put the secret in the keyring if one works, else in a 0600 file."""
        encoded = _b64(device_secret)
        username = cls._keyring_username(vault_id)
        if not _backend_is_unusable(backend):
            try:
                backend.set_password(KEYRING_SERVICE, username, encoded)
                # Read back: some backends (an empty chainer…) accept and drop silently.
                stored = backend.get_password(KEYRING_SERVICE, username)
            except KeyringLocked as exc:
                raise KeyringLockedError() from exc
            except (KeyringError, NotImplementedError, OSError) as exc:
                log.warning("keyring %s unusable, using a file: %s", _backend_name(backend), exc)
            else:
                if stored == encoded:
                    return "keyring", _backend_name(backend)
                log.warning("keyring %s did not keep the secret, using a file", backend)
        path = data_dir / cls.SECRET_FILE
        atomic_write_bytes(path, (encoded + "\n").encode("ascii"), mode=0o600)
        return "file", str(path)

    @classmethod
    def _forget_device_secret(
        cls,
        data_dir: Path,
        vault_id: str,
        kind: Literal["keyring", "file"],
        backend: keyring.backend.KeyringBackend | None,
    ) -> None:
        if kind == "file":
            with contextlib.suppress(FileNotFoundError):
                (data_dir / cls.SECRET_FILE).unlink()
            return
        if backend is None:
            return
        try:
            backend.delete_password(KEYRING_SERVICE, cls._keyring_username(vault_id))
        except PasswordDeleteError:
            pass  # already gone
        except (KeyringError, NotImplementedError, OSError) as exc:
            log.warning("could not delete the device secret from the keyring: %s", exc)

    def _read_device_secret(self, record: _Record) -> bytes:
        if record.secret_kind == "file":
            path = self._data_dir / self.SECRET_FILE
            try:
                encoded: str | None = path.read_text(encoding="ascii").strip()
            except FileNotFoundError:
                encoded = None
            except (OSError, UnicodeDecodeError) as exc:
                raise VaultError(
                    f"Le secret de l'appareil ({path}) ne peut pas être lu.",
                    code="device_secret_unreadable",
                ) from exc
        else:
            backend = self._keyring_backend
            try:
                if backend is None:
                    backend = keyring.get_keyring()
                encoded = backend.get_password(
                    KEYRING_SERVICE, self._keyring_username(record.vault_id)
                )
            except KeyringLocked as exc:
                raise KeyringLockedError() from exc
            except (KeyringError, NotImplementedError, OSError) as exc:
                raise VaultError(
                    "Le trousseau du système est inaccessible : le secret de cet appareil ne "
                    "peut pas être lu. Vérifiez que votre session est ouverte normalement, "
                    "puis réessayez.",
                    code="keyring_unavailable",
                ) from exc
        if encoded is None:
            raise WrongDeviceSecretError()
        try:
            device_secret = _unb64(encoded, KEY_BYTES, "device secret")
        except ValueError as exc:
            raise WrongDeviceSecretError() from exc
        if not hmac.compare_digest(_fingerprint(device_secret), record.fingerprint):
            raise WrongDeviceSecretError()
        return device_secret

    # -- back-off ------------------------------------------------------------------

    def _read_attempts(self) -> tuple[int, float]:
        try:
            document = json.loads(self._attempts_path.read_text(encoding="utf-8"))
            failures = int(document["failures"])
            last_failure = float(document["last_failure"])
        except FileNotFoundError:
            return 0, 0.0
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Only a courtesy delay (the real protection is Argon2id); start over.
            log.warning("ignoring unreadable %s: %s", self._attempts_path, exc)
            return 0, 0.0
        return max(failures, 0), last_failure

    def _write_attempts(self, failures: int, last_failure: float) -> None:
        document = {"failures": failures, "last_failure": last_failure}
        with _vault_write_lock(self._data_dir):  # the cleaner keeps its temporary file
            atomic_write_bytes(self._attempts_path, json.dumps(document).encode("utf-8"))

    @staticmethod
    def _required_wait(failures: int) -> float:
        if failures < FREE_ATTEMPTS:
            return 0.0
        return min(2.0 ** min(failures - FREE_ATTEMPTS, 16), MAX_WAIT_SECONDS)

    def _enforce_backoff(self) -> None:
        failures, last_failure = self._read_attempts()
        wait = self._required_wait(failures)
        if wait <= 0:
            return
        now = self._clock()
        if now < last_failure:
            # The clock went backwards: restart the wait from now instead of forever.
            self._write_attempts(failures, now)
            last_failure = now
        remaining = wait - (now - last_failure)
        if remaining > 0:
            raise TooManyAttemptsError(float(math.ceil(remaining)))

    def _record_failure(self) -> int:
        failures, _ = self._read_attempts()
        failures += 1
        self._write_attempts(failures, self._clock())
        return failures

    def _reset_failures(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._attempts_path.unlink()

    def _wrong_passphrase_message(self, failures: int) -> str:
        wait = self._required_wait(failures)
        if wait <= 0:
            return "Phrase de passe incorrecte."
        return f"Phrase de passe incorrecte. Patientez {wait:.0f} s avant l'essai suivant."
