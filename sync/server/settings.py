"""Server settings: where the data is, limits, token lifetimes, clock (injectable for tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sync.protocol import MAX_CLOCK_AHEAD_MS


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServerSettings:
    database_url: str
    data_dir: Path | None = None
    # Request bodies: compressed size on the wire, then decompressed size (zip bombs).
    max_body_bytes: int = 4 * 1024 * 1024
    max_decompressed_bytes: int = 32 * 1024 * 1024
    # Responses smaller than this are sent uncompressed.
    compress_min_bytes: int = 600
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 180 * 24 * 3600
    max_clock_ahead_ms: int = MAX_CLOCK_AHEAD_MS
    # Failed logins before a 429 with Retry-After, within login_lockout_s: per (account,
    # client address) pair, per account from anywhere, per client address (spraying).
    max_login_failures: int = 5
    max_account_login_failures: int = 50
    max_client_login_failures: int = 20
    login_lockout_s: int = 15 * 60
    # Argon2id (argon2-cffi): t=3, 64 MiB, p=4 is the library's RFC 9106 low-memory profile.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    # Test hook: pause between numbering a push's changes and committing them, to widen
    # the window in which a careless server would let a pull skip a sequence number.
    commit_delay_s: float = 0.0
    pool_size: int = 10
    max_overflow: int = 20
    now: Callable[[], datetime] = field(default=utcnow)

    def fast_hashing(self) -> ServerSettings:
        """Weak Argon2 parameters so that tests create accounts in milliseconds."""
        self.argon2_time_cost, self.argon2_memory_kib, self.argon2_parallelism = 1, 8, 1
        return self
