"""The department's settings on a device: received from the server, read-only here.

The sync engine hands what ``GET /sync/settings`` answered to :func:`apply_received`, which
checks it again (the same model as the server's, the same logo rules), keeps it in the
device's local state (``device_state``, never pushed: no synced table holds it) and puts the
durations in force for the deadlines (:func:`spie_desktop.domain.deadlines.set_path_settings`,
then the stored deadlines recomputed). A device that never synced has the defaults: the law's
durations, the letters' settings of ``department.json`` if any (:func:`letter_settings`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Final

from spie_desktop.documents.department import DepartmentSettings, load_department_settings
from spie_desktop.domain.deadlines import set_path_settings
from spie_desktop.domain.department_settings import (
    DepartmentSettingsValues,
    logo_media_type,
    validate_values,
)
from spie_desktop.errors import ValidationError
from spie_desktop.store.store import DEPARTMENT_STATE, Store

__all__ = [
    "DEPARTMENT_STATE",
    "DeviceDepartment",
    "apply_received",
    "department",
    "letter_settings",
    "local_version",
]

_NO_LOGO: Final = ""


@dataclass(frozen=True)
class DeviceDepartment:
    """The settings this device holds: ``version`` 0 when it never received any."""

    version: int
    values: DepartmentSettingsValues
    logo_type: str | None = None
    logo: bytes | None = None


def department(store: Store) -> DeviceDepartment:
    """What this device holds (defaults when it never synced, or if its copy is unreadable)."""
    raw = store.get_state(DEPARTMENT_STATE)
    if not raw:
        return DeviceDepartment(0, DepartmentSettingsValues())
    try:
        data = json.loads(raw)
        values = validate_values(data["values"])
        logo = data.get("logo") or None
        return DeviceDepartment(
            int(data["version"]),
            values,
            str(logo["media_type"]) if logo else None,
            base64.b64decode(logo["data"]) if logo else None,
        )
    except (ValueError, KeyError, TypeError, ValidationError):
        return DeviceDepartment(0, DepartmentSettingsValues())


def local_version(store: Store) -> int:
    return department(store).version


def apply_received(store: Store, answer: dict[str, Any]) -> DeviceDepartment:
    """Keep the settings the server sent (``GET /sync/settings``, already read through the
    protocol model) and put their durations in force; returns what is now held.

    Checked again here (a logo that is not a safe PNG or SVG is refused before anything is
    kept): :class:`~spie_desktop.errors.ValidationError`."""
    values = validate_values(answer["values"])
    logo = answer.get("logo") or None
    kept_logo: dict[str, str] | None = None
    logo_bytes: bytes | None = None
    if logo:
        logo_bytes = base64.b64decode(str(logo["data"]), validate=True)
        media_type = logo_media_type(logo_bytes)
        if hashlib.sha256(logo_bytes).hexdigest() != logo.get("sha256", ""):
            raise ValidationError("Logo du département altéré en chemin.", code="invalid_setting")
        kept_logo = {"media_type": media_type, "data": str(logo["data"])}
    version = int(answer["version"])
    held = {"version": version, "values": values.model_dump(mode="json"), "logo": kept_logo}
    with store.write() as session:
        store.set_state(session, DEPARTMENT_STATE, json.dumps(held, ensure_ascii=False))
    set_path_settings(values.path_settings())
    store.apply_path_settings()
    return DeviceDepartment(
        version, values, kept_logo["media_type"] if kept_logo else None, logo_bytes
    )


def letter_settings(store: Store) -> DepartmentSettings:
    """What the letters print: the department's synced settings once the device has them,
    else ``department.json`` in the data folder, else the neutral defaults."""
    held = department(store)
    if held.version == 0:
        return load_department_settings(store.data_dir)
    values = held.values
    return DepartmentSettings(
        name=values.department_name,
        letterhead=values.letterhead_lines,
        city=values.city,
        signatory_name=values.signatory_name,
        signatory_title=values.signatory_title,
        footer=values.footer,
        retention_months=values.retention_months,
        logo_data=held.logo or b"",
        source="serveur départemental",
    )
