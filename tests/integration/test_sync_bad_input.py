"""Bad input: malformed JSON, wrong types, unknown tables or codes, oversized batches and
bodies, a change id replayed with other content — a 4xx with a code and a French
message, and nothing applied."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import zstandard
from sqlalchemy import func, select

from sync.protocol import MAX_PUSH_CHANGES
from sync.server.models import change_log
from tests.support.devkit import hlc_for, server_rows

PASSWORD = "mot-de-passe-test"


@pytest.fixture
def api(any_world: Any) -> dict[str, Any]:
    world = any_world
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    person = world.admin.create_person({"last_name": "Durand", "first_name": "J"}, "alice.martin")
    device_id = str(uuid.uuid4())
    login = httpx.post(
        f"{world.url}/auth/login",
        json={"username": "alice.martin", "password": PASSWORD, "device_id": device_id},
    )
    token = login.json()["access_token"]
    return {
        "world": world,
        "person": person,
        "node": device_id.replace("-", ""),
        "headers": {"Authorization": f"Bearer {token}"},
    }


def _log_size(world: Any) -> int:
    with world.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(change_log)).scalar_one())


def _change(api: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    change = {
        "change_id": str(uuid.uuid4()),
        "table": "person",
        "row_id": str(api["person"]),
        "op": "upsert",
        "fields": {"city": "Nevers"},
        "hlc": hlc_for(api["node"]),
    }
    change.update(overrides)
    return change


def _post(
    api: dict[str, Any],
    body: Any,
    *,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    all_headers = {**api["headers"], **(headers or {})}
    if raw is not None:
        all_headers.setdefault("Content-Type", "application/json")
        return httpx.post(f"{api['world'].url}/sync/push", content=raw, headers=all_headers)
    return httpx.post(f"{api['world'].url}/sync/push", json=body, headers=all_headers)


def _expect(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["message"] and body["message"][0].isupper()  # a French sentence
    return dict(body)


def test_every_bad_push_is_refused_and_changes_nothing(api: dict[str, Any]) -> None:
    world = api["world"]
    before = _log_size(world)
    person_before = server_rows(world.engine, "person", [api["person"]])
    good = _change(api)  # travels with each bad one: must not be applied either
    now = datetime.now(UTC).isoformat()

    cases: list[tuple[httpx.Response, int, str]] = [
        (_post(api, None, raw=b'{"changes": [ {"change_id": '), 400, "invalid_json"),
        (_post(api, {"changes": "pas une liste"}), 422, "invalid_request"),
        (
            _post(api, {"changes": [good, _change(api, row_id="pas-un-uuid")]}),
            422,
            "invalid_request",
        ),
        (_post(api, {"changes": [good, _change(api, op="truncate")]}), 422, "invalid_request"),
        (_post(api, {"changes": [good, _change(api, hlc="demain")]}), 422, "invalid_request"),
        (_post(api, {"changes": [good], "extra": 1}), 422, "invalid_request"),
        (_post(api, {"changes": [good, _change(api, table="secrets")]}), 422, "unknown_table"),
        (
            _post(api, {"changes": [good, _change(api, fields={"nir": "1 84 12"})]}),
            422,
            "unknown_field",
        ),
        (
            _post(api, {"changes": [good, _change(api, fields={"updated_at": now})]}),
            422,
            "unknown_field",
        ),
        (
            _post(api, {"changes": [good, _change(api, fields={"children_count": "trois"})]}),
            422,
            "invalid_value",
        ),
        (
            _post(api, {"changes": [good, _change(api, fields={"birth_date": "31/02/1990"})]}),
            422,
            "invalid_value",
        ),
        (
            _post(api, {"changes": [good, _change(api, fields={"city": "x" * 101})]}),
            422,
            "invalid_value",
        ),
        (
            _post(api, {"changes": [good, _change(api, fields={"rsa_status": "riche"})]}),
            422,
            "unknown_code",
        ),
        (
            _post(
                api,
                {
                    "changes": [
                        good,
                        _change(
                            api,
                            table="barrier",
                            row_id=str(uuid.uuid4()),
                            fields={"theme": "astrologie"},
                        ),
                    ]
                },
            ),
            422,
            "unknown_code",
        ),
        (
            _post(
                api,
                {
                    "changes": [
                        good,
                        _change(
                            api,
                            table="appointment",
                            row_id=str(uuid.uuid4()),
                            fields={"starts_at": "2026-01-01T10:00:00"},
                        ),
                    ]
                },
            ),
            422,
            "invalid_value",
        ),
        (
            _post(api, {"changes": [good, _change(api, hlc=hlc_for("autreappareil"))]}),
            422,
            "invalid_value",
        ),
        (_post(api, {"changes": [good, good]}), 422, "duplicate_change_id"),
        (_post(api, {"changes": [good], "protocol": 99}), 400, "unsupported_protocol"),
        (
            _post(api, {"changes": [_change(api) for _ in range(MAX_PUSH_CHANGES + 1)]}),
            413,
            "batch_too_large",
        ),
    ]
    for response, status, code in cases:
        _expect(response, status, code)
    assert _log_size(world) == before
    assert server_rows(world.engine, "person", [api["person"]]) == person_before


def test_bodies_too_large_bombs_and_unknown_encodings(api: dict[str, Any]) -> None:
    world = api["world"]
    before = _log_size(world)
    huge = json.dumps({"changes": [_change(api, fields={"city": "x" * 100})] * 1}).encode()
    padded = huge[:-1] + b', "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    _expect(_post(api, None, raw=padded), 413, "payload_too_large")
    bomb = zstandard.ZstdCompressor().compress(b" " * (64 * 1024 * 1024))
    _expect(
        _post(api, None, raw=bomb, headers={"Content-Encoding": "zstd"}), 413, "payload_too_large"
    )
    gz_bomb = gzip.compress(b" " * (64 * 1024 * 1024))
    _expect(
        _post(api, None, raw=gz_bomb, headers={"Content-Encoding": "gzip"}),
        413,
        "payload_too_large",
    )
    _expect(
        _post(api, None, raw=b"\x28\xb5\x2f\xfdgarbage", headers={"Content-Encoding": "zstd"}),
        400,
        "invalid_request",
    )
    _expect(
        _post(api, None, raw=b"{}", headers={"Content-Encoding": "br"}), 415, "unsupported_encoding"
    )
    assert _log_size(world) == before
    # A well-formed compressed push goes through, in both encodings.
    for encoding, pack in (("zstd", zstandard.ZstdCompressor().compress), ("gzip", gzip.compress)):
        body = json.dumps({"changes": [_change(api, fields={"city": encoding})]}).encode()
        response = _post(api, None, raw=pack(body), headers={"Content-Encoding": encoding})
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["status"] == "accepted"


def test_replayed_change_id_same_content_acknowledged_other_content_refused(
    api: dict[str, Any],
) -> None:
    world = api["world"]
    change = _change(api, fields={"city": "Nevers"})
    first = _post(api, {"changes": [change]}).json()["results"][0]
    again = _post(api, {"changes": [change]}).json()["results"][0]
    assert first["status"] == again["status"] == "accepted"
    assert again["duplicate"] and again["seq"] == first["seq"]
    size = _log_size(world)
    other = dict(change, fields={"city": "Ailleurs"})
    body = _expect(_post(api, {"changes": [_change(api), other]}), 422, "change_id_reused")
    assert body["change_id"] == change["change_id"]
    assert _log_size(world) == size
    assert (
        server_rows(world.engine, "person", [api["person"]])[str(api["person"])]["city"] == "Nevers"
    )


def test_bad_pull_parameters(api: dict[str, Any]) -> None:
    url = f"{api['world'].url}/sync/pull"
    headers = api["headers"]
    _expect(httpx.get(url, params={"limit": 0}, headers=headers), 422, "invalid_request")
    _expect(httpx.get(url, params={"limit": "beaucoup"}, headers=headers), 422, "invalid_request")
    _expect(
        httpx.get(url, params={"since": "n'importe quoi"}, headers=headers), 410, "cursor_unknown"
    )
    _expect(httpx.get(url, params={"since": "999999.abcd"}, headers=headers), 410, "cursor_unknown")
    _expect(httpx.get(url, params={"protocol": 2}, headers=headers), 400, "unsupported_protocol")
    _expect(httpx.get(f"{api['world'].url}/nulle-part"), 404, "not_found")
    _expect(httpx.delete(url, headers=headers), 405, "method_not_allowed")
    login = httpx.post(f"{api['world'].url}/auth/login", json={"username": "x"})
    _expect(login, 422, "invalid_request")


def test_openapi_document_describes_the_protocol(api: dict[str, Any]) -> None:
    document = httpx.get(f"{api['world'].url}/openapi.json").json()
    paths = document["paths"]
    assert set(paths) >= {"/auth/login", "/auth/refresh", "/sync/push", "/sync/pull", "/health"}
    push = paths["/sync/push"]["post"]
    assert push["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PushRequest"
    )
    assert push["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PushResponse"
    )
    assert "422" in push["responses"] and "401" in push["responses"]
    pull = paths["/sync/pull"]["get"]
    assert {p["name"] for p in pull["parameters"]} >= {"since", "limit"}
    assert "410" in pull["responses"]
    schemas = document["components"]["schemas"]
    assert {"WireChange", "ChangeResult", "PulledChange", "RowBlock", "ErrorBody"} <= set(schemas)
    assert "bearer" in json.dumps(document["components"].get("securitySchemes", {})).lower()
