"""Many devices pushing at once while others pull: no change is ever skipped by a cursor
(DESIGN §5, the safe horizon), none is applied twice. Meant for PostgreSQL, where
sequence numbers taken by concurrent transactions could otherwise become visible out of
order; the server is slowed between numbering and commit to widen that window."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from sync.server.digest import kept_person_digests, recomputed_person_digests
from sync.server.models import change_log
from tests.support.devkit import hlc_for

PASSWORD = "mot-de-passe-test"
WRITERS = 8
PUSHES_PER_WRITER = 12
NOTES_PER_PUSH = 3
READERS = 4


def _login(world: Any) -> tuple[dict[str, str], str]:
    device_id = str(uuid.uuid4())
    # The generous timeout of the other clients: 12 threads log in at once against one
    # SQLite writer slowed by commit_delay_s; httpx's default 5 s failed under CPU load.
    response = httpx.post(
        f"{world.url}/auth/login",
        json={"username": "alice.martin", "password": PASSWORD, "device_id": device_id},
        timeout=60,
    )
    if response.status_code != 200:
        raise AssertionError(f"login {response.status_code} {response.text[:300]}")
    return {"Authorization": f"Bearer {response.json()['access_token']}"}, device_id


@pytest.mark.slow
def test_concurrent_pushes_and_pulls_skip_nothing(any_world: Any) -> None:
    world = any_world
    world.settings.commit_delay_s = 0.02
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    person = world.admin.create_person({"last_name": "Partagé", "first_name": "P"}, "alice.martin")
    created: list[str] = []
    created_lock = threading.Lock()
    errors: list[str] = []
    writers_done = threading.Event()

    def writer(index: int) -> None:
        headers, device_id = _login(world)
        node = device_id.replace("-", "")
        with httpx.Client(base_url=world.url, headers=headers, timeout=60) as client:
            for push in range(PUSHES_PER_WRITER):
                now = datetime.now(UTC).isoformat()
                changes = []
                for n in range(NOTES_PER_PUSH):
                    row_id = str(uuid.uuid4())
                    changes.append(
                        {
                            "change_id": str(uuid.uuid4()),
                            "table": "note",
                            "row_id": row_id,
                            "op": "upsert",
                            "hlc": hlc_for(node, push * NOTES_PER_PUSH + n),
                            "fields": {
                                "person_id": str(person),
                                "author_id": None,
                                "written_at": now,
                                "created_at": now,
                                "kind": "suivi",
                                "text": f"w{index} p{push} n{n}",
                                "sensitive": False,
                                "supersedes_id": None,
                                "deleted_at": None,
                            },
                        }
                    )
                response = client.post("/sync/push", json={"changes": changes})
                if response.status_code != 200 or any(
                    r["status"] != "accepted" for r in response.json()["results"]
                ):
                    errors.append(response.text[:300])
                    return
                with created_lock:
                    created.extend(c["row_id"] for c in changes)

    seen: list[dict[str, Any]] = [
        {"seqs": [], "notes": set(), "start": None} for _ in range(READERS)
    ]

    def reader(index: int) -> None:
        headers, _ = _login(world)
        state = seen[index]
        cursor = "0"
        with httpx.Client(base_url=world.url, headers=headers, timeout=60) as client:
            final_round = False
            while True:
                response = client.get("/sync/pull", params={"since": cursor, "limit": 17})
                if response.status_code != 200:
                    errors.append(response.text[:300])
                    return
                page = response.json()
                if page["mode"] == "snapshot":
                    for block in page["snapshot"]:
                        if block["table"] == "note":
                            state["notes"].update(
                                row[block["columns"].index("id")] for row in block["rows"]
                            )
                    if page["next"][0] != "s":
                        state["start"] = int(page["next"].split(".")[0])
                else:
                    for change in page["changes"]:
                        state["seqs"].append(change["seq"])
                        if change["kind"] == "change" and change["table"] == "note":
                            state["notes"].add(change["row_id"])
                cursor = page["next"]
                if not page["more"]:
                    if final_round:
                        return
                    if writers_done.is_set():
                        final_round = True  # one more complete pass after the writers
                    else:
                        time.sleep(0.005)

    def guarded(target: Any) -> Any:
        def run(index: int) -> None:
            try:
                target(index)
            except Exception as exc:  # a dead thread must fail the test, not hide
                errors.append(repr(exc)[:300])

        return run

    readers = [threading.Thread(target=guarded(reader), args=(i,)) for i in range(READERS)]
    writers = [threading.Thread(target=guarded(writer), args=(i,)) for i in range(WRITERS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=300)
    writers_done.set()
    for thread in readers:
        thread.join(timeout=300)
    assert not errors, errors[:3]
    assert len(created) == WRITERS * PUSHES_PER_WRITER * NOTES_PER_PUSH

    with world.engine.connect() as connection:
        # Issue 10: concurrent pushes to one person each add their difference to her kept
        # digest (row locked): none is lost.
        kept = kept_person_digests(connection)
        assert kept == recomputed_person_digests(connection)
        assert kept[person][0] == len(created) + 2  # her notes, her row, her assignment
        all_seqs = [
            row.seq
            for row in connection.execute(select(change_log.c.seq).order_by(change_log.c.seq))
        ]
        ids = connection.execute(
            select(func.count(), func.count(func.distinct(change_log.c.change_id))).where(
                change_log.c.change_id.is_not(None)
            )
        ).one()
    assert ids[0] == ids[1]  # none applied twice
    assert all_seqs == list(range(1, len(all_seqs) + 1))  # dense: nothing to skip over
    for state in seen:
        assert state["notes"] >= set(created)  # every note reached every reader
        seqs = state["seqs"]
        assert seqs == sorted(set(seqs))  # each once, in order
        expected = [s for s in all_seqs if s > state["start"]]
        assert seqs == expected  # no seq skipped by the cursor
