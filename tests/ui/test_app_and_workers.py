"""Entry point (no display → French instructions, exit 2) and the background operations."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest

from spie_desktop.entry.app import EXIT_NO_DISPLAY, DesktopOptions, has_display, run_desktop
from spie_desktop.errors import ValidationError
from tests.ui.conftest import wait_idle
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


def test_the_writer_announces_what_the_use_case_changed(qtbot, seeded) -> None:
    """Ops.write hands the outcome's value to the callback and its changes (the recorder's,
    declared by nobody) to data_changed; a failure or a non-use-case announces nothing."""
    from spie_desktop.services import usecases
    from spie_desktop.services.operation import Changes
    from spie_desktop.store.store import Actor, Store
    from tests.ui.conftest import PASSPHRASE

    ops = Ops()
    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    ops.set_store(store)
    actor = Actor(seeded.referent_id, store.device_id)
    eloise = seeded.persons["eloise"]
    announced: list[Changes] = []
    ops.data_changed.connect(announced.append)
    values: list[object] = []
    errors: list[BaseException] = []

    ops.write(lambda s: usecases.write_note(s, actor, eloise, "Appel"), values.append)
    assert ops.wait_idle(10_000)
    assert len(values) == 1 and isinstance(values[0], uuid.UUID)
    # A note is audited too: the recorder says so, nobody had to remember it.
    assert announced == [Changes(frozenset({eloise}), frozenset({"note", "audit_event"}))]

    ops.write(lambda s: usecases.write_note(s, actor, eloise, "   "), values.append, errors.append)
    ops.write(lambda s: 42, values.append, errors.append)  # type: ignore[arg-type, return-value]
    assert ops.wait_idle(10_000)
    assert isinstance(errors[0], ValidationError)
    assert isinstance(errors[1], TypeError)
    assert len(values) == 1 and len(announced) == 1

    # Reading a note that is not sensitive writes nothing: the text, and no announcement.
    note_id = values[0]
    assert isinstance(note_id, uuid.UUID)
    ops.write(lambda s: usecases.reveal_note(s, actor, note_id), values.append)
    assert ops.wait_idle(10_000)
    assert values[-1] == "Appel" and len(announced) == 1
    ops.shutdown()


def test_views_refresh_only_for_changes_that_concern_them(app, seeded, qtbot, monkeypatch) -> None:
    from spie_desktop.services import usecases
    from tests.ui.test_person_file import open_file

    eloise, marc = seeded.persons["eloise"], seeded.persons["marc"]
    open_file(app, qtbot, eloise)
    actor = app.session.require_actor()
    reads: list[str] = []
    original = app.ops.read

    def spy(fn, on_done=None, on_error=None, *, owner=None, label="read"):  # type: ignore[no-untyped-def]
        reads.append(label)
        original(fn, on_done, on_error, owner=owner, label=label)

    monkeypatch.setattr(app.ops, "read", spy)

    def write_and_settle(use_case) -> list[str]:  # type: ignore[no-untyped-def]
        reads.clear()
        app.ops.write(use_case)
        wait_idle(qtbot, app)
        qtbot.wait(500)  # the views' debounce timers
        wait_idle(qtbot, app)
        return list(reads)

    # A note for Marc: the caseload refreshes, Éloïse's open file does not.
    seen = write_and_settle(lambda s: usecases.write_note(s, actor, marc, "Appel"))
    assert "caseload" in seen and "reload file" not in seen
    # A note for Éloïse: her file reloads.
    seen = write_and_settle(lambda s: usecases.write_note(s, actor, eloise, "Appel"))
    assert "reload file" in seen and "caseload" in seen
    # Opening Marc's file writes an audit event only: nothing on screen changes.
    now = datetime.now(UTC)
    seen = write_and_settle(lambda s: usecases.open_person_file(s, actor, marc, now))
    assert "reload file" not in seen and "caseload" not in seen
