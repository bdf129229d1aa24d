"""Passphrase creation: strength shown as you type, confirmation, show/hide."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QProgressBar, QWidget

from spie_desktop.store.vault import MIN_PASSPHRASE_CHARS
from ui.i18n import translate
from ui.widgets.common import FormFields, a11y, repolish

_COMMON = frozenset(
    {
        "password",
        "motdepasse",
        "azerty",
        "qwerty",
        "123456",
        "soleil",
        "bonjour",
        "loulou",
        "doudou",
        "chouchou",
        "marseille",
        "paris",
        "spie",
        "secret",
        "admin",
        "referent",
        "insertion",
        "coucou",
        "jetaime",
        "iloveyou",
        "welcome",
        "bienvenue",
    }
)
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "azertyuiop", "qwertyuiop", "0123456789")


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (très faible) … 4 (excellente)
    bits: float
    label: str
    advice: str


def _labels() -> tuple[str, ...]:
    return (
        translate("passphrase", "Très faible"),
        translate("passphrase", "Faible"),
        translate("passphrase", "Moyenne"),
        translate("passphrase", "Bonne"),
        translate("passphrase", "Excellente"),
    )


def estimate(passphrase: str) -> Strength:
    """A rough, explainable estimate (character classes × length, minus obvious patterns).

    Not zxcvbn, but it rewards what matters: length and several unrelated words.
    """
    text = passphrase
    if not text:
        return Strength(0, 0.0, _labels()[0], translate("passphrase", "Saisissez une phrase."))
    pool = 0
    if re.search(r"[a-zà-ÿ]", text):
        pool += 26
    if re.search(r"[A-ZÀ-Ý]", text):
        pool += 26
    if re.search(r"\d", text):
        pool += 10
    if re.search(r"[^\w\s]", text):
        pool += 20
    if " " in text:
        pool += 1
    pool = max(pool, 10)
    effective: float = float(len(text))
    lowered = text.lower()
    # Repeated characters and keyboard or alphabet runs add little.
    effective -= sum(1 for a, b in itertools.pairwise(text) if a == b) * 0.75
    for sequence in _SEQUENCES:
        for size in range(4, len(sequence) + 1):
            for start in range(len(sequence) - size + 1):
                if sequence[start : start + size] in lowered:
                    effective -= size * 0.75
                    break
            else:
                continue
            break
    for word in _COMMON:
        if word in lowered:
            effective -= len(word) * 0.8
    bits = max(effective, 0) * math.log2(pool)
    words = len([w for w in re.split(r"[\s\-_.]+", text) if len(w) >= 3])
    if words >= 4:
        bits += 10
    if bits < 28:
        score = 0
    elif bits < 40:
        score = 1
    elif bits < 55:
        score = 2
    elif bits < 75:
        score = 3
    else:
        score = 4
    if len(text) < MIN_PASSPHRASE_CHARS:
        score = 0
    advice = {
        0: translate(
            "passphrase",
            "Trop facile à deviner. Enchaînez plusieurs mots sans lien, par exemple "
            "« girafe lundi violon tempête ».",
        ),
        1: translate("passphrase", "Ajoutez un ou deux mots sans rapport avec les autres."),
        2: translate("passphrase", "Correct. Un mot de plus la rendrait bien plus sûre."),
        3: translate("passphrase", "Bonne phrase de passe."),
        4: translate("passphrase", "Excellente phrase de passe."),
    }[score]
    return Strength(score, bits, _labels()[score], advice)


class PassphraseForm(QWidget):
    """Two fields (phrase, confirmation), a strength bar, and a show/hide box."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.fields = FormFields(layout)
        self.passphrase = self.fields.add(
            "passphrase",
            translate("passphrase", "Phrase de passe"),
            QLineEdit(),
            0,
            hint_text=translate(
                "passphrase",
                "Au moins {n} caractères. Elle protège les données de cet ordinateur ; "
                "elle n'est jamais envoyée au serveur.",
            ).format(n=MIN_PASSPHRASE_CHARS),
        )
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength_bar = a11y(
            QProgressBar(), translate("passphrase", "Force de la phrase de passe")
        )
        self.strength_bar.setObjectName("strength")
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setMaximumHeight(8)
        self.strength_label = QLabel()
        self.strength_label.setObjectName("hint")
        self.strength_label.setWordWrap(True)
        layout.addWidget(self.strength_bar, 3, 0)
        layout.addWidget(self.strength_label, 4, 0)
        layout.setRowMinimumHeight(5, 8)
        self.confirmation = self.fields.add(
            "confirmation",
            translate("passphrase", "Confirmez la phrase de passe"),
            QLineEdit(),
            2,
        )
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_box = a11y(
            QCheckBox(translate("passphrase", "Afficher les caractères saisis")),
            translate("passphrase", "Afficher les caractères saisis"),
        )
        layout.addWidget(self.show_box, 9, 0)
        self.show_box.toggled.connect(self._toggle_echo)
        self.passphrase.textChanged.connect(self._update)
        self.confirmation.textChanged.connect(self._update)
        self._update()

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirmation.setEchoMode(mode)

    def strength(self) -> Strength:
        return estimate(self.passphrase.text())

    def _update(self) -> None:
        strength = self.strength()
        self.strength_bar.setValue(max(strength.score, 0) if self.passphrase.text() else 0)
        colors = ("#ce0500", "#e4794a", "#c3992a", "#18753c", "#000091")
        self.strength_bar.setStyleSheet(
            f"QProgressBar::chunk {{ background: {colors[strength.score]}; }}"
        )
        text = (
            translate("passphrase", "Force : {label}. {advice}").format(
                label=strength.label, advice=strength.advice
            )
            if self.passphrase.text()
            else translate(
                "passphrase",
                "Astuce : une phrase de plusieurs mots est plus facile à retenir et plus sûre "
                "qu'un mot de passe compliqué.",
            )
        )
        self.strength_label.setText(text)
        self.strength_bar.setAccessibleDescription(text)
        self.fields.set_error("confirmation", None)
        self.fields.set_error("passphrase", None)
        repolish(self.strength_bar)
        self.changed.emit()

    def validate(self) -> str | None:
        """The passphrase if it is acceptable, else None with the errors shown."""
        self.fields.clear_errors()
        text = self.passphrase.text()
        if len(text) < MIN_PASSPHRASE_CHARS:
            self.fields.set_error(
                "passphrase",
                translate("passphrase", "Au moins {n} caractères.").format(n=MIN_PASSPHRASE_CHARS),
            )
            self.passphrase.setFocus()
            return None
        if self.strength().score == 0:
            self.fields.set_error(
                "passphrase",
                translate(
                    "passphrase",
                    "Phrase trop facile à deviner : ajoutez des mots sans lien entre eux.",
                ),
            )
            self.passphrase.setFocus()
            return None
        if self.confirmation.text() != text:
            self.fields.set_error(
                "confirmation",
                translate("passphrase", "Les deux saisies ne sont pas identiques."),
            )
            self.confirmation.setFocus()
            return None
        return text

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirmation.clear()
