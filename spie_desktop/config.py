"""Where the device's data lives, and the few settings kept beside it.

Data directory, first match wins:

1. ``--data-dir`` on the command line (:func:`resolve_data_dir`'s ``explicit``);
2. the environment variable ``SPIE_DATA_DIR``;
3. **portable mode** (the application runs from a USB key and keeps its data on it):
   ``<directory of the executable>/spie-data`` when ``SPIE_PORTABLE`` is true
   (``1``, ``true``, ``yes``, ``oui``, ``on``), or when the application is frozen
   (PyInstaller, ``sys.frozen``) and a file ``portable.flag`` lies next to the
   executable. ``SPIE_PORTABLE=0`` turns portable mode off even if the flag file exists;
4. the per-user data directory, ``platformdirs.user_data_dir("spie-desktop", "SPIE")``
   (``~/.local/share/spie-desktop`` on Linux, ``%LOCALAPPDATA%\\SPIE\\spie-desktop`` on
   Windows, ``~/Library/Application Support/spie-desktop`` on macOS).

Settings (:class:`Settings`) are kept in ``<data dir>/settings.json``. They hold nothing
about the caseload (server address, idle-lock delay, language, last user name), which is
why they may sit outside the encrypted store: the unlock screen needs them before the
store can be opened.

Key-derivation profile: ``SPIE_KDF_PROFILE=test`` makes the **command line**
(:mod:`spie_desktop.entry.cli.store_commands`) create vaults with
:meth:`KdfParams.fast_for_tests` (Argon2id with 8 KiB and one pass: milliseconds instead of
~0.4 s). It exists only so that tests and CI can run the CLI as a real subprocess many
times; a vault made with it is weak against offline guessing. Unset (the default), the CLI
uses the tuned :class:`KdfParams` defaults. Nothing else reads this variable, and the
desktop application must never read it.

No Qt, no HTTP.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
)
from pydantic import ValidationError as PydanticValidationError

from spie_desktop.errors import ValidationError
from spie_desktop.store.file_keyring import atomic_write_bytes
from spie_desktop.store.vault import KdfParams

__all__ = [
    "APP_AUTHOR",
    "APP_NAME",
    "ENV_DATA_DIR",
    "ENV_KDF_PROFILE",
    "ENV_PORTABLE",
    "LANGUAGES",
    "PORTABLE_DATA_DIRNAME",
    "PORTABLE_FLAG",
    "SETTINGS_FILE",
    "DataLocation",
    "Settings",
    "default_data_dir",
    "executable_dir",
    "is_frozen",
    "kdf_params_from_env",
    "load_settings",
    "locate_data_dir",
    "portable_mode",
    "resolve_data_dir",
    "save_settings",
    "settings_path",
]

APP_NAME: Final = "spie-desktop"
APP_AUTHOR: Final = "SPIE"

ENV_DATA_DIR: Final = "SPIE_DATA_DIR"
ENV_PORTABLE: Final = "SPIE_PORTABLE"
ENV_KDF_PROFILE: Final = "SPIE_KDF_PROFILE"

PORTABLE_FLAG: Final = "portable.flag"
PORTABLE_DATA_DIRNAME: Final = "spie-data"
SETTINGS_FILE: Final = "settings.json"

KDF_PROFILE_TEST: Final = "test"

LANGUAGES: Final = ("fr", "en")
IDLE_LOCK_MIN: Final = 1
IDLE_LOCK_MAX: Final = 120
URL_MAX: Final = 2048
USERNAME_MAX: Final = 255

_TRUE = frozenset({"1", "true", "yes", "oui", "on"})
_FALSE = frozenset({"0", "false", "no", "non", "off"})

DataDirSource = Literal["argument", "environment", "portable", "user"]


# --------------------------------------------------------------------------------------
# Data directory


@dataclass(frozen=True)
class DataLocation:
    """The data directory and why it was chosen (shown in the settings and by the CLI)."""

    path: Path
    source: DataDirSource

    @property
    def description(self) -> str:
        """A French sentence for the settings screen and ``spie-desktop stats``."""
        reasons = {
            "argument": "choisi par l'option --data-dir",
            "environment": f"choisi par la variable {ENV_DATA_DIR}",
            "portable": "mode portable : à côté de l'application",
            "user": "dossier de données de l'utilisateur",
        }
        return f"{self.path} ({reasons[self.source]})"


def is_frozen() -> bool:
    """True in a PyInstaller build (``sys.frozen`` is set by the bootloader)."""
    return bool(getattr(sys, "frozen", False))


def executable_dir(executable: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding the running executable (``sys.executable`` by default)."""
    return Path(executable if executable is not None else sys.executable).resolve().parent


def _env_flag(value: str | None) -> bool | None:
    """``True``/``False`` for a recognised boolean word, ``None`` if unset or empty."""
    if value is None or not value.strip():
        return None
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValidationError(
        f"Valeur de {ENV_PORTABLE} non reconnue : « {value} » (attendu : 1 ou 0).",
        code="invalid_environment",
        field=ENV_PORTABLE,
    )


def portable_mode(
    *,
    environ: Mapping[str, str] | None = None,
    executable: str | os.PathLike[str] | None = None,
    frozen: bool | None = None,
) -> bool:
    """Whether the data lives next to the executable (see the module docstring)."""
    env = os.environ if environ is None else environ
    explicit = _env_flag(env.get(ENV_PORTABLE))
    if explicit is not None:
        return explicit
    if frozen if frozen is not None else is_frozen():
        return (executable_dir(executable) / PORTABLE_FLAG).is_file()
    return False


def default_data_dir() -> Path:
    """The per-user data directory (not portable, no override)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def _clean_path(value: str | os.PathLike[str]) -> Path:
    return Path(value).expanduser().absolute()


def locate_data_dir(
    explicit: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    executable: str | os.PathLike[str] | None = None,
    frozen: bool | None = None,
) -> DataLocation:
    """The data directory and its source; nothing is created on disk."""
    env = os.environ if environ is None else environ
    if explicit is not None and str(explicit).strip():
        return DataLocation(_clean_path(explicit), "argument")
    from_env = env.get(ENV_DATA_DIR, "").strip()
    if from_env:
        return DataLocation(_clean_path(from_env), "environment")
    if portable_mode(environ=env, executable=executable, frozen=frozen):
        return DataLocation(executable_dir(executable) / PORTABLE_DATA_DIRNAME, "portable")
    return DataLocation(_clean_path(default_data_dir()), "user")


def resolve_data_dir(
    explicit: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    executable: str | os.PathLike[str] | None = None,
    frozen: bool | None = None,
) -> Path:
    """Shortcut for ``locate_data_dir(...).path``."""
    return locate_data_dir(explicit, environ=environ, executable=executable, frozen=frozen).path


# --------------------------------------------------------------------------------------
# Key-derivation profile (CLI only)


def kdf_params_from_env(environ: Mapping[str, str] | None = None) -> KdfParams | None:
    """``KdfParams.fast_for_tests()`` when ``SPIE_KDF_PROFILE=test``, else ``None``.

    ``None`` means "the tuned defaults". For tests and CI only; read by the CLI alone.
    """
    env = os.environ if environ is None else environ
    profile = env.get(ENV_KDF_PROFILE, "").strip().lower()
    if not profile:
        return None
    if profile == KDF_PROFILE_TEST:
        return KdfParams.fast_for_tests()
    raise ValidationError(
        f"Profil de dérivation inconnu : {ENV_KDF_PROFILE}={profile!r} "
        f"(seule valeur admise : « {KDF_PROFILE_TEST} », réservée aux tests).",
        code="invalid_environment",
        field=ENV_KDF_PROFILE,
    )


# --------------------------------------------------------------------------------------
# Settings


def _blank_is_none(value: Any) -> Any:
    """Blank texts mean « not set »; surrounding spaces are dropped."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _url_shape(url: str | None) -> str | None:
    """An http(s) address with a host and nothing secret in it; no trailing ``/``."""
    if url is None:
        return None
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        raise ValueError(_URL_PROBLEM)
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(_URL_PROBLEM) from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or port == 0:
        raise ValueError(_URL_PROBLEM)
    if parts.username is not None or parts.password is not None:
        # settings.json is not encrypted: no credentials in it, ever.
        raise ValueError("L'adresse du serveur ne doit contenir ni identifiant ni mot de passe.")
    if parts.query or parts.fragment:
        raise ValueError("L'adresse du serveur ne doit contenir ni paramètres (?…) ni ancre (#…).")
    return url.rstrip("/")


def _no_control_characters(name: str | None) -> str | None:
    if name is not None and any(unicodedata.category(ch) == "Cc" for ch in name):
        raise ValueError(_USERNAME_PROBLEM)
    return name


_URL_PROBLEM = "Adresse du serveur invalide : indiquez une adresse http:// ou https://."
_USERNAME_PROBLEM = (
    f"Nom d'utilisateur invalide ({USERNAME_MAX} caractères au plus, sans caractère de contrôle)."
)


class _SettingsModel(BaseModel):
    """The rules of :class:`Settings`, in one place (types, bounds, choices, shapes)."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    server_url: Annotated[
        Annotated[StrictStr, Field(max_length=URL_MAX)] | None,
        BeforeValidator(_blank_is_none),
        AfterValidator(_url_shape),
    ] = None
    idle_lock_minutes: Annotated[StrictInt, Field(ge=IDLE_LOCK_MIN, le=IDLE_LOCK_MAX)] = 5
    language: Literal["fr", "en"] = "fr"
    last_username: Annotated[
        Annotated[StrictStr, Field(max_length=USERNAME_MAX)] | None,
        BeforeValidator(_blank_is_none),
        AfterValidator(_no_control_characters),
    ] = None
    #: the user's own name as the server knows it, for the lock screen's greeting (issue 12)
    user_display_name: Annotated[
        Annotated[StrictStr, Field(max_length=USERNAME_MAX)] | None,
        BeforeValidator(_blank_is_none),
        AfterValidator(_no_control_characters),
    ] = None


# The French sentence for each refused field: by pydantic error type, "*" for any other.
# A ``value_error`` carries its own French sentence (raised by the validators above).
_FIELD_ERRORS: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "server_url": (
        "invalid_url",
        {
            "string_type": "L'adresse du serveur doit être un texte.",
            "string_too_long": f"Adresse du serveur trop longue ({URL_MAX} caractères au plus).",
            "*": _URL_PROBLEM,
        },
    ),
    "idle_lock_minutes": (
        "invalid_idle_lock",
        {
            "greater_than_equal": f"Le délai de verrouillage doit être compris entre "
            f"{IDLE_LOCK_MIN} et {IDLE_LOCK_MAX} minutes.",
            "less_than_equal": f"Le délai de verrouillage doit être compris entre "
            f"{IDLE_LOCK_MIN} et {IDLE_LOCK_MAX} minutes.",
            "*": "Le délai de verrouillage doit être un nombre entier de minutes.",
        },
    ),
    "language": (
        "invalid_language",
        {"*": "Langue non prise en charge : choisissez « fr » (français) ou « en » (anglais)."},
    ),
    "last_username": (
        "invalid_username",
        {"string_type": "Le nom d'utilisateur doit être un texte.", "*": _USERNAME_PROBLEM},
    ),
    "user_display_name": (
        "invalid_display_name",
        {"*": "Nom affiché invalide (texte court, sans caractère de contrôle)."},
    ),
}


def _validated(values: Mapping[str, Any]) -> _SettingsModel:
    """The checked, normalised values; the first refused field raises our ValidationError."""
    try:
        return _SettingsModel.model_validate(dict(values))
    except PydanticValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        code, messages = _FIELD_ERRORS.get(field, ("settings_invalid", {}))
        if error["type"] == "value_error" and "error" in (error.get("ctx") or {}):
            message = str(error["ctx"]["error"])
        else:
            message = messages.get(error["type"]) or messages.get("*") or "Réglage invalide."
        raise ValidationError(message, code=code, field=field or None) from None


@dataclass(frozen=True)
class Settings:
    """Device settings (``settings.json``). Invalid values raise ``ValidationError``.

    Checked by one pydantic model (:class:`_SettingsModel`). Values are normalised on
    construction (blank server address and user name become ``None``, a trailing ``/`` is
    dropped from the server address), so ``dataclasses.replace(settings,
    idle_lock_minutes=10)`` is the way to edit one field: it is checked too.
    """

    server_url: str | None = None
    idle_lock_minutes: int = 5
    language: str = "fr"
    last_username: str | None = None
    user_display_name: str | None = None

    def __post_init__(self) -> None:
        checked = _validated({f.name: getattr(self, f.name) for f in fields(self)})
        for f in fields(self):
            object.__setattr__(self, f.name, getattr(checked, f.name))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settings:
        """Known keys only: keys written by a newer version are ignored, missing ones default."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / SETTINGS_FILE


def load_settings(data_dir: Path) -> Settings:
    """The saved settings, or the defaults when none were saved yet.

    A damaged or invalid file raises ``ValidationError`` (code ``settings_invalid``, or the
    code of the invalid field) rather than being silently replaced.
    """
    path = settings_path(data_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ValidationError(
            f"Les réglages ({path}) ne peuvent pas être lus : {exc.strerror or exc}.",
            code="settings_unreadable",
        ) from exc
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            f"Le fichier de réglages ({path}) est endommagé. Supprimez-le pour revenir aux "
            "réglages par défaut.",
            code="settings_invalid",
        ) from exc
    if not isinstance(document, dict):
        raise ValidationError(
            f"Le fichier de réglages ({path}) est endommagé. Supprimez-le pour revenir aux "
            "réglages par défaut.",
            code="settings_invalid",
        )
    return Settings.from_dict(document)


def save_settings(data_dir: Path, settings: Settings) -> Path:
    """Write ``settings.json`` atomically (0600); creates the data directory (0700)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = settings_path(data_dir)
    payload = json.dumps(settings.to_dict(), indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, payload.encode("utf-8"), mode=0o600)
    return path
