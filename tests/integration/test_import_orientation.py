"""The department's CSV import carries the orientation track and date into the path."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from spie_desktop.domain.deadlines import PathAlert, paris_day
from spie_desktop.services.caseload import CaseloadFilter, caseload_ids, path_alert_counts
from spie_desktop.store.local_models import PersonSummary
from tests.support.devkit import server_rows


def test_import_records_the_orientation_decision_once(world: Any, tmp_path: Path) -> None:
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    exported = tmp_path / "orientations.csv"
    lines = [
        "Identifiant;Nom;Prénom;Date ouverture droits;Parcours;Date orientation;Référent",
        "D-1;Hérault;Éloïse;02/09/2026;Social;15/10/2026;alice.martin",
        "D-2;Dupont;Rémi;01/10/2026;;;alice.martin",
        "D-3;Sans;Parcours;01/10/2026;;20/10/2026;alice.martin",
        "D-4;Futur;Lointain;01/10/2026;Emploi;01/01/2099;alice.martin",
        "D-5;Mauvaise;Date;01/10/2026;Emploi;31/02/2026;alice.martin",
    ]
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = world.admin.import_csv(exported)
    assert report.created == 2
    assert sorted(problem.line for problem in report.problems) == [4, 5, 6]
    assert "orientation" in report.problems[0].message.lower()
    persons = {p["external_id"]: p for p in server_rows(world.engine, "person").values()}
    eloise = persons["D-1"]
    assert (eloise["orientation"], eloise["rights_opening_date"]) == ("social", "2026-09-02")
    decisions = server_rows(world.engine, "orientation_decision")
    assert [(d["person_id"], d["track"], d["decided_on"]) for d in decisions.values()] == [
        (eloise["id"], "social", "2026-10-15")
    ]
    # Importing the same file again adds no second decision; a reorientation in a later
    # file (new track, new date) adds one and moves the person's track.
    again = world.admin.import_csv(exported)
    assert again.created == 0 and len(server_rows(world.engine, "orientation_decision")) == 1
    lines[1] = "D-1;Hérault;Éloïse;02/09/2026;Socio-professionnelle;20/11/2026;alice.martin"
    exported.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    later = world.admin.import_csv(exported)
    assert later.updated == 1
    tracks = sorted(d["track"] for d in server_rows(world.engine, "orientation_decision").values())
    assert tracks == ["social", "socio_professional"]
    person = server_rows(world.engine, "person", [uuid.UUID(eloise["id"])])[eloise["id"]]
    assert person["orientation"] == "socio_professional"


TODAY_PARIS = paris_day(datetime.now(UTC))
DAY = timedelta(days=1)
HEADER = "Identifiant;Nom;Prénom;Date ouverture droits;Parcours;Date orientation;Référent"


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _import(world: Any, tmp_path: Path, raw: bytes) -> Any:
    exported = tmp_path / "export.csv"
    exported.write_bytes(raw)
    return world.admin.import_csv(exported)


def _persons(world: Any) -> dict[str, dict[str, Any]]:
    return {p["external_id"]: p for p in server_rows(world.engine, "person").values()}


# English words that would mean a library's message reached the administrator.
_ENGLISH = re.compile(r"\b(line|field|expected|invalid|error|contains|unknown)\b", re.I)


def test_each_bad_cell_is_refused_in_french_with_its_line(world: Any, tmp_path: Path) -> None:
    """Half-typed, impossible and future dates, an unknown track, a NUL byte, an unbalanced
    quote: each line refused with its number and a French message naming the column; a
    track written as its French label (any case, accents or not) is its code; BOM and ``;``
    are read. The good lines are imported (the per-line policy of the module)."""
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    future = _fr(TODAY_PARIS + DAY)
    lines = [
        HEADER,
        "D-1;Label;Socio;01/10/2026;Socio-professionnelle;20/10/2026;alice.martin",  # 2 ok
        "D-2;Majuscules;Pro;01/10/2026;PROFESSIONNELLE;20/10/2026;alice.martin",  # 3 ok
        "D-3;Moitie;Date;01/10/2026;Sociale;15/10/;alice.martin",  # 4 half-typed
        "D-4;Iso;Impossible;01/10/2026;Sociale;2026-02-30;alice.martin",  # 5 impossible
        "D-5;Iso;Heure;01/10/2026;Sociale;2026-13-01T10:00;alice.martin",  # 6 impossible
        f"D-6;Futur;Demain;01/10/2026;Sociale;{future};alice.martin",  # 7 future
        "D-7;Parcours;Inconnu;01/10/2026;Insertion;20/10/2026;alice.martin",  # 8 unknown
        "D-8;Nul;Octet;01/10/2026;Sociale;20\x00/10/2026;alice.martin",  # 9 NUL
        'D-9;"Guillemet;Ouvert;01/10/2026;Sociale;20/10/2026;alice.martin',  # 10 quote
        f"D-10;Droits;Futurs;{future};;;alice.martin",  # 11 future opening
        "D-11;Sociale;Accents;01/10/2026;sociale;2026-10-20;alice.martin",  # 12 ok (ISO)
    ]
    raw = b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8")
    report = _import(world, tmp_path, raw)
    problems = {problem.line: problem.message for problem in report.problems}
    assert sorted(problems) == [4, 5, 6, 7, 8, 9, 10, 11], problems
    assert "Date illisible" in problems[4] and "« Date orientation »" in problems[4]
    assert "Date impossible" in problems[5] and "Date impossible" in problems[6]
    assert "futur" in problems[7] and "« Date orientation »" in problems[7]
    assert "Parcours inconnu" in problems[8] and "Insertion" in problems[8]
    assert "nul" in problems[9]
    assert "guillemet" in problems[10]
    assert "futur" in problems[11] and "ouverture des droits" in problems[11]
    for message in problems.values():
        assert not _ENGLISH.search(message), message
        assert "\x00" not in message
    assert report.created == 3
    persons = _persons(world)
    assert sorted(persons) == ["D-1", "D-11", "D-2"]
    assert {k: p["orientation"] for k, p in persons.items()} == {
        "D-1": "socio_professional",
        "D-2": "professional",
        "D-11": "social",
    }
    decisions = server_rows(world.engine, "orientation_decision").values()
    assert sorted(d["decided_on"] for d in decisions) == ["2026-10-20"] * 3


def test_a_broken_header_imports_nothing(world: Any, tmp_path: Path) -> None:
    row = "D-1;Hérault;Éloïse;02/09/2026;Sociale;15/10/2026;"
    for header, expected in (
        (HEADER.replace("Nom", "No\x00m"), "caractère nul"),
        (HEADER.replace("Nom", '"Nom'), "guillemet non fermé"),
        ("Nom;Prénom;Parcours", "Colonne obligatoire absente : external_id"),
    ):
        report = _import(world, tmp_path, f"{header}\n{row}\n".encode())
        assert [(p.line, expected in p.message) for p in report.problems] == [(1, True)]
        assert report.created == 0 and not _persons(world)


def test_a_unicode_text_export_is_read(world: Any, tmp_path: Path) -> None:
    """A spreadsheet's « texte Unicode » export: UTF-16 with its BOM, tab-separated."""
    lines = [HEADER.replace(";", "\t"), "D-1\tHérault\tÉloïse\t02/09/2026\tSociale\t15/10/2026\t"]
    report = _import(world, tmp_path, ("\r\n".join(lines) + "\r\n").encode("utf-16"))
    assert report.problems == [] and report.created == 1
    assert _persons(world)["D-1"]["first_name"] == "Éloïse"


def test_imported_files_without_orientation_show_the_orientation_due(
    world: Any, tmp_path: Path
) -> None:
    """Six weeks after the right opened, on the referent's device after a sync: the files
    imported before orientation are due (late or soon); an imported orientation clears it."""
    world.admin.create_team("Nord")
    world.user("alice.martin", team="Nord")
    lines = [
        HEADER,
        f"D-1;Retard;Lea;{_fr(TODAY_PARIS - 50 * DAY)};;;alice.martin",
        f"D-2;Bientot;Remi;{_fr(TODAY_PARIS - 35 * DAY)};;;alice.martin",
        f"D-3;Calme;Ines;{_fr(TODAY_PARIS - 7 * DAY)};;;alice.martin",
        f"D-4;Oriente;Paul;{_fr(TODAY_PARIS - 50 * DAY)};Emploi;"
        f"{_fr(TODAY_PARIS - 20 * DAY)};alice.martin",
    ]
    report = _import(world, tmp_path, ("\n".join(lines) + "\n").encode("utf-8"))
    assert report.problems == [] and report.created == 4
    ids = {key: uuid.UUID(p["id"]) for key, p in _persons(world).items()}
    laptop = world.device("alice-laptop", "alice.martin")
    laptop.sync()
    now = datetime.now(UTC)
    with laptop.store.read() as session:
        due = set(caseload_ids(session, CaseloadFilter(path_alert=PathAlert.ORIENTATION_DUE), now))
        counts = path_alert_counts(session, now)
        late = session.get(PersonSummary, ids["D-1"])
        assert late is not None
        assert late.orientation_due_on == TODAY_PARIS - 50 * DAY + timedelta(weeks=6)
    assert due == {ids["D-1"], ids["D-2"]}
    assert counts[PathAlert.ORIENTATION_DUE] == 2
