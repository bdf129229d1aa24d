"""Documents a referent prints or exports: convocation, visit summary, right-of-access file,
agenda and invitation calendars.

Each use-case runs in the caller's write transaction: it reads what the document needs,
renders it in memory and records the print or export in the audit log, so a document is
audited if and only if it was produced (a failed rendering rolls the audit event back).
The caller writes the returned bytes where the user chose, after the commit
(:func:`spie_desktop.documents.output.write_document`); nothing touches the disk here.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.documents import typography as ty
from spie_desktop.documents.calendar import CalendarEvent, build_calendar, event_uid, sequence_of
from spie_desktop.documents.department import DepartmentSettings
from spie_desktop.documents.pdf import image_bytes, render_pdf
from spie_desktop.domain.enums import AppointmentMode, AppointmentStatus, AuditAction, Title
from spie_desktop.domain.models import (
    Action,
    Appointment,
    AuditEvent,
    Barrier,
    Note,
    Person,
    Referent,
    ReferentAssignment,
    Structure,
)
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import UnknownCodeError, ValidationError
from spie_desktop.services.common import audit, get_live, live_person
from spie_desktop.services.exports import export_person
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor

PDF = "application/pdf"
ICS = "text/calendar"
JSON = "application/json"
CANCELLED_STATUSES = frozenset({AppointmentStatus.EXCUSED.value, AppointmentStatus.REVOKED.value})
AGENDA_MAX_DAYS = 400
ADDRESS_LINE_MAX = 38  # La Poste / NF Z10-011: 38 characters per line, 6 lines


@dataclass(frozen=True)
class RenderedDocument:
    """A finished document, still only in memory."""

    content: bytes
    filename: str
    media_type: str
    kind: str
    person_ids: tuple[uuid.UUID, ...]


# --------------------------------------------------------------------------------------
# Small helpers


def _label(kind: str, code: str | None) -> str:
    if not code:
        return ""
    try:
        return get_referentials().label(kind, code)
    except (UnknownCodeError, KeyError):
        return code


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-") or "document"


def _filename(kind: str, person: Person | None, day: date, suffix: str) -> str:
    who = f"-{_slug(person.last_name).upper()}-{_slug(person.first_name)}" if person else ""
    return f"{kind}{who}-{day:%Y-%m-%d}.{suffix}"


def _upper_plain(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain.upper()


def _typeset(value: Any) -> Any:
    """French spacing on every string of the document's data (the logo's bytes aside)."""
    if isinstance(value, str):
        return ty.french(value)
    if isinstance(value, list):
        return [_typeset(item) for item in value]
    if isinstance(value, tuple):
        return [_typeset(item) for item in value]
    if isinstance(value, dict):
        return {key: value[key] if key == "logo" else _typeset(value[key]) for key in value}
    return value


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    return [part.strip() for part in re.split(r"\n\s*\n|\n", text) if part.strip()]


def _referents(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Referent]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Referent).where(Referent.id.in_(wanted))).scalars()
    return {row.id: row for row in rows}


def _name(referents: dict[uuid.UUID, Referent], referent_id: uuid.UUID | None) -> str:
    if referent_id is None:
        return "—"
    referent = referents.get(referent_id)
    return referent.display_name if referent else "Agent inconnu sur cet appareil"


def _civility(person: Person) -> str:
    if person.title == Title.MRS.value:
        return "Madame"
    if person.title == Title.MR.value:
        return "Monsieur"
    return "Madame, Monsieur"


def _department_block(
    department: DepartmentSettings, structure: Structure | None
) -> dict[str, Any]:
    lines = list(department.letterhead)
    if not lines and structure is not None:
        lines = [structure.name]
        if structure.address:
            lines.append(structure.address)
        town = " ".join(p for p in (structure.postal_code, structure.city) if p)
        if town:
            lines.append(town)
        if structure.phone:
            lines.append(f"Téléphone : {structure.phone}")
    return {
        "name": department.name,
        "letterhead": lines,
        "footer": department.footer,
        "logo": list(department.logo_data)
        if department.logo_data
        else image_bytes(department.logo()),
    }


def _meta(title: str, subject: str, department: DepartmentSettings) -> dict[str, Any]:
    return {
        "title": title,
        "subject": subject,
        "author": department.name,
        "keywords": ["SPIE", department.name],
    }


def _of(word: str) -> str:
    """« de suivi », « d'orientation »: French elision before a vowel or a mute h."""
    return f"d'{word}" if word[:1].lower() in "aeiouyhéèêàâîôû" else f"de {word}"


def _privacy(department: DepartmentSettings) -> str:
    return (
        "Vos données sont traitées pour votre accompagnement vers l'insertion et l'emploi "
        f"(responsable du traitement : {department.name}). Elles sont conservées "
        f"{department.retention_months} mois après la fin de l'accompagnement. Vous pouvez "
        "y accéder, les faire rectifier ou demander leur effacement auprès de votre référent "
        "(règlement général sur la protection des données, articles 15 à 17)."
    )


def _address_lines(line: str) -> list[str]:
    """A long address line cut at its commas into lines of 38 characters at most (when the
    parts allow): « Bâtiment B, appartement 12, 8 allée des Tilleuls » → two lines."""
    if len(line) <= ADDRESS_LINE_MAX or ", " not in line:
        return [line]
    lines: list[str] = []
    for part in line.split(", "):
        if lines and len(lines[-1]) + 2 + len(part) <= ADDRESS_LINE_MAX:
            lines[-1] = f"{lines[-1]}, {part}"
        else:
            lines.append(part)
    return lines


def postal_address(person: Person) -> list[str]:
    """The address block (NF Z10-011): recipient, street lines, « 69100 VILLEURBANNE ».

    Refused, with a French reason, when the person has no usable postal address.
    """
    street = [
        part
        for line in re.split(r"[\n\r]+", person.address or "")
        for part in _address_lines(line.strip())
        if part
    ]
    if not street or not person.postal_code or not person.city:
        raise ValidationError(
            "L'adresse postale de la personne est incomplète (adresse, code postal et "
            "commune) : complétez son identité avant d'imprimer un courrier.",
            code="address_missing",
            field="address",
        )
    title = {Title.MRS.value: "Madame", Title.MR.value: "Monsieur"}.get(person.title or "", "")
    recipient = " ".join(p for p in (title, person.first_name, person.last_name.upper()) if p)
    lines = [recipient, *street, f"{person.postal_code} {_upper_plain(person.city)}"]
    return lines[:6]


def _referent_contact(referent: Referent | None) -> list[str]:
    if referent is None:
        return []
    lines = [f"Affaire suivie par : {referent.display_name}"]
    if referent.phone:
        lines.append(f"Téléphone : {referent.phone}")
    if referent.email:
        lines.append(f"Courriel : {referent.email}")
    return lines


def _structure_of(session: Session, referent: Referent | None) -> Structure | None:
    if referent is None or referent.structure_id is None:
        return None
    return session.get(Structure, referent.structure_id)


def _where(appointment: Appointment) -> str:
    mode = appointment.mode
    if mode == AppointmentMode.HOME.value:
        return "À votre domicile"
    if mode == AppointmentMode.PHONE.value:
        return "Par téléphone : votre référent vous appellera"
    if mode == AppointmentMode.VIDEO.value:
        return appointment.place or "En visioconférence : le lien vous sera envoyé"
    return appointment.place or _label("appointment_mode", mode)


# --------------------------------------------------------------------------------------
# Convocation


def _invitation_sentence(appointment: Appointment, when: str, purpose: str) -> str:
    mode = appointment.mode
    if mode == AppointmentMode.HOME.value:
        return (
            f"Dans le cadre de votre accompagnement, je vous informe de ma visite à votre "
            f"domicile le {when}, pour un rendez-vous {_of(purpose)}."
        )
    if mode == AppointmentMode.PHONE.value:
        return (
            f"Dans le cadre de votre accompagnement, je vous appellerai le {when} pour un "
            f"rendez-vous téléphonique {_of(purpose)}."
        )
    if mode == AppointmentMode.VIDEO.value:
        return (
            "Dans le cadre de votre accompagnement, je vous invite à un rendez-vous "
            f"{_of(purpose)} en visioconférence le {when}."
        )
    return (
        "Dans le cadre de votre accompagnement, je vous invite à un rendez-vous "
        f"{_of(purpose)} le {when}."
    )


def convocation(
    session: Session,
    actor: Actor,
    appointment_id: uuid.UUID,
    department: DepartmentSettings,
    *,
    today: date | None = None,
) -> RenderedDocument:
    """The convocation letter for a planned appointment, for a DL window envelope."""
    appointment = get_live(session, Appointment, appointment_id)
    if appointment.status != AppointmentStatus.PLANNED.value:
        raise ValidationError(
            "Seul un rendez-vous à venir fait l'objet d'une convocation.",
            code="appointment_not_planned",
            field="status",
        )
    person = live_person(session, appointment.person_id)
    address = postal_address(person)
    referents = _referents(session, [appointment.referent_id, actor.referent_id])
    referent = referents.get(appointment.referent_id) if appointment.referent_id else None
    today = today or ty.local(utcnow()).date()
    purpose = _label("appointment_purpose", appointment.purpose).lower()
    when = ty.long_datetime(appointment.starts_at)
    local = ty.local(appointment.starts_at)
    civility = _civility(person)
    signatory = department.signatory_name or (referent.display_name if referent else "")
    phone = referent.phone if referent and referent.phone else None
    warn = "prévenez-moi au plus tôt"
    if phone:
        warn += f" au {phone}"
    data = {
        "meta": _meta("Convocation à un rendez-vous", f"Rendez-vous du {when}", department),
        "department": _department_block(department, _structure_of(session, referent)),
        "address": address,
        "place_date": f"{department.city + ', ' if department.city else ''}le "
        f"{ty.long_date(today)}",
        "subject": "Convocation à un rendez-vous — "
        + _label("appointment_purpose", appointment.purpose),
        "contact": _referent_contact(referent),
        "greeting": f"{civility},",
        "paragraphs": [
            _invitation_sentence(appointment, when, purpose),
            "Ce rendez-vous fait partie de votre parcours d'accompagnement. Si vous ne "
            f"pouvez pas être présent(e), {warn} : un autre rendez-vous vous sera proposé.",
        ],
        "appointment": [
            ["Date", ty.long_date(local.date())],
            ["Heure", ty.hour(local)],
            ["Durée prévue", ty.duration(appointment.duration_minutes)],
            ["Lieu", _where(appointment)],
            ["Avec", referent.display_name if referent else "Votre référent"],
        ],
        "after": [
            "Pensez à apporter une pièce d'identité et les documents utiles à votre "
            "accompagnement (attestation de la CAF, curriculum vitæ, courriers reçus)."
        ],
        "closing": f"Je vous prie d'agréer, {civility}, l'expression de mes salutations "
        "distinguées.",
        "signatory": {"title": department.signatory_title, "name": signatory},
        "privacy": _privacy(department),
    }
    content = render_pdf("convocation", _typeset(data))
    audit(
        session,
        actor,
        AuditAction.PRINT,
        person.id,
        f"convocation au rendez-vous du {_moment(appointment.starts_at)}",
    )
    return RenderedDocument(
        content,
        _filename("convocation", person, local.date(), "pdf"),
        PDF,
        "convocation",
        (person.id,),
    )


# --------------------------------------------------------------------------------------
# Visit summary


def _action_label(action: Action) -> str:
    if action.custom_label:
        return action.custom_label
    return _label("action", action.action_code)


def visit_summary(
    session: Session,
    actor: Actor,
    appointment_id: uuid.UUID,
    department: DepartmentSettings,
) -> RenderedDocument:
    """The report of one appointment: what was said, what comes next, open actions."""
    appointment = get_live(session, Appointment, appointment_id)
    person = live_person(session, appointment.person_id)
    referents = _referents(session, [appointment.referent_id])
    referent = referents.get(appointment.referent_id) if appointment.referent_id else None
    local = ty.local(appointment.starts_at)
    actions = session.execute(
        select(Action)
        .where(
            Action.person_id == person.id,
            Action.deleted_at.is_(None),
            Action.status.in_(("planned", "in_progress", "standby")),
        )
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    ).scalars()
    next_appointment = session.execute(
        select(Appointment)
        .where(
            Appointment.person_id == person.id,
            Appointment.deleted_at.is_(None),
            Appointment.status == AppointmentStatus.PLANNED.value,
            Appointment.starts_at > appointment.starts_at,
        )
        .order_by(Appointment.starts_at)
        .limit(1)
    ).scalar_one_or_none()
    next_text = ""
    if next_appointment is not None:
        next_text = (
            f"{ty.long_datetime(next_appointment.starts_at).capitalize()} — "
            f"{_where(next_appointment)}."
        )
    data = {
        "meta": _meta(
            "Compte rendu de rendez-vous",
            f"Rendez-vous du {ty.long_date(local.date())}",
            department,
        ),
        "department": _department_block(department, _structure_of(session, referent)),
        "title": "Compte rendu de rendez-vous",
        "facts": [
            [
                "Personne",
                f"{_civility(person) if person.title else ''} {person.first_name} "
                f"{person.last_name.upper()}".strip(),
            ],
            ["Date", ty.long_datetime(appointment.starts_at)],
            ["Durée", ty.duration(appointment.duration_minutes)],
            ["Modalité", _label("appointment_mode", appointment.mode)],
            ["Lieu", appointment.place or "—"],
            ["Objet", _label("appointment_purpose", appointment.purpose)],
            ["Statut", _label("appointment_status", appointment.status)],
            ["Référent", referent.display_name if referent else "—"],
        ],
        "summary": _paragraphs(appointment.summary),
        "next_steps": _paragraphs(appointment.next_steps),
        "actions": [
            [
                _action_label(action),
                action.partner or "—",
                ty.short_date(action.due_date) if action.due_date else "—",
                _label("action_status", action.status),
            ]
            for action in actions
        ],
        "next_appointment": next_text,
        "referent_label": department.signatory_title or "Le référent",
        "person_label": "La personne accompagnée",
        "privacy": _privacy(department),
    }
    content = render_pdf("visit-summary", _typeset(data))
    audit(
        session,
        actor,
        AuditAction.PRINT,
        person.id,
        f"compte rendu du rendez-vous du {_moment(appointment.starts_at)}",
    )
    return RenderedDocument(
        content,
        _filename("compte-rendu", person, local.date(), "pdf"),
        PDF,
        "visit_summary",
        (person.id,),
    )


# --------------------------------------------------------------------------------------
# Right-of-access file


def _day(value: date | None) -> str:
    return ty.short_date(value) if value else "—"


def _moment(value: datetime | None) -> str:
    return ty.short_datetime(value) if value else "—"


def _deleted(row: Any, text: str) -> str:
    if row.deleted_at is not None:
        return f"{text} (supprimé le {ty.short_date(ty.local(row.deleted_at).date())})"
    return text


def _device(device_id: str | None) -> str:
    """A device by the first part of its id: enough to tell devices apart in a table."""
    if not device_id:
        return "—"
    return device_id.split("-")[0][:12]


def _rows(session: Session, model: Any, person_id: uuid.UUID, order: Any) -> list[Any]:
    return list(
        session.execute(
            select(model).where(model.person_id == person_id).order_by(order, model.id)
        ).scalars()
    )


def _identity(person: Person, referents: dict[uuid.UUID, Referent]) -> list[list[str]]:
    household = _label("household", person.household)
    if person.children_count is not None:
        household = f"{household or '—'}, {person.children_count} enfant(s)"
    facts = [
        ["Civilité", _label("title", person.title) or "—"],
        ["Nom", person.last_name],
        ["Nom de naissance", person.birth_name or "—"],
        ["Prénom", person.first_name],
        ["Date de naissance", _day(person.birth_date)],
        ["Téléphone", person.phone or "—"],
        ["Courriel", person.email or "—"],
        [
            "Adresse",
            ", ".join(p for p in (person.address, person.postal_code, person.city) if p) or "—",
        ],
        ["Situation familiale", household or "—"],
        ["Numéro CAF", person.caf_number or "—"],
        ["Identifiant France Travail", person.france_travail_id or "—"],
        ["Identifiant du département", person.external_id or "—"],
        ["Droit au RSA", _label("rsa_status", person.rsa_status) or "—"],
        ["Ouverture des droits", _day(person.rights_opening_date)],
        ["Orientation", _label("orientation", person.orientation) or "—"],
        ["Contrat", _label("contract_type", person.contract_type) or "—"],
        [
            "Période du contrat",
            f"du {_day(person.contract_start)} au {_day(person.contract_end)}"
            if person.contract_start or person.contract_end
            else "—",
        ],
        ["Suivi", _label("follow_up_status", person.follow_up_status)],
        [
            "Sortie",
            f"{_day(person.closed_on)} {_label('closure_reason', person.closure_reason)}".strip()
            if person.closed_on
            else "—",
        ],
        ["Référent actuel", _name(referents, person.referent_id)],
        ["Information donnée le", _day(person.information_given_on)],
        ["Consentement recueilli le", _day(person.consent_given_on)],
        ["Dossier créé le", _moment(person.created_at)],
        ["Identifiant du dossier", str(person.id)],
    ]
    return facts


def access_file(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    department: DepartmentSettings,
    *,
    today: date | None = None,
) -> RenderedDocument:
    """Everything held about the person, readable (RGPD art. 15), this print included."""
    person = live_person(session, person_id)
    # Recorded first, so that the file lists its own printing among the accesses.
    audit(session, actor, AuditAction.PRINT, person.id, "dossier droit d'accès (RGPD)")
    session.flush()
    today = today or ty.local(utcnow()).date()
    assignments = _rows(session, ReferentAssignment, person.id, ReferentAssignment.started_at)
    appointments = _rows(session, Appointment, person.id, Appointment.starts_at)
    barriers = _rows(session, Barrier, person.id, Barrier.identified_on)
    actions = _rows(session, Action, person.id, Action.created_at)
    notes = _rows(session, Note, person.id, Note.written_at)
    events = _rows(session, AuditEvent, person.id, AuditEvent.occurred_at)
    referents = _referents(
        session,
        [person.referent_id]
        + [a.referent_id for a in assignments]
        + [a.assigned_by_id for a in assignments]
        + [a.referent_id for a in appointments]
        + [n.author_id for n in notes]
        + [e.actor_id for e in events],
    )
    themes = {b.id: _label("theme", b.theme) for b in barriers}
    note_dates = {n.id: _moment(n.written_at) for n in notes}
    sections: list[dict[str, Any]] = [
        {"title": "Identité et situation", "facts": _identity(person, referents)},
        {
            "title": "Référents successifs",
            "headers": ["Référent", "Du", "Au", "Désigné par", "Note de passation"],
            "widths": [1.2, 0.8, 0.8, 1.0, 2.2],
            "empty": "Aucune désignation enregistrée.",
            "rows": [
                [
                    _deleted(a, _name(referents, a.referent_id)),
                    _moment(a.started_at),
                    _moment(a.ended_at) if a.ended_at else "en cours",
                    _name(referents, a.assigned_by_id) if a.assigned_by_id else "—",
                    a.handover_note or "—",
                ]
                for a in assignments
            ],
        },
        {
            "title": "Rendez-vous",
            "headers": ["Date", "Modalité et lieu", "Objet", "Statut", "Compte rendu"],
            "widths": [0.9, 1.2, 0.9, 0.9, 2.6],
            "empty": "Aucun rendez-vous.",
            "rows": [
                [
                    _deleted(a, _moment(a.starts_at)),
                    " — ".join(p for p in (_label("appointment_mode", a.mode), a.place) if p),
                    _label("appointment_purpose", a.purpose),
                    _label("appointment_status", a.status),
                    "\n".join(
                        p
                        for p in (
                            a.summary,
                            f"Prochaines étapes : {a.next_steps}" if a.next_steps else "",
                        )
                        if p
                    )
                    or "—",
                ]
                for a in appointments
            ],
        },
        {
            "title": "Freins périphériques",
            "headers": ["Thème", "Situations", "Objectif", "Statut", "Dates", "Commentaire"],
            "widths": [1.0, 1.6, 1.2, 0.8, 0.9, 1.5],
            "empty": "Aucun frein enregistré.",
            "rows": [
                [
                    _deleted(b, themes[b.id]),
                    ", ".join(_label("situation", s) for s in b.situations or []) or "—",
                    b.target_text or _label("target", b.target_code) or "—",
                    _label("barrier_status", b.status)
                    + (f" ({_label('barrier_severity', str(b.severity))})" if b.severity else ""),
                    f"{_day(b.identified_on)}" + (f" → {_day(b.closed_on)}" if b.closed_on else ""),
                    b.comment or "—",
                ]
                for b in barriers
            ],
        },
        {
            "title": "Actions",
            "headers": ["Action", "Frein", "Partenaire", "Statut", "Dates", "Résultat"],
            "widths": [1.6, 1.0, 1.1, 0.8, 1.1, 1.4],
            "empty": "Aucune action enregistrée.",
            "rows": [
                [
                    _deleted(a, _action_label(a)),
                    themes.get(a.barrier_id, "—") if a.barrier_id else "—",
                    a.partner or "—",
                    _label("action_status", a.status),
                    " → ".join(
                        p
                        for p in (
                            _day(a.start_date) if a.start_date else "",
                            f"échéance {_day(a.due_date)}" if a.due_date else "",
                            f"fin {_day(a.end_date)}" if a.end_date else "",
                        )
                        if p
                    )
                    or "—",
                    a.outcome or "—",
                ]
                for a in actions
            ],
        },
        {
            "title": "Journal de bord",
            "headers": ["Date", "Type", "Auteur", "Texte"],
            "widths": [0.9, 0.8, 1.0, 4.3],
            "empty": "Aucune note.",
            "rows": [
                [
                    _deleted(n, _moment(n.written_at)),
                    _label("note_kind", n.kind) + (" — sensible" if n.sensitive else ""),
                    _name(referents, n.author_id),
                    (
                        f"(remplace la note du {note_dates.get(n.supersedes_id, '—')}) "
                        if n.supersedes_id
                        else ""
                    )
                    + n.text,
                ]
                for n in notes
            ],
        },
        {
            "title": "Qui a consulté, modifié, imprimé ou exporté ce dossier",
            "headers": ["Date", "Agent", "Opération", "Appareil", "Détail"],
            "widths": [0.9, 1.2, 1.0, 1.2, 2.0],
            "empty": "Aucun accès enregistré.",
            "rows": [
                [
                    _moment(e.occurred_at),
                    _name(referents, e.actor_id),
                    _label("audit_action", e.action),
                    _device(e.device_id),
                    e.detail or "—",
                ]
                for e in events
            ],
        },
    ]
    data = {
        "meta": _meta(
            "Dossier personnel — droit d'accès",
            f"Données détenues sur {person.first_name} {person.last_name.upper()}",
            department,
        ),
        "department": _department_block(department, None),
        "title": f"Dossier de {person.first_name} {person.last_name.upper()}",
        "intro": [
            f"Document établi le {ty.long_date(today)} au titre du droit d'accès "
            "(article 15 du règlement général sur la protection des données). Il reprend "
            "toutes les données que cet appareil détient sur la personne : son identité, ses "
            "référents, ses rendez-vous, ses freins et actions, les notes du journal de bord "
            "(notes sensibles comprises) et la liste de toutes les consultations, "
            "modifications, impressions et exports du dossier.",
            _privacy(department),
        ],
        "sections": sections,
    }
    content = render_pdf("access-file", _typeset(data))
    return RenderedDocument(
        content,
        _filename("dossier-droit-acces", person, today, "pdf"),
        PDF,
        "access_file",
        (person.id,),
    )


# --------------------------------------------------------------------------------------
# Calendars


def _event(
    appointment: Appointment,
    *,
    summary: str,
    description: Sequence[str],
    organizer: Referent | None,
) -> CalendarEvent:
    return CalendarEvent(
        uid=event_uid(appointment.id),
        starts_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        summary=summary,
        location=_where(appointment),
        description="\n".join(line for line in description if line),
        cancelled=appointment.status in CANCELLED_STATUSES,
        sequence=sequence_of(appointment.created_at, appointment.updated_at),
        last_modified=appointment.updated_at,
        organizer_name=organizer.display_name if organizer else "",
        organizer_email=organizer.email or "" if organizer else "",
    )


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ty.PARIS)


def agenda_calendar(
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    *,
    referent_id: uuid.UUID | None = None,
) -> RenderedDocument:
    """The referent's appointments from ``start`` to ``end`` (both included), as .ics.

    Each person in it gets an export line in the audit log: their name leaves the store.
    """
    if end < start:
        raise ValidationError(
            "La date de fin précède la date de début.", code="invalid_range", field="end"
        )
    if (end - start).days > AGENDA_MAX_DAYS:
        raise ValidationError(
            f"Période trop longue ({AGENDA_MAX_DAYS} jours au plus).",
            code="invalid_range",
            field="end",
        )
    owner = referent_id or actor.referent_id
    query = (
        select(Appointment, Person)
        .join(Person, Person.id == Appointment.person_id)
        .where(
            Appointment.deleted_at.is_(None),
            Person.deleted_at.is_(None),
            Appointment.starts_at >= _paris_midnight(start),
            Appointment.starts_at < _paris_midnight(end + timedelta(days=1)),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    )
    if owner is not None:
        query = query.where(Appointment.referent_id == owner)
    rows = [(row[0], row[1]) for row in session.execute(query)]
    referents = _referents(session, [owner])
    organizer = referents.get(owner) if owner else None
    events = []
    for appointment, person in rows:
        purpose = _label("appointment_purpose", appointment.purpose)
        events.append(
            _event(
                appointment,
                summary=f"{person.full_name} — {purpose}",
                description=[
                    f"Rendez-vous : {purpose}",
                    f"Modalité : {_label('appointment_mode', appointment.mode)}",
                    f"Statut : {_label('appointment_status', appointment.status)}",
                    f"Téléphone : {person.phone}" if person.phone else "",
                ],
                organizer=organizer,
            )
        )
    person_ids = tuple(dict.fromkeys(person.id for _, person in rows))
    for person_id in person_ids:
        audit(
            session,
            actor,
            AuditAction.EXPORT,
            person_id,
            f"agenda .ics du {ty.short_date(start)} au {ty.short_date(end)}",
        )
    title = f"Agenda SPIE — {organizer.display_name}" if organizer else "Agenda SPIE"
    content = build_calendar(events, name=title, stamp=utcnow())
    return RenderedDocument(
        content, f"agenda-{start:%Y-%m-%d}-{end:%Y-%m-%d}.ics", ICS, "agenda", person_ids
    )


def appointment_invitation(
    session: Session, actor: Actor, appointment_id: uuid.UUID
) -> RenderedDocument:
    """One appointment as a calendar for the person (METHOD:PUBLISH): no one else's name."""
    appointment = get_live(session, Appointment, appointment_id)
    person = live_person(session, appointment.person_id)
    referents = _referents(session, [appointment.referent_id])
    referent = referents.get(appointment.referent_id) if appointment.referent_id else None
    purpose = _label("appointment_purpose", appointment.purpose)
    event = _event(
        appointment,
        summary=f"Rendez-vous avec votre référent — {purpose}",
        description=[
            f"Rendez-vous : {purpose}",
            f"Avec : {referent.display_name}" if referent else "",
            f"Contact : {referent.phone}" if referent and referent.phone else "",
            "En cas d'empêchement, prévenez votre référent au plus tôt.",
        ],
        organizer=referent,
    )
    audit(
        session,
        actor,
        AuditAction.EXPORT,
        person.id,
        f"invitation .ics au rendez-vous du {_moment(appointment.starts_at)}",
    )
    content = build_calendar([event], name="Rendez-vous SPIE", stamp=utcnow())
    local = ty.local(appointment.starts_at).date()
    return RenderedDocument(
        content, _filename("rendez-vous", person, local, "ics"), ICS, "invitation", (person.id,)
    )


def access_json(session: Session, actor: Actor, person_id: uuid.UUID) -> RenderedDocument:
    """The right-of-access file for machines: every row held, as JSON (audited as export)."""
    data = export_person(session, actor, person_id)
    person = live_person(session, person_id)
    content = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    today = ty.local(utcnow()).date()
    return RenderedDocument(
        content,
        _filename("donnees-droit-acces", person, today, "json"),
        JSON,
        "access_json",
        (person.id,),
    )


# --------------------------------------------------------------------------------------
# Contrat d'engagement


def contract(
    session: Session,
    actor: Actor,
    person_id: uuid.UUID,
    department: DepartmentSettings,
    *,
    contract_id: uuid.UUID | None = None,
    today: date | None = None,
) -> RenderedDocument:
    """The contrat d'engagement (the current one, or ``contract_id``) and its action plan, to
    be signed: objectives, actions with their weekly hours against the activity floor."""
    from spie_desktop.domain.models import EngagementContract
    from spie_desktop.services.path import current_contract, plan_actions, plan_hours

    person = live_person(session, person_id)
    chosen = (
        get_live(session, EngagementContract, contract_id)
        if contract_id is not None
        else current_contract(session, person.id)
    )
    if chosen is None or chosen.person_id != person.id:
        raise ValidationError(
            "Cette personne n'a pas de contrat d'engagement en cours : rédigez-le d'abord.",
            code="no_contract",
            field="contract",
        )
    referents = _referents(session, [person.referent_id])
    referent = referents.get(person.referent_id) if person.referent_id else None
    hours = plan_hours(session, chosen)
    today = today or ty.local(utcnow()).date()
    actions = [
        [
            _action_label(a),
            a.partner or "—",
            ty.duration(a.planned_minutes_week) if a.planned_minutes_week else "—",
            _day(a.due_date),
            _label("action_status", a.status),
        ]
        for a in plan_actions(session, chosen.id)
    ]
    floor = ty.duration(hours.floor_minutes) if hours.floor_minutes else "aucune (dispense)"
    floor_line = [["Durée d'activité demandée", f"{floor} par semaine"]]
    if hours.floor_reason:
        reason = _label("floor_reason", hours.floor_reason)
        comment = f" — {chosen.floor_comment}" if chosen.floor_comment else ""
        floor_line.append(["Motif de l'aménagement", reason + comment])
    planned = ty.duration(hours.planned_minutes) if hours.planned_minutes else "0 h"
    floor_line.append(["Heures prévues au plan", f"{planned} par semaine"])
    if hours.below_floor:
        floor_line.append(["À compléter", "le plan prévoit moins d'heures que la durée demandée"])
    state = _label("contract_state", chosen.state)
    period = (
        f"du {_day(chosen.starts_on)} au {_day(chosen.ends_on)}"
        if chosen.starts_on or chosen.ends_on
        else "à fixer à la signature"
    )
    name = f"{person.first_name} {person.last_name.upper()}"
    data = {
        "meta": _meta(
            _label("contract_type", chosen.contract_type), f"Contrat de {name}", department
        ),
        "department": _department_block(department, _structure_of(session, referent)),
        "title": _label("contract_type", chosen.contract_type),
        "version_line": f"Version {chosen.version} — {state}"
        + (f", signé le {_day(chosen.signed_on)}" if chosen.signed_on else ""),
        "facts": [
            ["Personne", f"{_civility(person) if person.title else ''} {name}".strip()],
            ["Date de naissance", _day(person.birth_date)],
            [
                "Adresse",
                ", ".join(p for p in (person.address, person.postal_code, person.city) if p) or "—",
            ],
            ["Orientation", _label("orientation", person.orientation) or "—"],
            ["Référent", referent.display_name if referent else "—"],
            ["Période", period],
        ],
        "objectives": _paragraphs(chosen.objectives),
        "actions": actions,
        "hours": floor_line,
        "commitments": [
            f"{name} s'engage à participer aux actions de ce plan, à se présenter aux "
            "rendez-vous fixés avec son référent et à le prévenir de tout changement de "
            "situation.",
            f"{department.name} s'engage à accompagner {name} dans la réalisation de ce plan, "
            "à lui proposer les actions adaptées à sa situation et à faire le point avec "
            "elle ou lui régulièrement.",
            "Le plan d'action peut être revu à tout moment, à la demande de l'un ou de l'autre.",
        ],
        "place_line": f"Fait {'à ' + department.city + ', ' if department.city else ''}"
        f"le {ty.long_date(today)}, en deux exemplaires.",
        "person_label": "La personne accompagnée",
        "referent_label": department.signatory_title or "Le référent",
        "referent_name": referent.display_name if referent else "",
        "privacy": _privacy(department),
    }
    content = render_pdf("contract", _typeset(data))
    audit(
        session,
        actor,
        AuditAction.PRINT,
        person.id,
        f"contrat d'engagement version {chosen.version}",
    )
    return RenderedDocument(
        content, _filename("contrat", person, today, "pdf"), PDF, "contract", (person.id,)
    )
