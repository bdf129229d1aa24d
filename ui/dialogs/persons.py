"""Add a person to the caseload."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QScrollArea, QWidget

from spie_desktop.domain.enums import FollowUpStatus
from spie_desktop.services import usecases
from spie_desktop.services.operation import Outcome
from spie_desktop.store.store import Store
from ui.dialogs.base import DraftDialog, add_note
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.identity_form import NEW_PERSON_FIELDS, IdentityForm


class NewPersonDialog(DraftDialog):
    draft_kind = "new_person"

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("persons", "Nouvelle personne accompagnée"),
            parent,
            save_text=translate("persons", "Créer le dossier"),
        )
        self.session = session
        self.setMinimumWidth(760)
        self.setMinimumHeight(560)
        add_note(
            self.body,
            translate(
                "persons",
                "Les champs marqués * sont obligatoires. Le reste du dossier pourra être "
                "complété ensuite. Aucun numéro de sécurité sociale n'est demandé.",
            ),
        )
        self.form = IdentityForm(only=NEW_PERSON_FIELDS)
        self.form.load({"follow_up_status": FollowUpStatus.TO_CONTACT.value})
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setAccessibleName(translate("persons", "Formulaire de la nouvelle personne"))
        self.body.addWidget(scroll, 1)
        self.created_id: uuid.UUID | None = None
        self.form.widget("last_name").setFocus()

    def draft_state(self) -> dict[str, Any]:
        return self.form.raw_texts()

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.form.restore_texts(state)

    def show_field_error(self, error: BaseException) -> bool:
        return self.form.show_error(error)

    def submit(self) -> None:
        self.clear_error()
        values = self.form.collect(all_fields=True)
        if values is None:
            return
        values = {name: value for name, value in values.items() if value is not None}
        actor = self.session.require_actor()
        self.set_busy(True)

        def work(store: Store) -> Outcome[uuid.UUID]:
            return usecases.create_person(store, actor, values)

        def done(person_id: uuid.UUID) -> None:
            self.created_id = person_id
            self.saved(person_id)

        self.session.ops.write(work, done, self.failed, owner=self, label="new person")
