"""``spie-desktop --demo``: open the application on demonstration data, no question asked.

When the departmental server is installed (``sync.server``), the demo is the real thing:
a local ``spie-server`` on SQLite, filled with ``spie-server admin demo`` (two referents'
caseloads, a supervisor), started on a free loopback port as a child process, and the app
logs in as ``demo.referent`` (or ``demo.responsable`` with ``--as responsable``) and runs
its first sync. Without the server, the demo is a local store filled with the same
generator.

Layout of the demo directory (``--data-dir`` or a fresh temporary directory)::

    server/        the server's SQLite database and log
    referent/      the referent's encrypted device store
    responsable/   the supervisor's (``--as responsable``)

Each device store is protected by the public demo passphrase (shown on the unlock screen;
it protects fictitious people only). Later runs on the same directory restart the server on
the same port and simply unlock.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer

from spie_desktop.store.vault import Vault
from ui.i18n import translate
from ui.workers import error_message

if TYPE_CHECKING:
    from ui.app import AppParts

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo-spie-2026"  # also spie_desktop.cli.DEMO_PASSPHRASE
DEMO_PASSWORD = "demo-spie-2026"  # also sync.server.cli.DEMO_PASSWORD
ACCOUNTS = {"referent": "demo.referent", "responsable": "demo.responsable"}

with contextlib.suppress(ImportError):  # one source of truth when the CLIs are there
    from spie_desktop.cli import DEMO_PASSPHRASE
with contextlib.suppress(ImportError):
    from sync.server.cli import DEMO_PASSWORD


def server_available() -> bool:
    """The ``server`` extra is installed (without it the demo runs on a local store)."""
    try:
        return importlib.util.find_spec("sync.server.cli") is not None
    except ImportError:  # MissingExtraError from sync.server
        return False


def device_dir(root: Path, role: str) -> Path:
    return root / role


def running_frozen() -> bool:
    """A PyInstaller bundle: no Python interpreter to run ``-m sync.server.cli`` with."""
    return bool(getattr(sys, "frozen", False))


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class DemoServer:
    """``spie-server`` on SQLite in ``root/server``, as a child process on loopback."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root / "server"
        self.port = port
        self.process: object | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def prepare(self) -> None:
        """Create and fill the database once (a few seconds), then start the server."""
        from sync.devkit import ServerProcess, free_port

        self.root.mkdir(parents=True, exist_ok=True)
        if running_frozen():
            self._prepare_in_process()
            return
        marker = self.root / "demo-loaded"
        if not marker.exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "sync.server.cli",
                    "admin",
                    "--data-dir",
                    str(self.root),
                    "demo",
                ],
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
        """The frozen bundle has no Python to start ``-m sync.server.cli`` with: the demo
        server runs in a thread of the application (the same code, the same database)."""
        from sync.devkit import ServerThread, free_port
        from sync.server.cli import database_url
        from sync.server.cli import main as server_main
        from sync.server.settings import ServerSettings

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
        from sync.devkit import ServerProcess, ServerThread

        if isinstance(self.process, ServerProcess | ServerThread):
            self.process.stop()


class DemoRunner(QObject):
    def __init__(self, parts: AppParts, root: Path, role: str = "referent") -> None:
        super().__init__()
        self.parts = parts
        self.root = root
        self.role = role
        self.server: DemoServer | None = None

    def start(self) -> None:
        window = self.parts.window
        window.unlock_page.set_demo_hint(
            translate(
                "demo",
                "Démonstration : la phrase de passe est « {p} » (données fictives).",
            ).format(p=DEMO_PASSPHRASE)
        )
        window.workspace_shown.connect(self._say_hello)
        if server_available():
            self._start_server()
        elif Vault.exists(self.parts.session.data_dir):
            QTimer.singleShot(0, self._unlock)
        else:
            QTimer.singleShot(0, self._create_local)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    # -- with a local server ---------------------------------------------------------------

    def _start_server(self) -> None:
        settings = self.parts.session.settings
        port = None
        if settings.server_url:
            with contextlib.suppress(ValueError):
                port = urlsplit(settings.server_url).port
        self.server = DemoServer(self.root, port)
        first = self.parts.window.first_start
        if not Vault.exists(self.parts.session.data_dir):
            first.demo_radio.setChecked(False)
            first.go(first.STEP_PROGRESS)
            first.progress_title.setText(translate("demo", "Démonstration"))
            first._progress(
                translate(
                    "demo",
                    "Préparation du serveur départemental de démonstration (quelques secondes)…",
                ),
                0,
                0,
            )
        server = self.server
        self.parts.ops.background(
            server.prepare,
            lambda _r: self._server_ready(),
            self._server_failed,
            owner=self,
            label="demo server",
        )

    def _server_ready(self) -> None:
        assert self.server is not None
        url = self.server.url
        session = self.parts.session
        if session.settings.server_url != url:
            session.update_settings(server_url=url, last_username=ACCOUNTS[self.role])
        self.parts.sync.set_server_url(url)
        if Vault.exists(session.data_dir):
            self._unlock()
            return
        first = self.parts.window.first_start
        first.server_radio.setChecked(True)
        first.server.setText(url)
        first.username.setText(ACCOUNTS[self.role])
        first.password.setText(DEMO_PASSWORD)
        first.go(first.STEP_PASSPHRASE)
        self._fill_passphrase()
        first._create()

    def _server_failed(self, error: BaseException) -> None:
        log.warning("demo server could not start: %s", type(error).__name__)
        first = self.parts.window.first_start
        detail = error_message(error)
        if isinstance(error, subprocess.CalledProcessError) and error.stderr:
            detail = error.stderr.decode("utf-8", "replace").strip().splitlines()[-1]
        from ui.widgets.common import show_banner

        show_banner(
            first.progress_error,
            translate(
                "demo",
                "Le serveur de démonstration n'a pas démarré ({detail}). Démonstration "
                "locale à la place.",
            ).format(detail=detail),
        )
        self.server = None
        if Vault.exists(self.parts.session.data_dir):
            self._unlock()
        else:
            self._create_local()

    # -- local only -----------------------------------------------------------------------

    def _unlock(self) -> None:
        page = self.parts.window.unlock_page
        page.passphrase.setText(DEMO_PASSPHRASE)
        page.submit()

    def _fill_passphrase(self) -> None:
        form = self.parts.window.first_start.passphrase_form
        form.passphrase.setText(DEMO_PASSPHRASE)
        form.confirmation.setText(DEMO_PASSPHRASE)

    def _create_local(self) -> None:
        first = self.parts.window.first_start
        first.demo_radio.setChecked(True)
        first.go(first.STEP_PASSPHRASE)
        self._fill_passphrase()
        first._create()

    def _say_hello(self) -> None:
        status = self.parts.window.status
        if self.server is None:
            text = translate("demo", "Démonstration locale : données fictives.")
        elif self.role == "referent":
            text = translate(
                "demo",
                "Démonstration (demo.referent) · vue du responsable : --demo --as responsable",
            )
        else:
            text = translate("demo", "Démonstration (demo.responsable, lecture seule)")
        status.set_note(text)
