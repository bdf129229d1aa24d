"""Idle lock (DESIGN §4, like KeePassXC) and the drafts kept across a lock.

:class:`IdleLock` is an application-wide event filter: every keyboard, mouse, wheel or touch
event records the time of the last input; a single-shot timer fires at the deadline and
either re-arms itself for the remaining time or asks for the lock. The filter itself only
stores a number, so it costs next to nothing per event.

The lock is also requested when the platform says the session is going away, *where Qt or
the platform signals it* (best effort):

* every platform: ``QGuiApplication.applicationStateChanged`` to ``ApplicationSuspended``
  (sent by Qt on macOS sleep through ``NSWorkspace`` and on mobile platforms);
* Linux: ``org.freedesktop.login1.Manager.PrepareForSleep(true)`` on the system bus (suspend
  or hibernate), the ``Lock`` signal of this process's logind session (what
  ``loginctl lock-session`` and most desktops send on screen lock), and the
  ``ActiveChanged(true)`` signal of ``org.freedesktop.ScreenSaver`` / ``org.gnome.ScreenSaver``
  on the session bus. Without a D-Bus (headless, containers) only the idle timer works;
* Windows: ``WM_WTSSESSION_CHANGE`` / ``WTS_SESSION_LOCK`` (once the main window is
  registered with wtsapi32) and ``WM_POWERBROADCAST`` / ``PBT_APMSUSPEND`` through a native
  event filter. Not exercised by the test-suite (Linux only).

The operating systems' own names for these are spelled in :mod:`spie_desktop.os_lock`.

:class:`DraftVault` keeps what the referent typed but did not save while the app is locked.
Drafts are sealed with AES-256-GCM under a key derived (HKDF) from the store's data key: once
the data key is dropped, the drafts cannot be read until the passphrase unlocks the vault
again. They live in memory only, never on disk.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from PySide6.QtCore import (
    QAbstractNativeEventFilter,
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from spie_desktop import os_lock
from ui.i18n import translate

log = logging.getLogger(__name__)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.HoverMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)

_DRAFT_INFO = b"spie-desktop drafts v1"


class DraftVault:
    """Drafts sealed while the application is locked (see the module docstring)."""

    def __init__(self) -> None:
        self._key: bytes | None = None
        self._sealed: dict[str, tuple[bytes, bytes]] = {}

    def open(self, data_key: bytes) -> None:
        """Derive the drafts key from the store's data key (at unlock)."""
        self._key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DRAFT_INFO).derive(
            data_key
        )

    @property
    def is_open(self) -> bool:
        return self._key is not None

    def seal(self, drafts: dict[str, Any]) -> None:
        """Encrypt ``drafts`` (JSON-able values) and forget the key (at lock)."""
        if self._key is None:
            return
        cipher = AESGCM(self._key)
        for name, value in drafts.items():
            nonce = os.urandom(12)
            plain = json.dumps(value, ensure_ascii=False).encode("utf-8")
            self._sealed[name] = (nonce, cipher.encrypt(nonce, plain, name.encode("utf-8")))
        self._key = None

    def close(self) -> None:
        self._key = None

    def unseal(self) -> dict[str, Any]:
        """Decrypt and hand back every sealed draft (after unlock); the vault is emptied."""
        if self._key is None:
            return {}
        cipher = AESGCM(self._key)
        drafts: dict[str, Any] = {}
        for name, (nonce, data) in self._sealed.items():
            try:
                plain = cipher.decrypt(nonce, data, name.encode("utf-8"))
            except Exception:  # another store was opened: those drafts are not ours
                log.warning("a draft could not be decrypted and was dropped")
                continue
            drafts[name] = json.loads(plain.decode("utf-8"))
        self._sealed.clear()
        return drafts

    def __len__(self) -> int:
        return len(self._sealed)

    def discard(self) -> None:
        self._sealed.clear()
        self._key = None


class _WindowsLockFilter(QAbstractNativeEventFilter):
    """Windows only: session lock and suspend notifications (best effort, untested here)."""

    WM_WTSSESSION_CHANGE = 0x02B1
    WTS_SESSION_LOCK = 0x7
    WM_POWERBROADCAST = 0x0218
    PBT_APMSUSPEND = 0x4

    def __init__(self, owner: IdleLock) -> None:
        super().__init__()
        self._owner = owner

    def nativeEventFilter(
        self, event_type: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> Any:
        import ctypes
        from ctypes import wintypes

        if bytes(event_type.data() if isinstance(event_type, QByteArray) else event_type) != (
            b"windows_generic_MSG"
        ):
            return False, 0
        msg = wintypes.MSG.from_address(int(message))
        if msg.message == self.WM_WTSSESSION_CHANGE and msg.wParam == self.WTS_SESSION_LOCK:
            self._owner.request("screen")
        elif msg.message == self.WM_POWERBROADCAST and msg.wParam == self.PBT_APMSUSPEND:
            self._owner.request("sleep")
        del ctypes
        return False, 0


class IdleLock(QObject):
    """Asks for the lock after ``timeout_ms`` without input, or on OS lock/sleep."""

    #: reason: "idle", "screen", "sleep", "suspend" or "manual"
    lock_requested = Signal(str)

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout_ms = max(int(timeout_ms), 50)
        self._last_input = time.monotonic()
        self._armed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._platform_sources: list[str] = []
        self._native_filter: _WindowsLockFilter | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            if isinstance(app, QGuiApplication):
                app.applicationStateChanged.connect(self._on_application_state)
                self._platform_sources.append(
                    translate("lock", "Qt : mise en veille de l'application")
                )
        self._connect_platform()

    # -- configuration ------------------------------------------------------------------

    def detach(self) -> None:
        """Stop watching the application (its event filter and state signal): at shutdown.

        An application object outlives the windows built on it (the tests build dozens): a
        filter left installed would see every later event of the process."""
        self.disarm()
        app = QCoreApplication.instance()
        if app is None:
            return
        app.removeEventFilter(self)
        if isinstance(app, QGuiApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.applicationStateChanged.disconnect(self._on_application_state)
        if self._native_filter is not None:  # pragma: no cover - Windows only
            app.removeNativeEventFilter(self._native_filter)
            self._native_filter = None

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout_ms = max(int(timeout_ms), 50)
        if self._armed:
            self._schedule()

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout_ms(minutes * 60_000)

    @property
    def platform_sources(self) -> tuple[str, ...]:
        """What, besides the idle timer, can lock the app on this machine (settings screen)."""
        return tuple(self._platform_sources)

    # -- arming ---------------------------------------------------------------------------

    def arm(self) -> None:
        """Start watching (after unlock)."""
        self._armed = True
        self._last_input = time.monotonic()
        self._schedule()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()

    def request(self, reason: str) -> None:
        """Lock now (platform signal or the user's own shortcut)."""
        if self._armed:
            self.disarm()
            self.lock_requested.emit(reason)

    def idle_ms(self) -> int:
        return int((time.monotonic() - self._last_input) * 1000)

    # -- the filter and the timer ------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _schedule(self) -> None:
        remaining = self._timeout_ms - self.idle_ms()
        self._timer.start(max(remaining, 10))

    def _on_timer(self) -> None:
        if not self._armed:
            return
        if self.idle_ms() >= self._timeout_ms:
            self.request("idle")
        else:
            self._schedule()

    # -- platform signals -------------------------------------------------------------------

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.request("suspend")

    @Slot(bool)
    def _on_prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.request("sleep")

    @Slot()
    def _on_session_lock(self) -> None:
        self.request("screen")

    @Slot(bool)
    def _on_screensaver(self, active: bool) -> None:
        if active:
            self.request("screen")

    def _connect_platform(self) -> None:
        if sys.platform.startswith("linux"):
            with contextlib.suppress(Exception):
                self._connect_dbus()
        elif sys.platform == "win32":
            with contextlib.suppress(Exception):
                self._connect_windows()

    def _connect_dbus(self) -> None:
        if not (
            os.environ.get("DBUS_SESSION_BUS_ADDRESS")
            or os.path.exists("/run/dbus/system_bus_socket")
        ):
            return
        from PySide6.QtCore import SLOT
        from PySide6.QtDBus import QDBusConnection, QDBusInterface

        system: Any = QDBusConnection.systemBus()
        if system.isConnected():
            if system.connect(
                os_lock.LOGIND_SERVICE,
                os_lock.LOGIND_PATH,
                os_lock.LOGIND_MANAGER,
                "PrepareForSleep",
                self,
                SLOT("_on_prepare_for_sleep(bool)"),
            ):
                self._platform_sources.append(translate("lock", "logind : mise en veille"))
            manager = QDBusInterface(
                os_lock.LOGIND_SERVICE,
                os_lock.LOGIND_PATH,
                os_lock.LOGIND_MANAGER,
                system,
            )
            manager.setTimeout(500)
            reply = manager.call(os_lock.LOGIND_SESSION_OF_PID, os.getpid())
            arguments = reply.arguments()
            if arguments:
                path = str(arguments[0].path() if hasattr(arguments[0], "path") else arguments[0])
                if path.startswith("/") and system.connect(
                    os_lock.LOGIND_SERVICE,
                    path,
                    os_lock.LOGIND_SESSION,
                    "Lock",
                    self,
                    SLOT("_on_session_lock()"),
                ):
                    self._platform_sources.append(
                        translate("lock", "logind : verrouillage de session")
                    )
        session: Any = QDBusConnection.sessionBus()
        if session.isConnected():
            for service, interface in (
                ("org.freedesktop.ScreenSaver", "org.freedesktop.ScreenSaver"),
                ("org.gnome.ScreenSaver", "org.gnome.ScreenSaver"),
            ):
                if session.connect(
                    service, "", interface, "ActiveChanged", self, SLOT("_on_screensaver(bool)")
                ):
                    self._platform_sources.append(
                        translate("lock", "économiseur d'écran ({service})").format(service=service)
                    )

    def _connect_windows(self) -> None:  # pragma: no cover - Windows only
        import ctypes

        app = QCoreApplication.instance()
        if app is None:
            return
        self._native_filter = _WindowsLockFilter(self)
        app.installNativeEventFilter(self._native_filter)
        del ctypes
        self._platform_sources.append(
            translate("lock", "Windows : verrouillage de session et mise en veille")
        )

    def attach_window(self, window: QWidget) -> None:
        """Windows only: lock notifications are sent to a window (the main one)."""
        if sys.platform != "win32" or self._native_filter is None:
            return
        import ctypes  # pragma: no cover - Windows only

        with contextlib.suppress(Exception):  # pragma: no cover
            windll: Any = getattr(ctypes, "windll")  # noqa: B009 - absent on Linux
            register = getattr(windll.wtsapi32, os_lock.WTS_REGISTER_NOTIFICATION)
            register(int(window.winId()), 0)
