"""Entry point (no display → French instructions, exit 2) and the background operations."""

from __future__ import annotations

import threading

import pytest

from spie_desktop.entry.app import EXIT_NO_DISPLAY, DesktopOptions, has_display, run_desktop
from spie_desktop.errors import ValidationError
from ui.workers import Ops, StoreLockedError, error_message


def test_without_a_display_it_says_how_to_run_it(monkeypatch, capsys) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr("sys.platform", "linux")
    assert run_desktop(DesktopOptions(demo=True)) == EXIT_NO_DISPLAY
    err = capsys.readouterr().err
    assert "aucun affichage graphique" in err
    assert "xvfb-run -a make demo" in err


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_has_display(environ, platform, expected) -> None:
    assert has_display(environ, platform) is expected


def test_ops_results_come_back_on_the_ui_thread(qtbot, seeded) -> None:
    from spie_desktop.store.store import Store
    from tests.ui.conftest import PASSPHRASE

    ops = Ops()
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    ops.set_store(store)
    main_thread = threading.current_thread()
    seen: dict[str, object] = {}

    def read(s: Store) -> str:
        seen["worker"] = threading.current_thread()
        return s.device_id

    def done(value: str) -> None:
        seen["ui"] = threading.current_thread()
        seen["value"] = value

    ops.read(read, done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5_000)
    assert seen["ui"] is main_thread and seen["worker"] is not main_thread
    assert seen["value"] == store.device_id

    # Errors go to the error callback, in French.
    errors: list[BaseException] = []

    def fail(_s: Store) -> None:
        raise ValidationError("Valeur refusée.", field="x")

    ops.write(fail, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert error_message(errors[0]) == "Valeur refusée."

    # A result computed before a lock is dropped; after the lock, work is refused.
    late: list[object] = []
    gate = threading.Event()

    def slow(s: Store) -> str:
        gate.wait(5)
        return "trop tard"

    ops.read(slow, late.append)
    ops.drop_store().result(timeout=5)
    gate.set()
    assert ops.wait_idle(5_000)
    assert late == []
    refused: list[BaseException] = []
    ops.read(lambda s: 1, None, refused.append)
    qtbot.waitUntil(lambda: bool(refused), timeout=5_000)
    assert isinstance(refused[0], StoreLockedError)
    assert "verrouillée" in error_message(refused[0])
    ops.shutdown()
