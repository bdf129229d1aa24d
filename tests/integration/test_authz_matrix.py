"""The authorization matrix (issue 11, Proof): every actor × every synced table × every
field × create / update / delete, generated from the schema, pushed in batches to ONE
running server, each answer compared with the rule the product sells:

- only the current referent writes a person's file; a former referent only what she did
  before the handover; nobody else (other team, supervisor, administrator's device);
- the assignment history is the server's (handover use-case), provenance is the server's;
- a revoked device or a disabled account is refused as a whole;
- a refused change changes nothing, an accepted one changes exactly its field.

The expected answers below are written from the rules (DESIGN §6), not from the code.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from authz_support import Api, new_row, now_iso, row, unique

from spie_desktop.domain.models import IMMUTABLE_NOTE_FIELDS
from sync.schema import SERVER_STAMPED, TABLES

pytestmark = pytest.mark.xdist_group("authz_matrix")

SERVER_TABLES = ("structure", "team", "referent")
PERSON_FILE = ("referent_assignment", "appointment", "barrier", "action", "note")
# The accompaniment path (spie_desktop.services.path).
PATH_FILE = (
    "orientation_decision",
    "reorientation_request",
    "engagement_contract",
    "closing_review",
    "breach",
)
# Who recorded a path row: the server sets it from the device; any other value is refused.
PATH_PROVENANCE = frozenset(
    {
        ("orientation_decision", "decided_by_id"),
        ("reorientation_request", "requested_by_id"),
        ("closing_review", "author_id"),
        ("breach", "author_id"),
        ("erasure_request", "requested_by_id"),
    }
)
# References between path rows: to a row that is not the same person's (here: a referent's
# id, which is no such row), refused.
PATH_REFERENCES = frozenset(
    {
        ("action", "contract_id"),
        ("engagement_contract", "orientation_id"),
        ("engagement_contract", "previous_id"),
        ("reorientation_request", "decision_id"),
        ("orientation_decision", "request_id"),
        ("breach", "contract_id"),
    }
)
ACTORS = (
    "current_referent",
    "former_referent_before_handover",
    "former_referent_after_handover",
    "other_team_referent",
    "supervisor",
    "admin",
    "revoked_device",
    "disabled_account",
)
TOTALS: Counter[str] = Counter()


@dataclass
class Stage:
    world: Any
    apis: dict[str, Api]
    p1: uuid.UUID  # followed by fay, then handed over to alice
    p2: uuid.UUID  # the same, for fay's offline edits
    q: uuid.UUID  # alice's other person
    q_barrier: uuid.UUID
    rows: dict[uuid.UUID, dict[str, uuid.UUID]]  # person → table → row id
    server_rows: dict[str, uuid.UUID]
    handover_ms: int
    ids: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def stage(module_world: Any) -> Iterator[Stage]:
    world = module_world
    nord, sud = unique("MNord"), unique("MSud")
    world.admin.create_team(nord)
    team_id = world.admin.create_team(sud)
    structure_id = world.admin.create_structure(unique("Structure"))
    names = {
        "alice": unique("alice.m"),
        "fay": unique("fay.m"),
        "carol": unique("carol.m"),
        "sam": unique("sam.m"),
        "adam": unique("adam.m"),
        "dora": unique("dora.m"),
    }
    world.user(names["alice"], team=nord)
    world.user(names["fay"], team=nord)
    world.user(names["carol"], team=sud)
    world.user(names["sam"], role="supervisor", team=nord)
    world.user(names["adam"], role="admin", team=nord)
    world.user(names["dora"], team=nord)
    p1 = world.admin.create_person({"last_name": "Un", "first_name": "P"}, names["fay"])
    p2 = world.admin.create_person({"last_name": "Deux", "first_name": "P"}, names["fay"])
    q = world.admin.create_person({"last_name": "Autre", "first_name": "Q"}, names["alice"])
    fay = Api(world.url, names["fay"])
    fay_offline = Api(world.url, names["fay"])
    alice = Api(world.url, names["alice"])
    rows: dict[uuid.UUID, dict[str, uuid.UUID]] = {}
    for person in (p1, p2):
        made: dict[str, uuid.UUID] = {"person": person}
        changes = []
        for table in (
            "appointment",
            "barrier",
            "action",
            "note",
            "audit_event",
            *PATH_FILE,
            "erasure_request",
        ):
            made[table] = uuid.uuid4()
            changes.append(fay.change(table, made[table], new_row(table, person, fay.referent_id)))
        assert all(r["status"] == "accepted" for r in fay.push(*changes))
        rows[person] = made
    q_barrier = uuid.uuid4()
    assert (
        alice.push_one("barrier", q_barrier, new_row("barrier", q, alice.referent_id))["status"]
        == "accepted"
    )
    for person in (p1, p2):
        rows[person]["referent_assignment"] = _assignment_of(world, person)
    time.sleep(0.02)
    handover_ms = time.time_ns() // 1_000_000
    time.sleep(0.02)
    for person in (p1, p2):
        world.admin.assign(str(person), names["alice"])
    revoked = Api(world.url, names["alice"])
    world.admin.revoke_device(revoked.device_id, reason="volé")
    dora = Api(world.url, names["dora"])
    world.admin.set_active(names["dora"], False)
    apis = {
        "current_referent": alice,
        "former_referent_before_handover": fay_offline,
        "former_referent_after_handover": fay,
        "other_team_referent": Api(world.url, names["carol"]),
        "supervisor": Api(world.url, names["sam"]),
        "admin": Api(world.url, names["adam"]),
        "revoked_device": revoked,
        "disabled_account": dora,
    }
    stage = Stage(
        world=world,
        apis=apis,
        p1=p1,
        p2=p2,
        q=q,
        q_barrier=q_barrier,
        rows=rows,
        server_rows={
            "structure": structure_id,
            "team": team_id,
            "referent": uuid.UUID(alice.referent_id),
        },
        handover_ms=handover_ms,
        ids={"carol": apis["other_team_referent"].referent_id},
    )
    yield stage
    for api in apis.values():
        api.close()
    print(f"\nauthorization matrix: {sum(TOTALS.values())} attacks; outcomes {dict(TOTALS)}")


def _assignment_of(world: Any, person: uuid.UUID) -> uuid.UUID:
    from sqlalchemy import select

    from sync.schema import table_of

    table = table_of("referent_assignment")
    with world.engine.connect() as connection:
        return connection.execute(
            select(table.c.id).where(table.c.person_id == person, table.c.ended_at.is_(None))
        ).scalar_one()


# -- the values an attacker writes -----------------------------------------------------------

_SPECIAL: dict[tuple[str, str], Any] = {
    ("person", "follow_up_status"): "en_accompagnement",
    ("person", "title"): "MME",
    ("person", "household"): "couple",
    ("person", "rsa_status"): "clos",
    ("person", "orientation"): "social",
    ("person", "contract_type"): "cer",
    ("person", "closure_reason"): "autre",
    ("person", "children_count"): 2,
    ("person", "phone"): "06 11 22 33 44",
    ("person", "email"): "marie.dupont@example.fr",
    ("person", "postal_code"): "58000",
    ("person", "caf_number"): "1234567",
    ("person", "birth_date"): "1990-05-17",
    ("appointment", "status"): "excused",
    ("appointment", "mode"): "visio",
    ("appointment", "purpose"): "bilan",
    ("appointment", "duration_minutes"): 60,
    ("barrier", "theme"): "se_former",
    ("barrier", "status"): "in_progress",
    ("barrier", "severity"): 2,
    ("barrier", "target_code"): None,
    ("barrier", "situations"): [],
    ("action", "status"): "in_progress",
    ("action", "theme"): None,
    ("action", "action_code"): None,
    ("note", "kind"): "appel",
    ("audit_event", "action"): "export",
    ("erasure_request", "status"): "requested",
    ("referent", "role"): "admin",
    ("referent", "email"): "x@example.fr",
    ("referent", "phone"): "06 11 22 33 44",
    ("structure", "postal_code"): "58000",
    ("structure", "phone"): "06 11 22 33 44",
    ("structure", "siret"): "12345678901234",
    ("orientation_decision", "track"): "professional",
    ("orientation_decision", "qualification_level"): "niveau_3",
    ("orientation_decision", "review_obstacle"): "sante",
    ("orientation_decision", "structure_id"): None,
    **{
        ("orientation_decision", f"impact_{area}"): "fort"
        for area in ("health", "housing", "mobility", "childcare", "caregiving", "other")
    },
    ("reorientation_request", "requested_track"): "social",
    ("reorientation_request", "status"): "pending",
    ("engagement_contract", "contract_type"): "cer",
    ("engagement_contract", "state"): "ended",
    ("engagement_contract", "weekly_floor_minutes"): 900,
    ("engagement_contract", "floor_reason"): "sante",
    ("closing_review", "exit_reason"): "formation",
    ("breach", "kind"): "activite_refusee",
    ("breach", "decision"): "sans_suite",
}


def _value(stage: Stage, table: str, name: str, kind: str) -> Any:
    if (table, name) in _SPECIAL:
        return _SPECIAL[(table, name)]
    if kind == "uuid":
        if name == "person_id":
            return str(stage.q)  # move the row to another person
        if name == "barrier_id":
            return str(stage.q_barrier)  # point to another person's barrier
        return stage.ids["carol"]  # referent_id, author_id, assigned_by_id, actor_id…
    today = datetime.now(UTC).date()
    return {
        "str": unique("Valeur "),
        "int": 1,
        "bool": True,
        "date": today.isoformat(),
        "datetime": (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
        "json": [],
    }[kind]


# -- the rules -------------------------------------------------------------------------------


def expected(actor: str, table: str, op: str, name: str | None) -> str:
    """The answer the rules give: "accepted" or the refusal code."""
    if actor == "revoked_device":
        return "device_revoked"
    if actor == "disabled_account":
        return "account_disabled"
    if table in SERVER_TABLES:
        return "read_only_table"
    if actor == "supervisor" and table == "erasure_request":
        # Issue 15: the supervisor may ask for an erasure (a request, never a decision).
        return "accepted" if op == "create" else "read_only_role"
    if actor in ("supervisor", "admin"):
        if table != "audit_event":
            return "read_only_role"
        if op != "create":
            return "append_only"
        return "accepted" if actor == "supervisor" else "out_of_scope"
    scope = {
        "current_referent": "ok",
        "former_referent_before_handover": "ok",
        "former_referent_after_handover": "after_handover",
        "other_team_referent": "out_of_scope",
    }[actor]
    if table == "audit_event":
        if op != "create":
            return "append_only"
        return "accepted" if scope == "ok" else scope
    if table == "person" and op == "create":
        return "accepted"  # a new person, in her own caseload
    if table == "referent_assignment" and op != "create":
        return "handover_server_only"
    if scope != "ok":
        return scope
    if table == "referent_assignment":
        return "handover_server_only"
    if op == "delete":
        return "accepted"
    if op == "create":
        return "accepted"
    if table == "person" and name == "referent_id":
        return "handover_server_only"
    if table == "person" and name == "team_id":
        return "team_server_only"  # the server sets a person's team (issue 14)
    if table != "person" and name == "person_id":
        return "out_of_scope"
    if table == "note" and name in IMMUTABLE_NOTE_FIELDS:
        return "append_only"
    if (table, name) in (("appointment", "referent_id"), ("action", "barrier_id")):
        return "cross_person_reference"
    if (table, name) in PATH_PROVENANCE:
        return "provenance_mismatch"
    if table == "erasure_request" and name in ("decided_at", "decided_by_id", "decision_note"):
        return "decision_server_only"
    if (table, name) in PATH_REFERENCES:
        return "unknown_row"
    return "accepted"


def _attacks(
    stage: Stage, actor: str
) -> list[tuple[str, str, str | None, uuid.UUID, dict[str, Any]]]:
    """(table, op, field, row id, fields) for every table × field × operation."""
    api = stage.apis[actor]
    person = stage.p2 if actor == "former_referent_before_handover" else stage.p1
    targets = dict(stage.rows[person]) | stage.server_rows
    attacks = []
    for table, spec in TABLES.items():
        fields = new_row(table, person, api.referent_id)
        if table == "person":
            fields |= {"external_id": unique("X")}
        attacks.append((table, "create", None, uuid.uuid4(), fields))
        for name, column in spec.columns.items():
            if name == "id" or name in SERVER_STAMPED or name == "deleted_at":
                continue
            value = _value(stage, table, name, column.kind)
            if name == "external_id":
                value = unique("EXT")
            if name == "username":
                value = unique("user")
            attacks.append((table, "update", name, targets[table], {name: value}))
    for table in TABLES:
        attacks.append((table, "delete", None, targets[table], {"deleted_at": now_iso()}))
    return attacks


@pytest.mark.parametrize("actor", ACTORS)
def test_authorization_matrix(stage: Stage, actor: str) -> None:
    api = stage.apis[actor]
    attacks = _attacks(stage, actor)
    at_ms = stage.handover_ms - 5 if actor == "former_referent_before_handover" else None
    changes = [
        api.change(
            table,
            row_id,
            fields,
            op="delete" if op == "delete" else "upsert",
            hlc=api.hlc(at_ms=at_ms),
        )
        for table, op, _name, row_id, fields in attacks
    ]
    before = {
        (table, row_id): row(stage.world.engine, table, row_id)
        for table, _o, _n, row_id, _f in attacks
    }
    answers: list[str] = []
    for start in range(0, len(changes), 400):
        response = api.push_raw(changes[start : start + 400])
        if response.status_code == 200:
            answers += [
                r["code"] or "accepted" if r["status"] != "merged" else "merged"
                for r in response.json()["results"]
            ]
        else:
            assert response.status_code == 403, response.text
            answers += [response.json()["code"]] * len(changes[start : start + 400])
    wrong = []
    for (table, op, name, row_id, fields), answer in zip(attacks, answers, strict=True):
        want = expected(actor, table, op, name)
        TOTALS[answer] += 1
        if answer != want:
            wrong.append(f"{actor} {op} {table}.{name or '*'}: {answer}, expected {want}")
            continue
        after = row(stage.world.engine, table, row_id)
        if want != "accepted":
            if op == "create":
                assert after is None, (actor, table)
            elif name is not None:
                prior = before[(table, row_id)]
                assert prior is not None and after is not None
                assert after[name] == prior[name], (actor, table, name)
        elif op == "update" and name is not None and after is not None:
            assert after[name] == fields[name] or table == "note", (actor, table, name, after[name])
        elif op == "create" and after is not None:
            if table == "note":
                assert after["author_id"] == api.referent_id
            if table == "audit_event":
                assert (after["actor_id"], after["device_id"]) == (api.referent_id, api.device_id)
    assert not wrong, "\n".join(wrong)


# -- the team's audit log (GET /audit/events, issue 15) --------------------------------------

AUDIT_LOG_ANSWERS = {
    "current_referent": "supervisor_only",
    "former_referent_before_handover": "supervisor_only",
    "former_referent_after_handover": "supervisor_only",
    "other_team_referent": "supervisor_only",
    "supervisor": "ok",
    "admin": "supervisor_only",
    "revoked_device": "device_revoked",
    "disabled_account": "account_disabled",
}


@pytest.mark.parametrize("actor", ACTORS)
def test_team_audit_log_matrix(stage: Stage, actor: str) -> None:
    """Only the team's supervisor reads its audit log; every other token is refused with a
    code, whatever filter it asks for."""
    api = stage.apis[actor]
    want = AUDIT_LOG_ANSWERS[actor]
    for params in ({}, {"person": str(stage.p1)}, {"action": "open"}):
        response = api.http.get("/audit/events", params=params)
        if want == "ok":
            assert response.status_code == 200, response.text
            ids = {entry["id"] for entry in response.json()["entries"]}
            if params.get("action") is None:  # fay's line about p1, pushed before the handover
                assert str(stage.rows[stage.p1]["audit_event"]) in ids
        else:
            assert response.status_code in (401, 403), (actor, params, response.text)
            assert response.json()["code"] == want, (actor, params)
        TOTALS[want if want != "ok" else "accepted"] += 1


def test_team_audit_log_refuses_another_teams_supervisor(stage: Stage) -> None:
    from sqlalchemy import select

    from sync.schema import table_of

    referent, team = table_of("referent"), table_of("team")
    with stage.world.engine.connect() as connection:
        nord_id, sud = connection.execute(
            select(referent.c.team_id, team.c.name)
            .select_from(referent.join(team, team.c.id == stage.server_rows["team"], isouter=False))
            .where(referent.c.id == uuid.UUID(stage.apis["current_referent"].referent_id))
        ).one()
    name = unique("sue.m")
    stage.world.user(name, role="supervisor", team=sud)
    other = Api(stage.world.url, name)
    try:
        for params, code in (
            ({"person": str(stage.p1)}, "out_of_scope"),
            ({"person": str(stage.q)}, "out_of_scope"),
            ({"team": str(nord_id)}, "team_out_of_scope"),
        ):
            response = other.http.get("/audit/events", params=params)
            assert (response.status_code, response.json()["code"]) == (403, code), params
        mine = other.http.get("/audit/events")
        assert mine.status_code == 200
        persons = {entry["person_id"] for entry in mine.json()["entries"]}
        assert not persons & {str(stage.p1), str(stage.p2), str(stage.q)}
    finally:
        other.close()


# -- the other endpoints, for every actor (issue 11: settings, digests, files, directory,
#    handover, reveal) --------------------------------------------------------------------

REFUSED_AS_A_WHOLE = {"revoked_device": "device_revoked", "disabled_account": "account_disabled"}
# Fresh persons (the matrix above deletes some of its own): r, followed by fay then handed
# over to alice, and c, carol's. Who sees which: the current referent hers, the supervisor
# her team's, nobody else any (the administrator's account follows nobody).
SEES = {
    "current_referent": {"r"},
    "former_referent_before_handover": set(),
    "former_referent_after_handover": set(),
    "other_team_referent": {"c"},
    "supervisor": {"r"},
    "admin": set(),
}
# Handing r over to alice, who already follows her: who may decide gets as far as
# ``same_referent``; the others are refused before (no state changes either way).
HANDOVER_TO_HER_ANSWERS = {
    "current_referent": "same_referent",
    "former_referent_before_handover": "out_of_scope",
    "former_referent_after_handover": "out_of_scope",
    "other_team_referent": "out_of_scope",
    "supervisor": "same_referent",
    "admin": "same_referent",
}
# Handing r over to carol (another team): a referent cannot, whoever she is.
HANDOVER_ACROSS_TEAMS_ANSWERS = {
    "current_referent": "invalid_handover_target",
    "former_referent_before_handover": "out_of_scope",
    "former_referent_after_handover": "out_of_scope",
    "other_team_referent": "out_of_scope",
}
# A sensitive note of r written by alice: its author reads it; the supervisor is refused
# by the department's default setting; the others do not see it (same answer as unknown).
REVEAL_ANSWERS = {
    "current_referent": "ok",
    "former_referent_before_handover": "not_found",
    "former_referent_after_handover": "not_found",
    "other_team_referent": "not_found",
    "supervisor": "reveal_forbidden",
    "admin": "not_found",
}


@dataclass
class Fresh:
    persons: dict[str, str]
    note_id: uuid.UUID


@pytest.fixture(scope="module")
def fresh(stage: Stage) -> Fresh:
    world = stage.world
    alice, fay = stage.apis["current_referent"], stage.apis["former_referent_after_handover"]
    carol = stage.apis["other_team_referent"]
    r = world.admin.create_person({"last_name": "Frais", "first_name": "R"}, fay.username)
    world.admin.assign(str(r), alice.username)
    c = world.admin.create_person({"last_name": "Sud", "first_name": "C"}, carol.username)
    note_id = uuid.uuid4()
    values = {**new_row("note", r, alice.referent_id), "sensitive": True}
    values["text"] = "Suivi psychiatrique (note sensible)."
    assert alice.push_one("note", note_id, values)["status"] == "accepted"
    return Fresh({"r": str(r), "c": str(c)}, note_id)


def _refused(response: Any, code: str, where: str) -> None:
    assert 400 <= response.status_code < 500, (where, response.status_code, response.text)
    assert response.json()["code"] == code, (where, response.text)
    TOTALS[code] += 1


@pytest.mark.parametrize("actor", ACTORS)
def test_other_endpoints_matrix(stage: Stage, fresh: Fresh, actor: str) -> None:
    """Every actor against every other endpoint of the server: the revoked device and the
    disabled account are refused on each with their code; the others read only their scope
    and hand over or reveal only what the rules allow."""
    api = stage.apis[actor]
    persons = fresh.persons
    handover = {"protocol": 1, "person_id": persons["r"], "referent_id": None}
    reveal = {"protocol": 1, "note_id": str(fresh.note_id), "reason": "Contrôle du dossier"}
    calls = {
        "settings": lambda: api.http.get("/sync/settings"),
        "digests": lambda: api.http.get("/sync/digests"),
        "files": lambda: api.http.post(
            "/sync/files", json={"protocol": 1, "person_ids": sorted(persons.values())}
        ),
        "directory": lambda: api.http.get("/sync/directory", params={"limit": 5}),
        "handover": lambda: api.http.post(
            "/sync/handover",
            json={**handover, "referent_id": stage.apis["current_referent"].referent_id},
        ),
        "reveal": lambda: api.http.post("/sync/reveal", json=reveal),
    }
    if actor in REFUSED_AS_A_WHOLE:
        for where, call in calls.items():
            _refused(call(), REFUSED_AS_A_WHOLE[actor], where)
        return
    seen = {persons[name] for name in SEES[actor]}
    settings = calls["settings"]()
    assert settings.status_code == 200, settings.text
    digests = calls["digests"]()
    assert digests.status_code == 200, digests.text
    assert {p for p, _ in digests.json()["persons"]} & set(persons.values()) == seen, actor
    files = calls["files"]()
    assert files.status_code == 200, files.text
    assert set(files.json()["missing"]) == set(persons.values()) - seen, actor
    sent = {
        values[block["columns"].index("id" if block["table"] == "person" else "person_id")]
        for block in files.json()["snapshot"]
        if block["table"] == "person" or "person_id" in block["columns"]
        for values in block["rows"]
    }
    assert sent == seen, actor  # the seen persons' files, no unseen person's row
    directory = calls["directory"]()
    assert directory.status_code == 200, directory.text
    _refused(calls["handover"](), HANDOVER_TO_HER_ANSWERS[actor], "handover")
    if actor in HANDOVER_ACROSS_TEAMS_ANSWERS:
        across = api.http.post(
            "/sync/handover", json={**handover, "referent_id": stage.ids["carol"]}
        )
        _refused(across, HANDOVER_ACROSS_TEAMS_ANSWERS[actor], "handover across teams")
    answer = calls["reveal"]()
    if REVEAL_ANSWERS[actor] == "ok":
        assert answer.status_code == 200, answer.text
        assert answer.json()["text"] == "Suivi psychiatrique (note sensible)."
    else:
        _refused(answer, REVEAL_ANSWERS[actor], "reveal")
        assert "psychiatrique" not in answer.text
    after = row(stage.world.engine, "person", uuid.UUID(persons["r"]))
    assert after is not None
    assert str(after["referent_id"]) == stage.apis["current_referent"].referent_id
