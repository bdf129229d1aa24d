"""Unlock screen: the passphrase, with wrong passphrase and keyring problems in plain French."""

from __future__ import annotations

import math
import re
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from spie_desktop.errors import (
    KeyringLockedError,
    StoreCorruptError,
    TooManyAttemptsError,
    VaultError,
    WrongDeviceSecretError,
    WrongPassphraseError,
)
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import a11y, banner, button, card, hbox, heading, hint, show_banner
from ui.workers import error_message

_WAIT = re.compile(r"(\d+)\s*s\b")


def lock_reason_text(reason: str, minutes: int) -> str:
    return {
        "idle": translate(
            "unlock",
            "Verrouillée après {n} minute(s) sans activité. Ce que vous étiez en train de "
            "saisir est conservé.",
        ).format(n=minutes),
        "screen": translate(
            "unlock",
            "Verrouillée avec la session de l'ordinateur. Ce que vous étiez en train de "
            "saisir est conservé.",
        ),
        "sleep": translate(
            "unlock",
            "Verrouillée avant la mise en veille. Ce que vous étiez en train de saisir est "
            "conservé.",
        ),
        "suspend": translate(
            "unlock",
            "Verrouillée pendant la mise en veille. Ce que vous étiez en train de saisir est "
            "conservé.",
        ),
        "manual": translate("unlock", "Application verrouillée. Vos brouillons sont conservés."),
    }.get(reason, "")


class UnlockPage(QWidget):
    unlocked = Signal()

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.session = session
        self._wait_left = 0
        self._busy = False
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = card("loginCard")
        box.setFixedWidth(480)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(36, 32, 36, 28)
        layout.setSpacing(10)
        brand = QLabel("SPIE")
        brand.setObjectName("welcomeBrand")
        layout.addWidget(brand)
        layout.addWidget(
            heading(translate("unlock", "Déverrouiller l'application"), "sectionTitle")
        )
        self.greeting = hint("")
        layout.addWidget(self.greeting)
        self.reason = banner("infoBanner")
        layout.addWidget(self.reason)
        label = QLabel(translate("unlock", "Phrase de passe"))
        self.passphrase = a11y(
            QLineEdit(),
            translate("unlock", "Phrase de passe"),
            translate("unlock", "Saisissez votre phrase de passe puis appuyez sur Entrée."),
        )
        label.setBuddy(self.passphrase)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.submit)
        layout.addWidget(label)
        layout.addWidget(self.passphrase)
        self.show_box = a11y(
            QCheckBox(translate("unlock", "Afficher la phrase de passe")),
            translate("unlock", "Afficher la phrase de passe"),
        )
        self.show_box.toggled.connect(
            lambda shown: self.passphrase.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
            )
        )
        layout.addWidget(self.show_box)
        self.error = banner()
        layout.addWidget(self.error)
        self.button = button(translate("unlock", "Déverrouiller"), primary=True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.busy = hint("")
        self.busy.setVisible(False)
        layout.addWidget(self.busy)
        self.demo_hint = hint("")
        self.demo_hint.setVisible(False)
        layout.addWidget(self.demo_hint)
        layout.addSpacing(6)
        layout.addWidget(
            hint(
                translate(
                    "unlock",
                    "Phrase de passe oubliée ? Elle ne peut pas être récupérée. Vos données "
                    "synchronisées sont sur le serveur du département : votre administrateur "
                    "peut réinitialiser cet appareil.",
                )
            )
        )
        outer.addLayout(hbox(None, box, None))
        outer.addStretch(2)
        self._countdown = QTimer(self)
        self._countdown.setInterval(200)
        self._countdown.setTimerType(Qt.TimerType.PreciseTimer)
        self._until = 0.0
        self._wait_prefix = ""
        self._countdown.timeout.connect(self._tick)

    def prepare(self, reason: str | None = None) -> None:
        self.passphrase.clear()
        show_banner(self.error, None)
        settings = self.session.settings
        name = settings.user_display_name or settings.last_username
        self.greeting.setText(
            translate("unlock", "Bonjour {name}. Saisissez votre phrase de passe.").format(
                name=name
            )
            if name
            else translate("unlock", "Saisissez la phrase de passe de cet ordinateur.")
        )
        minutes = self.session.settings.idle_lock_minutes
        show_banner(self.reason, lock_reason_text(reason, minutes) if reason else None)
        self._set_busy(False)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_demo_hint(self, text: str | None) -> None:
        self.demo_hint.setText(text or "")
        self.demo_hint.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.passphrase.setEnabled(not busy)
        self.button.setEnabled(not busy and self._wait_left <= 0)
        self.busy.setText(translate("unlock", "Déverrouillage en cours…") if busy else "")
        self.busy.setVisible(busy)

    def submit(self) -> None:
        if self._busy or self._wait_left > 0:
            return
        text = self.passphrase.text()
        if not text:
            show_banner(self.error, translate("unlock", "Saisissez votre phrase de passe."))
            return
        show_banner(self.error, None)
        self._set_busy(True)
        self.session.unlock(text, self._done, self._failed, owner=self)

    def _done(self) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        show_banner(self.reason, None)
        self.unlocked.emit()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        if isinstance(error, TooManyAttemptsError):
            self._start_wait(int(error.wait_seconds))
            return
        if isinstance(error, WrongPassphraseError):
            message = error.message
            match = _WAIT.search(message)
            if match:
                self._start_wait(
                    int(match.group(1)), prefix=translate("unlock", "Phrase de passe incorrecte.")
                )
                return
            show_banner(self.error, message)
            return
        if isinstance(error, KeyringLockedError):
            message = translate(
                "unlock",
                "Le trousseau de votre session est verrouillé : l'application ne peut pas "
                "lire le secret de cet ordinateur. Déverrouillez le trousseau (ou rouvrez "
                "votre session), puis réessayez. Votre phrase de passe n'est pas en cause.",
            )
        elif isinstance(error, WrongDeviceSecretError):
            message = translate(
                "unlock",
                "Le secret de cet ordinateur ne correspond pas à la base locale (copiée depuis "
                "un autre poste, ou trousseau réinitialisé). Votre phrase de passe n'est pas "
                "en cause : contactez votre administrateur pour réinitialiser cet appareil ; "
                "vos données seront récupérées depuis le serveur.",
            )
        elif isinstance(error, (VaultError, StoreCorruptError)):
            message = error_message(error)
        else:
            message = error_message(error)
        show_banner(self.error, message)

    def _start_wait(self, seconds: int, prefix: str | None = None) -> None:
        # A deadline, not a count of ticks: timers may fire a little early, and the vault
        # counts from the failure (a margin keeps the button from coming back too soon).
        self._until = time.monotonic() + max(seconds, 1) + 0.3
        self._wait_prefix = prefix or translate("unlock", "Trop de tentatives.")
        self._wait_left = max(seconds, 1)
        self.button.setEnabled(False)
        self._show_wait()
        self._countdown.start()

    def _show_wait(self) -> None:
        show_banner(
            self.error,
            translate(
                "unlock",
                "{prefix} Patientez {n} s avant de réessayer : ce délai s'allonge à chaque erreur.",
            ).format(prefix=self._wait_prefix, n=self._wait_left),
        )

    def _tick(self) -> None:
        remaining = self._until - time.monotonic()
        if remaining <= 0:
            self._countdown.stop()
            self._wait_left = 0
            self.button.setEnabled(not self._busy)
            show_banner(self.error, translate("unlock", "Vous pouvez réessayer."))
            return
        self._wait_left = max(math.ceil(remaining), 1)
        self._show_wait()
