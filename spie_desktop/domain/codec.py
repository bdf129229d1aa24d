"""Field values to and from their JSON form (outbox, wire, exports)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper

from spie_desktop.domain.types import UTCDateTime

_KIND_CACHE: dict[tuple[type, str], str] = {}


def _field_kind(model: type, field: str) -> str:
    key = (model, field)
    kind = _KIND_CACHE.get(key)
    if kind is None:
        mapper: Mapper[Any] = sa_inspect(model)
        column = mapper.columns[field]
        column_type = column.type
        if isinstance(column_type, UTCDateTime):
            kind = "datetime"
        else:
            try:
                python_type = column_type.python_type
            except NotImplementedError:
                python_type = object
            if python_type is uuid.UUID:
                kind = "uuid"
            elif python_type is date:
                kind = "date"
            elif python_type is datetime:
                kind = "datetime"
            else:
                kind = "plain"
        _KIND_CACHE[key] = kind
    return kind


def encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode_value(model: type, field: str, value: Any) -> Any:
    if value is None:
        return None
    kind = _field_kind(model, field)
    if kind == "uuid":
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    if kind == "datetime":
        if isinstance(value, datetime):
            parsed = value
        else:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError(f"{field}: date et heure sans fuseau horaire")
        return parsed.astimezone(UTC)
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return value


def column_names(model: type) -> list[str]:
    mapper: Mapper[Any] = sa_inspect(model)
    return [column.key for column in mapper.column_attrs]


def row_to_dict(obj: Any) -> dict[str, Any]:
    """Every column of a mapped object, JSON-ready."""
    return {name: encode_value(getattr(obj, name)) for name in column_names(type(obj))}
