"""The department's reporting exports (issue 14): CSV a spreadsheet opens as it is.

One row per person, per appointment or per action, or the team dashboard's figures. Every
file is ``;``-separated UTF-8 with a byte-order mark (Excel then reads the accents), dates
in ISO 8601 (days as ``2026-12-01``, moments in Paris time with their offset), codes next
to their French labels, and every cell goes through the product's one CSV writer
(:mod:`spie_desktop.domain.tabular`), which neutralises formulas (a name typed
``=HYPERLINK(…)`` is written ``'=HYPERLINK(…)``).

Audited iff produced, as the calendars are: each person whose data leaves the store gets an
``export`` line in the audit log, in the transaction that reads the rows; the dashboard's
figures (no one's data) get one line for the export itself.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain.deadlines import PARIS
from spie_desktop.domain.enums import AuditAction
from spie_desktop.domain.models import (
    Action,
    Appointment,
    Barrier,
    EngagementContract,
    Person,
    Referent,
)
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.domain.tabular import csv_writer
from spie_desktop.errors import ValidationError
from spie_desktop.services import team
from spie_desktop.services.caseload import ALERT_NO_CONTACT_DAYS
from spie_desktop.services.common import audit
from spie_desktop.services.documents import RenderedDocument
from spie_desktop.store.local_models import PersonSummary
from spie_desktop.store.store import Actor

CSV = "text/csv"
BOM = "\ufeff"
KINDS = ("persons", "appointments", "actions", "dashboard")
OPEN_BARRIERS = ("not_addressed", "identified", "in_progress")

PERSON_COLUMNS = (
    "id_personne",
    "id_externe",
    "numero_caf",
    "id_france_travail",
    "nom",
    "prenom",
    "date_naissance",
    "code_postal",
    "commune",
    "statut",
    "statut_libelle",
    "orientation",
    "orientation_libelle",
    "id_referent",
    "referent",
    "date_creation",
    "date_ouverture_droits",
    "dernier_contact",
    "prochain_rdv",
    "freins_ouverts",
    "freins_ouverts_libelles",
    "actions_en_cours",
    "prochaine_echeance_action",
    "contrat_type",
    "contrat_etat",
    "contrat_signe_le",
    "contrat_debut",
    "contrat_fin",
    "date_sortie",
    "motif_sortie",
)
APPOINTMENT_COLUMNS = (
    "id_rdv",
    "id_personne",
    "nom",
    "prenom",
    "id_referent",
    "referent",
    "debut",
    "duree_minutes",
    "modalite",
    "modalite_libelle",
    "objet",
    "objet_libelle",
    "statut",
    "statut_libelle",
    "issue_saisie_le",
    "cree_le",
)
ACTION_COLUMNS = (
    "id_action",
    "id_personne",
    "nom",
    "prenom",
    "id_referent",
    "referent",
    "theme_frein",
    "theme_frein_libelle",
    "code_action",
    "action",
    "partenaire",
    "statut",
    "statut_libelle",
    "debut",
    "echeance",
    "fin",
    "id_contrat",
    "heures_prevues_semaine",
)
DASHBOARD_COLUMNS = (
    "perimetre",
    "id_referent",
    "referent",
    "indicateur",
    "indicateur_libelle",
    "valeur",
    "rdv_tenus_ou_manques",
    "taux_pourcent",
    "calcule_le",
    "jours_sans_contact",
)
AUDIT_COLUMNS = (
    "date",
    "action",
    "action_libelle",
    "id_personne",
    "personne",
    "utilisateur",
    "auteur",
    "appareil",
    "detail",
)
AUDIT_ACTION_LABELS = {
    "open": "Ouverture du dossier",
    "change": "Modification",
    "export": "Export",
    "print": "Impression",
    "reveal": "Consultation d'une note sensible",
}
FIGURE_LABELS = {
    team.Figure.CASELOAD: "Personnes suivies",
    team.Figure.NO_CONTACT: "Sans contact depuis plus de N jours",
    team.Figure.MISSED: "RDV manqués à replanifier",
    team.Figure.REPORTS: "Comptes rendus à saisir",
    team.Figure.OVERDUE: "Actions échues",
    team.Figure.DEADLINES: "Échéances du parcours dépassées",
    team.Figure.CONTRACTS_ENDING: "Contrats arrivant à échéance",
    team.Figure.NOSHOW_3M: "Absences aux RDV sur 3 mois",
    team.Figure.NOSHOW_12M: "Absences aux RDV sur 12 mois",
}


def iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(PARIS).isoformat(timespec="minutes")
    return value.isoformat()


def _label(kind: str, code: str | None) -> str:
    if not code:
        return ""
    try:
        return get_referentials().label(kind, code)
    except Exception:  # an unknown code is shown as it is
        return code


def _render(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _referent_names(session: Session) -> dict[uuid.UUID, str]:
    return {
        row[0]: f"{row[1]} {row[2]}"
        for row in session.execute(select(Referent.id, Referent.first_name, Referent.last_name))
    }


def _audit_persons(
    session: Session, actor: Actor, person_ids: Iterable[uuid.UUID], what: str
) -> None:
    for person_id in dict.fromkeys(person_ids):
        audit(session, actor, AuditAction.EXPORT, person_id, what)


def persons_csv(session: Session, actor: Actor, now: datetime) -> RenderedDocument:
    """One row per person held (those who left included, with their exit)."""
    names = _referent_names(session)
    summaries = {s.person_id: s for s in session.execute(select(PersonSummary)).scalars()}
    themes: dict[uuid.UUID, list[str]] = {}
    for person_id, theme in session.execute(
        select(Barrier.person_id, Barrier.theme)
        .where(Barrier.deleted_at.is_(None), Barrier.status.in_(OPEN_BARRIERS))
        .order_by(Barrier.person_id, Barrier.theme)
    ):
        if theme not in themes.setdefault(person_id, []):
            themes[person_id].append(theme)
    contracts: dict[uuid.UUID, EngagementContract] = {}
    for found in session.execute(
        select(EngagementContract)
        .where(EngagementContract.deleted_at.is_(None))
        .order_by(EngagementContract.person_id, EngagementContract.version)
    ).scalars():
        contracts[found.person_id] = found  # the latest version wins
    persons = list(
        session.execute(
            select(Person)
            .where(Person.deleted_at.is_(None))
            .order_by(Person.last_name, Person.first_name, Person.id)
        ).scalars()
    )
    rows = []
    for p in persons:
        summary = summaries.get(p.id)
        contract = contracts.get(p.id)
        codes = themes.get(p.id, [])
        rows.append(
            (
                str(p.id),
                p.external_id,
                p.caf_number,
                p.france_travail_id,
                p.last_name,
                p.first_name,
                iso(p.birth_date),
                p.postal_code,
                p.city,
                p.follow_up_status,
                _label("follow_up_status", p.follow_up_status),
                p.orientation,
                _label("orientation", p.orientation),
                str(p.referent_id) if p.referent_id else "",
                names.get(p.referent_id, "") if p.referent_id else "",
                iso(p.created_at),
                iso(p.rights_opening_date),
                iso(summary.last_contact_at) if summary else "",
                iso(summary.next_appointment_at) if summary else "",
                ",".join(codes),
                ", ".join(_label("theme", code) for code in codes),
                summary.open_action_count if summary else 0,
                iso(summary.next_action_due) if summary else "",
                contract.contract_type if contract else p.contract_type,
                contract.state if contract else "",
                iso(contract.signed_on) if contract else "",
                iso(contract.starts_on if contract else p.contract_start),
                iso(contract.ends_on if contract else p.contract_end),
                iso(p.closed_on),
                p.closure_reason,
            )
        )
    _audit_persons(session, actor, (p.id for p in persons), "export CSV des personnes")
    return RenderedDocument(
        _render(PERSON_COLUMNS, rows),
        f"personnes-{now.astimezone(PARIS):%Y-%m-%d}.csv",
        CSV,
        "persons_csv",
        tuple(p.id for p in persons),
    )


def appointments_csv(session: Session, actor: Actor, now: datetime) -> RenderedDocument:
    """One row per appointment (every status, the whole history held)."""
    names = _referent_names(session)
    result = session.execute(
        select(
            Appointment.id,
            Appointment.person_id,
            Person.last_name,
            Person.first_name,
            Appointment.referent_id,
            Appointment.starts_at,
            Appointment.duration_minutes,
            Appointment.mode,
            Appointment.purpose,
            Appointment.status,
            Appointment.outcome_recorded_at,
            Appointment.created_at,
        )
        .join(Person, Person.id == Appointment.person_id)
        .where(Appointment.deleted_at.is_(None), Person.deleted_at.is_(None))
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    rows = [
        (
            str(r[0]),
            str(r[1]),
            r[2],
            r[3],
            str(r[4]) if r[4] else "",
            names.get(r[4], "") if r[4] else "",
            iso(r[5]),
            r[6],
            r[7],
            _label("appointment_mode", r[7]),
            r[8],
            _label("appointment_purpose", r[8]),
            r[9],
            _label("appointment_status", r[9]),
            iso(r[10]),
            iso(r[11]),
        )
        for r in result
    ]
    _audit_persons(session, actor, (r[1] for r in result), "export CSV des rendez-vous")
    return RenderedDocument(
        _render(APPOINTMENT_COLUMNS, rows),
        f"rendez-vous-{now.astimezone(PARIS):%Y-%m-%d}.csv",
        CSV,
        "appointments_csv",
        tuple(dict.fromkeys(r[1] for r in result)),
    )


def actions_csv(session: Session, actor: Actor, now: datetime) -> RenderedDocument:
    """One row per action of the persons' plans."""
    names = _referent_names(session)
    result = session.execute(
        select(Action, Person.last_name, Person.first_name, Person.referent_id)
        .join(Person, Person.id == Action.person_id)
        .where(Action.deleted_at.is_(None), Person.deleted_at.is_(None))
        .order_by(Person.last_name, Person.first_name, Action.person_id, Action.id)
    ).all()
    rows = []
    for action, last_name, first_name, referent_id in result:
        label = _label("action", action.action_code) if action.action_code else action.custom_label
        rows.append(
            (
                str(action.id),
                str(action.person_id),
                last_name,
                first_name,
                str(referent_id) if referent_id else "",
                names.get(referent_id, "") if referent_id else "",
                action.theme,
                _label("theme", action.theme),
                action.action_code,
                label,
                action.partner,
                action.status,
                _label("action_status", action.status),
                iso(action.start_date),
                iso(action.due_date),
                iso(action.end_date),
                str(action.contract_id) if action.contract_id else "",
                f"{action.planned_minutes_week / 60:g}" if action.planned_minutes_week else "",
            )
        )
    person_ids = [row[0].person_id for row in result]
    _audit_persons(session, actor, person_ids, "export CSV des actions")
    return RenderedDocument(
        _render(ACTION_COLUMNS, rows),
        f"actions-{now.astimezone(PARIS):%Y-%m-%d}.csv",
        CSV,
        "actions_csv",
        tuple(dict.fromkeys(person_ids)),
    )


def dashboard_rows(dashboard: team.TeamDashboard) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for row in dashboard.rows():
        scope = (
            "equipe"
            if row.scope.is_team
            else ("sans_referent" if row.scope.unassigned else "referent")
        )
        referent_id = str(row.scope.referent_id) if row.scope.referent_id else ""
        name = "" if row.scope.is_team or row.scope.unassigned else row.name
        for figure in team.FIGURES:
            rate = row.rates.get(figure)
            percent = rate.percent if rate else None
            rows.append(
                (
                    scope,
                    referent_id,
                    name,
                    figure,
                    FIGURE_LABELS[figure],
                    row.value(figure),
                    rate.held if rate else "",
                    f"{percent:.1f}" if percent is not None else "",
                    iso(dashboard.now),
                    dashboard.no_contact_days,
                )
            )
    return rows


def dashboard_csv(
    session: Session, actor: Actor, now: datetime, days: int = ALERT_NO_CONTACT_DAYS
) -> RenderedDocument:
    """The dashboard's figures: one row per (referent or team, figure)."""
    dashboard = team.team_dashboard(session, now, days=days)
    audit(session, actor, AuditAction.EXPORT, None, "export CSV des chiffres du tableau de bord")
    return RenderedDocument(
        _render(DASHBOARD_COLUMNS, dashboard_rows(dashboard)),
        f"tableau-de-bord-{now.astimezone(PARIS):%Y-%m-%d}.csv",
        CSV,
        "dashboard_csv",
        (),
    )


def export_csv(
    session: Session, actor: Actor, kind: str, now: datetime, *, days: int | None = None
) -> RenderedDocument:
    if kind == "dashboard":
        return dashboard_csv(session, actor, now, days or ALERT_NO_CONTACT_DAYS)
    producers = {"persons": persons_csv, "appointments": appointments_csv, "actions": actions_csv}
    if kind not in producers:
        raise ValidationError(
            f"Export inconnu : « {kind} » (attendu : {', '.join(KINDS)}).",
            code="unknown_export",
            field="kind",
        )
    return producers[kind](session, actor, now)


@dataclass(frozen=True)
class AuditLine:
    """One line of the team's audit log as the server sent it (plain values: the services
    know nothing of the wire)."""

    occurred_at: datetime
    action: str
    person_id: uuid.UUID | None
    person_name: str | None
    username: str | None
    author: str | None
    device_id: str | None
    detail: str | None


def audit_log_csv(
    session: Session, actor: Actor, lines: Sequence[AuditLine], now: datetime, filters: str
) -> RenderedDocument:
    """The audit log lines a supervisor looked at, as CSV (one row per line); the export
    itself is audited (one line naming the filters, no one's file in particular)."""
    rows = [
        (
            iso(line.occurred_at),
            line.action,
            AUDIT_ACTION_LABELS.get(line.action, line.action),
            str(line.person_id) if line.person_id else "",
            line.person_name or "",
            line.username or "",
            line.author or "",
            line.device_id or "",
            line.detail or "",
        )
        for line in lines
    ]
    what = f"export CSV du journal d'audit ({len(rows)} lignes ; {filters})"
    audit(session, actor, AuditAction.EXPORT, None, what)
    return RenderedDocument(
        _render(AUDIT_COLUMNS, rows),
        f"journal-audit-{now.astimezone(PARIS):%Y-%m-%d}.csv",
        CSV,
        "audit_log_csv",
        (),
    )
