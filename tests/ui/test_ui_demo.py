"""``spie-desktop --demo`` without the sync server: a local demo store, then a plain unlock."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from spie_desktop.entry.app import demo_runner
from tests.support.devkit import ServerProcess, ServerThread
from tests.ui.conftest import wait_idle
from ui.demo import DEMO_PASSPHRASE, DemoRunner, device_dir


def test_local_demo_then_unlock(make_app, tmp_path: Path, qtbot, monkeypatch) -> None:
    root = tmp_path / "demo"
    parts = make_app(device_dir(root, "referent"))
    runner = DemoRunner(parts, root)
    runner.start()
    window = parts.window
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=60_000)
    window.caseload.status_filter.setCurrentIndex(0)  # « Statut : tous »: every demo person
    qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 150, timeout=10_000)
    wait_idle(qtbot, parts)
    assert "Démonstration locale" in window.status.note.text()
    assert DEMO_PASSPHRASE in window.unlock_page.demo_hint.text()

    # Next start on the same directory: unlocked directly with the demo passphrase.
    window.lock("manual")
    again = make_app(device_dir(root, "referent"))
    DemoRunner(again, root).start()
    qtbot.waitUntil(
        lambda: again.window.pages.currentWidget() is again.window.workspace, timeout=30_000
    )
    runner.stop()


@pytest.mark.parametrize("frozen", [False, True], ids=["server-process", "frozen-server-thread"])
def test_demo_with_its_local_server(
    make_app, tmp_path: Path, qtbot, monkeypatch, frozen: bool
) -> None:
    """``make demo``: a local server filled with demo data, the app logged in and synced.

    From source the server is a child process; in the PyInstaller bundle (no Python to run
    ``-m spie_desktop.entry.server`` with) it runs in a thread of the application.
    """
    monkeypatch.setattr("spie_desktop.entry.demo.running_frozen", lambda: frozen)
    root = tmp_path / "demo"
    parts = make_app(device_dir(root, "referent"))
    runner = demo_runner(parts, root)
    try:
        runner.start()
        window = parts.window
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=120_000)
        # Every demo person arrived: « Statut : tous » (the caseload shows active persons by
        # default, issue 12).
        window.caseload.status_filter.setCurrentIndex(0)
        qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 150, timeout=60_000)
        wait_idle(qtbot, parts)
        assert "demo.referent" in window.status.note.text()
        assert runner.server is not None
        expected = ServerThread if frozen else ServerProcess
        assert isinstance(runner.server.process, expected)
        health = httpx.get(runner.server.url + "/openapi.json", timeout=10)
        assert health.status_code == 200
        assert parts.session.settings.server_url == runner.server.url
    finally:
        runner.stop()
