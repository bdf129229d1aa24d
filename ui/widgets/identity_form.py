"""Identity and situation of a person: editable, validated field by field.

Every field is checked with the service's own validator (``PERSON_FIELDS``) before saving,
so that all problems are shown at once, each beside its field; the service checks again in
the write transaction (and its cross-field rules, e.g. contract dates, come back the same way).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLineEdit, QVBoxLayout, QWidget

from spie_desktop.errors import ValidationError
from spie_desktop.services.persons import PERSON_FIELDS
from ui.i18n import translate
from ui.widgets.common import FormFields, fill_combo, keep_whole, select_code
from ui.widgets.fields import DateField, IntField

Group = tuple[str, list[tuple[str, str, str, int, int]]]


# Dates of things already done: a two-digit year reads as the latest past one, no future example.
PAST_DATES = frozenset(
    {"birth_date", "rights_opening_date", "closed_on", "consent_given_on", "information_given_on"}
)


def _groups() -> list[Group]:
    """(title, [(field, label, widget kind, row, column)])."""
    return [
        (
            translate("identity", "Identité"),
            [
                ("title", translate("identity", "Civilité"), "combo:title", 0, 0),
                ("last_name", translate("identity", "Nom *"), "text", 0, 1),
                ("first_name", translate("identity", "Prénom *"), "text", 0, 2),
                ("birth_name", translate("identity", "Nom de naissance"), "text", 1, 0),
                ("birth_date", translate("identity", "Date de naissance"), "date", 1, 1),
            ],
        ),
        (
            translate("identity", "Coordonnées"),
            [
                ("phone", translate("identity", "Téléphone"), "text", 0, 0),
                ("email", translate("identity", "Courriel"), "text", 0, 1),
                ("address", translate("identity", "Adresse"), "text", 1, 0),
                ("postal_code", translate("identity", "Code postal"), "text", 1, 1),
                ("city", translate("identity", "Commune"), "text", 1, 2),
            ],
        ),
        (
            translate("identity", "Situation"),
            [
                (
                    "household",
                    translate("identity", "Composition du foyer"),
                    "combo:household",
                    0,
                    0,
                ),
                ("children_count", translate("identity", "Enfants à charge"), "int", 0, 1),
                ("rsa_status", translate("identity", "Droit RSA"), "combo:rsa_status", 0, 2),
                (
                    "rights_opening_date",
                    translate("identity", "Ouverture des droits"),
                    "date",
                    1,
                    0,
                ),
                ("caf_number", translate("identity", "N° allocataire CAF"), "text", 1, 1),
                (
                    "france_travail_id",
                    translate("identity", "Identifiant France Travail"),
                    "text",
                    1,
                    2,
                ),
            ],
        ),
        (
            translate("identity", "Accompagnement"),
            [
                (
                    "follow_up_status",
                    translate("identity", "Statut de l'accompagnement"),
                    "combo:follow_up_status",
                    0,
                    0,
                ),
                ("orientation", translate("identity", "Orientation"), "combo:orientation", 0, 1),
                ("contract_type", translate("identity", "Contrat"), "combo:contract_type", 0, 2),
                ("contract_start", translate("identity", "Début du contrat"), "date", 1, 0),
                ("contract_end", translate("identity", "Fin du contrat"), "date", 1, 1),
                ("closed_on", translate("identity", "Date de sortie"), "date", 2, 0),
                (
                    "closure_reason",
                    translate("identity", "Motif de sortie"),
                    "combo:closure_reason",
                    2,
                    1,
                ),
                (
                    "consent_given_on",
                    translate("identity", "Consentement recueilli le"),
                    "date",
                    3,
                    0,
                ),
                (
                    "information_given_on",
                    translate("identity", "Information RGPD donnée le"),
                    "date",
                    3,
                    1,
                ),
                ("external_id", translate("identity", "Identifiant départemental"), "text", 2, 2),
            ],
        ),
    ]


def field_labels() -> dict[str, str]:
    """Field name → French label (without the « * » of required fields)."""
    return {
        name: text.rstrip(" *")
        for _title, items in _groups()
        for name, text, _kind, _row, _column in items
    }


NEW_PERSON_FIELDS = (
    "title",
    "last_name",
    "first_name",
    "birth_name",
    "birth_date",
    "phone",
    "email",
    "address",
    "postal_code",
    "city",
    "caf_number",
    "orientation",
    "follow_up_status",
)


class IdentityForm(QWidget):
    """Groups of fields; ``values()`` returns only what differs from the loaded values."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, only: Iterable[str] | None = None) -> None:
        super().__init__(parent)
        keep = set(only) if only is not None else None
        self.fields = FormFields(QGridLayout())
        self._loaded: dict[str, Any] = {}
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.order: list[str] = []
        for title, items in _groups():
            chosen = [item for item in items if keep is None or item[0] in keep]
            if not chosen:
                continue
            box = QGroupBox(title)
            grid = QGridLayout(box)
            group_fields = FormFields(grid)
            for column in range(3):
                grid.setColumnStretch(column, 1)
            for name, text, kind, row, column in chosen:
                widget = self._make(name, kind)
                group_fields.add(name, text, widget, row, column)
                self.order.append(name)
            self._merge(group_fields)
            layout.addWidget(box)
        layout.addStretch(1)

    def _merge(self, group: FormFields) -> None:
        self.fields.widgets.update(group.widgets)
        self.fields.labels.update(group.labels)
        self.fields.errors.update(group.errors)

    def _make(self, name: str, kind: str) -> QWidget:
        widget: QWidget
        if kind.startswith("combo:"):
            combo = QComboBox()
            referential = kind.split(":", 1)[1]
            empty = (
                None if name == "follow_up_status" else translate("identity", "— Non renseigné —")
            )
            keep_whole(fill_combo(combo, referential, empty=empty))
            combo.currentIndexChanged.connect(self._changed)
            widget = combo
        elif kind == "date":
            field = DateField(field=name, future=name not in PAST_DATES)
            field.textEdited.connect(self._changed)
            widget = field
        elif kind == "int":
            number = IntField(field=name)
            number.textEdited.connect(self._changed)
            widget = number
        else:
            line = QLineEdit()
            line.textEdited.connect(self._changed)
            widget = line
        widget.setObjectName(f"field_{name}")
        return widget

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    # -- values ----------------------------------------------------------------------------

    def widget(self, name: str) -> QWidget:
        return self.fields.widgets[name]

    def load(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            self._loaded = dict(values)
            for name in self.order:
                self._set(name, values.get(name))
            self.fields.clear_errors()
        finally:
            self._loading = False

    def _set(self, name: str, value: Any) -> None:
        widget = self.fields.widgets[name]
        if isinstance(widget, QComboBox):
            select_code(widget, value)
        elif isinstance(widget, DateField):
            widget.set_value(value if isinstance(value, date) else None)
        elif isinstance(widget, IntField):
            widget.set_value(value if isinstance(value, int) else None)
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))

    def _raw(self, name: str) -> Any:
        widget = self.fields.widgets[name]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, (DateField, IntField)):
            return widget.value()
        if isinstance(widget, QLineEdit):
            return widget.text().strip() or None
        return None

    def raw_texts(self) -> dict[str, Any]:
        """What is typed, as is (for drafts): text of line edits, index of combos."""
        state: dict[str, Any] = {}
        for name in self.order:
            widget = self.fields.widgets[name]
            if isinstance(widget, QComboBox):
                state[name] = widget.currentData()
            elif isinstance(widget, QLineEdit):
                state[name] = widget.text()
        return state

    def restore_texts(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            widget = self.fields.widgets.get(name)
            if isinstance(widget, QComboBox):
                select_code(widget, value)
            elif isinstance(widget, QLineEdit) and isinstance(value, str):
                widget.setText(value)

    def is_dirty(self) -> bool:
        try:
            return bool(self.changes())
        except ValidationError:
            return True

    def changes(self) -> dict[str, Any]:
        """Fields whose value differs from what was loaded (raises on an unreadable field)."""
        changed: dict[str, Any] = {}
        for name in self.order:
            value = self._raw(name)
            if value != self._loaded.get(name):
                changed[name] = value
        return changed

    def collect(self, *, all_fields: bool = False) -> dict[str, Any] | None:
        """Validated values (all or only the changed ones); None with errors shown."""
        self.fields.clear_errors()
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name in self.order:
            try:
                raw = self._raw(name)
                if all_fields or raw != self._loaded.get(name):
                    PERSON_FIELDS[name](raw)
                    values[name] = raw
            except ValidationError as error:
                self.fields.set_error(name, error.message)
                problems.append(name)
        for required in ("last_name", "first_name"):
            if required in self.fields.widgets and not self._raw_or_none(required):
                self.fields.set_error(required, translate("identity", "Ce champ est obligatoire."))
                problems.append(required)
        if problems:
            first = min(problems, key=self.order.index)
            self.fields.widgets[first].setFocus()
            return None
        return values

    def _raw_or_none(self, name: str) -> Any:
        try:
            return self._raw(name)
        except ValidationError:
            return "invalid"

    def show_error(self, error: BaseException) -> bool:
        return self.fields.show_error(error)
