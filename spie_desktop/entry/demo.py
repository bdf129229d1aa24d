"""The ``--demo`` launcher's departmental server: a real ``spie-server`` on loopback.

:class:`DemoServer` keeps its SQLite database in ``<demo root>/server``, fills it once
with ``spie-server admin demo`` (two referents' caseloads, a supervisor) and starts the
server on a free loopback port: as a child process from source, or in a thread of the
application in the PyInstaller bundle (which has no Python interpreter to start
``-m spie_desktop.entry.server`` with). :class:`ui.demo.DemoRunner` drives the
application onto it.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from pathlib import Path

from spie_desktop.entry.local_server import ServerProcess, ServerThread, free_port
from sync.server.db import database_url
from sync.server.demo import DEMO_PASSWORD
from sync.server.settings import ServerSettings

SERVER_MODULE = "spie_desktop.entry.server"


def running_frozen() -> bool:
    """A PyInstaller bundle: no Python interpreter to run ``-m`` with."""
    return bool(getattr(sys, "frozen", False))


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class DemoServer:
    """``spie-server`` on SQLite in ``root/server``, on loopback (see the module docstring)."""

    password = DEMO_PASSWORD

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root / "server"
        self.port = port
        self.process: ServerProcess | ServerThread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def prepare(self) -> None:
        """Create and fill the database once (a few seconds), then start the server."""
        self.root.mkdir(parents=True, exist_ok=True)
        if running_frozen():
            self._prepare_in_process()
            return
        marker = self.root / "demo-loaded"
        if not marker.exists():
            command = [sys.executable, "-m", SERVER_MODULE, "admin", "--data-dir", str(self.root)]
            subprocess.run(
                [*command, "demo"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            marker.write_text("ok\n", encoding="utf-8")
        if self.port is None:
            self.port = free_port()
        # die_with_parent: the server goes when the application dies, even killed. (Linux
        # ties it to the thread that starts it: a thread of the application's executor,
        # which lives as long as the application.)
        process = ServerProcess(self.root, port=self.port, die_with_parent=True)
        try:
            process.start()
        except RuntimeError:
            self.port = free_port()
            process = ServerProcess(self.root, port=self.port, die_with_parent=True)
            process.start()
        self.process = process

    def _prepare_in_process(self) -> None:
        """The same server and database, in a thread of the application."""
        from spie_desktop.entry.server import main as server_main

        marker = self.root / "demo-loaded"
        if not marker.exists():
            with contextlib.redirect_stdout(None):
                code = server_main(["admin", "--data-dir", str(self.root), "demo"])
            if code != 0:
                raise RuntimeError(f"spie-server admin demo: {code}")
            marker.write_text("ok\n", encoding="utf-8")
        settings = ServerSettings(database_url=database_url(self.root, None), data_dir=self.root)
        port = self.port if self.port and _port_free(self.port) else free_port()
        self.process = ServerThread(settings, port=port).start()
        self.port = port

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
