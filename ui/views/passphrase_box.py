"""« Phrase de passe » in Settings (issue 12): change the passphrase that protects this
computer's data, the current one required.

A separate group box (the settings screen's other sections are not touched). The vault
re-wraps the data key (nothing is re-encrypted) off the UI thread; a wrong current passphrase
is refused with the unlock screen's message and delay, and nothing changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLineEdit, QVBoxLayout, QWidget

from spie_desktop.errors import ValidationError, WrongPassphraseError
from spie_desktop.store.vault import MIN_PASSPHRASE_CHARS
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import FormFields, banner, button, hbox, show_banner
from ui.workers import error_message


class PassphraseBox(QGroupBox):
    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(translate("passphrase", "Phrase de passe"), parent)
        self.session = session
        self._busy = False
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.fields = FormFields(grid)
        self.current = self.fields.add(
            "old_passphrase", translate("passphrase", "Phrase de passe actuelle"), QLineEdit(), 0
        )
        self.new = self.fields.add(
            "new_passphrase",
            translate("passphrase", "Nouvelle phrase de passe"),
            QLineEdit(),
            1,
            hint_text=translate(
                "passphrase", "Au moins {n} caractères ; plusieurs mots faciles à retenir."
            ).format(n=MIN_PASSPHRASE_CHARS),
        )
        self.confirm = self.fields.add(
            "confirm_passphrase",
            translate("passphrase", "Nouvelle phrase de passe (à nouveau)"),
            QLineEdit(),
            2,
        )
        for edit in (self.current, self.new, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.confirm.setFocus)
        self.confirm.returnPressed.connect(self.submit)
        layout.addLayout(grid)
        self.banner = banner()
        layout.addWidget(self.banner)
        self.button = button(
            translate("passphrase", "Changer la phrase de passe"),
            tooltip=translate(
                "passphrase",
                "La base n'est pas rechiffrée : sa clé est protégée par la nouvelle phrase.",
            ),
        )
        self.button.clicked.connect(self.submit)
        layout.addLayout(hbox(None, self.button))
        session.locked.connect(lambda *_args: self.clear())  # no passphrase left behind a lock

    def clear(self) -> None:
        for edit in (self.current, self.new, self.confirm):
            edit.clear()
        self.fields.clear_errors()
        show_banner(self.banner, None)

    def submit(self) -> None:
        if self._busy or not self.session.is_unlocked:
            return
        self.fields.clear_errors()
        show_banner(self.banner, None)
        old, new = self.current.text(), self.new.text()
        if not old:
            self._refuse("old_passphrase", translate("passphrase", "Saisissez la phrase actuelle."))
            return
        if len(new) < MIN_PASSPHRASE_CHARS:
            self._refuse(
                "new_passphrase",
                translate(
                    "passphrase", "La phrase de passe doit compter au moins {n} caractères."
                ).format(n=MIN_PASSPHRASE_CHARS),
            )
            return
        if new == old:
            self._refuse(
                "new_passphrase",
                translate("passphrase", "La nouvelle phrase est identique à l'actuelle."),
            )
            return
        if self.confirm.text() != new:
            self._refuse(
                "confirm_passphrase",
                translate("passphrase", "Les deux nouvelles phrases ne sont pas identiques."),
            )
            return
        self._set_busy(True)
        self.session.change_passphrase(old, new, self._done, self._failed, owner=self)

    def _refuse(self, field: str, message: str) -> None:
        self.fields.set_error(field, message)
        widget = {"old_passphrase": self.current, "new_passphrase": self.new}.get(
            field, self.confirm
        )
        widget.setFocus()
        widget.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.button.setEnabled(not busy)
        self.button.setText(
            translate("passphrase", "Changement en cours…")
            if busy
            else translate("passphrase", "Changer la phrase de passe")
        )

    def _done(self) -> None:
        self._set_busy(False)
        self.clear()
        show_banner(
            self.banner,
            translate(
                "passphrase",
                "Phrase de passe changée. Elle sera demandée au prochain déverrouillage.",
            ),
        )
        self.banner.setObjectName("successBanner")
        self.banner.style().polish(self.banner)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.banner.setObjectName("errorBanner")
        if isinstance(error, WrongPassphraseError):
            self._refuse("old_passphrase", error.message)
            return
        if isinstance(error, ValidationError) and error.field == "new_passphrase":
            self._refuse("new_passphrase", error.message)
            return
        show_banner(self.banner, error_message(error))
