"""Issue 11, *Why* 8 (every bad input a 4xx with a code, never a 500; an unexpected error
leaves the connection usable) and *Why* 9 (login throttling without an oracle, refresh
tokens rotated with reuse detection), against a running server."""

from __future__ import annotations

import json
import socket
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from authz_support import PASSWORD, Api, unique
from sqlalchemy import select

from sync.server import service
from sync.server.models import refresh_token


def _login(url: str, username: str, password: str = PASSWORD, **kw: Any) -> httpx.Response:
    device_id = kw.pop("device_id", str(uuid.uuid4()))
    client: httpx.Client = kw.pop("client", None) or httpx.Client(timeout=30)
    return client.post(
        f"{url}/auth/login",
        json={"username": username, "password": password, "device_id": device_id},
    )


def _from(address: str) -> httpx.Client:
    """A client whose requests come from another loopback address (another machine)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


# -- Why 8 -------------------------------------------------------------------------------


@pytest.fixture
def alice(module_world: Any) -> Api:
    name = unique("alice.e")
    team = unique("Est")
    module_world.admin.create_team(team)
    module_world.user(name, team=team)
    return Api(module_world.url, name)


def test_why8_lone_surrogate_in_value_or_field_name_is_a_4xx(module_world: Any, alice: Api) -> None:
    person = module_world.admin.create_person({"last_name": "S", "first_name": "S"}, alice.username)
    for fields in ({"city": "\ud800"}, {"\ud800": "x"}, {"city": "ok\udfff"}):
        body = {"protocol": 1, "changes": [alice.change("person", person, fields)]}
        raw = json.dumps(body).encode("ascii")  # ensure_ascii: "\ud800" travels escaped
        response = alice.http.post(
            "/sync/push", content=raw, headers={"Content-Type": "application/json"}
        )
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["code"] == "invalid_value"
    table = {"protocol": 1, "changes": [alice.change("\ud800", person, {"city": "x"})]}
    response = alice.http.post(
        "/sync/push",
        content=json.dumps(table).encode("ascii"),
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500 and response.json()["code"]
    login = httpx.post(
        f"{module_world.url}/auth/login",
        content=json.dumps(
            {"username": "al\ud800", "password": "x", "device_id": str(uuid.uuid4())}
        ).encode("ascii"),
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= login.status_code < 500 and login.json()["code"]


def test_why8_device_id_differing_only_by_a_dash(module_world: Any, alice: Api) -> None:
    twin = alice.device_id.replace("-", "")
    response = _login(module_world.url, alice.username, device_id=twin)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "device_mismatch"


def test_why8_huge_bearer_token_gets_a_json_401(module_world: Any) -> None:
    response = httpx.get(
        f"{module_world.url}/sync/pull", headers={"Authorization": "Bearer " + "A" * 65536}
    )
    assert response.status_code == 401, response.text[:200]
    assert response.json()["code"] == "token_invalid"


def _raw_exchange(url: str, requests: list[bytes]) -> list[bytes]:
    """Send requests one after the other on ONE keep-alive connection; their answers."""
    host, port = url.removeprefix("http://").split(":")
    answers = []
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        reader = sock.makefile("rb")
        for request in requests:
            sock.sendall(request)
            status = reader.readline()
            headers: dict[str, str] = {}
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = reader.read(int(headers.get("content-length", "0")))
            answers.append(status + body)
            if headers.get("connection") == "close":
                break
    return answers


def test_why8_unexpected_error_is_a_500_with_a_code_and_keeps_the_connection(
    module_world: Any, alice: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("panne imprévue")

    monkeypatch.setattr(service, "pull", boom)
    host = module_world.url.removeprefix("http://")
    pull = (
        f"GET /sync/pull HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {alice.token}\r\n\r\n"
    ).encode()
    health = f"GET /health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    answers = _raw_exchange(module_world.url, [pull, health])
    assert len(answers) == 2, answers
    assert answers[0].startswith(b"HTTP/1.1 500")
    assert json.loads(answers[0].split(b"\r\n", 1)[1])["code"] == "internal_error"
    assert answers[1].startswith(b"HTTP/1.1 200")


# -- Why 9 -------------------------------------------------------------------------------


def test_why9_same_answer_for_unknown_disabled_and_locked(world: Any) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    world.user("zoe.off", team="Nord")
    world.admin.set_active("zoe.off", False)
    wrong = _login(world.url, "alice.martin", "pas le bon")
    unknown = _login(world.url, "personne.inconnue", "pas le bon")
    disabled = _login(world.url, "zoe.off", PASSWORD)  # the right password
    for response in (wrong, unknown, disabled):
        assert response.status_code == 401, response.text
        assert response.json() == wrong.json()
    # Failures lock a real and an unknown account alike, each with Retry-After.
    limit = world.settings.max_login_failures
    for name in ("alice.martin", "personne.inconnue"):
        answers = [_login(world.url, name, "pas le bon") for _ in range(limit + 1)]
        statuses = [a.status_code for a in answers]
        assert statuses[-1] == 429, (name, statuses)
        assert int(answers[-1].headers["Retry-After"]) > 0
        assert answers[-1].json()["code"] == "too_many_attempts"
    # Even the right password is answered 429 from this client while blocked...
    blocked = _login(world.url, "alice.martin")
    assert blocked.status_code == 429
    # ...but the owner on her own machine is not locked out by someone else's guesses.
    with _from("127.0.0.2") as elsewhere:
        assert _login(world.url, "alice.martin", client=elsewhere).status_code == 200


def test_why9_password_spray_from_one_client_is_throttled(world: Any) -> None:
    world.admin.create_team("Nord")
    names = [f"user{i}.spray" for i in range(25)]
    for name in names[:5]:
        world.user(name, team="Nord")
    statuses = [_login(world.url, name, "Printemps2026!").status_code for name in names]
    limit = world.settings.max_client_login_failures
    assert statuses[:limit] == [401] * limit
    assert set(statuses[limit:]) == {429}, statuses
    # another client is not affected
    with _from("127.0.0.3") as other:
        assert _login(world.url, names[0], client=other).status_code == 200


def test_why9_refresh_tokens_rotate_with_reuse_detection(world: Any) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    device_id = str(uuid.uuid4())
    first = _login(world.url, "alice.martin", device_id=device_id).json()["refresh_token"]

    def refresh(token: str) -> httpx.Response:
        return httpx.post(
            f"{world.url}/auth/refresh", json={"refresh_token": token, "device_id": device_id}
        )

    second_response = refresh(first)
    assert second_response.status_code == 200
    second = second_response.json()["refresh_token"]
    assert second and second != first
    third = refresh(second).json()["refresh_token"]
    # Absolute lifetime: the family's expiry never moves.
    with world.engine.connect() as connection:
        expiries = set(
            connection.execute(
                select(refresh_token.c.expires_at).where(refresh_token.c.device_id == device_id)
            ).scalars()
        )
    assert len(expiries) == 1
    # Reuse of a used token: refused, and the whole family with it (the thief's copy and
    # the owner's current token alike).
    replay = refresh(first)
    assert (replay.status_code, replay.json()["code"]) == (401, "refresh_invalid")
    assert refresh(third).status_code == 401
    # A new login works and ends every earlier token of the device.
    fresh = _login(world.url, "alice.martin", device_id=device_id).json()["refresh_token"]
    again = _login(world.url, "alice.martin", device_id=device_id).json()["refresh_token"]
    assert refresh(fresh).status_code == 401
    assert refresh(again).status_code == 200


def test_why9_refresh_does_not_extend_beyond_the_absolute_lifetime(world: Any) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    device_id = str(uuid.uuid4())
    token = _login(world.url, "alice.martin", device_id=device_id).json()["refresh_token"]
    real_now = world.settings.now
    lifetime = world.settings.refresh_token_ttl_s
    try:
        for days in (30, 90, 170):
            world.settings.now = lambda d=days: real_now() + timedelta(days=d)
            response = httpx.post(
                f"{world.url}/auth/refresh", json={"refresh_token": token, "device_id": device_id}
            )
            assert response.status_code == 200
            token = response.json()["refresh_token"]
        world.settings.now = lambda: real_now() + timedelta(seconds=lifetime + 60)
        late = httpx.post(
            f"{world.url}/auth/refresh", json={"refresh_token": token, "device_id": device_id}
        )
        assert (late.status_code, late.json()["code"]) == (401, "refresh_invalid")
    finally:
        world.settings.now = real_now


def test_why9_device_keeps_the_rotated_refresh_token(world: Any) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    device = world.device("alice-laptop", "alice.martin")
    real_now = world.settings.now
    try:
        for minutes in (20, 40, 60):  # three expiries: three refreshes in a row
            world.settings.now = lambda m=minutes: real_now() + timedelta(minutes=m)
            device.client._access_expires = 0  # the device's own clock says: expired
            assert device.sync().ok
    finally:
        world.settings.now = real_now


def test_a_lost_refresh_answer_is_answered_again_only_to_its_device(world: Any) -> None:
    """The device's retry after a lost answer (same token, same rotation id, successor never
    used) gets a new answer; a copy of the token without the id, a different id, or a retry
    after the successor was used is a reuse and revokes the family."""
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")

    def family() -> tuple[str, Any]:
        device_id = str(uuid.uuid4())
        token = _login(world.url, "alice.martin", device_id=device_id).json()["refresh_token"]

        def refresh(token: str, rotation_id: str | None = None) -> httpx.Response:
            body = {"refresh_token": token, "device_id": device_id}
            if rotation_id is not None:
                body["rotation_id"] = rotation_id
            return httpx.post(f"{world.url}/auth/refresh", json=body)

        return token, refresh

    # The answer is lost twice, then arrives: one family, one usable token at the end.
    first, refresh = family()
    rotation = str(uuid.uuid4())
    lost = refresh(first, rotation).json()["refresh_token"]
    lost_again = refresh(first, rotation).json()["refresh_token"]
    arrived = refresh(first, rotation)
    assert arrived.status_code == 200
    current = arrived.json()["refresh_token"]
    assert len({first, lost, lost_again, current}) == 4
    for never_delivered in (lost, lost_again):  # replaced: refused, nothing else revoked
        assert refresh(never_delivered).status_code == 401
    following = refresh(current, str(uuid.uuid4()))
    assert following.status_code == 200
    # Once the successor has been used, the old answer cannot be asked for again.
    replay = refresh(first, rotation)
    assert (replay.status_code, replay.json()["code"]) == (401, "refresh_invalid")
    assert refresh(following.json()["refresh_token"]).status_code == 401  # family revoked

    # A copy of the token without the device's rotation id: a reuse, the family goes.
    first, refresh = family()
    successor = refresh(first, str(uuid.uuid4())).json()["refresh_token"]
    for stolen in (refresh(first), refresh(first, str(uuid.uuid4()))):
        assert (stolen.status_code, stolen.json()["code"]) == (401, "refresh_invalid")
    assert refresh(successor).status_code == 401

    # A malformed rotation id is a 422 with a code, and uses nothing up.
    first, refresh = family()
    bad = httpx.post(
        f"{world.url}/auth/refresh",
        json={"refresh_token": first, "device_id": "x" * 10, "rotation_id": "pas-un-uuid"},
    )
    assert bad.status_code == 422 and bad.json()["code"]
