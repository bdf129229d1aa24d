"""What a pushed change may contain, derived once from the domain model.

Every field of a pushed change is decoded to its column's type and checked (type,
length, enumeration codes from the model's CHECK constraints, referential codes)
before anything is written: a change that fails here refuses the whole push with a 4xx
naming the change and the field (DESIGN §7: bad input changes nothing).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import JSON, Boolean, CheckConstraint, Integer, String, Table, Text
from sqlalchemy.sql.type_api import TypeEngine

from spie_desktop.domain.codec import encode_value
from spie_desktop.domain.models import (
    DEVICE_WRITABLE_TABLES,
    IMMUTABLE_NOTE_FIELDS,
    LONG_TEXT_MAX,
    SYNCED_MODELS,
)
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.domain.types import UTCDateTime
from spie_desktop.domain.validators import check_field, check_line
from spie_desktop.errors import ValidationError
from sync.protocol import ErrorCode

REFERENCE_TABLES: tuple[str, ...] = ("structure", "team", "referent")
"""Server-owned tables every device receives whole (persons point to referents)."""

PERSON_TABLES: tuple[str, ...] = (
    "person",
    "referent_assignment",
    "barrier",
    "orientation_decision",
    "reorientation_request",
    "engagement_contract",
    "action",
    "appointment",
    "note",
    "closing_review",
    "breach",
    "erasure_request",
)
"""Tables of a person's file, in the order a snapshot sends them (an erasure request
travels back to the devices of the scope, so that they see the administration's decision)."""

PULLED_TABLES: tuple[str, ...] = REFERENCE_TABLES + PERSON_TABLES
"""Tables that travel to devices (the audit log only travels up)."""

APPEND_ONLY_TABLES = frozenset({"audit_event"})
SERVER_STAMPED = frozenset({"updated_at"})
MAX_JSON_LIST = 100
MAX_JSON_ITEM = 128

_ENUM_RE = re.compile(r"(\w+) IN \(([^)]*)\)")

# Referential codes checked beyond the enumerations (kind of the referential list).
_REFERENTIAL_FIELDS: dict[tuple[str, str], str] = {
    ("barrier", "theme"): "theme",
    ("action", "theme"): "theme",
    ("barrier", "target_code"): "target",
    ("action", "action_code"): "action",
    ("barrier", "situations"): "situation",
    ("orientation_decision", "qualification_level"): "qualification_level",
    ("orientation_decision", "impact_health"): "orientation_impact",
    ("orientation_decision", "impact_housing"): "orientation_impact",
    ("orientation_decision", "impact_mobility"): "orientation_impact",
    ("orientation_decision", "impact_childcare"): "orientation_impact",
    ("orientation_decision", "impact_caregiving"): "orientation_impact",
    ("orientation_decision", "impact_other"): "orientation_impact",
    ("orientation_decision", "review_obstacle"): "review_obstacle",
    ("engagement_contract", "floor_reason"): "floor_reason",
    ("closing_review", "exit_reason"): "exit_reason",
    ("breach", "kind"): "breach_kind",
    ("breach", "decision"): "remobilisation_decision",
}


def printable(text: str, limit: int = 64) -> str:
    """``text`` made safe to echo in an answer: encodable, controls escaped, bounded."""
    shown = text[:limit].encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)


class FieldError(ValueError):
    def __init__(self, code: str, field: str | None, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str  # uuid, datetime, date, int, bool, str, json
    nullable: bool
    has_default: bool
    max_length: int | None = None
    choices: frozenset[str] | None = None
    referential: str | None = None
    table: str = ""

    def decode(self, value: Any) -> Any:
        """The Python value of a JSON field value; raises :class:`FieldError`."""
        if value is None:
            if not self.nullable:
                raise FieldError(ErrorCode.INVALID_VALUE, self.name, "valeur obligatoire")
            return None
        try:
            decoded = self._decode(value)
        except FieldError:
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            raise FieldError(
                ErrorCode.INVALID_VALUE, self.name, f"valeur invalide ({self.kind})"
            ) from exc
        if self.choices is not None and decoded not in self.choices:
            raise FieldError(ErrorCode.UNKNOWN_CODE, self.name, f"code inconnu : {decoded!r}")
        if self.referential is not None:
            referentials = get_referentials()
            codes = decoded if isinstance(decoded, list) else [decoded]
            for code in codes:
                if not referentials.is_valid(self.referential, code):
                    raise FieldError(ErrorCode.UNKNOWN_CODE, self.name, f"code inconnu : {code!r}")
        return decoded

    def _decode(self, value: Any) -> Any:
        kind = self.kind
        if kind == "str":
            if not isinstance(value, str):
                raise ValueError("not a string")
            if self.max_length is not None and len(value) > self.max_length:
                raise FieldError(
                    ErrorCode.INVALID_VALUE,
                    self.name,
                    f"texte trop long ({len(value)} caractères, {self.max_length} au plus)",
                )
            try:
                check_field(
                    self.table, self.name, value, multiline=self.max_length == LONG_TEXT_MAX
                )
            except ValidationError as exc:
                raise FieldError(ErrorCode.INVALID_VALUE, self.name, exc.message) from None
            return value
        if kind == "uuid":
            if not isinstance(value, str):
                raise ValueError("not a string")
            return uuid.UUID(value)
        if kind == "datetime":
            if not isinstance(value, str) or len(value) > 40:
                raise ValueError("not a string")
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                raise FieldError(
                    ErrorCode.INVALID_VALUE, self.name, "date et heure sans fuseau horaire"
                )
            if not 1900 <= parsed.year <= 2200:
                raise ValueError("year out of range")
            return parsed
        if kind == "date":
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError("not a date")
            parsed_date = date.fromisoformat(value)
            if not 1900 <= parsed_date.year <= 2200:
                raise ValueError("year out of range")
            return parsed_date
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("not an integer")
            if not -(2**31) <= value < 2**31:
                raise ValueError("out of range")
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError("not a boolean")
            return value
        if kind == "json":
            if not isinstance(value, list) or len(value) > MAX_JSON_LIST:
                raise ValueError("not a list")
            for item in value:
                if not isinstance(item, str) or len(item) > MAX_JSON_ITEM:
                    raise ValueError("not a list of short strings")
                try:
                    check_line(item, field=self.name)
                except ValidationError as exc:
                    raise FieldError(ErrorCode.INVALID_VALUE, self.name, exc.message) from None
            return list(value)
        raise ValueError(f"unsupported kind {kind}")


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    columns: dict[str, ColumnSpec]
    person_key: str | None
    device_writable: bool
    required_on_insert: frozenset[str]
    column_order: tuple[str, ...] = field(default=())

    def decode_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        decoded: dict[str, Any] = {}
        for name, value in fields.items():
            spec = self.columns.get(name)
            if spec is None or name in SERVER_STAMPED:
                shown = printable(name)
                raise FieldError(ErrorCode.UNKNOWN_FIELD, shown, f"champ inconnu : {shown}")
            decoded[name] = spec.decode(value)
        return decoded


def _kind_of(column_type: TypeEngine[Any]) -> tuple[str, int | None]:
    if isinstance(column_type, UTCDateTime):
        return "datetime", None
    if isinstance(column_type, JSON):
        return "json", None
    if isinstance(column_type, Boolean):
        return "bool", None
    if isinstance(column_type, Integer):
        return "int", None
    if isinstance(column_type, Text):
        return "str", LONG_TEXT_MAX
    if isinstance(column_type, String):
        return "str", column_type.length
    try:
        python_type = column_type.python_type
    except NotImplementedError:  # pragma: no cover - every domain type has one
        python_type = object
    if python_type is uuid.UUID:
        return "uuid", None
    if python_type is date:
        return "date", None
    raise TypeError(f"unsupported column type {column_type!r}")


def _enum_choices(table: Table) -> dict[str, frozenset[str]]:
    choices: dict[str, frozenset[str]] = {}
    for constraint in table.constraints:
        if not isinstance(constraint, CheckConstraint) or not str(constraint.name).endswith(
            "_valid"
        ):
            continue
        match = _ENUM_RE.search(str(constraint.sqltext))
        if match:
            values = frozenset(v.strip().strip("'") for v in match.group(2).split(","))
            choices[match.group(1)] = values
    return choices


def _build() -> dict[str, TableSpec]:
    specs: dict[str, TableSpec] = {}
    for name, model in SYNCED_MODELS.items():
        table = cast(Table, model.__table__)  # type: ignore[attr-defined]
        choices = _enum_choices(table)
        columns: dict[str, ColumnSpec] = {}
        required: set[str] = set()
        for column in table.columns:
            kind, max_length = _kind_of(column.type)
            has_default = column.default is not None or column.server_default is not None
            columns[column.key] = ColumnSpec(
                name=column.key,
                kind=kind,
                nullable=bool(column.nullable),
                has_default=has_default,
                max_length=max_length,
                choices=choices.get(column.key),
                referential=_REFERENTIAL_FIELDS.get((name, column.key)),
                table=name,
            )
            if (
                not column.nullable
                and not has_default
                and column.key not in SERVER_STAMPED
                and column.key not in ("id", "created_at")
            ):
                required.add(column.key)
        specs[name] = TableSpec(
            name=name,
            table=table,
            columns=columns,
            person_key=model.__person_key__,
            device_writable=name in DEVICE_WRITABLE_TABLES,
            required_on_insert=frozenset(required),
            column_order=tuple(c.key for c in table.columns),
        )
    return specs


TABLES: dict[str, TableSpec] = _build()

IMMUTABLE_FIELDS: dict[str, frozenset[str]] = {"note": IMMUTABLE_NOTE_FIELDS}


def encode_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {name: encode_value(value) for name, value in values.items()}


def table_of(name: str) -> Table:
    """The Core table of a synced model."""
    return TABLES[name].table


# -- digests (issue 10: divergence made of edits alone) -----------------------------------------

DIGEST_TABLES: tuple[str, ...] = PERSON_TABLES
"""Tables the scope digest covers: a person's file. Reference tables are checked by counts
(their snapshot rows carry no clock)."""

_DIGEST_MASK = (1 << 64) - 1


def row_digest(table: str, row_hex: str, hlc: str) -> int:
    """One row's share of a digest: 64 bits of BLAKE2b over (table, id, newest clock).

    Digests are sums of these modulo 2**64, so that they add per person and per scope
    and a row changing its clock changes them whatever the order rows are read in. Only
    clocks are hashed, never values: a supervisor's withheld note text, identical clocks
    included, digests the same as the referent's."""
    data = f"{table}\x1f{row_hex}\x1f{hlc}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def add_digest(total: int, share: int) -> int:
    return (total + share) & _DIGEST_MASK


def sub_digest(total: int, share: int) -> int:
    return (total - share) & _DIGEST_MASK


def signed_digest(total: int) -> int:
    """A digest sum as a signed 64-bit integer (how the stores keep it in an INTEGER)."""
    total &= _DIGEST_MASK
    return total - (1 << 64) if total >= 1 << 63 else total


def unsigned_digest(stored: int) -> int:
    return stored & _DIGEST_MASK


def digest_text(rows: int, total: int) -> str:
    """``<rows>:<16 hex digits>``: what the wire carries (count first, for a human)."""
    return f"{rows}:{total:016x}"
