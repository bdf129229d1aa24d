"""The server's settings: command line over environment over file over defaults, validated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spie_desktop.entry import server as server_cli
from sync.server.settings import (
    ENV_PREFIX,
    ServerSettings,
    ServerSettingsError,
    load_server_settings,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = [name for name in ServerSettings.model_fields if name != "now"]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_setup(tmp_path: Path) -> None:
    settings = load_server_settings()
    assert settings.database_url == "sqlite+pysqlite:///spie-server-data/server.db"
    assert (tmp_path / "spie-server-data").is_dir()
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8470, 1)


def test_command_line_over_environment_over_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "spie-server.env"
    config.write_text(
        "# réglages du département\n"
        "SPIE_SERVER_PORT=9000\n"
        "SPIE_SERVER_MAX_LOGIN_FAILURES=3\n"
        "SPIE_SERVER_DATABASE_URL=sqlite+pysqlite:///from-file.db\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SPIE_SERVER_CONFIG_FILE", str(config))
    from_file = load_server_settings()
    assert (from_file.port, from_file.max_login_failures) == (9000, 3)
    assert from_file.database_url == "sqlite+pysqlite:///from-file.db"
    monkeypatch.setenv("SPIE_SERVER_PORT", "9001")
    assert load_server_settings().port == 9001
    assert load_server_settings(port=9002).port == 9002
    assert load_server_settings(port=None).port == 9001  # None: option not given


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SPIE_SERVER_PORT", "huit", "SPIE_SERVER_PORT invalide : nombre entier attendu"),
        ("SPIE_SERVER_PORT", "70000", "SPIE_SERVER_PORT invalide : au plus 65535"),
        ("SPIE_SERVER_WORKERS", "0", "SPIE_SERVER_WORKERS invalide : au moins 1"),
        ("SPIE_SERVER_LOG_LEVEL", "bavard", "SPIE_SERVER_LOG_LEVEL invalide : une valeur parmi"),
        ("SPIE_SERVER_ACCESS_TOKEN_TTL_S", "-5", "SPIE_SERVER_ACCESS_TOKEN_TTL_S invalide"),
        ("SPIE_SERVER_COMMIT_DELAY_S", "vite", "SPIE_SERVER_COMMIT_DELAY_S invalide : nombre"),
        ("SPIE_SERVER_MAX_DECOMPRESSED_BYTES", "2048", "au moins max_body_bytes"),
    ],
)
def test_bad_values_refused_in_french(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ServerSettingsError, match=re.escape(expected)):
        load_server_settings()


def test_unknown_line_or_missing_file_refused(tmp_path: Path) -> None:
    config = tmp_path / "typo.env"
    config.write_text("SPIE_SERVER_PORTT=9000\n", encoding="utf-8")
    with pytest.raises(ServerSettingsError, match="SPIE_SERVER_PORTT inconnu"):
        load_server_settings(config)
    with pytest.raises(ServerSettingsError, match="fichier de réglages introuvable"):
        load_server_settings(tmp_path / "absent.env")


@given(port=st.integers(min_value=-(10**6), max_value=10**6))
def test_port_accepted_exactly_in_range(port: int) -> None:
    if 1 <= port <= 65535:
        assert ServerSettings(database_url="sqlite://", port=port).port == port
    else:
        with pytest.raises(ValueError):
            ServerSettings(database_url="sqlite://", port=port)


def test_server_cli_refuses_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SPIE_SERVER_PORT", "huit")
    assert server_cli.main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "SPIE_SERVER_PORT invalide" in err and "Traceback" not in err


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [n for n in SETTINGS if f"| `{ENV_PREFIX}{n.upper()}` |" not in readme]
    assert not missing, f"README « Server settings » lacks {missing}"
