"""Digests of a scope (issue 10, What 3): divergence that edits alone make is seen.

A row's share is a hash of (table, id, newest clock) (:func:`sync.schema.row_digest`); a
person's digest is the sum of the shares of the rows of their file that exist, a scope's
the sum of its persons'. Counts see a row missing; digests also see a row the device holds
at another clock than the server (an edit it never received, a value restored from an older
copy). Clocks, not values, are hashed: a supervisor's device, which holds a withheld text
for sensitive notes, digests exactly like the referent's.

The device computes the same sums from its ``row_sync`` clocks (``sync.apply``); the scope
digest rides on the pull's last page with the counts, and per-person digests
(``GET /sync/digests``) say which files differ when the scope digest does not match.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Connection, and_, select

from sync.schema import DIGEST_TABLES, TABLES, add_digest, digest_text, row_digest, table_of
from sync.server.models import access, row_clock

Digests = dict[uuid.UUID, tuple[int, int]]
"""person → (rows, sum of the row shares)."""


def _scope(referent_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return select(access.c.person_id).where(
        access.c.referent_id == referent_id, access.c.to_seq.is_(None)
    )


def person_digests(
    connection: Connection,
    referent_id: uuid.UUID,
    person_ids: Iterable[uuid.UUID] | None = None,
) -> Digests:
    """The digest of every person in the user's current scope (or of those of them listed)."""
    scope = set(connection.execute(_scope(referent_id).distinct()).scalars())
    if person_ids is not None:
        scope &= set(person_ids)
    found: Digests = dict.fromkeys(scope, (0, 0))
    if not scope:
        return found
    in_scope = _scope(referent_id)
    for name in DIGEST_TABLES:
        table = table_of(name)
        key = table.c[TABLES[name].person_key or "id"]
        statement = (
            select(key, row_clock.c.row_id, row_clock.c.hlc)
            .select_from(
                table.join(
                    row_clock,
                    and_(row_clock.c.table_name == name, row_clock.c.row_id == table.c.id),
                )
            )
            .where(key.in_(in_scope))
        )
        for person_id, row_id, hlc in connection.execute(statement):
            if person_id not in found:
                continue
            rows, total = found[person_id]
            found[person_id] = (rows + 1, add_digest(total, row_digest(name, row_id.hex, hlc)))
    return found


def scope_digest(connection: Connection, referent_id: uuid.UUID) -> str:
    """The whole scope's digest, ``<rows>:<hex>``."""
    rows = total = 0
    for count, share in person_digests(connection, referent_id).values():
        rows += count
        total = add_digest(total, share)
    return digest_text(rows, total)
