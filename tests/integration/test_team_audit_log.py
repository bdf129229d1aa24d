"""The team's audit log for its supervisor (issue 15, What 5): ``GET /audit/events`` through
the device's ``SyncClient``, against a real server on loopback. Devices push their audit
lines; the supervisor reads those of her scope only, filtered; everyone else is refused with
a code; bad filters are a 422 with a code, never a 500; no server, a French offline message.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from authz_support import Api

from spie_desktop.domain.deadlines import paris_day
from spie_desktop.domain.enums import AuditAction
from spie_desktop.services.common import audit
from spie_desktop.store.changes import utcnow
from sync.client import OfflineError, RetryPolicy, SyncClient, SyncError
from tests.support.devkit import free_port

HOSTILE = '=HYPERLINK("http://x";"clic") ; <b>gras</b>'


def _record(device: Any, *events: tuple[AuditAction, uuid.UUID | None, str | None]) -> None:
    with device.write() as session:
        for action, person, detail in events:
            audit(session, device.actor, action, person, detail)
    device.sync()


@pytest.fixture
def teams(world: Any) -> dict[str, Any]:
    nord = world.admin.create_team("Nord")
    world.admin.create_team("Sud")
    world.user("ana.martin", team="Nord")
    world.user("bob.bernard", team="Nord")
    world.user("carole.sud", team="Sud")
    world.user("sam.chef", role="supervisor", team="Nord")
    world.user("sue.cheffe", role="supervisor", team="Sud")
    p1 = world.admin.create_person({"last_name": "Moreau", "first_name": "Zoé"}, "ana.martin")
    p2 = world.admin.create_person({"last_name": "Petit", "first_name": "Léo"}, "bob.bernard")
    p3 = world.admin.create_person({"last_name": "Sudiste", "first_name": "Inès"}, "carole.sud")
    ana = world.device("ana-laptop", "ana.martin")
    ana.sync()
    _record(
        ana,
        (AuditAction.OPEN, p1, None),
        (AuditAction.EXPORT, p1, HOSTILE),
        (AuditAction.EXPORT, None, "export CSV des chiffres du tableau de bord"),
    )
    bob = world.device("bob-laptop", "bob.bernard")
    bob.sync()
    _record(bob, (AuditAction.OPEN, p2, None), (AuditAction.PRINT, p2, "convocation"))
    carole = world.device("carole-laptop", "carole.sud")
    carole.sync()
    _record(carole, (AuditAction.OPEN, p3, None), (AuditAction.EXPORT, None, "export Sud"))
    sam = world.device("sam-laptop", "sam.chef")
    sam.sync()
    return {"nord": nord, "p1": p1, "p2": p2, "p3": p3, "sam": sam, "ana": ana}


def test_the_supervisor_reads_her_teams_log_filtered(world: Any, teams: dict[str, Any]) -> None:
    client: SyncClient = teams["sam"].client
    page = client.audit_events()
    assert not page.truncated
    seen = {(e.action, e.person_id, e.actor_username) for e in page.entries}
    assert seen == {
        ("open", teams["p1"], "ana.martin"),
        ("export", teams["p1"], "ana.martin"),
        ("export", None, "ana.martin"),
        ("open", teams["p2"], "bob.bernard"),
        ("print", teams["p2"], "bob.bernard"),
    }  # nothing of Sud's: neither its person nor its team export
    assert [e.occurred_at for e in page.entries] == sorted(
        (e.occurred_at for e in page.entries), reverse=True
    )
    named = {e.person_id: e.person_name for e in page.entries}
    assert named[teams["p1"]] == "Moreau Zoé"
    hostile = [e for e in page.entries if e.detail == HOSTILE]
    assert len(hostile) == 1 and hostile[0].actor_name == "Ana Martin"  # kept as written

    by_person = client.audit_events(person_id=teams["p2"])
    assert {e.action for e in by_person.entries} == {"open", "print"}
    by_user = client.audit_events(username="  ANA.MARTIN ")  # as a careless user types it
    assert {e.actor_username for e in by_user.entries} == {"ana.martin"}
    assert len(by_user.entries) == 3
    exports = client.audit_events(action="export")
    assert {e.action for e in exports.entries} == {"export"} and len(exports.entries) == 2
    today = paris_day(utcnow())
    assert len(client.audit_events(since=today, until=today).entries) == 5
    assert client.audit_events(until=today - timedelta(days=1)).entries == []
    assert client.audit_events(since=today + timedelta(days=1)).entries == []
    assert client.audit_events(username="personne.inconnue").entries == []
    first = client.audit_events(limit=2)
    assert len(first.entries) == 2 and first.truncated
    assert first.entries == page.entries[:2]
    assert len(client.audit_events(team_id=teams["nord"]).entries) == 5


def test_everyone_else_is_refused_with_a_code(world: Any, teams: dict[str, Any]) -> None:
    referent: SyncClient = teams["ana"].client
    with pytest.raises(SyncError) as refused:
        referent.audit_events()
    assert refused.value.status == 403 and refused.value.code == "supervisor_only"
    assert "responsables" in str(refused.value)

    sue = world.device("sue-laptop", "sue.cheffe")
    sue.sync()
    mine = sue.client.audit_events()
    assert {e.person_id for e in mine.entries} == {teams["p3"], None}
    assert {e.actor_username for e in mine.entries} == {"carole.sud"}
    for person in (teams["p1"], uuid.uuid4()):  # Nord's person and no one: the same answer
        with pytest.raises(SyncError) as refused:
            sue.client.audit_events(person_id=person)
        assert (refused.value.status, refused.value.code) == (403, "out_of_scope")
    for team in (teams["nord"], uuid.uuid4()):
        with pytest.raises(SyncError) as refused:
            sue.client.audit_events(team_id=team)
        assert (refused.value.status, refused.value.code) == (403, "team_out_of_scope")
    assert "équipe" in str(refused.value)


def test_bad_filters_are_refused_with_a_code_never_a_500(world: Any, teams: dict[str, Any]) -> None:
    sam = Api(world.url, "sam.chef")
    try:
        for params in (
            {"since": "2026-12-02", "until": "2026-12-01"},
            {"since": "hier"},
            {"until": "2026-02-30"},
            {"action": "delete"},
            {"action": "OPEN"},
            {"person": "pas-un-uuid"},
            {"person": "' OR 1=1 --"},
            {"team": "0"},
            {"limit": "0"},
            {"limit": "5001"},
            {"limit": "-1"},
            {"user": "x" * 101},
            {"protocol": "2"},
        ):
            answer = sam.http.get("/audit/events", params=params)
            assert 400 <= answer.status_code < 500, (params, answer.status_code)
            assert answer.json()["code"] in ("invalid_request", "unsupported_protocol"), params
        no_token = httpx.get(f"{world.url}/audit/events")
        assert no_token.status_code == 401 and no_token.json()["code"] == "auth_required"
        quoted = sam.http.get("/audit/events", params={"user": "ana.martin' OR '1'='1"})
        assert quoted.status_code == 200 and quoted.json()["entries"] == []
    finally:
        sam.close()


def test_no_server_is_a_french_offline_message(world: Any, teams: dict[str, Any]) -> None:
    sam = teams["sam"]
    client = SyncClient(
        sam.store,
        server_url=f"http://127.0.0.1:{free_port()}",
        keyring_backend=sam.ring,
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02),
    )
    client._access_token, client._access_expires = "jeton", 4e9  # skip the refresh
    try:
        with pytest.raises(OfflineError) as offline:
            client.audit_events()
        assert "hors ligne" in str(offline.value)
    finally:
        client.close()
