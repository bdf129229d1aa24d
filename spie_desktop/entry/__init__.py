"""The composition root: the only code that sees every layer.

The console entry points (``spie-desktop``: :mod:`spie_desktop.entry.desktop`;
``spie-server``: :mod:`spie_desktop.entry.server`), their command groups
(:mod:`spie_desktop.entry.cli`), the desktop application's assembly and launcher
(:mod:`spie_desktop.entry.app`, ``--demo`` with :mod:`spie_desktop.entry.demo`), the
self-test (:mod:`spie_desktop.entry.selftest`) and the loopback server they start
(:mod:`spie_desktop.entry.local_server`). Nothing below imports this package
(``pyproject.toml``, ``[tool.importlinter]``; docs/architecture.md).
"""
