"""The pinned Qt must not leak references to ``None``.

PySide6 6.12.0 returned ``None`` from every ``void`` Qt method without a new reference:
on Python 3.11 ``None``'s count dropped by one per call until CPython aborted with
« none_dealloc: deallocating None » after a few thousand calls (Python 3.12 made ``None``
immortal, which hides it). The lock pins a Qt without the bug; this test fails loudly if
a Qt upgrade brings it (or a cousin) back.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

CALLS = 1000

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683)"
)


class _Emitter(QObject):
    fired = Signal()


def _none_lost(call: Callable[[], object]) -> int:
    """References to None lost over CALLS calls (negative: a reference was gained)."""
    call()  # warm up caches that may hold None once
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return before - sys.getrefcount(None)


def _void_calls(keep: list[QObject]) -> dict[str, Callable[[], object]]:
    """Calls of void Qt methods; their objects go in ``keep`` so they outlive the calls."""
    probe = QObject()
    label = QLabel()
    line = QLineEdit()
    timer = QTimer()
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    keep.extend([probe, label, line, timer, emitter])
    return {
        "QObject.setObjectName": lambda: probe.setObjectName(""),
        "QLabel.setText": lambda: label.setText("a"),
        "QLineEdit.clear": line.clear,
        "QTimer.stop": timer.stop,
        "QCoreApplication.processEvents": QCoreApplication.processEvents,
        "Signal.emit": emitter.fired.emit,
    }


def test_void_qt_calls_keep_none_refcount(qapp: QApplication) -> None:
    keep: list[QObject] = []
    lost = {name: _none_lost(call) for name, call in _void_calls(keep).items()}
    leaking = {name: n for name, n in lost.items() if n > 0}
    assert not leaking, (
        f"PySide6 {pyside_version} loses references to None on Python "
        f"{sys.version_info.major}.{sys.version_info.minor} ({leaking} over {CALLS} calls): "
        "CPython will abort with « none_dealloc ». Reinstall .venv from the lock "
        "(`.venv/bin/pip install --require-hashes -r requirements/dev.lock`), or pin another "
        "PySide6 there (README « Updating the lock »)."
    )
