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
    ) -> None:
        if "-" in node or not node:
            raise ValueError("node id must be non-empty and contain no '-'")
        self.node = node
        self._wall = wall_clock_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()
        previous = HlcTimestamp.decode(last) if last else None
        self._wall_ms = previous.wall_ms if previous else 0
        self._counter = previous.counter if previous else 0

    def now(self) -> str:
        """A timestamp for a local event, strictly greater than every one given before."""
        with self._lock:
            physical = self._wall()
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            else:
                self._advance_counter()
            return HlcTimestamp(self._wall_ms, self._counter, self.node).encode()

    def observe(self, remote: str) -> None:
        """Move past a timestamp received from elsewhere (a pulled change)."""
        other = HlcTimestamp.decode(remote)
        with self._lock:
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
