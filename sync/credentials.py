"""The device's refresh token: in the OS keyring the vault uses, else a 0600 file.

The password is never stored: login swaps it for this device-bound token. The token
follows the vault's choice of secret storage (DESIGN §4): where the device secret lives
in the keyring, so does the token (service ``spie-desktop``, user
``refresh-token:<vault id>``); where the vault fell back to a file, the token is in
``<data_dir>/refresh-token`` (0600).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import keyring
import keyring.backend
from keyring.errors import KeyringError, KeyringLocked, PasswordDeleteError

from spie_desktop.errors import KeyringLockedError, VaultError
from spie_desktop.store.file_keyring import atomic_write_bytes
from spie_desktop.store.vault import KEYRING_SERVICE, Vault

TOKEN_FILE = "refresh-token"


class Credentials:
    def __init__(
        self,
        data_dir: Path,
        *,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self._backend = keyring_backend
        if Vault.exists(self.data_dir):
            vault = Vault.load(self.data_dir, keyring_backend=keyring_backend)
            self._username = f"refresh-token:{vault.vault_id}"
            self._in_keyring = vault.secret_location.kind == "keyring"
        else:  # a plain store (tests, tools): keep the token beside it
            self._username = "refresh-token:plain"
            self._in_keyring = False

    @property
    def location(self) -> str:
        return "keyring" if self._in_keyring else str(self.data_dir / TOKEN_FILE)

    def _ring(self) -> keyring.backend.KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def get(self) -> str | None:
        if not self._in_keyring:
            try:
                return (self.data_dir / TOKEN_FILE).read_text(encoding="ascii").strip() or None
            except FileNotFoundError:
                return None
        try:
            return self._ring().get_password(KEYRING_SERVICE, self._username)
        except KeyringLocked as exc:
            raise KeyringLockedError() from exc
        except (KeyringError, OSError) as exc:
            raise VaultError(
                "Le trousseau du système est inaccessible : reconnectez-vous.",
                code="keyring_unavailable",
            ) from exc

    def set(self, token: str) -> None:
        if not self._in_keyring:
            atomic_write_bytes(self.data_dir / TOKEN_FILE, token.encode("ascii"), mode=0o600)
            return
        try:
            self._ring().set_password(KEYRING_SERVICE, self._username, token)
        except KeyringLocked as exc:
            raise KeyringLockedError() from exc
        except (KeyringError, OSError) as exc:
            raise VaultError(
                "Le jeton de connexion n'a pas pu être rangé dans le trousseau du système.",
                code="keyring_unavailable",
            ) from exc

    def delete(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / TOKEN_FILE).unlink()
        if self._in_keyring:
            with contextlib.suppress(PasswordDeleteError, KeyringError, OSError):
                self._ring().delete_password(KEYRING_SERVICE, self._username)
