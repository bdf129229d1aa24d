"""Field validators shared by the device and the server (DESIGN §2 rule 8).

The device's services clean what a referent typed (strip the spaces) and then run these
checks; the server runs the same checks on every pushed value, so that nothing the app
would refuse gets in through the API. A validator never changes its value: it accepts it
as is or raises :class:`~spie_desktop.errors.ValidationError` with a code and a French
sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spie_desktop.errors import ValidationError

_PHONE = re.compile(r"\+?[0-9 .\-]{6,20}")
_EMAIL_PART = r"[^@\s<>()\[\]\\,;:\"]"
_EMAIL = re.compile(rf"{_EMAIL_PART}+@{_EMAIL_PART}+\.[^@\s<>()\[\]\\,;:\"'.]+")
_POSTAL_CODE = re.compile(r"(?:0[1-9]|[1-8]\d|9[0-8])\d{3}")
# C0 controls and DEL; a single-line field holds none, a long text only tab and newlines.
_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Validator = Callable[[str], None]


def check_phone(value: str, *, field: str = "phone") -> None:
    if not _PHONE.fullmatch(value):
        raise ValidationError(
            "Numéro de téléphone invalide (chiffres, espaces, points, + autorisés).",
            field=field,
            code="invalid_phone",
        )


def check_email(value: str, *, field: str = "email") -> None:
    if len(value) > 255 or not _EMAIL.fullmatch(value):
        raise ValidationError("Adresse électronique invalide.", field=field, code="invalid_email")


def check_postal_code(value: str, *, field: str = "postal_code") -> None:
    if not _POSTAL_CODE.fullmatch(value):
        raise ValidationError(
            "Code postal invalide (5 chiffres).", field=field, code="invalid_postal_code"
        )


def check_digits(value: str, *, field: str, length: int | None = None, label: str) -> None:
    if not value.isascii() or not value.isdigit() or (length is not None and len(value) != length):
        raise ValidationError(f"{label} invalide.", field=field, code="invalid_number")


def check_encodable(value: str, *, field: str) -> None:
    """Refuse lone surrogates (``"\\ud800"``): no database nor UTF-8 file can hold them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            "Texte invalide (caractère non représentable).", field=field, code="invalid_text"
        ) from None


def check_line(value: str, *, field: str) -> None:
    """A single-line text: encodable, no control character (no CR, LF, NUL…)."""
    check_encodable(value, field=field)
    if _LINE_CONTROLS.search(value):
        raise ValidationError(
            "Caractère de contrôle interdit dans ce champ.", field=field, code="invalid_text"
        )


def check_text(value: str, *, field: str) -> None:
    """A long text (note, summary): encodable, tabs and line breaks only as controls."""
    check_encodable(value, field=field)
    if _TEXT_CONTROLS.search(value):
        raise ValidationError(
            "Caractère de contrôle interdit dans ce texte.", field=field, code="invalid_text"
        )


def _digits(length: int | None, label: str) -> Callable[[str, str], None]:
    def check(value: str, field: str) -> None:
        check_digits(value, field=field, length=length, label=label)

    return check


# (table, field) → the format check of that field, beyond type and length.
FORMAT_CHECKS: dict[tuple[str, str], Callable[[str, str], None]] = {
    ("person", "email"): lambda v, f: check_email(v, field=f),
    ("person", "phone"): lambda v, f: check_phone(v, field=f),
    ("person", "postal_code"): lambda v, f: check_postal_code(v, field=f),
    ("person", "caf_number"): _digits(None, "Numéro CAF"),
    ("referent", "email"): lambda v, f: check_email(v, field=f),
    ("referent", "phone"): lambda v, f: check_phone(v, field=f),
    ("structure", "phone"): lambda v, f: check_phone(v, field=f),
    ("structure", "postal_code"): lambda v, f: check_postal_code(v, field=f),
    ("structure", "siret"): _digits(14, "Numéro SIRET"),
}


def check_field(table: str, field: str, value: str, *, multiline: bool) -> None:
    """Every check a stored text value of ``table.field`` must pass (device and server)."""
    if multiline:
        check_text(value, field=field)
    else:
        check_line(value, field=field)
    check = FORMAT_CHECKS.get((table, field))
    if check is not None:
        check(value, field)
