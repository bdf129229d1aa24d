"""Helpers shared by the services: lookups, validation, audit."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from spie_desktop.domain import validators
from spie_desktop.domain.enums import AuditAction
from spie_desktop.domain.models import SHORT_TEXT_MAX, AuditEvent, Person, SyncedMixin
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.errors import NotFoundError, ReadOnlyError, ValidationError
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Actor

Model = TypeVar("Model", bound=SyncedMixin)


NOT_FOUND_LABELS = {
    "person": "Personne introuvable.",
    "appointment": "Rendez-vous introuvable.",
    "barrier": "Frein introuvable.",
    "action": "Action introuvable.",
    "note": "Note introuvable.",
    "referent": "Référent introuvable.",
}


def now_utc() -> datetime:
    return utcnow()


def get_live(session: Session, model: type[Model], row_id: uuid.UUID) -> Model:
    """The row, or a French NotFoundError if it does not exist or was deleted."""
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None:
        table = model.__tablename__  # type: ignore[attr-defined]
        raise NotFoundError(NOT_FOUND_LABELS.get(table, "Élément introuvable."))
    return row


def live_rows_of(
    session: Session, model: type[Model], person_id: uuid.UUID, *order_by: Any
) -> list[Model]:
    """A person's rows of ``model`` that are not deleted, in ``order_by`` order."""
    column: Any = model.person_id  # type: ignore[attr-defined]
    statement = select(model).where(column == person_id, model.deleted_at.is_(None))
    return list(session.execute(statement.order_by(*order_by)).scalars())


def require_writer(actor: Actor) -> None:
    if actor.read_only:
        raise ReadOnlyError(
            "Vous consultez ce portefeuille en lecture seule (responsable d'équipe)."
        )


def require_code(kind: str, code: str | None, *, field: str, optional: bool = False) -> None:
    if code is None or code == "":
        if optional:
            return
        raise ValidationError("Ce champ est obligatoire.", field=field, code="required")
    referentials = get_referentials()
    if not referentials.is_valid(kind, code):
        raise ValidationError(f"Valeur inconnue : « {code} ».", field=field, code="unknown_code")


def clean_text(
    value: str | None, *, field: str, max_length: int, required: bool = False
) -> str | None:
    if value is None:
        if required:
            raise ValidationError("Ce champ est obligatoire.", field=field, code="required")
        return None
    value = value.strip()
    if not value:
        if required:
            raise ValidationError("Ce champ est obligatoire.", field=field, code="required")
        return None
    if len(value) > max_length:
        raise ValidationError(
            f"Texte trop long ({len(value)} caractères, {max_length} au plus).",
            field=field,
            code="too_long",
        )
    if max_length > SHORT_TEXT_MAX:
        validators.check_text(value, field=field)
    else:
        validators.check_line(value, field=field)
    return value


def clean_phone(value: str | None) -> str | None:
    value = clean_text(value, field="phone", max_length=20)
    if value is not None:
        validators.check_phone(value)
    return value


def clean_email(value: str | None) -> str | None:
    value = clean_text(value, field="email", max_length=255)
    if value is not None:
        validators.check_email(value)
    return value


def clean_postal_code(value: str | None) -> str | None:
    value = clean_text(value, field="postal_code", max_length=5)
    if value is not None:
        validators.check_postal_code(value)
    return value


def require_aware(value: datetime, *, field: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationError(
            "Date et heure sans fuseau horaire.", field=field, code="naive_datetime"
        )
    return value.astimezone(UTC)


def check_date_range(value: date | None, *, field: str) -> None:
    if value is not None and not (date(1900, 1, 1) <= value <= date(2100, 12, 31)):
        raise ValidationError("Date hors limites.", field=field, code="date_out_of_range")


def audit(
    session: Session,
    actor: Actor,
    action: AuditAction,
    person_id: uuid.UUID | None,
    detail: str | None = None,
) -> AuditEvent:
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.referent_id,
        device_id=actor.device_id,
        person_id=person_id,
        action=action.value,
        detail=detail[:255] if detail else None,
    )
    session.add(event)
    return event


def live_person(session: Session, person_id: uuid.UUID) -> Person:
    return get_live(session, Person, person_id)
