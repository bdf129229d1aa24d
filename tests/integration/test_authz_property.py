"""Property (issue 11, Proof): whatever a referent pushes — random tables, rows, fields
and values, hostile references included — no row outside her scope changes, and no
provenance field says anyone but the server's truth; the server never answers 5xx."""

from __future__ import annotations

import uuid
from typing import Any

from authz_support import Api, new_row, rows, unique
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.schema import TABLES

WRITABLE = (
    "person",
    "referent_assignment",
    "appointment",
    "barrier",
    "action",
    "note",
    "audit_event",
)
PROVENANCE = {
    "note": ("author_id",),
    "audit_event": ("actor_id", "device_id"),
    "referent_assignment": ("assigned_by_id",),
}


def _setup(world: Any) -> dict[str, Any]:
    team, other = unique("PNord"), unique("PSud")
    world.admin.create_team(team)
    world.admin.create_team(other)
    alice, carol = unique("alice.p"), unique("carol.p")
    world.user(alice, team=team)
    world.user(carol, team=other)
    p = world.admin.create_person({"last_name": "Mien", "first_name": "P"}, alice)
    r = world.admin.create_person({"last_name": "Autre", "first_name": "R"}, carol)
    a, c = Api(world.url, alice), Api(world.url, carol)
    ids: dict[str, list[str]] = {"p": [str(p)], "r": [str(r)]}
    for api, person, key in ((a, p, "p"), (c, r, "r")):
        for table in ("appointment", "barrier", "action", "note", "audit_event"):
            row_id = uuid.uuid4()
            result = api.push_one(table, row_id, new_row(table, person, api.referent_id))
            assert result["status"] == "accepted", result
            ids[key].append(str(row_id))
    return {"alice": a, "carol": c, "p": p, "r": r, "ids": ids}


def _values(cast: dict[str, Any]) -> st.SearchStrategy[Any]:
    hostile_ids = [
        cast["carol"].referent_id,
        cast["alice"].referent_id,
        str(cast["r"]),
        str(cast["p"]),
        *cast["ids"]["r"],
        *cast["ids"]["p"],
        str(uuid.uuid4()),
    ]
    return st.one_of(
        st.none(),
        st.sampled_from(hostile_ids),
        st.text(max_size=30),
        st.integers(-5, 500),
        st.booleans(),
        st.sampled_from(["2026-01-01", "2026-01-01T10:00:00Z", "sante", "suivi", "=cmd"]),
        st.just([]),
    )


def _outside_and_provenance(world: Any, cast: dict[str, Any]) -> dict[str, Any]:
    outside = set(cast["ids"]["r"])
    snapshot: dict[str, Any] = {}
    for table in WRITABLE:
        for row_id, row in rows(world.engine, table).items():
            person = row_id if table == "person" else row.get("person_id")
            if row_id in outside or person == str(cast["r"]):
                snapshot[f"{table}:{row_id}"] = row
            for name in PROVENANCE.get(table, ()):
                snapshot[f"{table}:{row_id}:{name}"] = row[name]
    return snapshot


def test_random_pushes_never_escape_the_scope(module_world: Any) -> None:
    world = module_world
    cast = _setup(world)
    alice: Api = cast["alice"]
    row_ids = [*cast["ids"]["p"], *cast["ids"]["r"]]

    change = st.builds(
        lambda table, row, fields, delete: (table, row, fields, delete),
        st.sampled_from(WRITABLE),
        st.one_of(st.sampled_from(row_ids), st.uuids().map(str)),
        st.sampled_from(WRITABLE).flatmap(
            lambda t: st.dictionaries(
                st.sampled_from(sorted(set(TABLES[t].columns) - {"id", "updated_at"})),
                _values(cast),
                min_size=1,
                max_size=6,
            )
        ),
        st.booleans(),
    )

    @given(st.lists(change, min_size=1, max_size=8))
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def push(changes: list[tuple[str, str, dict[str, Any], bool]]) -> None:
        before = _outside_and_provenance(world, cast)
        wire = [
            alice.change(table, row, fields, op="delete" if delete else "upsert")
            for table, row, fields, delete in changes
        ]
        for one in wire:  # one by one: a bad value refuses only its own push
            response = alice.push_raw([one])
            assert response.status_code < 500, response.text
            if response.status_code != 200:
                assert response.json()["code"], response.text
            else:
                statuses.append(response.json()["results"][0]["status"])
        after = _outside_and_provenance(world, cast)
        for key, value in before.items():
            assert after.get(key) == value, key
        # Rows created by this push carry the server's provenance, not the payload's.
        for key, value in after.items():
            if key not in before and key.count(":") == 2:
                table, _row, name = key.split(":")
                if name == "device_id":
                    assert value == alice.device_id, key
                elif table == "audit_event" or table == "note":
                    assert value == alice.referent_id, key
                else:  # a device never writes someone else's assignment
                    assert value in (alice.referent_id, None), key

    statuses: list[str] = []
    push()
    assert "accepted" in statuses  # the property was exercised on accepted writes too
