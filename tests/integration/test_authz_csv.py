"""Issue 11, *Why* 10 (CSV import) and *What* 7 (every CSV the product writes is safe to
open in a spreadsheet), on a running server."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

from authz_support import Api, new_row, unique
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from spie_desktop.domain.tabular import FORMULA_STARTS, csv_writer, safe_cell
from sync.schema import table_of

_person = table_of("person")


def _import(world: Any, tmp_path: Path, text: str) -> Any:
    path = tmp_path / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(text.encode("utf-8"))
    return world.admin.import_csv(path)


def _stored(world: Any, external_id: str) -> Any:
    with world.engine.connect() as connection:
        return connection.execute(
            select(_person).where(_person.c.external_id == external_id)
        ).first()


def test_why10_referent_column_refuses_a_supervisor(module_world: Any, tmp_path: Path) -> None:
    world = module_world
    team = unique("Import")
    world.admin.create_team(team)
    boss, referent = unique("chef.i"), unique("ref.i")
    world.user(boss, role="supervisor", team=team)
    world.user(referent, team=team)
    a, b = unique("EXT"), unique("EXT")
    report = _import(
        world,
        tmp_path,
        f"identifiant;nom;prenom;referent\n{a};Durand;Jean;{boss}\n{b};Petit;Léa;{referent}\n",
    )
    assert [p.line for p in report.problems] == [2], report.problems
    assert "référent" in report.problems[0].message.lower()
    assert _stored(world, a) is None
    assert _stored(world, b) is not None and report.created == 1


def test_why10_nul_byte_is_refused(module_world: Any, tmp_path: Path) -> None:
    world = module_world
    a, b = unique("EXT"), unique("EXT")
    report = _import(
        world, tmp_path, f"identifiant;nom;prenom\n{a};Du\x00rand;Jean\n{b};Petit;Léa\n"
    )
    assert [p.line for p in report.problems] == [2], report.problems
    assert _stored(world, a) is None
    assert _stored(world, b) is not None


def test_why10_unbalanced_quote_reports_its_own_line(module_world: Any, tmp_path: Path) -> None:
    world = module_world
    a, b, c = unique("EXT"), unique("EXT"), unique("EXT")
    text = f'identifiant;nom;prenom\n{a};"Durand;Jean\n{b};Petit;Léa\n{c};"Moreau";Zoé\n'
    report = _import(world, tmp_path, text)
    assert [p.line for p in report.problems] == [2], report.problems
    assert "guillemet" in report.problems[0].message
    assert _stored(world, a) is None
    stored_b, stored_c = _stored(world, b), _stored(world, c)
    assert stored_b is not None and stored_b.first_name == "Léa"  # not swallowed
    assert stored_c is not None and stored_c.last_name == "Moreau"


# -- What 7 ------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def test_what7_audit_export_neutralises_formulas(module_world: Any) -> None:
    world = module_world
    team = unique("Csv")
    world.admin.create_team(team)
    name = unique("alice.c")
    world.user(name, team=team)
    person = world.admin.create_person({"last_name": "C", "first_name": "C"}, name)
    api = Api(world.url, name)
    results = api.push(
        *(
            api.change(
                "audit_event",
                uuid.uuid4(),
                new_row("audit_event", person, api.referent_id) | {"detail": formula},
            )
            for formula in FORMULAS[:4]  # a device's detail holds no tab nor CR
        )
    )
    for formula in FORMULAS[4:]:  # the administration's log may
        with world.admin.session() as session:
            session.log("import.csv", formula + ".csv")
    assert all(r["status"] == "accepted" for r in results), results
    out = io.StringIO()
    world.admin.audit_export(out)
    cells = [
        cell
        for line in csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";")
        for cell in line
    ]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    for formula in FORMULAS[:4]:
        assert "'" + formula in cells
    for formula in FORMULAS[4:]:
        assert any(cell.startswith("'" + formula) for cell in cells), formula


@given(st.lists(st.lists(st.text(max_size=20), max_size=5), max_size=5))
def test_what7_csv_writer_never_writes_a_formula(rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv_writer(out).writerows(rows)
    read = list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";"))
    assert len(read) == len([r for r in rows])
    for original, written in zip(rows, read, strict=True):
        if not original:
            assert written == []
            continue
        for cell, text in zip(original, written, strict=True):
            assert not text.startswith(FORMULA_STARTS)
            assert text == safe_cell(cell)
            assert text.removeprefix("'") == cell or text == cell
