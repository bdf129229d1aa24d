"""The wire contract (issue 9): the integration suite's traffic against the OpenAPI document.

Every integration test is already checked by the autouse ``wire_checked`` fixture
(``tests/integration/conftest.py``). These tests prove that the check covers every operation
and that it fails when either side drifts alone: a server that renames a field of its answer,
a client that renames a parameter the server would silently ignore.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from spie_desktop.services.notes import write_note
from sync.protocol import DiffRequest, FilesRequest, HandoverRequest, RevealRequest
from sync.server import service as server_service
from tests.support.contract import Exchange, OpenApiContract, WireRecorder
from tests.support.devkit import hlc_for


class _Stuck(Exception):
    pass


def _team(world: Any) -> tuple[uuid.UUID, uuid.UUID]:
    world.admin.create_team("Nord")
    world.user("ana.martin", team="Nord")
    bob = world.user("bob.bernard", team="Nord")
    person = world.admin.create_person({"last_name": "Moreau", "first_name": "Zoé"}, "ana.martin")
    return person, bob


def test_every_operation_is_exercised_and_conforms(
    world: Any, wire_checked: WireRecorder, wire_contract: OpenApiContract
) -> None:
    person, bob = _team(world)
    device = world.device("ana-laptop", "ana.martin")  # /auth/login
    device.sync()  # /sync/pull, snapshot
    with device.write() as session:
        write_note(session, device.actor, person, "Premier entretien au domicile.")
    device.sync()  # /sync/push, then /sync/pull, log
    device.client._access_token = None  # the access token expired: /auth/refresh
    device.sync()
    token = device.client._token()
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{world.url}/health").status_code == 200
    diff = DiffRequest(rows=[("person", person, hlc_for("ana-laptop"))])
    answer = httpx.post(
        f"{world.url}/sync/diff", json=diff.model_dump(mode="json"), headers=headers
    )
    assert answer.status_code == 200
    # Digests of the scope's files, and a file downloaded again (issue 10, What 3).
    digests = httpx.get(f"{world.url}/sync/digests", params={"protocol": 1}, headers=headers)
    assert digests.status_code == 200 and digests.json()["persons"][0][0] == str(person)
    files = FilesRequest(person_ids=[person, uuid.uuid4()])
    answer = httpx.post(
        f"{world.url}/sync/files", json=files.model_dump(mode="json"), headers=headers
    )
    assert answer.status_code == 200 and len(answer.json()["missing"]) == 1
    # A tombstone shown again (after a server restore): a MAC this server never made.
    forged = {"person_id": str(uuid.uuid4()), "purged_at": "2026-01-01T00:00:00.000000Z"}
    answer = httpx.post(
        f"{world.url}/sync/tombstones",
        json={"tombstones": [{**forged, "reason": "erasure", "mac": "0" * 64}]},
        headers=headers,
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "refused"

    with device.write() as session:
        secret = write_note(session, device.actor, person, "Note sensible.", sensitive=True)
    device.sync()
    reveal = RevealRequest(note_id=secret.id, reason="Vérification du dossier")
    answer = httpx.post(
        f"{world.url}/sync/reveal", json=reveal.model_dump(mode="json"), headers=headers
    )
    assert answer.status_code < 500
    handover = HandoverRequest(person_id=person, referent_id=bob, note="Départ en congé.")
    answer = httpx.post(
        f"{world.url}/sync/handover", json=handover.model_dump(mode="json"), headers=headers
    )
    assert answer.status_code < 500

    world.user("sam.chef", role="supervisor", team="Nord")
    supervisor = world.device("sam-laptop", "sam.chef")
    supervisor.sync()
    assert supervisor.client.audit_events(person_id=person).entries  # ana's reveal, at least
    refused = httpx.get(f"{world.url}/audit/events", headers=headers)  # a referent's token
    assert refused.status_code == 403

    exercised = {
        (method, template) for method, template, _status in wire_checked.coverage(wire_contract)
    }
    for method, template in set(wire_contract.operations) - exercised:
        if method == "GET" and "{" not in template:  # a listing: its first page
            assert httpx.get(f"{world.url}{template}", headers=headers).status_code < 500
    coverage = wire_checked.coverage(wire_contract)
    exercised = {(method, template) for method, template, _status in coverage}
    missing = set(wire_contract.operations) - exercised
    assert not missing, f"opérations jamais exercées (ajoutez-les à ce test) : {sorted(missing)}"
    succeeded = {(m, t) for m, t, status in coverage if 200 <= status < 300}
    assert {
        ("POST", "/auth/login"),
        ("POST", "/auth/refresh"),
        ("POST", "/sync/push"),
        ("GET", "/sync/pull"),
        ("POST", "/sync/diff"),
        ("GET", "/sync/digests"),
        ("POST", "/sync/files"),
        ("GET", "/audit/events"),
        ("GET", "/health"),
    } <= succeeded
    problems = [p for e in wire_checked.exchanges for p in wire_contract.violations(e)]
    assert problems == []


def test_a_server_that_renames_a_field_alone_breaks_the_contract(
    world: Any,
    wire_checked: WireRecorder,
    wire_contract: OpenApiContract,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person, _bob = _team(world)
    device = world.device("ana-laptop", "ana.martin")
    real_page = server_service.pull

    def renamed(*args: Any, **kwargs: Any) -> dict[str, Any]:
        page = dict(real_page(*args, **kwargs))
        page["has_more"] = page.pop("more")
        return page

    monkeypatch.setattr(server_service, "pull", renamed)
    device.sync(expect_ok=False)
    # The page goes out through the protocol model: the renamed page never reaches the wire…
    pulls = [e for e in wire_checked.exchanges if e.path == "/sync/pull"]
    assert pulls and all("has_more" not in json.dumps(e.response_body) for e in pulls)
    # …and the refusal is a status the document does not promise: the check names it.
    problems = [p for e in wire_checked.exchanges for p in wire_contract.violations(e)]
    assert any("/sync/pull → 500" in p for p in problems), problems
    wire_checked.exchanges.clear()  # the drift was the point; the fixture checks nothing more
    assert person


def test_a_client_that_renames_a_parameter_alone_breaks_the_contract(
    world: Any,
    wire_checked: WireRecorder,
    wire_contract: OpenApiContract,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server ignores an unknown query parameter: without the contract, a client that
    sends ``from`` instead of ``since`` would download everything again, forever, unseen."""
    _team(world)
    device = world.device("ana-laptop", "ana.martin")
    real_request = device.client._request
    pulls = 0

    def renamed(method: str, path: str, **kwargs: Any) -> Any:
        nonlocal pulls
        params = kwargs.get("params")
        if params and "since" in params:
            pulls += 1
            if pulls > 3:  # the server keeps sending the first page: the client never ends
                raise _Stuck()
            params = dict(params)
            params["from"] = params.pop("since")
            kwargs["params"] = params
        return real_request(method, path, **kwargs)

    monkeypatch.setattr(device.client, "_request", renamed)
    with pytest.raises(_Stuck):
        device.sync()
    problems = [p for e in wire_checked.exchanges for p in wire_contract.violations(e)]
    assert any("paramètre non documenté « from »" in p for p in problems), problems
    wire_checked.exchanges.clear()


def test_the_check_itself_refuses_drift_and_accepts_what_the_server_sends(
    wire_contract: OpenApiContract,
) -> None:
    page = {
        "protocol": 1,
        "mode": "log",
        "snapshot": [],
        "changes": [],
        "next": "l:3",
        "more": False,
        "server_time": "2026-12-01T10:00:00Z",
    }

    def pulled(body: Any, status: int = 200) -> list[str]:
        return wire_contract.violations(
            Exchange("GET", "/sync/pull", [("since", "0")], None, status, body)
        )

    assert pulled(page) == []
    assert pulled({**page, "extra": 1}) != []  # undocumented field
    assert pulled({k: v for k, v in page.items() if k != "next"}) != []  # missing field
    assert pulled({**page, "more": "no"}) != []  # wrong type
    assert pulled({"code": "x", "message": "y"}, status=418) != []  # undocumented status
    refused = Exchange(
        "POST", "/sync/push", [], {"bogus": True}, 422, {"code": "invalid_request", "message": "m"}
    )
    assert wire_contract.violations(refused) == []  # a refused bad request is fine…
    accepted = Exchange("POST", "/sync/push", [], {"bogus": True}, 200, {"results": []})
    assert wire_contract.violations(accepted) != []  # …an accepted one is not


class _DriftingPulls(httpx.BaseTransport):
    """The real server on loopback, with its pull pages altered on the way back (a server
    of another version, or a proxy that rewrites): what the device must refuse to apply."""

    def __init__(self, drift: Any) -> None:
        self.inner = httpx.HTTPTransport()
        self.drift = drift
        self.active = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not (self.active and request.url.path == "/sync/pull"):
            return response
        response.read()
        page = self.drift(json.loads(response.content))
        return httpx.Response(response.status_code, json=page, request=request)

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize(
    "drift",
    [
        lambda page: {**page, "next": {"seq": page["next"]}},  # a cursor of another shape
        lambda page: {k: v for k, v in page.items() if k != "more"},  # a field dropped
        lambda page: {**page, "mode": "delta"},  # a mode the protocol does not have
    ],
    ids=["cursor_shape", "more_missing", "unknown_mode"],
)
def test_a_pull_page_outside_the_protocol_is_refused_and_applies_nothing(
    world: Any, wire_checked: WireRecorder, drift: Any
) -> None:
    person, _bob = _team(world)
    transport = _DriftingPulls(drift)
    device = world.device("ana-laptop", "ana.martin", transport=transport)
    device.sync()
    cursor = device.store.get_state("cursor")
    with world.admin.session() as session:
        session.write("person", person, {"city": "Clamecy"})
    transport.active = True
    try:
        report = device.sync(expect_ok=False)
    finally:
        wire_checked.exchanges.clear()  # the altered pages were the point
    assert (report.ok, report.code) == (False, "invalid_answer"), report
    assert device.store.get_state("cursor") == cursor  # the cursor did not move
    assert device.rows("person")[str(person)]["city"] != "Clamecy"  # nothing applied
    transport.active = False
    device.sync()
    assert device.rows("person")[str(person)]["city"] == "Clamecy"
