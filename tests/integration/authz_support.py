"""A hostile client written from the wire protocol alone (httpx, JSON), for the
authorization tests: log in, push hand-made changes, read the server's rows."""

from __future__ import annotations

import itertools
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select

from spie_desktop.domain.codec import encode_value
from sync.schema import TABLES

PASSWORD = "mot-de-passe-test"
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class Api:
    """One device of one account, speaking HTTP to the server."""

    def __init__(self, url: str, username: str, *, device_id: str | None = None) -> None:
        self.url = url
        self.username = username
        self.device_id = device_id or str(uuid.uuid4())
        self.node = self.device_id.replace("-", "")
        self.http = httpx.Client(base_url=url, timeout=60)
        self._tick = 0
        response = self.http.post(
            "/auth/login",
            json={"username": username, "password": PASSWORD, "device_id": self.device_id},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        self.token = body["access_token"]
        self.refresh_token = body["refresh_token"]
        self.referent_id = body["user"]["id"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def hlc(self, *, at_ms: int | None = None) -> str:
        """A fresh HLC of this device (strictly increasing), at now or at ``at_ms``."""
        self._tick += 1
        wall = at_ms if at_ms is not None else time.time_ns() // 1_000_000
        return f"{wall:012x}-{self._tick:04x}-{self.node}"

    def change(
        self,
        table: str,
        row_id: Any,
        fields: dict[str, Any],
        *,
        op: str = "upsert",
        hlc: str | None = None,
    ) -> dict[str, Any]:
        return {
            "change_id": str(uuid.uuid4()),
            "table": table,
            "row_id": str(row_id),
            "op": op,
            "fields": fields,
            "hlc": hlc or self.hlc(),
        }

    def push_raw(self, changes: list[dict[str, Any]]) -> httpx.Response:
        return self.http.post("/sync/push", json={"protocol": 1, "changes": changes})

    def push(self, *changes: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.push_raw(list(changes))
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def push_one(
        self, table: str, row_id: Any, fields: dict[str, Any], **kw: Any
    ) -> dict[str, Any]:
        return self.push(self.change(table, row_id, fields, **kw))[0]

    def pull_all(self) -> list[dict[str, Any]]:
        """Every page from the start: snapshot rows as pseudo changes, then the log."""
        since = "0"
        seen: list[dict[str, Any]] = []
        while True:
            response = self.http.get("/sync/pull", params={"since": since, "limit": 5000})
            assert response.status_code == 200, response.text
            page = response.json()
            for block in page["snapshot"]:
                for row in block["rows"]:
                    seen.append(
                        {"table": block["table"], **dict(zip(block["columns"], row, strict=True))}
                    )
            for entry in page["changes"]:
                seen.append(entry)
                for block in entry.get("snapshot") or []:
                    for row in block["rows"]:
                        seen.append(
                            {
                                "table": block["table"],
                                **dict(zip(block["columns"], row, strict=True)),
                            }
                        )
            since = page["next"]
            if not page["more"]:
                return seen

    def handover(self, person_id: Any, referent_id: Any, note: str | None = None) -> httpx.Response:
        return self.http.post(
            "/sync/handover",
            json={"person_id": str(person_id), "referent_id": str(referent_id), "note": note},
        )

    def close(self) -> None:
        self.http.close()


def row(engine: Any, table: str, row_id: Any) -> dict[str, Any] | None:
    spec = TABLES[table]
    with engine.connect() as connection:
        found = (
            connection.execute(select(spec.table).where(spec.table.c.id == uuid.UUID(str(row_id))))
            .mappings()
            .first()
        )
    if found is None:
        return None
    return {k: encode_value(v) for k, v in found.items()}


def rows(engine: Any, table: str) -> dict[str, dict[str, Any]]:
    spec = TABLES[table]
    with engine.connect() as connection:
        return {
            str(r["id"]): {k: encode_value(v) for k, v in r.items()}
            for r in connection.execute(select(spec.table)).mappings()
        }


def new_row(table: str, person_id: Any, referent_id: Any) -> dict[str, Any]:
    """A complete, valid new row of ``table`` for ``person_id`` (JSON fields)."""
    now = now_iso()
    today = now[:10]
    person = str(person_id)
    me = str(referent_id)
    if table == "person":
        return {
            "last_name": "Nouveau",
            "first_name": "Dossier",
            "follow_up_status": "a_contacter",
            "referent_id": me,
        }
    if table == "referent_assignment":
        return {"person_id": person, "referent_id": me, "started_at": now}
    if table == "appointment":
        return {
            "person_id": person,
            "referent_id": me,
            "starts_at": now,
            "duration_minutes": 45,
            "mode": "bureau",
            "purpose": "suivi",
            "status": "planned",
        }
    if table == "barrier":
        return {
            "person_id": person,
            "theme": "sante",
            "situations": [],
            "status": "identified",
            "identified_on": today,
        }
    if table == "action":
        return {"person_id": person, "custom_label": "Atelier CV", "status": "planned"}
    if table == "note":
        return {
            "person_id": person,
            "author_id": me,
            "written_at": now,
            "kind": "suivi",
            "text": "Entretien.",
            "sensitive": False,
        }
    if table == "audit_event":
        return {"occurred_at": now, "person_id": person, "action": "open"}
    if table == "orientation_decision":
        return {"person_id": person, "track": "social", "decided_on": today}
    if table == "reorientation_request":
        return {
            "person_id": person,
            "requested_track": "professional",
            "reason": "Santé",
            "requested_on": today,
            "status": "pending",
        }
    if table == "engagement_contract":
        return {
            "person_id": person,
            "contract_type": "contrat_engagement",
            "version": 1,
            "state": "draft",
            "weekly_floor_minutes": 900,
        }
    if table == "closing_review":
        return {"person_id": person, "closed_on": today, "exit_reason": "autre", "outcome": "Fin."}
    if table == "breach":
        return {"person_id": person, "kind": "rdv_manque", "occurred_on": today, "sensitive": True}
    if table == "erasure_request":
        return {
            "person_id": person,
            "requested_at": now,
            "requested_by_id": me,
            "reason": "Demande écrite de la personne",
            "status": "requested",
        }
    if table == "structure":
        return {"name": "Structure pirate"}
    if table == "team":
        return {"name": "Équipe pirate"}
    if table == "referent":
        return {
            "username": unique("pirate"),
            "first_name": "P",
            "last_name": "P",
            "role": "admin",
        }
    raise KeyError(table)
