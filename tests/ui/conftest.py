"""pytest-qt fixtures: the real application on the offscreen platform, on a real encrypted store.

The store uses the weak test KDF and a keyring in a file of the test's directory; nothing
touches the OS keyring or a display.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import
os.environ.setdefault("QT_ACCESSIBILITY", "0")

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from spie_desktop.domain.enums import Role
from spie_desktop.domain.models import Referent
from spie_desktop.services.appointments import schedule_appointment
from spie_desktop.services.barriers import add_action, open_barrier
from spie_desktop.services.persons import create_person
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.vault import KdfParams

PASSPHRASE = "girafe lundi violon tempête"
FAST = KdfParams.fast_for_tests()


@dataclass
class Seeded:
    data_dir: Path
    keyring: FileKeyring
    referent_id: uuid.UUID
    persons: dict[str, uuid.UUID]


def seed_store(data_dir: Path, keyring: FileKeyring) -> Seeded:
    """A small caseload with known names, statuses, orientations, barriers and alerts."""
    store = Store.create(data_dir, PASSPHRASE, kdf=FAST, keyring_backend=keyring)
    try:
        referent_id = uuid.uuid4()
        with store.apply_remote() as session:
            session.add(
                Referent(
                    id=referent_id,
                    username="camille.durand",
                    first_name="Camille",
                    last_name="Durand",
                    role=Role.REFERENT.value,
                    active=True,
                )
            )
        with store.write() as session:
            store.set_state(session, "user_id", str(referent_id))
            store.set_state(session, "user_role", Role.REFERENT.value)
        actor = Actor(referent_id, store.device_id)
        people = {
            "eloise": {
                "last_name": "Lefèvre",
                "first_name": "Éloïse",
                "follow_up_status": "en_accompagnement",
                "orientation": "social",
                "city": "Nevers",
            },
            "marc": {
                "last_name": "Dupont",
                "first_name": "Marc",
                "follow_up_status": "a_contacter",
                "orientation": "professional",
            },
            "zoe": {
                "last_name": "Abadie",
                "first_name": "Zoé",
                "follow_up_status": "en_accompagnement",
                "orientation": "socio_professional",
            },
            "yann": {
                "last_name": "Zerbib",
                "first_name": "Yann",
                "follow_up_status": "suspendu",
                "orientation": "social",
            },
        }
        ids: dict[str, uuid.UUID] = {}
        with store.write() as session:
            for key, values in people.items():
                ids[key] = create_person(session, actor, values).id
            barrier = open_barrier(session, actor, ids["eloise"], theme="mobilite")
            add_action(
                session,
                actor,
                ids["zoe"],
                custom_label="Dossier de logement",
                start_date=date.today() - timedelta(days=30),
                due_date=date.today() - timedelta(days=3),
            )
            schedule_appointment(
                session,
                actor,
                ids["eloise"],
                # Two days ahead at 10:00, not at the time the tests run: the agenda and
                # appointment tests book 15:15 on that day, and clashed with it after 14:30.
                starts_at=datetime.combine(
                    date.today() + timedelta(days=2), time(10, 0)
                ).astimezone(),
                mode="bureau",
                purpose="suivi",
            )
            assert barrier.id
    finally:
        store.close()
    return Seeded(data_dir, keyring, referent_id, ids)


@pytest.fixture
def keyring_file(tmp_path: Path) -> FileKeyring:
    return FileKeyring(tmp_path / "kr.json")


@pytest.fixture
def seeded(tmp_path: Path, keyring_file: FileKeyring) -> Seeded:
    return seed_store(tmp_path / "data", keyring_file)


@pytest.fixture
def make_app(qtbot, keyring_file: FileKeyring) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """``make_app(data_dir)`` builds the real main window (offscreen) and shows it, with the
    real sync engine unless ``backend=`` is given."""
    from spie_desktop.entry.app import build_desktop
    from ui.app import AppParts

    built: list[AppParts] = []

    def make(data_dir: Path, **kwargs: object) -> AppParts:
        parts = build_desktop(data_dir, keyring_backend=keyring_file, kdf=FAST, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(parts.window)
        parts.window.resize(1440, 900)
        parts.window.show()
        built.append(parts)
        return parts

    yield make
    for parts in built:
        parts.shutdown()


def wait_idle(qtbot, parts) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: parts.ops.pending == 0, timeout=10_000)


def unlock(qtbot, parts, passphrase: str = PASSPHRASE) -> None:  # type: ignore[no-untyped-def]
    page = parts.window.unlock_page
    page.passphrase.setText(passphrase)
    page.button.click()
    qtbot.waitUntil(
        lambda: parts.window.pages.currentWidget() is parts.window.workspace, timeout=10_000
    )
    qtbot.waitUntil(lambda: parts.window.caseload.model.rowCount() > 0, timeout=10_000)
    wait_idle(qtbot, parts)


@pytest.fixture
def app(make_app, seeded: Seeded, qtbot):  # type: ignore[no-untyped-def]
    """The application unlocked on the seeded store."""
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    return parts


def gone(widget) -> bool:  # type: ignore[no-untyped-def]
    """Closed dialogs delete themselves (WA_DeleteOnClose)."""
    import shiboken6

    return not shiboken6.isValid(widget) or not widget.isVisible()


@pytest.fixture
def demo_data(tmp_path: Path, keyring_file):  # type: ignore[no-untyped-def]
    """A demo caseload (orientations, contracts, plans, requests, breaches, closings, the
    audit trail) and a directory, on a real encrypted store."""
    from spie_desktop.demo import DemoSpec, load_into_store
    from spie_desktop.services import directory
    from spie_desktop.store.store import Store
    from tests.support import directory_data

    data_dir = tmp_path / "demo"
    store = Store.create(data_dir, PASSPHRASE, kdf=FAST, keyring_backend=keyring_file)
    try:
        load_into_store(store, DemoSpec(referents=1, persons_per_referent=150))
        structures = directory_data.structures(10)
        services = directory_data.services(80, structures)

        def record(kind: str, data: dict[str, object]) -> dict[str, object]:
            return {"kind": kind, "id": data["id"], "status": "open", "origin": "import",
                    "data": data}  # fmt: skip

        with store.write() as session:
            directory.apply_records(session, [record("structure", s) for s in structures])
            directory.apply_records(session, [record("service", s) for s in services])
            store.set_state(session, "directory_cursor", "1:service:~")
    finally:
        store.close()
    return data_dir
