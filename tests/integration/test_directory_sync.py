"""The directory reaches devices through the sync (issue 16): a separate scope, the same for
every device, downloaded whole by a fresh device and then incrementally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from spie_desktop.services import directory
from spie_desktop.store.local_models import (
    DirectoryService,
    DirectoryServiceData,
    DirectoryStructure,
)
from sync.client import STATE_DIRECTORY_CURSOR
from sync.server.directory import import_files
from tests.support import directory_data


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


class _Held:
    def __init__(self, row: DirectoryService, data: dict[str, Any]) -> None:
        self.status, self.name, self.data = row.status, row.name, data


def _services(device: Any) -> dict[str, _Held]:
    with device.store.read() as session:
        rows = session.execute(select(DirectoryService)).scalars().all()
        data = dict((r.id, r.data) for r in session.execute(select(DirectoryServiceData)).scalars())
        return {row.id: _Held(row, data[row.id]) for row in rows}


def test_directory_reaches_a_fresh_device_then_updates_incrementally(
    world: Any, tmp_path: Path
) -> None:
    world.user("alice.martin")
    world.user("bruno.petit")
    structures = directory_data.structures(6)
    services = directory_data.services(120, structures)
    import_files(world.engine, [_write(tmp_path / "1.json", structures + services)],
                 now=world.settings.now())  # fmt: skip
    alice = world.device("alice", "alice.martin")
    report = alice.sync()
    assert report.directory == 126
    held = _services(alice)
    assert set(held) == {s["id"] for s in services}
    assert all(row.status == "open" for row in held.values())
    with alice.store.read() as session:
        assert session.scalar(select(func.count()).select_from(DirectoryStructure)) == 6
    # Nothing new: nothing downloaded again.
    assert alice.sync().directory == 0
    # A changed service and a service no longer listed: only those two travel.
    changed = dict(services[3], telephone="+33478999999", nom="Aide au permis (nouvelle formule)")
    import_files(
        world.engine,
        [_write(tmp_path / "2.json", [*structures, changed, *services[:3], *services[4:119]])],
        now=world.settings.now(),
    )
    report = alice.sync()
    assert report.directory == 2
    held = _services(alice)
    assert held[services[3]["id"]].data["telephone"] == "+33478999999"
    assert held[services[3]["id"]].name == "Aide au permis (nouvelle formule)"
    assert held[services[119]["id"]].status == "closed"
    with alice.store.read() as session:
        found = directory.search(session, directory.Criteria(text="nouvelle formule"))
        assert [hit.id for hit in found.hits] == [services[3]["id"]]
        closed = directory.search(session, directory.Criteria(text=services[119]["nom"]))
        assert closed.hits == []
    # Another referent's device, and a fresh one, get the same directory (not per person).
    bruno = world.device("bruno", "bruno.petit")
    bruno.sync()
    assert {k: (v.status, v.data) for k, v in _services(bruno).items()} == {
        k: (v.status, v.data) for k, v in _services(alice).items()
    }


def test_an_unknown_directory_cursor_downloads_it_again(world: Any, tmp_path: Path) -> None:
    world.user("alice.martin")
    structures = directory_data.structures(2)
    services = directory_data.services(5, structures)
    import_files(world.engine, [_write(tmp_path / "1.json", structures + services)],
                 now=world.settings.now())  # fmt: skip
    alice = world.device("alice", "alice.martin")
    alice.sync()
    # As if the server had been restored from a backup older than the device's cursor.
    with alice.store.write() as session:
        alice.store.set_state(session, STATE_DIRECTORY_CURSOR, "999:service:zzz")
    report = alice.sync()
    assert report.ok and report.directory == 7
    assert len(_services(alice)) == 5
