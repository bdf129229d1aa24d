"""Screenshots of every screen of the desktop app, on demonstration data.

::

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [--out docs/screenshots]
    xvfb-run -a .venv/bin/python tools/screenshots.py      # same, under a virtual X server
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py --lang en  # into …/en

Starts the real application (a local departmental server filled with the demo when the
sync server is installed, else a local demo store), drives it like a referent would, and
saves one PNG per screen with ``QWidget.grab()``. Works on the offscreen platform, so no
display is needed; under Xvfb the result is the same. ``--lang en`` shoots the English
interface into ``docs/screenshots/en`` (the default ``--out`` for that language), so the
French captures are not cleared. The first synchronisation from the demo server may take
minutes on a loaded machine: the run waits up to 10 minutes for it and prints how long it took.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QScrollArea, QWidget  # noqa: E402

from spie_desktop.store.file_keyring import FileKeyring  # noqa: E402

#: every window screen is shot at the referent's laptop size and at a full-HD screen.
SIZES = ((1366, 768), (1920, 1080))
SIZE = SIZES[0]
PATH_SIZE = SIZES[0]


def wait(ms: int) -> None:
    QTest.qWait(ms)


def wait_for(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timeout waiting for {what or condition}")
        QTest.qWait(30)


CAPTIONS = {
    "premier-demarrage-serveur": "Premier démarrage : serveur du département et compte",
    "premier-demarrage-phrase-de-passe": "Phrase de passe : force affichée, confirmation",
    "premiere-synchronisation": "Première synchronisation, avec sa progression",
    "portefeuille": "Portefeuille : prochains rendez-vous, dernier contact, freins, alertes",
    "portefeuille-alertes": "Portefeuille filtré sur les alertes",
    "portefeuille-recherche": "Recherche instantanée (sans accents ni majuscules)",
    "dossier-journal": "Dossier : journal de bord, prochain rendez-vous toujours visible",
    "dossier-identite-erreurs": "Identité et situation : erreurs affichées à côté des champs",
    "dossier-freins-actions": "Diagnostic des freins par thème et actions",
    "dossier-rendez-vous": "Rendez-vous de la personne",
    "dossier-notes": "Notes (une note sensible reste masquée jusqu'à l'affichage, tracé)",
    "dialogue-planifier": "Planifier un rendez-vous",
    "dialogue-compte-rendu": "Compte rendu, avec proposition de planifier le suivant",
    "dialogue-frein": "Nouveau frein : situations et objectifs du référentiel",
    "dialogue-action": "Nouvelle action : liste du thème ou texte libre",
    "dialogue-nouvelle-personne": "Nouvelle personne",
    "ma-journee": "Ma journée : rendez-vous du jour, comptes rendus, actions en retard, alertes",
    "agenda-semaine": "Agenda de la semaine, en grille horaire",
    "agenda-semaine-liste": "Agenda de la semaine, en liste",
    "agenda-comptes-rendus": "Comptes rendus à saisir",
    "agenda-jour": "Agenda du jour",
    "parametres": "Paramètres : serveur, délai de verrouillage, langue, trousseau",
    "conflits": "Conflit de synchronisation : les deux valeurs et leur auteur",
    "verrouillage": "Verrouillage après inactivité : les brouillons sont conservés",
    "dossier-parcours-demande": "Parcours : demande de réorientation en attente et historique",
    "dialogue-decision-reorientation": "Décision sur une demande de réorientation",
    "dialogue-notification-orientation": "Notification d'une décision d'orientation",
    "dossier-parcours-manquements": "Parcours : manquements, décision et observations (tracé)",
    "dialogue-decision-manquement": "Décision du département sur un manquement",
    "dialogue-fin-contrat": "Fin du contrat d'engagement",
    "dialogue-fin-accompagnement": "Fin d'accompagnement : bilan, motif de sortie, date",
}


class Shooter:
    def __init__(self, out: Path, *, start: int = 0, clear: bool = True, lang: str = "fr") -> None:
        self.out = out
        self.lang = lang
        self.count = start
        self.shots: list[tuple[str, str]] = []
        out.mkdir(parents=True, exist_ok=True)
        if clear:
            for old in out.glob("*.png"):
                old.unlink()

    def append_index(self) -> Path:
        """Add this run's captures to the folder's ``README.md`` (``--path-only``)."""
        path = self.out / "README.md"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        kept: list[str] = []
        for line in lines:  # drop the sections of captures no longer in the folder
            match = re.fullmatch(r"!\[.*\]\((.+\.png)\)", line)
            if match and not (self.out / match.group(1)).exists():
                while kept and kept[-1] == "":
                    kept.pop()
                if kept and kept[-1].startswith("## "):
                    kept.pop()
                continue
            if line == "" and kept and kept[-1] == "":
                continue
            kept.append(line)
        lines = kept
        for file_name, caption in self.shots:
            entry = f"![{caption}]({file_name})"
            if entry not in lines:
                lines += [f"## {caption}", "", entry, ""]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def index(self) -> Path:
        """``README.md`` of the folder: every capture with its caption."""
        lines = [
            "# Captures d'écran",
            "",
            "Produites par `tools/screenshots.py` (données de démonstration fictives)."
            if self.lang == "fr"
            else f"Produites par `tools/screenshots.py --lang {self.lang}` : l'interface en "
            "anglais, sur les données de démonstration fictives (ce qu'une personne a saisi "
            "reste en français).",
            "",
        ]
        for file_name, caption in self.shots:
            lines += [f"## {caption}", "", f"![{caption}]({file_name})", ""]
        path = self.out / "README.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    def __call__(
        self, widget: QWidget, name: str, prepare: Callable[[], None] | None = None
    ) -> Path:
        """A window at each of :data:`SIZES` (``NN-name-1366x768.png``…); a dialog as is.
        ``prepare`` runs after each resize (e.g. to scroll a card into view)."""
        wait(250)
        self.count += 1
        caption = CAPTIONS.get(name, name)
        if not isinstance(widget, QMainWindow):
            path = self.out / f"{self.count:02d}-{name}.png"
            self.shots.append((path.name, caption))
            widget.grab().save(str(path))
            print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            return path
        before = widget.size()
        for width, height in SIZES:
            widget.resize(width, height)
            wait(400)
            if prepare is not None:
                prepare()
                wait(250)
            path = self.out / f"{self.count:02d}-{name}-{width}x{height}.png"
            self.shots.append((path.name, f"{caption} ({width} × {height})"))
            widget.grab().save(str(path))
            print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        widget.resize(before)
        wait(200)
        return path


def idle(parts) -> None:  # type: ignore[no-untyped-def]
    wait_for(lambda: parts.ops.pending == 0, 30, "idle")
    wait(150)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", default=None, help="docs/screenshots, ou docs/screenshots/en avec --lang en"
    )
    parser.add_argument("--lang", default="fr", choices=("fr", "en"))
    parser.add_argument(
        "--team-only", action="store_true", help="seulement le tableau de bord du responsable"
    )
    parser.add_argument(
        "--path-only",
        action="store_true",
        help="seulement les décisions du parcours (captures 80 et suivantes, ajoutées)",
    )
    parser.add_argument(
        "--directory-only",
        action="store_true",
        help="seulement l'annuaire des partenaires et le choix d'un partenaire",
    )
    args = parser.parse_args(argv)
    if args.out is None:
        folder = ROOT / "docs" / "screenshots"
        args.out = str(folder if args.lang == "fr" else folder / args.lang)
    QCoreApplication.setApplicationName("SPIE Desktop")
    app = QApplication.instance() or QApplication(["spie-desktop"])
    if args.team_only:
        shoot_team(Path(args.out), args.lang)
        app.quit()
        return 0
    if args.path_only:
        shoot_path_only(Path(args.out), args.lang)
        app.quit()
        return 0
    if args.directory_only:
        shoot_directory(Path(args.out), args.lang)
        app.quit()
        return 0
    from spie_desktop.entry.app import build_desktop, demo_runner
    from ui.demo import device_dir

    shoot = Shooter(Path(args.out), lang=args.lang)
    root = Path(tempfile.mkdtemp(prefix="spie-shots-"))
    ring = FileKeyring(root / "keyring.json")

    # 1. First start, as a new referent sees it (a separate, empty data directory).
    fresh = build_desktop(root / "fresh", keyring_backend=ring, language=args.lang)
    window = fresh.window
    window.resize(*SIZE)
    window.show()
    first = window.first_start
    first.server.setText("https://spie.nievre.fr")
    first.username.setText("camille.durand")
    shoot(window, "premier-demarrage-serveur")
    first.go(first.STEP_PASSPHRASE)
    first.passphrase_form.passphrase.setText("girafe lundi violon tempête")
    first.passphrase_form.confirmation.setText("girafe lundi")
    first.passphrase_form.validate()
    shoot(window, "premier-demarrage-phrase-de-passe")
    window.close()
    fresh.shutdown()

    # 2. The demo: server + first sync (or local), then every screen.
    parts = build_desktop(device_dir(root, "referent"), keyring_backend=ring, language=args.lang)
    window = parts.window
    window.resize(*SIZE)
    window.show()
    runner = demo_runner(parts, root, "referent")
    started = time.monotonic()
    runner.start()
    try:
        # Generous: the demo server starts and fills itself first (minutes under load).
        wait_for(lambda: first_progress_visible(parts), 600, "first sync screen")
        print(f"  première synchronisation commencée après {time.monotonic() - started:.0f} s")
        shoot(window, "premiere-synchronisation")
        wait_for(lambda: window.pages.currentWidget() is window.workspace, 600, "workspace")
        print(f"  première synchronisation finie après {time.monotonic() - started:.0f} s")
        wait_for(lambda: window.caseload.model.rowCount() > 0, 30, "caseload")
        window.show_view("caseload")  # a referent lands on « Ma journée », shot below
        idle(parts)
        wait(600)
        shoot(window, "portefeuille")

        view = window.caseload
        view.alert_filter.setCurrentIndex(view.alert_filter.findData("alerts"))
        idle(parts)
        shoot(window, "portefeuille-alertes")
        view._reset_filters()
        QTest.keyClicks(view.search, "mar")
        idle(parts)
        shoot(window, "portefeuille-recherche")
        view.search.clear()
        idle(parts)

        # A person with history, barriers and a next appointment.
        model = view.model
        chosen = None
        for row in range(min(model.rowCount(), 100)):
            data = model.row_data(row)
            if data and data.open_barrier_count >= 2 and data.next_appointment_at:
                chosen = data.person_id
                break
        chosen = chosen or model.person_id(0)
        window.open_person(chosen)
        wait_for(lambda: window.person.file is not None, 30, "person file")
        idle(parts)
        person = window.person
        shoot(window, "dossier-journal")
        person.tabs.setCurrentIndex(person.TAB_IDENTITY)
        person.identity.widget("email").setText("adresse-invalide")
        person.identity.widget("postal_code").setText("5800")
        person.identity._changed()
        person.identity.collect()
        shoot(window, "dossier-identite-erreurs")
        person._identity_reset()
        person.tabs.setCurrentIndex(person.TAB_BARRIERS)
        shoot(window, "dossier-freins-actions")
        person.tabs.setCurrentIndex(person.TAB_APPOINTMENTS)
        shoot(window, "dossier-rendez-vous")
        person.tabs.setCurrentIndex(person.TAB_NOTES)
        person.note_text.setPlainText("Point téléphonique : la personne a obtenu son RDV à la CAF.")
        shoot(window, "dossier-notes")
        person.note_text.clear()

        dialog = person.plan_appointment()
        assert dialog is not None
        shoot(dialog, "dialogue-planifier")
        dialog.reject()
        if person.file is not None and person.file.appointments:
            past = [a for a in person.file.appointments if a.starts_at < datetime.now(UTC)]
            target = past[0] if past else person.file.appointments[0]
            outcome = person.record_outcome(target)
            shoot(outcome, "dialogue-compte-rendu")
            outcome.reject()
        barrier = person.new_barrier()
        assert barrier is not None
        barrier.theme.setCurrentIndex(barrier.theme.findData("mobilite"))
        shoot(barrier, "dialogue-frein")
        barrier.reject()
        action = person.new_action()
        assert action is not None
        shoot(action, "dialogue-action")
        action.reject()
        new = window.new_person()
        assert new is not None
        shoot(new, "dialogue-nouvelle-personne")
        new.reject()

        # The accompaniment path: a person below the floor of a signed contrat d'engagement.
        shoot_path(parts, window, shoot)

        window.show_view("my_day")
        idle(parts)
        shoot(window, "ma-journee")

        window.show_view("agenda")
        idle(parts)
        shoot(window, "agenda-semaine")
        window.agenda.set_grid_mode(False)
        idle(parts)
        shoot(window, "agenda-semaine-liste")
        window.agenda.set_grid_mode(True)
        window.agenda.show_reports(True)
        idle(parts)
        shoot(window, "agenda-comptes-rendus")
        window.agenda.set_week_mode(False)
        window.agenda.set_day(datetime.now(UTC).date() + timedelta(days=1))
        idle(parts)
        shoot(window, "agenda-jour")
        window.agenda.set_week_mode(True)

        window.show_view("settings")
        idle(parts)
        shoot(window, "parametres")

        from ui.sync_controller import Conflict

        parts.sync._set_status(
            conflicts=(
                Conflict(
                    "person",
                    "x",
                    "phone",
                    "06 11 22 33 44",
                    "06 55 66 77 88",
                    "demo.responsable",
                    datetime.now(UTC),
                    "Identité",
                ),
            )
        )
        window.show_view("caseload")
        conflicts = window.show_conflicts()
        shoot(conflicts, "conflits")
        conflicts.reject()

        window.lock("idle")
        shoot(window, "verrouillage")
    finally:
        window.close()
        parts.shutdown()
        runner.stop()
    shoot.index()
    shoot_directory(Path(args.out), args.lang)
    print(f"{shoot.count} captures dans {args.out}")
    app.quit()
    return 0


TEAM_SIZES = ((1366, 768), (1920, 1080))


def shoot_team(out: Path, lang: str) -> list[Path]:
    """The supervisor's dashboard and a drill-down, at 1366×768 and 1920×1080 (issue 14),
    on a supervisor's device holding the demo's two caseloads. Added beside the other
    captures (``9x-`` names) and to the folder's README."""
    from spie_desktop.demo import DEMO_SUPERVISOR, DemoSpec, load_into_store
    from spie_desktop.entry.app import build_desktop
    from spie_desktop.services.team import Figure
    from spie_desktop.store.store import Store
    from spie_desktop.store.vault import KdfParams

    root = Path(tempfile.mkdtemp(prefix="spie-shots-team-"))
    ring = FileKeyring(root / "keyring.json")
    store = Store.create(
        root / "data", "phrase des captures", kdf=KdfParams.fast_for_tests(), keyring_backend=ring
    )
    load_into_store(
        store, DemoSpec(referents=2, persons_per_referent=150), acting_username=DEMO_SUPERVISOR
    )
    store.close()
    parts = build_desktop(root / "data", keyring_backend=ring, language=lang)
    window = parts.window
    window.show()
    window.unlock_page.passphrase.setText("phrase des captures")
    window.unlock_page.submit()
    wait_for(lambda: window.pages.currentWidget() is window.workspace, 60, "déverrouillage")
    view = window.team
    wait_for(lambda: view.dashboard is not None and not view.busy, 60, "tableau de bord")
    idle(parts)
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    for number, (width, height) in enumerate(TEAM_SIZES):
        window.resize(width, height)
        window.show_view("team")
        idle(parts)
        wait(400)
        path = out / f"{90 + 2 * number}-tableau-de-bord-{width}x{height}.png"
        window.grab().save(str(path))
        written.append(path)
        dashboard = view.dashboard
        assert dashboard is not None
        view.open_figure(Figure.NO_CONTACT, dashboard.referents[0])
        wait_for(lambda: not window.caseload.model.busy, 30, "liste")
        idle(parts)
        wait(400)
        path = out / f"{91 + 2 * number}-tableau-de-bord-liste-{width}x{height}.png"
        window.grab().save(str(path))
        written.append(path)
    written += shoot_audit_log(parts, window, out)
    written += shoot_unassigned_queue(parts, window, out)
    window.close()
    parts.shutdown()
    index = out / "README.md"
    lines = index.read_text(encoding="utf-8").splitlines() if index.exists() else []
    for path in written:
        if "journal" in path.name:
            caption = "Journal d'audit de l'équipe (responsable)"
        elif "sans-referent" in path.name:
            caption = "File des personnes sans référent, avec leur attente (responsable)"
        elif "liste" in path.name:
            caption = "Tableau de bord : la liste d'un chiffre (sans contact, un référent)"
        else:
            caption = "Tableau de bord de l'équipe (responsable)"
        entry = f"![{caption}]({path.name})"
        if entry not in lines:
            lines += [f"## {caption} — {path.stem.rsplit('-', 1)[1]}", "", entry, ""]
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for path in written:
        print(f"  {path}")
    return written


def shoot_unassigned_queue(parts, window, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """« Passations » opened by the supervisor: the persons imported without a referent
    (the demo's few per team) and those whose referent left, with how long each waited."""
    written: list[Path] = []
    for width, height in TEAM_SIZES:
        window.resize(width, height)
        idle(parts)
        dialog = window.show_handovers()
        assert dialog is not None
        wait_for(lambda: dialog.queue.count() > 0, 30, "file sans référent")  # noqa: B023
        dialog.resize(int(width * 0.62), int(height * 0.62))
        idle(parts)
        wait(400)
        path = out / f"99-file-sans-referent-{width}x{height}.png"
        dialog.grab().save(str(path))
        written.append(path)
        dialog.close()
        idle(parts)
    return written


class _StoreAuditLog:
    """Stands in for the server in the captures: the audit lines the demo store holds (the
    same lines a supervisor's server would answer), delivered as ``GET /audit/events``
    would deliver them."""

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        self.store = store

    def audit_events(self, query, on_done, on_error) -> None:  # type: ignore[no-untyped-def]
        from datetime import UTC, datetime

        from sqlalchemy import select

        from spie_desktop.domain.models import AuditEvent, Person, Referent
        from sync.protocol import AuditEntry, AuditPage

        with self.store.read() as session:
            rows = session.execute(
                select(AuditEvent, Person.last_name, Person.first_name, Referent)
                .outerjoin(Person, Person.id == AuditEvent.person_id)
                .outerjoin(Referent, Referent.id == AuditEvent.actor_id)
                .order_by(AuditEvent.occurred_at.desc())
                .limit(60)
            ).all()
            entries = [
                AuditEntry(
                    id=event.id,
                    occurred_at=event.occurred_at,
                    action=event.action,
                    person_id=event.person_id,
                    person_name=f"{last} {first}" if last else None,
                    actor_id=event.actor_id,
                    actor_username=author.username if author else None,
                    actor_name=f"{author.first_name} {author.last_name}" if author else None,
                    device_id=event.device_id,
                    detail=event.detail,
                )
                for event, last, first, author in rows
            ]
        on_done(AuditPage(entries=entries, truncated=True, server_time=datetime.now(UTC)))


def shoot_audit_log(parts, window, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """The team's audit log dialog (issue 15), sized for each window size."""
    from ui.dialogs.audit_log import AuditLogDialog

    written: list[Path] = []
    for width, height in TEAM_SIZES:
        window.resize(width, height)
        dialog = AuditLogDialog(parts.session, _StoreAuditLog(parts.ops.store), window)  # type: ignore[arg-type]
        dialog.resize(width - 160, height - 120)
        dialog.show()
        idle(parts)
        wait(500)
        path = out / f"98-journal-audit-{width}x{height}.png"
        dialog.grab().save(str(path))
        written.append(path)
        dialog.close()
        wait(100)
    return written


DIRECTORY_SHOTS = {
    "annuaire": "Annuaire des partenaires : recherche par mots, thème, commune et distance",
    "annuaire-personne": "Annuaire ouvert pour une personne : thème du frein, au plus près",
    "dialogue-partenaire": "Choisir le partenaire d'une action dans l'annuaire",
    "dialogue-action-partenaire": "Action liée à un service : contact et mobilisation",
}


def shoot_directory(out: Path, lang: str) -> list[Path]:
    """The partner directory (issue 16) at 1366×768 and 1920×1080, then the partner picker
    of the action dialog, on a demo caseload with a realistic directory of the Rhône
    (``tests/support/directory_data.py``; the demo server has no directory). Added beside the
    other captures (``94-`` to ``97-``) and to the folder's README."""
    from spie_desktop.demo import DemoSpec, load_into_store
    from spie_desktop.entry.app import build_desktop
    from spie_desktop.services import directory
    from spie_desktop.services.caseload import CaseloadFilter, caseload_ids
    from spie_desktop.services.persons import update_person
    from spie_desktop.store.store import Actor, Store
    from spie_desktop.store.vault import KdfParams
    from tests.support import directory_data

    root = Path(tempfile.mkdtemp(prefix="spie-shots-directory-"))
    ring = FileKeyring(root / "keyring.json")
    passphrase = "phrase des captures"
    store = Store.create(
        root / "data", passphrase, kdf=KdfParams.fast_for_tests(), keyring_backend=ring
    )
    load_into_store(store, DemoSpec(referents=1, persons_per_referent=40))
    structures = directory_data.structures(40)
    services = directory_data.services(600, structures)

    def record(kind: str, data: dict[str, object]) -> dict[str, object]:
        return {"kind": kind, "id": data["id"], "status": "open", "origin": "import", "data": data}

    with store.write() as session:
        directory.apply_records(session, [record("structure", s) for s in structures])
        directory.apply_records(session, [record("service", s) for s in services])
        store.set_state(session, "directory_cursor", "1:service:~")
    with store.read() as session:
        person_id = caseload_ids(session, CaseloadFilter(), datetime.now(UTC))[0]
    user = store.get_state("user_id")
    import uuid as _uuid

    actor = Actor(_uuid.UUID(user) if user else None, store.device_id)
    with store.write() as session:
        update_person(session, actor, person_id, {"city": "Vénissieux", "postal_code": "69200"})
    store.close()

    parts = build_desktop(root / "data", keyring_backend=ring, language=lang)
    window = parts.window
    window.show()
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.submit()
    wait_for(lambda: window.pages.currentWidget() is window.workspace, 60, "déverrouillage")
    idle(parts)
    written: list[tuple[Path, str]] = []
    out.mkdir(parents=True, exist_ok=True)
    view = window.directory
    search = view.search
    for width, height in SIZES:
        window.resize(width, height)
        window.show_view("directory")
        wait_for(lambda: search.page is not None, 30, "annuaire")
        search.text.clear()
        search.commune.setText("Villeurbanne")
        search.radius.setCurrentIndex(search.radius.findData(10))
        search.set_theme("logement")
        search.search_now()
        idle(parts)
        wait(400)
        path = out / f"94-annuaire-{width}x{height}.png"
        window.grab().save(str(path))
        written.append((path, DIRECTORY_SHOTS["annuaire"]))
        search.commune.clear()
        view.open_for_person(person_id, "Éloïse LEFÈVRE", "mobilite")
        wait_for(lambda: search.place is not None, 30, "commune de la personne")
        idle(parts)
        wait(400)
        path = out / f"95-annuaire-personne-{width}x{height}.png"
        window.grab().save(str(path))
        written.append((path, DIRECTORY_SHOTS["annuaire-personne"]))
        view.clear_person()
        search.place = None
    window.resize(*SIZE)
    window.open_person(person_id)
    wait_for(lambda: window.person.file is not None, 30, "dossier")
    idle(parts)
    action = window.person.new_action()
    assert action is not None
    action.barrier.setCurrentIndex(0)  # « Sans frein associé »: the theme is chosen
    action.theme.setCurrentIndex(action.theme.findData("mobilite"))
    action.action.setCurrentIndex(1)  # none is preselected (issue 12)
    picker = action.partner_link.pick()
    wait_for(lambda: picker.search.place is not None and picker.search.detail is not None, 30,
             "choix du partenaire")  # fmt: skip
    idle(parts)
    wait(400)
    path = out / "96-dialogue-partenaire.png"
    picker.grab().save(str(path))
    written.append((path, DIRECTORY_SHOTS["dialogue-partenaire"]))
    picker._choose()
    idle(parts)
    wait(300)
    path = out / "97-dialogue-action-partenaire.png"
    action.grab().save(str(path))
    written.append((path, DIRECTORY_SHOTS["dialogue-action-partenaire"]))
    action.reject()
    window.close()
    parts.shutdown()
    index = out / "README.md"
    lines = index.read_text(encoding="utf-8").splitlines() if index.exists() else []
    for path, caption in written:
        entry = f"![{caption}]({path.name})"
        if entry not in lines:
            size = path.stem.rsplit("-", 1)[1] if path.stem[-1].isdigit() else ""
            lines += [f"## {caption}{' — ' + size if size else ''}", "", entry, ""]
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for path, _caption in written:
        print(f"  {path}")
    return [path for path, _caption in written]


def shoot_path(parts, window, shoot) -> None:  # type: ignore[no-untyped-def]
    """« Parcours » tab of a person below the floor, then its dialogs."""
    from spie_desktop.services.caseload import CaseloadFilter, caseload_ids
    from ui.dialogs.path import ContractDialog, OrientationDialog

    store = parts.ops.store
    with store.read() as session:
        ids = caseload_ids(session, CaseloadFilter(path_alert="below_floor"), datetime.now(UTC))
    if not ids:
        return
    window.open_person(ids[0])
    wait_for(
        lambda: window.person.file is not None and window.person.file.person_id == ids[0],
        30,
        "path person",
    )
    person = window.person
    window.resize(*PATH_SIZE)  # the referent's laptop: 1366 × 768
    person.tabs.setCurrentIndex(person.TAB_PATH)
    tab = person.path_tab
    wait_for(lambda: tab.data is not None and tab.data.person_id == ids[0], 30, "path tab")
    idle(parts)
    wait(300)
    shoot(window, "dossier-parcours")
    orientation = OrientationDialog(parts.session, ids[0], parent=tab)
    orientation.open()
    wait(200)
    shoot(orientation, "dialogue-orientation")
    orientation.reject()
    contract = ContractDialog(parts.session, ids[0], parent=tab)
    contract.floor.setText("10")
    contract.reason.setCurrentIndex(contract.reason.findData("parent_isole_sans_garde"))
    contract.open()
    wait(200)
    shoot(contract, "dialogue-contrat")
    contract.reject()
    window.resize(*SIZE)
    shoot_path_decisions(parts, window, shoot)


def shoot_path_only(out: Path, lang: str) -> None:
    """The path's decision screens on a local demo store of the referent (no server),
    added beside the other captures (``8x-`` names) and to the folder's README."""
    from spie_desktop.demo import DEMO_REFERENT, DemoSpec, load_into_store
    from spie_desktop.entry.app import build_desktop
    from spie_desktop.store.store import Store
    from spie_desktop.store.vault import KdfParams

    root = Path(tempfile.mkdtemp(prefix="spie-shots-path-"))
    ring = FileKeyring(root / "keyring.json")
    store = Store.create(
        root / "data", "phrase des captures", kdf=KdfParams.fast_for_tests(), keyring_backend=ring
    )
    load_into_store(store, DemoSpec(), acting_username=DEMO_REFERENT)
    store.close()
    parts = build_desktop(root / "data", keyring_backend=ring, language=lang)
    window = parts.window
    window.resize(*SIZE)
    window.show()
    window.unlock_page.passphrase.setText("phrase des captures")
    window.unlock_page.submit()
    wait_for(lambda: window.pages.currentWidget() is window.workspace, 60, "déverrouillage")
    wait_for(lambda: window.caseload.model.rowCount() > 0, 60, "caseload")
    idle(parts)
    shoot = Shooter(out, start=80, clear=False)
    try:
        shoot_path_decisions(parts, window, shoot)
    finally:
        window.close()
        parts.shutdown()
    shoot.append_index()
    print(f"{len(shoot.shots)} captures dans {out}")


def shoot_path_decisions(parts, window, shoot) -> None:  # type: ignore[no-untyped-def]
    """A person with a pending reorientation request and an undecided breach: the tab, the
    decision dialogs, the observations revealed, the end of the contract and of the
    accompaniment (dialogs opened, then cancelled: nothing is written)."""
    from sqlalchemy import select

    from spie_desktop.domain.models import Breach, Person, ReorientationRequest
    from ui.dialogs.path import (
        AnswerReorientationDialog,
        BreachDecisionDialog,
        ClosingDialog,
        EndContractDialog,
        NotifyOrientationDialog,
    )

    store = parts.ops.store
    with store.read() as session:
        active = set(
            session.execute(
                select(Person.id).where(
                    Person.deleted_at.is_(None), Person.follow_up_status != "sorti"
                )
            ).scalars()
        )
        pending = [
            p
            for p in session.execute(
                select(ReorientationRequest.person_id).where(
                    ReorientationRequest.status == "pending"
                )
            ).scalars()
            if p in active
        ]
        open_breaches = [
            p
            for p in session.execute(
                select(Breach.person_id).where(
                    Breach.decision.is_(None), Breach.deleted_at.is_(None)
                )
            ).scalars()
            if p in active
        ]
    both = [p for p in pending if p in open_breaches]
    chosen = (both or pending or open_breaches or [None])[0]
    if chosen is None:
        print("  (aucune demande de réorientation ni manquement dans la démo)")
        return
    person = window.person
    tab = person.path_tab
    scroll = tab.findChild(QScrollArea)

    def show_path(person_id: object) -> None:
        window.open_person(person_id)
        wait_for(
            lambda: window.person.file is not None and window.person.file.person_id == person_id,
            30,
            "path decisions person",
        )
        person.tabs.setCurrentIndex(person.TAB_PATH)
        wait_for(lambda: tab.data is not None and tab.data.person_id == person_id, 30, "path")
        idle(parts)

    show_path(chosen)
    data = tab.data
    if data is not None and data.pending_request_id is not None:
        shoot(window, "dossier-parcours-demande", lambda: scroll.verticalScrollBar().setValue(0))
        answer = AnswerReorientationDialog(
            parts.session, chosen, data.pending_request_id, data.pending_request or "", parent=tab
        )
        answer.structure.setText("CCAS de Nevers")
        answer.open()
        wait(200)
        shoot(answer, "dialogue-decision-reorientation")
        answer.reject()
    if data is not None and data.decision_ids:
        notice = NotifyOrientationDialog(
            parts.session,
            chosen,
            data.decision_ids[0][0],
            f"{data.decisions[0][0]} — {data.decisions[0][1]}",
            parent=tab,
        )
        notice.open()
        wait(200)
        shoot(notice, "dialogue-notification-orientation")
        notice.reject()
    if open_breaches and chosen not in open_breaches:
        show_path(open_breaches[0])
    if tab.data is not None and tab.data.breaches:
        for index, row in enumerate(tab.data.breaches):
            item = tab.breach_tree.topLevelItem(index)
            if not row.decided and item is not None:
                tab.breach_tree.setCurrentItem(item)
                break
        tab._reveal()  # the observations, audited like any reading
        idle(parts)
        wait_for(lambda: tab.observations_label.isVisibleTo(tab), 10, "observations")
        shoot(
            window,
            "dossier-parcours-manquements",
            lambda: scroll.ensureWidgetVisible(tab.breach_card, 0, 0),
        )
        breach = tab._selected_breach()
        if breach is not None:
            decision = BreachDecisionDialog(
                parts.session,
                tab.person_id,
                breach.id,
                f"{breach.kind} — {breach.occurred_on}",
                breach.invited,
                parent=tab,
            )
            decision.decision.setCurrentIndex(decision.decision.findData("suspension_partielle"))
            decision.percent.setText("30")
            decision.months.setText("2")
            decision.open()
            wait(200)
            shoot(decision, "dialogue-decision-manquement")
            decision.reject()
    data = tab.data
    chosen = tab.person_id
    if data is not None and data.current is not None:
        end = EndContractDialog(parts.session, chosen, data.current.id, parent=tab)
        end.open()
        wait(200)
        shoot(end, "dialogue-fin-contrat")
        end.reject()
    closing = ClosingDialog(parts.session, chosen, parent=tab)
    closing.reason.setCurrentIndex(closing.reason.findData("emploi_durable"))
    closing.outcome.setPlainText("CDI d'agent d'entretien depuis le 1er du mois.")
    closing.open()
    wait(200)
    shoot(closing, "dialogue-fin-accompagnement")
    closing.reject()
    shoot_breach_correction(parts, window, shoot, show_path)
    window.resize(*SIZE)


def shoot_breach_correction(parts, window, shoot, show_path) -> None:  # type: ignore[no-untyped-def]
    """The correction of a decided breach (opened on the recorded decision, cancelled)."""
    from sqlalchemy import select

    from spie_desktop.domain.models import Breach, Person
    from ui.dialogs.path import BreachDecisionDialog

    with parts.ops.store.read() as session:
        live = (
            select(Breach.person_id)
            .join(Person, Person.id == Breach.person_id)
            .where(
                Breach.decision.is_not(None),
                Breach.deleted_at.is_(None),
                Person.deleted_at.is_(None),
                Person.follow_up_status != "sorti",
            )
        )
        # A person whose decision was corrected (a tombstoned version) if the demo has one.
        corrected = live.where(
            Breach.person_id.in_(
                select(Breach.person_id).where(
                    Breach.deleted_at.is_not(None), Breach.decision.is_not(None)
                )
            )
        )
        decided = session.execute(corrected.limit(1)).scalar_one_or_none()
        if decided is None:
            decided = session.execute(live.limit(1)).scalar_one_or_none()
    if decided is None:
        print("  (aucun manquement décidé dans la démo)")
        return
    tab = window.person.path_tab
    show_path(decided)
    rows = tab.data.breaches if tab.data is not None else None
    breach = next((b for b in rows or [] if b.corrected), None) or next(
        (b for b in rows or [] if b.decided), None
    )
    if breach is None:
        return
    if breach.corrected:
        scroll = tab.findChild(QScrollArea)
        shoot(
            window,
            "dossier-parcours-decision-corrigee",
            lambda: scroll.ensureWidgetVisible(tab.breach_card, 0, 0),
        )
    dialog = BreachDecisionDialog(
        parts.session,
        decided,
        breach.id,
        f"{breach.kind} — {breach.occurred_on} — {breach.decision}",
        breach.invited,
        parent=tab,
        correct=breach.values,
    )
    dialog.open()
    wait(200)
    shoot(dialog, "dialogue-correction-manquement")
    dialog.reject()


def first_progress_visible(parts) -> bool:  # type: ignore[no-untyped-def]
    window = parts.window
    first = window.first_start
    if window.pages.currentWidget() is window.workspace:
        return True
    text = first.progress_text.text() + first.progress_title.text()
    on_progress = first.steps.currentIndex() == first.STEP_PROGRESS
    return (on_progress and "onnect" in text) or "Télé" in text


if __name__ == "__main__":
    sys.exit(main())
