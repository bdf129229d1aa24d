"""Alerts and path deadlines in the interface's language.

The core words them in French for exports and documents (``services.caseload.alert_text``,
``services.path.deadline_text``); the screens render the same facts here, through the
translation catalogue, so an English interface reads them in English. In French the result is
the core's sentence, word for word."""

from __future__ import annotations

from datetime import date, datetime

from spie_desktop.domain.deadlines import (
    PATH_ALERTS,
    PathAlert,
    PathFacts,
    alert_due_on,
    paris_day,
    path_settings,
)
from spie_desktop.services.caseload import ALERT_NO_CONTACT_DAYS, Alert, CaseloadRow
from spie_desktop.services.path import Deadline
from ui.formatting import fmt_date, label
from ui.i18n import translate


def _day(value: date) -> str:
    return fmt_date(value)


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def alert_text(alert: str, row: CaseloadRow, now: datetime) -> str:
    """One alert of a caseload row (its column, tooltip and accessible text)."""
    if alert == Alert.NO_CONTACT:
        reference = row.last_contact_at or row.followed_since
        days = (now - reference).days if reference else ALERT_NO_CONTACT_DAYS
        return translate("alerts", "Sans contact depuis {days} jours").format(days=days)
    if alert in PATH_ALERTS:
        return path_alert_text(alert, row.path, now)
    if alert == Alert.MISSED_NOT_RESCHEDULED:
        return translate("alerts", "Rendez-vous manqué non replanifié")
    if alert == Alert.ACTION_OVERDUE:
        return translate("alerts", "Action échue")
    if alert == Alert.OUTCOME_PENDING:
        return translate("alerts", "Compte rendu de rendez-vous à saisir")
    return alert


def path_alert_text(alert: str, facts: PathFacts, now: datetime) -> str:
    """« Contrat d'engagement à signer : 03/03/2026 (dépassé de 4 j) »."""
    name = label("path_alert", alert)
    if alert == PathAlert.BELOW_FLOOR:
        planned, floor = facts.planned_minutes_week, facts.weekly_floor_minutes or 0
        return translate("alerts", "{label} ({planned} prévues sur {floor})").format(
            label=name, planned=_hours(planned), floor=_hours(floor)
        )
    due = alert_due_on(facts, alert, path_settings())
    if due is None:
        return name
    left = (due - paris_day(now)).days
    if left < 0:
        return translate("alerts", "{label} : {date} (dépassé de {n} j)").format(
            label=name, date=_day(due), n=-left
        )
    return translate("alerts", "{label} : {date}").format(label=name, date=_day(due))


def deadline_text(deadline: Deadline) -> str:
    """« Contrat d'engagement à signer avant le 03/03/2026 (en retard de 4 jours) »."""
    name = label("path_alert", deadline.alert)
    if deadline.alert == PathAlert.BELOW_FLOOR or deadline.due_on is None:
        return name
    when = _day(deadline.due_on)
    if deadline.days_left is None or deadline.days_left >= 0:
        left = deadline.days_left or 0
        if left == 0:
            text = translate("alerts", "{label} avant le {date} (aujourd'hui)")
        elif left == 1:
            text = translate("alerts", "{label} avant le {date} (dans 1 jour)")
        else:
            text = translate("alerts", "{label} avant le {date} (dans {n} jours)")
        return text.format(label=name, date=when, n=left)
    late = -deadline.days_left
    if late == 1:
        text = translate("alerts", "{label} : échéance du {date} dépassée de 1 jour")
    else:
        text = translate("alerts", "{label} : échéance du {date} dépassée de {n} jours")
    return text.format(label=name, date=when, n=late)
