"""The one place the UI meets the sync engine (``sync.client``).

The rest of the interface only sees :class:`SyncController`: a status (online / offline /
local, pending changes, last successful sync, conflicts, progress) and a few verbs
(``login``, ``request_sync``, ``sync_now``). The engine itself runs on a dedicated thread;
its progress callbacks come back to the UI thread as Qt signals.

Automatic triggers (DESIGN §5): at unlock, after each local write (debounced), every few
minutes while online, and when the network comes back (``QNetworkInformation``
reachability, where a backend exists). A sync never runs twice at once: a request during a
sync is remembered and served right after it.

The engine is given by the composition root (:func:`spie_desktop.entry.app.build_desktop`
passes :class:`ui.sync_client_backend.ClientBackend`, a plain import that PyInstaller
follows); without one (:class:`LocalBackend`), or with no server configured (local demo),
the controller runs in *local* mode: it only counts the changes waiting in the outbox.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from spie_desktop.errors import SpieError
from spie_desktop.services.operation import ALL_CHANGED
from spie_desktop.store.store import Store
from sync.protocol import DEFAULT_AUDIT_LIMIT, AuditPage
from ui.i18n import translate
from ui.workers import Ops, error_message, log_unexpected

log = logging.getLogger(__name__)

WRITE_DEBOUNCE_MS = 2_000
PERIODIC_MS = 5 * 60_000
RETRY_MS = 60_000
WIPE_ACK_TIMEOUT = 120.0
COUNTS_DELAY_MS = 700


@dataclass(frozen=True)
class Conflict:
    """A value of ours the server replaced with a newer one (« modifié aussi par … »)."""

    table: str
    row_id: str
    field: str
    ours: Any
    theirs: Any
    author: str | None
    at: datetime | None = None
    person_name: str | None = None


@dataclass(frozen=True)
class SyncStatus:
    mode: str = "local"  # local | online | offline | syncing | error | revoked
    server_url: str | None = None
    pending: int = 0
    rejected: int = 0
    last_success: datetime | None = None
    conflicts: tuple[Conflict, ...] = ()
    message: str | None = None
    progress: tuple[int, int] | None = None
    user: str | None = None


@dataclass
class SyncOutcome:
    ok: bool
    pushed: int = 0
    pulled: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    message: str | None = None
    offline: bool = False
    revoked: bool = False


class SyncBackend(Protocol):
    """What the controller needs from a sync engine."""

    def login(self, store: Store, server_url: str, username: str, password: str) -> str: ...

    def sync(self, store: Store, progress: Callable[[int, int, str], None]) -> SyncOutcome: ...

    def counts(self, store: Store) -> tuple[int, int]: ...

    def last_success(self, store: Store) -> datetime | None: ...

    def reveal(self, store: Store, note_id: uuid.UUID, reason: str) -> str: ...

    def audit_events(self, store: Store, query: AuditQuery) -> AuditPage: ...


@dataclass(frozen=True)
class AuditQuery:
    """The filters of the team's audit log (``GET /audit/events``); days are Paris days."""

    person_id: uuid.UUID | None = None
    username: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = DEFAULT_AUDIT_LIMIT


def local_audit_message() -> str:
    return translate(
        "sync",
        "Le journal d'audit de l'équipe est tenu par le serveur départemental : cet "
        "appareil fonctionne en mode local, sans serveur.",
    )


class LocalBackend:
    """No server: nothing to send, only the outbox to count."""

    def login(self, store: Store, server_url: str, username: str, password: str) -> str:
        raise SpieError(
            translate(
                "sync",
                "Le module de synchronisation n'est pas installé sur ce poste : "
                "l'application fonctionne en mode local.",
            ),
            code="sync_unavailable",
        )

    def sync(self, store: Store, progress: Callable[[int, int, str], None]) -> SyncOutcome:
        return SyncOutcome(ok=True)

    def counts(self, store: Store) -> tuple[int, int]:
        counts = store.counts()
        return counts["outbox_pending"], counts["outbox_rejected"]

    def last_success(self, store: Store) -> datetime | None:
        return None

    def reveal(self, store: Store, note_id: uuid.UUID, reason: str) -> str:
        raise SpieError(
            translate(
                "sync",
                "Consulter une note sensible demande le serveur départemental : "
                "l'application fonctionne en mode local.",
            ),
            code="sync_unavailable",
        )

    def audit_events(self, store: Store, query: AuditQuery) -> AuditPage:
        raise SpieError(local_audit_message(), code="sync_unavailable")


class SyncController(QObject):
    status_changed = Signal(object)
    progress = Signal(int, int, str)
    revoked = Signal(str)
    finished = Signal(object)
    _from_thread = Signal(object)

    def __init__(
        self,
        ops: Ops,
        *,
        backend: SyncBackend | None = None,
        server_url: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._backend: SyncBackend = backend or LocalBackend()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spie-sync")
        self._store: Store | None = None
        self._running = False
        self._again = False
        self._status = SyncStatus(server_url=server_url)
        self._server_url = server_url
        self._generation = 0
        self._stop = threading.Event()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.timeout.connect(self.sync_now)
        self._periodic = QTimer(self)
        self._periodic.setInterval(PERIODIC_MS)
        self._periodic.timeout.connect(self.sync_now)
        self._from_thread.connect(self._run_on_ui, Qt.ConnectionType.QueuedConnection)
        self._network = self._watch_network()
        self.write_debounce_ms = WRITE_DEBOUNCE_MS
        self._wipe_ack = threading.Event()
        self._install_wipe_hook()

    # -- configuration -----------------------------------------------------------------------

    @property
    def backend(self) -> SyncBackend:
        return self._backend

    @property
    def is_local(self) -> bool:
        return isinstance(self._backend, LocalBackend) or not self._server_url

    @property
    def can_login(self) -> bool:
        return not isinstance(self._backend, LocalBackend)

    @property
    def status(self) -> SyncStatus:
        return self._status

    @property
    def running(self) -> bool:
        return self._running

    def set_server_url(self, url: str | None) -> None:
        self._server_url = url
        self._set_status(server_url=url, mode="local" if self.is_local else self._status.mode)

    def _set_status(self, **changes: Any) -> None:
        self._status = replace(self._status, **changes)
        self.status_changed.emit(self._status)

    def _watch_network(self) -> Any:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return None
            info = QNetworkInformation.instance()
            if info is None:
                return None
            info.reachabilityChanged.connect(self._on_reachability)
            return info
        except Exception:  # no network information backend on this platform
            return None

    def _on_reachability(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.request_sync("network", delay_ms=1_000)

    # -- revocation -----------------------------------------------------------------------

    def _install_wipe_hook(self) -> None:
        if hasattr(self._backend, "before_wipe"):
            self._backend.before_wipe = self._before_wipe

    def _before_wipe(self, message: str) -> None:
        """On the sync thread: tell the user, wait for the answer (bounded), then let the
        engine delete the store and its key."""
        self._wipe_ack.clear()
        self._from_thread.emit(lambda: self.revoked.emit(message))
        self._wipe_ack.wait(WIPE_ACK_TIMEOUT)

    def acknowledge_revocation(self) -> None:
        """The user has read the message and the UI has let go of the store."""
        self._wipe_ack.set()

    # -- life cycle ------------------------------------------------------------------------

    def attach(self, store: Store) -> None:
        """The store is open (unlock): count, then sync if a server is configured."""
        self._store = store
        self._generation += 1
        self._stop.clear()
        # The caseload comes first at unlock: count the outbox a moment later.
        QTimer.singleShot(COUNTS_DELAY_MS, self.refresh_counts)
        if not self.is_local:
            self._periodic.start()
            self.request_sync("unlock", delay_ms=0)
        else:
            self._set_status(mode="local", message=None)

    def detach(self) -> None:
        """Lock: stop the timers; a running sync finishes its page, then stops."""
        self._store = None
        self._generation += 1
        self._stop.set()
        self._debounce.stop()
        self._periodic.stop()

    def shutdown(self) -> None:
        self.detach()
        self._wipe_ack.set()
        self._executor.shutdown(wait=True, cancel_futures=True)
        close = getattr(self._backend, "close", None)
        if callable(close):
            close()

    # -- triggers --------------------------------------------------------------------------

    def local_write(self) -> None:
        """A local write happened: count it now, push it soon (debounced)."""
        self.refresh_counts()
        if not self.is_local:
            self.request_sync("write", delay_ms=self.write_debounce_ms)

    def request_sync(self, reason: str = "manual", delay_ms: int = 0) -> None:
        if self._store is None or self.is_local:
            return
        if delay_ms <= 0:
            self.sync_now()
        elif not self._debounce.isActive() or self._debounce.remainingTime() > delay_ms:
            self._debounce.start(delay_ms)

    def sync_now(self) -> None:
        store = self._store
        if store is None or self.is_local:
            self.refresh_counts()
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        generation = self._generation
        self._set_status(mode="syncing", progress=None, message=None)

        def progress(done: int, total: int, phase: str) -> None:
            if not self._stop.is_set():
                self._from_thread.emit(lambda: self._on_progress(generation, done, total, phase))

        def job() -> None:
            try:
                outcome = self._backend.sync(store, progress)
                if outcome.revoked:
                    pending, rejected, last = 0, 0, None
                else:
                    pending, rejected = self._backend.counts(store)
                    last = self._backend.last_success(store)
            except BaseException as exc:
                if not isinstance(exc, SpieError):
                    log_unexpected(exc, "sync")
                failure = SyncOutcome(ok=False, message=error_message(exc))
                self._from_thread.emit(lambda: self._finished(generation, failure, -1, -1, None))
                return
            self._from_thread.emit(
                lambda: self._finished(generation, outcome, pending, rejected, last)
            )

        self._executor.submit(job)

    def _run_on_ui(self, callback: Callable[[], None]) -> None:
        callback()

    def _on_progress(self, generation: int, done: int, total: int, phase: str) -> None:
        if generation != self._generation:
            return
        self._set_status(progress=(done, total))
        self.progress.emit(done, total, phase)

    def _finished(
        self,
        generation: int,
        outcome: SyncOutcome | None,
        pending: int,
        rejected: int,
        last: datetime | None,
    ) -> None:
        self._running = False
        if generation != self._generation or outcome is None:
            return
        changes: dict[str, Any] = {"progress": None}
        if pending >= 0:
            changes.update(pending=pending, rejected=rejected)
        if last is not None:
            changes["last_success"] = last
        if outcome.revoked:
            changes.update(mode="revoked", message=outcome.message, pending=0, rejected=0)
            self._set_status(**changes)
            self.finished.emit(outcome)
            return
        if outcome.ok:
            changes.update(mode="online", message=outcome.message)
            if outcome.conflicts:
                changes["conflicts"] = tuple(outcome.conflicts) + self._status.conflicts
        elif outcome.offline:
            changes.update(mode="offline", message=outcome.message)
            self._debounce.start(RETRY_MS)
        else:
            changes.update(mode="error", message=outcome.message)
        self._set_status(**changes)
        self.finished.emit(outcome)
        if outcome.pulled:
            self._ops.emit_changes(ALL_CHANGED)
        if self._again:
            self._again = False
            self.sync_now()

    def reveal(
        self,
        note_id: uuid.UUID,
        reason: str,
        on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Ask the server for one sensitive note's text (``POST /sync/reveal``, audited there
        with ``reason``), on the sync thread: never on the UI thread, never beside a sync."""
        store = self._store
        if store is None:
            from ui.workers import StoreLockedError

            on_error(StoreLockedError())
            return
        generation = self._generation

        def job() -> None:
            try:
                text = self._backend.reveal(store, note_id, reason)
            except BaseException as exc:
                if not isinstance(exc, SpieError):
                    log_unexpected(exc, "reveal")
                failure = exc
                self._from_thread.emit(lambda: on_error(failure))
                return
            if generation == self._generation:  # not shown after a lock
                self._from_thread.emit(lambda: on_done(text))

        self._executor.submit(job)

    def refresh_counts(self) -> None:
        if self._store is None:
            return
        backend = self._backend

        def work(store: Store) -> tuple[int, int, datetime | None, str | None]:
            pending, rejected = backend.counts(store)
            return pending, rejected, backend.last_success(store), store.get_state("server_url")

        def done(result: tuple[int, int, datetime | None, str | None]) -> None:
            pending, rejected, last, stored_url = result
            changes: dict[str, Any] = {"pending": pending, "rejected": rejected}
            if last is not None:
                changes["last_success"] = last
            self._set_status(**changes)
            if stored_url and not self._server_url and self.can_login and self._store:
                # Logged in from the command line: the store knows the server.
                self.set_server_url(stored_url)
                self._periodic.start()
                self.request_sync("unlock")

        self._ops.read(work, done, lambda _error: None, owner=self, label="sync counts")

    def clear_conflicts(self) -> None:
        self._set_status(conflicts=())

    # -- login -----------------------------------------------------------------------------

    def login(
        self,
        server_url: str,
        username: str,
        password: str,
        on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Exchange the password for a device-bound token (kept in the keyring, never the
        password), on the sync thread."""
        store = self._store
        backend = self._backend
        if store is None:
            on_error(SpieError(translate("sync", "Déverrouillez d'abord l'application.")))
            return

        def job() -> None:
            try:
                user = backend.login(store, server_url, username, password)
            except BaseException as exc:
                if not isinstance(exc, SpieError):
                    log_unexpected(exc, "login")
                error = exc
                self._from_thread.emit(lambda: on_error(error))
                return
            self._from_thread.emit(lambda: self._logged_in(server_url, user, on_done))

        self._executor.submit(job)

    # -- the team's audit log ---------------------------------------------------------------

    def audit_events(
        self,
        query: AuditQuery,
        on_done: Callable[[AuditPage], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Read the team's audit log from the server, on the sync thread: after a sync in
        progress, never at the same time (one token renewal at a time: a refresh token is
        used once)."""
        store = self._store
        backend = self._backend
        if store is None:
            on_error(SpieError(translate("sync", "Déverrouillez d'abord l'application.")))
            return
        generation = self._generation

        def job() -> None:
            try:
                page = backend.audit_events(store, query)
            except BaseException as exc:
                if not isinstance(exc, SpieError):
                    log_unexpected(exc, "audit log")
                error = exc
                self._from_thread.emit(
                    lambda: on_error(error) if generation == self._generation else None
                )
                return
            self._from_thread.emit(
                lambda: on_done(page) if generation == self._generation else None
            )

        self._executor.submit(job)

    def _logged_in(self, server_url: str, user: str, on_done: Callable[[str], None]) -> None:
        self._server_url = server_url
        self._set_status(server_url=server_url, user=user, mode="online")
        if self._store is not None:
            self._periodic.start()
        on_done(user)
