"""Input widgets that may stay empty (dates, times, numbers), with French formats.

Dates are typed as a whole and parsed on reading, never section by section: Qt's
``QDateTimeEdit`` keeps the section the cursor is not in, so selecting the field and typing a
new date used to save the old day with the new time (issue 12). A :class:`DateField` accepts
``15012027``, ``150127``, ``15/01/2027``, ``15.01.27``, ``2027-01-15`` and
« 15 janvier 2027 », and opens a calendar (F4, Alt+Down or its button) sized to fit.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.errors import ValidationError
from ui.i18n import translate

_SEPARATED = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$")
_DIGITS = re.compile(r"^\d{6}$|^\d{8}$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{2}|\d{4})$")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:h.]\s*(\d{2})?)?$")

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}  # fmt: skip


class Unreadable(ValueError):
    """The text is not a date (or a time) at all."""


class Impossible(ValueError):
    """The text reads as a day that does not exist (31/02/2027)."""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def parse_date(text: str, *, prefer_future: bool = True, today: date | None = None) -> date | None:
    """The date written in ``text`` (day first), None when empty.

    Raises :class:`Unreadable` or :class:`Impossible`.
    """
    folded = _fold(text)
    if not folded:
        return None
    today = today or date.today()
    parts: tuple[int, int, int, int] | None = None  # day, month, year, year digits
    if _DIGITS.match(folded):
        parts = (int(folded[:2]), int(folded[2:4]), int(folded[4:]), len(folded) - 4)
    elif match := _SEPARATED.match(folded):
        day, month, year = match.groups()
        parts = (int(day), int(month), int(year), len(year))
    elif match := _ISO.match(folded):
        year, month, day = match.groups()
        parts = (int(day), int(month), int(year), 4)
    elif match := _WORDS.match(folded):
        day, word, year = match.groups()
        if word not in MONTHS:
            raise Unreadable(text)
        parts = (int(day), MONTHS[word], int(year), len(year))
    if parts is None:
        raise Unreadable(text)
    day_number, month_number, year_number, digits = parts
    full = year_number if digits == 4 else 2000 + year_number
    try:
        value = date(full, month_number, day_number)
        if digits == 2 and not prefer_future and value > today:
            # A birth date or a past event: the latest day with these two digits, not ahead.
            value = date(1900 + year_number, month_number, day_number)
    except ValueError as exc:
        raise Impossible(text) from exc
    return value


def parse_time(text: str) -> time | None:
    """``14:30``, ``14h30``, ``14h``, ``1430``, ``930``, ``9`` — None when empty."""
    folded = _fold(text)
    if not folded:
        return None
    if folded.isdigit() and len(folded) in (3, 4):
        hour, minute = int(folded[:-2]), int(folded[-2:])
    elif match := _TIME.match(folded):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
    else:
        raise Unreadable(text)
    if hour > 23 or minute > 59:
        raise Impossible(text)
    return time(hour, minute)


def example_date(today: date | None = None) -> date:
    """A date a few weeks ahead, for placeholders (an example in the past invites mistakes)."""
    return (today or date.today()) + timedelta(days=45)


def _calendar_icon() -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    color = QColor("#44546a")
    painter.setPen(color)
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(1, 2, 14, 4, color)
    for row in range(2):
        for column in range(3):
            painter.fillRect(3 + column * 4, 8 + row * 3, 2, 2, color)
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QFrame):
    """A month grid in a popup sized to its content (nothing clipped)."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.calendar = QCalendarWidget(self)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setHorizontalHeaderFormat(
            QCalendarWidget.HorizontalHeaderFormat.ShortDayNames
        )
        self.calendar.setAccessibleName(translate("fields", "Calendrier"))
        layout.addWidget(self.calendar)
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)

    def _pick(self, value: QDate) -> None:
        self.hide()
        self.picked.emit(value)

    def open_below(self, anchor: QWidget, current: date | None) -> None:
        self.calendar.setSelectedDate(
            QDate(current.year, current.month, current.day) if current else QDate.currentDate()
        )
        hint = self.sizeHint().expandedTo(self.calendar.minimumSizeHint())
        # Wide enough for the day names and six rows of weeks.
        width = max(hint.width(), self.calendar.fontMetrics().horizontalAdvance("mer.") * 7 + 80)
        height = max(hint.height(), self.calendar.fontMetrics().height() * 10 + 60)
        origin = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = QGuiApplication.screenAt(origin) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(origin, hint)
        x = min(max(origin.x(), area.left()), area.right() - width)
        y = origin.y()
        if y + height > area.bottom():
            y = origin.y() - anchor.height() - height
        self.setGeometry(x, max(y, area.top()), width, height)
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)


class DateField(QLineEdit):
    """A date typed as a whole (or picked in a calendar), or nothing.

    :meth:`value` raises a French :class:`ValidationError` naming ``field``. ``future``
    fields (due dates, appointments) show an example ahead of today and read a two-digit
    year as 20xx; past ones (birth dates) read it as the most recent such year.
    """

    picked = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, field: str = "date", future: bool = True
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.future = future
        self.setMaxLength(24)
        if future:
            self.setPlaceholderText(
                translate("fields", "ex. {example}").format(
                    example=example_date().strftime("%d/%m/%Y")
                )
            )
        else:
            self.setPlaceholderText(translate("fields", "JJ/MM/AAAA"))
        self.setToolTip(
            translate(
                "fields",
                "Tapez la date en entier : 15012027, 15/01/2027, 15/01/27 ou 15 janvier 2027."
                " F4 ouvre le calendrier.",
            )
        )
        self.calendar_action = QAction(_calendar_icon(), translate("fields", "Calendrier"), self)
        self.calendar_action.setToolTip(translate("fields", "Choisir dans le calendrier (F4)"))
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        for tool in self.findChildren(QToolButton):
            if tool.defaultAction() is self.calendar_action:
                tool.setAccessibleName(translate("fields", "Ouvrir le calendrier"))
        self._popup: CalendarPopup | None = None
        self.editingFinished.connect(self._tidy)

    def parsed(self) -> date | None:
        """The date, or None when empty; raises :class:`Unreadable` / :class:`Impossible`."""
        return parse_date(self.text(), prefer_future=self.future)

    def value(self) -> date | None:
        try:
            return self.parsed()
        except Impossible:
            message = translate(
                "fields", "Date impossible : le {text} n'existe pas dans le calendrier."
            ).format(text=self.text().strip())
        except Unreadable:
            message = translate(
                "fields",
                "Date illisible : écrivez-la par exemple {example}, {digits} ou {words}.",
            ).format(
                example=example_date().strftime("%d/%m/%Y"),
                digits=example_date().strftime("%d%m%Y"),
                words=translate("fields", "15 janvier 2027"),
            )
        raise ValidationError(message, field=self.field, code="invalid_date")

    def set_value(self, value: date | None) -> None:
        self.setText(value.strftime("%d/%m/%Y") if value else "")

    def _tidy(self) -> None:
        """Show a readable date the way it will be saved (15012027 → 15/01/2027)."""
        try:
            value = self.parsed()
        except ValueError:
            return
        if value is not None and self.text() != value.strftime("%d/%m/%Y"):
            self.set_value(value)

    def open_calendar(self) -> None:
        if self._popup is None:
            self._popup = CalendarPopup(self)
            self._popup.picked.connect(self._picked)
        try:
            current = self.parsed()
        except ValueError:
            current = None
        self._popup.open_below(self, current)

    def _picked(self, value: QDate) -> None:
        self.set_value(date(value.year(), value.month(), value.day()))
        self.textEdited.emit(self.text())
        self.picked.emit()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar()
            return
        super().keyPressEvent(event)


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


class TimeField(QLineEdit):
    """A time of day typed as 14:30, 14h30, 1430 or 14."""

    def __init__(self, parent: QWidget | None = None, *, field: str = "time") -> None:
        super().__init__(parent)
        self.field = field
        self.setMaxLength(8)
        self.setPlaceholderText(translate("fields", "HH:MM"))
        self.setToolTip(translate("fields", "Heure : 14:30, 14h30, 1430 ou 14."))
        self.editingFinished.connect(self._tidy)

    def value(self) -> time | None:
        try:
            return parse_time(self.text())
        except ValueError:
            raise ValidationError(
                translate("fields", "Heure invalide : écrivez-la par exemple 14:30."),
                field=self.field,
                code="invalid_time",
            ) from None

    def set_value(self, value: time | None) -> None:
        self.setText(value.strftime("%H:%M") if value else "")

    def _tidy(self) -> None:
        try:
            value = parse_time(self.text())
        except ValueError:
            return
        if value is not None and self.text() != value.strftime("%H:%M"):
            self.set_value(value)


class DateTimeField(QWidget):
    """A day and a time typed separately (local time); :meth:`value` is an aware UTC datetime."""

    def __init__(
        self, value: datetime | None = None, parent: QWidget | None = None, *, field: str
    ) -> None:
        super().__init__(parent)
        self.field = field
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.date_edit = DateField(field=field, future=True)
        self.date_edit.setAccessibleName(translate("fields", "Date"))
        self.time_edit = TimeField(field=field)
        self.time_edit.setAccessibleName(translate("fields", "Heure"))
        self.time_edit.setMaximumWidth(90)
        layout.addWidget(self.date_edit, 1)
        layout.addWidget(self.time_edit)
        self.setFocusProxy(self.date_edit)
        self.date_edit.picked.connect(
            lambda: self.time_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        )
        if value is not None:
            self.set_value(value)

    def value(self) -> datetime:
        day = self.date_edit.value()
        hour = self.time_edit.value()
        if day is None:
            raise ValidationError(
                translate("fields", "Indiquez la date."), field=self.field, code="required"
            )
        if hour is None:
            raise ValidationError(
                translate("fields", "Indiquez l'heure."), field=self.field, code="required"
            )
        return datetime.combine(day, hour).astimezone().astimezone(UTC)

    def set_value(self, value: datetime) -> None:
        local = value.astimezone()
        self.date_edit.set_value(local.date())
        self.time_edit.set_value(local.time().replace(second=0, microsecond=0))

    def texts(self) -> tuple[str, str]:
        return self.date_edit.text(), self.time_edit.text()

    def set_texts(self, day: str, hour: str) -> None:
        self.date_edit.setText(day)
        self.time_edit.setText(hour)
