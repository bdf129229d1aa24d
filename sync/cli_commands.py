"""The device's sync commands for ``spie-desktop``: ``login``, ``sync``, ``status``.

``register(subparsers)`` adds them to the main parser; each sets ``func=handler(args)``
returning the exit code (``args.data_dir`` comes from the main parser; ``None`` means
:func:`spie_desktop.config.locate_data_dir`)::

    spie-desktop login --server URL --user U [--stdin]
    spie-desktop sync [--json]        progress on stderr, a summary (or JSON) on stdout
    spie-desktop status [--json]      pending changes, set-aside changes, last sync, cursor

Secrets never go on the command line. The store's passphrase comes from
``SPIE_PASSPHRASE`` or a hidden prompt; the account password from a hidden prompt, or one
line of standard input with ``--stdin``. ``login`` creates the encrypted store
when the data directory has none yet (a new device). The password is swapped for a
device-bound refresh token kept in the OS keyring; it is never stored.

Exit codes: 0 success; 2 refused (bad password, not logged in, session expired: log in
again, server refusal); 3 wrong passphrase; 5 offline (nothing lost, retry later); 6 the
device was revoked by the administrator and its data erased.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from spie_desktop.config import kdf_params_from_env, load_settings, locate_data_dir, save_settings
from spie_desktop.errors import SpieError, WrongPassphraseError
from spie_desktop.store.store import Store
from spie_desktop.store.vault import Vault
from sync.client import Progress, RetryPolicy, SyncClient, recovery_sentence, sync_status

ENV_PASSPHRASE = "SPIE_PASSPHRASE"
EXIT_OK = 0
EXIT_REFUSED = 2
EXIT_PASSPHRASE = 3
EXIT_OFFLINE = 5
EXIT_REVOKED = 6


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``login``, ``sync`` and ``status`` to the main parser's subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DOSSIER",
        default=argparse.SUPPRESS,
        help="dossier des données de l'appareil",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="sortie JSON pour les programmes",
    )

    login = subparsers.add_parser(
        "login",
        parents=[common],
        help="relier cet appareil au serveur départemental",
        description="Se connecter une fois : le mot de passe est échangé contre un jeton lié "
        "à cet appareil, rangé dans le trousseau du système ; il n'est jamais enregistré.",
    )
    login.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="adresse du serveur (sinon celle des réglages)",
    )
    login.add_argument(
        "--user", metavar="IDENTIFIANT", default=None, help="identifiant (sinon le dernier utilisé)"
    )
    login.add_argument(
        "--stdin",
        action="store_true",
        help="lire le mot de passe sur une ligne de l'entrée standard",
    )
    login.set_defaults(func=cmd_login)

    sync = subparsers.add_parser(
        "sync",
        parents=[common],
        help="synchroniser avec le serveur",
        description="Envoyer les modifications locales et recevoir celles du serveur.",
    )
    sync.set_defaults(func=cmd_sync)

    status = subparsers.add_parser(
        "status",
        parents=[common],
        help="état de la synchronisation",
        description="Modifications en attente, modifications mises de côté, dernière "
        "synchronisation, curseur.",
    )
    status.set_defaults(func=cmd_status)


# -- helpers ---------------------------------------------------------------------------------


def _data_dir(args: argparse.Namespace) -> Path:
    return locate_data_dir(getattr(args, "data_dir", None)).path


def _as_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def _secret(
    prompt: str, *, env: str | None = None, stdin_line: bool = False, err: TextIO = sys.stderr
) -> str:
    if env and os.environ.get(env):
        return os.environ[env]
    if stdin_line or not sys.stdin.isatty():
        print(prompt, end="", file=err, flush=True)
        line = sys.stdin.readline()
        print(file=err)
        if not line.strip():
            raise SpieError("Aucune saisie sur l'entrée standard.", code="secret_missing")
        return line.rstrip("\r\n")
    value = getpass.getpass(prompt)
    if not value:
        raise SpieError("Saisie vide.", code="secret_missing")
    return value


def _open_store(data_dir: Path, *, create: bool = False) -> Store:
    if not Vault.exists(data_dir):
        if not create:
            raise SpieError(
                f"Aucune base locale dans {data_dir} : connectez d'abord cet appareil "
                "(spie-desktop login).",
                code="store_missing",
            )
        passphrase = _secret("Nouvelle phrase de passe de cet appareil : ", env=ENV_PASSPHRASE)
        if not os.environ.get(ENV_PASSPHRASE):
            again = _secret("Confirmez-la : ")
            if again != passphrase:
                raise SpieError(
                    "Les deux saisies ne correspondent pas.", code="passphrase_mismatch"
                )
        return Store.create(data_dir, passphrase, kdf=kdf_params_from_env())
    return Store.open(data_dir, _secret("Phrase de passe : ", env=ENV_PASSPHRASE))


def _fail(error: SpieError, as_json: bool) -> int:
    if as_json:
        print(
            json.dumps(
                {"ok": False, "error": {"code": error.code, "message": error.message}},
                ensure_ascii=False,
            )
        )
    print(f"Erreur : {error.message} [{error.code}]", file=sys.stderr)
    if isinstance(error, WrongPassphraseError):
        return EXIT_PASSPHRASE
    return EXIT_REFUSED


# -- commands --------------------------------------------------------------------------------


def cmd_login(args: argparse.Namespace) -> int:
    as_json = _as_json(args)
    data_dir = _data_dir(args)
    try:
        settings = load_settings(data_dir)
        server = (args.server or settings.server_url or "").rstrip("/")
        if not server:
            raise SpieError("Indiquez l'adresse du serveur (--server).", code="server_missing")
        username = args.user or settings.last_username
        if not username:
            raise SpieError("Indiquez votre identifiant (--user).", code="user_missing")
        store = _open_store(data_dir, create=True)
        try:
            password = _secret(
                f"Mot de passe de {username} : ", stdin_line=bool(args.stdin)
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
    except SpieError as exc:
        return _fail(exc, as_json)
    role = {
        "referent": "référent",
        "supervisor": "responsable d'équipe",
        "admin": "administrateur",
    }.get(user.role, user.role)
    if as_json:
        print(
            json.dumps(
                {"ok": True, "user": user.model_dump(mode="json"), "server": server},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(
            f"Connecté à {server} : {user.first_name} {user.last_name} ({role}). "
            "Le mot de passe n'est pas conservé ; lancez « spie-desktop sync »."
        )
    return EXIT_OK


def _print_progress(progress: Progress) -> None:
    if progress.total:
        print(
            f"\r{progress.message} {progress.done}/{progress.total}",
            end="",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(f"\r{progress.message} {progress.done}", end="", file=sys.stderr, flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    as_json = _as_json(args)
    data_dir = _data_dir(args)
    told: list[str] = []
    try:
        store = _open_store(data_dir)
    except SpieError as exc:
        return _fail(exc, as_json)
    client = SyncClient(
        store,
        on_progress=None if as_json else _print_progress,
        on_wipe=told.append,
        retry=RetryPolicy(attempts=4, base_delay=0.5),
    )
    try:
        report = client.sync()
    finally:
        client.close()
        store.close()  # idempotent: a wiped store is already closed
    if not as_json:
        print(file=sys.stderr)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(report)
    return {
        "ok": EXIT_OK,
        "offline": EXIT_OFFLINE,
        "revoked": EXIT_REVOKED,
        "busy": EXIT_REFUSED,
    }.get(report.status, EXIT_REFUSED)


def _print_report(report: Any) -> None:
    if report.status == "revoked":
        print(f"{report.message} Les données de cet appareil ont été effacées.")
        return
    if report.status != "ok":
        print(f"Synchronisation interrompue : {report.message}")
        return
    print(
        f"Synchronisation terminée en {report.seconds:.1f} s : {report.pushed} modification(s) "
        f"envoyée(s), {report.pulled_rows + report.pulled_changes} reçue(s), "
        f"{len(report.rejected)} mise(s) de côté."
    )
    if report.granted:
        print(f"{report.granted} dossier(s) ajouté(s) à votre portefeuille.")
    if report.purged:
        print(f"{report.purged} dossier(s) retiré(s) de cet appareil.")
    for conflict in report.conflicts:
        print(
            f"  Modifié aussi par {conflict.author or 'un autre appareil'} : {conflict.table}."
            f"{conflict.field} = {conflict.theirs!r} (votre valeur : {conflict.ours!r})"
        )
    for rejected in report.rejected:
        print(f"  Refusé par le serveur ({rejected.table}) : {rejected.message}")
    if report.recovered:
        print(recovery_sentence(report))
    if report.counts_ok is False:
        print(
            "Attention : l'appareil et le serveur ne comptent pas les mêmes dossiers : "
            + ", ".join(report.count_problems)
        )
    if report.clock_warning:
        print(f"Attention : {report.clock_warning}")


def cmd_status(args: argparse.Namespace) -> int:
    as_json = _as_json(args)
    data_dir = _data_dir(args)
    try:
        store = _open_store(data_dir)
    except SpieError as exc:
        return _fail(exc, as_json)
    try:
        status = sync_status(store)
    finally:
        store.close()
    if as_json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Serveur : {status['server_url'] or 'non configuré'}")
    print(f"Utilisateur : {status['user_name'] or '—'} ({status['username'] or '—'})")
    print(f"Modifications en attente : {status['pending']}")
    print(f"Modifications mises de côté : {len(status['rejected'])}")
    for rejected in status["rejected"]:
        print(f"  {rejected['table']} : {rejected['message']}")
    if status.get("set_aside"):
        print(f"Éléments reçus mis de côté : {len(status['set_aside'])}")
        for record in status["set_aside"]:
            print(f"  {record['table']} : {record['message']}")
    print(f"Conflits non consultés : {status.get('conflicts', 0)}")
    print(f"Dernière synchronisation réussie : {status['last_sync_at'] or 'jamais'}")
    if status["last_sync_status"] and status["last_sync_status"] != "ok":
        print(f"Dernière tentative : {status['last_sync_message']}")
    print(f"Curseur : {status['cursor'] or '—'}")
    for key in ("clock_warning", "stale_warning"):
        if status[key]:
            print(f"Attention : {status[key]}")
    return EXIT_OK
