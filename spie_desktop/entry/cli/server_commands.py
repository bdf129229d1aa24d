"""``spie-server``'s commands that run the server: ``serve`` and ``migrate``.

With no ``--database-url`` (nor ``SPIE_SERVER_DATABASE_URL``) the server keeps its data in
SQLite in ``--data-dir`` (``SPIE_SERVER_DATA_DIR``, default ``./spie-server-data``): no
setup. For a department, ``--database-url postgresql+psycopg://user@host/db``. The schema
is created and migrated at every start.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spie_desktop.entry.cli.base import EXIT_OK, Commands, Context, integer
from spie_desktop.errors import SpieError
from sync.server.db import ENV_DATABASE_URL
from sync.server.settings import (
    DEFAULT_DATA_DIR,
    ENV_PREFIX,
    ServerSettings,
    ServerSettingsError,
    load_server_settings,
)

ENV_DATA_DIR = f"{ENV_PREFIX}DATA_DIR"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def locate_server_data(option: str | None, environ: Mapping[str, str]) -> Path:
    """The server's data directory: ``--data-dir``, else ``SPIE_SERVER_DATA_DIR``, else
    ``./spie-server-data``."""
    return Path(option or environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR)


def server_settings(args: argparse.Namespace, ctx: Context) -> ServerSettings:
    """The settings: command-line options over ``SPIE_SERVER_*`` over the settings file
    (:func:`sync.server.settings.load_server_settings`)."""
    return load_server_settings(
        database_url=getattr(args, "database_url", None) or None,
        data_dir=ctx.data_dir_option or None,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        workers=getattr(args, "workers", None),
        log_level=getattr(args, "log_level", None),
    )


def settings_error(exc: BaseException) -> SpieError | None:
    """A refused setting (or any value the server cannot use): French, exit code 2."""
    if isinstance(exc, ServerSettingsError | ValueError):
        return SpieError(str(exc), code="invalid_value")
    return None


def app_from_env() -> Any:
    """uvicorn factory for ``--workers N`` (each worker builds its own app)."""
    from sync.server.app import create_app

    return create_app(load_server_settings())


def redact(url: str) -> str:
    """A database URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def cmd_serve(args: argparse.Namespace, ctx: Context) -> int:
    import uvicorn

    from sync.server.app import UVICORN_LIMITS, create_app

    settings = server_settings(args, ctx)
    if settings.workers > 1:
        os.environ[ENV_DATABASE_URL] = settings.database_url
        if settings.data_dir is not None:
            os.environ[ENV_DATA_DIR] = str(settings.data_dir)
        from sync.server import migrate
        from sync.server.db import make_engine

        engine = make_engine(settings.database_url)
        migrate.upgrade(engine)
        engine.dispose()
        uvicorn.run(
            f"{__name__}:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
            **UVICORN_LIMITS,
        )
        return EXIT_OK
    app = create_app(settings)
    print(
        f"Serveur SPIE sur http://{settings.host}:{settings.port} "
        f"(base : {redact(settings.database_url)})",
        file=ctx.err,
        flush=True,
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        **UVICORN_LIMITS,
    )
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace, ctx: Context) -> int:
    from sync.server import migrate
    from sync.server.db import make_engine

    settings = server_settings(args, ctx)
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    engine.dispose()
    ctx.say(f"Schéma à jour ({migrate.head_revision()}).")
    ctx.emit({"ok": True, "revision": migrate.head_revision()})
    return EXIT_OK


def register(commands: Commands) -> None:
    """Add ``serve`` and ``migrate`` to ``spie-server``."""
    serve = commands.add(
        "serve",
        "lancer le serveur",
        cmd_serve,
        description="Lancer le serveur de synchronisation (le schéma de la base est créé ou "
        "mis à jour au démarrage).",
    )
    # Defaults: the server's settings (SPIE_SERVER_HOST, _PORT, _WORKERS, _LOG_LEVEL, the
    # settings file, else 127.0.0.1, 8470, 1, warning).
    serve.add_argument(
        "--host", default=None, metavar="ADRESSE",
        help="adresse d'écoute (sinon SPIE_SERVER_HOST ; par défaut : 127.0.0.1, cette "
        "machine seulement)",
    )  # fmt: skip
    serve.add_argument(
        "--port", type=integer(1, 65535), default=None, metavar="PORT",
        help="port d'écoute (sinon SPIE_SERVER_PORT ; par défaut : 8470)",
    )  # fmt: skip
    serve.add_argument(
        "--workers", type=integer(1, 64), default=None, metavar="N",
        help="nombre de processus de service (sinon SPIE_SERVER_WORKERS ; par défaut : 1)",
    )  # fmt: skip
    serve.add_argument(
        "--log-level", choices=LOG_LEVELS, default=None, metavar="NIVEAU",
        help="détail du journal : " + ", ".join(LOG_LEVELS)
        + " (sinon SPIE_SERVER_LOG_LEVEL ; par défaut : warning)",
    )  # fmt: skip
    commands.add(
        "migrate",
        "mettre le schéma de la base à jour",
        cmd_migrate,
        description="Créer ou mettre à jour le schéma de la base du serveur, sans le lancer.",
    )
