"""``spie-server``: run and administer the departmental sync server.

::

    spie-server serve [--data-dir D] [--database-url URL] [--host 127.0.0.1] [--port 8470]
                      [--workers N] [--log-level NIVEAU]
    spie-server migrate [--data-dir D | --database-url URL]
    spie-server admin [--data-dir D | --database-url URL] ACTION …

The commands are in :mod:`spie_desktop.entry.cli.server_commands` (``serve``, ``migrate``)
and :mod:`spie_desktop.entry.cli.admin_commands` (``admin``), on the foundation of
:mod:`spie_desktop.entry.cli.base` shared with ``spie-desktop``.

Exit codes: 0 success, 1 internal error, 2 refused (bad input, unknown user…), 3 import
finished with rejected lines, 4 kept digests that differ from their rows (``admin digests
check``).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from spie_desktop.entry.cli import admin_commands, server_commands
from spie_desktop.entry.cli.base import Commands, run
from spie_desktop.entry.cli.french import FrenchParser
from sync.server.settings import DEFAULT_DATA_DIR

__all__ = ["build_parser", "main"]

DATA_DIR_HELP = (
    f"dossier des données SQLite (sinon SPIE_SERVER_DATA_DIR, par défaut : ./{DEFAULT_DATA_DIR})"
)
DATABASE_HELP = (
    "base PostgreSQL (postgresql+psycopg://…) au lieu de SQLite (sinon SPIE_SERVER_DATABASE_URL)"
)
JSON_HELP = "sortie JSON pour les programmes (listes, résultats, erreurs)"


def _options(suppress: bool) -> FrenchParser:
    """``--data-dir``, ``--database-url``, ``--json``: with their defaults, or (after a
    nested action) ``SUPPRESS`` so that a value given earlier is kept."""
    parent = FrenchParser(add_help=False)
    absent = argparse.SUPPRESS if suppress else None
    parent.add_argument("--data-dir", default=absent, metavar="DOSSIER", help=DATA_DIR_HELP)
    parent.add_argument("--database-url", default=absent, metavar="URL", help=DATABASE_HELP)
    parent.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS if suppress else False,
        help=JSON_HELP,
    )  # fmt: skip
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="spie-server",
        description=(
            "Serveur départemental de synchronisation SPIE : le lancer, mettre son schéma à "
            "jour, l'administrer. Sans --database-url, les données sont dans une base SQLite "
            "du dossier --data-dir (aucune installation)."
        ),
        epilog=(
            "Les mots de passe ne sont jamais passés en argument (--password-stdin). Codes de "
            "sortie : 0 succès, 1 erreur interne, 2 refus, 3 import avec des lignes refusées, "
            "4 empreintes de dossiers qui diffèrent (admin digests check), 130 interruption."
        ),
    )
    commands = Commands(parser, parents=[_options(False)], required=True)
    server_commands.register(commands)
    admin = commands.group(
        "admin",
        "administration : équipes, comptes, passations, appareils, import, purge, audit",
        description="Administrer le serveur : équipes, comptes, passations, appareils "
        "révoqués, import CSV, purge de conservation, effacement RGPD, journal d'audit, "
        "démonstration.",
        parents=[_options(True)],
    )
    admin_commands.register(admin)
    return parser


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run ``spie-server``; returns the exit code."""
    return run(
        build_parser(),
        argv,
        locator=server_commands.locate_server_data,
        map_error=server_commands.settings_error,
        environ=environ,
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
