"""Shared fixtures: a real encrypted store in a temporary directory, and who acts on it.

Kept small and generic on purpose; anything specific to one test module lives there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spie_desktop.domain.enums import Role
from spie_desktop.domain.models import Referent
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.vault import KdfParams

TEST_PASSPHRASE = "phrase de passe de test"


@pytest.fixture
def keyring_backend(tmp_path: Path) -> FileKeyring:
    """A real keyring backend in a file of the test's own directory (no OS keyring touched)."""
    return FileKeyring(tmp_path / "keyring.json")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, keyring_backend: FileKeyring) -> Iterator[Store]:
    """A new encrypted SQLCipher store (weak KDF for speed), closed at teardown."""
    opened = Store.create(
        data_dir, TEST_PASSPHRASE, kdf=KdfParams.fast_for_tests(), keyring_backend=keyring_backend
    )
    try:
        yield opened
    finally:
        opened.close()


def add_referent(
    store: Store,
    *,
    username: str | None = None,
    first_name: str = "Camille",
    last_name: str = "Durand",
    role: str = Role.REFERENT.value,
    active: bool = True,
) -> uuid.UUID:
    """Insert a referent as the server would send it (server-owned table, not in the outbox)."""
    referent_id = uuid.uuid4()
    with store.apply_remote() as session:
        session.add(
            Referent(
                id=referent_id,
                username=username or f"agent-{referent_id.hex[:8]}",
                first_name=first_name,
                last_name=last_name,
                role=role,
                active=active,
            )
        )
    return referent_id


@pytest.fixture
def passphrase() -> str:
    return TEST_PASSPHRASE


@pytest.fixture
def make_referent() -> Callable[..., uuid.UUID]:
    """``make_referent(store, **fields)``: insert a referent as the server would send it."""
    return add_referent


@pytest.fixture
def referent(store: Store) -> uuid.UUID:
    return add_referent(store, username="camille.durand")


@pytest.fixture
def actor(store: Store, referent: uuid.UUID) -> Actor:
    return Actor(referent, store.device_id)


@pytest.fixture
def supervisor_actor(store: Store) -> Actor:
    supervisor = add_referent(
        store,
        username="sam.lefort",
        first_name="Sam",
        last_name="Lefort",
        role=Role.SUPERVISOR.value,
    )
    return Actor(supervisor, store.device_id, role=Role.SUPERVISOR.value)
