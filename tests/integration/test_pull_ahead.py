"""The next pull page is asked for while the device applies this one (issue 10: the initial
pull no slower than before the device kept a clock per row).

The server builds page N+1 while the device writes page N. What must not change: each page is
applied once and in order, the cursor moves only with a committed page, an error of the page
asked ahead is handled as if it had been asked afterwards (retried on a 5xx), and no request
is left running when a sync ends on an error. Real SQLCipher stores, a real server on
loopback, the device's requests seen by a transport."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import httpx
import pytest

import sync.client
from spie_desktop.store.store import Store
from sync import apply as sync_apply
from tests.integration.test_deferred_indexes import _populate
from tests.support.devkit import server_rows

PAGE_ROWS = 30


class _Killed(BaseException):
    """The process dying while it applies a page."""


class _Timeline(httpx.HTTPTransport):
    """The real server on loopback; records when each pull is asked and answered, can answer
    one of them with a 503 and hold one back for a while."""

    def __init__(self, *, fail: int | None = None, hold: int | None = None) -> None:
        super().__init__()
        self.fail, self.hold = fail, hold
        self.events: list[tuple[str, int, float]] = []
        self.pulls = 0
        self.since: list[str] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/sync/pull":
            return super().handle_request(request)
        with self._lock:
            self.pulls += 1
            number = self.pulls
            self.since.append(request.url.params["since"])
            self.events.append(("ask", number, time.perf_counter()))
        if number == self.fail:
            return httpx.Response(503, json={"code": "unavailable", "message": "m"})
        if number == self.hold:
            time.sleep(0.4)
        response = super().handle_request(request)
        response.read()
        with self._lock:
            self.events.append(("answer", number, time.perf_counter()))
        return response

    def asked(self, number: int) -> float:
        return next(t for kind, n, t in self.events if kind == "ask" and n == number)


def _applies(
    monkeypatch: pytest.MonkeyPatch, *, kill_at: int | None = None
) -> list[tuple[int, str, float, float]]:
    """Wrap the client's page apply: (page number, its cursor, start, end) of each page
    applied; a little slow, as a laptop's disk; ``kill_at``: die inside that page."""
    applied: list[tuple[int, str, float, float]] = []
    original = sync_apply.apply_page

    def apply(store: Store, page: Any, **options: Any) -> Any:
        number = len(applied) + 1
        began = time.perf_counter()
        time.sleep(0.05)
        if number == kill_at:
            raise _Killed
        stats = original(store, page, **options)
        applied.append((number, str(page["next"]), began, time.perf_counter()))
        return stats

    monkeypatch.setattr(sync.client, "apply_page", apply)
    return applied


def _ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "spie-pull-ahead" and t.is_alive()]


def _assert_rows_are_the_servers(world: Any, device: Any) -> None:
    for table in ("person", "appointment"):
        assert device.rows(table) == server_rows(world.engine, table), table


def test_the_next_page_is_asked_while_this_one_is_applied(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _populate(world)
    transport = _Timeline()
    device = world.device("laptop", "alice.martin", pull_limit=PAGE_ROWS, transport=transport)
    applied = _applies(monkeypatch)
    report = device.sync()
    assert report.ok and report.counts_ok, report
    assert len(applied) >= 3
    # Each page's successor was asked for before the page had been written.
    for number, _cursor, _began, ended in applied[:-1]:
        assert transport.asked(number + 1) < ended, (number, transport.events)
    # Every page asked once, after the one before it, and applied once, in order.
    assert transport.pulls == len(applied) == report.pages
    assert transport.since == ["0"] + [cursor for _n, cursor, *_ in applied[:-1]]
    assert device.store.get_state("cursor") == applied[-1][1]
    _assert_rows_are_the_servers(world, device)
    assert _ahead_threads() == []


def test_a_server_error_on_the_page_asked_ahead_is_retried(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _populate(world)
    transport = _Timeline(fail=2)  # the first page asked ahead meets a 503
    device = world.device("laptop", "alice.martin", pull_limit=PAGE_ROWS, transport=transport)
    applied = _applies(monkeypatch)
    report = device.sync()
    assert report.ok and report.counts_ok, report
    assert transport.pulls == len(applied) + 1  # the failed one, asked again
    _assert_rows_are_the_servers(world, device)


def test_a_page_that_fails_to_apply_leaves_no_request_running(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _populate(world)
    transport = _Timeline(hold=3)  # the page asked ahead while the second one is applied
    device = world.device("laptop", "alice.martin", pull_limit=PAGE_ROWS, transport=transport)
    applied = _applies(monkeypatch, kill_at=2)
    with pytest.raises(_Killed):
        device.client.sync()
    # The request asked ahead was over before the sync gave up; nothing runs behind it.
    assert ("answer", 3) in {(kind, n) for kind, n, _t in transport.events}
    assert _ahead_threads() == []
    # Only the first page was written, and the cursor is its own.
    assert [number for number, *_ in applied] == [1]
    assert device.store.get_state("cursor") == applied[0][1]
    monkeypatch.undo()
    device.sync()
    _assert_rows_are_the_servers(world, device)


class _RetiredDuringTheDownload(_Timeline):
    """The administrator retires the laptop once its first page is answered."""

    def __init__(self, retire: Any) -> None:
        super().__init__()
        self.retire: Any = retire
        self.second_answered = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path == "/sync/pull":
            if self.pulls == 1 and self.retire is not None:
                self.retire()
                self.retire = None
            elif self.pulls == 2:
                self.second_answered.set()
        return response


def test_a_refusal_met_ahead_wipes_even_when_the_page_before_fails(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page asked ahead meets the refusal of a retired device (the server records the
    wipe) while the page before it fails (disk full): the wipe goes first. Left pending, the
    laptop's next writes would no longer count as its final push and be destroyed."""
    from spie_desktop.errors import DiskFullError
    from spie_desktop.services.notes import write_note

    _populate(world)
    device = world.device("laptop", "alice.martin", pull_limit=PAGE_ROWS)
    device.sync()
    persons = sorted(device.rows("person"))
    with device.write() as session:
        write_note(session, device.actor, uuid.UUID(persons[0]), "Écrite avant le retrait.")
    with world.admin.session() as s:  # news for several pages of the log
        for n, person in enumerate(persons):
            for k in range(8):
                s.write("person", uuid.UUID(person), {"city": f"Ville {n}-{k}"})
    transport = _RetiredDuringTheDownload(
        lambda: world.admin.revoke_device(device.store.device_id, kind="retired")
    )
    device.client.close()
    device.client._transport = transport
    original = sync_apply.apply_page
    calls = 0

    def apply(store: Store, page: Any, **options: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            assert transport.second_answered.wait(5)  # refused while this page is written
            raise DiskFullError()
        return original(store, page, **options)

    monkeypatch.setattr(sync.client, "apply_page", apply)
    pushed_before = len(server_rows(world.engine, "note"))
    report = device.client.sync()
    assert report.status == "revoked", report
    assert report.destroyed == 0, report
    assert len(server_rows(world.engine, "note")) == pushed_before + 1  # its final push
    world.devices.remove(device)
