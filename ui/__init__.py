"""The referent's desktop application (PySide6). The only package that imports Qt.

Widgets call the use-cases of :mod:`spie_desktop.services` through :mod:`ui.workers`
(one writer thread, a few reader threads, results by Qt signal on the UI thread) and the
sync engine through :mod:`ui.sync_controller`. No SQL here.
"""

from __future__ import annotations

import sys


def _guard_none_refcount() -> bool:
    """Work around a reference-counting bug of PySide6 6.12.0 on Python < 3.12.

    Every call of a Qt method returning ``void`` (``setText``, ``processEvents``…) gives
    back ``None`` without a new reference, so ``None``'s reference count drops by one per
    call: after a few thousand calls CPython aborts with « none_dealloc: deallocating
    None ». Python 3.12 made ``None`` immortal (PEP 683), which hides the bug there.

    Detected rather than assumed: if one void call loses a reference, ``None`` gets a
    very large reference count (what PEP 683 does), so it can never reach zero.
    Returns True when the guard was applied.
    """
    if sys.version_info >= (3, 12):
        return False
    try:
        from PySide6.QtCore import QObject
    except ImportError:  # pragma: no cover
        return False
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("")
    if sys.getrefcount(None) >= before:
        return False
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True


NONE_REFCOUNT_GUARD = _guard_none_refcount()
