"""Keyring backends that need no OS service: a JSON file, and an always-locked ring.

``FileKeyring`` is a real :mod:`keyring` backend for tests and headless machines. It
keeps secrets *in clear* in a JSON file readable only by its owner (0600, directory
0700), written atomically. Its priority is low (0.1) and it is not offered to keyring's
automatic discovery: it serves only when chosen explicitly, e.g.::

    PYTHON_KEYRING_BACKEND=spie_desktop.store.file_keyring.FileKeyring

The file is the constructor's ``path``, else ``$SPIE_KEYRING_FILE``, else
``platformdirs.user_data_dir("spie-desktop")/keyring.json``.

``LockedKeyring`` raises :class:`keyring.errors.KeyringLocked` on every operation, to
exercise the "keyring locked" path; it is never picked by automatic discovery.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, KeyringLocked, PasswordDeleteError, PasswordSetError

ENV_KEYRING_FILE = "SPIE_KEYRING_FILE"
_FORMAT_VERSION = 1

try:  # POSIX advisory locking; on Windows writes are still atomic, just not serialised.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def default_keyring_path() -> Path:
    """``$SPIE_KEYRING_FILE`` if set, else the per-user data directory's ``keyring.json``."""
    env = os.environ.get(ENV_KEYRING_FILE)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("spie-desktop")) / "keyring.json"


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same directory, fsync, replace.

    The temp file is created with ``mode`` from the start (mkstemp: 0600), so the content
    is never readable by others, even for a moment.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` durable (no-op where unsupported)."""
    if os.name != "posix":  # pragma: no cover - Windows cannot open directories
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class FileKeyring(KeyringBackend):
    """Secrets in a 0600 JSON file: ``{"version": 1, "entries": {service: {user: secret}}}``."""

    priority = 0.1
    # Opt-in only (constructor, PYTHON_KEYRING_BACKEND or keyringrc): never picked by
    # keyring's automatic discovery. Otherwise merely importing this module would make it
    # the default on a headless machine, silently replacing the vault's own file fallback
    # and its warning. ``keyring.core.load_keyring`` does not check ``viable``.
    viable = False

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.file_path = Path(path) if path is not None else default_keyring_path()

    def __str__(self) -> str:
        return f"{type(self).__module__}.{type(self).__name__} ({self.file_path})"

    # -- keyring API ---------------------------------------------------------------

    def get_password(self, service: str, username: str) -> str | None:
        with self._locked():
            entries = self._read()
        secret = entries.get(service, {}).get(username)
        return secret if isinstance(secret, str) else None

    def set_password(self, service: str, username: str, password: str) -> None:
        try:
            with self._locked():
                entries = self._read()
                entries.setdefault(service, {})[username] = password
                self._write(entries)
        except PasswordSetError:
            raise
        except (KeyringError, OSError) as exc:
            raise PasswordSetError(f"cannot write {self.file_path}: {exc}") from exc

    def delete_password(self, service: str, username: str) -> None:
        try:
            with self._locked():
                entries = self._read()
                users = entries.get(service, {})
                if username not in users:
                    raise PasswordDeleteError(f"no secret for {service!r}/{username!r}")
                del users[username]
                if not users:
                    entries.pop(service, None)
                self._write(entries)
        except PasswordDeleteError:
            raise
        except (KeyringError, OSError) as exc:
            raise PasswordDeleteError(f"cannot write {self.file_path}: {exc}") from exc

    # -- file handling -------------------------------------------------------------

    def _ensure_directory(self) -> None:
        parent = self.file_path.parent
        if not parent.exists():
            parent.mkdir(parents=True, mode=0o700)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise read-modify-write cycles between processes (sidecar ``.lock`` file)."""
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        try:
            self._ensure_directory()
            lock_path = self.file_path.with_name(self.file_path.name + ".lock")
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise KeyringError(f"cannot lock {self.file_path}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            raw = self.file_path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise KeyringError(f"cannot read {self.file_path}: {exc}") from exc
        try:
            document: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            # Refuse rather than overwrite: the file may hold other secrets.
            raise KeyringError(f"corrupt keyring file {self.file_path}: {exc}") from exc
        entries = document.get("entries") if isinstance(document, dict) else None
        if not isinstance(entries, dict) or not all(
            isinstance(users, dict) for users in entries.values()
        ):
            raise KeyringError(f"corrupt keyring file {self.file_path}: unexpected layout")
        return entries

    def _write(self, entries: dict[str, dict[str, str]]) -> None:
        self._ensure_directory()
        document = {"version": _FORMAT_VERSION, "entries": entries}
        data = json.dumps(document, indent=2, sort_keys=True).encode("utf-8")
        atomic_write_bytes(self.file_path, data, mode=0o600)


class LockedKeyring(KeyringBackend):
    """A keyring whose every operation fails with ``KeyringLocked`` (tests only)."""

    priority = 0.0
    viable = False  # never chosen by keyring's automatic discovery

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the keyring is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("the keyring is locked")
