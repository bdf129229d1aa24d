"""``spie-desktop --self-test``: prove that an installed copy works, without a display.

Run from source (``python -m spie_desktop --self-test``) or from the PyInstaller bundle
(``dist/spie-desktop/spie-desktop --self-test``; on Windows ``spie-desktop-cli.exe``, the
console twin of the windowed executable). In a temporary directory, removed afterwards,
it:

1. creates an encrypted SQLCipher store with the **production** key-derivation settings
   (:class:`KdfParams` defaults, ~0.4 s) and a :class:`FileKeyring` in the same temporary
   directory, so that no OS keyring is read or written;
2. starts the departmental server (SQLite in the temporary directory) on loopback, in a
   thread of this process, creates a team and an account, logs the device in and syncs;
3. writes a person, an appointment and a note through the services, closes the store,
   checks that the file on disk is not plain SQLite, unlocks it again with the passphrase
   (timed: that is the key derivation of a real unlock), reads the three records back and
   runs SQLCipher's integrity check;
4. syncs again and checks that the server holds the three records;
5. loads the referentials (16 themes, 58 targets, 88 situations, 134 actions);
6. loads every translation catalogue (``resources/i18n/*.qm``) in a ``QTranslator``,
   renders the application's SVG icon, and checks that Qt's platform plugins are there
   (``offscreen``, and the one of this OS: ``xcb``, ``windows`` or ``cocoa``). Qt runs on
   the ``offscreen`` platform, so no display is needed; QtCharts and (Linux) QtDBus load;
7. compiles a PDF with Typst and the shipped fonts, and parses opening hours.

Output: exactly one line. Success, on stdout, exit status 0::

    Auto-test réussi : base chiffrée, synchronisation, référentiels, traductions, Qt,
    documents (2,0 s ;
    dérivation de clé 0,37 s ; 1 catalogue de traduction)

(one line, wrapped here).

Failure, on stderr, exit status 1, naming the step that failed and why::

    Auto-test échoué (traductions) : aucun catalogue de traduction (.qm) dans /…/resources/i18n

``SPIE_DEBUG=1`` adds the traceback and keeps the temporary directory.

This module is part of the composition root (:mod:`spie_desktop.entry`): it joins the core
to ``sync``, ``ui`` and Qt, which the rest of ``spie_desktop`` never imports.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO, TypeVar

__all__ = ["EXIT_FAILED", "EXIT_OK", "SelfTestError", "run_self_test"]

EXIT_OK = 0
EXIT_FAILED = 1

ENV_DEBUG = "SPIE_DEBUG"
SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
EXPECTED_REFERENTIALS = {"theme": 16, "target": 58, "situation": 88, "action": 134}
USERNAME = "auto.test"
TEAM = "Auto-test"
NATIVE_PLATFORM_PLUGIN = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}

T = TypeVar("T")


class SelfTestError(Exception):
    """A check failed; the message is the French reason shown on the one output line."""


@dataclass
class _Run:
    started: float = field(default_factory=time.perf_counter)
    step: str = "démarrage"
    kdf_seconds: float | None = None
    qt_messages: list[str] = field(default_factory=list)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") if value >= 1 else f"{value:.2f}".replace(".", ",")


def _check(condition: bool, reason: str) -> None:
    if not condition:
        raise SelfTestError(reason)


# --------------------------------------------------------------------------------------
# Steps


def _create_store(root: Path, passphrase: str, ring: Any) -> Any:
    from spie_desktop.store.store import Store
    from spie_desktop.store.vault import KdfParams

    # Production parameters on purpose: the bundle must carry a working Argon2id.
    return Store.create(root / "device", passphrase, kdf=KdfParams(), keyring_backend=ring)


def _start_server(root: Path) -> Any:
    from spie_desktop.entry.local_server import ServerThread
    from sync.server.settings import ServerSettings

    server_dir = root / "server"
    server_dir.mkdir()
    settings = ServerSettings(
        # Explicit URL: never SPIE_SERVER_DATABASE_URL, the self-test owns its database.
        database_url=f"sqlite+pysqlite:///{(server_dir / 'server.sqlite3').as_posix()}",
        data_dir=server_dir,
    )
    return ServerThread(settings).start()


def _create_account(server: Any) -> str:
    from sync.server.admin import Admin

    password = secrets.token_urlsafe(18)
    admin = Admin(server.engine, server.settings, migrate_schema=False, actor="auto-test")
    admin.create_team(TEAM)
    admin.create_user(USERNAME, first_name="Auto", last_name="Test", team=TEAM, password=password)
    return password


def _client(store: Any, server: Any, ring: Any) -> Any:
    from sync.client import RetryPolicy, SyncClient

    return SyncClient(
        store,
        server_url=server.url,
        keyring_backend=ring,
        timeout=20.0,
        retry=RetryPolicy(attempts=3, base_delay=0.1, max_delay=0.5),
    )


def _sync(client: Any, what: str) -> Any:
    report = client.sync()
    _check(report.ok, f"{what} : {report.status} — {report.message or report.code or '?'}")
    _check(
        not report.rejected,
        f"{what} : changements refusés par le serveur "
        f"({', '.join(f'{r.code}' for r in report.rejected)})",
    )
    _check(
        report.counts_ok is not False,
        f"{what} : comptes différents entre l'appareil et le serveur "
        f"({'; '.join(report.count_problems)})",
    )
    _check(
        report.digest_ok is not False,
        f"{what} : dossiers différents entre l'appareil et le serveur "
        f"({'; '.join(report.digest_problems)})",
    )
    return report


@dataclass(frozen=True)
class _Written:
    person_id: uuid.UUID
    appointment_id: uuid.UUID
    note_id: uuid.UUID
    last_name: str
    starts_at: datetime
    note_text: str


def _write_records(store: Any) -> _Written:
    from spie_desktop.domain.enums import AppointmentMode, AppointmentPurpose, NoteKind
    from spie_desktop.services.appointments import schedule_appointment
    from spie_desktop.services.notes import write_note
    from spie_desktop.services.persons import create_person

    actor = store.actor()
    _check(actor.referent_id is not None, "le compte n'a pas été reçu par l'appareil")
    marker = secrets.token_hex(4)
    last_name = f"Autotest-{marker}"
    starts_at = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    note_text = f"Note de l'auto-test {marker} : « é, à, ç » bien chiffrés."
    with store.write() as session:
        person = create_person(
            session, actor, {"last_name": last_name, "first_name": "Élise", "city": "Nevers"}
        )
        appointment = schedule_appointment(
            session,
            actor,
            person.id,
            starts_at=starts_at,
            mode=AppointmentMode.OFFICE.value,
            purpose=AppointmentPurpose.FOLLOW_UP.value,
        )
        note = write_note(session, actor, person.id, note_text, kind=NoteKind.FOLLOW_UP.value)
        session.flush()
        written = _Written(person.id, appointment.id, note.id, last_name, starts_at, note_text)
    return written


def _check_encrypted_on_disk(data_dir: Path) -> None:
    from spie_desktop.store.engine import DATABASE_FILE

    path = data_dir / DATABASE_FILE
    _check(path.is_file(), f"fichier de base absent : {path}")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_PLAIN_HEADER))
    _check(len(header) == len(SQLITE_PLAIN_HEADER), "fichier de base vide")
    _check(header != SQLITE_PLAIN_HEADER, "la base est en clair sur le disque (SQLCipher absent ?)")


def _reopen(data_dir: Path, passphrase: str, ring: Any, run: _Run) -> Any:
    from spie_desktop.store.store import Store
    from spie_desktop.store.vault import Vault

    vault = Vault.load(data_dir, keyring_backend=ring)
    start = time.perf_counter()
    data_key = vault.unlock(passphrase)  # Argon2id + AES-GCM unwrap: a real unlock
    run.kdf_seconds = time.perf_counter() - start
    return Store.open_with_key(data_dir, data_key, device_id=vault.device_id)


def _read_back(store: Any, written: _Written) -> None:
    from spie_desktop.domain.models import Appointment, Note, Person

    with store.read() as session:
        person = session.get(Person, written.person_id)
        appointment = session.get(Appointment, written.appointment_id)
        note = session.get(Note, written.note_id)
        _check(person is not None and person.last_name == written.last_name, "personne relue")
        _check(
            appointment is not None
            and appointment.person_id == written.person_id
            and appointment.starts_at == written.starts_at,
            "rendez-vous relu différent de celui écrit",
        )
        _check(note is not None and note.text == written.note_text, "note relue différente")
    problems = store.check()
    _check(not problems, "contrôle d'intégrité : " + "; ".join(problems))


def _server_rows(engine: Any, table: str, person_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The server's rows of one person in a synced table, by id."""
    from sqlalchemy import select

    from sync.schema import TABLES

    spec = TABLES[table]
    key = spec.table.c.id if table == "person" else spec.table.c.person_id
    with engine.connect() as connection:
        rows = connection.execute(select(spec.table).where(key == person_id)).mappings()
        return {str(row["id"]): dict(row) for row in rows}


def _check_server(server: Any, written: _Written) -> None:
    persons = _server_rows(server.engine, "person", written.person_id)
    appointments = _server_rows(server.engine, "appointment", written.person_id)
    notes = _server_rows(server.engine, "note", written.person_id)
    person = persons.get(str(written.person_id))
    _check(
        person is not None and person.get("last_name") == written.last_name,
        "la personne n'est pas arrivée sur le serveur",
    )
    _check(
        str(written.appointment_id) in appointments,
        "le rendez-vous n'est pas arrivé sur le serveur",
    )
    note = notes.get(str(written.note_id))
    _check(
        note is not None and note.get("text") == written.note_text,
        "la note n'est pas arrivée sur le serveur",
    )


def _check_referentials() -> None:
    from spie_desktop.domain.referentials import load_referentials
    from spie_desktop.resources import resource_path

    root = resource_path("referentials")
    _check(root.is_dir(), f"dossier des référentiels absent : {root}")
    refs = load_referentials(root)  # not the cached copy: read the files now
    for kind, expected in EXPECTED_REFERENTIALS.items():
        found = len(refs.entries(kind))
        _check(found == expected, f"référentiel {kind} : {found} entrées au lieu de {expected}")


@contextlib.contextmanager
def _qt_messages(run: _Run) -> Iterator[None]:
    """Keep Qt's warnings for the failure line instead of printing them on stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind: Any, _context: Any, message: str) -> None:
        run.qt_messages.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _qt_application() -> Any:
    """The running Qt application, else a ``QGuiApplication`` on the offscreen platform."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    app = QCoreApplication.instance()
    if app is not None:
        return app
    # ``-platform offscreen`` wins over QT_QPA_PLATFORM: no display is ever needed.
    return QGuiApplication(["spie-desktop", "-platform", "offscreen"])


def _check_translations() -> int:
    from PySide6.QtCore import QTranslator

    from spie_desktop.resources import resource_path

    folder = resource_path("i18n")
    catalogues = sorted(folder.glob("*.qm")) if folder.is_dir() else []
    _check(bool(catalogues), f"aucun catalogue de traduction (.qm) dans {folder}")
    for path in catalogues:
        translator = QTranslator()
        _check(translator.load(str(path)), f"catalogue illisible : {path.name}")
        _check(not translator.isEmpty(), f"catalogue vide : {path.name}")
    return len(catalogues)


def _check_qt_plugins() -> None:
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtGui import QGuiApplication, QIcon

    from spie_desktop.resources import resource_path

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    platforms = plugins / "platforms"
    wanted = ["offscreen"]
    native = NATIVE_PLATFORM_PLUGIN.get(sys.platform)
    if native:
        wanted.append(native)
    for name in wanted:
        found = list(platforms.glob(f"*q{name}.*")) if platforms.is_dir() else []
        _check(bool(found), f"greffon Qt « {name} » absent de {platforms}")
    if isinstance(QGuiApplication.instance(), QGuiApplication):
        # The stylesheet and the window use SVG icons: the svg image format plugin must load.
        icon_path = resource_path("icons", "spie.svg")
        _check(icon_path.is_file(), f"icône absente : {icon_path}")
        pixmap = QIcon(str(icon_path)).pixmap(32, 32)
        _check(not pixmap.isNull(), "icône SVG illisible (greffon Qt « svg » absent ?)")
    import PySide6.QtWidgets  # noqa: F401 - the widgets library must load too


def _check_app_sync_backend() -> None:
    """The sync engine the composition root gives the application loads: a bundle
    without it would run, but never sync."""
    from spie_desktop.entry.app import sync_backend
    from ui.sync_client_backend import ClientBackend

    _check(
        isinstance(sync_backend(), ClientBackend),
        "l'application ne trouve pas son moteur de synchronisation (ui.sync_client_backend)",
    )


def _check_documents() -> None:
    """The Typst compiler (shipped compressed in the Linux bundle, see build.spec) loads and
    makes a tagged PDF with the shipped fonts; the opening-hours parser of the partner
    sheets loads (without it the sheets show the raw OSM text)."""
    import typst

    from spie_desktop.documents.pdf import FONTS, PDF_STANDARD
    from spie_desktop.resources import resource_path
    from spie_desktop.services.directory import opening_hours

    source = '#set document(title: "Auto-test")\n#set text(lang: "fr")\nAuto-test : é, ç, œ.'
    with tempfile.TemporaryDirectory(prefix="spie-selftest-typst-") as folder:
        path = Path(folder) / "auto-test.typ"
        path.write_text(source, encoding="utf-8")
        pdf = typst.compile(
            str(path),
            root=folder,
            font_paths=[str(resource_path(*FONTS))],
            ignore_system_fonts=True,
            pdf_standards=[PDF_STANDARD],
        )
    _check(isinstance(pdf, bytes) and pdf.startswith(b"%PDF-"), "Typst n'a pas produit de PDF")
    hours = opening_hours("Mo-Fr 09:00-17:00", datetime(2026, 1, 5, 10, 0))
    _check(hours is not None and hours.parsed, "horaires d'ouverture non lus (opening_hours)")


def _check_charts_and_lock() -> None:
    """The team dashboard's charts (QtCharts) and, on Linux, the D-Bus module through which
    the application locks on the session's lock and on sleep (ui/lock.py) load."""
    from PySide6.QtCharts import QLineSeries

    series = QLineSeries()
    series.append(0.0, 1.0)
    _check(series.count() == 1, "QtCharts inutilisable")
    if sys.platform.startswith("linux"):
        from PySide6.QtDBus import QDBusConnection, QDBusInterface  # noqa: F401

        _check(
            hasattr(QDBusConnection, "systemBus"),
            "QtDBus absent : pas de verrouillage avec la session",
        )


#: The network-information backends each system's bundle ships (build.spec).
NETWORK_BACKENDS = {"linux": "networkmanager", "win32": "networklistmanager", "darwin": "apple"}


def _check_network_information() -> None:
    """QNetworkInformation, through which the application syncs as soon as the network comes
    back (ui/sync_controller.py), has its system's backend: without it the bundle would
    run, but only sync on its timer."""
    from PySide6.QtNetwork import QNetworkInformation

    wanted = next(
        (name for prefix, name in NETWORK_BACKENDS.items() if sys.platform.startswith(prefix)),
        None,
    )
    if wanted is None:
        return
    backends = [name.lower() for name in QNetworkInformation.availableBackends()]
    _check(
        any(wanted in name for name in backends),
        f"pas d'information réseau « {wanted} » (trouvées : {', '.join(backends) or 'aucune'}) :"
        " pas de synchronisation au retour du réseau",
    )


FRENCH_ORDER = ["Ange", "Élodie", "eric", "Œuvre", "zèbre", "Zoé"]


def _check_collation() -> None:
    """Qt sorts French names through ICU, whose data the Linux build trims: still there?"""
    from functools import cmp_to_key

    from PySide6.QtCore import QCollator, QLocale, Qt

    collator = QCollator(QLocale(QLocale.Language.French, QLocale.Country.France))
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    shuffled = [FRENCH_ORDER[i] for i in (5, 2, 0, 4, 1, 3)]
    found = sorted(shuffled, key=cmp_to_key(collator.compare))
    _check(found == FRENCH_ORDER, f"tri alphabétique français incorrect (ICU) : {found}")


# --------------------------------------------------------------------------------------
# Driver


def _step(run: _Run, name: str, action: Callable[[], T]) -> T:
    run.step = name
    return action()


def _quiet_libraries() -> None:
    """uvicorn and httpx must not write on the self-test's one line (SQLCipher's own log is
    silenced by every store engine)."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, SelfTestError):
        return str(exc)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    text = " ".join(str(message).split())
    return f"{type(exc).__name__} : {text}"


def _self_test(root: Path, run: _Run) -> str:
    from spie_desktop.store.file_keyring import FileKeyring

    ring = FileKeyring(root / "keyring.json")
    passphrase = secrets.token_urlsafe(24)
    store = _step(run, "base chiffrée", lambda: _create_store(root, passphrase, ring))
    server = None
    client = None
    try:
        server = _step(run, "serveur local", lambda: _start_server(root))
        password = _step(run, "serveur local", lambda: _create_account(server))
        run.step = "connexion"
        client = _client(store, server, ring)
        client.login(USERNAME, password, device_name="auto-test")
        _step(run, "synchronisation", lambda: _sync(client, "première synchronisation"))

        written = _step(run, "base chiffrée", lambda: _write_records(store))
        client.close()
        client = None
        store.close()
        data_dir = root / "device"
        _step(run, "base chiffrée", lambda: _check_encrypted_on_disk(data_dir))
        store = _step(run, "base chiffrée", lambda: _reopen(data_dir, passphrase, ring, run))
        _step(run, "base chiffrée", lambda: _read_back(store, written))

        client = _client(store, server, ring)
        report = _step(run, "synchronisation", lambda: _sync(client, "envoi au serveur"))
        _check(report.pushed >= 3, f"envoi au serveur : {report.pushed} changement(s) seulement")
        _step(run, "synchronisation", lambda: _check_server(server, written))
    finally:
        if client is not None:
            client.close()
        store.close()
        if server is not None:
            server.stop()

    _step(run, "référentiels", _check_referentials)
    with _qt_messages(run):
        run.step = "Qt"
        app = _qt_application()
        count = _step(run, "traductions", _check_translations)
        _step(run, "Qt", _check_qt_plugins)
        _step(run, "Qt", _check_collation)
        _step(run, "Qt", _check_charts_and_lock)
        _step(run, "synchronisation", _check_network_information)
        _step(run, "synchronisation", _check_app_sync_backend)
        del app
    _step(run, "documents", _check_documents)
    parts = "base chiffrée, synchronisation, référentiels, traductions, Qt, documents"
    kdf = f" ; dérivation de clé {_seconds(run.kdf_seconds)} s" if run.kdf_seconds else ""
    plural = "s" if count > 1 else ""
    return (
        f"Auto-test réussi : {parts} ({_seconds(run.elapsed())} s{kdf} ; "
        f"{count} catalogue{plural} de traduction)"
    )


def run_self_test(
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    environ: dict[str, str] | None = None,
) -> int:
    """Run every check; print one line; return 0 (success) or 1 (failure)."""
    env = os.environ if environ is None else environ
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    debug = env.get(ENV_DEBUG, "").strip() not in ("", "0")
    run = _Run()
    root = Path(tempfile.mkdtemp(prefix="spie-selftest-"))
    keep = False
    try:
        _quiet_libraries()
        line = _self_test(root, run)
    except (Exception, SystemExit) as exc:  # SystemExit: a library giving up is a failure too
        reason = _failure_reason(exc)
        if run.qt_messages:
            reason += f" (Qt : {' | '.join(run.qt_messages[-3:])})"
        if debug:
            keep = True
            traceback.print_exception(exc, file=err)
            print(f"Dossier de l'auto-test conservé : {root}", file=err)
        print(f"Auto-test échoué ({run.step}) : {reason}", file=err, flush=True)
        return EXIT_FAILED
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    print(line, file=out, flush=True)
    return EXIT_OK
