"""Entry point of the desktop application: ``spie-desktop`` with no sub-command.

::

    spie-desktop [--data-dir DOSSIER] [--demo [--as referent|responsable]] [--lang fr|en]

``--demo`` opens the application on demonstration data: against a local departmental
server on SQLite filled with the demo (when the sync server is installed), logged in as
``demo.referent`` (``--as responsable``: the supervisor's read-only view); otherwise on a
local demo store. The demo's directory is ``--data-dir`` or a fresh temporary directory
(see :mod:`ui.demo`).

Without a display, the application explains in French how to run it (``xvfb-run``) and
exits with status 2.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import keyring.backend
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from spie_desktop.config import locate_data_dir
from spie_desktop.resources import resource_path
from spie_desktop.store.vault import KdfParams
from ui.i18n import install_language
from ui.lock import IdleLock
from ui.main_window import MainWindow
from ui.session import AppSession
from ui.sync_controller import SyncBackend, SyncController, load_backend
from ui.workers import Ops

log = logging.getLogger(__name__)

EXIT_OK = 0
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


def has_display(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    qpa = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return True
    if not platform.startswith("linux") and not platform.startswith("freebsd"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spie-desktop",
        description="SPIE Desktop : le portefeuille des référents de parcours, hors ligne.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DOSSIER",
        help="dossier des données chiffrées (par défaut : dossier de l'utilisateur)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="ouvrir l'application sur des données de démonstration",
    )
    parser.add_argument(
        "--as",
        dest="demo_role",
        choices=("referent", "responsable"),
        default="referent",
        help="compte de démonstration : référent (par défaut) ou responsable d'équipe",
    )
    parser.add_argument(
        "--lang", choices=("fr", "en"), help="langue de l'interface (sinon : paramètres)"
    )
    return parser


@dataclass
class AppParts:
    """Everything the application is made of (also used by tests and the screenshot tool)."""

    window: MainWindow
    session: AppSession
    sync: SyncController
    ops: Ops
    idle_lock: IdleLock

    def shutdown(self) -> None:
        self.idle_lock.disarm()
        self.sync.shutdown()
        self.ops.shutdown()


def tune_gc() -> None:
    """Fewer and cheaper garbage collections, so that typing never hitches.

    A full (generation 2) collection walks every long-lived object of Qt, SQLAlchemy and
    the app: about 60 ms here, a visible pause when it falls inside a keystroke's query
    (measured by ``bench/ui.py``). The objects built at start and at unlock live as long as
    the session: ``gc.freeze()`` moves them out of the collector's sight, and the young
    generation is collected less often. Reference counting still frees everything at once;
    only cyclic garbage waits a little longer.
    """
    gc.freeze()
    gc.set_threshold(10_000, 20, 50)


def load_stylesheet() -> str:
    path = resource_path("styles", "app.qss")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s missing", path)
        return ""
    icons = resource_path("icons").as_posix()
    return text.replace("@ICONS@", icons)


def build_app(
    data_dir: Path,
    *,
    keyring_backend: keyring.backend.KeyringBackend | None = None,
    kdf: KdfParams | None = None,
    sync_backend: SyncBackend | None = None,
    language: str | None = None,
) -> AppParts:
    """Create the application's objects on an existing ``QApplication``."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(load_stylesheet())
    ops = Ops()
    session = AppSession(data_dir, ops, keyring_backend=keyring_backend, kdf=kdf)
    install_language(language or session.settings.language)
    backend = sync_backend if sync_backend is not None else load_backend(keyring_backend)
    sync = SyncController(ops, backend=backend, server_url=session.settings.server_url)
    idle = IdleLock(session.settings.idle_lock_minutes * 60_000)
    window = MainWindow(session, sync, idle)
    window.workspace_shown.connect(gc.freeze)  # what unlock built lives until the lock
    tune_gc()
    return AppParts(window=window, session=session, sync=sync, ops=ops, idle_lock=idle)


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


def main(argv: Sequence[str] | None = None, *, data_dir: str | None = None) -> int:
    """Run the application; returns the exit status."""
    args = build_parser().parse_args(list(argv) if argv is not None else sys.argv[1:])
    if data_dir and not args.data_dir:
        args.data_dir = data_dir
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr, end="")
        return EXIT_NO_DISPLAY

    QCoreApplication.setOrganizationName("SPIE")
    QCoreApplication.setApplicationName("SPIE Desktop")
    QGuiApplication.setDesktopFileName("spie-desktop")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "spie-desktop"])
    assert isinstance(app, QApplication)

    runner = None
    if args.demo:
        from ui.demo import DemoRunner, device_dir

        root = _demo_data_dir(args.data_dir)
        parts = build_app(device_dir(root, args.demo_role), language=args.lang)
        runner = DemoRunner(parts, root, args.demo_role)
        runner.start()
    else:
        directory = locate_data_dir(args.data_dir).path
        parts = build_app(directory, language=args.lang)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
