"""A fault-injecting TCP proxy on loopback, between a sync client and the server.

It forwards bytes both ways and, on demand:

- throttles each direction (bytes per second) and adds one-way latency;
- cuts a connection in the middle of a request upload or of a response download
  (rules matched on the HTTP request line, e.g. ``/sync/pull``);
- answers a request itself with an HTTP error (503) instead of forwarding it;
- calls a function once a matching request has been forwarded whole (to kill the
  server in the middle of a push);
- counts the bytes that crossed it (the bytes on the wire, for benchmarks).

HTTP/1.1 requests are framed with their ``Content-Length`` (what httpx sends), so rules
apply per request even on kept-alive connections. Threads only; no dependencies.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

CHUNK = 1024


@dataclass
class Rule:
    kind: str  # cut_request, cut_response, fail, after_request
    path: str
    after_bytes: int = 0
    times: int = 1
    status: int = 503
    callback: Callable[[], None] | None = None
    hits: int = 0

    def matches(self, request_line: str) -> bool:
        parts = request_line.split(" ")
        return len(parts) >= 2 and parts[1].startswith(self.path) and self.times > 0


@dataclass
class Stats:
    bytes_up: int = 0
    bytes_down: int = 0
    connections: int = 0
    requests: list[str] = field(default_factory=list)
    cuts: int = 0
    failures: int = 0


class FaultProxy:
    def __init__(
        self, upstream_port: int, *, upstream_host: str = "127.0.0.1", listen_port: int = 0
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", listen_port))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self.rate_up: float | None = None  # bytes/s client → server
        self.rate_down: float | None = None  # bytes/s server → client
        self.latency: float = 0.0  # one way, seconds
        self.stats = Stats()
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name="proxy")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                _close(sock)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- rules -----------------------------------------------------------------------------

    def throttle(self, bytes_per_second: float | None, rtt_s: float = 0.0) -> None:
        self.rate_up = self.rate_down = bytes_per_second
        self.latency = rtt_s / 2

    def cut_request(self, path: str, after_bytes: int, times: int = 1) -> Rule:
        return self._add(Rule("cut_request", path, after_bytes=after_bytes, times=times))

    def cut_response(self, path: str, after_bytes: int, times: int = 1) -> Rule:
        return self._add(Rule("cut_response", path, after_bytes=after_bytes, times=times))

    def fail(self, path: str, times: int = 1, status: int = 503) -> Rule:
        return self._add(Rule("fail", path, times=times, status=status))

    def after_request(self, path: str, callback: Callable[[], None], times: int = 1) -> Rule:
        return self._add(Rule("after_request", path, times=times, callback=callback))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def _add(self, rule: Rule) -> Rule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def _take(self, kind: str, request_line: str) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.kind == kind and rule.matches(request_line):
                    rule.times -= 1
                    rule.hits += 1
                    return rule
        return None

    # -- plumbing --------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.stats.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _serve(self, client: socket.socket) -> None:
        self._track(client)
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            _close(client)
            return
        upstream.settimeout(None)
        self._track(upstream)
        connection = _Connection(self, client, upstream)
        connection.run()


class _Connection:
    """One client connection: two directions, each a reader and a delayed writer."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, upstream: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.closed = threading.Event()
        self.down_cut: Rule | None = None
        self.down_count = 0
        self.lock = threading.Lock()

    def close(self) -> None:
        if not self.closed.is_set():
            self.closed.set()
            _close(self.client)
            _close(self.upstream)

    def run(self) -> None:
        up: queue.Queue[tuple[float, bytes | None, Callable[[], None] | None]] = queue.Queue()
        down: queue.Queue[tuple[float, bytes | None, Callable[[], None] | None]] = queue.Queue()
        threads = [
            threading.Thread(target=self._read_up, args=(up,), daemon=True),
            threading.Thread(target=self._write, args=(up, self.upstream, "up"), daemon=True),
            threading.Thread(target=self._read_down, args=(down,), daemon=True),
            threading.Thread(target=self._write, args=(down, self.client, "down"), daemon=True),
        ]
        for thread in threads:
            thread.start()

    # client → server, framed into HTTP requests
    def _read_up(
        self, out: queue.Queue[tuple[float, bytes | None, Callable[[], None] | None]]
    ) -> None:
        buffer = b""
        remaining_body = 0
        request_line = ""
        cut: Rule | None = None
        sent_in_request = 0
        try:
            while not self.closed.is_set():
                data = self.client.recv(CHUNK * 16)
                if not data:
                    break
                buffer += data
                while buffer:
                    if remaining_body == 0 and not request_line:
                        end = buffer.find(b"\r\n\r\n")
                        if end < 0:
                            break
                        head = buffer[: end + 4]
                        buffer = buffer[end + 4 :]
                        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
                        remaining_body = _content_length(head)
                        self.proxy.stats.requests.append(request_line)
                        failure = self.proxy._take("fail", request_line)
                        if failure is not None:
                            self.proxy.stats.failures += 1
                            self._answer_error(failure.status)
                            return
                        # One fault per request: a request cut on its way never gets an
                        # answer, so the other rules wait for the next matching request.
                        cut = self.proxy._take("cut_request", request_line)
                        after = None if cut else self.proxy._take("after_request", request_line)
                        self._after = after.callback if after else None
                        down_cut = None if cut else self.proxy._take("cut_response", request_line)
                        if down_cut is not None:
                            with self.lock:
                                self.down_cut, self.down_count = down_cut, 0
                        sent_in_request = 0
                        chunk = head
                    else:
                        take = min(remaining_body, len(buffer))
                        chunk, buffer = buffer[:take], buffer[take:]
                        remaining_body -= take
                    if cut is not None and sent_in_request + len(chunk) > cut.after_bytes:
                        allowed = max(0, cut.after_bytes - sent_in_request)
                        self._enqueue(out, chunk[:allowed])
                        self.proxy.stats.cuts += 1
                        out.put((time.monotonic() + self.proxy.latency, None, self.close))
                        return
                    sent_in_request += len(chunk)
                    callback = None
                    if remaining_body == 0:
                        callback, self._after = self._after, None
                        request_line = ""
                        cut = None
                    self._enqueue(out, chunk, callback)
        except OSError:
            pass
        out.put((time.monotonic(), None, None))

    _after: Callable[[], None] | None = None

    # server → client
    def _read_down(
        self, out: queue.Queue[tuple[float, bytes | None, Callable[[], None] | None]]
    ) -> None:
        try:
            while not self.closed.is_set():
                data = self.upstream.recv(CHUNK * 16)
                if not data:
                    break
                with self.lock:
                    rule = self.down_cut
                    if rule is not None and self.down_count + len(data) > rule.after_bytes:
                        allowed = max(0, rule.after_bytes - self.down_count)
                        self.down_cut = None
                        self._enqueue(out, data[:allowed])
                        self.proxy.stats.cuts += 1
                        out.put((time.monotonic() + self.proxy.latency, None, self.close))
                        return
                    self.down_count += len(data)
                self._enqueue(out, data)
        except OSError:
            pass
        out.put((time.monotonic(), None, None))

    def _enqueue(
        self,
        out: queue.Queue[tuple[float, bytes | None, Callable[[], None] | None]],
        data: bytes,
        callback: Callable[[], None] | None = None,
    ) -> None:
        due = time.monotonic() + self.proxy.latency
        for start in range(0, len(data), CHUNK):
            last = start + CHUNK >= len(data)
            out.put((due, data[start : start + CHUNK], callback if last else None))
        if not data and callback:
            out.put((due, b"", callback))

    def _write(
        self,
        source: queue.Queue[tuple[float, bytes | None, Callable[[], None] | None]],
        target: socket.socket,
        direction: str,
    ) -> None:
        while True:
            due, data, callback = source.get()
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if data is None:
                if callback is not None:
                    callback()
                else:
                    with contextlib.suppress(OSError):
                        target.shutdown(socket.SHUT_WR)
                return
            try:
                if data:
                    target.sendall(data)
            except OSError:
                self.close()
                return
            if direction == "up":
                self.proxy.stats.bytes_up += len(data)
            else:
                self.proxy.stats.bytes_down += len(data)
            rate = self.proxy.rate_up if direction == "up" else self.proxy.rate_down
            if rate:
                time.sleep(len(data) / rate)
            if callback is not None:
                threading.Thread(target=callback, daemon=True).start()

    def _answer_error(self, status: int) -> None:
        body = b'{"code":"unavailable","message":"Serveur momentan\\u00e9ment indisponible."}'
        head = (
            f"HTTP/1.1 {status} Service Unavailable\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode("ascii")
        with contextlib.suppress(OSError):
            self.client.sendall(head + body)
        self.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return int(value.strip())
            except ValueError:
                return 0
    return 0


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
