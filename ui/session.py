"""The application context: settings, the vault, the open store, the actor, the drafts.

Creating and unlocking run in a background thread (the Argon2id derivation takes ~0.4 s
by design); the store is then handed to :class:`ui.workers.Ops`. Locking drops the store
(its engine, and with it SQLCipher's copy of the key) and the drafts key, after the
pending writes have finished.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring.backend
from PySide6.QtCore import QObject, Signal

from spie_desktop.config import USERNAME_MAX, Settings, load_settings, save_settings
from spie_desktop.domain.enums import Role
from spie_desktop.errors import SpieError, ValidationError
from spie_desktop.services.queries import user_display_name
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.vault import KdfParams, SecretLocation, Vault
from ui.lock import DraftVault
from ui.workers import Ops


@dataclass(frozen=True)
class Opened:
    store: Store
    data_key: bytes
    actor: Actor
    user_name: str | None


def _open_with_key(data_dir: Path, data_key: bytes, device_id: str) -> Opened:
    store = Store.open_with_key(data_dir, data_key, device_id=device_id)
    try:
        store.refresh_stale_summaries()
        actor = store.actor()
        user_name = user_display_name(store, actor)
    except BaseException:
        store.close()
        raise
    return Opened(store, data_key, actor, user_name)


class AppContext(QObject):
    """Owns the settings, the store's life cycle and the drafts across locks."""

    unlocked = Signal()
    locked = Signal(str)
    settings_changed = Signal(object)
    actor_changed = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        ops: Ops,
        *,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
        kdf: KdfParams | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.ops = ops
        self.keyring_backend = keyring_backend
        self.kdf = kdf
        self.drafts = DraftVault()
        self.actor: Actor | None = None
        self.user_name: str | None = None
        self._settings_error: str | None = None
        try:
            self._settings = load_settings(self.data_dir)
        except ValidationError as exc:
            self._settings = Settings()
            self._settings_error = exc.message

    # -- settings -----------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def settings_error(self) -> str | None:
        return self._settings_error

    def update_settings(self, **changes: Any) -> Settings:
        """Validate and save (raises ValidationError with the field name)."""
        settings = dataclasses.replace(self._settings, **changes)
        save_settings(self.data_dir, settings)
        self._settings = settings
        self.settings_changed.emit(settings)
        return settings

    # -- state ----------------------------------------------------------------------------

    @property
    def store_exists(self) -> bool:
        return Vault.exists(self.data_dir)

    @property
    def is_unlocked(self) -> bool:
        return self.ops.store is not None

    @property
    def read_only(self) -> bool:
        return self.actor is not None and self.actor.read_only

    @property
    def is_supervisor(self) -> bool:
        return self.actor is not None and self.actor.role == Role.SUPERVISOR.value

    @property
    def referent_id(self) -> uuid.UUID | None:
        return self.actor.referent_id if self.actor else None

    def require_actor(self) -> Actor:
        if self.actor is None:
            from ui.workers import StoreLockedError

            raise StoreLockedError()
        return self.actor

    def secret_location(self) -> SecretLocation | None:
        try:
            return Vault.load(self.data_dir, keyring_backend=self.keyring_backend).secret_location
        except SpieError:
            return None

    def device_id(self) -> str | None:
        try:
            return Vault.load(self.data_dir, keyring_backend=self.keyring_backend).device_id
        except SpieError:
            return None

    # -- create / unlock / lock ------------------------------------------------------------

    def create(
        self,
        passphrase: str,
        on_done: Callable[[], None],
        on_error: Callable[[BaseException], None],
        *,
        owner: QObject | None = None,
    ) -> None:
        """Create the vault and the empty store (first start), then unlock."""
        data_dir, backend, kdf = self.data_dir, self.keyring_backend, self.kdf

        def work() -> Opened:
            vault, data_key = Vault.create(data_dir, passphrase, kdf=kdf, keyring_backend=backend)
            return _open_with_key(data_dir, data_key, vault.device_id)

        self.ops.background(
            work,
            lambda opened: self._opened(opened, on_done),
            on_error,
            owner=owner,
            label="create",
        )

    def unlock(
        self,
        passphrase: str,
        on_done: Callable[[], None],
        on_error: Callable[[BaseException], None],
        *,
        owner: QObject | None = None,
    ) -> None:
        """Derive the key (background thread), open the store, then announce :attr:`unlocked`."""
        data_dir, backend = self.data_dir, self.keyring_backend

        def work() -> Opened:
            vault = Vault.load(data_dir, keyring_backend=backend)
            data_key = vault.unlock(passphrase)
            return _open_with_key(data_dir, data_key, vault.device_id)

        self.ops.background(
            work,
            lambda opened: self._opened(opened, on_done),
            on_error,
            owner=owner,
            label="unlock",
        )

    def _opened(self, opened: Opened, on_done: Callable[[], None]) -> None:
        self.ops.set_store(opened.store)
        self.drafts.open(opened.data_key)
        self.actor = opened.actor
        self.user_name = opened.user_name
        self._remember_name()
        self.unlocked.emit()
        on_done()

    def change_passphrase(
        self,
        old: str,
        new: str,
        on_done: Callable[[], None],
        on_error: Callable[[BaseException], None],
        *,
        owner: QObject | None = None,
    ) -> None:
        """Re-wrap the data key under ``new`` (background thread: two key derivations).

        The vault checks ``old`` first (a wrong one counts as a failed unlock, with its
        growing delay) and writes ``vault.json`` atomically (temporary file, fsync, rename):
        killed midway, the old passphrase still opens the store. The open store is untouched
        (the data key does not change, nothing is re-encrypted)."""
        data_dir, backend = self.data_dir, self.keyring_backend

        def work() -> None:
            Vault.load(data_dir, keyring_backend=backend).change_passphrase(old, new)

        self.ops.background(
            work, lambda _none: on_done(), on_error, owner=owner, label="passphrase"
        )

    def _remember_name(self) -> None:
        """The lock screen greets the user by name (« Bonjour Camille Durand »): her own
        name, kept in the settings file (nothing of a person followed)."""
        name = (self.user_name or "").strip()[:USERNAME_MAX] or None
        if name is None or name == self._settings.user_display_name:
            return
        try:
            self.update_settings(user_display_name=name)
        except (ValidationError, OSError):
            return  # a name the settings refuse: the greeting keeps the login name

    def reload_actor(self) -> None:
        """Re-read who is logged in (after a login or a first sync)."""

        def work(store: Store) -> tuple[Actor, str | None]:
            actor = store.actor()
            return actor, user_display_name(store, actor)

        def done(result: tuple[Actor, str | None]) -> None:
            self.actor, self.user_name = result
            self._remember_name()
            self.actor_changed.emit(self.actor)

        self.ops.read(work, done, label="actor")

    def lock(self, reason: str, drafts: dict[str, Any] | None = None) -> None:
        """Seal the drafts, drop the store and the keys, announce :attr:`locked`."""
        if not self.is_unlocked:
            return
        self.drafts.seal(drafts or {})
        self.ops.drop_store()
        self.actor = None
        self.user_name = None
        self.locked.emit(reason)

    def take_drafts(self) -> dict[str, Any]:
        return self.drafts.unseal()

    def forget_everything(self) -> None:
        """After a remote wipe: nothing of the old store may survive in memory."""
        self.drafts.discard()
        if self.is_unlocked:
            self.ops.drop_store()
        self.actor = None
        self.user_name = None
