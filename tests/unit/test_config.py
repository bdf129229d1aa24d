"""Data directory resolution (per-user, portable, overrides), settings file, KDF profile."""

from __future__ import annotations

import dataclasses
import json
import stat
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from spie_desktop.config import (
    PORTABLE_DATA_DIRNAME,
    PORTABLE_FLAG,
    SETTINGS_FILE,
    DataLocation,
    Settings,
    kdf_params_from_env,
    load_settings,
    locate_data_dir,
    portable_mode,
    resolve_data_dir,
    save_settings,
)
from spie_desktop.errors import ValidationError
from spie_desktop.store.vault import KdfParams


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    """A directory holding a (pretend) frozen executable, as on a USB key."""
    directory = tmp_path / "cle-usb" / "SPIE Desktop"
    directory.mkdir(parents=True)
    (directory / "spie-desktop.exe").write_bytes(b"")
    return directory


def _exe(app_dir: Path) -> Path:
    return app_dir / "spie-desktop.exe"


# -- data directory --------------------------------------------------------------------


def test_default_is_the_per_user_data_dir(app_dir: Path) -> None:
    location = locate_data_dir(None, environ={}, executable=_exe(app_dir), frozen=False)
    assert location.source == "user"
    assert location.path == Path(platformdirs.user_data_dir("spie-desktop", "SPIE")).absolute()


def test_explicit_beats_environment_beats_portable(tmp_path: Path, app_dir: Path) -> None:
    (app_dir / PORTABLE_FLAG).write_text("")
    env = {"SPIE_DATA_DIR": str(tmp_path / "from-env"), "SPIE_PORTABLE": "1"}
    explicit = locate_data_dir(tmp_path / "cli", environ=env, executable=_exe(app_dir), frozen=True)
    assert explicit == DataLocation(tmp_path / "cli", "argument")
    from_env = locate_data_dir(None, environ=env, executable=_exe(app_dir), frozen=True)
    assert from_env == DataLocation(tmp_path / "from-env", "environment")
    portable = locate_data_dir(
        None, environ={"SPIE_PORTABLE": "1"}, executable=_exe(app_dir), frozen=True
    )
    assert portable == DataLocation(app_dir / PORTABLE_DATA_DIRNAME, "portable")


def test_explicit_path_expands_home_and_becomes_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir("~/spie", environ={}) == tmp_path / "spie"
    assert resolve_data_dir("relatif", environ={}) == tmp_path / "relatif"
    # A blank value (e.g. SPIE_DATA_DIR= in a script) means "not given".
    assert locate_data_dir("  ", environ={"SPIE_DATA_DIR": " "}, frozen=False).source == "user"


@pytest.mark.parametrize("value", ["1", "true", "YES", "oui", "on"])
def test_portable_by_environment_even_when_not_frozen(app_dir: Path, value: str) -> None:
    env = {"SPIE_PORTABLE": value}
    assert portable_mode(environ=env, executable=_exe(app_dir), frozen=False)
    assert resolve_data_dir(None, environ=env, executable=_exe(app_dir), frozen=False) == (
        app_dir / PORTABLE_DATA_DIRNAME
    )


def test_portable_flag_counts_only_in_a_frozen_build(app_dir: Path) -> None:
    exe = _exe(app_dir)
    assert not portable_mode(environ={}, executable=exe, frozen=True)  # no flag yet
    (app_dir / PORTABLE_FLAG).write_text("")
    assert portable_mode(environ={}, executable=exe, frozen=True)
    location = locate_data_dir(None, environ={}, executable=exe, frozen=True)
    assert location == DataLocation(app_dir / "spie-data", "portable")
    assert "portable" in location.description
    # From source (a developer's python), a stray flag file changes nothing.
    assert not portable_mode(environ={}, executable=exe, frozen=False)
    # SPIE_PORTABLE=0 turns it off explicitly.
    assert not portable_mode(environ={"SPIE_PORTABLE": "0"}, executable=exe, frozen=True)
    assert (
        locate_data_dir(None, environ={"SPIE_PORTABLE": "non"}, executable=exe, frozen=True).source
        == "user"
    )


def test_unknown_portable_value_is_refused_in_french(app_dir: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        portable_mode(environ={"SPIE_PORTABLE": "peut-être"}, executable=_exe(app_dir))
    assert caught.value.field == "SPIE_PORTABLE"
    assert "non reconnue" in caught.value.message


def test_resolution_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "pas-encore"
    assert resolve_data_dir(target, environ={}) == target
    assert not target.exists()


# -- KDF profile ------------------------------------------------------------------------


def test_kdf_profile_is_opt_in_and_test_only() -> None:
    assert kdf_params_from_env({}) is None
    assert kdf_params_from_env({"SPIE_KDF_PROFILE": ""}) is None
    assert kdf_params_from_env({"SPIE_KDF_PROFILE": " Test "}) == KdfParams.fast_for_tests()
    with pytest.raises(ValidationError) as caught:
        kdf_params_from_env({"SPIE_KDF_PROFILE": "rapide"})
    assert caught.value.field == "SPIE_KDF_PROFILE"
    assert "réservée aux tests" in caught.value.message


# -- settings ---------------------------------------------------------------------------


def test_defaults_when_nothing_saved(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "vide")
    assert settings == Settings(
        server_url=None, idle_lock_minutes=5, language="fr", last_username=None
    )
    assert not (tmp_path / "vide").exists()


def test_save_then_load_roundtrip_atomic_and_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    settings = Settings(
        server_url="https://spie.creuse.fr/api/",
        idle_lock_minutes=15,
        language="en",
        last_username="  élodie.martin ",
    )
    assert settings.server_url == "https://spie.creuse.fr/api"
    assert settings.last_username == "élodie.martin"
    path = save_settings(data_dir, settings)
    assert path == data_dir / SETTINGS_FILE
    assert _mode(data_dir) == 0o700
    assert _mode(path) == 0o600
    assert sorted(p.name for p in data_dir.iterdir()) == [SETTINGS_FILE]  # no temp file left
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document == {
        "server_url": "https://spie.creuse.fr/api",
        "idle_lock_minutes": 15,
        "language": "en",
        "last_username": "élodie.martin",
        "user_display_name": None,
    }
    assert "élodie" in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes
    assert load_settings(data_dir) == settings

    changed = dataclasses.replace(settings, idle_lock_minutes=120, server_url=None)
    save_settings(data_dir, changed)
    assert load_settings(data_dir) == changed
    assert _mode(path) == 0o600


@pytest.mark.parametrize(
    ("field", "value", "code", "words"),
    [
        ("idle_lock_minutes", 0, "invalid_idle_lock", "entre 1 et 120 minutes"),
        ("idle_lock_minutes", 121, "invalid_idle_lock", "entre 1 et 120 minutes"),
        ("idle_lock_minutes", "5", "invalid_idle_lock", "nombre entier"),
        ("idle_lock_minutes", 5.0, "invalid_idle_lock", "nombre entier"),
        ("idle_lock_minutes", True, "invalid_idle_lock", "nombre entier"),
        ("language", "de", "invalid_language", "Langue non prise en charge"),
        ("language", "FR", "invalid_language", "Langue non prise en charge"),
        ("server_url", "ftp://spie.fr", "invalid_url", "http:// ou https://"),
        ("server_url", "spie.creuse.fr", "invalid_url", "http:// ou https://"),
        ("server_url", "https://", "invalid_url", "http:// ou https://"),
        ("server_url", "https://spie .fr", "invalid_url", "http:// ou https://"),
        ("server_url", "https://spie.fr:99999", "invalid_url", "http:// ou https://"),
        ("server_url", "https://agent:secret@spie.fr", "invalid_url", "ni identifiant"),
        ("server_url", "https://spie.fr/?token=1", "invalid_url", "ni paramètres"),
        ("server_url", 42, "invalid_url", "texte"),
        ("server_url", "https://" + "a" * 2050 + ".fr", "invalid_url", "trop longue"),
        ("last_username", "nom\navec saut", "invalid_username", "caractère de contrôle"),
        ("last_username", 7, "invalid_username", "texte"),
    ],
)
def test_invalid_settings_are_refused_in_french(
    field: str, value: Any, code: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(**{field: value})
    assert caught.value.field == field
    assert caught.value.code == code
    assert words in caught.value.message


@pytest.mark.parametrize("minutes", [1, 5, 120])
def test_idle_bounds_are_inclusive(minutes: int) -> None:
    assert Settings(idle_lock_minutes=minutes).idle_lock_minutes == minutes


def test_blank_values_mean_unset_and_http_is_allowed() -> None:
    settings = Settings(server_url="  ", last_username="")
    assert settings.server_url is None
    assert settings.last_username is None
    assert Settings(server_url="http://127.0.0.1:8000").server_url == "http://127.0.0.1:8000"


def test_replace_validates_too() -> None:
    with pytest.raises(ValidationError):
        dataclasses.replace(Settings(), idle_lock_minutes=0)


def test_load_ignores_unknown_keys_and_defaults_missing_ones(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text(
        json.dumps({"language": "en", "theme": "sombre"}), encoding="utf-8"
    )
    assert load_settings(tmp_path) == Settings(language="en")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"{not json", "settings_invalid"),
        (b"\xff\xfe", "settings_invalid"),
        (b"[1, 2]", "settings_invalid"),
        (b'{"idle_lock_minutes": 0}', "invalid_idle_lock"),
        (b'{"server_url": "gopher://x"}', "invalid_url"),
    ],
)
def test_damaged_or_invalid_file_is_refused_not_replaced(
    tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / SETTINGS_FILE
    path.write_bytes(content)
    with pytest.raises(ValidationError) as caught:
        load_settings(tmp_path)
    assert caught.value.code == code
    assert path.read_bytes() == content
