"""French typography for printed documents (Imprimerie nationale's rules, as the State's
letters follow them): no-break spaces before ``: ; ! ?`` and inside guillemets, dates like
« mardi 1er décembre 2026 », hours like « 10 h 30 »."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

NBSP = "\u00a0"  # espace insécable: before « : » and inside « »
NNBSP = "\u202f"  # espace fine insécable: before « ; ! ? »

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# A colon inside a URL or an hour (« 10:30 », « https:// ») is not punctuation.
_BEFORE_COLON = re.compile(r"(?<=[^\s:;!?])[ \u00a0\u202f]*:(?!//)(?=\s|$)")
_BEFORE_TIGHT = re.compile(r"(?<=[^\s:;!?])[ \u00a0\u202f]*([;!?])(?=\s|$|[»)\]!?])")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')


def french(text: str) -> str:
    """``text`` with French spacing: « x », « a : b », « c ; d ! e ? ».

    Straight double quotes around a phrase become guillemets. Idempotent, and it never
    touches what is not punctuation followed by a space or the end (URLs, hours, ratios).
    """
    text = _STRAIGHT_QUOTES.sub(lambda m: f"«{m.group(1).strip()}»", text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_TIGHT.sub(lambda m: NNBSP + m.group(1), text)
    return text


def local(moment: datetime) -> datetime:
    """A stored (UTC, aware) moment in the department's time zone."""
    return moment.astimezone(PARIS)


def long_date(day: date) -> str:
    """« mardi 1er décembre 2026 »: the day's name, « 1er » for the first, no capital."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number}{NBSP}{MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """« 01/12/2026 » (tables)."""
    return f"{day:%d/%m/%Y}"


def hour(moment: time | datetime) -> str:
    """« 10 h 30 », « 9 h » (on the hour: no « 00 »)."""
    if moment.minute:
        return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"
    return f"{moment.hour}{NBSP}h"


def long_datetime(moment: datetime) -> str:
    """« mardi 1er décembre 2026 à 10 h 30 », in Paris time."""
    moment = local(moment)
    return f"{long_date(moment.date())} à {hour(moment)}"


def short_datetime(moment: datetime) -> str:
    """« 01/12/2026 10:30 », in Paris time (tables of the access file)."""
    return f"{local(moment):%d/%m/%Y %H:%M}"


def duration(minutes: int) -> str:
    """« 45 min », « 1 h 30 », « 2 h »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}{NBSP}min"
    return f"{hours}{NBSP}h{NBSP}{rest:02d}" if rest else f"{hours}{NBSP}h"
