"""``spie-desktop``'s commands on the encrypted device store of a data directory.

::

    spie-desktop init          --data-dir D                 create an empty encrypted store
    spie-desktop demo-data     --data-dir D --persons N [--seed S]
    spie-desktop stats         --data-dir D [--json]        rows per table
    spie-desktop check         --data-dir D                 cipher + SQLite integrity
    spie-desktop passwd        --data-dir D                 change the passphrase
    spie-desktop export-person ID --data-dir D [--output FILE] [--force]

The passphrase comes from ``SPIE_PASSPHRASE`` (``init``: the new store's; ``passwd``: the
current one, and ``SPIE_NEW_PASSPHRASE`` the new one) or a hidden prompt
(:meth:`spie_desktop.entry.cli.base.Context.secret`). ``SPIE_KDF_PROFILE=test`` (tests and
CI only) makes the key derivation of the vaults created here weak and fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from spie_desktop.config import ENV_KDF_PROFILE, kdf_params_from_env, locate_data_dir
from spie_desktop.entry.cli.base import (
    ENV_NEW_PASSPHRASE,
    EXIT_CORRUPT,
    EXIT_OK,
    Commands,
    Context,
    integer,
)
from spie_desktop.errors import (
    DiskFullError,
    SpieError,
    StoreCorruptError,
    StoreNotInitialisedError,
    ValidationError,
    is_disk_full,
)
from spie_desktop.store.engine import DATABASE_FILE, encrypted_engine
from spie_desktop.store.file_keyring import atomic_write_bytes
from spie_desktop.store.store import Store
from spie_desktop.store.vault import KdfParams, SecretLocation, Vault

PERSONS_PER_REFERENT = 150
MAX_DEMO_PERSONS = 100_000
CHECK_LINES_SHOWN = 20

TABLE_LABELS = {
    "structure": "Structures",
    "team": "Équipes",
    "referent": "Référents",
    "person": "Personnes accompagnées",
    "referent_assignment": "Affectations de référent",
    "appointment": "Rendez-vous",
    "barrier": "Freins",
    "action": "Actions",
    "note": "Notes du journal",
    "audit_event": "Événements d'audit",
    "outbox_pending": "Modifications à synchroniser",
    "outbox_rejected": "Modifications refusées par le serveur",
}


def _number(value: int) -> str:
    """French thousands separator (a no-break space, which every console encoding has)."""
    return f"{value:,}".replace(",", "\u00a0")


def _secret_document(location: SecretLocation) -> dict[str, Any]:
    return {"kind": location.kind, "detail": location.detail, "warning": location.warning}


def _secret_sentence(location: SecretLocation) -> str:
    if location.warning:
        return location.warning
    return f"trousseau du système ({location.detail})."


# --------------------------------------------------------------------------------------
# Opening the store


def _require_store(data_dir: Path) -> Vault:
    """The vault of ``data_dir``, read before any passphrase is asked for."""
    if not Vault.exists(data_dir):
        raise StoreNotInitialisedError(
            f"Aucune base locale dans {data_dir} : lancez d'abord "
            f"« spie-desktop init --data-dir {data_dir} »."
        )
    return Vault.load(data_dir)


def _open_with_key(vault: Vault, data_key: bytes) -> Store:
    return Store.open_with_key(vault.data_dir, data_key, device_id=vault.device_id)


@contextlib.contextmanager
def unlocked(ctx: Context) -> Iterator[tuple[Vault, Store]]:
    """Unlock the store of the context's data directory; closed on exit."""
    vault = _require_store(ctx.data_dir)
    store = _open_with_key(vault, vault.unlock(ctx.passphrase()))
    try:
        yield vault, store
    finally:
        store.close()


def _warn_test_kdf(ctx: Context, kdf: KdfParams | None) -> None:
    if kdf is not None:
        ctx.warn(
            f"{ENV_KDF_PROFILE}=test : dérivation de clé affaiblie, réservée aux tests. "
            "Ne l'utilisez jamais pour de vraies données."
        )


def _passwd_kdf(ctx: Context, current: KdfParams) -> KdfParams | None:
    """The KDF for a re-wrapped key: the test profile, else at least today's defaults."""
    test = kdf_params_from_env(ctx.environ)
    if test is not None:
        return test
    defaults = KdfParams()
    if (
        current.time_cost >= defaults.time_cost
        and current.memory_cost_kib >= defaults.memory_cost_kib
    ):
        return None  # keep the vault's own (at least as strong) parameters
    return defaults


# --------------------------------------------------------------------------------------
# Commands


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    data_dir = ctx.data_dir
    if Vault.exists(data_dir):
        raise ValidationError(
            f"Une base locale existe déjà dans {data_dir} : elle n'est pas remplacée.",
            code="store_exists",
            field="data_dir",
        )
    if (data_dir / DATABASE_FILE).exists():
        raise ValidationError(
            f"Un fichier {DATABASE_FILE} sans coffre de clés se trouve déjà dans {data_dir} : "
            "déplacez-le ou choisissez un autre dossier.",
            code="store_exists",
            field="data_dir",
        )
    kdf = kdf_params_from_env(ctx.environ)
    _warn_test_kdf(ctx, kdf)
    passphrase = ctx.passphrase("Nouvelle phrase de passe : ", confirm=True)
    Store.create(data_dir, passphrase, kdf=kdf).close()
    vault = Vault.load(data_dir)
    location = vault.secret_location
    ctx.say(f"Base locale chiffrée créée dans {data_dir}.")
    ctx.say(f"Secret de l'appareil : {_secret_sentence(location)}")
    ctx.say(
        "Retenez votre phrase de passe : sans elle, les données de cet appareil ne "
        "pourront être retrouvées que par une resynchronisation avec le serveur."
    )
    if location.warning and ctx.as_json:
        ctx.warn(location.warning)  # stdout is the JSON document: say it on stderr too
    ctx.emit(
        {
            "ok": True,
            "data_dir": str(data_dir),
            "device_id": vault.device_id,
            "device_secret": _secret_document(location),
            "kdf_profile": "test" if kdf is not None else "default",
        }
    )
    return EXIT_OK


def _demo_module() -> Any:
    try:
        from spie_desktop import demo
    except ImportError as exc:
        raise SpieError(
            "Les données de démonstration ne sont pas disponibles dans cette installation.",
            code="demo_unavailable",
        ) from exc
    return demo


def _demo_spec(persons: int, seed: int | None) -> Any:
    """``DemoSpec`` for about ``persons`` people, by referents of up to 150."""
    kwargs: dict[str, Any] = {
        "referents": math.ceil(persons / PERSONS_PER_REFERENT),
        "persons_per_referent": min(persons, PERSONS_PER_REFERENT),
    }
    if seed is not None:
        kwargs["seed"] = seed
    return _demo_module().DemoSpec(**kwargs)


def _load_demo(store: Store, spec: Any, err: TextIO) -> dict[str, int]:
    """Insert the demo into an empty store, with a progress line on a terminal."""
    demo = _demo_module()
    existing = store.counts()
    if existing["person"] or existing["referent"]:
        raise ValidationError(
            "La base contient déjà des données : les données de démonstration ne "
            "s'ajoutent qu'à une base vide (créez-en une avec « spie-desktop init »).",
            code="store_not_empty",
        )
    progress: Callable[[int], None] | None = None
    if err.isatty():
        total = max(int(demo.estimated_rows(spec)), 1)

        def progress(done: int) -> None:
            print(f"\rChargement : {min(100, done * 100 // total):3d} %", end="", file=err)

    counts: dict[str, int] = demo.load_into_store(store, spec, progress=progress)
    if progress is not None:
        print(file=err)
    return counts


def cmd_demo_data(args: argparse.Namespace, ctx: Context) -> int:
    spec = _demo_spec(args.persons, args.seed)
    with unlocked(ctx) as (_vault, store):
        added = _load_demo(store, spec, ctx.err)
        counts = store.counts()
    ctx.say(
        f"Données de démonstration ajoutées dans {ctx.data_dir} : "
        f"{_number(added.get('person', 0))} personnes "
        f"({spec.referents} référent(s) × {spec.persons_per_referent}), "
        f"{_number(added.get('appointment', 0))} rendez-vous, "
        f"{_number(added.get('barrier', 0))} freins, "
        f"{_number(added.get('note', 0))} notes."
    )
    ctx.emit({"ok": True, "data_dir": str(ctx.data_dir), "added": added, "counts": counts})
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    with unlocked(ctx) as (vault, store):
        counts = store.counts()
        secret = vault.secret_location
    where = locate_data_dir(ctx.data_dir_option, environ=ctx.environ)
    ctx.emit(
        {
            "ok": True,
            "data_dir": str(ctx.data_dir),
            "data_dir_source": where.source,
            "device_id": vault.device_id,
            "device_secret": _secret_document(secret),
            "counts": counts,
        }
    )
    ctx.say(f"Base : {where.description}")
    ctx.say(f"Secret de l'appareil : {_secret_sentence(secret)}")
    ctx.say()
    labels = {name: TABLE_LABELS.get(name, name) for name in counts}
    width = max(len(label) for label in labels.values())
    ctx.say(f"{'Table':<{width}}  {'Lignes':>9}")
    ctx.say(f"{'-' * width}  {'-' * 9}")
    for name, count in counts.items():
        ctx.say(f"{labels[name]:<{width}}  {_number(count):>9}")
    return EXIT_OK


def _database_error_text(exc: DatabaseError) -> str:
    return str(exc.orig) if exc.orig is not None else str(exc).splitlines()[0]


def _integrity_problems(engine: Engine) -> list[str]:
    """Each integrity PRAGMA on its own, so that one failing does not hide the others."""
    problems: list[str] = []
    checks = (
        ("cipher_integrity_check", "cipher", lambda row: True),
        ("integrity_check", "sqlite", lambda row: row[0] != "ok"),
        ("foreign_key_check", "foreign key", lambda row: True),
    )
    try:
        connection = engine.connect()
    except DatabaseError as exc:
        return [f"cipher: {_database_error_text(exc)}"]
    with connection:
        for pragma, prefix, is_problem in checks:
            try:
                rows = connection.exec_driver_sql(f"PRAGMA {pragma}").fetchall()
            except DatabaseError as exc:
                problems.append(f"{prefix}: {_database_error_text(exc)}")
                continue
            for row in rows:
                if is_problem(row):
                    detail = row[0] if len(row) == 1 else tuple(row)
                    problems.append(f"{prefix}: {detail}")
    return problems


def _check_problems(vault: Vault, data_key: bytes) -> list[str]:
    try:
        store = _open_with_key(vault, data_key)
    except (StoreCorruptError, DatabaseError):
        store = None
    if store is not None:
        try:
            return store.check()
        except DatabaseError:
            pass  # a PRAGMA failed outright: list the problems one by one below
        finally:
            store.close()
    engine = encrypted_engine(vault.data_dir / DATABASE_FILE, data_key, pool_size=1)
    try:
        problems = _integrity_problems(engine)
    finally:
        engine.dispose()
    return problems or ["la base ne peut pas être ouverte"]


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    vault = _require_store(ctx.data_dir)
    data_key = vault.unlock(ctx.passphrase())
    problems = _check_problems(vault, data_key)
    if not problems:
        ctx.say("Base intègre.")
        ctx.emit({"ok": True, "data_dir": str(ctx.data_dir), "problems": []})
        return EXIT_OK
    advice = StoreCorruptError.default_message
    lines = [line for problem in problems for line in problem.splitlines() if line.strip()]
    ctx.say(f"La base locale de {ctx.data_dir} est endommagée :")
    for line in lines[:CHECK_LINES_SHOWN]:
        ctx.say(f"  - {line}")
    if len(lines) > CHECK_LINES_SHOWN:
        ctx.say(f"  … et {len(lines) - CHECK_LINES_SHOWN} autres lignes (détail complet : --json).")
    ctx.say(advice)
    ctx.emit(
        {
            "ok": False,
            "data_dir": str(ctx.data_dir),
            "problems": lines,
            "error": {"code": StoreCorruptError.code, "message": advice},
        }
    )
    print(f"Erreur : {advice} [{StoreCorruptError.code}]", file=ctx.err)
    return EXIT_CORRUPT


def cmd_passwd(args: argparse.Namespace, ctx: Context) -> int:
    vault = _require_store(ctx.data_dir)
    old = ctx.passphrase("Phrase de passe actuelle : ")
    if not ctx.environ.get(ENV_NEW_PASSPHRASE):
        # Check the old one before asking twice for a new one.
        vault.unlock(old)
    new = ctx.secret("Nouvelle phrase de passe : ", env=ENV_NEW_PASSPHRASE, confirm=True)
    if new == old:
        raise ValidationError(
            "La nouvelle phrase de passe est identique à l'actuelle : rien n'a été modifié.",
            code="passphrase_unchanged",
            field="new_passphrase",
        )
    kdf = _passwd_kdf(ctx, vault.kdf_params)
    _warn_test_kdf(ctx, kdf_params_from_env(ctx.environ))
    vault.change_passphrase(old, new, kdf=kdf)
    ctx.say(
        "Phrase de passe changée. La base n'a pas été rechiffrée : sa clé est désormais "
        "protégée par la nouvelle phrase de passe."
    )
    ctx.emit({"ok": True, "data_dir": str(ctx.data_dir)})
    return EXIT_OK


def _parse_person_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise ValidationError(
            f"Identifiant de personne invalide : « {value} ».",
            code="invalid_id",
            field="person_id",
        ) from None


def _check_output(path: Path, force: bool) -> None:
    if not path.parent.is_dir():
        raise ValidationError(
            f"Le dossier {path.parent} n'existe pas.", code="invalid_output", field="output"
        )
    if path.is_dir():
        raise ValidationError(
            f"{path} est un dossier : indiquez un nom de fichier.",
            code="invalid_output",
            field="output",
        )
    if path.exists() and not force:
        raise ValidationError(
            f"Le fichier {path} existe déjà : choisissez un autre nom ou ajoutez --force.",
            code="output_exists",
            field="output",
        )


def cmd_export_person(args: argparse.Namespace, ctx: Context) -> int:
    from spie_desktop.services import usecases

    person_id = _parse_person_id(args.person_id)
    output = Path(args.output).expanduser() if args.output else None
    if output is not None:
        _check_output(output, args.force)
    with unlocked(ctx) as (_vault, store):
        # The use-case records the export in the audit log, in its one transaction.
        document = usecases.export_person(store, store.actor(), person_id).value
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # Written only once the audit event is committed: no export goes unrecorded.
    data = text.encode("utf-8")
    if output is None:
        ctx.out.flush()
        if ctx.out is sys.stdout:
            sys.stdout.buffer.write(data)  # UTF-8 whatever the console's encoding
        else:
            ctx.out.write(text)
        ctx.out.flush()
        return EXIT_OK
    atomic_write_bytes(output, data, mode=0o600)
    summary = {key: len(value) for key, value in document.items() if isinstance(value, list)}
    ctx.say(
        f"Export écrit dans {output} ({summary.get('notes', 0)} notes, "
        f"{summary.get('appointments', 0)} rendez-vous). L'export a été inscrit au journal "
        "d'audit."
    )
    ctx.warn(
        "ce fichier contient des données personnelles en clair : remettez-le à la personne "
        "concernée puis supprimez-le de cet ordinateur."
    )
    ctx.emit(
        {
            "ok": True,
            "output": str(output),
            "person_id": str(person_id),
            "counts": summary,
        }
    )
    return EXIT_OK


def database_error(exc: BaseException) -> SpieError | None:
    """A French error for a database failure that is not a bug, else ``None``."""
    if not isinstance(exc, DatabaseError):
        return None
    text = _database_error_text(exc).lower()
    if isinstance(exc, OperationalError) and ("locked" in text or "busy" in text):
        return SpieError(
            "La base locale est occupée par un autre programme (l'application est-elle "
            "ouverte ?). Fermez-le puis réessayez.",
            code="store_busy",
        )
    if is_disk_full(exc):
        return DiskFullError()
    if any(word in text for word in ("malformed", "not a database", "disk i/o", "corrupt")):
        return StoreCorruptError()
    return None


# --------------------------------------------------------------------------------------
# Registration


def register(commands: Commands) -> None:
    """Add the store commands to ``spie-desktop``."""
    commands.add("init", "créer une base locale chiffrée vide", cmd_init)
    demo_data = commands.add(
        "demo-data", "ajouter des données de démonstration à une base vide", cmd_demo_data
    )
    demo_data.add_argument(
        "--persons", type=integer(1, MAX_DEMO_PERSONS), required=True, metavar="N",
        help=f"nombre de personnes (par référents de {PERSONS_PER_REFERENT})",
    )  # fmt: skip
    demo_data.add_argument(
        "--seed", type=integer(), default=None, metavar="S",
        help="graine du générateur (mêmes données à graine égale)",
    )  # fmt: skip
    commands.add("stats", "compter les lignes de chaque table", cmd_stats)
    commands.add("check", "vérifier l'intégrité de la base (chiffrement et SQLite)", cmd_check)
    commands.add("passwd", "changer la phrase de passe", cmd_passwd)
    export = commands.add(
        "export-person",
        "exporter le dossier complet d'une personne (droit d'accès RGPD)",
        cmd_export_person,
    )
    export.add_argument("person_id", metavar="ID", help="identifiant (UUID) de la personne")
    export.add_argument(
        "--output", "-o", metavar="FICHIER", default=None,
        help="fichier JSON à écrire (droits 0600) ; sinon la sortie standard",
    )  # fmt: skip
    export.add_argument(
        "--force", action="store_true", help="remplacer le fichier s'il existe déjà"
    )
