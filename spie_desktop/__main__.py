"""``python -m spie_desktop``: the same entry point as the ``spie-desktop`` command."""

from __future__ import annotations

from spie_desktop.entry.desktop import main

if __name__ == "__main__":
    raise SystemExit(main())
