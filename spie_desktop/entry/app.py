"""The desktop application, assembled: what ``spie-desktop`` runs without a command.

:func:`build_desktop` is :func:`ui.app.build_app` with the real sync engine plugged in
(:class:`ui.sync_client_backend.ClientBackend`, imported here by name so that PyInstaller
bundles it); :func:`run_desktop` creates the ``QApplication``, builds the window (or the
``--demo``, with its local server from :mod:`spie_desktop.entry.demo`) and runs the event
loop. Without a display it explains in French how to run the application (``xvfb-run``)
and returns 2.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import keyring.backend
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from spie_desktop.config import locate_data_dir
from spie_desktop.store.vault import KdfParams
from ui.app import AppParts, build_app
from ui.demo import DemoRunner, DemoServerFactory, device_dir
from ui.sync_client_backend import make_backend
from ui.sync_controller import SyncBackend

EXIT_NO_DISPLAY = 2
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "linuxfb", "eglfs"})

NO_DISPLAY_MESSAGE = """\
SPIE Desktop : aucun affichage graphique n'est disponible (ni DISPLAY ni WAYLAND_DISPLAY).

Pour lancer l'application sur ce poste sans écran, utilisez un affichage virtuel :
    sudo apt-get install -y xvfb
    xvfb-run -a make demo
ou, pour des captures ou des tests, le rendu hors écran de Qt :
    QT_QPA_PLATFORM=offscreen spie-desktop --demo

Les commandes en ligne restent disponibles : spie-desktop --help
"""


@dataclass(frozen=True)
class DesktopOptions:
    """The application's own options of ``spie-desktop`` (see :mod:`spie_desktop.entry.desktop`)."""

    data_dir: str | None = None
    demo: bool = False
    demo_role: str = "referent"
    language: str | None = None


def sync_backend(keyring_backend: keyring.backend.KeyringBackend | None = None) -> SyncBackend:
    """The application's sync engine: ``sync.client`` behind the controller's protocol."""
    return make_backend(keyring_backend)


def build_desktop(
    data_dir: Path,
    *,
    keyring_backend: keyring.backend.KeyringBackend | None = None,
    kdf: KdfParams | None = None,
    backend: SyncBackend | None = None,
    language: str | None = None,
) -> AppParts:
    """The application's objects with the real sync engine (or ``backend``, for tests)."""
    return build_app(
        data_dir,
        keyring_backend=keyring_backend,
        kdf=kdf,
        sync_backend=backend if backend is not None else sync_backend(keyring_backend),
        language=language,
    )


def server_available() -> bool:
    """The ``server`` extra is installed (without it the demo runs on a local store)."""
    try:
        return importlib.util.find_spec("sync.server.app") is not None
    except ImportError:  # MissingExtraError from sync.server
        return False


def demo_runner(parts: AppParts, root: Path, role: str = "referent") -> DemoRunner:
    """The ``--demo`` driver, with its local departmental server when the ``server`` extra
    is installed (else a local demo store)."""
    factory: DemoServerFactory | None = None
    if server_available():
        from spie_desktop.entry.demo import DemoServer

        factory = DemoServer
    return DemoRunner(parts, root, role, server_factory=factory)


def has_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    qpa = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return True
    if not platform.startswith("linux") and not platform.startswith("freebsd"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _quit_on_signals(app: QApplication) -> QTimer:
    """Ctrl+C and SIGTERM close the app cleanly (the demo's server child is stopped too).

    Python runs signal handlers only between bytecodes: a short timer gives it the chance
    while Qt's event loop waits.
    """

    def stop(_signum: int, _frame: object) -> None:
        app.quit()

    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
    return timer


def _demo_data_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit).expanduser().absolute()
    return Path(tempfile.mkdtemp(prefix="spie-demo-"))


def run_desktop(options: DesktopOptions) -> int:
    """Run the application; returns the exit status."""
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr, end="")
        return EXIT_NO_DISPLAY

    QCoreApplication.setOrganizationName("SPIE")
    QCoreApplication.setApplicationName("SPIE Desktop")
    QGuiApplication.setDesktopFileName("spie-desktop")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "spie-desktop"])
    assert isinstance(app, QApplication)

    runner = None
    if options.demo:
        root = _demo_data_dir(options.data_dir)
        parts = build_desktop(device_dir(root, options.demo_role), language=options.language)
        runner = demo_runner(parts, root, options.demo_role)
        runner.start()
    else:
        directory = locate_data_dir(options.data_dir).path
        parts = build_desktop(directory, language=options.language)
    window = parts.window
    window.resize(1366, 860)
    window.show()
    _quit_on_signals(app)
    try:
        return int(app.exec())
    finally:
        parts.shutdown()
        if runner is not None:
            runner.stop()
