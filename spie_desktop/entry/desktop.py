"""``spie-desktop``: the desktop application, and the command line of support staff.

Without a command it starts the desktop application
(:func:`spie_desktop.entry.app.run_desktop`, with ``--data-dir``, ``--demo``, ``--as``,
``--lang``); ``--self-test`` checks an installation without a display
(:mod:`spie_desktop.entry.selftest`). The commands::

    spie-desktop init | demo-data | stats | check | passwd | export-person    the store
    spie-desktop print-file | print-convocation | print-summary |            documents
                 export-agenda | export-invitation
    spie-desktop login | sync | status                                       the sync

are in :mod:`spie_desktop.entry.cli.store_commands`,
:mod:`spie_desktop.entry.cli.document_commands` and
:mod:`spie_desktop.entry.cli.sync_commands`, on the foundation of
:mod:`spie_desktop.entry.cli.base` (context, secrets, exit codes, errors, French help).
``--data-dir`` and ``--json`` are accepted before or after the command. Without
``--data-dir`` the directory comes from :mod:`spie_desktop.config` (``SPIE_DATA_DIR``,
portable mode, else the per-user data directory).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from spie_desktop import __version__
from spie_desktop.config import locate_data_dir
from spie_desktop.entry.cli import document_commands, store_commands, sync_commands
from spie_desktop.entry.cli.base import Commands, Context, run
from spie_desktop.entry.cli.french import FrenchParser
from spie_desktop.errors import MissingExtraError, SpieError

if TYPE_CHECKING:
    from spie_desktop.entry.app import DesktopOptions

__all__ = ["build_parser", "desktop_options", "main"]

DATA_DIR_HELP = "dossier des données (sinon SPIE_DATA_DIR, mode portable ou dossier utilisateur)"
JSON_HELP = "sortie JSON pour les programmes (erreurs comprises)"


def locate(option: str | None, environ: Mapping[str, str]) -> Path:
    return locate_data_dir(option, environ=environ).path


def desktop_options(args: argparse.Namespace) -> DesktopOptions:
    """The application's options given to ``spie-desktop``."""
    from spie_desktop.entry.app import DesktopOptions

    return DesktopOptions(
        data_dir=args.data_dir, demo=args.demo, demo_role=args.demo_role, language=args.lang
    )


def launch(args: argparse.Namespace, ctx: Context) -> int:
    """No command: the self-test, or the desktop application (or say it is missing)."""
    if args.self_test:
        from spie_desktop.entry.selftest import run_self_test

        return run_self_test(out=ctx.out, err=ctx.err)
    try:
        from spie_desktop.entry.app import run_desktop
    except ImportError as exc:
        missing = exc.name or "ui"
        if missing.split(".")[0] in ("PySide6", "shiboken6"):
            raise MissingExtraError("desktop", missing.split(".")[0]) from None
        raise SpieError(
            "L'application de bureau n'est pas installée sur ce poste (module manquant : "
            f"{missing}). Les commandes en ligne restent disponibles : spie-desktop --help.",
            code="ui_missing",
        ) from None
    return int(run_desktop(desktop_options(args)) or 0)


def _refuse_app_options(args: argparse.Namespace) -> None:
    if getattr(args, "handler", None) is not None and (args.demo or args.lang or args.self_test):
        raise SpieError(
            "--demo, --lang et --self-test s'utilisent sans commande (spie-desktop --demo).",
            code="usage",
        )


def build_parser() -> argparse.ArgumentParser:
    # Options accepted after the command too. SUPPRESS: when absent there, the value given
    # before the command (or the global default) is kept.
    shared = FrenchParser(add_help=False)
    shared.add_argument(
        "--data-dir", metavar="DOSSIER", default=argparse.SUPPRESS, help=DATA_DIR_HELP
    )
    shared.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=JSON_HELP)

    parser = FrenchParser(
        prog="spie-desktop",
        description=(
            "SPIE Desktop : sans commande, lance l'application de bureau ; les commandes "
            "ci-dessous servent au support et à l'automatisation.\n\n"
            "La phrase de passe n'est jamais passée en argument : variable SPIE_PASSPHRASE "
            "(et SPIE_NEW_PASSPHRASE pour passwd), sinon saisie masquée (ou une ligne de "
            "l'entrée standard, sans terminal)."
        ),
        epilog=(
            "Codes de sortie : 0 succès, 1 erreur interne, 2 refus (saisie, usage, base "
            "absente…), 3 phrase de passe incorrecte, 4 base endommagée, 5 hors ligne, "
            "6 appareil révoqué, 130 interruption."
        ),
    )
    parser.add_argument("--data-dir", metavar="DOSSIER", default=None, help=DATA_DIR_HELP)
    parser.add_argument("--json", action="store_true", default=False, help=JSON_HELP)
    parser.add_argument(
        "--version", action="version", version=f"spie-desktop {__version__}",
        help="afficher la version et quitter",
    )  # fmt: skip
    parser.add_argument(
        "--self-test", action="store_true", default=False,
        help="vérifier l'installation sans écran (base chiffrée, synchronisation, "
        "référentiels, traductions, Qt) et quitter",
    )  # fmt: skip
    app = parser.add_argument_group("application de bureau (sans commande)")
    app.add_argument(
        "--demo", action="store_true", default=False,
        help="ouvrir l'application sur des données de démonstration (serveur local)",
    )  # fmt: skip
    app.add_argument(
        "--as", dest="demo_role", choices=("referent", "responsable"), default="referent",
        help="compte de démonstration : référent (par défaut) ou responsable d'équipe",
    )  # fmt: skip
    app.add_argument(
        "--lang", choices=("fr", "en"), default=None,
        help="langue de l'interface (sinon : celle des paramètres)",
    )  # fmt: skip
    commands = Commands(parser, parents=[shared])
    store_commands.register(commands)
    document_commands.register(commands)
    sync_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run ``spie-desktop``; returns the exit code (see :mod:`spie_desktop.entry.cli.base`)."""
    return run(
        build_parser(),
        argv,
        locator=locate,
        map_error=store_commands.database_error,
        default=launch,
        environ=environ,
        before=_refuse_app_options,
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
