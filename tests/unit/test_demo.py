"""The demo generator: deterministic, realistic, and loadable into a real encrypted store."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from spie_desktop.demo import (
    DEMO_ADMIN,
    DEMO_REFERENT,
    DEMO_SUPERVISOR,
    MAX_BATCH_ROWS,
    TABLE_ORDER,
    UNASSIGNED_PER_TEAM,
    DemoSpec,
    generate,
    load_into_store,
    reference_now,
)
from spie_desktop.domain.enums import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    AppointmentStatus,
    FollowUpStatus,
    Role,
)
from spie_desktop.domain.models import SYNCED_MODELS
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.services.caseload import CaseloadFilter, caseload_ids, caseload_rows
from spie_desktop.services.persons import validate_person_fields
from spie_desktop.services.timeline import timeline
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.local_models import PersonSummary
from spie_desktop.store.store import Store
from spie_desktop.store.vault import KdfParams

NOW = datetime(2026, 11, 23, tzinfo=UTC)
SMALL = DemoSpec(referents=1, persons_per_referent=25, seed=7, now=NOW)
TWO = DemoSpec(referents=2, persons_per_referent=150, seed=2026, now=NOW)

Rows = dict[str, list[dict[str, Any]]]


def _collect(spec: DemoSpec) -> Rows:
    tables: Rows = defaultdict(list)
    for name, rows in generate(spec):
        tables[name].extend(rows)
    return tables


@pytest.fixture(scope="module")
def two() -> Rows:
    return _collect(TWO)


def _by(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


# -- determinism ------------------------------------------------------------------------------


def test_same_seed_gives_identical_rows_ids_included() -> None:
    first = list(generate(SMALL))
    second = list(generate(SMALL))
    assert first == second
    assert sum(len(rows) for _, rows in first) > 25 * 20


def test_other_seed_gives_other_rows() -> None:
    base = _collect(SMALL)
    other = _collect(DemoSpec(referents=1, persons_per_referent=25, seed=8, now=NOW))
    assert {r["id"] for r in base["person"]}.isdisjoint({r["id"] for r in other["person"]})
    names = [(r["last_name"], r["first_name"]) for r in base["person"]]
    assert names != [(r["last_name"], r["first_name"]) for r in other["person"]]


def test_ids_are_time_ordered_uuid7_of_their_creation_time(two: Rows) -> None:
    seen: set[uuid.UUID] = set()
    for rows in two.values():
        for row in rows:
            row_id = row["id"]
            assert row_id.version == 7
            assert row_id.int >> 80 == int(row["created_at"].timestamp() * 1000)
            assert row_id not in seen
            seen.add(row_id)


def test_default_now_is_todays_midnight_utc() -> None:
    now = reference_now(DemoSpec())
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert (now.hour, now.minute, now.second, now.microsecond) == (0, 0, 0, 0)
    assert now.date() == datetime.now(UTC).date()


def test_spec_is_validated() -> None:
    with pytest.raises(ValueError):
        DemoSpec(referents=0)
    with pytest.raises(ValueError):
        DemoSpec(min_years=3, max_years=2)
    with pytest.raises(ValueError):
        DemoSpec(now=datetime(2026, 1, 1))  # naive on purpose


# -- shape of the stream ----------------------------------------------------------------------


def test_batches_are_bounded_complete_and_in_foreign_key_order() -> None:
    yielded: set[tuple[str, uuid.UUID]] = set()
    known_ids: dict[str, set[uuid.UUID]] = defaultdict(set)
    previous_rank = -1
    for name, rows in generate(TWO):
        assert 0 < len(rows) <= MAX_BATCH_ROWS
        rank = TABLE_ORDER.index(name)
        # each chunk of persons restarts at "person"; within a chunk the order is TABLE_ORDER
        assert rank >= previous_rank or name == "person"
        previous_rank = rank
        table = SYNCED_MODELS[name].__table__  # type: ignore[attr-defined]
        columns = set(table.columns.keys())
        foreign = [(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys]
        for row in rows:
            assert set(row) == columns
            for column, target in foreign:
                # a note superseding another comes after it, possibly in the same batch
                if row[column] is not None:
                    assert row[column] in known_ids[target], (name, column)
            known_ids[name].add(row["id"])
            yielded.add((name, row["id"]))
    assert len(yielded) == sum(len(ids) for ids in known_ids.values())


def test_staff_with_documented_usernames(two: Rows) -> None:
    referents = two["referent"]
    by_name = {r["username"]: r for r in referents}
    assert len(by_name) == len(referents)
    assert by_name[DEMO_REFERENT]["role"] == Role.REFERENT.value
    assert by_name[DEMO_SUPERVISOR]["role"] == Role.SUPERVISOR.value
    assert by_name[DEMO_ADMIN]["role"] == Role.ADMIN.value
    assert len(two["structure"]) == 1
    assert two["structure"][0]["name"].startswith("Conseil départemental de")
    teams = {t["id"] for t in two["team"]}
    for team in teams:
        members = [r for r in referents if r["team_id"] == team]
        assert sum(r["role"] == Role.SUPERVISOR.value for r in members) == 1
    active = [r for r in referents if r["role"] == Role.REFERENT.value and r["active"]]
    assert len(active) == TWO.referents
    per_referent = Counter(p["referent_id"] for p in two["person"] if p["referent_id"])
    assert sorted(per_referent.values()) == [150, 150]
    assert set(per_referent) == {r["id"] for r in active}
    # Every person belongs to her referent's team; a few per team, imported without a
    # referent, wait in the team's queue (issue 14), each since a past day.
    team_of = {r["id"]: r["team_id"] for r in referents}
    followed = [p for p in two["person"] if p["referent_id"]]
    assert all(p["team_id"] == team_of[p["referent_id"]] for p in followed)
    queue = [p for p in two["person"] if p["referent_id"] is None]
    assert Counter(p["team_id"] for p in queue) == dict.fromkeys(teams, UNASSIGNED_PER_TEAM)
    assert all(p["follow_up_status"] == "a_contacter" for p in queue)
    assert all(NOW - timedelta(days=46) < p["created_at"] < NOW for p in queue)


def test_department_scale_has_teams_of_about_eight() -> None:
    spec = DemoSpec(referents=50, persons_per_referent=1, now=NOW)
    stream = generate(spec)
    staff: dict[str, list[dict[str, Any]]] = {}
    for name, rows in stream:
        staff[name] = rows
        if name == "referent":
            break
    referents = [r for r in staff["referent"] if r["role"] == Role.REFERENT.value and r["active"]]
    sizes = Counter(r["team_id"] for r in referents)
    assert len(staff["team"]) == 7
    assert all(7 <= size <= 8 for size in sizes.values())
    assert sum(r["role"] == Role.SUPERVISOR.value for r in staff["referent"]) == 7


# -- realism ----------------------------------------------------------------------------------


def test_every_code_is_in_the_referentials(two: Rows) -> None:
    refs = get_referentials()
    for person in two["person"]:
        for column, kind in (
            ("title", "title"),
            ("household", "household"),
            ("rsa_status", "rsa_status"),
            ("orientation", "orientation"),
            ("contract_type", "contract_type"),
            ("follow_up_status", "follow_up_status"),
            ("closure_reason", "closure_reason"),
        ):
            if person[column] is not None:
                assert refs.is_valid(kind, person[column]), (column, person[column])
    for appointment in two["appointment"]:
        assert refs.is_valid("appointment_status", appointment["status"])
        assert refs.is_valid("appointment_mode", appointment["mode"])
        assert refs.is_valid("appointment_purpose", appointment["purpose"])
    for barrier in two["barrier"]:
        theme = barrier["theme"]
        assert refs.is_valid("barrier_status", barrier["status"])
        assert {e.code for e in refs.situations_for(theme)} >= set(barrier["situations"])
        if barrier["target_code"] is not None:
            assert barrier["target_code"] in {e.code for e in refs.targets_for(theme)}
        else:
            assert barrier["target_text"]
    barrier_theme = {b["id"]: b["theme"] for b in two["barrier"]}
    for action in two["action"]:
        assert refs.is_valid("action_status", action["status"])
        if action["contract_id"] is not None:  # a contract's plan action, hours per week
            assert action["barrier_id"] is None and action["custom_label"]
            assert 0 <= action["planned_minutes_week"] <= 900 + 120
            continue
        assert action["theme"] == barrier_theme[action["barrier_id"]]
        if action["action_code"] is not None:
            assert refs.get("action", action["action_code"]).theme == action["theme"]
        else:
            assert action["custom_label"]
    for note in two["note"]:
        assert refs.is_valid("note_kind", note["kind"])
    for event in two["audit_event"]:
        assert refs.is_valid("audit_action", event["action"])


def test_persons_pass_the_apps_own_validation(two: Rows) -> None:
    fields = (
        "caf_number",
        "title",
        "last_name",
        "first_name",
        "birth_date",
        "phone",
        "email",
        "address",
        "postal_code",
        "city",
        "household",
        "children_count",
        "rsa_status",
        "orientation",
        "contract_type",
        "contract_start",
        "contract_end",
        "follow_up_status",
        "closed_on",
        "closure_reason",
    )
    for person in two["person"]:
        clean = validate_person_fields({name: person[name] for name in fields})
        assert clean["last_name"] == person["last_name"]
        assert person["caf_number"] is None or len(person["caf_number"]) == 7
        age = (NOW.date() - person["birth_date"]).days / 365.25
        assert 18 <= age < 65
        assert len({p["external_id"] for p in two["person"]}) == len(two["person"])


def test_follow_up_statuses_and_history_lengths(two: Rows) -> None:
    persons = two["person"]
    status = Counter(p["follow_up_status"] for p in persons)
    total = len(persons)
    assert 0.04 <= _share(status[FollowUpStatus.TO_CONTACT.value], total) <= 0.17
    assert 0.65 <= _share(status[FollowUpStatus.FOLLOWED.value], total) <= 0.85
    assert 0.01 <= _share(status[FollowUpStatus.SUSPENDED.value], total) <= 0.10
    assert 0.04 <= _share(status[FollowUpStatus.EXITED.value], total) <= 0.17
    rsa = Counter(p["rsa_status"] for p in persons)
    assert rsa.most_common(1)[0][0] == "droit_ouvert_versable"
    for person in persons:
        exited = person["follow_up_status"] == FollowUpStatus.EXITED.value
        assert (person["closed_on"] is not None) == exited
        assert (person["closure_reason"] is not None) == exited
        years = (NOW - person["created_at"]).days / 365.25
        if person["follow_up_status"] == FollowUpStatus.TO_CONTACT.value:
            assert years < 0.3  # new arrivals: that is why they are « à contacter »
        else:
            assert TWO.min_years - 0.02 <= years <= TWO.max_years + 0.02
        if person["contract_start"] is not None:
            assert person["contract_end"] >= person["contract_start"]


def _followed(rows: Rows) -> list[dict[str, Any]]:
    """The persons with a referent (the few imported without one have no history yet)."""
    return [p for p in rows["person"] if p["referent_id"] is not None]


def test_handovers_leave_one_active_assignment(two: Rows) -> None:
    assignments = _by(two["referent_assignment"], "person_id")
    handed_over = 0
    for person in _followed(two):
        rows = sorted(assignments[person["id"]], key=lambda r: r["started_at"])
        active = [r for r in rows if r["ended_at"] is None]
        assert len(active) == 1
        assert active[0]["referent_id"] == person["referent_id"]
        if len(rows) > 1:
            handed_over += 1
            assert rows[0]["ended_at"] == rows[1]["started_at"]
            assert rows[1]["handover_note"]
    assert 0.04 <= _share(handed_over, len(two["person"])) <= 0.17
    # one per handover (a correction of one, ~1 % of notes, supersedes it: not a handover)
    handover_notes = [
        n for n in two["note"] if n["kind"] == "passation" and n["supersedes_id"] is None
    ]
    assert len(handover_notes) == handed_over


def test_appointments_rhythm_outcomes_and_planning(two: Rows) -> None:
    appointments = two["appointment"]
    past = [a for a in appointments if a["starts_at"] < NOW]
    outcomes = Counter(a["status"] for a in past if a["status"] != "planned")
    done = sum(outcomes.values())
    assert 0.62 <= _share(outcomes["seen"], done) <= 0.78
    assert 0.10 <= _share(outcomes["noshow"], done) <= 0.20
    assert 0.06 <= _share(outcomes["excused"], done) <= 0.14
    assert 0.02 <= _share(outcomes["revoked"], done) <= 0.08
    for appointment in appointments:
        if appointment["status"] in (AppointmentStatus.SEEN.value, AppointmentStatus.NOSHOW.value):
            assert appointment["starts_at"] < NOW
            assert appointment["outcome_recorded_at"] >= appointment["starts_at"]
        if appointment["starts_at"] >= NOW:
            assert appointment["status"] == AppointmentStatus.PLANNED.value
        assert appointment["created_at"] <= NOW
        assert appointment["starts_at"].tzinfo is not None
    by_person = _by(appointments, "person_id")
    followed = [p for p in two["person"] if p["follow_up_status"] == "en_accompagnement"]
    with_next = sum(
        any(NOW <= a["starts_at"] < NOW + timedelta(days=31) for a in by_person[p["id"]])
        for p in followed
    )
    assert 0.78 <= _share(with_next, len(followed)) <= 0.96
    pending = {a["person_id"] for a in past if a["status"] == AppointmentStatus.PLANNED.value}
    assert 0.005 <= _share(len(pending), len(two["person"])) <= 0.045
    # every 2–6 weeks, so a few dozen over 1–4 years
    per_followed = [len(by_person[p["id"]]) for p in followed]
    assert 15 <= sum(per_followed) / len(per_followed) <= 60


def test_barriers_actions_and_overdue(two: Rows) -> None:
    barriers = _by(two["barrier"], "person_id")
    for person in _followed(two):
        rows = barriers[person["id"]]
        assert 1 <= len(rows) <= 4
        assert len({b["theme"] for b in rows}) == len(rows)
    main = {
        "logement",
        "mobilite",
        "sante",
        "contraintes_familiales",
        "difficulte_administrative",
        "difficulte_financiere",
        "maitrise_langue",
        "numerique",
        "emploi",
        "formation",
    }
    themes = Counter(b["theme"] for b in two["barrier"])
    assert _share(sum(themes[t] for t in main), sum(themes.values())) >= 0.85
    open_codes = {s.value for s in OPEN_BARRIER_STATUSES}
    for barrier in two["barrier"]:
        assert (barrier["closed_on"] is None) == (barrier["status"] in open_codes)
        if barrier["closed_on"] is not None:
            assert barrier["closed_on"] >= barrier["identified_on"]
    # (Plan actions of a contract, without a barrier, are checked in test_path_demo.)
    barrier_actions = [a for a in two["action"] if a["contract_id"] is None]
    per_barrier = Counter(a["barrier_id"] for a in barrier_actions)
    assert all(1 <= count <= 3 for count in per_barrier.values())
    open_actions = [
        a for a in barrier_actions if a["status"] in {s.value for s in OPEN_ACTION_STATUSES}
    ]
    overdue = [a for a in open_actions if a["due_date"] < NOW.date()]
    assert 0.05 <= _share(len(overdue), len(open_actions)) <= 0.45
    for action in barrier_actions:
        assert action["due_date"] >= action["start_date"]
        if action["end_date"] is not None:
            assert action["end_date"] >= action["start_date"]
    assert any(a["custom_label"] for a in two["action"])
    assert any(a["partner"] for a in two["action"])


def test_notes_are_french_varied_and_some_sensitive_or_superseded(two: Rows) -> None:
    notes = two["note"]
    seen = [a for a in two["appointment"] if a["status"] == "seen"]
    kinds = Counter(n["kind"] for n in notes)
    assert kinds["suivi"] + kinds["visite_domicile"] >= 0.7 * len(seen)
    assert kinds["appel"] > 0 and kinds["visite_domicile"] > 0 and kinds["incident"] > 0
    sensitive = sum(n["sensitive"] for n in notes)
    assert 0.02 <= _share(sensitive, len(notes)) <= 0.09
    ids = {n["id"] for n in notes}
    superseding = [n for n in notes if n["supersedes_id"] is not None]
    assert superseding and all(n["supersedes_id"] in ids for n in superseding)
    texts = {n["text"] for n in notes}
    assert len(texts) > 0.5 * len(notes)
    assert not any("lorem" in t.lower() for t in texts)
    assert all(n["written_at"] <= NOW for n in notes)


def test_about_a_hundred_rows_per_person(two: Rows) -> None:
    total = sum(len(rows) for rows in two.values())
    assert 80 <= total / len(two["person"]) <= 120
    assert Counter(e["action"] for e in two["audit_event"])["open"] > 0


# -- into a real encrypted store --------------------------------------------------------------


def _store(tmp: Path) -> Store:
    return Store.create(
        tmp / "d",
        "passphrase-de-test",
        kdf=KdfParams.fast_for_tests(),
        keyring_backend=FileKeyring(tmp / "kr.json"),
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, int]]]:
    store = _store(tmp_path_factory.mktemp("demo"))
    progress: list[int] = []
    counts = load_into_store(store, TWO, progress=progress.append)
    assert progress and progress == sorted(progress) and progress[-1] == sum(counts.values())
    yield store, counts
    store.close()


def _held_by_a_referent(rows: Rows) -> Rows:
    """What a referent's device holds of the demo: not the persons waiting without a referent
    in a supervisor's queue (the server never sends them to her; ``load_into_store`` neither)."""
    waiting = [row for row in rows["person"] if row["referent_id"] is None]
    assert waiting  # the control: the demo has a queue
    return {**rows, "person": [row for row in rows["person"] if row["referent_id"] is not None]}


def test_loaded_store_is_sound_and_complete(
    loaded: tuple[Store, dict[str, int]], two: Rows
) -> None:
    store, counts = loaded
    held = _held_by_a_referent(two)
    assert store.check() == []
    assert counts == {name: len(held[name]) for name in TABLE_ORDER}
    stored = store.counts()
    for name in TABLE_ORDER:
        # Live rows: a corrected breach decision is kept as a tombstoned version.
        live = [row for row in held[name] if row.get("deleted_at") is None]
        assert stored[name] == len(live), name
    assert stored["outbox_pending"] == 0 and stored["outbox_rejected"] == 0


def test_loaded_store_has_summaries_alerts_and_the_acting_user(
    loaded: tuple[Store, dict[str, int]], two: Rows
) -> None:
    store, _ = loaded
    demo_referent = next(r for r in two["referent"] if r["username"] == DEMO_REFERENT)
    actor = store.actor()
    assert actor.referent_id == demo_referent["id"]
    assert actor.role == Role.REFERENT.value
    with store.read() as session:
        summaries = session.execute(select(func.count()).select_from(PersonSummary)).scalar_one()
        assert summaries == len(_held_by_a_referent(two)["person"])
        everyone = caseload_ids(session, CaseloadFilter(), NOW)
        alerted = caseload_ids(session, CaseloadFilter(alerts_only=True), NOW)
        mine = caseload_ids(session, CaseloadFilter(referent_id=actor.referent_id), NOW)
        rows = caseload_rows(session, alerted[:50], NOW)
        entries = timeline(session, mine[0])
    assert len(everyone) == len(_held_by_a_referent(two)["person"])
    assert len(mine) == TWO.persons_per_referent
    assert 0 < len(alerted) < 0.6 * len(everyone)
    assert all(row.alerts for row in rows)
    assert {alert for row in rows for alert in row.alerts} >= {"no_contact", "action_overdue"}
    assert entries


def test_acting_user_can_be_the_supervisor_or_nobody(tmp_path: Path) -> None:
    spec = DemoSpec(referents=1, persons_per_referent=3, seed=3, now=NOW)
    store = _store(tmp_path / "a")
    try:
        load_into_store(store, spec, acting_username=DEMO_SUPERVISOR)
        assert store.actor().role == Role.SUPERVISOR.value
        assert store.counts()["outbox_pending"] == 0
    finally:
        store.close()
    store = _store(tmp_path / "b")
    try:
        load_into_store(store, spec, acting_username=None)
        assert store.get_state("user_id") is None
        with pytest.raises(ValueError):
            load_into_store(store, spec, acting_username="inconnu")
    finally:
        store.close()


def test_dates_are_plain_values(two: Rows) -> None:
    person = two["person"][0]
    assert isinstance(person["birth_date"], date)
    assert isinstance(person["created_at"], datetime)
    assert isinstance(person["id"], uuid.UUID)
