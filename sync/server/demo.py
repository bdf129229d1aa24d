"""Demo data on the server: ``spie_desktop.demo``'s caseloads, loaded in bulk.

Every row goes in as a server write would (row clocks, one change-log entry each, scope
grants), only faster: one transaction per batch of the generator, executemany inserts.
Demo accounts (``demo.referent``, ``demo.responsable``, ``demo.admin`` and every other
active member of staff) get the same password.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from spie_desktop.demo import DemoSpec, generate
from spie_desktop.domain.codec import encode_value
from spie_desktop.domain.models import SYNCED_MODELS
from sync.schema import table_of
from sync.server.admin import Admin, AdminError
from sync.server.auth import hash_password
from sync.server.changelog import LogEntry
from sync.server.models import account, row_clock
from sync.server.scope import rescope

_person = table_of("person")
DEMO_STAFF = ("demo.referent", "demo.responsable", "demo.admin")
#: The demo accounts' public password (fictitious people only).
DEMO_PASSWORD = "demo-spie-2026"
_SKIP_IN_CLOCKS = frozenset({"id", "updated_at"})


def load_rows(admin: Admin, batches: Iterable[tuple[str, list[dict[str, Any]]]]) -> dict[str, int]:
    """Insert ``(table, rows)`` batches as server writes; returns rows per table."""
    counts: dict[str, int] = {}
    person_ids: list[uuid.UUID] = []
    staff: list[dict[str, Any]] = []
    for table_name, rows in batches:
        if not rows:
            continue
        model = SYNCED_MODELS[table_name]
        table = table_of(table_name)
        key = model.__person_key__
        try:
            with admin.session() as s:
                hlc = s.tx.server_hlc()
                s.conn.execute(insert(table), rows)
                clocks: list[dict[str, Any]] = []
                for row in rows:
                    person_id = row[key] if key else None
                    fields = {
                        name: encode_value(value)
                        for name, value in row.items()
                        if name not in _SKIP_IN_CLOCKS
                    }
                    clocks.append(
                        {
                            "table_name": table_name,
                            "row_id": row["id"],
                            "person_id": person_id,
                            "clocks": dict.fromkeys(fields, hlc),
                            "hlc": hlc,
                        }
                    )
                    s.tx.add(
                        LogEntry(
                            kind="change",
                            table_name=table_name,
                            row_id=row["id"],
                            person_id=person_id,
                            op="delete" if row.get("deleted_at") else "upsert",
                            fields=fields,
                            hlc=hlc,
                            status="accepted",
                        )
                    )
                s.conn.execute(insert(row_clock), clocks)
                for clock in clocks:
                    s.tx.digests.row(
                        clock["table_name"], clock["row_id"], clock["person_id"], None, clock["hlc"]
                    )
        except IntegrityError as exc:
            raise AdminError(
                "Ces données de démonstration (ou d'autres aux mêmes identifiants) sont déjà "
                "chargées.",
                "demo_exists",
            ) from exc
        counts[table_name] = counts.get(table_name, 0) + len(rows)
        if table_name == "person":
            person_ids.extend(row["id"] for row in rows)
        if table_name == "referent":
            staff.extend(rows)
    for start in range(0, len(person_ids), 500):
        with admin.session() as s:
            for person_id in person_ids[start : start + 500]:
                rescope(s.tx, person_id)
    counts["_staff"] = len(staff)
    return counts


def create_accounts(admin: Admin, staff_usernames: Iterable[str] | None, password: str) -> int:
    """Accounts for the demo staff (all active staff when ``staff_usernames`` is None)."""

    referent = table_of("referent")
    password_hash = hash_password(admin.settings, password)
    created = 0
    with admin.session() as s:
        statement = select(referent.c.id, referent.c.username, referent.c.role).where(
            referent.c.active.is_(True)
        )
        existing = set(s.conn.execute(select(account.c.referent_id)).scalars())
        wanted = set(staff_usernames) if staff_usernames is not None else None
        rows = []
        for row in s.conn.execute(statement):
            if row.id in existing or (wanted is not None and row.username not in wanted):
                continue
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "referent_id": row.id,
                    "username": row.username,
                    "password_hash": password_hash,
                    "role": row.role,
                    "active": True,
                    "created_at": s.tx.now,
                    "password_changed_at": s.tx.now,
                    "failed_logins": 0,
                }
            )
        if rows:
            s.conn.execute(insert(account), rows)
        created = len(rows)
        s.log("demo.accounts", f"{created} comptes")
    # Supervisors see their team once their account exists.
    with admin.session() as s:
        for person_id in s.conn.execute(select(_person.c.id)).scalars().all():
            rescope(s.tx, person_id)
    return created


def load_demo(
    admin: Admin,
    *,
    referents: int = 2,
    persons_per_referent: int = 150,
    seed: int = 2026,
    password: str,
    all_accounts: bool = True,
) -> dict[str, int]:
    spec = DemoSpec(referents=referents, persons_per_referent=persons_per_referent, seed=seed)
    counts = load_rows(admin, generate(spec))
    accounts = create_accounts(admin, None if all_accounts else list(DEMO_STAFF), password)
    with admin.session() as s:
        s.log("demo", f"graine {seed}", f"{referents} référents × {persons_per_referent}")
    rows = sum(value for key, value in counts.items() if not key.startswith("_"))
    return {"rows": rows, "persons": counts.get("person", 0), "accounts": accounts}
