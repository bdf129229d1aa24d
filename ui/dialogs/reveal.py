"""« Révéler une note sensible » (issue 11, What 8): a supervisor asks the server for the
text of one sensitive note her device never received, with a reason the server writes to
the audit log. Shown only when the department allows it (``supervisors_may_reveal``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from spie_desktop.domain.department_settings import TEXT_MAX
from ui.dialogs.base import DraftDialog, add_note
from ui.i18n import translate
from ui.widgets.common import a11y, show_banner

Submit = Callable[[str, Callable[[str], None], Callable[[BaseException], None]], None]


class RevealDialog(DraftDialog):
    draft_kind = "reveal"

    def __init__(self, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("reveal", "Révéler une note sensible"),
            parent,
            save_text=translate("reveal", "Révéler"),
        )
        self._submit = submit
        self.revealed_text: str | None = None
        add_note(
            self.body,
            translate(
                "reveal",
                "Le texte est demandé au serveur départemental. Votre motif est écrit au "
                "journal d'audit avec votre nom ; la note n'est pas gardée sur cet appareil.",
            ),
        )
        form = QFormLayout()
        self.reason = a11y(QLineEdit(), translate("reveal", "Motif de la consultation"))
        self.reason.setMaxLength(TEXT_MAX)
        self.reason.setPlaceholderText(translate("reveal", "Ex. : signalement à instruire"))
        form.addRow(translate("reveal", "Motif :"), self.reason)
        self.body.addLayout(form)

    def draft_state(self) -> dict[str, str]:
        return {"reason": self.reason.text()}

    def restore_draft(self, state: dict[str, object]) -> None:
        self.reason.setText(str(state.get("reason") or ""))

    def submit(self) -> None:
        reason = " ".join(self.reason.text().split())
        if not reason:
            show_banner(
                self.error,
                translate("reveal", "Indiquez le motif : il est écrit au journal d'audit."),
            )
            self.reason.setFocus()
            return
        self.clear_error()
        self.set_busy(True)
        self._submit(reason, self._revealed, self.failed)

    def _revealed(self, text: str) -> None:
        self.revealed_text = text
        self.saved(text)
