"""Authentication: Argon2 password hashes, device-bound refresh tokens, short access tokens.

- ``POST /auth/login`` swaps a password for a **refresh token** bound to one device
  (random 256 bits; only its SHA-256 is stored) and an **access token**.
- Access tokens are HMAC-SHA256 signed (secret in ``server_meta``, shared by every
  worker: the server stays stateless) and live 15 minutes; every request also checks
  that the device is not revoked and the account still active.
- Passwords are checked by a :class:`PasswordAuthenticator`; an OIDC login (ProConnect)
  would be another implementation of :class:`Authenticator` (DESIGN §6).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import math
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, Select, delete, insert, or_, select, update

from sync.protocol import REVOKE_LOST, REVOKE_RETIRED, ErrorCode
from sync.schema import table_of
from sync.server.db import write_tx
from sync.server.errors import ApiError
from sync.server.merge import Actor
from sync.server.models import account, device, login_throttle, refresh_token, server_meta
from sync.server.settings import ServerSettings

_referent = table_of("referent")
TOKEN_PREFIX = "v1"
MAX_TOKEN_CHARS = 2048

_REVOKED_MESSAGES = {
    REVOKE_LOST: (
        "Cet appareil a été révoqué par l'administrateur (déclaré perdu ou volé) : ses "
        "données locales vont être effacées."
    ),
    REVOKE_RETIRED: (
        "Cet appareil a été révoqué par l'administrateur (retiré du service) : ses "
        "dernières modifications sont envoyées, puis ses données locales sont effacées."
    ),
}


def revoke_kind(value: str | None) -> str:
    """The stored kind of a revoked device (revocations made before kinds existed: lost)."""
    return REVOKE_RETIRED if value == REVOKE_RETIRED else REVOKE_LOST


def unsent_count(value: str | None) -> int | None:
    """The device's unsent count from its header (None when absent or not a number)."""
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


def revoked_error(kind: str | None) -> ApiError:
    kind = revoke_kind(kind)
    return ApiError(403, ErrorCode.DEVICE_REVOKED, _REVOKED_MESSAGES[kind], detail=kind)


def record_wipe(connection: Connection, device_id: str, unsent: int | None, now: datetime) -> None:
    """The server tells a revoked device to wipe: remember when, and what the device said it
    had not pushed (the first report wins); no session of it survives."""
    connection.execute(
        update(device)
        .where(device.c.id == device_id, device.c.wiped_at.is_(None))
        .values(wiped_at=now)
    )
    if unsent is not None:
        connection.execute(
            update(device)
            .where(device.c.id == device_id, device.c.unsent_destroyed.is_(None))
            .values(unsent_destroyed=unsent)
        )
    connection.execute(
        update(refresh_token)
        .where(refresh_token.c.device_id == device_id, refresh_token.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFC", username).strip().lower()


def hasher(settings: ServerSettings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )


def hash_password(settings: ServerSettings, password: str) -> str:
    return hasher(settings).hash(unicodedata.normalize("NFC", password))


@dataclass(frozen=True)
class AccountRow:
    id: uuid.UUID
    referent_id: uuid.UUID
    username: str
    role: str
    active: bool
    first_name: str
    last_name: str
    team_id: uuid.UUID | None


class Authenticator(Protocol):
    """Turns credentials into an account (password today, OIDC later)."""

    def authenticate(self, connection: Connection, username: str, password: str) -> AccountRow: ...


def _account_query() -> Select[Any]:
    return select(
        account.c.id,
        account.c.referent_id,
        account.c.username,
        account.c.role,
        account.c.active,
        account.c.password_hash,
        account.c.failed_logins,
        account.c.locked_until,
        _referent.c.first_name,
        _referent.c.last_name,
        _referent.c.team_id,
    ).select_from(account.join(_referent, _referent.c.id == account.c.referent_id))


def _account_row(row: Any) -> AccountRow:
    """The public part of a row of ``_account_query()`` (no hash, no lockout state)."""
    return AccountRow(
        id=row.id,
        referent_id=row.referent_id,
        username=row.username,
        role=row.role,
        active=row.active,
        first_name=row.first_name,
        last_name=row.last_name,
        team_id=row.team_id,
    )


class PasswordAuthenticator:
    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self._hasher = hasher(settings)
        # Verifying against a dummy hash when the user does not exist keeps timing alike.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def authenticate(self, connection: Connection, username: str, password: str) -> AccountRow:
        """The account, or 401 ``bad_credentials`` — the same answer, after the same work,
        for an unknown user, a wrong password and a disabled account (no oracle)."""
        row = connection.execute(
            _account_query().where(account.c.username == normalise_username(username))
        ).first()
        password = unicodedata.normalize("NFC", password)
        if row is None or row.password_hash is None:
            with contextlib.suppress(VerificationError):
                self._hasher.verify(self._dummy, password)
            raise ApiError(401, ErrorCode.BAD_CREDENTIALS)
        try:
            self._hasher.verify(row.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise ApiError(401, ErrorCode.BAD_CREDENTIALS) from None
        if not row.active:
            raise ApiError(401, ErrorCode.BAD_CREDENTIALS)
        if self._hasher.check_needs_rehash(row.password_hash):
            connection.execute(
                update(account)
                .where(account.c.id == row.id)
                .values(password_hash=self._hasher.hash(password))
            )
        return _account_row(row)


# -- throttling --------------------------------------------------------------------------------


class LoginThrottle:
    """Failed logins counted per account, per client address and per (account, address)
    pair (OWASP ASVS 2.2.1). The account key is the normalised username, known or not, so
    that an unknown user throttles exactly like a real one. A pair blocks soon (one client
    guessing one password); an account only after many failures from many places (so
    that nobody locks a colleague out from one machine); a client address after a spray."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings

    def _limits(self, username: str, client: str) -> list[tuple[str, int]]:
        name = normalise_username(username)[:90]
        return [
            (f"pair:{name}|{client[:64]}", self.settings.max_login_failures),
            (f"account:{name}", self.settings.max_account_login_failures),
            (f"client:{client[:64]}", self.settings.max_client_login_failures),
        ]

    def check(self, connection: Connection, username: str, client: str, now: datetime) -> None:
        keys = [key for key, _ in self._limits(username, client)]
        blocked = (
            connection.execute(
                select(login_throttle.c.blocked_until).where(
                    login_throttle.c.key.in_(keys), login_throttle.c.blocked_until > now
                )
            )
            .scalars()
            .all()
        )
        if blocked:
            wait = max(math.ceil((until - now).total_seconds()) for until in blocked)
            raise ApiError(
                429,
                ErrorCode.TOO_MANY_ATTEMPTS,
                detail=f"réessayez dans {wait} s",
                headers={"Retry-After": str(max(wait, 1))},
            )

    def failed(self, connection: Connection, username: str, client: str, now: datetime) -> None:
        window = timedelta(seconds=self.settings.login_lockout_s)
        for key, limit in self._limits(username, client):
            current = connection.execute(
                select(login_throttle.c.failures, login_throttle.c.window_start)
                .where(login_throttle.c.key == key)
                .with_for_update()
            ).first()
            if current is None or current.window_start + window <= now:
                failures, start = 1, now
            else:
                failures, start = int(current.failures) + 1, current.window_start
            blocked = now + window if failures >= limit else None
            values = {
                "failures": 0 if blocked else failures,
                "window_start": now if blocked else start,
                "blocked_until": blocked,
            }
            if current is None:
                connection.execute(insert(login_throttle).values(key=key, **values))
            else:
                connection.execute(
                    update(login_throttle).where(login_throttle.c.key == key).values(**values)
                )

    def succeeded(self, connection: Connection, username: str, client: str) -> None:
        pair, account_key, _client = (key for key, _ in self._limits(username, client))
        connection.execute(
            delete(login_throttle).where(login_throttle.c.key.in_([pair, account_key]))
        )


def clear_throttle(connection: Connection, username: str) -> None:
    """Forget an account's failures (password reset by an administrator)."""
    name = normalise_username(username)[:90]
    connection.execute(
        delete(login_throttle).where(
            (login_throttle.c.key == f"account:{name}")
            | login_throttle.c.key.startswith(f"pair:{name}|", autoescape=True)
        )
    )


# -- tokens ------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_secret(connection: Connection) -> bytes:
    value = connection.execute(
        select(server_meta.c.value).where(server_meta.c.key == "token_secret")
    ).scalar_one()
    return bytes.fromhex(value)


def issue_access_token(
    secret: bytes, account_id: uuid.UUID, device_id: str, expires_at: datetime
) -> str:
    payload = json.dumps(
        {"a": str(account_id), "d": device_id, "e": int(expires_at.timestamp())},
        separators=(",", ":"),
    ).encode("utf-8")
    body = f"{TOKEN_PREFIX}.{_b64(payload)}"
    signature = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


def read_access_token(secret: bytes, token: str, now: datetime) -> tuple[uuid.UUID, str]:
    try:
        prefix, payload_b64, signature_b64 = token.split(".")
        if prefix != TOKEN_PREFIX:
            raise ValueError("prefix")
        body = f"{prefix}.{payload_b64}"
        expected = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature_b64)):
            raise ValueError("signature")
        payload = json.loads(_unb64(payload_b64))
        account_id = uuid.UUID(payload["a"])
        device_id = str(payload["d"])
        expires = int(payload["e"])
    except (ValueError, KeyError, TypeError, UnicodeError):
        raise ApiError(401, ErrorCode.TOKEN_INVALID) from None
    if expires <= int(now.timestamp()):
        raise ApiError(401, ErrorCode.TOKEN_EXPIRED)
    return account_id, device_id


def hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_refresh_token(
    connection: Connection,
    device_id: str,
    now: datetime,
    expires_at: datetime,
    family_id: uuid.UUID | None = None,
    token_id: uuid.UUID | None = None,
) -> str:
    """A new refresh token; a login starts a family, a rotation continues it."""
    token = secrets.token_urlsafe(32)
    token_id = token_id or uuid.uuid4()
    connection.execute(
        insert(refresh_token).values(
            id=token_id,
            device_id=device_id,
            token_hash=hash_refresh(token),
            created_at=now,
            expires_at=expires_at,
            family_id=family_id or token_id,
        )
    )
    return token


def _lost_answer(
    connection: Connection, found: Any, rotation_id: uuid.UUID | None, now: datetime
) -> bool:
    """Whether a rotated token comes back from the device that rotated it, whose answer was
    lost: the same rotation id, and a successor nobody has used (nor revoked) since."""
    if rotation_id is None or found.rotation_id != rotation_id or found.successor_id is None:
        return False
    successor = connection.execute(
        select(refresh_token.c.rotated_at, refresh_token.c.revoked_at).where(
            refresh_token.c.id == found.successor_id
        )
    ).first()
    return successor is not None and successor.rotated_at is None and successor.revoked_at is None


# -- requests ---------------------------------------------------------------------------------


class AuthService:
    def __init__(self, engine: Engine, settings: ServerSettings) -> None:
        self.engine = engine
        self.settings = settings
        self.authenticator: Authenticator = PasswordAuthenticator(settings)
        self.throttle = LoginThrottle(settings)
        self._secret: bytes | None = None

    def secret(self, connection: Connection) -> bytes:
        if self._secret is None:
            self._secret = token_secret(connection)
        return self._secret

    def login(
        self,
        username: str,
        password: str,
        device_id: str,
        device_name: str | None,
        client: str = "",
    ) -> tuple[AccountRow, str, str, int]:
        """(account, access token, refresh token, expires_in)."""
        now = self.settings.now()
        failure: ApiError | None = None
        with write_tx(self.engine) as connection:
            self.throttle.check(connection, username, client, now)
            try:
                row = self.authenticator.authenticate(connection, username, password)
            except ApiError as exc:
                failure = exc  # commit the failure counters, then refuse
                self.throttle.failed(connection, username, client, now)
            else:
                self.throttle.succeeded(connection, username, client)
                node = device_id.replace("-", "")
                existing = connection.execute(
                    select(
                        device.c.id, device.c.account_id, device.c.revoked_at, device.c.revoke_kind
                    ).where((device.c.id == device_id) | (device.c.node == node))
                ).all()
                same = [d for d in existing if d.id == device_id]
                if any(d.id != device_id for d in existing):
                    # Another device id with the same clock node (differs by dashes only).
                    raise ApiError(403, ErrorCode.DEVICE_MISMATCH, field="device_id")
                if same:
                    if same[0].revoked_at is not None:
                        raise revoked_error(same[0].revoke_kind)
                    if same[0].account_id != row.id:
                        raise ApiError(403, ErrorCode.DEVICE_MISMATCH)
                    connection.execute(
                        update(device)
                        .where(device.c.id == device_id)
                        .values(last_seen_at=now, name=device_name)
                    )
                    # A new login ends every earlier session of this device.
                    connection.execute(
                        update(refresh_token)
                        .where(
                            refresh_token.c.device_id == device_id,
                            refresh_token.c.revoked_at.is_(None),
                        )
                        .values(revoked_at=now)
                    )
                else:
                    connection.execute(
                        insert(device).values(
                            id=device_id,
                            node=node,
                            account_id=row.id,
                            name=device_name,
                            created_at=now,
                            last_seen_at=now,
                        )
                    )
                refresh = new_refresh_token(
                    connection,
                    device_id,
                    now,
                    now + timedelta(seconds=self.settings.refresh_token_ttl_s),
                )
                ttl = self.settings.access_token_ttl_s
                access = issue_access_token(
                    self.secret(connection), row.id, device_id, now + timedelta(seconds=ttl)
                )
        if failure is not None:
            raise failure
        return row, access, refresh, ttl

    def refresh(
        self,
        token: str,
        device_id: str,
        *,
        unsent: str | None = None,
        rotation_id: uuid.UUID | None = None,
    ) -> tuple[AccountRow, str, str, int]:
        """(account, access token, the next refresh token, expires_in).

        The presented token is used up: its successor has the same family and the same
        absolute expiry. A token presented after it was used (a copy, or a replay) revokes
        its whole family: the thief and the owner must both log in again — except the
        device's own retry after a lost answer: the same ``rotation_id`` (kept in the
        device's encrypted store, which a copy of the token alone does not give) while
        the successor was never used; the unused successor is then replaced.
        """
        now = self.settings.now()
        failure: ApiError | None = None
        with write_tx(self.engine) as connection:
            found = connection.execute(
                select(
                    refresh_token.c.id,
                    refresh_token.c.device_id,
                    refresh_token.c.expires_at,
                    refresh_token.c.revoked_at,
                    refresh_token.c.rotated_at,
                    refresh_token.c.family_id,
                    refresh_token.c.rotation_id,
                    refresh_token.c.successor_id,
                    device.c.account_id,
                    device.c.revoked_at.label("device_revoked_at"),
                    device.c.revoke_kind,
                    device.c.wiped_at,
                )
                .select_from(refresh_token.join(device, device.c.id == refresh_token.c.device_id))
                .where(refresh_token.c.token_hash == hash_refresh(token))
            ).first()
            if found is None or found.device_id != device_id:
                raise ApiError(401, ErrorCode.REFRESH_INVALID)
            final_push = (
                found.device_revoked_at is not None
                and revoke_kind(found.revoke_kind) == REVOKE_RETIRED
                and found.wiped_at is None
                and unsent_count(unsent) != 0
            )
            family = found.family_id or found.id
            if found.device_revoked_at is not None and not final_push:
                # Lost, or retired with nothing left to push: wipe (recorded, committed).
                record_wipe(connection, device_id, unsent_count(unsent), now)
                failure = revoked_error(found.revoke_kind)
            elif found.rotated_at is not None and not _lost_answer(
                connection, found, rotation_id, now
            ):
                connection.execute(
                    update(refresh_token)
                    .where(
                        or_(refresh_token.c.family_id == family, refresh_token.c.id == family),
                        refresh_token.c.revoked_at.is_(None),
                    )
                    .values(revoked_at=now)
                )
                failure = ApiError(401, ErrorCode.REFRESH_INVALID, detail="jeton déjà utilisé")
            elif (
                found.revoked_at is not None and found.rotated_at is None
            ) or found.expires_at <= now:
                raise ApiError(401, ErrorCode.REFRESH_INVALID)
            else:
                row = connection.execute(
                    _account_query().where(account.c.id == found.account_id)
                ).first()
                if row is None:
                    raise ApiError(401, ErrorCode.REFRESH_INVALID)
                if not row.active:
                    raise ApiError(403, ErrorCode.ACCOUNT_DISABLED)
                successor_id = uuid.uuid4()
                if found.successor_id is not None:  # the lost answer's token, never used
                    connection.execute(
                        update(refresh_token)
                        .where(refresh_token.c.id == found.successor_id)
                        .values(revoked_at=now)
                    )
                connection.execute(
                    update(refresh_token)
                    .where(refresh_token.c.id == found.id)
                    .values(
                        last_used_at=now,
                        rotated_at=found.rotated_at or now,
                        revoked_at=now,
                        rotation_id=rotation_id,
                        successor_id=successor_id,
                    )
                )
                successor = new_refresh_token(
                    connection,
                    device_id,
                    now,
                    found.expires_at,
                    family_id=family,
                    token_id=successor_id,
                )
                connection.execute(
                    update(device).where(device.c.id == device_id).values(last_seen_at=now)
                )
                ttl = self.settings.access_token_ttl_s
                access = issue_access_token(
                    self.secret(connection), row.id, device_id, now + timedelta(seconds=ttl)
                )
        if failure is not None:
            raise failure
        return _account_row(row), access, successor, ttl

    def actor_for(
        self, authorization: str | None, *, unsent: str | None = None, final_push: bool = False
    ) -> Actor:
        """The actor of a request's ``Authorization: Bearer`` header, or a 401/403.

        A revoked device is refused (``device_revoked``, which makes it wipe), and the
        refusal recorded with the unsent count it announced — except a retired device's
        push (``final_push``) before it was told to wipe: its final push is taken."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise ApiError(401, ErrorCode.AUTH_REQUIRED, headers={"WWW-Authenticate": "Bearer"})
        token = authorization[7:].strip()
        if len(token) > MAX_TOKEN_CHARS:
            raise ApiError(401, ErrorCode.TOKEN_INVALID, detail="jeton trop long")
        now = self.settings.now()
        with self.engine.connect() as connection:
            account_id, device_id = read_access_token(self.secret(connection), token, now)
            row = connection.execute(
                select(
                    device.c.node,
                    device.c.revoked_at,
                    device.c.revoke_kind,
                    device.c.wiped_at,
                    device.c.account_id,
                    account.c.referent_id,
                    account.c.role,
                    account.c.active,
                    account.c.username,
                    _referent.c.first_name,
                    _referent.c.last_name,
                )
                .select_from(
                    device.join(account, account.c.id == device.c.account_id).join(
                        _referent, _referent.c.id == account.c.referent_id
                    )
                )
                .where(device.c.id == device_id)
            ).first()
            connection.rollback()
        if row is None or row.account_id != account_id:
            raise ApiError(401, ErrorCode.TOKEN_INVALID)
        if row.revoked_at is not None:
            retiring = revoke_kind(row.revoke_kind) == REVOKE_RETIRED and row.wiped_at is None
            if not (retiring and final_push):
                with write_tx(self.engine) as connection:
                    record_wipe(connection, device_id, unsent_count(unsent), now)
                raise revoked_error(row.revoke_kind)
        if not row.active:
            raise ApiError(403, ErrorCode.ACCOUNT_DISABLED)
        return Actor(
            account_id=account_id,
            referent_id=row.referent_id,
            role=row.role,
            device_id=device_id,
            node=row.node,
            username=row.username,
            display_name=f"{row.first_name} {row.last_name}",
        )
