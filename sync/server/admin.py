"""Administration of the departmental server (the ``spie-server admin`` commands).

Every change to a synced table goes through the same merge as a device push (with the
server's own HLC node), so it is logged, numbered, scoped and reaches the right devices.
"""

from __future__ import annotations

import getpass
import io
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, delete, insert, or_, select, update

from spie_desktop.domain.department_settings import (
    LABELS,
    LOGO_MAX_BYTES,
    SETTING_KEYS,
    display_value,
    parse_text_value,
)
from spie_desktop.domain.enums import FollowUpStatus, Role
from spie_desktop.domain.tabular import csv_writer
from spie_desktop.errors import SpieError, ValidationError
from spie_desktop.ids import new_id
from sync.protocol import REVOKE_KINDS, REVOKE_LOST, REVOKE_RETIRED, ErrorCode
from sync.schema import PERSON_TABLES, table_of
from sync.server import department, migrate
from sync.server.auth import clear_throttle, hash_password, normalise_username
from sync.server.changelog import LogEntry, Tx
from sync.server.db import make_engine, read_tx, write_tx
from sync.server.digest import (
    differing_person_digests,
    drop_person_digest,
    repair_person_digests,
)
from sync.server.errors import ApiError
from sync.server.handover import hand_over
from sync.server.merge import SERVER_ACTOR, Incoming, Merger, Outcome
from sync.server.models import (
    account,
    admin_log,
    change_log,
    device,
    purged_person,
    purged_row,
    refresh_token,
    row_clock,
    supervision,
)
from sync.server.scope import close_all, rescope, rescope_team
from sync.server.settings import ServerSettings
from sync.server.tombstone import parse_time, sign, time_text, tombstone_key, verify

_person = table_of("person")
_referent = table_of("referent")
_team = table_of("team")
_structure = table_of("structure")
_assignment = table_of("referent_assignment")
_audit = table_of("audit_event")
_erasure = table_of("erasure_request")

DEFAULT_RETENTION_MONTHS = 24
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AdminError(SpieError):
    """A refused administrative action, with a machine code and a French message."""

    code = "admin_error"

    def __init__(self, message: str, code: str = "admin_error") -> None:
        super().__init__(message, code=code)


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


@dataclass
class Session:
    """One administrative transaction: a :class:`Tx` and a server-side merger."""

    tx: Tx
    merger: Merger
    actor: str

    @property
    def conn(self) -> Any:
        return self.tx.conn

    def write(self, table: str, row_id: uuid.UUID, values: dict[str, Any]) -> Outcome:
        hlc = self.tx.server_hlc()
        change = Incoming(
            change_id=new_id(),
            table=table,
            row_id=row_id,
            op="delete" if values.get("deleted_at") else "upsert",
            values=values,
            hlc=hlc,
            content_hash=None,
            effective_hlc=hlc,
        )
        outcome = self.merger.apply(change)
        if outcome.status == "refused":
            raise AdminError(
                f"Écriture refusée sur {table} : {outcome.code} ({outcome.detail or ''}).",
                code=outcome.code or "refused",
            )
        return outcome

    def log(self, action: str, target: str | None, detail: str | None = None) -> None:
        self.conn.execute(
            insert(admin_log).values(
                id=uuid.uuid4(),
                occurred_at=self.tx.now,
                actor=self.actor,
                action=action,
                target=target,
                detail=detail,
            )
        )


@dataclass
class ImportProblem:
    line: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    encoding: str = "utf-8"


@dataclass(frozen=True)
class ErasureRequestView:
    """One erasure request as the administration lists it."""

    id: uuid.UUID
    person_id: uuid.UUID
    person: str
    requested_at: datetime
    requested_by: str
    reason: str
    status: str
    decided_at: datetime | None
    decision_note: str | None


@dataclass(frozen=True)
class AuditLine:
    """One line of the audit log (a device's event or an administrative action)."""

    occurred_at: datetime
    source: str  # appareil, serveur, administration
    actor: str
    device_id: str
    person_id: uuid.UUID | None
    action: str
    detail: str


@dataclass
class PurgeReport:
    persons: list[uuid.UUID] = field(default_factory=list)
    cutoff: date | None = None
    dry_run: bool = False


class Admin:
    def __init__(
        self,
        engine: Engine,
        settings: ServerSettings,
        *,
        actor: str | None = None,
        migrate_schema: bool = True,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.actor = actor or _os_user()
        if migrate_schema:
            migrate.upgrade(engine)

    @classmethod
    def open(cls, settings: ServerSettings, **kwargs: Any) -> Admin:
        return cls(
            make_engine(settings.database_url, pool_size=2, max_overflow=4), settings, **kwargs
        )

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with write_tx(self.engine) as connection:
            tx = Tx(connection, self.settings.now())
            yield Session(tx=tx, merger=Merger(tx, SERVER_ACTOR), actor=self.actor)
            tx.flush()

    # -- lookups -------------------------------------------------------------------------

    def _referent_id(self, s: Session, username: str) -> uuid.UUID:
        found = s.conn.execute(
            select(_referent.c.id).where(_referent.c.username == normalise_username(username))
        ).scalar_one_or_none()
        if found is None:
            raise AdminError(f"Utilisateur inconnu : « {username} ».", "unknown_user")
        return uuid.UUID(str(found))

    def team_id(self, s: Session, name: str) -> uuid.UUID:
        try:
            by_id = uuid.UUID(name)
        except ValueError:
            by_id = None
        condition = _team.c.id == by_id if by_id else _team.c.name == name
        found = (
            s.conn.execute(select(_team.c.id).where(condition, _team.c.deleted_at.is_(None)))
            .scalars()
            .all()
        )
        if not found:
            raise AdminError(f"Équipe inconnue : « {name} ».", "unknown_team")
        if len(found) > 1:
            raise AdminError(
                f"Plusieurs équipes s'appellent « {name} » : donnez l'identifiant.",
                "ambiguous_team",
            )
        return uuid.UUID(str(found[0]))

    def _person_id(self, s: Session, reference: str) -> uuid.UUID:
        try:
            by_id: uuid.UUID | None = uuid.UUID(reference)
        except ValueError:
            by_id = None
        condition = _person.c.id == by_id if by_id else _person.c.external_id == reference
        found = s.conn.execute(
            select(_person.c.id).where(condition, _person.c.deleted_at.is_(None))
        ).scalar_one_or_none()
        if found is None:
            raise AdminError(f"Personne inconnue : « {reference} ».", "unknown_person")
        return uuid.UUID(str(found))

    # -- structures and teams ------------------------------------------------------------

    def create_structure(self, name: str, **values: Any) -> uuid.UUID:
        structure_id = new_id()
        with self.session() as s:
            s.write("structure", structure_id, {"name": name, **values})
            s.log("structure.create", name)
        return structure_id

    def create_team(self, name: str, structure: str | None = None) -> uuid.UUID:
        name = name.strip()
        if not name:
            raise AdminError("Nom d'équipe vide.", "invalid_value")
        team_id = new_id()
        with self.session() as s:
            structure_id = None
            if structure:
                structure_id = s.conn.execute(
                    select(_structure.c.id).where(_structure.c.name == structure)
                ).scalar_one_or_none()
                if structure_id is None:
                    structure_id = new_id()
                    s.write("structure", structure_id, {"name": structure})
            s.write("team", team_id, {"name": name, "structure_id": structure_id})
            s.log("team.create", name)
        return team_id

    def list_teams(self) -> list[dict[str, Any]]:
        with read_tx(self.engine) as connection:
            teams = connection.execute(
                select(_team.c.id, _team.c.name)
                .where(_team.c.deleted_at.is_(None))
                .order_by(_team.c.name)
            ).all()
            result = []
            for team in teams:
                members = connection.execute(
                    select(_referent.c.username, _referent.c.role)
                    .where(_referent.c.team_id == team.id)
                    .order_by(_referent.c.username)
                ).all()
                overseen = (
                    connection.execute(
                        select(_referent.c.username)
                        .join(supervision, supervision.c.supervisor_id == _referent.c.id)
                        .where(supervision.c.team_id == team.id)
                    )
                    .scalars()
                    .all()
                )
                result.append(
                    {
                        "id": str(team.id),
                        "name": team.name,
                        "members": [f"{m.username} ({m.role})" for m in members],
                        "supervised_by": list(overseen),
                    }
                )
        return result

    def supervise(self, supervisor: str, team: str, *, remove: bool = False) -> int:
        """Let a supervisor oversee (read-only) another team; returns persons rescoped."""
        with self.session() as s:
            supervisor_id = self._referent_id(s, supervisor)
            role = s.conn.execute(
                select(account.c.role).where(account.c.referent_id == supervisor_id)
            ).scalar_one_or_none()
            if role != Role.SUPERVISOR.value:
                raise AdminError(
                    f"« {supervisor} » n'est pas responsable d'équipe.", "not_supervisor"
                )
            team_id = self.team_id(s, team)
            exists_row = s.conn.execute(
                select(supervision.c.team_id).where(
                    supervision.c.supervisor_id == supervisor_id, supervision.c.team_id == team_id
                )
            ).first()
            if remove and exists_row:
                s.conn.execute(
                    delete(supervision).where(
                        supervision.c.supervisor_id == supervisor_id,
                        supervision.c.team_id == team_id,
                    )
                )
            elif not remove and not exists_row:
                s.conn.execute(
                    insert(supervision).values(supervisor_id=supervisor_id, team_id=team_id)
                )
            s.log("team.supervise" if not remove else "team.unsupervise", team, supervisor)
            return rescope_team(s.tx, team_id)

    # -- users ---------------------------------------------------------------------------

    def create_user(
        self,
        username: str,
        *,
        first_name: str,
        last_name: str,
        role: str = Role.REFERENT.value,
        team: str | None = None,
        password: str | None = None,
        email: str | None = None,
    ) -> tuple[uuid.UUID, str]:
        """Create a referent row and its account; returns (referent id, password)."""
        username = normalise_username(username)
        if not username or len(username) > 100 or any(c.isspace() for c in username):
            raise AdminError(
                "Identifiant invalide (pas d'espace, 100 caractères au plus).", "invalid_value"
            )
        if role not in {r.value for r in Role}:
            raise AdminError(
                f"Rôle inconnu : « {role} » (referent, supervisor, admin).", "unknown_code"
            )
        password = password or generate_password()
        if len(password) < 8:
            raise AdminError("Mot de passe trop court (8 caractères au moins).", "invalid_value")
        password_hash = hash_password(self.settings, password)
        referent_id = new_id()
        with self.session() as s:
            if (
                s.conn.execute(select(account.c.id).where(account.c.username == username)).first()
                or s.conn.execute(
                    select(_referent.c.id).where(_referent.c.username == username)
                ).first()
            ):
                raise AdminError(f"L'identifiant « {username} » existe déjà.", "user_exists")
            team_id = self.team_id(s, team) if team else None
            s.write(
                "referent",
                referent_id,
                {
                    "username": username,
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": email,
                    "role": role,
                    "team_id": team_id,
                    "active": True,
                },
            )
            s.conn.execute(
                insert(account).values(
                    id=uuid.uuid4(),
                    referent_id=referent_id,
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    active=True,
                    created_at=s.tx.now,
                    password_changed_at=s.tx.now,
                    failed_logins=0,
                )
            )
            if role == Role.SUPERVISOR.value and team_id is not None:
                rescope_team(s.tx, team_id)
            s.log("user.create", username, role)
        return referent_id, password

    def list_users(self) -> list[dict[str, Any]]:
        with read_tx(self.engine) as connection:
            rows = connection.execute(
                select(
                    account.c.username,
                    account.c.role,
                    account.c.active,
                    _referent.c.first_name,
                    _referent.c.last_name,
                    _team.c.name.label("team"),
                )
                .select_from(
                    account.join(_referent, _referent.c.id == account.c.referent_id).outerjoin(
                        _team, _team.c.id == _referent.c.team_id
                    )
                )
                .order_by(account.c.username)
            ).all()
        return [dict(row._mapping) for row in rows]

    def set_active(self, username: str, active: bool) -> None:
        with self.session() as s:
            referent_id = self._referent_id(s, username)
            s.conn.execute(
                update(account).where(account.c.referent_id == referent_id).values(active=active)
            )
            s.write("referent", referent_id, {"active": active})
            if not active:
                _revoke_refresh_tokens(s, referent_id)
            s.log("user.enable" if active else "user.disable", username)

    def reset_password(self, username: str, password: str | None = None) -> str:
        password = password or generate_password()
        if len(password) < 8:
            raise AdminError("Mot de passe trop court (8 caractères au moins).", "invalid_value")
        password_hash = hash_password(self.settings, password)
        with self.session() as s:
            referent_id = self._referent_id(s, username)
            s.conn.execute(
                update(account)
                .where(account.c.referent_id == referent_id)
                .values(
                    password_hash=password_hash,
                    password_changed_at=s.tx.now,
                    failed_logins=0,
                    locked_until=None,
                )
            )
            # Every device must log in again with the new password.
            _revoke_refresh_tokens(s, referent_id)
            clear_throttle(s.conn, username)
            s.log("user.reset_password", username)
        return password

    # -- persons -------------------------------------------------------------------------

    def create_person(
        self,
        values: dict[str, Any],
        referent: str | None = None,
        *,
        team: str | None = None,
        s: Session | None = None,
    ) -> uuid.UUID:
        """A new person (server side), assigned to ``referent`` if given; she belongs to
        the referent's team, or without a referent to ``team`` (her supervisor's queue)."""
        if s is None:
            with self.session() as session:
                return self.create_person(values, referent, team=team, s=session)
        person_id = new_id()
        referent_id = self._referent_id(s, referent) if referent else None
        team_id = self.team_id(s, team) if team else None
        if referent_id is not None:
            own = s.conn.execute(
                select(_referent.c.team_id).where(_referent.c.id == referent_id)
            ).scalar_one_or_none()
            if team_id is not None and own != team_id:
                raise AdminError(
                    f"« {referent} » n'est pas de l'équipe « {team} ».", "team_mismatch"
                )
            team_id = own
        fields = {"follow_up_status": FollowUpStatus.TO_CONTACT.value, **values}
        fields["referent_id"] = referent_id
        fields["team_id"] = team_id
        s.write("person", person_id, fields)
        if referent_id is not None:
            s.write(
                "referent_assignment",
                new_id(),
                {
                    "person_id": person_id,
                    "referent_id": referent_id,
                    "started_at": s.tx.now,
                    "handover_note": None,
                },
            )
        return person_id

    def assign(self, person: str, referent: str, note: str | None = None) -> uuid.UUID:
        """Hand a person over to ``referent`` (passation): the history follows them.

        The same use-case as a device's handover (:func:`sync.server.handover.hand_over`),
        decided by the administration (any team).
        """
        with self.session() as s:
            person_id = self._person_id(s, person)
            referent_id = self._referent_id(s, referent)
            try:
                result = hand_over(
                    s.tx, SERVER_ACTOR, person_id, referent_id, note, label=self.actor
                )
            except ApiError as exc:
                if exc.code == ErrorCode.INVALID_HANDOVER_TARGET:
                    raise AdminError(
                        f"« {referent} » n'est pas un référent actif : passation impossible.",
                        "inactive_user",
                    ) from None
                raise AdminError(exc.message, exc.code) from None
            s.log("person.assign", str(person_id), referent)
        return result.assignment_id

    # -- devices -------------------------------------------------------------------------

    def list_devices(self) -> list[dict[str, Any]]:
        with read_tx(self.engine) as connection:
            rows = connection.execute(
                select(
                    device.c.id,
                    device.c.name,
                    account.c.username,
                    device.c.last_seen_at,
                    device.c.clock_skew_ms,
                    device.c.revoked_at,
                    device.c.revoke_kind,
                    device.c.wiped_at,
                    device.c.unsent_destroyed,
                )
                .select_from(device.join(account, account.c.id == device.c.account_id))
                .order_by(account.c.username, device.c.created_at)
            ).all()
        return [dict(row._mapping) for row in rows]

    def revoke_device(
        self, device_id: str, reason: str | None = None, *, kind: str = REVOKE_LOST
    ) -> None:
        """Revoke a device; it wipes its store when the server tells it to.

        ``lost`` (lost or stolen; ``stolen`` is taken as a synonym): every request is refused
        at once with ``device_revoked``; what the device had not pushed is destroyed, and the
        count it announces is recorded. ``retired``: its sessions stay open for one final
        push; its first other request is refused and it wipes. Revoking a retired device
        again as lost refuses it at once."""
        kind = REVOKE_LOST if kind == "stolen" else kind
        if kind not in REVOKE_KINDS:
            raise AdminError(
                f"Type de révocation inconnu : « {kind} » (perdu ou volé : lost ; retiré du "
                "service : retired).",
                "unknown_revoke_kind",
            )
        with self.session() as s:
            found = s.conn.execute(
                select(device.c.id, device.c.revoked_at, device.c.revoke_kind).where(
                    device.c.id == device_id
                )
            ).first()
            if found is None:
                raise AdminError(f"Appareil inconnu : « {device_id} ».", "unknown_device")
            if found.revoked_at is None:
                s.conn.execute(
                    update(device)
                    .where(device.c.id == device_id)
                    .values(
                        revoked_at=s.tx.now,
                        revoked_reason=(reason or "")[:255] or None,
                        revoke_kind=kind,
                    )
                )
            elif kind == REVOKE_LOST and found.revoke_kind == REVOKE_RETIRED:
                # A retired laptop found stolen before its final push: refused at once.
                s.conn.execute(
                    update(device).where(device.c.id == device_id).values(revoke_kind=kind)
                )
            if kind == REVOKE_LOST:
                s.conn.execute(
                    update(refresh_token)
                    .where(
                        refresh_token.c.device_id == device_id, refresh_token.c.revoked_at.is_(None)
                    )
                    .values(revoked_at=s.tx.now)
                )
            s.log("device.revoke", device_id, f"{kind}: {reason}" if reason else kind)

    # -- CSV import ----------------------------------------------------------------------

    def import_csv(
        self, path: Path | str, *, referent: str | None = None, team: str | None = None
    ) -> ImportReport:
        from sync.server.importer import import_persons

        return import_persons(self, Path(path), default_referent=referent, default_team=team)

    # -- retention purge -----------------------------------------------------------------

    def purge(
        self,
        *,
        retention_months: int | None = None,
        today: date | None = None,
        dry_run: bool = False,
    ) -> PurgeReport:
        """Remove persons whose accompaniment ended more than ``retention_months`` ago
        (``None``: the department setting ``retention_months``, 24 by default), with their
        whole history, here and on every device (purge tombstones)."""
        if retention_months is None:
            retention_months = department.load(self.engine, self.settings).values.retention_months
        if retention_months < 1:
            raise AdminError("Durée de conservation invalide (1 mois au moins).", "invalid_value")
        today = today or self.settings.now().date()
        cutoff = _months_before(today, retention_months)
        report = PurgeReport(cutoff=cutoff, dry_run=dry_run)
        with read_tx(self.engine) as connection:
            report.persons = list(
                connection.execute(
                    select(_person.c.id).where(
                        or_(
                            and_(
                                _person.c.follow_up_status == FollowUpStatus.EXITED.value,
                                _person.c.closed_on < cutoff,
                            ),
                            and_(
                                _person.c.deleted_at.is_not(None),
                                _person.c.deleted_at
                                < datetime.combine(cutoff, datetime.min.time(), tzinfo=UTC),
                            ),
                        )
                    )
                ).scalars()
            )
        if dry_run:
            return report
        for start in range(0, len(report.persons), 200):
            with self.session() as s:
                for person_id in report.persons[start : start + 200]:
                    purge_person(s, person_id, reason=f"retention:{retention_months}m")
                s.log(
                    "purge",
                    f"{len(report.persons[start : start + 200])} personnes",
                    f"avant le {cutoff.isoformat()}",
                )
        return report

    # -- department settings ---------------------------------------------------------------

    def settings_list(self) -> list[dict[str, Any]]:
        """Every department setting with its value, and whether it was set or is a default."""
        state = department.load(self.engine, self.settings)
        rows: list[dict[str, Any]] = []
        for key in SETTING_KEYS:
            value = getattr(state.values, key)
            origin = "réglé" if key in state.set_keys else "défaut"
            if key in department.ENV_KEYS and key not in state.set_keys:
                origin = f"environnement (SPIE_SERVER_{key.upper()})"
            rows.append(
                {
                    "key": key,
                    "value": display_value(key, value),
                    "origin": origin,
                    "label": LABELS[key],
                }
            )
        logo = state.logo
        rows.append(
            {
                "key": department.LOGO_KEY,
                "value": f"{logo.media_type}, {len(logo.data)} octets" if logo else "—",
                "origin": "réglé" if logo else "défaut",
                "label": "Logo des courriers",
            }
        )
        return rows

    def settings_version(self) -> int:
        return department.head(self.engine)

    def set_setting(self, key: str, raw: str) -> tuple[Any, Any, int]:
        """Set one department setting from its text; refused (French) before anything is
        written when the key is unknown or the value out of its rules."""
        try:
            value = parse_text_value(key, raw)
            return department.set_value(self.engine, self.settings, key, value, self.actor)
        except ValidationError as exc:
            raise AdminError(exc.message, "invalid_setting") from None

    def set_logo(self, path: Path | None) -> tuple[department.Logo | None, int]:
        """The letters' logo from a PNG or SVG file (``None``: back to the shipped logo)."""
        data = None
        if path is not None:
            try:
                size = path.stat().st_size
                if size > LOGO_MAX_BYTES:
                    raise AdminError(
                        f"Réglage du département refusé : le logo pèse {size // 1024} Kio, "
                        f"{LOGO_MAX_BYTES // 1024} Kio au plus.",
                        "invalid_setting",
                    )
                data = path.read_bytes()
            except OSError as exc:
                raise AdminError(
                    f"Fichier illisible : {path} ({exc.strerror or exc}).", "unreadable_file"
                ) from None
        try:
            return department.set_logo(self.engine, self.settings, data, self.actor)
        except ValidationError as exc:
            raise AdminError(exc.message, "invalid_setting") from None

    def erase_person(self, person: str) -> uuid.UUID:
        """GDPR erasure of one person, propagated like a retention purge."""
        with self.session() as s:
            person_id = self._person_id(s, person)
            purge_person(s, person_id, reason="erasure")
            s.log("person.erase", str(person_id))
        return person_id

    # -- erasure requests (GDPR art. 17) ---------------------------------------------------

    def list_erasure_requests(self, *, all_statuses: bool = False) -> list[ErasureRequestView]:
        """The requests waiting for a decision (``all_statuses``: the refused ones too)."""
        requester = _referent.alias("requester")
        statement = (
            select(
                _erasure,
                _person.c.first_name,
                _person.c.last_name,
                _person.c.external_id,
                requester.c.username,
            )
            .select_from(
                _erasure.outerjoin(_person, _person.c.id == _erasure.c.person_id).outerjoin(
                    requester, requester.c.id == _erasure.c.requested_by_id
                )
            )
            .where(_erasure.c.deleted_at.is_(None))
            .order_by(_erasure.c.requested_at, _erasure.c.id)
        )
        if not all_statuses:
            statement = statement.where(_erasure.c.status == "requested")
        with read_tx(self.engine) as connection:
            rows = connection.execute(statement).all()
        return [
            ErasureRequestView(
                id=uuid.UUID(str(row.id)),
                person_id=uuid.UUID(str(row.person_id)),
                person=" ".join(
                    filter(None, (row.last_name, row.first_name, _bracketed(row.external_id)))
                ),
                requested_at=row.requested_at,
                requested_by=row.username or "",
                reason=row.reason,
                status=row.status,
                decided_at=row.decided_at,
                decision_note=row.decision_note,
            )
            for row in rows
        ]

    def decide_erasure(
        self, request: str, *, approve: bool, reason: str | None = None
    ) -> uuid.UUID:
        """Approve (the person is erased here and on every device, with the history) or
        refuse (the devices of the scope receive the decision) one request.

        The decision is recorded in the administration log: request, person's id, who asked
        and when, who decided, the administrator's reason. The person's data and the
        request's own text go with the person (they may hold personal data)."""
        note = (reason or "").strip()
        if any(ord(c) < 32 for c in note) or len(note) > 255:
            raise AdminError("Motif invalide (une ligne, 255 caractères au plus).", "invalid_value")
        if not approve and not note:
            raise AdminError("Un refus doit être motivé (--reason).", "reason_required")
        try:
            request_id = uuid.UUID(request)
        except ValueError:
            raise AdminError(
                f"Demande d'effacement inconnue : « {request} ».", "unknown_erasure_request"
            ) from None
        with self.session() as s:
            found = s.conn.execute(
                select(
                    _erasure.c.person_id,
                    _erasure.c.status,
                    _erasure.c.requested_at,
                    _referent.c.username,
                )
                .select_from(
                    _erasure.outerjoin(_referent, _referent.c.id == _erasure.c.requested_by_id)
                )
                .where(_erasure.c.id == request_id, _erasure.c.deleted_at.is_(None))
            ).first()
            if found is None:
                raise AdminError(
                    f"Demande d'effacement inconnue : « {request} ».", "unknown_erasure_request"
                )
            if found.status != "requested":
                raise AdminError(
                    f"Cette demande est déjà décidée ({found.status}).", "erasure_already_decided"
                )
            person_id = uuid.UUID(str(found.person_id))
            asked = (
                f"personne {person_id} ; demandée par {found.username or '?'} "
                f"le {found.requested_at.date().isoformat()}"
            )
            if approve:
                purge_person(s, person_id, reason="erasure")
                s.log("erasure.approve", str(request_id), f"{asked} ; motif : {note or '-'}")
            else:
                s.write(
                    "erasure_request",
                    request_id,
                    {"status": "refused", "decided_at": s.tx.now, "decision_note": note},
                )
                s.log("erasure.refuse", str(request_id), f"{asked} ; motif : {note}")
        return person_id

    # -- kept digests (issue 10) ---------------------------------------------------------

    def check_digests(self) -> list[uuid.UUID]:
        """The persons whose kept digest differs from a computation from their rows (SQL
        written by hand behind the server is not seen by the devices until they are
        rebuilt); read in one snapshot, nothing written."""
        with read_tx(self.engine) as connection:
            return differing_person_digests(connection)

    def rebuild_digests(self) -> list[uuid.UUID]:
        """Compute the kept digests again from the rows and write those that differ; the
        devices whose copy of these files differs then repair it at their next sync."""
        with self.session() as s:
            changed = repair_person_digests(s.conn)
            s.log("digests.rebuild", f"{len(changed)} personnes", _ids(changed))
        return changed

    # -- audit ---------------------------------------------------------------------------

    def audit_list(
        self,
        *,
        person: str | None = None,
        actor: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 500,
    ) -> list[AuditLine]:
        """The audit log, newest first: device events (who opened, changed, printed,
        exported, revealed which file) and the administration's actions, filtered by
        person (UUID or external id; an erased person by her UUID), by actor (an account's
        username, or an administrator's name) and by day (inclusive, UTC)."""
        start = datetime.combine(since, datetime.min.time(), tzinfo=UTC) if since else None
        end = datetime.combine(until, datetime.max.time(), tzinfo=UTC) if until else None
        with read_tx(self.engine) as connection:
            person_id: uuid.UUID | None = None
            if person is not None:
                try:
                    person_id = uuid.UUID(person)
                except ValueError:
                    found = connection.execute(
                        select(_person.c.id).where(_person.c.external_id == person)
                    ).scalar_one_or_none()
                    if found is None:
                        raise AdminError(
                            f"Personne inconnue : « {person} ».", "unknown_person"
                        ) from None
                    person_id = uuid.UUID(str(found))
            events = (
                select(
                    _audit.c.occurred_at,
                    _referent.c.username,
                    _audit.c.device_id,
                    _audit.c.person_id,
                    _audit.c.action,
                    _audit.c.detail,
                )
                .select_from(_audit.outerjoin(_referent, _referent.c.id == _audit.c.actor_id))
                .order_by(_audit.c.occurred_at.desc(), _audit.c.id.desc())
                .limit(limit)
            )
            admin_rows = (
                select(admin_log)
                .order_by(admin_log.c.occurred_at.desc(), admin_log.c.id.desc())
                .limit(limit)
            )
            if person_id is not None:
                events = events.where(_audit.c.person_id == person_id)
                admin_rows = admin_rows.where(
                    or_(
                        admin_log.c.target == str(person_id),
                        admin_log.c.detail.contains(str(person_id), autoescape=True),
                    )
                )
            if actor is not None:
                events = events.where(_referent.c.username == normalise_username(actor))
                admin_rows = admin_rows.where(admin_log.c.actor == actor)
            if start:
                events = events.where(_audit.c.occurred_at >= start)
                admin_rows = admin_rows.where(admin_log.c.occurred_at >= start)
            if end:
                events = events.where(_audit.c.occurred_at <= end)
                admin_rows = admin_rows.where(admin_log.c.occurred_at <= end)
            lines = [
                AuditLine(
                    occurred_at=row.occurred_at,
                    source="appareil" if row.device_id else "serveur",
                    actor=row.username or "",
                    device_id=row.device_id or "",
                    person_id=uuid.UUID(str(row.person_id)) if row.person_id else None,
                    action=row.action,
                    detail=row.detail or "",
                )
                for row in connection.execute(events)
            ]
            lines += [
                AuditLine(
                    occurred_at=row.occurred_at,
                    source="administration",
                    actor=row.actor,
                    device_id="",
                    person_id=person_id,
                    action=row.action,
                    detail=" ".join(filter(None, (row.target, row.detail))),
                )
                for row in connection.execute(admin_rows)
            ]
        lines.sort(key=lambda line: line.occurred_at, reverse=True)
        return lines[:limit]

    def audit_export(
        self, out: io.TextIOBase | Any, *, since: date | None = None, until: date | None = None
    ) -> int:
        """Write the audit log (device events and administration) as ';'-separated CSV."""
        writer = csv_writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(
            ["occurred_at", "source", "actor", "device_id", "person_id", "action", "detail"]
        )
        count = 0
        start = datetime.combine(since, datetime.min.time(), tzinfo=UTC) if since else None
        end = datetime.combine(until, datetime.max.time(), tzinfo=UTC) if until else None
        with read_tx(self.engine) as connection:
            statement = (
                select(
                    _audit.c.occurred_at,
                    _referent.c.username,
                    _audit.c.device_id,
                    _audit.c.person_id,
                    _audit.c.action,
                    _audit.c.detail,
                )
                .select_from(_audit.outerjoin(_referent, _referent.c.id == _audit.c.actor_id))
                .order_by(_audit.c.occurred_at, _audit.c.id)
            )
            if start:
                statement = statement.where(_audit.c.occurred_at >= start)
            if end:
                statement = statement.where(_audit.c.occurred_at <= end)
            for row in connection.execute(statement):
                writer.writerow(
                    [
                        row.occurred_at.isoformat(),
                        "appareil" if row.device_id else "serveur",
                        row.username or "",
                        row.device_id or "",
                        str(row.person_id) if row.person_id else "",
                        row.action,
                        row.detail or "",
                    ]
                )
                count += 1
            statement = select(admin_log).order_by(admin_log.c.occurred_at, admin_log.c.id)
            if start:
                statement = statement.where(admin_log.c.occurred_at >= start)
            if end:
                statement = statement.where(admin_log.c.occurred_at <= end)
            for row in connection.execute(statement):
                writer.writerow(
                    [
                        row.occurred_at.isoformat(),
                        "administration",
                        row.actor,
                        "",
                        "",
                        row.action,
                        " ".join(filter(None, (row.target, row.detail))),
                    ]
                )
                count += 1
        return count


def purge_person(
    s: Session, person_id: uuid.UUID, *, reason: str, purged_at: datetime | None = None
) -> None:
    """Delete a person, their file and its history; devices receive a purge entry that
    carries the server's authenticated tombstone (:mod:`sync.server.tombstone`).

    ``purged_at``: the decision's time when a tombstone is applied again (a restored
    backup), else now."""
    conn = s.conn
    reason = reason[:64]
    known = conn.execute(
        select(purged_person.c.purged_at).where(purged_person.c.person_id == person_id)
    ).scalar_one_or_none()
    decided = known or purged_at or s.tx.now
    stamp = time_text(decided)
    mac = sign(tombstone_key(conn), person_id, stamp, reason)
    entry = s.tx.add(
        LogEntry(
            kind="purge",
            person_id=person_id,
            fields={"reason": reason, "purged_at": stamp, "mac": mac},
        )
    )
    for name in reversed(PERSON_TABLES):
        table = table_of(name)
        if name == "person":
            continue
        if name == "note":
            # Notes may supersede one another: break the chain before deleting.
            conn.execute(
                update(table).where(table.c.person_id == person_id).values(supersedes_id=None)
            )
        conn.execute(delete(table).where(table.c.person_id == person_id))
    conn.execute(delete(_person).where(_person.c.id == person_id))
    # Tombstones (ids only) of her rows, for the late pushes of offline devices.
    conn.execute(
        insert(purged_row).from_select(
            ["table_name", "row_id", "person_id"],
            select(row_clock.c.table_name, row_clock.c.row_id, row_clock.c.person_id).where(
                row_clock.c.person_id == person_id,
                ~select(purged_row.c.row_id)
                .where(
                    purged_row.c.table_name == row_clock.c.table_name,
                    purged_row.c.row_id == row_clock.c.row_id,
                )
                .exists(),
            ),
        )
    )
    # The device events about the person stay as ids (who opened, changed, printed her
    # file, and when: the access log outlives the file) but lose their free text (a
    # reveal's reason, a document's title may name her), here and in the change log.
    # What else stays is ids: the access ranges, the grant, revoke and purge entries of
    # the log, ``purged_person``, ``purged_row`` and the administration log.
    conn.execute(update(_audit).where(_audit.c.person_id == person_id).values(detail=None))
    tables = (*PERSON_TABLES, "audit_event")
    conn.execute(
        delete(row_clock).where(
            row_clock.c.person_id == person_id, row_clock.c.table_name.in_(tables)
        )
    )
    s.tx.digests.forget(person_id)
    drop_person_digest(conn, person_id)
    # The history of the person's file goes too (changes and conflicts of her rows).
    conn.execute(
        delete(change_log).where(
            change_log.c.person_id == person_id,
            change_log.c.table_name.in_(tables),
        )
    )
    close_all(s.tx, person_id, entry)
    if known is None:
        conn.execute(
            insert(purged_person).values(
                person_id=person_id, purged_at=decided, reason=reason, seq=0
            )
        )


@dataclass(frozen=True)
class PresentedTombstone:
    """A tombstone a device presents again (``POST /sync/tombstones``)."""

    person_id: uuid.UUID
    purged_at: str
    reason: str
    mac: str


def reapply_tombstones(
    engine: Engine, settings: ServerSettings, presenter: str, tombstones: list[PresentedTombstone]
) -> list[tuple[uuid.UUID, str]]:
    """Tombstones a device kept, presented after this server was restored from a backup
    (:mod:`sync.server.tombstone`): each is ``applied`` (this server issued it and no longer
    knew it: the person is purged again, through :func:`purge_person`, with her original
    decision time, audited ``erasure.reapply``), ``known`` (already purged here) or
    ``tombstone_invalid`` (a MAC this server never made: nothing erased, audited
    ``erasure.tombstone_refused``). ``presenter`` names the device in the audit log."""
    results: list[tuple[uuid.UUID, str]] = []
    with write_tx(engine) as connection:
        tx = Tx(connection, settings.now())
        s = Session(tx=tx, merger=Merger(tx, SERVER_ACTOR), actor=presenter[:64])
        key = tombstone_key(connection)
        for stone in tombstones:
            moment = parse_time(stone.purged_at)
            if moment is None or not verify(
                key, stone.person_id, stone.purged_at, stone.reason, stone.mac
            ):
                s.log("erasure.tombstone_refused", str(stone.person_id), "MAC invalide")
                results.append((stone.person_id, ErrorCode.TOMBSTONE_INVALID.value))
                continue
            known = connection.execute(
                select(purged_person.c.person_id).where(
                    purged_person.c.person_id == stone.person_id
                )
            ).first()
            if known is not None:
                results.append((stone.person_id, "known"))
                continue
            purge_person(s, stone.person_id, reason=stone.reason, purged_at=moment)
            s.log(
                "erasure.reapply",
                str(stone.person_id),
                f"décision du {stone.purged_at} ({stone.reason}) que le serveur restauré "
                "ne connaissait plus",
            )
            results.append((stone.person_id, "applied"))
        tx.flush()
    return results


def _ids(persons: list[uuid.UUID], limit: int = 20) -> str | None:
    """Up to ``limit`` ids for the administration log (which keeps ids, never names)."""
    if not persons:
        return None
    shown = " ".join(str(p) for p in persons[:limit])
    return shown + (f" (+{len(persons) - limit})" if len(persons) > limit else "")


def _bracketed(value: str | None) -> str | None:
    return f"[{value}]" if value else None


def _revoke_refresh_tokens(s: Session, referent_id: uuid.UUID) -> None:
    devices = (
        select(device.c.id)
        .join(account, account.c.id == device.c.account_id)
        .where(account.c.referent_id == referent_id)
    )
    s.conn.execute(
        update(refresh_token)
        .where(refresh_token.c.device_id.in_(devices), refresh_token.c.revoked_at.is_(None))
        .values(revoked_at=s.tx.now)
    )


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _os_user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # pragma: no cover - no user name on this system
        return "cli"


def rescope_all(engine: Engine, settings: ServerSettings, persons: Iterable[uuid.UUID]) -> None:
    with write_tx(engine) as connection:
        tx = Tx(connection, settings.now())
        for person_id in persons:
            rescope(tx, person_id)
        tx.flush()


__all__ = [
    "DEFAULT_RETENTION_MONTHS",
    "Admin",
    "AdminError",
    "AuditLine",
    "ErasureRequestView",
    "ImportProblem",
    "ImportReport",
    "PresentedTombstone",
    "PurgeReport",
    "generate_password",
    "purge_person",
    "reapply_tombstones",
]
