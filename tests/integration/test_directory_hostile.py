"""The directory's sync against careless and hostile conditions (issue 16): no token or a
forged one, and a link cut in the middle of the first directory download."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from spie_desktop.store.local_models import DirectoryService
from sync.server.directory import import_files
from tests.faults.tcp_fault_proxy import FaultProxy
from tests.support import directory_data


def _import(world: Any, tmp_path: Path, count: int) -> list[dict[str, Any]]:
    structures = directory_data.structures(max(1, count // 20))
    services = directory_data.services(count, structures)
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(structures + services, ensure_ascii=False), encoding="utf-8")
    import_files(world.engine, [path], now=world.settings.now())
    return services


def test_the_directory_is_not_given_without_a_valid_token(world: Any, tmp_path: Path) -> None:
    _import(world, tmp_path, 5)
    for headers in ({}, {"Authorization": "Bearer forged.token.value"}):
        answer = httpx.get(f"{world.url}/sync/directory", params={"since": "0"}, headers=headers)
        assert answer.status_code == 401, answer.text
        assert answer.json()["code"]
        assert "services" not in answer.text


def test_a_link_cut_during_the_first_directory_download_resumes_without_duplicates(
    world: Any, tmp_path: Path
) -> None:
    services = _import(world, tmp_path, 600)
    world.user("alice.martin")
    with FaultProxy(world.server.port) as proxy:
        device = world.device("alice", "alice.martin", url=proxy.url)
        proxy.cut_response("/sync/directory", after_bytes=4000, times=2)
        report = device.sync(expect_ok=False)
        for _ in range(3):  # the retries may run out on a cut: the next sync goes on
            if report.ok:
                break
            report = device.sync(expect_ok=False)
        assert report.ok, report
        assert proxy.stats.cuts == 2
        assert device.sync().directory == 0  # nothing left to download
    with device.store.read() as session:
        held = session.execute(select(DirectoryService.id)).scalars().all()
        distinct = session.scalar(select(func.count(func.distinct(DirectoryService.id))))
    assert len(held) == distinct == len(services)
    assert set(held) == {s["id"] for s in services}
