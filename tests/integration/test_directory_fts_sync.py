"""The directory's word index (FTS5, device migration 0014) follows what the sync brings:
a service renamed is found by its new name and no longer by its old one, a closed one
leaves the open searches, one listed again comes back once, and a directory downloaded
again leaves no stale word behind (issue 16). Real server on loopback, real SQLCipher."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from spie_desktop.services import directory
from spie_desktop.services.directory import Criteria
from spie_desktop.store.local_models import DirectoryService
from sync.client import STATE_DIRECTORY_CURSOR
from sync.server.directory import import_files
from tests.support import directory_data


def _import(world: Any, path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    report = import_files(world.engine, [path], now=world.settings.now())
    assert not report.problems, report.problems[:3]


def _found(device: Any, typed: str, *, include_closed: bool = False) -> list[str]:
    with device.store.read() as session:
        result = directory.search(session, Criteria(text=typed, include_closed=include_closed))
        assert result.total == len(result.hits)
        return [hit.id for hit in result.hits]


def _index_rows(device: Any) -> tuple[int, int]:
    """(rows in the word index, services held): one for one, nothing stale."""
    with device.store.read() as session:
        indexed = session.scalar(text("SELECT count(*) FROM directory_service_fts"))
        held = session.scalar(select(func.count()).select_from(DirectoryService))
        return int(indexed or 0), int(held or 0)


def test_the_word_index_follows_renames_closures_and_imports_again(
    world: Any, tmp_path: Path
) -> None:
    world.user("alice.martin")
    structures = directory_data.structures(3)
    services = directory_data.services(40, structures)
    old = dict(services[0], nom="Quokkathèque ancienne", description="Prêt de vélos")
    gone = dict(services[1], nom="Ornithorynque solidaire")
    _import(world, tmp_path / "1.json", [*structures, old, gone, *services[2:]])
    alice = world.device("alice", "alice.martin")
    assert alice.sync().directory == 43
    assert _found(alice, "QUOKKATHEQUE") == [old["id"]]
    assert _found(alice, "ornithorynque") == [gone["id"]]
    assert _index_rows(alice) == (40, 40)

    # Renamed (the old words gone, new ones with accents and a 2-letter word), and one
    # service no longer listed: closed.
    renamed = dict(old, nom="Zébulon Qz garage", description="Réparation à prix solidaire")
    _import(world, tmp_path / "2.json", [*structures, renamed, *services[2:]])
    assert alice.sync().directory == 2
    assert _found(alice, "quokkatheque") == []
    assert _found(alice, "velos") == []  # the old description too
    assert _found(alice, "zebulon") == [renamed["id"]]
    assert _found(alice, "Réparation zébulon qz") == [renamed["id"]]
    assert _found(alice, "qz") == [renamed["id"]]  # too short for the trigram index
    assert _found(alice, "ornithorynque") == []
    assert _found(alice, "ornithorynque", include_closed=True) == [gone["id"]]
    assert _index_rows(alice) == (40, 40)

    # Listed again: open, found once.
    _import(world, tmp_path / "3.json", [*structures, renamed, gone, *services[2:]])
    assert alice.sync().directory == 1
    assert _found(alice, "ornithorynque") == [gone["id"]]
    assert _index_rows(alice) == (40, 40)

    # Downloaded again from the start (a server restored from a backup): the same index.
    with alice.store.write() as session:
        alice.store.set_state(session, STATE_DIRECTORY_CURSOR, "999:service:zzz")
    assert alice.sync().directory == 43
    assert _index_rows(alice) == (40, 40)
    assert _found(alice, "zebulon") == [renamed["id"]]
    assert _found(alice, "quokkatheque") == []


def test_words_that_look_like_fts_syntax_are_only_words(world: Any, tmp_path: Path) -> None:
    world.user("alice.martin")
    structures = directory_data.structures(1)
    services = directory_data.services(5, structures)
    wanted = dict(services[0], nom="Atelier « NEAR » cœur-de-ville", description="AND OR NOT")
    _import(world, tmp_path / "1.json", [*structures, wanted, *services[1:]])
    alice = world.device("alice", "alice.martin")
    alice.sync()
    for typed in ('"near"', "near*", "NEAR(cœur", "cœur^", "and or not", "de-ville"):
        assert _found(alice, typed) == [wanted["id"]], typed
    assert _found(alice, "near(x") == []
    for typed in ("*", '"', '""', "^", "():"):  # no word at all: every open service
        assert len(_found(alice, typed)) == 5, typed
