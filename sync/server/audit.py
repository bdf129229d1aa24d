"""The team's audit log for its supervisor (issue 15, What 5): ``GET /audit/events``.

The audit log travels only up (devices push their ``audit_event`` lines; nobody pulls
them), so a supervisor reads it from the server. Her scope is the one she already holds on
her device: the lines about the persons she sees now (an open ``access``), and the lines
about no one (a team export…) written by a member of a team she oversees (her own, and
those of ``supervision``). A referent or an administrator's device is refused
(``supervisor_only``); a person she does not see is refused like an unknown one
(``out_of_scope``, nothing told about its existence); a team she does not oversee,
``team_out_of_scope``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Connection, Engine, and_, or_, select, union

from spie_desktop.domain.deadlines import PARIS
from spie_desktop.domain.enums import Role
from sync.protocol import AuditEntry, AuditPage, ErrorCode
from sync.schema import table_of
from sync.server.auth import normalise_username
from sync.server.db import read_tx
from sync.server.errors import ApiError
from sync.server.merge import Actor
from sync.server.models import access, supervision
from sync.server.settings import ServerSettings

_audit = table_of("audit_event")
_person = table_of("person")
_referent = table_of("referent")


@dataclass(frozen=True)
class AuditQuery:
    person_id: uuid.UUID | None = None
    username: str | None = None
    action: str | None = None
    since: date | None = None  # a Paris day, inclusive
    until: date | None = None  # a Paris day, inclusive
    team_id: uuid.UUID | None = None
    limit: int = 500


def _paris_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=PARIS)


def overseen_teams(connection: Connection, supervisor_id: uuid.UUID) -> set[uuid.UUID]:
    """The supervisor's own team and the teams she oversees."""
    own = select(_referent.c.team_id).where(
        _referent.c.id == supervisor_id, _referent.c.team_id.is_not(None)
    )
    others = select(supervision.c.team_id).where(supervision.c.supervisor_id == supervisor_id)
    return {uuid.UUID(str(team)) for team in connection.execute(union(own, others)).scalars()}


def team_events(
    engine: Engine, settings: ServerSettings, actor: Actor, query: AuditQuery
) -> AuditPage:
    """The audit lines of the supervisor's scope matching ``query``, newest first."""
    if actor.is_server or actor.role != Role.SUPERVISOR.value or actor.referent_id is None:
        raise ApiError(403, ErrorCode.SUPERVISOR_ONLY)
    if query.since and query.until and query.since > query.until:
        raise ApiError(
            422,
            ErrorCode.INVALID_REQUEST,
            detail="la date de début est après la date de fin",
            field="since",
        )
    with read_tx(engine) as connection:
        teams = overseen_teams(connection, actor.referent_id)
        if query.team_id is not None:
            if query.team_id not in teams:
                raise ApiError(403, ErrorCode.TEAM_OUT_OF_SCOPE)
            teams = {query.team_id}
        seen = select(access.c.person_id).where(
            access.c.referent_id == actor.referent_id, access.c.to_seq.is_(None)
        )
        if query.person_id is not None:
            visible = connection.execute(seen.where(access.c.person_id == query.person_id)).first()
            if visible is None:  # unknown and out of scope: the same answer
                raise ApiError(403, ErrorCode.OUT_OF_SCOPE, field="person")
        author = _referent.alias("author")
        followed_by = _referent.alias("followed_by")
        person_scope: ColumnElement[bool] = _audit.c.person_id.in_(seen)
        if query.team_id is not None:
            person_scope = and_(person_scope, followed_by.c.team_id == query.team_id)
        statement = (
            select(
                _audit.c.id,
                _audit.c.occurred_at,
                _audit.c.action,
                _audit.c.person_id,
                _person.c.last_name,
                _person.c.first_name,
                _audit.c.actor_id,
                author.c.username,
                author.c.first_name.label("author_first"),
                author.c.last_name.label("author_last"),
                _audit.c.device_id,
                _audit.c.detail,
            )
            .select_from(
                _audit.outerjoin(author, author.c.id == _audit.c.actor_id)
                .outerjoin(_person, _person.c.id == _audit.c.person_id)
                .outerjoin(followed_by, followed_by.c.id == _person.c.referent_id)
            )
            .where(
                or_(
                    person_scope,
                    and_(_audit.c.person_id.is_(None), author.c.team_id.in_(list(teams))),
                )
            )
            .order_by(_audit.c.occurred_at.desc(), _audit.c.id.desc())
            .limit(query.limit + 1)
        )
        if query.person_id is not None:
            statement = statement.where(_audit.c.person_id == query.person_id)
        if query.username:
            statement = statement.where(author.c.username == normalise_username(query.username))
        if query.action:
            statement = statement.where(_audit.c.action == query.action)
        if query.since:
            statement = statement.where(_audit.c.occurred_at >= _paris_start(query.since))
        if query.until:
            end = _paris_start(query.until + timedelta(days=1))
            statement = statement.where(_audit.c.occurred_at < end)
        rows = connection.execute(statement).all()
    entries = [
        AuditEntry(
            id=row.id,
            occurred_at=row.occurred_at,
            action=row.action,
            person_id=row.person_id,
            person_name=f"{row.last_name} {row.first_name}" if row.last_name else None,
            actor_id=row.actor_id,
            actor_username=row.username,
            actor_name=f"{row.author_first} {row.author_last}" if row.username else None,
            device_id=row.device_id,
            detail=row.detail,
        )
        for row in rows[: query.limit]
    ]
    return AuditPage(entries=entries, truncated=len(rows) > query.limit, server_time=settings.now())
