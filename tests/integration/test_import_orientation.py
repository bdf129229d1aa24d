"""The department's CSV import carries the orientation track and date into the path."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

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
