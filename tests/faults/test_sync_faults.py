"""Sync under faults, through a fault-injecting TCP proxy of our own on loopback: the
connection cut in the middle of a pull page and of a push, the server killed and
restarted mid-push, 5xx answers, a device clock two days fast or slow. Every case ends
with no duplicate, no loss, convergence."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from spie_desktop.domain.hlc import HybridLogicalClock
from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import update_person
from sync.client import RetryPolicy
from sync.server.admin import Admin
from sync.server.db import database_url, make_engine
from sync.server.models import change_log, refresh_token
from sync.server.settings import ServerSettings
from tests.support.devkit import Device, ServerProcess, ServerThread, server_rows

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tcp_fault_proxy import FaultProxy

PASSWORD = "mot-de-passe-test"
TABLES = ("person", "referent_assignment", "appointment", "barrier", "action", "note")


def _settings(root: Path) -> ServerSettings:
    data_dir = root / "server"
    data_dir.mkdir(parents=True, exist_ok=True)
    return ServerSettings(
        database_url=database_url(data_dir, None), data_dir=data_dir
    ).fast_hashing()


def _populate(admin: Admin, persons: int = 12, notes: int = 15) -> list[uuid.UUID]:
    admin.create_team("Nord")
    admin.create_user(
        "alice.martin", first_name="Alice", last_name="Martin", team="Nord", password=PASSWORD
    )
    ids = []
    for i in range(persons):
        person = admin.create_person({"last_name": f"Nom{i}", "first_name": "P"}, "alice.martin")
        ids.append(person)
    with admin.session() as s:
        for person in ids:
            for n in range(notes):
                s.write(
                    "note",
                    uuid.uuid4(),
                    {
                        "person_id": person,
                        "author_id": None,
                        "written_at": s.tx.now,
                        "kind": "suivi",
                        "text": f"Note {n} " + "texte du journal " * 8,
                        "sensitive": False,
                        "supersedes_id": None,
                    },
                )
    return ids


def _converged(engine: Any, *devices: Device) -> None:
    for table in TABLES:
        expected = server_rows(engine, table)
        for device in devices:
            assert device.rows(table) == expected, (device.name, table)


def _no_duplicate_changes(engine: Any) -> None:
    with engine.connect() as connection:
        total, distinct = connection.execute(
            select(func.count(), func.count(func.distinct(change_log.c.change_id))).where(
                change_log.c.change_id.is_not(None)
            )
        ).one()
    assert total == distinct


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerThread]:
    with ServerThread(_settings(tmp_path)) as running:
        yield running


@pytest.fixture
def proxy(server: ServerThread) -> Iterator[FaultProxy]:
    with FaultProxy(server.port) as running:
        yield running


def _device(tmp_path: Path, name: str, url: str, **options: Any) -> Device:
    options.setdefault("retry", RetryPolicy(attempts=8, base_delay=0.02, max_delay=0.2))
    device = Device(tmp_path / "devices", name, url, **options)
    device.login("alice.martin", PASSWORD)
    return device


def test_connection_cut_in_the_middle_of_pull_pages(
    tmp_path: Path, server: ServerThread, proxy: FaultProxy
) -> None:
    admin = Admin(server.engine, server.settings, migrate_schema=False)
    _populate(admin)
    device = _device(tmp_path, "laptop", proxy.url, pull_limit=40)
    proxy.cut_response("/sync/pull", after_bytes=1500, times=3)
    report = device.sync()
    assert proxy.stats.cuts == 3
    assert report.ok and report.counts_ok
    _converged(server.engine, device)
    # Resumed where it stopped: every page was asked for once, plus one retry per cut.
    pulls = [line for line in proxy.stats.requests if "/sync/pull" in line]
    assert len(pulls) == len(set(pulls)) + 3
    # New changes after the cut pages: an incremental pull, cut again, converges.
    with admin.session() as s:
        for person in list(server_rows(server.engine, "person"))[:5]:
            s.write("person", uuid.UUID(person), {"city": "Clamecy"})
    proxy.cut_response("/sync/pull", after_bytes=200)
    assert device.sync().ok
    _converged(server.engine, device)
    device.close()


def test_connection_cut_during_push_upload_and_its_answer(
    tmp_path: Path, server: ServerThread, proxy: FaultProxy
) -> None:
    admin = Admin(server.engine, server.settings, migrate_schema=False)
    persons = _populate(admin, persons=3, notes=1)
    device = _device(tmp_path, "laptop", proxy.url, push_batch=50)
    device.sync()
    with device.write() as session:
        for i in range(120):
            write_note(session, device.actor, persons[i % 3], f"Hors ligne {i}")
    proxy.cut_request("/sync/push", after_bytes=3000)  # the upload is cut: nothing applied
    proxy.cut_response("/sync/push", after_bytes=20)  # applied, but the answer is lost
    report = device.sync()
    assert proxy.stats.cuts == 2
    assert report.ok and report.counts_ok
    assert device.client.pending_count() == 0
    _no_duplicate_changes(server.engine)
    texts = [n["text"] for n in server_rows(server.engine, "note").values()]
    assert sorted(t for t in texts if t.startswith("Hors ligne")) == sorted(
        f"Hors ligne {i}" for i in range(120)
    )
    _converged(server.engine, device)
    device.close()


def test_server_killed_and_restarted_mid_push(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    engine = make_engine(settings.database_url)
    admin = Admin(engine, settings)
    persons = _populate(admin, persons=3, notes=1)
    server = ServerProcess(settings.data_dir or tmp_path).start()
    restarted: list[ServerProcess] = []
    try:
        with FaultProxy(server.port) as proxy:
            device = _device(
                tmp_path,
                "laptop",
                proxy.url,
                push_batch=200,
                # The restarted server (a new Python process, migrations checked) took more
                # than the 12 attempts' ~6 s under CPU load: a 40 s budget, and the sync goes
                # on as soon as the server answers again.
                retry=RetryPolicy(attempts=45, base_delay=0.1, max_delay=1.0),
            )
            device.sync()
            with device.write() as session:
                for i in range(400):
                    write_note(session, device.actor, persons[i % 3], f"Avant la panne {i}")
                    if i % 50 == 0:
                        update_person(session, device.actor, persons[i % 3], {"city": f"V{i}"})

            def crash_and_restart() -> None:
                time.sleep(0.02)  # the server is inside the push transaction
                server.kill()
                restarted.append(ServerProcess(server.data_dir, port=server.port).start())

            proxy.after_request("/sync/push", crash_and_restart)
            report = device.sync()
            assert restarted, "the server was killed"
            assert report.ok, report.message
            assert device.client.pending_count() == 0
            _no_duplicate_changes(engine)
            texts = [n["text"] for n in server_rows(engine, "note").values()]
            assert sorted(t for t in texts if t.startswith("Avant")) == sorted(
                f"Avant la panne {i}" for i in range(400)
            )
            final = device.sync()
            assert final.counts_ok, (final, device.client.status())
            _converged(engine, device)
            device.close()
    finally:
        server.kill()
        for process in restarted:
            process.stop()
        engine.dispose()


def test_5xx_answers_are_retried_with_backoff(
    tmp_path: Path, server: ServerThread, proxy: FaultProxy
) -> None:
    admin = Admin(server.engine, server.settings, migrate_schema=False)
    persons = _populate(admin, persons=2, notes=2)
    delays: list[float] = []
    device = _device(
        tmp_path,
        "laptop",
        proxy.url,
        sleep=delays.append,
        retry=RetryPolicy(attempts=5, base_delay=0.5, max_delay=4.0),
    )
    device.sync()
    with device.write() as session:
        write_note(session, device.actor, persons[0], "Malgré les erreurs 503.")
    proxy.fail("/sync/push", times=3)
    proxy.fail("/sync/pull", times=2)
    report = device.sync()
    assert report.ok and report.counts_ok
    assert proxy.stats.failures == 5
    # Exponential backoff with jitter: each wait within [d/2, d] of its doubling ceiling.
    assert len(delays) == 5
    for attempt, delay in zip([0, 1, 2, 0, 1], delays, strict=True):
        ceiling = min(4.0, 0.5 * 2**attempt)
        assert ceiling / 2 <= delay <= ceiling
    _converged(server.engine, device)

    # Failing for good: offline, nothing lost, in-flight changes back to pending.
    with device.write() as session:
        write_note(session, device.actor, persons[1], "En attente du serveur.")
    proxy.fail("/sync/", times=1000)
    report = device.sync(expect_ok=False)
    assert report.status == "offline" and "hors ligne" in (report.message or "")
    assert device.client.pending_count() == 2  # the note and its audit event
    proxy.clear()
    assert device.sync().ok
    assert device.client.pending_count() == 0
    _converged(server.engine, device)
    device.close()


def _skewed_clock(device: Device, offset: timedelta) -> None:
    shift = int(offset.total_seconds() * 1000)
    device.store.clock = HybridLogicalClock(
        device.store.clock.node,
        last=None,
        wall_clock_ms=lambda: time.time_ns() // 1_000_000 + shift,
    )


def test_device_clocks_two_days_fast_or_slow(
    tmp_path: Path, server: ServerThread, proxy: FaultProxy, monkeypatch: Any
) -> None:
    admin = Admin(server.engine, server.settings, migrate_schema=False)
    persons = _populate(admin, persons=1, notes=0)
    person = persons[0]
    fast = _device(tmp_path, "fast", proxy.url)
    slow = _device(tmp_path, "slow", proxy.url)
    fair = _device(tmp_path, "fair", proxy.url)
    for device in (fast, slow, fair):
        device.sync()
    _skewed_clock(fast, timedelta(days=2))
    _skewed_clock(slow, timedelta(days=-2))

    with fast.write() as session:
        update_person(session, fast.actor, person, {"city": "Rapide 1"})
    with fast.write() as session:
        update_person(session, fast.actor, person, {"city": "Rapide 2", "phone": "06 01 02 03 04"})
    real_now = datetime.now

    class FastDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:  # the device's wall clock for device_time
            return real_now(tz) + timedelta(days=2)

    monkeypatch.setattr("sync.client.datetime", FastDatetime)
    report = fast.sync()
    monkeypatch.undo()
    assert report.ok
    assert report.clock_warning and "avance de 2 jours" in report.clock_warning
    # Clamped to the server's time, in the device's own order.
    with server.engine.connect() as connection:
        stamps = connection.execute(
            select(change_log.c.hlc, change_log.c.device_hlc, change_log.c.fields)
            .where(change_log.c.device_id == fast.store.device_id)
            .order_by(change_log.c.seq)
        ).all()
    limit = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp() * 1000)
    assert all(int(s.hlc.split("-")[0], 16) <= limit for s in stamps)
    assert all(s.device_hlc for s in stamps)
    assert server_rows(server.engine, "person", [person])[str(person)]["city"] == "Rapide 2"
    assert fast.client.status()["clock_warning"]

    # A fair device edits after the fast one: its edit wins (the fast clock was clamped).
    fair.sync()
    with fair.write() as session:
        update_person(session, fair.actor, person, {"city": "Juste"})
    fair.sync()
    # The slow device edits the phone: it loses to newer values, but nothing is lost.
    with slow.write() as session:
        update_person(session, slow.actor, person, {"phone": "06 99 99 99 99"})

    class SlowDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return real_now(tz) - timedelta(days=2)

    monkeypatch.setattr("sync.client.datetime", SlowDatetime)
    report = slow.sync()
    monkeypatch.undo()
    assert report.ok
    assert report.clock_warning and "retarde de 2 jours" in report.clock_warning
    assert [c.field for c in report.conflicts] == ["phone"]
    for device in (fast, slow, fair):
        device.sync()
    final = server_rows(server.engine, "person", [person])[str(person)]
    assert final["city"] == "Juste" and final["phone"] == "06 01 02 03 04"
    with server.engine.connect() as connection:
        lost = [
            row.lost
            for row in connection.execute(
                select(change_log.c.lost).where(change_log.c.lost.is_not(None))
            )
        ]
    assert any((entry or {}).get("phone", {}).get("value") == "06 99 99 99 99" for entry in lost)
    _converged(server.engine, fast, slow, fair)
    # The slow device's later edits still come after its earlier ones (HLC observed).
    with slow.write() as session:
        update_person(session, slow.actor, person, {"city": "Lente, mais après"})
    slow.sync()
    fair.sync()
    assert fair.rows("person")[str(person)]["city"] == "Lente, mais après"
    for device in (fast, slow, fair):
        device.close()


def test_throttled_link_completes(tmp_path: Path, server: ServerThread, proxy: FaultProxy) -> None:
    """64 kbit/s and 300 ms round trip: a small caseload still arrives (bench does more)."""
    admin = Admin(server.engine, server.settings, migrate_schema=False)
    _populate(admin, persons=3, notes=5)
    proxy.throttle(8_000, rtt_s=0.3)
    device = _device(tmp_path, "3g", proxy.url)
    started = time.monotonic()
    report = device.sync()
    assert report.ok and report.counts_ok
    assert time.monotonic() - started < 30
    _converged(server.engine, device)
    device.close()


def test_refresh_answer_lost_on_the_link_keeps_the_device_logged_in(
    tmp_path: Path, server: ServerThread, proxy: FaultProxy
) -> None:
    """The server rotates the refresh token and the answer is cut on the way back: the
    device's retry (same token, same rotation id) is answered again; the device keeps
    syncing without a new login, and only one token of its family stays usable."""
    admin = Admin(server.engine, server.settings, migrate_schema=False)
    persons = _populate(admin, persons=2, notes=1)
    device = _device(tmp_path, "laptop", proxy.url)
    assert device.sync().ok
    for round_ in range(2):
        device.client._access_expires = 0.0  # the access token has expired (15 minutes on)
        proxy.cut_response("/auth/refresh", after_bytes=20)
        with device.write() as session:
            write_note(session, device.actor, persons[0], f"Après la coupure {round_}")
        report = device.sync()
        assert report.ok, report
        assert device.client.pending_count() == 0
    assert proxy.stats.cuts == 2
    with server.engine.connect() as connection:
        usable = connection.execute(
            select(func.count())
            .select_from(refresh_token)
            .where(refresh_token.c.device_id == device.store.device_id)
            .where(refresh_token.c.revoked_at.is_(None))
        ).scalar_one()
    assert usable == 1
    texts = {n["text"] for n in server_rows(server.engine, "note").values()}
    assert {"Après la coupure 0", "Après la coupure 1"} <= texts
    device.close()
