"""The device's sync engine (DESIGN §5): push the outbox, pull pages, keep the store whole.

``SyncClient(store).sync()`` is safe to call at any time, from any thread: it never runs
twice at once (a second call while one runs returns ``status="busy"`` at once; a file
lock guards against a second process). One sync:

1. resets changes left *in flight* by an interrupted sync to *pending*;
2. pushes the outbox in batches (entries marked in flight, deleted only once the server
   acknowledged them; a change refused for good is set aside as *rejected* with its
   reason and never blocks the others; a record edited while its push is in flight
   stays pending, because the edit is a new outbox entry);
3. pulls pages and applies each with its cursor in one transaction (grants bring a
   person's whole history; revokes are remembered, and once what is pending for the
   person has been pushed, the person is purged locally; purges remove at once);
4. compares per-table counts and the scope digest (row clocks) with the server's; files
   that differ are located by per-person digests, reconciled and downloaded again one by
   one; a mismatch in the reference tables, or a cursor the server no longer knows
   (``410 cursor_unknown``), triggers reconciliation and one full re-download of the scope
   that keeps every unsynced local edit — once, not in a loop.

Errors: 401 → the access token is renewed with the refresh token (kept in the keyring,
:mod:`sync.credentials`); ``403 device_revoked`` → the ``on_wipe`` callback lets the UI
tell the user, then the store and its key are destroyed; 5xx and network errors →
retries with exponential backoff and jitter, then ``status="offline"`` (nothing lost).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import platform
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import keyring.backend
import zstandard
from pydantic import BaseModel
from pydantic import ValidationError as WireValidationError
from sqlalchemy import delete, func, select, update

from spie_desktop.errors import DiskFullError, SpieError
from spie_desktop.store.changes import INFO_DIGESTS_KEPT, INFO_TOUCHED
from spie_desktop.store.engine import DATABASE_FILE
from spie_desktop.store.local_models import (
    HandoverRequestEntry,
    HandoverState,
    OutboxEntry,
    OutboxState,
    PulledSetAside,
    SyncConflict,
)
from spie_desktop.store.store import Store
from spie_desktop.store.vault import Vault
from sync.apply import (
    STATE_CURSOR,
    STATE_REVOKED,
    ApplyStats,
    apply_fields,
    apply_files,
    apply_page,
    counts_agree,
    held_tombstones,
    insert_conflict,
    keep_tombstone,
    local_counts,
    local_digests,
    own_rows,
    pending_fields,
    purge_person_locally,
    record_clocks,
    replay_changes,
    retry_set_aside,
    revoked_persons,
    scope_digest_of,
)
from sync.credentials import Credentials
from sync.protocol import (
    MAX_DIFF_ROWS,
    MAX_FILES,
    MAX_TOMBSTONES,
    PROTOCOL_VERSION,
    REVOKE_RETIRED,
    UNSENT_HEADER,
    AuditPage,
    DepartmentSettingsResponse,
    DiffRequest,
    DiffResponse,
    DigestsResponse,
    ErrorCode,
    FilesRequest,
    FilesResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    RevealRequest,
    RevealResponse,
    TombstonesRequest,
    TombstonesResponse,
    UserInfo,
    WinningValue,
    WireChange,
    message_for,
)
from sync.schema import REFERENCE_TABLES, digest_text

try:  # POSIX: one sync per data directory across processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

DEFAULT_PUSH_BATCH = 200
# Rows per pull page: ~2,500 rows are ~130 KB of zstd, under 20 s at 64 kbit/s; bigger
# pages mean fewer transactions (each commit is an fsync) on the device.
DEFAULT_PAGE_ROWS = 2500
COMPRESS_MIN_BYTES = 1024
STALE_AFTER = timedelta(days=30)
INVALID_ANSWER = "invalid_answer"
INVALID_ANSWER_MESSAGE = (
    "Réponse du serveur non conforme au protocole : rien n'a été modifié. Mettez à jour "
    "l'application ou prévenez le support du département."
)
STATE_RECOVERY = "recovery"
STATE_DIRECTORY_CURSOR = "directory_cursor"
# The rotation id of a refresh whose successor is not stored yet (see SyncClient._token).
ROTATION_STATE = "refresh_rotation_id"
DIRECTORY_PAGE = 5000  # the server's largest (sync.server.directory.MAX_PAGE)
STATE_OWN_PULL = "own_pull"
STATE_GENERATION = "generation"
STATE_VERIFY_FAILED = "verify_failed"
STATE_VERIFIED_AT = "counts_verified_at"
STATE_DIGEST_FAILED = "digest_failed"
VERIFY_EVERY_S = 3600

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
_Answer = TypeVar("_Answer", bound=BaseModel)


def _wire_change(entry: OutboxEntry) -> WireChange:
    """An outbox entry as the protocol sends it (checked by the model before it leaves)."""
    return WireChange(
        change_id=entry.change_id,
        table=entry.table_name,
        row_id=entry.row_id,
        op=entry.op,  # type: ignore[arg-type]  # checked by the model
        fields=entry.fields,
        hlc=entry.hlc,
    )


def _body(request: BaseModel) -> dict[str, Any]:
    """A request model as its JSON body (fields left at None are not sent)."""
    return request.model_dump(mode="json", exclude_none=True)


def _directory_version(cursor: str) -> int:
    """The directory version a cursor has reached (``0`` or unreadable: none)."""
    head, _, _rest = cursor.partition(":")
    return int(head) if head.isdigit() else 0


def _first_error(exc: WireValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"Modification illisible ({where}) : {error.get('msg', '')}"


# -- errors ------------------------------------------------------------------------------------


class SyncError(SpieError):
    code = "sync_error"
    default_message = "La synchronisation a échoué."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.body = dict(body or {})


class OfflineError(SyncError):
    code = "offline"
    default_message = (
        "Serveur injoignable : vous êtes hors ligne. Vos modifications sont conservées et "
        "seront envoyées à la prochaine synchronisation."
    )


class AuthRequiredError(SyncError):
    code = "reauth_required"
    default_message = (
        "Votre session a expiré sur cet appareil : reconnectez-vous avec votre mot de passe."
    )


class DeviceRevokedError(SyncError):
    code = ErrorCode.DEVICE_REVOKED.value
    default_message = message_for(ErrorCode.DEVICE_REVOKED)


class NotConfiguredError(SyncError):
    code = "not_logged_in"
    default_message = (
        "Cet appareil n'est pas encore relié au serveur : connectez-vous d'abord "
        "(spie-desktop login)."
    )


# -- reports -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    phase: str  # push, pull, purge, verify, recovery
    done: int
    total: int | None
    message: str


@dataclass(frozen=True)
class Conflict:
    """A value of ours the server replaced with a newer one (« modifié aussi par … »)."""

    table: str
    row_id: str
    field: str
    ours: Any
    theirs: Any
    author: str | None


@dataclass(frozen=True)
class Rejected:
    change_id: str
    table: str
    row_id: str
    code: str
    message: str


@dataclass
class SyncReport:
    status: str = "ok"  # ok, busy, offline, auth_required, revoked, error
    message: str | None = None
    code: str | None = None
    pushed: int = 0
    merged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    pulled_rows: int = 0
    pulled_changes: int = 0
    pages: int = 0
    granted: int = 0
    purged: int = 0
    directory: int = 0  # directory records received (issue 16)
    set_aside: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    recovered: bool = False
    recovery_reason: str | None = None  # server_restored, device_restored, counts, digest
    reconciled_rows: int = 0
    resent: int = 0
    resend_refused: int = 0
    removed: int = 0
    erasures_reapplied: int = 0  # purges a restored server had lost, applied again
    tombstones_refused: int = 0  # purge decisions the server did not recognise as its own
    destroyed: int = 0  # unsent changes destroyed by a remote wipe
    handovers_done: int = 0  # handover requests the server decided in this sync
    handovers_refused: list[Rejected] = field(default_factory=list)
    revoke_kind: str = ""  # lost (lost or stolen) or retired, when revoked
    counts_ok: bool | None = None
    count_problems: list[str] = field(default_factory=list)
    digest_ok: bool | None = None  # the scope digest compared after this sync
    repaired_persons: int = 0  # files whose digest differed, reconciled and downloaded again
    digest_problems: list[str] = field(default_factory=list)  # still differing after repair
    clock_warning: str | None = None
    #: the same warning as figures, for an interface in another language: how far ahead
    #: (positive) or behind this device's clock was, and whether changes were dated again
    clock_skew_ms: int | None = None
    clock_clamped: bool = False
    cursor: str | None = None
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        document = {
            key: value
            for key, value in self.__dict__.items()
            if key not in ("rejected", "conflicts", "handovers_refused")
        }
        document["rejected"] = [r.__dict__ for r in self.rejected]
        document["handovers_refused"] = [r.__dict__ for r in self.handovers_refused]
        document["conflicts"] = [c.__dict__ for c in self.conflicts]
        return document


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for 5xx and network errors."""

    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        ceiling = min(self.max_delay, self.base_delay * (2.0**attempt))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class _PageAhead:
    """The next pull page, asked for on a thread while the device applies this one: the
    server builds it while the device writes (CouchDB's replicator pipelines its batches
    the same way). Asked through the one request path (retries, token renewal, error
    codes); its answer or its error is the caller's when it takes it. One request in
    flight at a time: the caller takes it (or waits for it) before asking anything else."""

    def __init__(self, ask: Callable[[], dict[str, Any]], params: Mapping[str, Any]) -> None:
        self.params = dict(params)
        self._document: dict[str, Any] | None = None
        self._error: Exception | None = None
        self._done = threading.Event()
        threading.Thread(
            target=self._fetch, args=(ask,), name="spie-pull-ahead", daemon=True
        ).start()

    def _fetch(self, ask: Callable[[], dict[str, Any]]) -> None:
        try:
            self._document = ask()
        except Exception as exc:  # raised where the page is taken, as if asked there
            self._error = exc
        finally:
            self._done.set()

    def wait(self) -> None:
        """Until the request is over (bounded by the client's timeout and retries)."""
        self._done.wait()

    def revoked(self) -> DeviceRevokedError | None:
        """After the request: the server's refusal of a revoked device, if that was it."""
        self._done.wait()
        return self._error if isinstance(self._error, DeviceRevokedError) else None

    def take(self) -> dict[str, Any]:
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._document is not None
        return self._document


# -- the engine --------------------------------------------------------------------------------


class SyncClient:
    def __init__(
        self,
        store: Store,
        *,
        server_url: str | None = None,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        push_batch: int = DEFAULT_PUSH_BATCH,
        pull_limit: int = DEFAULT_PAGE_ROWS,
        on_progress: Callable[[Progress], None] | None = None,
        on_wipe: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
        verify_every_s: float = VERIFY_EVERY_S,
    ) -> None:
        self.store = store
        if store.data_dir is None:
            raise ValueError("the store has no data directory")
        self.data_dir = Path(store.data_dir)
        self.server_url = (server_url or store.get_state("server_url") or "").rstrip("/")
        self.keyring_backend = keyring_backend
        self.credentials = Credentials(self.data_dir, keyring_backend=keyring_backend)
        self.retry = retry or RetryPolicy()
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.on_progress = on_progress
        self.on_wipe = on_wipe
        self._sleep = sleep
        self.verify_every_s = verify_every_s
        self._rng = random.Random(seed)
        self._transport = transport
        self._timeout = timeout
        self._http: httpx.Client | None = None
        self._access_token: str | None = store.get_state("access_token")
        self._directory_head: int | None = None
        self._settings_head: int | None = None
        self._scope_digest: str | None = None
        expires = store.get_state("access_expires_at")
        self._access_expires = float(expires) if expires else 0.0
        key = str(self.data_dir.resolve())
        with _LOCKS_GUARD:
            self._lock = _LOCKS.setdefault(key, threading.Lock())
        self._report = SyncReport()

    # -- http ----------------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if not self.server_url:
            raise NotConfiguredError()
        if self._http is None:
            self._http = httpx.Client(
                base_url=self.server_url,
                timeout=self._timeout,
                transport=self._transport,
                headers={
                    "Accept-Encoding": "zstd, gzip",
                    "User-Agent": f"spie-desktop-sync/{PROTOCOL_VERSION}",
                },
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        auth: bool = True,
    ) -> httpx.Response:
        """One request with retries on network errors and 5xx; returns a non-5xx response."""
        client = self._client()
        content: bytes | None = None
        headers: dict[str, str] = {}
        if body is not None:
            content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if len(content) >= COMPRESS_MIN_BYTES:
                content = zstandard.ZstdCompressor(level=3).compress(content)
                headers["Content-Encoding"] = "zstd"
        with contextlib.suppress(Exception):  # what a revoked device's wipe would destroy
            headers[UNSENT_HEADER] = str(self.pending_count())
        last_error: Exception | None = None
        for attempt in range(self.retry.attempts):
            if auth:
                headers["Authorization"] = f"Bearer {self._token()}"
            try:
                response = client.request(
                    method, path, content=content, params=params, headers=headers
                )
            except httpx.TransportError as exc:
                last_error = exc
                log.info("network error on %s %s: %s", method, path, exc)
            else:
                self._report.requests += 1
                self._report.bytes_sent += len(content or b"")
                self._report.bytes_received += response.num_bytes_downloaded
                if response.status_code < 500:
                    return response
                last_error = SyncError(f"HTTP {response.status_code}")
                log.info("server error %s on %s %s", response.status_code, method, path)
            if attempt < self.retry.attempts - 1:
                self._sleep(self.retry.delay(attempt, self._rng))
        raise OfflineError() from last_error

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An authenticated request; one token renewal on 401; errors raised as SyncError."""
        response = self._send(method, path, body=body, params=params)
        if response.status_code == 401:
            self._access_token = None
            self._access_expires = 0.0
            response = self._send(method, path, body=body, params=params)
        return self._check(response)

    @staticmethod
    def _typed(model: type[_Answer], document: Mapping[str, Any]) -> _Answer:
        """An answer read through its protocol model; a server that drifted from the
        protocol is refused with a code, before anything is written."""
        try:
            return model.model_validate(document)
        except WireValidationError as exc:
            log.error("answer outside the protocol (%s): %s", model.__name__, exc)
            raise SyncError(INVALID_ANSWER_MESSAGE, code=INVALID_ANSWER) from exc

    def _check(self, response: httpx.Response) -> dict[str, Any]:
        try:
            document = response.json()
        except ValueError:
            document = {}
        if response.is_success:
            return dict(document)
        code = str(document.get("code") or f"http_{response.status_code}")
        message = str(document.get("message") or message_for(code))
        if response.status_code == 403 and code == ErrorCode.DEVICE_REVOKED:
            raise DeviceRevokedError(message, status=403, body=document)
        if response.status_code == 401:
            raise AuthRequiredError(status=401, body=document)
        raise SyncError(message, code=code, status=response.status_code, body=document)

    # -- tokens --------------------------------------------------------------------------

    def _token(self) -> str:
        if self._access_token and self._access_expires - 30 > time.time():
            return self._access_token
        refresh = self.credentials.get()
        if not refresh:
            raise AuthRequiredError()
        # Kept until the successor is stored: if the answer is lost (cut link, killed app,
        # keyring refusing the new token), the retry sends the same token with the same id
        # and the server answers again instead of revoking the family as a reuse.
        rotation_id = self.store.get_state(ROTATION_STATE)
        if not rotation_id:
            rotation_id = str(uuid.uuid4())
            with self.store.write() as session:
                self.store.set_state(session, ROTATION_STATE, rotation_id)
        response = self._send(
            "POST",
            "/auth/refresh",
            body={
                "protocol": PROTOCOL_VERSION,
                "refresh_token": refresh,
                "device_id": self.store.device_id,
                "rotation_id": rotation_id,
            },
            auth=False,
        )
        document = self._check(response)
        successor = document.get("refresh_token")
        if successor:
            # The presented token is used up (rotation): keep its successor before anything
            # else (Credentials.set replaces it atomically: keyring entry or 0600 file).
            self.credentials.set(str(successor))
        self._remember_access(document, rotated=True)
        return str(document["access_token"])

    def _remember_access(self, document: Mapping[str, Any], *, rotated: bool = False) -> None:
        self._access_token = str(document["access_token"])
        self._access_expires = time.time() + int(document.get("expires_in", 60))
        with self.store.write() as session:
            self.store.set_state(session, "access_token", self._access_token)
            self.store.set_state(session, "access_expires_at", f"{self._access_expires:.0f}")
            if rotated:  # the successor is stored: the next rotation is a new one
                self.store.set_state(session, ROTATION_STATE, "")

    # -- login ---------------------------------------------------------------------------

    def login(self, username: str, password: str, *, device_name: str | None = None) -> UserInfo:
        """Swap the password for a device-bound refresh token (kept in the keyring)."""
        if not self.server_url:
            raise NotConfiguredError("Indiquez l'adresse du serveur.")
        response = self._send(
            "POST",
            "/auth/login",
            body={
                "protocol": PROTOCOL_VERSION,
                "username": username,
                "password": password,
                "device_id": self.store.device_id,
                "device_name": (device_name or platform.node() or "appareil")[:100],
            },
            auth=False,
        )
        if response.status_code == 401:
            document = response.json() if response.content else {}
            raise SyncError(
                str(document.get("message") or message_for(ErrorCode.BAD_CREDENTIALS)),
                code=str(document.get("code") or ErrorCode.BAD_CREDENTIALS),
                status=401,
            )
        document = self._check(response)
        user = UserInfo.model_validate(document["user"])
        previous = self.store.get_state("user_id")
        if previous and previous != str(user.id):
            raise SyncError(
                "Les données de cet appareil appartiennent à un autre utilisateur : "
                "elles ne peuvent pas être rattachées à ce compte.",
                code="other_user_store",
            )
        self.credentials.set(str(document["refresh_token"]))
        with self.store.write() as session:
            for key, value in (
                ("server_url", self.server_url),
                ("user_id", str(user.id)),
                ("user_role", user.role),
                ("username", user.username),
                ("user_name", f"{user.first_name} {user.last_name}"),
                ("team_id", str(user.team_id) if user.team_id else ""),
            ):
                self.store.set_state(session, key, value)
        self._remember_access(document, rotated=True)  # a new family: no rotation pending
        return user

    def logout(self) -> None:
        self.credentials.delete()
        self._access_token = None
        with self.store.write() as session:
            self.store.set_state(session, "access_token", "")
            self.store.set_state(session, "access_expires_at", "0")

    # -- sync ----------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """One full sync (see the module docstring). Never raises for expected failures."""
        if not self._lock.acquire(blocking=False):
            return SyncReport(status="busy", message="Une synchronisation est déjà en cours.")
        try:
            with self._file_lock() as locked:
                if not locked:
                    return SyncReport(
                        status="busy", message="Une synchronisation est déjà en cours."
                    )
                return self._guarded_sync()
        finally:
            self._lock.release()

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[bool]:
        if fcntl is None:  # pragma: no cover - Windows: the thread lock only
            yield True
            return
        fd = os.open(self.data_dir / "sync.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def _guarded_sync(self) -> SyncReport:
        started = time.monotonic()
        self._report = report = SyncReport()
        try:
            self._sync(report)
        except DeviceRevokedError as exc:
            # Say truly what the wipe costs: the changes never sent are destroyed with it.
            report.destroyed = self.pending_count()
            report.revoke_kind = str((exc.body or {}).get("detail") or "lost")
            message = revoked_sentence(report.revoke_kind, report.destroyed, report.pushed)
            report.status, report.code, report.message = "revoked", exc.code, message
            self._wipe(message)
        except OfflineError as exc:
            report.status, report.code, report.message = "offline", exc.code, exc.message
        except AuthRequiredError as exc:
            report.status, report.code, report.message = "auth_required", exc.code, exc.message
        except SyncError as exc:
            report.status, report.code, report.message = "error", exc.code, exc.message
        except DiskFullError as exc:
            # Nothing committed is lost: the page (and its cursor) rolled back together.
            report.status, report.code, report.message = "error", exc.code, exc.message
        finally:
            report.seconds = time.monotonic() - started
            if report.status != "revoked":
                self._record_outcome(report)
        return report

    def _record_outcome(self, report: SyncReport) -> None:
        now = datetime.now(UTC).isoformat()
        with contextlib.suppress(Exception), self.store.write() as session:
            self.store.set_state(session, "last_sync_attempt_at", now)
            self.store.set_state(session, "last_sync_status", report.status)
            self.store.set_state(session, "last_sync_message", report.message or "")
            if report.ok:
                self.store.set_state(session, "last_sync_at", now)

    def _sync(self, report: SyncReport) -> None:
        self._reset_in_flight()
        self._restamp_unsent()
        self._push_all(report)
        self._send_handovers(report)
        counts = self._pull_all(report)
        self._pull_directory(report, self._directory_head)
        self._pull_settings(self._settings_head)
        _applied, report.set_aside = retry_set_aside(self.store)
        if revoked_persons(self.store):
            self._push_all(report)
            self._purge_revoked(report)
        self._verify(report, counts)
        self._push_all(report)  # rows a recovery queued again (returns at once if none)
        report.cursor = self.store.get_state(STATE_CURSOR)

    def _progress(self, phase: str, done: int, total: int | None, message: str) -> None:
        if self.on_progress is not None:
            try:
                self.on_progress(Progress(phase, done, total, message))
            except Exception:  # a UI callback must never break a sync
                log.exception("progress callback failed")

    # -- push ----------------------------------------------------------------------------

    def _reset_in_flight(self) -> None:
        with self.store.write() as session:
            session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.IN_FLIGHT)
                .values(state=OutboxState.PENDING)
            )

    def pending_count(self) -> int:
        # Sent with every request (the unsent header): one statement, no ORM session.
        with self.store.engine.connect() as connection:
            found = connection.exec_driver_sql(
                f"SELECT count(*) FROM {OutboxEntry.__tablename__} WHERE state IN (?, ?)",
                (OutboxState.PENDING, OutboxState.IN_FLIGHT),
            ).scalar_one()
        return int(found)

    def _push_all(self, report: SyncReport) -> None:
        total = self.pending_count()
        if total == 0:
            return
        done = 0
        batch_size = self.push_batch
        self._progress("push", 0, total, "Envoi des modifications…")
        while True:
            with self.store.write() as session:
                entries = list(
                    session.execute(
                        select(OutboxEntry)
                        .where(OutboxEntry.state == OutboxState.PENDING)
                        .order_by(OutboxEntry.seq)
                        .limit(batch_size)
                    ).scalars()
                )
                if not entries:
                    break
                seqs = [entry.seq for entry in entries]
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.seq.in_(seqs))
                    .values(state=OutboxState.IN_FLIGHT, attempts=OutboxEntry.attempts + 1)
                )
                # Durably before the push: a copy of this data directory taken earlier
                # announces a lower generation, and the server recognises it.
                generation = self._generation() + 1
                self.store.set_state(session, STATE_GENERATION, str(generation))
            batch: list[WireChange] = []
            for entry in list(entries):
                try:
                    batch.append(_wire_change(entry))
                except WireValidationError as exc:
                    # Not sendable as the protocol says (a damaged entry): set aside, the
                    # others go on (issue 10: one bad change never halts the queue).
                    entries.remove(entry)
                    self._reject(entry, "invalid_value", _first_error(exc), report)
                    done += 1
            if not entries:
                continue
            seqs = [entry.seq for entry in entries]
            by_id = {str(entry.change_id): entry for entry in entries}
            request = PushRequest(
                changes=batch,
                device_time=datetime.fromisoformat(self._device_time()),
                cursor=self.store.get_state(STATE_CURSOR) or None,
                generation=generation,
            )
            try:
                document = self._typed(
                    PushResponse,
                    self._request("POST", "/sync/push", body=_body(request)),
                )
            except SyncError as exc:
                self._set_state(seqs, OutboxState.PENDING)
                if isinstance(exc, OfflineError | AuthRequiredError | DeviceRevokedError):
                    raise
                if exc.status in (413,) and batch_size > 1:
                    batch_size = max(1, batch_size // 2)
                    continue
                culprit = exc.body.get("change_id")
                if exc.status in (413, 422) and (culprit in by_id or len(entries) == 1):
                    entry = by_id.get(str(culprit)) or entries[0]
                    self._reject(entry, exc.code or "invalid_value", exc.message, report)
                    done += 1
                    continue
                if exc.status == 422 and len(entries) > 1:
                    batch_size = 1  # find the culprit one change at a time
                    continue
                raise
            self._acknowledge(document, by_id, report)
            done += len(entries)
            self._progress("push", min(done, total), total, "Envoi des modifications…")

    def _device_time(self) -> str:
        """What this device believes the time is (the server measures its offset)."""
        return datetime.fromtimestamp(self.store.clock.physical_ms() / 1000, UTC).isoformat()

    def _restamp_unsent(self) -> None:
        """Pending changes never sent, stamped by a clock that was far ahead and has been
        fixed since: stamped again, in their order, so that they do not keep winning."""
        clock = self.store.clock
        if clock.max_ahead_ms is None:
            return
        limit = max(clock.physical_ms(), int(clock.seen().split("-")[0], 16))
        threshold = f"{limit + clock.max_ahead_ms:012x}-ffff-"
        with self.store.write() as session:
            ahead = session.execute(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.PENDING, OutboxEntry.hlc > threshold)
            ).scalar_one()
            if not ahead:
                return
            entries = session.execute(
                select(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.PENDING, OutboxEntry.attempts == 0)
                .order_by(OutboxEntry.seq)
            ).scalars()
            for entry in entries:
                entry.hlc = clock.now()
            self.store.set_state(session, "hlc", clock.last())
        log.warning("%d pending changes stamped again after a clock correction", ahead)

    def _set_state(self, seqs: list[int], state: str) -> None:
        with self.store.write() as session:
            session.execute(
                update(OutboxEntry).where(OutboxEntry.seq.in_(seqs)).values(state=state)
            )

    def _reject(self, entry: OutboxEntry, code: str, message: str, report: SyncReport) -> None:
        with self.store.write() as session:
            session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.seq == entry.seq)
                .values(state=OutboxState.REJECTED, error_code=code[:64], error_message=message)
            )
        report.rejected.append(
            Rejected(str(entry.change_id), entry.table_name, str(entry.row_id), code, message)
        )

    def _acknowledge(
        self, document: PushResponse, by_id: dict[str, OutboxEntry], report: SyncReport
    ) -> None:
        """One transaction: delete the acknowledged entries, set aside the refused ones,
        apply the winning values, record the row clocks and the conflicts (issue 10: a
        device killed in between never keeps its losing value)."""
        me = self.store.get_state("user_name") or None
        clock = document.clock
        conflicts: list[Conflict] = []
        rejected: list[Rejected] = []
        with self.store.apply_remote() as session:
            conn = session.connection()
            touched: set[Any] = session.info.setdefault(INFO_TOUCHED, set())
            stats = ApplyStats(keep_digests=True)
            acknowledged: list[int] = []
            winners: list[tuple[OutboxEntry, str, int | None, dict[str, WinningValue]]] = []
            answered: set[str] = set()
            # The newest accepted clock of each field this batch set: a value that beat an
            # earlier edit of ours is not applied over a later edit of ours that won.
            kept: dict[tuple[str, str, str], str] = {}
            for result in document.results:
                change_id = str(result.change_id)
                entry = by_id.get(change_id)
                if entry is None:
                    continue
                answered.add(change_id)
                if result.status in ("accepted", "merged"):
                    acknowledged.append(entry.seq)
                    report.pushed += 1
                    accepted_hlc = result.hlc or entry.hlc
                    lost = dict(result.winners)
                    person_hex = entry.person_id.hex if entry.person_id else None
                    clocks = {n: accepted_hlc for n in entry.fields if n not in lost}
                    clocks.update({n: w.hlc for n, w in lost.items()})
                    stats.clock(
                        entry.table_name,
                        entry.row_id.hex,
                        person_hex,
                        {n: c for n, c in clocks.items() if c},
                        result.seq,
                    )
                    for name in entry.fields:
                        if name not in lost and accepted_hlc:
                            key = (entry.table_name, entry.row_id.hex, name)
                            kept[key] = max(kept.get(key, ""), accepted_hlc)
                    if result.status == "merged" and lost:
                        report.merged += 1
                        winners.append((entry, accepted_hlc, result.seq, lost))
                else:
                    code = str(result.code or "refused")
                    message = result.message or message_for(code)
                    session.execute(
                        update(OutboxEntry)
                        .where(OutboxEntry.seq == entry.seq)
                        .values(
                            state=OutboxState.REJECTED,
                            error_code=code[:64],
                            error_message=message,
                        )
                    )
                    rejected.append(
                        Rejected(
                            str(entry.change_id), entry.table_name, str(entry.row_id), code, message
                        )
                    )
            if acknowledged:
                session.execute(delete(OutboxEntry).where(OutboxEntry.seq.in_(acknowledged)))
            unanswered = [e.seq for cid, e in by_id.items() if cid not in answered]
            if unanswered:
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.seq.in_(unanswered))
                    .values(state=OutboxState.PENDING)
                )
            pending = pending_fields(session) if winners else {}
            for entry, accepted_hlc, seq, lost in winners:
                person_hex = entry.person_id.hex if entry.person_id else None
                for name, winner in lost.items():
                    newer = kept.get((entry.table_name, entry.row_id.hex, name), "")
                    # Not when a later edit of ours, in this batch, won over it.
                    if not newer or (winner.hlc and newer <= str(winner.hlc)):
                        apply_fields(
                            conn,
                            entry.table_name,
                            str(entry.row_id),
                            {name: winner.value},
                            winner.hlc,
                            pending,
                            touched,
                            stats,
                            person_id=str(entry.person_id) if entry.person_id else None,
                            seq=seq,
                        )
                    insert_conflict(
                        conn,
                        table=entry.table_name,
                        row_hex=entry.row_id.hex,
                        person_hex=person_hex,
                        field_name=name,
                        ours=entry.fields.get(name),
                        our_hlc=accepted_hlc,
                        our_author=me,
                        theirs=winner.value,
                        their_hlc=winner.hlc,
                        their_author=winner.author,
                    )
                    conflicts.append(
                        Conflict(
                            table=entry.table_name,
                            row_id=str(entry.row_id),
                            field=name,
                            ours=entry.fields.get(name),
                            theirs=winner.value,
                            author=winner.author,
                        )
                    )
            record_clocks(conn, stats)
            session.info.setdefault(INFO_DIGESTS_KEPT, set()).update(stats.digests_kept)
            # Causality first: an edit made after seeing a winning value must come after
            # it, even on a slow laptop.
            stamps = [w.hlc for _e, _h, _s, lost in winners for w in lost.values()]
            for stamp in filter(None, stamps):
                self.store.clock.observe(str(stamp))
            if stamps:
                self.store.set_state(session, "hlc", self.store.clock.last())
                self.store.set_state(session, "hlc_seen", self.store.clock.seen())
            self.store.set_state(session, "clock_warning", clock.message if clock else "")
        report.rejected.extend(rejected)
        report.conflicts.extend(conflicts)
        if clock:
            report.clock_warning = clock.message
            report.clock_skew_ms = clock.skew_ms
            report.clock_clamped = clock.clamped

    # -- pull ----------------------------------------------------------------------------

    def _pull_all(self, report: SyncReport, *, full: bool = False) -> dict[str, int] | None:
        """Pull every page after the cursor (from ``0`` for a full download, which deletes
        nothing: a local row is deleted only on the server's word)."""
        asked_ahead: list[_PageAhead] = []
        try:
            return self._pull_pages(report, full, asked_ahead)
        finally:
            for ahead in asked_ahead:  # whatever ended the pull, no request outlives it
                ahead.wait()

    def _pull_pages(
        self, report: SyncReport, full: bool, asked_ahead: list[_PageAhead]
    ) -> dict[str, int] | None:
        self._directory_head = None
        self._scope_digest = None
        recovering = full or self.store.get_state(STATE_RECOVERY) == "1"
        start = "0" if recovering else (self.store.get_state(STATE_CURSOR) or "0")
        cursor = start
        own = self.store.get_state(STATE_OWN_PULL) == "1"
        if recovering:
            self._set_recovery(True)
            report.recovered = True
        rows = 0
        # Counts are compared after any sync that changed something, and at least once
        # an hour; a sync with nothing to do stays one small round trip.
        verify = recovering or report.pushed > 0 or self._verification_due()
        ahead: _PageAhead | None = None
        while True:
            self._progress("pull", rows, None, "Réception des dossiers…")
            params: dict[str, Any] = {
                "since": cursor,
                "limit": self.pull_limit,
                "protocol": PROTOCOL_VERSION,
                "counts": "always" if verify else "auto",
                "gen": self._generation(),
            }
            if own:
                params["own"] = "true"
            try:
                if ahead is not None and ahead.params == params:
                    taken, ahead = ahead, None
                    page = taken.take()
                else:
                    if ahead is not None:
                        ahead.wait()  # asked for another cursor: its answer is not used
                    page = self._request("GET", "/sync/pull", params=params)
            except SyncError as exc:
                if exc.code != ErrorCode.CURSOR_UNKNOWN or cursor == "0":
                    raise
                # The server does not know our cursor (restored from a backup): compare
                # what each holds, send again what it lacks, then download the scope
                # again — deleting nothing (issue 10).
                log.warning("cursor unknown to the server: reconciliation")
                report.recovered = True
                report.recovery_reason = "server_restored"
                self._set_recovery(True)
                # A full download now: it ends the recovery when it reaches the log's end
                # (else the next sync would download everything again, and a device away
                # meanwhile would skip every purge entry — an erased person kept).
                recovering = True
                # First the purges this device received and a restored server may no
                # longer know: it applies again those it authenticates (its own MAC),
                # before anything of ours is sent again or downloaded.
                self._present_tombstones(report)
                self._reconcile(report)
                cursor = start = "0"
                continue
            # Read through the protocol model before anything is applied: a page that
            # drifted from it is refused (invalid_answer), the cursor stays where it was.
            # The rows themselves go on as the JSON arrays they came in (apply_page's
            # executemany, and the set-aside rows replayed from the store, read them so).
            answer = self._typed(PullResponse, page)
            if answer.restored and not own:
                # This device is an older copy of itself: its own changes pushed since
                # that copy are filtered out of a normal pull. Pull again, with them.
                log.warning("device restored from an older copy: pulling its own changes")
                report.recovered = True
                report.recovery_reason = "device_restored"
                own = True
                self._set_state_value(STATE_OWN_PULL, "1")
                cursor = start
                continue
            finishing = recovering and answer.mode == "log" and not answer.more
            if answer.snapshot or answer.changes:
                verify = True  # counts compared at the end of a pull that brought something
            ahead = None
            if answer.more:
                following = {**params, "since": answer.next}
                following["counts"] = "always" if verify else "auto"
                ask = functools.partial(self._request, "GET", "/sync/pull", params=following)
                ahead = _PageAhead(ask, following)
                asked_ahead.append(ahead)
            try:
                stats = apply_page(self.store, page)
            except Exception as exc:
                if ahead is not None:
                    revoked = ahead.revoked()  # waits for it
                    if revoked is not None:
                        # The server refused the page asked ahead and recorded this device
                        # as wiped: the wipe goes first (a retired device's later writes
                        # would no longer be its final push).
                        raise revoked from exc
                raise
            report.pages += 1
            report.set_aside += stats.set_aside
            report.pulled_rows += stats.rows
            report.pulled_changes += stats.changes
            report.granted += len(stats.grants)
            report.purged += len(stats.purges)
            rows += stats.rows + stats.changes
            cursor = answer.next
            if not answer.more:
                if finishing:
                    self._set_recovery(False)
                if own or answer.restored:
                    self._adopt_generation(answer.generation)
                    self._set_state_value(STATE_OWN_PULL, "0")
                self._progress("pull", rows, rows, "Dossiers à jour.")
                self._directory_head = answer.directory
                self._settings_head = answer.settings
                self._scope_digest = answer.digest
                return dict(answer.counts) if answer.counts is not None else None

    def _pull_directory(self, report: SyncReport, head: int | None = None) -> None:
        """The department's directory of partner services (issue 16), after its own cursor:
        not per person, the same for every device; each page and its cursor in one
        transaction. A server without the directory (404) is no error. ``head``: the
        directory version the last pull page announced; nothing is asked when this device
        already holds it (cursor ``<version>:…`` at that version, or no directory at all)."""
        from spie_desktop.services.directory import apply_records

        cursor = self.store.get_state(STATE_DIRECTORY_CURSOR) or "0"
        if head is not None and _directory_version(cursor) == head:
            return  # a higher local version: a server restored from a backup (410 below)
        received = 0
        while True:
            self._progress("directory", received, None, "Réception de l'annuaire…")
            try:
                page = self._request(
                    "GET", "/sync/directory", params={"since": cursor, "limit": DIRECTORY_PAGE}
                )
            except SyncError as exc:
                if exc.status == 404:
                    return
                if exc.code == ErrorCode.CURSOR_UNKNOWN and cursor != "0":
                    cursor = "0"  # a server restored from a backup: download it again
                    continue
                raise
            records = page.get("records") or []
            with self.store.write() as session:
                apply_records(session, records)
                self.store.set_state(session, STATE_DIRECTORY_CURSOR, str(page["next"]))
            received += len(records)
            cursor = str(page["next"])
            if not page.get("more"):
                break
        report.directory = received

    def _pull_settings(self, head: int | None) -> None:
        """The department's settings (read-only here), asked only when the last pull page
        announced a version other than the one this device holds (a server without
        department settings announces none: nothing asked)."""
        from spie_desktop.services.department import apply_received, local_version

        if head is None or head == local_version(self.store):
            return
        answer = self._typed(DepartmentSettingsResponse, self._request("GET", "/sync/settings"))
        try:
            apply_received(self.store, answer.model_dump(mode="json"))
        except SpieError as exc:  # the same checks as the server's: a drifted server
            log.error("department settings refused: %s", exc)
            raise SyncError(INVALID_ANSWER_MESSAGE, code=INVALID_ANSWER) from exc

    def reveal(self, note_id: uuid.UUID, reason: str) -> RevealResponse:
        """``POST /sync/reveal``: the text of one sensitive note this supervisor sees, when
        the department allows it; the server writes the reason to the audit log. A refusal
        raises :class:`SyncError` (``reveal_forbidden``, ``reason_required``, ``not_found``)."""
        body = _body(RevealRequest(note_id=note_id, reason=reason))
        return self._typed(RevealResponse, self._request("POST", "/sync/reveal", body=body))

    def _set_recovery(self, on: bool) -> None:
        self._set_state_value(STATE_RECOVERY, "1" if on else "0")

    def _set_state_value(self, key: str, value: str) -> None:
        with self.store.write() as session:
            self.store.set_state(session, key, value)

    # -- generation (a device restored from an older copy of itself) ----------------------

    def _generation(self) -> int:
        try:
            return int(self.store.get_state(STATE_GENERATION) or "0")
        except ValueError:
            return 0

    def _adopt_generation(self, server_generation: Any) -> None:
        """After catching up as a restored copy: continue after the server's generation."""
        if isinstance(server_generation, int) and server_generation > self._generation():
            self._set_state_value(STATE_GENERATION, str(server_generation))

    # -- tombstones (a server restored from a backup taken before a purge) ---------------

    def _present_tombstones(self, report: SyncReport) -> None:
        """Show the server the purge decisions this device kept (``POST /sync/tombstones``):
        it applies again each one it issued and no longer knows; a refused one (not its
        MAC) erases nothing and is reported, never sent in a loop (only after a restore)."""
        held = held_tombstones(self.store)
        for start in range(0, len(held), MAX_TOMBSTONES):
            request = TombstonesRequest.model_validate(
                {"tombstones": held[start : start + MAX_TOMBSTONES]}
            )
            try:
                document = self._request("POST", "/sync/tombstones", body=_body(request))
            except SyncError as exc:
                if exc.status == 404:  # a server of before the tombstones: nothing to show
                    return
                raise
            answer = self._typed(TombstonesResponse, document)
            for result in answer.results:
                if result.status == "applied":
                    report.erasures_reapplied += 1
                elif result.status == "refused":
                    log.error("tombstone of %s refused: %s", result.person_id, result.code)
                    report.tombstones_refused += 1

    # -- reconciliation (CouchDB's revs_diff) ---------------------------------------------

    def _reconcile(self, report: SyncReport, persons: set[str] | None = None) -> None:
        """Ask the server which of our rows it lacks or holds older, and send again our
        own acknowledged writes among them, parents first, with their original clocks
        (of these persons' files only, if given)."""
        self._progress("recovery", 0, None, "Comparaison avec le serveur…")
        node = self.store.clock.node
        rows = own_rows(self.store, node, persons)
        missing: list[tuple[str, str]] = []
        older: list[tuple[str, str, dict[str, str]]] = []
        for start in range(0, len(rows), MAX_DIFF_ROWS):
            chunk = rows[start : start + MAX_DIFF_ROWS]
            asked = DiffRequest(
                rows=[(table, uuid.UUID(hex=row), hlc) for table, row, hlc in chunk]
            )
            answer = self._typed(
                DiffResponse, self._request("POST", "/sync/diff", body=_body(asked))
            )
            missing += [(t, r.hex) for t, r in answer.missing]
            older += [(t, r.hex, dict(c)) for t, r, c in answer.older]
        changes = replay_changes(self.store, node, missing, older)
        report.reconciled_rows = len(missing) + len(older)
        for start in range(0, len(changes), self.push_batch):
            batch = changes[start : start + self.push_batch]
            self._progress("recovery", start, len(changes), "Renvoi des modifications…")
            resent = PushRequest(
                changes=[WireChange.model_validate(change) for change in batch],
                device_time=datetime.fromisoformat(self._device_time()),
            )
            document = self._typed(
                PushResponse, self._request("POST", "/sync/push", body=_body(resent))
            )
            for result in document.results:
                if result.status in ("accepted", "merged"):
                    report.resent += 1
                else:
                    report.resend_refused += 1
                    log.warning("re-sent change refused: %s %s", result.code, result.message)

    # -- handover requests ---------------------------------------------------------------

    def handover(
        self,
        person_id: uuid.UUID,
        referent_id: uuid.UUID,
        *,
        note: str | None = None,
        request_id: uuid.UUID | None = None,
        from_referent_id: uuid.UUID | None = None,
    ) -> dict[str, Any]:
        """``POST /sync/handover``: ask the server to hand ``person_id`` over to
        ``referent_id``. Returns the server's answer (``assignment_id``, ``replayed``…);
        a refusal raises :class:`SyncError` with the server's code and French message.
        The app does not call this directly: it queues requests (``usecases.request_handovers``)
        that :meth:`sync` sends."""
        body = {
            "protocol": PROTOCOL_VERSION,
            "request_id": str(request_id) if request_id else None,
            "person_id": str(person_id),
            "referent_id": str(referent_id),
            "from_referent_id": str(from_referent_id) if from_referent_id else None,
            "note": note,
        }
        return self._request("POST", "/sync/handover", body=body)

    def audit_events(
        self,
        *,
        person_id: uuid.UUID | None = None,
        username: str | None = None,
        action: str | None = None,
        since: date | None = None,
        until: date | None = None,
        team_id: uuid.UUID | None = None,
        limit: int | None = None,
    ) -> AuditPage:
        """``GET /audit/events``: the team's audit log for its supervisor, newest first,
        filtered by person, account, kind and Paris days (inclusive). A refusal raises
        :class:`SyncError` with the server's code (``supervisor_only``, ``out_of_scope``,
        ``team_out_of_scope``) and French message; no network, :class:`OfflineError`."""
        params: dict[str, str] = {"protocol": str(PROTOCOL_VERSION)}
        for key, value in (
            ("person", person_id),
            ("user", username.strip() if username else None),
            ("action", action),
            ("since", since.isoformat() if since else None),
            ("until", until.isoformat() if until else None),
            ("team", team_id),
            ("limit", limit),
        ):
            if value:
                params[key] = str(value)
        document = self._request("GET", "/audit/events", params=params)
        return self._typed(AuditPage, document)

    def _send_handovers(self, report: SyncReport) -> None:
        """Send the handover requests queued on this device, oldest first, each with its
        request id (a send retried after a lost answer gets the first answer from the
        server, never a second handover). A refusal is kept with its code and French
        message for the user; a network failure leaves the rest pending."""
        with self.store.read() as session:
            queued = list(
                session.execute(
                    select(
                        HandoverRequestEntry.request_id,
                        HandoverRequestEntry.person_id,
                        HandoverRequestEntry.to_referent_id,
                        HandoverRequestEntry.from_referent_id,
                        HandoverRequestEntry.note,
                    )
                    .where(HandoverRequestEntry.state == HandoverState.PENDING)
                    .order_by(HandoverRequestEntry.created_at, HandoverRequestEntry.request_id)
                ).all()
            )
        if not queued:
            return
        self._progress("handover", 0, len(queued), "Envoi des passations demandées…")
        for done, entry in enumerate(queued, start=1):
            state, code, message, assignment = HandoverState.DONE, None, None, None
            try:
                answer = self.handover(
                    entry.person_id,
                    entry.to_referent_id,
                    note=entry.note,
                    request_id=entry.request_id,
                    from_referent_id=entry.from_referent_id,
                )
                assignment = uuid.UUID(str(answer["assignment_id"]))
                report.handovers_done += 1
            except (OfflineError, AuthRequiredError, DeviceRevokedError):
                raise
            except SyncError as exc:
                state, code, message = HandoverState.REFUSED, exc.code, exc.message
                report.handovers_refused.append(
                    Rejected(
                        str(entry.request_id),
                        "handover_request",
                        str(entry.person_id),
                        exc.code,
                        exc.message,
                    )
                )
            with self.store.write() as session:
                session.execute(
                    update(HandoverRequestEntry)
                    .where(HandoverRequestEntry.request_id == entry.request_id)
                    .values(
                        state=state,
                        attempts=HandoverRequestEntry.attempts + 1,
                        error_code=code,
                        error_message=message,
                        assignment_id=assignment,
                        decided_at=datetime.now(UTC),
                    )
                )
            self._progress("handover", done, len(queued), "Envoi des passations demandées…")

    # -- revokes -------------------------------------------------------------------------

    def _purge_revoked(self, report: SyncReport) -> None:
        persons = revoked_persons(self.store)
        if not persons:
            return
        self._progress("purge", 0, len(persons), "Retrait des dossiers transmis…")
        remaining: list[str] = []
        with self.store.apply_remote() as session:
            conn = session.connection()
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for person_hex in persons:
                waiting = conn.exec_driver_sql(
                    f"SELECT count(*) FROM {OutboxEntry.__tablename__} "
                    "WHERE person_id = ? AND state != ?",
                    (person_hex, OutboxState.REJECTED),
                ).scalar_one()
                if waiting:
                    remaining.append(person_hex)
                    continue
                purge_person_locally(conn, person_hex)
                report.purged += 1
            self.store.set_state(session, STATE_REVOKED, json.dumps(sorted(remaining)))

    # -- verification --------------------------------------------------------------------

    def _verification_due(self) -> bool:
        last = self.store.get_state(STATE_VERIFIED_AT)
        if not last or self.store.get_state(STATE_VERIFY_FAILED) == "1":
            return True
        try:
            return time.time() - float(last) >= self.verify_every_s
        except ValueError:
            return True

    def _verify(self, report: SyncReport, server_counts: dict[str, int] | None) -> None:
        """After the pull: counts and the scope digest compared with the server's (issue 10,
        What 3). A difference within persons' files is located by per-person digests and
        only those files are reconciled; a difference in the reference tables (or no digest
        from the server) reconciles and downloads the whole scope again."""
        if server_counts is None or self.pending_count() or revoked_persons(self.store):
            return
        local, uncertain = local_counts(self.store)
        problems = counts_agree(server_counts, local, uncertain)
        server_digest = self._scope_digest
        digests_agree = server_digest is None or (
            server_digest == scope_digest_of(local_digests(self.store)[0])
        )
        if server_digest is not None:
            report.digest_ok = digests_agree
        if not problems and digests_agree:
            report.counts_ok = True
            self._verified()
            return
        in_files = all(p.split(" ", 1)[0] not in REFERENCE_TABLES for p in problems)
        if server_digest is not None and in_files:
            log.warning("digest mismatch after sync (counts: %s)", problems or "equal")
            if self._repair_files(report):
                # Every file now digests like the server's: the counts of their tables agree.
                report.counts_ok = True
                self._verified()
            else:
                report.count_problems = problems
            return
        log.warning("count mismatch after sync: %s", problems)
        if report.recovered or self.store.get_state(STATE_VERIFY_FAILED) == "1":
            report.counts_ok = False
            report.count_problems = problems
            self._set_verify_failed(True)
            return
        self._progress("recovery", 0, None, "Écart détecté : comparaison avec le serveur…")
        report.recovered = True
        report.recovery_reason = report.recovery_reason or "counts"
        self._reconcile(report)
        counts = self._pull_all(report, full=True)
        self._push_all(report)
        local, uncertain = local_counts(self.store)
        problems = counts_agree(counts or {}, local, uncertain) if counts else []
        report.counts_ok = not problems
        report.count_problems = problems
        self._set_verify_failed(bool(problems))

    def _verified(self) -> None:
        with self.store.write() as session:
            self.store.set_state(session, STATE_VERIFIED_AT, f"{time.time():.3f}")
        if self.store.get_state(STATE_VERIFY_FAILED) == "1":
            self._set_verify_failed(False)

    def _differing_files(self) -> tuple[dict[str, str], set[str], set[str]]:
        """(server digest per person, persons whose files differ, of those the ones that
        may differ for a known reason: a row set aside at pull)."""
        answer = self._typed(
            DigestsResponse,
            self._request("GET", "/sync/digests", params={"protocol": PROTOCOL_VERSION}),
        )
        server = {person.hex: digest for person, digest in answer.persons}
        local, uncertain = local_digests(self.store)
        differing = {
            person
            for person in server.keys() | local.keys()
            if server.get(person) != digest_text(*local.get(person, (0, 0)))
        }
        return server, differing, differing & uncertain

    def _repair_files(self, report: SyncReport) -> bool:
        """The files whose digest differs from the server's: our own writes the server lacks
        or holds older are sent again (``/sync/diff``, as any reconciliation), then those
        files are downloaded again whole (``/sync/files``) — deleting nothing. A file that
        still differs afterwards is not repaired again until the server's digest of it
        changes (no loop). True when every file agrees (rows set aside excepted)."""
        self._progress("recovery", 0, None, "Écart détecté : comparaison des dossiers…")
        server, differing, excused = self._differing_files()
        try:
            tried: dict[str, str] = json.loads(self.store.get_state(STATE_DIGEST_FAILED) or "{}")
        except ValueError:
            tried = {}
        tried = {p: d for p, d in tried.items() if p in differing}
        wanted = {p for p in differing - excused if tried.get(p) != server.get(p, "")}
        if wanted:
            report.recovered = True
            report.recovery_reason = report.recovery_reason or "digest"
            self._reconcile(report, wanted)
            self._push_all(report)
            in_scope = sorted(p for p in wanted if p in server)
            for start in range(0, len(in_scope), MAX_FILES):
                chunk = in_scope[start : start + MAX_FILES]
                self._progress("recovery", start, len(in_scope), "Réception des dossiers…")
                request = FilesRequest(person_ids=[uuid.UUID(hex=p) for p in chunk])
                answer = self._typed(
                    FilesResponse, self._request("POST", "/sync/files", body=_body(request))
                )
                stats = apply_files(
                    self.store, [block.model_dump(mode="json") for block in answer.snapshot]
                )
                report.set_aside += stats.set_aside
                if answer.hlc:
                    self.store.clock.observe(answer.hlc)
                    self._set_state_value("hlc", self.store.clock.last())
                    self._set_state_value("hlc_seen", self.store.clock.seen())
            report.repaired_persons = len(wanted)
            gone = sorted(p for p in wanted if p not in server)
            if gone:
                self._drop_out_of_scope(report, gone)
            server, differing, excused = self._differing_files()
        still = differing - excused
        report.digest_problems = [f"dossier {uuid.UUID(hex=p)}" for p in sorted(still)]
        report.digest_ok = not still
        with self.store.write() as session:
            self.store.set_state(
                session,
                STATE_DIGEST_FAILED,
                json.dumps({p: server.get(p, "") for p in sorted(still)}),
            )
        if still:
            log.warning("files still differing from the server after repair: %s", sorted(still))
        return not still

    def _drop_out_of_scope(self, report: SyncReport, persons: list[str]) -> None:
        """Files this device holds that the server no longer lists in its scope: a purge
        (erasure, retention) or a revoke a full download skipped (a snapshot carries no
        purge entry). The server confirms (``/sync/files`` lists them missing); then they
        go the revoked files' way: what is still unsent is pushed first, then removed."""
        missing: set[str] = set()
        tombstones: list[dict[str, str]] = []
        for start in range(0, len(persons), MAX_FILES):
            chunk = persons[start : start + MAX_FILES]
            request = FilesRequest(person_ids=[uuid.UUID(hex=p) for p in chunk])
            answer = self._typed(
                FilesResponse, self._request("POST", "/sync/files", body=_body(request))
            )
            missing |= {person.hex for person in answer.missing}
            tombstones += [
                t.model_dump(mode="json") for t in answer.tombstones if t.person_id.hex in missing
            ]
        if not missing:
            return
        if tombstones:
            # A purge learnt by asking, not from the log: its decision is kept all the
            # same, before the files go (a server restored later is shown it again).
            with self.store.apply_remote() as session:
                for tombstone in tombstones:
                    keep_tombstone(session.connection(), tombstone)
        revoked = sorted(set(revoked_persons(self.store)) | missing)
        self._set_state_value(STATE_REVOKED, json.dumps(revoked))
        self._push_all(report)
        self._purge_revoked(report)

    def _set_verify_failed(self, failed: bool) -> None:
        with self.store.write() as session:
            self.store.set_state(session, STATE_VERIFY_FAILED, "1" if failed else "0")

    # -- remote wipe ---------------------------------------------------------------------

    def _wipe(self, message: str) -> None:
        """The server revoked this device: tell the user, then destroy store and key."""
        if self.on_wipe is not None:
            try:
                self.on_wipe(message)
            except Exception:
                log.exception("wipe callback failed")
        self.close()
        wipe_device(
            self.data_dir,
            self.store,
            keyring_backend=self.keyring_backend,
            credentials=self.credentials,
        )

    # -- status --------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        return sync_status(self.store)


def wipe_device(
    data_dir: Path,
    store: Store | None,
    *,
    keyring_backend: keyring.backend.KeyringBackend | None = None,
    credentials: Credentials | None = None,
) -> None:
    """Delete the local store, its key (vault + device secret) and the refresh token."""
    if credentials is None:
        with contextlib.suppress(Exception):
            credentials = Credentials(data_dir, keyring_backend=keyring_backend)
    if credentials is not None:
        credentials.delete()
    if store is not None:
        store.close()
    if Vault.exists(data_dir):
        Vault.load(data_dir, keyring_backend=keyring_backend).destroy()
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            (data_dir / f"{DATABASE_FILE}{suffix}").unlink()
    with contextlib.suppress(FileNotFoundError):
        (data_dir / "sync.lock").unlink()


_REASONS = {
    "server_restored": "le serveur ne reconnaissait pas l'état de cet appareil (serveur "
    "restauré d'une sauvegarde ?)",
    "device_restored": "cet appareil a été restauré d'une ancienne copie de ses données",
    "counts": "l'appareil et le serveur ne comptaient pas les mêmes éléments",
    "digest": "des dossiers de cet appareil différaient de ceux du serveur (empreintes)",
}


def revoked_sentence(kind: str, destroyed: int, pushed: int) -> str:
    """What the user is told when the server revoked this device, truly: which kind of
    revocation, and what the wipe cost."""
    if kind == REVOKE_RETIRED:
        parts = [
            "Cet appareil a été révoqué par l'administrateur (retiré du service) : ses "
            "données locales sont effacées."
        ]
        if pushed:
            parts.append(
                f"Ses {pushed} dernière(s) modification(s) ont été envoyées au serveur avant "
                "l'effacement."
            )
    else:
        parts = [
            "Cet appareil a été révoqué par l'administrateur (déclaré perdu ou volé) : ses "
            "données locales sont effacées."
        ]
    if destroyed:
        parts.append(
            f"{destroyed} modification(s) non envoyée(s) au serveur sont détruites avec elles."
        )
    else:
        parts.append("Aucune modification non envoyée n'est perdue.")
    return " ".join(parts)


def recovery_sentence(report: Any) -> str:
    """What a recovery did, truly: what was sent again, what was removed and why."""
    reason = _REASONS.get(report.recovery_reason or "", "un écart a été détecté")
    parts = [f"Réconciliation : {reason}."]
    parts.append(f"{report.resent} modification(s) de cet appareil renvoyée(s) au serveur")
    if report.resend_refused:
        parts[-1] += f", {report.resend_refused} refusée(s)"
    parts[-1] += "."
    if report.erasures_reapplied:
        parts.append(
            f"{report.erasures_reapplied} effacement(s) décidé(s) avant la restauration du "
            "serveur appliqué(s) à nouveau sur le serveur."
        )
    if report.repaired_persons:
        parts.append(f"{report.repaired_persons} dossier(s) comparé(s) et téléchargé(s) à nouveau.")
    if report.removed:
        parts.append(f"{report.removed} dossier(s) retiré(s) de cet appareil sur ordre du serveur.")
    else:
        parts.append("Aucun dossier retiré de cet appareil.")
    return " ".join(parts)


def sync_status(store: Store) -> dict[str, Any]:
    """Pending changes, set-aside changes, last sync, cursor (``spie-desktop status``)."""
    with store.read() as session:
        pending = session.execute(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT)))
        ).scalar_one()
        rejected = [
            {
                "change_id": str(entry.change_id),
                "table": entry.table_name,
                "row_id": str(entry.row_id),
                "code": entry.error_code,
                "message": entry.error_message,
            }
            for entry in session.execute(
                select(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.REJECTED)
                .order_by(OutboxEntry.seq)
            ).scalars()
        ]
        set_aside = [
            {
                "table": record.table_name,
                "row_id": str(record.row_id),
                "code": record.code,
                "message": record.message,
                "attempts": record.attempts,
            }
            for record in session.execute(
                select(PulledSetAside).order_by(PulledSetAside.created_at)
            ).scalars()
        ]
        conflicts = session.execute(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.seen_at.is_(None))
        ).scalar_one()
    last = store.get_state("last_sync_at") or None
    stale = None
    if last:
        with contextlib.suppress(ValueError):
            age = datetime.now(UTC) - datetime.fromisoformat(last)
            if age > STALE_AFTER:
                stale = (
                    f"Aucune synchronisation depuis {age.days} jours : connectez-vous au "
                    "serveur dès que possible."
                )
    return {
        "server_url": store.get_state("server_url") or None,
        "username": store.get_state("username") or None,
        "user_name": store.get_state("user_name") or None,
        "role": store.get_state("user_role") or None,
        "pending": int(pending),
        "rejected": rejected,
        "set_aside": set_aside,
        "conflicts": int(conflicts),
        "last_sync_at": last,
        "last_sync_status": store.get_state("last_sync_status") or None,
        "last_sync_message": store.get_state("last_sync_message") or None,
        "cursor": store.get_state(STATE_CURSOR) or None,
        "clock_warning": store.get_state("clock_warning") or None,
        "stale_warning": stale,
    }


def login(
    store: Store,
    server_url: str,
    username: str,
    password: str,
    *,
    keyring_backend: keyring.backend.KeyringBackend | None = None,
    transport: httpx.BaseTransport | None = None,
    device_name: str | None = None,
) -> UserInfo:
    """Log this device in: the password is swapped for a refresh token in the keyring."""
    client = SyncClient(
        store,
        server_url=server_url,
        keyring_backend=keyring_backend,
        transport=transport,
        retry=RetryPolicy(attempts=3, base_delay=0.3),
    )
    try:
        return client.login(username, password, device_name=device_name)
    finally:
        client.close()


__all__ = [
    "AuthRequiredError",
    "Conflict",
    "DeviceRevokedError",
    "NotConfiguredError",
    "OfflineError",
    "Progress",
    "Rejected",
    "RetryPolicy",
    "SyncClient",
    "SyncError",
    "SyncReport",
    "login",
    "recovery_sentence",
    "sync_status",
    "wipe_device",
]
