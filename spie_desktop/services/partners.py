"""What the directory screens read (issue 16): built on the public functions of
:mod:`spie_desktop.services.directory` (search, service, communes, commune_position,
opening_hours), never on its tables, so that its search can change underneath.

- :func:`directory_overview`: has the directory been received, how many services, which
  communes (the screen's drop-down and its « not yet synced » message);
- :func:`find_partners`: a search as the screen shows it — every line with its structure,
  address, phone, opening hours in French and distance — optionally only the services open
  at a given (local) moment;
- :func:`partner_detail`: one service, whole, for the detail panel and the action dialog;
- :func:`resolve_commune` and :func:`person_place`: the commune typed, or the person's
  own, as an INSEE code and a position (from the directory's records: no geocoding).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from spie_desktop.errors import ValidationError
from spie_desktop.services import directory
from spie_desktop.services.common import live_person
from spie_desktop.services.directory import Criteria, ServiceHit
from spie_desktop.services.operation import query

#: the device state key the sync client moves when the directory arrives (sync/client.py's
#: ``STATE_DIRECTORY_CURSOR``; the core cannot import the sync layer).
DIRECTORY_CURSOR_KEY = "directory_cursor"
#: the longest text a search takes; longer is refused with a French message.
MAX_QUERY_LENGTH = 200
#: how many services an « open now » search looks at (each one's hours are evaluated).
OPEN_NOW_SCAN = 3000


@dataclass(frozen=True)
class DirectoryOverview:
    received: bool  # the directory cursor moved at least once
    services: int  # open services held
    communes: list[tuple[str, str]]  # (INSEE code, name), by name


@dataclass(frozen=True)
class Place:
    """A commune of the directory: its INSEE code, name and mean position (if known)."""

    code_insee: str
    name: str
    position: tuple[float, float] | None


@dataclass(frozen=True)
class PartnerRow:
    id: str
    name: str
    structure_name: str
    address: str
    phone: str
    hours: directory.Hours | None  # the facts (worded by ui.texts.directory); None: none given
    open_now: bool | None  # None: unknown (no hours, or unparsable)
    distance_km: float | None
    commune: str | None
    thematiques: tuple[str, ...]
    weekly_hours: float | None


@dataclass(frozen=True)
class PartnerPage:
    rows: list[PartnerRow]
    total: int  # matches (before the limit)
    scanned_all: bool  # False: « open now » looked at the first OPEN_NOW_SCAN only


@dataclass(frozen=True)
class PartnerDetail:
    row: PartnerRow
    status: str
    description: str
    contact: str
    mobilisation: str
    email: str
    website: str
    thematiques: list[str]  # French labels (the screens word data's codes: ui.texts.directory)
    publics: list[str]
    modes_accueil: list[str]
    frais: str
    frais_precisions: str
    structure_address: str
    source: str
    updated_on: str
    data: dict[str, Any]


@query
def directory_overview(session: Session) -> DirectoryOverview:
    from spie_desktop.store.local_models import DeviceState

    state = session.get(DeviceState, DIRECTORY_CURSOR_KEY)
    received = state is not None and state.value not in ("", "0")
    total = directory.search(session, Criteria(limit=0)).total
    return DirectoryOverview(received, total, directory.communes(session))


def address_line(data: Mapping[str, Any]) -> str:
    street = str(data.get("adresse") or "").strip()
    complement = str(data.get("complement_adresse") or "").strip()
    town = " ".join(str(p) for p in (data.get("code_postal"), data.get("commune")) if p)
    return ", ".join(p for p in (street, complement, town) if p)


def _row(
    hit: ServiceHit,
    structure: Mapping[str, Any],
    at: datetime,
    hours_cache: dict[str | None, directory.Hours | None] | None = None,
) -> PartnerRow:
    data = hit.data
    raw = data.get("horaires_accueil") or structure.get("horaires_accueil")
    raw_hours = str(raw) if raw else None
    if hours_cache is None:
        hours = directory.opening_hours(raw_hours, at)
    elif raw_hours in hours_cache:
        hours = hours_cache[raw_hours]
    else:
        hours = hours_cache[raw_hours] = directory.opening_hours(raw_hours, at)
    open_now = None if hours is None else hours.is_open
    return PartnerRow(
        id=hit.id,
        name=hit.name,
        structure_name=hit.structure_name,
        address=address_line(data) or address_line(structure),
        phone=str(data.get("telephone") or structure.get("telephone") or ""),
        hours=hours,
        open_now=open_now,
        distance_km=hit.distance_km,
        commune=hit.commune,
        thematiques=tuple(data.get("thematiques") or ()),
        weekly_hours=hit.weekly_hours,
    )


def _rows(session: Session, hits: list[ServiceHit], at: datetime) -> list[PartnerRow]:
    """The lines of a page: whole records read in one go (``directory.records_of``), each
    distinct opening-hours text evaluated once."""
    records, structures = directory.records_of(session, hits)
    hours_cache: dict[str | None, directory.Hours | None] = {}
    rows = []
    for hit in hits:
        whole = replace(hit, data=records.get(hit.id, {}))
        rows.append(_row(whole, structures.get(hit.structure_id, {}), at, hours_cache))
    return rows


def check_query(text: str) -> str:
    """The search text, or a French refusal when it is too long to be a search."""
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(
            f"La recherche est trop longue ({len(text)} caractères ; "
            f"{MAX_QUERY_LENGTH} au plus) : saisissez quelques mots.",
            field="text",
            code="too_long",
        )
    return text


@query
def find_partners(
    session: Session, criteria: Criteria, at: datetime, *, open_now: bool = False
) -> PartnerPage:
    """The screen's search. ``at``: the local moment the hours are evaluated at."""
    check_query(criteria.text)
    if not open_now:
        result = directory.search(session, criteria)
        return PartnerPage(_rows(session, result.hits, at), result.total, True)
    result = directory.search(session, replace(criteria, limit=OPEN_NOW_SCAN))
    open_rows = [row for row in _rows(session, result.hits, at) if row.open_now]
    return PartnerPage(open_rows[: criteria.limit], len(open_rows), result.total <= OPEN_NOW_SCAN)


@query
def partner_detail(session: Session, service_id: str, at: datetime) -> PartnerDetail | None:
    hit = directory.service(session, service_id)
    if hit is None:
        return None
    structure = directory.structure_data(session, hit.structure_id)
    data = hit.data
    themes = directory.labels("thematiques")
    publics = directory.labels("publics")
    modes = directory.labels("modes-accueil")
    fees = directory.labels("frais")
    return PartnerDetail(
        row=_row(hit, structure, at),
        status=hit.status,
        description=str(data.get("description") or ""),
        contact=hit.contact,
        mobilisation=hit.mobilisation,
        email=str(data.get("courriel") or structure.get("courriel") or ""),
        website=str(data.get("lien_source") or structure.get("site_web") or ""),
        thematiques=[themes.get(t, t) for t in data.get("thematiques") or []],
        publics=[publics.get(p, p) for p in data.get("publics") or []],
        modes_accueil=[modes.get(m, m) for m in data.get("modes_accueil") or []],
        frais=fees.get(str(data.get("frais")), str(data.get("frais") or "")),
        frais_precisions=str(data.get("frais_precisions") or ""),
        structure_address=address_line(structure),
        source=str(data.get("source") or ""),
        updated_on=str(data.get("date_maj") or ""),
        data=dict(data),
    )


def _place(session: Session, code: str, name: str) -> Place:
    found = directory.commune_position(session, name)
    position = found[1] if found is not None and found[0] == code else None
    return Place(code, name, position)


@query
def resolve_commune(session: Session, text: str) -> Place:
    """The commune typed (its name, accents and case ignored, or its INSEE code) among the
    directory's; a French refusal when the directory has no service there."""
    wanted = directory.normalise(text)
    if not wanted:
        raise ValidationError("Saisissez une commune.", field="commune", code="required")
    if len(text) > MAX_QUERY_LENGTH:
        check_query(text)
    for code, name in directory.communes(session):
        if wanted in (code, directory.normalise(name)):
            return _place(session, code, name)
    raise ValidationError(
        f"Aucun service de l'annuaire à « {text.strip()[:60]} » : vérifiez l'orthographe "
        "ou choisissez une commune de la liste.",
        field="commune",
        code="unknown_commune",
    )


@query
def person_place(session: Session, person_id: uuid.UUID) -> Place | None:
    """The person's commune (her city and postal code) as the directory knows it."""
    person = live_person(session, person_id)
    found = directory.commune_position(session, person.city, person.postal_code)
    if found is None:
        return None
    code, position = found
    names = dict(directory.communes(session))
    return Place(code, names.get(code, person.city or code), position)
