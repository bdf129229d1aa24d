"""The desktop application's objects, built on a running ``QApplication``.

:func:`build_app` assembles the main window, the session, the sync controller and the
idle lock around the sync engine it is given. Starting the application (options, the
``QApplication``, ``--demo``) is the composition root's job:
:mod:`spie_desktop.entry.app`.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from pathlib import Path

import keyring.backend
from PySide6.QtWidgets import QApplication

from spie_desktop.resources import resource_path
from spie_desktop.store.vault import KdfParams
from ui.i18n import install_language
from ui.lock import IdleLock
from ui.main_window import MainWindow
from ui.session import AppContext
from ui.sync_controller import SyncBackend, SyncController
from ui.workers import Ops

log = logging.getLogger(__name__)


@dataclass
class AppParts:
    """Everything the application is made of (also used by tests and the screenshot tool)."""

    window: MainWindow
    session: AppContext
    sync: SyncController
    ops: Ops
    idle_lock: IdleLock

    def shutdown(self) -> None:
        self.idle_lock.detach()
        self.sync.shutdown()
        self.ops.shutdown()
        # What unlock froze (``tune_gc``) is garbage once the window is gone; left frozen, its
        # cycles and their widgets would live as long as the process.
        gc.unfreeze()


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
    """Create the application's objects on an existing ``QApplication``.

    ``sync_backend``: the sync engine (the composition root passes the real one); without
    it the application runs in local mode.
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sheet = load_stylesheet()
    if app.styleSheet() != sheet:  # setting it again re-polishes every widget alive
        app.setStyleSheet(sheet)
    ops = Ops()
    session = AppContext(data_dir, ops, keyring_backend=keyring_backend, kdf=kdf)
    install_language(language or session.settings.language)
    sync = SyncController(ops, backend=sync_backend, server_url=session.settings.server_url)
    idle = IdleLock(session.settings.idle_lock_minutes * 60_000)
    window = MainWindow(session, sync, idle)
    window.workspace_shown.connect(gc.freeze)  # what unlock built lives until the lock
    tune_gc()
    return AppParts(window=window, session=session, sync=sync, ops=ops, idle_lock=idle)
