"""Reporting exports (issue 14): CSV with ``;``, UTF-8 with BOM, one row per person /
appointment / action, the dashboard's figures; every cell safe for a spreadsheet; audited.
Read back with Python's csv module and checked against the store."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from spie_desktop.demo import DEMO_SUPERVISOR, DemoSpec, load_into_store
from spie_desktop.domain.models import Person
from spie_desktop.domain.tabular import FORMULA_STARTS
from spie_desktop.services import csv_exports, team, usecases
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store

HOSTILE = ['=HYPERLINK("http://x")', "+33 1", "-2+3", "@SUM(A1)", "\tcaché", "\rretour"]


def read_back(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8")[1:], newline=""), delimiter=";"))


def count(store: Store, sql: str) -> int:
    with store.read() as session:
        return int(session.execute(text(sql)).scalar_one())


@pytest.fixture
def team_store(store: Store) -> Store:
    load_into_store(
        store, DemoSpec(referents=2, persons_per_referent=20), acting_username=DEMO_SUPERVISOR
    )
    with store.apply_remote() as session:  # hostile names, as a careless import would bring
        persons = session.query(Person).order_by(Person.id).limit(len(HOSTILE)).all()
        for person, name in zip(persons, HOSTILE, strict=True):
            person.last_name = name
            person.first_name = name
    return store


def audits(store: Store) -> int:
    return count(store, "SELECT count(*) FROM audit_event WHERE action = 'export'")


@pytest.mark.parametrize(
    ("kind", "sql", "columns"),
    [
        (
            "persons",
            "SELECT count(*) FROM person WHERE deleted_at IS NULL",
            csv_exports.PERSON_COLUMNS,
        ),
        (
            "appointments",
            "SELECT count(*) FROM appointment a JOIN person p ON p.id = a.person_id "
            "WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL",
            csv_exports.APPOINTMENT_COLUMNS,
        ),
        (
            "actions",
            "SELECT count(*) FROM action a JOIN person p ON p.id = a.person_id "
            "WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL",
            csv_exports.ACTION_COLUMNS,
        ),
    ],
)
def test_one_row_per_record_safe_and_audited(
    team_store: Store, kind: str, sql: str, columns: tuple[str, ...]
) -> None:
    before = audits(team_store)
    actor = team_store.actor()
    document = usecases.export_csv(team_store, actor, kind, utcnow()).value
    rows = read_back(document.content)
    assert tuple(rows[0]) == columns
    assert len(rows) - 1 == count(team_store, sql)
    assert all(len(row) == len(columns) for row in rows)
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    # Each hostile name comes back as text, with its apostrophe.
    names = {row[columns.index("nom")] for row in rows[1:]}
    assert {"'" + name for name in HOSTILE} <= names
    # One export line per person whose data left, none for anyone else.
    persons = {row[1 if kind != "persons" else 0] for row in rows[1:]}
    assert audits(team_store) - before == len(persons)
    ids = {uuid.UUID(p) for p in persons}
    assert set(document.person_ids) == ids


def test_persons_export_columns(team_store: Store) -> None:
    document = usecases.export_csv(team_store, team_store.actor(), "persons", utcnow()).value
    rows = read_back(document.content)
    header = rows[0]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    with team_store.read() as session:
        person = session.query(Person).filter(Person.closed_on.is_not(None)).first()
        assert person is not None
        line = by_id[str(person.id)]
        assert line["date_sortie"] == person.closed_on.isoformat()  # type: ignore[union-attr]
        assert line["statut"] == "sorti" and line["statut_libelle"]
        # Moments in Paris time with their offset, parseable back to the stored instant.
        assert datetime.fromisoformat(line["date_creation"]) == person.created_at.replace(
            second=0, microsecond=0
        )


def test_dashboard_export_is_the_dashboard(team_store: Store) -> None:
    now = utcnow()
    before = audits(team_store)
    document = usecases.export_csv(team_store, team_store.actor(), "dashboard", now).value
    rows = read_back(document.content)
    from spie_desktop.services import queries

    dashboard = queries.team_dashboard(team_store, now)
    assert len(rows) - 1 == len(team.FIGURES) * len(dashboard.rows())
    values = {(r[0], r[1], r[3]): int(r[5]) for r in rows[1:]}
    for row in dashboard.rows():
        scope = (
            "equipe"
            if row.scope.is_team
            else ("sans_referent" if row.scope.unassigned else "referent")
        )
        referent = str(row.scope.referent_id) if row.scope.referent_id else ""
        for figure in team.FIGURES:
            assert values[(scope, referent, figure)] == row.value(figure)
    assert audits(team_store) - before == 1  # no one's data: one line for the export


def test_unknown_export_is_refused(team_store: Store) -> None:
    from spie_desktop.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        usecases.export_csv(team_store, team_store.actor(), "salaires", utcnow())
    assert refused.value.code == "unknown_export"


# -- the command line -------------------------------------------------------------------------


def test_cli_exports_and_refuses_an_unwritable_path(tmp_path: Path) -> None:
    from spie_desktop.store.file_keyring import FileKeyring
    from tests.unit.test_cli_documents import PASS, run
    from tests.unit.test_cli_documents import env as make_env

    env = make_env.__wrapped__(tmp_path)  # type: ignore[attr-defined]
    data_dir = tmp_path / "donnees"
    assert run(env, "init", "--data-dir", str(data_dir)).returncode == 0
    store = Store.open(data_dir, PASS, keyring_backend=FileKeyring(env["SPIE_KEYRING_FILE"]))
    try:
        load_into_store(store, DemoSpec(referents=1, persons_per_referent=10), acting_username=None)
        persons = count(store, "SELECT count(*) FROM person WHERE deleted_at IS NULL")
        appointments = count(store, "SELECT count(*) FROM appointment WHERE deleted_at IS NULL")
    finally:
        store.close()
    for kind, expected in (("persons", persons), ("appointments", appointments)):
        out = tmp_path / f"{kind}.csv"
        result = run(env, "export", kind, "--data-dir", str(data_dir), "--output", str(out))
        assert result.returncode == 0, result.stderr.decode()
        assert len(read_back(out.read_bytes())) - 1 == expected
        assert (out.stat().st_mode & 0o777) == 0o600
    result = run(
        env, "export", "dashboard", "--data-dir", str(data_dir), "-o", str(tmp_path / "d.csv")
    )
    assert result.returncode == 0, result.stderr.decode()
    # An existing file is not replaced; a folder that does not exist or cannot be written is
    # refused with a French sentence and a code, nothing written.
    again = run(
        env, "export", "persons", "--data-dir", str(data_dir), "-o", str(tmp_path / "persons.csv")
    )
    assert again.returncode != 0 and "existe déjà" in again.stderr.decode()
    missing = run(env, "export", "persons", "--data-dir", str(data_dir), "-o", "/nulle/part/x.csv")
    assert missing.returncode != 0 and "n'existe pas" in missing.stderr.decode()
    assert "[invalid_output]" in missing.stderr.decode()
    locked = run(env, "export", "persons", "--data-dir", str(data_dir), "-o", "/proc/x.csv")
    assert locked.returncode != 0
    assert "[output_not_writable]" in locked.stderr.decode(), locked.stderr.decode()
    unknown = run(
        env, "export", "salaires", "--data-dir", str(data_dir), "-o", str(tmp_path / "s.csv")
    )
    assert unknown.returncode != 0 and "choix invalide" in unknown.stderr.decode()
