"""The server schema (domain tables + server tables) by Alembic migrations.

``upgrade(engine)`` runs at every start (``spie-server serve``, ``admin``): a new data
directory or an empty PostgreSQL database becomes a working server with no other setup.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, Engine, insert, select, update

from spie_desktop.store import migrate as store_migrate
from spie_desktop.store.migrate import current_revision
from sync.server.db import write_tx
from sync.server.models import change_log, purged_person, server_counter, server_meta
from sync.server.tombstone import sign, time_text, tombstone_key

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

__all__ = ["MIGRATIONS_DIR", "current_revision", "head_revision", "upgrade"]


def head_revision() -> str:
    return store_migrate.head_revision(MIGRATIONS_DIR)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` and make sure the bootstrap rows exist."""
    with write_tx(engine) as connection:
        if not (revision == "head" and current_revision(connection) == head_revision()):
            config = store_migrate.alembic_config(MIGRATIONS_DIR)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        _bootstrap(connection)


def _bootstrap(connection: Connection) -> None:
    if (
        connection.execute(
            select(server_counter.c.value).where(server_counter.c.name == "seq")
        ).first()
        is None
    ):
        connection.execute(insert(server_counter).values(name="seq", value=0))
    if (
        connection.execute(
            select(server_meta.c.value).where(server_meta.c.key == "token_secret")
        ).first()
        is None
    ):
        connection.execute(
            insert(server_meta).values(key="token_secret", value=secrets.token_hex(32))
        )
    _sign_old_purges(connection)


#: ``server_meta`` key set once the purges recorded before tombstones were signed are.
PURGES_SIGNED = "purges_signed"


def _sign_old_purges(connection: Connection) -> int:
    """Sign the purge entries of the log recorded before purges were signed (issue 10),
    once: each gets the decision as ``purged_person`` holds it (time, reason) and the
    server's MAC over them, as a purge made today. A device that pulls the entry, or asks
    for the file (``/sync/files``), then keeps a tombstone it can show to this server
    restored from an older backup. Returns how many were signed."""
    if (
        connection.execute(
            select(server_meta.c.value).where(server_meta.c.key == PURGES_SIGNED)
        ).first()
        is not None
    ):
        return 0
    decisions = {
        row.person_id: (time_text(row.purged_at), row.reason)
        for row in connection.execute(
            select(purged_person.c.person_id, purged_person.c.purged_at, purged_person.c.reason)
        )
    }
    signed = 0
    key: bytes | None = None
    entries = connection.execute(
        select(change_log.c.seq, change_log.c.person_id, change_log.c.fields).where(
            change_log.c.kind == "purge"
        )
    ).all()
    for seq, person_id, fields in entries:
        fields = dict(fields or {})
        decision = decisions.get(person_id)
        if fields.get("mac") or decision is None:
            continue
        key = key or tombstone_key(connection)
        purged_at, reason = decision
        fields.update(
            purged_at=purged_at, reason=reason, mac=sign(key, person_id, purged_at, reason)
        )
        connection.execute(update(change_log).where(change_log.c.seq == seq).values(fields=fields))
        signed += 1
    connection.execute(insert(server_meta).values(key=PURGES_SIGNED, value=str(signed)))
    return signed
