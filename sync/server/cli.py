"""``spie-server``: run and administer the departmental sync server.

::

    spie-server serve [--data-dir D] [--database-url URL] [--host 127.0.0.1] [--port 8470]
                      [--workers N]
    spie-server migrate [--data-dir D | --database-url URL]
    spie-server admin [--data-dir D | --database-url URL] COMMAND …
        teams list | teams create NAME [--structure NOM] | teams supervise USER TEAM [--remove]
        users list | users create USER --first-name P --last-name N [--role R] [--team T]
                     [--email E] [--password-stdin]
                   | users disable USER | users enable USER
                   | users reset-password USER [--password-stdin]
        assign PERSON REFERENT [--note TEXTE]     (PERSON: UUID or external_id)
        devices list | revoke-device DEVICE_ID [--reason TEXTE]
        import-csv FILE [--referent USER]
        purge [--retention-months 24] [--dry-run]
        erase PERSON
        audit-export [--output FILE] [--since AAAA-MM-JJ] [--until AAAA-MM-JJ]
        demo [--referents N] [--persons-per-referent N] [--seed S]

With no ``--database-url`` (nor ``SPIE_SERVER_DATABASE_URL``) the server keeps its data
in SQLite in ``--data-dir`` (default ``./spie-server-data``): no setup. For a department,
``--database-url postgresql+psycopg://user@host/db``. The schema is created and migrated
at every start. Passwords never go on the command line: ``--password-stdin`` reads one
line, otherwise a random password is generated and printed once.

Exit codes: 0 success, 1 internal error, 2 refused (bad input, unknown user…), 3 import
finished with rejected lines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sync.server.db import ENV_DATABASE_URL
from sync.server.db import database_url as database_url  # re-exported (ui.demo)
from sync.server.settings import DEFAULT_DATA_DIR, ServerSettings, load_server_settings

DEFAULT_PORT = 8470
DEMO_PASSWORD = "demo-spie-2026"
DEMO_ACCOUNTS = ("demo.referent", "demo.responsable", "demo.admin")
ENV_DATA_DIR = "SPIE_SERVER_DATA_DIR"


def _settings(args: argparse.Namespace) -> ServerSettings:
    """The settings: command-line options over ``SPIE_SERVER_*`` over the settings file."""
    return load_server_settings(
        database_url=getattr(args, "database_url", None) or None,
        data_dir=getattr(args, "data_dir", None) or None,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        workers=getattr(args, "workers", None),
        log_level=getattr(args, "log_level", None),
    )


def app_from_env() -> Any:
    """uvicorn factory for ``--workers N`` (each worker builds its own app)."""
    from sync.server.app import create_app

    return create_app(load_server_settings())


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.server.app import UVICORN_LIMITS, create_app

    settings = _settings(args)
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
            "sync.server.cli:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
            **UVICORN_LIMITS,
        )
        return 0
    app = create_app(settings)
    print(
        f"Serveur SPIE sur http://{settings.host}:{settings.port} "
        f"(base : {_redact(settings.database_url)})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        **UVICORN_LIMITS,
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from sync.server import migrate
    from sync.server.db import make_engine

    settings = _settings(args)
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    engine.dispose()
    print(f"Schéma à jour ({migrate.head_revision()}).")
    return 0


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def _read_password(args: argparse.Namespace) -> str | None:
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise SystemExit("Erreur : mot de passe vide sur l'entrée standard [invalid_value]")
        return line
    return None


def _print_table(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    for row in rows:
        print("  ".join(f"{key}={'' if value is None else value}" for key, value in row.items()))


def cmd_admin(args: argparse.Namespace) -> int:
    from sync.server.admin import Admin, AdminError

    settings = _settings(args)
    admin = Admin.open(settings)
    try:
        return int(_admin(args, admin))
    except AdminError as exc:
        print(f"Erreur : {exc.message} [{exc.code}]", file=sys.stderr)
        return 2
    finally:
        admin.close()


def _admin(args: argparse.Namespace, admin: Any) -> int:
    command = args.admin_command
    as_json = bool(args.json)
    if command == "teams":
        if args.teams_command == "create":
            team_id = admin.create_team(args.name, structure=args.structure)
            print(f"Équipe créée : {args.name} ({team_id})")
        elif args.teams_command == "supervise":
            count = admin.supervise(args.supervisor, args.team, remove=args.remove)
            verb = "ne supervise plus" if args.remove else "supervise"
            print(f"{args.supervisor} {verb} l'équipe {args.team} ({count} personnes).")
        else:
            _print_table(admin.list_teams(), as_json)
        return 0
    if command == "users":
        sub = args.users_command
        if sub == "create":
            password = _read_password(args)
            referent_id, password_used = admin.create_user(
                args.username,
                first_name=args.first_name,
                last_name=args.last_name,
                role=args.role,
                team=args.team,
                password=password,
                email=args.email,
            )
            from sync.server.auth import normalise_username

            print(f"Compte créé : {normalise_username(args.username)} ({args.role}, {referent_id})")
            if password is None:
                print(f"Mot de passe provisoire : {password_used}")
        elif sub == "disable":
            admin.set_active(args.username, False)
            print(f"Compte désactivé : {args.username}")
        elif sub == "enable":
            admin.set_active(args.username, True)
            print(f"Compte réactivé : {args.username}")
        elif sub == "reset-password":
            password = _read_password(args)
            new_password = admin.reset_password(args.username, password)
            print(
                f"Mot de passe réinitialisé : {args.username} (ses appareils devront se "
                "reconnecter)"
            )
            if password is None:
                print(f"Mot de passe provisoire : {new_password}")
        else:
            _print_table(admin.list_users(), as_json)
        return 0
    if command == "assign":
        admin.assign(args.person, args.referent, note=args.note)
        print(f"Passation enregistrée : {args.person} → {args.referent}")
        return 0
    if command == "devices":
        _print_table(admin.list_devices(), as_json)
        return 0
    if command == "revoke-device":
        admin.revoke_device(args.device_id, reason=args.reason)
        print(
            f"Appareil révoqué : {args.device_id} (il effacera ses données à sa prochaine "
            "connexion)"
        )
        return 0
    if command == "import-csv":
        report = admin.import_csv(args.file, referent=args.referent)
        if as_json:
            print(
                json.dumps(
                    {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                        "encoding": report.encoding,
                        "problems": [
                            {"line": p.line, "message": p.message} for p in report.problems
                        ],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            print(
                f"Import ({report.encoding}) : {report.created} créées, {report.updated} mises "
                f"à jour, {report.unchanged} inchangées, {len(report.problems)} lignes "
                "refusées."
            )
            for problem in report.problems:
                print(f"  ligne {problem.line} : {problem.message}")
        return 3 if report.problems else 0
    if command == "purge":
        report = admin.purge(retention_months=args.retention_months, dry_run=args.dry_run)
        verb = "seraient supprimées" if args.dry_run else "supprimées"
        print(
            f"Purge (fin d'accompagnement avant le {report.cutoff}) : {len(report.persons)} "
            f"personnes {verb}."
        )
        return 0
    if command == "erase":
        person_id = admin.erase_person(args.person)
        print(f"Personne effacée : {person_id}")
        return 0
    if command == "audit-export":
        since = date.fromisoformat(args.since) if args.since else None
        until = date.fromisoformat(args.until) if args.until else None
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                count = admin.audit_export(out, since=since, until=until)
            print(f"{count} événements exportés dans {args.output}", file=sys.stderr)
        else:
            admin.audit_export(sys.stdout, since=since, until=until)
        return 0
    if command == "demo":
        from sync.server.demo import load_demo

        summary = load_demo(
            admin,
            referents=args.referents,
            persons_per_referent=args.persons_per_referent,
            seed=args.seed,
            password=DEMO_PASSWORD,
        )
        print(f"Démonstration chargée : {summary['rows']} lignes, {summary['persons']} personnes.")
        print(f"Comptes : {', '.join(DEMO_ACCOUNTS)} — mot de passe : {DEMO_PASSWORD}")
        return 0
    raise SystemExit(2)  # pragma: no cover - argparse requires a command


def build_parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument(
        "--data-dir",
        default=None,
        metavar="DOSSIER",
        help=f"dossier des données SQLite (défaut : ./{DEFAULT_DATA_DIR})",
    )
    top.add_argument(
        "--database-url",
        default=None,
        metavar="URL",
        help="base PostgreSQL (postgresql+psycopg://…) au lieu de SQLite",
    )
    top.add_argument("--json", action="store_true", help="sortie JSON (listes)")
    # The same options accepted after a nested command; SUPPRESS keeps the earlier value.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DOSSIER")
    common.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="spie-server", description="Serveur départemental de synchronisation SPIE."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    serve = commands.add_parser("serve", parents=[top], help="lancer le serveur")
    # Defaults: ServerSettings (SPIE_SERVER_HOST, _PORT, _WORKERS, _LOG_LEVEL or 127.0.0.1,
    # 8470, 1, warning).
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=None)
    serve.add_argument("--log-level", default=None)
    serve.set_defaults(func=cmd_serve)

    migrate_cmd = commands.add_parser("migrate", parents=[top], help="mettre le schéma à jour")
    migrate_cmd.set_defaults(func=cmd_migrate)

    admin = commands.add_parser("admin", parents=[top], help="administration")
    admin.set_defaults(func=cmd_admin)
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")

    teams = admin_commands.add_parser("teams", parents=[common], help="équipes")
    teams_commands = teams.add_subparsers(dest="teams_command", metavar="ACTION")
    teams_commands.add_parser("list", parents=[common])
    create_team = teams_commands.add_parser("create", parents=[common])
    create_team.add_argument("name")
    create_team.add_argument("--structure", default=None)
    supervise = teams_commands.add_parser("supervise", parents=[common])
    supervise.add_argument("supervisor")
    supervise.add_argument("team")
    supervise.add_argument("--remove", action="store_true")

    users = admin_commands.add_parser("users", parents=[common], help="comptes")
    users_commands = users.add_subparsers(dest="users_command", metavar="ACTION")
    users_commands.add_parser("list", parents=[common])
    create_user = users_commands.add_parser("create", parents=[common])
    create_user.add_argument("username")
    create_user.add_argument("--first-name", required=True)
    create_user.add_argument("--last-name", required=True)
    create_user.add_argument(
        "--role", default="referent", choices=("referent", "supervisor", "admin")
    )
    create_user.add_argument("--team", default=None)
    create_user.add_argument("--email", default=None)
    create_user.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        sub = users_commands.add_parser(name, parents=[common])
        sub.add_argument("username")
    reset = users_commands.add_parser("reset-password", parents=[common])
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")

    assign = admin_commands.add_parser("assign", parents=[common], help="passation")
    assign.add_argument("person", metavar="PERSONNE")
    assign.add_argument("referent", metavar="REFERENT")
    assign.add_argument("--note", default=None, help="note de passation")

    admin_commands.add_parser("devices", parents=[common], help="appareils")
    revoke = admin_commands.add_parser("revoke-device", parents=[common], help="révoquer")
    revoke.add_argument("device_id")
    revoke.add_argument("--reason", default=None)

    import_csv = admin_commands.add_parser("import-csv", parents=[common], help="import CSV")
    import_csv.add_argument("file", type=Path)
    import_csv.add_argument("--referent", default=None)

    purge = admin_commands.add_parser("purge", parents=[common], help="purge de conservation")
    purge.add_argument("--retention-months", type=int, default=24)
    purge.add_argument("--dry-run", action="store_true")

    erase = admin_commands.add_parser("erase", parents=[common], help="effacement RGPD")
    erase.add_argument("person", metavar="PERSONNE")

    audit = admin_commands.add_parser("audit-export", parents=[common], help="journal d'audit")
    audit.add_argument("--output", "-o", default=None)
    audit.add_argument("--since", default=None)
    audit.add_argument("--until", default=None)

    demo = admin_commands.add_parser("demo", parents=[common], help="données de démonstration")
    demo.add_argument("--referents", type=int, default=2)
    demo.add_argument("--persons-per-referent", type=int, default=150)
    demo.add_argument("--seed", type=int, default=2026)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130
    except ValueError as exc:
        print(f"Erreur : {exc} [invalid_value]", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
