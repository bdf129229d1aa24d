"""Digests of a scope (issue 10, What 3): divergence that edits alone make is seen.

A row's share is a hash of (table, id, newest clock) (:func:`sync.schema.row_digest`); a
person's digest is the sum of the shares of the rows of their file that exist, a scope's
the sum of its persons'. Counts see a row missing; digests also see a row the device holds
at another clock than the server (an edit it never received, a value restored from an older
copy). Clocks, not values, are hashed: a supervisor's device, which holds a withheld text
for sensitive notes, digests exactly like the referent's.

Per-person digests are kept in ``person_digest``, updated at each write by the difference
the write makes (the merge of a pushed change, an import, the demo data: :class:`DigestDelta`
collected in the transaction's :class:`~sync.server.changelog.Tx`, written at its flush; a
purge drops the person's row): reading a scope's digest is a sum over its persons, never a
pass over its rows. :func:`recomputed_person_digests` computes them from the rows, for the
migration that fills the table, for ``spie-server admin digests check|rebuild``
(:func:`differing_person_digests`, :func:`repair_person_digests`: after SQL written by hand
behind the server) and for the tests that check the kept ones against it.

The device computes the same sums from its ``row_sync`` clocks (``sync.apply``); the scope
digest rides on the pull's last page with the counts, and per-person digests
(``GET /sync/digests``) say which files differ when the scope digest does not match.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sync.schema import (
    DIGEST_TABLES,
    TABLES,
    add_digest,
    digest_text,
    row_digest,
    signed_digest,
    sub_digest,
    table_of,
    unsigned_digest,
)
from sync.server.models import access, person_digest, row_clock

Digests = dict[uuid.UUID, tuple[int, int]]
"""person → (rows, sum of the row shares)."""


def _scope(referent_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return select(access.c.person_id).where(
        access.c.referent_id == referent_id, access.c.to_seq.is_(None)
    )


# -- reading the kept digests ----------------------------------------------------------------


def person_digests(
    connection: Connection,
    referent_id: uuid.UUID,
    person_ids: Iterable[uuid.UUID] | None = None,
) -> Digests:
    """The digest of every person in the user's current scope (or of those of them listed),
    read from ``person_digest``."""
    scope = set(connection.execute(_scope(referent_id).distinct()).scalars())
    if person_ids is not None:
        scope &= set(person_ids)
    found: Digests = dict.fromkeys(scope, (0, 0))
    if not scope:
        return found
    statement = select(person_digest.c.person_id, person_digest.c.rows, person_digest.c.total)
    if person_ids is None:
        statement = statement.where(person_digest.c.person_id.in_(_scope(referent_id)))
    else:
        statement = statement.where(person_digest.c.person_id.in_(sorted(scope)))
    for person_id, rows, total in connection.execute(statement):
        if person_id in found and rows:
            found[person_id] = (int(rows), unsigned_digest(int(total)))
    return found


def scope_digest(connection: Connection, referent_id: uuid.UUID) -> str:
    """The whole scope's digest, ``<rows>:<hex>``: a sum over the scope's kept digests."""
    rows = total = 0
    for count, share in person_digests(connection, referent_id).values():
        rows += count
        total = add_digest(total, share)
    return digest_text(rows, total)


# -- computing them from the rows --------------------------------------------------------------


def recomputed_person_digests(
    connection: Connection, person_ids: Iterable[uuid.UUID] | None = None
) -> Digests:
    """Every person's digest (or the listed persons'), computed from the rows and their
    ``row_clock``; persons without a row are absent."""
    wanted = None if person_ids is None else sorted(set(person_ids))
    found: Digests = {}
    for name in DIGEST_TABLES:
        table = table_of(name)
        key = table.c[TABLES[name].person_key or "id"]
        base = select(key, row_clock.c.row_id, row_clock.c.hlc).select_from(
            table.join(
                row_clock,
                and_(row_clock.c.table_name == name, row_clock.c.row_id == table.c.id),
            )
        )
        chunks = (
            [None] if wanted is None else [wanted[i : i + 500] for i in range(0, len(wanted), 500)]
        )
        for chunk in chunks:
            statement = base if chunk is None else base.where(key.in_(chunk))
            for person_id, row_id, hlc in connection.execute(statement):
                if person_id is None:
                    continue
                rows, total = found.get(person_id, (0, 0))
                found[person_id] = (rows + 1, add_digest(total, row_digest(name, row_id.hex, hlc)))
    return found


def kept_person_digests(connection: Connection) -> Digests:
    """What ``person_digest`` holds (persons with at least one row)."""
    return {
        person_id: (int(rows), unsigned_digest(int(total)))
        for person_id, rows, total in connection.execute(
            select(person_digest.c.person_id, person_digest.c.rows, person_digest.c.total)
        )
        if rows
    }


def rebuild_person_digests(connection: Connection) -> int:
    """Fill ``person_digest`` again from the rows (migration, repair); returns the persons."""
    found = recomputed_person_digests(connection)
    connection.execute(delete(person_digest))
    if found:
        connection.execute(
            person_digest.insert(),
            [
                {"person_id": person, "rows": rows, "total": signed_digest(total)}
                for person, (rows, total) in found.items()
            ],
        )
    return len(found)


def lock_person_digests(connection: Connection) -> None:
    """Keep every other writer of ``person_digest`` out until this transaction ends.

    On SQLite a write transaction is already the only writer (``BEGIN IMMEDIATE``). On
    PostgreSQL (READ COMMITTED) a push's transaction writes its digest differences just
    before it commits: with the table locked, a push that wrote them is waited for (its
    rows are then seen), one that has not yet waits for this transaction and adds its
    difference to the repaired value afterwards."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE person_digest IN EXCLUSIVE MODE")


def differing_person_digests(connection: Connection) -> list[uuid.UUID]:
    """The persons whose kept digest is not what their rows give (SQL written by hand
    behind the server, a bug): absent on one side, or another count or sum."""
    kept = kept_person_digests(connection)
    found = recomputed_person_digests(connection)
    return sorted(p for p in kept.keys() | found.keys() if kept.get(p) != found.get(p))


def repair_person_digests(connection: Connection) -> list[uuid.UUID]:
    """Write again, from the rows, the kept digest of each person whose digest differs
    (only those rows are touched); returns them. Call inside a write transaction."""
    lock_person_digests(connection)
    found = recomputed_person_digests(connection)
    kept = kept_person_digests(connection)
    changed = sorted(p for p in kept.keys() | found.keys() if kept.get(p) != found.get(p))
    for person_id in changed:
        connection.execute(delete(person_digest).where(person_digest.c.person_id == person_id))
        if person_id in found:
            rows, total = found[person_id]
            connection.execute(
                person_digest.insert().values(
                    person_id=person_id, rows=rows, total=signed_digest(total)
                )
            )
    return changed


# -- keeping them current ----------------------------------------------------------------------


class DigestDelta:
    """What one write transaction changes in the per-person digests."""

    def __init__(self) -> None:
        self.changes: dict[uuid.UUID, tuple[int, int]] = {}

    def row(
        self,
        table: str,
        row_id: uuid.UUID,
        person_id: uuid.UUID | None,
        old_hlc: str | None,
        new_hlc: str | None,
    ) -> None:
        """A row of ``table`` moved from clock ``old_hlc`` to ``new_hlc`` (None: absent)."""
        if person_id is None or table not in DIGEST_TABLES or old_hlc == new_hlc:
            return
        rows, total = self.changes.get(person_id, (0, 0))
        if old_hlc is not None:
            rows -= 1
            total = sub_digest(total, row_digest(table, row_id.hex, old_hlc))
        if new_hlc is not None:
            rows += 1
            total = add_digest(total, row_digest(table, row_id.hex, new_hlc))
        self.changes[person_id] = (rows, total)

    def forget(self, person_id: uuid.UUID) -> None:
        self.changes.pop(person_id, None)

    def write(self, connection: Connection) -> None:
        """Add the differences to ``person_digest`` (persons in order, each row locked)."""
        changes, self.changes = self.changes, {}
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        for person_id in sorted(changes):
            d_rows, d_total = changes[person_id]
            if not d_rows and not d_total:
                continue
            connection.execute(
                insert(person_digest)
                .values(person_id=person_id, rows=0, total=0)
                .on_conflict_do_nothing(index_elements=["person_id"])
            )
            rows, total = connection.execute(
                select(person_digest.c.rows, person_digest.c.total)
                .where(person_digest.c.person_id == person_id)
                .with_for_update()
            ).one()
            connection.execute(
                update(person_digest)
                .where(person_digest.c.person_id == person_id)
                .values(
                    rows=int(rows) + d_rows,
                    total=signed_digest(add_digest(unsigned_digest(int(total)), d_total)),
                )
            )


def drop_person_digest(connection: Connection, person_id: uuid.UUID) -> None:
    """A purged person's file is gone: so is its digest."""
    connection.execute(delete(person_digest).where(person_digest.c.person_id == person_id))
