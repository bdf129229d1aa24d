"""The department's settings for letters: letterhead, logo, signatory.

Where they live: the department settings table on the server (``spie-server admin
settings``), synced read-only to every device (:mod:`spie_desktop.services.department`
builds these settings from it). A device that never received them reads
``<data dir>/department.json`` (written by the administrator's installer, or by
``spie-desktop department-settings``). The referent's
:class:`~spie_desktop.domain.models.Structure` (synced today) fills what the file leaves out:
its name, address and phone make a letterhead on their own.

Nothing in this file is about a person: it may sit outside the encrypted store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Final

from spie_desktop.errors import ValidationError
from spie_desktop.resources import resource_path
from spie_desktop.store.file_keyring import atomic_write_bytes

DEPARTMENT_FILE: Final = "department.json"
DEFAULT_LOGO: Final = ("documents", "logo-departement.svg")
TEXT_MAX: Final = 200
LINES_MAX: Final = 6
LOGO_MAX_BYTES: Final = 2 * 1024 * 1024
LOGO_SUFFIXES: Final = (".png", ".jpg", ".jpeg", ".svg")


@dataclass(frozen=True)
class DepartmentSettings:
    """What the letterhead, the envelope's return address and the signature block say."""

    #: first line of the letterhead, in bold (« Département du Rhône »)
    name: str = "Conseil départemental"
    #: further letterhead lines (direction, service, address, phone)
    letterhead: tuple[str, ...] = ()
    #: a PNG, JPEG or SVG file; empty: the neutral logo shipped with the application
    logo_path: str = ""
    #: « Fait à … » and the return address's town
    city: str = ""
    signatory_name: str = ""
    signatory_title: str = "Le référent de parcours"
    #: printed at the foot of every page (legal notice, website)
    footer: str = ""
    #: months a file is kept after the end of the accompaniment (RGPD notice in letters)
    retention_months: int = 24
    source: str = field(default="default", compare=False)
    #: the logo's bytes as the server sent it (PNG or SVG, checked); wins over ``logo_path``
    logo_data: bytes = field(default=b"", compare=False, repr=False)

    def logo(self) -> Path:
        """The logo file to print: the department's if it is usable, else the shipped one."""
        if self.logo_path:
            path = Path(self.logo_path).expanduser()
            if path.is_file():
                return path
        return resource_path(*DEFAULT_LOGO)


def _text(data: dict[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or len(value) > TEXT_MAX:
        raise ValidationError(
            f"Paramètres du département : « {key} » doit être un texte de "
            f"{TEXT_MAX} caractères au plus.",
            code="invalid_department_settings",
            field=key,
        )
    return value.strip()


def parse_settings(data: Any, *, source: str) -> DepartmentSettings:
    """Validate a decoded ``department.json``; unknown keys are refused (a typo is not lost)."""
    if not isinstance(data, dict):
        raise ValidationError(
            "Paramètres du département : un objet JSON est attendu.",
            code="invalid_department_settings",
        )
    known = {f.name for f in fields(DepartmentSettings)} - {"source"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError(
            f"Paramètres du département : clé inconnue « {unknown[0]} ».",
            code="invalid_department_settings",
            field=unknown[0],
        )
    defaults = DepartmentSettings()
    lines = data.get("letterhead", [])
    if (
        not isinstance(lines, list)
        or len(lines) > LINES_MAX
        or not all(isinstance(line, str) and len(line) <= TEXT_MAX for line in lines)
    ):
        raise ValidationError(
            f"Paramètres du département : « letterhead » est une liste de {LINES_MAX} lignes "
            "au plus.",
            code="invalid_department_settings",
            field="letterhead",
        )
    months = data.get("retention_months", defaults.retention_months)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        raise ValidationError(
            "Paramètres du département : « retention_months » est un nombre de mois (1 à 120).",
            code="invalid_department_settings",
            field="retention_months",
        )
    logo = _text(data, "logo_path", defaults.logo_path)
    if logo:
        path = Path(logo).expanduser()
        if path.suffix.lower() not in LOGO_SUFFIXES:
            raise ValidationError(
                "Paramètres du département : le logo doit être un fichier PNG, JPEG ou SVG.",
                code="invalid_department_settings",
                field="logo_path",
            )
        if path.is_file() and path.stat().st_size > LOGO_MAX_BYTES:
            raise ValidationError(
                "Paramètres du département : le logo dépasse 2 Mo.",
                code="invalid_department_settings",
                field="logo_path",
            )
    return DepartmentSettings(
        name=_text(data, "name", defaults.name) or defaults.name,
        letterhead=tuple(line.strip() for line in lines if line.strip()),
        logo_path=logo,
        city=_text(data, "city", defaults.city),
        signatory_name=_text(data, "signatory_name", defaults.signatory_name),
        signatory_title=_text(data, "signatory_title", defaults.signatory_title),
        footer=_text(data, "footer", defaults.footer),
        retention_months=months,
        source=source,
    )


def settings_file(data_dir: Path) -> Path:
    return Path(data_dir) / DEPARTMENT_FILE


def load_department_settings(data_dir: Path | None) -> DepartmentSettings:
    """The device's department settings; the defaults when the file does not exist."""
    if data_dir is None:
        return DepartmentSettings()
    path = settings_file(data_dir)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DepartmentSettings()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Le fichier {path} n'est pas du JSON valide (ligne {exc.lineno}).",
            code="invalid_department_settings",
        ) from None
    return parse_settings(data, source=str(path))


def save_department_settings(data_dir: Path, settings: DepartmentSettings) -> Path:
    data = asdict(settings)
    data.pop("source")
    data.pop("logo_data")
    data["letterhead"] = list(settings.letterhead)
    path = settings_file(data_dir)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"), mode=0o644)
    return path
