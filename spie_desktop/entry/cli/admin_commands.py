"""``spie-server admin``: the department's administration of the server.

::

    spie-server admin [--data-dir D | --database-url URL] ACTION …
        teams [list] | teams create NAME [--structure NOM] | teams supervise USER TEAM [--remove]
        users [list] | users create USER --first-name P --last-name N [--role R] [--team T]
                       [--email E] [--password-stdin]
                     | users disable USER | users enable USER
                     | users reset-password USER [--password-stdin]
        assign PERSON REFERENT [--note TEXTE]     (PERSON: UUID or external_id)
        devices | revoke-device DEVICE_ID [--reason TEXTE] [--kind lost|retired]
        import-csv FILE [--referent USER] [--team EQUIPE]
        purge [--retention-months MOIS] [--dry-run]   (default: the department setting)
        settings [list] | settings set KEY VALUE | settings set-logo FILE | set-logo --remove
        erase PERSON
        erasure [list [--all]] | erasure approve ID [--reason TEXTE]
                | erasure refuse ID --reason TEXTE
        audit list [--person P] [--actor USER] [--since AAAA-MM-JJ] [--until …] [--limit N]
        audit-export [--output FILE] [--since AAAA-MM-JJ] [--until AAAA-MM-JJ]
        demo [--referents N] [--persons-per-referent N] [--seed S]
        directory import FILE… [--partial] | directory add-service --structure ID --name N …
        directory stats
        digests check | digests rebuild   (the persons' kept digests, after SQL by hand)

Passwords never go on the command line: ``--password-stdin`` reads one line, otherwise a
random password is generated and printed once. Exit codes: 0 success, 2 refused (bad input,
unknown user…), 3 import finished with rejected lines, 4 kept digests that differ from
their rows (``digests check``).
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from spie_desktop.entry.cli.base import EXIT_OK, Commands, Context, integer
from spie_desktop.entry.cli.server_commands import server_settings
from sync.server.admin import Admin

PARIS = ZoneInfo("Europe/Paris")

EXIT_IMPORT_REJECTED = 3
EXIT_DIGESTS_DIFFER = 4
ROLES = ("referent", "supervisor", "admin")

AdminHandler = Callable[[argparse.Namespace, Context, Admin], int]


def with_admin(handler: AdminHandler) -> Callable[[argparse.Namespace, Context], int]:
    """A handler run with the administration API of the server's database."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, ctx: Context) -> int:
        admin = Admin.open(server_settings(args, ctx))
        try:
            return handler(args, ctx, admin)
        finally:
            admin.close()

    return run


def _password(args: argparse.Namespace, ctx: Context) -> str | None:
    """The password of ``--password-stdin``, else ``None`` (one is generated)."""
    if not args.password_stdin:
        return None
    return ctx.secret("Mot de passe : ", from_stdin=True, what="le mot de passe")


def _table(ctx: Context, rows: list[dict[str, Any]]) -> int:
    if ctx.as_json:
        ctx.emit(rows)
        return EXIT_OK
    for row in rows:
        ctx.say("  ".join(f"{key}={'' if value is None else value}" for key, value in row.items()))
    return EXIT_OK


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date AAAA-MM-JJ attendue, pas « {text} »") from None


_iso_date.__name__ = "date"


# -- teams ------------------------------------------------------------------------------


@with_admin
def cmd_teams_list(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    return _table(ctx, admin.list_teams())


@with_admin
def cmd_teams_create(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    team_id = admin.create_team(args.name, structure=args.structure)
    ctx.say(f"Équipe créée : {args.name} ({team_id})")
    ctx.emit({"ok": True, "id": str(team_id), "name": args.name})
    return EXIT_OK


@with_admin
def cmd_teams_supervise(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    count = admin.supervise(args.supervisor, args.team, remove=args.remove)
    verb = "ne supervise plus" if args.remove else "supervise"
    ctx.say(f"{args.supervisor} {verb} l'équipe {args.team} ({count} personnes).")
    ctx.emit({"ok": True, "persons": count})
    return EXIT_OK


# -- users ------------------------------------------------------------------------------


@with_admin
def cmd_users_list(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    return _table(ctx, admin.list_users())


@with_admin
def cmd_users_create(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    from sync.server.auth import normalise_username

    password = _password(args, ctx)
    referent_id, password_used = admin.create_user(
        args.username,
        first_name=args.first_name,
        last_name=args.last_name,
        role=args.role,
        team=args.team,
        password=password,
        email=args.email,
    )
    username = normalise_username(args.username)
    ctx.say(f"Compte créé : {username} ({args.role}, {referent_id})")
    if password is None:
        ctx.say(f"Mot de passe provisoire : {password_used}")
    ctx.emit(
        {
            "ok": True,
            "username": username,
            "id": str(referent_id),
            "password": password_used if password is None else None,
        }
    )
    return EXIT_OK


def _set_active(active: bool) -> Callable[[argparse.Namespace, Context], int]:
    @with_admin
    def handler(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
        admin.set_active(args.username, active)
        ctx.say(f"Compte {'réactivé' if active else 'désactivé'} : {args.username}")
        ctx.emit({"ok": True, "username": args.username, "active": active})
        return EXIT_OK

    return handler


@with_admin
def cmd_users_reset_password(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    password = _password(args, ctx)
    new_password = admin.reset_password(args.username, password)
    ctx.say(f"Mot de passe réinitialisé : {args.username} (ses appareils devront se reconnecter)")
    if password is None:
        ctx.say(f"Mot de passe provisoire : {new_password}")
    ctx.emit({"ok": True, "password": new_password if password is None else None})
    return EXIT_OK


# -- persons and devices ----------------------------------------------------------------


@with_admin
def cmd_assign(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    admin.assign(args.person, args.referent, note=args.note)
    ctx.say(f"Passation enregistrée : {args.person} → {args.referent}")
    ctx.emit({"ok": True})
    return EXIT_OK


@with_admin
def cmd_devices(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    return _table(ctx, admin.list_devices())


@with_admin
def cmd_revoke_device(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    admin.revoke_device(args.device_id, reason=args.reason, kind=args.kind)
    if args.kind == "retired":
        ctx.say(
            f"Appareil retiré du service : {args.device_id} (à sa prochaine connexion, il "
            "envoie ses dernières modifications, puis efface ses données)"
        )
    else:
        ctx.say(
            f"Appareil déclaré perdu ou volé : {args.device_id} (refusé dès maintenant ; il "
            "effacera ses données à sa prochaine connexion, ses modifications non envoyées "
            "sont perdues)"
        )
    ctx.emit({"ok": True, "kind": args.kind})
    return EXIT_OK


@with_admin
def cmd_import_csv(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    report = admin.import_csv(args.file, referent=args.referent, team=args.team)
    ctx.emit(
        {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "encoding": report.encoding,
            "problems": [{"line": p.line, "message": p.message} for p in report.problems],
        }
    )
    ctx.say(
        f"Import ({report.encoding}) : {report.created} créées, {report.updated} mises "
        f"à jour, {report.unchanged} inchangées, {len(report.problems)} lignes refusées."
    )
    for problem in report.problems:
        ctx.say(f"  ligne {problem.line} : {problem.message}")
    return EXIT_IMPORT_REJECTED if report.problems else EXIT_OK


@with_admin
def cmd_purge(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    report = admin.purge(
        retention_months=args.retention_months, dry_run=args.dry_run
    )  # None: setting
    verb = "seraient supprimées" if args.dry_run else "supprimées"
    ctx.say(
        f"Purge (fin d'accompagnement avant le {report.cutoff}) : {len(report.persons)} "
        f"personnes {verb}."
    )
    ctx.emit(
        {
            "ok": True,
            "cutoff": str(report.cutoff),
            "persons": [str(p) for p in report.persons],
            "dry_run": args.dry_run,
        }
    )
    return EXIT_OK


@with_admin
def cmd_erase(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    person_id = admin.erase_person(args.person)
    ctx.say(f"Personne effacée : {person_id}")
    ctx.emit({"ok": True, "id": str(person_id)})
    return EXIT_OK


@with_admin
def cmd_erasure_list(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    requests = admin.list_erasure_requests(all_statuses=getattr(args, "all", False))
    ctx.emit(
        [
            {
                "id": str(r.id),
                "person_id": str(r.person_id),
                "person": r.person,
                "requested_at": r.requested_at.isoformat(),
                "requested_by": r.requested_by,
                "reason": r.reason,
                "status": r.status,
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                "decision_note": r.decision_note,
            }
            for r in requests
        ]
    )
    if not requests:
        ctx.say("Aucune demande d'effacement en attente.")
    for r in requests:
        ctx.say(
            f"{r.id}  {r.requested_at.date().isoformat()}  {r.requested_by or '?'}  "
            f"{r.person}  [{r.status}]  « {r.reason} »"
        )
    return EXIT_OK


def _decide_erasure(approve: bool) -> Callable[[argparse.Namespace, Context], int]:
    @with_admin
    def run(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
        person_id = admin.decide_erasure(args.request, approve=approve, reason=args.reason)
        if approve:
            ctx.say(
                f"Effacement approuvé : la personne {person_id} est effacée du serveur, de son "
                "historique et, à leur prochaine synchronisation, de tous les appareils."
            )
        else:
            ctx.say("Demande d'effacement refusée ; les appareils recevront la décision.")
        ctx.emit(
            {"ok": True, "request": args.request, "person_id": str(person_id), "approved": approve}
        )
        return EXIT_OK

    return run


@with_admin
def cmd_audit_list(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    lines = admin.audit_list(
        person=args.person,
        actor=args.actor,
        since=args.since,
        until=args.until,
        limit=args.limit,
    )
    ctx.emit(
        [
            {
                "occurred_at": line.occurred_at.isoformat(),
                "source": line.source,
                "actor": line.actor,
                "device_id": line.device_id,
                "person_id": str(line.person_id) if line.person_id else None,
                "action": line.action,
                "detail": line.detail,
            }
            for line in lines
        ]
    )
    if not lines:
        ctx.say("Aucun événement.")
    for line in lines:
        when = line.occurred_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
        about = f"  personne {line.person_id}" if line.person_id else ""
        detail = f"  « {line.detail} »" if line.detail else ""
        ctx.say(f"{when}  {line.source:<14} {line.actor or '-':<20} {line.action}{about}{detail}")
    return EXIT_OK


@with_admin
def cmd_audit_export(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            count = admin.audit_export(out, since=args.since, until=args.until)
        print(f"{count} événements exportés dans {args.output}", file=ctx.err)
    else:
        admin.audit_export(ctx.out, since=args.since, until=args.until)
    return EXIT_OK


@with_admin
def cmd_demo(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    from sync.server.demo import DEMO_PASSWORD, DEMO_STAFF, load_demo

    summary = load_demo(
        admin,
        referents=args.referents,
        persons_per_referent=args.persons_per_referent,
        seed=args.seed,
        password=DEMO_PASSWORD,
    )
    ctx.say(f"Démonstration chargée : {summary['rows']} lignes, {summary['persons']} personnes.")
    ctx.say(f"Comptes : {', '.join(DEMO_STAFF)} — mot de passe : {DEMO_PASSWORD}")
    ctx.emit({"ok": True, **summary, "accounts": list(DEMO_STAFF), "password": DEMO_PASSWORD})
    return EXIT_OK


@with_admin
def cmd_digests_check(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    differ = admin.check_digests()
    ctx.emit({"ok": not differ, "differ": len(differ), "persons": [str(p) for p in differ]})
    if not differ:
        ctx.say("Empreintes des dossiers : toutes conformes aux lignes de la base.")
        return EXIT_OK
    ctx.say(
        f"Empreintes des dossiers : {len(differ)} personne(s) dont l'empreinte conservée "
        "diffère de celle recalculée depuis les lignes (base modifiée hors de l'application ?) :"
    )
    for person_id in differ:
        ctx.say(f"  {person_id}")
    ctx.say("Recalculez-les avec « spie-server admin digests rebuild ».")
    return EXIT_DIGESTS_DIFFER


@with_admin
def cmd_digests_rebuild(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    changed = admin.rebuild_digests()
    ctx.emit({"ok": True, "changed": len(changed), "persons": [str(p) for p in changed]})
    if not changed:
        ctx.say("Empreintes des dossiers recalculées : aucune ne changeait.")
        return EXIT_OK
    ctx.say(
        f"Empreintes des dossiers recalculées : {len(changed)} corrigée(s). Les appareils "
        "dont la copie de ces dossiers diffère la répareront à leur prochaine synchronisation."
    )
    for person_id in changed:
        ctx.say(f"  {person_id}")
    return EXIT_OK


def _register_digests(admin: Commands) -> None:
    group = admin.group(
        "digests",
        "empreintes des dossiers (ce que les appareils comparent) : vérifier, recalculer "
        "après une modification de la base faite à la main",
        default=cmd_digests_check,
    )
    group.add(
        "check",
        "compter les personnes dont l'empreinte conservée diffère de ses lignes (code de "
        "sortie 4 s'il y en a)",
        cmd_digests_check,
    )
    group.add("rebuild", "recalculer les empreintes depuis les lignes", cmd_digests_rebuild)


# -- registration -----------------------------------------------------------------------


# -- the directory of partner services (issue 16) --------------------------------------------

_KIND_FR = {"structure": "structures", "service": "services"}


@with_admin
def cmd_directory_import(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    from sync.server.directory import import_files

    report = import_files(admin.engine, args.files, now=admin.settings.now(), full=not args.partial)
    ctx.emit(report.as_dict())
    for kind in ("structure", "service"):
        ctx.say(
            f"{_KIND_FR[kind].capitalize()} : {report.created[kind]} ajoutés, "
            f"{report.updated[kind]} mis à jour, {report.unchanged[kind]} inchangés."
        )
    ctx.say(f"Services fermés (absents de l'import) : {report.closed}.")
    ctx.say(f"Enregistrements refusés : {len(report.problems)}.")
    for p in report.problems:
        where = f"{p.file} n° {p.index}" + (f" ({p.record_id})" if p.record_id else "")
        ctx.say(f"  {where} : {p.reason}")
    return EXIT_IMPORT_REJECTED if report.problems else EXIT_OK


@with_admin
def cmd_directory_add_service(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    from sync.server.directory import add_local_service

    values = {
        "structure_id": args.structure,
        "nom": args.name,
        "description": args.description,
        "thematiques": args.thematique or None,
        "publics": args.public or None,
        "modes_accueil": args.mode_accueil or None,
        "modes_mobilisation": args.mode_mobilisation or None,
        "frais": args.frais,
        "telephone": args.telephone,
        "courriel": args.courriel,
        "adresse": args.adresse,
        "code_postal": args.code_postal,
        "commune": args.commune,
        "code_insee": args.code_insee,
        "latitude": args.latitude,
        "longitude": args.longitude,
        "horaires_accueil": args.horaires,
        "volume_horaire_hebdomadaire": args.volume_horaire,
        "mobilisation_precisions": args.mobilisation_precisions,
    }
    service_id = add_local_service(admin.engine, values, now=admin.settings.now())
    ctx.emit({"id": service_id})
    ctx.say(f"Service ajouté à l'annuaire : {service_id}")
    return EXIT_OK


@with_admin
def cmd_directory_stats(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    from sync.server.directory import counts

    found = counts(admin.engine)
    ctx.emit(found)
    ctx.say(
        f"Structures : {found['structure_open']} ; services ouverts : {found['service_open']} ; "
        f"services fermés : {found['service_closed']}."
    )
    return EXIT_OK


@with_admin
def cmd_settings_list(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    rows = admin.settings_list()
    version = admin.settings_version()
    if ctx.as_json:
        ctx.emit({"version": version, "settings": rows})
        return EXIT_OK
    ctx.say(f"Réglages du département (version {version}) :")
    for row in rows:
        ctx.say(f"  {row['key']} = {row['value']}  ({row['origin']} ; {row['label']})")
    return EXIT_OK


@with_admin
def cmd_settings_set(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    from spie_desktop.domain.department_settings import display_value

    old, new, version = admin.set_setting(args.key, args.value)
    ctx.emit(
        {
            "ok": True,
            "key": args.key,
            "old": display_value(args.key, old),
            "new": display_value(args.key, new),
            "version": version,
        }
    )
    ctx.say(
        f"{args.key} : {display_value(args.key, old)} → {display_value(args.key, new)} "
        f"(version {version} ; les appareils la reçoivent à leur prochaine synchronisation)."
    )
    return EXIT_OK


@with_admin
def cmd_settings_set_logo(args: argparse.Namespace, ctx: Context, admin: Admin) -> int:
    if args.remove == (args.file is not None):
        from spie_desktop.errors import ValidationError

        raise ValidationError(
            "Donnez un fichier PNG ou SVG, ou --remove (l'un ou l'autre).", code="invalid_setting"
        )
    logo, version = admin.set_logo(None if args.remove else args.file)
    ctx.emit(
        {
            "ok": True,
            "media_type": logo.media_type if logo else None,
            "bytes": len(logo.data) if logo else 0,
            "version": version,
        }
    )
    if logo is None:
        ctx.say(f"Logo retiré : les courriers portent le logo neutre (version {version}).")
    else:
        ctx.say(
            f"Logo enregistré : {logo.media_type}, {len(logo.data)} octets (version {version})."
        )
    return EXIT_OK


def _register_settings(admin: Commands) -> None:
    group = admin.group(
        "settings",
        "réglages du département : en-tête et logo des courriers, conservation, délais du "
        "parcours, notes sensibles (décidés ici, en lecture seule sur les appareils)",
        default=cmd_settings_list,
    )
    group.add("list", "lister les réglages et leur valeur", cmd_settings_list)
    setter = group.add("set", "fixer un réglage (vérifié : rien ne change s'il est refusé)",
                       cmd_settings_set)  # fmt: skip
    setter.add_argument("key", metavar="CLE", help="le réglage (voir « settings list »)")
    setter.add_argument(
        "value", metavar="VALEUR",
        help="sa valeur : nombre, oui/non, date AAAA-MM-JJ, ou lignes séparées par « | »",
    )  # fmt: skip
    logo = group.add("set-logo", "logo des courriers (PNG ou SVG, 512 Kio au plus)",
                     cmd_settings_set_logo)  # fmt: skip
    logo.add_argument("file", type=Path, nargs="?", default=None, metavar="FICHIER",
                      help="le fichier PNG ou SVG")  # fmt: skip
    logo.add_argument("--remove", action="store_true", help="revenir au logo neutre")


def _register_directory(admin: Commands) -> None:
    directory = admin.group(
        "directory", "annuaire des partenaires (data·inclusion)", default=cmd_directory_stats
    )
    directory.add("stats", "compter les structures et services de l'annuaire", cmd_directory_stats)
    imp = directory.add(
        "import", "importer des structures et services data·inclusion (JSON v1)",
        cmd_directory_import,
    )  # fmt: skip
    imp.add_argument(
        "files", nargs="+", type=Path, metavar="FICHIER",
        help="listes de l'API (pages {\"items\": …} ou listes) ou export open data",
    )  # fmt: skip
    imp.add_argument(
        "--partial", action="store_true",
        help="import partiel : ne pas fermer les services absents des fichiers",
    )  # fmt: skip
    add = directory.add(
        "add-service", "ajouter un service propre au département", cmd_directory_add_service
    )
    add.add_argument("--structure", required=True, metavar="ID", help="identifiant de la structure")
    add.add_argument("--name", required=True, metavar="NOM", help="nom du service")
    add.add_argument("--description", required=True, metavar="TEXTE", help="description")
    for option, help_text in (
        ("--thematique", "thématique data·inclusion (répétable)"),
        ("--public", "public visé (répétable)"),
        ("--mode-accueil", "a-distance ou en-presentiel (répétable)"),
        ("--mode-mobilisation", "mode de mobilisation (répétable)"),
    ):
        add.add_argument(option, action="append", default=[], metavar="CODE", help=help_text)
    add.add_argument("--frais", default=None, metavar="CODE", help="gratuit ou payant")
    for option, help_text in (
        ("--telephone", "téléphone du service"),
        ("--courriel", "adresse électronique du service"),
        ("--adresse", "adresse (numéro et voie)"),
        ("--code-postal", "code postal"),
        ("--commune", "commune"),
        ("--code-insee", "code INSEE de la commune"),
        ("--horaires", "horaires d'ouverture (syntaxe OSM opening_hours)"),
        ("--mobilisation-precisions", "précisions sur la façon de mobiliser le service"),
    ):
        add.add_argument(option, default=None, metavar="TEXTE", help=help_text)
    add.add_argument(
        "--latitude", type=float, default=None, metavar="DEG", help="latitude (WGS 84)"
    )
    add.add_argument(
        "--longitude", type=float, default=None, metavar="DEG", help="longitude (WGS 84)"
    )
    add.add_argument(
        "--volume-horaire", type=float, default=None, metavar="HEURES",
        help="volume horaire hebdomadaire",
    )  # fmt: skip


def _username(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", metavar="IDENTIFIANT", help="identifiant du compte")


def _password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true",
        help="lire le mot de passe sur une ligne de l'entrée standard (sinon un mot de passe "
        "provisoire est tiré au hasard et affiché une fois)",
    )  # fmt: skip


def register(admin: Commands) -> None:
    """Add the administration actions to ``spie-server admin``."""
    teams = admin.group("teams", "équipes : lister, créer, superviser", default=cmd_teams_list)
    teams.add("list", "lister les équipes", cmd_teams_list)
    create_team = teams.add("create", "créer une équipe", cmd_teams_create)
    create_team.add_argument("name", metavar="NOM", help="nom de l'équipe")
    create_team.add_argument(
        "--structure", default=None, metavar="NOM",
        help="structure de rattachement (créée si elle n'existe pas encore)",
    )  # fmt: skip
    supervise = teams.add(
        "supervise", "donner à un responsable la vue (lecture seule) d'une équipe",
        cmd_teams_supervise,
    )  # fmt: skip
    supervise.add_argument("supervisor", metavar="RESPONSABLE", help="identifiant du responsable")
    supervise.add_argument("team", metavar="EQUIPE", help="nom de l'équipe")
    supervise.add_argument(
        "--remove", action="store_true", help="retirer cette supervision au lieu de l'ajouter"
    )

    users = admin.group(
        "users", "comptes : lister, créer, désactiver, réinitialiser", default=cmd_users_list
    )
    users.add("list", "lister les comptes", cmd_users_list)
    create_user = users.add("create", "créer un compte", cmd_users_create)
    _username(create_user)
    create_user.add_argument("--first-name", required=True, metavar="PRENOM", help="prénom")
    create_user.add_argument("--last-name", required=True, metavar="NOM", help="nom")
    create_user.add_argument(
        "--role", default="referent", choices=ROLES, metavar="ROLE",
        help="rôle : referent (par défaut), supervisor (responsable d'équipe) ou admin",
    )  # fmt: skip
    create_user.add_argument("--team", default=None, metavar="EQUIPE", help="équipe du compte")
    create_user.add_argument("--email", default=None, metavar="ADRESSE", help="adresse e-mail")
    _password_stdin(create_user)
    _username(users.add("disable", "désactiver un compte (ses appareils sont refusés)",
                        _set_active(False)))  # fmt: skip
    _username(users.add("enable", "réactiver un compte", _set_active(True)))
    reset = users.add(
        "reset-password", "réinitialiser le mot de passe d'un compte", cmd_users_reset_password
    )
    _username(reset)
    _password_stdin(reset)

    assign = admin.add("assign", "passation : confier une personne à un autre référent", cmd_assign)
    assign.add_argument(
        "person", metavar="PERSONNE", help="la personne : identifiant (UUID) ou identifiant externe"
    )
    assign.add_argument("referent", metavar="REFERENT", help="identifiant du nouveau référent")
    assign.add_argument("--note", default=None, metavar="TEXTE", help="note de passation")

    admin.add("devices", "lister les appareils connectés", cmd_devices)
    revoke = admin.add(
        "revoke-device",
        "révoquer un appareil perdu, volé ou retiré du service (il effacera ses données)",
        cmd_revoke_device,
    )
    revoke.add_argument("device_id", metavar="APPAREIL", help="identifiant de l'appareil")
    revoke.add_argument("--reason", default=None, metavar="TEXTE", help="motif (journal d'audit)")
    revoke.add_argument(
        "--kind",
        choices=("lost", "retired"),
        default="lost",
        help="lost : perdu ou volé, refusé aussitôt (défaut) ; retired : retiré du service, "
        "son dernier envoi est accepté avant l'effacement",
    )

    import_csv = admin.add("import-csv", "importer des personnes d'un fichier CSV", cmd_import_csv)
    import_csv.add_argument("file", type=Path, metavar="FICHIER", help="le fichier CSV")
    import_csv.add_argument(
        "--referent", default=None, metavar="IDENTIFIANT",
        help="référent des personnes dont la ligne n'en indique pas",
    )  # fmt: skip
    import_csv.add_argument(
        "--team", default=None, metavar="EQUIPE",
        help="équipe (nom ou identifiant) des personnes sans référent dont la ligne n'en "
        "indique pas : elles attendent dans la file de son responsable",
    )  # fmt: skip

    purge = admin.add(
        "purge", "purge de conservation : supprimer les accompagnements terminés", cmd_purge
    )
    purge.add_argument(
        "--retention-months", type=integer(1, 1200), default=None, metavar="MOIS",
        help="durée de conservation après la fin de l'accompagnement (par défaut : le réglage "
        "du département retention_months, 24 mois sauf décision contraire)",
    )  # fmt: skip
    purge.add_argument("--dry-run", action="store_true", help="compter sans rien supprimer")

    erase = admin.add("erase", "effacement RGPD d'une personne", cmd_erase)
    erase.add_argument(
        "person", metavar="PERSONNE", help="la personne : identifiant (UUID) ou identifiant externe"
    )

    erasure = admin.group(
        "erasure", "demandes d'effacement RGPD : lister, approuver, refuser",
        default=cmd_erasure_list,
    )  # fmt: skip
    listing = erasure.add("list", "lister les demandes en attente", cmd_erasure_list)
    listing.add_argument("--all", action="store_true", help="lister aussi les demandes refusées")
    approve = erasure.add(
        "approve", "approuver : effacer la personne et son historique partout",
        _decide_erasure(True),
    )  # fmt: skip
    approve.add_argument("request", metavar="ID", help="identifiant de la demande")
    approve.add_argument(
        "--reason", default=None, metavar="TEXTE",
        help="motif de la décision (journal d'audit ; aucune donnée personnelle)",
    )  # fmt: skip
    refuse = erasure.add("refuse", "refuser la demande (motif obligatoire)", _decide_erasure(False))
    refuse.add_argument("request", metavar="ID", help="identifiant de la demande")
    refuse.add_argument(
        "--reason", default=None, metavar="TEXTE",
        help="motif du refus (transmis aux appareils ; aucune donnée personnelle)",
    )  # fmt: skip

    journal = admin.group(
        "audit", "journal d'audit : qui a ouvert, modifié, imprimé, exporté, révélé quel dossier",
        default=cmd_audit_list,
    )  # fmt: skip
    audit_list = journal.add(
        "list", "lister le journal (du plus récent au plus ancien)", cmd_audit_list
    )
    audit_list.add_argument(
        "--person", default=None, metavar="PERSONNE",
        help="une personne : identifiant (UUID, même effacée) ou identifiant externe",
    )  # fmt: skip
    audit_list.add_argument(
        "--actor", default=None, metavar="IDENTIFIANT",
        help="l'auteur : identifiant d'un compte, ou nom d'un administrateur",
    )  # fmt: skip
    audit_list.add_argument(
        "--since", type=_iso_date, default=None, metavar="AAAA-MM-JJ",
        help="à partir de ce jour inclus",
    )  # fmt: skip
    audit_list.add_argument(
        "--until", type=_iso_date, default=None, metavar="AAAA-MM-JJ",
        help="jusqu'à ce jour inclus",
    )  # fmt: skip
    audit_list.add_argument(
        "--limit", type=integer(1, 100_000), default=500, metavar="N",
        help="nombre de lignes au plus (par défaut : 500)",
    )  # fmt: skip

    audit = admin.add(
        "audit-export", "exporter le journal d'audit (CSV séparé par des points-virgules)",
        cmd_audit_export,
    )  # fmt: skip
    audit.add_argument(
        "--output", "-o", default=None, metavar="FICHIER",
        help="fichier à écrire (sinon la sortie standard)",
    )  # fmt: skip
    audit.add_argument(
        "--since", type=_iso_date, default=None, metavar="AAAA-MM-JJ",
        help="à partir de ce jour inclus",
    )  # fmt: skip
    audit.add_argument(
        "--until", type=_iso_date, default=None, metavar="AAAA-MM-JJ",
        help="jusqu'à ce jour inclus",
    )  # fmt: skip

    demo = admin.add("demo", "charger les données et les comptes de démonstration", cmd_demo)
    demo.add_argument(
        "--referents", type=integer(1, 1000), default=2, metavar="N",
        help="nombre de référents (par défaut : 2)",
    )  # fmt: skip
    demo.add_argument(
        "--persons-per-referent", type=integer(1, 10_000), default=150, metavar="N",
        help="personnes par référent (par défaut : 150)",
    )  # fmt: skip
    demo.add_argument(
        "--seed", type=integer(), default=2026, metavar="S",
        help="graine du générateur (par défaut : 2026)",
    )  # fmt: skip

    _register_directory(admin)
    _register_settings(admin)
    _register_digests(admin)
