"""Conflicts of the last syncs: both values, and who wrote the one that was kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import fmt_datetime
from ui.i18n import translate
from ui.sync_controller import Conflict
from ui.widgets.common import a11y, heading


def field_label(name: str) -> str:
    """French name of a synced field (identity fields come from the identity form)."""
    from ui.widgets.identity_form import field_labels

    labels = field_labels()
    labels.update(
        {
            "text": translate("conflicts", "Texte"),
            "status": translate("conflicts", "Statut"),
            "starts_at": translate("conflicts", "Date et heure"),
            "duration_minutes": translate("conflicts", "Durée"),
            "mode": translate("conflicts", "Modalité"),
            "place": translate("conflicts", "Lieu"),
            "summary": translate("conflicts", "Compte rendu"),
            "next_steps": translate("conflicts", "Suites à donner"),
            "due_date": translate("conflicts", "Échéance"),
            "partner": translate("conflicts", "Partenaire"),
            "outcome": translate("conflicts", "Résultat"),
            "comment": translate("conflicts", "Commentaire"),
        }
    )
    return labels.get(name, name)


def _value(value: object) -> str:
    if value is None or value == "":
        return translate("conflicts", "(vide)")
    return str(value)


class ConflictsDialog(QDialog):
    def __init__(self, conflicts: tuple[Conflict, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = translate("conflicts", "Modifications concurrentes")
        self.setWindowTitle(title)
        a11y(self, title)
        self.setMinimumSize(760, 360)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.addWidget(heading(title, "sectionTitle"))
        explanation = QLabel(
            translate(
                "conflicts",
                "Ces champs ont été modifiés aussi par quelqu'un d'autre. La modification la "
                "plus récente a été retenue ; votre valeur reste dans l'historique du serveur. "
                "Corrigez le dossier si la valeur retenue n'est pas la bonne.",
            )
        )
        explanation.setWordWrap(True)
        explanation.setObjectName("hint")
        layout.addWidget(explanation)
        self.tree = a11y(QTreeWidget(), translate("conflicts", "Liste des conflits"))
        self.tree.setHeaderLabels(
            [
                translate("conflicts", "Dossier"),
                translate("conflicts", "Champ"),
                translate("conflicts", "Votre valeur"),
                translate("conflicts", "Valeur retenue"),
                translate("conflicts", "Modifié aussi par"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(True)
        for conflict in conflicts:
            who = conflict.author or translate("conflicts", "un autre appareil")
            if conflict.at is not None:
                who += f" ({fmt_datetime(conflict.at)})"
            self.tree.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        conflict.person_name or conflict.table,
                        field_label(conflict.field),
                        _value(conflict.ours),
                        _value(conflict.theirs),
                        who,
                    ]
                )
            )
        for column, width in enumerate((160, 120, 150, 150)):
            self.tree.setColumnWidth(column, width)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(translate("conflicts", "Fermer"))
        a11y(close, translate("conflicts", "Fermer"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
