"""A real departmental server on loopback, started by the product itself.

The self-test (:mod:`spie_desktop.entry.selftest`) and the ``--demo`` launcher
(:mod:`spie_desktop.entry.demo`) run one; the tests and benchmarks reuse them
(``tests/support/devkit.py`` adds their own helpers).

:class:`ServerThread` runs uvicorn in a thread of this process (fast to start, shares
the settings object so a test can move the server's clock); :class:`ServerProcess` runs
``spie-server serve`` as a subprocess (so that a test can kill it with SIGKILL).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from sync.server.settings import ServerSettings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not start: {last}")


class ServerThread:
    """uvicorn in a daemon thread; ``stop()`` shuts it down gracefully."""

    def __init__(
        self, settings: ServerSettings, *, host: str = "127.0.0.1", port: int | None = None
    ) -> None:
        import uvicorn

        from sync.server.app import UVICORN_LIMITS, create_app

        self.settings = settings
        self.host = host
        self.port = port or free_port(host)
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app,
            host=host,
            port=self.port,
            log_level="warning",
            lifespan="off",
            timeout_keep_alive=30,
            **UVICORN_LIMITS,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="spie-server")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def engine(self) -> Any:
        return self.app.state.engine

    def start(self) -> ServerThread:
        self.thread.start()
        wait_until_up(self.url)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.engine.dispose()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _parent_death_signal() -> None:
    """In the child, Linux only: SIGTERM when the parent dies (even by SIGKILL), so that a
    killed application leaves no server behind."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)


class ServerProcess:
    """``python -m spie_desktop.entry.server serve`` as a child process (killable)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database_url: str | None = None,
        port: int | None = None,
        env: dict[str, str] | None = None,
        workers: int = 1,
        die_with_parent: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.die_with_parent = die_with_parent
        self.workers = workers
        self.database_url = database_url
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        # The child imports this very copy of the package, installed or not.
        package_root = str(Path(__file__).resolve().parents[2])
        self.env["PYTHONPATH"] = os.pathsep.join(
            filter(None, (package_root, self.env.get("PYTHONPATH")))
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        command = [
            sys.executable,
            "-m",
            "spie_desktop.entry.server",
            "serve",
            "--data-dir",
            str(self.data_dir),
            "--port",
            str(self.port),
        ]
        if self.database_url:
            command += ["--database-url", self.database_url]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - kept by the child
        preexec = _parent_death_signal if self.die_with_parent else None
        self.process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=log, preexec_fn=preexec
        )
        log.close()
        try:
            wait_until_up(self.url)
        except RuntimeError:
            self.kill()
            raise
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush (a crash)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            self.kill()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
