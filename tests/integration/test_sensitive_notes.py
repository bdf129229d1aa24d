"""Sensitive notes never reach a supervisor's device (issue 11, What 8): the pull stream
carries a withheld text instead — in snapshots, grants and change entries —; revealing one
needs the department's permission (``supervisors_may_reveal``, default no) and a reason,
is audited by the server, and answers that note's text only. Real loopback server."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from authz_support import Api

from spie_desktop.services.notes import write_note
from sync.server.sensitive import WITHHELD_TEXT
from tests.support.devkit import server_rows

SECRET = "Suivi en addictologie depuis mars"
LATER_SECRET = "Violences conjugales signalées"
PLAIN = "Entretien de suivi, projet de formation"


def _stream(api: Api, since: str = "0") -> tuple[bytes, str]:
    """Every byte of every pull page after ``since``, and the last cursor."""
    chunks = []
    while True:
        response = api.http.get("/sync/pull", params={"since": since, "limit": 2})
        assert response.status_code == 200, response.text
        chunks.append(response.content)
        page = response.json()
        since = page["next"]
        if not page["more"] and not page["snapshot"]:
            return b"".join(chunks), since


def _reveal(api: Api, note_id: Any, reason: str | None = "Signalement à instruire") -> Any:
    body: dict[str, Any] = {"protocol": 1, "note_id": str(note_id)}
    if reason is not None:
        body["reason"] = reason
    return api.http.post("/sync/reveal", json=body)


def test_supervisors_never_receive_sensitive_text_unless_revealed(world: Any) -> None:
    world.admin.create_team("Nord")
    world.admin.create_team("Est")
    world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    world.user("tom.est", role="supervisor", team="Est")
    p = world.admin.create_person({"last_name": "Moreau", "first_name": "Zoé"}, "alice.martin")
    laptop = world.device("alice-laptop", "alice.martin")
    laptop.sync()
    with laptop.write() as session:
        secret = write_note(session, laptop.actor, p, SECRET, sensitive=True)
        write_note(session, laptop.actor, p, PLAIN)
    laptop.sync()

    sam = Api(world.url, "sam.chef")
    stream, cursor = _stream(sam)
    assert SECRET.encode() not in stream
    assert PLAIN.encode() in stream and WITHHELD_TEXT.encode() in stream
    # The referent's own stream still carries it.
    alice = Api(world.url, "alice.martin")
    assert SECRET.encode() in _stream(alice)[0]

    # A change entry (a new note after the first pull) is withheld too.
    with laptop.write() as session:
        write_note(session, laptop.actor, p, LATER_SECRET, sensitive=True)
    laptop.sync()
    later, _ = _stream(sam, cursor)
    assert LATER_SECRET.encode() not in later and WITHHELD_TEXT.encode() in later
    # A grant (a supervisor given the team afterwards) too.
    world.admin.supervise("tom.est", "Nord")
    tom_stream, _ = _stream(Api(world.url, "tom.est"))
    assert str(p).encode() in tom_stream
    assert SECRET.encode() not in tom_stream and LATER_SECRET.encode() not in tom_stream

    # The supervisor's real device holds the placeholder, never the text.
    device = world.device("sam-laptop", "sam.chef")
    device.sync()
    assert device.rows("note")[str(secret.id)]["text"] == WITHHELD_TEXT

    # The department does not allow reveals (the default).
    answer = _reveal(sam, secret.id)
    assert answer.status_code == 403 and answer.json()["code"] == "reveal_forbidden"

    world.settings = world.settings.model_copy(update={"supervisors_may_reveal": True})
    world.restart()
    sam = Api(world.url, "sam.chef")
    for reason in (None, "", "   "):
        answer = _reveal(sam, secret.id, reason)
        assert answer.status_code in (400, 422), answer.text
        assert answer.json()["code"] in ("reason_required", "invalid_request"), answer.text
    answer = _reveal(sam, uuid.uuid4())
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    before = len(server_rows(world.engine, "audit_event"))
    answer = _reveal(sam, secret.id, "Signalement à instruire")
    assert answer.status_code == 200, answer.text
    assert answer.json()["text"] == SECRET
    events = server_rows(world.engine, "audit_event")
    assert len(events) == before + 1
    (event,) = [e for e in events.values() if e["action"] == "reveal"]
    assert event["actor_id"] == sam.referent_id and event["person_id"] == str(p)
    assert "Signalement à instruire" in event["detail"] and str(secret.id) in event["detail"]
    # The stream still withholds every sensitive note: the reveal gave that one text only.
    assert SECRET.encode() not in _stream(sam)[0]


def test_reveal_refuses_what_the_caller_does_not_see(world: Any) -> None:
    world.settings = world.settings.model_copy(update={"supervisors_may_reveal": True})
    world.restart()
    world.admin.create_team("Nord")
    world.admin.create_team("Sud")
    world.user("alice.martin", team="Nord")
    world.user("sue.sud", role="supervisor", team="Sud")
    p = world.admin.create_person({"last_name": "Moreau", "first_name": "Zoé"}, "alice.martin")
    laptop = world.device("alice-laptop", "alice.martin")
    laptop.sync()
    with laptop.write() as session:
        secret = write_note(session, laptop.actor, p, SECRET, sensitive=True)
    laptop.sync()
    sue = Api(world.url, "sue.sud")
    answer = _reveal(sue, secret.id)
    assert answer.status_code == 404 and SECRET not in answer.text
    answer = httpx.post(
        f"{world.url}/sync/reveal", json={"protocol": 1, "note_id": str(secret.id), "reason": "x"}
    )
    assert answer.status_code == 401
    answer = _reveal(sue, secret.id, "x" * 201)
    assert answer.status_code == 422
    for bad in ("motif\x00", "motif\x1b[31m"):
        answer = _reveal(sue, secret.id, bad)
        assert answer.status_code == 400 and answer.json()["code"] == "invalid_value"
