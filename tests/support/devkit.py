"""Test harness: real devices (encrypted store + sync client) against a real server.

The servers themselves are product code (:mod:`spie_desktop.entry.local_server`, which the
self-test and the demo launcher use); they are re-exported here so that a test imports its
whole kit from one place.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from spie_desktop.entry.local_server import ServerProcess, ServerThread, free_port, wait_until_up

__all__ = [
    "DEVICE_PASSPHRASE",
    "Device",
    "ServerProcess",
    "ServerThread",
    "free_port",
    "hlc_for",
    "server_rows",
    "wait_until_up",
]

DEVICE_PASSPHRASE = "phrase de passe de test"
_UNCOMPARED = frozenset({"updated_at"})


class Device:
    """A real device: encrypted SQLCipher store, keyring file, sync client."""

    def __init__(
        self,
        root: Path,
        name: str,
        server_url: str,
        *,
        keyring_backend: Any = None,
        retry: Any = None,
        **client_options: Any,
    ) -> None:
        from spie_desktop.store.file_keyring import FileKeyring
        from spie_desktop.store.store import Store
        from spie_desktop.store.vault import KdfParams
        from sync.client import RetryPolicy, SyncClient

        self.name = name
        self.data_dir = Path(root) / name
        self.ring = keyring_backend or FileKeyring(Path(root) / f"{name}-keyring.json")
        self.store = Store.create(
            self.data_dir,
            DEVICE_PASSPHRASE,
            kdf=KdfParams.fast_for_tests(),
            keyring_backend=self.ring,
        )
        client_options.setdefault("verify_every_s", 0)  # compare counts after every sync
        self.client = SyncClient(
            self.store,
            server_url=server_url,
            keyring_backend=self.ring,
            retry=retry or RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05),
            **client_options,
        )

    def set_clock_offset(self, offset_ms: int) -> None:
        """Make this device's system clock wrong by ``offset_ms`` (0: right again)."""
        self.store.clock.set_wall_clock(lambda: time.time_ns() // 1_000_000 + offset_ms)

    def login(self, username: str, password: str) -> Any:
        return self.client.login(username, password)

    def sync(self, *, expect_ok: bool = True) -> Any:
        report = self.client.sync()
        if expect_ok and not report.ok:
            raise AssertionError(f"{self.name}: sync {report.status}: {report.message}")
        return report

    @property
    def actor(self) -> Any:
        return self.store.actor()

    def write(self) -> Any:
        return self.store.write()

    def rows(self, table: str) -> dict[str, dict[str, Any]]:
        """Every row of a synced table, JSON-encoded, without device-local metadata."""
        from spie_desktop.domain.codec import row_to_dict
        from spie_desktop.domain.models import SYNCED_MODELS

        model = SYNCED_MODELS[table]
        with self.store.read() as session:
            return {
                str(obj.id): {k: v for k, v in row_to_dict(obj).items() if k not in _UNCOMPARED}
                for obj in session.query(model).all()
            }

    def close(self) -> None:
        self.client.close()
        self.store.close()


def server_rows(engine: Any, table: str, person_ids: Any = None) -> dict[str, dict[str, Any]]:
    """The server's rows of a table (optionally only those of some persons)."""
    from sqlalchemy import select

    from spie_desktop.domain.codec import encode_value
    from sync.schema import TABLES

    spec = TABLES[table]
    statement = select(spec.table)
    if person_ids is not None:
        key = spec.table.c.id if table == "person" else spec.table.c.person_id
        statement = statement.where(key.in_(list(person_ids)))
    with engine.connect() as connection:
        return {
            str(row["id"]): {k: encode_value(v) for k, v in row.items() if k not in _UNCOMPARED}
            for row in connection.execute(statement).mappings()
        }


def hlc_for(node: str, counter: int = 0, *, offset_ms: int = 0) -> str:
    """An HLC timestamp of ``node`` at the current time (hand-made pushes in tests)."""
    wall = time.time_ns() // 1_000_000 + offset_ms
    return f"{wall:012x}-{counter:04x}-{node}"
