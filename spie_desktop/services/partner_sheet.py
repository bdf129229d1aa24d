"""The printable sheet of a directory service (issue 16), for a person without digital
access: where to go, when, whom to call and how to get in, with her referent's contact.

Rendered by the documents' Typst renderer (``resources/documents/partner-sheet.typ``) in the
caller's write transaction and audited as a print (on the person's file when it is printed
for her), like the other documents: audited iff produced.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import date

from sqlalchemy.orm import Session

from spie_desktop.documents import typography as ty
from spie_desktop.documents.department import DepartmentSettings
from spie_desktop.documents.pdf import render_pdf
from spie_desktop.domain.enums import AuditAction
from spie_desktop.domain.models import Person
from spie_desktop.errors import ValidationError
from spie_desktop.services import directory
from spie_desktop.services.common import audit, live_person
from spie_desktop.services.documents import (
    PDF,
    RenderedDocument,
    _department_block,
    _meta,
    _paragraphs,
    _referent_contact,
    _referents,
    _slug,
    _structure_of,
    _typeset,
)
from spie_desktop.services.partners import address_line
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor


def partner_sheet(
    session: Session,
    actor: Actor,
    service_id: str,
    department: DepartmentSettings,
    *,
    person_id: uuid.UUID | None = None,
    today: date | None = None,
) -> RenderedDocument:
    hit = directory.service(session, service_id)
    if hit is None:
        raise ValidationError(
            "Ce service n'est pas (ou plus) dans l'annuaire de cet ordinateur.",
            code="unknown_service",
            field="service_id",
        )
    person: Person | None = live_person(session, person_id) if person_id else None
    structure = directory.structure_data(session, hit.structure_id)
    data = hit.data
    raw_hours = data.get("horaires_accueil") or structure.get("horaires_accueil")
    hours = directory.opening_hours(str(raw_hours) if raw_hours else None)
    fees = directory.labels("frais").get(str(data.get("frais")), "")
    fees = " — ".join(p for p in (fees, str(data.get("frais_precisions") or "")) if p)
    referent = (
        _referents(session, [actor.referent_id]).get(actor.referent_id)
        if actor.referent_id is not None
        else None
    )
    today = today or ty.local(utcnow()).date()
    facts = [
        ["Adresse", address_line(data) or address_line(structure) or "—"],
        ["Téléphone", str(data.get("telephone") or structure.get("telephone") or "—")],
        ["Courriel", str(data.get("courriel") or structure.get("courriel") or "—")],
        ["Horaires", hours.text if hours is not None else "non renseignés"],
        ["Frais", fees or "non renseignés"],
    ]
    if hit.weekly_hours:
        facts.append(["Durée", f"{hit.weekly_hours:g} h par semaine".replace(".", ",")])
    if data.get("contact_nom_prenom"):
        facts.append(["Contact", str(data["contact_nom_prenom"])])
    how = []
    if hit.mobilisation:
        sentence = hit.mobilisation[0].upper() + hit.mobilisation[1:]
        how.append(sentence if sentence.endswith((".", "!", "?", ")")) else sentence + ".")
    updated = str(data.get("date_maj") or "")
    with contextlib.suppress(ValueError):
        updated = ty.long_date(date.fromisoformat(updated)) if updated else ""
    name = ""
    if person is not None:
        name = f"{person.first_name} {person.last_name.upper()}".strip()
    sheet = {
        "meta": _meta("Fiche partenaire", hit.name, department),
        "department": _department_block(department, _structure_of(session, referent)),
        "title": "Fiche partenaire",
        "for": f"Pour {name}, le {ty.long_date(today)}" if name else f"Le {ty.long_date(today)}",
        "service": hit.name,
        "structure": hit.structure_name,
        "facts": facts,
        "how": how,
        "description": _paragraphs(str(data.get("description") or "")),
        "referent": _referent_contact(referent),
        "source": "Source : annuaire des services d'insertion (data·inclusion, Licence "
        f"Ouverte 2.0){', ' + str(data['source']) if data.get('source') else ''}"
        f"{', mis à jour le ' + updated if updated else ''}.",
    }
    content = render_pdf("partner-sheet", _typeset(sheet))
    audit(
        session,
        actor,
        AuditAction.PRINT,
        person.id if person is not None else None,
        f"fiche partenaire : {hit.name}",
    )
    stem = f"fiche-partenaire-{_slug(hit.name)}"
    if person is not None:
        stem += f"-{_slug(person.last_name)}"
    return RenderedDocument(
        content,
        f"{stem}-{today:%Y-%m-%d}.pdf",
        PDF,
        "partner_sheet",
        (person.id,) if person is not None else (),
    )
