"""The department's settings: stored, versioned and audited on the server (issues 11, 13, 15).

One row of ``department_setting`` per key an administrator set (``spie-server admin
settings set KEY VALUE`` / ``set-logo FILE``); a key never set has its default
(:class:`~spie_desktop.domain.department_settings.DepartmentSettingsValues`). Every
change takes the next ``settings`` version (the ``server_counter`` row, locked until
commit) and is written to the administrators' log with the old and the new value.

Devices never write them: the last pull page announces the version, a device that holds an
older one asks ``GET /sync/settings`` and keeps the answer in its local state. A push of a
``department_setting`` row is refused (``settings_server_only``).

``SPIE_SERVER_SUPERVISORS_MAY_REVEAL`` (the server's environment setting that came first)
is kept as the initial value of ``supervisors_may_reveal``: read only while no
administrator has set that key.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from spie_desktop.domain.department_settings import (
    DepartmentSettingsValues,
    display_value,
    logo_media_type,
    validate_values,
    with_value,
)
from sync.server.db import read_tx, write_tx
from sync.server.models import admin_log, department_setting, server_counter
from sync.server.settings import ServerSettings

COUNTER = "settings"
LOGO_KEY = "logo"
TABLE = "department_setting"
ENV_KEYS = {"supervisors_may_reveal"}
"""Keys whose initial value is the server's environment setting of the same name."""


@dataclass(frozen=True)
class Logo:
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class DepartmentState:
    version: int
    values: DepartmentSettingsValues
    logo: Logo | None
    set_keys: frozenset[str]


def version(connection: Connection) -> int:
    value = connection.execute(
        select(server_counter.c.value).where(server_counter.c.name == COUNTER)
    ).scalar_one_or_none()
    return int(value or 0)


def head(engine: Engine) -> int:
    """The settings' current version (0: nothing ever set)."""
    with read_tx(engine) as connection:
        return version(connection)


def _next_version(connection: Connection) -> int:
    value = connection.execute(
        update(server_counter)
        .where(server_counter.c.name == COUNTER)
        .values(value=server_counter.c.value + 1)
        .returning(server_counter.c.value)
    ).scalar_one_or_none()
    if value is None:
        connection.execute(insert(server_counter).values(name=COUNTER, value=1))
        value = 1
    return int(value)


def read_state(connection: Connection, settings: ServerSettings) -> DepartmentState:
    rows = {row.key: row.value for row in connection.execute(select(department_setting))}
    logo_row = rows.pop(LOGO_KEY, None)
    data: dict[str, Any] = {}
    for key in ENV_KEYS:
        data[key] = getattr(settings, key)
    data.update(rows)
    values = validate_values(data)
    logo = None
    if isinstance(logo_row, dict) and logo_row.get("data"):
        logo = Logo(str(logo_row["media_type"]), base64.b64decode(str(logo_row["data"])))
    keys = frozenset(rows) | ({LOGO_KEY} if logo else frozenset())
    return DepartmentState(version(connection), values, logo, keys)


def load(engine: Engine, settings: ServerSettings) -> DepartmentState:
    with read_tx(engine) as connection:
        return read_state(connection, settings)


def current_values(connection: Connection, settings: ServerSettings) -> DepartmentSettingsValues:
    return read_state(connection, settings).values


def _store(connection: Connection, key: str, value: Any, actor: str, now: Any) -> None:
    found = connection.execute(
        select(department_setting.c.key).where(department_setting.c.key == key)
    ).first()
    row = {"value": value, "updated_at": now, "updated_by": actor}
    if found is None:
        connection.execute(insert(department_setting).values(key=key, **row))
    else:
        connection.execute(
            update(department_setting).where(department_setting.c.key == key).values(**row)
        )


def _log(connection: Connection, actor: str, now: Any, key: str, detail: str) -> None:
    import uuid

    connection.execute(
        insert(admin_log).values(
            id=uuid.uuid4(),
            occurred_at=now,
            actor=actor,
            action="settings.set",
            target=key,
            detail=detail[:2000],
        )
    )


def set_value(
    engine: Engine, settings: ServerSettings, key: str, value: Any, actor: str
) -> tuple[Any, Any, int]:
    """Set one setting (typed value, every rule checked first); ``(old, new, version)``.

    A value equal to the current one changes nothing and takes no version."""
    with write_tx(engine) as connection:
        state = read_state(connection, settings)
        updated = with_value(state.values, key, value)  # raises before anything is written
        old, new = getattr(state.values, key), getattr(updated, key)
        if old == new and key in state.set_keys:
            return old, new, state.version
        now = settings.now()
        stored = updated.model_dump(mode="json")[key]
        _store(connection, key, stored, actor, now)
        number = _next_version(connection)
        _log(connection, actor, now, key, f"{display_value(key, old)} → {display_value(key, new)}")
    return old, new, number


def set_logo(
    engine: Engine, settings: ServerSettings, data: bytes | None, actor: str
) -> tuple[Logo | None, int]:
    """Set the letters' logo (PNG or SVG, checked) or remove it (``None``: the shipped one)."""
    logo = Logo(logo_media_type(data), data) if data is not None else None
    with write_tx(engine) as connection:
        now = settings.now()
        if logo is None:
            connection.execute(
                department_setting.delete().where(department_setting.c.key == LOGO_KEY)
            )
            detail = "logo retiré (logo neutre de l'application)"
        else:
            value = {"media_type": logo.media_type, "data": base64.b64encode(logo.data).decode()}
            _store(connection, LOGO_KEY, value, actor, now)
            detail = f"{logo.media_type}, {len(logo.data)} octets, sha256 {logo.sha256}"
        number = _next_version(connection)
        _log(connection, actor, now, LOGO_KEY, detail)
    return logo, number


def wire(state: DepartmentState) -> dict[str, Any]:
    """The answer of ``GET /sync/settings`` (before the protocol model checks it)."""
    logo = None
    if state.logo is not None:
        logo = {
            "media_type": state.logo.media_type,
            "data": base64.b64encode(state.logo.data).decode(),
            "sha256": state.logo.sha256,
        }
    return {"version": state.version, "values": state.values.model_dump(mode="json"), "logo": logo}
