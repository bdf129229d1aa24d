"""iCalendar (RFC 5545) files: the referent's agenda, and one appointment for the person.

Both are ``METHOD:PUBLISH`` calendars that Outlook, Thunderbird and phones import. Times are
written in Europe/Paris local time with its ``VTIMEZONE`` (the EU rules as yearly RRULEs,
the form Outlook reads best), so an imported appointment stays at the same wall-clock hour
across the summer-time change.

Stable identity: an event's ``UID`` is the appointment's id, so importing a newer file
updates the event instead of duplicating it; ``SEQUENCE`` grows with every change of the
appointment (seconds between its creation and its last update: monotonic, stable while
nothing changes); a cancelled appointment is ``STATUS:CANCELLED``, which removes it
from the calendars that imported it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from spie_desktop.documents.typography import PARIS

PRODID = "-//SPIE Desktop//Agenda du référent//FR"
UID_DOMAIN = "spie-desktop"
TZID = "Europe/Paris"


@dataclass(frozen=True)
class CalendarEvent:
    """What one appointment says in a calendar (already in words: no codes)."""

    uid: str
    starts_at: datetime
    duration_minutes: int
    summary: str
    location: str
    description: str
    cancelled: bool
    sequence: int
    last_modified: datetime
    organizer_name: str = ""
    organizer_email: str = ""


def event_uid(appointment_id: object) -> str:
    return f"{appointment_id}@{UID_DOMAIN}"


def sequence_of(created_at: datetime, updated_at: datetime) -> int:
    """RFC 5545 SEQUENCE: grows with each change of the appointment."""
    return max(0, int((updated_at - created_at).total_seconds()))


def paris_timezone() -> Timezone:
    """Europe/Paris as two yearly rules (EU summer time since 1996)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def build_calendar(events: Iterable[CalendarEvent], *, name: str, stamp: datetime) -> bytes:
    """The ``.ics`` file's bytes (CRLF lines, folded at 75 octets, UTF-8)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(paris_timezone())
    for item in events:
        event = Event()
        start = item.starts_at.astimezone(PARIS)
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", item.last_modified)
        event.add("sequence", item.sequence)
        event.add("dtstart", start, parameters={"TZID": TZID})
        event.add(
            "dtend", start + timedelta(minutes=item.duration_minutes), parameters={"TZID": TZID}
        )
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("class", "CONFIDENTIAL")
        if item.organizer_email:
            organizer = vCalAddress(f"mailto:{item.organizer_email}")
            if item.organizer_name:
                organizer.params["cn"] = item.organizer_name
            event.add("organizer", organizer)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
