"""Import of new beneficiaries from the department's or CAF's CSV exports.

``;``-separated (``,`` tolerated), UTF-8 (with or without BOM) or Latin-1/Windows-1252,
detected. Column names are matched loosely (``Nom``, ``nom_usage``, ``last_name``…; see
:data:`ALIASES`). Every line is validated with the same rules as the application's
identity form; bad lines are reported with their line number and skipped, good lines
are imported. ``external_id`` (the department's identifier) is the key: importing the
same file again updates the persons instead of creating duplicates. A ``referent``
column (username) assigns new persons, or persons who have no referent yet; it never
overrides a handover made since. A person without a referent belongs to the team of the
``equipe`` column (name or id, or ``--team``): she waits in that team supervisor's queue
until assigned; with a referent, she belongs to the referent's team. An ``orientation``
(track) with a ``date_orientation`` records an orientation decision of that day in the
person's history (once: importing the file again adds nothing), so that the path's
deadlines start from the department's data.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from spie_desktop.domain.deadlines import paris_day
from spie_desktop.domain.enums import Role
from spie_desktop.errors import ValidationError
from spie_desktop.services.persons import validate_person_fields
from sync.schema import table_of
from sync.server.auth import normalise_username
from sync.server.models import account

if TYPE_CHECKING:
    from sync.server.admin import Admin, ImportReport

_person = table_of("person")
_referent = table_of("referent")
_decision = table_of("orientation_decision")

BATCH_LINES = 500

ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": (
        "external_id",
        "identifiant",
        "id_externe",
        "identifiant_departement",
        "numero_dossier",
        "num_dossier",
        "id",
    ),
    "caf_number": (
        "caf_number",
        "numero_caf",
        "matricule_caf",
        "matricule",
        "num_caf",
        "numero_allocataire",
        "no_allocataire",
    ),
    "france_travail_id": (
        "france_travail_id",
        "identifiant_france_travail",
        "id_france_travail",
        "identifiant_pole_emploi",
        "numero_pole_emploi",
    ),
    "title": ("title", "civilite", "sexe"),
    "last_name": ("last_name", "nom", "nom_usage", "nom_d_usage"),
    "birth_name": ("birth_name", "nom_naissance", "nom_de_naissance"),
    "first_name": ("first_name", "prenom", "prenoms"),
    "birth_date": ("birth_date", "date_naissance", "date_de_naissance", "ne_le"),
    "phone": ("phone", "telephone", "tel", "portable"),
    "email": ("email", "courriel", "mail", "adresse_email"),
    "address": ("address", "adresse", "adresse_postale"),
    "postal_code": ("postal_code", "code_postal", "cp"),
    "city": ("city", "commune", "ville", "localite"),
    "household": ("household", "foyer", "situation_familiale"),
    "children_count": ("children_count", "nombre_enfants", "nb_enfants", "enfants"),
    "rsa_status": ("rsa_status", "statut_rsa", "etat_droit", "etat_du_droit"),
    "rights_opening_date": (
        "rights_opening_date",
        "date_ouverture_droits",
        "date_ouverture_droit",
        "date_ouverture",
    ),
    "orientation": ("orientation", "type_orientation", "parcours", "type_parcours"),
    "orientation_date": (
        "orientation_date",
        "date_orientation",
        "date_decision_orientation",
        "date_de_l_orientation",
        "orientation_le",
    ),
    "referent": ("referent", "referent_unique", "identifiant_referent", "login_referent"),
    "team": ("equipe", "team", "nom_equipe", "equipe_referente"),
}

_TITLES = {
    "m": "M",
    "m.": "M",
    "mr": "M",
    "monsieur": "M",
    "h": "M",
    "homme": "M",
    "mme": "MME",
    "madame": "MME",
    "mlle": "MME",
    "f": "MME",
    "femme": "MME",
}
_ORIENTATIONS = {
    "sociale": "social",
    "social": "social",
    "socio_professionnelle": "socio_professional",
    "socioprofessionnelle": "socio_professional",
    "socio_professional": "socio_professional",
    "professionnelle": "professional",
    "professional": "professional",
    "emploi": "professional",
    "socio_professionnel": "socio_professional",
    "socioprofessionnel": "socio_professional",
}
_HOUSEHOLDS = {
    "seul": "seul",
    "seule": "seul",
    "isole": "seul",
    "isolee": "seul",
    "couple": "couple",
    "en_couple": "couple",
}
_DATE_LABELS = {
    "birth_date": "Date de naissance",
    "rights_opening_date": "Date d'ouverture des droits",
    "orientation_date": "Date d'orientation",
}
_DATE_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9.]+", "_", stripped.strip().lower()).strip("_")


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-16 with its BOM (a spreadsheet's « texte Unicode »),
    UTF-8 when it decodes, else Windows-1252, else Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def _date(value: str, field: str = "") -> str:
    """An ISO day from ``JJ/MM/AAAA`` (``.`` or ``-`` too) or ``AAAA-MM-JJ`` (a time after
    it is dropped); a half-typed or impossible date is refused in French."""
    match = _DATE_FR.match(value)
    parts: tuple[int, int, int] | None = None
    if match:
        day, month, year = (int(part) for part in match.groups())
        parts = (year, month, day)
    else:
        iso = _DATE_ISO.match(value)
        if iso:
            year, month, day = (int(part) for part in iso.groups())
            parts = (year, month, day)
    if parts is None:
        raise ValidationError(
            f"Date illisible : « {_shown(value)} » (JJ/MM/AAAA attendu).", field=field
        )
    try:
        return date(*parts).isoformat()
    except ValueError:
        raise ValidationError(f"Date impossible : « {_shown(value)} ».", field=field) from None


def _shown(value: str, limit: int = 40) -> str:
    """A cell quoted in a message: bounded, control characters escaped."""
    text = value[:limit] + ("…" if len(value) > limit else "")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _orientation(value: str) -> str:
    """A track code from its code or its French label (``Socio-professionnelle``…)."""
    folded = _fold(value)
    track = _ORIENTATIONS.get(folded)
    if track is None:
        labels = _track_labels()
        track = labels.get(folded)
    if track is None:
        raise ValidationError(
            f"Parcours inconnu : « {_shown(value)} » (attendu : sociale, "
            "socio-professionnelle ou professionnelle / emploi).",
            field="orientation",
        )
    return track


def _track_labels() -> dict[str, str]:
    from spie_desktop.domain.referentials import get_referentials

    entries = get_referentials().entries("orientation")
    return {
        _fold(text): entry.code
        for entry in entries
        for text in (entry.code, entry.label, entry.label_en or "")
        if text
    }


def _normalise(field: str, value: str) -> Any:
    value = value.strip()
    if value == "":
        return None
    if field in ("birth_date", "rights_opening_date", "orientation_date"):
        day = _date(value, field)
        if date.fromisoformat(day) > paris_day(datetime.now(UTC)):
            raise ValidationError(
                f"{_DATE_LABELS[field]} dans le futur : « {_shown(value)} ».", field=field
            )
        return day
    if field == "title":
        return _TITLES.get(_fold(value), value)
    if field == "orientation":
        return _orientation(value)
    if field == "household":
        return _HOUSEHOLDS.get(_fold(value), value)
    if field == "rsa_status":
        return _fold(value)
    if field == "phone":
        return re.sub(r"[\s.]", " ", value)
    if field == "postal_code" and value.isdigit() and len(value) == 4:
        return "0" + value  # spreadsheets drop the leading zero (01000 → 1000)
    return value


def _header_map(header: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        field = lookup.get(_fold(name))
        if field is None:
            if name.strip():
                unknown.append(name.strip())
            continue
        if field in mapping.values():
            continue
        mapping[index] = field
    return mapping, unknown


def _cells(line: str, delimiter: str) -> list[str]:
    """The cells of one line; :class:`csv.Error` for an unbalanced quote."""
    return next(csv.reader([line], delimiter=delimiter, strict=True), [])


#: (line number, fields, referent cell, team cell, the team column's name in the file)
Line = tuple[int, dict[str, Any], str | None, str | None, str | None]


def parse(text: str) -> tuple[list[Line], list[tuple[int, str]]]:
    """(good lines as :data:`Line`, problems as (line, message))."""
    sample = text.split("\n", 1)[0]
    if ";" in sample:
        delimiter = ";"
    elif "\t" in sample:
        delimiter = "\t"  # a spreadsheet's « texte Unicode » export
    elif "," in sample:
        delimiter = ","
    else:
        delimiter = ";"
    # Every imported field is one line of text: each physical line is one record, parsed
    # alone, so that an unbalanced quote is reported on its own line and never swallows
    # the lines after it.
    physical = [line.removesuffix("\r") for line in text.split("\n")]
    while physical and not physical[-1]:
        physical.pop()
    problems: list[tuple[int, str]] = []
    good: list[Line] = []
    if not physical:
        return good, [(1, "Fichier vide.")]
    if "\x00" in physical[0]:
        return good, [
            (1, "En-tête illisible : caractère nul (fichier abîmé, ou UTF-16 sans BOM ?).")
        ]
    try:
        header = _cells(physical[0], delimiter)
    except csv.Error:
        return good, [(1, "En-tête illisible : guillemet non fermé.")]
    mapping, _unknown = _header_map(header)
    team_column = next(
        (header[i].strip().lstrip("\ufeff") for i, f in mapping.items() if f == "team"), None
    )
    for required in ("external_id", "last_name", "first_name"):
        if required not in mapping.values():
            names = ", ".join(ALIASES[required][:3])
            problems.append((1, f"Colonne obligatoire absente : {required} ({names}…)."))
    if problems:
        return good, problems
    seen: dict[str, int] = {}
    for line, content in enumerate(physical[1:], start=2):
        if "\x00" in content:
            problems.append((line, "Caractère nul interdit dans la ligne (fichier abîmé ?)."))
            continue
        try:
            cells = _cells(content, delimiter)
        except csv.Error:
            problems.append((line, "Ligne illisible : guillemet non fermé."))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append((line, f"{len(cells)} colonnes au lieu de {len(header)}."))
            continue
        raw: dict[str, Any] = {}
        referent: str | None = None
        team: str | None = None
        try:
            for index, field in mapping.items():
                try:
                    value = _normalise(field, cells[index]) if index < len(cells) else None
                except ValidationError as exc:
                    # Named as the department's file names it, not by our field code.
                    column = header[index].strip().lstrip("\ufeff")
                    raise ValidationError(f"Colonne « {_shown(column)} » : {exc.message}") from None
                if field == "referent":
                    referent = value
                elif field == "team":
                    team = value
                else:
                    raw[field] = value
            oriented_on = raw.pop("orientation_date", None)
            external_id = raw.get("external_id")
            if not external_id:
                raise ValidationError("Identifiant (external_id) manquant.")
            if external_id in seen:
                raise ValidationError(
                    f"Identifiant {external_id} déjà présent ligne {seen[external_id]}."
                )
            clean = validate_person_fields(raw)
            for required in ("last_name", "first_name"):
                if not clean.get(required):
                    raise ValidationError(f"Champ obligatoire vide : {required}.")
            if oriented_on is not None:
                if not clean.get("orientation"):
                    raise ValidationError(
                        "Date d'orientation sans orientation (sociale, "
                        "socio-professionnelle ou emploi).",
                        field="orientation_date",
                    )
                clean["orientation_date"] = oriented_on
        except ValidationError as exc:
            field = f" ({exc.field})" if getattr(exc, "field", None) else ""
            problems.append((line, f"{exc.message}{field}"))
            continue
        seen[external_id] = line
        good.append((line, clean, referent, team, team_column if team else None))
    return good, problems


def import_persons(
    admin: Admin, path: Path, *, default_referent: str | None, default_team: str | None = None
) -> ImportReport:
    from sync.server.admin import AdminError, ImportProblem, ImportReport

    text, encoding = decode_bytes(path.read_bytes())
    report = ImportReport(encoding=encoding)
    good, problems = parse(text)
    report.problems.extend(ImportProblem(line, message) for line, message in problems)
    for start in range(0, len(good), BATCH_LINES):
        with admin.session() as s:
            referents: dict[str, uuid.UUID | None] = {}
            teams: dict[str, uuid.UUID | None] = {}
            for line, values, referent, team_cell, team_column in good[start : start + BATCH_LINES]:
                username = referent or default_referent
                team = team_cell or default_team
                # Where the team comes from, as the user names it: the file's column, or
                # the command's option.
                source = f"Colonne « {_shown(team_column)} » : " if team_column else "--team : "
                team_id: uuid.UUID | None = None
                if team:
                    if team not in teams:
                        try:
                            teams[team] = admin.team_id(s, team)
                        except AdminError:
                            teams[team] = None
                    team_id = teams[team]
                    if team_id is None:
                        report.problems.append(
                            ImportProblem(
                                line, f"{source}équipe inconnue ou ambiguë : « {_shown(team)} »."
                            )
                        )
                        continue
                referent_id: uuid.UUID | None = None
                if username:
                    key = normalise_username(username)
                    if key not in referents:
                        referents[key] = s.conn.execute(
                            select(_referent.c.id)
                            .join(account, account.c.referent_id == _referent.c.id)
                            .where(
                                _referent.c.username == key,
                                _referent.c.active.is_(True),
                                # persons are followed by referents, never by a supervisor
                                _referent.c.role == Role.REFERENT.value,
                                account.c.role == Role.REFERENT.value,
                                account.c.active.is_(True),
                            )
                        ).scalar_one_or_none()
                    referent_id = referents[key]
                    if referent_id is None:
                        report.problems.append(
                            ImportProblem(
                                line,
                                f"Référent inconnu, inactif ou qui n'est pas référent : "
                                f"« {username} ».",
                            )
                        )
                        continue
                if referent_id is not None and team_id is not None:
                    own = s.conn.execute(
                        select(_referent.c.team_id).where(_referent.c.id == referent_id)
                    ).scalar_one_or_none()
                    # The file's team must be the referent's: a disagreement is refused
                    # (nothing of the line imported), never settled by picking one. The
                    # command's --team is for the persons without a referent only.
                    if own != team_id and team_cell:
                        report.problems.append(
                            ImportProblem(
                                line,
                                f"{source}le référent « {_shown(username or '')} » n'est pas "
                                f"de l'équipe « {_shown(team_cell)} » : ligne refusée (corrigez "
                                "l'équipe ou le référent).",
                            )
                        )
                        continue
                    team_id = own
                try:
                    _import_line(admin, s, values, referent_id, username, team_id, report)
                except AdminError as exc:
                    report.problems.append(ImportProblem(line, exc.message))
            s.log(
                "import.csv", path.name, f"{report.created} créées, {report.updated} mises à jour"
            )
    report.problems.sort(key=lambda problem: problem.line)
    return report


def _record_orientation(s: Any, person_id: uuid.UUID, track: str, day: str) -> bool:
    """An orientation decision of ``day`` in the person's history, unless already there."""
    decided_on = date.fromisoformat(day)
    known = s.conn.execute(
        select(_decision.c.id).where(
            _decision.c.person_id == person_id,
            _decision.c.track == track,
            _decision.c.decided_on == decided_on,
            _decision.c.deleted_at.is_(None),
        )
    ).first()
    if known is not None:
        return False
    from spie_desktop.ids import new_id

    s.write(
        "orientation_decision",
        new_id(),
        {
            "person_id": person_id,
            "track": track,
            "decided_on": decided_on,
            "decided_by_name": "Import du fichier départemental",
        },
    )
    return True


def _import_line(
    admin: Admin,
    s: Any,
    values: dict[str, Any],
    referent_id: uuid.UUID | None,
    username: str | None,
    team_id: uuid.UUID | None,
    report: ImportReport,
) -> None:
    values = dict(values)
    oriented_on = values.pop("orientation_date", None)
    current = (
        s.conn.execute(select(_person).where(_person.c.external_id == values["external_id"]))
        .mappings()
        .first()
    )
    if current is None:
        person_id = admin.create_person(
            {k: v for k, v in values.items() if v is not None},
            username if referent_id is not None else None,
            team=str(team_id) if team_id is not None and referent_id is None else None,
            s=s,
        )
        if oriented_on is not None:
            _record_orientation(s, person_id, values["orientation"], oriented_on)
        report.created += 1
        return
    recorded = oriented_on is not None and _record_orientation(
        s, current["id"], values["orientation"], oriented_on
    )
    changed = {name: value for name, value in values.items() if current[name] != value}
    # An empty cell does not erase what the department's file does not know.
    changed = {name: value for name, value in changed.items() if value is not None}
    if current["deleted_at"] is not None:
        changed["deleted_at"] = None
    # Still in a queue: the file says which team's (never moves a followed person).
    if (
        referent_id is None
        and current["referent_id"] is None
        and team_id is not None
        and current["team_id"] != team_id
    ):
        changed["team_id"] = team_id
    if changed:
        s.write("person", current["id"], changed)
    if referent_id is not None and current["referent_id"] is None:
        team_of_referent = s.conn.execute(
            select(_referent.c.team_id).where(_referent.c.id == referent_id)
        ).scalar_one_or_none()
        s.write("person", current["id"], {"referent_id": referent_id, "team_id": team_of_referent})
        from spie_desktop.ids import new_id

        s.write(
            "referent_assignment",
            new_id(),
            {
                "person_id": current["id"],
                "referent_id": referent_id,
                "started_at": s.tx.now,
                "handover_note": None,
            },
        )
        changed["referent_id"] = referent_id
    if changed or recorded:
        report.updated += 1
    else:
        report.unchanged += 1
