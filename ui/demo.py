"""``spie-desktop --demo``: drive the application onto demonstration data, no question asked.

With a demo server (given by the composition root, :class:`spie_desktop.entry.demo.DemoServer`:
a local ``spie-server`` on SQLite filled with ``spie-server admin demo``, two referents'
caseloads and a supervisor, on a free loopback port), the demo is the real thing: the app
logs in as ``demo.referent`` (or ``demo.responsable`` with ``--as responsable``) and runs
its first sync. Without one, the demo is a local store filled with the same generator.
This module only drives the widgets; it never starts a server itself.

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
import logging
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer

from spie_desktop.store.vault import Vault
from ui.i18n import translate
from ui.workers import error_message

if TYPE_CHECKING:
    from ui.app import AppParts

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo-spie-2026"
ACCOUNTS = {"referent": "demo.referent", "responsable": "demo.responsable"}


def device_dir(root: Path, role: str) -> Path:
    return root / role


class DemoServer(Protocol):
    """A demonstration server the runner logs in to (see :mod:`spie_desktop.entry.demo`)."""

    @property
    def url(self) -> str: ...

    @property
    def password(self) -> str: ...

    def prepare(self) -> None:
        """Create, fill and start the server (blocking: run off the UI thread)."""

    def stop(self) -> None: ...


#: ``factory(demo_root, port_wanted)``: the server of a demo directory.
DemoServerFactory = Callable[[Path, "int | None"], DemoServer]


class DemoRunner(QObject):
    def __init__(
        self,
        parts: AppParts,
        root: Path,
        role: str = "referent",
        *,
        server_factory: DemoServerFactory | None = None,
    ) -> None:
        super().__init__()
        self.parts = parts
        self.root = root
        self.role = role
        self.server_factory = server_factory
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
        if self.server_factory is not None:
            self._start_server(self.server_factory)
        elif Vault.exists(self.parts.session.data_dir):
            QTimer.singleShot(0, self._unlock)
        else:
            QTimer.singleShot(0, self._create_local)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    # -- with a local server ---------------------------------------------------------------

    def _start_server(self, factory: DemoServerFactory) -> None:
        settings = self.parts.session.settings
        port = None
        if settings.server_url:
            with contextlib.suppress(ValueError):
                port = urlsplit(settings.server_url).port
        self.server = factory(self.root, port)
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
        first.password.setText(self.server.password)
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
