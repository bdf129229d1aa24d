"""Persons followed: creation, validated edits, opening a file (audited), closing follow-up."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from spie_desktop.domain import validators
from spie_desktop.domain.enums import AuditAction, FollowUpStatus
from spie_desktop.domain.models import NAME_MAX, Person, Referent, ReferentAssignment
from spie_desktop.errors import ValidationError
from spie_desktop.services.common import (
    audit,
    check_date_range,
    clean_email,
    clean_phone,
    clean_postal_code,
    clean_text,
    get_live,
    live_person,
    require_code,
    require_writer,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor


def _text(field: str, max_length: int, required: bool = False) -> Callable[[Any], Any]:
    return lambda value: clean_text(value, field=field, max_length=max_length, required=required)


def _code(kind: str, field: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        value = value or None
        require_code(kind, value, field=field, optional=True)
        return value

    return check


def _date(field: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None or value == "":
            return None
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError as exc:
                raise ValidationError("Date invalide (AAAA-MM-JJ).", field=field) from exc
        check_date_range(value, field=field)
        return value

    return check


def _digits(field: str, length: int | None, label: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        value = clean_text(value, field=field, max_length=16)
        if value is None:
            return None
        validators.check_digits(value, field=field, length=length, label=label)
        return value

    return check


def _children(value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        count = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError("Nombre d'enfants invalide.", field="children_count") from exc
    if not 0 <= count <= 20:
        raise ValidationError("Nombre d'enfants invalide (0 à 20).", field="children_count")
    return count


# Every editable field of a person and how it is validated. Anything else is refused.
PERSON_FIELDS: dict[str, Callable[[Any], Any]] = {
    "external_id": _text("external_id", 64),
    "caf_number": _digits("caf_number", None, "Numéro CAF"),
    "france_travail_id": _text("france_travail_id", 16),
    "title": _code("title", "title"),
    "last_name": _text("last_name", NAME_MAX, required=True),
    "birth_name": _text("birth_name", NAME_MAX),
    "first_name": _text("first_name", NAME_MAX, required=True),
    "birth_date": _date("birth_date"),
    "phone": clean_phone,
    "email": clean_email,
    "address": _text("address", 255),
    "postal_code": clean_postal_code,
    "city": _text("city", NAME_MAX),
    "household": _code("household", "household"),
    "children_count": _children,
    "rsa_status": _code("rsa_status", "rsa_status"),
    "rights_opening_date": _date("rights_opening_date"),
    "orientation": _code("orientation", "orientation"),
    "contract_type": _code("contract_type", "contract_type"),
    "contract_start": _date("contract_start"),
    "contract_end": _date("contract_end"),
    "follow_up_status": _code("follow_up_status", "follow_up_status"),
    "closed_on": _date("closed_on"),
    "closure_reason": _code("closure_reason", "closure_reason"),
    "consent_given_on": _date("consent_given_on"),
    "information_given_on": _date("information_given_on"),
}


def validate_person_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise; raise the first problem with its field name."""
    unknown = set(values) - PERSON_FIELDS.keys()
    if unknown:
        raise ValidationError(
            f"Champ inconnu : {', '.join(sorted(unknown))}.", code="unknown_field"
        )
    return {name: PERSON_FIELDS[name](value) for name, value in values.items()}


def _check_consistency(person: Person) -> None:
    start, end = person.contract_start, person.contract_end
    if start and end and end < start:
        raise ValidationError(
            "La fin du contrat précède son début.", field="contract_end", code="dates_ordered"
        )
    if person.follow_up_status == FollowUpStatus.EXITED.value and person.closed_on is None:
        raise ValidationError(
            "Indiquez la date de sortie de l'accompagnement.", field="closed_on", code="required"
        )
    if person.birth_date and person.birth_date > date.today():
        raise ValidationError(
            "La date de naissance est dans le futur.", field="birth_date", code="future_date"
        )


def create_person(
    session: Session,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    referent_id: uuid.UUID | None = None,
) -> Person:
    """A new person in the caseload, assigned to ``referent_id`` (default: the actor)."""
    require_writer(actor)
    clean = validate_person_fields(values)
    for required in ("last_name", "first_name"):
        if not clean.get(required):
            raise ValidationError("Ce champ est obligatoire.", field=required, code="required")
    referent = referent_id or actor.referent_id
    team_id: uuid.UUID | None = None
    if referent is not None:
        # The referent's team, as the server states it at the push (it refuses another one).
        team_id = get_live(session, Referent, referent).team_id
    clean.setdefault("follow_up_status", FollowUpStatus.TO_CONTACT.value)
    if clean["follow_up_status"] is None:
        clean["follow_up_status"] = FollowUpStatus.TO_CONTACT.value
    person = Person(**clean, referent_id=referent, team_id=team_id)
    _check_consistency(person)
    session.add(person)
    session.flush()
    if referent is not None:
        session.add(
            ReferentAssignment(
                person_id=person.id,
                referent_id=referent,
                started_at=utcnow(),
                assigned_by_id=actor.referent_id,
            )
        )
    audit(session, actor, AuditAction.CHANGE, person.id, "création du dossier")
    return person


def update_person(
    session: Session, actor: Actor, person_id: uuid.UUID, values: Mapping[str, Any]
) -> Person:
    """Apply validated edits; only the fields that really change are recorded."""
    require_writer(actor)
    person = live_person(session, person_id)
    clean = validate_person_fields(values)
    if clean.get("follow_up_status", person.follow_up_status) is None:
        raise ValidationError("Ce champ est obligatoire.", field="follow_up_status")
    changed = [name for name, value in clean.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, clean[name])
    _check_consistency(person)
    if changed:
        audit(session, actor, AuditAction.CHANGE, person.id, "identité : " + ", ".join(changed))
    return person


def open_person(session: Session, actor: Actor, person_id: uuid.UUID) -> Person:
    """Open a file: returns the person and records the consultation in the audit log."""
    person = live_person(session, person_id)
    audit(session, actor, AuditAction.OPEN, person.id)
    return person
