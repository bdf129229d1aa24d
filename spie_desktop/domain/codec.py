"""Field values to and from their JSON form (outbox, wire, exports)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper


def encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def column_names(model: type) -> list[str]:
    mapper: Mapper[Any] = sa_inspect(model)
    return [column.key for column in mapper.column_attrs]


def row_to_dict(obj: Any) -> dict[str, Any]:
    """Every column of a mapped object, JSON-ready."""
    return {name: encode_value(getattr(obj, name)) for name in column_names(type(obj))}
