"""Dates, times and labels for display, in the interface's language and the local time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone

from spie_desktop.domain.referentials import get_referentials
from ui.i18n import current_language, translate


def _locale() -> QLocale:
    return QLocale()


def to_local(value: datetime) -> datetime:
    """An aware datetime in the machine's time zone."""
    return value.astimezone()


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def qdatetime(value: datetime) -> QDateTime:
    local = to_local(value)
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second),
        QTimeZone.systemTimeZone(),
    )


def from_qdatetime(value: QDateTime) -> datetime:
    """An aware UTC datetime from a ``QDateTimeEdit`` value (local time)."""
    seconds = value.toSecsSinceEpoch()
    return datetime.fromtimestamp(seconds, tz=UTC)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def fmt_date(value: date | None, empty: str = "—") -> str:
    """« 02/12/2026 »: the locale's short date (French and British English: day first)."""
    if value is None:
        return empty
    return _locale().toString(qdate(value), _locale().dateFormat(QLocale.FormatType.ShortFormat))


def fmt_long_date(value: date) -> str:
    """« Mercredi 2 décembre 2026 », « Wednesday, 2 December 2026 »: the locale's long date,
    its first letter capitalised (only that one: an English month keeps its capital)."""
    text = _locale().toString(qdate(value), QLocale.FormatType.LongFormat)
    return text[:1].upper() + text[1:]


def fmt_datetime(value: datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    local = qdatetime(value)
    return _locale().toString(local, "dd/MM/yyyy HH:mm")


def fmt_time(value: datetime) -> str:
    return _locale().toString(qdatetime(value), "HH:mm")


def fmt_friendly(value: datetime | None, now: datetime | None = None, empty: str = "—") -> str:
    """« aujourd'hui 14:30 », « demain 09:00 », « mar. 12/03 10:00 », « 12/03/2024 »."""
    if value is None:
        return empty
    now = now or datetime.now(UTC)
    local = to_local(value)
    today = to_local(now).date()
    day = local.date()
    hour = fmt_time(value)
    if day == today:
        return translate("formatting", "aujourd'hui {time}").format(time=hour)
    if day == today + timedelta(days=1):
        return translate("formatting", "demain {time}").format(time=hour)
    if day == today - timedelta(days=1):
        return translate("formatting", "hier {time}").format(time=hour)
    if abs((day - today).days) < 180:
        return _locale().toString(qdatetime(value), "ddd dd/MM HH:mm")
    return fmt_date(day)


def fmt_when(value: datetime, now: datetime | None = None) -> str:
    """A moment said once, with its weekday and year: « lun. 07/12/2026 08:30 », and
    « demain 09:00 (mar. 08/12/2026) » for yesterday, today and tomorrow."""
    now = now or datetime.now(UTC)
    full = _locale().toString(qdatetime(value), "ddd dd/MM/yyyy HH:mm")
    if abs((to_local(value).date() - to_local(now).date()).days) <= 1:
        day = _locale().toString(qdatetime(value), "ddd dd/MM/yyyy")
        return f"{fmt_friendly(value, now)} ({day})"
    return full


def fmt_days_ago(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return translate("formatting", "jamais")
    now = now or datetime.now(UTC)
    days = (to_local(now).date() - to_local(value).date()).days
    if days <= 0:
        return translate("formatting", "aujourd'hui")
    if days == 1:
        return translate("formatting", "hier")
    return translate("formatting", "il y a {days} jours").format(days=days)


def label(kind: str, code: str | None, empty: str = "—") -> str:
    """The label of a referential code in the interface's language (labels are data: the
    English ones are the files' ``label_en``; French where a list has none)."""
    if not code:
        return empty
    referentials = get_referentials()
    if not referentials.is_valid(kind, code):
        return code
    return referentials.label_in(kind, code, current_language())


def action_text(action_code: str | None, stored: str) -> str:
    """An action's name in the interface's language: the standard list's label for a chosen
    action (English in an English interface), else the text typed (``stored``)."""
    return label("action", action_code) if action_code else stored
