"""The sync engine of ``sync.client`` behind :class:`ui.sync_controller.SyncBackend`.

The composition root (:mod:`spie_desktop.entry.app`) builds it with :func:`make_backend`
and hands it to :class:`ui.sync_controller.SyncController`; the rest of the interface never
sees ``sync.client``.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import datetime

import keyring.backend

from spie_desktop.errors import SpieError
from spie_desktop.store.store import Store
from sync.client import (
    NotConfiguredError,
    OfflineError,
    Progress,
    RetryPolicy,
    SyncClient,
    SyncReport,
    sync_status,
)
from sync.client import login as client_login
from sync.protocol import AuditPage
from ui.i18n import translate
from ui.sync_controller import AuditQuery, Conflict, SyncOutcome, local_audit_message
from ui.texts.sync import clock_text, recovery_text, refusal_text, revoked_text, sync_text

#: Interactive use: give up quickly (about 3 s) and say « hors ligne »; the controller
#: retries every minute and when the network comes back.
UI_RETRY = RetryPolicy(attempts=3, base_delay=0.5, max_delay=2.0)

TABLE_LABELS = {
    "person": "Identité",
    "appointment": "Rendez-vous",
    "barrier": "Frein",
    "action": "Action",
    "note": "Note",
    "referent_assignment": "Passation",
}


class ClientBackend:
    """Adapter over :class:`sync.client.SyncClient` (one client per open store)."""

    def __init__(
        self,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
        *,
        retry: RetryPolicy | None = None,
        transport: object | None = None,
    ) -> None:
        self.keyring_backend = keyring_backend
        self.retry = retry or UI_RETRY
        self.transport = transport
        self._client: SyncClient | None = None
        self._client_store: Store | None = None
        self._lock = threading.Lock()
        #: set by the controller: tells the UI the device is revoked, waits for its answer
        self.before_wipe: Callable[[str], None] | None = None

    def _for(self, store: Store) -> SyncClient:
        with self._lock:
            if self._client is None or self._client_store is not store:
                if self._client is not None:
                    self._client.close()
                self._client = SyncClient(
                    store,
                    keyring_backend=self.keyring_backend,
                    retry=self.retry,
                    transport=self.transport,  # type: ignore[arg-type]
                    on_wipe=self._on_wipe,
                )
                self._client_store = store
            return self._client

    def _on_wipe(self, message: str) -> None:
        if self.before_wipe is not None:
            self.before_wipe(message)

    def login(self, store: Store, server_url: str, username: str, password: str) -> str:
        user = client_login(
            store,
            server_url,
            username,
            password,
            keyring_backend=self.keyring_backend,
            transport=self.transport,  # type: ignore[arg-type]
        )
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None  # the next sync reads the new server address and token
        return f"{user.first_name} {user.last_name}"

    def sync(self, store: Store, progress: Callable[[int, int, str], None]) -> SyncOutcome:
        client = self._for(store)

        def relay(step: Progress) -> None:
            progress(step.done, step.total or 0, sync_text(step.message) or "")

        client.on_progress = relay
        report = client.sync()
        return outcome_of(report)

    def counts(self, store: Store) -> tuple[int, int]:
        status = sync_status(store)
        return int(status["pending"]), len(status["rejected"])

    def last_success(self, store: Store) -> datetime | None:
        value = store.get_state("last_sync_at")
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None

    def reveal(self, store: Store, note_id: uuid.UUID, reason: str) -> str:
        return self._for(store).reveal(note_id, reason).text

    def audit_events(self, store: Store, query: AuditQuery) -> AuditPage:
        """The team's audit log (``GET /audit/events``); offline: a French sentence saying
        the log is read on line."""
        try:
            return self._for(store).audit_events(
                person_id=query.person_id,
                username=query.username,
                action=query.action,
                since=query.since,
                until=query.until,
                limit=query.limit,
            )
        except NotConfiguredError as exc:  # a local demo: no server to ask
            raise SpieError(local_audit_message(), code="sync_unavailable") from exc
        except OfflineError as exc:
            raise OfflineError(
                translate(
                    "sync",
                    "Serveur injoignable : le journal d'audit se consulte en ligne. "
                    "Réessayez quand la connexion sera revenue.",
                )
            ) from exc

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None
            self._client_store = None


def outcome_of(report: SyncReport) -> SyncOutcome:
    conflicts = [
        Conflict(
            table=conflict.table,
            row_id=conflict.row_id,
            field=conflict.field,
            ours=conflict.ours,
            theirs=conflict.theirs,
            author=conflict.author,
            person_name=TABLE_LABELS.get(conflict.table, conflict.table),
        )
        for conflict in report.conflicts
    ]
    pulled = report.pulled_rows + report.pulled_changes
    if report.status == "ok":
        message = None
        if report.rejected:
            message = translate(
                "sync", "{n} modification(s) refusée(s) par le serveur : {reason}"
            ).format(
                n=len(report.rejected),
                reason=refusal_text(report.rejected[0].code, report.rejected[0].message),
            )
        elif report.handovers_refused:
            message = translate(
                "sync",
                "{n} passation(s) refusée(s) par le serveur : {reason} (voir « Passations »)",
            ).format(
                n=len(report.handovers_refused),
                reason=refusal_text(
                    report.handovers_refused[0].code, report.handovers_refused[0].message
                ),
            )
        elif report.handovers_done:
            message = translate("sync", "{n} passation(s) faite(s) par le serveur.").format(
                n=report.handovers_done
            )
        elif report.recovered:
            message = recovery_text(report)
        elif report.clock_warning:
            message = clock_text(report.clock_skew_ms, report.clock_clamped, report.clock_warning)
        return SyncOutcome(
            ok=True, pushed=report.pushed, pulled=pulled, conflicts=conflicts, message=message
        )
    said = sync_text(report.message)
    if report.status == "busy":
        return SyncOutcome(ok=True, message=said)
    if report.status == "offline":
        return SyncOutcome(ok=False, offline=True, message=said)
    if report.status == "revoked":
        said = revoked_text(report.revoke_kind, report.destroyed, report.pushed)
        return SyncOutcome(ok=False, revoked=True, message=said)
    return SyncOutcome(ok=False, message=said, pushed=report.pushed, pulled=pulled)


def make_backend(keyring_backend: keyring.backend.KeyringBackend | None = None) -> ClientBackend:
    return ClientBackend(keyring_backend)
