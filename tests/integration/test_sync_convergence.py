"""Two devices of one referent edit the same person offline, then sync in either order:
both devices and the server converge, the losing value is in the change log, nothing is
lost. Then a property test: random offline edits on three devices, random sync orders."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from spie_desktop.domain.enums import NoteKind
from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from sync.server.models import change_log
from tests.support.devkit import Device, server_rows

PERSON_TABLES = ("person", "referent_assignment", "appointment", "barrier", "action", "note")


def _person_state(device: Device, person_id: uuid.UUID) -> dict[str, Any]:
    return device.rows("person")[str(person_id)]


def _log_values(world: Any, person_id: uuid.UUID, field: str) -> list[Any]:
    """Every value the change log kept for a field: applied, overwritten, or lost."""
    values: list[Any] = []
    with world.engine.connect() as connection:
        for row in connection.execute(
            select(change_log.c.fields, change_log.c.overwritten, change_log.c.lost).where(
                change_log.c.table_name == "person", change_log.c.row_id == person_id
            )
        ):
            if field in (row.fields or {}):
                values.append(row.fields[field])
            for extra in (row.overwritten, row.lost):
                if extra and field in extra:
                    values.append(extra[field]["value"])
    return values


@pytest.mark.parametrize("first", ["a", "b"])
def test_two_devices_same_person_converge(any_world: Any, first: str) -> None:
    world = any_world
    world.admin.create_team("Nièvre")
    world.user("alice.martin", team="Nièvre")
    person_id = world.admin.create_person(
        {"last_name": "Durand", "first_name": "Jean", "external_id": "D-1"}, "alice.martin"
    )
    a = world.device("laptop-a", "alice.martin")
    b = world.device("laptop-b", "alice.martin")
    a.sync()
    b.sync()
    assert _person_state(a, person_id)["last_name"] == "Durand"

    # Offline: different fields, and the same field, on both devices.
    with a.write() as session:
        update_person(session, a.actor, person_id, {"city": "Nevers", "last_name": "Durand-A"})
        write_note(session, a.actor, person_id, "Vu à domicile.", kind=NoteKind.HOME_VISIT.value)
    with b.write() as session:
        update_person(
            session, b.actor, person_id, {"phone": "06 12 34 56 78", "last_name": "Durand-B"}
        )
        write_note(session, b.actor, person_id, "Appel passé.", kind=NoteKind.CALL.value)

    order = [a, b] if first == "a" else [b, a]
    reports = [device.sync() for device in order]
    for device in order:
        device.sync()

    server = server_rows(world.engine, "person", [person_id])[str(person_id)]
    for device in (a, b):
        local = _person_state(device, person_id)
        assert local == server, device.name
    assert server["city"] == "Nevers"
    assert server["phone"] == "06 12 34 56 78"
    # The same field: last writer by HLC wins (b edited after a), the loser is kept.
    assert server["last_name"] == "Durand-B"
    assert "Durand-A" in _log_values(world, person_id, "last_name")
    # Both notes (new rows) reached everyone: nothing lost.
    for device in (a, b):
        texts = sorted(n["text"] for n in device.rows("note").values())
        assert texts == ["Appel passé.", "Vu à domicile."]
    for table in PERSON_TABLES:
        expected = server_rows(world.engine, table, [person_id])
        assert a.rows(table) == expected, table
        assert b.rows(table) == expected, table
    # The device whose value lost at its push was told (« modifié aussi par … »).
    conflicts = [c for r in reports for c in r.conflicts]
    if first == "b":
        assert [(c.field, c.ours, c.theirs, c.author) for c in conflicts] == [
            ("last_name", "Durand-A", "Durand-B", "Alice Martin")
        ]
    else:
        assert conflicts == []  # b's newer value simply overwrote a's (kept in the log)
    assert all(r.counts_ok for r in reports)


FIELDS = {
    "city": st.sampled_from(["Nevers", "Cosne", "Clamecy", "Decize"]),
    "phone": st.sampled_from(["06 00 00 00 01", "06 00 00 00 02", "03 86 00 00 00"]),
    "children_count": st.integers(min_value=0, max_value=4),
    "household": st.sampled_from(["seul", "couple"]),
    "birth_name": st.sampled_from(["Martin", "Bernard", None]),
}

step = st.one_of(
    st.tuples(
        st.just("edit"), st.integers(0, 2), st.sampled_from(sorted(FIELDS)), st.integers(0, 10_000)
    ),
    st.tuples(st.just("note"), st.integers(0, 2), st.just(""), st.integers(0, 10_000)),
    st.tuples(st.just("sync"), st.integers(0, 2), st.just(""), st.integers(0, 0)),
)


@pytest.mark.slow
def test_random_offline_edits_three_devices_converge(world: Any) -> None:
    world.admin.create_team("Nièvre")
    world.user("alice.martin", team="Nièvre")
    devices = [world.device(f"d{i}", "alice.martin") for i in range(3)]
    for device in devices:
        device.sync()

    @settings(
        max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(steps=st.lists(step, min_size=3, max_size=14), final=st.permutations([0, 1, 2]))
    def run(steps: list[tuple[str, int, str, int]], final: list[int]) -> None:
        person_id = world.admin.create_person(
            {"last_name": "Prop", "first_name": "Test"}, "alice.martin"
        )
        for device in devices:
            device.sync()
        for kind, index, field, seed in steps:
            device = devices[index]
            if kind == "sync":
                device.sync()
            elif kind == "note":
                with device.write() as session:
                    write_note(session, device.actor, person_id, f"note {seed}")
            else:
                value = _value(field, seed)
                with device.write() as session:
                    update_person(session, device.actor, person_id, {field: value})
        for index in final + final:
            devices[index].sync()
        expected = {t: server_rows(world.engine, t, [person_id]) for t in ("person", "note")}
        for device in devices:
            assert device.rows("person")[str(person_id)] == expected["person"][str(person_id)]
            notes = {
                k: v for k, v in device.rows("note").items() if v["person_id"] == str(person_id)
            }
            assert notes == expected["note"]
            assert device.client.pending_count() == 0

    run()


def _value(field: str, seed: int) -> Any:
    choices: dict[str, list[Any]] = {
        "city": ["Nevers", "Cosne", "Clamecy", "Decize"],
        "phone": ["06 00 00 00 01", "06 00 00 00 02", "03 86 00 00 00"],
        "children_count": [0, 1, 2, 3, 4],
        "household": ["seul", "couple"],
        "birth_name": ["Martin", "Bernard", None],
    }
    options = choices[field]
    return options[seed % len(options)]
