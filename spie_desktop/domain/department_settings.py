"""The department's settings, decided on the server and synced read-only to every device.

One typed model (:class:`DepartmentSettingsValues`) checks them wherever they are read or
written: by ``spie-server admin settings set`` before anything is stored, by the server
before it answers ``GET /sync/settings``, by the device before it keeps what it received.
They are the letterhead and signature block of letters, the logo, the retention of files
after the end of the accompaniment, the durations of the path's deadlines (the law's by
default: :class:`~spie_desktop.domain.deadlines.PathSettings`) and whether supervisors may
reveal a sensitive note. Nothing here is about a person.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError

from spie_desktop.domain.deadlines import PathSettings
from spie_desktop.domain.validators import check_line
from spie_desktop.errors import ValidationError

TEXT_MAX: Final = 200
LINES_MAX: Final = 6
LOGO_MAX_BYTES: Final = 512 * 1024
LOGO_TYPES: Final = ("image/png", "image/svg+xml")
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
CODE: Final = "invalid_setting"


class DepartmentSettingsValues(BaseModel):
    """Every department setting with its default (the law's for the durations)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    department_name: str = Field(
        default="Conseil départemental",
        min_length=1,
        max_length=TEXT_MAX,
        description="Première ligne de l'en-tête des courriers.",
    )
    letterhead_lines: tuple[str, ...] = Field(
        default=(),
        max_length=LINES_MAX,
        description="Lignes suivantes de l'en-tête (direction, adresse, téléphone).",
    )
    city: str = Field(default="", max_length=TEXT_MAX, description="Ville de « Fait à … ».")
    signatory_name: str = Field(
        default="", max_length=TEXT_MAX, description="Signataire (vide : le référent)."
    )
    signatory_title: str = Field(
        default="Le référent de parcours", max_length=TEXT_MAX, description="Qualité du signataire."
    )
    footer: str = Field(default="", max_length=TEXT_MAX, description="Pied de page des courriers.")
    retention_months: StrictInt = Field(
        default=24, ge=1, le=36, description="Mois de conservation après la fin."
    )
    orientation_weeks: StrictInt = Field(default=6, ge=1, le=52)
    contract_months: StrictInt = Field(default=1, ge=1, le=12)
    social_review_months: StrictInt = Field(default=6, ge=1, le=24)
    social_review_extended_months: StrictInt = Field(default=12, ge=1, le=24)
    contract_ending_days: StrictInt = Field(default=30, ge=0, le=365)
    alert_lead_days: StrictInt = Field(default=14, ge=0, le=365)
    legacy_conversion_deadline: date = Field(default=date(2027, 1, 1))
    supervisors_may_reveal: StrictBool = Field(
        default=False, description="Les responsables peuvent révéler une note sensible (motivé)."
    )

    @field_validator(
        "department_name", "city", "signatory_name", "signatory_title", "footer", mode="after"
    )
    @classmethod
    def _one_line(cls, value: str, info: ValidationInfo) -> str:
        _checked_line(value)
        if info.field_name == "department_name" and not value.strip():
            raise ValueError("ne peut pas être vide")
        return value.strip()

    @field_validator("letterhead_lines", mode="after")
    @classmethod
    def _lines(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for line in value:
            _checked_line(line)
            if len(line) > TEXT_MAX:
                raise ValueError(f"ligne de {TEXT_MAX} caractères au plus")
        return tuple(line.strip() for line in value if line.strip())

    def path_settings(self) -> PathSettings:
        """The durations of the path's deadlines (checked again by :class:`PathSettings`)."""
        return PathSettings(
            orientation_weeks=self.orientation_weeks,
            contract_months=self.contract_months,
            social_review_months=self.social_review_months,
            social_review_extended_months=self.social_review_extended_months,
            contract_ending_days=self.contract_ending_days,
            alert_lead_days=self.alert_lead_days,
            legacy_conversion_deadline=self.legacy_conversion_deadline,
        )

    def model_post_init(self, _context: Any) -> None:
        self.path_settings()  # the cross-field rules (extended review after the ordinary one)


def _checked_line(value: str) -> None:
    try:
        check_line(value, field="text")
    except ValidationError as exc:
        raise ValueError(exc.message.rstrip(".").lower()) from None


SETTING_KEYS: Final[tuple[str, ...]] = tuple(DepartmentSettingsValues.model_fields)

LABELS: Final[dict[str, str]] = {
    "department_name": "Nom du département (en-tête)",
    "letterhead_lines": "Lignes de l'en-tête",
    "city": "Ville (« Fait à »)",
    "signatory_name": "Signataire",
    "signatory_title": "Qualité du signataire",
    "footer": "Pied de page",
    "retention_months": "Conservation après la fin de l'accompagnement (mois)",
    "orientation_weeks": "Délai d'orientation (semaines)",
    "contract_months": "Délai de signature du contrat (mois)",
    "social_review_months": "Réexamen du parcours social (mois)",
    "social_review_extended_months": "Réexamen prolongé du parcours social (mois)",
    "contract_ending_days": "Contrat bientôt échu (jours)",
    "alert_lead_days": "Alerte avant échéance (jours)",
    "legacy_conversion_deadline": "Conversion des anciens contrats avant le",
    "supervisors_may_reveal": "Les responsables peuvent révéler une note sensible",
}

_TRUE = {"oui", "vrai", "true", "1", "yes"}
_FALSE = {"non", "faux", "false", "0", "no"}


def _refuse(message: str, key: str | None = None) -> ValidationError:
    return ValidationError(f"Réglage du département refusé : {message}", code=CODE, field=key)


def parse_text_value(key: str, raw: str) -> Any:
    """The value of ``key`` typed from its command-line text (not yet range-checked)."""
    if key not in DepartmentSettingsValues.model_fields:
        known = ", ".join(SETTING_KEYS)
        raise _refuse(f"réglage inconnu « {key[:60]} » (réglages : {known}).", key)
    annotation = DepartmentSettingsValues.model_fields[key].annotation
    text = raw.strip()
    if annotation is bool or key == "supervisors_may_reveal":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise _refuse(f"« {key} » vaut oui ou non, pas « {raw[:60]} ».", key)
    if key == "legacy_conversion_deadline":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _refuse(f"« {key} » est une date AAAA-MM-JJ, pas « {raw[:60]} ».", key) from None
    if key == "letterhead_lines":
        if text.startswith("["):
            try:
                lines = json.loads(text)
            except json.JSONDecodeError:
                raise _refuse("« letterhead_lines » : liste JSON illisible.", key) from None
            if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
                raise _refuse("« letterhead_lines » : une liste de textes est attendue.", key)
            return tuple(lines)
        return tuple(part for part in (p.strip() for p in raw.split("|")) if part)
    field = DepartmentSettingsValues.model_fields[key]
    if field.annotation is int:
        if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
            raise _refuse(f"« {key} » est un nombre entier, pas « {raw[:60]} ».", key)
        return int(text)
    return raw


def with_value(current: DepartmentSettingsValues, key: str, value: Any) -> DepartmentSettingsValues:
    """``current`` with ``key`` set to ``value``, every rule checked (French error)."""
    data = current.model_dump()
    if key not in data:
        raise _refuse(f"réglage inconnu « {key[:60]} ».", key)
    data[key] = value
    return validate_values(data)


def validate_values(data: Any) -> DepartmentSettingsValues:
    """Typed settings from a decoded mapping; a French :class:`ValidationError` otherwise."""
    try:
        return DepartmentSettingsValues.model_validate(data)
    except PydanticValidationError as exc:
        raise _refuse(_french(exc), _first_key(exc)) from None
    except ValidationError as exc:  # PathSettings' or the line validators' own sentence
        raise _refuse(exc.message, exc.field) from None


def _first_key(exc: PydanticValidationError) -> str | None:
    errors = exc.errors()
    return str(errors[0]["loc"][0]) if errors and errors[0]["loc"] else None


def _french(exc: PydanticValidationError) -> str:
    error = exc.errors()[0]
    key = str(error["loc"][0]) if error["loc"] else "réglages"
    ctx = error.get("ctx") or {}
    kind = error["type"]
    value = error.get("input")
    shown = str(value)[:60]
    reasons = {
        "greater_than_equal": f"« {key} » vaut au moins {ctx.get('ge')}, pas {shown}.",
        "less_than_equal": f"« {key} » vaut au plus {ctx.get('le')}, pas {shown}.",
        "int_type": f"« {key} » est un nombre entier, pas « {shown} ».",
        "bool_type": f"« {key} » vaut oui ou non, pas « {shown} ».",
        "string_too_long": f"« {key} » : {ctx.get('max_length')} caractères au plus.",
        "string_too_short": f"« {key} » ne peut pas être vide.",
        "too_long": f"« {key} » : {ctx.get('max_length')} lignes au plus.",
        "extra_forbidden": f"réglage inconnu « {key[:60]} ».",
        "date_from_datetime_parsing": f"« {key} » est une date AAAA-MM-JJ.",
        "date_parsing": f"« {key} » est une date AAAA-MM-JJ.",
    }
    if kind in reasons:
        return reasons[kind]
    message = str(ctx.get("error") or error.get("msg", kind))
    return f"« {key} » : {message}"


def display_value(key: str, value: Any) -> str:
    """A setting as a person reads it (French)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, tuple | list):
        return " | ".join(str(v) for v in value) or "—"
    return str(value) if value != "" else "—"


# -- the logo ---------------------------------------------------------------------------------

_SVG_FORBIDDEN = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"}


def logo_media_type(data: bytes) -> Literal["image/png", "image/svg+xml"]:
    """The media type of a logo the letters may print, or a French refusal.

    PNG (by its signature and header) or SVG without anything active or external: no
    script, no event handler, no foreign object, no reference outside the file, no DTD
    (no entity expansion: the parser never sees one)."""
    if not data:
        raise _refuse("le logo est vide.", "logo")
    if len(data) > LOGO_MAX_BYTES:
        raise _refuse(
            f"le logo pèse {len(data) // 1024} Kio, {LOGO_MAX_BYTES // 1024} Kio au plus.", "logo"
        )
    if data.startswith(PNG_SIGNATURE):
        if len(data) < 33 or data[12:16] != b"IHDR":
            raise _refuse("le fichier PNG du logo est tronqué ou illisible.", "logo")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if not (1 <= width <= 8000 and 1 <= height <= 8000):
            raise _refuse("le logo PNG a des dimensions invalides.", "logo")
        return "image/png"
    _check_svg(data)
    return "image/svg+xml"


def _check_svg(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse("le logo doit être un fichier PNG ou SVG (UTF-8).", "logo") from None
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise _refuse("le logo SVG ne peut pas contenir de DTD ni d'entité.", "logo")
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise _refuse("le logo doit être un fichier PNG ou SVG lisible.", "logo") from None
    if _local(root.tag) != "svg":
        raise _refuse("le logo doit être un fichier PNG ou SVG.", "logo")
    for element in root.iter():
        name = _local(element.tag)
        if name in _SVG_FORBIDDEN:
            raise _refuse(f"le logo SVG contient un élément interdit (<{name}>).", "logo")
        for attribute, value in element.attrib.items():
            attr = _local(attribute)
            if attr.startswith("on"):
                raise _refuse(f"le logo SVG contient un gestionnaire « {attr} ».", "logo")
            if attr == "href" and not value.strip().startswith("#"):
                raise _refuse("le logo SVG renvoie à une ressource extérieure.", "logo")
            if "javascript:" in value.lower() or ("url(" in value.lower() and "url(#" not in value):
                raise _refuse("le logo SVG renvoie à une ressource extérieure.", "logo")
        if (
            name == "style"
            and element.text
            and ("@import" in element.text or "url(" in element.text)
        ):
            raise _refuse("le logo SVG renvoie à une ressource extérieure.", "logo")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
