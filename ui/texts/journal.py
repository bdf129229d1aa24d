"""The person's journal in the interface's language.

``services.timeline`` returns each entry as a fact (codes, dates, names, typed texts); this
module words it through the catalogue: the kind column, the entry's title (after the kind),
its detail and its status. In French the words are the catalogue's source strings; a code a
newer device wrote and this version does not know shows as the code."""

from __future__ import annotations

from spie_desktop.services.timeline import (
    ActionFact,
    AppointmentFact,
    BarrierFact,
    BreachFact,
    ClosingFact,
    ContractFact,
    EntryKind,
    HandoverFact,
    NoteFact,
    OrientationFact,
    ReorientationFact,
    TimelineEntry,
)
from ui.formatting import action_text, fmt_date, label
from ui.i18n import translate
from ui.widgets.calendar_grid import moved_label


def kind_text(kind: str) -> str:
    """The journal's « Type » column."""
    return {
        EntryKind.APPOINTMENT: translate("person", "Rendez-vous", "type d'entrée"),
        EntryKind.BARRIER_OPENED: translate("person", "Frein"),
        EntryKind.BARRIER_CLOSED: translate("person", "Frein"),
        EntryKind.ACTION_STARTED: translate("person", "Action"),
        EntryKind.ACTION_ENDED: translate("person", "Action"),
        EntryKind.NOTE: translate("person", "Note"),
        EntryKind.HANDOVER: translate("person", "Passation"),
        EntryKind.ORIENTATION: translate("journal", "Orientation"),
        EntryKind.CONTRACT: translate("journal", "Contrat"),
        EntryKind.CLOSING: translate("journal", "Fin d'accompagnement"),
        EntryKind.BREACH: translate("journal", "Manquement"),
    }.get(kind, kind)


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def title_text(entry: TimelineEntry) -> str:
    """What happened, after the kind: « Diagnostic », « Frein levé — Mobilité »…"""
    fact = entry.fact
    if isinstance(fact, AppointmentFact):
        return label("appointment_purpose", fact.purpose)
    if isinstance(fact, BarrierFact):
        theme = label("theme", fact.theme)
        if entry.kind == EntryKind.BARRIER_CLOSED:
            status = label("barrier_status", fact.status).lower()
            return translate("journal", "Frein {status} — {theme}").format(
                status=status, theme=theme
            )
        return translate("journal", "Frein identifié — {theme}").format(theme=theme)
    if isinstance(fact, ActionFact):
        name = action_text(fact.action_code, fact.custom_label)
        if entry.kind == EntryKind.ACTION_ENDED:
            status = label("action_status", fact.status).lower()
            return translate("journal", "Action {status} — {action}").format(
                status=status, action=name
            )
        return name
    if isinstance(fact, NoteFact):
        return label("note_kind", fact.note_kind)
    if isinstance(fact, HandoverFact):
        return translate("journal", "Référent : {name}").format(
            name=f"{fact.first_name} {fact.last_name}"
        )
    if isinstance(fact, OrientationFact):
        return translate("journal", "Orientation — {track}").format(
            track=label("orientation", fact.track)
        )
    if isinstance(fact, ReorientationFact):
        return translate("journal", "Demande de réorientation — {track}").format(
            track=label("orientation", fact.track)
        )
    if isinstance(fact, ContractFact):
        return translate("journal", "{type} — version {version} ({state})").format(
            type=label("contract_type", fact.contract_type),
            version=fact.version,
            state=label("contract_state", fact.state).lower(),
        )
    if isinstance(fact, ClosingFact):
        return translate("journal", "Fin d'accompagnement — {reason}").format(
            reason=label("exit_reason", fact.exit_reason)
        )
    return translate("journal", "Manquement — {kind}").format(
        kind=label("breach_kind", fact.breach_kind)
    )


def detail_text(entry: TimelineEntry) -> str:
    """The entry's detail: the mode and who asked for a move, the target, the partner and due
    date, the typed texts (note, outcome, handover note, reason)…; "" when there is none."""
    fact = entry.fact
    if isinstance(fact, AppointmentFact):
        return _joined(
            label("appointment_mode", fact.mode, ""), moved_label(fact.requested_by), fact.summary
        )
    if isinstance(fact, BarrierFact):
        return label("target", fact.target_code) if fact.target_code else fact.target_text
    if isinstance(fact, ActionFact):
        if entry.kind == EntryKind.ACTION_ENDED:
            return fact.outcome
        due = (
            translate("journal", "échéance {date}").format(date=fmt_date(fact.due_date))
            if fact.due_date
            else ""
        )
        return _joined(fact.partner, due)
    if isinstance(fact, NoteFact):
        return fact.text
    if isinstance(fact, HandoverFact):
        return fact.note
    if isinstance(fact, OrientationFact):
        notified = (
            translate("journal", "notifiée le {date}").format(date=fmt_date(fact.notified_on))
            if fact.notified_on
            else ""
        )
        return _joined(fact.structure_name, notified)
    if isinstance(fact, ReorientationFact):
        return f"{label('reorientation_status', fact.status)} · {fact.reason}"
    if isinstance(fact, ContractFact):
        if fact.starts_on and fact.ends_on:
            return translate("journal", "du {start} au {end}").format(
                start=fmt_date(fact.starts_on), end=fmt_date(fact.ends_on)
            )
        return ""
    if isinstance(fact, ClosingFact):
        return fact.outcome
    assert isinstance(fact, BreachFact)
    return ""


def status_text(entry: TimelineEntry) -> str:
    """The journal's « Statut » column: the status's label in the interface's language."""
    if not entry.status:
        return ""
    kind = {
        AppointmentFact: "appointment_status",
        BarrierFact: "barrier_status",
        ActionFact: "action_status",
        ReorientationFact: "reorientation_status",
        ContractFact: "contract_state",
    }.get(type(entry.fact))
    return label(kind, entry.status, "") if kind else entry.status
