"""Hybrid logical clock: never backwards, past every remote stamp, persisted by the store."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from spie_desktop.domain.hlc import MAX_COUNTER, HlcTimestamp, HybridLogicalClock
from spie_desktop.services import persons
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store


class FakeWall:
    """A settable wall clock, in milliseconds."""

    def __init__(self, ms: int = 1_700_000_000_000) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def decode(value: str) -> HlcTimestamp:
    return HlcTimestamp.decode(value)


def test_monotonic_when_the_wall_clock_goes_backwards() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("devicea", wall_clock_ms=wall)
    first = clock.now()
    wall.ms -= 3_600_000  # an NTP correction, a dead CMOS battery, a time-zone mistake
    second = clock.now()
    third = clock.now()
    assert first < second < third
    assert decode(second).wall_ms == decode(first).wall_ms
    assert (decode(second).counter, decode(third).counter) == (1, 2)
    wall.ms += 2 * 3_600_000  # the wall clock overtakes again: the counter restarts
    fourth = clock.now()
    assert fourth > third and decode(fourth) == HlcTimestamp(wall.ms, 0, "devicea")


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock(
        "n", last=HlcTimestamp(wall.ms, MAX_COUNTER - 1, "n").encode(), wall_clock_ms=wall
    )
    a, b = clock.now(), clock.now()
    assert decode(a) == HlcTimestamp(wall.ms, MAX_COUNTER, "n")
    assert decode(b) == HlcTimestamp(wall.ms + 1, 0, "n")
    assert a < b


def test_observe_remote_timestamps() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("local", wall_clock_ms=wall)
    before = clock.now()

    ahead = HlcTimestamp(wall.ms + 60_000, 5, "remote").encode()  # a laptop a minute ahead
    clock.observe(ahead)
    after = clock.now()
    assert decode(after).wall_ms == wall.ms + 60_000
    assert decode(after).counter > 5
    assert after > ahead > before

    behind = HlcTimestamp(wall.ms - 60_000, 900, "remote").encode()
    clock.observe(behind)  # an old stamp never pulls the clock back
    assert clock.now() > after

    same = decode(clock.last())
    clock.observe(HlcTimestamp(same.wall_ms, same.counter + 40, "zzz").encode())
    assert decode(clock.now()).counter > same.counter + 40

    wall.ms += 120_000  # the wall clock catches up: physical time wins again
    clock.observe(HlcTimestamp(wall.ms - 1, 3, "remote").encode())
    assert decode(clock.last()) == HlcTimestamp(wall.ms, 0, "local")


def test_resume_from_a_persisted_timestamp() -> None:
    wall = FakeWall()
    persisted = HlcTimestamp(wall.ms + 86_400_000, 12, "old").encode()
    clock = HybridLogicalClock("devicea", last=persisted, wall_clock_ms=wall)
    assert decode(clock.now()) == HlcTimestamp(wall.ms + 86_400_000, 13, "devicea")


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError):
        HybridLogicalClock("with-dash")
    with pytest.raises(ValueError):
        HybridLogicalClock("")
    for bad in ("", "nothex-0000-node", "0123", "zz-00-node"):
        with pytest.raises(ValueError, match="HLC"):
            HlcTimestamp.decode(bad)


def test_threads_never_get_the_same_timestamp() -> None:
    clock = HybridLogicalClock("threads", wall_clock_ms=FakeWall())  # frozen wall clock
    results: list[list[str]] = [[] for _ in range(4)]

    def work(out: list[str]) -> None:
        out.extend(clock.now() for _ in range(2_000))

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps = [stamp for out in results for stamp in out]
    assert len(set(stamps)) == len(stamps) == 8_000
    for out in results:
        assert out == sorted(out)


nodes = st.text(alphabet="0123456789abcdef", min_size=1, max_size=32)
stamps = st.builds(
    HlcTimestamp,
    wall_ms=st.integers(min_value=0, max_value=16**12 - 1),
    counter=st.integers(min_value=0, max_value=MAX_COUNTER),
    node=nodes,
)


@settings(max_examples=300, deadline=None, database=None)
@given(a=stamps, b=stamps)
def test_encoding_order_is_tuple_order(a: HlcTimestamp, b: HlcTimestamp) -> None:
    assert HlcTimestamp.decode(a.encode()) == a
    assert (a.encode() < b.encode()) == (a < b)
    assert (a.encode() == b.encode()) == (a == b)


events = st.lists(
    st.one_of(
        st.tuples(st.just("tick"), st.integers(min_value=-10_000_000, max_value=10_000_000)),
        st.tuples(
            st.just("observe"),
            st.integers(min_value=-10_000_000, max_value=10_000_000),
            st.integers(min_value=0, max_value=MAX_COUNTER),
        ),
        st.tuples(st.just("now")),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None, database=None)
@given(steps=events)
def test_every_local_stamp_is_after_everything_seen(steps: list[tuple[int | str, ...]]) -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("me", wall_clock_ms=wall)
    highest: HlcTimestamp | None = None
    for step in steps:
        if step[0] == "tick":
            wall.ms = max(0, wall.ms + int(step[1]))
        elif step[0] == "observe":
            remote = HlcTimestamp(max(0, wall.ms + int(step[1])), int(step[2]), "other")
            clock.observe(remote.encode())
            highest = max(highest, remote) if highest else remote
        else:
            stamp = decode(clock.now())
            assert stamp.node == "me"
            if highest is not None:
                assert (stamp.wall_ms, stamp.counter) > (highest.wall_ms, highest.counter)
            highest = stamp


# -- persisted by the store -----------------------------------------------------------------


def _outbox_hlcs(store: Store) -> list[str]:
    with store.read() as session:
        return list(session.execute(select(OutboxEntry.hlc).order_by(OutboxEntry.seq)).scalars())


def _write_person(store: Store, actor: Actor) -> None:
    with store.write() as session:
        persons.create_person(session, actor, {"last_name": "Horloge", "first_name": "Ana"})


def test_store_persists_the_clock_across_reopen(
    store: Store,
    actor: Actor,
    data_dir: Path,
    keyring_backend: FileKeyring,
    passphrase: str,
) -> None:
    _write_person(store, actor)
    last = store.clock.last()
    assert store.get_state("hlc") == last == _outbox_hlcs(store)[-1]
    store.close()

    reopened = Store.open(data_dir, passphrase, keyring_backend=keyring_backend)
    try:
        assert reopened.clock.last() == last
        referent = actor.referent_id
        assert isinstance(referent, uuid.UUID)
        _write_person(reopened, Actor(referent, reopened.device_id))
        hlcs = _outbox_hlcs(reopened)
        assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
        assert hlcs[-1] > last
    finally:
        reopened.close()


def test_store_clock_survives_a_wall_clock_that_went_back(
    store: Store,
    actor: Actor,
    data_dir: Path,
    keyring_backend: FileKeyring,
    passphrase: str,
    make_referent: Callable[..., uuid.UUID],
) -> None:
    """A clock left a day ahead (the laptop's clock was fast, then fixed) does not keep
    stamping the future: new edits come back to the physical time, in order among
    themselves (issue 10: a once-fast laptop must not keep winning)."""
    future_ms = int((datetime.now(UTC) + timedelta(days=1)).timestamp() * 1000)
    ahead = HlcTimestamp(future_ms, 3, store.clock.node).encode()
    with store.write() as session:
        store.set_state(session, "hlc", ahead)
    store.close()

    reopened = Store.open(data_dir, passphrase, keyring_backend=keyring_backend)
    try:
        referent = make_referent(reopened)
        _write_person(reopened, Actor(referent, reopened.device_id))
        hlcs = _outbox_hlcs(reopened)
        now_ms = int(datetime.now(UTC).timestamp() * 1000)
        assert all(stamp < ahead for stamp in hlcs)
        assert all(decode(stamp).wall_ms <= now_ms + 5 * 60 * 1000 for stamp in hlcs)
        assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
        assert reopened.get_state("hlc") == hlcs[-1]
    finally:
        reopened.close()


def test_bounded_clock_comes_back_but_never_below_what_it_received() -> None:
    """With a drift bound: causality first (never below a received clock), then the
    bound (never more than 5 min ahead of max(physical, received))."""
    wall = FakeWall()
    clock = HybridLogicalClock("dev", wall_clock_ms=wall, max_ahead_ms=300_000)
    wall.ms += 2 * 86_400_000  # two days fast
    fast = clock.now()
    wall.ms -= 2 * 86_400_000  # fixed
    fixed = clock.now()
    assert decode(fixed).wall_ms == wall.ms and fixed < fast
    received = HlcTimestamp(wall.ms + 200_000, 7, "other").encode()  # within the bound
    clock.observe(received)
    assert clock.now() > received
    slow = HybridLogicalClock(
        "slow", wall_clock_ms=lambda: wall.ms - 2 * 86_400_000, max_ahead_ms=300_000, seen=received
    )
    assert slow.now() > received  # a slow laptop still comes after what it saw
