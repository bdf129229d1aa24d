"""A first download builds the indexes it defers, also when it is cut midway (issue 10).

A full download drops the secondary indexes no page reads (``DEFERRABLE_INDEXES``) and builds
them when its last page commits. What must hold whatever happens: once the download is over,
or the app restarted, the device's schema is exactly a fresh store's, and the rows are the
server's. Real SQLCipher stores, a real server on loopback."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

import sync.client
from spie_desktop.store.deferred_indexes import DEFERRABLE_INDEXES, deferred_index_names
from spie_desktop.store.store import Store
from sync import apply as sync_apply
from tests.support.devkit import DEVICE_PASSPHRASE, server_rows

PAGE_ROWS = 40


class _Killed(BaseException):
    """The process dying right after a page committed (nothing of the client runs after)."""


def _index_ddl(conn: Connection) -> dict[str, str]:
    return {
        str(name): str(sql)
        for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"
        )
    }


def _schema(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return _index_ddl(conn)


def _populate(world: Any, persons: int = 8) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    ids = [
        world.admin.create_person(
            {"last_name": f"Nom{n}", "first_name": "P", "external_id": f"P-{n}"}, "alice.martin"
        )
        for n in range(persons)
    ]
    with world.admin.session() as s:
        for person in ids:
            for k in range(12):
                s.write(
                    "appointment",
                    uuid.uuid4(),
                    {
                        "person_id": person,
                        "referent_id": None,
                        "starts_at": s.tx.now + timedelta(days=k + 1),
                        "duration_minutes": 45,
                        "mode": "bureau",
                        "purpose": "suivi",
                        "status": "planned",
                    },
                )


def _fresh_schema(tmp_path: Path, world: Any) -> dict[str, str]:
    device = world.device("fresh")
    try:
        return _schema(device.store)
    finally:
        device.close()


def _pages_seen(monkeypatch: pytest.MonkeyPatch, kill_after: int | None = None) -> list[set[str]]:
    """Wrap the client's page apply: the deferrable indexes present after each page."""
    seen: list[set[str]] = []
    original = sync_apply.apply_page

    def apply(store: Store, page: Any, **options: Any) -> Any:
        stats = original(store, page, **options)
        seen.append(set(_schema(store)) & set(DEFERRABLE_INDEXES))
        if kill_after is not None and len(seen) == kill_after:
            raise _Killed
        return stats

    monkeypatch.setattr(sync.client, "apply_page", apply)
    return seen


def _assert_rows_are_the_servers(world: Any, device: Any) -> None:
    for table in ("person", "appointment"):
        assert device.rows(table) == server_rows(world.engine, table), table


def test_a_download_in_pages_ends_with_a_fresh_stores_indexes(
    tmp_path: Path, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _populate(world)
    expected = _fresh_schema(tmp_path, world)
    assert set(DEFERRABLE_INDEXES) <= set(expected)
    device = world.device("laptop", "alice.martin", pull_limit=PAGE_ROWS)
    seen = _pages_seen(monkeypatch)
    device.sync()
    assert len(seen) >= 3
    assert seen[0] == set(), "the first page of a download defers the indexes"
    assert seen[-1] == set(DEFERRABLE_INDEXES)
    assert _schema(device.store) == expected
    with device.store.engine.connect() as conn:
        assert deferred_index_names(conn) == []
    assert device.store.check() == []
    _assert_rows_are_the_servers(world, device)
    # The indexes are used again: the agenda by referent walks its index.
    with device.store.engine.connect() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM appointment "
                "WHERE referent_id = ? AND starts_at >= ?",
                ("0" * 32, "2026"),
            )
        )
    assert "ix_appointment_referent_start" in plan


def _killed_download(
    tmp_path: Path, world: Any, monkeypatch: pytest.MonkeyPatch, *, after: int
) -> tuple[Any, dict[str, str]]:
    """A device whose first download was killed after ``after`` pages, and a fresh store's
    index DDL to compare with."""
    _populate(world)
    expected = _fresh_schema(tmp_path, world)
    device = world.device("laptop", "alice.martin", pull_limit=PAGE_ROWS)
    _pages_seen(monkeypatch, kill_after=after)
    with pytest.raises(_Killed):
        device.client.sync()
    return device, expected


def test_a_download_killed_midway_builds_its_indexes_when_the_store_opens(
    tmp_path: Path, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    device, expected = _killed_download(tmp_path, world, monkeypatch, after=2)
    # Killed after its second page: the indexes are out, their DDL kept.
    with device.store.engine.connect() as conn:
        assert deferred_index_names(conn) == sorted(DEFERRABLE_INDEXES)
    assert not set(_schema(device.store)) & set(DEFERRABLE_INDEXES)
    device.store.close()
    device.store = Store.open(device.data_dir, DEVICE_PASSPHRASE, keyring_backend=device.ring)
    assert _schema(device.store) == expected
    assert device.store.check() == []
    # The download resumes where it stopped (deferring again: it is still a download)
    # and ends with the same schema and the server's rows.
    monkeypatch.undo()
    device.client.store = device.store
    device.sync()
    assert _schema(device.store) == expected
    _assert_rows_are_the_servers(world, device)


def test_a_download_cut_midway_builds_its_indexes_when_it_resumes(
    tmp_path: Path, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    device, expected = _killed_download(tmp_path, world, monkeypatch, after=1)
    monkeypatch.undo()
    # Meanwhile the app reads without the indexes (slower, not wrong).
    with device.store.read() as session:
        count = session.connection().exec_driver_sql("SELECT count(*) FROM appointment").scalar()
    assert count is not None
    device.sync()
    assert _schema(device.store) == expected
    with device.store.engine.connect() as conn:
        assert deferred_index_names(conn) == []
    _assert_rows_are_the_servers(world, device)


def test_a_full_download_again_on_a_store_with_rows_keeps_its_indexes(
    tmp_path: Path, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recovery that downloads the scope again must not take the indexes away from a
    supervisor's dashboard over a full store."""
    from sync.apply import STATE_CURSOR

    _populate(world)
    device = world.device("laptop", "alice.martin", pull_limit=PAGE_ROWS)
    device.sync()
    with device.store.apply_remote() as session:
        device.store.set_state(session, STATE_CURSOR, "0")
    seen = _pages_seen(monkeypatch)
    device.sync()
    assert len(seen) >= 3
    assert all(present == set(DEFERRABLE_INDEXES) for present in seen), seen
    _assert_rows_are_the_servers(world, device)


def test_opening_waits_for_another_writer_then_builds_the_indexes(
    tmp_path: Path, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app locked and unlocked (or a CLI command) while a page is being applied: the
    new store's open waits for the writer instead of failing, then builds the indexes."""
    import threading

    device, expected = _killed_download(tmp_path, world, monkeypatch, after=1)
    writer = device.store.engine.raw_connection()
    writer.cursor().execute("BEGIN IMMEDIATE")  # another connection writing a page
    threading.Timer(0.5, writer.commit).start()
    reopened = Store.open(device.data_dir, DEVICE_PASSPHRASE, keyring_backend=device.ring)
    try:
        assert _schema(reopened) == expected
    finally:
        reopened.close()
        writer.close()
