"""Who sees which person (DESIGN §5 "Scope").

A referent sees the persons assigned to them; a supervisor sees, read-only, the persons
of their own team and of the teams they oversee (``supervision``); nobody receives
anyone else's. The ``access`` table keeps this as seq ranges: a row is opened by a
*grant* entry of the change log (the device then receives the person's whole history)
and closed by a *revoke* entry (the device pushes what it still holds, then purges).
A change-log entry about a person is visible to a user iff an access of that user to
that person was open at the entry's seq.
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)

from spie_desktop.domain.enums import Role
from sync.schema import PERSON_TABLES, PULLED_TABLES, REFERENCE_TABLES, table_of
from sync.server.changelog import LogEntry, Tx
from sync.server.models import access, account, change_log, supervision

_person = table_of("person")
_referent = table_of("referent")


def supervisors_of_team(connection: Connection, team_id: uuid.UUID) -> set[uuid.UUID]:
    own_team = (
        select(account.c.referent_id)
        .join(_referent, _referent.c.id == account.c.referent_id)
        .where(account.c.role == Role.SUPERVISOR.value, _referent.c.team_id == team_id)
    )
    overseen = (
        select(supervision.c.supervisor_id)
        .join(account, account.c.referent_id == supervision.c.supervisor_id)
        .where(supervision.c.team_id == team_id, account.c.role == Role.SUPERVISOR.value)
    )
    return set(connection.execute(union_all(own_team, overseen)).scalars())


def desired_access(connection: Connection, person_id: uuid.UUID) -> dict[uuid.UUID, bool]:
    """``{referent_id: can_write}`` of the users who should see this person now."""
    row = connection.execute(
        select(_person.c.referent_id, _team_of_person().label("team_id"))
        .select_from(_person.outerjoin(_referent, _referent.c.id == _person.c.referent_id))
        .where(_person.c.id == person_id)
    ).first()
    if row is None:
        return {}
    # A person nobody follows (imported without a referent) is still her team's: the
    # team's supervisors see her, read-only, to assign her; no referent does.
    desired: dict[uuid.UUID, bool] = {}
    if row.referent_id is not None:
        desired[row.referent_id] = True
    if row.team_id is not None:
        for supervisor in supervisors_of_team(connection, row.team_id):
            desired.setdefault(supervisor, False)
    return desired


def _team_of_person() -> ColumnElement[uuid.UUID | None]:
    """A person's team: her referent's (the referent may have changed teams since), else
    the team the server recorded on the person (``person.team_id``). Needs the person
    outer-joined to her referent."""
    return func.coalesce(_referent.c.team_id, _person.c.team_id)


def rescope(tx: Tx, person_id: uuid.UUID) -> None:
    """Open and close accesses so that they match :func:`desired_access`, with log entries."""
    desired = desired_access(tx.conn, person_id)
    open_rows = tx.conn.execute(
        select(access.c.id, access.c.referent_id, access.c.can_write).where(
            access.c.person_id == person_id, access.c.to_seq.is_(None)
        )
    ).all()
    current: dict[uuid.UUID, bool] = {}
    for row in open_rows:
        keep = desired.get(row.referent_id)
        if keep is None or keep != row.can_write or row.referent_id in current:
            _close(tx, row.id, row.referent_id, person_id)
        else:
            current[row.referent_id] = row.can_write
    for referent_id, can_write in desired.items():
        if referent_id not in current:
            _open(tx, referent_id, person_id, can_write)


def close_all(tx: Tx, person_id: uuid.UUID, entry: LogEntry) -> None:
    """Close every open access to the person at ``entry`` (a purge), without revokes."""
    rows = tx.conn.execute(
        select(access.c.id).where(access.c.person_id == person_id, access.c.to_seq.is_(None))
    ).scalars()
    for access_id in list(rows):
        tx.conn.execute(update(access).where(access.c.id == access_id).values(to_seq=-1))
        tx.access_closed(access_id, entry)


def _open(tx: Tx, referent_id: uuid.UUID, person_id: uuid.UUID, can_write: bool) -> None:
    access_id = uuid.uuid4()
    tx.conn.execute(
        insert(access).values(
            id=access_id,
            referent_id=referent_id,
            person_id=person_id,
            from_seq=-1,
            to_seq=None,
            can_write=can_write,
        )
    )
    entry = tx.add(
        LogEntry(
            kind="grant",
            person_id=person_id,
            audience_id=referent_id,
            fields={"read_only": not can_write},
        )
    )
    tx.access_opened(access_id, entry)


def _close(tx: Tx, access_id: uuid.UUID, referent_id: uuid.UUID, person_id: uuid.UUID) -> None:
    tx.conn.execute(update(access).where(access.c.id == access_id).values(to_seq=-1))
    entry = tx.add(LogEntry(kind="revoke", person_id=person_id, audience_id=referent_id))
    tx.access_closed(access_id, entry)


def persons_of_referents(connection: Connection, referent_ids: set[uuid.UUID]) -> list[uuid.UUID]:
    if not referent_ids:
        return []
    return list(
        connection.execute(
            select(_person.c.id).where(_person.c.referent_id.in_(referent_ids))
        ).scalars()
    )


def rescope_team(tx: Tx, team_id: uuid.UUID) -> int:
    """After a supervisor joins or leaves a team: rescope every person of the team."""
    members = set(
        tx.conn.execute(select(_referent.c.id).where(_referent.c.team_id == team_id)).scalars()
    )
    persons = persons_of_referents(tx.conn, members)
    # and those of the team that no referent follows
    persons += list(
        tx.conn.execute(
            select(_person.c.id).where(
                _person.c.referent_id.is_(None), _person.c.team_id == team_id
            )
        ).scalars()
    )
    for person_id in persons:
        rescope(tx, person_id)
    return len(persons)


# -- reading ---------------------------------------------------------------------------------


def ever_had_access(connection: Connection, referent_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    return (
        connection.execute(
            select(literal(1))
            .where(access.c.referent_id == referent_id, access.c.person_id == person_id)
            .limit(1)
        ).first()
        is not None
    )


def visible_condition(referent_id: uuid.UUID, device_id: str | None) -> ColumnElement[bool]:
    """Change-log entries a user's device may receive (its own changes excepted)."""
    cl = change_log.c
    a = access.alias("a")
    in_scope = exists(
        select(literal(1)).where(
            a.c.referent_id == referent_id,
            a.c.person_id == cl.person_id,
            a.c.from_seq < cl.seq,
            or_(a.c.to_seq.is_(None), a.c.to_seq >= cl.seq),
        )
    )
    condition = or_(
        and_(cl.kind == "change", cl.table_name.in_(REFERENCE_TABLES)),
        and_(cl.kind.in_(("grant", "revoke")), cl.audience_id == referent_id),
        and_(cl.kind == "change", cl.table_name.in_(PERSON_TABLES), in_scope),
        and_(cl.kind == "purge", in_scope),
    )
    if device_id is not None:
        # A value this device wrote was overwritten unseen: told to this device only.
        condition = or_(condition, and_(cl.kind == "conflict", cl.device_id == device_id))
        condition = and_(
            condition, or_(cl.kind != "change", cl.device_id.is_(None), cl.device_id != device_id)
        )
    return condition


def scope_person_ids(referent_id: uuid.UUID):  # type: ignore[no-untyped-def]
    """Subquery: the persons a user sees now (open accesses)."""
    return select(access.c.person_id).where(
        access.c.referent_id == referent_id, access.c.to_seq.is_(None)
    )


def scope_counts(connection: Connection, referent_id: uuid.UUID) -> dict[str, int]:
    """Live rows per pulled table in the user's current scope (one round trip)."""
    in_scope = scope_person_ids(referent_id)
    selects = []
    for name in PULLED_TABLES:
        table = table_of(name)
        statement = select(literal(name).label("t"), func.count().label("n")).select_from(table)
        statement = statement.where(table.c.deleted_at.is_(None))
        if name == "person":
            statement = statement.where(table.c.id.in_(in_scope))
        elif name in PERSON_TABLES:
            statement = statement.where(table.c.person_id.in_(in_scope))
        selects.append(statement)
    return {str(row[0]): int(row[1]) for row in connection.execute(union_all(*selects))}
