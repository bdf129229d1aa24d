"""Hybrid logical clock (Kulkarni et al.): physical milliseconds plus a counter.

Laptops' clocks are wrong; an HLC never goes backwards even when the wall clock does,
so a device's own edits keep their order. Timestamps are fixed-width strings that
compare correctly as plain strings: ``<ms:012x>-<counter:04x>-<node>``; the node
(device id) breaks ties between devices.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 0xFFFF
DEVICE_MAX_AHEAD_MS = 5 * 60 * 1000
"""A device's clock never runs ahead of max(physical time, newest clock received) by more
than this (the server's own tolerance): a laptop whose clock was fast does not keep
winning once its clock is fixed (Anki, Actual and cr-sqlite bound drift the same way)."""


@dataclass(frozen=True, order=True)
class HlcTimestamp:
    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        return f"{self.wall_ms:012x}-{self.counter:04x}-{self.node}"

    @classmethod
    def decode(cls, value: str) -> HlcTimestamp:
        try:
            wall, counter, node = value.split("-", 2)
            return cls(int(wall, 16), int(counter, 16), node)
        except ValueError as exc:
            raise ValueError(f"horodatage HLC invalide : {value!r}") from exc

    def __str__(self) -> str:
        return self.encode()


class HybridLogicalClock:
    def __init__(
        self,
        node: str,
        *,
        last: str | None = None,
        wall_clock_ms: Callable[[], int] | None = None,
        max_ahead_ms: int | None = None,
        seen: str | None = None,
    ) -> None:
        if "-" in node or not node:
            raise ValueError("node id must be non-empty and contain no '-'")
        self.node = node
        self._wall = wall_clock_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()
        previous = HlcTimestamp.decode(last) if last else None
        self._wall_ms = previous.wall_ms if previous else 0
        self._counter = previous.counter if previous else 0
        self.max_ahead_ms = max_ahead_ms
        observed = HlcTimestamp.decode(seen) if seen else None
        self._seen = (observed.wall_ms, observed.counter) if observed else (0, 0)

    def set_wall_clock(self, wall_clock_ms: Callable[[], int]) -> None:
        """Replace the wall clock (tests and simulations of a wrong system clock)."""
        self._wall = wall_clock_ms

    def physical_ms(self) -> int:
        """This device's wall clock (what it believes the time is), in milliseconds."""
        return self._wall()

    def seen(self) -> str:
        """The newest clock received from elsewhere (kept with the device's state)."""
        with self._lock:
            return HlcTimestamp(self._seen[0], self._seen[1], self.node).encode()

    def now(self) -> str:
        """A timestamp for a local event, strictly greater than every one given before and
        every one received — except that, with ``max_ahead_ms``, a clock left far ahead
        by a fast wall clock comes back to max(physical, newest received): causality
        first, then bounded drift."""
        with self._lock:
            physical = self._wall()
            if self.max_ahead_ms is not None:
                floor = max((physical, 0), self._seen)
                if self._wall_ms > floor[0] + self.max_ahead_ms:
                    self._wall_ms, self._counter = floor
            if (self._wall_ms, self._counter) < self._seen:
                self._wall_ms, self._counter = self._seen
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            else:
                self._advance_counter()
            return HlcTimestamp(self._wall_ms, self._counter, self.node).encode()

    def observe(self, remote: str) -> None:
        """Move past a timestamp received from elsewhere (a pulled change)."""
        other = HlcTimestamp.decode(remote)
        with self._lock:
            self._seen = max(self._seen, (other.wall_ms, other.counter))
            physical = self._wall()
            top = max(physical, self._wall_ms, other.wall_ms)
            if top == self._wall_ms == other.wall_ms:
                self._counter = max(self._counter, other.counter)
                self._advance_counter()
            elif top == self._wall_ms:
                self._advance_counter()
            elif top == other.wall_ms:
                self._wall_ms, self._counter = top, other.counter
                self._advance_counter()
            else:
                self._wall_ms, self._counter = top, 0

    def last(self) -> str:
        with self._lock:
            return HlcTimestamp(self._wall_ms, self._counter, self.node).encode()

    def _advance_counter(self) -> None:
        if self._counter >= MAX_COUNTER:
            self._wall_ms += 1
            self._counter = 0
        else:
            self._counter += 1
