"""Server settings: where the data is, limits, token lifetimes, clock (injectable for tests).

Every setting comes, by order of precedence, from the constructor's arguments (the command
line's options), the environment (``SPIE_SERVER_<NAME>``, e.g. ``SPIE_SERVER_PORT=8471``),
a settings file (``KEY=value`` lines, named by ``SPIE_SERVER_CONFIG_FILE`` or
``config_file``), then the defaults below. Each value is validated when the server starts:
a bad one stops it with a French message naming the variable. README.md lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sync.protocol import MAX_CLOCK_AHEAD_MS

ENV_PREFIX = "SPIE_SERVER_"
ENV_CONFIG_FILE = f"{ENV_PREFIX}CONFIG_FILE"
DATABASE_FILE = "server.db"
DEFAULT_DATA_DIR = Path("spie-server-data")
MIB = 1024 * 1024


def utcnow() -> datetime:
    return datetime.now(UTC)


class ServerSettingsError(ValueError):
    """A setting refused at start-up; the message is French and names the variable."""


class ServerSettings(BaseSettings):
    """The departmental server's settings (see README « Server settings »)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        validate_default=True,
        validate_assignment=True,
        env_ignore_empty=True,
    )

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the database; empty: SQLite in data_dir "
        "(postgresql+psycopg://user@host/base for a department)",
    )
    data_dir: Path | None = Field(
        default=None, description="folder of the SQLite database (default ./spie-server-data)"
    )
    host: str = Field(default="127.0.0.1", min_length=1, description="address `serve` listens on")
    port: int = Field(default=8470, ge=1, le=65535, description="port `serve` listens on")
    workers: int = Field(default=1, ge=1, le=64, description="server processes of `serve`")
    log_level: Literal["critical", "error", "warning", "info", "debug", "trace"] = Field(
        default="warning", description="uvicorn's log level"
    )
    # Request bodies: compressed size on the wire, then decompressed size (zip bombs).
    max_body_bytes: int = Field(
        default=4 * MIB, ge=1024, description="largest request body on the wire"
    )
    max_decompressed_bytes: int = Field(
        default=32 * MIB, ge=1024, description="largest request body once decompressed (zip bombs)"
    )
    compress_min_bytes: int = Field(
        default=600, ge=0, description="answers smaller than this are sent uncompressed"
    )
    access_token_ttl_s: int = Field(default=15 * 60, ge=10, description="access token lifetime (s)")
    refresh_token_ttl_s: int = Field(
        default=180 * 24 * 3600,
        ge=60,
        description="refresh token lifetime: a device unused longer logs in again (s)",
    )
    max_clock_ahead_ms: int = Field(
        default=MAX_CLOCK_AHEAD_MS,
        ge=0,
        description="how far ahead of the server a device's clock may be",
    )
    # Failed logins before a 429 with Retry-After, within login_lockout_s: per (account,
    # client address) pair, per account from anywhere, per client address (spraying).
    max_login_failures: int = Field(
        default=5, ge=1, description="failed logins of one account from one address before a 429"
    )
    max_account_login_failures: int = Field(
        default=50, ge=1, description="failed logins of one account from anywhere before a 429"
    )
    max_client_login_failures: int = Field(
        default=20, ge=1, description="failed logins from one address (spraying) before a 429"
    )
    login_lockout_s: int = Field(
        default=15 * 60, ge=0, description="the window of those counts, and the wait (s)"
    )
    # Argon2id (argon2-cffi): t=3, 64 MiB, p=4 is the library's RFC 9106 low-memory profile.
    argon2_time_cost: int = Field(default=3, ge=1, description="Argon2id passes for passwords")
    argon2_memory_kib: int = Field(
        default=65536, ge=8, description="Argon2id memory for passwords (KiB)"
    )
    argon2_parallelism: int = Field(default=4, ge=1, description="Argon2id lanes for passwords")
    supervisors_may_reveal: bool = Field(
        default=False,
        description=(
            "initial value of the department setting supervisors_may_reveal (read while "
            "no administrator has set it with `spie-server admin settings set`): supervisors "
            "may reveal a sensitive note, with a reason, audited (POST /sync/reveal)"
        ),
    )
    pool_size: int = Field(default=10, ge=1, description="PostgreSQL connections kept open")
    max_overflow: int = Field(
        default=20, ge=0, description="extra PostgreSQL connections under load"
    )
    # Test hook: pause between numbering a push's changes and committing them, to widen
    # the window in which a careless server would let a pull skip a sequence number.
    commit_delay_s: float = Field(
        default=0.0, ge=0, description="test hook: pause before commit (s)"
    )
    # Test hook, not read from the environment in practice (a clock is no text).
    now: Callable[[], datetime] = Field(default=utcnow, exclude=True)

    @model_validator(mode="after")
    def _sqlite_by_default(self) -> ServerSettings:
        """No database URL: SQLite in ``data_dir`` (created), so a first start needs no setup."""
        if not self.database_url:
            data_dir = self.data_dir if self.data_dir is not None else DEFAULT_DATA_DIR
            data_dir.mkdir(parents=True, exist_ok=True)
            object.__setattr__(self, "data_dir", data_dir)
            url = f"sqlite+pysqlite:///{data_dir / DATABASE_FILE}"
            object.__setattr__(self, "database_url", url)
        if self.max_decompressed_bytes < self.max_body_bytes:
            raise ValueError("max_decompressed_bytes doit être au moins max_body_bytes")
        return self

    def fast_hashing(self) -> ServerSettings:
        """Weak Argon2 parameters so that tests create accounts in milliseconds."""
        self.argon2_time_cost, self.argon2_memory_kib, self.argon2_parallelism = 1, 8, 1
        return self


def load_server_settings(config_file: Path | str | None = None, **overrides: Any) -> ServerSettings:
    """Settings from ``overrides`` (None: not given), the environment and the settings file.

    Raises :class:`ServerSettingsError` (French, naming the variable) for a bad value.
    """
    import os

    given = {key: value for key, value in overrides.items() if value is not None}
    path = config_file or os.environ.get(ENV_CONFIG_FILE) or None
    if path is not None and not Path(path).is_file():
        raise ServerSettingsError(f"fichier de réglages introuvable : {path}")
    try:
        return ServerSettings(_env_file=path, **given)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise ServerSettingsError(_french(exc)) from exc


def _french(exc: ValidationError) -> str:
    """One line per refused setting, naming its environment variable."""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "extra_forbidden":  # a line of the settings file, as written
            lines.append(f"réglage {name.upper()} inconnu (fichier de réglages)")
            continue
        where = f"{ENV_PREFIX}{name.upper()}" if name else "réglages"
        lines.append(f"réglage {where} invalide : {_reason(error)}")
    return " ; ".join(lines)


def _reason(error: Mapping[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    value = error.get("input")
    reasons = {
        "int_parsing": f"nombre entier attendu, pas « {value} »",
        "int_type": f"nombre entier attendu, pas « {value} »",
        "float_parsing": f"nombre attendu, pas « {value} »",
        "greater_than_equal": f"au moins {ctx.get('ge')} attendu, pas {value}",
        "less_than_equal": f"au plus {ctx.get('le')} attendu, pas {value}",
        "literal_error": f"une valeur parmi {ctx.get('expected')} attendue, pas « {value} »",
        "string_too_short": "valeur vide",
        "value_error": str(ctx.get("error", error.get("msg", ""))),
    }
    return reasons.get(kind, str(error.get("msg", kind)))
