"""``spie-desktop --self-test`` from source: the same check the frozen bundle runs in CI.

The full run is a real subprocess (``python -m spie_desktop --self-test``) with no display,
no OS keyring (the ``fail`` backend: any use of it would make the run fail) and its own
temporary directory, which must be empty afterwards. The failure paths run in-process
with one step replaced, so they take milliseconds.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spie_desktop.entry import selftest

ROOT = Path(__file__).resolve().parents[2]
SUCCESS = re.compile(
    r"^Auto-test réussi : base chiffrée, synchronisation, référentiels, traductions, Qt, documents "
    r"\(\d+,\d+ s ; dérivation de clé \d+,\d+ s ; \d+ catalogues? de traduction\)$"
)


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "SPIE_DEBUG")
        and not key.startswith(("SPIE_", "PYTEST_"))
    }
    env["TMPDIR"] = str(tmp_path)
    env["HOME"] = str(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def test_self_test_passes_from_source_without_display_or_keyring(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "spie_desktop", "--self-test"],
        cwd=ROOT,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert SUCCESS.match(lines[0]), lines[0]
    assert not list(tmp_path.glob("spie-selftest-*")), "temporary directory left behind"
    assert os.listdir(tmp_path / "home") == [], "the self-test wrote into the home directory"


def test_help_lists_the_self_test() -> None:
    from spie_desktop.entry.desktop import build_parser

    assert "--self-test" in build_parser().format_help()


def _run_in_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failure: BaseException
) -> tuple[int, str, str]:
    def broken(*_args: object, **_kwargs: object) -> object:
        raise failure

    monkeypatch.setattr(selftest.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(selftest, "_create_store", broken)
    out, err = io.StringIO(), io.StringIO()
    code = selftest.run_self_test(out=out, err=err, environ={})
    return code, out.getvalue(), err.getvalue()


def test_failure_is_one_line_with_the_step_and_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, out, err = _run_in_process(
        monkeypatch, tmp_path, selftest.SelfTestError("la base est en clair sur le disque")
    )
    assert code == selftest.EXIT_FAILED != 0
    assert out == ""
    assert err == "Auto-test échoué (base chiffrée) : la base est en clair sur le disque\n"
    assert not list(tmp_path.glob("spie-selftest-*"))


def test_unexpected_error_is_named_on_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, out, err = _run_in_process(monkeypatch, tmp_path, OSError("No space left\non device"))
    assert code == selftest.EXIT_FAILED
    assert out == ""
    assert err == "Auto-test échoué (base chiffrée) : OSError : No space left on device\n"
    assert not list(tmp_path.glob("spie-selftest-*"))


@pytest.mark.skipif(sys.platform not in ("linux", "win32", "darwin"), reason="no backend named")
def test_a_bundle_without_its_network_information_backend_fails_the_self_test(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """build.spec once left QtNetwork out: the bundle ran, but never synced when the network
    came back. The self-test must say so rather than pass."""
    from PySide6.QtNetwork import QNetworkInformation

    selftest._check_network_information()  # the source run has its backend
    monkeypatch.setattr(QNetworkInformation, "availableBackends", staticmethod(lambda: ["glib"]))
    with pytest.raises(selftest.SelfTestError, match="retour du réseau"):
        selftest._check_network_information()
