"""``spie-desktop`` commands that print and export documents, from the same use-cases as
the desktop app (:mod:`spie_desktop.services.documents`)::

    spie-desktop print-file        PERSON_ID  -o dossier.pdf   right-of-access file (RGPD)
    spie-desktop print-contract    PERSON_ID  -o contrat.pdf   contrat d'engagement, to sign
    spie-desktop print-convocation APPT_ID    -o lettre.pdf    convocation (DL window envelope)
    spie-desktop print-summary     APPT_ID    -o cr.pdf        visit summary
    spie-desktop export-agenda     --from D --to D -o agenda.ics   [--referent ID]
    spie-desktop export-invitation APPT_ID    -o rdv.ics       one appointment, for the person
    spie-desktop export persons|appointments|actions|dashboard -o F.csv   reporting CSV

``-o -`` writes to standard output (a pipe into a mail or print system). A file is written
only at ``--output``, created 0600, never replaced without ``--force``; each document is
recorded in the audit log before it is written. The letterhead comes from the department
settings (:mod:`spie_desktop.documents.department`).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from spie_desktop.documents.department import DepartmentSettings, load_department_settings
from spie_desktop.documents.output import check_destination, write_document
from spie_desktop.entry.cli.base import EXIT_OK, Commands, Context
from spie_desktop.entry.cli.store_commands import unlocked
from spie_desktop.errors import ValidationError
from spie_desktop.services import documents, usecases
from spie_desktop.services.department import letter_settings
from spie_desktop.services.operation import Outcome
from spie_desktop.store.store import Actor, Store

Produce = Callable[[Store, Actor, DepartmentSettings], Outcome[documents.RenderedDocument]]


def parse_uuid(value: str, *, what: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise ValidationError(
            f"Identifiant {what} invalide : « {value} ».", code="invalid_id", field=field
        ) from None


def parse_day(value: str, *, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            f"Date invalide : « {value} » (attendu : AAAA-MM-JJ, par exemple 2026-12-01).",
            code="invalid_date",
            field=field,
        ) from None


def _render(args: argparse.Namespace, ctx: Context, produce: Produce) -> int:
    to_stdout = args.output == "-"
    output = None if to_stdout else Path(args.output).expanduser()
    if output is not None:
        check_destination(output, overwrite=args.force)  # refused before the passphrase
    load_department_settings(ctx.data_dir)  # a bad department.json refused before the passphrase
    with unlocked(ctx) as (_vault, store):
        department = letter_settings(store)  # the server's settings once synced
        document = produce(store, store.actor(), department).value
    # The audit event is committed: now, and only now, the document leaves memory.
    if output is None:
        ctx.out.flush()
        sys.stdout.buffer.write(document.content)
        sys.stdout.buffer.flush()
        return EXIT_OK
    written = write_document(output, document.content, overwrite=args.force)
    ctx.say(
        f"Document écrit dans {written} ({len(document.content) // 1024 + 1} Kio). "
        "Il a été inscrit au journal d'audit."
    )
    ctx.warn(
        "ce fichier contient des données personnelles en clair : remettez-le à la personne "
        "concernée ou imprimez-le, puis supprimez-le de cet ordinateur."
    )
    ctx.emit(
        {
            "ok": True,
            "output": str(written),
            "kind": document.kind,
            "media_type": document.media_type,
            "bytes": len(document.content),
            "suggested_filename": document.filename,
            "person_ids": [str(p) for p in document.person_ids],
        }
    )
    return EXIT_OK


def cmd_print_file(args: argparse.Namespace, ctx: Context) -> int:
    person_id = parse_uuid(args.id, what="de personne", field="person_id")
    return _render(args, ctx, lambda s, a, d: usecases.print_access_file(s, a, person_id, d))


def cmd_print_contract(args: argparse.Namespace, ctx: Context) -> int:
    person_id = parse_uuid(args.id, what="de personne", field="person_id")
    return _render(args, ctx, lambda s, a, d: usecases.print_contract(s, a, person_id, d))


def cmd_print_convocation(args: argparse.Namespace, ctx: Context) -> int:
    appointment_id = parse_uuid(args.id, what="de rendez-vous", field="appointment_id")
    return _render(args, ctx, lambda s, a, d: usecases.print_convocation(s, a, appointment_id, d))


def cmd_print_summary(args: argparse.Namespace, ctx: Context) -> int:
    appointment_id = parse_uuid(args.id, what="de rendez-vous", field="appointment_id")
    return _render(args, ctx, lambda s, a, d: usecases.print_visit_summary(s, a, appointment_id, d))


def cmd_export_invitation(args: argparse.Namespace, ctx: Context) -> int:
    appointment_id = parse_uuid(args.id, what="de rendez-vous", field="appointment_id")
    return _render(args, ctx, lambda s, a, d: usecases.export_invitation(s, a, appointment_id))


def cmd_export_agenda(args: argparse.Namespace, ctx: Context) -> int:
    start = parse_day(args.start, field="from") if args.start else date.today()
    end = parse_day(args.end, field="to") if args.end else start + timedelta(days=30)
    referent = (
        parse_uuid(args.referent, what="de référent", field="referent") if args.referent else None
    )
    return _render(
        args,
        ctx,
        lambda s, a, d: usecases.export_agenda(s, a, start, end, referent_id=referent),
    )


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from spie_desktop.store.changes import utcnow

    kind = args.kind
    return _render(args, ctx, lambda s, a, d: usecases.export_csv(s, a, kind, utcnow()))


def _output_options(parser: argparse.ArgumentParser, kind: str) -> None:
    parser.add_argument(
        "--output", "-o", metavar="FICHIER", required=True,
        help=f"fichier {kind} à écrire (droits 0600) ; « - » : la sortie standard",
    )  # fmt: skip
    parser.add_argument(
        "--force", action="store_true", help="remplacer le fichier s'il existe déjà"
    )


def register(commands: Commands) -> None:
    """Add the document commands to ``spie-desktop``."""
    add = commands.add
    sub = add(
        "print-file",
        "imprimer le dossier complet d'une personne en PDF (droit d'accès RGPD)",
        cmd_print_file,
    )
    sub.add_argument("id", metavar="ID", help="identifiant (UUID) de la personne")
    _output_options(sub, "PDF")
    sub = add(
        "print-contract",
        "imprimer le contrat d'engagement en cours et son plan d'action, à signer (PDF)",
        cmd_print_contract,
    )
    sub.add_argument("id", metavar="ID", help="identifiant (UUID) de la personne")
    _output_options(sub, "PDF")
    for name, help_text, handler in (
        (
            "print-convocation",
            "imprimer la convocation à un rendez-vous (PDF, enveloppe DL à fenêtre)",
            cmd_print_convocation,
        ),
        ("print-summary", "imprimer le compte rendu d'un rendez-vous (PDF)", cmd_print_summary),
    ):
        sub = add(name, help_text, handler)
        sub.add_argument("id", metavar="ID", help="identifiant (UUID) du rendez-vous")
        _output_options(sub, "PDF")
    sub = add(
        "export-invitation",
        "exporter un rendez-vous pour l'agenda de la personne (.ics)",
        cmd_export_invitation,
    )
    sub.add_argument("id", metavar="ID", help="identifiant (UUID) du rendez-vous")
    _output_options(sub, ".ics")
    sub = add(
        "export",
        "exporter en CSV (;, UTF-8 avec BOM, pour un tableur) : une ligne par personne, par "
        "rendez-vous, par action, ou les chiffres du tableau de bord ; chaque export est "
        "inscrit au journal d'audit",
        cmd_export,
    )
    sub.add_argument(
        "kind", metavar="QUOI", choices=("persons", "appointments", "actions", "dashboard"),
        help="persons (personnes), appointments (rendez-vous), actions, dashboard (chiffres)",
    )  # fmt: skip
    _output_options(sub, "CSV")
    sub = add(
        "export-agenda",
        "exporter l'agenda du référent (.ics pour Outlook, Thunderbird…)",
        cmd_export_agenda,
    )
    sub.add_argument(
        "--from", dest="start", metavar="AAAA-MM-JJ", default=None,
        help="premier jour (par défaut : aujourd'hui)",
    )  # fmt: skip
    sub.add_argument(
        "--to", dest="end", metavar="AAAA-MM-JJ", default=None,
        help="dernier jour inclus (par défaut : 30 jours après le premier)",
    )  # fmt: skip
    sub.add_argument(
        "--referent", metavar="ID", default=None,
        help="référent dont on exporte l'agenda (par défaut : l'utilisateur de cet appareil)",
    )  # fmt: skip
    _output_options(sub, ".ics")
