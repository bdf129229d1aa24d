"""Killing the app while it changes the passphrase (Settings → « Phrase de passe ») never
locks the referent out of her store and loses nothing: a real process, SIGKILL.

A child process changes the passphrase as Settings does (``passphrase_child.py``). The test
kills it at every step of the change that derives a key or touches the disk (discovered by
a first run that is not killed, so a new step is covered without editing the test), in
the middle of the vault's write included, then at random moments of a loop of changes. After
each kill: the old or the new passphrase opens the store — exactly one of them, the new
one once the vault's rename is done —, the other is refused, every row is there, and once
it has opened no ``.vault.json.*.tmp`` is left (it holds the data key wrapped under the
passphrase being set).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from spie_desktop.domain.models import Note, Person
from spie_desktop.errors import WrongPassphraseError
from spie_desktop.services import notes, persons
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.vault import KdfParams
from tests.conftest import add_referent
from tests.faults.passphrase_child import phrase

CHILD = Path(__file__).with_name("passphrase_child.py")
REPO = Path(__file__).resolve().parents[2]
LINE_TIMEOUT = 60.0

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def _make_store(root: Path) -> tuple[Path, Path, dict[str, int]]:
    """A store under ``phrase(0)`` holding persons and notes; the row counts."""
    data_dir, ring = root / "data", root / "ring.json"
    store = Store.create(
        data_dir, phrase(0), kdf=KdfParams.fast_for_tests(), keyring_backend=FileKeyring(ring)
    )
    try:
        actor = Actor(add_referent(store), store.device_id)
        with store.write() as session:
            for i in range(20):
                person = persons.create_person(
                    session, actor, {"first_name": f"Prénom{i}", "last_name": f"NOM{i}"}
                )
                notes.write_note(session, actor, person.id, f"Note {i} : entretien.")
        counts = _counts(store)
    finally:
        store.close()
    return data_dir, ring, counts


def _counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {
            "persons": session.execute(select(func.count()).select_from(Person)).scalar_one(),
            "notes": session.execute(select(func.count()).select_from(Note)).scalar_one(),
            "integrity": int(session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"),
        }


def _opens(data_dir: Path, ring: Path, passphrase: str) -> dict[str, int] | None:
    """The store's counts when ``passphrase`` opens it, None when it is refused."""
    try:
        store = Store.open(data_dir, passphrase, keyring_backend=FileKeyring(ring))
    except WrongPassphraseError:
        return None
    try:
        return _counts(store)
    finally:
        store.close()


def _leftovers(data_dir: Path) -> list[str]:
    """Temporary vault files a killed write left behind."""
    return sorted(path.name for path in data_dir.glob(".vault.json.*.tmp"))


def _child(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=REPO, env=env,
    )  # fmt: skip


def _read_until(child: subprocess.Popen[bytes], last: str) -> list[str]:
    """The child's lines up to and including the first one starting with ``last``."""
    assert child.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + LINE_TIMEOUT
    while time.monotonic() < deadline:
        raw = child.stdout.readline()
        if not raw:
            err = child.stderr.read().decode() if child.stderr else ""
            raise AssertionError(f"the child ended before « {last} »: {lines} {err}")
        line = raw.decode().strip()
        lines.append(line)
        if line.startswith(last):
            return lines
    raise AssertionError(f"no « {last} » within {LINE_TIMEOUT} s: {lines}")


def _kill(child: subprocess.Popen[bytes]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=LINE_TIMEOUT)
    assert child.returncode == -signal.SIGKILL
    for stream in (child.stdout, child.stderr):
        if stream is not None:
            stream.close()


def _steps(data_dir: Path, ring: Path) -> list[str]:
    """The steps of one change, from a run that is not killed."""
    child = _child(str(data_dir), str(ring), "step", "0")
    lines = _read_until(child, "done")
    assert child.wait(timeout=LINE_TIMEOUT) == 0
    for stream in (child.stdout, child.stderr):
        if stream is not None:
            stream.close()
    return [line.split(" ", 2)[2] for line in lines if line.startswith("point ")]


def test_a_kill_at_any_step_of_a_passphrase_change_leaves_one_passphrase_and_all_data(
    tmp_path: Path,
) -> None:
    reference, ring, counts = _make_store(tmp_path / "ref")
    assert counts == {"persons": 20, "notes": 20, "integrity": 1}

    survey = tmp_path / "survey"
    shutil.copytree(reference.parent, survey)
    steps = _steps(survey / "data", survey / ring.name)
    assert _opens(survey / "data", survey / ring.name, phrase(1)) == counts
    assert _opens(survey / "data", survey / ring.name, phrase(0)) is None
    # the two derivations, the temporary file written in two halves, synced, renamed
    for step in ("after derive", "half written", "before replace", "after replace"):
        assert step in steps, steps
    renamed = steps.index("after replace")

    outcomes: dict[str, str] = {}
    for index, step in enumerate(steps, start=1):
        run = tmp_path / f"kill-{index}"
        shutil.copytree(reference.parent, run)
        data_dir, run_ring = run / "data", run / ring.name
        child = _child(str(data_dir), str(run_ring), "step", str(index))
        seen = _read_until(child, "stopped")
        assert seen[-2] == f"point {index} {step}", seen
        _kill(child)

        old = _opens(data_dir, run_ring, phrase(0))
        new = _opens(data_dir, run_ring, phrase(1))
        assert (old is None) != (new is None), f"killed at « {step} »: old {old}, new {new}"
        assert (old or new) == counts, f"killed at « {step} »: data {old or new}"
        outcomes[step] = "new" if new else "old"
        expected = "new" if index > renamed else "old"
        assert outcomes[step] == expected, f"killed at « {step} »: the {outcomes[step]} opens"
        # the open that succeeded removed what the kill left (a wrapped key in a temp file)
        assert _leftovers(data_dir) == [], f"killed at « {step} »: {_leftovers(data_dir)}"
        assert (data_dir / "vault.json").is_file()
        # a change after the kill still works, from whichever passphrase opens
        current = phrase(1) if new else phrase(0)
        store = Store.open(data_dir, current, keyring_backend=FileKeyring(run_ring))
        store.close()
    assert set(outcomes.values()) == {"old", "new"}


def test_kills_at_random_moments_of_repeated_changes(tmp_path: Path) -> None:
    """Changes one after the other (k → k + 1), killed after a random delay: the store opens
    with the last passphrase the child reported changed or with the one it was writing, never
    neither, and nothing is lost."""
    data_dir, ring, counts = _make_store(tmp_path)
    rng = random.Random(12)
    current = 0
    for _ in range(10):
        child = _child(str(data_dir), str(ring), "loop", str(current))
        _read_until(child, "ready")
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(child.pid, signal.SIGKILL)
        out, _err = child.communicate(timeout=LINE_TIMEOUT)
        assert child.returncode == -signal.SIGKILL
        reported = [
            int(line.split()[1]) for line in out.decode().split("\n") if line.startswith("changed")
        ]
        last = reported[-1] if reported else current
        new = _opens(data_dir, ring, phrase(last + 1))
        old = _opens(data_dir, ring, phrase(last)) if new is None else None
        assert (old is None) != (new is None), f"after « changed {last} »: neither opens"
        assert (old or new) == counts
        assert _leftovers(data_dir) == [], f"after « changed {last} »: {_leftovers(data_dir)}"
        current = last + 1 if new else last
    assert current > 0  # changes did complete between the kills
