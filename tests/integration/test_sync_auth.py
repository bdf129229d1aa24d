"""Authorisation, endpoint by endpoint: a referent's token never reads or writes a person
outside its scope; expired, invalid or revoked credentials are refused; a revoked device
is wiped after telling the user."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from spie_desktop.store.vault import KEYRING_SERVICE, Vault
from tests.support.devkit import Device, hlc_for, server_rows

PASSWORD = "mot-de-passe-test"


def _token(world: Any, username: str, device_id: str | None = None) -> tuple[str, str, str]:
    device_id = device_id or str(uuid.uuid4())
    response = httpx.post(
        f"{world.url}/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": device_id},
    )
    assert response.status_code == 200, response.text
    document = response.json()
    return document["access_token"], document["refresh_token"], device_id


def _push(world: Any, token: str, device_id: str, changes: list[dict[str, Any]]) -> httpx.Response:
    return httpx.post(
        f"{world.url}/sync/push",
        json={"changes": changes},
        headers={"Authorization": f"Bearer {token}"},
    )


def _pull_all(world: Any, token: str) -> list[dict[str, Any]]:
    pages = []
    cursor = "0"
    while True:
        response = httpx.get(
            f"{world.url}/sync/pull",
            params={"since": cursor},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        cursor = page["next"]
        if not page["more"]:
            return pages


def _person_ids(pages: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for page in pages:
        blocks = list(page["snapshot"])
        for change in page["changes"]:
            blocks.extend(change.get("snapshot", []))
            if change.get("person_id"):
                found.add(change["person_id"])
        for block in blocks:
            index = (
                block["columns"].index("id" if block["table"] == "person" else "person_id")
                if block["table"]
                in ("person", "appointment", "note", "barrier", "action", "referent_assignment")
                else None
            )
            if index is not None:
                found.update(row[index] for row in block["rows"])
    return found


def _setup(world: Any) -> tuple[uuid.UUID, uuid.UUID]:
    world.admin.create_team("Nord")
    world.admin.create_team("Est")
    world.user("alice.martin", team="Nord")
    world.user("carol.petit", team="Est")
    mine = world.admin.create_person({"last_name": "Mien", "first_name": "A"}, "alice.martin")
    theirs = world.admin.create_person({"last_name": "Autre", "first_name": "B"}, "carol.petit")
    return mine, theirs


def test_scope_enforced_on_every_endpoint(any_world: Any) -> None:
    world = any_world
    mine, theirs = _setup(world)
    carol_id = server_rows(world.engine, "person", [theirs])[str(theirs)]["referent_id"]
    token, _refresh, device_id = _token(world, "alice.martin")
    node = device_id.replace("-", "")

    # pull: the other referent's person never comes, in snapshot or log mode
    seen = _person_ids(_pull_all(world, token))
    assert str(mine) in seen and str(theirs) not in seen
    world.admin.create_person({"last_name": "Encore", "first_name": "C"}, "carol.petit")
    seen = _person_ids(_pull_all(world, token))
    assert str(theirs) not in seen

    # push: updates, new rows and new persons outside the scope are refused
    now = datetime.now(UTC).isoformat()
    attempts = [
        {"table": "person", "row_id": str(theirs), "fields": {"city": "Volée"}},
        {
            "table": "note",
            "row_id": str(uuid.uuid4()),
            "fields": {
                "person_id": str(theirs),
                "text": "intrus",
                "kind": "suivi",
                "written_at": now,
                "created_at": now,
                "sensitive": False,
                "author_id": None,
                "supersedes_id": None,
                "deleted_at": None,
            },
        },
        {
            "table": "person",
            "row_id": str(uuid.uuid4()),
            "fields": {
                "last_name": "X",
                "first_name": "Y",
                "follow_up_status": "a_contacter",
                "referent_id": carol_id,
                "created_at": now,
            },
        },
        {"table": "referent", "row_id": carol_id, "fields": {"active": False}},
    ]
    changes = [
        {"change_id": str(uuid.uuid4()), "op": "upsert", "hlc": hlc_for(node, i), **attempt}
        for i, attempt in enumerate(attempts)
    ]
    response = _push(world, token, device_id, changes)
    assert response.status_code == 200, response.text
    codes = [r["code"] for r in response.json()["results"]]
    assert codes == ["out_of_scope", "out_of_scope", "out_of_scope", "read_only_table"]
    assert all(r["status"] == "refused" and r["message"] for r in response.json()["results"])
    assert server_rows(world.engine, "person", [theirs])[str(theirs)]["city"] is None
    assert server_rows(world.engine, "note", [theirs]) == {}

    # the same change on her own person is accepted
    ok = {
        "change_id": str(uuid.uuid4()),
        "op": "upsert",
        "hlc": hlc_for(node, 9),
        "table": "person",
        "row_id": str(mine),
        "fields": {"city": "Nevers"},
    }
    response = _push(world, token, device_id, [ok])
    assert response.json()["results"][0]["status"] == "accepted"


def test_tokens_expired_invalid_missing_and_revoked(world: Any) -> None:
    _setup(world)
    token, refresh, device_id = _token(world, "alice.martin")
    for path, method in (("/sync/pull", "GET"), ("/sync/push", "POST")):
        body = {"changes": []} if method == "POST" else None
        missing = httpx.request(method, f"{world.url}{path}", json=body)
        assert (missing.status_code, missing.json()["code"]) == (401, "auth_required")
        bogus = httpx.request(
            method, f"{world.url}{path}", json=body, headers={"Authorization": "Bearer v1.abc.def"}
        )
        assert (bogus.status_code, bogus.json()["code"]) == (401, "token_invalid")
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        forged_response = httpx.request(
            method, f"{world.url}{path}", json=body, headers={"Authorization": f"Bearer {forged}"}
        )
        assert forged_response.status_code == 401

    # expired access token: refused; the refresh token gives a new one
    real_now = world.settings.now
    world.settings.now = lambda: real_now() + timedelta(minutes=16)
    try:
        expired = httpx.get(f"{world.url}/sync/pull", headers={"Authorization": f"Bearer {token}"})
        assert (expired.status_code, expired.json()["code"]) == (401, "token_expired")
        renewed = httpx.post(
            f"{world.url}/auth/refresh", json={"refresh_token": refresh, "device_id": device_id}
        )
        assert renewed.status_code == 200
        fresh = renewed.json()["access_token"]
        ok = httpx.get(f"{world.url}/sync/pull", headers={"Authorization": f"Bearer {fresh}"})
        assert ok.status_code == 200
    finally:
        world.settings.now = real_now

    # a refresh token is bound to its device
    stolen = httpx.post(
        f"{world.url}/auth/refresh", json={"refresh_token": refresh, "device_id": str(uuid.uuid4())}
    )
    assert (stolen.status_code, stolen.json()["code"]) == (401, "refresh_invalid")
    # bad password
    wrong = httpx.post(
        f"{world.url}/auth/login",
        json={"username": "alice.martin", "password": "pas le bon", "device_id": str(uuid.uuid4())},
    )
    assert (wrong.status_code, wrong.json()["code"]) == (401, "bad_credentials")
    assert "incorrect" in wrong.json()["message"]

    # password reset: every refresh token of the account is revoked
    world.admin.reset_password("alice.martin", "nouveau-mot-de-passe")
    revoked = httpx.post(
        f"{world.url}/auth/refresh", json={"refresh_token": refresh, "device_id": device_id}
    )
    assert (revoked.status_code, revoked.json()["code"]) == (401, "refresh_invalid")

    # disabled account: refused at once, access token or not
    world.admin.set_active("alice.martin", False)
    disabled = httpx.get(f"{world.url}/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert (disabled.status_code, disabled.json()["code"]) == (403, "account_disabled")

    # revoked device
    world.admin.set_active("alice.martin", True)
    world.admin.revoke_device(device_id, reason="ordinateur perdu")
    gone = httpx.get(f"{world.url}/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert (gone.status_code, gone.json()["code"]) == (403, "device_revoked")


def test_client_refreshes_expired_token_and_asks_to_log_in_again(world: Any) -> None:
    _setup(world)
    device = world.device("laptop", "alice.martin")
    assert device.sync().ok
    real_now = world.settings.now
    world.settings.now = lambda: real_now() + timedelta(hours=1)
    try:
        device.client._access_expires = time.time() + 3600  # the device thinks it is valid
        assert device.sync().ok  # 401 token_expired → refreshed → retried
    finally:
        world.settings.now = real_now
    world.admin.reset_password("alice.martin", "nouveau-mot-de-passe")
    device.client._access_token = None
    report = device.sync(expect_ok=False)
    assert report.status == "auth_required"
    assert "reconnectez-vous" in (report.message or "")


def test_revoked_device_is_wiped_after_telling_the_user(world: Any) -> None:
    mine, _ = _setup(world)
    device: Device = world.device("lost-laptop", "alice.martin")
    device.sync()
    assert str(mine) in device.rows("person")
    told: list[str] = []
    device.client.on_wipe = told.append
    world.admin.revoke_device(device.store.device_id, reason="volé")
    vault_id = Vault.load(device.data_dir, keyring_backend=device.ring).vault_id

    report = device.client.sync()
    assert report.status == "revoked"
    assert told and "révoqué" in told[0]
    assert not (device.data_dir / "store.db").exists()
    assert not Vault.exists(device.data_dir)
    assert device.ring.get_password(KEYRING_SERVICE, f"device-secret:{vault_id}") is None
    assert device.ring.get_password(KEYRING_SERVICE, f"refresh-token:{vault_id}") is None
    # and it cannot log in again with that device id
    again = httpx.post(
        f"{world.url}/auth/login",
        json={
            "username": "alice.martin",
            "password": PASSWORD,
            "device_id": device.store.device_id,
        },
    )
    assert (again.status_code, again.json()["code"]) == (403, "device_revoked")
