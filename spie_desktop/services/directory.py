"""The directory of partner services on the device, offline (issue 16).

- :func:`apply_records` writes the records the sync client receives (``GET
  /sync/directory``) and derives the search columns.
- :func:`search` answers the referent's questions: a barrier theme (Carnet de bord code,
  through ``resources/referentials/directory-themes.json``), a data·inclusion
  ``thematique``, a commune (INSEE code), a distance from a point, a public, fees, a
  reception mode, and words (accent- and case-insensitive, on a pre-normalised column).
- :func:`commune_position`: where a person lives, from her city and postal code, as the
  mean position of the directory's own records for that commune (no online geocoding).
- :func:`opening_hours`: the OSM ``opening_hours`` text parsed (opening-hours-py), said in
  French, or the raw text when it cannot be parsed.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any, cast

from sqlalchemy import Table, delete, false, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from spie_desktop.resources import resource_path
from spie_desktop.store.local_models import (
    DIRECTORY_FTS,
    DirectoryService,
    DirectoryServiceData,
    DirectoryStructure,
    fts_rowid,
)

EARTH_RADIUS_KM = 6371.0


# -- referentials ----------------------------------------------------------------------------


@cache
def _referential(name: str) -> list[dict[str, Any]]:
    path = resource_path("referentials", "data-inclusion-v1", f"{name}.json")
    items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return items


def labels(name: str) -> dict[str, str]:
    """value → French label of a data·inclusion enumeration (thematiques, publics…)."""
    return {item["value"]: item["label"] for item in _referential(name)}


@cache
def _english() -> dict[str, dict[str, str]]:
    path = resource_path("referentials", "data-inclusion.en.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {kind: dict(values) for kind, values in data.items() if not kind.startswith("_")}


def english_labels(name: str) -> dict[str, str]:
    """value → English label of a data·inclusion enumeration (``data-inclusion.en.json``,
    written for the English interface; the core and exports keep the French ones), or of the
    mobilisation values (``modes-mobilisation``, ``mobilisable-par``)."""
    return dict(_english().get(name, {}))


def french_mobilisation_labels(name: str) -> dict[str, str]:
    """The French words of the mobilisation values (``modes-mobilisation``,
    ``mobilisable-par``), as :func:`mobilisation_line` says them."""
    return dict(_MOBILISATION if name == "modes-mobilisation" else _MOBILISERS)


@cache
def theme_mapping() -> dict[str, tuple[str, ...]]:
    """Carnet de bord theme code → the data·inclusion thematiques it covers."""
    path = resource_path("referentials", "directory-themes.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    return {code: tuple(values) for code, values in document["themes"].items()}


# -- normalising -----------------------------------------------------------------------------


class _Folding(dict[int, str | None]):
    """Code point → what :func:`normalise` keeps of it (a ``str.translate`` table filled
    as characters are met): a combining mark is dropped, any other non-alphanumeric
    character becomes a space."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value = None if unicodedata.combining(char) else (char if char.isalnum() else " ")
        if len(self) < 65_536:  # hostile text cannot grow the table without bound
            self[code] = value
        return value


_FOLDING = _Folding()


@lru_cache(maxsize=65_536)
def _normalised_word(word: str) -> str:
    return " ".join(unicodedata.normalize("NFKD", word.casefold()).translate(_FOLDING).split())


def normalise(text: str | None) -> str:
    """Lower case, no accents, single spaces: what the search compares.

    Word by word (case folding and decomposition never cross a space), each word's result
    cached: the first directory sync normalises 20,000 descriptions of a small vocabulary.
    """
    if not text:
        return ""
    return " ".join(filter(None, map(_normalised_word, text.split())))


def _bars(values: Iterable[str] | None) -> str:
    values = list(values or [])
    return "|" + "|".join(values) + "|" if values else ""


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


# -- receiving -------------------------------------------------------------------------------


def apply_records(session: Session, records: Sequence[Mapping[str, Any]]) -> int:
    """Upsert directory records received from the server (structures first).

    Core statements, each an ``executemany`` in the caller's transaction (one page of the
    sync): the records are replaced whole, so the rows held for their ids are deleted and
    inserted again. A record listed twice counts once, its last version."""
    structures = list({r["id"]: r for r in records if r["kind"] == "structure"}.values())
    services = list({r["id"]: r for r in records if r["kind"] == "service"}.values())
    if structures:
        _delete_ids(session, _table(DirectoryStructure), [r["id"] for r in structures])
        session.execute(
            insert(_table(DirectoryStructure)),
            [
                {"id": r["id"], "name": str(r["data"].get("nom", ""))[:200],
                 "status": r["status"], "data": r["data"]}
                for r in structures
            ],
        )  # fmt: skip
    if services:
        names = _structure_names(session, {r["data"].get("structure_id", "") for r in services})
        ids = [r["id"] for r in services]
        _delete_ids(session, _table(DirectoryService), ids)
        _delete_ids(session, _table(DirectoryServiceData), ids)
        rowids = [fts_rowid(i) for i in ids]
        for start in range(0, len(rowids), 500):
            session.execute(
                delete(DIRECTORY_FTS).where(DIRECTORY_FTS.c.rowid.in_(rowids[start : start + 500]))
            )
        session.execute(
            insert(_table(DirectoryService)), [_service_row(r, names) for r in services]
        )
        session.execute(
            insert(DIRECTORY_FTS),
            [
                {"rowid": rowid, "id": r["id"], "search_text": _search_text(r, names)}
                for rowid, r in zip(rowids, services, strict=True)
            ],
        )
        session.execute(
            insert(_table(DirectoryServiceData)),
            [{"id": r["id"], "data": r["data"]} for r in services],
        )
    return len(records)


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _delete_ids(session: Session, table: Table, ids: Sequence[str]) -> None:
    for start in range(0, len(ids), 500):
        session.execute(delete(table).where(table.c.id.in_(ids[start : start + 500])))


def _structure_names(session: Session, ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    wanted = list(ids)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(DirectoryStructure.id, DirectoryStructure.name).where(
                DirectoryStructure.id.in_(wanted[start : start + 500])
            )
        )
        out.update((row[0], row[1]) for row in rows)
    return out


@cache
def _theme_labels() -> dict[str, str]:
    return labels("thematiques")


def _search_text(record: Mapping[str, Any], structure_names: Mapping[str, str]) -> str:
    """What a search by words compares: name, structure, commune, description, themes."""
    data = record["data"]
    theme_labels = _theme_labels()
    words = [
        data.get("nom"),
        structure_names.get(str(data.get("structure_id", ""))),
        data.get("commune"),
        data.get("description"),
        " ".join(theme_labels.get(t, "") for t in data.get("thematiques") or []),
    ]
    return normalise(" ".join(str(w) for w in words if w))


def _service_row(record: Mapping[str, Any], structure_names: Mapping[str, str]) -> dict[str, Any]:
    data = record["data"]
    structure_id = str(data.get("structure_id", ""))
    return {
        "id": record["id"],
        "structure_id": structure_id,
        "name": str(data.get("nom", ""))[:200],
        "status": record["status"],
        "origin": record.get("origin", "import"),
        "thematiques": _bars(data.get("thematiques")),
        "publics": _bars(data.get("publics")),
        "modes_accueil": _bars(data.get("modes_accueil")),
        "frais": data.get("frais"),
        "code_insee": data.get("code_insee"),
        "commune": (data.get("commune") or None) and str(data["commune"])[:100],
        "latitude": _float(data.get("latitude")),
        "longitude": _float(data.get("longitude")),
        "weekly_hours": _float(data.get("volume_horaire_hebdomadaire")),
    }


# -- searching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    text: str = ""
    theme: str | None = None  # Carnet de bord theme code
    thematique: str | None = None  # data·inclusion value (or family prefix)
    code_insee: str | None = None
    near: tuple[float, float] | None = None  # (latitude, longitude)
    radius_km: float | None = None
    public: str | None = None
    frais: str | None = None
    mode_accueil: str | None = None
    include_closed: bool = False
    limit: int = 100


@dataclass(frozen=True)
class ServiceHit:
    """A service found; ``data`` (the whole record) is filled by :func:`service` only."""

    id: str
    name: str
    structure_id: str
    structure_name: str
    commune: str | None
    code_insee: str | None
    distance_km: float | None
    status: str
    frais: str | None
    weekly_hours: float | None
    data: dict[str, Any] = field(repr=False)

    @property
    def thematiques(self) -> list[str]:
        return list(self.data.get("thematiques") or [])

    @property
    def contact(self) -> str:
        return contact_line(self.data)

    @property
    def mobilisation(self) -> str:
        return mobilisation_line(self.data)


@dataclass(frozen=True)
class SearchResult:
    hits: list[ServiceHit]
    total: int  # matches before the limit


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


_TRIGRAM = 3  # the shortest word the trigram index finds; shorter ones: LIKE on its text
_GLOB_SPECIAL = frozenset("*?[]")  # never in a normalised word (not alphanumeric)


def _conditions(criteria: Criteria, *, by_position: bool = False) -> tuple[list[Any], bool]:
    """Every criterion but the distance, as SQL on the search columns, and whether they
    read the words (then the query joins :data:`DIRECTORY_FTS`, see :func:`_source`).
    The status is compared as an expression (``status || ''``, which no index serves)
    unless a commune is asked (``ix_directory_service_status_insee``): otherwise the planner
    reads every open service through the status index, one table lookup each, which
    measured twice the time of a plain scan (theme « mobilite »: 23 → 11 ms); and
    ``by_position`` a distance search reads its latitude band from
    ``ix_directory_service_position`` instead (which the planner did not prefer)."""
    s = DirectoryService
    conditions: list[Any] = []
    if not criteria.include_closed:
        by_index = criteria.code_insee is not None and not by_position
        conditions.append((s.status if by_index else s.status + "") == "open")
    words = normalise(criteria.text).split()
    for word in words:
        if len(word) >= _TRIGRAM and not _GLOB_SPECIAL & set(word):  # the trigram index
            conditions.append(DIRECTORY_FTS.c.search_text.op("GLOB")(f"*{word}*"))
        else:
            conditions.append(DIRECTORY_FTS.c.search_text.contains(word, autoescape=True))
    themes: list[str] = []
    if criteria.theme:
        mapped = theme_mapping().get(criteria.theme)
        if mapped is None:  # an unknown barrier theme covers nothing
            conditions.append(false())
        themes += mapped or ()
    if criteria.thematique:
        themes.append(criteria.thematique)
    if themes:
        conditions.append(
            or_(
                *(
                    s.thematiques.contains(f"|{t}|" if "--" in t else f"|{t}--", autoescape=True)
                    for t in themes
                )
            )
        )
    if criteria.code_insee:
        conditions.append(s.code_insee == criteria.code_insee)
    if criteria.public:
        conditions.append(
            or_(
                s.publics.contains(f"|{criteria.public}|", autoescape=True),
                s.publics.contains("|tous-publics|"),
            )
        )
    if criteria.frais:
        conditions.append(s.frais == criteria.frais)
    if criteria.mode_accueil:
        conditions.append(s.modes_accueil.contains(f"|{criteria.mode_accueil}|", autoescape=True))
    return conditions, bool(words)


def _source(words: bool) -> Any:
    """``directory_service``, joined to its words when the search has some: the index
    finds the rows, each looked up by its id."""
    table = _table(DirectoryService)
    if not words:
        return table
    return DIRECTORY_FTS.join(table, table.c.id == DIRECTORY_FTS.c.id)


def _longitude_box(near: tuple[float, float], radius: float) -> tuple[float, float] | None:
    """The longitudes every point within ``radius`` km of ``near`` lies between (a hair
    wider), or None when the circle reaches a pole or crosses the antimeridian."""
    theta = radius / EARTH_RADIUS_KM
    latitude = math.radians(near[0])
    if not (math.isfinite(theta) and abs(latitude) + theta < math.pi / 2 - 1e-6):
        return None
    ratio = math.sin(theta) / math.cos(latitude)
    if not ratio < 1:
        return None
    half = math.degrees(math.asin(ratio)) * (1 + 1e-9) + 1e-9
    if not (near[1] - half >= -180 and near[1] + half <= 180):
        return None
    return near[1] - half, near[1] + half


def search(session: Session, criteria: Criteria) -> SearchResult:
    """The services matching every criterion given; ``total`` counts them all, ``hits`` holds
    the first ``limit``: by name (then id), or nearest first (then name, id) from ``near``,
    the services without a position last (none of them within a radius).

    Filtering, counting and paging run in SQL; words through the FTS5 index. A distance
    search reads the distinct positions in the radius's box (latitude band, longitude
    bounds from cos(latitude) computed here), counted in SQL; their exact great-circle
    distance is computed here (:func:`distance_km`), and only the services at the nearest
    positions that fill the page are read."""
    s = DirectoryService
    conditions, words = _conditions(criteria)
    source = _source(words)
    limit = max(0, criteria.limit)
    if criteria.near is None:
        if not limit:
            total = session.scalar(select(func.count()).select_from(source).where(*conditions))
            return SearchResult(hits=[], total=total or 0)
        # One pass: the page and, on each of its rows, the count of every match.
        page = session.execute(
            select(s.id, func.count().over().label("total"))
            .select_from(source)
            .where(*conditions)
            .order_by(s.name, s.id)
            .limit(limit)
        ).all()
        ids = [row.id for row in page]
        total = page[0].total if page else 0
        return SearchResult(hits=_summaries(session, ids, {}), total=total)
    near = criteria.near
    radius = criteria.radius_km
    box: list[Any] = []
    if radius is not None:
        if not radius >= 0:  # negative or NaN: nothing is that near
            return SearchResult(hits=[], total=0)
        # Great-circle distance ≥ R·|Δlatitude|: the band holds every answer (a hair wider).
        band = math.degrees(radius / EARTH_RADIUS_KM) * (1 + 1e-9) + 1e-9
        box.append(s.latitude.between(near[0] - band, near[0] + band))
        longitudes = _longitude_box(near, radius)
        if longitudes is not None:
            box.append(s.longitude.between(*longitudes))
    placed_at = [s.latitude.is_not(None), s.longitude.is_not(None)]
    unplaced: Any = or_(s.latitude.is_(None), s.longitude.is_(None))
    known: dict[tuple[float, float], float] = {}  # a structure's services share its position
    scored: list[tuple[bool, float, str, str]] = []
    if words:
        # The words leave few rows: each read once, with its position.
        rows = session.execute(
            select(s.id, s.name, s.latitude, s.longitude)
            .select_from(source)
            .where(*conditions, *placed_at, *box)
        ).all()
        for service_id, name, latitude, longitude in rows:
            position = (cast(float, latitude), cast(float, longitude))  # not NULL: placed_at
            distance = known.get(position)
            if distance is None:
                distance = known[position] = distance_km(near, position)
            if radius is None or distance <= radius:
                scored.append((False, distance, name, service_id))
        total = len(scored)
    else:
        by_position = _conditions(criteria, by_position=True)[0]
        total, scored = _nearest_by_position(
            session, source, by_position, placed_at + box, criteria
        )
    if radius is None:
        total += (
            session.scalar(select(func.count()).select_from(source).where(*conditions, unplaced))
            or 0
        )
    if not limit:
        return SearchResult(hits=[], total=total)
    nearest = heapq.nsmallest(limit, scored) if limit < len(scored) else sorted(scored)
    if len(nearest) < limit and radius is None:  # then the services without a position
        unplaced_rows = session.execute(
            select(s.id, s.name)
            .select_from(source)
            .where(*conditions, unplaced)
            .order_by(s.name, s.id)
            .limit(limit - len(nearest))
        ).all()
        nearest += [(True, 0.0, name, sid) for sid, name in unplaced_rows]
    distances = {item[3]: item[1] for item in nearest if not item[0]}
    return SearchResult(
        hits=_summaries(session, [item[3] for item in nearest], distances), total=total
    )


def _nearest_by_position(
    session: Session,
    source: Any,
    conditions: list[Any],
    placed: list[Any],
    criteria: Criteria,
) -> tuple[int, list[tuple[bool, float, str, str]]]:
    """(services with a position within the radius, the nearest of them that fill a page).

    The distinct positions are counted in SQL (the position index alone when the other
    criteria allow); the distance of each is computed here, and only the services at the
    nearest positions holding ``limit`` services (and those exactly as near as the last)
    are read."""
    s = DirectoryService
    near, radius, limit = criteria.near, criteria.radius_km, max(0, criteria.limit)
    assert near is not None
    groups = session.execute(
        select(s.latitude, s.longitude, func.count())
        .select_from(source)
        .where(*conditions, *placed)
        .group_by(s.latitude, s.longitude)
    ).all()
    positions: list[tuple[float, float, float, int]] = []  # distance, lat, lon, services
    for latitude, longitude, count in groups:
        lat, lon = cast(float, latitude), cast(float, longitude)  # not NULL: ``placed``
        distance = distance_km(near, (lat, lon))
        if radius is not None and not distance <= radius:
            continue
        positions.append((distance, lat, lon, int(count)))
    total = sum(item[3] for item in positions)
    if not limit:
        return total, []
    conditions = _conditions(criteria)[0]  # the services of a few positions: any index
    positions.sort(key=lambda item: item[0])
    chosen: dict[tuple[float, float], float] = {}
    held = 0
    last = math.nan
    for distance, latitude, longitude, count in positions:
        if held >= limit and distance != last:
            break
        chosen[latitude, longitude] = last = distance
        held += count
    scored: list[tuple[bool, float, str, str]] = []
    keys = list(chosen)
    for start in range(0, len(keys), 400):
        rows = session.execute(
            select(s.id, s.name, s.latitude, s.longitude)
            .select_from(source)
            .where(*conditions, tuple_(s.latitude, s.longitude).in_(keys[start : start + 400]))
        ).all()
        scored += [
            (False, chosen[cast(float, lat), cast(float, lon)], name, sid)
            for sid, name, lat, lon in rows
        ]
    return total, scored


def _summaries(
    session: Session, ids: Sequence[str], distances: Mapping[str, float]
) -> list[ServiceHit]:
    """The list's summaries of ``ids``, in that order; the whole record (contact, hours…)
    is read by :func:`service`."""
    if not ids:
        return []
    s = DirectoryService
    rows = session.execute(
        select(
            s.id,
            s.name,
            s.structure_id,
            s.commune,
            s.code_insee,
            s.status,
            s.frais,
            s.weekly_hours,
            DirectoryStructure.name.label("structure_name"),
        )
        .outerjoin(DirectoryStructure, DirectoryStructure.id == s.structure_id)
        .where(s.id.in_(ids))
    ).all()
    by_id = {row.id: row for row in rows}
    hits = []
    for service_id in ids:
        row = by_id[service_id]
        distance = distances.get(service_id)
        hits.append(
            ServiceHit(
                id=row.id,
                name=row.name,
                structure_id=row.structure_id,
                structure_name=row.structure_name or "",
                commune=row.commune,
                code_insee=row.code_insee,
                distance_km=None if distance is None else round(distance, 1),
                status=row.status,
                frais=row.frais,
                weekly_hours=row.weekly_hours,
                data={},
            )
        )
    return hits


def service(session: Session, service_id: str) -> ServiceHit | None:
    row = session.get(DirectoryService, service_id)
    if row is None:
        return None
    structure = session.get(DirectoryStructure, row.structure_id)
    record = session.get(DirectoryServiceData, service_id)
    return ServiceHit(
        id=row.id,
        name=row.name,
        structure_id=row.structure_id,
        structure_name=structure.name if structure else "",
        commune=row.commune,
        code_insee=row.code_insee,
        distance_km=None,
        status=row.status,
        frais=row.frais,
        weekly_hours=row.weekly_hours,
        data=dict(record.data) if record else {},
    )


def structure_data(session: Session, structure_id: str) -> dict[str, Any]:
    row = session.get(DirectoryStructure, structure_id)
    return dict(row.data) if row else {}


def communes(session: Session) -> list[tuple[str, str]]:
    """(INSEE code, commune name) of the directory, by name."""
    s = DirectoryService
    rows = session.execute(
        select(s.code_insee, func.min(s.commune))
        .where(s.code_insee.is_not(None), s.status == "open")
        .group_by(s.code_insee)
    ).all()
    pairs = [(str(code), str(name or code)) for code, name in rows]
    return sorted(pairs, key=lambda r: normalise(r[1]))


def commune_position(
    session: Session, city: str | None, postal_code: str | None = None
) -> tuple[str, tuple[float, float]] | None:
    """(INSEE code, position) of a person's commune, from the directory's own records."""
    wanted = normalise(city)
    if not wanted:
        return None
    s = DirectoryService
    rows = session.execute(
        select(s.code_insee, s.commune, func.avg(s.latitude), func.avg(s.longitude))
        .where(s.code_insee.is_not(None), s.latitude.is_not(None), s.longitude.is_not(None))
        .group_by(s.code_insee, s.commune)
    ).all()
    matches = [row for row in rows if normalise(row[1]) == wanted]
    if not matches:
        return None
    if postal_code and len(matches) > 1:  # same name, several départements
        same = [row for row in matches if str(row[0])[:2] == postal_code[:2]]
        matches = same or matches
    code, _name, lat, lon = matches[0]
    return str(code), (float(lat), float(lon))


# -- describing ------------------------------------------------------------------------------

_MOBILISATION = {
    "envoyer-un-courriel": "envoyer un courriel",
    "se-presenter": "se présenter",
    "telephoner": "téléphoner",
    "utiliser-lien-mobilisation": "utiliser le lien de mobilisation",
}
_MOBILISERS = {"usagers": "la personne", "professionnels": "le professionnel"}


def contact_line(data: Mapping[str, Any]) -> str:
    parts = [
        data.get("contact_nom_prenom"),
        data.get("telephone"),
        data.get("courriel"),
    ]
    address = " ".join(
        str(p) for p in (data.get("adresse"), data.get("code_postal"), data.get("commune")) if p
    )
    return " · ".join(str(p) for p in [*parts, address] if p)


def mobilisation_line(data: Mapping[str, Any]) -> str:
    modes = [_MOBILISATION.get(m, m) for m in data.get("modes_mobilisation") or []]
    who = [_MOBILISERS.get(m, m) for m in data.get("mobilisable_par") or []]
    text = ", ".join(modes)
    if who:
        text = (text + " — " if text else "") + "par " + " ou ".join(who)
    if data.get("lien_mobilisation"):
        text += f" ({data['lien_mobilisation']})"
    if data.get("mobilisation_precisions"):
        text += (". " if text else "") + str(data["mobilisation_precisions"])
    return text


_DAYS = {"Mo": "lun.", "Tu": "mar.", "We": "mer.", "Th": "jeu.", "Fr": "ven.", "Sa": "sam.",
         "Su": "dim.", "PH": "jours fériés", "off": "fermé"}  # fmt: skip
_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_CODES = re.compile("(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)")


@dataclass(frozen=True)
class Hours:
    """The facts of an opening-hours field; the screens word them (``ui.texts.directory``),
    :attr:`text` is the French wording kept for the printed sheet."""

    raw: str
    parsed: bool
    # parsed only: the weekly hours as pieces, each a day code (Mo…Su, PH: public holidays,
    # off: closed) or the text between them (times, « - », « , », « ; »)
    parts: tuple[str, ...] = ()
    is_open: bool | None = None  # at the moment asked; None: unparsed or not evaluated
    next_change: datetime | None = None  # when it next opens (closed) or closes (open)
    change_today: bool = False  # the next change falls on the moment's day

    @property
    def text(self) -> str:
        """French when parsed, else the raw text."""
        if not self.parsed:
            return self.raw
        return hours_text(self.parts, _DAYS)


def hours_text(parts: Sequence[str], words: Mapping[str, str], semicolon: str = " ;") -> str:
    """The weekly hours with each day code said by ``words`` (French: « lun. », « fermé »)."""
    text = "".join(words.get(part, part) for part in parts)
    text = text.replace(";", semicolon).replace(",", ", ").replace("-", "–")
    return " ".join(text.split())


#: How far ahead a partner's next opening or closing is looked for (« ouvre lundi à 08:30 »).
HOURS_LOOKAHEAD = timedelta(days=7)


def opening_hours(raw: str | None, at: datetime | None = None) -> Hours | None:
    """The OSM opening-hours field as facts, with the state at ``at`` (naive local time; the
    records' hours are those of the place). Unparsable text is kept as written."""
    if not raw or not raw.strip():
        return None
    try:
        from opening_hours import OpeningHours, State

        parsed = OpeningHours(raw)
    except Exception:  # the library raises its own ParserError; any failure: raw text
        return Hours(raw=raw, parsed=False)
    parts = tuple(part for part in _CODES.split(raw) if part)
    try:
        moment = at or datetime.now()
        # The state now and its next change within the week ahead, read from the first
        # interval of a bounded walk: ``next_change`` searches up to year 9999, seconds per
        # call for a rule that never changes (« Mo 08:00-18:00 off »), and a change weeks
        # away could not be said « ouvre lundi » anyway.
        limit = moment + HOURS_LOOKAHEAD
        first = next(iter(parsed.intervals(moment, limit)), None)
        is_open = bool(parsed.is_open(moment)) if first is None else first[2] == State.OPEN
        end = first[1] if first is not None else None
        change = end if end is not None and end < limit else None
    except Exception:  # pragma: no cover - a parsed field whose evaluation fails
        return Hours(raw=raw, parsed=True, parts=parts)
    return Hours(
        raw=raw,
        parsed=True,
        parts=parts,
        is_open=is_open,
        next_change=change,
        change_today=change is not None and change.date() == moment.date(),
    )


def french_state(hours: Hours) -> str | None:
    """« Ouvert », « Fermé — ouvre mardi à 08:30 »: the state said in French (the words the
    screens' catalogue has as its source strings)."""
    if hours.is_open is None:
        return None
    state = "Ouvert" if hours.is_open else "Fermé"
    change = hours.next_change
    if change is None:
        return state
    verb = "ferme" if hours.is_open else "ouvre"
    if hours.change_today:
        return f"{state} — {verb} à {change:%H:%M}"
    return f"{state} — {verb} {_WEEKDAYS[change.weekday()]} à {change:%H:%M}"


# -- whole records for a page of hits (the directory screens, issue 16) -----------------------


def records_of(
    session: Session, hits: Sequence[ServiceHit]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The whole records of ``hits`` (service id → data) and of their structures
    (structure id → data), read in a few ``IN`` queries instead of one lookup per hit."""
    services: dict[str, dict[str, Any]] = {}
    structures: dict[str, dict[str, Any]] = {}
    ids = [hit.id for hit in hits]
    structure_ids = sorted({hit.structure_id for hit in hits if hit.structure_id})
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(DirectoryServiceData.id, DirectoryServiceData.data).where(
                DirectoryServiceData.id.in_(ids[start : start + 500])
            )
        )
        services.update((row[0], dict(row[1])) for row in rows)
    for start in range(0, len(structure_ids), 500):
        rows = session.execute(
            select(DirectoryStructure.id, DirectoryStructure.data).where(
                DirectoryStructure.id.in_(structure_ids[start : start + 500])
            )
        )
        structures.update((row[0], dict(row[1])) for row in rows)
    return services, structures
