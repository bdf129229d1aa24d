"""Input widgets that may stay empty (dates, numbers), with French formats."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from spie_desktop.errors import ValidationError
from ui.i18n import translate

_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


class DateField(QLineEdit):
    """A date typed as JJ/MM/AAAA, or nothing. :meth:`value` raises a French error."""

    def __init__(self, parent: QWidget | None = None, *, field: str = "date") -> None:
        super().__init__(parent)
        self.field = field
        self.setPlaceholderText(translate("fields", "JJ/MM/AAAA"))
        self.setMaxLength(10)

    def value(self) -> date | None:
        text = self.text().strip()
        if not text:
            return None
        match = _DATE.match(text)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
                return date(year, month, day)
            iso = _ISO.match(text)
            if iso:
                return date.fromisoformat(text.strip())
        except ValueError:
            pass
        raise ValidationError(
            translate("fields", "Date invalide : écrivez-la JJ/MM/AAAA (par exemple 05/03/2024)."),
            field=self.field,
            code="invalid_date",
        )

    def set_value(self, value: date | None) -> None:
        self.setText(value.strftime("%d/%m/%Y") if value else "")


class IntField(QLineEdit):
    """A small whole number, or nothing."""

    def __init__(self, parent: QWidget | None = None, *, field: str = "number") -> None:
        super().__init__(parent)
        self.field = field
        self.setMaxLength(3)

    def value(self) -> int | None:
        text = self.text().strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError(
                translate("fields", "Nombre entier attendu."), field=self.field, code="invalid"
            )
        return int(text)

    def set_value(self, value: int | None) -> None:
        self.setText("" if value is None else str(value))
