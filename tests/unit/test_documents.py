"""Printed documents and calendars, checked with real readers: poppler's pdftotext and
pdfinfo for the PDFs, icalendar and vobject (an independent parser) for the .ics files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from spie_desktop.documents import typography as ty
from spie_desktop.documents.department import (
    DepartmentSettings,
    load_department_settings,
    parse_settings,
    save_department_settings,
)
from spie_desktop.documents.output import write_document
from spie_desktop.domain.models import AuditEvent
from spie_desktop.errors import ValidationError
from spie_desktop.services import directory, documents
from spie_desktop.services.appointments import move_appointment, schedule_appointment, set_status
from spie_desktop.services.barriers import add_action, open_barrier
from spie_desktop.services.notes import write_note
from spie_desktop.services.partner_sheet import partner_sheet
from spie_desktop.services.persons import create_person
from spie_desktop.store.store import Actor, Store

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)

LAST = "Vandermeersch"
FIRST = "Eulalie"
SENSITIVE = "Suivi psychiatrique au CMP de Villeurbanne"
DEPARTMENT = DepartmentSettings(
    name="Département du Rhône",
    letterhead=("Direction de l'insertion", "29-31 cours de la Liberté, 69003 Lyon"),
    city="Lyon",
    signatory_title="La référente de parcours",
    footer="Département du Rhône — www.rhone.fr",
)
MM = 72 / 25.4  # PDF points per millimetre


@dataclass
class Case:
    store: Store
    actor: Actor
    person_id: uuid.UUID
    planned_id: uuid.UUID
    seen_id: uuid.UUID
    summer_id: uuid.UUID
    revoked_id: uuid.UUID


@pytest.fixture
def case(store: Store, actor: Actor) -> Case:
    now = datetime.now(UTC)
    with store.write() as session:
        person = create_person(
            session,
            actor,
            {
                "title": "MME",
                "last_name": LAST,
                "first_name": FIRST,
                "address": "Bâtiment B, appartement 12, 8 allée des Tilleuls",
                "postal_code": "69100",
                "city": "Villeurbanne",
                "phone": "06 12 34 56 78",
            },
        )
        seen = schedule_appointment(
            session,
            actor,
            person.id,
            starts_at=now - timedelta(days=3),
            mode="bureau",
            purpose="suivi",
            place="Maison de la Métropole, 12 rue Racine",
        )
        planned = schedule_appointment(
            session,
            actor,
            person.id,
            starts_at=datetime(2031, 12, 2, 9, 30, tzinfo=UTC),
            mode="bureau",
            purpose="signature_contrat",
            place="Maison de la Métropole",
            duration_minutes=60,
        )
        summer = schedule_appointment(
            session,
            actor,
            person.id,
            starts_at=datetime(2031, 7, 15, 12, 0, tzinfo=UTC),
            mode="domicile",
            purpose="bilan",
        )
        revoked = schedule_appointment(
            session,
            actor,
            person.id,
            starts_at=datetime(2031, 11, 5, 8, 0, tzinfo=UTC),
            mode="telephone",
            purpose="suivi",
        )
        barrier = open_barrier(session, actor, person.id, theme="mobilite", severity=3)
        session.flush()
        add_action(
            session,
            actor,
            person.id,
            barrier_id=barrier.id,
            custom_label="Financer le permis de conduire",
            partner="Mission locale",
            due_date=date(2031, 3, 1),
        )
        write_note(session, actor, person.id, SENSITIVE, sensitive=True)
        session.flush()
        ids = (person.id, planned.id, seen.id, summer.id, revoked.id)
    with store.write() as session:
        set_status(
            session,
            actor,
            ids[2],
            "seen",
            summary="Point sur la recherche de logement.",
            next_steps="Déposer le dossier DALO ; appeler la CAF !",
        )
        set_status(session, actor, ids[4], "revoked")
    return Case(store, actor, *ids)


def pdf_text(content: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    path = tmp_path / f"check-{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_info(content: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / f"info-{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def word_boxes(content: bytes, tmp_path: Path) -> list[tuple[str, float, float, float, float]]:
    """Each word and its box in millimetres from the page's top-left corner (page 1)."""
    path = tmp_path / f"bbox-{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (m[5], float(m[1]) / MM, float(m[2]) / MM, float(m[3]) / MM, float(m[4]) / MM)
        for m in pattern.finditer(html)
    ]


def audits(store: Store, person_id: uuid.UUID, action: str) -> list[str]:
    with store.read() as session:
        rows = session.execute(
            select(AuditEvent.detail).where(
                AuditEvent.person_id == person_id, AuditEvent.action == action
            )
        ).scalars()
        return [row or "" for row in rows]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


# --------------------------------------------------------------------------------------
# Typography


def test_french_spacing_and_dates() -> None:
    assert ty.french('Objet : "convocation" ; venez ! Pourquoi ?') == (
        "Objet\u00a0: «\u00a0convocation\u00a0»\u202f; venez\u202f! Pourquoi\u202f?"
    )
    assert ty.french("Rendez-vous à 10:30, https://rhone.fr ; ok") == (
        "Rendez-vous à 10:30, https://rhone.fr\u202f; ok"
    )
    assert ty.french("Quoi ?!") == "Quoi\u202f?!"
    assert ty.long_date(date(2026, 12, 1)) == "mardi 1er\u00a0décembre 2026"
    assert ty.long_date(date(2026, 12, 8)) == "mardi 8\u00a0décembre 2026"
    # 08:30 UTC in July is 10:30 in Paris (summer time), 09:30 in December.
    assert ty.long_datetime(datetime(2026, 7, 1, 8, 30, tzinfo=UTC)).endswith("10\u00a0h\u00a030")
    assert ty.long_datetime(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)).endswith("à 9\u00a0h")
    assert ty.duration(90) == "1\u00a0h\u00a030" and ty.duration(45) == "45\u00a0min"


@given(st.text(alphabet=st.sampled_from(list('ab :;!?«»"/1.\n')), max_size=40))
def test_french_spacing_is_idempotent_and_keeps_the_words(text: str) -> None:
    once = ty.french(text)
    assert ty.french(once) == once

    def letters(value: str) -> str:
        return re.sub(r"[\s\u00a0\u202f«»\"]+", "", value)

    assert letters(once) == letters(text)


# --------------------------------------------------------------------------------------
# PDF documents


def test_convocation_fits_a_dl_window_envelope(case: Case, tmp_path: Path) -> None:
    with case.store.write() as session:
        doc = documents.convocation(session, case.actor, case.planned_id, DEPARTMENT)
    text = flat(pdf_text(doc.content, tmp_path))
    for expected in (
        "Département du Rhône",
        f"Madame {FIRST} {LAST.upper()}",
        "8 allée des Tilleuls",
        "69100 VILLEURBANNE",
        "Objet : Convocation à un rendez-vous — Signature du contrat",
        # 09:30 UTC on 2 December is 10:30 in Paris.
        "mardi 2 décembre 2031 à 10 h 30",
        "Madame,",
        "Page 1 sur 1",
        "Lyon, le",
    ):
        assert expected in text, expected
    assert "rendez-vous de signature du contrat le mardi" in text
    layout = pdf_text(doc.content, tmp_path, layout=True)
    assert re.search(r"Durée prévue\s+1\s?h *$", layout, re.M)
    info = pdf_info(doc.content, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Convocation à un rendez-vous"
    assert info["Author"] == "Département du Rhône"
    assert info["Page size"].startswith("595.276 x 841.89")
    # La Poste's DL window: 100 × 45 mm, 20 mm from the right edge, 45–50 mm from the top.
    boxes = word_boxes(doc.content, tmp_path)
    address_words = {"Madame", FIRST, LAST.upper(), "allée", "Tilleuls", "69100", "VILLEURBANNE"}
    placed = [b for b in boxes if b[0] in address_words and b[2] < 100]
    assert {b[0] for b in placed} == address_words
    for word, x0, y0, x1, y1 in placed:
        assert x0 >= 90 and x1 <= 190, (word, x0, x1)
        assert y0 >= 50 and y1 <= 90, (word, y0, y1)
    subject = next(b for b in boxes if b[0] == "Objet")
    assert subject[2] > 95, "the subject must stay out of the window"
    # Nothing but the address shows through the window.
    in_window = {b[0] for b in boxes if b[1] < 190 and b[3] > 90 and b[2] < 95 and b[4] > 45}
    assert in_window <= address_words | {"B,", "Bâtiment", "appartement", "12", "8", "des"}
    assert audits(case.store, case.person_id, "print") == [
        "convocation au rendez-vous du 02/12/2031 10:30"
    ]


def test_convocation_refusals_change_nothing(case: Case, store: Store, actor: Actor) -> None:
    with pytest.raises(ValidationError) as refused, store.write() as session:
        documents.convocation(session, actor, case.seen_id, DEPARTMENT)
    assert refused.value.code == "appointment_not_planned"
    with store.write() as session:
        homeless = create_person(session, actor, {"last_name": "Sansadresse", "first_name": "Léo"})
        session.flush()
        slot = schedule_appointment(
            session,
            actor,
            homeless.id,
            starts_at=datetime(2031, 1, 6, 9, tzinfo=UTC),
            mode="bureau",
            purpose="suivi",
        )
    with pytest.raises(ValidationError) as refused, store.write() as session:
        documents.convocation(session, actor, slot.id, DEPARTMENT)
    assert refused.value.code == "address_missing"
    assert audits(store, homeless.id, "print") == []
    assert audits(store, case.person_id, "print") == []


def test_visit_summary(case: Case, tmp_path: Path) -> None:
    with case.store.write() as session:
        doc = documents.visit_summary(session, case.actor, case.seen_id, DEPARTMENT)
    text = flat(pdf_text(doc.content, tmp_path))
    for expected in (
        "Compte rendu de rendez-vous",
        f"Madame {FIRST} {LAST.upper()}",
        "Point sur la recherche de logement.",
        "Déposer le dossier DALO ; appeler la CAF !",
        "Financer le permis de conduire",
        "Mission locale",
        "Prochain rendez-vous",
        "Page 1 sur 1",
    ):
        assert expected in text, expected
    assert SENSITIVE not in text
    # The thin no-break spaces are in the data (pdftotext prints them as plain spaces).
    assert documents._typeset("DALO ; CAF !") == "DALO\u202f; CAF\u202f!"
    assert pdf_info(doc.content, tmp_path)["Tagged"] == "yes"
    assert len(audits(case.store, case.person_id, "print")) == 1


def test_access_file_holds_everything_and_who_opened_it(case: Case, tmp_path: Path) -> None:
    from spie_desktop.services.persons import open_person

    with case.store.write() as session:
        open_person(session, case.actor, case.person_id)
    with case.store.write() as session:
        doc = documents.access_file(session, case.actor, case.person_id, DEPARTMENT)
    text = flat(pdf_text(doc.content, tmp_path))
    for expected in (
        f"Dossier de {FIRST} {LAST.upper()}",
        "article 15",
        "06 12 34 56 78",
        SENSITIVE,
        "Visite à domicile",
        "Annulé par le service",
        "Point sur la recherche de logement.",
        "Mobilité",
        "Financer le permis de conduire",
        "Qui a consulté, modifié, imprimé ou exporté ce dossier",
        "Consultation",
        "Impression",
        "dossier droit d'accès (RGPD)",
        "Camille Durand",
    ):
        assert expected in text, expected
    pages = int(pdf_info(doc.content, tmp_path)["Pages"])
    assert f"Page {pages} sur {pages}" in text
    assert doc.filename == f"dossier-droit-acces-{LAST.upper()}-{FIRST}-{date.today():%Y-%m-%d}.pdf"


SHEET_SERVICE = "dora--sheet-1"


def _directory_service(case: Case, name: str, description: str) -> None:
    """One service of the partner directory, as a sync leaves it on the device."""
    structure = {"id": "dora--s-1", "nom": "CCAS de Villeurbanne", "commune": "Villeurbanne"}
    service = {
        "id": SHEET_SERVICE,
        "structure_id": structure["id"],
        "nom": name,
        "description": description,
        "commune": "Villeurbanne",
        "telephone": "04 78 00 00 00",
    }
    with case.store.write() as session:
        directory.apply_records(
            session,
            [
                {"kind": kind, "id": data["id"], "status": "open", "origin": "import", "data": data}
                for kind, data in (("structure", structure), ("service", service))
            ],
        )


def test_partner_sheet_prints_typed_text_as_typed(case: Case, tmp_path: Path) -> None:
    """A service's name and description come from an outside file: printed as written,
    never read as Typst markup, and the print is audited on the person's file."""
    hostile = "#import /etc/passwd ] } *gras* $x$ <lbl> @ref _sous_ `code` // fin"
    _directory_service(case, f"Atelier {hostile}", f"Accueil {hostile}")
    with case.store.write() as session:
        doc = partner_sheet(
            session, case.actor, SHEET_SERVICE, DEPARTMENT, person_id=case.person_id
        )
    text = flat(pdf_text(doc.content, tmp_path))
    assert f"Atelier {hostile}" in text and f"Accueil {hostile}" in text
    assert LAST.upper() in text
    with case.store.read() as session:
        printed = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.person_id == case.person_id, AuditEvent.action == "print"
            )
        ).all()
    assert any("fiche partenaire" in (detail or "") for detail in printed)


def test_typed_text_is_never_markup(case: Case, tmp_path: Path) -> None:
    hostile = "#import /etc/passwd ] } *gras* $x$ <lbl> @ref _sous_ `code` // fin"
    with case.store.write() as session:
        set_status(session, case.actor, case.seen_id, "noshow", summary=hostile)
    with case.store.write() as session:
        doc = documents.visit_summary(session, case.actor, case.seen_id, DEPARTMENT)
    assert hostile in flat(pdf_text(doc.content, tmp_path))


# --------------------------------------------------------------------------------------
# Calendars


def agenda(case: Case) -> bytes:
    with case.store.write() as session:
        return documents.agenda_calendar(
            session, case.actor, date(2031, 1, 1), date(2031, 12, 31)
        ).content


def test_agenda_ics_read_by_two_parsers(case: Case) -> None:
    content = agenda(case)
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    (tz,) = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Paris"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"{i}@spie-desktop" for i in (case.planned_id, case.summer_id, case.revoked_id)
    }
    assert str(events[f"{case.revoked_id}@spie-desktop"]["STATUS"]) == "CANCELLED"
    assert str(events[f"{case.planned_id}@spie-desktop"]["STATUS"]) == "CONFIRMED"
    assert all("DTSTAMP" in e and "SEQUENCE" in e for e in events.values())
    assert f"{LAST.upper()} {FIRST}" in str(events[f"{case.planned_id}@spie-desktop"]["SUMMARY"])
    assert b"\r\n" in content and all(len(line) <= 75 for line in content.split(b"\r\n"))

    # vobject: its own parser and its own reading of the VTIMEZONE rules.
    parsed = vobject.readOne(content.decode("utf-8"))
    starts = {str(e.uid.value): e.dtstart.value.astimezone(UTC) for e in parsed.vevent_list}
    assert starts[f"{case.planned_id}@spie-desktop"] == datetime(2031, 12, 2, 9, 30, tzinfo=UTC)
    assert starts[f"{case.summer_id}@spie-desktop"] == datetime(2031, 7, 15, 12, 0, tzinfo=UTC)
    ends = {str(e.uid.value): e.dtend.value.astimezone(UTC) for e in parsed.vevent_list}
    assert ends[f"{case.planned_id}@spie-desktop"] == datetime(2031, 12, 2, 10, 30, tzinfo=UTC)
    assert audits(case.store, case.person_id, "export") == [
        "agenda .ics du 01/01/2031 au 31/12/2031"
    ]


def test_agenda_uids_are_stable_and_sequence_grows(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sequences() -> dict[str, int]:
        cal = icalendar.Calendar.from_ical(agenda(case))
        return {str(e["UID"]): int(e["SEQUENCE"]) for e in cal.walk("VEVENT")}

    first = sequences()
    assert sequences() == first
    later = datetime.now(UTC) + timedelta(minutes=5)  # the referent moves it a bit later
    monkeypatch.setattr("spie_desktop.store.changes.utcnow", lambda: later)
    with case.store.write() as session:
        move_appointment(
            session,
            case.actor,
            case.planned_id,
            starts_at=datetime(2031, 12, 3, 9, 30, tzinfo=UTC),
        )
    moved = sequences()
    assert moved.keys() == first.keys()
    uid = f"{case.planned_id}@spie-desktop"
    assert moved[uid] > first[uid]


def test_agenda_bad_ranges_are_refused(case: Case) -> None:
    for start, end in ((date(2031, 2, 1), date(2031, 1, 1)), (date(2030, 1, 1), date(2032, 1, 1))):
        with pytest.raises(ValidationError) as refused, case.store.write() as session:
            documents.agenda_calendar(session, case.actor, start, end)
        assert refused.value.code == "invalid_range"
    assert audits(case.store, case.person_id, "export") == []


def test_invitation_for_the_person(case: Case) -> None:
    with case.store.write() as session:
        doc = documents.appointment_invitation(session, case.actor, case.planned_id)
    calendar = icalendar.Calendar.from_ical(doc.content)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{case.planned_id}@spie-desktop"
    assert LAST.lower() not in doc.content.decode().lower()  # her own calendar: no name needed
    parsed = vobject.readOne(doc.content.decode("utf-8"))
    assert parsed.vevent.dtstart.value.astimezone(UTC) == datetime(2031, 12, 2, 9, 30, tzinfo=UTC)
    assert doc.filename.endswith(".ics")
    assert len(audits(case.store, case.person_id, "export")) == 1


# --------------------------------------------------------------------------------------
# Nothing left behind


def _leaks(root: Path, needles: tuple[bytes, ...], skip: set[Path]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path in skip or not path.is_file():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(needle in data for needle in needles):
            found.append(str(path))
    return found


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The system temp directory, for Python and for the Typst compiler, made observable."""
    sys_tmp = tmp_path / "systmp"
    sys_tmp.mkdir()
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(sys_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield sys_tmp
    tempfile.tempdir = None


def test_rendering_leaves_nothing_in_temp_or_data_dirs(
    case: Case, data_dir: Path, private_tmp: Path, tmp_path: Path
) -> None:
    assert tempfile.gettempdir() == str(private_tmp)
    _directory_service(case, "Aide au permis", "Pour les personnes sans véhicule.")
    saved = tmp_path / "saved"
    saved.mkdir()
    needles = (
        LAST.encode(),
        LAST.upper().encode(),
        LAST.encode("utf-16-le"),
        b"%PDF-",
        b"BEGIN:VCALENDAR",  # a compressed PDF hides names: look for any PDF
    )
    leaks: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for root in (private_tmp, data_dir):
                leaks.extend(_leaks(root, needles, set()))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with case.store.write() as session:
            rendered = [
                documents.convocation(session, case.actor, case.planned_id, DEPARTMENT),
                documents.visit_summary(session, case.actor, case.seen_id, DEPARTMENT),
                documents.access_file(session, case.actor, case.person_id, DEPARTMENT),
                documents.agenda_calendar(
                    session, case.actor, date(2031, 1, 1), date(2031, 12, 31)
                ),
                documents.appointment_invitation(session, case.actor, case.planned_id),
                partner_sheet(
                    session, case.actor, SHEET_SERVICE, DEPARTMENT, person_id=case.person_id
                ),
            ]
        written = [write_document(saved / doc.filename, doc.content) for doc in rendered]
    finally:
        stop.set()
        watcher.join()
    assert leaks == []
    assert _leaks(private_tmp, needles, set()) == []
    assert _leaks(data_dir, needles, set()) == []
    # Only the saved files, user-readable only, and nothing beside them.
    assert sorted(p.name for p in saved.iterdir()) == sorted(p.name for p in written)
    if os.name == "posix":
        assert {p.stat().st_mode & 0o777 for p in written} == {0o600}


def test_write_document_never_replaces_silently(tmp_path: Path) -> None:
    target = tmp_path / "lettre.pdf"
    write_document(target, b"one")
    with pytest.raises(ValidationError) as refused:
        write_document(target, b"two")
    assert refused.value.code == "output_exists" and target.read_bytes() == b"one"
    write_document(target, b"three", overwrite=True)
    assert target.read_bytes() == b"three"
    with pytest.raises(ValidationError):
        write_document(tmp_path / "absent" / "x.pdf", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lettre.pdf"]


# --------------------------------------------------------------------------------------
# Department settings


def test_department_settings_roundtrip_and_refusals(tmp_path: Path) -> None:
    assert load_department_settings(tmp_path) == DepartmentSettings()
    save_department_settings(tmp_path, DEPARTMENT)
    assert load_department_settings(tmp_path) == DEPARTMENT
    for bad in (
        {"nmae": "typo"},
        {"letterhead": "not a list"},
        {"retention_months": 0},
        {"logo_path": "/tmp/logo.exe"},
        {"name": "x" * 500},
    ):
        with pytest.raises(ValidationError) as refused:
            parse_settings(bad, source="test")
        assert refused.value.code == "invalid_department_settings"
    (tmp_path / "department.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError):
        load_department_settings(tmp_path)


def test_access_json_is_complete_and_audited(case: Case) -> None:
    import json

    from spie_desktop.services.exports import person_tables

    with case.store.write() as session:
        doc = documents.access_json(session, case.actor, case.person_id)
    data = json.loads(doc.content)
    assert data["person"]["last_name"] == LAST
    # Every synced table that belongs to a person is a section, present even when empty.
    assert set(person_tables()) <= set(data)
    assert len(data["appointments"]) == 4 and len(data["barriers"]) == 1
    assert SENSITIVE in {n["text"] for n in data["notes"]}
    assert {r["last_name"] for r in data["referents"]} == {"Durand"}
    assert "export" in [e["action"] for e in data["audit_events"]]
    assert doc.filename.endswith(".json") and doc.media_type == "application/json"
    assert audits(case.store, case.person_id, "export") == ["export droit d'accès (RGPD)"]


def test_contract_with_its_plan_to_sign(case: Case, tmp_path: Path) -> None:
    from spie_desktop.services.path import add_plan_action, draft_contract

    with pytest.raises(ValidationError) as refused, case.store.write() as session:
        documents.contract(session, case.actor, case.person_id, DEPARTMENT)
    assert refused.value.code == "no_contract"
    with case.store.write() as session:
        contract = draft_contract(
            session, case.actor, case.person_id, starts_on=date(2031, 1, 5),
            ends_on=date(2031, 7, 4), objectives="Retrouver un emploi d'aide-soignante.",
        )  # fmt: skip
        session.flush()
        add_plan_action(
            session, case.actor, contract.id, custom_label="Formation d'aide-soignante",
            partner="IFSI de Lyon", planned_minutes_week=600,
        )  # fmt: skip
    with case.store.write() as session:
        doc = documents.contract(session, case.actor, case.person_id, DEPARTMENT)
    text = flat(pdf_text(doc.content, tmp_path))
    for expected in (
        "Version 1",
        "Retrouver un emploi d'aide-soignante.",
        "Formation d'aide-soignante",
        "IFSI de Lyon",
        "10 h par semaine",
        "15 h par semaine",
        "moins d'heures que la durée demandée",
        "La personne accompagnée",
        "lu et approuvé",
        "Lyon, le",
    ):
        assert expected in text, expected
    assert pdf_info(doc.content, tmp_path)["Tagged"] == "yes"
    assert audits(case.store, case.person_id, "print") == ["contrat d'engagement version 1"]


def test_every_print_and_export_use_case_is_audited(case: Case) -> None:
    """Each ``print_*`` / ``export_*`` use-case (the app's menus and the CLI call these)
    writes its audit line in the same transaction (issue 15, What 4): a new one that is not
    listed here fails the test until it is, and one that audits nothing fails it too."""
    import inspect

    from spie_desktop.services import usecases
    from spie_desktop.services.csv_exports import AuditLine

    _directory_service(case, "Atelier mobilité", "Accueil sans rendez-vous")
    now = datetime.now(UTC)
    line = AuditLine(now, "open", case.person_id, LAST, "ana", "Ana", "dev", None)
    actor, person = case.actor, case.person_id
    calls: dict[str, list[tuple[Any, str, uuid.UUID | None]]] = {
        "print_access_file": [
            (
                lambda: usecases.print_access_file(case.store, actor, person, DEPARTMENT),
                "print",
                person,
            )
        ],
        "export_access_json": [
            (lambda: usecases.export_access_json(case.store, actor, person), "export", person)
        ],
        "export_person": [
            (lambda: usecases.export_person(case.store, actor, person), "export", person)
        ],
        "print_convocation": [
            (
                lambda: usecases.print_convocation(case.store, actor, case.planned_id, DEPARTMENT),
                "print",
                person,
            )
        ],
        "print_visit_summary": [
            (
                lambda: usecases.print_visit_summary(case.store, actor, case.seen_id, DEPARTMENT),
                "print",
                person,
            )
        ],
        "print_partner_sheet": [
            (
                lambda: usecases.print_partner_sheet(
                    case.store, actor, SHEET_SERVICE, DEPARTMENT, person
                ),
                "print",
                person,
            )
        ],
        "export_invitation": [
            (
                lambda: usecases.export_invitation(case.store, actor, case.planned_id),
                "export",
                person,
            )
        ],
        "export_agenda": [
            (
                lambda: usecases.export_agenda(
                    case.store, actor, date(2031, 11, 1), date(2031, 12, 31)
                ),
                "export",
                person,
            )
        ],
        "export_csv": [
            (lambda k=kind: usecases.export_csv(case.store, actor, k, now), "export", None)
            for kind in ("persons", "appointments", "actions", "dashboard")
        ],
        "export_audit_log": [
            (
                lambda: usecases.export_audit_log(case.store, actor, [line], now, "sans filtre"),
                "export",
                None,
            )
        ],
    }
    # The contract needs a drafted contract: test_contract_with_its_plan_to_sign checks it.
    covered_elsewhere = {"print_contract"}
    found = {
        name
        for name, value in inspect.getmembers(usecases, inspect.isfunction)
        if name.startswith(("print_", "export_")) and value.__module__ == usecases.__name__
    }
    assert found == set(calls) | covered_elsewhere

    def audited() -> list[tuple[str, uuid.UUID | None]]:
        with case.store.read() as session:
            return [
                (row.action, row.person_id)
                for row in session.execute(
                    select(AuditEvent.action, AuditEvent.person_id).where(
                        AuditEvent.action.in_(("print", "export"))
                    )
                )
            ]

    for name, variants in calls.items():
        for call, action, person_id in variants:
            before = Counter(audited())
            call()
            new = list((Counter(audited()) - before).elements())
            assert new, f"{name}: rien au journal d'audit"
            assert {a for a, _ in new} == {action}, (name, new)
            if person_id is not None:
                assert person_id in {p for _, p in new}, (name, new)
