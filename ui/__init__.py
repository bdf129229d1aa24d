"""The referent's desktop application (PySide6). The only package that imports Qt.

Widgets call the use-cases of :mod:`spie_desktop.services` through :mod:`ui.workers`
(one writer thread, a few reader threads, results by Qt signal on the UI thread) and the
sync engine through :mod:`ui.sync_controller`. No SQL here.
"""
