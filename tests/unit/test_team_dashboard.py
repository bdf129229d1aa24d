"""The supervisor's dashboard tells the truth (issue 14): every figure, per referent and for
the team, equals a count made directly on the store's rows (raw SQL, predicates written
again here in Python), and the list the figure opens has exactly those rows — on the demo
data and on a store made of edge cases (persons with no appointment, all no-shows, a
referent with no one, persons at exactly N days without contact)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from spie_desktop.demo import DEMO_SUPERVISOR, DemoSpec, load_into_store
from spie_desktop.domain.deadlines import add_months, paris_day, path_settings
from spie_desktop.domain.enums import Role
from spie_desktop.domain.models import Appointment, Person, Referent
from spie_desktop.domain.types import to_sql_utc
from spie_desktop.services import queries, team
from spie_desktop.services.caseload import CaseloadFilter, caseload_keys
from spie_desktop.services.team import (
    FIGURES,
    RATE_FIGURES,
    AppointmentFilter,
    Figure,
    Scope,
    figure_list,
)
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store


@dataclass
class Raw:
    """The store's rows, read with plain SQL (no service code)."""

    persons: list[dict[str, object]]
    appointments: list[dict[str, object]]


def read_raw(store: Store) -> Raw:
    with store.read() as session:
        persons = [
            dict(row._mapping)
            for row in session.execute(
                text(
                    "SELECT p.id, p.referent_id, p.follow_up_status, p.created_at, "
                    "s.missed_not_rescheduled, s.next_action_due, s.orientation_due_on, "
                    "s.contract_due_on, s.track_review_due_on, s.contract_ends_on "
                    "FROM person p JOIN person_summary s ON s.person_id = p.id "
                    "WHERE p.deleted_at IS NULL"
                )
            )
        ]
        appointments = [
            dict(row._mapping)
            for row in session.execute(
                text(
                    "SELECT a.id, a.person_id, a.referent_id, a.starts_at, a.status "
                    "FROM appointment a JOIN person p ON p.id = a.person_id "
                    "WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL"
                )
            )
        ]
    return Raw(persons, appointments)


def oracle(raw: Raw, now: datetime, days: int) -> dict[tuple[str | None, str], set[str]]:
    """(referent hex or None, figure) → the ids of its list, computed from the raw rows."""
    now_s = to_sql_utc(now)
    limit = to_sql_utc(now - timedelta(days=days))
    today = paris_day(now)
    today_s = today.isoformat()
    ending = (today + timedelta(days=path_settings().contract_ending_days)).isoformat()
    last_seen: dict[str, str] = {}
    pending: set[str] = set()
    for a in raw.appointments:
        pid = str(a["person_id"])
        if a["status"] == "seen":
            last_seen[pid] = max(last_seen.get(pid, ""), str(a["starts_at"]))
        if a["status"] == "planned" and str(a["starts_at"]) < now_s:
            pending.add(pid)
    out: dict[tuple[str | None, str], set[str]] = {}

    def put(referent: str | None, figure: str, pid: str) -> None:
        out.setdefault((referent, figure), set()).add(pid)

    for p in raw.persons:
        pid, referent = str(p["id"]), p["referent_id"]
        key = str(referent) if referent else None
        if p["follow_up_status"] == "sorti":
            continue
        put(key, Figure.CASELOAD, pid)
        reference = last_seen.get(pid) or str(p["created_at"])
        if reference < limit:
            put(key, Figure.NO_CONTACT, pid)
        if p["missed_not_rescheduled"]:
            put(key, Figure.MISSED, pid)
        if pid in pending:
            put(key, Figure.REPORTS, pid)
        if p["next_action_due"] and str(p["next_action_due"]) < now.date().isoformat():
            put(key, Figure.OVERDUE, pid)
        dues = (p["orientation_due_on"], p["contract_due_on"], p["track_review_due_on"])
        if any(due and str(due) < today_s for due in dues):
            put(key, Figure.DEADLINES, pid)
        if p["contract_ends_on"] and str(p["contract_ends_on"]) <= ending:
            put(key, Figure.CONTRACTS_ENDING, pid)
    for figure, months in ((Figure.NOSHOW_3M, 3), (Figure.NOSHOW_12M, 12)):
        since = to_sql_utc(team._paris_midnight(add_months(today, -months)))
        for a in raw.appointments:
            if since <= str(a["starts_at"]) < now_s and a["status"] == "noshow":
                key = str(a["referent_id"]) if a["referent_id"] else None
                out.setdefault((key, figure), set()).add(str(a["id"]))
    return out


def held(raw: Raw, now: datetime, months: int, referent: str | bool | None) -> int:
    since = to_sql_utc(team._paris_midnight(add_months(paris_day(now), -months)))
    now_s = to_sql_utc(now)
    return sum(
        1
        for a in raw.appointments
        if since <= str(a["starts_at"]) < now_s
        and a["status"] in ("seen", "noshow")
        and (referent is True or (str(a["referent_id"]) if a["referent_id"] else None) == referent)
    )


def hexes(ids: Iterator[uuid.UUID] | list[uuid.UUID]) -> set[str]:
    return {i.hex for i in ids}


def list_ids(store: Store, flt: CaseloadFilter | AppointmentFilter, now: datetime) -> set[str]:
    with store.read() as session:
        if isinstance(flt, CaseloadFilter):
            return set(caseload_keys(session, flt, now))
        return hexes(row.appointment_id for row in team.appointment_rows(session, flt))


def check_dashboard(store: Store, now: datetime, days: int = 45) -> team.TeamDashboard:
    dashboard = queries.team_dashboard(store, now, days=days)
    raw = read_raw(store)
    expected = oracle(raw, now, days)
    for row in dashboard.rows():
        key: str | None
        if row.scope.is_team:
            key = "team"
        else:
            key = row.scope.referent_id.hex if row.scope.referent_id else None
        for figure in FIGURES:
            if key == "team":
                want = set().union(*(ids for (_r, f), ids in expected.items() if f == figure))
            else:
                want = expected.get((key, figure), set())
            assert row.value(figure) == len(want), (row.name, figure)
            opened = list_ids(store, figure_list(figure, row.scope, now, days), now)
            assert opened == want, (row.name, figure)
        for figure in RATE_FIGURES:
            months = team.RATE_MONTHS[figure]
            assert row.rates[figure].held == held(raw, now, months, True if key == "team" else key)
    # The trend: each month's bars, against the raw rows, and what a bar opens.
    for point in dashboard.trend:
        since, until = to_sql_utc(point.since), to_sql_utc(point.until)
        month = [a for a in raw.appointments if since <= str(a["starts_at"]) < until]
        assert point.seen == sum(a["status"] == "seen" for a in month), point.month
        noshows = {str(a["id"]) for a in month if a["status"] == "noshow"}
        assert point.noshow == len(noshows)
        opened = list_ids(store, team.month_noshow_filter(point, team.TEAM), now)
        assert {uuid.UUID(i).hex for i in noshows} == opened
    return dashboard


# -- the demo ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from spie_desktop.store.file_keyring import FileKeyring
    from spie_desktop.store.vault import KdfParams

    root = tmp_path_factory.mktemp("team-demo")
    store = Store.create(
        root / "data",
        "phrase de test",
        kdf=KdfParams.fast_for_tests(),
        keyring_backend=FileKeyring(root / "kr.json"),
    )
    load_into_store(
        store, DemoSpec(referents=2, persons_per_referent=150), acting_username=DEMO_SUPERVISOR
    )
    yield store
    store.close()


def test_every_figure_of_the_demo_is_its_list(demo_store: Store) -> None:
    dashboard = check_dashboard(demo_store, utcnow())
    team_row = dashboard.team
    # The demo exercises every figure (else the test above proves little).
    for figure in FIGURES:
        assert team_row.value(figure) > 0, figure
    assert len(dashboard.referents) >= 2
    assert sum(point.seen for point in dashboard.trend) > 0


def test_another_threshold_of_days(demo_store: Store) -> None:
    check_dashboard(demo_store, utcnow(), days=10)


# -- the edge cases ---------------------------------------------------------------------------


def _referent(session, username: str) -> uuid.UUID:  # type: ignore[no-untyped-def]
    referent_id = uuid.uuid4()
    first, last = username.split(".")
    session.add(
        Referent(
            id=referent_id,
            username=username,
            first_name=first.title(),
            last_name=last.title(),
            role=Role.REFERENT.value,
            active=True,
        )
    )
    return referent_id


def _person(session, name: str, referent: uuid.UUID | None, created: datetime, **values):  # type: ignore[no-untyped-def]
    person = Person(
        id=uuid.uuid4(),
        last_name=name,
        first_name="Test",
        referent_id=referent,
        created_at=created,
        updated_at=created,
        follow_up_status=values.pop("status", "en_accompagnement"),
        **values,
    )
    session.add(person)
    session.flush()
    return person.id


def _appointment(session, person, referent, starts: datetime, status: str) -> None:  # type: ignore[no-untyped-def]
    session.add(
        Appointment(
            id=uuid.uuid4(),
            person_id=person,
            referent_id=referent,
            starts_at=starts,
            mode="bureau",
            purpose="suivi",
            status=status,
            outcome_recorded_at=starts if status in ("seen", "noshow") else None,
            created_at=starts - timedelta(days=7),
            updated_at=starts,
        )
    )


def test_edge_cases(store: Store) -> None:
    now = utcnow().replace(microsecond=0)
    days = 45
    with store.apply_remote() as session:
        quiet = _referent(session, "anne.sansrdv")  # persons with no appointment at all
        absent = _referent(session, "bruno.absences")  # every appointment a no-show
        _referent(session, "chloe.vide")  # nobody
        exact = _referent(session, "denis.pile")  # persons at exactly N days
        session.flush()
        for i in range(3):
            _person(session, f"Sansrdv{i}", quiet, now - timedelta(days=10 + 40 * i))
        for i in range(4):
            pid = _person(session, f"Absent{i}", absent, now - timedelta(days=400))
            for k in range(1, 6):
                _appointment(session, pid, absent, now - timedelta(days=35 * k + i), "noshow")
        # Last contact exactly N days ago, a second less, a second more; created N days ago.
        for label, delta in (("Pile", timedelta(0)), ("Moins", -timedelta(seconds=1))):
            pid = _person(session, label, exact, now - timedelta(days=300))
            _appointment(session, pid, exact, now - timedelta(days=days) - delta, "seen")
        pid = _person(session, "Plus", exact, now - timedelta(days=300))
        _appointment(session, pid, exact, now - timedelta(days=days, seconds=1), "seen")
        _person(session, "Creee", exact, now - timedelta(days=days))
        _person(session, "Creeeavant", exact, now - timedelta(days=days, seconds=1))
        # A report to write, an exited person, a person without referent, a deleted one.
        pid = _person(session, "Compterendu", exact, now - timedelta(days=20))
        _appointment(session, pid, exact, now - timedelta(hours=2), "planned")
        _person(
            session,
            "Sorti",
            absent,
            now - timedelta(days=500),
            status="sorti",
            closed_on=now.date(),
            closure_reason="emploi",
        )
        orphan = _person(session, "Orphelin", None, now - timedelta(days=100))
        _appointment(session, orphan, None, now - timedelta(days=20), "noshow")
        gone = _person(session, "Efface", quiet, now - timedelta(days=100))
        session.flush()
        session.get(Person, gone).deleted_at = now  # type: ignore[union-attr]
    # The summaries at this very moment (the planned appointment two hours ago is pending).
    store.refresh_stale_summaries(now)
    dashboard = check_dashboard(store, now, days)
    rows = {row.name: row for row in dashboard.referents}
    assert rows["Chloe Vide"].counts == dict.fromkeys(team.PERSON_FIGURES, 0)
    assert rows["Chloe Vide"].rates[Figure.NOSHOW_12M].percent is None
    assert rows["Anne Sansrdv"].value(Figure.CASELOAD) == 3
    assert rows["Anne Sansrdv"].value(Figure.NO_CONTACT) == 2  # created 50 and 90 days ago
    assert rows["Bruno Absences"].rates[Figure.NOSHOW_12M].percent == 100.0
    assert rows["Bruno Absences"].value(Figure.NOSHOW_3M) == 8  # 35 and 70 days, 4 persons
    # Exactly N days is not « more than N days »; a second more is.
    no_contact = list_ids(store, figure_list(Figure.NO_CONTACT, Scope(exact), now, days), now)
    with store.read() as session:
        names = {
            p.id.hex: p.last_name for p in session.query(Person).filter(Person.referent_id == exact)
        }
    assert sorted(names[i] for i in no_contact) == ["Creeeavant", "Plus"]
    assert rows["Denis Pile"].value(Figure.REPORTS) == 1
    assert rows["Sans référent"].value(Figure.CASELOAD) == 1
    assert rows["Sans référent"].value(Figure.NOSHOW_3M) == 1
    assert dashboard.team.value(Figure.CASELOAD) == 3 + 4 + 6 + 1


def test_never_seen_sorts_as_the_most_urgent(store: Store) -> None:
    now = utcnow()
    with store.apply_remote() as session:
        referent = _referent(session, "eva.tri")
        session.flush()
        never = _person(session, "Jamais", referent, now - timedelta(days=5))
        old = _person(session, "Ancien", referent, now - timedelta(days=400))
        _appointment(session, old, referent, now - timedelta(days=200), "seen")
        recent = _person(session, "Recent", referent, now - timedelta(days=400))
        _appointment(session, recent, referent, now - timedelta(days=2), "seen")
    with store.read() as session:
        up = caseload_keys(session, CaseloadFilter(), now, sort="last_contact")
        down = caseload_keys(session, CaseloadFilter(), now, sort="last_contact", descending=True)
    assert up == [never.hex, old.hex, recent.hex]
    assert down == [recent.hex, old.hex, never.hex]


def test_dashboard_reads_nothing_it_should_not_write(store: Store) -> None:
    """A query: the outbox is unchanged."""
    with store.read() as session:
        before = session.execute(text("SELECT count(*) FROM outbox")).scalar_one()
    queries.team_dashboard(store, utcnow())
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar_one() == before


def test_days_must_be_sane() -> None:
    assert team.rate_window(Figure.NOSHOW_3M, datetime(2027, 5, 31, 12, tzinfo=UTC))[0].date() == (
        date(2027, 2, 28)
    )
