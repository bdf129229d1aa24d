"""``spie-desktop``: the headless command line, for support staff and automation.

Without a subcommand it starts the desktop application (``ui.app.main``). The
subcommands work on the encrypted device store of a data directory::

    spie-desktop init          --data-dir D                 create an empty encrypted store
    spie-desktop demo-data     --data-dir D --persons N [--seed S]
    spie-desktop stats         --data-dir D [--json]        rows per table
    spie-desktop check         --data-dir D                 cipher + SQLite integrity
    spie-desktop passwd        --data-dir D                 change the passphrase
    spie-desktop export-person ID --data-dir D [--output FILE] [--force]
    spie-desktop demo          [--data-dir D]               demo store + caseload summary
    spie-desktop print-file | print-convocation | print-summary | export-agenda |
                 export-invitation          documents (see spie_desktop.cli_documents)

``--data-dir`` and ``--json`` are accepted before or after the subcommand. Without
``--data-dir`` the directory comes from :mod:`spie_desktop.config` (``SPIE_DATA_DIR``,
portable mode, else the per-user data directory).

**Passphrases are never command-line arguments** (they would show in ``ps`` and in the
shell history). They come from the environment or from a hidden prompt:

- ``SPIE_PASSPHRASE``: the store's passphrase (for ``init``: the new store's passphrase);
- ``SPIE_NEW_PASSPHRASE``: the new passphrase for ``passwd``;
- when unset, ``getpass`` asks for it on the terminal (twice for a new passphrase);
  without a terminal (a pipe from a script), one line per passphrase is read from
  standard input.

Other environment variables: ``SPIE_KDF_PROFILE=test`` (tests and CI only: weak,
fast key derivation for the vaults the CLI creates; see :mod:`spie_desktop.config`),
``SPIE_DEBUG=1`` (full tracebacks of unexpected errors; off by default because a
traceback may quote caseload data), ``PYTHON_KEYRING_BACKEND``
(choose the keyring backend, as for any ``keyring`` user).

Output: French text for people by default; ``--json`` prints one JSON document on
stdout instead (errors included: ``{"ok": false, "error": {"code", "message"}}``).
Errors always print ``Erreur : <message> [<code>]`` on stderr, never a traceback.

Exit codes:

=== =================================================================================
0   success (``check``: the store is sound)
1   unexpected internal error (a bug: please report it, with ``SPIE_DEBUG=1`` output)
2   refused: invalid input or usage, missing store, keyring problem, unknown person,
    desktop application not installed…
3   wrong passphrase, or too many failed attempts (wait, then retry)
4   damaged store: ``check`` found problems, or the database or vault cannot be read
    (recovery: delete the local store and re-synchronise with the server)
130 interrupted (Ctrl-C)
=== =================================================================================

Desktop application contract: ``ui.app.main`` is called with ``data_dir=`` (the
``--data-dir`` value, or ``None``: resolve it with :func:`spie_desktop.config.locate_data_dir`)
when its signature has such a parameter, else with no argument; its return value (``int``
or ``None``) is the exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import logging
import math
import os
import sys
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from spie_desktop import __version__
from spie_desktop.config import (
    ENV_KDF_PROFILE,
    DataLocation,
    kdf_params_from_env,
    locate_data_dir,
)
from spie_desktop.domain.models import person_name
from spie_desktop.errors import (
    SpieError,
    StoreCorruptError,
    StoreNotInitialisedError,
    TooManyAttemptsError,
    ValidationError,
    VaultError,
    WrongPassphraseError,
)
from spie_desktop.store.engine import DATABASE_FILE, encrypted_engine
from spie_desktop.store.file_keyring import atomic_write_bytes
from spie_desktop.store.store import Store
from spie_desktop.store.vault import KdfParams, SecretLocation, Vault

__all__ = [
    "DEMO_PASSPHRASE",
    "EXIT_CORRUPT",
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PASSPHRASE",
    "build_parser",
    "main",
    "run_demo",
]

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_ERROR = 2
EXIT_PASSPHRASE = 3
EXIT_CORRUPT = 4
EXIT_INTERRUPTED = 130

ENV_PASSPHRASE = "SPIE_PASSPHRASE"
ENV_NEW_PASSPHRASE = "SPIE_NEW_PASSPHRASE"
ENV_DEBUG = "SPIE_DEBUG"

DEMO_PASSPHRASE = "demo-spie-2026"
DEMO_PERSONS = 150
DEMO_SEED = 2026
DEMO_LISTED = 15
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

_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# Context and output


@dataclass
class Context:
    """What every command needs: where the data is, how to talk, the environment."""

    location: DataLocation | None
    as_json: bool
    environ: Mapping[str, str]
    out: TextIO
    err: TextIO

    @property
    def data_dir(self) -> Path:
        assert self.location is not None, "data directory not resolved yet"
        return self.location.path

    def say(self, text: str = "") -> None:
        """A line for people (suppressed in JSON mode, where stdout is the document)."""
        if not self.as_json:
            print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(f"Attention : {text}", file=self.err)

    def emit(self, document: Mapping[str, Any]) -> None:
        """The JSON document of a command (JSON mode only)."""
        if self.as_json:
            print(json.dumps(document, indent=2, ensure_ascii=False), file=self.out)


def _number(value: int) -> str:
    """French thousands separator (a no-break space, which every console encoding has)."""
    return f"{value:,}".replace(",", "\u00a0")


def _fr_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone()
    return f"{_WEEKDAYS[local.weekday()]} {local:%d/%m/%Y %H:%M}"


def _fr_date(value: datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.astimezone():%d/%m/%Y}"


def _secret_document(location: SecretLocation) -> dict[str, Any]:
    return {"kind": location.kind, "detail": location.detail, "warning": location.warning}


def _secret_sentence(location: SecretLocation) -> str:
    if location.warning:
        return location.warning
    return f"trousseau du système ({location.detail})."


# --------------------------------------------------------------------------------------
# Passphrases


def _has_terminal() -> bool:
    """Whether getpass can hide what is typed (a controlling terminal, or a console)."""
    if os.name != "posix":
        return sys.stdin is not None and sys.stdin.isatty()
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def _prompt_hidden(prompt: str, err: TextIO) -> str:
    """``getpass`` on a terminal; without one, one line of standard input (automation).

    getpass's own fallback prints an English warning; this one prints the French prompt
    on stderr and reads stdin, whose content is not echoed anywhere by us.
    """
    if _has_terminal():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", getpass.GetPassWarning)
            return getpass.getpass(prompt)
    print(prompt, end="", file=err, flush=True)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    print(file=err)
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _read_secret(
    ctx: Context, env_var: str, prompt: str, *, confirm: bool = False
) -> str:
    """From ``env_var`` if set and non-empty, else a hidden prompt (twice if ``confirm``)."""
    value = ctx.environ.get(env_var)
    if value:
        return value
    try:
        first = _prompt_hidden(prompt, ctx.err)
        second = first
        if confirm and first:
            second = _prompt_hidden("Confirmez en la saisissant à nouveau : ", ctx.err)
    except EOFError:
        raise ValidationError(
            f"Aucune phrase de passe fournie : définissez la variable {env_var} ou lancez la "
            "commande dans un terminal pour la saisir.",
            code="passphrase_missing",
        ) from None
    if not first:
        raise ValidationError("La phrase de passe est vide.", code="passphrase_missing")
    if first != second:
        raise ValidationError(
            "Les deux saisies de la phrase de passe ne correspondent pas : rien n'a été modifié.",
            code="passphrase_mismatch",
        )
    return first


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
def _unlocked(ctx: Context) -> Iterator[tuple[Vault, Store]]:
    """Unlock the store of the context's data directory; closed on exit."""
    vault = _require_store(ctx.data_dir)
    passphrase = _read_secret(ctx, ENV_PASSPHRASE, "Phrase de passe : ")
    store = _open_with_key(vault, vault.unlock(passphrase))
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
    passphrase = _read_secret(
        ctx, ENV_PASSPHRASE, "Nouvelle phrase de passe : ", confirm=True
    )
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
    with _unlocked(ctx) as (_vault, store):
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
    with _unlocked(ctx) as (vault, store):
        counts = store.counts()
        location = vault.secret_location
    ctx.emit(
        {
            "ok": True,
            "data_dir": str(ctx.data_dir),
            "data_dir_source": ctx.location.source if ctx.location else None,
            "device_id": vault.device_id,
            "device_secret": _secret_document(location),
            "counts": counts,
        }
    )
    assert ctx.location is not None
    ctx.say(f"Base : {ctx.location.description}")
    ctx.say(f"Secret de l'appareil : {_secret_sentence(location)}")
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
    passphrase = _read_secret(ctx, ENV_PASSPHRASE, "Phrase de passe : ")
    data_key = vault.unlock(passphrase)
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
    old = _read_secret(ctx, ENV_PASSPHRASE, "Phrase de passe actuelle : ")
    if not ctx.environ.get(ENV_NEW_PASSPHRASE):
        # Check the old one before asking twice for a new one.
        vault.unlock(old)
    new = _read_secret(ctx, ENV_NEW_PASSPHRASE, "Nouvelle phrase de passe : ", confirm=True)
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
    from spie_desktop.services.exports import export_person

    person_id = _parse_person_id(args.person_id)
    output = Path(args.output).expanduser() if args.output else None
    if output is not None:
        _check_output(output, args.force)
    with _unlocked(ctx) as (_vault, store), store.write() as session:
        # The service records the export in the audit log, in this same transaction.
        document = export_person(session, store.actor(), person_id)
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
    summary = {
        key: len(value) for key, value in document.items() if isinstance(value, list)
    }
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


# --------------------------------------------------------------------------------------
# Demo (interim `make demo` until the desktop application lands)


def run_demo(
    data_dir: Path,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    as_json: bool = False,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Create (if missing) and fill a demo store, then print a caseload summary.

    The store is protected by the public passphrase ``DEMO_PASSPHRASE``: demo data only.
    Raises ``SpieError`` subclasses (e.g. ``WrongPassphraseError`` when ``data_dir`` holds
    a store that is not the demo's).
    """
    from spie_desktop.services.caseload import (
        CaseloadFilter,
        alert_text,
        caseload_ids,
        caseload_rows,
        dashboard_counts,
    )
    from spie_desktop.store.changes import utcnow

    out = out or sys.stdout
    err = err or sys.stderr
    env = os.environ if environ is None else environ
    data_dir = Path(data_dir)
    created = False
    if Vault.exists(data_dir):
        vault = Vault.load(data_dir)
        try:
            data_key = vault.unlock(DEMO_PASSPHRASE)
        except WrongPassphraseError:
            raise WrongPassphraseError(
                f"Le dossier {data_dir} contient une base qui n'est pas celle de "
                "démonstration : choisissez un autre dossier avec --data-dir."
            ) from None
        store = _open_with_key(vault, data_key)
    else:
        kdf = kdf_params_from_env(env)
        if kdf is not None:
            print(f"Attention : {ENV_KDF_PROFILE}=test : dérivation de clé affaiblie.", file=err)
        store = Store.create(data_dir, DEMO_PASSPHRASE, kdf=kdf)
        vault = Vault.load(data_dir)
        created = True
    try:
        filled = False
        if store.counts()["person"] == 0:
            _load_demo(store, _demo_spec(DEMO_PERSONS, DEMO_SEED), err)
            filled = True
        now = utcnow()
        store.refresh_stale_summaries(now)
        with store.read() as session:
            dashboard = dashboard_counts(session, now)
            ids = caseload_ids(session, CaseloadFilter(), now, sort="name")
            rows = caseload_rows(session, ids[:DEMO_LISTED], now)
        location = vault.secret_location
    finally:
        store.close()

    if as_json:
        document = {
            "ok": True,
            "data_dir": str(data_dir),
            "passphrase": DEMO_PASSPHRASE,
            "created": created,
            "filled": filled,
            "device_secret": _secret_document(location),
            "dashboard": dashboard.__dict__,
            "persons": [
                {
                    "id": str(row.person_id),
                    "name": f"{row.last_name} {row.first_name}",
                    "next_appointment_at": row.next_appointment_at.isoformat()
                    if row.next_appointment_at
                    else None,
                    "last_contact_at": row.last_contact_at.isoformat()
                    if row.last_contact_at
                    else None,
                    "alerts": [alert_text(alert, row, now) for alert in row.alerts],
                }
                for row in rows
            ],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False), file=out)
        return

    def say(text: str = "") -> None:
        print(text, file=out)

    say("SPIE Desktop — démonstration")
    say(f"Dossier : {data_dir}{' (créé)' if created else ''}")
    say(f"Phrase de passe de démonstration : {DEMO_PASSPHRASE}")
    say(f"Secret de l'appareil : {_secret_sentence(location)}")
    if location.warning:
        print(f"Attention : {location.warning}", file=err)
    say()
    say("Tableau de bord")
    figures = (
        ("Personnes suivies", dashboard.followed),
        ("À contacter", dashboard.to_contact),
        ("Sans contact depuis 45 jours", dashboard.without_contact),
        ("Rendez-vous manqués non replanifiés", dashboard.missed_not_rescheduled),
        ("Actions échues", dashboard.overdue_actions),
        ("Comptes rendus à saisir", dashboard.outcome_pending),
        ("Rendez-vous dans les 7 jours", dashboard.appointments_next_7_days),
    )
    width = max(len(label) for label, _ in figures)
    for label, value in figures:
        say(f"  {label:<{width}}  {_number(value):>6}")
    say()
    say(f"Portefeuille ({min(len(ids), DEMO_LISTED)} premières personnes sur {len(ids)})")
    name_width = 28
    say(
        f"  {'Personne':<{name_width}}  {'Prochain rendez-vous':<22}  "
        f"{'Dernier contact':<15}  Alertes"
    )
    for row in rows:
        name = person_name(row.last_name, row.first_name)
        if len(name) > name_width:
            name = name[: name_width - 1] + "…"
        alerts = " ; ".join(alert_text(alert, row, now) for alert in row.alerts) or "—"
        say(
            f"  {name:<{name_width}}  {_fr_datetime(row.next_appointment_at):<22}  "
            f"{_fr_date(row.last_contact_at):<15}  {alerts}"
        )
    say()
    say("L'application de bureau remplacera ce résumé dès qu'elle sera installée.")


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    run_demo(ctx.data_dir, out=ctx.out, err=ctx.err, as_json=ctx.as_json, environ=ctx.environ)
    return EXIT_OK


# --------------------------------------------------------------------------------------
# Desktop application


def desktop_arguments(args: argparse.Namespace) -> list[str]:
    """The command line of ``ui.app.main`` for the options given to ``spie-desktop``."""
    argv: list[str] = []
    if args.data_dir:
        argv += ["--data-dir", args.data_dir]
    if args.demo:
        argv += ["--demo", "--as", args.demo_role]
    if args.lang:
        argv += ["--lang", args.lang]
    return argv


def launch_desktop(args: argparse.Namespace, ctx: Context) -> int:
    """Start ``ui.app.main`` with the application's options, or say it is missing."""
    try:
        from ui.app import main as ui_main
    except ImportError as exc:
        missing = exc.name or "ui.app"
        raise SpieError(
            "L'application de bureau n'est pas installée sur ce poste (module manquant : "
            f"{missing}). Les commandes en ligne restent disponibles : spie-desktop --help.",
            code="ui_missing",
        ) from None
    return int(ui_main(desktop_arguments(args)) or 0)


# --------------------------------------------------------------------------------------
# Parser (French)


class _FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "Utilisation : " if prefix is None else prefix)


_ARGPARSE_FRENCH = (
    ("the following arguments are required:", "arguments obligatoires manquants :"),
    ("unrecognized arguments:", "arguments non reconnus :"),
    ("invalid choice:", "choix invalide :"),
    ("choose from", "choix possibles :"),
    ("expected one argument", "une valeur est attendue"),
    ("invalid int value:", "nombre entier invalide :"),
    ("not allowed with argument", "incompatible avec"),
    ("argument ", "option "),
)


class _Parser(argparse.ArgumentParser):
    """argparse with French titles and error messages, exit code 2 on usage errors."""

    def __init__(self, *args: Any, french_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _FrenchHelpFormatter)
        kwargs["add_help"] = False  # replaced by the French -h below
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        if french_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS,
                help="afficher cette aide et quitter",
            )

    def error(self, message: str) -> NoReturn:
        for english, french in _ARGPARSE_FRENCH:
            message = message.replace(english, french)
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"Erreur : {message} [usage]\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None
    if not 1 <= value <= MAX_DEMO_PERSONS:
        raise argparse.ArgumentTypeError(
            f"le nombre doit être compris entre 1 et {_number(MAX_DEMO_PERSONS)}"
        )
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None


def build_parser() -> argparse.ArgumentParser:
    # Options accepted after the subcommand too. SUPPRESS: when absent there, the value
    # given before the subcommand (or the global default) is kept.
    common = _Parser(french_help=False)
    common.add_argument(
        "--data-dir", metavar="DOSSIER", default=argparse.SUPPRESS,
        help="dossier des données (par défaut : voir spie_desktop.config)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS,
        help="sortie JSON pour les programmes",
    )

    parser = _Parser(
        prog="spie-desktop",
        description=(
            "SPIE Desktop : sans commande, lance l'application de bureau ; les commandes "
            "ci-dessous servent au support et à l'automatisation.\n\n"
            "La phrase de passe n'est jamais passée en argument : variable SPIE_PASSPHRASE "
            "(et SPIE_NEW_PASSPHRASE pour passwd), sinon saisie masquée."
        ),
        epilog=(
            "Codes de sortie : 0 succès, 1 erreur interne, 2 refus (saisie, usage, base "
            "absente…), 3 phrase de passe incorrecte, 4 base endommagée, 130 interruption."
        ),
    )
    parser.add_argument(
        "--data-dir", metavar="DOSSIER", default=None,
        help="dossier des données (sinon SPIE_DATA_DIR, mode portable ou dossier utilisateur)",
    )
    parser.add_argument("--json", action="store_true", default=False, help="sortie JSON")
    parser.add_argument(
        "--version", action="version", version=f"spie-desktop {__version__}",
        help="afficher la version et quitter",
    )
    parser.add_argument(
        "--self-test", action="store_true", default=False,
        help="vérifier l'installation sans écran (base chiffrée, synchronisation, "
        "référentiels, traductions, Qt) et quitter",
    )
    app = parser.add_argument_group("application de bureau (sans commande)")
    app.add_argument(
        "--demo", action="store_true", default=False,
        help="ouvrir l'application sur des données de démonstration (serveur local)",
    )
    app.add_argument(
        "--as", dest="demo_role", choices=("referent", "responsable"), default="referent",
        help="compte de démonstration : référent (par défaut) ou responsable d'équipe",
    )
    app.add_argument(
        "--lang", choices=("fr", "en"), default=None,
        help="langue de l'interface (sinon : celle des paramètres)",
    )
    commands = parser.add_subparsers(
        dest="command", title="commandes", metavar="COMMANDE", parser_class=_Parser
    )

    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace, Context], int]
            ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help_text, description=help_text, parents=[common]
        )
        sub.set_defaults(handler=handler)
        return sub

    add("init", "créer une base locale chiffrée vide", cmd_init)
    demo_data = add("demo-data", "ajouter des données de démonstration", cmd_demo_data)
    demo_data.add_argument(
        "--persons", type=_positive_int, required=True, metavar="N",
        help="nombre de personnes (par référents de 150)",
    )
    demo_data.add_argument(
        "--seed", type=_integer, default=None, metavar="S",
        help="graine du générateur (mêmes données à graine égale)",
    )
    add("stats", "compter les lignes de chaque table", cmd_stats)
    add("check", "vérifier l'intégrité de la base (chiffrement et SQLite)", cmd_check)
    add("passwd", "changer la phrase de passe", cmd_passwd)
    export = add(
        "export-person", "exporter le dossier complet d'une personne (droit d'accès RGPD)",
        cmd_export_person,
    )
    export.add_argument("person_id", metavar="ID", help="identifiant (UUID) de la personne")
    export.add_argument(
        "--output", "-o", metavar="FICHIER", default=None,
        help="fichier JSON à écrire (droits 0600) ; sinon la sortie standard",
    )
    export.add_argument(
        "--force", action="store_true", help="remplacer le fichier s'il existe déjà"
    )
    add(
        "demo",
        f"créer et remplir une base de démonstration (phrase de passe : {DEMO_PASSPHRASE}) "
        "et afficher le portefeuille",
        cmd_demo,
    )
    from spie_desktop.cli_documents import register as register_documents

    register_documents(add)
    _register_sync_commands(commands)
    return parser


def _register_sync_commands(commands: argparse._SubParsersAction) -> None:
    """``login``, ``sync`` and ``status`` live with the sync engine (``sync/``), which the
    core never imports: the CLI is the composition root that joins them, lazily."""
    try:
        from sync.cli_commands import register
    except ImportError:  # a core-only install: the sync commands are simply absent
        log.debug("sync commands unavailable", exc_info=True)
        return
    register(commands)


# --------------------------------------------------------------------------------------
# Entry point


def _configure_logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.ERROR,
        format="%(levelname)s %(name)s : %(message)s",
        stream=sys.stderr,
    )


def _exit_code(exc: SpieError) -> int:
    if isinstance(exc, WrongPassphraseError | TooManyAttemptsError):
        return EXIT_PASSPHRASE
    if isinstance(exc, StoreCorruptError) or (
        isinstance(exc, VaultError) and exc.code == "vault_corrupt"
    ):
        return EXIT_CORRUPT
    return EXIT_ERROR


def _from_database_error(exc: DatabaseError) -> SpieError | None:
    """A French error for a database failure that is not a bug, else ``None``."""
    text = _database_error_text(exc).lower()
    if isinstance(exc, OperationalError) and ("locked" in text or "busy" in text):
        return SpieError(
            "La base locale est occupée par un autre programme (l'application est-elle "
            "ouverte ?). Fermez-le puis réessayez.",
            code="store_busy",
        )
    if any(word in text for word in ("malformed", "not a database", "disk i/o", "corrupt")):
        return StoreCorruptError()
    return None


def _report(ctx: Context, code: str, message: str, exit_code: int) -> int:
    print(f"Erreur : {message} [{code}]", file=ctx.err)
    if ctx.as_json:
        document = {"ok": False, "error": {"code": code, "message": message}}
        print(json.dumps(document, indent=2, ensure_ascii=False), file=ctx.out)
    return exit_code


def _tolerant_streams() -> None:
    """Never crash on a character the console's encoding lacks (Windows pipes: cp1252)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    _tolerant_streams()
    environ = os.environ
    debug = environ.get(ENV_DEBUG, "").strip() not in ("", "0")
    _configure_logging(debug)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from spie_desktop.selftest import run_self_test

        return run_self_test()
    ctx = Context(
        location=None,
        as_json=bool(args.json),
        environ=environ,
        out=sys.stdout,
        err=sys.stderr,
    )
    try:
        ctx.location = locate_data_dir(args.data_dir, environ=environ)
        handler = getattr(args, "handler", None)
        sync_handler = getattr(args, "func", None)
        if (handler is not None or sync_handler is not None) and (args.demo or args.lang):
            raise SpieError(
                "--demo et --lang concernent l'application de bureau : "
                "à utiliser sans commande (spie-desktop --demo).",
                code="usage",
            )
        if handler is None and sync_handler is not None:
            return int(sync_handler(args))
        if handler is None:
            return launch_desktop(args, ctx)
        return int(handler(args, ctx))
    except SpieError as exc:
        return _report(ctx, exc.code, exc.message, _exit_code(exc))
    except DatabaseError as exc:
        mapped = _from_database_error(exc)
        if mapped is None:
            return _internal_error(ctx, exc, debug)
        return _report(ctx, mapped.code, mapped.message, _exit_code(mapped))
    except KeyboardInterrupt:
        print("\nInterrompu.", file=ctx.err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Reader gone (`spie-desktop stats | head`): stop quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INTERNAL
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return _report(
            ctx, "os_error", f"opération refusée par le système{where} : "
            f"{exc.strerror or exc}.", EXIT_ERROR,
        )
    except Exception as exc:
        return _internal_error(ctx, exc, debug)


def _internal_error(ctx: Context, exc: BaseException, debug: bool) -> int:
    if debug:
        traceback.print_exception(exc, file=ctx.err)
    return _report(
        ctx,
        "internal_error",
        f"erreur interne inattendue ({type(exc).__name__}). Relancez avec {ENV_DEBUG}=1 "
        "pour le détail et signalez-la au support.",
        EXIT_INTERNAL,
    )
