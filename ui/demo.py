"""``spie-desktop --demo``: open the application on demonstration data, no question asked.

The demo store is protected by the public demo passphrase (shown on the unlock screen: it
protects fictitious people only). On first run the store is created and filled through the
same first-start screens a referent would use; later runs unlock it directly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from spie_desktop.store.vault import Vault
from ui.i18n import translate

DEMO_PASSPHRASE = "demo-spie-2026"  # the CLI's public demo passphrase (spie_desktop.cli)

try:  # keep one source of truth when the CLI is there
    from spie_desktop.cli import DEMO_PASSPHRASE as _CLI_DEMO_PASSPHRASE

    DEMO_PASSPHRASE = _CLI_DEMO_PASSPHRASE
except ImportError:  # pragma: no cover
    pass


class DemoRunner(QObject):
    def __init__(self, parts: object, data_dir: Path) -> None:
        super().__init__()
        from ui.app import AppParts

        assert isinstance(parts, AppParts)
        self.parts = parts
        self.data_dir = data_dir

    def start(self) -> None:
        window = self.parts.window
        window.unlock_page.set_demo_hint(
            translate(
                "demo",
                "Démonstration : la phrase de passe est « {p} » (données fictives).",
            ).format(p=DEMO_PASSPHRASE)
        )
        if Vault.exists(self.data_dir):
            QTimer.singleShot(0, self._unlock)
        else:
            QTimer.singleShot(0, self._create)

    def _unlock(self) -> None:
        page = self.parts.window.unlock_page
        page.passphrase.setText(DEMO_PASSPHRASE)
        page.submit()

    def _create(self) -> None:
        first = self.parts.window.first_start
        first.demo_radio.setChecked(True)
        first.go(first.STEP_PASSPHRASE)
        first.passphrase_form.passphrase.setText(DEMO_PASSPHRASE)
        first.passphrase_form.confirmation.setText(DEMO_PASSPHRASE)
        first._create()
