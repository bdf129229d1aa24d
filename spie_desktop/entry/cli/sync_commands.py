"""``spie-desktop``'s sync commands: ``login``, ``sync``, ``status``.

::

    spie-desktop login --server URL --user U [--stdin]
    spie-desktop sync [--json]        progress on stderr, a summary (or JSON) on stdout
    spie-desktop status [--json]      pending changes, set-aside changes, last sync, cursor

Secrets never go on the command line. The store's passphrase comes from
``SPIE_PASSPHRASE`` or a hidden prompt, the account password from a hidden prompt, or one
line of standard input with ``--stdin`` (:meth:`spie_desktop.entry.cli.base.Context.secret`:
the same rules as the store commands). ``login`` creates the encrypted store when the data
directory has none yet (a new device). The password is swapped for a device-bound refresh
token kept in the OS keyring; it is never stored.

Exit codes: 0 success; 2 refused (bad password, not logged in, session expired: log in
again, server refusal); 3 wrong passphrase; 5 offline (nothing lost, retry later); 6 the
device was revoked by the administrator and its data erased.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from spie_desktop.config import kdf_params_from_env, load_settings, save_settings
from spie_desktop.entry.cli.base import (
    EXIT_OFFLINE,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_REVOKED,
    Commands,
    Context,
)
from spie_desktop.errors import SpieError
from spie_desktop.store.store import Store
from spie_desktop.store.vault import Vault
from sync.client import Progress, RetryPolicy, SyncClient, recovery_sentence, sync_status

ROLES = {"referent": "référent", "supervisor": "responsable d'équipe", "admin": "administrateur"}


def register(commands: Commands) -> None:
    """Add ``login``, ``sync`` and ``status`` to ``spie-desktop``."""
    login = commands.add(
        "login",
        "relier cet appareil au serveur départemental",
        cmd_login,
        description="Se connecter une fois : le mot de passe est échangé contre un jeton lié "
        "à cet appareil, rangé dans le trousseau du système ; il n'est jamais enregistré. "
        "Crée la base locale chiffrée si le dossier n'en a pas encore.",
    )
    login.add_argument(
        "--server", metavar="URL", default=None,
        help="adresse du serveur (sinon celle des réglages)",
    )  # fmt: skip
    login.add_argument(
        "--user", metavar="IDENTIFIANT", default=None, help="identifiant (sinon le dernier utilisé)"
    )
    login.add_argument(
        "--stdin", action="store_true",
        help="lire le mot de passe sur une ligne de l'entrée standard",
    )  # fmt: skip
    commands.add(
        "sync",
        "synchroniser avec le serveur",
        cmd_sync,
        description="Envoyer les modifications locales et recevoir celles du serveur.",
    )
    commands.add(
        "status",
        "état de la synchronisation",
        cmd_status,
        description="Modifications en attente, modifications mises de côté, dernière "
        "synchronisation, curseur.",
    )


def _open_store(ctx: Context, *, create: bool = False) -> Store:
    data_dir = ctx.data_dir
    if not Vault.exists(data_dir):
        if not create:
            raise SpieError(
                f"Aucune base locale dans {data_dir} : connectez d'abord cet appareil "
                "(spie-desktop login).",
                code="store_missing",
            )
        passphrase = ctx.passphrase("Nouvelle phrase de passe de cet appareil : ", confirm=True)
        return Store.create(data_dir, passphrase, kdf=kdf_params_from_env(ctx.environ))
    return Store.open(data_dir, ctx.passphrase())


def cmd_login(args: argparse.Namespace, ctx: Context) -> int:
    data_dir = ctx.data_dir
    settings = load_settings(data_dir)
    server = (args.server or settings.server_url or "").rstrip("/")
    if not server:
        raise SpieError("Indiquez l'adresse du serveur (--server).", code="server_missing")
    username = args.user or settings.last_username
    if not username:
        raise SpieError("Indiquez votre identifiant (--user).", code="user_missing")
    store = _open_store(ctx, create=True)
    try:
        password = ctx.secret(
            f"Mot de passe de {username} : ", from_stdin=bool(args.stdin), what="le mot de passe"
        )
        client = SyncClient(store, server_url=server)
        try:
            user = client.login(username, password)
        finally:
            client.close()
    finally:
        store.close()
    save_settings(
        data_dir, dataclasses.replace(settings, server_url=server, last_username=user.username)
    )
    ctx.emit({"ok": True, "user": user.model_dump(mode="json"), "server": server})
    ctx.say(
        f"Connecté à {server} : {user.first_name} {user.last_name} "
        f"({ROLES.get(user.role, user.role)}). Le mot de passe n'est pas conservé ; lancez "
        "« spie-desktop sync »."
    )
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    told: list[str] = []
    store = _open_store(ctx)

    def progress(step: Progress) -> None:
        total = f"/{step.total}" if step.total else ""
        ctx.progress(f"{step.message} {step.done}{total}")

    client = SyncClient(
        store,
        on_progress=None if ctx.as_json else progress,
        on_wipe=told.append,
        retry=RetryPolicy(attempts=4, base_delay=0.5),
    )
    try:
        report = client.sync()
    finally:
        client.close()
        store.close()  # idempotent: a wiped store is already closed
    if ctx.as_json:
        ctx.emit(report.to_dict())
    else:
        print(file=ctx.err)
        _print_report(ctx, report)
    return {
        "ok": EXIT_OK,
        "offline": EXIT_OFFLINE,
        "revoked": EXIT_REVOKED,
        "busy": EXIT_REFUSED,
    }.get(report.status, EXIT_REFUSED)


def _print_report(ctx: Context, report: Any) -> None:
    if report.status == "revoked":
        ctx.say(f"{report.message} Les données de cet appareil ont été effacées.")
        return
    if report.status != "ok":
        ctx.say(f"Synchronisation interrompue : {report.message}")
        return
    ctx.say(
        f"Synchronisation terminée en {report.seconds:.1f} s : {report.pushed} modification(s) "
        f"envoyée(s), {report.pulled_rows + report.pulled_changes} reçue(s), "
        f"{len(report.rejected)} mise(s) de côté."
    )
    if report.granted:
        ctx.say(f"{report.granted} dossier(s) ajouté(s) à votre portefeuille.")
    if report.purged:
        ctx.say(f"{report.purged} dossier(s) retiré(s) de cet appareil.")
    for conflict in report.conflicts:
        ctx.say(
            f"  Modifié aussi par {conflict.author or 'un autre appareil'} : {conflict.table}."
            f"{conflict.field} = {conflict.theirs!r} (votre valeur : {conflict.ours!r})"
        )
    for rejected in report.rejected:
        ctx.say(f"  Refusé par le serveur ({rejected.table}) : {rejected.message}")
    if report.recovered:
        ctx.say(recovery_sentence(report))
    if report.counts_ok is False:
        ctx.say(
            "Attention : l'appareil et le serveur ne comptent pas les mêmes dossiers : "
            + ", ".join(report.count_problems)
        )
    if report.digest_ok is False:
        ctx.say(
            "Attention : des dossiers diffèrent encore de ceux du serveur après réparation "
            "(conservés sur cet appareil, rien n'est supprimé) : "
            + ", ".join(report.digest_problems)
        )
    if report.clock_warning:
        ctx.say(f"Attention : {report.clock_warning}")


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    store = _open_store(ctx)
    try:
        status = sync_status(store)
    finally:
        store.close()
    if ctx.as_json:
        ctx.emit(status)
        return EXIT_OK
    ctx.say(f"Serveur : {status['server_url'] or 'non configuré'}")
    ctx.say(f"Utilisateur : {status['user_name'] or '—'} ({status['username'] or '—'})")
    ctx.say(f"Modifications en attente : {status['pending']}")
    ctx.say(f"Modifications mises de côté : {len(status['rejected'])}")
    for rejected in status["rejected"]:
        ctx.say(f"  {rejected['table']} : {rejected['message']}")
    if status.get("set_aside"):
        ctx.say(f"Éléments reçus mis de côté : {len(status['set_aside'])}")
        for record in status["set_aside"]:
            ctx.say(f"  {record['table']} : {record['message']}")
    ctx.say(f"Conflits non consultés : {status.get('conflicts', 0)}")
    ctx.say(f"Dernière synchronisation réussie : {status['last_sync_at'] or 'jamais'}")
    if status["last_sync_status"] and status["last_sync_status"] != "ok":
        ctx.say(f"Dernière tentative : {status['last_sync_message']}")
    ctx.say(f"Curseur : {status['cursor'] or '—'}")
    for key in ("clock_warning", "stale_warning"):
        if status[key]:
            ctx.say(f"Attention : {status[key]}")
    return EXIT_OK
