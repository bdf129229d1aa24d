"""Fixtures of the sync integration tests: a real server on loopback over HTTP, real
SQLCipher device stores, SQLite by default and a real PostgreSQL when
``SPIE_TEST_POSTGRES_URL`` is set (CI). Each PostgreSQL test gets its own database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from sync.server.admin import Admin
from sync.server.db import database_url
from sync.server.settings import ServerSettings
from tests.support.contract import OpenApiContract, WireRecorder, server_openapi
from tests.support.devkit import Device, ServerThread

POSTGRES_ENV = "SPIE_TEST_POSTGRES_URL"
PASSWORD = "mot-de-passe-test"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (dropped afterwards); skips without PostgreSQL."""
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} absent : pas de PostgreSQL pour ce test")
    import psycopg

    url = make_url(base)
    name = f"spie_test_{uuid.uuid4().hex[:12]}"
    admin_conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(tmp_path: Path, url: str | None = None) -> ServerSettings:
    data_dir = tmp_path / "server"
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = ServerSettings(database_url=url or database_url(data_dir, None), data_dir=data_dir)
    return settings.fast_hashing()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and postgres_url() is None:
        pytest.skip(f"{POSTGRES_ENV} absent : PostgreSQL testé en CI")
    return str(request.param)


class World:
    """A running server, its administration, and devices made on demand."""

    def __init__(self, root: Path, server: ServerThread) -> None:
        self.root = root
        self.server = server
        self.settings = server.settings
        self.admin = Admin(server.engine, server.settings, migrate_schema=False, actor="test")
        self.devices: list[Device] = []

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        return self.server.engine

    def user(self, username: str, *, role: str = "referent", team: str | None = None) -> uuid.UUID:
        referent_id, _ = self.admin.create_user(
            username,
            first_name=username.split(".")[0].capitalize(),
            last_name=username.split(".")[-1].capitalize(),
            role=role,
            team=team,
            password=PASSWORD,
        )
        return referent_id

    def device(
        self, name: str, username: str | None = None, *, url: str | None = None, **options: object
    ) -> Device:
        device = Device(self.root / "devices", name, url or self.url, **options)
        self.devices.append(device)
        if username is not None:
            device.login(username, PASSWORD)
        return device

    def restart(self, before_start: Callable[[], None] | None = None) -> None:
        """Stop the server, optionally tamper with its files, start it on the same port."""
        port = self.server.port
        self.server.stop()
        if before_start is not None:
            before_start()
        self.server = ServerThread(self.settings, port=port).start()
        self.admin = Admin(self.server.engine, self.settings, migrate_schema=False, actor="test")

    def close(self) -> None:
        for device in self.devices:
            device.close()


def _world(tmp_path: Path, url: str | None) -> Iterator[World]:
    settings = make_settings(tmp_path, url)
    server = ServerThread(settings).start()
    world = World(tmp_path, server)
    try:
        yield world
    finally:
        world.close()
        world.server.stop()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """SQLite server."""
    yield from _world(tmp_path, None)


@pytest.fixture
def any_world(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[World]:
    """The same test on SQLite and (when available) PostgreSQL."""
    url = None
    if backend == "postgres":
        url = request.getfixturevalue("postgres_database")
    yield from _world(tmp_path, url)


@pytest.fixture(scope="module")
def module_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One SQLite server shared by a module's tests (each test makes its own accounts)."""
    yield from _world(tmp_path_factory.mktemp("world"), None)


@pytest.fixture(scope="session")
def wire_contract() -> OpenApiContract:
    return OpenApiContract(server_openapi())


@pytest.fixture(autouse=True)
def wire_checked(wire_contract: OpenApiContract) -> Iterator[WireRecorder]:
    """Every exchange of every integration test is checked against the OpenAPI document
    (issue 9): a client and a server that drift apart fail here, whichever side moved."""
    with WireRecorder().installed() as recorder:
        yield recorder
    problems = [p for exchange in recorder.exchanges for p in wire_contract.violations(exchange)]
    if problems:
        shown = "\n".join(dict.fromkeys(problems))
        pytest.fail(f"échanges hors contrat OpenAPI ({len(problems)}) :\n{shown[:4000]}")
